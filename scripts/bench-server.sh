#!/usr/bin/env bash
# Load benchmark of `mailward serve` (not a test): builds the release binary, starts the
# server on loopback with a temporary data directory, POSTs every corpus message
# (tests/fixtures/**/*.eml, round-robin, as message/rfc822) to /v1/analyze with wrk for a
# bounded time, then prints requests/s, latency percentiles, the error count and the
# server's peak RSS, next to the CLI's throughput on the same messages. Stops by itself.
#
#   scripts/bench-server.sh                      # 60 s, 1 wrk thread, 8 connections
#   BENCH_SECONDS=20 BENCH_CONNECTIONS=16 scripts/bench-server.sh
#
# Needs wrk (Debian: apt-get install wrk). Loopback only: client and server share the CPU.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${BENCH_SECONDS:-60}
threads=${BENCH_THREADS:-1}
connections=${BENCH_CONNECTIONS:-8}
cli_passes=${BENCH_CLI_PASSES:-20}

for tool in wrk curl; do
  if ! command -v "$tool" >/dev/null; then
    echo "bench-server: $tool is missing (Debian/Ubuntu: sudo apt-get install $tool)" >&2
    exit 2
  fi
done

cargo build --release --locked -p mailward-cli
bin=$PWD/target/release/mailward

work=$(mktemp -d "${TMPDIR:-/tmp}/mailward-bench.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

find tests/fixtures -name '*.eml' | sort >"$work/corpus.txt"
count=$(wc -l <"$work/corpus.txt")
bytes=$(xargs cat <"$work/corpus.txt" | wc -c)
echo "==> corpus: $count messages, $bytes bytes (tests/fixtures)"

# The server: an ephemeral port, read from its first line.
MAILWARD_LOG=warn "$bin" serve --listen 127.0.0.1:0 --data-dir "$work/data" \
  >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
addr=
for _ in $(seq 1 100); do
  addr=$(sed -n 's|^mailward: serving on http://||p' "$work/serve.out" | head -n1)
  [ -n "$addr" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
  sleep 0.1
done
[ -n "$addr" ] || { echo "bench-server: the server did not start" >&2; exit 1; }
echo "==> server: pid $server_pid on http://$addr"

# Messages the API refuses by design (422 not-a-message: no header block) are left out, so
# every error below is a real one.
: >"$work/load.txt"
while read -r f; do
  code=$(curl -s -o /dev/null -w '%{http_code}' --data-binary "@$f" \
    -H 'Content-Type: message/rfc822' "http://$addr/v1/analyze")
  if [ "$code" = 200 ]; then echo "$f" >>"$work/load.txt"; else echo "    left out ($code): $f"; fi
done <"$work/corpus.txt"
echo "==> load corpus: $(wc -l <"$work/load.txt") messages"

cat >"$work/analyze.lua" <<'LUA'
-- Round-robin over the corpus; every thread loads it once.
local bodies = {}
local next_body = 1

function init(args)
  for path in io.lines(args[1]) do
    local f = assert(io.open(path, "rb"))
    bodies[#bodies + 1] = f:read("*a")
    f:close()
  end
end

function request()
  local body = bodies[next_body]
  next_body = next_body % #bodies + 1
  return wrk.format("POST", "/v1/analyze", {["Content-Type"] = "message/rfc822"}, body)
end

-- Non-2xx answers are errors too (wrk counts them in status).
function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write("\n==> results\n")
  io.write(string.format("requests      %d in %.1f s\n", summary.requests, secs))
  io.write(string.format("requests/s    %.1f\n", summary.requests / secs))
  io.write(string.format("latency p50   %.2f ms\n", latency:percentile(50) / 1000))
  io.write(string.format("latency p90   %.2f ms\n", latency:percentile(90) / 1000))
  io.write(string.format("latency p99   %.2f ms\n", latency:percentile(99) / 1000))
  io.write(string.format("latency p99.9 %.2f ms\n", latency:percentile(99.9) / 1000))
  io.write(string.format("latency max   %.2f ms\n", latency.max / 1000))
  io.write(string.format("errors        %d (connect %d, read %d, write %d, timeout %d, non-2xx %d)\n",
    e.connect + e.read + e.write + e.timeout + e.status,
    e.connect, e.read, e.write, e.timeout, e.status))
end
LUA

# Warm-up.
wrk -t1 -c1 -d1s --timeout 10s -s "$work/analyze.lua" "http://$addr" -- "$work/load.txt" >/dev/null

echo "==> wrk: ${seconds}s, $threads thread(s), $connections connections, POST /v1/analyze"
timeout $((seconds + 60)) wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 10s \
  -s "$work/analyze.lua" "http://$addr" -- "$work/load.txt" | tee "$work/wrk.out"

rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status")
hwm_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$server_pid/status")
echo "server RSS    $((rss_kb / 1024)) MiB now, $((hwm_kb / 1024)) MiB peak (VmHWM)"
analysed=$(curl -s "http://$addr/metrics" 2>/dev/null | awk '/^mailward_analyses_total/ {n += $2} END {print n + 0}' || true)
echo "server counted $analysed analyses (/metrics, warm-up included)"

kill "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=

# The CLI on the same messages: one process, one thread (analyze) and all cores (scan).
mapfile -t files <"$work/load.txt"
count=${#files[@]}
start=$(date +%s%N)
for _ in $(seq 1 "$cli_passes"); do
  "$bin" analyze --format json "${files[@]}" >/dev/null || true
done
end=$(date +%s%N)
ms=$(((end - start) / 1000000))
echo
echo "==> CLI, same corpus"
awk -v n=$((count * cli_passes)) -v ms="$ms" \
  'BEGIN {printf "analyze --format json  %d messages in %d ms: %.1f messages/s (one thread)\n", n, ms, n * 1000 / ms}'
start=$(date +%s%N)
for _ in $(seq 1 "$cli_passes"); do
  "$bin" scan "${files[@]}" >/dev/null 2>&1 || true
done
end=$(date +%s%N)
ms=$(((end - start) / 1000000))
awk -v n=$((count * cli_passes)) -v ms="$ms" -v cores="$(nproc)" \
  'BEGIN {printf "scan                   %d messages in %d ms: %.1f messages/s (%d cores)\n", n, ms, n * 1000 / ms, cores}'
