"""The headless notebook runner fails on every kind of broken cell, through the real kernel."""

import nbformat
import pytest

import run_notebooks as rn


def notebook(*sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def run(nb):
    return rn.execute(nb, rn.KERNEL, timeout=300, cwd=rn.NOTEBOOKS)


def test_a_panicking_cell_fails_the_run_and_names_the_panic():
    nb = notebook("let x = 41;", 'panic!("boom at step {}", x + 1);', "let y = 1;")
    times, failure = run(nb)
    assert failure is not None
    assert "cell 1" in failure and "boom at step 42" in failure
    # the run stops at the failing cell
    assert len(times) == 2


def test_a_compile_error_fails_the_run():
    _, failure = run(notebook("let x: u32 = \"not a number\";"))
    assert failure is not None and "cell 0" in failure


def test_a_healthy_notebook_passes_and_every_code_cell_is_timed():
    nb = notebook("let v: Vec<u64> = (1..=10).collect();", "v.iter().sum::<u64>()")
    times, failure = run(nb)
    assert failure is None
    assert [t["cell"] for t in times] == [0, 1]
    assert nb.cells[1].outputs[0]["data"]["text/plain"] == "55"


def test_stderr_without_a_panic_is_not_a_failure():
    nb = notebook('eprintln!("just a warning");')
    _, failure = run(nb)
    assert failure is None


def test_committed_notebooks_are_clean_and_share_the_first_cell():
    for path in rn.notebook_paths([]):
        assert rn.clean_problems(path) == [], path.name


def test_a_notebook_with_outputs_is_reported_unclean(tmp_path):
    nb = notebook(rn.first_cell_source(), "1 + 1")
    nb.metadata["kernelspec"] = {"name": rn.KERNEL, "display_name": "Rust (gmcourse)", "language": "rust"}
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="2")]
    path = tmp_path / "99-dirty.ipynb"
    nbformat.write(nb, path)
    problems = rn.clean_problems(path)
    assert any("outputs" in p for p in problems)


def test_asking_for_a_missing_notebook_number_exits_with_a_message():
    with pytest.raises(SystemExit) as e:
        rn.notebook_paths(["77"])
    assert "77" in str(e.value)
