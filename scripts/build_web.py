#!/usr/bin/env python3
"""Build the course's slide decks and static site from the executed notebooks.

    build_web.py slides [NN ...]   reveal.js decks: build/slides/NN-topic.slides.html
    build_web.py site              static site: build/site/index.html and one page a lesson

Both read the executed copies in build/notebooks/, the ones `./course notebooks` (and so
CI's test run) writes, with their outputs: SVG plots, PNG image grids, HTML tables.
A copy that is missing, or older than its notebook (a cell's source differs), is
executed first with `./course notebooks NN`; with --no-run the command to run is printed
instead. A notebook whose execution failed stops the build with its name and failing
cell, and nothing is written: decks and the site are assembled in a scratch folder and
moved into place only when every page was built.

Everything loads from files next to the pages, so the output works opened from disk
and offline: reveal.js and MathJax come from the npm registry, pinned in
scripts/web/package-lock.json and installed into build/vendor/ by `./course slides` /
`./course site` (scripts/lib.sh, setup_web). The templates are in scripts/web/templates/:
nbconvert's reveal and lab templates with local scripts instead of CDN ones.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

import run_notebooks as rn

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "scripts" / "web"
TEMPLATES = WEB / "templates"
VENDOR = ROOT / "build" / "vendor" / "node_modules"
EXECUTED = ROOT / "build" / "notebooks"
EXERCISES = ROOT / "exercises"

# What each deck or the site copies from the npm packages (source in node_modules,
# destination under vendor/). MathJax's SVG build needs no web fonts, so it also works
# from file:// where Chromium refuses fonts from other files.
REVEAL_FILES = [
    ("reveal.js/dist/reveal.js", "reveal.js/dist/reveal.js"),
    ("reveal.js/dist/reveal.css", "reveal.js/dist/reveal.css"),
    ("reveal.js/dist/theme", "reveal.js/dist/theme"),
    ("reveal.js/plugin/notes/notes.js", "reveal.js/plugin/notes/notes.js"),
    ("reveal.js/LICENSE", "reveal.js/LICENSE"),
]
MATHJAX_FILES = [
    ("mathjax/es5/tex-svg-full.js", "mathjax/tex-svg-full.js"),
    ("mathjax/LICENSE", "mathjax/LICENSE"),
]
MATHJAX_URL = "vendor/mathjax/tex-svg-full.js"
REVEAL_PREFIX = "vendor/reveal.js"


class BuildError(Exception):
    """A build that cannot go on; the message says why and what to run."""


# --- the executed copies -------------------------------------------------------------


@dataclass
class Executed:
    source: Path  # notebooks/NN-topic.ipynb
    copy: Path  # build/notebooks/NN-topic.ipynb
    state: str  # "ok", "missing", "stale" or "failed"
    detail: str = ""

    @property
    def number(self) -> str:
        return self.source.name[:2]


def _sources(nb) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


def _failure_in_timings(copy: Path) -> str | None:
    try:
        timings = json.loads((copy.parent / "timings.json").read_text())
    except (OSError, ValueError):
        return None
    return (timings.get(copy.name) or {}).get("failure")


def inspect(source: Path, executed_dir: Path) -> Executed:
    """The state of the executed copy of one notebook, and the failing cell if it failed."""
    copy = executed_dir / source.name
    if not copy.exists():
        return Executed(source, copy, "missing")
    try:
        nb = nbformat.read(copy, as_version=4)
    except Exception as e:  # a truncated or hand-edited file
        return Executed(source, copy, "stale", f"unreadable ({e})")
    if _sources(nb) != _sources(nbformat.read(source, as_version=4)):
        return Executed(source, copy, "stale", "its cells differ from the notebook's")
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        first = next((l for l in cell.source.splitlines() if l.strip()), "")[:60]
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            why = _failure_in_timings(copy) or f"cell {index} ({first!r}): {rn.error_summary(cell)}"
            return Executed(source, copy, "failed", why)
        panic = rn.stderr_failure(cell)
        if panic:
            why = _failure_in_timings(copy) or f"cell {index} ({first!r}): panic/crash: {panic}"
            return Executed(source, copy, "failed", why)
        if cell.get("execution_count") is None:
            why = _failure_in_timings(copy) or f"cell {index} ({first!r}) was never executed: the run stopped before it"
            return Executed(source, copy, "failed", why)
    return Executed(source, copy, "ok")


def ensure_executed(paths: list[Path], executed_dir: Path, run: bool) -> list[Executed]:
    """Makes sure every notebook has a complete executed copy, running the ones that
    are missing or stale when `run`; raises BuildError naming each notebook that is not
    usable and why."""
    states = [inspect(p, executed_dir) for p in paths]
    todo = [s for s in states if s.state in ("missing", "stale")]
    if todo and run:
        numbers = [s.number for s in todo]
        for s in todo:
            what = "is missing" if s.state == "missing" else f"is out of date ({s.detail})"
            print(f"the executed copy of {s.source.name} {what}: running ./course notebooks {s.number}")
        cmd = [str(ROOT / "course"), "notebooks", *numbers]
        if executed_dir.resolve() != EXECUTED.resolve():
            cmd += ["--out", str(executed_dir)]
        subprocess.run(cmd, cwd=ROOT, check=False)
        states = [inspect(p, executed_dir) for p in paths]
    problems = []
    for s in states:
        if s.state == "failed":
            problems.append(
                f"{s.source.name} failed to execute at {s.detail}\n"
                f"  remedy: fix what this names, then run ./course notebooks {s.number} "
                f"(executed copy with the error: {_rel(s.copy)})"
            )
        elif s.state != "ok":
            what = "has no executed copy" if s.state == "missing" else f"has an out-of-date executed copy ({s.detail})"
            problems.append(f"{s.source.name} {what}\n  remedy: run ./course notebooks {s.number}")
    if problems:
        raise BuildError("\n".join(problems))
    return states


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# --- shared pieces -------------------------------------------------------------------


def title_of(nb, fallback: str) -> str:
    """The text of the notebook's first level-1 heading, without markdown marks."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.startswith("# "):
                return re.sub(r"[*_`]", "", line[2:]).strip()
    return fallback


