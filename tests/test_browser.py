"""The reports in a real browser: Debian's Chromium, driven by Playwright, opening the files from disk.

A small class is graded through the command line, with a hostile submission whose file name, printed
output and exception messages are HTML; its results are then copied under the id
``<script>alert(1)</script>`` (a name no file can have, since it holds a slash) and the site is
re-rendered with ``grader report``, in Spanish and in English. The class does all three bundled
workshops (one submission two of them, one in the rows-as-instances convention). Screenshots are saved
in each test's temporary folder, at a laptop's width (1366 × 768) and a phone's (390 px).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from grader.report import page_name

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [
    "ana_gomez.ipynb",
    "sofia_martinez.ipynb",
    "mateo_vargas.py",
    "natalia_reyes.ipynb",
    # linreg and xor in one folder; instances as rows; logistica.
    "maria_lopez",
    "luis_perez.py",
    "daniel_quiroga.py",
]
GRADED = len(SAMPLES) - 1 + 2  # natalia_reyes's notebook is empty; the hostile file and its copy
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
# What a page reports about its own layout: the page's width against the window's, and every element
# that scrolls sideways inside the page (a table wider than its box).
LAYOUT = """() => ({
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  scrolling: Array.from(document.querySelectorAll("main *"))
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .filter(e => ["auto", "scroll"].includes(getComputedStyle(e).overflowX))
    .map(e => e.id || e.className || e.tagName),
})"""
HOSTILE_FILE = "<img src=x onerror=alert(1)>.py"
HOSTILE_ID = "<script>alert(1)</script>"
HOSTILE_CODE = """\
import numpy as np


def feedForward(X, w1, w2, b1, b2):
    print("<script>alert('printed')</script><b>negrita</b><img src=x onerror=alert('img')>")
    raise ValueError("<script>alert('exception')</script>")


def costoGlobal(y_est, y):
    return float(np.mean((y_est - y) ** 2))
