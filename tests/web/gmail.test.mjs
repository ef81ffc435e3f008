// The Gmail Apps Script add-on (addin/gmail/dist/, built by scripts/build-gmail.sh) in a Node
// `vm` context with only JavaScript built-ins, WebAssembly and console, plus fakes of the Apps
// Script services (gmail/harness.mjs): the runtime lacks TextEncoder, fetch, atob and timers,
// as Apps Script does. Opening fixtures must show exactly the engine's card (tests/cards/,
// through the CardService adapter); reporting must POST the raw message and update the card.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import vm from 'node:vm';
import * as acorn from 'acorn';
import { DIST, distFiles, gmailEvent, loadAddon } from './gmail/harness.mjs';
import { NOW, POLICY, ROOT } from './lib.mjs';

const REPORT_URL = 'https://mailward.contoso.example/v1/reports';
const PROPS = { MAILWARD_POLICY: POLICY, MAILWARD_REPORT_URL: REPORT_URL };
const CARDS = join(ROOT, 'tests/cards');
const LEARN_MORE_DEFAULT = 'https://support.google.com/mail/answer/8253'; // render::card's default
const SCOPES = [
  'https://www.googleapis.com/auth/gmail.addons.execute',
  'https://www.googleapis.com/auth/gmail.addons.current.message.readonly',
  'https://www.googleapis.com/auth/script.external_request',
];

function fixture(name) {
  return readFileSync(join(ROOT, 'tests/fixtures', name), 'utf8');
}