def short_title(title: str) -> str:
    """'01 · Probability: the rules ...' -> 'Probability: the rules ...'."""
    return re.sub(r"^\d\d\s*[·.:-]\s*", "", title)


def copy_vendor(dest: Path, files: list[tuple[str, str]], vendor: Path) -> None:
    for src, dst in files:
        s, d = vendor / src, dest / "vendor" / dst
        if not s.exists():
            raise BuildError(
                f"{_rel(s)} is missing (the front-end packages are not installed)\n"
                "  remedy: run ./course slides or ./course site, which install them "
                "(npm ci in build/vendor from scripts/web/package-lock.json)"
            )
        d.parent.mkdir(parents=True, exist_ok=True)
        if s.is_dir():
            shutil.copytree(s, d, dirs_exist_ok=True)
        else:
            shutil.copy2(s, d)


def exporter_config(**options):
    from traitlets.config import Config

    c = Config()
    c.TemplateExporter.extra_template_basedirs = [str(TEMPLATES)]
    c.TemplateExporter.extra_template_paths = [str(TEMPLATES)]
    for key, value in options.items():
        cls, name = key.split("__")
        c[cls][name] = value
    return c


def _scratch(out: Path) -> Path:
    tmp = out.parent / f".{out.name}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    return tmp


# --- slides --------------------------------------------------------------------------


