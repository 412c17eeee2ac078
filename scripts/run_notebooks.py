#!/usr/bin/env python3
"""Execute the course notebooks headless through the course kernel.

    run_notebooks.py [NN ...]          execute notebooks/NN-*.ipynb (all when none given)
    run_notebooks.py --check-clean     also check the committed notebooks carry no outputs
                                       and share the course's first cell
    run_notebooks.py --prewarm         compile the shared first cell once (used by set-up)

Executed copies go to build/notebooks/ with a timings.json of every cell's wall time;
the committed notebooks are never modified. A cell fails the run when the kernel reports
an error: a compile error, a panic or a crashed evaluation process (the course kernel
replies `error` for each). As a second line of defence, a cell whose stderr shows a Rust
panic also fails: the stock evcxr_jupyter reports panics on stderr only, with status "ok".
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build" / "notebooks"
FIRST_CELL = ROOT / "kernel" / "first-cell.rs"
LOGS = ROOT / "build" / "logs"
KERNEL = "gmcourse"
# A notebook's kernel must fit a shared JupyterHub: 2 GiB peak resident memory.
RSS_LIMIT_MIB = 2048

# What evcxr prints on stderr when user code panics or the evaluation process dies (the
# course kernel turns these into errors; kept for kernels that do not).
FAILURE_PATTERNS = re.compile(
    r"panicked at|Child process terminated|Subprocess terminated|Segmentation fault"
)


class CellFailed(Exception):
    """A cell failed: a kernel error, a panic, a crash or a time-out."""

    def __init__(self, index: int, source: str, message: str):
        first = next((l for l in source.splitlines() if l.strip()), "")
        super().__init__(f"cell {index} ({first[:60]!r}): {message}")
        self.index = index


def stderr_failure(cell) -> str | None:
    """The panic/crash text a cell printed on stderr, if any: the matching line and the
    message that follows it (a panic prints "panicked at FILE:LINE:" then the message)."""
    text = "".join(
        out.get("text", "")
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
    )
    match = FAILURE_PATTERNS.search(text)
    if not match:
        return None
    start = text.rfind("\n", 0, match.start()) + 1
    lines = [l.strip() for l in text[start:].splitlines() if l.strip()]
    return " ".join(lines[:2])


def kernel_peak_rss_mib(pid: int) -> float:
    """Peak resident memory of a kernel: the kernel process and the child process in which
    it runs notebook code (both are the kernel binary, `gmcourse-kernel`, or `evcxr_jupyter`
    for the stock kernel). cargo and rustc, which it starts to compile cells, are not
    counted (they exit after each cell).
    """
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    total_kib, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        name = status.split("\n", 1)[0]
        if "evcxr" not in name and "gmcourse-kernel" not in name:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                total_kib += int(line.split()[1])
    return total_kib / 1024


ANSI = re.compile(r"\x1b\[[0-9;]*m")


TRANSIENT = "Compilation failed, but no parsable errors were found"


def error_summary(cell, raw: bool = False) -> str:
    """The first lines of a cell's error output, without terminal colours (all of it if raw)."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            text = ANSI.sub("", "\n".join(out.get("traceback") or [out.get("evalue", "")]))
            if raw:
                return text + out.get("evalue", "")
            lines = [l.strip() for l in text.splitlines() if l.strip() and set(l.strip()) - set("│╭╰─┬[]")]
            return " | ".join(lines[:3]) or out.get("ename", "error")
    return "the kernel reported an error"


