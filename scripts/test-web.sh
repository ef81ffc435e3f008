#!/usr/bin/env bash
# The web checks (called by scripts/test.sh): clippy of the wasm crate for wasm32, the wasm
# build with its size budget, wasm/native parity over the fixtures and the evaluation corpus
# (when present), the demo page and the Outlook task pane in headless Chromium, the Outlook
# spam-reporting handler (Node), the Outlook manifests (offline validation) and the Gmail Apps
# Script add-on (built by scripts/build-gmail.sh, run in a Node vm without TextEncoder or fetch).
# Idempotent set-up: Debian chromium and the npm packages of tests/web (from its
# package-lock.json) are installed when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; elif have sudo; then sudo "$@"; else "$@"; fi; }

step "clippy (wasm crate for wasm32)"
cargo clippy -p mailward-wasm --target wasm32-unknown-unknown --locked -- -D warnings

step "wasm build (scripts/build-wasm.sh)"
bash scripts/build-wasm.sh

step "Gmail add-on build (scripts/build-gmail.sh)"
bash scripts/build-gmail.sh

step "native CLI for parity"
# The debug build that `cargo test` already made: parity needs the same output, not speed,
# and a release build of the CLI (with the server) would add minutes to CI.
cargo build --locked -p mailward-cli
export MAILWARD_BIN=${MAILWARD_BIN:-$PWD/target/debug/mailward}

step "web test set-up"
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "test-web: installing Debian chromium"
  sudo_ apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive sudo_ apt-get install -y -qq chromium >/dev/null
fi
if ! have xmllint; then # the well-formedness check of the XML add-in manifest
  echo "test-web: installing Debian libxml2-utils (xmllint)"
  sudo_ apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive sudo_ apt-get install -y -qq libxml2-utils >/dev/null
fi
have node || { echo "test-web: node (>= 20) is required" >&2; exit 2; }
if [ ! -f tests/web/node_modules/.package-lock.json ] ||
   [ tests/web/package-lock.json -nt tests/web/node_modules/.package-lock.json ]; then
  (cd tests/web && npm ci --no-audit --no-fund)
fi
echo "test-web: ok"

step "wasm/native parity, the demo page and the Outlook add-in in Chromium, the manifests, the Gmail add-on"
cd tests/web
CHROMIUM=$chromium node --test --test-concurrency=1 parity.test.mjs browser.test.mjs \
  outlook.test.mjs handler.test.mjs manifest.test.mjs gmail.test.mjs
