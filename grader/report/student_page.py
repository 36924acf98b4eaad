"""One student's page: the submission's verdict and total, each function with its checks, diagnoses and
cost plot, the files graded and who handed them in, the manual adjustments, and the captured output."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath

from grader.messages import words
from grader.report.cost_plot import Curve, curve_chart
from grader.report.page_parts import Status, status, task_status
from grader.report.text import (
    check_text,
    diagnoses,
    hint,
    message_text,
    number,
    percentage,
    points,
    printable,
    where,
)
from grader.results import CheckResult, SubmissionResult, TaskResult


@dataclass(frozen=True)
class _StudentPage:
    id: str
    source: str
    status: Status
    points: str
    percent: float | None
    percent_text: str
    duration: str
    notes: tuple[str, ...]
    error: _ErrorView | None
    tasks: tuple[_TaskView, ...]
    output: str
    output_note: str | None
    output_notes: tuple[str, ...]
    grader_version: str
    adjustments_heading: str = ""
    adjustments: tuple[str, ...] = ()
    files: _FilesView | None = None


@dataclass(frozen=True)
class _TaskView:
    anchor: str
    rubric: str
    id: str
    found_as: str | None
    status: Status
    points: str
    percent: float
    notes: tuple[str, ...]
    checks: tuple[_CheckRow, ...]
    diagnoses: tuple[_Diagnosis, ...]
    source: str | None = None
    location: str | None = None
    curve: Curve | None = None


@dataclass(frozen=True)
class _CheckRow:
    id: str
    visibility: str
    status: Status
    points: str
    message: str


@dataclass(frozen=True)
class _Diagnosis:
    code: str
    hint: str | None


@dataclass(frozen=True)
class _ErrorView:
    kind: str
    message: str


@dataclass(frozen=True)
class _FilesView:
    """Which of the submission's files were graded and which were not, and who handed it in."""

    heading: str
    graded_label: str
    graded: tuple[str, ...]
    ignored_label: str
    ignored: tuple[str, ...]  # each file not graded and why, in words
    notes: tuple[str, ...]  # each function defined in two files, in words
    student_label: str
    student: str | None


def student_page(
    submission: SubmissionResult,
    strings: Mapping[str, str],
    *,
    lang: str,
    grader_version: str,
    conventions: Mapping[str, frozenset[str]],
    output_limit: int,
) -> _StudentPage:
    """What ``student.html`` shows of ``submission``, with at most ``output_limit`` characters of its
    captured output."""
    output = submission.output
    note = None
    if len(output) > output_limit:
        note = strings["output_truncated"].format(shown=_count(output_limit), total=_count(len(output)))
        output = output[:output_limit]
    share = percentage(submission.score, submission.max_score) if submission.tasks else None
    return _StudentPage(
        id=submission.id,
        # Only the name the student handed in: the page goes back to the student, and the folder it
        # was graded from is the instructor's business.
        source=PurePath(submission.source.replace("\\", "/")).name or submission.id,
        status=status(submission.status, f"submission_{submission.status}", strings),
        points=_submission_points(submission),
        percent=None if share is None else round(share, 1),
        percent_text="" if share is None else f"{number(share, decimals=0)} %",
        duration=f"{submission.duration_s:.1f} s",
        notes=tuple(printable(message_text(note, lang)) for note in submission.notes),
        error=_ErrorView(submission.error.kind, printable(message_text(submission.error.message, lang)))
        if submission.error
        else None,
        tasks=tuple(
            _task_view(i, task, strings, lang=lang, conventions=conventions)
            for i, task in enumerate(submission.tasks, start=1)
        ),
        output=printable(output),
        output_note=note,
        output_notes=tuple(printable(message_text(n, lang)) for n in submission.output_notes),
        grader_version=grader_version,
        adjustments_heading=words("adjust.heading", lang),
        adjustments=_adjustment_lines(submission, lang),
        files=_files_view(submission, lang),
    )


