#!/usr/bin/env bash
# What the sandbox costs the grader (issue: trusted grading).
#
# 1. Per test process: the median (and p95) start-to-exit time of a trivial program run
#    bare and inside the grader's bubblewrap sandbox, ROUNDS interleaved runs each
#    (`course-grader bench-sandbox`). Target: the sandbox adds at most 20 ms.
#    Then a whole test as grading runs it (the trusted judge outside, the student's
#    exercise server in the sandbox, one call over the wire), and the cost of one call.
# 2. One full submission, warm: `./course grade` of the reference solutions (every lesson,
#    hidden tests included) sandboxed and with --no-sandbox, after one warm-up run each.
#    The peer is the grader before the judge split (commit $PEER, the student's code and
#    the tests in one sandboxed process), built from `git archive` into build/bench-peer/
#    with its own target folder (build/bench-peer-target/, kept between runs) and timed in
#    the same run. Target: at most 30 s on 2 cores.
#
# It prints the CPU flags of the machine, the figures, their ratio and the peak memory.
# Usage: bench/grading.sh        (ROUNDS=200)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-200}
PEER=${PEER:-cc1f994}
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(nproc) cores"
echo "flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(sse4_2|avx|avx2|fma|avx512f|avx512bw|avx512dq|avx512vl)$' | tr '\n' ' ')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
cargo run -q --release -p course-grader -- bench-sandbox "$ROUNDS"

# grade DIR [ARGS]: `./course grade solutions` in checkout DIR, timed, with the peak RSS
# of the largest process in its tree (GNU time, %M)
grade() {
  local dir=$1 t0 t1
  shift
  t0=$(date +%s.%N)
  ( cd "$dir" && /usr/bin/time -f "%M" -o "$OLDPWD/build/bench-grading.rss" ./course grade solutions "$@" ) \
    >build/bench-grading.log 2>&1
  t1=$(date +%s.%N)
  echo "$t0 $t1 $(tail -1 build/bench-grading.rss)" | awk '{printf "%.1f s, peak RSS %.0f MB", $2 - $1, $3 / 1024}'
}
mkdir -p build
rm -rf build/bench-peer && mkdir -p build/bench-peer
git archive "$PEER" | tar -x -C build/bench-peer
# warm-up: builds and caches (the peer in its own target folder)
grade . >/dev/null; grade . --no-sandbox >/dev/null
CARGO_TARGET_DIR="$PWD/build/bench-peer-target" grade build/bench-peer >/dev/null
sandboxed=$(grade .)
bare=$(grade . --no-sandbox)
peer=$(CARGO_TARGET_DIR="$PWD/build/bench-peer-target" grade build/bench-peer)
echo "grade solutions (all lessons, warm), judge + sandboxed server: $sandboxed"
echo "grade solutions (all lessons, warm), --no-sandbox:             $bare"
echo "grade solutions (all lessons, warm), peer $PEER (one process): $peer"
s=${sandboxed%% s,*}; b=${bare%% s,*}; p=${peer%% s,*}
awk -v s="$s" -v b="$b" -v p="$p" 'BEGIN { printf "ratio judge / peer: %.2f; sandboxed / unsandboxed: %.2f\n", s / p, s / b }'
