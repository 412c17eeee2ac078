"""The PyTorch twin of gmcourse's NADE for the quality benchmark (gmcourse/benches/quality.rs).

Trained identically to the Rust run that wrote DIR: the same fixed-binarized train split
(nade_train.bin, uint8 (8000, 784)), the same initial weights (nade_init_{w,c,v,b}.bin,
float32), the same batch indices (nade_batches.bin, uint32, STEPS x 100), AdamW with
lr 1e-3 and PyTorch's defaults (the Rust side's FusedAdamW uses the same), STEPS steps.
Prints `RESULT nade_torch <test NLL nats> <peak RSS MB>`. The model is the speed twin
(bench/torch/train_speed.py's Nade), its cumsum form evaluated in blocks of 56 pixels
(same function, 14x less memory, ~3x faster here); the difference to the unblocked form
is printed.

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
    a = np.fromfile(path, dtype=dtype).reshape(shape)
    # torch 1.13 has no uint32 tensors
    return torch.from_numpy(a.astype(np.int64) if dtype == np.uint32 else a.copy())


def logits_blocked(model, x, k=56):
    """The speed twin's cumsum form, block by block of k pixels: the same a_i (a running sum
    carried across blocks), a (B, k, H) intermediate instead of (B, D, H), 784 / k Python
    iterations instead of 784."""
    a_start = model.c.expand(x.shape[0], -1)
    w_t = model.W.t()
    out = []
    for s in range(0, x.shape[1], k):
        xw = x[:, s : s + k].unsqueeze(2) * w_t[s : s + k].unsqueeze(0)  # (B, k, H)
        cs = torch.cumsum(xw, dim=1)
        h = torch.sigmoid(a_start.unsqueeze(1) + cs - xw)  # exclusive prefix sum
        out.append(torch.einsum("bkh,kh->bk", h, model.V[s : s + k]) + model.b[s : s + k])
        a_start = a_start + cs[:, -1]
    return torch.cat(out, dim=1)


def nll(model, x):
    return F.binary_cross_entropy_with_logits(logits_blocked(model, x), x, reduction="none").sum(1)


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
        loss = nll(model, x_train[idx[step]]).mean()
        loss.backward()
        opt.step()
        if (step + 1) % 50 == 0:
            sps = (step + 1) / (time.perf_counter() - start)
            print(f"torch step {step + 1:>7}  {sps:>6.2f} steps/s  loss {loss.item():.4f}", flush=True)
    with torch.no_grad():
        test_nll = torch.cat([nll(model, xb) for xb in x_test.split(100)]).mean().item()
        check = model.nll(x_test[:10]).item() - nll(model, x_test[:10]).mean().item()
    print(f"blocked vs cumsum form on 10 test images: {check:+.2e} nats")
    print(f"RESULT nade_torch {test_nll:.4f} {peak_rss_mb():.0f}  (torch {torch.__version__}, {steps} steps, "
          f"{time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
