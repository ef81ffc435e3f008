// The demo page: loads the wasm engine, takes a message (sample, file, drop, paste), analyses it
// on this device and renders the report with the shared report view.
import init, { analyze, version } from './pkg/mailward.js';
import { renderReport } from './report-view.js';

const $ = (id) => document.getElementById(id);
const status = (text) => { $('status').textContent = text; };
let samples = { now: null, policy: '{}', samples: [] };

async function main() {
  await init({ module_or_path: new URL('./pkg/mailward_bg.wasm', import.meta.url) });
  $('version').textContent = version();
  try {
    const res = await fetch('samples/samples.json');
    if (res.ok) samples = await res.json();
  } catch {
    // No samples built: the page still works for dropped and pasted messages.
  }
  $('policy').value = samples.policy ?? '{}';
  $('sample-now').textContent = samples.now != null ? new Date(samples.now * 1000).toISOString() : 'none';
  fillSamples();

  $('sample').addEventListener('change', () => loadSample($('sample').value));
  $('file').addEventListener('change', async () => {
    const file = $('file').files?.[0];
    if (file) show(new Uint8Array(await file.arrayBuffer()), file.name, undefined);
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer?.files?.[0];
    if (file) show(new Uint8Array(await file.arrayBuffer()), file.name, undefined);
  });
  $('analyse').addEventListener('click', () => {
    show(new TextEncoder().encode($('source').value), 'pasted message', undefined);
  });
  document.addEventListener('paste', (e) => {
    if (e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLInputElement) return;
    const text = e.clipboardData?.getData('text/plain');
    if (text) {
      $('source').value = text;
      show(new TextEncoder().encode(text), 'pasted message', undefined);
    }
  });

  const wanted = new URLSearchParams(location.search).get('sample');
  if (wanted) {
    $('sample').value = wanted;
    await loadSample(wanted);
  } else {
    status('Ready.');
  }
  document.body.dataset.ready = 'true';
}

function fillSamples() {
  const groups = new Map();
  for (const s of samples.samples ?? []) {
    if (!groups.has(s.category)) {
      const g = document.createElement('optgroup');
      g.label = s.category;
      groups.set(s.category, g);
      $('sample').append(g);
    }
    const o = document.createElement('option');
    o.value = s.path;
    o.textContent = s.name.replace(/\.eml$/, '');
    if (s.note) o.title = s.note;
    groups.get(s.category).append(o);
  }
}

async function loadSample(path) {
  if (!path) return;
  const entry = (samples.samples ?? []).find((s) => s.path === path);
  if (!entry) {
    status('No such sample.');
    return;
  }
  const res = await fetch(entry.path);
  if (!res.ok) {
    status(`Could not load ${entry.name}.`);
    return;
  }
  show(new Uint8Array(await res.arrayBuffer()), entry.name, samples.now ?? undefined);
}

/** Analyses bytes and renders the report; `now` undefined means this device's clock. */
function show(bytes, label, now) {
  const out = $('result');
  let json;
  try {
    const t0 = performance.now();
    json = analyze(bytes, $('policy').value, now);
    const ms = performance.now() - t0;
    status(`Analysed ${label} (${bytes.length.toLocaleString('en')} bytes) in ${ms.toFixed(1)} ms.`);
  } catch (e) {
    out.replaceChildren();
    status(`Could not analyse: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  out.replaceChildren(renderReport(JSON.parse(json), { document, json }));
  out.dataset.source = label;
}

main().catch((e) => {
  status(`The engine failed to load: ${e instanceof Error ? e.message : String(e)}`);
  document.body.dataset.ready = 'error';
});
