// Benchmark (not a test): time from Office's ItemChanged to the native banner call
// (notificationMessages.replaceAsync / removeAsync) in the Outlook task pane, in Chromium with
// the stub Office host (Mailbox 1.14 path: getAsFileAsync → wasm analyze → banner), over every
// fixture, ROUNDS times (default 3) after one warm-up pass. Prints p50, p95, max.
//
//   node tests/web/bench-outlook.mjs        (after scripts/build-wasm.sh)
import { POLICY, fixtures } from './lib.mjs';
import { itemSpec, launch, openPane, settled, startOrigin } from './outlook/harness.mjs';

const ROUNDS = Number(process.env.ROUNDS || 3);
const origin = await startOrigin();
origin.state.policy = POLICY;
const browser = await launch();
try {
  const all = fixtures();
  const { page } = await openPane(browser, origin.base, { item: null }) // no fake clock: it would fake performance.now;
  await page.waitForSelector('body[data-ready="true"]');
  const times = [];
  for (let round = 0; round <= ROUNDS; round++) {
    for (const [i, f] of all.entries()) {
      const id = `${round}/${i}`;
      const ms = await page.evaluate(async (spec) => {
        const t0 = window.__stub.change(spec);
        const isBanner = (c) => c.item === spec.id && (c.api === 'replaceAsync' || c.api === 'removeAsync');
        for (;;) {
          const c = window.__stub.calls.find(isBanner);
          if (c) return c.t - t0;
          await new Promise((r) => setTimeout(r, 1));
        }
      }, itemSpec(id, f.bytes));
      await settled(page);
      if (round > 0) times.push(ms);
    }
    await page.evaluate(() => { window.__stub.calls.length = 0; });
  }
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)];
  console.log(`ItemChanged → banner call, ${all.length} fixtures × ${ROUNDS} rounds (${times.length} samples), Chromium, stub host:`);
  console.log(`  p50 ${q(0.5).toFixed(1)} ms   p95 ${q(0.95).toFixed(1)} ms   max ${times[times.length - 1].toFixed(1)} ms   (target p95 ≤ 150 ms)`);
} finally {
  await browser.close();
  await origin.close();
}
