"""PyTorch twins of gmcourse's reference models, timed like gmcourse/benches/train_speed.rs.

Same shapes (batch 100, 784 binary pixels with 13 % ones), same optimiser (AdamW, lr as in
the Rust bench), same thread count (torch.set_num_threads). Prints one
`RESULT <model> <steps/s> <peak RSS MB> <CPU ms/step>` line per model. Run with Debian's /usr/bin/python3
and python3-torch (OpenBLAS); the BLAS in use is printed first.

Usage: /usr/bin/python3 bench/torch/train_speed.py [nade|nade_loop|vae|gan|ae]...
"""
import math
import os
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

THREADS = int(os.environ.get("THREADS", "2"))
BUDGET = float(os.environ.get("BENCH_SECONDS", "10"))
BATCH = 100
torch.set_num_threads(THREADS)
torch.manual_seed(0)


def cpu_secs():
    """CPU time of this process, all threads."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class Nade(nn.Module):
    """a_1 = c, a_{i+1} = a_i + W[:, i] x_i, p(x_i|x_<i) = sigmoid(V_i . sigmoid(a_i) + b_i).

    Vectorised the usual way: all a_i at once with an exclusive cumsum over a (B, D, H)
    tensor.
    """

    def __init__(self, d=784, h=500):
        super().__init__()
        self.W = nn.Parameter(torch.empty(h, d).uniform_(-1 / math.sqrt(d), 1 / math.sqrt(d)))
        self.c = nn.Parameter(torch.zeros(h))
        self.V = nn.Parameter(torch.empty(d, h).uniform_(-1 / math.sqrt(h), 1 / math.sqrt(h)))
        self.b = nn.Parameter(torch.zeros(d))

    def logits(self, x):
        xw = x.unsqueeze(2) * self.W.t().unsqueeze(0)  # (B, D, H)
        a = torch.cumsum(xw, dim=1) - xw + self.c  # exclusive prefix sum
        h = torch.sigmoid(a)
        return torch.einsum("bdh,dh->bd", h, self.V) + self.b

    def logits_loop(self, x):
        """The recursion as a Python loop over the pixels (how many tutorials write it)."""
        a = self.c.expand(x.shape[0], -1)
        out = []
        for i in range(x.shape[1]):
            h = torch.sigmoid(a)
            out.append(h @ self.V[i] + self.b[i])
            a = a + x[:, i : i + 1] * self.W[:, i]
        return torch.stack(out, dim=1)

    def nll(self, x, loop=False):
        l = self.logits_loop(x) if loop else self.logits(x)
        return F.binary_cross_entropy_with_logits(l, x, reduction="none").sum(1).mean()


class Vae(nn.Module):
    """PyTorch examples/vae: 784-400-(20, 20), 20-400-784, Bernoulli decoder."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)
        self.fc22 = nn.Linear(400, 20)
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)

    def loss(self, x):
        h = F.relu(self.fc1(x))
        mu, log_var = self.fc21(h), self.fc22(h)
        z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
        logits = self.fc4(F.relu(self.fc3(z)))
        rec = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)
        kl = -0.5 * (1 + log_var - mu.pow(2) - log_var.exp()).sum(1)
        return (rec + kl).mean()


def mlp(sizes):
    layers = []
    for k in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[k], sizes[k + 1]))
        if k < len(sizes) - 2:
            layers.append(nn.LeakyReLU(0.2))
    return nn.Sequential(*layers)


