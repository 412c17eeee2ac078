#!/usr/bin/env python3
"""Training speed in the course kernel against the same training standalone.

    ./course bench kernel_speed           (or .venv/bin/python bench/kernel_speed.py)
    STEPS=300 ROUNDS=3 MODELS="vae gan"

A notebook cell in the course kernel (kernelspec `gmcourse`, built by `./course setup`:
cells and dependencies at the kernel's opt-level, its environment) runs a lesson's
training call, `models::vae::train` (lesson 07's VAE, batch 100) or `models::gan::train`
(lesson 09's MNIST GAN, batch 64), for STEPS steps after 20 warm-up steps, and prints the
steps/s; `gmcourse/benches/train_speed.rs lesson_vae|lesson_gan` runs the same code as a
release build with the kernelspec's environment. Kernel and standalone alternate, ROUNDS
times; the medians and their ratio are printed (target: the kernel within 10 % of the
standalone run), with the CPU, its flags, the kernel path and the load.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import run_notebooks as rn  # noqa: E402

STEPS = int(os.environ.get("STEPS", "300"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
MODELS = os.environ.get("MODELS", "vae gan").split()

# The cell: the same code as `lesson()` in gmcourse/benches/train_speed.rs.
CELL = """
{
    use gmcourse::models::{self, Gan, GanConfig, TrainConfig, Vae, VaeConfig, train};
    let data = train::rand_uniform(&mut train::rng(0), 1000, 784)?.lt(0.13)?.to_dtype(DType::F32)?;
    let steps: usize = STEPS;
    let warm = TrainConfig { steps: 20, log_every: 0, ..Default::default() };
    let timed = TrainConfig { steps, ..warm.clone() };
    let secs = if "MODEL" == "vae" {
        let (model, varmap) = Vae::seeded(&VaeConfig::default(), 0)?;
        models::vae::train(&model, &varmap, &data, &warm)?;
        let start = std::time::Instant::now();
        models::vae::train(&model, &varmap, &data, &timed)?;
        start.elapsed().as_secs_f64()
    } else {
        let mut cfg = GanConfig::mnist();
        cfg.g_hidden = vec![128, 256];
        cfg.d_hidden = vec![256, 128];
        let (model, varmap) = Gan::seeded(&cfg, 9)?;
        let (warm, timed) = (TrainConfig { batch_size: 64, lr: 1e-3, ..warm },
                             TrainConfig { batch_size: 64, lr: 1e-3, ..timed });
        let batches = |rng: &mut StdRng, n| train::random_batch(&data, n, rng);
        models::gan::train(&model, &varmap, batches, &warm, |_, _| Ok(()))?;
        let start = std::time::Instant::now();
        models::gan::train(&model, &varmap, batches, &timed, |_, _| Ok(()))?;
        start.elapsed().as_secs_f64()
    };
    println!("RESULT lesson_MODEL {:.2} ({} steps in {:.2} s, path {}, in the thread pool: {})", steps as f64 / secs, steps, secs,
             gmcourse::models::nn::cpu::Isa::detected().name(), gmcourse::models::nn::cpu::threads::in_pool());
}
"""


def kernel_env() -> dict:
    """The environment the kernelspec gives the kernel, minus what only concerns cargo."""
    spec = Path(sys.prefix) / "share/jupyter/kernels" / rn.KERNEL / "kernel.json"
    env = json.loads(spec.read_text())["env"]
    keep = {k: v for k, v in env.items() if not k.startswith(("CARGO_", "EVCXR", "XDG_", "GMCOURSE_"))}
    return dict(os.environ, **keep)


def standalone_bin() -> str:
    out = subprocess.run(
        ["cargo", "bench", "-p", "gmcourse", "--bench", "train_speed", "--no-run"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    found = re.findall(r"\((.*train_speed-[^)]*)\)", out.stderr + out.stdout)
    if not found:
        sys.exit("could not build gmcourse/benches/train_speed.rs")
    return str(ROOT / found[-1]) if not found[-1].startswith("/") else found[-1]


def rate(text: str, name: str) -> float:
    m = re.search(rf"^RESULT {name} ([0-9.]+)", text, re.M)
    if not m:
        raise RuntimeError(f"no RESULT {name} line in:\n{text[-2000:]}")
    return float(m.group(1))


def in_pool(text: str) -> str:
    m = re.search(r"in the thread pool: (true|false)", text)
    return m.group(1) if m else "?"


def cell_text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


def main() -> int:
    binary = standalone_bin()
    env = kernel_env()
    cpu = subprocess.run([binary, "cpu"], env=env, capture_output=True, text=True).stdout.splitlines()[0]
    print(cpu)
    print(f"{STEPS} steps per run, {ROUNDS} rounds, load {open('/proc/loadavg').read().split()[:3]}")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(rn.first_cell_source())]
    for model in MODELS:
        src = CELL.replace("STEPS", str(STEPS)).replace("MODEL", model)
        nb.cells += [nbformat.v4.new_code_cell(src) for _ in range(ROUNDS + 1)]
    client = NotebookClient(nb, kernel_name=rn.KERNEL, timeout=3600, startup_timeout=300,
                            resources={"metadata": {"path": str(rn.NOTEBOOKS)}})
    results = {m: {"kernel": [], "standalone": []} for m in MODELS}
    pool = {}  # where the training thread is a worker of rayon's pool (models::nn::cpu::threads)
    with client.setup_kernel():
        client.execute_cell(nb.cells[0], 0)
        index = 1
        for model in MODELS:
            # the first run of a cell compiles it: untimed, apart from what it prints
            client.execute_cell(nb.cells[index], index)
            index += 1
            for _ in range(ROUNDS):
                client.execute_cell(nb.cells[index], index)
                results[model]["kernel"].append(rate(cell_text(nb.cells[index]), f"lesson_{model}"))
                pool["kernel"] = in_pool(cell_text(nb.cells[index]))
                index += 1
                out = subprocess.run([binary, f"lesson_{model}"], env=dict(env, STEPS=str(STEPS)),
                                     capture_output=True, text=True, check=True, cwd=ROOT)
                results[model]["standalone"].append(rate(out.stdout, f"lesson_{model}"))
                pool["standalone"] = in_pool(out.stdout)
    print(f"load after {open('/proc/loadavg').read().split()[:3]}")
    print(f"{'model':<8} {'kernel steps/s':>15} {'standalone':>11} {'kernel / standalone':>20}   runs (kernel | standalone)")
    worst = float("inf")
    for model, r in results.items():
        k, s = statistics.median(r["kernel"]), statistics.median(r["standalone"])
        worst = min(worst, k / s)
        runs = " ".join(f"{v:.1f}" for v in r["kernel"]) + " | " + " ".join(f"{v:.1f}" for v in r["standalone"])
        print(f"{model:<8} {k:>15.2f} {s:>11.2f} {k / s:>20.2f}   {runs}")
    print(f"target: kernel within 10 % of standalone; worst ratio {worst:.2f}")
    print(f"training thread in rayon's pool: kernel {pool.get('kernel')}, standalone {pool.get('standalone')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
