"""Gradebook CSV files for learning platforms: a plain one (Moodle and spreadsheets) and Canvas's layout.

Both have one row per submission and one column per function plus totals. A submission that could not
be graded gets empty score cells, never a zero: platforms leave an empty cell alone, so a broken
notebook or a grader failure waits for the instructor instead of silently becoming a grade.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from grader.report.text import number
from grader.results import SubmissionResult

PLAIN_FILE = "grades.csv"
CANVAS_FILE = "grades_canvas.csv"

CANVAS_STUDENT_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
"""Canvas's student-information columns, in the order its importer expects (ending with ``Section``)."""

# Spreadsheet programs run a cell starting with these as a formula; a file name can start with them.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    rows: list[list[str]] = [["id", "status", *(c.plain_title() for c in columns), "total", "max"]]
    for submission in submissions:
        graded = submission.status == "graded"
        scores = _scores(submission)
        rows.append(
            [
                _text(submission.id),
                submission.status,
                *(scores.get(c, "") if graded else "" for c in columns),
                number(submission.score) if graded else "",
                number(submission.max_score) if graded else "",
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
    rows: list[list[str]] = [
        [*CANVAS_STUDENT_COLUMNS, *(c.canvas_title() for c in columns)],
        ["Points Possible", *blank, *(maxima.get(c, "") for c in columns)],
    ]
    for submission in submissions:
        graded = submission.status == "graded"
        scores = _scores(submission)
        student = _text(submission.id)
        rows.append([student, "", "", student, "", *(scores.get(c, "") if graded else "" for c in columns)])
    return {CANVAS_FILE: _csv(rows)}


def _task_columns(submissions: Sequence[SubmissionResult]) -> list[_Column]:
    return list(dict.fromkeys(_Column(t.rubric, t.id) for s in submissions for t in s.tasks))


def _scores(submission: SubmissionResult) -> dict[_Column, str]:
    scores = {_Column(t.rubric, t.id): number(t.score) for t in submission.tasks}
    for rubric in submission.rubrics:
        total = sum(t.score for t in submission.tasks if t.rubric == rubric)
        scores[_Column(rubric, None)] = number(total)
    return scores


def _maxima(submissions: Sequence[SubmissionResult]) -> dict[_Column, str]:
    # A rubric's points are the same for every submission graded with it; max() covers a partial result.
    tasks: dict[_Column, float] = {}
    for submission in submissions:
        for task in submission.tasks:
            column = _Column(task.rubric, task.id)
            tasks[column] = max(tasks.get(column, 0.0), task.max_score)
    maxima = {column: number(value) for column, value in tasks.items()}
    totals: dict[str, float] = {}
    for column, value in tasks.items():
        totals[column.rubric] = totals.get(column.rubric, 0.0) + value
    maxima.update({_Column(rubric, None): number(value) for rubric, value in totals.items()})
    return maxima


def _text(value: str) -> str:
    """A text cell that spreadsheet programs will show rather than evaluate."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _csv(rows: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()