def build_slides(lessons: list[Executed], out: Path, vendor: Path) -> list[Path]:
    from nbconvert import SlidesExporter

    config = exporter_config(
        SlidesExporter__reveal_url_prefix=REVEAL_PREFIX,
        SlidesExporter__reveal_theme="white",
        SlidesExporter__reveal_transition="none",
        SlidesExporter__reveal_number="c/t",
        SlidesExporter__mathjax_url=MATHJAX_URL,
        SlidesExporter__exclude_input_prompt=True,
        SlidesExporter__exclude_output_prompt=True,
    )
    exporter = SlidesExporter(config=config, template_name="gmcourse-slides")
    tmp = _scratch(out)
    try:
        copy_vendor(tmp, REVEAL_FILES + MATHJAX_FILES, vendor)
        built = []
        for lesson in lessons:
            nb = nbformat.read(lesson.copy, as_version=4)
            body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": lesson.source.stem}})
            name = f"{lesson.source.stem}.slides.html"
            (tmp / name).write_text(body, encoding="utf-8")
            built.append(name)
        out.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(out / "vendor", ignore_errors=True)
        (tmp / "vendor").rename(out / "vendor")
        for name in built:
            (tmp / name).replace(out / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [out / n for n in built]


# --- site ----------------------------------------------------------------------------


@dataclass
class Page:
    lesson: Executed
    title: str
    href: str
    exercises: list[dict]


def exercise_files(number: str) -> list[dict]:
    """This lesson's exercise files: the stubs students implement and their public tests."""
    files = []
    for folder, what in (("src", "the functions you implement"), ("tests", "their public tests")):
        for path in sorted((EXERCISES / folder).glob(f"l{number}_*.rs")):
            rel = path.relative_to(ROOT).as_posix()
            files.append({"path": rel, "href": f"{rel}.html", "what": what, "file": path, "number": number})
    return files


def _page(title: str, body: str, root: str, extra_head: str = "") -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">\n"
        f"<title>{html.escape(title)}</title>\n"
        f"<link rel=\"stylesheet\" href=\"{root}course.css\">\n{extra_head}</head>\n"
        f"<body class=\"gm-page\">\n{body}\n</body>\n</html>\n"
    )


def source_page(file: dict, lesson_href: str, lesson_title: str) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import RustLexer

    formatter = HtmlFormatter(cssclass="highlight", linenos="table")
    code = highlight(file["file"].read_text(encoding="utf-8"), RustLexer(), formatter)
    root = "../" * file["path"].count("/")
    back = f"<a href=\"{root}{lesson_href}\">&larr; {html.escape(lesson_title)}</a>" if lesson_href else ""
    body = (
        f"<nav class=\"gm-nav\"><span>{back}</span>"
        f"<a class=\"gm-index\" href=\"{root}index.html\">All lessons</a><span></span></nav>\n"
        f"<h1><code>{html.escape(file['path'])}</code></h1>\n"
        f"<p class=\"gm-subtitle\">{html.escape(file['what'].capitalize())}, as shipped in the course repository. "
        "Edit your own copy in <code>exercises/</code>, not this page.</p>\n"
        f"<div class=\"gm-source\">{code}</div>"
    )
    style = f"<style>\n{formatter.get_style_defs('.highlight')}\n</style>\n"
    return _page(file["path"], body, root, style)


def index_page(pages: list[Page]) -> str:
    rows = []
    for p in pages:
        links = " · ".join(
            f"<a href=\"{f['href']}\"><code>{html.escape(f['path'].split('/', 1)[1])}</code></a>" for f in p.exercises
        )
        rows.append(
            f"<tr><td class=\"gm-num\">{p.lesson.number}</td>"
            f"<td><a href=\"{p.href}\">{html.escape(short_title(p.title))}</a></td>"
            f"<td><a href=\"slides/{p.lesson.source.stem}.slides.html\">slides</a></td>"
            f"<td>{links or '—'}</td></tr>"
        )
    body = (
        "<h1>gmcourse: generative models in Rust notebooks</h1>\n"
        "<p class=\"gm-subtitle\">The lessons, executed, with their plots. To run and change them, "
        "clone the course and run <code>./course lab</code>.</p>\n"
        "<table class=\"gm-lessons\">\n<thead><tr><th>#</th><th>lesson</th><th></th><th>exercise files</th></tr></thead>\n"
        f"<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>\n"
        "<footer>Built by <code>./course site</code> from the executed notebooks in <code>build/notebooks/</code>.</footer>"
    )
    return _page("gmcourse: the lessons", body, "")


def link_exercise_mentions(body: str, files: list[dict]) -> str:
    """Turns `exercises/src/l01_x.rs` written in a lesson's text into a link to its page."""
    for f in sorted(files, key=lambda f: -len(f["path"])):
        body = body.replace(
            f"<code>{f['path']}</code>", f"<a href=\"{f['href']}\"><code>{f['path']}</code></a>"
        )
    return body


