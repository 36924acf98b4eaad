"""A submission made ready to grade, whatever then runs its code (a sandboxed worker, or this process for a
student's self-check): its files read into code units, the rubrics it is graded on, and what the student
is told about reading and loading it. Both ways of running share these steps, so that they tell the same."""

from __future__ import annotations

import ast
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from grader.calls import LoadEvent
from grader.defs import defined_names, find_definitions
from grader.judge import applicable_rubrics, error_line, locator
from grader.messages import SAY, Joined, Message, Phrases, plain
from grader.results import SubmissionError, SubmissionResult
from grader.rubric import Rubric
from grader.source import CodeUnit, SourceError, load_code
from grader.submission import ReadLimits, Refusal, Submission, SubmissionFile
from grader.timing import Timings


@dataclass(frozen=True)
class Prepared:
    """A submission ready to load: its code units in load order, what reading them told (notes), the
    rubrics it is graded on, and its modules, to put where its code can import them."""

    units: tuple[CodeUnit, ...]
    notes: tuple[Message, ...]
    rubrics: tuple[Rubric, ...]
    modules: tuple[SubmissionFile, ...]


def prepare(
    submission: Submission,
    rubrics: Sequence[Rubric],
    *,
    chosen: bool,
    timings: Timings | None = None,
    t: Phrases = SAY,
) -> Prepared | SubmissionResult:
    """Read ``submission`` for grading on ``rubrics`` (``chosen``: named by the user, not offered), or the
    error result that stops it: no file, none readable, code too large, nothing any rubric asks for."""
    files, refused = submission.read()
    notes: list[Message] = [_refusal_note(r, submission.limits, t) for r in refused]
    if not files:
        if refused:
            return error_result(submission, refused[0].kind, notes[0], notes[1:])
        return error_result(submission, "no_files", t("submission.no_files"))
    units: list[CodeUnit] = []
    failures: list[SourceError] = []
    for file in files:
        try:
            read_started = time.perf_counter()
            loaded = load_code(file.data, filename=file.name)
            if timings is not None:
                timings.add_stage("read", time.perf_counter() - read_started)
        except SourceError as exc:
            failures.append(exc)
            notes.append(t("source.in_file", file=file.name, problem=exc.said))
            continue
        units.extend(loaded.units)
        notes.extend(loaded.notes)
    if failures and not units:
        if len(failures) > 1 or refused:
            return error_result(submission, failures[0].kind, notes[0], notes[1:])
        return error_result(submission, failures[0].kind, failures[0].said)
    code_size = sum(len(unit.source) for unit in units)
    if code_size > submission.limits.code_bytes:
        message = t(
            "submission.code_too_large", size=_mib(code_size), limit=_mib(submission.limits.code_bytes)
        )
        return error_result(submission, "code_too_large", message, notes)
    defined = set(defined_names(unit.source for unit in units))
    applicable = applicable_rubrics(rubrics, defined, chosen=chosen)
    if not applicable:
        expected = ", ".join(task.id for r in rubrics for task in r.tasks)
        return error_result(
            submission, "nothing_to_grade", t("submission.no_rubric", expected=expected), notes
        )
    # A folder's modules can import each other; a lone file has no siblings to import.
    modules = [f for f in files if f.name.endswith(".py")] if submission.root not in submission.files else []
    return Prepared(tuple(units), tuple(notes), tuple(applicable), tuple(modules))


def copy_modules(files: Sequence[SubmissionFile], folder: Path) -> None:
    """Put a submission's modules in ``folder``, so that ``import utils`` finds ``utils.py`` there.

    Written from the bytes already read (never copied from the submission's paths, which may be links).
    """
    for file in files:
        target = folder.joinpath(*Path(file.name).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.data)


def load_notes(events: Sequence[LoadEvent], units: Sequence[CodeUnit], t: Phrases) -> list[Message]:
    """What the student should know about loading: syntax errors and crashing statements (failed imports
    are told after grading, by :func:`import_notes`, and only when something graded needed them)."""
    locate = locator(units)
    notes = []
    for event in events:
        if event.kind in ("skipped", "import_error"):
            continue
        line = event.line or 0
        if event.kind == "syntax_error" and 0 <= event.unit < len(units):
            line = error_line(find_definitions(units[event.unit].source))
        key = f"load.{event.kind}"
        text = event_text(event)
        notes.append(t(key, where=locate(event.unit, line), message=text) if t.has(key) else plain(text))
    return notes


def import_notes(
    events: Sequence[LoadEvent], units: Sequence[CodeUnit], missing_names: Collection[str], t: Phrases
) -> list[Message]:
    """A note on the failed imports that bound a name the graded functions looked up and did not find
    (a notebook's matplotlib that no graded function uses is none of the grade's business)."""
    missing = set(missing_names)
    needed = [e for e in events if e.kind == "import_error" and _import_names(units, e) & missing]
    if not needed:
        return []
    locate = locator(units)
    items = tuple(
        t("load.import_item", where=locate(e.unit, e.line or 0), message=event_text(e)) for e in needed
    )
    return [t("load.imports_failed", imports=Joined(items, "; "))]


def error_result(
    submission: Submission, kind: str, message: Message, notes: Sequence[Message] = (), *, output: str = ""
) -> SubmissionResult:
    """The result of a submission that could not be graded, and why."""
    return SubmissionResult(
        id=submission.id,
        source=submission.source,
        status="error",
        error=SubmissionError(kind, message),
        notes=tuple(notes),
        output=output,
    )


def event_text(event: LoadEvent) -> str:
    return event.message if not event.error_type else f"{event.error_type}: {event.message}"


def _refusal_note(refusal: Refusal, limits: ReadLimits, t: Phrases) -> Message:
    """Why a file of the submission was not read, for the student and the instructor."""
    return t(
        f"refused.{refusal.kind}",
        file=refusal.name,
        size=_mib(refusal.detail),
        limit=_mib(limits.max_bytes(refusal.name)),
        count=refusal.detail,
    )


def _mib(size: int) -> str:
    return f"{size / 1024**2:.1f} MiB"


def _import_names(units: Sequence[CodeUnit], event: LoadEvent) -> set[str]:
    """The names the import statement an event is about would have bound (from the unit's source: the
    event itself carries only a line)."""
    if not 0 <= event.unit < len(units) or event.line is None:
        return set()
    try:
        tree = ast.parse(units[event.unit].source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom) and node.lineno <= event.line <= (
            node.end_lineno or node.lineno
        ):
            for alias in node.names:
                names.add(alias.asname or alias.name.split(".")[0])
    return names
