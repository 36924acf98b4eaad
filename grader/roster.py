"""Filling the LMS's own roster file with a run's grades, so that the LMS imports it as it is.

Two files are understood, each as its LMS documents and writes it:

- **Moodle's offline grading worksheet** (assignment → "Download grading worksheet"): ``Identifier``
  (``Participant 12345``), ``Full name``, the identity fields, ``Status``, ``Grade``, ``Maximum Grade``,
  ``Grade can be changed``, ``Last modified (submission)``, ``Last modified (grade)``, ``Feedback
  comments``. Its upload ("Upload grading worksheet") finds the columns by these names, reads the
  participant number after ``Participant``, skips a grade above ``Maximum Grade`` and keeps a grade
  changed in Moodle after ``Last modified (grade)``; so only ``Grade`` and ``Feedback comments`` are
  filled, the grade scaled to the row's ``Maximum Grade``.
- **Canvas's gradebook export**: ``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID``, ``Section``,
  then one column per assignment titled ``Name (assignment id)``, a ``Points Possible`` row and the
  read-only totals. Its importer matches students by ``ID``, then the SIS ids, then the name, and
  leaves unchanged columns alone; so only the chosen assignment's column is filled, scaled to its
  points possible.

A roster row is matched to a submission by the LMS ids the submission carries (Moodle participant id,
Canvas user id), else by the documented fallback: the submission id (or GitHub username) equal to an
identifier, a login or an e-mail's local part, else by the student's name as the LMS download gave it.
A row without a submission keeps its cells (no grade is invented); a submission that matches no row,
or several, is listed, never dropped. Everything else in the file stays byte for byte.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from grader.errors import UsageError
from grader.lms_csv import CsvFile, read_csv_file
from grader.messages import words
from grader.report.gradebook import PUBLIC_ONLY_SUFFIX, inert, public_only
from grader.report.text import message_text, number
from grader.results import SubmissionResult
from grader.student_ids import student_ids

Lms = Literal["moodle", "canvas"]
FEEDBACK_LIMIT = 1500
"""The longest feedback comment written: a summary; the student's page has the detail."""


class RosterError(UsageError):
    """A roster file that cannot be filled (not a known layout, no such column, ambiguous choice)."""


# Moodle writes its headers in the user's language; these are its English strings (mod/assign,
# assignfeedback_comments) and their Spanish translations.
_MOODLE = {
    "identifier": ("identifier", "identificador"),
    "name": ("full name", "nombre completo"),
    "email": (
        "email address",
        "dirección de correo",
        "dirección de correo electrónico",
        "correo electrónico",
    ),
    "username": ("username", "nombre de usuario"),
    "idnumber": ("id number", "número de id", "número de identificación"),
    "grade": ("grade", "calificación"),
    "maximum": ("maximum grade", "calificación máxima"),
    "changeable": ("grade can be changed", "la calificación puede ser cambiada"),
    "feedback": ("feedback comments", "comentarios de retroalimentación", "comentarios de realimentación"),
}
_NO = ("no",)
# Canvas: the columns of its totals (never assignments) and the rows that carry no student.
_CANVAS_TOTALS = re.compile(r"(Current|Final|Unposted|Override) (Score|Points|Grade|Status)")
_CANVAS_HIDDEN_ROW = re.compile(r"^\s*(Muted|Manual Posting.*)?\s*$", re.IGNORECASE)
_CANVAS_TITLE_ID = re.compile(r"^(.*?)\s*\((\d+)\)$")
_PARTICIPANT = re.compile(r"^\D*?(\d+)$")


@dataclass(frozen=True)
class RosterRow:
    """A student row of the roster: where it is, what it is known by, and its grade's maximum."""

    index: int
    label: str
    keys: frozenset[tuple[str, str]]
    maximum: float | None
    grade: str
    name: str = ""
    lms_id: str | None = None  # Moodle's participant number, Canvas's user id
    feedback: str | None = None
    locked: str | None = None
    not_assigned: bool = False


@dataclass(frozen=True)
class Roster:
    """A roster file read: its layout, the column to fill and its student rows."""

    lms: Lms
    file: CsvFile
    grade_column: int
    column_title: str
    feedback_column: int | None
    decimal: str
    rows: tuple[RosterRow, ...]


