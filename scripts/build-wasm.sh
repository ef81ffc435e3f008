#!/usr/bin/env bash
# Builds the WebAssembly engine for web pages into www/pkg/ (gitignored) and copies sample
# messages into www/samples/ (gitignored). Idempotent: installs what is missing (the wasm
# target, wasm-bindgen-cli at exactly the version in Cargo.lock, wasm-opt from Debian's
# binaryen, a brotli encoder) and skips what is present. Prints raw, gzip and brotli sizes and
# fails when the gzip size is over the budget.
#
#   scripts/build-wasm.sh            # build, optimise, report sizes
#   MAILWARD_WASM_NO_OPT=1 ...       # skip wasm-opt (faster; not what ships)
set -euo pipefail
cd "$(dirname "$0")/.."

BUDGET_GZIP=$((600 * 1024)) # bytes; the product target is 300 KB
out=www/pkg
have() { command -v "$1" >/dev/null 2>&1; }
say() { printf 'build-wasm: %s\n' "$*"; }
sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; elif have sudo; then sudo "$@"; else "$@"; fi; }
apt_updated=
apt_install() {
  have apt-get || { say "apt-get not available to install $*"; return 1; }
  if [ -z "$apt_updated" ]; then
    sudo_ apt-get update -qq >/dev/null && apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive sudo_ apt-get install -y -qq "$@" >/dev/null
}
export PATH="$HOME/.cargo/bin:$PATH"

# 1. The Rust target (rust-toolchain.toml names it; rustup adds it on first use, or here).
toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
if ! rustup target list --installed --toolchain "$toolchain" 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding wasm32-unknown-unknown to $toolchain"
  rustup target add --toolchain "$toolchain" wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli, exactly the wasm-bindgen version Cargo.lock resolves (the crate pins it
# with `=`). No --locked: its lockfile names a crate version the registry does not serve.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$want" ] || { say "wasm-bindgen not found in Cargo.lock" >&2; exit 2; }
have_ver=$( (wasm-bindgen --version 2>/dev/null || true) | awk '{print $2}')
if [ "$have_ver" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (found '${have_ver:-none}'; takes a few minutes)"
  cargo install wasm-bindgen-cli --version "$want"
fi

# 3. wasm-opt (Debian binaryen; npm binaryen would do as well).
if ! have wasm-opt; then
  say "installing binaryen (wasm-opt)"
  apt_install binaryen || { say "could not install binaryen" >&2; exit 2; }
fi

# 4. A brotli encoder, for the size report only: the `brotli` command or Python's module.
brotli_size() { # FILE -> bytes, or nothing
  if have brotli; then
    brotli -q 11 -c "$1" | wc -c
  elif python3 -c 'import brotli' 2>/dev/null; then
    python3 -c 'import brotli,sys; print(len(brotli.compress(open(sys.argv[1],"rb").read(), quality=11)))' "$1"
  fi
}
if ! have brotli && ! python3 -c 'import brotli' 2>/dev/null; then
  say "installing brotli (for the size report)"
  apt_install brotli || python3 -m pip install -q brotli 2>/dev/null ||
    say "no brotli encoder available; the brotli size will be skipped"
fi

# 5. Compile, bind, optimise.
say "cargo build (profile wasm-release)"
cargo build -p mailward-wasm --target wasm32-unknown-unknown --profile wasm-release --locked
raw=target/wasm32-unknown-unknown/wasm-release/mailward_wasm.wasm
rm -rf "$out"
mkdir -p "$out"
input=$raw
if [ -z "${MAILWARD_WASM_NO_OPT:-}" ]; then
  # wasm-opt runs on rustc's output, *before* wasm-bindgen: Debian's binaryen 108 rewrites the
  # externref table wasm-bindgen adds into an `anyref` table that engines reject. The feature
  # flags are the post-MVP features Rust's wasm32 target enables; binaryen 108 needs them named.
  # `--converge` repeats the passes until the module stops shrinking (about 2 KB gzip, ten
  # seconds more).
  wasm-opt "-${MAILWARD_WASM_OPT:-Oz}" --converge --strip-debug --strip-producers \
    --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
    -o "$out/opt.wasm" "$raw"
  input=$out/opt.wasm
fi
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name mailward "$input"
# The Gmail add-on build (scripts/build-gmail.sh) binds the same optimised module for a
# non-module target instead of compiling and optimising it again.
mkdir -p target/mailward-wasm
cp "$input" target/mailward-wasm/bindgen-input.wasm
rm -f "$out/opt.wasm"
# Node treats the generated .js as an ES module only with this marker.
printf '{ "type": "module" }\n' >"$out/package.json"
wasm=$out/mailward_bg.wasm

# 6. Sample messages for the demo page: a few fixture categories, and a list of them.
samples=www/samples
rm -rf "$samples"
mkdir -p "$samples"
python3 - "$samples" <<'PY'
import json, os, shutil, sys
out = sys.argv[1]
root = "tests/fixtures"
# The samples: every message of these categories, and from the others those whose intent is
# a caution verdict (so each level has examples).
whole = ["ham", "phish", "hostile"]
items = []
cats = whole + sorted(c for c in os.listdir(root) if c not in whole)
for cat in cats:
    d = os.path.join(root, cat)
    prov = os.path.join(d, "PROVENANCE")
    if not os.path.exists(prov):
        continue
    notes, levels = {}, {}
    for line in open(prov, encoding="utf-8"):
        if ":" in line and not line.startswith("#"):
            name, rest = line.split(":", 1)
            note, _, expects = rest.partition("| expects:")
            notes[name.strip()] = note.strip()
            levels[name.strip()] = (expects.split() or ["any"])[0]
    for name in sorted(os.listdir(d)):
        if not name.endswith(".eml"):
            continue
        if cat not in whole and levels.get(name) != "caution":
            continue
        os.makedirs(os.path.join(out, cat), exist_ok=True)
        shutil.copyfile(os.path.join(d, name), os.path.join(out, cat, name))
        items.append({"category": cat, "name": name, "path": f"samples/{cat}/{name}",
                      "note": notes.get(name, ""), "expects": levels.get(name, "any")})
# The fixtures' policy and clock (tests/fixtures/README.md), so the page shows the snapshots.
doc = {"now": 1793491200, "policy": open(os.path.join(root, "policy.json"), encoding="utf-8").read(),
       "samples": items}
with open(os.path.join(out, "samples.json"), "w", encoding="utf-8") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
print(f"build-wasm: {len(items)} sample messages in {out}/")
PY

# 7. Sizes.
bytes_raw=$(wc -c <"$wasm")
bytes_gz=$(gzip -9 -c "$wasm" | wc -c)
bytes_br=$(brotli_size "$wasm" || true)
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1024 }'; }
if [ -n "$bytes_br" ]; then br=$(kb "$bytes_br"); else br="skipped (no encoder)"; fi
say "$wasm: raw $(kb "$bytes_raw"), gzip $(kb "$bytes_gz"), brotli $br"
say "budget: gzip ≤ $(kb "$BUDGET_GZIP") (product target 300 KB)"

# 8. What costs the most (optional: `cargo install twiggy`), on rustc's output with its names.
if have twiggy; then
  say "largest items before wasm-opt (twiggy top):"
  twiggy top -n 8 "$raw" | cut -c1-120
else
  say "for a size breakdown: cargo install twiggy"
fi

if [ "$bytes_gz" -gt "$BUDGET_GZIP" ]; then
  say "over budget" >&2
  exit 1
fi
