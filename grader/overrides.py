"""Manual adjustments: an instructor's overrides file (TOML), validated whole when it loads, and applied
to a run's results as :class:`~grader.results.Adjustment` records.

The file is the whole list of adjustments: applying it replaces whatever adjustments the results held,
so removing an entry and re-rendering removes the adjustment. The grader's own points are never
changed; each adjustment keeps them beside the points that count.

```toml
[[adjust]]
student = "ana_gomez"        # the submission id (the dashboard's Student column)
function = "backProp"        # a function of the rubric; leave it out to set the rubric's total
rubric = "xor"               # needed only when the student was graded on several rubrics
points = 4.5                 # the points that count, from 0 to the function's (or rubric's) maximum
by = "Prof. Ruiz"            # who adjusted it
reason = "Fórmula correcta, error de transcripción en b2"   # why (the instructor's record)
comment = "Revisé tu derivada a mano: estaba bien."         # optional: what the student reads
```
"""

from __future__ import annotations

import math
import sys
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from grader.errors import RubricError, UsageError
from grader.results import Adjustment, SubmissionResult, TaskResult
from grader.rubric_tables import TableReader
from grader.toml_lines import key_lines, line_of

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

MAX_FILE_BYTES = 1 << 20
"""An overrides file is typed by hand: anything larger is a mistake (the wrong file given)."""
TABLE = "adjust"
TEXT_LIMIT = 2000
"""The longest ``by``, ``reason`` or ``comment``: they are shown on pages and in LMS feedback."""


class OverridesError(UsageError):
    """An overrides file that cannot be applied; the message names the file, the line and the key."""


@dataclass(frozen=True)
class Override:
    """One ``[[adjust]]`` entry as written, with where it is written (for errors found when applying)."""

    where: str  # key path: adjust[2]
    student: str
    function: str | None
    rubric: str | None
    points: float
    by: str
    reason: str
    comment: str


@dataclass(frozen=True)
class Overrides:
    """A loaded overrides file."""

    path: Path
    entries: tuple[Override, ...]
    lines: Mapping[str, int]  # key path → line, for errors found when the file is applied

    def error(self, entry: Override, key: str, message: str) -> OverridesError:
        line = line_of(self.lines, f"{entry.where}.{key}")
        place = f"{self.path}:{line}" if line else str(self.path)
        return OverridesError(f"{place}: {entry.where}.{key}: {message}")