"""


@dataclass
class PageLog:
    """What a page reported while it was open: console errors, uncaught exceptions, dialogs."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, grader_command: list[str]) -> Path:
    work = tmp_path_factory.mktemp("browser")
    submissions = work / "entregas"
    submissions.mkdir()
    for name in SAMPLES:
        source = ROOT / "submissions" / name
        if source.is_dir():
            shutil.copytree(source, submissions / name)
        else:
            shutil.copy(source, submissions / name)
    (submissions / HOSTILE_FILE).write_text(HOSTILE_CODE, encoding="utf-8")
    env = {**os.environ, "GRADER_SECRET": "browser-test-secret"}
    graded = work / "graded"
    run = subprocess.run(
        [*grader_command, "grade", str(submissions), "--out", str(graded), "--jobs", "2", "--quiet"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    results_path = graded / "results.json"
    document = json.loads(results_path.read_text(encoding="utf-8"))
    (hostile,) = [s for s in document["submissions"] if s["id"] == Path(HOSTILE_FILE).stem]
    document["submissions"].append({**hostile, "id": HOSTILE_ID, "source": f"{HOSTILE_ID}.py"})
    results_path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    out = work / "site"
    rendered = subprocess.run(
        [*grader_command, "report", str(results_path), "--out", str(out), "--format", "all"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert rendered.returncode == 0, rendered.stderr
    english = subprocess.run(
        [*grader_command, "report", str(results_path), "--out", str(work / "site-en"), "--lang", "en"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert english.returncode == 0, english.stderr
    return out


def site_in(site: Path, lang: str) -> Path:
    """The site rendered in ``lang`` (the module's fixture renders Spanish and English)."""
    return site if lang == "es" else site.parent / "site-en"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    assert CHROMIUM.exists(), "the browser tests need Debian's chromium: apt-get install chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    """Opens a file of the site in a fresh page, recording console errors and dialogs (in a window of
    ``viewport``, 1280 × 900 by default)."""
    contexts: dict[tuple[int, int], Any] = {}

    def open_(path: Path, viewport: dict[str, int] | None = None) -> tuple[Any, PageLog]:
        size = viewport or {"width": 1280, "height": 900}
        key = (size["width"], size["height"])
        if key not in contexts:
            contexts[key] = browser.new_context(viewport=size)
        page = contexts[key].new_page()
        log = PageLog()
        page.on(
            "console", lambda message: log.errors.append(message.text) if message.type == "error" else None
        )
        page.on("pageerror", lambda error: log.errors.append(str(error)))

        def on_dialog(dialog: Any) -> None:
            log.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        return page, log

    yield open_
    for context in contexts.values():
        context.close()


def student_file(site: Path, submission_id: str) -> Path:
    return site / "students" / page_name(submission_id)


def column_values(page: Any, column: int) -> list[str]:
    values: list[str] = page.eval_on_selector_all(
        "#students tbody tr:not([hidden])",
        f"rows => rows.map(r => (r.cells[{column}] && r.cells[{column}].getAttribute('data-v')) || '')",
    )
    return values


def test_dashboard_renders_without_errors(site: Path, open_page: Any, tmp_path: Path) -> None:
    page, log = open_page(site / "index.html")
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    assert log.errors == []
    assert log.dialogs == []
    assert page.title() == "Informe de calificación"
    assert page.locator("#students tbody tr[data-f~='graded']").count() == GRADED
    # One histogram per workshop: ten bars, the non-empty ones drawn with a height, counting every graded
    # submission that does the workshop (maria_lopez in two of them).
    histograms = page.locator("svg.histogram")
    assert histograms.evaluate_all("svgs => svgs.map(s => s.dataset.rubric)") == [
        "linreg",
        "logistica",
        "xor",
    ]
    headings = page.locator("#students thead th").all_inner_texts()
    for i in range(histograms.count()):
        histogram = histograms.nth(i)
        assert histogram.is_visible()
        heights = [
            float(h)
            for h in histogram.locator("rect.bar").evaluate_all(
                "bars => bars.map(b => b.getAttribute('height'))"
            )
        ]
        assert len(heights) == 10 and any(h > 0 for h in heights)
        box = histogram.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 150
        # SVG text has no innerText: read textContent.
        counts = histogram.locator("text.count").evaluate_all("labels => labels.map(t => t.textContent)")
        column = next(
            n for n, h in enumerate(headings) if h.strip() == histogram.get_attribute("data-rubric")
        )
        scored = [v for v in column_values(page, column) if v]
        assert sum(int(c) for c in counts) == len(scored) >= 1
    # Every table is there and visible: workshops, students, pass rates, diagnoses, conventions, problems.
    assert page.locator("#students tbody tr").count() == len(SAMPLES) + 2
    for table in ("#workshops", "#students", "#check-rates", "#diagnoses", "#conventions", "#problems"):
        assert page.locator(table).is_visible(), table
    assert page.locator("#diagnoses").get_by_text("swapped_outputs").count() == 1
    # An accepted convention is not a mistake: it has a table of its own.
    assert page.locator("#diagnoses").get_by_text("rows_as_instances").count() == 0
    assert page.locator("#conventions").get_by_text("rows_as_instances").count() == 1
    assert page.locator("#problems").get_by_text("natalia_reyes").count() == 1
    # The script ran: the filter controls are shown and count the rows.
    assert page.locator("#student-controls").is_visible()
    total = len(SAMPLES) + 2
    assert page.locator("#student-count").inner_text() == f"Se muestran {total} de {total} entregas."


def test_sorting_by_clicking_headings(site: Path, open_page: Any, tmp_path: Path) -> None:
    page, log = open_page(site / "index.html")
    xor = page.locator("#students thead th").all_inner_texts().index("xor")
    score = page.locator("#students thead th").nth(xor)
    score.locator("button").click()
    assert score.get_attribute("aria-sort") == "ascending"
    ascending = column_values(page, xor)
    numbers = [float(v) for v in ascending if v]
    assert len(numbers) >= 3 and numbers == sorted(numbers)
    # Rows without a xor score (other workshops, ungraded) last.
    assert ascending[len(numbers) :] == [""] * (len(ascending) - len(numbers))
    score.locator("button").click()
    assert score.get_attribute("aria-sort") == "descending"
    descending = column_values(page, xor)
    assert [float(v) for v in descending if v] == sorted(numbers, reverse=True)
    assert descending[-1] == ""
    page.screenshot(path=str(tmp_path / "sorted.png"), full_page=True)
    # By name, with the keyboard: the sort buttons are real buttons.
    name = page.locator("#students thead th").first
    name.locator("button").focus()
    page.keyboard.press("Enter")
    assert name.get_attribute("aria-sort") == "ascending"
    assert score.get_attribute("aria-sort") is None
    names = page.locator("#students tbody th").all_inner_texts()
    assert names == sorted(names, key=str.lower)
    assert "Ordenado por" in page.locator("#sort-status").inner_text()
    assert log.errors == []


def test_filtering_by_name_and_status(site: Path, open_page: Any) -> None:
    page, log = open_page(site / "index.html")
    page.locator("#student-search").fill("SOFÍA")
    assert page.locator("#students tbody tr:not([hidden]) th").all_inner_texts() == ["sofia_martinez"]
    total = len(SAMPLES) + 2
    assert page.locator("#student-count").inner_text() == f"Se muestran 1 de {total} entregas."
    page.locator("#student-search").fill("")
    page.locator("#student-filter").select_option("error")
    assert page.locator("#students tbody tr:not([hidden]) th").all_inner_texts() == ["natalia_reyes"]
    page.locator("#student-filter").select_option("complete")
    # Full marks in every workshop the submission does (maria_lopez does two).
    shown = page.locator("#students tbody tr:not([hidden]) th").all_inner_texts()
    assert sorted(shown) == ["ana_gomez", "luis_perez", "maria_lopez"]
    assert log.errors == []


def test_student_page(site: Path, open_page: Any, tmp_path: Path) -> None:
    page, log = open_page(student_file(site, "sofia_martinez"))
    page.screenshot(path=str(tmp_path / "student.png"), full_page=True)
    assert log.errors == []
    assert page.locator("h1").inner_text() == "Entrega: sofia_martinez"
    assert page.locator("#breakdown tbody tr").count() == 4
    feed = page.locator("#task-1")
    assert "swapped_outputs" in feed.locator("ul.diagnoses").inner_text()
    assert feed.locator("tbody tr").count() >= 2
    # Hidden cases are named but never show their inputs.
    hidden_rows = feed.locator("tbody tr", has_text="oculta")
    assert hidden_rows.count() >= 1
    for text in hidden_rows.all_inner_texts():
        assert "entradas:" not in text
    page.get_by_role("link", name="Volver al índice").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/index.html")


def test_student_page_prints(site: Path, open_page: Any, tmp_path: Path) -> None:
    page, log = open_page(student_file(site, "mateo_vargas"))
    page.emulate_media(media="print")
    assert not page.locator("nav").is_visible()
    pdf = page.pdf(path=str(tmp_path / "student.pdf"))
    assert pdf.startswith(b"%PDF")
    assert log.errors == []


def test_hostile_submission_renders_as_text(site: Path, open_page: Any, tmp_path: Path) -> None:
    index, index_log = open_page(site / "index.html")
    assert index.locator("#students tbody th", has_text=HOSTILE_ID).count() == 1
    assert index.locator("#students tbody th", has_text=Path(HOSTILE_FILE).stem).count() == 1
    for submission_id in (HOSTILE_ID, Path(HOSTILE_FILE).stem):
        page, log = open_page(student_file(site, submission_id))
        page.screenshot(path=str(tmp_path / f"hostile-{page_name(submission_id)}.png"), full_page=True)
        assert page.locator("h1").inner_text() == f"Entrega: {submission_id}"
        output = page.locator("pre.output").inner_text()
        assert "<script>alert('printed')</script><b>negrita</b>" in output
        assert "<script>alert('exception')</script>" in page.locator("#task-1").inner_text()
        # Nothing the student wrote became an element, and nothing ran.
        assert page.locator("main b, main img, main script").count() == 0
        assert log.dialogs == [] and log.errors == []
    assert index_log.dialogs == [] and index_log.errors == []


# --- layout at a laptop's and a phone's width, in both languages ----------------------------------------

PAGES = {"dashboard": None, "student": "ana_gomez"}
AXIS_TITLES = {"es": ("época", "costo"), "en": ("epoch", "cost")}


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_pages_fit_the_window(
    site: Path, open_page: Any, tmp_path: Path, kind: str, viewport: dict[str, int], lang: str
) -> None:
    root = site_in(site, lang)
    student = PAGES[kind]
    page, log = open_page(root / "index.html" if student is None else student_file(root, student), viewport)
    page.screenshot(path=str(tmp_path / f"{kind}-{lang}-{viewport['width']}.png"), full_page=True)
    assert log.errors == [] and log.dialogs == []
    assert page.locator("html").get_attribute("lang") == lang
    layout = page.evaluate(LAYOUT)
    assert layout["innerWidth"] == viewport["width"]
    # Nothing makes the page scroll sideways.
    assert layout["scrollWidth"] <= layout["innerWidth"], layout
    if viewport is LAPTOP:
        # Nor any table inside it: at a laptop's width everything reads without scrolling sideways.
        assert layout["scrolling"] == [], layout
    if student is None:
        # The class table never scrolls sideways: on a phone its rows are stacked.
        wrapper = page.locator("#students").evaluate(
            "t => [t.parentElement.scrollWidth, t.parentElement.clientWidth]"
        )
        assert wrapper[0] <= wrapper[1], wrapper
    else:
        plot = page.locator("svg.cost-plot").first
        box = plot.bounding_box()
        assert box is not None and box["width"] <= viewport["width"]
        assert box["width"] >= min(500, 0.75 * viewport["width"]), box
        epoch, cost = AXIS_TITLES[lang]
        assert plot.locator("text.x-title").text_content() == epoch
        assert plot.locator("text.y-title").text_content() == cost
        assert plot.locator("text.x-title").is_visible() and plot.locator("text.y-title").is_visible()


def test_the_reference_stays_visible_over_an_identical_student_line(site: Path, open_page: Any) -> None:
    # ana_gomez's training loop is right: her cost curve is the reference's.
    page, log = open_page(student_file(site, "ana_gomez"), LAPTOP)
    plot = page.locator("svg.cost-plot").first
    plot.scroll_into_view_if_needed()
    points = plot.locator("g.line.ref polyline").get_attribute("points") or ""
    assert points == plot.locator("g.line.you polyline").get_attribute("points")
    assert len(points.split()) >= 5
    # What the browser shows on top at each point of the curve is the reference's line or point.
    on_top = plot.evaluate(
        """svg => Array.from(svg.querySelectorAll("g.line.ref circle")).map(c => {
             const r = c.getBoundingClientRect();
             const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
             return hit && hit.closest("g.line") ? hit.closest("g.line").getAttribute("class") : null;
           })"""
    )
    assert on_top and set(on_top) == {"line ref"}, on_top
    assert log.errors == []


def test_function_details_open_on_demand_with_or_without_the_script(site: Path, open_page: Any) -> None:
    page, log = open_page(site / "index.html", LAPTOP)
    cell = page.locator("#students tbody tr", has_text="maria_lopez").locator("td.cell").first
    assert not cell.locator("ul.task-scores").is_visible()
    # A workshop's cell opens by itself (a <details> element, no script needed) …
    cell.locator("summary").click()
    assert cell.locator("ul.task-scores li").count() == 4
    assert cell.locator("ul.task-scores").is_visible()
    # … and the script's button opens every cell, and closes them again.
    toggle = page.locator("#details-toggle")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert page.locator("#students details:not([open])").count() == 0
    assert page.evaluate(LAYOUT)["scrolling"] == []
    toggle.click()
    assert page.locator("#students details[open]").count() == 0
    assert log.errors == []


def test_many_workshops_still_fit_a_laptop(
    site: Path, grader_command: list[str], open_page: Any, tmp_path: Path
) -> None:
    # The class's real results, each workshop done again under two more names: nine workshops.
    document = json.loads((site.parent / "graded" / "results.json").read_text(encoding="utf-8"))
    for submission in document["submissions"]:
        submission["tasks"] += [
            {**task, "rubric": f"{task['rubric']}_{copy}"} for copy in (2, 3) for task in submission["tasks"]
        ]
    results = tmp_path / "results.json"
    results.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "site"
    rendered = subprocess.run(
        [*grader_command, "report", str(results), "--out", str(out), "--format", "html"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert rendered.returncode == 0, rendered.stderr
    page, log = open_page(out / "index.html", LAPTOP)
    assert page.locator("#students thead th.workshop-col").count() == 9
    page.screenshot(path=str(tmp_path / "nine-workshops.png"), full_page=True)
    layout = page.evaluate(LAYOUT)
    assert layout["scrollWidth"] <= layout["innerWidth"] and layout["scrolling"] == [], layout
    assert log.errors == []
