"""Tests for the gradebook CSV files: the plain one and Canvas's import layout."""

from __future__ import annotations

import csv
import io

from grader.report.gradebook import CANVAS_FILE, PLAIN_FILE, canvas_csv, plain_csv
from grader.results import CheckResult, SubmissionError, SubmissionResult, TaskResult

RUN = {"grader_version": "0.1.0", "rubrics": ["xor", "linreg"], "hidden_cases": True, "lang": "es"}


def task(rubric: str, id: str, score: float, max_score: float) -> TaskResult:
    status = "pass" if score == max_score else "fail"
    return TaskResult(rubric, id, id, (CheckResult("values", status, score, max_score, "public", ""),))


def submissions() -> list[SubmissionResult]:
    return [
        SubmissionResult(
            "ana_gomez",
            "ana_gomez.ipynb",
            "graded",
            tasks=(task("xor", "feedForward", 3, 3), task("xor", "backProp", 1 / 3, 5)),
        ),
        SubmissionResult(
            "María José, Pérez",
            "maria.py",
            "graded",
            tasks=(task("linreg", "calcularCosto", 2, 2), task("linreg", "normalizar", 0, 3)),
        ),
        SubmissionResult(
            '=HYPERLINK("http://x")',
            "hostil.py",
            "graded",
            tasks=(task("xor", "feedForward", 0, 3), task("xor", "backProp", 0, 5)),
        ),
        SubmissionResult(
            "roto", "roto.ipynb", "error", error=SubmissionError("invalid_notebook", "no es JSON")
        ),
    ]


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_plain_csv_has_one_row_per_student_and_a_column_per_function() -> None:
    (name,) = plain_csv(RUN, submissions(), lang="es")
    assert name == PLAIN_FILE
    table = rows(plain_csv(RUN, submissions(), lang="es")[PLAIN_FILE])
    assert table[0] == [
        "id",
        "status",
        "xor.feedForward",
        "xor.backProp",
        "linreg.calcularCosto",
        "linreg.normalizar",
        "total",
        "max",
    ]
    assert table[1] == ["ana_gomez", "graded", "3", "0.33", "", "", "3.33", "8"]
    # Commas and accents survive quoting; the id stays exactly what the platform should match on.
    assert table[2] == ["María José, Pérez", "graded", "", "", "2", "0", "2", "5"]
    # A cell a spreadsheet would evaluate is shown as text instead.
    assert table[3][0] == '\'=HYPERLINK("http://x")'
    # An ungraded submission gets no scores at all, so an import never turns it into a zero.
    assert table[4] == ["roto", "error", "", "", "", "", "", ""]
    assert len(table) == 5


def test_canvas_csv_follows_the_importer_layout() -> None:
    text = canvas_csv(RUN, submissions(), lang="es")[CANVAS_FILE]
    table = rows(text)
    header = table[0]
    # Canvas's importer: header starts "Student,ID", the student columns end with "Section".
    assert text.startswith("Student,ID,")
    assert header[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert header[5:] == [
        "xor: feedForward",
        "xor: backProp",
        "linreg: calcularCosto",
        "linreg: normalizar",
        "xor: total",
        "linreg: total",
    ]
    # Canvas reads "Title (123)" as an assignment id; no title may look like that.
    assert not [title for title in header if title.endswith(")")]
    assert table[1] == ["Points Possible", "", "", "", "", "3", "5", "2", "3", "8", "5"]
    assert table[2] == ["ana_gomez", "", "", "ana_gomez", "", "3", "0.33", "", "", "3.33", ""]
    assert table[3] == ["María José, Pérez", "", "", "María José, Pérez", "", "", "", "2", "0", "", "2"]
    assert table[5] == ["roto", "", "", "roto", "", "", "", "", "", "", ""]
    assert {len(row) for row in table} == {len(header)}


def test_empty_class_still_has_headers() -> None:
    assert rows(plain_csv(RUN, [], lang="es")[PLAIN_FILE]) == [["id", "status", "total", "max"]]
    assert rows(canvas_csv(RUN, [], lang="es")[CANVAS_FILE]) == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"],
        ["Points Possible", "", "", "", ""],
    ]
