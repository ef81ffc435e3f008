#!/usr/bin/env bash
# Benchmark of the wasm build against the native engine (figures, not a test; not in make test):
# per-message analysis time in wasm under Node and in Chromium vs native on the same messages,
# and module instantiation time. Figures also go to tests/web/artifacts/bench.json.
#   MAILWARD_BENCH_ROUNDS (default 5), MAILWARD_BENCH_PER_FILE (corpus messages per file, 400),
#   MAILWARD_CORPUS (default ../shared/corpus).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build-wasm.sh
cargo build --release --locked -p mailward-wasm --example bench_native
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "bench-wasm: chromium missing; run scripts/test-web.sh once" >&2; exit 2; }
if [ ! -f tests/web/node_modules/.package-lock.json ]; then
  (cd tests/web && npm ci --no-audit --no-fund)
fi
echo
node tests/web/bench.mjs
