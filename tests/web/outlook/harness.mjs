// Shared by outlook.test.mjs and bench-outlook.mjs: a local origin laid out like `mailward
// serve` (www/ at `/`, addin/ at `/addin/`, the server's Content-Security-Policy), a stub report
// endpoint at /v1/reports, policy.json under test control, and the task pane in Chromium with
// the Office.js CDN URL routed to office-stub.js.
import { once } from 'node:events';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from '../lib.mjs';

export const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';
export const STUB = readFileSync(new URL('./office-stub.js', import.meta.url), 'utf8');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png', '.xml': 'application/xml' };

/** The server's CSP, read from crates/server/src/statics.rs so the pane is tested under it. */
export function serverCsp() {
  const src = readFileSync(join(ROOT, 'crates/server/src/statics.rs'), 'utf8');
  const m = /pub const CSP: &str = "([\s\S]*?)";/.exec(src);
  if (!m) throw new Error('CSP not found in statics.rs');
  return m[1].replace(/\\\n/g, '');
}

/**
 * Starts the origin. state.policy: the text of /addin/outlook/policy.json (null: 404);
 * state.reports: 'ok' | 'down' (connection destroyed) | 'refuse' (503); state.received: bodies.
 */
export async function startOrigin() {
  const csp = serverCsp();
  const state = { policy: null, reports: 'ok', received: [] };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/v1/reports') {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        if (state.reports === 'down') return req.socket.destroy();
        const text = Buffer.concat(chunks).toString('utf8');
        state.received.push({ url: req.url, method: req.method, type: req.headers['content-type'], body: text });
        if (state.reports === 'refuse') {
          res.writeHead(503, { 'content-type': 'application/json' });
          return res.end('{"error":"storage-unavailable","message":"try later"}');
        }
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: state.received.length, duplicate: false, verdict: 'danger' }));
      });
      return;
    }
    if (url.pathname === '/addin/outlook/policy.json' && state.policy !== null) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-security-policy': csp });
      return res.end(state.policy);
    }
    const rel = url.pathname.startsWith('/addin/')
      ? join('addin', url.pathname.slice('/addin/'.length))
      : join('www', url.pathname.slice(1) || 'index.html');
    const file = normalize(join(ROOT, rel));
    let body;
    try {
      if (!file.startsWith(ROOT + '/')) throw new Error('outside');
      body = readFileSync(file);
    } catch {
      res.writeHead(404, { 'content-type': 'application/json', 'content-security-policy': csp });
      return res.end('{"error":"not-found","message":"no such resource"}');
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': csp, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
    res.end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${server.address().port}`;
  return { base, state, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** A message as the stub's item: raw base64 for 1.14, header block + HTML body for older clients. */
export function itemSpec(id, bytes, extra = {}) {
  const text = Buffer.from(bytes).toString('latin1');
  const cut = text.search(/\r?\n\r?\n/);
  const headers = cut < 0 ? text : text.slice(0, cut);
  const body = cut < 0 ? '' : text.slice(cut).replace(/^\r?\n\r?\n/, '');
  return { id, raw: Buffer.from(bytes).toString('base64'), headers, html: body,
    attachments: [], ...extra };
}

/**
 * Opens the task pane with the stub: options.mailbox ('1.14' | '1.8'), options.item (stub
 * spec or null), options.now (fixed Date, Unix seconds), options.wasm (false: no WebAssembly).
 * Returns { context, page, problems } (console errors, page errors, foreign requests).
 */
export async function openPane(browser, base, options = {}) {
  const context = await browser.newContext({ viewport: { width: 420, height: 900 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  const problems = { errors: [], foreign: [] };
  const origin = new URL(base).origin;
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === OFFICE_JS) return route.fulfill({ contentType: 'text/javascript', body: STUB });
    if (new URL(url).origin === origin) return route.continue();
    problems.foreign.push(url);
    return route.abort();
  });
  page.on('console', (m) => { if (m.type() === 'error') problems.errors.push(m.text()); });
  page.on('pageerror', (e) => problems.errors.push(String(e)));
  if (options.now != null) await page.clock.setFixedTime(new Date(options.now * 1000));
  await page.addInitScript((cfg) => {
    window.__stubConfig = cfg.stub;
    if (cfg.noWasm) delete globalThis.WebAssembly;
  }, { stub: { mailbox: options.mailbox ?? '1.14', item: options.item ?? null }, noWasm: options.wasm === false });
  await page.goto(`${base}/addin/outlook/taskpane.html`);
  return { context, page, problems };
}

/** Waits until the pane settled after the latest analysis (done, error or idle). */
export async function settled(page) {
  await page.waitForFunction(() => ['done', 'error', 'idle'].includes(document.body.dataset.state)
    && document.body.dataset.ready !== 'false');
}
