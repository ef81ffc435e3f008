#!/usr/bin/env bash
# Evaluates the lookalike engine (crates/core/src/lookalike) and prints a recall / false-
# positive table. Not a unit test: run it by hand after changing the engine or brand list.
#
#   scripts/eval-lookalike.sh            # from the repository root
#
# Idempotent. Installs, only when missing, into target/eval/ (nothing global):
#   - PyPI `dnstwist` in a venv (target/eval/venv); its Fuzzer generates the permutations
#     offline (the same set as `dnstwist --format list`, with each fuzzer's name as in
#     `--format csv`; the library is called directly so no DNS query is ever sent);
#   - npm `top-sites` (Moz top 500), unpacked with `npm pack` (no install scripts).
# Then runs crates/core/examples/lookalike_eval.rs over the generated lists.
set -euo pipefail
cd "$(dirname "$0")/.."
EVAL=target/eval
mkdir -p "$EVAL"

# The protected domains whose permutations are generated (≥ 50 of the most impersonated).
DOMAINS=(
  microsoft.com office365.com outlook.com sharepoint.com onedrive.com google.com gmail.com
  apple.com icloud.com amazon.com paypal.com facebook.com instagram.com whatsapp.com
  linkedin.com twitter.com tiktok.com netflix.com spotify.com dhl.com fedex.com ups.com
  usps.com royalmail.com dpd.com docusign.com adobe.com dropbox.com wetransfer.com zoom.us
  salesforce.com okta.com github.com intuit.com yahoo.com chase.com bankofamerica.com
  wellsfargo.com citibank.com capitalone.com americanexpress.com mastercard.com visa.com
  hsbc.com barclays.co.uk lloydsbank.co.uk santander.com coinbase.com binance.com kraken.com
  metamask.io ebay.com walmart.com costco.com booking.com airbnb.com steampowered.com
  roblox.com irs.gov
)

if [ ! -x "$EVAL/venv/bin/python" ] || ! "$EVAL/venv/bin/python" -c 'import dnstwist' 2>/dev/null; then
  python3 -m venv "$EVAL/venv"
  "$EVAL/venv/bin/pip" install --quiet dnstwist
fi

if [ ! -f "$EVAL/top-sites/package/top-sites.json" ]; then
  mkdir -p "$EVAL/top-sites"
  (cd "$EVAL/top-sites" && npm pack --silent top-sites >/dev/null && tar xzf top-sites-*.tgz)
fi

"$EVAL/venv/bin/python" - "${DOMAINS[@]}" > "$EVAL/permutations.tsv" <<'PY'
import sys, dnstwist
for d in sys.argv[1:]:
    f = dnstwist.Fuzzer(d)
    f.generate()
    for p in sorted(f.domains, key=lambda p: (p['fuzzer'], p['domain'])):
        print(f"{d}\t{p['fuzzer']}\t{p['domain']}")
PY

python3 - "$EVAL/top-sites/package/top-sites.json" > "$EVAL/top-sites.txt" <<'PY'
import json, sys
for site in json.load(open(sys.argv[1])):
    print(site["rootDomain"].lower())
PY

dnstwist_version=$("$EVAL/venv/bin/python" -c 'import dnstwist; print(dnstwist.__version__)')
top_version=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$EVAL/top-sites/package/package.json")
echo "dnstwist $dnstwist_version, top-sites $top_version, ${#DOMAINS[@]} protected domains"
cargo run --quiet --release -p mailward-core --example lookalike_eval -- \
  "$EVAL/permutations.tsv" "$EVAL/top-sites.txt" "${EVAL_VERBOSE:-}"
