// Shared helpers for the web tests and benchmarks: paths, the built wasm, fixtures, the
// evaluation corpus (tar.gz / mbox.gz read in memory), the native CLI.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = join(ROOT, 'tests/fixtures');
export const POLICY_FILE = join(FIXTURES, 'policy.json');
export const POLICY = readFileSync(POLICY_FILE, 'utf8');
/** The fixtures' analysis clock: 2026-11-01T00:00:00Z (crates/core/tests/it/fixtures.rs). */
export const NOW = 1793491200;
export const ARTIFACTS = join(ROOT, 'tests/web/artifacts');
export const NATIVE_BIN = process.env.MAILWARD_BIN || join(ROOT, 'target/release/mailward');

/** Loads www/pkg (built by scripts/build-wasm.sh) synchronously; returns its exports. */
export async function loadWasm() {
  const pkg = join(ROOT, 'www/pkg');
  if (!existsSync(join(pkg, 'mailward_bg.wasm'))) {
    throw new Error('www/pkg is missing: run scripts/build-wasm.sh first');
  }
  const mod = await import(join(pkg, 'mailward.js'));
  mod.initSync({ module: readFileSync(join(pkg, 'mailward_bg.wasm')) });
  return mod;
}

/** Every fixture message: [{ name: 'ham/x.eml', path, bytes }], sorted. */
export function fixtures() {
  const out = [];
  for (const cat of readdirSync(FIXTURES).sort()) {
    const dir = join(FIXTURES, cat);
    if (!statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith('.eml')) continue;
      out.push({ name: `${cat}/${f}`, path: join(dir, f), bytes: readFileSync(join(dir, f)) });
    }
  }
  return out;
}

/** CRLF → LF, as the fixture runner does before comparing with `<name>.expected.json`. */
export function toLf(bytes) {
  const out = Buffer.alloc(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (!(bytes[i] === 13 && bytes[i + 1] === 10)) out[n++] = bytes[i];
  }
  return out.subarray(0, n);
}

/** The evaluation corpus directory, or null (env MAILWARD_CORPUS, else ../shared/corpus). */
export function corpusDir() {
  const dir = process.env.MAILWARD_CORPUS || join(ROOT, '../shared/corpus');
  return existsSync(dir) && statSync(dir).isDirectory() ? dir : null;
}

/** Corpus files (*.tar.gz, *.tgz, *.tar, *.mbox, *.mbox.gz), sorted. */
export function corpusFiles(dir) {
  return readdirSync(dir)
    .filter((f) => /\.(tar\.gz|tgz|tar|mbox|mbox\.gz)$/i.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Every message of a corpus file, split the way `mailward scan` documents (docs/cli.md):
 * gzip is decompressed, a tar yields its regular files (hidden names skipped), an mbox is
 * split on `From ` lines with mboxrd unquoting. Yields { source, bytes }.
 */
export function* corpusMessages(file) {
  let data = readFileSync(file);
  if (data[0] === 0x1f && data[1] === 0x8b) data = gunzipSync(data);
  const name = file.split('/').pop();
  const isTar = /\.(tar|tgz|tar\.gz)$/i.test(name) || data.subarray(257, 262).toString('latin1') === 'ustar';
  if (isTar) {
    for (const entry of tarEntries(data)) {
      if (entry.path.split('/').some((c) => c.startsWith('.'))) continue;
      yield* streamMessages(`${name}!${entry.path}`, entry.bytes);
    }
  } else {
    yield* streamMessages(name, data);
  }
}

function* streamMessages(source, bytes) {
  if (bytes.subarray(0, 5).toString('latin1') === 'From ') {
    let i = 0;
    for (const msg of mboxMessages(bytes)) yield { source: `${source}#${++i}`, bytes: msg };
  } else {
    yield { source, bytes };
  }
}

/** Regular files of a tar archive (ustar, with pax `path` and GNU long names). */
export function* tarEntries(data) {
  let off = 0;
  let longName = null;
  while (off + 512 <= data.length) {
    const h = data.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a, b) => {
      const s = h.subarray(a, b);
      const z = s.indexOf(0);
      return s.subarray(0, z < 0 ? s.length : z).toString('utf8');
    };
    const size = parseInt(str(124, 136).trim() || '0', 8);
    const type = String.fromCharCode(h[156] || 48);
    const prefix = str(345, 500);
    let path = (h.subarray(257, 262).toString('latin1') === 'ustar' && prefix ? `${prefix}/` : '') + str(0, 100);
    const body = data.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      if (m) longName = m[1];
      continue;
    }
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    if (type === 'g') continue;
    if (longName !== null) {
      path = longName;
      longName = null;
    }
    if (type === '0' || type === '\0' || type === '7') yield { path, bytes: body };
  }
}

