"""The results of grading: frozen dataclasses, and their ``results.json`` form (schema v2; v1 is read).

Every sentence is stored as a :class:`~grader.messages.Message` (a catalogue key and its parameters),
never as words: a run is rendered in whichever language a report asks for."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeAlias

from grader.location import Location
from grader.messages import Message, verbatim
from grader.provenance import SourceChoice, Student

SCHEMA_ID = "taller-grader/results/2"
# Older files still read: their sentences are kept as the words they were written in.
READABLE_SCHEMAS = ("taller-grader/results/1", SCHEMA_ID)

CheckStatus = Literal["pass", "fail", "error", "timeout", "skipped"]
Visibility = Literal["public", "hidden"]
SubmissionStatus = Literal["graded", "error"]


TaskLocation: TypeAlias = Location | str
"""Where a task's function is. A ``str`` is a location as an older ``results.json`` wrote it: words
in the language of that run, shown as they are and never read back into a place."""


@dataclass(frozen=True)
class CheckResult:
    """One check of one function: its verdict, points and what the student reads, in reading order:
    the summary, the hints (what the recognised mistakes mean), then the failing cases' details."""

    id: str
    status: CheckStatus
    score: float
    max_score: float
    visibility: Visibility
    summary: Message
    details: tuple[Message, ...] = ()
    hints: tuple[Message, ...] = ()
    diagnoses: tuple[str, ...] = ()

    @property
    def lines(self) -> tuple[Message, ...]:
        return (self.summary, *self.hints, *self.details)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "score": self.score,
            "max_score": self.max_score,
            "visibility": self.visibility,
            "summary": self.summary.to_json(),
            "details": [d.to_json() for d in self.details],
            "hints": [h.to_json() for h in self.hints],
            "diagnoses": list(self.diagnoses),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CheckResult:
        if "summary" in data:
            summary = Message.from_json(data["summary"])
            details = tuple(Message.from_json(d) for d in data.get("details", ()))
            hints = tuple(Message.from_json(h) for h in data.get("hints", ()))
        else:  # schema v1: one finished sentence
            summary, details, hints = verbatim(str(data["message"])), (), ()
        return cls(
            id=data["id"],
            status=data["status"],
            score=float(data["score"]),
            max_score=float(data["max_score"]),
            visibility=data["visibility"],
            summary=summary,
            details=details,
            hints=hints,
            diagnoses=tuple(data.get("diagnoses", ())),
        )


