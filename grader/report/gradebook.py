"""Gradebook CSV files for learning platforms: a plain one (Moodle's grade import, spreadsheets) and
Canvas's gradebook-import layout.

The plain file has one row per submission, the LMS identifiers the results carry, one column per
function and the totals. Canvas's has one column per workshop (an assignment), never one per function:
every column title Canvas does not know becomes a new assignment on import. Both count the adjusted
points (see :mod:`grader.overrides`). A submission that could not be graded gets empty score cells,
never a zero: platforms leave an empty cell alone, so a broken notebook or a grader failure waits for
the instructor instead of silently becoming a grade. A run without the hidden cases says so in the
file's name and in its columns, so it is never imported as the final grade by mistake.

Every cell goes through ``_cell``, which keeps the files inert in any spreadsheet: see ``inert``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from grader.messages import words
from grader.report.text import number
from grader.results import SubmissionResult
from grader.student_ids import student_ids

PLAIN_FILE = "grades.csv"
CANVAS_FILE = "grades_canvas.csv"
PUBLIC_ONLY_SUFFIX = "-public-only"
"""Added to a gradebook's file name when the run had no hidden cases."""

CANVAS_STUDENT_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
"""Canvas's student-information columns, in the order its importer expects (ending with ``Section``)."""
POINTS_POSSIBLE = "Points Possible"

Cell = str | float | None
"""A CSV cell: text (always neutralised), a score the grader computed, or nothing (an empty cell)."""

DialectName = Literal["comma", "semicolon"]


@dataclass(frozen=True)
class CsvDialect:
    """How a gradebook file is written. Both dialects are UTF-8 with a byte-order mark, which LMS
    importers skip (Moodle strips it, Canvas finds ``Student`` in the first cell either way) and which
    makes spreadsheets read accents right."""

    separator: str
    decimal: str

    def number(self, value: float) -> str:
        return number(value).replace(".", self.decimal)


DIALECTS: Mapping[DialectName, CsvDialect] = {
    # What LMS importers read in any language, and spreadsheets in locales with a "," list separator.
    "comma": CsvDialect(separator=",", decimal="."),
    # What a spreadsheet in a Spanish (or other ";"-separated, decimal-comma) locale opens as columns;
    # Canvas's importer recognises ";" and decimal commas, Moodle's lets you choose ";".
    "semicolon": CsvDialect(separator=";", decimal=","),
}
DEFAULT_DIALECT: DialectName = "comma"
BOM = "\ufeff"

# Spreadsheet programs run a cell starting with = + - @ as a formula, also after spaces (or the quotes a
# reader may leave in a cell), and a tab or line break at the start is on OWASP's list too. Submission
# ids come from file names the students choose, so any of these can reach a cell.
_FORMULA = r'[\s"]*[=+\-@]|[\t\r\n]'
_FORMULA_AT_START = re.compile(_FORMULA)
# Excel splits on the list separator of its locale, "," or ";", whatever the file uses; such a reader
# only honours the quotes of a line's first cell and starts a new cell after every ";" or line break
# inside the later ones.
_FORMULA_AFTER_BREAK = re.compile(rf"(;|,|\r\n|\r(?!\n)|\n)(?={_FORMULA})")
# A first header cell that needs no quotes stays bare: Canvas finds "Student" in it even with the
# byte-order mark in front, where a quote right after the mark would be a malformed field.
_BARE_WORD = re.compile(r"[A-Za-z]+")


class GradebookRenderer(Protocol):
    def __call__(
        self,
        run: Mapping[str, Any],
        submissions: Sequence[SubmissionResult],
        *,
        lang: str,
        dialect: DialectName = DEFAULT_DIALECT,
    ) -> dict[str, str]: ...


def public_only(run: Mapping[str, Any]) -> bool:
    """Whether the run graded without the hidden cases (no secret): its grades are not final."""
    return run.get("hidden_cases") is False


def file_name(name: str, run: Mapping[str, Any]) -> str:
    """A gradebook's file name, marked when the run was public-only: ``grades-public-only.csv``."""
    if not public_only(run):
        return name
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}{PUBLIC_ONLY_SUFFIX}{dot}{suffix}"


