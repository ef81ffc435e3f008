// wasm vs native parity: the wasm build must give byte-identical report JSON to the native
// engine for every fixture and, when present, every message of the evaluation corpus.
//
// - Fixtures: the wasm's pretty JSON must equal `<name>.expected.json` byte for byte (the
//   native snapshot, written by crates/core/tests/it/fixtures.rs from the LF form).
// - Fixtures and corpus: the same bytes go to the native CLI (`scan --jsonl`, one run) and to
//   the wasm; the wasm's JSON with whitespace outside strings removed must equal the CLI's
//   compact report byte for byte.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  ARTIFACTS, NOW, POLICY, compact, corpusDir, corpusFiles, corpusMessages, fixtures, loadWasm,
  nativeReports, toLf,
} from './lib.mjs';

const wasm = await loadWasm();

function compare(label, messages) {
  const native = nativeReports(messages);
  const failures = [];
  for (let i = 0; i < messages.length; i++) {
    const pretty = wasm.analyze(messages[i].bytes, POLICY, NOW);
    const mine = compact(pretty);
    if (native[i] === undefined) {
      failures.push(`${messages[i].source}: the CLI gave no report`);
    } else if (mine !== native[i]) {
      failures.push(`${messages[i].source}: wasm and native reports differ`);
      if (failures.length <= 5) {
        const dir = join(ARTIFACTS, 'parity');
        mkdirSync(dir, { recursive: true });
        const base = join(dir, `${label}-${i}`);
        writeFileSync(`${base}.wasm.json`, `${mine}\n`);
        writeFileSync(`${base}.native.json`, `${native[i]}\n`);
      }
    }
  }
  return failures;
}

test('fixtures: wasm JSON equals the native snapshots byte for byte', () => {
  const all = fixtures();
  assert.ok(all.length > 0, 'no fixtures found');
  let checked = 0;
  const failures = [];
  for (const f of all) {
    const expectedPath = f.path.replace(/\.eml$/, '.expected.json');
    if (!existsSync(expectedPath)) continue;
    const got = wasm.analyze(toLf(f.bytes), POLICY, NOW);
    checked++;
    if (got !== readFileSync(expectedPath, 'utf8')) failures.push(f.name);
  }
  console.log(`parity: ${checked} fixture snapshots, ${failures.length} differ`);
  assert.ok(checked > 0, 'no fixture snapshots found');
  assert.deepEqual(failures, []);
});

test('fixtures: wasm equals the native CLI byte for byte', () => {
  const msgs = fixtures().map((f) => ({ source: f.name, bytes: f.bytes }));
  const failures = compare('fixtures', msgs);
  console.log(`parity: ${msgs.length} fixtures against the CLI, ${failures.length} differ`);
  assert.deepEqual(failures, []);
});

test('corpus: wasm equals the native CLI byte for byte', (t) => {
  const dir = corpusDir();
  if (!dir) {
    // Evaluation data lives outside the repository; without it only the fixtures are compared.
    t.diagnostic('no corpus (set MAILWARD_CORPUS or provide ../shared/corpus): corpus parity not run');
    return;
  }
  const files = corpusFiles(dir);
  let total = 0;
  const failures = [];
  for (const file of files) {
    const msgs = [...corpusMessages(file)];
    const name = file.split('/').pop();
    const f = compare(name.replace(/\W+/g, '_'), msgs);
    console.log(`parity: ${name}: ${msgs.length} messages, ${f.length} differ`);
    total += msgs.length;
    failures.push(...f);
  }
  console.log(`parity: corpus total ${total} messages, ${failures.length} differ`);
  assert.ok(total > 0, 'the corpus held no messages');
  assert.deepEqual(failures.slice(0, 20), []);
});

test('errors are thrown as Error objects', () => {
  assert.throws(() => wasm.analyze(new Uint8Array(), '{"orgDomain": []}', NOW), (e) => e instanceof Error && /policy/.test(e.message));
  assert.throws(() => wasm.analyze(new Uint8Array(), null, 1.5), (e) => e instanceof Error && /nowSeconds/.test(e.message));
  assert.throws(() => wasm.analyzeParts('42', null, NOW), (e) => e instanceof Error && /parts/.test(e.message));
});

test('analyzeParts and version', () => {
  const report = JSON.parse(wasm.analyzeParts(JSON.stringify({
    headers: 'From: Megan Bowen <megan.bowen.ceo@gmail.com>\nSubject: urgent\n',
    text: 'Are you at your desk?',
  }), POLICY, NOW));
  assert.equal(report.input, 'parts');
  assert.ok(report.findings.some((f) => f.rule === 'display-name-impersonation'));
  assert.equal(wasm.version(), report.engine);
  // Without nowSeconds the JavaScript clock is used; the report is still produced.
  assert.equal(JSON.parse(wasm.analyze(new TextEncoder().encode('Subject: x\n\nhi\n'))).schemaVersion, 1);
});
