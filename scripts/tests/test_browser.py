"""Real-browser checks: Debian's Chromium, headless, driven over the DevTools protocol.

It opens the built site and a slide deck from disk (file://, as a student who downloaded
them would) and checks that MathJax typeset the math, that the SVG plots are there and
drawn, and that the page logged no error. It then starts `./course lab` headless, opens
01-probability in JupyterLab, runs its first cells with Shift+Enter and waits for the
plot. Screenshots go to build/screenshots/. Without Chromium the tests fail with the
remedy; none is skipped.
"""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
import uuid

import nbformat
import pytest

from browser import Browser
from conftest import ROOT, SCREENSHOTS

# Every SVG plot of a page (nbconvert and JupyterLab both show image/svg+xml as an <img>
# with a data: URI): its size on the page and what its decoded SVG draws.
PLOTS_JS = r"""
(() => [...document.querySelectorAll('.jp-OutputArea-output img')]
  .filter(img => img.src.startsWith('data:image/svg+xml'))
  .map(img => {
    const r = img.getBoundingClientRect();
    // nbconvert writes base64, JupyterLab percent-encoding
    const [head, body] = [img.src.slice(0, img.src.indexOf(',')), img.src.slice(img.src.indexOf(',') + 1)];
    const text = head.endsWith(';base64')
      ? new TextDecoder().decode(Uint8Array.from(atob(body), c => c.charCodeAt(0)))
      : decodeURIComponent(body);
    const svg = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      loaded: img.complete && img.naturalWidth > 0,
      width: r.width, height: r.height,
      shapes: svg.querySelectorAll('path, polyline, line, rect, circle, polygon, image').length,
      texts: svg.querySelectorAll('text').length,
      broken: !!svg.querySelector('parsererror'),
    };
  }))()
"""

# Math delimiters left in the text of rendered markdown: math MathJax did not typeset.
LEFTOVER_MATH_JS = r"""
(() => {
  const skip = new Set(['CODE', 'PRE', 'MJX-CONTAINER', 'SCRIPT', 'STYLE']);
  const left = [];
  for (const md of document.querySelectorAll('.jp-RenderedMarkdown')) {
    const walk = document.createTreeWalker(md, NodeFilter.SHOW_TEXT);
    while (walk.nextNode()) {
      let e = walk.currentNode.parentElement, hidden = false;
      for (; e && e !== md; e = e.parentElement) if (skip.has(e.tagName)) { hidden = true; break; }
      const t = walk.currentNode.nodeValue;
      if (!hidden && /\$|\\\(|\\\[/.test(t)) left.push(t.trim().slice(0, 80));
    }
  }
  return left;
})()
"""

TYPESET_JS = """
MathJax.startup.promise.then(() => ({
  containers: document.querySelectorAll('mjx-container').length,
  drawn: [...document.querySelectorAll('mjx-container svg')].filter(s => s.getBoundingClientRect().width > 0).length,
  errors: document.querySelectorAll('mjx-merror, [data-mjx-error]').length,
}))
"""


@pytest.fixture(scope="module")
def browser():
    b = Browser()
    yield b
    b.close()


@pytest.fixture
def page(browser):
    p = browser.new_page()
    yield p
    p.close()


def assert_no_errors(page, where):
    page.pump(1.0)
    assert page.errors == [], f"{where} logged errors: {page.errors}"


def assert_plots_drawn(plots, where, at_least):
    """Every plot loaded and draws something besides its background (an image grid is a
    background, one embedded image and a title); at least one is a real chart."""
    assert len(plots) >= at_least, f"{where}: {len(plots)} SVG plots, expected at least {at_least}"
    for i, p in enumerate(plots):
        assert p["loaded"] and not p["broken"], f"{where}: plot {i} did not load: {p}"
        assert p["shapes"] >= 2 and p["texts"] >= 1, f"{where}: plot {i} draws almost nothing: {p}"
    assert max(p["shapes"] for p in plots) >= 10, f"{where}: no plot draws a chart: {plots}"


