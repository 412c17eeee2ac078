#!/usr/bin/env bash
# Train steps/s of NADE, VAE, GAN, a plain MLP and the DCGAN: gmcourse (candle, CPU; dense layers,
# NADE, AdamW and the loss on the kernels of models::nn::cpu, whose instruction set is
# chosen when the program runs) vs the same architectures in PyTorch (Debian python3-torch
# 1.13.1 on OpenBLAS; oneDNN for the DCGAN's convolutions), batch 100 (DCGAN: 64, Adam
# β1 0.5, C = 32 or DCGAN_CH), same thread count, one model per process (so peak RSS is
# per model), ROUNDS interleaved rounds, median reported. Also prints the GFLOP/s of each
# model (6 × parameters × batch per step) and of its matrix products, the machine's peak
# (cores × clock × FLOP/cycle, and a measured large sgemm) and the fraction of it reached.
# See bench/README.md for the figures and what they mean.
#
# Usage: bench/train_speed.sh [nade vae gan ae dcgan nade_loop]
#   THREADS=2 BENCH_SECONDS=5 ROUNDS=3 TUNE=1 (TUNE=0: both sides with default settings)
#   AVX2_PAIR=1: on an AVX-512 CPU, also gmcourse capped at AVX2 (GMCOURSE_CPU=avx2) against
#   PyTorch on OpenBLAS's Haswell (AVX2) kernels and oneDNN capped at AVX2
#   (ONEDNN_MAX_CPU_ISA=AVX2: oneDNN, which runs PyTorch's convolutions, picks its own
#   instruction set and ignores OpenBLAS's), the pair an AVX2-only CPU would run.
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
TUNE=${TUNE:-1}
AVX2_PAIR=${AVX2_PAIR:-1}
export BENCH_SECONDS=${BENCH_SECONDS:-5}
MODELS=("$@")
[ ${#MODELS[@]} -eq 0 ] && MODELS=(nade vae gan ae dcgan)

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
    local name=$1
    shift
    cargo bench -p gmcourse --bench "$name" --no-run "$@" 2>&1 | grep -o "(.*$name-[^)]*)" | tr -d '()' | tail -1
}
BIN=$(bench_bin train_speed)
[ -n "$BIN" ] || { echo "could not build gmcourse/benches/train_speed.rs" >&2; exit 1; }
BIN_BLAS=""
SGEMM=$(bench_bin sgemm)
if [ -e /usr/lib/x86_64-linux-gnu/libopenblas.so.0 ]; then
    BIN_BLAS=$(bench_bin train_speed --features openblas)
    SGEMM=$(bench_bin sgemm --features openblas)
fi

# The CPU, its flags and the kernel path gmcourse chose.
"$BIN" cpu | grep "^cpu:"
HAS_AVX512=0
grep -qw avx512f /proc/cpuinfo && HAS_AVX512=1
# OpenBLAS 0.3.21 does not know every CPU: on one it does not recognise it falls back to
# its Prescott (SSE3) kernels. The peer gets the best kernels this CPU runs.
torch_core() {
    env "$@" OPENBLAS_VERBOSE=2 /usr/bin/python3 -c 'import torch; torch.ones(64, 64) @ torch.ones(64, 64)' 2>&1 |
        sed -n 's/^Core: //p' | head -1
}
CORE=$(torch_core)
if [ "$HAS_AVX512" = 1 ] && ! printf '%s' "$CORE" | grep -Eqi 'skylakex|cooperlake|sapphire'; then
    echo "OpenBLAS picks its $CORE kernels on this CPU; the PyTorch peer gets OPENBLAS_CORETYPE=SkylakeX (AVX-512)"
    TORCH_ENV+=(OPENBLAS_CORETYPE=SkylakeX)
    CORE=$(torch_core OPENBLAS_CORETYPE=SkylakeX)
fi
/usr/bin/python3 bench/torch/train_speed.py none 2>/dev/null | head -1
echo "PyTorch's OpenBLAS kernels: $CORE"
PAIR=0
# oneDNN (PyTorch's convolutions) chooses its kernels itself; its ISA line names them.
torch_onednn() {
    env "$@" ONEDNN_VERBOSE=1 /usr/bin/python3 -c 'import torch; torch.nn.functional.conv2d(torch.ones(2, 2, 8, 8), torch.ones(4, 2, 4, 4))' 2>&1 |
        sed -n 's/^onednn_verbose,info,cpu,isa://p' | head -1
}
echo "PyTorch's oneDNN kernels (convolutions): $(torch_onednn)"
PAIR_TORCH=(OPENBLAS_CORETYPE=Haswell ONEDNN_MAX_CPU_ISA=AVX2 DNNL_MAX_CPU_ISA=AVX2)
if [ "$AVX2_PAIR" = 1 ] && [ "$HAS_AVX512" = 1 ]; then
    PAIR=1
    echo "AVX2 pair: gmcourse with GMCOURSE_CPU=avx2, PyTorch with ${PAIR_TORCH[*]} ($(torch_core "${PAIR_TORCH[@]}"); oneDNN: $(torch_onednn "${PAIR_TORCH[@]}"))"
fi

# The machine's peak: a large sgemm on the best path (ours, the gemm crate, OpenBLAS).
PEAKS=$(env "${RUST_ENV[@]}" OPENBLAS_CORETYPE="${CORE:-SkylakeX}" ROUNDS=3 "$SGEMM" peak)
printf '%s\n' "$PEAKS" | grep -E '^(large sgemm|NOMINAL)'
PEAK=$(printf '%s\n' "$PEAKS" | awk '/^PEAK/ {print $2}')
echo "threads $THREADS, ${BENCH_SECONDS}s per run, $ROUNDS rounds, TUNE=$TUNE, load: $(cut -d' ' -f1-3 /proc/loadavg)"

RESULTS=$(mktemp)
rust() { # variant, model, env...
    local v=$1 m=$2
    shift 2
    env "${RUST_ENV[@]}" "$@" "$m" | awk -v m="$m" -v v="$v" '/^RESULT/ {print m, v, $3, $4, $5, $6, $7, $8}' >>"$RESULTS"
}
torch() { # variant, model, env...
    local v=$1 m=$2
    shift 2
    env "${TORCH_ENV[@]}" "$@" /usr/bin/python3 bench/torch/train_speed.py "$m" |
        awk -v m="$m" -v v="$v" '/^RESULT/ {print m, v, $3, $4, "nan", "nan", "-", $5}' >>"$RESULTS"
}
for round in $(seq "$ROUNDS"); do
    for m in "${MODELS[@]}"; do
        if [ "$m" != nade_loop ]; then
            rust gmcourse "$m" "$BIN"
            [ -n "$BIN_BLAS" ] && rust openblas "$m" "$BIN_BLAS"
            [ "$PAIR" = 1 ] && rust avx2 "$m" GMCOURSE_CPU=avx2 "$BIN"
        fi
        torch torch "$m"
        [ "$PAIR" = 1 ] && [ "$m" != nade_loop ] && torch torch_avx2 "$m" "${PAIR_TORCH[@]}"
    done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

/usr/bin/python3 - "$RESULTS" "$PEAK" "$PAIR" "${MODELS[@]}" <<'PY'
import math, statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
peak, pair, models = float(sys.argv[2] or "nan"), sys.argv[3] == "1", sys.argv[4:]
def med(m, v, k):
    xs = [float(r[k]) for r in rows if r[0] == m and r[1] == v and len(r) > k]
    return statistics.median(xs) if xs else float("nan")
def path(m, v):
    return ",".join(sorted({r[6] for r in rows if r[0] == m and r[1] == v})) or "-"
runs = max(1, min((sum(1 for r in rows if r[0] == m and r[1] == "gmcourse") for m in models), default=1))
print(f"\nmedians of {runs} runs per model; gmcourse, pytorch, openblas: steps/s; "
      f"ratio = gmcourse / PyTorch in steps/s; "
      f"CPU ratio = PyTorch / gmcourse in CPU ms per step\n"
      f"model GF/s = 6 x parameters x batch per step; dense GF/s = FLOPs of the products / time in them; "
      f"of peak = dense GF/s / measured large sgemm ({peak:.1f} GFLOP/s)")
print(f"{'model':<10} {'path':>7} {'gmcourse':>10} {'pytorch':>9} {'ratio':>6} {'CPU ms rust/torch':>17} "
      f"{'CPU ratio':>9} {'model GF/s':>10} {'dense GF/s':>10} {'of peak':>7} {'openblas':>10} {'RSS MB rust/torch':>17}")
for m in models:
    g, t, b = med(m, "gmcourse", 2), med(m, "torch", 2), med(m, "openblas", 2)
    gc, tc = med(m, "gmcourse", 7), med(m, "torch", 7)
    mg, dg = med(m, "gmcourse", 4), med(m, "gmcourse", 5)
    frac = f"{100 * dg / peak:.0f} %" if not math.isnan(dg) and peak > 0 else "-"
    rss = f"{med(m, 'gmcourse', 3):.0f}/{med(m, 'torch', 3):.0f}"
    cpu = f"{gc:.2f}/{tc:.2f}"
    print(f"{m:<10} {path(m, 'gmcourse'):>7} {g:>10.2f} {t:>9.2f} {g / t:>6.2f} {cpu:>17} {tc / gc:>9.2f} "
          f"{mg:>10.1f} {dg:>10.1f} {frac:>7} {b:>10.2f} {rss:>17}")
if pair:
    print("\nAVX2 pair (gmcourse with GMCOURSE_CPU=avx2 vs PyTorch with OPENBLAS_CORETYPE=Haswell, ONEDNN_MAX_CPU_ISA=AVX2)")
    print(f"{'model':<10} {'gmcourse':>10} {'pytorch':>9} {'ratio':>6} {'CPU ratio':>9} {'dense GF/s':>10}")
    for m in models:
        if m == "nade_loop":
            continue
        g, t = med(m, "avx2", 2), med(m, "torch_avx2", 2)
        gc, tc = med(m, "avx2", 7), med(m, "torch_avx2", 7)
        print(f"{m:<10} {g:>10.2f} {t:>9.2f} {g / t:>6.2f} {tc / gc:>9.2f} {med(m, 'avx2', 5):>10.1f}")
PY
rm -f "$RESULTS"