/** Splits an mbox like crates/cli/src/sources.rs `Mbox`. */
export function* mboxMessages(bytes) {
  const lines = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 10) {
      lines.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  const isFrom = (l) => l.length >= 5 && l.subarray(0, 5).toString('latin1') === 'From ';
  let msg = null;
  const finish = (parts) => {
    let m = Buffer.concat(parts);
    const tail = m.subarray(Math.max(0, m.length - 4)).toString('latin1');
    if (tail === '\r\n\r\n') m = m.subarray(0, m.length - 2);
    else if (tail.endsWith('\n\n')) m = m.subarray(0, m.length - 1);
    return m;
  };
  for (const line of lines) {
    if (isFrom(line)) {
      if (msg) yield finish(msg);
      msg = [];
      continue;
    }
    if (!msg) continue;
    let q = 0;
    while (line[q] === 0x3e) q++;
    msg.push(q > 0 && isFrom(line.subarray(q)) ? line.subarray(1) : line);
  }
  if (msg) yield finish(msg);
}

/**
 * Runs the native CLI once over `messages` (written to a temporary directory) with the fixture
 * policy and clock; returns the compact report JSON of each message, in order, exactly as the
 * CLI printed it (`scan --jsonl` wraps it as {"source":…,"report":…}).
 */
export function nativeReports(messages) {
  if (!existsSync(NATIVE_BIN)) throw new Error(`${NATIVE_BIN} is missing: cargo build --release -p mailward-cli`);
  const dir = mkdtempSync(join(tmpdir(), 'mailward-parity-'));
  const width = String(messages.length).length;
  const names = messages.map((m, i) => {
    const p = join(dir, `${String(i).padStart(width, '0')}.eml`);
    writeFileSync(p, m.bytes);
    return p;
  });
  let out;
  try {
    out = execFileSync(NATIVE_BIN, ['scan', '--jsonl', '--now', String(NOW), '--policy', POLICY_FILE, dir], {
      maxBuffer: 1 << 30,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch (e) {
    if (e.status !== 1) { // 1: some message reached the fail level
      execFileSync('rm', ['-rf', dir]);
      throw e;
    }
    out = e.stdout;
  }
  const bySource = new Map();
  for (const line of out.toString('utf8').split('\n')) {
    if (!line) continue;
    const { source, report } = unwrapJsonl(line);
    bySource.set(source, report);
  }
  // `scan` sniffs content (a message that starts with gzip magic is read as gzip and may be
  // unreadable); `analyze` takes each file as one message, so ask it for those.
  const reports = names.map((p) => bySource.get(p) ?? nativeAnalyze(p));
  execFileSync('rm', ['-rf', dir]);
  return reports;
}

/** `mailward analyze --format json` on one file, compacted (see `compact`). */
function nativeAnalyze(path) {
  let out;
  try {
    out = execFileSync(NATIVE_BIN, ['analyze', '--format', 'json', '--now', String(NOW), '--policy', POLICY_FILE, path], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch (e) {
    if (e.status !== 1) return undefined;
    out = e.stdout;
  }
  return compact(out.toString('utf8'));
}

/** Splits a `scan --jsonl` line into its source and the report's exact bytes. */
export function unwrapJsonl(line) {
  const head = '{"source":';
  if (!line.startsWith(head)) throw new Error(`unexpected scan line: ${line.slice(0, 40)}`);
  let i = head.length + 1;
  while (line[i] !== '"') i += line[i] === '\\' ? 2 : 1;
  const source = JSON.parse(line.slice(head.length, i + 1));
  const sep = ',"report":';
  if (line.slice(i + 1, i + 1 + sep.length) !== sep || !line.endsWith('}')) {
    throw new Error(`unexpected scan line for ${source}`);
  }
  return { source, report: line.slice(i + 1 + sep.length, -1) };
}

/**
 * The compact form of pretty JSON, by removing whitespace outside strings only: string bytes
 * (and so every escape) stay exactly as the encoder wrote them.
 */
export function compact(json) {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      out += c;
      if (c === '\\') out += json[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') {
      out += c;
    }
  }
  return out;
}
