#!/usr/bin/env bash
# What the sandbox costs the grader (issue: trusted grading).
#
# 1. Per test process: the median (and p95) start-to-exit time of a trivial program run
#    bare and inside the grader's bubblewrap sandbox, ROUNDS interleaved runs each
#    (`course-grader bench-sandbox`). Target: the sandbox adds at most 20 ms.
# 2. One full submission, warm: `./course grade` of the reference solutions (every lesson,
#    hidden tests included) sandboxed and with --no-sandbox (the unsandboxed grader as the
#    peer), after one warm-up run each. Target: at most 30 s on 2 cores.
#
# It prints the CPU flags of the machine, the figures, their ratio and the peak memory.
# Usage: bench/grading.sh        (ROUNDS=200)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-200}
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(nproc) cores"
echo "flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(sse4_2|avx|avx2|fma|avx512f|avx512bw|avx512dq|avx512vl)$' | tr '\n' ' ')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
cargo run -q --release -p course-grader -- bench-sandbox "$ROUNDS"

grade() {
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M" -o build/bench-grading.rss ./course grade solutions "$@" >build/bench-grading.log 2>&1
  t1=$(date +%s.%N)
  echo "$t0 $t1 $(cat build/bench-grading.rss)" | awk '{printf "%.1f s, peak RSS of the grader %.0f MB", $2 - $1, $3 / 1024}'
}
mkdir -p build
grade >/dev/null; grade --no-sandbox >/dev/null  # warm-up: builds and caches
sandboxed=$(grade)
bare=$(grade --no-sandbox)
echo "grade solutions (all lessons, warm), sandboxed:   $sandboxed"
echo "grade solutions (all lessons, warm), --no-sandbox: $bare"
s=${sandboxed%% s,*}; b=${bare%% s,*}
awk -v s="$s" -v b="$b" 'BEGIN { printf "ratio sandboxed / unsandboxed: %.2f\n", s / b }'
grep -E "^total:" build/bench-grading.log || true