def load_overrides(path: Path) -> Overrides:
    """Read and validate an overrides file: types, ranges, unknown keys and repeated entries, each error
    naming the file, the line and the key path (``overrides.toml:7: adjust[1].points: …``)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise OverridesError(
                f"{path}: {size} bytes, more than an overrides file may hold ({MAX_FILE_BYTES})"
            )
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise OverridesError(f"{path}: cannot be read ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise OverridesError(f"{path}: not valid TOML ({exc})") from None
    lines = key_lines(text)
    try:
        entries = _entries(data)
    except RubricError as exc:  # the table reader's errors start with the key path
        message = str(exc)
        line = line_of(lines, message.split(":", 1)[0])
        raise OverridesError(f"{path}:{line}: {message}" if line else f"{path}: {message}") from None
    overrides = Overrides(path, entries, lines)
    _check_repeats(overrides)
    return overrides


def _entries(data: Mapping[str, Any]) -> tuple[Override, ...]:
    top = TableReader(data, "")
    items = top.items(TABLE)
    top.done()
    entries = []
    for i, item in enumerate(items):
        where = f"{TABLE}[{i}]"
        r = TableReader(item, where)
        points = float(r.non_negative("points"))
        if not math.isfinite(points):
            raise RubricError(f"{where}.points: must be a finite number, got {points}")
        entry = Override(
            where=where,
            student=_text(r, where, "student"),
            function=_optional(r, where, "function"),
            rubric=_optional(r, where, "rubric"),
            points=points,
            by=_text(r, where, "by"),
            reason=_text(r, where, "reason"),
            comment=_comment(r, where),
        )
        r.done()
        entries.append(entry)
    return tuple(entries)


def _text(r: TableReader, where: str, key: str) -> str:
    value = r.text(key).strip()
    if len(value) > TEXT_LIMIT:
        raise RubricError(f"{where}.{key}: longer than {TEXT_LIMIT} characters")
    return value


def _comment(r: TableReader, where: str) -> str:
    value = (r.opt_text("comment") or "").strip()
    if len(value) > TEXT_LIMIT:
        raise RubricError(f"{where}.comment: longer than {TEXT_LIMIT} characters")
    return value


def _optional(r: TableReader, where: str, key: str) -> str | None:
    value = r.opt_text(key)
    if value is not None and not value.strip():
        raise RubricError(f"{where}.{key}: must not be empty (leave the key out instead)")
    return None if value is None else value.strip()


def _check_repeats(overrides: Overrides) -> None:
    seen: dict[tuple[str, str | None, str | None], Override] = {}
    for entry in overrides.entries:
        key = (entry.student, entry.rubric, entry.function)
        if key in seen:
            first = seen[key]
            raise overrides.error(
                entry,
                "student",
                f"{entry.student!r} is adjusted twice for the same "
                f"{'function' if entry.function else 'total'} (first at {first.where})",
            )
        seen[key] = entry


def check_students(overrides: Overrides, ids: Collection[str]) -> None:
    """Before grading: every adjusted student is among the submissions found."""
    for entry in overrides.entries:
        if entry.student not in ids:
            raise overrides.error(entry, "student", _unknown_student(entry.student, ids))


def apply_overrides(
    overrides: Overrides, results: Sequence[SubmissionResult]
) -> tuple[SubmissionResult, ...]:
    """The results with the file's adjustments (and only those): each entry names a graded submission,
    one of its functions (or a rubric's total), and points within that function's (or rubric's) maximum.
    A student's rubric is adjusted either function by function or as a total, not both."""
    by_id = {result.id: result for result in results}
    found: dict[str, list[tuple[Override, Adjustment]]] = {}
    for entry in overrides.entries:
        result = by_id.get(entry.student)
        if result is None:
            raise overrides.error(entry, "student", _unknown_student(entry.student, by_id))
        found.setdefault(result.id, []).append((entry, _adjustment(overrides, entry, result)))
    for student, made in found.items():
        totals = {adjustment.rubric for _, adjustment in made if adjustment.task is None}
        for entry, adjustment in made:
            if adjustment.task is not None and adjustment.rubric in totals:
                raise overrides.error(
                    entry,
                    "function",
                    f"{student!r} also has an adjusted total for rubric {adjustment.rubric!r}: adjust either "
                    "its functions or its total",
                )
    return tuple(
        replace(result, adjustments=tuple(a for _, a in found.get(result.id, ()))) for result in results
    )


def _adjustment(overrides: Overrides, entry: Override, result: SubmissionResult) -> Adjustment:
    if result.status != "graded" or not result.tasks:
        raise overrides.error(
            entry,
            "student",
            f"{entry.student!r} was not graded ({result.error.kind if result.error else 'no functions'}): "
            "only graded points can be adjusted; fix the submission and grade it again",
        )
    rubrics = result.rubrics
    if entry.rubric is not None and entry.rubric not in rubrics:
        raise overrides.error(
            entry, "rubric", f"{entry.student!r} was graded on {', '.join(rubrics)}, not {entry.rubric!r}"
        )
    if entry.function is None:
        rubric = entry.rubric or _only_rubric(overrides, entry, rubrics)
        maximum = result.rubric_max_score(rubric)
        _check_points(overrides, entry, maximum, f"rubric {rubric}'s total")
        return _record(entry, rubric, None, original=sum(t.score for t in result.tasks if t.rubric == rubric))
    task = _task(overrides, entry, result)
    _check_points(overrides, entry, task.max_score, task.id)
    return _record(entry, task.rubric, task.id, original=task.score)


def _only_rubric(overrides: Overrides, entry: Override, rubrics: Sequence[str]) -> str:
    if len(rubrics) > 1:
        raise overrides.error(
            entry,
            "rubric",
            f"{entry.student!r} was graded on {', '.join(rubrics)}: name the rubric to adjust",
        )
    return rubrics[0]


def _task(overrides: Overrides, entry: Override, result: SubmissionResult) -> TaskResult:
    tasks = [
        t
        for t in result.tasks
        if entry.function in (t.id, t.found_as) and (entry.rubric is None or t.rubric == entry.rubric)
    ]
    if not tasks:
        names = ", ".join(dict.fromkeys(t.id for t in result.tasks))
        raise overrides.error(
            entry, "function", f"{entry.function!r} is not one of the functions graded ({names})"
        )
    if len(tasks) > 1:
        rubrics = ", ".join(t.rubric for t in tasks)
        raise overrides.error(entry, "rubric", f"{entry.function!r} is in rubrics {rubrics}: name the rubric")
    return tasks[0]


def _check_points(overrides: Overrides, entry: Override, maximum: float, what: str) -> None:
    if entry.points > maximum + 1e-9:
        raise overrides.error(
            entry, "points", f"must be at most {maximum:g} (the maximum of {what}), got {entry.points:g}"
        )


def _record(entry: Override, rubric: str, task: str | None, *, original: float) -> Adjustment:
    return Adjustment(
        rubric=rubric,
        task=task,
        original=round(original, 6),
        points=round(entry.points, 6),
        by=entry.by,
        reason=entry.reason,
        comment=entry.comment,
    )


def _unknown_student(student: str, ids: Collection[str]) -> str:
    close = get_close_matches(student, list(ids), n=3)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    return f"no submission {student!r} in this run{hint}"
