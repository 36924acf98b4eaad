"""Feedback back through the LMS (grader/feedback.py): each student's page, packaged as the LMS's bulk
upload expects it, read back the way the LMS reads it.

Moodle's "Upload multiple feedback files in a zip" (mod/assign/feedback/file/importziplib.php,
``is_valid_filename_for_import``): for each path part, ``explode('_', part, 5)``; a part with at least
four pieces whose second is a numeric participant id of the assignment and whose third and fourth name
a plugin of it gives the student; the rest of the path is the feedback file's name.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lms_class import CANVAS_EXPORT, MOODLE_WORKSHEET, run_grader

from grader.feedback import _moodle_name, feedback_zip
from grader.messages import SAY
from grader.results import CheckResult, SubmissionResult, TaskResult

PARTICIPANTS = {"3001", "3002", "3003", "3004", "3005"}  # the worksheet's "Participant N"
PLUGINS = {("assignsubmission", "file"), ("assignfeedback", "file")}


def moodle_import(path: str) -> tuple[str, str] | None:
    """(participant id, file name) as Moodle's zip importer finds them in a member's path, or None."""
    parts = path.split("/")
    if parts[-1].startswith((".", "~")):
        return None
    while parts:
        info = parts.pop(0).split("_", 4)
        if len(info) < 4 or not info[1].isdigit() or info[1] not in PARTICIPANTS:
            continue
        if (info[2], info[3]) not in PLUGINS:
            continue
        rest = [info[4] if len(info) == 5 else "", *parts]
        return info[1], "/".join(rest)
    return None


@pytest.mark.slow
def test_moodle_finds_each_student_in_the_feedback_zip(
    graded_class: Path, grader_command: list[str], tmp_path: Path
) -> None:
    target = tmp_path / "retro.zip"
    done = run_grader(
        grader_command,
        "feedback",
        str(graded_class / "results.json"),
        "--for",
        "moodle",
        "--roster",
        str(MOODLE_WORKSHEET),
        "--out",
        str(target),
    )
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        pages = {name: archive.read(name).decode("utf-8") for name in names}
    found = {moodle_import(name): name for name in names}
    assert None not in found
    assert {key[0] for key in found if key} == {"3001", "3002", "3003", "3005"}
    assert "Ana Gómez_3001_assignsubmission_file_/feedback.html" in names
    # What follows the folder is the file's path for Moodle: "/feedback.html", stored as feedback.html in
    # the student's feedback files (the importer splits it with pathinfo).
    assert all(key[1] == "/feedback.html" for key in found if key)
    # Each page is the report's own student page, on its own: no link back to a class index.
    ana = pages["Ana Gómez_3001_assignsubmission_file_/feedback.html"]
    site = next((graded_class / "students").glob("ana-gomez-*.html")).read_text(encoding="utf-8")
    assert main_section(ana) == main_section(site)
    assert "index.html" not in ana and "ana.gomez" in ana
    # The stray copy has no row in the worksheet: left out, and said.
    assert "copia_vieja: sin identificador de Moodle; no se incluyó" in done.stderr
    assert "páginas de retroalimentación de 4 entregas, para Moodle" in done.stderr


@pytest.mark.slow
def test_canvas_gets_one_page_per_student_named_with_the_user_id(
    graded_class: Path, grader_command: list[str], tmp_path: Path
) -> None:
    target = tmp_path / "canvas.zip"
    done = run_grader(
        grader_command,
        "feedback",
        str(graded_class / "results.json"),
        "--for",
        "canvas",
        "--roster",
        str(CANVAS_EXPORT),
        "--out",
        str(target),
        "--lang",
        "en",
    )
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == [
            "gomezana_4242.html",
            "martinezsofia_4243.html",
            "perezmariajose_4244.html",
        ]
        assert '<html lang="en">' in archive.read("gomezana_4242.html").decode("utf-8")
    assert "ricardo.flores: no Canvas identifier; left out" in done.stderr


@pytest.mark.slow
def test_without_lms_ids_nothing_is_guessed(
    graded_class: Path, grader_command: list[str], tmp_path: Path
) -> None:
    target = tmp_path / "nada.zip"
    done = run_grader(
        grader_command,
        "feedback",
        str(graded_class / "results.json"),
        "--for",
        "moodle",
        "--out",
        str(target),
    )
    assert done.returncode == 2
    assert "ana.gomez: sin identificador de Moodle; no se incluyó" in done.stderr
    assert "da --roster con su lista de calificación" in done.stderr
    assert not target.exists()


def test_names_cannot_break_moodle_s_parts_or_leave_the_zip() -> None:
    assert _moodle_name("Ana_María Gómez") == "Ana María Gómez"
    assert _moodle_name("../../etc/passwd") == "etc passwd"
    assert _moodle_name("___") == "Participant"
    run: dict[str, Any] = {"grader_version": "0.1.0", "rubrics": ["xor"], "hidden_cases": False, "lang": "es"}
    check = CheckResult("values", "pass", 1, 1, "public", SAY("summary.pass", total=1))
    result = SubmissionResult("../x_1", "x.py", "graded", tasks=(TaskResult("xor", "f", "f", (check,)),))
    row = type("Row", (), {"lms_id": "77", "name": "a/b_c\\d"})()
    package = feedback_zip(run, [result], lms="moodle", lang="es", roster={"../x_1": row})  # type: ignore[dict-item]
    with zipfile.ZipFile(io.BytesIO(package.data)) as archive:
        (name,) = archive.namelist()
        page = archive.read(name).decode("utf-8")
    assert name == "a b c d_77_assignsubmission_file_/feedback.html"
    assert moodle_import(name.replace("77", "3001")) == ("3001", "/feedback.html")
    # A run without the hidden cases says so on the page the student gets.
    assert "Solo pruebas públicas" in page


def main_section(page: str) -> str:
    match = re.search(r"<main.*?</main>", page, re.DOTALL)
    assert match
    return match.group(0)
