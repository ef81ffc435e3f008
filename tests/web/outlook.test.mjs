// The Outlook task pane (addin/outlook) in Debian's Chromium with a stub Office host
// (outlook/office-stub.js in place of the Office.js CDN URL), on an origin laid out like
// `mailward serve` with its Content-Security-Policy: the Mailbox 1.14 path over fixtures of
// every level (the native banner call: key, type, text ≤ 150, removal on safe; the rendered
// explanation against the fixture snapshot), the fallback path, ItemChanged with no item, the
// report button against a local endpoint, the error paths, policy.json, no WebAssembly.
// Screenshots: tests/web/artifacts/screenshots/outlook-*.png.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ARTIFACTS, NOW, POLICY, ROOT, fixtures } from './lib.mjs';
import { itemSpec, launch, openPane, settled, startOrigin } from './outlook/harness.mjs';

const KEY = 'mailward-verdict';
const SHOTS = join(ARTIFACTS, 'screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const POLICY_WITH_REPORT = JSON.stringify({ ...JSON.parse(POLICY), report: { url: '/v1/reports?via=policy' } });

let origin;
let browser;

/** Fixtures with their snapshot, up to `per` of each level. */
function pick(per) {
  const byLevel = { safe: [], caution: [], danger: [] };
  for (const f of fixtures()) {
    const exp = f.path.replace(/\.eml$/, '.expected.json');
    if (!existsSync(exp)) continue;
    const expected = JSON.parse(readFileSync(exp, 'utf8'));
    const list = byLevel[expected.verdict.level];
    if (list.length < per) list.push({ ...f, expected });
  }
  return byLevel;
}
const PICKED = pick(5);
const ALL = [...PICKED.safe, ...PICKED.caution, ...PICKED.danger];

before(async () => {
  assert.ok(existsSync(join(ROOT, 'www/pkg/mailward_bg.wasm')), 'run scripts/build-wasm.sh first');
  origin = await startOrigin();
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await origin?.close();
});

function reset(policy = POLICY_WITH_REPORT) {
  origin.state.policy = policy;
  origin.state.reports = 'ok';
  origin.state.received.length = 0;
}

const bannerCalls = (calls, id) => calls.filter((c) => c.item === id && (c.api === 'replaceAsync' || c.api === 'removeAsync'));

test('Mailbox 1.14: banner call and explanation for every fixture, on open and on ItemChanged', async () => {
  reset();
  assert.ok(ALL.length >= 10 && PICKED.safe.length && PICKED.caution.length && PICKED.danger.length);
  const [first, ...rest] = ALL;
  const { context, page, problems } = await openPane(browser, origin.base, { now: NOW, item: itemSpec(first.name, first.bytes) });
  await page.waitForSelector('body[data-ready="true"]');
  for (const [i, f] of [first, ...rest].entries()) {
    if (i > 0) await page.evaluate((spec) => window.__stub.change(spec), itemSpec(f.name, f.bytes));
    await settled(page);
    const calls = await page.evaluate(() => window.__stub.calls);
    const mine = bannerCalls(calls, f.name);
    assert.equal(mine.length, 1, `${f.name}: exactly one banner call`);
    const [c] = mine;
    assert.equal(c.key, KEY, `${f.name}: the fixed key`);
    const level = f.expected.verdict.level;
    if (level === 'safe') {
      assert.equal(c.api, 'removeAsync', `${f.name}: safe removes our banner`);
    } else {
      assert.equal(c.api, 'replaceAsync');
      assert.equal(c.details.type, level === 'danger' ? 'errorMessage' : 'informationalMessage', f.name);
      assert.equal(c.details.message, f.expected.banner.text, f.name);
      assert.ok(Array.from(c.details.message).length <= 150, f.name);
    }
    assert.ok(Object.keys(await page.evaluate((id) => window.__stub.banners(id), f.name)).length <= 1);
    // The explanation: the shared renderer's output for exactly the snapshot's report.
    const shown = await page.evaluate(() => ({
      path: document.getElementById('result').dataset.path,
      level: document.querySelector('#result .mw-banner').dataset.level,
      banner: document.querySelector('#result .mw-banner-text')?.textContent,
      rules: [...document.querySelectorAll('#result .mw-finding')].map((n) => n.dataset.rule),
      titles: [...document.querySelectorAll('#result .mw-finding-title')].map((n) => n.textContent),
      status: document.getElementById('status').textContent,
      reportEnabled: !document.getElementById('report').disabled,
    }));
    assert.equal(shown.path, 'raw');
    assert.match(shown.status, /full message \(Mailbox 1\.14\), with policy\.json/);
    assert.equal(shown.level, level, f.name);
    if (level !== 'safe') assert.equal(shown.banner, f.expected.banner.text, f.name);
    assert.deepEqual(shown.rules, f.expected.findings.map((x) => x.rule), f.name);
    assert.deepEqual(shown.titles, f.expected.findings.map((x) => x.title), f.name);
    assert.ok(shown.reportEnabled);
    if (i === 0 || f === PICKED.caution[0] || f === PICKED.danger[0]) {
      await page.screenshot({ path: join(SHOTS, `outlook-${level}.png`), fullPage: true });
    }
  }
  // Re-analysis of the same message replaces, never stacks.
  const again = PICKED.danger[0];
  await page.evaluate((spec) => window.__stub.change(spec), itemSpec(again.name, again.bytes));
  await settled(page);
  await page.evaluate((spec) => window.__stub.change(spec), itemSpec(again.name, again.bytes));
  await settled(page);
  const shownNow = await page.evaluate((id) => window.__stub.banners(id), again.name);
  assert.deepEqual(Object.keys(shownNow), [KEY]);
  assert.deepEqual(problems, { errors: [], foreign: [] });
  await context.close();
});

test('fallback path (no Mailbox 1.14): headers + HTML body + attachments → analyzeParts', async () => {
  reset();
  const f = PICKED.danger[0];
  const spec = itemSpec(f.name, f.bytes, { attachments: [{ id: 'a1', name: 'invoice.pdf.exe', contentType: 'application/octet-stream', size: 1234, attachmentType: 'file', isInline: false }] });
  const { context, page, problems } = await openPane(browser, origin.base, { mailbox: '1.8', now: NOW, item: spec });
  await page.waitForSelector('body[data-ready="true"]');
  await settled(page);
  const calls = await page.evaluate(() => window.__stub.calls);
  const apis = calls.filter((c) => c.item === f.name).map((c) => c.api);
  assert.ok(apis.includes('getAllInternetHeadersAsync'));
  assert.ok(calls.some((c) => c.api === 'body.getAsync' && c.coercion === 'html'));
  assert.ok(!apis.includes('getAsFileAsync'));
  const shown = await page.evaluate(() => ({
    path: document.getElementById('result').dataset.path,
    level: document.getElementById('result').dataset.level,
    status: document.getElementById('status').textContent,
  }));
  assert.equal(shown.path, 'parts');
  assert.match(shown.status, /headers, HTML body and attachment list/);
  const [c] = bannerCalls(calls, f.name);
  const expectedApi = shown.level === 'safe' ? 'removeAsync' : 'replaceAsync';
  assert.equal(c.api, expectedApi);
  if (shown.level !== 'safe') {
    assert.equal(c.details.type, shown.level === 'danger' ? 'errorMessage' : 'informationalMessage');
    assert.ok(Array.from(c.details.message).length <= 150);
  }
  // The report button needs the raw message, which this client cannot give.
  await page.click('#report');
  await page.waitForSelector('#report-status[data-outcome="failed"]');
  assert.match(await page.textContent('#report-status'), /cannot hand over the full message/);
  assert.equal(origin.state.received.length, 0);
  assert.deepEqual(problems, { errors: [], foreign: [] });
  await context.close();
});

test('ItemChanged with no item clears the pane; a failing getAsFileAsync is explained', async () => {
  reset(null);
  const f = PICKED.caution[0];
  const { context, page } = await openPane(browser, origin.base, { now: NOW, item: itemSpec(f.name, f.bytes) });
  await page.waitForSelector('body[data-ready="true"]');
  await settled(page);
  assert.match(await page.textContent('#status'), /with built-in defaults/);
  await page.evaluate(() => window.__stub.change(null));
  await settled(page);
  assert.match(await page.textContent('#status'), /No message is open/);
  assert.equal(await page.evaluate(() => document.getElementById('result').childElementCount), 0);
  assert.ok(await page.isDisabled('#report'));
  const bad = itemSpec('broken', f.bytes, { rawError: 'The item could not be retrieved.' });
  await page.evaluate((spec) => window.__stub.change(spec), bad);
  await settled(page);
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'error');
  assert.match(await page.textContent('#status'), /Could not read this message from Outlook: getAsFileAsync failed: The item could not be retrieved\./);
  const calls = await page.evaluate(() => window.__stub.calls);
  assert.equal(bannerCalls(calls, 'broken').length, 0, 'no banner from a message not analysed');
  await context.close();
});

