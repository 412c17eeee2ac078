#!/usr/bin/env python3
"""Notebook latency: the course kernel after set-up against a plain evcxr kernel.

Expected figures after `./course setup` on 2 cores: first cell <= 20 s, median warm cell
<= 0.7 s, Run-All of 01-probability <= 60 s; the plain kernel's first cell ~260 s.

    ./course bench notebook_latency [NN ...] [--no-plain]

For each notebook (default: 00 and 01) it prints the first-cell time, the median and p95
of the other cells, the Run-All time and the kernel's peak RSS, measured with the course
kernel ("gmcourse": pre-warmed cache) and, in the same run, with a plain evcxr kernel
with the same `:dep` lines, no course configuration and an empty cache — what a student
gets from a stock `evcxr_jupyter --install`. The last column is plain ÷ course.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import run_notebooks as rn  # noqa: E402

PLAIN = "gmcourse-plain-bench"


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))] if xs else 0.0


def measure(path: Path, kernel: str) -> dict:
    nb = nbformat.read(path, as_version=4)
    stats: dict = {}
    cells, failure = rn.execute(nb, kernel, timeout=3600, cwd=rn.NOTEBOOKS, stats=stats)
    times = [c["seconds"] for c in cells]
    rest = times[1:]
    return {
        "first": times[0] if times else float("nan"),
        "median": statistics.median(rest) if rest else 0.0,
        "p95": p95(rest),
        "run_all": sum(times),
        "rss": stats.get("peak_rss_mib", 0.0),
        "failure": failure,
    }


def install_plain_kernel(tmp: Path) -> None:
    """A kernelspec for stock evcxr: same binary, no course config, an empty cache."""
    course = json.loads((Path(sys.prefix) / "share/jupyter/kernels/gmcourse/kernel.json").read_text())
    (tmp / "config").mkdir()
    (tmp / "cache").mkdir()
    spec = {
        "argv": course["argv"],
        "display_name": "Rust (plain evcxr, benchmark)",
        "language": "rust",
        "env": {
            "RUST_BACKTRACE": "0",
            "EVCXR_CONFIG_DIR": str(tmp / "config"),
            "XDG_CACHE_HOME": str(tmp / "cache"),
        },
    }
    kdir = Path(sys.prefix) / "share/jupyter/kernels" / PLAIN
    kdir.mkdir(parents=True, exist_ok=True)
    (kdir / "kernel.json").write_text(json.dumps(spec, indent=2))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("numbers", nargs="*", default=["00", "01"])
    ap.add_argument("--no-plain", action="store_true", help="skip the plain-evcxr comparison")
    args = ap.parse_args()

    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="gmcourse-bench-"))
    try:
        if not args.no_plain:
            install_plain_kernel(tmp)
        for path in rn.notebook_paths(args.numbers):
            course = measure(path, rn.KERNEL)
            plain = None
            if not args.no_plain:
                # each plain kernel starts cold, as a stock evcxr would
                shutil.rmtree(tmp / "cache", ignore_errors=True)
                (tmp / "cache").mkdir()
                plain = measure(path, PLAIN)
            rows.append((path.name, course, plain))
    finally:
        shutil.rmtree(Path(sys.prefix) / "share/jupyter/kernels" / PLAIN, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(f"{'notebook':<28}{'kernel':<9}{'first':>9}{'median':>9}{'p95':>9}{'run-all':>10}{'peak RSS':>11}")
    for name, course, plain in rows:
        for label, m in (("course", course), ("plain", plain)):
            if m is None:
                continue
            print(
                f"{name:<28}{label:<9}{m['first']:>8.1f}s{m['median']:>8.2f}s{m['p95']:>8.2f}s"
                f"{m['run_all']:>9.1f}s{m['rss']:>8.0f} MiB" + (f"  FAILED: {m['failure']}" if m["failure"] else "")
            )
        if plain:
            ratio = lambda k: plain[k] / course[k] if course[k] else float("nan")  # noqa: E731
            print(
                f"{name:<28}{'plain÷course':<9}{ratio('first'):>8.1f}×{ratio('median'):>8.2f}×"
                f"{ratio('p95'):>8.2f}×{ratio('run_all'):>9.1f}×"
            )
    targets = "targets: first cell <= 20 s, median warm cell <= 0.7 s, Run-All of 01 <= 60 s, peak RSS < 2048 MiB"
    print(targets)
    return 0 if all(c["failure"] is None for _, c, _ in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