def test_the_site_index_opens_from_disk_and_lists_every_lesson(built_site, page):
    page.goto((built_site / "index.html").as_uri())
    lessons = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    links = page.js("[...document.querySelectorAll('table.gm-lessons a')].map(a => a.getAttribute('href'))")
    assert [l for l in links if not l.startswith(("exercises/", "slides/"))] == [f"{s}.html" for s in lessons]
    assert [l for l in links if l.startswith("slides/")] == [f"slides/{s}.slides.html" for s in lessons]
    page.screenshot(SCREENSHOTS / "site-index.png")
    assert_no_errors(page, "index.html")


def test_a_lesson_page_typesets_its_math_and_draws_its_svg_plots(built_site, page):
    page.goto((built_site / "01-probability.html").as_uri())
    math = page.js(TYPESET_JS)
    assert math["containers"] >= 20, f"MathJax typeset only {math['containers']} formulas"
    assert math["drawn"] == math["containers"] and math["errors"] == 0, math
    assert page.js(LEFTOVER_MATH_JS) == []
    page.wait_for("[...document.images].every(i => i.complete)", 30, "the images to load")
    assert_plots_drawn(page.js(PLOTS_JS), "01-probability.html", at_least=2)
    for p in page.js(PLOTS_JS):
        assert p["width"] > 100 and p["height"] > 100, p
    assert page.js("document.querySelectorAll('.jp-OutputArea-output table').length") >= 1
    page.screenshot(SCREENSHOTS / "site-01-probability-top.png")
    page.js("document.querySelector('.jp-OutputArea-output img').scrollIntoView({block: 'center'})")
    page.screenshot(SCREENSHOTS / "site-01-probability-plot.png")
    assert_no_errors(page, "01-probability.html")


def test_a_lesson_page_leads_to_its_neighbours_and_its_exercise_file(built_site, page):
    page.goto((built_site / "01-probability.html").as_uri())
    assert page.js("document.querySelector('a[rel=prev]').getAttribute('href')") == "00-welcome.html"
    href = page.js("document.querySelector('#exercise-files a').getAttribute('href')")
    assert href == "exercises/src/l01_probability.rs.html"
    page.goto((built_site / href).as_uri())
    text = page.js("document.body.innerText")
    assert "pub fn marginal_x" in text and "todo!" in text
    page.screenshot(SCREENSHOTS / "site-exercise-l01.png")
    assert_no_errors(page, href)


def test_a_slide_deck_opens_from_disk_with_math_plots_and_no_errors(built_slides, page):
    page.goto((built_slides / "01-probability.slides.html").as_uri())
    page.wait_for("typeof Reveal !== 'undefined' && Reveal.isReady()", 30, "reveal.js to start")
    assert page.js("Reveal.getTotalSlides()") >= 10
    math = page.js(TYPESET_JS)
    assert math["containers"] >= 20 and math["errors"] == 0, math
    assert page.js(LEFTOVER_MATH_JS) == []
    page.screenshot(SCREENSHOTS / "slides-01-title.png")
    # Go to the first slide with a plot: it must be drawn at a visible size there.
    at = page.js("""(() => {
        const img = [...document.querySelectorAll('.jp-OutputArea-output img')]
            .find(i => i.src.startsWith('data:image/svg+xml'));
        const slide = img.closest('section');
        const where = Reveal.getIndices(slide);
        Reveal.slide(where.h, where.v);
        return where; })()""")
    page.pump(1.0)
    plots = page.js(PLOTS_JS)
    assert_plots_drawn(plots, "01-probability.slides.html", at_least=2)
    assert any(p["width"] > 200 and p["height"] > 150 for p in plots), plots
    page.screenshot(SCREENSHOTS / "slides-01-plot.png")
    assert at["h"] > 0
    assert_no_errors(page, "01-probability.slides.html")


# --- JupyterLab, driven through its UI ------------------------------------------------

