"""Grading one submission: load it into a worker, find each rubric's functions, run their checks."""

from __future__ import annotations

import ast
import hashlib
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

import reference
from grader import __version__
from grader.calls import LoadEvent
from grader.cases import hidden_seed
from grader.defs import defined_names, find_definitions
from grader.judge import Judge, LoadedCode, error_line, judge_rubrics, locator
from grader.judge import applicable_rubrics as _applicable
from grader.messages import SAY, Joined, Message, Phrases, plain
from grader.results import SubmissionError, SubmissionResult
from grader.rubric import Rubric
from grader.sandbox.launcher import Zygote
from grader.sandbox.limits import Limits
from grader.sandbox.replies import LoadReport
from grader.sandbox.session import Captured, StudentRuntime
from grader.source import CodeUnit, SourceError, load_code
from grader.submission import ReadLimits, Refusal, Submission, SubmissionFile

ExecMode = Literal["definitions", "notebook", "auto"]
EXEC_MODES: tuple[ExecMode, ...] = ("auto", "definitions", "notebook")


class Grader:
    """Grades submissions against rubrics. Cases are built once; each submission gets its own worker."""

    def __init__(
        self,
        rubrics: Sequence[Rubric],
        *,
        zygote: Zygote,
        secret: str | None,
        limits: Limits,
        scratch_root: Path,
        lang: str | None = None,
        exec_mode: ExecMode = "auto",
    ) -> None:
        """``exec_mode``: "definitions" runs only what functions need, "notebook" runs every top-level
        statement, "auto" runs definitions and falls back to the whole notebook when a function needs
        state that only top-level code builds."""
        self.rubrics = list(rubrics)
        self._zygote = zygote
        self._limits = limits
        self._scratch_root = scratch_root
        self._lang = lang
        self._exec = exec_mode
        self._secret = secret
        # Cases, references and known mistakes are the run's, shared by every submission it grades.
        self._judge = Judge.prepare(self.rubrics, secret=secret)
        self._run_digest = _run_digest(self.rubrics, secret=secret, lang=lang, sandbox=tuple(zygote.sandbox))
        self.timings = self._judge.timings
        self.memo = self._judge.memo

    def settings(self) -> dict[str, Any]:
        """What another process needs to build an equivalent grader (see :mod:`grader.batch`)."""
        return {
            "rubric_paths": tuple(r.path for r in self.rubrics),
            "secret": self._secret,
            "limits": self._limits,
            "lang": self._lang,
            "exec_mode": self._exec,
        }

    def result_key(self, submission: Submission) -> str:
        """A key that changes whenever the result of grading this submission could change."""
        text = f"{self._run_digest}\0{submission.id}\0{submission.fingerprint()}"
        return hashlib.sha256(text.encode()).hexdigest()

    def grade(self, submission: Submission, *, rubrics: Sequence[Rubric] | None = None) -> SubmissionResult:
        started = time.perf_counter()
        result = self._grade(submission, rubrics)
        self.timings.add_stage("grade", time.perf_counter() - started)
        return replace(
            result,
            duration_s=time.perf_counter() - started,
            student=submission.student,
            files=submission.sources(),
        )

    def _grade(self, submission: Submission, only: Sequence[Rubric] | None) -> SubmissionResult:
        t = SAY
        files, refused = submission.read()
        notes: list[Message] = [_refusal_note(r, submission.limits, t) for r in refused]
        if not files:
            if refused:
                return _error(submission, refused[0].kind, notes[0], notes[1:])
            return _error(submission, "no_files", t("submission.no_files"))
        units: list[CodeUnit] = []
        failures: list[SourceError] = []
        for file in files:
            try:
                read_started = time.perf_counter()
                loaded = load_code(file.data, filename=file.name)
                self.timings.add_stage("read", time.perf_counter() - read_started)
            except SourceError as exc:
                failures.append(exc)
                notes.append(t("source.in_file", file=file.name, problem=exc.said))
                continue
            units.extend(loaded.units)
            notes.extend(loaded.notes)
        if failures and not units:
            if len(failures) > 1 or refused:
                return _error(submission, failures[0].kind, notes[0], notes[1:])
            return _error(submission, failures[0].kind, failures[0].said)
        code_size = sum(len(unit.source) for unit in units)
        if code_size > submission.limits.code_bytes:
            message = t(
                "submission.code_too_large", size=_mib(code_size), limit=_mib(submission.limits.code_bytes)
            )
            return _error(submission, "code_too_large", message, notes)
        defined = set(defined_names(unit.source for unit in units))
        applicable = _applicable(only or self.rubrics, defined, chosen=only is not None)
        if not applicable:
            expected = ", ".join(task.id for r in (only or self.rubrics) for task in r.tasks)
            return _error(submission, "nothing_to_grade", t("submission.no_rubric", expected=expected), notes)
        full = self._exec == "notebook"
        # One budget for everything this submission may cost, whatever it does: its deadline is shared
        # by every worker and by a second run of the whole notebook.
        deadline = time.monotonic() + sum(r.budget_s for r in applicable)
        # A folder's modules can import each other; a lone file has no siblings to import.
        modules = (
            [f for f in files if f.name.endswith(".py")] if submission.root not in submission.files else []
        )
        result, needs_state = self._run(
            submission, units, modules, applicable, notes, t, full=full, deadline=deadline
        )
        if needs_state and self._exec == "auto" and time.monotonic() < deadline:
            # Some function looked up a name that only skipped top-level code defines: run it all.
            again, _ = self._run(
                submission, units, modules, applicable, notes, t, full=True, deadline=deadline
            )
            return replace(again, notes=(*again.notes, t("note.full_notebook")))
        return result

    def _run(
        self,
        submission: Submission,
        units: Sequence[CodeUnit],
        modules: Sequence[SubmissionFile],
        applicable: Sequence[Rubric],
        notes: Sequence[Message],
        t: Phrases,
        *,
        full: bool,
        deadline: float,
    ) -> tuple[SubmissionResult, bool]:
        """Load the units in a worker (definitions only, or ``full``: every statement) and grade them;
        also whether some function missed a name that only skipped top-level code binds."""
        notes = list(notes)
        workdir = Path(tempfile.mkdtemp(prefix="work-", dir=self._scratch_root))
        _copy_modules(modules, workdir)
        output = workdir.with_suffix(".out")
        runtime = StudentRuntime(
            self._zygote,
            units=[u.source for u in units],
            workdir=workdir,
            output=output,
            limits=self._limits,
            full=full,
            deadline=deadline,
        )
        try:
            load_started = time.perf_counter()
            report = runtime.load()
            self.timings.add_stage("start", time.perf_counter() - load_started)
            self.timings.add_toplevel(report.elapsed_s)
            if report.status != "ok":
                reason = t("task.load_failed", reason=report.message)
                error = replace(
                    _error(submission, f"load_{report.status}", reason, notes),
                    **_output(runtime.captured(), t),
                )
                return error, False
            notes.extend(_load_notes(report, units, t))
            failed_imports = [event for event in report.events if event.kind == "import_error"]
            loaded = LoadedCode(functions=report.functions, units=tuple(units), events=report.events)
            tasks = judge_rubrics(self._judge, applicable, runtime, loaded, t=t)
            # A failed import is worth a note only when something graded missed what it would have
            # bound (a notebook's matplotlib that no graded function uses is none of the grade's business).
            needed = [e for e in failed_imports if _import_names(units, e) & runtime.missing_names]
            if needed:
                items = tuple(
                    t("load.import_item", where=locator(units)(e.unit, e.line or 0), message=_event_text(e))
                    for e in needed
                )
                notes.append(t("load.imports_failed", imports=Joined(items, "; ")))
            result = SubmissionResult(
                id=submission.id,
                source=submission.source,
                status="graded",
                tasks=tasks,
                notes=tuple(notes),
                **_output(runtime.captured(), t),
            )
            return result, bool(runtime.missing_names & report.skipped_names)
        finally:
            runtime.close()
            shutil.rmtree(workdir, ignore_errors=True)
            output.unlink(missing_ok=True)


