#!/usr/bin/env python3
"""A class on a real JupyterHub: concurrent students measured (`./course bench class`).

    bench/class.py [--students 8] [--lesson 01] [--stagger 10] [--rounds 1] [--shared-cache]

Starts the course's hub (scripts/hub/, build/bench-class/, a fresh one each run), logs in
N students through its REST API and drives each like a browser (scripts/hub/class_sim.py):
open the lesson from the student's own copy, run every code cell over the proxied kernel
WebSocket (the lesson's `:check` cell included), then a training cell. Phases:

1. single, first start: one student alone (the server copies the course; the first
   `:check` builds the grader in the student's copy);
2. staggered: the other students arrive one every --stagger seconds, each a first start;
3. all at once (--rounds times): every student opens a new kernel and runs the lesson at
   the same moment ("everyone press Run All");
4. single, warm: one student alone again, the peer of phase 3.

Printed per phase and student: server start, first-cell, warm-cell (median, p95),
training-cell, `:check` and Run-All times; peak resident memory of the kernel, of the
compilers (cargo, rustc, linker) and of the server; failures; then the class's peak, the
time to the last student's finished Run-All and its ratio to a single student's, and the
state of every compile cache (a damaged entry, or a shared artifact changed through a
student's link, is a failure). --shared-cache gives every student the one shared cache
(the set-up before this benchmark; to see the race of environment.md).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts" / "hub"))

import class_sim as cs  # noqa: E402
from hub import Hub, gmcourse_home  # noqa: E402

TRAIN_CELL = """let t0 = std::time::Instant::now();
let sim_x = Mnist::load()?.train.take(2000).binarized_tensor(&Device::Cpu)?;
let (sim_vae, sim_vars) = models::Vae::seeded(&models::VaeConfig { n_pixels: 784, hidden: 400, latent: 20 }, 7)?;
let sim_history = models::vae::train(&sim_vae, &sim_vars, &sim_x, &TrainConfig { steps: 300, batch_size: 100, lr: 1e-3, seed: 7,
    log_every: 0, time_budget: Some(std::time::Duration::from_secs(120)), ..Default::default() })?;
