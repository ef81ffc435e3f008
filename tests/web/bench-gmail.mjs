// Benchmark (not a test): the Gmail Apps Script add-on (addin/gmail/dist/) in the same bare
// Node `vm` context as gmail.test.mjs, with fake Apps Script services. Prints, in ms:
//
// - cold start, what every Apps Script execution pays (each trigger runs in a fresh runtime):
//   loading the files, then mailwardEngine_() (base64 decode, compile, instantiate), over
//   COLD fresh contexts (default 8); the first one is also printed alone, as V8 may reuse
//   the compiled module for the later ones in the same process, which Apps Script may not;
// - per message, warm: onGmailMessageOpen (read raw → UTF-8 → analyse → card JSON →
//   CardService adapter) over every fixture, ROUNDS times (default 3) after a warm-up pass;
// - onReportPhish (re-read, analyse, base64, POST to a fake UrlFetchApp, updated card).
//
//   node tests/web/bench-gmail.mjs        (after scripts/build-gmail.sh)
import { performance } from 'node:perf_hooks';
import vm from 'node:vm';
import { gmailEvent, loadAddon } from './gmail/harness.mjs';
import { NOW, POLICY, fixtures } from './lib.mjs';

const ROUNDS = Number(process.env.ROUNDS || 3);
const COLD = Number(process.env.COLD || 8);
const props = { MAILWARD_POLICY: POLICY, MAILWARD_REPORT_URL: 'https://mailward.example/v1/reports' };
const all = fixtures();
const messages = Object.fromEntries(all.map((f, i) => [`m${i}`, f.bytes.toString('utf8')]));

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return `p50 ${q(0.5).toFixed(1)}   p95 ${q(0.95).toFixed(1)}   max ${s[s.length - 1].toFixed(1)}   (n=${s.length})`;
};

const load = [];
const init = [];
const first = [];
for (let i = 0; i < COLD; i++) {
  const t0 = performance.now();
  const addon = loadAddon({ messages, props, now: NOW * 1000 });
  const t1 = performance.now();
  vm.runInContext('mailwardEngine_()', addon.context);
  const t2 = performance.now();
  addon.run('onGmailMessageOpen', gmailEvent(`m${i % all.length}`));
  const t3 = performance.now();
  load.push(t1 - t0);
  init.push(t2 - t1);
  first.push(t3 - t0);
}

const addon = loadAddon({ messages, props, now: NOW * 1000 });
const open = [];
for (let round = 0; round <= ROUNDS; round++) {
  for (let i = 0; i < all.length; i++) {
    const t0 = performance.now();
    addon.run('onGmailMessageOpen', gmailEvent(`m${i}`));
    if (round > 0) open.push(performance.now() - t0);
  }
}
const report = [];
for (let i = 0; i < all.length; i++) {
  const t0 = performance.now();
  addon.run('onReportPhish', gmailEvent(`m${i}`));
  report.push(performance.now() - t0);
}

console.log(`Gmail add-on in a bare Node vm (${process.version}), ${all.length} fixtures:`);
console.log(`  cold: load files        ${stats(load)}`);
console.log(`  cold: engine init       ${stats(init)}`);
console.log(`  cold: open, first card  ${stats(first)}`);
console.log(`  cold, first in this process (V8 has no compiled module to reuse yet): load ${load[0].toFixed(1)}, init ${init[0].toFixed(1)}, first card ${first[0].toFixed(1)}`);
console.log(`  warm: open → card       ${stats(open)}`);
console.log(`  warm: report → card     ${stats(report)}`);
