// Benchmark (figures, not a test): per-message analysis time of the wasm build under Node and in
// Chromium against the native engine on the same messages, and module instantiation time.
// Run by scripts/bench-wasm.sh after the wasm and the native example are built.
//
// Messages: every fixture plus up to MAILWARD_BENCH_PER_FILE (default 400) messages of each
// corpus file when the corpus is present. Each side does a warm-up round and then ROUNDS timed
// rounds over all messages (analysis + report JSON); the median round is reported.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { ARTIFACTS, NOW, POLICY, POLICY_FILE, ROOT, corpusDir, corpusFiles, corpusMessages, fixtures } from './lib.mjs';

const ROUNDS = Number(process.env.MAILWARD_BENCH_ROUNDS || 5);
const PER_FILE = Number(process.env.MAILWARD_BENCH_PER_FILE || 400);
const PKG = join(ROOT, 'www/pkg');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 1. The messages.
const messages = fixtures().map((f) => f.bytes);
const dir = corpusDir();
if (dir) {
  for (const file of corpusFiles(dir)) {
    let n = 0;
    for (const m of corpusMessages(file)) {
      if (n++ >= PER_FILE) break;
      messages.push(m.bytes);
    }
  }
} else {
  console.log('bench: no corpus (MAILWARD_CORPUS or ../shared/corpus); fixtures only');
}
const totalBytes = messages.reduce((a, m) => a + m.length, 0);
console.log(`bench: ${messages.length} messages, ${(totalBytes / 1e6).toFixed(1)} MB, ${ROUNDS} rounds (median)`);

// 2. Native (crates/wasm/examples/bench_native.rs) on the same bytes.
const tmp = mkdtempSync(join(tmpdir(), 'mailward-bench-'));
const width = String(messages.length).length;
messages.forEach((m, i) => writeFileSync(join(tmp, `${String(i).padStart(width, '0')}.eml`), m));
const nativeBin = join(ROOT, 'target/release/examples/bench_native');
const native = JSON.parse(execFileSync(nativeBin, [POLICY_FILE, String(NOW), String(ROUNDS), tmp]).toString());
rmSync(tmp, { recursive: true, force: true });

// 3. wasm under Node: instantiation (fresh module instances), then analysis.
const wasmBytes = readFileSync(join(PKG, 'mailward_bg.wasm'));
const jsUrl = pathToFileURL(join(PKG, 'mailward.js')).href;
const inits = [];
let compileMs;
{
  const t0 = performance.now();
  await WebAssembly.compile(wasmBytes);
  compileMs = performance.now() - t0;
}
let wasm;
for (let i = 0; i < 5; i++) {
  const mod = await import(`${jsUrl}?instance=${i}`);
  const t0 = performance.now();
  mod.initSync({ module: wasmBytes });
  inits.push(performance.now() - t0);
  wasm = mod;
}
function rounds(analyze) {
  let sink = 0;
  for (const m of messages) sink += analyze(m, POLICY, NOW).length;
  const times = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    for (const m of messages) sink += analyze(m, POLICY, NOW).length;
    times.push(performance.now() - t0);
  }
  return { roundMs: median(times), sink };
}
const node = rounds(wasm.analyze);

