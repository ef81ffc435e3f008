#!/usr/bin/env bash
# Every test of the project, as CI runs it (.ci/run → make test → this).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "format"
cargo fmt --all -- --check

step "clippy (native, all targets)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "clippy (core for wasm32)"
cargo clippy -p mailward-core --target wasm32-unknown-unknown --locked -- -D warnings

step "core builds for wasm32"
cargo build -p mailward-core --target wasm32-unknown-unknown --locked

step "fuzz targets build"
cargo build --manifest-path fuzz/Cargo.toml --locked

step "benches build"
cargo bench --workspace --no-run --locked

step "tests"
mkdir -p target
cargo test --workspace --locked 2>&1 | tee target/test-output.txt
# One closing line summing every test binary (the last binary is often doc-tests with 0 tests).
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } }
     END { printf "cargo: %d passed, %d failed\n", p, f }' target/test-output.txt

step "web: wasm build, parity, demo page in Chromium"
bash scripts/test-web.sh
