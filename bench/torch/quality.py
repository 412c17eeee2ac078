"""The PyTorch twin of gmcourse's NADE for the quality benchmark (gmcourse/benches/quality.rs).

Trained identically to the Rust run that wrote DIR: the same fixed-binarized train split
(nade_train.bin, uint8 (8000, 784)), the same initial weights (nade_init_{w,c,v,b}.bin,
float32), the same batch indices (nade_batches.bin, uint32, STEPS x 100), AdamW with
lr 1e-3 and PyTorch's defaults (the Rust side's FusedAdamW uses the same), STEPS steps.
Prints `RESULT nade_torch <test NLL nats> <peak RSS MB>`. The model is the speed twin
(bench/torch/train_speed.py's Nade); training uses its per-pixel loop (less memory than
the cumsum form, same function), evaluation the cumsum form.

Usage: /usr/bin/python3 bench/torch/quality.py DIR STEPS
"""
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_speed import Nade, peak_rss_mb  # noqa: E402

D, H, BATCH = 784, 500, 100


def load(path, dtype, shape):
    return torch.from_numpy(np.fromfile(path, dtype=dtype).reshape(shape).copy())


def main():
    out, steps = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(int(os.environ.get("THREADS", "2")))
    x_train = load(f"{out}/nade_train.bin", np.uint8, (-1, D)).float()
    x_test = load(f"{out}/nade_test.bin", np.uint8, (-1, D)).float()
    idx = load(f"{out}/nade_batches.bin", np.uint32, (-1, BATCH)).long()
    if idx.shape[0] < steps:
        sys.exit(f"nade_batches.bin holds {idx.shape[0]} batches, fewer than {steps} steps")
    model = Nade(D, H)
    with torch.no_grad():
        model.W.copy_(load(f"{out}/nade_init_w.bin", np.float32, (H, D)))
        model.c.copy_(load(f"{out}/nade_init_c.bin", np.float32, (H,)))
        model.V.copy_(load(f"{out}/nade_init_v.bin", np.float32, (D, H)))
        model.b.copy_(load(f"{out}/nade_init_b.bin", np.float32, (D,)))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    start = time.perf_counter()
    for step in range(steps):
        opt.zero_grad(set_to_none=True)
        loss = model.nll(x_train[idx[step]], loop=True)
        loss.backward()
        opt.step()
        if (step + 1) % 100 == 0:
            sps = (step + 1) / (time.perf_counter() - start)
            print(f"torch step {step + 1:>7}  {sps:>6.2f} steps/s  loss {loss.item():.4f}", flush=True)
    with torch.no_grad():
        nll = torch.cat([
            F.binary_cross_entropy_with_logits(model.logits(xb), xb, reduction="none").sum(1)
            for xb in x_test.split(100)
        ]).mean().item()
    print(f"RESULT nade_torch {nll:.4f} {peak_rss_mb():.0f}  (torch {torch.__version__}, {steps} steps, "
          f"{time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
