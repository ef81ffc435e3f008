// The Outlook task pane: analyses the open message on this device with the wasm engine, shows
// the native banner and the explanation (the shared report view of the demo page), and sends a
// report on request. Office.js is touched only through ./office-host.js.
//
// Paths follow `mailward serve`: www/ at `/`, addin/ at `/addin/`, so this page is
// /addin/outlook/taskpane.html and the engine and renderer are /pkg/… and /report-view.js.
import * as host from './office-host.js';

const $ = (id) => document.getElementById(id);
const status = (text) => { $('status').textContent = text; };
const PATH_WORDS = {
  raw: 'the full message (Mailbox 1.14)',
  parts: 'the headers, HTML body and attachment list (this Outlook cannot hand over the full message)',
};
/** Defaults when policy.json is absent: the engine's default policy, reports to our server. */
const DEFAULT_REPORT_URL = '/v1/reports';

let engine = null; // { analyze, analyzeParts, version }
let renderReport = null;
let settings = { policyJson: '{}', reportUrl: DEFAULT_REPORT_URL, source: 'built-in defaults' };
let generation = 0; // bumped on every ItemChanged; stale analyses are dropped
let current = null; // { item, base64?, report }

/** WebAssembly as the engine needs it (instantiate from bytes, and streaming or not). */
export function wasmSupported() {
  return typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function' &&
    typeof WebAssembly.Module === 'function';
}

/**
 * policy.json next to this page: the engine policy, plus the add-in's own `report` key
 * (`{ "url": "/v1/reports" }`), which is taken out before the engine sees it. Absent (404) means
 * built-in defaults; present but broken is an error worth showing.
 */
async function loadSettings() {
  let res;
  try {
    res = await fetch(new URL('policy.json', import.meta.url), { cache: 'no-store' });
  } catch {
    return settings;
  }
  if (res.status === 404) return settings;
  if (!res.ok) throw new Error(`policy.json: HTTP ${res.status}`);
  let policy;
  try {
    policy = await res.json();
  } catch (e) {
    throw new Error(`policy.json is not JSON: ${e.message}`);
  }
  if (!policy || typeof policy !== 'object' || Array.isArray(policy)) throw new Error('policy.json must be a JSON object');
  const { report, ...engineOnly } = policy;
  const reportUrl = typeof report?.url === 'string' && report.url ? report.url : DEFAULT_REPORT_URL;
  return { policyJson: JSON.stringify(engineOnly), reportUrl, source: 'policy.json' };
}

async function loadEngine() {
  const [pkg, view] = await Promise.all([
    import(new URL('../../pkg/mailward.js', import.meta.url)),
    import(new URL('../../report-view.js', import.meta.url)),
  ]);
  await pkg.default({ module_or_path: new URL('../../pkg/mailward_bg.wasm', import.meta.url) });
  engine = pkg;
  renderReport = view.renderReport;
}

function base64ToBytes(b64) {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function clearResult(text) {
  $('result').replaceChildren();
  $('report').disabled = true;
  current = null;
  status(text);
}

/** Analyses the open message; on ItemChanged the previous run, if still going, is dropped. */
async function analyseCurrent() {
  const mine = ++generation;
  const item = host.currentItem();
  document.body.dataset.state = 'busy';
  $('report-status').textContent = '';
  if (!item) {
    clearResult('No message is open. Select a message to analyse it.');
    document.body.dataset.state = 'idle';
    return;
  }
  status('Analysing this message on your device…');
  let input;
  try {
    input = await host.readMessage(item);
  } catch (e) {
    if (mine !== generation) return;
    clearResult(`Could not read this message from Outlook: ${e.message}`);
    document.body.dataset.state = 'error';
    return;
  }
  if (mine !== generation) return;
  let json;
  try {
    json = input.path === 'raw'
      ? engine.analyze(base64ToBytes(input.base64), settings.policyJson)
      : engine.analyzeParts(JSON.stringify(input.parts), settings.policyJson);
  } catch (e) {
    clearResult(`Could not analyse this message: ${e instanceof Error ? e.message : String(e)}`);
    document.body.dataset.state = 'error';
    return;
  }
  const report = JSON.parse(json);
  current = { item, base64: input.base64 ?? null, report };
  let bannerNote = '';
  try {
    await host.showBanner(item, report);
  } catch (e) {
    bannerNote = ` The Outlook banner could not be shown: ${e.message}`;
  }
  if (mine !== generation) return;
  const result = $('result');
  result.replaceChildren(renderReport(report, { document, json }));
  result.dataset.path = input.path;
  result.dataset.level = report.verdict.level;
  status(`Analysed on this device from ${PATH_WORDS[input.path]}, with ${settings.source}.${bannerNote}`);
  $('report').disabled = false;
  document.body.dataset.state = 'done';
}

/** The "Report phishing" button: POSTs the raw message to the policy's report endpoint. */
async function reportCurrent() {
  const out = $('report-status');
  if (!current) return;
  const { item, report } = current;
  $('report').disabled = true;
  out.textContent = 'Sending the report…';
  try {
    const base64 = current.base64 ?? (host.supportsRaw(item) ? await host.rawBase64(item) : null);
    if (!base64) {
      throw new Error('this Outlook cannot hand over the full message; use Report in Outlook\'s ribbon instead');
    }
    const body = {
      raw: base64,
      reporter: host.userAddress(),
      clientVerdict: report.verdict.level,
      reasons: ['reported-from-task-pane'],
    };
    const comment = $('comment').value.trim();
    if (comment) body.comment = comment.slice(0, 4000);
    let res;
    try {
      res = await fetch(new URL(settings.reportUrl, location.href), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch {
      throw new Error('the report server could not be reached');
    }
    if (!res.ok) {
      let detail = `HTTP ${res.status}`;
      try { detail = (await res.json()).message ?? detail; } catch { /* not JSON */ }
      throw new Error(`the report server refused it (${detail})`);
    }
    const answer = await res.json().catch(() => ({}));
    out.textContent = answer.duplicate
      ? 'You had already reported this message. Thank you.'
      : 'Reported to your security team. Thank you.';
    out.dataset.outcome = 'sent';
  } catch (e) {
    out.textContent = `The report was not sent: ${e.message}.`;
    out.dataset.outcome = 'failed';
    $('report').disabled = false;
  }
}

async function main() {
  if (!wasmSupported()) {
    status('This Outlook cannot run Mailward: its browser engine has no WebAssembly. ' +
      'Update Outlook (or Microsoft Edge WebView2), or ask your IT team.');
    document.body.dataset.ready = 'no-wasm';
    return;
  }
  await host.ready();
  settings = await loadSettings();
  await loadEngine();
  $('version').textContent = engine.version();
  $('report').addEventListener('click', () => { reportCurrent(); });
  await host.onItemChanged(() => { analyseCurrent(); });
  document.body.dataset.ready = 'true';
  await analyseCurrent();
}

main().catch((e) => {
  status(`Mailward could not start: ${e instanceof Error ? e.message : String(e)}`);
  document.body.dataset.ready = 'error';
});
