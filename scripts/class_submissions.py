"""A generated class of submissions, for grading at scale (bench/grade_class.py,
scripts/tests/test_grade_class.py).

Each submission is a folder `<name>/src/lNN_topic.rs` as students hand in, made from
solutions/src/ and exercises/src/ (the stubs), of one of these kinds:

- `solution`: the reference solutions;
- `stub`: the shipped stubs (every exercise `todo!()`);
- `half`: a random half of the exercises solved, the rest `todo!()`;
- `compile_error`: the solutions with a type error in one lesson;
- `hostile`: the solutions with a fixture of solutions/hostile/ applied (its patches, as
  `./course validate` applies them; `@COURSE_ROOT@` is this course's path).

Every file starts with a comment naming its student, so that no two submissions are
byte-identical (the grader caches exercise servers by content; a real class shares none).
"""

from __future__ import annotations

import random
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions" / "src"
STUBS = ROOT / "exercises" / "src"
BEGIN, END = "// BEGIN SOLUTION", "// END SOLUTION"
FN = re.compile(r"^((pub(\(crate\))?|const|async|unsafe)\s+)*fn\s+([A-Za-z0-9_]+)")

KINDS = ("solution", "stub", "half", "compile_error", "hostile")


def lesson_files() -> list[str]:
    return sorted(p.name for p in SOLUTIONS.glob("l[0-9][0-9]_*.rs"))


def solution_functions(src: str) -> list[str]:
    """The functions of a solution file that hold a solution block, in order."""
    out, current = [], None
    for line in src.splitlines():
        t = line.strip()
        m = FN.match(t)
        if m and not t.startswith("//"):
            current = m.group(4)
        if t == BEGIN and current and current not in out:
            out.append(current)
    return out


def patch(src: str, function: str, body: str) -> str:
    """Replaces the solution block of `function` by `body` (the grader's validate does the same)."""
    out, current, skipping, done = [], None, False, False
    for line in src.splitlines():
        t = line.strip()
        if skipping:
            skipping = t != END
            continue
        m = FN.match(t)
        if m and not t.startswith("//"):
            current = m.group(4)
        if t == BEGIN and current == function and not done:
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(indent + l for l in body.rstrip().splitlines())
            skipping = done = True
            continue
        out.append(line)
    if not done:
        raise ValueError(f"no solution block in function `{function}`")
    return "\n".join(out) + "\n"


def hostile_fixtures() -> list[tuple[str, dict]]:
    fixtures = []
    for p in sorted((ROOT / "solutions" / "hostile").glob("*.toml")):
        with open(p, "rb") as f:
            fixtures.append((p.stem, tomllib.load(f)))
    return fixtures


def module_file(lesson: str) -> str:
    return next(f for f in lesson_files() if f.startswith(f"l{lesson}_"))


def make(kind: str, rng: random.Random, fixture: tuple[str, dict] | None = None,
         lessons: list[str] | None = None) -> dict[str, str]:
    """The files (name → text) of one submission of `kind`; a compile error goes into one
    of `lessons` (default: any)."""
    files = {f: (SOLUTIONS / f).read_text() for f in lesson_files()}
    if kind == "stub":
        return {f: (STUBS / f).read_text() for f in lesson_files()}
    if kind == "half":
        for f, src in files.items():
            for fn in solution_functions(src):
                if rng.random() < 0.5:
                    src = patch(src, fn, f'todo!("exercise: implement `{fn}`")')
            files[f] = src
    elif kind == "compile_error":
        f = rng.choice([f for f in lesson_files() if lessons is None or f[1:3] in lessons])
        fn = rng.choice(solution_functions(files[f]))
        files[f] = patch(files[f], fn, 'let oops: u32 = "not a number";\ntodo!("{oops}")')
    elif kind == "hostile":
        name, fx = fixture
        root = str(ROOT.resolve())
        for p in fx["patch"]:
            f = module_file(p["lesson"])
            files[f] = patch(files[f], p["function"], p["body"].replace("@COURSE_ROOT@", root))
    elif kind != "solution":
        raise ValueError(f"unknown kind {kind}")
    return files


def plan(n: int) -> list[tuple[str, str]]:
    """(student name, kind) for a class of n: every hostile fixture once while n allows,
    the rest solutions, stubs, half-done and compile errors in the ratio 4 : 3 : 5 : 3."""
    fixtures = [name for name, _ in hostile_fixtures()]
    n_hostile = min(len(fixtures), n // 4)
    rest = n - n_hostile
    weights = {"solution": 4, "stub": 3, "half": 5, "compile_error": 3}
    counts = {k: rest * w // sum(weights.values()) for k, w in weights.items()}
    counts["half"] += rest - sum(counts.values())
    kinds = [k for k, c in counts.items() for _ in range(c)]
    # small classes still get one of each kind
    if n < 20:
        kinds = (["solution", "half", "compile_error", "stub"] * n)[:rest]
    out = [(f"s{i + 1:03d}-{k}", k) for i, k in enumerate(kinds)]
    out += [(f"s{len(kinds) + i + 1:03d}-hostile-{f}", f"hostile:{f}") for i, f in enumerate(fixtures[:n_hostile])]
    return out


def write_class(dest: Path, n: int, seed: int = 17, lessons: list[str] | None = None) -> list[tuple[str, str]]:
    """Writes n submissions under dest/<student>/src/; returns (student, kind) of each.
    With `lessons`, compile errors go only into those lessons (a class graded with --lessons)."""
    rng = random.Random(seed)
    fixtures = dict(hostile_fixtures())
    students = plan(n)
    for name, kind in students:
        if kind.startswith("hostile:"):
            files = make("hostile", rng, (kind[8:], fixtures[kind[8:]]))
        else:
            files = make(kind, rng, lessons=lessons)
        src = dest / name / "src"
        src.mkdir(parents=True, exist_ok=True)
        for f, text in files.items():
            (src / f).write_text(f"// submitted by {name}\n{text}")
    return students


# --- checking a class CSV against individual grades ------------------------------------

def lesson_points(results: dict) -> dict[str, float]:
    """Points per lesson ("01") from a Gradescope results.json of `./course grade`."""
    out: dict[str, float] = {}
    for t in results.get("tests", []):
        lesson = str(t.get("number", "")).split(".")[0].zfill(2)
        out[lesson] = out.get(lesson, 0) + t.get("score", 0)
    return out


def compare(row: dict, results: dict) -> list[str]:
    """Differences between a CSV row and an individual grade's results.json."""
    diffs = []
    per_lesson = lesson_points(results)
    for col, value in row.items():
        if col.startswith("l") and col[1:].isdigit():
            got = per_lesson.get(col[1:], 0)
            if abs(float(value) - got) > 1e-9:
                diffs.append(f"{col}: class CSV {value}, grade {got:g}")
    if abs(float(row["total"]) - results["score"]) > 1e-9:
        diffs.append(f"total: class CSV {row['total']}, grade {results['score']:g}")
    return diffs
