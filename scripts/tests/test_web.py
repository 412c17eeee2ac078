"""`./course slides` and `./course site`: what they refuse to build from, and what they build.

The refusals run scripts/build_web.py on executed notebooks made up in a scratch folder
(no kernel needed); the rest reads the real build/site and build/slides, built by the
commands from the executed copies in build/notebooks/ (see conftest.py).
"""

import html
import html.parser
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

import build_web as bw
import run_notebooks as rn
from conftest import ROOT

WELCOME = ROOT / "notebooks" / "00-welcome.ipynb"


def executed_copy(source: Path, folder: Path, error_at: int | None = None, edit=None) -> Path:
    """A made-up executed copy of a notebook: every code cell counted, one text output;
    with `error_at`, that cell holds a compile error and the cells after it never ran."""
    nb = nbformat.read(source, as_version=4)
    count = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if error_at is not None and index > error_at:
            continue
        count += 1
        cell.execution_count = count
        if index == error_at:
            cell.outputs = [nbformat.v4.new_output("error", ename="Error", evalue="mismatched types",
                                                   traceback=["error[E0308]: mismatched types"])]
        else:
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="ok\n")]
    if edit:
        edit(nb)
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / source.name)
    return folder / source.name


def first_code_cell_after(source: Path, n: int) -> int:
    nb = nbformat.read(source, as_version=4)
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code"][n]


def build(tmp_path, *args):
    return bw.main([*args, "--executed", str(tmp_path / "executed"), "--out", str(tmp_path / "out"), "--no-run"])


# --- refusals ------------------------------------------------------------------------


def test_slides_of_a_notebook_never_executed_name_the_command_to_run(tmp_path, capsys):
    (tmp_path / "executed").mkdir()
    assert build(tmp_path, "slides", "00") == 1
    err = capsys.readouterr().err
    assert "00-welcome.ipynb has no executed copy" in err
    assert "remedy: run ./course notebooks 00" in err
    assert not (tmp_path / "out").exists()


def test_a_notebook_that_failed_to_execute_is_named_with_its_failing_cell(tmp_path, capsys):
    failing = first_code_cell_after(WELCOME, 1)
    executed_copy(WELCOME, tmp_path / "executed", error_at=failing)
    assert build(tmp_path, "slides", "00") == 1
    err = capsys.readouterr().err
    assert f"00-welcome.ipynb failed to execute at cell {failing}" in err
    assert "mismatched types" in err
    assert "./course notebooks 00" in err
    assert "nothing was built" in err
    assert not (tmp_path / "out").exists()


def test_an_executed_copy_older_than_its_notebook_is_not_used(tmp_path, capsys):
    def edit(nb):
        nb.cells[0].source += "\n\nA sentence the notebook no longer has."

    executed_copy(WELCOME, tmp_path / "executed", edit=edit)
    assert build(tmp_path, "slides", "00") == 1
    err = capsys.readouterr().err
    assert "00-welcome.ipynb has an out-of-date executed copy" in err
    assert "remedy: run ./course notebooks 00" in err


def test_a_failed_site_build_leaves_the_previous_site_as_it_was(tmp_path, capsys):
    executed_copy(WELCOME, tmp_path / "executed", error_at=first_code_cell_after(WELCOME, 0))
    old = tmp_path / "out"
    old.mkdir()
    (old / "index.html").write_text("the previous site")
    assert build(tmp_path, "site") == 1
    assert "failed to execute" in capsys.readouterr().err
    assert (old / "index.html").read_text() == "the previous site"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_site_takes_no_lesson_numbers(tmp_path):
    with pytest.raises(SystemExit):
        build(tmp_path, "site", "01")


# --- what a deck is made of -----------------------------------------------------------


def test_a_deck_keeps_outputs_hides_skipped_cells_and_turns_notes_cells_into_speaker_notes(tmp_path):
    def edit(nb):
        notes = nbformat.v4.new_markdown_cell("Ask the class what $\\theta$ means before the next slide.")
        notes.metadata["slideshow"] = {"slide_type": "notes"}
        nb.cells.insert(1, notes)

    copy_ = executed_copy(WELCOME, tmp_path / "executed", edit=edit)
    lesson = bw.Executed(WELCOME, copy_, "ok")
    decks = bw.build_slides([lesson], tmp_path / "out", bw.VENDOR)
    deck = decks[0].read_text()
    assert decks[0].name == "00-welcome.slides.html"
    notes = re.findall(r'<aside class="notes">(.*?)</aside>', deck, re.S)
    assert len(notes) == 1 and "Ask the class" in notes[0]
    # the first cell (:dep lines) is marked skip
    assert ":dep gmcourse" not in deck
    assert deck.count("<section") >= 10
    assert (tmp_path / "out" / "vendor" / "reveal.js" / "dist" / "reveal.js").is_file()
    assert (tmp_path / "out" / "vendor" / "mathjax" / "tex-svg-full.js").is_file()


# --- the real build -----------------------------------------------------------------


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value and not value.startswith(("data:", "#", "javascript:")):
                self.refs.append((tag, value))


def refs_of(page: Path) -> list[tuple[str, str]]:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.refs


def test_the_site_has_a_page_for_every_lesson_and_an_index_titled_by_their_first_headings(built_site):
    lessons = rn.notebook_paths([])
    index = (built_site / "index.html").read_text()
    for path in lessons:
        assert (built_site / f"{path.stem}.html").is_file(), path.name
        title = bw.title_of(nbformat.read(path, as_version=4), "")
        assert title, f"{path.name} has no level-1 heading"
        assert f'href="{path.stem}.html"' in index
        assert html.escape(bw.short_title(title)) in index


def test_every_link_and_script_of_the_site_and_decks_is_a_local_file_that_exists(built_site, built_slides):
    pages = list(built_site.rglob("*.html")) + list(built_slides.glob("*.slides.html"))
    assert pages
    for page in pages:
        for tag, ref in refs_of(page):
            url = urlparse(ref)
            assert not url.scheme and not url.netloc, f"{page.name}: <{tag}> loads {ref} from the network"
            target = (page.parent / unquote(url.path)).resolve()
            assert target.exists(), f"{page.relative_to(ROOT)}: <{tag}> points at missing {ref}"


def test_lesson_pages_link_their_neighbours_and_exercise_files(built_site):
    lessons = rn.notebook_paths([])
    for i, path in enumerate(lessons):
        page = (built_site / f"{path.stem}.html").read_text()
        rel = lambda r: {m for m in re.findall(r'<a ([^>]*rel="%s"[^>]*)>' % r, page)}
        hrefs = lambda r: {re.search(r'href="([^"]*)"', a).group(1) for a in rel(r)}
        assert hrefs("prev") == ({f"{lessons[i - 1].stem}.html"} if i > 0 else set())
        assert hrefs("next") == ({f"{lessons[i + 1].stem}.html"} if i + 1 < len(lessons) else set())
        for f in (ROOT / "exercises" / "src").glob(f"l{path.name[:2]}_*.rs"):
            assert f'href="exercises/src/{f.name}.html"' in page, f"{path.name} does not link {f.name}"
            rendered = (built_site / "exercises" / "src" / f"{f.name}.html").read_text()
            assert "todo" in rendered and f.name in rendered


def test_the_executed_outputs_reach_the_site(built_site):
    page = (built_site / "01-probability.html").read_text()
    assert page.count('src="data:image/svg+xml') >= 2, "the SVG plots of lesson 01"
    assert "<table" in page, "the HTML joint tables of lesson 01"
    assert "Bernoulli parameters" in page, "printed output of lesson 01"
