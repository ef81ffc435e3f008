// Unit tests of the spam-reporting handler (addin/outlook/report-handler.js) in a Node `vm`
// context that has only JS built-ins plus what the JavaScript-only runtime of classic Outlook
// gives it: the Office object (office-addin-mock), fetch (a local stub) and console. Also: the
// file parses as an ES2016 script (acorn), so that runtime can load it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import vm from 'node:vm';
import * as acorn from 'acorn';
import { OfficeMockObject } from 'office-addin-mock';
import { ROOT } from './lib.mjs';

const FILE = join(ROOT, 'addin/outlook/report-handler.js');
const SOURCE = readFileSync(FILE, 'utf8');
const RAW = Buffer.from('From: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n').toString('base64');

test('report-handler.js parses as an ES2016 script, without modules or async', () => {
  assert.doesNotThrow(() => acorn.parse(SOURCE, { ecmaVersion: 2016, sourceType: 'script' }));
  assert.doesNotMatch(SOURCE, /\bimport\s*\(|\bWebAssembly\b|\bglobalThis\b/);
  assert.ok(SOURCE.length < 8000, `small: ${SOURCE.length} bytes`);
});

/**
 * Runs the handler once. opts.raw: the getAsFileAsync result (an Error message string makes it
 * fail); opts.fetch(url, init) → { status, text } or throws; opts.options: the dialog's choices.
 */
function run(opts = {}) {
  const requests = [];
  let associated = null;
  const mock = new OfficeMockObject({
    host: 'outlook',
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    MailboxEnums: { MoveSpamItemTo: { JunkFolder: 'junkFolder', NoMove: 'noMove', DeletedItemsFolder: 'deletedItemsFolder', CustomFolder: 'customFolder' } },
    actions: { associate(name, fn) { associated = { name, fn }; } },
    context: {
      mailbox: {
        userProfile: { emailAddress: 'adele.vance@contoso.com' },
        item: opts.noRaw ? {} : {
          getAsFileAsync(cb) {
            setTimeout(() => cb(opts.rawError
              ? { status: 'failed', error: { message: opts.rawError } }
              : { status: 'succeeded', value: RAW }), 0);
          },
        },
      },
    },
  });
  const fetch = (url, init = {}) => {
    requests.push({ url, method: init.method ?? 'GET', body: init.body ?? null, headers: init.headers ?? {} });
    const answer = (opts.fetch ?? defaultFetch)(url, init);
    if (answer instanceof Error) return Promise.reject(answer);
    return Promise.resolve({ status: answer.status, text: () => Promise.resolve(answer.text ?? '') });
  };
  const context = vm.createContext({ Office: mock, fetch, console, setTimeout, location: { href: 'https://mailward.contoso.com/addin/outlook/report-handler.html' } });
  vm.runInContext(SOURCE, context, { filename: FILE });
  assert.equal(associated?.name, 'onSpamReport');
  return new Promise((resolve) => {
    const event = {
      options: opts.options ?? { reportedOptions: ['Asks for my password', 'Unexpected invoice'], freeText: 'Looked like our bank' },
      completed(result) { resolve({ result, requests }); },
    };
    associated.fn(event);
  });
}

function defaultFetch(url) {
  if (url.endsWith('/policy.json')) return { status: 404 };
  return { status: 201, text: '{"id":1,"duplicate":false,"verdict":"danger"}' };
}

test('success: POSTs the message with reasons and free text, then moves it to Junk', async () => {
  const { result, requests } = await run();
  const post = requests.find((r) => r.method === 'POST');
  assert.equal(post.url, 'https://mailward.contoso.com/v1/reports');
  assert.equal(post.headers['Content-Type'], 'application/json');
  assert.deepEqual(JSON.parse(post.body), {
    raw: RAW, reporter: 'adele.vance@contoso.com',
    reasons: ['Asks for my password', 'Unexpected invoice'], comment: 'Looked like our bank',
  });
  assert.equal(result.onErrorDeleteItem, false);
  assert.equal(result.moveItemTo, 'junkFolder');
  assert.equal(result.showPostProcessingDialog.title, 'Mailward: reported');
  assert.match(result.showPostProcessingDialog.description, /Thank you/);
});

test('policy.json report.url is used; no reasons and no free text are fine', async () => {
  const { result, requests } = await run({
    options: {},
    fetch: (url) => (url.endsWith('/policy.json')
      ? { status: 200, text: '{"orgDomains":["contoso.com"],"report":{"url":"https://reports.contoso.com/v1/reports"}}' }
      : { status: 200, text: '{"id":1,"duplicate":true}' }),
  });
  const post = requests.find((r) => r.method === 'POST');
  assert.equal(post.url, 'https://reports.contoso.com/v1/reports');
  assert.deepEqual(JSON.parse(post.body), { raw: RAW, reporter: 'adele.vance@contoso.com', reasons: [] });
  assert.equal(result.moveItemTo, 'junkFolder');
});

test('getAsFileAsync fails: nothing is sent, the message stays, the user is told', async () => {
  const { result, requests } = await run({ rawError: 'The item could not be retrieved.' });
  assert.equal(requests.length, 0);
  assert.equal(result.onErrorDeleteItem, false);
  assert.equal(result.moveItemTo, 'noMove');
  assert.equal(result.showPostProcessingDialog.title, 'Mailward: report not sent');
  assert.match(result.showPostProcessingDialog.description, /could not read the message \(The item could not be retrieved\.\)/);
});

test('report endpoint down or refusing: the message stays, the user is told', async () => {
  const down = await run({ fetch: (url) => (url.endsWith('/policy.json') ? { status: 404 } : new TypeError('Failed to fetch')) });
  assert.equal(down.result.moveItemTo, 'noMove');
  assert.match(down.result.showPostProcessingDialog.description, /could not be reached/);
  const refused = await run({ fetch: (url) => (url.endsWith('/policy.json') ? { status: 404 } : { status: 503 }) });
  assert.equal(refused.result.moveItemTo, 'noMove');
  assert.match(refused.result.showPostProcessingDialog.description, /answered HTTP 503/);
});

test('a client without getAsFileAsync is told, not silently completed', async () => {
  const { result, requests } = await run({ noRaw: true });
  assert.equal(requests.length, 0);
  assert.equal(result.moveItemTo, 'noMove');
  assert.match(result.showPostProcessingDialog.description, /cannot hand over the message/);
});
