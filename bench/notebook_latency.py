#!/usr/bin/env python3
"""Notebook latency: how long a cell takes, as a student feels it, in the course kernel and
in the stock evcxr_jupyter 0.22.0, measured in the same run.

    ./course bench notebook_latency
    bench/notebook_latency.py [--sessions N] [--lessons NN ... | --no-lessons]
                              [--stock-lessons NN ...] [--no-stock] [--plain]

1. Small cells. Each session starts a kernel, runs the notebooks' first cell at once (the
   "first cell after setup": kernel just started, cache warm) and then a fixed list of
   small student-style cells (a binding, an expression, a `fn`, tensor ops, a plot,
   `println!`, re-use of earlier variables). Sessions alternate between the course kernel
   and the stock one, so both see the same load. Printed: first cell, median, p95, min and
   max of the small cells, peak RSS, the ratio stock / course, and where a warm cell's
   time goes in the course kernel (its replies carry `gmcourse_timing`, see
   kernel/src/timing.rs): analysis (rust-analyzer), cargo, rustc, link, load, run, the
   rest (kernel and evcxr), and the builds per cell.
2. Run-All of every lesson in the course kernel, as CI's notebook phase runs them
   (scripts/run_notebooks.py): total, first cell, median, p95, slowest cell, peak RSS.
   `--stock-lessons NN` runs those lessons in the stock kernel too.

The stock kernel gets the course's configuration (evcxr.toml, init.evcxr, the kernelspec's
environment and compile cache) and, before its first cell, the course's Cargo.lock in its
build folder (the course kernel pins versions this way itself), so that both resolve the
same crate versions: the comparison is kernel against kernel. It is built once into
$GMCOURSE_HOME/tools (about 10 minutes); the course does not need it. `--plain` adds a
stock kernel with no course configuration and an empty cache (its first cell builds every
dependency: tens of minutes).

Every figure is wall time on a shared machine: the load average and the CPU's flags are
printed with them. Targets (issue 14): warm small cell median <= 0.5 s, p95 <= 1.0 s; first
cell <= 5 s; Run-All of each lesson <= 60 s; kernel peak RSS < 2048 MiB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import run_notebooks as rn  # noqa: E402

COURSE = rn.KERNEL
STOCK = "gmcourse-evcxr-bench"
PLAIN = "gmcourse-plain-bench"
EVCXR_VERSION = "0.22.0"
GMCOURSE_HOME = Path(
    os.environ.get("GMCOURSE_HOME", Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "gmcourse")
)
PHASES = ["analysis", "cargo", "rustc", "link", "load", "run"]

# What a student types between the lessons' cells: (what it is, code).
SMALL_CELLS = [
    ("binding", "let a = 41;"),
    ("expression", "a + 1"),
    ("binding from a variable", "let b = a + 1;"),
    ("a variable", "b"),
    ("fn", "fn square(x: f64) -> f64 { x * x }"),
    ("call", "square(3.0)"),
    ("tensor", "let t = Tensor::new(&[1.0f32, 2.0, 3.0], &Device::Cpu)?;"),
    ("tensor op", "let u = (&t * 2.0)?.sum_all()?.to_scalar::<f32>()?;"),
    ("println!", 'println!("a = {a}, b = {b}, u = {u}");'),
    ("plot", 'plot::line(&[0.0, 1.0, 2.0, 3.0], &[0.0, 1.0, 4.0, 9.0]).title("squares")'),
    ("vec", "let v: Vec<f64> = (0..10).map(|i| i as f64).collect();"),
    ("re-use", "v.iter().sum::<f64>() / a as f64"),
]


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


def kernels_dir() -> Path:
    return Path(sys.prefix) / "share/jupyter/kernels"


def install_stock_kernel(binary: str) -> None:
    """A kernelspec for stock evcxr_jupyter with the course's configuration and cache."""
    course = json.loads((kernels_dir() / COURSE / "kernel.json").read_text())
    spec = dict(course, argv=[binary, "--control_file", "{connection_file}"], display_name="Rust (evcxr, course config)")
    (kernels_dir() / STOCK).mkdir(parents=True, exist_ok=True)
    (kernels_dir() / STOCK / "kernel.json").write_text(json.dumps(spec, indent=2))


