#!/usr/bin/env bash
# The DCGAN's convolutions one by one (batch 64, MNIST; gmcourse/benches/conv_ops.rs has
# the shapes): candle 0.11's conv2d / conv_transpose2d / upsample + conv, the course's
# im2col / col2im on its sgemm (models::nn::conv) and PyTorch 1.13.1's (oneDNN), forward
# and forward + backward, median ms, same threads, ROUNDS interleaved rounds; prints the
# ratios PyTorch ÷ each (above 1: faster than PyTorch), the CPU flags and the load.
#
# Usage: bench/conv_ops.sh     THREADS=2 ROUNDS=2 REPS_SECONDS=1 CH=64
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/torch/install.sh
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-2}
export THREADS REPS_SECONDS=${REPS_SECONDS:-1} CH=${CH:-64}
export RAYON_NUM_THREADS=$THREADS OMP_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS
export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=2147483648 MALLOC_TOP_PAD_=268435456
BIN=$(cargo bench -p gmcourse --bench conv_ops --no-run 2>&1 | grep -o "(.*conv_ops-[^)]*)" | tr -d '()' | tail -1)
[ -n "$BIN" ] || { echo "could not build gmcourse/benches/conv_ops.rs" >&2; exit 1; }
"$BIN" none | grep '^cpu:'
echo "threads $THREADS, channels $CH/$((2 * CH)), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
OUT=$(mktemp)
for _ in $(seq "$ROUNDS"); do
    CANDLE_NUM_THREADS=1 "$BIN" candle course | grep '^OP' >>"$OUT"
    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch/conv_ops.py | grep '^OP' >>"$OUT"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 - "$OUT" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
ops = list(dict.fromkeys(r[2] for r in rows))
def med(imp, op, k):
    xs = [float(r[k]) for r in rows if r[1] == imp and r[2] == op]
    return statistics.median(xs) if xs else float("nan")
print("median ms (forward | forward+backward); ratio = PyTorch ms / ours (above 1: faster than PyTorch)")
print(f"{'op':<9} {'candle':>15} {'course':>15} {'pytorch':>15} {'candle/torch':>14} {'course/torch':>14}")
tot = {i: [0.0, 0.0] for i in ("candle", "course", "torch")}
for op in ops:
    v = {i: (med(i, op, 3), med(i, op, 4)) for i in tot}
    for i in tot:
        tot[i][0] += v[i][0]; tot[i][1] += v[i][1]
    f = lambda i: f"{v[i][0]:6.2f} | {v[i][1]:6.2f}"
    r = lambda i: f"{v['torch'][0] / v[i][0]:5.2f} | {v['torch'][1] / v[i][1]:5.2f}"
    print(f"{op:<9} {f('candle'):>15} {f('course'):>15} {f('torch'):>15} {r('candle'):>14} {r('course'):>14}")
for name, sel in (("4x4 (convT G, conv D)", ("D_conv1", "D_conv2", "G_convT1", "G_convT2")),):
    s = {i: sum(med(i, op, 4) for op in sel) for i in tot}
    print(f"sum fwd+bwd of the {name} layers: candle {s['candle']:.1f} ms, course {s['course']:.1f} ms, pytorch {s['torch']:.1f} ms")
PY
rm -f "$OUT"
