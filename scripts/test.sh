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
cargo test --workspace --locked

step "web: wasm build, parity, demo page in Chromium"
bash scripts/test-web.sh
