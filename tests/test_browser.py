"""The reports in a real browser: Debian's Chromium, driven by Playwright, opening the files from disk.

A small class is graded through the command line, with a hostile submission whose file name, printed
output and exception messages are HTML; its results are then copied under the id
``<script>alert(1)</script>`` (a name no file can have, since it holds a slash) and the site is
re-rendered with ``grader report``. Screenshots are saved in each test's temporary folder.
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
SAMPLES = ["ana_gomez.ipynb", "sofia_martinez.ipynb", "mateo_vargas.py", "natalia_reyes.ipynb"]
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
        shutil.copy(ROOT / "submissions" / name, submissions / name)
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
    return out


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
    """Opens a file of the site in a fresh page, recording console errors and dialogs."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def open_(path: Path) -> tuple[Any, PageLog]:
        page = context.new_page()
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
    # The histogram: ten bars, the non-empty ones drawn with a height, counting every graded submission.
    histogram = page.locator("#histogram")
    assert histogram.is_visible()
    heights = [
        float(h)
        for h in histogram.locator("rect.bar").evaluate_all("bars => bars.map(b => b.getAttribute('height'))")
    ]
    assert len(heights) == 10 and sum(1 for h in heights if h > 0) >= 2
    box = histogram.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    # SVG text has no innerText: read textContent.
    counts = histogram.locator("text.count").evaluate_all("labels => labels.map(t => t.textContent)")
    graded = page.locator("#students tbody tr[data-f~='graded']").count()
    assert sum(int(c) for c in counts) == graded == 5
    # Every table is there and visible: students, pass rates, diagnoses, problems.
    assert page.locator("#students tbody tr").count() == len(SAMPLES) + 2
    for table in ("#students", "#check-rates", "#diagnoses", "#problems"):
        assert page.locator(table).is_visible(), table
    assert page.locator("#diagnoses").get_by_text("swapped_outputs").count() == 1
    assert page.locator("#problems").get_by_text("natalia_reyes").count() == 1
    # The script ran: the filter controls are shown and count the rows.
    assert page.locator("#student-controls").is_visible()
    assert page.locator("#student-count").inner_text() == "Se muestran 6 de 6 entregas."


def test_sorting_by_clicking_headings(site: Path, open_page: Any, tmp_path: Path) -> None:
    page, log = open_page(site / "index.html")
    score = page.locator("#students thead th").nth(2)
    score.locator("button").click()
    assert score.get_attribute("aria-sort") == "ascending"
    ascending = column_values(page, 2)
    numbers = [float(v) for v in ascending if v]
    assert numbers == sorted(numbers)
    assert ascending[len(numbers) :] == [""] * (len(ascending) - len(numbers))  # ungraded rows last
    score.locator("button").click()
    assert score.get_attribute("aria-sort") == "descending"
    descending = column_values(page, 2)
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
    assert page.locator("#student-count").inner_text() == "Se muestran 1 de 6 entregas."
    page.locator("#student-search").fill("")
    page.locator("#student-filter").select_option("error")
    assert page.locator("#students tbody tr:not([hidden]) th").all_inner_texts() == ["natalia_reyes"]
    page.locator("#student-filter").select_option("complete")
    assert page.locator("#students tbody tr:not([hidden]) th").all_inner_texts() == ["ana_gomez"]
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