test('Report phishing: POSTs to the policy endpoint; endpoint down or refusing is shown', async () => {
  reset();
  const f = PICKED.danger[0];
  const spec = itemSpec(f.name, f.bytes);
  const { context, page, problems } = await openPane(browser, origin.base, { now: NOW, item: spec });
  await page.waitForSelector('body[data-ready="true"]');
  await settled(page);
  await page.screenshot({ path: join(SHOTS, 'outlook-danger-before-report.png'), fullPage: true });

  origin.state.reports = 'down';
  await page.click('#report');
  await page.waitForSelector('#report-status[data-outcome="failed"]');
  assert.match(await page.textContent('#report-status'), /not sent: the report server could not be reached/);
  assert.ok(!(await page.isDisabled('#report')), 'can retry');

  origin.state.reports = 'refuse';
  await page.click('#report');
  await page.waitForFunction(() => /refused/.test(document.getElementById('report-status').textContent));
  assert.match(await page.textContent('#report-status'), /refused it \(try later\)/);

  origin.state.reports = 'ok';
  origin.state.received.length = 0;
  await page.fill('#comment', 'Asked me to pay an invoice');
  await page.click('#report');
  await page.waitForSelector('#report-status[data-outcome="sent"]');
  assert.match(await page.textContent('#report-status'), /Reported to your security team/);
  assert.equal(origin.state.received.length, 1);
  const [r] = origin.state.received;
  assert.equal(r.method, 'POST');
  assert.equal(r.url, '/v1/reports?via=policy');
  assert.equal(r.type, 'application/json');
  const body = JSON.parse(r.body);
  assert.deepEqual(Object.keys(body).sort(), ['clientVerdict', 'comment', 'raw', 'reasons', 'reporter']);
  assert.equal(body.raw, spec.raw);
  assert.equal(body.reporter, 'adele.vance@contoso.com');
  assert.equal(body.clientVerdict, 'danger');
  assert.equal(body.comment, 'Asked me to pay an invoice');
  assert.deepEqual(problems.foreign, []);
  await page.evaluate(AXE);
  const axe = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
  assert.deepEqual(serious, []);
  await context.close();
});

test('no WebAssembly: a clear message, no analysis', async () => {
  reset();
  const f = PICKED.danger[0];
  const { context, page } = await openPane(browser, origin.base, { wasm: false, item: itemSpec(f.name, f.bytes) });
  await page.waitForSelector('body[data-ready="no-wasm"]');
  assert.match(await page.textContent('#status'), /no WebAssembly/);
  assert.equal((await page.evaluate(() => window.__stub.calls)).filter((c) => c.item).length, 0);
  await context.close();
});

test('a broken policy.json is reported, not silently replaced', async () => {
  reset('{ not json');
  const { context, page } = await openPane(browser, origin.base, { item: null });
  await page.waitForSelector('body[data-ready="error"]');
  assert.match(await page.textContent('#status'), /policy\.json is not JSON/);
  await context.close();
});
