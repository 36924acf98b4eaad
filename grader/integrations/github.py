"""GitHub Classroom: the workflow that grades every push, and what ``grader ci`` leaves for Actions.

The workflow runs ``grader ci`` as its own ``run:`` step with the id :data:`STEP_ID`; the Classroom
reporter (``classroom-resources/autograding-grading-reporter``) then reads that step's ``result``
output from the environment variable :data:`RESULTS_ENV`. Formats and their escaping come from
:mod:`grader.report.github`; this module adds what only a checkout knows: the student's file and line.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, TypeAlias

from grader import __version__
from grader.errors import UsageError
from grader.integrations.checkout import FileLine, definition_lines, disk_lines, relative_locations
from grader.integrations.template import SAFE_WORD, fill_template
from grader.integrations.wheel import build_wheel, wheel_name
from grader.location import Location
from grader.messages import table
from grader.report.github import (
    SUMMARY_FILE,
    Annotation,
    capped,
    classroom_payload,
    encoded_payload,
    failing_text,
    github_reports,
    not_graded,
)
from grader.report.text import points
from grader.results import SubmissionResult
from grader.submission import Submission

WORKFLOW_FILE = PurePosixPath(".github/workflows/classroom.yml")
STEP_ID = "grader"
RESULTS_ENV = f"{STEP_ID.upper()}_RESULTS"
"""The reporter looks each runner's result up as ``<STEP ID IN CAPITALS>_RESULTS``."""
PYTHON_VERSION = "3.11"

# A task of a result: its rubric and its id.
TaskKey: TypeAlias = tuple[str, str]


WHEEL_DIR = PurePosixPath(".github/grader")
"""Where ``grader init github`` puts the grader's wheel in the template repository (``grader ci``
leaves ``.github`` out of what it grades)."""


def vendored_requirement() -> str:
    """What the workflow installs by default: the grader's own wheel, kept in the repository, so that no
    package index has to serve it (its dependencies come from PyPI)."""
    return f"./{WHEEL_DIR / wheel_name()}"


def classroom_files(*, rubric_ids: Sequence[str], requirement: str | None) -> dict[PurePosixPath, bytes]:
    """The files ``grader init github`` writes into a template repository: the workflow and, unless a
    ``requirement`` is named, the wheel of the grader running now for it to install."""
    files: dict[PurePosixPath, bytes] = {}
    if requirement is None:
        files[WHEEL_DIR / wheel_name()] = build_wheel()
        text = classroom_workflow(rubric_ids=rubric_ids, requirement=vendored_requirement(), vendored=True)
    else:
        text = classroom_workflow(rubric_ids=rubric_ids, requirement=requirement, vendored=False)
    files[WORKFLOW_FILE] = text.encode("utf-8")
    return files


def classroom_workflow(*, rubric_ids: Sequence[str], requirement: str, vendored: bool = False) -> str:
    """The text of ``.github/workflows/classroom.yml`` for a student template repository.

    ``requirement`` is anything ``pip install`` accepts as one argument: the vendored wheel's path
    (:func:`vendored_requirement`), or ``taller-grader @ git+https://github.com/<org>/taller-grader@v0.1.0``
    for a course that installs from its own repository.
    """
    requirement = requirement.strip()
    if not requirement or "\n" in requirement or "\r" in requirement:
        raise UsageError("the package to install must be one line, e.g. taller-grader==" + __version__)
    for rubric_id in rubric_ids:
        if not SAFE_WORD.fullmatch(rubric_id):
            raise UsageError(f"{rubric_id!r} is not a rubric id the workflow can name")
    note = (
        f"The grader's wheel is kept in this repository ({WHEEL_DIR}/): no package index has to serve it."
        if vendored
        else "The grader comes from the package named when this workflow was written."
    )
    return fill_template(
        "classroom.yml",
        {
            "VERSION": __version__,
            "PYTHON_VERSION": PYTHON_VERSION,
            "INSTALL_NOTE": note,
            "REQUIREMENT": shlex.quote(requirement),
            "STEP_ID": STEP_ID,
            "RESULTS_ENV": RESULTS_ENV,
            "RUBRIC_ARGS": "".join(f" --rubric {rubric_id}" for rubric_id in rubric_ids),
        },
    )


@dataclass(frozen=True)
class ActionsReport:
    """What one graded checkout leaves in a GitHub Actions step."""

    summary: str
    """Markdown to append to ``$GITHUB_STEP_SUMMARY``."""
    annotations: tuple[str, ...]
    """``::error`` workflow commands, at most :data:`MAX_ANNOTATIONS`, to print on standard output."""
    payload: Mapping[str, Any]
    """The Classroom runner result (decoded)."""

    @property
    def output(self) -> str:
        """The line to append to ``$GITHUB_OUTPUT``: ``result=<base64 JSON>``."""
        return f"result={encoded_payload(self.payload)}\n"


