#!/usr/bin/env bash
# Idempotent set-up for a fresh machine: everything the build and tests need, skipping what is
# already present. Called by `make demo` and `make test` (and so by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

have() { command -v "$1" >/dev/null 2>&1; }

# Rust toolchain and the wasm target pinned in rust-toolchain.toml (rustup installs on first use).
if ! have cargo; then
  echo "setup: cargo not found; install rustup first" >&2
  exit 2
fi
toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
if ! rustup target list --installed --toolchain "$toolchain" 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding wasm32-unknown-unknown to $toolchain"
  rustup target add --toolchain "$toolchain" wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed --toolchain "$toolchain" 2>/dev/null | grep -q "^$component"; then
    rustup component add --toolchain "$toolchain" "$component"
  fi
done
echo "setup: ok"