class Dcgan(nn.Module):
    """gmcourse's models::Dcgan: G z → dense → 2C×7×7 → BN, ReLU → ConvT 4×4/2 → C×14×14 →
    BN, ReLU → ConvT 4×4/2 → 1×28×28 → sigmoid; D 2x − 1, `pack` images as channels →
    conv 4×4/2 → C → LeakyReLU(0.2) → conv 4×4/2 → 2C → LeakyReLU(0.2) → (dense → d_hidden
    → LeakyReLU(0.2)) → dense → logit; in training D sees every image shifted by up to
    `shift` pixels (`translate`)."""

    def __init__(self, latent=100, c=32, pack=1, d_hidden=256, shift=2):
        super().__init__()
        self.latent, self.c, self.pack, self.shift = latent, c, pack, shift
        self.g_fc = nn.Linear(latent, 2 * c * 49)
        self.g = nn.Sequential(
            nn.BatchNorm2d(2 * c), nn.ReLU(),
            nn.ConvTranspose2d(2 * c, c, 4, 2, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU(),
            nn.ConvTranspose2d(c, 1, 4, 2, 1), nn.Sigmoid())
        head = ([nn.Linear(2 * c * 49, d_hidden), nn.LeakyReLU(0.2), nn.Linear(d_hidden, 1)]
                if d_hidden else [nn.Linear(2 * c * 49, 1)])
        self.d = nn.Sequential(
            nn.Conv2d(pack, c, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(c, 2 * c, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Flatten(), *head)

    def translate(self, x):
        """gmcourse's nn::augment::translate: each image moved by its own offset, zeros in."""
        if not self.shift:
            return x
        n, s = x.shape[0], self.shift
        dy = torch.randint(-s, s + 1, (n, 1, 1))
        dx = torch.randint(-s, s + 1, (n, 1, 1))
        r, c = torch.arange(28).view(1, 28, 1) - dy, torch.arange(28).view(1, 1, 28) - dx
        inside = (r >= 0) & (r < 28) & (c >= 0) & (c < 28)
        index = torch.where(inside, r * 28 + c, torch.full_like(r * c, 784)).view(n, 784)
        return torch.cat([x, x.new_zeros(n, 1)], 1).gather(1, index)

    def generate(self, z):
        h = self.g_fc(z).view(-1, 2 * self.c, 7, 7)
        return self.g(h).view(-1, 784)

    def discriminate(self, x):
        return self.d((2 * self.translate(x) - 1).view(-1, self.pack, 28, 28))


def time_steps(name, step):
    for _ in range(2):
        step()
    cpu0 = cpu_secs()
    start = time.perf_counter()
    steps = 0
    loss = 0.0
    while steps < 5 or time.perf_counter() - start < BUDGET:
        loss = step()
        steps += 1
    sps = steps / (time.perf_counter() - start)
    cpu_ms = (cpu_secs() - cpu0) * 1e3 / steps
    print(f"RESULT {name} {sps:.2f} {peak_rss_mb():.0f} {cpu_ms:.2f}  (steps {steps}, last loss {loss:.2f})", flush=True)


def main():
    # Debian's torch reports BLAS_INFO=generic: the BLAS is whatever libblas.so.3 resolves
    # to, so check the library actually mapped into this process.
    with open("/proc/self/maps") as maps:
        mapped = sorted({l.split()[-1] for l in maps if "blas" in l.lower()})
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, BLAS mapped: {mapped or 'none'}")
    if not any("openblas" in m for m in mapped):
        print("WARNING: torch is not using OpenBLAS; install libopenblas0-pthread", file=sys.stderr)
    models = sys.argv[1:] or ["nade", "vae", "gan"]
    g = torch.Generator().manual_seed(0)
    data = (torch.rand(1000, 784, generator=g) < 0.13).float()

    def batch():
        return data[torch.randint(0, 1000, (BATCH,), generator=g)]

    for m in models:
        if m in ("nade", "nade_loop"):
            model = Nade()
            opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
            loop = m == "nade_loop"

            def step():
                opt.zero_grad(set_to_none=True)
                loss = model.nll(batch(), loop=loop)
                loss.backward()
                opt.step()
                return loss.item()

            time_steps(m, step)
        elif m == "vae":
            model = Vae()
            opt = torch.optim.AdamW(model.parameters(), lr=1e-3)

            def step():
                opt.zero_grad(set_to_none=True)
                loss = model.loss(batch())
                loss.backward()
                opt.step()
                return loss.item()

            time_steps(m, step)
        elif m == "ae":
            model = nn.Sequential(nn.Linear(784, 500), nn.ReLU(), nn.Linear(500, 784))
            opt = torch.optim.AdamW(model.parameters(), lr=1e-3)

            def step():
                opt.zero_grad(set_to_none=True)
                x = batch()
                loss = F.binary_cross_entropy_with_logits(model(x), x, reduction="none").sum(1).mean()
                loss.backward()
                opt.step()
                return loss.item()

            time_steps(m, step)
        elif m == "gan":
            gen = nn.Sequential(mlp([100, 256, 512, 784]), nn.Sigmoid())
            dis = mlp([784, 512, 256, 1])
            opt_g = torch.optim.AdamW(gen.parameters(), lr=2e-4)
            opt_d = torch.optim.AdamW(dis.parameters(), lr=2e-4)

            def step():
                x_real = batch()
                x_fake = gen(torch.randn(BATCH, 100)).detach()
                opt_d.zero_grad(set_to_none=True)
                # one pass over reals and fakes together, as Gan::discriminator_loss does
                l = dis(torch.cat([x_real, x_fake]))
                d_loss = F.softplus(-l[:BATCH]).mean() + F.softplus(l[BATCH:]).mean()
                d_loss.backward()
                opt_d.step()
                opt_g.zero_grad(set_to_none=True)
                g_loss = F.softplus(-dis(gen(torch.randn(BATCH, 100)))).mean()
                g_loss.backward()
                opt_g.step()
                return g_loss.item()

            time_steps(m, step)
        elif m == "dcgan":
            # models::Dcgan with DcganConfig::mnist(): batch 64, Adam(2e-4, β1 0.5), real target 0.9
            # (the learning rate does not change the time of a step)
            model = Dcgan(c=int(os.environ.get("DCGAN_CH", "32")))
            gen = list(model.g_fc.parameters()) + list(model.g.parameters())
            opt_g = torch.optim.Adam(gen, lr=2e-4, betas=(0.5, 0.999))
            opt_d = torch.optim.Adam(model.d.parameters(), lr=2e-4, betas=(0.5, 0.999))
            n = 64

            def step():
                x_real = data[torch.randint(0, 1000, (n,), generator=g)]
                x_fake = model.generate(torch.randn(n, 100)).detach()
                opt_d.zero_grad(set_to_none=True)
                l_real = model.discriminate(x_real)
                d_loss = (0.9 * F.softplus(-l_real).mean() + 0.1 * F.softplus(l_real).mean()
                          + F.softplus(model.discriminate(x_fake)).mean())
                d_loss.backward()
                opt_d.step()
                opt_g.zero_grad(set_to_none=True)
                g_loss = F.softplus(-model.discriminate(model.generate(torch.randn(n, 100)))).mean()
                g_loss.backward()
                opt_g.step()
                return g_loss.item()

            time_steps(m, step)
        else:
            print(f"unknown model {m}", file=sys.stderr)


if __name__ == "__main__":
    main()
