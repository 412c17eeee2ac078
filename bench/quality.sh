#!/usr/bin/env bash
# Quality of the reference models on the shipped MNIST split, one table: classifier
# accuracy, real digits' MNIST score and FID, NADE test NLL vs its PyTorch twin (same
# data, initial weights, batches and steps), VAE ELBO and importance-sampled NLL, GAN and
# cGAN MNIST score and FID, the DCGAN's MNIST score and FID along a run (30 s, 1, 2, 5 min
# and its end) with PNG grids. Installs the PyTorch peer if missing, then runs
# gmcourse/benches/quality.rs, which states its expected figures in its first comment
# (bench/README.md, "Quality", has the table and what each figure means).
#
# Usage: bench/quality.sh [classifier nade vae gan cgan dcgan]
#   BUDGET_SECS=150 (training time per model; the DCGAN's is DCGAN_SECS=600), NADE_STEPS, IS_K=500, IS_IMAGES=1000, THREADS=2
# Checkpoints go to build/checkpoints/, the twin's inputs to build/quality/.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/torch/install.sh
THREADS=${THREADS:-2}
export THREADS RAYON_NUM_THREADS=$THREADS OMP_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS
# the shared-machine settings of bench/README.md, for both sides (also in .cargo/config.toml)
export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=2147483648 MALLOC_TOP_PAD_=268435456
export CANDLE_NUM_THREADS=${CANDLE_NUM_THREADS:-1} OMP_WAIT_POLICY=PASSIVE
cargo bench -q -p gmcourse --bench quality -- "$@"