// 4. wasm in Chromium: the page origin is served from disk by Playwright (no server needed).
const ORIGIN = 'http://mailward.bench';
const packed = Buffer.concat(messages.flatMap((m) => {
  const len = Buffer.alloc(4);
  len.writeUInt32LE(m.length);
  return [len, m];
}));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let chrome;
try {
  const page = await browser.newPage();
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench</title>' });
    if (path === '/messages.bin') return route.fulfill({ contentType: 'application/octet-stream', body: packed });
    if (path.startsWith('/pkg/')) {
      const file = join(PKG, path.slice(5));
      const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
      return route.fulfill({ contentType: type, body: readFileSync(file) });
    }
    return route.fulfill({ status: 404, body: '' });
  });
  await page.goto(`${ORIGIN}/`);
  chrome = await page.evaluate(async ({ policy, now, rounds }) => {
    const buf = new Uint8Array(await (await fetch('/messages.bin')).arrayBuffer());
    const msgs = [];
    for (let off = 0; off < buf.length;) {
      const len = buf[off] | (buf[off + 1] << 8) | (buf[off + 2] << 16) | (buf[off + 3] << 24);
      msgs.push(buf.subarray(off + 4, off + 4 + len));
      off += 4 + len;
    }
    const wasmBytes = await (await fetch('/pkg/mailward_bg.wasm')).arrayBuffer();
    // Streaming instantiation from the network (what the page does), first time.
    const mod = await import('/pkg/mailward.js');
    let t0 = performance.now();
    await mod.default({ module_or_path: '/pkg/mailward_bg.wasm' });
    const streamingInitMs = performance.now() - t0;
    // Compile + instantiate from bytes already in memory, fresh instances.
    const inits = [];
    for (let i = 0; i < 5; i++) {
      const fresh = await import(`/pkg/mailward.js?instance=${i}`);
      t0 = performance.now();
      await fresh.default({ module_or_path: wasmBytes });
      inits.push(performance.now() - t0);
    }
    let sink = 0;
    for (const m of msgs) sink += mod.analyze(m, policy, now).length;
    const times = [];
    for (let r = 0; r < rounds; r++) {
      t0 = performance.now();
      for (const m of msgs) sink += mod.analyze(m, policy, now).length;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    inits.sort((a, b) => a - b);
    return { roundMs: times[Math.floor(times.length / 2)], streamingInitMs, initMs: inits[Math.floor(inits.length / 2)], sink, count: msgs.length };
  }, { policy: POLICY, now: NOW, rounds: ROUNDS });
  if (chrome.count !== messages.length) throw new Error('Chromium received a different message count');
} finally {
  await browser.close();
}

// 5. Figures.
const n = messages.length;
const us = (ms) => (ms * 1000) / n;
const nativeUs = native.usPerMessage;
const nodeUs = us(node.roundMs);
const chromeUs = us(chrome.roundMs);
const figures = {
  messages: n,
  megabytes: +(totalBytes / 1e6).toFixed(2),
  usPerMessage: { native: +nativeUs.toFixed(1), wasmNode: +nodeUs.toFixed(1), wasmChromium: +chromeUs.toFixed(1) },
  ratio: { node: +(nodeUs / nativeUs).toFixed(2), chromium: +(chromeUs / nativeUs).toFixed(2) },
  instantiationMs: {
    nodeCompile: +compileMs.toFixed(1),
    nodeInitSyncFirst: +inits[0].toFixed(1),
    nodeInitSyncMedian: +median(inits).toFixed(1),
    chromiumStreamingFirst: +chrome.streamingInitMs.toFixed(1),
    chromiumFromBytesMedian: +chrome.initMs.toFixed(1),
  },
};
const row = (label, v, r) => console.log(`  ${label.padEnd(24)} ${v.toFixed(1).padStart(8)} µs/message${r ? `   ${r.toFixed(2)}× native` : ''}`);
console.log('Per-message analysis (analyze + report JSON), median of rounds:');
row('native (release)', nativeUs);
row('wasm, Node ' + process.versions.node, nodeUs, nodeUs / nativeUs);
row('wasm, Chromium', chromeUs, chromeUs / nativeUs);
console.log('Module instantiation:');
console.log(`  Node: WebAssembly.compile ${figures.instantiationMs.nodeCompile} ms; initSync (compile + instantiate) first ${figures.instantiationMs.nodeInitSyncFirst} ms, median ${figures.instantiationMs.nodeInitSyncMedian} ms`);
console.log(`  Chromium: streaming from the server, first ${figures.instantiationMs.chromiumStreamingFirst} ms; from bytes in memory, median ${figures.instantiationMs.chromiumFromBytesMedian} ms`);
console.log(`Target: wasm ≤ 2× native. ${figures.ratio.node <= 2 && figures.ratio.chromium <= 2 ? 'Met.' : 'NOT met.'}`);
mkdirSync(ARTIFACTS, { recursive: true });
writeFileSync(join(ARTIFACTS, 'bench.json'), `${JSON.stringify(figures, null, 2)}\n`);