def build_site(lessons: list[Executed], out: Path, vendor: Path) -> Path:
    from nbconvert import HTMLExporter

    config = exporter_config(HTMLExporter__mathjax_url=MATHJAX_URL)
    exporter = HTMLExporter(config=config, template_name="gmcourse-site")
    notebooks = [nbformat.read(l.copy, as_version=4) for l in lessons]
    pages = [
        Page(l, title_of(nb, l.source.stem), f"{l.source.stem}.html", exercise_files(l.number))
        for l, nb in zip(lessons, notebooks)
    ]
    every_file = [f for n in sorted({p.name[1:3] for p in (EXERCISES / "src").glob("l[0-9][0-9]_*.rs")}) for f in exercise_files(n)]
    tmp = _scratch(out)
    try:
        copy_vendor(tmp, MATHJAX_FILES, vendor)
        shutil.copy2(WEB / "course.css", tmp / "course.css")
        for i, (page, nb) in enumerate(zip(pages, notebooks)):
            prev = pages[i - 1] if i > 0 else None
            nxt = pages[i + 1] if i + 1 < len(pages) else None
            nav = {
                "root": "",
                "number": page.lesson.number,
                "slides": f"slides/{page.lesson.source.stem}.slides.html",
                "prev": prev and {"href": prev.href, "title": prev.title},
                "next": nxt and {"href": nxt.href, "title": nxt.title},
                "exercises": [{k: f[k] for k in ("path", "href", "what")} for f in page.exercises],
            }
            resources = {"metadata": {"name": page.lesson.source.stem}, "gmcourse": nav}
            body, _ = exporter.from_notebook_node(nb, resources=resources)
            body = link_exercise_mentions(body, every_file)
            (tmp / page.href).write_text(body, encoding="utf-8")
        # One page per exercise file, also for lessons whose notebook is still missing:
        # a lesson may mention another lesson's file (00 points at l01).
        for f in every_file:
            page = next((p for p in pages if p.lesson.number == f["number"]), None)
            back = (page.href, page.title) if page else ("", "")
            dest = tmp / f["href"]
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(source_page(f, *back), encoding="utf-8")
        # The decks too, so that a published site is also the lecture's slides.
        build_slides(lessons, tmp / "slides", vendor)
        (tmp / "index.html").write_text(index_page(pages), encoding="utf-8")
        shutil.rmtree(out, ignore_errors=True)
        tmp.rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


# --- command line --------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["slides", "site"])
    ap.add_argument("numbers", nargs="*", help="lesson numbers for slides, e.g. 01 (default: all)")
    ap.add_argument("--executed", type=Path, default=EXECUTED, help="folder of executed notebooks")
    ap.add_argument("--out", type=Path, help="output folder (default build/slides or build/site)")
    ap.add_argument("--vendor", type=Path, default=VENDOR, help="node_modules with reveal.js and mathjax")
    ap.add_argument("--no-run", action="store_true", help="never execute notebooks; say what to run instead")
    args = ap.parse_args(argv)
    if args.what == "site" and args.numbers:
        ap.error("the site always holds every lesson; ./course site takes no lesson numbers")
    out = args.out or ROOT / "build" / args.what

    paths = rn.notebook_paths(args.numbers)
    if not paths:
        print("error: no notebooks found in notebooks/", file=sys.stderr)
        return 1
    try:
        lessons = ensure_executed(paths, args.executed, run=not args.no_run)
        if args.what == "slides":
            for deck in build_slides(lessons, out, args.vendor):
                print(f"slides: {_rel(deck)}")
            print("open a deck in a browser; press S for the speaker notes, F for full screen")
        else:
            site = build_site(lessons, out, args.vendor)
            print(f"site: {_rel(site / 'index.html')} ({len(lessons)} lessons)")
    except BuildError as e:
        for line in str(e).splitlines():
            print(line if line.startswith("  ") else f"error: {line}", file=sys.stderr)
        print(f"error: nothing was built ({_rel(out)} is unchanged)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
