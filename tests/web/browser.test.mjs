// End-to-end tests of the demo page in Debian's Chromium (headless, via playwright-core):
// serves www/ with scripts/serve-demo.sh, loads a safe, a caution and a danger sample and checks
// the banner and findings against the native snapshots, no console errors, no request to any
// other origin, axe-core (no serious or critical violations, light and dark), and that
// attacker markup in a message is shown as text and never runs. Screenshots go to
// tests/web/artifacts/screenshots/.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { ARTIFACTS, FIXTURES, ROOT } from './lib.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = join(ARTIFACTS, 'screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server;
let base;
let browser;

before(async () => {
  assert.ok(existsSync(join(ROOT, 'www/pkg/mailward_bg.wasm')), 'run scripts/build-wasm.sh first');
  server = spawn('bash', [join(ROOT, 'scripts/serve-demo.sh'), '--no-build'], {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  base = await new Promise((resolve, reject) => {
    let buf = '';
    server.stdout.on('data', (d) => {
      buf += d;
      const m = /http:\/\/[^\s]+\//.exec(buf);
      if (m) resolve(m[0]);
    });
    server.on('exit', (code) => reject(new Error(`server exited (${code})`)));
    setTimeout(() => reject(new Error('server did not start')), 10000);
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

/** A page that records console errors, page errors and requests to other origins. */
async function open(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 }, ...options });
  const page = await context.newPage();
  const problems = { errors: [], foreign: [] };
  const origin = new URL(base).origin;
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    problems.foreign.push(url);
    return route.abort();
  });
  page.on('console', (m) => { if (m.type() === 'error') problems.errors.push(m.text()); });
  page.on('pageerror', (e) => problems.errors.push(String(e)));
  return { context, page, problems };
}

async function loadSample(page, path) {
  await page.goto(`${base}?sample=${encodeURIComponent(path)}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('#result .mw-banner');
}

async function axeSerious(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** One sample per verdict level, by the native snapshot's level; preferred names first. */
function pickSamples() {
  const { samples } = JSON.parse(readFileSync(join(ROOT, 'www/samples/samples.json'), 'utf8'));
  const preferred = {
    safe: ['ham/internal-m365-team-update.eml'],
    caution: ['phish/cyrillic-paypal-display-name.eml', 'reply-to-mismatch/company-to-freemail-replyto.eml'],
    danger: ['phish/vip-yahoo-wire-request-no-provider-hop.eml'],
  };
  const withReport = samples
    .filter((s) => s.category !== 'hostile')
    .map((s) => ({ ...s, key: `${s.category}/${s.name}`, expected: snapshot(s.category, s.name) }))
    .filter((s) => s.expected);
  const pick = {};
  for (const level of ['safe', 'caution', 'danger']) {
    const ofLevel = withReport.filter((s) => s.expected.verdict.level === level);
    pick[level] = preferred[level].map((k) => ofLevel.find((s) => s.key === k)).find(Boolean) ?? ofLevel[0];
  }
  return pick;
}

function snapshot(category, name) {
  const p = join(FIXTURES, category, name.replace(/\.eml$/, '.expected.json'));
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : null;
}

for (const level of ['safe', 'caution', 'danger']) {
  test(`a ${level} sample: banner, findings, no errors, own origin only, accessible`, async () => {
    const sample = pickSamples()[level];
    assert.ok(sample, `no ${level} sample among the fixtures`);
    const expected = sample.expected;
    const { context, page, problems } = await open();
    try {
      await loadSample(page, sample.path);
      const banner = page.locator('#result .mw-banner');
      assert.equal(await banner.getAttribute('data-level'), level);
      if (expected.banner) {
        assert.equal(await banner.locator('.mw-banner-level').textContent(), level[0].toUpperCase() + level.slice(1));
        assert.equal(await banner.locator('.mw-banner-text').textContent(), expected.banner.text);
      } else {
        assert.match(await banner.getAttribute('class'), /mw-banner--none/);
      }
      const rules = await page.locator('#result li.mw-finding').evaluateAll((els) => els.map((e) => e.dataset.rule));
      assert.deepEqual(rules, expected.findings.map((f) => f.rule));
      const titles = await page.locator('#result .mw-finding-title').allTextContents();
      assert.deepEqual(titles, expected.findings.map((f) => f.title));
      const explanations = await page.locator('#result .mw-explanation').allTextContents();
      assert.deepEqual(explanations, expected.findings.map((f) => f.explanation));
      // chars evidence: every mark is highlighted.
      const marks = expected.findings.flatMap((f) => f.evidence).filter((e) => e.kind === 'chars').flatMap((e) => e.marks);
      assert.equal(await page.locator('#result .mw-chars mark').count(), marks.length);
      const links = expected.links ?? [];
      assert.equal(await page.locator('#result .mw-links tbody tr').count(), links.length);

      await page.screenshot({ path: join(SHOTS, `${level}-light.png`), fullPage: true });
      assert.deepEqual(await axeSerious(page), [], 'axe, light theme');
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.locator('#result details.mw-technical summary').click();
      await page.screenshot({ path: join(SHOTS, `${level}-dark.png`), fullPage: true });
      assert.deepEqual(await axeSerious(page), [], 'axe, dark theme, technical section open');
      assert.deepEqual(problems.errors, [], 'console errors');
      assert.deepEqual(problems.foreign, [], 'requests to other origins');
    } finally {
      await context.close();
    }
  });
}

test('phone width: no horizontal scrolling', async () => {
  const sample = pickSamples().danger;
  const { context, page, problems } = await open({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  try {
    await loadSample(page, sample.path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
    await page.screenshot({ path: join(SHOTS, 'danger-phone.png'), fullPage: true });
    assert.deepEqual(problems.errors, []);
  } finally {
    await context.close();
  }
});

test('keyboard: a sample can be chosen and the technical section opened without a mouse', async () => {
  const sample = pickSamples().caution;
  const { context, page, problems } = await open();
  try {
    await page.goto(base);
    await page.waitForSelector('body[data-ready="true"]');
    let focused = '';
    for (let i = 0; i < 5 && focused !== 'sample'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.id ?? '');
    }
    assert.equal(focused, 'sample', 'Tab reaches the sample picker');
    await page.selectOption('#sample', sample.path); // what arrow keys + Enter do on a <select>
    await page.waitForSelector('#result .mw-banner');
    await page.focus('#result details.mw-technical summary');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('#result details.mw-technical').getAttribute('open'), '');
    assert.deepEqual(problems.errors, []);
  } finally {
    await context.close();
  }
});

test('attacker markup is shown as text and never runs (sample, file input, paste)', async () => {
  const fixture = join(FIXTURES, 'hostile/markup.eml');
  const expected = snapshot('hostile', 'markup.eml');
  const { context, page, problems } = await open();
  try {
    const check = async (how) => {
      await page.waitForSelector('#result .mw-banner');
      await page.waitForTimeout(200); // give an injected onerror handler the chance to fire
      assert.equal(await page.evaluate(() => globalThis.__pwned), undefined, `${how}: script ran`);
      assert.equal(await page.locator('#result script, #result img, #result iframe, #result a[href]').count(), 0, `${how}: markup became elements`);
      const text = await page.locator('#result').innerText();
      for (const literal of [
        '<script>window.__pwned=3</script>', // subject
        '<img src=x onerror="window.__pwned=1">', // From display name
        '<script>window.__pwned=2</script>', // Reply-To display name
      ]) {
        assert.ok(text.includes(literal), `${how}: ${literal} is not visible as text`);
      }
      for (const link of expected?.links ?? []) {
        if (link.text) assert.ok(text.includes(link.text), `${how}: link text ${link.text} is not visible`);
      }
    };
    await loadSample(page, 'samples/hostile/markup.eml');
    await check('sample');
    await page.screenshot({ path: join(SHOTS, 'hostile-markup.png'), fullPage: true });

    await page.goto(base);
    await page.waitForSelector('body[data-ready="true"]');
    await page.setInputFiles('#file', fixture);
    await check('file input');

    await page.goto(base);
    await page.waitForSelector('body[data-ready="true"]');
    await page.locator('details.paste summary').click();
    await page.fill('#source', readFileSync(fixture, 'utf8'));
    await page.click('#analyse');
    await check('paste');
    assert.deepEqual(problems.errors, []);
    assert.deepEqual(problems.foreign, []);
  } finally {
    await context.close();
  }
});
