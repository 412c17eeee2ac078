"""What the course kernel builds for a cell: only the cell (no chain of unchanged
dependencies), a path dependency edited between cells (a student's exercises/), and one
build for a plain value. Each reply carries `gmcourse_timing` (kernel/src/timing.rs),
whose `rebuilt` lists the crates cargo compiled again besides the cell's and `builds` how
often the cell's crate was built. No test here measures time.
"""
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from jupyter_client.manager import start_new_kernel

KERNEL = "gmcourse"
ROOT = Path(__file__).resolve().parents[2]


def run(kc, code, timeout=900):
    """Executes `code`; returns the reply content, after the idle status."""
    msg_id = kc.execute(code)
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    return reply["content"]


def result_of(kc, code, timeout=900):
    """Executes `code`; returns (reply content, text/plain of its execute_result)."""
    msg_id = kc.execute(code)
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    shown = None
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "execute_result":
            shown = msg["content"]["data"].get("text/plain")
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    return reply["content"], shown


def kernel_in(folder: Path, build_dir: Path):
    """A course kernel started in `folder` that builds in `build_dir` (its own, not a slot)."""
    env = dict(os.environ, EVCXR_TMPDIR=str(build_dir))
    return start_new_kernel(kernel_name=KERNEL, cwd=str(folder), env=env, startup_timeout=600)


@pytest.fixture
def scratch():
    folder = Path(tempfile.mkdtemp(prefix="gmcourse-kernel-builds-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def write_crate(folder: Path, answer: int):
    (folder / "src").mkdir(parents=True, exist_ok=True)
    (folder / "Cargo.toml").write_text('[package]\nname = "scratch"\nversion = "0.1.0"\nedition = "2024"\n\n[lib]\n')
    (folder / "src" / "lib.rs").write_text(f"pub fn answer() -> i32 {{ {answer} }}\n")


def test_warm_cells_rebuild_no_dependency_even_when_the_cache_was_filled_elsewhere(scratch):
    """The rebuild chain of issue 14: evcxr's cache replayed dep-info naming the folder of
    the kernel that filled it (serde_core's generated `out/private.rs`). Once that folder
    is gone, cargo rebuilt serde_core and everything above it on every cell. Here kernel A
    builds serde_core (or replays it), its folder is deleted, and kernel B's warm cells must
    rebuild nothing."""
    dep = ':dep serde_core = { version = "1", features = ["std"] }'
    km, kc = kernel_in(scratch, scratch / "build-a")
    try:
        assert run(kc, dep)["status"] == "ok"
        assert run(kc, "let filled = 1;")["status"] == "ok"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    shutil.rmtree(scratch / "build-a")

    km, kc = kernel_in(scratch, scratch / "build-b")
    try:
        assert run(kc, dep)["status"] == "ok"
        first = run(kc, "let x = 1;")
        assert first["status"] == "ok", first
        for code in ["let y = x + 1;", "let z = y * 2;"]:
            reply = run(kc, code)
            assert reply["status"] == "ok", reply
            assert reply["gmcourse_timing"]["rebuilt"] == [], f"{code!r} rebuilt {reply['gmcourse_timing']['rebuilt']}"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_an_edited_path_dependency_is_used_at_the_next_cell_and_plain_values_build_once(scratch):
    """A student edits exercises/src/*.rs and re-runs a cell: the next cell uses the new
    code, with no kernel restart. Shown with a path dependency of its own (the same as
    exercises/ to cargo), so that no test ever writes into the student's files."""
    crate = scratch / "scratch"
    write_crate(crate, 1)
    km, kc = kernel_in(scratch, scratch / "build")
    try:
        assert run(kc, f':dep scratch = {{ path = "{crate}" }}')["status"] == "ok"
        reply, shown = result_of(kc, "scratch::answer()")
        assert reply["status"] == "ok" and shown == "1", (reply, shown)

        write_crate(crate, 2)
        reply, shown = result_of(kc, "scratch::answer()")
        assert reply["status"] == "ok" and shown == "2", (reply, shown)
        assert reply["gmcourse_timing"]["rebuilt"] == ["scratch"], reply["gmcourse_timing"]

        reply, shown = result_of(kc, "scratch::answer() + 40")
        assert shown == "42"
        assert reply["gmcourse_timing"]["rebuilt"] == [], reply["gmcourse_timing"]
        # An i32 has no evcxr_display: shown with Debug after one build, not two.
        assert reply["gmcourse_timing"]["builds"] == 1, reply["gmcourse_timing"]
        for phase in ("analysis", "cargo", "rustc", "link", "load", "run"):
            assert reply["gmcourse_timing"][phase] >= 0.0
        assert reply["gmcourse_timing"]["link"] > 0.0 and reply["gmcourse_timing"]["rustc"] > 0.0
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_a_work_folder_inside_another_cargo_workspace_still_builds_cells(scratch):
    """A student's work folder can sit below someone's cargo workspace (a home inside a
    course checkout): the cell's crate must not be taken for a member of it."""
    (scratch / "Cargo.toml").write_text('[workspace]\nmembers = []\nresolver = "3"\n')
    km, kc = kernel_in(scratch, scratch / "work" / "build")
    try:
        reply, shown = result_of(kc, "40 + 2")
        assert reply["status"] == "ok" and shown == "42", reply
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
