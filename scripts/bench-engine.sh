#!/usr/bin/env bash
# Engine speed per message set (figures, not a test; not in make test): CPU time per message of
# bare mail-parser parsing and of `analyze`, their ratio (issue target: ≤ 3) and messages/s on
# one core (target: ≥ 6,000 on the public corpus). CPU time, not wall-clock, so the figures
# hold on a shared machine; `MAILWARD_BENCH_CALLGRIND=1` adds instruction counts per message
# under valgrind (exact and repeatable whatever the load; slow: minutes per corpus).
#
#   scripts/bench-engine.sh [SET...]   SET: fixtures, or a file name in the corpus directory
#   MAILWARD_CORPUS                    corpus directory (default ../shared/corpus)
#   MAILWARD_BENCH_FEATURES            extra cargo flags ("--no-default-features": no QR scan)
#
# The workload is crates/core/examples/bench_engine.rs (the criterion bench,
# `cargo bench -p mailward-core --bench analyze`, measures the same sets in wall-clock time).
set -euo pipefail
cd "$(dirname "$0")/.."

# MAILWARD_BENCH_FEATURES: extra cargo flags, e.g. "--no-default-features" (no QR decoding).
# shellcheck disable=SC2086
cargo build --release --locked -q -p mailward-core --example bench_engine ${MAILWARD_BENCH_FEATURES:-}
bin=target/release/examples/bench_engine
if [ $# -gt 0 ]; then
  sets=("$@")
else
  sets=(fixtures phish-pot-public-500.tar.gz spamassassin-easy-ham-1.tar.gz
    modern-ham-lists-public.tar.gz nazario-phishing0.mbox.gz)
fi
callgrind=${MAILWARD_BENCH_CALLGRIND:-}
if [ -n "$callgrind" ] && ! command -v valgrind >/dev/null; then
  echo "bench-engine: valgrind not found; instruction counts skipped" >&2
  callgrind=
fi

# Instructions of one round of MODE over SET: two rounds minus one, so loading the set and
# the one-time table builds cancel out.
instructions() {
  local mode=$1 set=$2 one two
  one=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$mode" "$set" 1 2>&1 |
    sed -n 's/.*Collected : //p')
  two=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$mode" "$set" 2 2>&1 |
    sed -n 's/.*Collected : //p')
  echo $((two - one))
}

printf '%-32s %6s %10s %10s %6s %10s %8s' set msgs 'parse µs' 'analyze µs' ratio 'msgs/s' 'MB/s'
[ -n "$callgrind" ] && printf ' %12s %12s %6s' 'parse Ir' 'analyze Ir' ratio
printf '\n'
# The corpus sets together (every set but the fixtures): the issue's "public corpus" figure,
# total CPU time over total messages.
all_msgs=0 all_parse=0 all_analyze=0 all_sets=0
for set in "${sets[@]}"; do
  # Lines: set, mode, "N msgs", "X µs/msg", "Y msgs/s", "Z MB/s" (tab-separated).
  parse=$("$bin" parse "$set" 2>/dev/null) || { echo "bench-engine: $set not found, skipped" >&2; continue; }
  analyze=$("$bin" analyze "$set")
  field() { awk -F'\t' -v f="$2" '{ split($f, a, " "); print a[1] }' <<<"$1"; }
  msgs=$(field "$parse" 3)
  p_us=$(field "$parse" 4)
  a_us=$(field "$analyze" 4)
  printf '%-32s %6s %10s %10s %6.2f %10s %8s' "$set" "$msgs" "$p_us" "$a_us" \
    "$(awk -v a="$a_us" -v p="$p_us" 'BEGIN { print a / p }')" \
    "$(field "$analyze" 5)" "$(field "$analyze" 6)"
  if [ "$set" != fixtures ]; then
    all_sets=$((all_sets + 1))
    all_msgs=$((all_msgs + msgs))
    all_parse=$(awk -v t="$all_parse" -v n="$msgs" -v u="$p_us" 'BEGIN { print t + n * u }')
    all_analyze=$(awk -v t="$all_analyze" -v n="$msgs" -v u="$a_us" 'BEGIN { print t + n * u }')
  fi
  if [ -n "$callgrind" ]; then
    p_ir=$(instructions parse "$set")
    a_ir=$(instructions analyze "$set")
    printf ' %12s %12s %6.2f' $((p_ir / msgs)) $((a_ir / msgs)) \
      "$(awk -v a="$a_ir" -v p="$p_ir" 'BEGIN { print a / p }')"
  fi
  printf '\n'
done
if [ "$all_sets" -gt 1 ]; then
  printf '%-32s %6s %10.1f %10.1f %6.2f %10.0f\n' "corpus sets together ($all_sets)" "$all_msgs" \
    "$(awk -v t="$all_parse" -v n="$all_msgs" 'BEGIN { print t / n }')" \
    "$(awk -v t="$all_analyze" -v n="$all_msgs" 'BEGIN { print t / n }')" \
    "$(awk -v a="$all_analyze" -v p="$all_parse" 'BEGIN { print a / p }')" \
    "$(awk -v a="$all_analyze" -v n="$all_msgs" 'BEGIN { print 1e6 * n / a }')"
fi
