"""The classroom set-ups in classroom/: what can be checked on a machine that cannot build
container images or reach GitHub and Gradescope.

- The JupyterHub image installs with the README's own `./course setup`.
- The Helm values and the GitHub Classroom workflow parse, and give each lesson the
  points of the manifest (solutions/exercises.toml).
- Gradescope's run_autograder grades a copy of the shipped stubs through the real grader:
  score 0, and a results.json in Gradescope's format with every test listed.
"""

import json
import os
import re
import shutil
import subprocess
import tomllib

import pytest
import yaml

import run_notebooks as rn
from conftest import ROOT

HUB = ROOT / "classroom" / "jupyterhub"
GRADING = ROOT / "classroom" / "autograding"


def manifest():
    with open(ROOT / "solutions" / "exercises.toml", "rb") as f:
        return tomllib.load(f)


def points_per_lesson():
    points = {}
    for e in manifest()["exercises"]:
        points[e["lesson"]] = points.get(e["lesson"], 0) + e["points"]
    return points


def docker_instructions(text):
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined."""
    joined = re.sub(r"\\\n", " ", text)
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line.strip() else "")
        for line in joined.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_the_jupyterhub_image_installs_with_the_readmes_own_setup_command():
    steps = docker_instructions((HUB / "Dockerfile").read_text())
    runs = [args for kind, args in steps if kind == "RUN"]
    assert any(re.search(r"(^|&&\s*)\./course setup(\s|$)", r) for r in runs), "no RUN ./course setup"
    env = " ".join(args for kind, args in steps if kind == "ENV")
    assert re.search(r"GMCOURSE_HOME=/\S+", env), "GMCOURSE_HOME must point into the image"
    # the course is copied in before setup runs, and setup runs as the notebook user
    kinds = [kind for kind, _ in steps]
    setup_at = next(i for i, (k, a) in enumerate(steps) if k == "RUN" and "./course setup" in a)
    assert "COPY" in kinds[:setup_at] and "USER" in kinds[:setup_at]
    # the README tells students to run the same script
    assert "./course" in (ROOT / "README.md").read_text()
    assert (ROOT / "course").stat().st_mode & 0o111


def test_the_image_start_script_is_valid_bash_and_starts_the_single_user_server():
    script = HUB / "start-gmcourse.sh"
    assert script.stat().st_mode & 0o111
    subprocess.run(["bash", "-n", str(script)], check=True)
    assert "jupyterhub-singleuser" in script.read_text()
    assert "start-gmcourse" in (HUB / "Dockerfile").read_text()


def test_the_helm_values_parse_and_fit_a_lessons_kernel():
    values = yaml.safe_load((HUB / "values.yaml").read_text())
    single = values["singleuser"]
    assert single["cmd"] == "start-gmcourse"
    assert single["image"]["name"] and str(single["image"]["tag"])
    assert single["defaultUrl"].startswith("/lab/")
    limit = single["memory"]["limit"]
    assert limit.endswith("G") and float(limit[:-1]) * 1024 > rn.RSS_LIMIT_MIB, limit
    assert values["prePuller"]["hook"]["enabled"] is True
    assert values["cull"]["enabled"] is True


def test_the_classroom_workflow_gives_each_lesson_its_manifest_points():
    workflow = yaml.safe_load((GRADING / "github-classroom.yml").read_text())
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    graders = [s for s in steps if str(s.get("uses", "")).startswith("classroom-resources/autograding-command-grader")]
    got = {s["id"].removeprefix("lesson-"): s["with"]["max-score"] for s in graders}
    assert got == points_per_lesson()
    # each grader is named after its lesson, as the manifest titles it
    titles = {lesson["id"]: lesson["title"] for lesson in manifest()["lessons"]}
    for s in graders:
        lesson = s["id"].removeprefix("lesson-")
        assert s["name"] == s["with"]["test-name"] == f"Lesson {lesson}: {titles[lesson]}", s["name"]
    for s in graders:
        assert s["with"]["command"].endswith(f"results/results.json {s['id'].removeprefix('lesson-')}")
    reporter = next(s for s in steps if "grading-reporter" in str(s.get("uses", "")))
    assert reporter["with"]["runners"].split(",") == [s["id"] for s in graders]
    assert set(reporter["env"]) == {f"{s['id'].upper()}_RESULTS" for s in graders}
    assert any("run_autograder" in str(s.get("run", "")) for s in steps)


def test_lesson_points_gives_a_lesson_its_points_only_with_full_marks(tmp_path):
    results = {"tests": [
        {"name": "1.1 a [public]", "number": "1.1", "score": 3, "max_score": 3, "status": "passed"},
        {"name": "1.2 b [hidden]", "number": "1.2", "score": 0, "max_score": 2, "status": "failed", "output": "fail: off by one"},
        {"name": "2.1 c [public]", "number": "2.1", "score": 3, "max_score": 3, "status": "passed"},
    ]}
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results))
    run = lambda lesson: subprocess.run(["python3", str(GRADING / "lesson_points.py"), str(path), lesson],
                                        capture_output=True, text=True)
    one, two, three = run("01"), run("2"), run("03")
    assert one.returncode == 1 and "lesson 01: 3 / 5 points" in one.stdout and "off by one" in one.stdout
    assert two.returncode == 0 and "lesson 02: 3 / 3 points" in two.stdout
    assert three.returncode == 1, "a lesson with no tests in the results is not full marks"


def run_autograder(tmp_path, submission):
    env = dict(os.environ, GMCOURSE_SOURCE=str(ROOT), GMCOURSE_SUBMISSION=str(submission),
               GMCOURSE_RESULTS=str(tmp_path / "results"))
    r = subprocess.run([str(GRADING / "run_autograder")], env=env, capture_output=True, text=True, timeout=3600)
    assert r.returncode == 0, r.stderr
    return json.loads((tmp_path / "results" / "results.json").read_text()), r


def test_run_autograder_scores_a_copy_of_the_shipped_stubs_zero_in_gradescopes_format(tmp_path):
    submission = tmp_path / "submission"
    shutil.copytree(ROOT / "exercises", submission, ignore=shutil.ignore_patterns("target"))
    results, run = run_autograder(tmp_path, submission)
    assert results["score"] == 0, run.stdout[-2000:]
    assert results["max_score"] == sum(points_per_lesson().values())
    tests = results["tests"]
    assert len(tests) >= len(manifest()["exercises"])
    for t in tests:
        assert {"name", "score", "max_score", "output", "visibility"} <= set(t), t
        assert t["score"] == 0 and t["max_score"] > 0
        assert t["visibility"] in ("visible", "after_published")
    assert sum(t["max_score"] for t in tests) == results["max_score"]
    assert {t["number"] for t in tests} == {e["id"] for e in manifest()["exercises"]}
    assert (tmp_path / "results" / "feedback.md").read_text().strip()


def test_run_autograder_tells_a_student_whose_upload_has_no_exercise_files(tmp_path):
    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / "notes.txt").write_text("oops")
    results, _ = run_autograder(tmp_path, submission)
    assert results["score"] == 0 and results["tests"] == []
    assert "No exercise files found" in results["output"]
