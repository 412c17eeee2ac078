#!/usr/bin/env bash
# Installs the PyTorch peer of the benchmarks if /usr/bin/python3 cannot import torch:
# Debian's python3-torch on OpenBLAS (libopenblas0-pthread). Sourced by bench/*.sh.
if ! /usr/bin/python3 -c "import torch, numpy" 2>/dev/null; then
    echo "installing the PyTorch peer (python3-torch, python3-numpy, libopenblas0-pthread)..." >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-numpy libopenblas0-pthread >&2
fi
