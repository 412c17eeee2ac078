"""PyTorch's convolutions on the DCGAN's shapes, timed like gmcourse/benches/conv_ops.rs
(same shapes, same passes, median over REPS_SECONDS per op and pass, THREADS threads).
Prints `OP torch <op> <fwd ms> <fwd+bwd ms>`.

Usage: /usr/bin/python3 bench/torch/conv_ops.py
"""
import os
import resource
import time

import torch
import torch.nn.functional as F

THREADS = int(os.environ.get("THREADS", "2"))
BUDGET = float(os.environ.get("REPS_SECONDS", "1"))
CH = int(os.environ.get("CH", "64"))
torch.set_num_threads(THREADS)
torch.manual_seed(0)

CASES = [
    ("D_conv1", (64, 1, 28, 28), (CH, 1, 4, 4)),
    ("D_conv2", (64, CH, 14, 14), (2 * CH, CH, 4, 4)),
    ("G_convT1", (64, 2 * CH, 7, 7), (2 * CH, CH, 4, 4)),
    ("G_convT2", (64, CH, 14, 14), (CH, 1, 4, 4)),
    ("G_up1", (64, 2 * CH, 7, 7), (CH, 2 * CH, 3, 3)),
    ("G_up2", (64, CH, 14, 14), (1, CH, 3, 3)),
]


def op(name, x, w):
    if name.startswith("D_conv"):
        return F.conv2d(x, w, stride=2, padding=1)
    if name.startswith("G_convT"):
        return F.conv_transpose2d(x, w, stride=2, padding=1)
    return F.conv2d(F.interpolate(x, scale_factor=2, mode="nearest"), w, padding=1)


def median_ms(f):
    f()
    times = []
    start = time.perf_counter()
    while len(times) < 3 or time.perf_counter() - start < BUDGET:
        t = time.perf_counter()
        f()
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    return times[len(times) // 2]


def main():
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, mkldnn {torch.backends.mkldnn.is_available()}")
    for name, xs, ws in CASES:
        x = torch.randn(xs, requires_grad=True)
        w = (torch.randn(ws) * 0.05).requires_grad_()

        def fwd():
            with torch.no_grad():
                op(name, x, w)

        def both():
            x.grad = None
            w.grad = None
            y = op(name, x, w)
            y.backward(torch.ones_like(y))

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
        print(f"OP torch {name} {median_ms(fwd):.3f} {median_ms(both):.3f}  (peak RSS {peak:.0f} MB)", flush=True)


if __name__ == "__main__":
    main()