def _task_view(
    number_: int,
    task: TaskResult,
    strings: Mapping[str, str],
    *,
    lang: str,
    conventions: Mapping[str, frozenset[str]],
) -> _TaskView:
    # An accepted convention is told in the task's notes; it is not a mistake to list.
    accepted = conventions.get(task.rubric, frozenset())
    share = percentage(task.score, task.max_score)
    return _TaskView(
        anchor=f"task-{number_}",
        rubric=task.rubric,
        id=task.id,
        found_as=task.found_as,
        status=task_status(task, strings),
        points=points(task.score, task.max_score),
        percent=0.0 if share is None else round(share, 1),
        notes=tuple(printable(message_text(note, lang)) for note in task.notes),
        checks=tuple(_check_row(c, strings, lang=lang) for c in task.checks),
        diagnoses=tuple(
            _Diagnosis(code, hint(code, lang)) for code in diagnoses(task.checks) if code not in accepted
        ),
        source=printable(task.source) if task.source else None,
        location=printable(where(task.location, lang)) if task.location else None,
        curve=curve_chart(task.curve, strings),
    )


def _check_row(check: CheckResult, strings: Mapping[str, str], *, lang: str) -> _CheckRow:
    return _CheckRow(
        id=check.id,
        visibility=strings[f"visibility_{check.visibility}"],
        status=status(check.status, f"check_{check.status}", strings),
        points=points(check.score, check.max_score),
        message=printable(check_text(check, lang)),
    )


def _files_view(submission: SubmissionResult, lang: str) -> _FilesView | None:
    """The files part of a student's page, from the fields the result keeps (never from its words)."""
    files = submission.files
    if files is None and submission.student is None:
        return None
    # One line per pair of files: a stale copy defines every function again.
    pairs: dict[tuple[str, str], list[str]] = {}
    for d in files.duplicates if files else ():
        pairs.setdefault((d.graded_in, d.also_in), []).append(d.function)
    duplicates = [
        words("note.defined_twice", lang, function=names[0], graded=graded, other=other)
        if len(names) == 1
        else words("note.defined_twice_many", lang, functions=", ".join(names), graded=graded, other=other)
        for (graded, other), names in pairs.items()
    ]
    ignored = [
        words(f"ignored.{i.reason}", lang, file=i.file, graded=i.graded_instead or "")
        for i in (files.ignored if files else ())
    ]
    return _FilesView(
        heading=words("files.heading", lang),
        graded_label=words("files.graded", lang),
        graded=tuple(printable(name) for name in (files.graded if files else ())),
        ignored_label=words("files.ignored", lang),
        ignored=tuple(map(printable, ignored)),
        notes=tuple(map(printable, duplicates)),
        student_label=words("student.label", lang),
        student=printable(_student_words(submission, lang)) if submission.student else None,
    )


def _student_words(submission: SubmissionResult, lang: str) -> str:
    """Who handed the submission in, as the LMS names them: name, LMS and id, lateness."""
    student = submission.student
    assert student is not None
    parts = [student.name] if student.name else []
    if student.moodle_participant_id:
        parts.append(words("student.moodle", lang, id=student.moodle_participant_id))
    if student.canvas_user_id:
        parts.append(words("student.canvas", lang, id=student.canvas_user_id))
    if student.canvas_anonymous_id:
        parts.append(words("student.canvas_anonymous", lang, id=student.canvas_anonymous_id))
    if student.github_username:
        parts.append(words("student.classroom", lang, username=student.github_username))
    if student.late:
        parts.append(words("student.late", lang))
    return " · ".join(parts)


def _adjustment_lines(submission: SubmissionResult, lang: str) -> tuple[str, ...]:
    """Each manual adjustment in words, with the instructor's comment and who made it."""
    lines = []
    for a in submission.adjustments:
        change = {"original": number(a.original), "points": number(a.points)}
        if a.task is None:
            head = words("adjust.total", lang, rubric=a.rubric, **change)
        else:
            head = words("adjust.function", lang, function=a.task, **change)
        tail = f" {a.comment}" if a.comment else ""
        lines.append(printable(f"{head}.{tail} {words('adjust.by', lang, by=a.by)}"))
    return tuple(lines)


def _submission_points(submission: SubmissionResult) -> str:
    if not submission.tasks:
        return "—"
    return points(submission.score, submission.max_score)


def _count(value: int) -> str:
    # A thin space groups digits in both languages, where "," or "." would read as a decimal mark in one.
    return f"{value:,}".replace(",", "\N{NARROW NO-BREAK SPACE}")