@dataclass(frozen=True)
class RosterFill:
    """A filled roster and what the instructor must know about it."""

    lms: Lms
    data: bytes
    column: str
    maximum: str
    filled: tuple[tuple[str, str], ...]  # (row label, submission id)
    by_lms_id: int  # of the filled rows, those matched by the LMS's own ids
    missing: tuple[str, ...]  # rows without a submission
    unmatched: tuple[str, ...]  # submission ids matching no row
    problems: tuple[str, ...] = field(default=())  # one line each, in the run's language


def read_roster(
    data: bytes,
    *,
    name: str,
    assignment: str | None = None,
    rubric: str | None = None,
    students_only: bool = False,
) -> Roster:
    """Read a Moodle grading worksheet or a Canvas gradebook export (found from its header).

    ``assignment`` picks Canvas's column (its title, its title without the id, or the id); without it,
    the only assignment column, or the one whose title names ``rubric``. ``students_only``: the roster
    is read for who its students are, and any assignment column will do."""
    file = read_csv_file(data, name=name)
    header = [cell.strip() for cell in file.values(0)]
    if len(header) > 1 and "Student" in header[0] and "ID" in header[1] and "Section" in header:
        return _canvas(
            file, header, name=name, assignment=assignment, rubric=rubric, any_column=students_only
        )
    columns = _moodle_columns(header)
    if "identifier" in columns and "grade" in columns:
        return _moodle(file, columns, name=name)
    raise RosterError(
        f"{name}: neither Moodle's grading worksheet (columns Identifier, Full name, …, Grade, Feedback "
        "comments) nor Canvas's gradebook export (columns Student, ID, SIS User ID, SIS Login ID, "
        f"Section, then the assignments); its header is: {', '.join(header[:12])}"
    )


# --- Moodle --------------------------------------------------------------------------------------------


