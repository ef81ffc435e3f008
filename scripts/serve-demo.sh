#!/usr/bin/env bash
# Builds the wasm and the samples (scripts/build-wasm.sh) and the Gmail add-on bundle
# (scripts/build-gmail.sh, addin/gmail/dist/ for clasp push), and serves www/ on localhost until
# interrupted. PORT (default 8080; 0 picks a free one) and HOST (default 127.0.0.1) can be set;
# `--no-build` serves what is already built.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != "--no-build" ]; then
  bash scripts/build-wasm.sh
  bash scripts/build-gmail.sh
fi
exec python3 - "${HOST:-127.0.0.1}" "${PORT:-8080}" www <<'PY'
import functools, http.server, sys

host, port, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]

class Handler(http.server.SimpleHTTPRequestHandler):
    # Older Pythons lack the wasm type; browsers refuse streaming compilation without it.
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript",
                      ".mjs": "text/javascript", ".json": "application/json",
                      ".eml": "message/rfc822"}

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, fmt, *args):  # quiet: paths only on errors
        if len(args) > 1 and str(args[1]).startswith(("4", "5")):
            super().log_message(fmt, *args)

server = http.server.ThreadingHTTPServer((host, port), functools.partial(Handler, directory=root))
print(f"Serving the demo page at http://{host}:{server.server_address[1]}/  (Ctrl-C to stop)", flush=True)
try:
    server.serve_forever()
except KeyboardInterrupt:
    pass
PY