println!("trained {} VAE steps in {:.1} s", sim_history.len(), t0.elapsed().as_secs_f64());"""


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    flags = next((l.split(":", 1)[1].split() for l in open("/proc/cpuinfo") if l.startswith("flags")), [])
    shown = [f for f in ("avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512ifma", "avx512vbmi") if f in flags]
    return f"cpu: {cpu}; {os.cpu_count()} cores; flags {' '.join(shown)}; memory {os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB"


def load() -> str:
    return " ".join(open("/proc/loadavg").read().split()[:3])


def fmt(x: float, unit: str = "") -> str:
    return "-" if x != x else f"{x:.1f}{unit}"


def report(title: str, results: list[cs.RunResult], mem: cs.MemorySampler, t0: float, load_before: str) -> dict:
    print(f"\n{title}  (load average before {load_before}, after {load()})")
    print(f"{'student':<10} {'server':>7} {'first':>7} {'warm':>6} {'p95':>6} {'train':>7} {':check':>7} "
          f"{'run-all':>8} {'done at':>8} {'cpu':>6} {'kernel':>7} {'rustc':>7} {'server':>7} {'total':>7}  failure")
    print(f"{'':<10} {'s':>7} {'s':>7} {'s':>6} {'s':>6} {'s':>7} {'s':>7} {'s':>8} {'s':>8} {'s':>6} {'MiB':>7} {'MiB':>7} {'MiB':>7} {'MiB':>7}")
    cpu = mem.cpu_seconds()
    for r in results:
        p = mem.peak.get(r.student, {})
        train = r.extra.get("train")
        print(f"{r.student:<10} {fmt(r.server_seconds):>7} {fmt(r.first_cell):>7} {fmt(cs.median(r.warm())):>6} "
              f"{fmt(cs.percentile(r.warm(), 0.95)):>6} {fmt(train.seconds if train else float('nan')):>7} "
              f"{fmt(r.check_seconds()):>7} {fmt(r.run_all):>8} {fmt(r.finished - t0):>8} {cpu.get(r.student, 0):>6.0f} "
              f"{p.get('kernel', 0):>7.0f} {p.get('rustc', 0):>7.0f} {p.get('server', 0):>7.0f} "
              f"{mem.peak_total.get(r.student, 0):>7.0f}  {r.failure or ''}")
    last = max((r.finished - t0 for r in results), default=float("nan"))
    failures = [r for r in results if r.failure]
    print(f"class peak: {mem.class_peak:.0f} MiB resident in this hub's students' processes (sum over processes); "
          f"machine memory in use rose by {mem.used_peak - mem.used_base:.0f} MiB; "
          f"last Run-All finished {last:.1f} s after the start; failures: {len(failures)}")
    return {"last": last, "failures": len(failures), "results": results, "mem": mem}


async def phase(students, extra, lesson, stagger: float = 0.0, start_server: bool = True):
    async def one(i, s):
        await asyncio.sleep(i * stagger)
        return await cs.run_lesson(s, lesson, extra, start_server=start_server)
    return await asyncio.gather(*(one(i, s) for i, s in enumerate(students)))


def run_phase(title, students, extra, lesson, stagger=0.0, start_server=True):
    mem = cs.MemorySampler(hub_api_port=students[0].hub.api_port)
    mem.start()
    before = load()
    t0 = time.monotonic()
    results = asyncio.run(phase(students, extra, lesson, stagger, start_server))
    mem.stop()
    return report(title, results, mem, t0, before)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--students", type=int, default=int(os.environ.get("STUDENTS", 8)))
    ap.add_argument("--lesson", default=os.environ.get("LESSON", "01"))
    ap.add_argument("--stagger", type=float, default=float(os.environ.get("STAGGER", 10)),
                    help="seconds between arrivals in phase 2 (default 10; negative: no phase 2)")
    ap.add_argument("--rounds", type=int, default=int(os.environ.get("ROUNDS", 1)))
    ap.add_argument("--skip-single-first", action="store_true",
                    help="no phase 1 (phase 3 then holds everyone's first start)")
    ap.add_argument("--shared-cache", action="store_true", help="every student uses the one shared compile cache")
    args = ap.parse_args()
    # a SIGTERM stops the hub and the students' servers too (the `with` below)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    notebooks = sorted((ROOT / "notebooks").glob(f"{args.lesson.zfill(2)}-*.ipynb"))
    if not notebooks:
        print(f"error: no notebook numbered {args.lesson}", file=sys.stderr)
        return 2
    lesson = f"gmcourse/notebooks/{notebooks[0].name}"
    print(machine())
    print(f"load average: {load()}; {args.students} students, lesson {notebooks[0].name}, "
          f"{'one shared compile cache' if args.shared_cache else 'a compile cache per student (hard links to the shared one)'}")
    shared_cache = Path(gmcourse_home()) / "cache" / "evcxr"
    digest_before = cs.artifact_digest(shared_cache)
    hub_dir = ROOT / "build" / "bench-class"
    shutil.rmtree(hub_dir, ignore_errors=True)
    extra = {"train": TRAIN_CELL}
    summary = {}
    with Hub(hub_dir, student_cache=not args.shared_cache) as hub:
        students = [cs.Student(hub, f"student{i + 1:02d}") for i in range(args.students)]
        for s in students:
            s.login()
        if not args.skip_single_first:
            summary["single first"] = run_phase("1. single student, first start", students[:1], extra, lesson)
        if args.students > 1 and args.stagger >= 0:
            summary["staggered"] = run_phase(
                f"2. staggered: {args.students - 1} more students, one every {args.stagger:.0f} s, first start",
                students[1:], extra, lesson, stagger=args.stagger)
        for k in range(args.rounds):
            # a server already running answers at once (phase 2 may have been skipped)
            summary[f"all {k}"] = run_phase(f"3. all {args.students} students at once (round {k + 1})",
                                            students, extra, lesson)
        summary["single warm"] = run_phase("4. single student, warm (the peer of 3)", students[:1], extra, lesson)
        homes = hub.dir / "homes"
    # the compile caches
    print("\ncompile caches:")
    damaged = 0
    caches = [("shared", shared_cache)] + [(s.name, homes / s.name / ".cache" / "gmcourse-kernel" / "evcxr")
                                           for s in students]
    for name, path in caches:
        if not path.is_dir():
            continue
        bad = cs.cache_damage(path)
        damaged += len(bad)
        entries = sum(1 for _ in path.iterdir())
        print(f"  {name:<10} {entries:>4} entries, {len(bad)} damaged" + (f": {bad[:3]}" if bad else ""))
    digest_after = cs.artifact_digest(shared_cache)
    changed = [k for k, v in digest_before.items() if k in digest_after and digest_after[k] != v]
    print(f"  shared artifacts changed during the run: {len(changed)} of {len(digest_before)}" +
          (f": {changed[:3]}" if changed else ""))
    cache_errors = sum(len(r.cache_errors()) for p in summary.values() for r in p["results"])
    print(f"  cells that failed on the compile cache: {cache_errors}")

    single = summary["single warm"]["results"][0].run_all
    print("\nsummary")
    for k in range(args.rounds):
        last = summary[f"all {k}"]["last"]
        print(f"  all {args.students} at once, round {k + 1}: last Run-All finished after {last:.1f} s; "
              f"a single student's (warm) Run-All {single:.1f} s; ratio {last / single:.2f}")
    if "single first" in summary:
        first = summary["single first"]["results"][0]
        print(f"  a single student's first start: server {first.server_seconds:.1f} s, Run-All {first.run_all:.1f} s "
              f"(first :check {first.check_seconds():.1f} s)")
    fails = sum(p["failures"] for p in summary.values())
    print(f"  failures: {fails}; damaged cache entries: {damaged}; shared artifacts changed: {len(changed)}; "
          f"cells failed on the cache: {cache_errors}")
    print(f"  load average at the end: {load()}")
    return 0 if fails == 0 and damaged == 0 and not changed and cache_errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
