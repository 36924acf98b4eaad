"""Tests for the gradebook CSV files: the plain one and Canvas's import layout."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace

import pytest

from grader.messages import SAY, verbatim
from grader.report.gradebook import CANVAS_FILE, PLAIN_FILE, canvas_csv, plain_csv
from grader.results import Adjustment, CheckResult, SubmissionError, SubmissionResult, TaskResult

RUN = {"grader_version": "0.1.0", "rubrics": ["xor", "linreg"], "hidden_cases": True, "lang": "es"}


def task(rubric: str, id: str, score: float, max_score: float) -> TaskResult:
    status = "pass" if score == max_score else "fail"
    summary = SAY("summary.pass", total=1) if status == "pass" else SAY("summary.partial", passed=0, total=1)
    return TaskResult(rubric, id, id, (CheckResult("values", status, score, max_score, "public", summary),))


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
            "roto", "roto.ipynb", "error", error=SubmissionError("invalid_notebook", SAY("source.not_json"))
        ),
    ]


def rows(text: str, delimiter: str = ",") -> list[list[str]]:
    # What an LMS importer reads: the byte-order mark is not part of the first cell.
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=delimiter))


def test_plain_csv_has_one_row_per_student_and_a_column_per_function() -> None:
    (name,) = plain_csv(RUN, submissions(), lang="es")
    assert name == PLAIN_FILE
    text = plain_csv(RUN, submissions(), lang="es")[PLAIN_FILE]
    assert text.startswith("\ufeffid,")
    table = rows(text)
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


def test_canvas_csv_has_one_column_per_workshop_not_per_function() -> None:
    # Canvas's importer (instructure/canvas-lms lib/gradebook_importer.rb): the header starts
    # "Student,ID", the student columns end with "Section", every other title is an assignment (a title
    # it does not know becomes a new one), and a row starting "Points Possible" gives the maxima.
    text = canvas_csv(RUN, submissions(), lang="es")[CANVAS_FILE]
    # The first cell stays bare after the byte-order mark: Canvas finds "Student" in it.
    assert text.startswith('\ufeffStudent,"ID",')
    table = rows(text)
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "xor", "linreg"]
    assert table[1] == ["Points Possible", "", "", "", "", "8", "5"]
    # No file stem in the SIS columns (Canvas would look a login up by it), no invented user id.
    assert table[2] == ["ana_gomez", "", "", "", "", "3.33", ""]
    assert table[3] == ["María José, Pérez", "", "", "", "", "", "2"]
    assert table[5] == ["roto", "", "", "", "", "", ""]
    assert {len(row) for row in table} == {len(table[0])}


def test_gradebooks_count_the_adjusted_points() -> None:
    ana, *others = submissions()
    adjusted = replace(
        ana, adjustments=(Adjustment("xor", "backProp", original=1 / 3, points=4, by="Prof", reason="oral"),)
    )
    plain = rows(plain_csv(RUN, [adjusted, *others], lang="es")[PLAIN_FILE])
    assert plain[1] == ["ana_gomez", "graded", "3", "4", "", "", "7", "8"]
    canvas = rows(canvas_csv(RUN, [adjusted, *others], lang="es")[CANVAS_FILE])
    assert canvas[2][5] == "7"


def test_a_public_only_run_is_marked_in_the_file_name_and_the_columns() -> None:
    run = {**RUN, "hidden_cases": False}
    (plain_name,) = plain_csv(run, submissions(), lang="es")
    (canvas_name,) = canvas_csv(run, submissions(), lang="en")
    assert plain_name == "grades-public-only.csv"
    assert canvas_name == "grades_canvas-public-only.csv"
    header = rows(plain_csv(run, submissions(), lang="es")[plain_name])[0]
    assert header[-2:] == ["total - SOLO PRUEBAS PÚBLICAS", "max - SOLO PRUEBAS PÚBLICAS"]
    # In Canvas the marked title is another assignment: importing it never overwrites the real grades.
    titles = rows(canvas_csv(run, submissions(), lang="en")[canvas_name])[0][5:]
    assert titles == ["xor - PUBLIC CHECKS ONLY", "linreg - PUBLIC CHECKS ONLY"]


def test_the_semicolon_dialect_opens_in_columns_in_a_spanish_spreadsheet() -> None:
    text = plain_csv(RUN, submissions(), lang="es", dialect="semicolon")[PLAIN_FILE]
    assert text.startswith("\ufeffid;")
    table = rows(text, delimiter=";")
    assert table[1] == ["ana_gomez", "graded", "3", "0,33", "", "", "3,33", "8"]
    assert table[2][0] == "María José, Pérez"
    canvas = rows(canvas_csv(RUN, submissions(), lang="es", dialect="semicolon")[CANVAS_FILE], delimiter=";")
    assert canvas[2][5] == "3,33"


def test_empty_class_still_has_headers() -> None:
    assert rows(plain_csv(RUN, [], lang="es")[PLAIN_FILE]) == [["id", "status", "total", "max"]]
    assert rows(canvas_csv(RUN, [], lang="es")[CANVAS_FILE]) == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"],
        ["Points Possible", "", "", "", ""],
    ]


# Ids a student can get into a gradebook by naming the submission file (or a name they typed).
HOSTILE_IDS = (
    "x;=1+1;@SUM(1+1)",
    '=HYPERLINK("http://x")',
    "+1",
    "-2+3",
    "@cmd",
    "\t=1",
    " =1",
    'Ana "la jefa"\n=1+1\r\n  @SUM(1);"-3"',
)

# What a spreadsheet would evaluate: a formula sign (after any spaces or stray quotes) or a leading
# tab or line break.
FORMULA = re.compile(r'[\s"]*[=+\-@]|[\t\r\n]')


def hostile_submissions() -> list[SubmissionResult]:
    graded = [
        SubmissionResult(id, f"{id}.py", "graded", tasks=(task("xor", "feedForward", 2, 3),))
        for id in HOSTILE_IDS
    ]
    # Rubric and function names reach the headers; they are text like any other.
    graded.append(SubmissionResult("ok", "ok.py", "graded", tasks=(task("@rubrica", "=f;-g", 1.5, 2),)))
    return [
        *graded,
        SubmissionResult("-roto", "-roto.py", "error", error=SubmissionError("x", verbatim("y"))),
    ]


def quoted_file(table: list[list[str]]) -> str:
    """The text of ``table`` with every cell in double quotes, as a comma-separated file with a
    byte-order mark, but for a first cell that is a bare word."""
    text = "".join(",".join('"' + cell.replace('"', '""') + '"' for cell in row) + "\r\n" for row in table)
    first = table[0][0]
    return "\ufeff" + (first + text[len(first) + 2 :] if first.isalpha() else text)


def written(name: str) -> str:
    write = plain_csv if name == PLAIN_FILE else canvas_csv
    return write(RUN, hostile_submissions(), lang="es")[name]


@pytest.mark.parametrize("name", [PLAIN_FILE, CANVAS_FILE])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_no_cell_is_a_formula_whichever_separator_the_spreadsheet_uses(name: str, delimiter: str) -> None:
    text = written(name)
    cells = [cell for row in rows(text, delimiter) for cell in row]
    assert cells
    assert not [cell for cell in cells if FORMULA.match(cell)]


@pytest.mark.parametrize("name", [PLAIN_FILE, CANVAS_FILE])
def test_every_cell_is_quoted(name: str) -> None:
    text = written(name)
    assert text == quoted_file(rows(text))


def test_hostile_text_is_kept_but_shown_as_text() -> None:
    table = rows(plain_csv(RUN, hostile_submissions(), lang="es")[PLAIN_FILE])
    assert table[0] == ["id", "status", "xor.feedForward", "'@rubrica.=f;'-g", "total", "max"]
    assert [row[0] for row in table[1:]] == [
        "x;'=1+1;'@SUM(1+1)",
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'-2+3",
        "'@cmd",
        "'\t=1",
        "' =1",
        'Ana "la jefa"\n\'=1+1\r\n\'  @SUM(1);\'"-3"',
        "ok",
        "'-roto",
    ]
    # One row per submission, every row as wide as the header: no value split a cell.
    assert len(table) == 1 + len(hostile_submissions())
    assert {len(row) for row in table} == {len(table[0])}


def test_scores_stay_numbers_next_to_hostile_text() -> None:
    plain = rows(plain_csv(RUN, hostile_submissions(), lang="es")[PLAIN_FILE])
    for row in plain[1:9]:
        assert row[1:] == ["graded", "2", "", "2", "3"]
        assert [float(cell) for cell in row[2:] if cell] == [2, 2, 3]
    assert plain[9][1:] == ["graded", "", "1.5", "1.5", "2"]
    canvas = rows(canvas_csv(RUN, hostile_submissions(), lang="es")[CANVAS_FILE])
    assert canvas[0][5:] == ["xor", "'@rubrica"]
    assert canvas[1] == ["Points Possible", "", "", "", "", "3", "2"]
    assert canvas[2] == ["x;'=1+1;'@SUM(1+1)", "", "", "", "", "2", ""]
    assert [float(cell) for cell in canvas[1][5:]] == [3, 2]
