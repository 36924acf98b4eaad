"""What the dashboard and the student pages share: a verdict as a page shows it (CSS modifier, mark and
words), a function's verdict, and the two things of the run that both pages read (the grader's version
and the accepted conventions)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from grader.results import TaskResult

# Symbols sit next to the status words (never instead of them), so colour and shape are only a help.
_MARKS: Mapping[str, str] = {
    "graded": "✔",
    "error": "⚠",
    "complete": "✔",
    "partial": "◐",
    "zero": "✘",
    "not_found": "∅",
    "pass": "✔",
    "fail": "✘",
    "timeout": "⏱",
    "skipped": "–",
}


@dataclass(frozen=True)
class Status:
    """A verdict as the page shows it: CSS modifier, symbol and words."""

    kind: str
    mark: str
    label: str


def status(kind: str, key: str, strings: Mapping[str, str]) -> Status:
    """The verdict ``kind`` (``"pass"``, ``"not_found"``, …) with its mark and the words ``strings[key]``."""
    return Status(kind=kind.replace("_", "-"), mark=_MARKS[kind], label=strings[key])


def task_status(task: TaskResult, strings: Mapping[str, str]) -> Status:
    """A function's verdict: not found, full marks, some points or none."""
    if task.found_as is None:
        kind = "not_found"
    elif task.max_score > 0 and task.score >= task.max_score:
        kind = "complete"
    elif task.score > 0:
        kind = "partial"
    else:
        kind = "zero"
    return status(kind, f"task_{kind}", strings)


def grader_version_of(run: Mapping[str, Any]) -> str:
    """The version of the grader that graded the run, as both pages print it."""
    return str(run.get("grader_version", "?"))


def accepted_conventions(run: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """Per rubric id, the codes that mark one of its accepted conventions, as the run recorded them
    (``{"xor": {"columns": null, "rows": "rows_as_instances"}}``). A run that recorded none (an older
    ``results.json``) has none: its codes are all listed as diagnoses."""
    recorded = run.get("conventions")
    if not isinstance(recorded, Mapping):
        return {}
    return {
        str(rubric): frozenset(str(note) for note in notes.values() if isinstance(note, str) and note)
        for rubric, notes in recorded.items()
        if isinstance(notes, Mapping)
    }
