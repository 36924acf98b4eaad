"""Where a submission came from: who handed it in, as the LMS download names them, and which of its files
were graded. Recognised at intake, carried unchanged to the result and its ``results.json``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

LmsName = Literal["moodle", "canvas", "classroom"]

IgnoredReason = Literal["tool_copy", "no_workshop_function", "unreadable", "less_complete", "older", "tied"]
"""Why a file of a submission was not graded: ``tool_copy`` a copy a tool keeps (Jupyter's checkpoints,
macOS's ``__MACOSX``, an editor's lock file); ``no_workshop_function`` a notebook that defines none of
the workshop's functions while another file does; ``unreadable`` a notebook that cannot be read while
another file can; ``less_complete``, ``older``, ``tied`` an alternative to a graded file that defines the
same functions: fewer of them, the same number but modified earlier, or the same number and time."""


@dataclass(frozen=True)
class Student:
    """Who handed a submission in, as the LMS's bulk download names them. Identifiers are kept as the
    text the download holds (digits), never as numbers.

    ``name``: the full name (Moodle), the sortable name squeezed into one lowercase word (Canvas,
    ``perezjuan``), or None when the download gives none (Canvas's anonymous grading, Classroom);
    ``canvas_attachment_ids``: the id of each file Canvas put in the download for this student (the
    second number of Canvas's names); ``late``: Canvas marked the submission late.
    """

    lms: LmsName
    name: str | None = None
    moodle_participant_id: str | None = None
    canvas_user_id: str | None = None
    canvas_attachment_ids: tuple[str, ...] = ()
    canvas_anonymous_id: str | None = None
    late: bool = False
    github_username: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "lms": self.lms,
            "name": self.name,
            "moodle_participant_id": self.moodle_participant_id,
            "canvas_user_id": self.canvas_user_id,
            "canvas_attachment_ids": list(self.canvas_attachment_ids),
            "canvas_anonymous_id": self.canvas_anonymous_id,
            "late": self.late,
            "github_username": self.github_username,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Student:
        return cls(
            lms=data["lms"],
            name=data.get("name"),
            moodle_participant_id=data.get("moodle_participant_id"),
            canvas_user_id=data.get("canvas_user_id"),
            canvas_attachment_ids=tuple(data.get("canvas_attachment_ids", ())),
            canvas_anonymous_id=data.get("canvas_anonymous_id"),
            late=bool(data.get("late", False)),
            github_username=data.get("github_username"),
        )


@dataclass(frozen=True)
class IgnoredFile:
    """A file of the submission that was not graded; ``graded_instead``: the graded file it is an
    alternative to (for ``less_complete``, ``older`` and ``tied``)."""

    file: str
    reason: IgnoredReason
    graded_instead: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "reason": self.reason, "graded_instead": self.graded_instead}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> IgnoredFile:
        return cls(file=data["file"], reason=data["reason"], graded_instead=data.get("graded_instead"))


@dataclass(frozen=True)
class DuplicateDefinition:
    """A workshop function (the rubric's name for it) defined in two files of one submission: the one
    in ``graded_in`` is the one graded."""

    function: str
    graded_in: str
    also_in: str

    def to_json(self) -> dict[str, str]:
        return {"function": self.function, "graded_in": self.graded_in, "also_in": self.also_in}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DuplicateDefinition:
        return cls(function=data["function"], graded_in=data["graded_in"], also_in=data["also_in"])


@dataclass(frozen=True)
class SourceChoice:
    """Which files of a submission were graded (in the order they were loaded: a name two of them
    define is the later one's), which were not and why, and the functions defined twice."""

    graded: tuple[str, ...]
    ignored: tuple[IgnoredFile, ...] = ()
    duplicates: tuple[DuplicateDefinition, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "graded": list(self.graded),
            "ignored": [i.to_json() for i in self.ignored],
            "duplicates": [d.to_json() for d in self.duplicates],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SourceChoice:
        return cls(
            graded=tuple(data.get("graded", ())),
            ignored=tuple(IgnoredFile.from_json(i) for i in data.get("ignored", ())),
            duplicates=tuple(DuplicateDefinition.from_json(d) for d in data.get("duplicates", ())),
        )
