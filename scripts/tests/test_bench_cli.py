"""`./course bench`: names first, then options for the one benchmark named. A wrong name
or options without exactly one benchmark stop at once with a remedy, before set-up runs
and before any benchmark starts (the old script ran the first benchmark, then took
`--students` for a benchmark's name)."""

import subprocess

from conftest import ROOT


def course(*args):
    return subprocess.run([str(ROOT / "course"), "bench", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)


def test_an_unknown_benchmark_is_refused_before_anything_runs():
    r = course("grade_class", "nosuch")
    assert r.returncode != 0
    assert "no benchmark named 'nosuch'" in r.stderr + r.stdout
    assert "==>" not in r.stdout, r.stdout


def test_options_need_exactly_one_benchmark():
    r = course("class", "grade_class", "--students", "2")
    assert r.returncode != 0
    out = r.stderr + r.stdout
    assert "options (--students 2) need exactly one benchmark" in out and "remedy" in out, out
    assert "==>" not in r.stdout, r.stdout
