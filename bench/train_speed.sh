#!/usr/bin/env bash
# Train steps/s of NADE, VAE and GAN: gmcourse (candle, CPU; matmuls on candle's gemm and,
# with the `openblas` feature, on OpenBLAS) vs the same architectures in PyTorch (Debian
# python3-torch 1.13.1 on OpenBLAS), batch 100, same thread count, one model per process
# (so peak RSS is per model), ROUNDS interleaved rounds, median reported.
# Expected on the course machine (2 cores, quiet, TUNE=1, 2026-11-29): NADE ≈ 5.2× PyTorch,
# VAE ≈ 1.3×, GAN ≈ 1.8×, plain MLP (ae) ≈ 1.5× on gemm; see bench/README.md.
#
# Usage: bench/train_speed.sh [nade vae gan ae nade_loop]
#   THREADS=2 BENCH_SECONDS=5 ROUNDS=3 TUNE=1 (TUNE=0: both sides with default settings)
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
TUNE=${TUNE:-1}
export BENCH_SECONDS=${BENCH_SECONDS:-5}
MODELS=("$@")
[ ${#MODELS[@]} -eq 0 ] && MODELS=(nade vae gan)

. bench/torch/install.sh

export THREADS RAYON_NUM_THREADS=$THREADS OMP_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS
RUST_ENV=()
TORCH_ENV=()
if [ "$TUNE" = 1 ]; then
    # Settings for a shared machine, given to both sides alike: keep freed memory instead
    # of returning it to the kernel (glibc malloc), and do not spin-wait for threads.
    MALLOC=(MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=2147483648 MALLOC_TOP_PAD_=268435456)
    RUST_ENV=("${MALLOC[@]}" CANDLE_NUM_THREADS=1)
    TORCH_ENV=("${MALLOC[@]}" OMP_WAIT_POLICY=PASSIVE)
fi

bench_bin() {
    cargo bench -p gmcourse --bench train_speed --no-run "$@" 2>&1 | grep -o '(.*train_speed-[^)]*)' | tr -d '()' | tail -1
}
BIN_GEMM=$(bench_bin)
BIN_BLAS=""
if [ -e /usr/lib/x86_64-linux-gnu/libopenblas.so.0 ]; then
    BIN_BLAS=$(bench_bin --features openblas)
fi
[ -n "$BIN_GEMM" ] || { echo "could not build gmcourse/benches/train_speed.rs" >&2; exit 1; }
/usr/bin/python3 bench/torch/train_speed.py none 2>/dev/null | head -1
echo "threads $THREADS, ${BENCH_SECONDS}s per run, $ROUNDS rounds, TUNE=$TUNE, load: $(cut -d' ' -f1-3 /proc/loadavg)"

RESULTS=$(mktemp)
for round in $(seq "$ROUNDS"); do
    for m in "${MODELS[@]}"; do
        if [ "$m" != nade_loop ]; then
            env "${RUST_ENV[@]}" "$BIN_GEMM" "$m" | awk -v m="$m" '/^RESULT/ {print m, "gemm", $3, $4}' >>"$RESULTS"
            if [ -n "$BIN_BLAS" ]; then
                env "${RUST_ENV[@]}" "$BIN_BLAS" "$m" | awk -v m="$m" '/^RESULT/ {print m, "openblas", $3, $4}' >>"$RESULTS"
            fi
        fi
        env "${TORCH_ENV[@]}" /usr/bin/python3 bench/torch/train_speed.py "$m" | awk -v m="$m" '/^RESULT/ {print m, "torch", $3, $4}' >>"$RESULTS"
    done
done

/usr/bin/python3 - "$RESULTS" "${MODELS[@]}" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
def med(m, v, k):
    xs = [float(r[k]) for r in rows if r[0] == m and r[1] == v]
    return statistics.median(xs) if xs else float("nan")
print(f"{'model':<10} {'gemm/s':>9} {'openblas/s':>11} {'pytorch/s':>10} {'ratio gemm':>11} {'ratio blas':>11} {'RSS MB rust/torch':>18}")
for m in sys.argv[2:]:
    g, b, t = med(m, "gemm", 2), med(m, "openblas", 2), med(m, "torch", 2)
    rss = f"{med(m, 'gemm', 3):.0f}/{med(m, 'torch', 3):.0f}"
    print(f"{m:<10} {g:>9.2f} {b:>11.2f} {t:>10.2f} {g / t:>11.2f} {b / t:>11.2f} {rss:>18}")
PY
rm -f "$RESULTS"