/** Every string in a JSON tree, with its path. */
function strings(v, path = '', out = []) {
  if (typeof v === 'string') out.push([path, v]);
  else if (Array.isArray(v)) v.forEach((x, i) => strings(x, `${path}[${i}]`, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) strings(x, `${path}.${k}`, out);
  return out;
}

/** Colours survive CardService only as #rrggbb: compare them to two decimals. */
function roundColors(v) {
  if (Array.isArray(v)) return v.map(roundColors);
  if (v && typeof v === 'object') {
    const o = {};
    for (const [k, x] of Object.entries(v)) {
      o[k] = typeof x === 'number' && ['red', 'green', 'blue'].includes(k) ? Math.round(x * 100) / 100 : roundColors(x);
    }
    return o;
  }
  return v;
}

test('the built add-on exists and every file is a classic script', () => {
  assert.ok(existsSync(DIST), 'addin/gmail/dist is missing: run scripts/build-gmail.sh');
  const files = distFiles();
  assert.deepEqual(files, ['Cards.js', 'Code.js', 'Config.js', 'Engine.js', 'Runtime.js', 'Wasm.js']);
  for (const f of files) {
    const src = readFileSync(join(DIST, f), 'utf8');
    assert.doesNotThrow(() => acorn.parse(src, { ecmaVersion: 2022, sourceType: 'script' }), f);
    assert.doesNotMatch(src, /import\.meta|^\s*(import|export)\s/m, f);
  }
});

test('the manifest: triggers, exactly the three scopes, V8, an https fetch whitelist', () => {
  for (const path of [join(ROOT, 'manifest/gmail/appsscript.json'), join(DIST, 'appsscript.json')]) {
    const m = JSON.parse(readFileSync(path, 'utf8'));
    assert.equal(m.runtimeVersion, 'V8');
    assert.deepEqual([...m.oauthScopes].sort(), [...SCOPES].sort());
    assert.deepEqual(m.addOns.common.homepageTrigger, { runFunction: 'onHomepage', enabled: true });
    assert.deepEqual(m.addOns.gmail.contextualTriggers, [{ unconditional: {}, onTriggerFunction: 'onGmailMessageOpen' }]);
    assert.ok(m.urlFetchWhitelist.length >= 1);
    for (const u of m.urlFetchWhitelist) assert.match(u, /^https:\/\/[^/]+\/$/);
    assert.match(m.addOns.common.logoUrl, /^https:\/\//);
    // "Learn more" is an OpenLink: its address must fall under a declared prefix.
    assert.ok(m.addOns.common.openLinkUrlPrefixes.some((p) => LEARN_MORE_DEFAULT.startsWith(p)));
  }
});

test('the context lacks what Apps Script lacks; the triggers are functions', () => {
  const { context } = loadAddon();
  for (const name of ['TextEncoder', 'TextDecoder', 'atob', 'btoa', 'fetch', 'setTimeout',
    'setInterval', 'queueMicrotask', 'crypto', 'URL', 'require', 'process', 'Buffer']) {
    assert.equal(vm.runInContext(`typeof ${name}`, context), 'undefined', name);
  }
  assert.equal(vm.runInContext('typeof WebAssembly', context), 'object');
  for (const fn of ['onHomepage', 'onGmailMessageOpen', 'onReportPhish']) {
    assert.equal(vm.runInContext(`typeof ${fn}`, context), 'function', fn);
  }
});

test('TextEncoder/TextDecoder polyfills match the WHATWG ones (surrogates, invalid bytes, BOM)', () => {
  const { context } = loadAddon();
  const Enc = vm.runInContext('MailwardTextEncoder_', context);
  const Dec = vm.runInContext('MailwardTextDecoder_', context);
  const enc = new Enc();
  const strs = ['', 'ascii', 'é ß € 𝔘 😀', 'a\uD800b', '\uDC00', 'x\uD83D', '\uD83D\uDE00\uD83D',
    '\uFEFFbom', 'pаypal.com', '\u202Egnp.exe', 'z'.repeat(20000) + '€'];
  for (const s of strs) {
    assert.deepEqual(Buffer.from(enc.encode(s)), Buffer.from(new TextEncoder().encode(s)), JSON.stringify(s.slice(0, 20)));
    for (const size of [0, 1, 2, 3, 5, 64]) {
      const mine = new Uint8Array(size);
      const ref = new Uint8Array(size);
      const a = enc.encodeInto(s, mine);
      const b = new TextEncoder().encodeInto(s, ref);
      assert.deepEqual({ read: a.read, written: a.written }, b);
      assert.deepEqual(Buffer.from(mine), Buffer.from(ref));
    }
  }
  // Random byte strings biased to the multi-byte range, decoded leniently and fatally.
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const pick = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf,
    0xe0, 0xe1, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xff];
  for (let n = 0; n < 3000; n++) {
    const bytes = Uint8Array.from({ length: Math.floor(rnd() * 12) }, () =>
      rnd() < 0.8 ? pick[Math.floor(rnd() * pick.length)] : Math.floor(rnd() * 256));
    assert.equal(new Dec('utf-8').decode(bytes), new TextDecoder('utf-8').decode(bytes), `[${bytes}]`);
    let refErr = false;
    try { new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch { refErr = true; }
    let myErr = false;
    try { new Dec('utf-8', { fatal: true }).decode(bytes); } catch { myErr = true; }
    assert.equal(myErr, refErr, `fatal on [${bytes}]`);
  }
  const bom = Uint8Array.from([0xef, 0xbb, 0xbf, 0x41]);
  assert.equal(new Dec().decode(bom), 'A');
  assert.equal(new Dec('utf-8', { ignoreBOM: true }).decode(bom), '\uFEFFA');
  assert.equal(new Dec().decode(), '');
  const big = new TextEncoder().encode('😀é'.repeat(30000));
  assert.equal(new Dec().decode(big), '😀é'.repeat(30000));
  assert.equal(new Dec().decode(big.buffer), '😀é'.repeat(30000));
  assert.throws(() => new Dec('latin1'));
});

test('base64 decoder and encoder agree with Node', () => {
  const { context } = loadAddon();
  const decode = vm.runInContext('mailwardBase64Decode_', context);
  const encode = vm.runInContext('mailwardBase64Encode_', context);
  for (let n = 0; n < 70; n++) {
    const bytes = Uint8Array.from({ length: n * 7 }, (_, i) => (i * 37 + n) & 0xff);
    const b64 = Buffer.from(bytes).toString('base64');
    assert.equal(encode(bytes), b64);
    assert.deepEqual(Buffer.from(decode(b64)), Buffer.from(bytes));
    assert.deepEqual(Buffer.from(decode(b64.replace(/=+$/, ''))), Buffer.from(bytes));
  }
  assert.deepEqual(Buffer.from(decode('aGVs\nbG8=')), Buffer.from('hello'));
  assert.throws(() => decode('aGVs*G8='));
});

/** Snapshot cards (tests/cards/<category>/<name>.card.json) and their fixtures. */
function snapshotCases() {
  const out = [];
  for (const cat of readdirSync(CARDS).sort()) {
    if (cat === 'variants') continue;
    for (const f of readdirSync(join(CARDS, cat)).sort()) {
      if (f.endsWith('.card.json')) out.push({ cat, name: f.replace(/\.card\.json$/, '') });
    }
  }
  return out;
}

test('opening each snapshot fixture shows exactly the engine card, through CardService', () => {
  const cases = snapshotCases();
  const messages = {};
  let usable = 0;
  for (const [i, c] of cases.entries()) {
    const bytes = readFileSync(join(ROOT, 'tests/fixtures', c.cat, `${c.name}.eml`));
    let text;
    try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch { continue; }
    messages[`m${i}`] = text; // Gmail hands the add-on a string; these fixtures are UTF-8
    usable++;
  }
  assert.ok(usable >= 35, `only ${usable} UTF-8 fixtures`);
  const { run, fakes } = loadAddon({
    messages,
    props: { MAILWARD_POLICY: POLICY, MAILWARD_REPORT_URL: REPORT_URL },
    now: NOW * 1000,
  });
  const levels = new Set();
  for (const [i, c] of cases.entries()) {
    if (!messages[`m${i}`]) continue;
    const card = run('onGmailMessageOpen', gmailEvent(`m${i}`));
    const expected = JSON.parse(readFileSync(join(CARDS, c.cat, `${c.name}.card.json`), 'utf8'));
    assert.deepEqual(roundColors(card), roundColors(expected), `${c.cat}/${c.name}`);
    levels.add(card.header.title);
  }
  assert.deepEqual([...levels].sort(), ['Be careful', 'Likely phishing', 'No warning signs found']);
  // Every read used the message's own token, set just before.
  const log = fakes.GmailApp.log;
  for (let i = 0; i < log.length; i += 2) {
    assert.equal(log[i][0], 'setCurrentMessageAccessToken');
    assert.deepEqual(log[i + 1], ['getMessageById', log[i][1].replace(/^token-/, '')]);
  }
  assert.deepEqual(fakes.Utilities.used, []);
  assert.equal(fakes.UrlFetchApp.requests.length, 0, 'opening a message sends nothing');
});

test('files load in any order (nothing runs at load time)', () => {
  const { run } = loadAddon({
    messages: { m: fixture('phish/cyrillic-paypal-display-name.eml') },
    props: PROPS,
    now: NOW * 1000,
    order: distFiles().reverse(),
  });
  assert.equal(run('onGmailMessageOpen', gmailEvent('m')).header.title, 'Likely phishing');
});

test('hostile markup is escaped and no link is built from the message', () => {
  const { run } = loadAddon({
    messages: { h: fixture('hostile/card-markup.eml'), k: fixture('hostile/markup.eml') },
    props: PROPS,
    now: NOW * 1000,
  });
  for (const id of ['h', 'k']) {
    const card = run('onGmailMessageOpen', gmailEvent(id));
    for (const [path, s] of strings(card)) {
      const rest = s.replaceAll('<b>', '').replaceAll('</b>', '').replaceAll('<br>', '');
      assert.doesNotMatch(rest, /[<>]/, `${id} ${path}: ${s}`);
    }
    const urls = strings(card).filter(([p]) => p.endsWith('.url')).map(([, s]) => s);
    assert.deepEqual(urls, ['https://support.google.com/mail/answer/8253']);
    const action = card.fixedFooter.primaryButton.onClick.action;
    assert.deepEqual(action, { function: 'onReportPhish', loadIndicator: 'SPINNER' });
  }
  const text = JSON.stringify(run('onGmailMessageOpen', gmailEvent('h')));
  assert.match(text, /&lt;a href=&quot;https\[:\]\/\/evil\.example\/login&quot;&gt;Verify now&lt;\/a&gt;/);
  assert.match(text, /&lt;font color=&quot;#188038&quot;&gt;Checked by Mailward: safe&lt;\/font&gt;/);
});

test('Report phishing: POSTs the raw message with the per-message token, then notifies and updates the card', () => {
  const raw = 'Delivered-To: alex.wilber@contoso.com\r\n' + fixture('phish/m365-password-expiry-lookalike-domain.eml')
    .replace(/^Subject:/m, 'Delivered-To: forged@evil.example\r\nSubject:');
  const { run, fakes } = loadAddon({ messages: { p: raw }, props: PROPS, now: NOW * 1000 });
  const opened = run('onGmailMessageOpen', gmailEvent('p'));
  assert.equal(opened.fixedFooter.primaryButton.text, 'Report phishing');
  assert.equal(opened.fixedFooter.primaryButton.onClick.action.parameters, undefined);

  fakes.GmailApp.log.length = 0;
  // The action event: no parameters at all (the card sets none).
  const res = run('onReportPhish', gmailEvent('p', { commonEventObject: { hostApp: 'GMAIL', parameters: {} } }));
  assert.deepEqual(fakes.GmailApp.log, [['setCurrentMessageAccessToken', 'token-p'], ['getMessageById', 'p']]);
  assert.equal(fakes.UrlFetchApp.requests.length, 1);
  const { url, params } = fakes.UrlFetchApp.requests[0];
  assert.equal(url, REPORT_URL);
  assert.equal(params.method, 'post');
  assert.equal(params.contentType, 'application/json');
  assert.equal(params.muteHttpExceptions, true);
  const body = JSON.parse(params.payload);
  assert.deepEqual(Object.keys(body).sort(), ['clientVerdict', 'raw', 'reporter']);
  assert.deepEqual(Buffer.from(body.raw, 'base64'), Buffer.from(raw, 'utf8'));
  assert.equal(body.reporter, 'alex.wilber@contoso.com', 'the topmost Delivered-To');
  assert.equal(body.clientVerdict, 'danger');

  assert.deepEqual(res.notification, { text: 'Thank you. Your security team has the message.' });
  assert.equal(res.navigation.length, 1);
  const updated = res.navigation[0].updateCard;
  const all = JSON.stringify(updated);
  assert.match(all, /<b>Reported\.<\/b>/);
  assert.doesNotMatch(all, /Report phishing/);
  assert.equal(updated.fixedFooter.primaryButton.text, 'Learn more');
  assert.equal(updated.header.title, 'Likely phishing');
});

test('reporting: server error, network failure, missing Delivered-To, not configured', () => {
  const msg = fixture('ham/calendar-invite-partner.eml'); // no Delivered-To
  assert.doesNotMatch(msg, /^Delivered-To:/im);
  let answer = { code: 500, body: '{"error":"storage-unavailable"}' };
  const errors = [];
  const quiet = { ...console, error: (...a) => errors.push(a.join(' ')) };
  const { run, fakes } = loadAddon({
    messages: { x: msg },
    props: { ...PROPS, MAILWARD_REPORTER: 'gmail-reports@contoso.com' },
    respond: () => { if (answer instanceof Error) throw answer; return answer; },
    now: NOW * 1000,
    console: quiet,
  });
  let res = run('onReportPhish', gmailEvent('x'));
  assert.deepEqual(res, { notification: { text: 'Reporting failed (HTTP 500). Try again later.' } });
  assert.equal(JSON.parse(fakes.UrlFetchApp.requests[0].params.payload).reporter, 'gmail-reports@contoso.com');
  answer = new Error('DNS error: mailward.contoso.example');
  res = run('onReportPhish', gmailEvent('x'));
  assert.deepEqual(res, { notification: { text: 'Mailward could not reach the reporting service. Try again later.' } });
  answer = { code: 200, body: '{"id":"r-1","duplicate":true}' };
  assert.ok(run('onReportPhish', gmailEvent('x')).navigation, 'a duplicate (200) counts as reported');
  assert.ok(errors.length >= 2);
  for (const e of errors) assert.doesNotMatch(e, /calendar|invite|@|Subject/i, `logs no message content: ${e}`);

  const bare = loadAddon({ messages: { x: msg }, props: { MAILWARD_POLICY: POLICY }, now: NOW * 1000 });
  const card = bare.run('onGmailMessageOpen', gmailEvent('x'));
  assert.equal(card.fixedFooter.primaryButton.text, 'Learn more');
  assert.equal(card.fixedFooter.secondaryButton, undefined);
  assert.deepEqual(bare.run('onReportPhish', gmailEvent('x')), {
    notification: { text: 'Reporting is not set up for Mailward. Ask your IT team.' },
  });
  assert.equal(bare.fakes.UrlFetchApp.requests.length, 0);
});

test('homepage, no message, unreadable message, bad policy: calm cards, no content logged', () => {
  const errors = [];
  const quiet = { ...console, error: (...a) => errors.push(a.join(' ')) };
  const { run } = loadAddon({ messages: {}, props: PROPS, console: quiet });
  const home = run('onHomepage', { commonEventObject: { hostApp: 'GMAIL' } });
  assert.equal(home.header.title, 'Mailward');
  assert.match(JSON.stringify(home), /Nothing is sent anywhere unless you press/);
  assert.deepEqual(run('onGmailMessageOpen', {}), home);
  const err = run('onGmailMessageOpen', gmailEvent('missing'));
  assert.equal(err.name, 'mailward-error');
  assert.deepEqual(errors, ['Mailward: could not check the message: Error']);

  const badPolicy = loadAddon({
    messages: { m: fixture('ham/devhub-notification.eml') },
    props: { MAILWARD_POLICY: '{"orgDomain": []}' },
    console: quiet,
  });
  assert.equal(badPolicy.run('onGmailMessageOpen', gmailEvent('m')).name, 'mailward-error');
});

test('Config.js defaults apply when script properties are empty', () => {
  const { context, run } = loadAddon({ messages: { m: fixture('ham/devhub-notification.eml') }, props: { MAILWARD_REPORT_URL: '  ' } });
  vm.runInContext(`MAILWARD_CONFIG_ = { reportUrl: '${REPORT_URL}', learnMoreUrl: 'https://intranet.contoso.example/phish', policy: '', reporter: '' };`, context);
  const card = run('onGmailMessageOpen', gmailEvent('m'));
  assert.equal(card.fixedFooter.primaryButton.text, 'Report phishing');
  assert.equal(card.fixedFooter.secondaryButton.onClick.openLink.url, 'https://intranet.contoso.example/phish');
});