def actions_report(
    result: SubmissionResult,
    submission: Submission,
    *,
    run: Mapping[str, Any],
    workspace: Path,
    max_score: float,
    lang: str,
) -> ActionsReport:
    """Summary, annotations and Classroom payload for one graded checkout.

    ``workspace`` is the folder GitHub resolves annotation paths against (the repository's root);
    ``max_score`` is what the rubrics were worth, so a submission that could not be graded at all
    still reports zero points out of that, not zero out of zero (which Classroom would not record).
    """
    words = table("classroom", lang)
    places = relative_locations(_task_places(result, submission), base=workspace)
    # A single-file submission names its file relative to the folder holding it.
    root = _relative(submission.root.parent if submission.root.is_file() else submission.root, workspace)
    files = [_relative(path, workspace) for path in submission.files]
    # Where a problem without a place of its own is shown: the only file, or else the submission's folder.
    fallback = files[0] if len(files) == 1 else root
    summary = github_reports(run, [result], lang=lang)[SUMMARY_FILE]
    notes = [words["provisional"]]
    if not run.get("hidden_cases", False):
        notes.insert(0, words["public_only"])
    summary = summary.rstrip("\n") + "\n\n" + "\n>\n".join(f"> {note}" for note in notes) + "\n"
    return ActionsReport(
        summary=summary,
        annotations=tuple(a.command() for a in _annotations(result, places, fallback, words, lang)),
        payload=_payload(result, places, fallback, max_score=max_score, lang=lang),
    )


def _task_places(result: SubmissionResult, submission: Submission) -> dict[TaskKey, FileLine]:
    """Where each task is in the files on disk: its location (its function, or the syntax error that
    kept it from loading); for a task that carries none in structured form, its function's definition."""
    located = [task.location for task in result.tasks if isinstance(task.location, Location)]
    on_disk = disk_lines(submission, located)
    unplaced = {
        task.found_as
        for task in result.tasks
        if task.found_as is not None
        and not (isinstance(task.location, Location) and task.location in on_disk)
    }
    defined = definition_lines(submission.files, unplaced) if unplaced else {}
    places: dict[TaskKey, FileLine] = {}
    for task in result.tasks:
        if isinstance(task.location, Location) and task.location in on_disk:
            places[(task.rubric, task.id)] = on_disk[task.location]
        elif task.found_as is not None and task.found_as in defined:
            places[(task.rubric, task.id)] = defined[task.found_as]
    return places


def _payload(
    result: SubmissionResult,
    places: Mapping[TaskKey, FileLine],
    fallback: PurePosixPath,
    *,
    max_score: float,
    lang: str,
) -> dict[str, Any]:
    """The Classroom payload, each test pointing at its task's place, relative to the repository
    rather than to the machine that graded it."""
    payload = classroom_payload([result], lang=lang)
    tests = []
    for test in payload["tests"]:
        # test_code is "<rubric>/<task>/<check>" (or "grading", for a submission not graded).
        parts = str(test.get("test_code", "")).split("/")
        file, line = _file_and_line(places.get((parts[0], parts[1])) if len(parts) == 3 else None, fallback)
        tests.append({**test, "filename": file.as_posix(), "line_no": line or 0})
    payload = {**payload, "tests": tests}
    if result.status != "graded":
        payload["max_score"] = round(max(max_score, float(payload["max_score"])), 6)
    return payload


def _annotations(
    result: SubmissionResult,
    places: Mapping[TaskKey, FileLine],
    fallback: PurePosixPath,
    words: Mapping[str, str],
    lang: str,
) -> list[Annotation]:
    """One error for a submission that could not be graded, then one per function that lost points."""
    found: list[Annotation] = []
    if result.status != "graded" or result.error is not None:
        kind, message = not_graded(result, lang=lang)
        found.append(Annotation(fallback.as_posix(), f"{words['not_graded']} ({kind})", message))
    for task in result.tasks:
        failing = [check for check in task.checks if check.status != "pass"]
        if not failing:
            continue
        file, line = _file_and_line(places.get((task.rubric, task.id)), fallback)
        title = f"{task.id}: {points(task.score, task.max_score)}"
        found.append(Annotation(file.as_posix(), title, failing_text(failing, lang=lang), line))
    return capped(found, lang=lang)


def _file_and_line(place: FileLine | None, fallback: PurePosixPath) -> tuple[PurePosixPath, int | None]:
    if place is None:
        return fallback, None
    return PurePosixPath(place.path.as_posix()), place.line


def _relative(path: Path, workspace: Path) -> PurePosixPath:
    try:
        return PurePosixPath(path.resolve().relative_to(workspace.resolve()).as_posix())
    except ValueError:
        return PurePosixPath(path.as_posix())