TOKEN = uuid.uuid4().hex


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture
def lab(tmp_path):
    """`./course lab --no-browser` on a free port, with scratch JupyterLab settings (no
    autosave, so the committed notebook is never written) and workspaces."""
    settings = tmp_path / "settings"
    for plugin, values in {
        "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
        "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    }.items():
        f = settings / f"{plugin}.jupyterlab-settings"
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(values))
    port = free_port()
    env = dict(os.environ, JUPYTER_TOKEN=TOKEN, JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"))
    log = open(tmp_path / "lab.log", "w")
    proc = subprocess.Popen([str(ROOT / "course"), "lab", "--no-browser", "--port", str(port)], env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.time() + 600
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={TOKEN}", timeout=5)
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    pytest.fail(f"./course lab did not start:\n{(tmp_path / 'lab.log').read_text()[-3000:]}")
                time.sleep(0.5)
        yield port
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def test_jupyterlab_runs_the_first_cells_of_01_through_its_ui_and_shows_a_plot(lab, page):
    path = ROOT / "notebooks" / "01-probability.ipynb"
    committed = path.read_bytes()
    nb = nbformat.read(path, as_version=4)
    # Run every cell up to and including the first one that draws a plot.
    first_plot = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "plot::" in c.source)
    try:
        # The notebook's session, with the course kernel, exists before the page opens it:
        # JupyterLab then attaches to it rather than choosing a kernel while the machine
        # is busy (it once fell back to Python that way).
        session = json.dumps({"path": "01-probability.ipynb", "type": "notebook", "name": "01-probability.ipynb",
                              "kernel": {"name": "gmcourse"}}).encode()
        urllib.request.urlopen(urllib.request.Request(
            f"http://127.0.0.1:{lab}/api/sessions?token={TOKEN}", data=session, method="POST",
            headers={"Content-Type": "application/json"}), timeout=120)
        page.goto(f"http://127.0.0.1:{lab}/lab/tree/01-probability.ipynb?token={TOKEN}", timeout=120)
        page.wait_for("document.querySelectorAll('.jp-NotebookPanel .jp-Cell').length > 10", 120,
                      "JupyterLab to show the notebook")
        page.wait_for("(() => { const k = document.querySelector('.jp-NotebookPanel .jp-Toolbar-kernelName');"
                      " return k && k.innerText.trim() === 'Rust (gmcourse)'; })()", 120,
                      "the notebook's kernel to be Rust (gmcourse)")
        page.wait_for("""(() => { const s = document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator');
                       return s && s.getAttribute('data-status') === 'idle'; })()""", 180, "the course kernel to be idle")
        box = page.js("""(() => { const r = document.querySelector('.jp-NotebookPanel .jp-Cell .jp-InputPrompt')
                       .getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()""")
        page.click(box["x"], box["y"])
        page.key("Escape", "Escape", 27)
        for _ in range(first_plot + 1):
            page.key("Enter", "Enter", 13, shift=True)
            page.pump(0.4)
        plot_js = f"""(() => {{ const cell = document.querySelectorAll('.jp-NotebookPanel .jp-Cell')[{first_plot}];
            const img = cell && cell.querySelector('.jp-OutputArea-output img[src^="data:image/svg+xml"], .jp-OutputArea-output svg');
            if (img) img.scrollIntoView({{block: 'center'}});
            return !!img; }})()"""
        errors_js = """[...document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
            .map(e => e.innerText.slice(0, 300)).filter(t => /error|panicked/.test(t))"""
        deadline = time.time() + 900
        while not page.js(plot_js):
            errors = page.js(errors_js)
            assert not errors, f"a cell failed in JupyterLab: {errors}"
            if time.time() > deadline:
                page.screenshot(SCREENSHOTS / "lab-01-probability-timeout.png")
                pytest.fail(f"no plot under cell {first_plot} after 900 s")
            page.pump(1.0)
        page.pump(1.0)
        executed = page.js("[...document.querySelectorAll('.jp-NotebookPanel .jp-Cell.jp-CodeCell .jp-InputPrompt')]"
                           ".filter(p => /\\[\\d+\\]/.test(p.innerText)).length")
        code_cells = sum(1 for c in nb.cells[: first_plot + 1] if c.cell_type == "code")
        assert executed == code_cells, f"{executed} cells show an execution count, expected {code_cells}"
        assert_plots_drawn(page.js(PLOTS_JS), "JupyterLab", at_least=1)
        page.screenshot(SCREENSHOTS / "lab-01-probability-plot.png")
    finally:
        changed = path.read_bytes() != committed
        if changed:
            path.write_bytes(committed)
    assert not changed, "JupyterLab wrote to notebooks/01-probability.ipynb (restored)"