def install_plain_kernel(tmp: Path, binary: str) -> None:
    """A kernelspec for stock evcxr: no course configuration, an empty cache."""
    (tmp / "config").mkdir()
    (tmp / "cache").mkdir()
    spec = {
        "argv": [binary, "--control_file", "{connection_file}"],
        "display_name": "Rust (plain evcxr, benchmark)",
        "language": "rust",
        "env": {"RUST_BACKTRACE": "0", "EVCXR_CONFIG_DIR": str(tmp / "config"), "XDG_CACHE_HOME": str(tmp / "cache")},
    }
    (kernels_dir() / PLAIN).mkdir(parents=True, exist_ok=True)
    (kernels_dir() / PLAIN / "kernel.json").write_text(json.dumps(spec, indent=2))


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))] if xs else float("nan")


def machine() -> str:
    flags = set()
    model = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags") and not flags:
                flags = set(line.split(":", 1)[1].split())
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    shown = [f for f in ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl") if f in flags]
    return f"{model}, {os.cpu_count()} CPUs, flags {' '.join(shown) or '?'}"


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def run_cell(kc, code: str, timeout: float = 3600) -> tuple[float, dict, str | None]:
    """Executes `code`; returns (seconds until the reply, reply content, error or None)."""
    start = time.perf_counter()
    msg_id = kc.execute(code)
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    seconds = time.perf_counter() - start
    content = reply["content"]
    # Drain iopub up to idle, so the next cell starts clean.
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    error = None
    if content.get("status") != "ok":
        error = f"{content.get('ename', 'error')}: {str(content.get('evalue', ''))[:200]}"
    return seconds, content, error


def session(kernel: str, pin_versions: bool) -> dict:
    """A kernel's first cell and the small cells; per-cell seconds, phases and peak RSS."""
    first_cell = rn.first_cell_source()
    start = time.perf_counter()
    km, kc = start_new_kernel(kernel_name=kernel, cwd=str(rn.NOTEBOOKS), startup_timeout=600)
    started = time.perf_counter() - start
    out = {"kernel_start": started, "cells": [], "failure": None, "rss": 0.0}
    pid = km.provisioner.process.pid
    try:
        if pin_versions:
            # What the course kernel does itself (kernel/src/work_dir.rs): resolve the
            # versions the cache was built with.
            folder = last_compile_dir(kc)
            if folder:
                shutil.copy(ROOT / "Cargo.lock", Path(folder) / "Cargo.lock")
        seconds, _, error = run_cell(kc, first_cell)
        out["first"] = seconds
        out["rss"] = max(out["rss"], rn.kernel_peak_rss_mib(pid))
        if error:
            out["failure"] = f"first cell: {error}"
            return out
        for what, code in SMALL_CELLS:
            seconds, content, error = run_cell(kc, code)
            out["rss"] = max(out["rss"], rn.kernel_peak_rss_mib(pid))
            if error:
                out["failure"] = f"{what}: {error}"
                return out
            out["cells"].append({"what": what, "seconds": seconds, "timing": content.get("gmcourse_timing")})
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return out


def last_compile_dir(kc) -> str | None:
    """The folder a kernel builds in, from evcxr's `:last_compile_dir`."""
    msg_id = kc.execute(":last_compile_dir")
    folder = None
    while True:
        msg = kc.get_iopub_msg(timeout=600)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "execute_result":
            folder = msg["content"]["data"].get("text/plain", "").strip()
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return folder


def summary(sessions: list[dict]) -> dict:
    warm = [c["seconds"] for s in sessions for c in s["cells"]]
    firsts = [s["first"] for s in sessions if "first" in s]
    return {
        "first": statistics.median(firsts) if firsts else float("nan"),
        "firsts": firsts,
        "starts": [s["kernel_start"] for s in sessions],
        "median": statistics.median(warm) if warm else float("nan"),
        "p95": p95(warm),
        "min": min(warm, default=float("nan")),
        "max": max(warm, default=float("nan")),
        "rss": max((s["rss"] for s in sessions), default=0.0),
        "failure": next((s["failure"] for s in sessions if s["failure"]), None),
    }


def phase_table(sessions: list[dict]) -> list[str]:
    """Median seconds of each phase over the course kernel's warm cells, and per cell."""
    rows = []
    cells = [c for s in sessions for c in s["cells"] if c.get("timing")]
    if not cells:
        return ["(no phase timings: the course kernel's replies carry none)"]

    def other(c):
        return c["seconds"] - sum(c["timing"].get(p, 0.0) for p in PHASES + ["check"])

    header = f"{'cell':<26}{'total':>7}" + "".join(f"{p:>9}" for p in PHASES) + f"{'other':>8}{'builds':>8}"
    rows.append(header)
    for what, _ in SMALL_CELLS:
        mine = [c for c in cells if c["what"] == what]
        if not mine:
            continue
        med = lambda f: statistics.median(f(c) for c in mine)  # noqa: E731
        rows.append(
            f"{what:<26}{med(lambda c: c['seconds']):>7.3f}"
            + "".join(f"{med(lambda c, p=p: c['timing'].get(p, 0.0)):>9.3f}" for p in PHASES)
            + f"{med(other):>8.3f}{med(lambda c: c['timing'].get('builds', 0)):>8.1f}"
        )
    med = lambda f: statistics.median(f(c) for c in cells)  # noqa: E731
    rows.append(
        f"{'median of all warm cells':<26}{med(lambda c: c['seconds']):>7.3f}"
        + "".join(f"{med(lambda c, p=p: c['timing'].get(p, 0.0)):>9.3f}" for p in PHASES)
        + f"{med(other):>8.3f}{med(lambda c: c['timing'].get('builds', 0)):>8.1f}"
    )
    return rows


def run_all(path: Path, kernel: str) -> dict:
    """Run-All of a lesson as CI's notebook phase runs it."""
    nb = nbformat.read(path, as_version=4)
    stats: dict = {}
    start = time.perf_counter()
    cells, failure = rn.execute(nb, kernel, timeout=3600, cwd=rn.NOTEBOOKS, stats=stats)
    total = time.perf_counter() - start
    times = [c["seconds"] for c in cells]
    rest = times[1:]
    slowest = max(cells, key=lambda c: c["seconds"], default={"cell": "-", "seconds": 0.0})
    return {
        "total": total,
        "first": times[0] if times else float("nan"),
        "median": statistics.median(rest) if rest else float("nan"),
        "p95": p95(rest),
        "slowest": f"cell {slowest['cell']} {slowest['seconds']:.1f}s",
        "rss": stats.get("peak_rss_mib", 0.0),
        "failure": failure,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=3, help="kernels started per kernel kind for the small cells (default 3)")
    ap.add_argument("--lessons", nargs="*", default=None, help="lessons to Run-All (default: all)")
    ap.add_argument("--no-lessons", action="store_true", help="skip the Run-All of the lessons")
    ap.add_argument("--stock-lessons", nargs="*", default=[], help="lessons to Run-All in the stock kernel too")
    ap.add_argument("--no-stock", action="store_true", help="skip the stock evcxr_jupyter")
    ap.add_argument("--plain", action="store_true", help="add a stock kernel without course configuration, cold cache")
    args = ap.parse_args()

    print(f"machine: {machine()}")
    print(f"load average at start: {load()}", flush=True)
    kinds = [("course", COURSE, False)]
    tmp = Path(tempfile.mkdtemp(prefix="gmcourse-bench-"))
    try:
        if not args.no_stock or args.plain:
            binary = evcxr_jupyter()
            if not args.no_stock:
                install_stock_kernel(binary)
                kinds.append(("evcxr", STOCK, True))
            if args.plain:
                install_plain_kernel(tmp, binary)

        sessions: dict[str, list[dict]] = {label: [] for label, _, _ in kinds}
        for n in range(args.sessions):
            for label, kernel, pin in kinds:
                s = session(kernel, pin)
                sessions[label].append(s)
                warm = [c["seconds"] for c in s["cells"]]
                print(
                    f"session {n + 1} {label:<7} kernel start {s['kernel_start']:5.1f}s  first cell {s.get('first', float('nan')):6.1f}s  "
                    f"small cells median {statistics.median(warm) if warm else float('nan'):5.2f}s  load {load()}"
                    + (f"  FAILED: {s['failure']}" if s["failure"] else ""),
                    flush=True,
                )
        plain = None
        if args.plain:
            plain = summary([session(PLAIN, False)])

        lessons = []
        if not args.no_lessons:
            for path in rn.notebook_paths(args.lessons or []):
                row = [("course", run_all(path, COURSE))]
                if not args.no_stock and path.name[:2] in {s.zfill(2) for s in args.stock_lessons}:
                    row.append(("evcxr", run_all(path, STOCK)))
                lessons.append((path.name, row))
                r = row[0][1]
                print(f"Run-All {path.name}: {r['total']:.1f}s, load {load()}" + (f"  FAILED: {r['failure']}" if r["failure"] else ""), flush=True)
    finally:
        for name in (STOCK, PLAIN):
            shutil.rmtree(kernels_dir() / name, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(f"Small cells ({len(SMALL_CELLS)} per session, {args.sessions} sessions per kernel; first cell = the notebooks' first cell sent as the kernel starts)")
    print(f"{'kernel':<14}{'first cell':>11}{'median':>9}{'p95':>8}{'min':>8}{'max':>8}{'peak RSS':>11}")
    results = {label: summary(sessions[label]) for label, _, _ in kinds}
    if plain:
        results["plain"] = plain
    for label, m in results.items():
        print(
            f"{label:<14}{m['first']:>10.2f}s{m['median']:>8.2f}s{m['p95']:>7.2f}s{m['min']:>7.2f}s{m['max']:>7.2f}s{m['rss']:>7.0f} MiB"
            + (f"  FAILED: {m['failure']}" if m["failure"] else "")
        )
    course = results["course"]
    for label, m in results.items():
        if label == "course":
            continue
        r = lambda k: m[k] / course[k] if course[k] else float("nan")  # noqa: E731
        print(f"{label + '/course':<14}{r('first'):>10.2f}×{r('median'):>8.2f}×{r('p95'):>7.2f}×{r('min'):>7.2f}×{r('max'):>7.2f}×")
    print("first cells, each session: " + "; ".join(f"{label} " + ", ".join(f"{x:.1f}s" for x in m["firsts"]) for label, m in results.items()))
    print()
    print("Where a warm cell's time goes in the course kernel (median seconds over the sessions):")
    for row in phase_table(sessions["course"]):
        print(row)

    if lessons:
        print()
        print("Run-All of the lessons (as CI's notebook phase runs them)")
        print(f"{'lesson':<32}{'kernel':<8}{'Run-All':>9}{'first':>8}{'median':>8}{'p95':>8}  {'slowest':<18}{'peak RSS':>9}")
        for name, row in lessons:
            for label, r in row:
                print(
                    f"{name:<32}{label:<8}{r['total']:>8.1f}s{r['first']:>7.1f}s{r['median']:>7.2f}s{r['p95']:>7.2f}s  {r['slowest']:<18}{r['rss']:>5.0f} MiB"
                    + (f"  FAILED: {r['failure']}" if r["failure"] else "")
                )
    print()
    print(f"load average at end: {load()}")
    print(
        "targets: warm small cell median <= 0.5 s, p95 <= 1.0 s; first cell <= 5 s; "
        "Run-All of each lesson <= 60 s; peak RSS < 2048 MiB"
    )
    failed = any(m["failure"] for m in [results["course"]]) or any(r["failure"] for _, row in lessons for lbl, r in row if lbl == "course")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