def _moodle_columns(header: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        folded = title.casefold()
        for key, names in _MOODLE.items():
            if folded in names and key not in found:
                found[key] = index
    return found


def _moodle(file: CsvFile, columns: Mapping[str, int], *, name: str) -> Roster:
    if "maximum" not in columns:
        raise RosterError(
            f"{name}: no 'Maximum Grade' column: the assignment is graded with a scale, which points "
            "cannot be written to; grade it in points in Moodle"
        )
    rows = []
    decimal = "."
    for index in range(1, len(file.rows)):
        values = file.values(index)
        if not any(v.strip() for v in values):
            continue
        cell = _getter(values)
        identifier = cell(columns["identifier"])
        participant = _PARTICIPANT.match(identifier.strip())
        if participant is None:
            raise RosterError(f"{name}: row {index + 1}: {identifier!r} is not a participant identifier")
        number_ = participant.group(1)
        keys = {("moodle", number_), ("text", _fold(identifier)), ("text", number_)}
        for key in ("email", "username", "idnumber"):
            value = cell(columns[key]) if key in columns else ""
            keys |= _login_keys(value)
        full_name = cell(columns["name"]) if "name" in columns else ""
        if full_name:
            keys.add(("name", _name_key(full_name)))
        maximum_text = cell(columns["maximum"])
        if "," in maximum_text and "." not in maximum_text:
            decimal = ","
        changeable = cell(columns["changeable"]) if "changeable" in columns else ""
        rows.append(
            RosterRow(
                index=index,
                label=f"{full_name} ({identifier})" if full_name else identifier,
                keys=frozenset(keys),
                maximum=_number(maximum_text),
                grade=cell(columns["grade"]),
                name=full_name,
                lms_id=number_,
                feedback=cell(columns["feedback"]) if "feedback" in columns else None,
                locked=changeable if changeable.strip().casefold() in _NO else None,
            )
        )
    return Roster(
        lms="moodle",
        file=file,
        grade_column=columns["grade"],
        column_title=file.values(0)[columns["grade"]],
        feedback_column=columns.get("feedback"),
        decimal=decimal,
        rows=tuple(rows),
    )


# --- Canvas --------------------------------------------------------------------------------------------


def _canvas(
    file: CsvFile,
    header: Sequence[str],
    *,
    name: str,
    assignment: str | None,
    rubric: str | None,
    any_column: bool = False,
) -> Roster:
    section = header.index("Section")
    points_row = next(
        (i for i in range(1, len(file.rows)) if "Points Possible" in (file.values(i) or [""])[0]), None
    )
    if points_row is None:
        raise RosterError(
            f"{name}: Canvas's export has a 'Points Possible' row under the header; this file has none"
        )
    points = _getter(file.values(points_row))
    assignments = [
        i
        for i in range(section + 1, len(header))
        if not _CANVAS_TOTALS.search(header[i]) and _number(points(i)) is not None
    ]
    if any_column and assignment is None and assignments:
        column = assignments[0]
    else:
        column = _canvas_column(header, assignments, assignment=assignment, rubric=rubric, name=name)
    maximum = _number(points(column))
    decimal = "," if "," in points(column) and "." not in points(column) else "."
    if not maximum:
        raise RosterError(f"{name}: {header[column]!r} has no points possible to scale the grades to")
    sis_user = header.index("SIS User ID") if "SIS User ID" in header else None
    sis_login = header.index("SIS Login ID") if "SIS Login ID" in header else None
    rows = []
    for index in range(1, len(file.rows)):
        values = file.values(index)
        if (
            index == points_row
            or not any(v.strip() for v in values)
            or all(_CANVAS_HIDDEN_ROW.match(v) for v in values)
        ):
            continue
        cell = _getter(values)
        student, canvas_id = cell(0).strip(), cell(1).strip()
        keys: set[tuple[str, str]] = set()
        if canvas_id:
            keys |= {("canvas", canvas_id), ("text", _fold(canvas_id))}
        for position in (sis_user, sis_login):
            if position is not None:
                keys |= _login_keys(cell(position))
        if student:
            keys.add(("name", _name_key(student)))
        grade = cell(column)
        rows.append(
            RosterRow(
                index=index,
                label=f"{student} ({canvas_id})" if canvas_id else student,
                keys=frozenset(keys),
                maximum=maximum,
                grade=grade,
                name=student,
                lms_id=canvas_id or None,
                not_assigned=grade.strip() == "N/A",
            )
        )
    return Roster(
        lms="canvas",
        file=file,
        grade_column=column,
        column_title=header[column],
        feedback_column=None,
        decimal=decimal,
        rows=tuple(rows),
    )


def _canvas_column(
    header: Sequence[str],
    assignments: Sequence[int],
    *,
    assignment: str | None,
    rubric: str | None,
    name: str,
) -> int:
    titles = {i: header[i] for i in assignments}
    listed = "; ".join(titles.values()) or "none"
    if assignment is not None:
        wanted = assignment.strip().casefold()
        chosen = [
            i
            for i, title in titles.items()
            if wanted in (title.casefold(), _title(title).casefold(), _assignment_id(title))
        ]
        if len(chosen) != 1:
            raise RosterError(
                f"{name}: no single assignment column {assignment!r}; its assignments: {listed}"
            )
        return chosen[0]
    if len(titles) == 1:
        return assignments[0]
    named = [i for i, title in titles.items() if rubric and rubric.casefold() in _title(title).casefold()]
    if len(named) == 1:
        return named[0]
    raise RosterError(f"{name}: choose the assignment to fill with --assignment; its assignments: {listed}")


def _title(title: str) -> str:
    match = _CANVAS_TITLE_ID.match(title)
    return match.group(1) if match else title


def _assignment_id(title: str) -> str:
    match = _CANVAS_TITLE_ID.match(title)
    return match.group(2) if match else ""


# --- matching -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Matches:
    by_row: dict[int, list[SubmissionResult]]
    ambiguous: dict[str, list[RosterRow]]
    unmatched: list[str]
    by_lms_id: set[str]  # submissions matched by the LMS's own ids


# Tiers, strongest first: a tier decides only when the stronger ones found nothing.
_TIERS = (("moodle", "canvas"), ("text",), ("name",))


def _submission_keys(result: SubmissionResult) -> dict[str, set[tuple[str, str]]]:
    ids = student_ids(result)
    keys: dict[str, set[tuple[str, str]]] = {"moodle": set(), "canvas": set(), "text": set(), "name": set()}
    if ids.moodle_participant:
        keys["moodle"].add(("moodle", ids.moodle_participant))
    if ids.canvas_user:
        keys["canvas"].add(("canvas", ids.canvas_user))
    keys["text"].add(("text", _fold(result.id)))
    if ids.github:
        keys["text"].add(("text", _fold(ids.github)))
    if ids.name:
        keys["name"].add(("name", _name_key(ids.name)))
    return keys


def _match(roster: Roster, results: Sequence[SubmissionResult]) -> _Matches:
    by_row: dict[int, list[SubmissionResult]] = {}
    ambiguous: dict[str, list[RosterRow]] = {}
    unmatched: list[str] = []
    by_lms_id: set[str] = set()
    for result in results:
        keys = _submission_keys(result)
        for tier in _TIERS:
            wanted = set().union(*(keys[kind] for kind in tier))
            rows = [row for row in roster.rows if row.keys & wanted]
            if rows:
                break
        if not rows:
            unmatched.append(result.id)
        elif len(rows) > 1:
            ambiguous[result.id] = rows
        else:
            by_row.setdefault(rows[0].index, []).append(result)
            if tier == _TIERS[0]:
                by_lms_id.add(result.id)
    return _Matches(by_row, ambiguous, unmatched, by_lms_id)


def roster_students(roster: Roster, results: Sequence[SubmissionResult]) -> dict[str, RosterRow]:
    """Each submission matched to exactly one roster row that no other submission matches."""
    matches = _match(roster, results)
    rows = {row.index: row for row in roster.rows}
    return {found[0].id: rows[index] for index, found in matches.by_row.items() if len(found) == 1}


# --- filling --------------------------------------------------------------------------------------------


def graded_rubric(results: Sequence[SubmissionResult], rubric: str | None) -> str:
    """The workshop whose totals fill the roster: the one asked for, or the only one the results graded."""
    graded = list(dict.fromkeys(r for result in results for r in result.rubrics))
    if rubric is not None:
        if rubric not in graded:
            raise RosterError(
                f"no submission was graded on rubric {rubric!r} (graded: {', '.join(graded) or 'none'})"
            )
        return rubric
    if len(graded) != 1:
        raise RosterError(
            f"the results hold several workshops ({', '.join(graded)}): choose the one the roster's grade "
            "is for: grader roster RESULTS ROSTER --rubric ID"
        )
    return graded[0]


def fill_roster(
    roster: Roster,
    results: Sequence[SubmissionResult],
    *,
    run: Mapping[str, Any],
    rubric: str,
    lang: str,
) -> RosterFill:
    """The roster with each matched, graded student's grade (scaled to the LMS's maximum) and, in
    Moodle's worksheet, a summary in ``Feedback comments``; and the lists the instructor must check."""
    matches = _match(roster, results)
    changes: dict[tuple[int, int], str] = {}
    filled: list[tuple[str, str]] = []
    problems: list[str] = []
    missing: list[str] = []
    for result_id, rows in matches.ambiguous.items():
        problems.append(words("roster.ambiguous", lang, id=result_id, rows="; ".join(r.label for r in rows)))
    provisional = public_only(run)
    for row in roster.rows:
        found = matches.by_row.get(row.index, [])
        if not found:
            missing.append(row.label)
            continue
        if len(found) > 1:
            problems.append(words("roster.shared", lang, row=row.label, ids=", ".join(r.id for r in found)))
            continue
        (result,) = found
        if row.not_assigned:
            problems.append(words("roster.not_assigned", lang, row=row.label))
            continue
        if result.status != "graded":
            kind = result.error.kind if result.error else "error"
            problems.append(words("roster.not_graded", lang, row=row.label, id=result.id, kind=kind))
        elif rubric not in result.rubrics:
            problems.append(words("roster.other_rubric", lang, row=row.label, id=result.id, rubric=rubric))
        elif row.maximum is not None:
            share = (
                result.rubric_score(rubric) / result.rubric_max_score(rubric)
                if result.rubric_max_score(rubric)
                else 0.0
            )
            changes[(row.index, roster.grade_column)] = number(share * row.maximum).replace(
                ".", roster.decimal
            )
            filled.append((row.label, result.id))
            if row.locked is not None:
                problems.append(words("roster.locked", lang, row=row.label, value=row.locked))
        if roster.feedback_column is not None:
            comment = feedback_comment(result, rubric=rubric, lang=lang, provisional=provisional)
            if row.feedback and row.feedback.strip() and row.feedback != comment:
                problems.append(words("roster.replaced_comment", lang, row=row.label))
            changes[(row.index, roster.feedback_column)] = comment
    maximum = {row.maximum for row in roster.rows if row.maximum is not None}
    return RosterFill(
        lms=roster.lms,
        data=roster.file.with_values(changes).to_bytes(),
        column=roster.column_title,
        maximum=", ".join(number(m).replace(".", roster.decimal) for m in sorted(maximum)) or "?",
        filled=tuple(filled),
        by_lms_id=sum(1 for _, result_id in filled if result_id in matches.by_lms_id),
        missing=tuple(missing),
        unmatched=tuple(matches.unmatched),
        problems=tuple(problems),
    )


def fill_roster_file(
    data: bytes,
    results: Sequence[SubmissionResult],
    *,
    name: str,
    run: Mapping[str, Any],
    lang: str,
    rubric: str | None = None,
    assignment: str | None = None,
) -> RosterFill:
    """Read a roster file's bytes and fill it (see :func:`read_roster` and :func:`fill_roster`)."""
    chosen = graded_rubric(results, rubric)
    roster = read_roster(data, name=name, assignment=assignment, rubric=chosen)
    return fill_roster(roster, results, run=run, rubric=chosen, lang=lang)


def filled_names(roster_name: str, *, run: Mapping[str, Any]) -> tuple[str, str]:
    """The file names of a filled roster and of its report: ``<stem>-graded.csv``, ``<stem>-graded.txt``
    (``-graded-public-only`` for a run without the hidden cases)."""
    stem, dot, suffix = roster_name.rpartition(".")
    if not dot:
        stem, suffix = roster_name, "csv"
    marked = f"{stem}-graded{PUBLIC_ONLY_SUFFIX if public_only(run) else ''}"
    return f"{marked}.{suffix}", f"{marked}.txt"


def feedback_comment(result: SubmissionResult, *, rubric: str, lang: str, provisional: bool) -> str:
    """The short summary a student reads in the LMS: the points, each function's points and the
    instructor's comments; the student's page has every check."""
    parts = [words("public_only.feedback", lang)] if provisional else []
    if result.status != "graded" or rubric not in result.rubrics:
        kind = result.error.kind if result.error else "no_rubric"
        message = message_text(result.error.message, lang) if result.error else ""
        parts.append(words("feedback.not_graded", lang, kind=kind, message=message))
    else:
        score, maximum = result.rubric_score(rubric), result.rubric_max_score(rubric)
        percent = number(100 * score / maximum, decimals=0) if maximum else "0"
        parts.append(
            words("feedback.points", lang, score=number(score), max=number(maximum), percent=percent)
        )
        functions = ", ".join(
            f"{t.id} {number(result.task_score(t))}/{number(t.max_score)}"
            for t in result.tasks
            if t.rubric == rubric
        )
        parts.append(words("feedback.functions", lang, functions=functions))
        parts += [
            words("feedback.comment", lang, comment=a.comment)
            for a in result.adjustments
            if a.comment and a.rubric == rubric
        ]
    text = " ".join(" ".join(part.split()) for part in parts)
    return inert(text if len(text) <= FEEDBACK_LIMIT else text[: FEEDBACK_LIMIT - 1] + "…")


def roster_report(fill: RosterFill, *, lang: str, file: str) -> list[str]:
    """What the instructor reads on the terminal and in the report file, in ``lang``."""
    lines = [
        words(
            "roster.filled", lang, file=file, count=len(fill.filled), column=fill.column, maximum=fill.maximum
        ),
        words("roster.matched_by", lang, lms=fill.by_lms_id, fallback=len(fill.filled) - fill.by_lms_id),
    ]
    if fill.missing:
        lines.append(words("roster.missing", lang, count=len(fill.missing), names="; ".join(fill.missing)))
    if fill.unmatched:
        lines.append(
            words("roster.unmatched", lang, count=len(fill.unmatched), ids=", ".join(fill.unmatched))
        )
    lines += fill.problems
    return lines


# --- text -----------------------------------------------------------------------------------------------


def _getter(values: Sequence[str]) -> Callable[[int], str]:
    """Cell ``i`` of a row, or "" past its end (a short row is empty there)."""

    def cell(index: int) -> str:
        return values[index] if index < len(values) else ""

    return cell


def _number(text: str) -> float | None:
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _login_keys(value: str) -> set[tuple[str, str]]:
    """An identifier, a login or an e-mail address: itself and, for an address, its local part."""
    folded = _fold(value)
    if not folded:
        return set()
    keys = {("text", folded)}
    if "@" in folded:
        keys.add(("text", folded.split("@", 1)[0]))
    return keys


def _name_key(name: str) -> str:
    """A name compared whatever its order, accents, case or punctuation ("Gómez, Ana" = "ana gomez")."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").casefold()
    return " ".join(sorted(re.findall(r"[a-z0-9]+", folded)))
