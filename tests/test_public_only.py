"""No accidental public-only gradebook: ``grader grade`` without a secret stops and says how to set one;
a run asked for with --public-only marks every page, every gradebook (name and contents) and the summary."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from lms_class import run_grader

SAMPLES = Path(__file__).resolve().parent.parent / "submissions"


def class_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "entregas"
    folder.mkdir()
    for name in ("ana_gomez.ipynb", "sofia_martinez.ipynb"):
        shutil.copy(SAMPLES / name, folder / name)
    return folder


@pytest.mark.slow
def test_grading_without_a_secret_stops_and_says_how_to_set_one(
    grader_command: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    done = run_grader(grader_command, "grade", str(class_folder(tmp_path)), "--out", str(out), secret=False)
    assert done.returncode == 2
    assert "no secret for the hidden cases: set GRADER_SECRET" in done.stderr
    assert "--secret-file FILE" in done.stderr and "--public-only" in done.stderr
    assert not out.exists()


@pytest.mark.slow
def test_a_public_only_run_is_marked_everywhere(grader_command: list[str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_grader(
        grader_command, "grade", str(class_folder(tmp_path)), "--out", str(out), "--public-only", secret=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads((out / "results.json").read_text(encoding="utf-8"))["run"]["hidden_cases"] is False
    # Gradebooks: marked in their names (no file an LMS import would take for the real one) and columns.
    assert not (out / "grades.csv").exists() and not (out / "grades_canvas.csv").exists()
    plain = list(csv.reader(io.StringIO((out / "grades-public-only.csv").read_text(encoding="utf-8-sig"))))
    assert plain[0][-2:] == ["total - SOLO PRUEBAS PÚBLICAS", "max - SOLO PRUEBAS PÚBLICAS"]
    canvas = list(
        csv.reader(io.StringIO((out / "grades_canvas-public-only.csv").read_text(encoding="utf-8-sig")))
    )
    assert canvas[0][5:] == ["xor - SOLO PRUEBAS PÚBLICAS"]
    # Every page says so at the top of its content.
    pages = [out / "index.html", *sorted((out / "students").glob("*.html"))]
    assert len(pages) == 3
    for page in pages:
        text = page.read_text(encoding="utf-8")
        main = text[text.index("<main") :]
        assert main.index("Solo pruebas públicas: esta calificación se hizo sin el secreto") < 300, page
    # And the terminal summary.
    assert "Solo comprobaciones públicas" in done.stderr


@pytest.mark.slow
def test_public_only_wins_over_a_secret_and_says_it_is_not_read(
    grader_command: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    done = run_grader(
        grader_command, "grade", str(class_folder(tmp_path)), "--out", str(out), "--public-only", "--quiet"
    )
    assert done.returncode == 0, done.stderr
    assert "warning: --public-only: the secret is not read; hidden cases do not run." in done.stderr
    assert json.loads((out / "results.json").read_text(encoding="utf-8"))["run"]["hidden_cases"] is False


@pytest.mark.slow
def test_check_says_it_runs_the_public_checks_only(grader_command: list[str]) -> None:
    done = run_grader(grader_command, "check", str(SAMPLES / "ana_gomez.ipynb"), "--lang", "es", secret=False)
    assert done.returncode == 0, done.stderr
    assert "Solo comprobaciones públicas" in done.stdout