class TimedClient(NotebookClient):
    """An nbclient that times each cell and treats a panic on stderr as an error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cell_times: list[dict] = []
        self.peak_rss_mib = 0.0

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        start = time.perf_counter()
        try:
            try:
                result = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
            except CellExecutionError:
                # evcxr reports a cargo run that failed without any compiler message
                # (seen when another cargo touches the shared caches) this way; nothing
                # ran, so executing the cell again is safe. Once, then it is a failure.
                if TRANSIENT not in error_summary(cell, raw=True):
                    raise
                print(f"     cell {cell_index}: evcxr build failed without a compiler message; retrying once")
                cell.outputs = []
                result = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        except CellExecutionError:
            raise CellFailed(cell_index, cell.source, error_summary(cell)) from None
        except CellTimeoutError:
            raise CellFailed(cell_index, cell.source, f"timed out after {self.timeout} s") from None
        except DeadKernelError:
            raise CellFailed(cell_index, cell.source, "the kernel died") from None
        finally:
            if cell.cell_type == "code":
                self.cell_times.append(
                    {"cell": cell_index, "seconds": round(time.perf_counter() - start, 3)}
                )
                process = getattr(getattr(self.km, "provisioner", None), "process", None)
                if process is not None and Path("/proc").exists():
                    self.peak_rss_mib = max(self.peak_rss_mib, kernel_peak_rss_mib(process.pid))
        if cell.cell_type == "code":
            failure = stderr_failure(cell)
            if failure:
                raise CellFailed(cell_index, cell.source, f"panic/crash: {failure}")
        return result


def first_cell_source() -> str:
    return FIRST_CELL.read_text().strip()


def execute(nb, kernel: str, timeout: int, cwd: Path, stats: dict | None = None, log: Path | None = None):
    """Executes `nb` in place. Returns the cell timings and the failure (None if all passed).

    When `stats` is given, the kernel's peak RSS in MiB is stored in it as "peak_rss_mib".
    The kernel's own output (cargo's progress lines) goes to `log`, if given.
    """
    client = TimedClient(
        nb,
        kernel_name=kernel,
        timeout=timeout,
        startup_timeout=120,
        allow_errors=False,
        record_timing=True,
        resources={"metadata": {"path": str(cwd)}},
    )
    failure = None
    log_file = open(log, "w") if log else None
    try:
        if log_file:
            client.execute(stdout=log_file, stderr=log_file)
        else:
            client.execute()
    except CellFailed as e:
        failure = str(e)
    except Exception as e:  # kernel missing, cannot start, ...
        failure = f"{type(e).__name__}: {e}"
    finally:
        if log_file:
            log_file.close()
    if stats is not None:
        stats["peak_rss_mib"] = round(client.peak_rss_mib, 1)
    return client.cell_times, failure


def notebook_paths(selected: list[str]) -> list[Path]:
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    if selected:
        wanted = {s.zfill(2) for s in selected}
        paths = [p for p in paths if p.name[:2] in wanted]
        missing = wanted - {p.name[:2] for p in paths}
        if missing:
            sys.exit(f"error: no notebook numbered {', '.join(sorted(missing))} in notebooks/")
    return paths


def clean_problems(path: Path) -> list[str]:
    """What is wrong with a committed notebook: outputs, counts, a different first cell."""
    nb = nbformat.read(path, as_version=4)
    problems = []
    code = [c for c in nb.cells if c.cell_type == "code"]
    if any(c.get("outputs") for c in code):
        problems.append("carries outputs (clear them before committing)")
    if any(c.get("execution_count") for c in code):
        problems.append("carries execution counts (clear them before committing)")
    if not code or code[0].source.strip() != first_cell_source():
        problems.append("its first code cell differs from kernel/first-cell.rs")
    if nb.metadata.get("kernelspec", {}).get("name") != KERNEL:
        problems.append(f"its kernelspec is not '{KERNEL}'")
    return problems


def prewarm(kernel: str) -> int:
    LOGS.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(first_cell_source())]
    start = time.perf_counter()
    _, failure = execute(nb, kernel, timeout=3600, cwd=NOTEBOOKS, log=LOGS / "kernel-prewarm.log")
    if failure:
        print(f"prewarm failed: {failure} (kernel log: build/logs/kernel-prewarm.log)")
        for out in nb.cells[0].get("outputs", []):
            print(out.get("text", "") or json.dumps(out.get("data", {}))[:2000])
        return 1
    print(f"prewarm: first cell compiled in {time.perf_counter() - start:.1f} s")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("numbers", nargs="*", help="notebook numbers, e.g. 00 01 (default: all)")
    ap.add_argument("--kernel", default=KERNEL, help="kernelspec to run (default: gmcourse)")
    ap.add_argument("--timeout", type=int, default=900, help="seconds per cell (default 900)")
    ap.add_argument("--out", type=Path, default=BUILD, help="folder for executed copies")
    ap.add_argument("--check-clean", action="store_true", help="also check committed notebooks")
    ap.add_argument("--prewarm", action="store_true", help="only compile the shared first cell")
    args = ap.parse_args()

    if args.prewarm:
        return prewarm(args.kernel)

    paths = notebook_paths(args.numbers)
    if not paths:
        print("error: no notebooks found in notebooks/")
        return 1
    passed = failed = 0
    if args.check_clean:
        for path in paths:
            problems = clean_problems(path)
            for p in problems:
                print(f"FAIL {path.name}: {p}")
            failed += bool(problems)
            passed += not problems

    args.out.mkdir(parents=True, exist_ok=True)
    LOGS.mkdir(parents=True, exist_ok=True)
    timings = {}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        stats: dict = {}
        log = LOGS / f"kernel-{path.stem}.log"
        cells, failure = execute(nb, args.kernel, args.timeout, NOTEBOOKS, stats, log)
        total = time.perf_counter() - start
        nbformat.write(nb, args.out / path.name)
        rss = stats.get("peak_rss_mib", 0.0)
        if failure is None and rss > RSS_LIMIT_MIB:
            failure = f"the kernel peaked at {rss:.0f} MiB, over the {RSS_LIMIT_MIB} MiB a shared JupyterHub allows"
        timings[path.name] = {
            "run_all_seconds": round(total, 2),
            "peak_rss_mib": rss,
            "cells": cells,
            "failure": failure,
        }
        slowest = max(cells, key=lambda c: c["seconds"], default={"cell": "-", "seconds": 0})
        status = "ok  " if failure is None else "FAIL"
        print(
            f"{status} {path.name}: {len(cells)} code cells in {total:.1f} s "
            f"(slowest: cell {slowest['cell']}, {slowest['seconds']:.1f} s; kernel peak {rss:.0f} MiB)"
        )
        if failure:
            print(f"     {failure}")
            print(f"     executed copy with outputs: {args.out / path.name}")
            print(f"     kernel log: {log}")
            failed += 1
        else:
            passed += 1
    (args.out / "timings.json").write_text(json.dumps(timings, indent=2))
    print(f"notebooks: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
