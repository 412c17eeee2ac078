#!/usr/bin/env bash
# Train steps/s of NADE, VAE and GAN: gmcourse (candle, CPU) vs the same architectures in
# PyTorch (Debian python3-torch 1.13.1 with OpenBLAS), batch 100, same thread count, run
# one model per process so that the peak RSS is per model.
# Expected on the course machine (2 threads): see bench/README.md; the ratio column is
# gmcourse ÷ PyTorch (> 1 means gmcourse is faster).
#
# Usage: bench/train_speed.sh [nade vae gan ae nade_loop]   (THREADS=2 BENCH_SECONDS=10)
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${THREADS:-2}
export BENCH_SECONDS=${BENCH_SECONDS:-10}
MODELS=("$@")
[ ${#MODELS[@]} -eq 0 ] && MODELS=(nade vae gan)

if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
    echo "installing the PyTorch peer (python3-torch, libopenblas0-pthread)..." >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch libopenblas0-pthread >&2
fi

export THREADS RAYON_NUM_THREADS=$THREADS OMP_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS
cargo build -q --release -p gmcourse --bench train_speed >&2
BIN=$(cargo bench -p gmcourse --bench train_speed --no-run 2>&1 | grep -o '(.*train_speed-[^)]*)' | tr -d '()' | tail -1)
BIN=${BIN:-}
/usr/bin/python3 -c "import torch; print('torch', torch.__version__, '| BLAS:', [l.strip() for l in torch.__config__.show().splitlines() if 'BLAS' in l])"

printf '%-10s %14s %14s %8s %12s %12s\n' model gmcourse/s pytorch/s ratio rss_rust_MB rss_torch_MB
for m in "${MODELS[@]}"; do
    if [ "$m" = nade_loop ]; then
        rust="nan nan"
    elif [ -n "$BIN" ]; then
        rust=$("$BIN" "$m" | awk '/^RESULT/ {print $3, $4}')
    else
        rust=$(cargo bench -q -p gmcourse --bench train_speed -- "$m" | awk '/^RESULT/ {print $3, $4}')
    fi
    torch=$(/usr/bin/python3 bench/torch/train_speed.py "$m" | awk '/^RESULT/ {print $3, $4}')
    read -r r_sps r_rss <<<"$rust"
    read -r t_sps t_rss <<<"$torch"
    ratio=$(awk -v a="$r_sps" -v b="$t_sps" 'BEGIN { if (b > 0 && a == a) printf "%.2f", a / b; else print "-" }')
    printf '%-10s %14s %14s %8s %12s %12s\n' "$m" "$r_sps" "$t_sps" "$ratio" "$r_rss" "$t_rss"
done
