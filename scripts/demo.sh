#!/usr/bin/env bash
# The main job: build everything and analyse the bundled sample messages.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked -p mailward-cli
bin=target/release/mailward
policy=tests/fixtures/policy.json

echo
echo "==> Reports for the bundled samples (policy: $policy)"
for f in tests/fixtures/phish/*.eml tests/fixtures/ham/*.eml; do
  [ -e "$f" ] || continue
  echo "----- $f"
  "$bin" analyze --policy "$policy" "$f" || true
done

echo
echo "==> Scan summary over every fixture"
"$bin" scan --policy "$policy" tests/fixtures || true

echo
echo "==> The demo page (WebAssembly build)"
bash scripts/serve-demo.sh