@dataclass(frozen=True)
class TaskResult:
    """All checks of one workshop function (a rubric task)."""

    rubric: str
    id: str
    found_as: str | None
    checks: tuple[CheckResult, ...]
    notes: tuple[Message, ...] = ()
    source: str | None = None
    # Where the function is defined or, for one that a syntax error keeps from loading, that error.
    location: TaskLocation | None = None
    curve: Mapping[str, tuple[float, ...]] | None = None

    @property
    def score(self) -> float:
        return round(sum(c.score for c in self.checks), 6)

    @property
    def max_score(self) -> float:
        return round(sum(c.max_score for c in self.checks), 6)

    def to_json(self) -> dict[str, Any]:
        return {
            "rubric": self.rubric,
            "id": self.id,
            "found_as": self.found_as,
            "score": self.score,
            "max_score": self.max_score,
            "notes": [n.to_json() for n in self.notes],
            "source": self.source,
            "location": self.location.to_json() if isinstance(self.location, Location) else self.location,
            "curve": {k: [_finite(v) for v in vs] for k, vs in self.curve.items()} if self.curve else None,
            "checks": [c.to_json() for c in self.checks],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TaskResult:
        return cls(
            rubric=data["rubric"],
            id=data["id"],
            found_as=data["found_as"],
            checks=tuple(CheckResult.from_json(c) for c in data["checks"]),
            notes=_messages(data.get("notes", ())),
            source=data.get("source"),
            location=_location(data.get("location")),
            curve=_curve(data.get("curve")),
        )


@dataclass(frozen=True)
class SubmissionError:
    """Why a submission could not be graded at all (broken notebook, nothing gradable, ...)."""

    kind: str
    message: Message

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message.to_json()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SubmissionError:
        message = data["message"]
        return cls(
            str(data["kind"]), verbatim(message) if isinstance(message, str) else Message.from_json(message)
        )


@dataclass(frozen=True)
class Adjustment:
    """Points an instructor set by hand over the grader's: one function's, or a rubric's total.

    The grader's own points stay in the checks (``original`` repeats them); every total and gradebook
    counts ``points``. ``comment`` is what the student reads (may be empty); ``by`` and ``reason`` are
    the instructor's record."""

    rubric: str
    task: str | None  # None: the rubric's total
    original: float
    points: float
    by: str
    reason: str
    comment: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "rubric": self.rubric,
            "task": self.task,
            "original": self.original,
            "points": self.points,
            "by": self.by,
            "reason": self.reason,
            "comment": self.comment,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Adjustment:
        task = data.get("task")
        return cls(
            rubric=str(data["rubric"]),
            task=None if task is None else str(task),
            original=float(data["original"]),
            points=float(data["points"]),
            by=str(data["by"]),
            reason=str(data["reason"]),
            comment=str(data.get("comment", "")),
        )


@dataclass(frozen=True)
class SubmissionResult:
    """Everything the grader established about one submission."""

    id: str
    source: str
    status: SubmissionStatus
    tasks: tuple[TaskResult, ...] = ()
    error: SubmissionError | None = None
    duration_s: float = 0.0
    notes: tuple[Message, ...] = ()
    output: str = ""
    # What a reader should know about the output shown (cut at a size, hidden cases' output left out).
    output_notes: tuple[Message, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    # Who handed it in, as the LMS download names them (None: not an LMS download), and which of its
    # files were graded (None: a result written before the grader said so).
    student: Student | None = None
    files: SourceChoice | None = None

    @property
    def score(self) -> float:
        """The points that count: the grader's, with the instructor's adjustments applied."""
        return round(sum(self.rubric_score(rubric) for rubric in self.rubrics), 6)

    @property
    def graded_score(self) -> float:
        """The grader's own points, before any manual adjustment."""
        return round(sum(t.score for t in self.tasks), 6)

    def task_score(self, task: TaskResult) -> float:
        """The points of one of this submission's tasks that count (adjusted, when an instructor set them)."""
        for adjustment in self.adjustments:
            if adjustment.rubric == task.rubric and adjustment.task == task.id:
                return adjustment.points
        return task.score

    def rubric_score(self, rubric: str) -> float:
        """The points that count on one rubric: its adjusted total, or the sum of its tasks' points."""
        for adjustment in self.adjustments:
            if adjustment.rubric == rubric and adjustment.task is None:
                return adjustment.points
        return round(sum(self.task_score(t) for t in self.tasks if t.rubric == rubric), 6)

    def rubric_max_score(self, rubric: str) -> float:
        return round(sum(t.max_score for t in self.tasks if t.rubric == rubric), 6)

    @property
    def max_score(self) -> float:
        return round(sum(t.max_score for t in self.tasks), 6)

    @property
    def rubrics(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.rubric for t in self.tasks))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "status": self.status,
            "error": self.error.to_json() if self.error else None,
            "score": self.score,
            "max_score": self.max_score,
            "duration_s": round(self.duration_s, 3),
            "notes": [n.to_json() for n in self.notes],
            "output": self.output,
            "output_notes": [n.to_json() for n in self.output_notes],
            "tasks": [t.to_json() for t in self.tasks],
            "student": self.student.to_json() if self.student else None,
            "files": self.files.to_json() if self.files else None,
            # Only an adjusted result says so: the grader's own points beside the ones that count.
            **(
                {"graded_score": self.graded_score, "adjustments": [a.to_json() for a in self.adjustments]}
                if self.adjustments
                else {}
            ),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SubmissionResult:
        error = data.get("error")
        return cls(
            id=data["id"],
            source=data["source"],
            status=data["status"],
            tasks=tuple(TaskResult.from_json(t) for t in data["tasks"]),
            error=SubmissionError.from_json(error) if error else None,
            duration_s=float(data.get("duration_s", 0.0)),
            notes=_messages(data.get("notes", ())),
            output=data.get("output", ""),
            output_notes=_messages(data.get("output_notes", ())),
            adjustments=tuple(Adjustment.from_json(a) for a in data.get("adjustments", ())),
            student=Student.from_json(data["student"]) if data.get("student") else None,
            files=SourceChoice.from_json(data["files"]) if data.get("files") else None,
        )


@dataclass(frozen=True)
class RunInfo:
    """Facts about the grading run as a whole (for reproducibility and trust)."""

    grader_version: str
    rubrics: tuple[str, ...]
    hidden_cases: bool
    sandbox: tuple[str, ...] = ()
    lang: str = "es"
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "grader_version": self.grader_version,
            "rubrics": list(self.rubrics),
            "hidden_cases": self.hidden_cases,
            "sandbox": list(self.sandbox),
            "lang": self.lang,
            **dict(self.extra),
        }


def _location(data: Any) -> TaskLocation | None:
    """A task's location as ``results.json`` holds it: an object, or the words of an older file."""
    if data is None or isinstance(data, str):
        return data
    return Location.from_json(data)


def _messages(data: Iterable[Any]) -> tuple[Message, ...]:
    """Stored messages: objects (schema v2) or the finished sentences of a v1 file."""
    return tuple(verbatim(item) if isinstance(item, str) else Message.from_json(item) for item in data)


def _curve(data: Mapping[str, Any] | None) -> dict[str, tuple[float, ...]] | None:
    if not data:
        return None
    return {k: tuple(math.nan if v is None else float(v) for v in values) for k, values in data.items()}


def _finite(value: float) -> float | None:
    """JSON has no NaN or infinity: a cost that blew up is written as null."""
    return value if math.isfinite(value) else None


def results_document(
    run: RunInfo | Mapping[str, Any], submissions: Iterable[SubmissionResult]
) -> dict[str, Any]:
    """The whole ``results.json`` document (``run`` as a grading made it, or as a results file holds it)."""
    return {
        "schema": SCHEMA_ID,
        "run": run.to_json() if isinstance(run, RunInfo) else dict(run),
        "submissions": [s.to_json() for s in submissions],
    }


def read_results(path: Path) -> tuple[dict[str, Any], tuple[SubmissionResult, ...]]:
    """Read a ``results.json`` back: the run section (as written) and the submissions."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("schema") not in READABLE_SCHEMAS:
        raise ValueError(f"{path} is not a taller-grader results file (schema {data.get('schema')!r})")
    return data.get("run", {}), tuple(SubmissionResult.from_json(s) for s in data["submissions"])


def schema_path() -> Path:
    """The JSON Schema that ``results.json`` follows, shipped with the package."""
    return Path(__file__).parent / "schema" / "results.schema.json"
