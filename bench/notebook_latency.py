#!/usr/bin/env python3
"""Notebook latency: the course kernel against the stock evcxr_jupyter kernel.

Expected figures after `./course setup` on 2 cores: first cell <= 20 s, median warm cell
<= 0.7 s, Run-All of 01-probability <= 60 s; the plain kernel's first cell ~260 s.

    ./course bench notebook_latency [NN ...] [--no-plain]

For each notebook (default: 00 and 01) it prints the first-cell time, the median and p95
of the other cells, the Run-All time and the kernel's peak RSS of three kernels, measured
in the same run:

- course: the course kernel (kernel/, the kernelspec set-up registers);
- evcxr:  the stock evcxr_jupyter 0.22.0 binary with the *same* course configuration and
          warm cache: what the course kernel adds or costs, kernel against kernel;
- plain:  stock evcxr_jupyter with no course configuration and an empty cache, what a
          student gets from `evcxr_jupyter --install` (skipped with --no-plain; its first
          cell compiles every dependency, ~20 minutes on a loaded 2-core machine).

The ratio rows are evcxr ÷ course and plain ÷ course (above 1: the course kernel is
faster). The stock evcxr_jupyter is built once into $GMCOURSE_HOME/tools if missing
(about 10 minutes); the course itself does not need it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import run_notebooks as rn  # noqa: E402

PLAIN = "gmcourse-plain-bench"
EVCXR = "gmcourse-evcxr-bench"
EVCXR_VERSION = "0.22.0"
GMCOURSE_HOME = Path(os.environ.get("GMCOURSE_HOME", Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "gmcourse"))


def evcxr_jupyter() -> str:
    """The stock evcxr_jupyter binary, built once (with its own lock file) if missing."""
    root = GMCOURSE_HOME / "tools" / f"evcxr-{EVCXR_VERSION}"
    binary = root / "bin" / "evcxr_jupyter"
    if not binary.exists():
        print(f"building the stock evcxr_jupyter {EVCXR_VERSION} for comparison (once; about 10 minutes)", flush=True)
        subprocess.run(
            ["cargo", "install", "--locked", "evcxr_jupyter", "--version", EVCXR_VERSION, "--root", str(root)],
            check=True,
        )
    return str(binary)


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))] if xs else 0.0


def measure(path: Path, kernel: str) -> dict:
    nb = nbformat.read(path, as_version=4)
    if kernel != rn.KERNEL:
        # The stock kernel has no course commands: give it the library call that does the
        # same work, so both kernels run the same cells.
        for cell in nb.cells:
            m = re.fullmatch(r":check (\d\d)", cell.source.strip()) if cell.cell_type == "code" else None
            if m:
                cell.source = f'course::check("{m.group(1)}")?;'
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


def install_evcxr_kernel(binary: str) -> None:
    """A kernelspec for stock evcxr_jupyter with the course's configuration and cache."""
    course = json.loads((Path(sys.prefix) / "share/jupyter/kernels/gmcourse/kernel.json").read_text())
    spec = dict(course, argv=[binary, "--control_file", "{connection_file}"], display_name="Rust (evcxr, course config)")
    kdir = Path(sys.prefix) / "share/jupyter/kernels" / EVCXR
    kdir.mkdir(parents=True, exist_ok=True)
    (kdir / "kernel.json").write_text(json.dumps(spec, indent=2))


def install_plain_kernel(tmp: Path, binary: str) -> None:
    """A kernelspec for stock evcxr: no course config, an empty cache."""
    (tmp / "config").mkdir()
    (tmp / "cache").mkdir()
    spec = {
        "argv": [binary, "--control_file", "{connection_file}"],
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
    binary = evcxr_jupyter()
    try:
        install_evcxr_kernel(binary)
        if not args.no_plain:
            install_plain_kernel(tmp, binary)
        for path in rn.notebook_paths(args.numbers):
            course = measure(path, rn.KERNEL)
            stock = measure(path, EVCXR)
            plain = None
            if not args.no_plain:
                # each plain kernel starts cold, as a stock evcxr would
                shutil.rmtree(tmp / "cache", ignore_errors=True)
                (tmp / "cache").mkdir()
                plain = measure(path, PLAIN)
            rows.append((path.name, course, stock, plain))
    finally:
        shutil.rmtree(Path(sys.prefix) / "share/jupyter/kernels" / PLAIN, ignore_errors=True)
        shutil.rmtree(Path(sys.prefix) / "share/jupyter/kernels" / EVCXR, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(f"{'notebook':<28}{'kernel':<9}{'first':>9}{'median':>9}{'p95':>9}{'run-all':>10}{'peak RSS':>11}")
    for name, course, stock, plain in rows:
        for label, m in (("course", course), ("evcxr", stock), ("plain", plain)):
            if m is None:
                continue
            print(
                f"{name:<28}{label:<9}{m['first']:>8.1f}s{m['median']:>8.2f}s{m['p95']:>8.2f}s"
                f"{m['run_all']:>9.1f}s{m['rss']:>8.0f} MiB" + (f"  FAILED: {m['failure']}" if m["failure"] else "")
            )
        for label, other in (("evcxr÷course", stock), ("plain÷course", plain)):
            if other is None:
                continue
            ratio = lambda k: other[k] / course[k] if course[k] else float("nan")  # noqa: E731,B023
            print(
                f"{name:<28}{label:<9}{ratio('first'):>8.2f}×{ratio('median'):>8.2f}×"
                f"{ratio('p95'):>8.2f}×{ratio('run_all'):>9.2f}×"
            )
    targets = (
        "targets: first cell <= 20 s, median warm cell <= 0.7 s, Run-All of 01 <= 60 s, peak RSS < 2048 MiB;\n"
        "         course kernel: evcxr÷course >= 1.0 for the first cell and the median warm cell"
    )
    print(targets)
    return 0 if all(c["failure"] is None for _, c, _, _ in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
