"""Gradebook CSV files for learning platforms: a plain one (Moodle and spreadsheets) and Canvas's layout.

Both have one row per submission and one column per function plus totals. A submission that could not
be graded gets empty score cells, never a zero: platforms leave an empty cell alone, so a broken
notebook or a grader failure waits for the instructor instead of silently becoming a grade.

Every cell goes through ``_csv``, which keeps the files inert in any spreadsheet: see ``_inert``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from grader.report.text import number
from grader.results import SubmissionResult

PLAIN_FILE = "grades.csv"
CANVAS_FILE = "grades_canvas.csv"

CANVAS_STUDENT_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
"""Canvas's student-information columns, in the order its importer expects (ending with ``Section``)."""

Cell = str | float
"""A CSV cell: text (always neutralised) or a score the grader computed (written as a plain number)."""

# Spreadsheet programs run a cell starting with = + - @ as a formula, also after spaces (or the quotes a
# reader may leave in a cell), and a tab or line break at the start is on OWASP's list too. Submission
# ids come from file names the students choose, so any of these can reach a cell.
_FORMULA = r'[\s"]*[=+\-@]|[\t\r\n]'
_FORMULA_AT_START = re.compile(_FORMULA)
# The files are comma-separated, but Excel in a locale whose list separator is ";" (Spanish, among
# others) splits on ";" instead; such a reader only honours the quotes of a line's first cell and
# starts a new cell after every ";" or line break inside the later ones.
_FORMULA_AFTER_BREAK = re.compile(rf"(;|\r\n|\r(?!\n)|\n)(?={_FORMULA})")


@dataclass(frozen=True)
class _Column:
    rubric: str
    task: str | None  # None: the rubric's total

    def plain_title(self) -> str:
        return f"{self.rubric}.{self.task}" if self.task else f"{self.rubric}.total"

    def canvas_title(self) -> str:
        # Canvas reads "Title (123)" as an assignment id, so titles avoid parentheses.
        return f"{self.rubric}: {self.task}" if self.task else f"{self.rubric}: total"


def plain_csv(
    run: Mapping[str, Any], submissions: Sequence[SubmissionResult], *, lang: str
) -> dict[str, str]:
    """``grades.csv``: ``id,status,<rubric.function>…,total,max``; map ``id`` to the username on import."""
    del run, lang  # the file is the same whatever the run's language
    columns = _task_columns(submissions)
    rows: list[list[Cell]] = [["id", "status", *(c.plain_title() for c in columns), "total", "max"]]
    for submission in submissions:
        graded = submission.status == "graded"
        scores = _scores(submission)
        rows.append(
            [
                submission.id,
                submission.status,
                *(scores.get(c, "") if graded else "" for c in columns),
                submission.score if graded else "",
                submission.max_score if graded else "",
            ]
        )
    return {PLAIN_FILE: _csv(rows)}


def canvas_csv(
    run: Mapping[str, Any], submissions: Sequence[SubmissionResult], *, lang: str
) -> dict[str, str]:
    """``grades_canvas.csv`` in Canvas's gradebook-import layout, with a ``Points Possible`` row.

    Canvas matches students by ``SIS Login ID`` (here the submission id, which is the student's
    username when submissions are named after it) and then by name. Every function and every rubric
    total is a column; Canvas offers to create an assignment for each title it does not know, and the
    instructor can ignore the columns they do not want.
    """
    del run, lang
    columns = _task_columns(submissions)
    rubrics = list(dict.fromkeys(c.rubric for c in columns))
    columns += [_Column(rubric, None) for rubric in rubrics]
    maxima = _maxima(submissions)
    blank = [""] * (len(CANVAS_STUDENT_COLUMNS) - 1)
    rows: list[list[Cell]] = [
        [*CANVAS_STUDENT_COLUMNS, *(c.canvas_title() for c in columns)],
        ["Points Possible", *blank, *(maxima.get(c, "") for c in columns)],
    ]
    for submission in submissions:
        graded = submission.status == "graded"
        scores = _scores(submission)
        student = submission.id
        rows.append([student, "", "", student, "", *(scores.get(c, "") if graded else "" for c in columns)])
    return {CANVAS_FILE: _csv(rows)}


def _task_columns(submissions: Sequence[SubmissionResult]) -> list[_Column]:
    return list(dict.fromkeys(_Column(t.rubric, t.id) for s in submissions for t in s.tasks))


def _scores(submission: SubmissionResult) -> dict[_Column, float]:
    scores = {_Column(t.rubric, t.id): t.score for t in submission.tasks}
    for rubric in submission.rubrics:
        scores[_Column(rubric, None)] = sum(t.score for t in submission.tasks if t.rubric == rubric)
    return scores


def _maxima(submissions: Sequence[SubmissionResult]) -> dict[_Column, float]:
    # A rubric's points are the same for every submission graded with it; max() covers a partial result.
    tasks: dict[_Column, float] = {}
    for submission in submissions:
        for task in submission.tasks:
            column = _Column(task.rubric, task.id)
            tasks[column] = max(tasks.get(column, 0.0), task.max_score)
    maxima = dict(tasks)
    for column, value in tasks.items():
        total = _Column(column.rubric, None)
        maxima[total] = maxima.get(total, 0.0) + value
    return maxima


def _inert(cell: Cell) -> str:
    """The text of a cell that no spreadsheet evaluates, whichever of "," and ";" it splits on.

    A score stays a bare number so platforms and spreadsheets still read it as one. Text gets OWASP's
    leading apostrophe wherever a cell could begin with a formula: at its start, and after each ";" or
    line break in it, where a ";"-splitting reader begins a new cell (quoting cannot prevent that).
    """
    if not isinstance(cell, str):
        return number(cell)
    text = _FORMULA_AFTER_BREAK.sub(r"\1'", cell)
    return f"'{text}" if _FORMULA_AT_START.match(text) else text


def _csv(rows: Sequence[Sequence[Cell]]) -> str:
    buffer = io.StringIO()
    # Quoting every cell keeps a "," or ";" inside a value from splitting it under either separator.
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerows([_inert(cell) for cell in row] for row in rows)
    return buffer.getvalue()
