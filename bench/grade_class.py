#!/usr/bin/env python3
"""A class graded at scale (`./course bench grade_class`).

    bench/grade_class.py [--students 100] [--jobs N] [--individual 20|all]

Writes a generated class (scripts/class_submissions.py: solutions, stubs, half-done,
compile errors, every hostile fixture of solutions/hostile/) into build/bench-class-subs/,
grades it with `./course grade-class --csv --jobs N`, and prints the wall time, the cost per
submission, the peak memory of the whole process tree (the grader, cargo, rustc, the
judges and the sandboxed servers, sampled from /proc) and the load. Then it checks the CSV:
every student has one row, and the scores of a sample of students (--individual: a number,
or `all`) match `./course grade <student> --json` run on each alone, lesson by lesson.
Target: 100 submissions in at most 10 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import class_submissions  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


def load() -> str:
    return " ".join(open("/proc/loadavg").read().split()[:3])


class TreeSampler(threading.Thread):
    """Peak of the summed resident memory of a process and all its descendants, and their
    CPU time: the user + system seconds last seen for every process of the tree. Sampled
    four times a second, so a process's last quarter second and processes shorter than a
    sample are missed: the CPU figure is a lower bound. (The kernel's own accounting,
    `wait4`'s rusage, misses more here: the sandbox's processes are not all waited for
    through the grader.)"""

    def __init__(self, pid: int, interval: float = 0.25):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak, self.done = pid, interval, 0.0, threading.Event()
        self.cpu_of: dict[tuple[int, str], float] = {}

    def sample(self) -> float:
        children: dict[int, list[int]] = {}
        rss: dict[int, float] = {}
        cpu: dict[int, tuple[str, float]] = {}
        for d in Path("/proc").iterdir():
            if d.name.isdigit():
                try:
                    stat = (d / "stat").read_text()
                    fields = stat.rsplit(")", 1)[1].split()
                    ppid = int(fields[1])
                    rss[int(d.name)] = int((d / "statm").read_text().split()[1]) * PAGE / 2**20
                    # utime, stime (fields 14, 15 of stat); the start time tells a reused pid apart
                    cpu[int(d.name)] = (fields[19], (int(fields[11]) + int(fields[12])) / TICKS)
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(ppid, []).append(int(d.name))
        total, todo = 0.0, [self.pid]
        while todo:
            p = todo.pop()
            total += rss.get(p, 0.0)
            if p in cpu:
                self.cpu_of[(p, cpu[p][0])] = cpu[p][1]
            todo.extend(children.get(p, []))
        return total

    @property
    def cpu(self) -> float:
        return sum(self.cpu_of.values())

    def run(self):
        while not self.done.is_set():
            self.peak = max(self.peak, self.sample())
            self.done.wait(self.interval)


def timed(args: list[str], log: Path) -> tuple[int, float, float, float]:
    """Runs ./course ARGS; returns (exit code, seconds, peak MiB of its process tree, CPU
    seconds of the tree, a lower bound: see TreeSampler)."""
    t0 = time.monotonic()
    with open(log, "w") as out:
        p = subprocess.Popen([str(ROOT / "course"), *args], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        tree = TreeSampler(p.pid)
        tree.start()
        rc = p.wait()
        tree.done.set()
        tree.join()
    return rc, time.monotonic() - t0, tree.peak, tree.cpu


def check_csv(csv_path: Path, students: list[str], individual: list[str], work: Path) -> list[str]:
    """Every student has one row; the sampled students' rows equal their individual grades."""
    problems = []
    with open(csv_path) as f:
        rows = list(csv.DictReader(f))
    names = [r["student"] for r in rows]
    for s in students:
        if names.count(s) != 1:
            problems.append(f"{s}: {names.count(s)} rows in the CSV")
    for extra in set(names) - set(students):
        problems.append(f"{extra}: a row for no submission")
    by_name = {r["student"]: r for r in rows}
    compare = class_submissions.compare
    for s in individual:
        out = work / f"{s}.json"
        r = subprocess.run([str(ROOT / "course"), "grade", str(work.parent / "subs" / s), "--json", str(out)],
                           cwd=ROOT, capture_output=True, text=True)
        if not out.exists():
            problems.append(f"{s}: ./course grade wrote no results ({r.returncode}): {r.stderr[-300:]}")
            continue
        if s in by_name:
            problems += [f"{s}: {d}" for d in compare(by_name[s], json.loads(out.read_text()))]
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--students", type=int, default=int(os.environ.get("STUDENTS", 100)))
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("JOBS", os.cpu_count() or 2)))
    ap.add_argument("--individual", default=os.environ.get("INDIVIDUAL", "20"),
                    help="how many students to grade alone and compare with the CSV, or 'all' (default 20)")
    args = ap.parse_args()
    work = ROOT / "build" / "bench-grade-class"
    shutil.rmtree(work, ignore_errors=True)
    (work / "out").mkdir(parents=True)
    students = class_submissions.write_class(work / "subs", args.students)
    kinds: dict[str, int] = {}
    for _, k in students:
        kinds[k.split(":")[0]] = kinds.get(k.split(":")[0], 0) + 1
    flags = next((l.split(":", 1)[1].split() for l in open("/proc/cpuinfo") if l.startswith("flags")), [])
    print(f"cpu: {os.cpu_count()} cores, flags {' '.join(f for f in ('avx2', 'fma', 'avx512f', 'avx512bw') if f in flags)}")
    print(f"{len(students)} submissions: " + ", ".join(f"{v} {k}" for k, v in kinds.items()))
    print(f"load average before: {load()}")
    rc, secs, peak, cpu = timed(["grade-class", str(work / "subs"), "--csv", str(work / "class.csv"),
                            "--reports", str(work / "reports"), "--jobs", str(args.jobs)], work / "grade-class.log")
    print(f"grade-class --jobs {args.jobs}: exit {rc}, {secs:.1f} s wall, {secs / len(students):.2f} s per submission, "
          f"peak memory of the process tree {peak:.0f} MiB (load average after: {load()})")
    # CPU time does not grow with other work on the machine as wall time does
    print(f"CPU of the process tree (sampled, a lower bound): {cpu:.0f} s in all, {cpu / len(students):.1f} s per "
          f"submission; on {args.jobs} otherwise idle cores that alone takes {cpu / args.jobs:.0f} s")
    if rc != 0 and not (work / "class.csv").exists():
        print(f"error: grade-class failed; log: {work / 'grade-class.log'}")
        print((work / "grade-class.log").read_text()[-2000:])
        return 1
    names = [s for s, _ in students]
    if args.individual == "all":
        sample = names
    else:
        # one of each kind first, then a random sample
        rng = random.Random(1)
        firsts = list({k.split(":")[0]: s for s, k in reversed(students)}.values())
        others = [s for s in names if s not in firsts]
        sample = (firsts + rng.sample(others, max(0, min(len(others), int(args.individual) - len(firsts)))))
        sample = sample[: int(args.individual)]
    t0 = time.monotonic()
    problems = check_csv(work / "class.csv", names, sample, work / "out")
    t_ind = time.monotonic() - t0
    print(f"CSV: {len(names)} students, one row each: {'yes' if not any('rows' in p or 'no submission' in p for p in problems) else 'NO'}; "
          f"{len(sample)} graded alone with ./course grade in {t_ind:.1f} s "
          f"({t_ind / max(len(sample), 1):.1f} s each): "
          f"{'every score matches' if not problems else f'{len(problems)} differences'}")
    for p in problems[:20]:
        print(f"  {p}")
    with open(work / "class.csv") as f:
        rows = list(csv.DictReader(f))
    by_kind: dict[str, list[float]] = {}
    for s, k in students:
        row = next((r for r in rows if r["student"] == s), None)
        if row:
            by_kind.setdefault(k.split(":")[0], []).append(float(row["total"]))
    maximum = rows[0]["max"] if rows else "?"
    print("scores by kind (of " + maximum + "): " + "; ".join(
        f"{k} {min(v):g}-{max(v):g}" for k, v in by_kind.items()))
    print(f"load average at the end: {load()}")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