def _run_digest(
    rubrics: Sequence[Rubric], *, secret: str | None, lang: str | None, sandbox: Sequence[str]
) -> str:
    # The sandbox layers are part of it: a result from an --unsafe run is never reused by a safe one.
    digest = hashlib.sha256(f"{__version__}\0lang={lang}\0sandbox={','.join(sandbox)}".encode())
    # The code that grades is part of the key too, so results kept by another build are never reused.
    for package in (Path(__file__).parent, Path(reference.__file__).parent):
        for source in sorted(package.rglob("*.py")):
            digest.update(source.read_bytes())
    # So is everything each rubric loaded (its TOML, its workshop folder's modules, the source of each
    # module it names): editing the reference or the known mistakes grades again.
    for rubric in sorted(rubrics, key=lambda r: r.id):
        digest.update(f"\0rubric={rubric.id}".encode())
        for name in rubric.files or (rubric.path,):
            path = Path(name)
            digest.update(f"\0{path.name}\0".encode())
            digest.update(path.read_bytes() if path.is_file() else name.encode())
    # The secret enters one-way, through the hidden-case seed.
    digest.update(str(hidden_seed(secret, "result-key") if secret is not None else "public-only").encode())
    return digest.hexdigest()


def _copy_modules(files: Sequence[SubmissionFile], workdir: Path) -> None:
    """Put a submission's modules beside its worker, so ``import utils`` finds ``utils.py``.

    Written from the bytes already read (never copied from the submission's paths, which may be links).
    """
    for file in files:
        target = workdir.joinpath(*Path(file.name).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.data)


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


def _error(
    submission: Submission, kind: str, message: Message, notes: Sequence[Message] = (), *, output: str = ""
) -> SubmissionResult:
    return SubmissionResult(
        id=submission.id,
        source=submission.source,
        status="error",
        error=SubmissionError(kind, message),
        notes=tuple(notes),
        output=output,
    )


def _load_notes(report: LoadReport, units: Sequence[CodeUnit], t: Phrases) -> list[Message]:
    """What the student should know about loading: syntax errors and crashing statements (failed imports
    are told after grading, and only when something graded needed them)."""
    locate = locator(units)
    notes = []
    for event in report.events:
        if event.kind in ("skipped", "import_error"):
            continue
        line = event.line or 0
        if event.kind == "syntax_error" and 0 <= event.unit < len(units):
            line = error_line(find_definitions(units[event.unit].source))
        key = f"load.{event.kind}"
        text = _event_text(event)
        notes.append(t(key, where=locate(event.unit, line), message=text) if t.has(key) else plain(text))
    return notes


def _output(captured: Captured, t: Phrases) -> dict[str, Any]:
    """A result's output fields: the text, and what a reader should know about it."""
    notes = []
    if captured.cut_at_bytes is not None:
        notes.append(t("output.cut", kib=captured.cut_at_bytes // 1024))
    if captured.withheld_hidden:
        notes.append(t("output.hidden_withheld"))
    return {"output": captured.text, "output_notes": tuple(notes)}


def _event_text(event: LoadEvent) -> str:
    return event.message if not event.error_type else f"{event.error_type}: {event.message}"


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