def plain_csv(
    run: Mapping[str, Any],
    submissions: Sequence[SubmissionResult],
    *,
    lang: str,
    dialect: DialectName = DEFAULT_DIALECT,
) -> dict[str, str]:
    """``grades.csv``: ``id``, the LMS identifiers the results carry (``name``, ``moodle_participant``,
    ``canvas_user``, ``github``: a column only when some result has it), ``status``, one column per
    function (``rubric.function``), ``total`` and ``max``."""
    columns = _task_columns(submissions)
    ids = [student_ids(s) for s in submissions]
    identity = [
        key
        for key in ("name", "moodle_participant", "canvas_user", "github")
        if any(getattr(i, key) for i in ids)
    ]
    mark = f" - {words('public_only.mark', lang)}" if public_only(run) else ""
    header: list[Cell] = [
        "id",
        *identity,
        "status",
        *(f"{rubric}.{task}" for rubric, task in columns),
        f"total{mark}",
        f"max{mark}",
    ]
    rows: list[list[Cell]] = [header]
    for submission, who in zip(submissions, ids, strict=True):
        graded = submission.status == "graded"
        scores = {(t.rubric, t.id): submission.task_score(t) for t in submission.tasks}
        rows.append(
            [
                submission.id,
                *(getattr(who, key) or "" for key in identity),
                submission.status,
                *(scores.get(column) if graded else None for column in columns),
                submission.score if graded else None,
                submission.max_score if graded else None,
            ]
        )
    return {file_name(PLAIN_FILE, run): _csv(rows, DIALECTS[dialect])}


def canvas_csv(
    run: Mapping[str, Any],
    submissions: Sequence[SubmissionResult],
    *,
    lang: str,
    dialect: DialectName = DEFAULT_DIALECT,
) -> dict[str, str]:
    """``grades_canvas.csv`` in Canvas's gradebook-import layout: the student columns, one column per
    rubric (the workshop is the assignment: its total, never one column per function) and the
    ``Points Possible`` row.

    Canvas matches a row by ``ID`` (its user id, when the results carry it), then by the SIS ids, then
    by the ``Student`` name; a row it cannot match is shown for the instructor to pick the student.
    A title Canvas does not know creates an assignment: to fill an existing one, give Canvas's own
    gradebook export with ``--roster`` instead (see :mod:`grader.roster`).
    """
    rubrics = list(dict.fromkeys(rubric for s in submissions for rubric in s.rubrics))
    mark = f" - {words('public_only.mark', lang)}" if public_only(run) else ""
    maxima = {
        r: max((s.rubric_max_score(r) for s in submissions if r in s.rubrics), default=0.0) for r in rubrics
    }
    blank: list[Cell] = [None] * (len(CANVAS_STUDENT_COLUMNS) - 1)
    rows: list[list[Cell]] = [
        [*CANVAS_STUDENT_COLUMNS, *(f"{rubric}{mark}" for rubric in rubrics)],
        [POINTS_POSSIBLE, *blank, *(maxima[r] for r in rubrics)],
    ]
    for submission in submissions:
        who = student_ids(submission)
        graded = submission.status == "graded"
        rows.append(
            [
                who.name or submission.id,
                who.canvas_user,
                None,
                None,
                None,
                *(
                    submission.rubric_score(r) if graded and r in submission.rubrics else None
                    for r in rubrics
                ),
            ]
        )
    return {file_name(CANVAS_FILE, run): _csv(rows, DIALECTS[dialect])}


def _task_columns(submissions: Sequence[SubmissionResult]) -> list[tuple[str, str]]:
    return list(dict.fromkeys((t.rubric, t.id) for s in submissions for t in s.tasks))


def inert(text: str) -> str:
    """Text that no spreadsheet evaluates, whichever of "," and ";" it splits on: OWASP's leading
    apostrophe wherever a cell could begin with a formula, at its start and after each separator or
    line break in it, where a reader splitting on another separator begins a new cell (quoting cannot
    prevent that)."""
    text = _FORMULA_AFTER_BREAK.sub(r"\1'", text)
    return f"'{text}" if _FORMULA_AT_START.match(text) else text


def _cell(cell: Cell, dialect: CsvDialect) -> str:
    """A cell as written: every one in double quotes, so that a "," or ";" inside a value splits it
    under neither separator; a score stays a bare number inside them, which platforms read as one."""
    if cell is None:
        text = ""
    elif isinstance(cell, str):
        text = inert(cell)
    else:
        text = dialect.number(cell)
    return '"' + text.replace('"', '""') + '"'


def _csv(rows: Sequence[Sequence[Cell]], dialect: CsvDialect) -> str:
    lines = [dialect.separator.join(_cell(cell, dialect) for cell in row) for row in rows]
    first = rows[0][0] if rows and rows[0] else None
    if isinstance(first, str) and _BARE_WORD.fullmatch(first):
        lines[0] = first + lines[0][len(_cell(first, dialect)) :]
    return BOM + "".join(line + "\r\n" for line in lines)
