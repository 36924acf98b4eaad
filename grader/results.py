"""The results of grading: frozen dataclasses, and their ``results.json`` (schema v1) form."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeAlias

SCHEMA_ID = "taller-grader/results/1"

CheckStatus = Literal["pass", "fail", "error", "timeout", "skipped"]
Visibility = Literal["public", "hidden"]
SubmissionStatus = Literal["graded", "error"]


@dataclass(frozen=True)
class Location:
    """A place in the student's code as the student knows it: the file relative to the submission's
    root (never an absolute path), the notebook cell (1-based, as Jupyter numbers them; None in a
    module) and the 1-based line (in the cell for a notebook, in the file for a module). Renderers
    put it into words in their language; annotations take file and line from it."""

    file: str
    cell: int | None
    line: int

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "cell": self.cell, "line": self.line}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Location:
        cell = data.get("cell")
        return cls(file=str(data["file"]), cell=None if cell is None else int(cell), line=int(data["line"]))


TaskLocation: TypeAlias = Location | str
"""Where a task's function is. A ``str`` is a location as an older ``results.json`` wrote it: words
in the language of that run, shown as they are and never read back into a place."""


@dataclass(frozen=True)
class CheckResult:
    """One check of one function: its verdict, points and the message the student reads."""

    id: str
    status: CheckStatus
    score: float
    max_score: float
    visibility: Visibility
    message: str
    diagnoses: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "score": self.score,
            "max_score": self.max_score,
            "visibility": self.visibility,
            "message": self.message,
            "diagnoses": list(self.diagnoses),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CheckResult:
        return cls(
            id=data["id"],
            status=data["status"],
            score=float(data["score"]),
            max_score=float(data["max_score"]),
            visibility=data["visibility"],
            message=data["message"],
            diagnoses=tuple(data.get("diagnoses", ())),
        )


@dataclass(frozen=True)
class TaskResult:
    """All checks of one workshop function (a rubric task)."""

    rubric: str
    id: str
    found_as: str | None
    checks: tuple[CheckResult, ...]
    notes: tuple[str, ...] = ()
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
            "notes": list(self.notes),
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
            notes=tuple(data.get("notes", ())),
            source=data.get("source"),
            location=_location(data.get("location")),
            curve=_curve(data.get("curve")),
        )


@dataclass(frozen=True)
class SubmissionError:
    """Why a submission could not be graded at all (broken notebook, nothing gradable, ...)."""

    kind: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message}


@dataclass(frozen=True)
class SubmissionResult:
    """Everything the grader established about one submission."""

    id: str
    source: str
    status: SubmissionStatus
    tasks: tuple[TaskResult, ...] = ()
    error: SubmissionError | None = None
    duration_s: float = 0.0
    notes: tuple[str, ...] = ()
    output: str = ""

    @property
    def score(self) -> float:
        return round(sum(t.score for t in self.tasks), 6)

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
            "notes": list(self.notes),
            "output": self.output,
            "tasks": [t.to_json() for t in self.tasks],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SubmissionResult:
        error = data.get("error")
        return cls(
            id=data["id"],
            source=data["source"],
            status=data["status"],
            tasks=tuple(TaskResult.from_json(t) for t in data["tasks"]),
            error=SubmissionError(error["kind"], error["message"]) if error else None,
            duration_s=float(data.get("duration_s", 0.0)),
            notes=tuple(data.get("notes", ())),
            output=data.get("output", ""),
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


def _curve(data: Mapping[str, Any] | None) -> dict[str, tuple[float, ...]] | None:
    if not data:
        return None
    return {k: tuple(math.nan if v is None else float(v) for v in values) for k, values in data.items()}


def _finite(value: float) -> float | None:
    """JSON has no NaN or infinity: a cost that blew up is written as null."""
    return value if math.isfinite(value) else None


def results_document(run: RunInfo, submissions: Iterable[SubmissionResult]) -> dict[str, Any]:
    """The whole ``results.json`` document."""
    return {
        "schema": SCHEMA_ID,
        "run": run.to_json(),
        "submissions": [s.to_json() for s in submissions],
    }


def read_results(path: Path) -> tuple[dict[str, Any], tuple[SubmissionResult, ...]]:
    """Read a ``results.json`` back: the run section (as written) and the submissions."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("schema") != SCHEMA_ID:
        raise ValueError(f"{path} is not a taller-grader results file (schema {data.get('schema')!r})")
    return data.get("run", {}), tuple(SubmissionResult.from_json(s) for s in data["submissions"])


def schema_path() -> Path:
    """The JSON Schema that ``results.json`` follows, shipped with the package."""
    return Path(__file__).parent / "schema" / "results.schema.json"
