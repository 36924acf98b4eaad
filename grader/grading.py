"""Grading one submission: load it into a worker, find each rubric's functions, run their checks."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import reference
from grader import __version__
from grader.calls import FunctionInfo, Substitute
from grader.cases import CaseSet, hidden_seed, make_cases
from grader.checks import TaskContext, prefetch_cases, run_check
from grader.checks.memo import Memo
from grader.conventions import Convention
from grader.defs import Definitions, defined_names, find_definitions
from grader.messages import Translator
from grader.probe import RubricProbes, inconsistency, probe_convention, probe_functions
from grader.report.text import where
from grader.results import CheckResult, Location, SubmissionError, SubmissionResult, TaskResult
from grader.rubric import Rubric, TaskSpec
from grader.sandbox.launcher import Zygote
from grader.sandbox.limits import Limits
from grader.sandbox.replies import LoadReport
from grader.sandbox.session import StudentRuntime
from grader.source import CodeUnit, SourceError, load_code
from grader.submission import ReadLimits, Refusal, Submission, SubmissionFile
from grader.timing import TimedModule, Timings
from reference.mistakes import NO_MISTAKES, KnownMistakes, known_mistakes

ExecMode = Literal["definitions", "notebook", "auto"]
EXEC_MODES: tuple[ExecMode, ...] = ("auto", "definitions", "notebook")


@dataclass(frozen=True)
class GradedTask:
    """A task's result plus what later tasks need from it (the convention, whether it is right)."""

    result: TaskResult
    convention: Convention
    spec: TaskSpec

    @property
    def fully_correct(self) -> bool:
        return self.result.found_as is not None and self.result.score >= self.result.max_score


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
        self._cases: dict[str, CaseSet] = {r.id: make_cases(r, secret=secret) for r in self.rubrics}
        self._mistakes = {r.id: _mistakes(r) for r in self.rubrics}
        self._run_digest = _run_digest(self.rubrics, secret=secret, lang=lang, sandbox=tuple(zygote.sandbox))
        self.timings = Timings()
        self.memo = Memo()
        self._reference = {r.id: TimedModule(r.module, self.timings) for r in self.rubrics}

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
        return SubmissionResult(
            id=result.id,
            source=result.source,
            status=result.status,
            tasks=result.tasks,
            error=result.error,
            duration_s=time.perf_counter() - started,
            notes=result.notes,
            output=result.output,
        )

    def _grade(self, submission: Submission, only: Sequence[Rubric] | None) -> SubmissionResult:
        t = Translator(self._lang or (self.rubrics[0].lang if self.rubrics else "es"))
        files, refused = submission.read()
        notes: list[str] = [_refusal_note(r, submission.limits, t) for r in refused]
        if not files:
            if refused:
                return _error(submission, refused[0].kind, "; ".join(notes))
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
                notes.append(f"{file.name}: {exc.message}")
                continue
            units.extend(loaded.units)
            notes.extend(f"{file.name}: {n}" for n in loaded.notes)
        if failures and not units:
            if len(failures) > 1 or refused:
                return _error(submission, failures[0].kind, "; ".join(notes))
            return _error(submission, failures[0].kind, _source_message(failures[0], t))
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
        if self._lang is None:
            t = Translator(applicable[0].lang)
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
        notes: Sequence[str],
        t: Translator,
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
                error = _error(submission, f"load_{report.status}", reason, notes, output=runtime.output())
                return error, False
            notes.extend(_load_notes(report, units, t))
            tasks: list[TaskResult] = []
            told: set[str] = set()
            for rubric in applicable:
                graded: dict[str, GradedTask] = {}
                # Every function of the rubric is probed before any is graded: the convention the
                # submission works in is told by all its functions together, and each is judged in it.
                probes = self._probe_rubric(rubric, runtime, report, units, t)
                for task in rubric.tasks:
                    graded[task.id] = self._grade_task(
                        rubric, task, runtime, report, units, graded, t, told, probes
                    )
                    tasks.append(graded[task.id].result)
            result = SubmissionResult(
                id=submission.id,
                source=submission.source,
                status="graded",
                tasks=tuple(tasks),
                notes=tuple(notes),
                output=runtime.output(),
            )
            return result, bool(runtime.missing_names & report.skipped_names)
        finally:
            runtime.close()
            shutil.rmtree(workdir, ignore_errors=True)
            output.unlink(missing_ok=True)

    def _grade_task(
        self,
        rubric: Rubric,
        task: TaskSpec,
        runtime: StudentRuntime,
        report: LoadReport,
        units: Sequence[CodeUnit],
        graded: Mapping[str, GradedTask],
        t: Translator,
        told: set[str],
        probes: RubricProbes,
    ) -> GradedTask:
        """Grade one task. ``told`` holds the convention notes already given: a student hears each once;
        ``probes``: the rubric's functions probed (the context of this task's, whose calls are reused)."""
        locate = _locator(units, t)
        identity = rubric.conventions[0]
        function = _find_function(task, report.functions)
        if function is None:
            return GradedTask(_missing(rubric, task, report, units, t, locate), identity, task)
        if not function.accepts(len(task.params)):
            message = t(
                "task.signature",
                name=task.id,
                expected=", ".join(task.params),
                actual=", ".join(function.params),
            )
            refused = tuple(
                CheckResult(c.id, "fail", 0.0, c.points, "public", message, ("student_exception",))
                for c in task.checks
            )
            place = _place(units, function.unit, function.line)
            return GradedTask(
                TaskResult(rubric.id, task.id, function.name, refused, location=place), identity, task
            )
        probe = probes.tasks.get(task.id)
        # The probe's context, whose calls the checks reuse.
        ctx = probe.ctx if probe is not None else self._context(rubric, task, runtime, function, units, t)
        ctx.substitutes, ctx.helper_names = _substitutes(rubric, task, graded)
        ctx.convention, right_in = probe_convention(ctx, established=probes.established)
        if right_in is not None:
            ctx.explanation = inconsistency(ctx, right_in, t)
        notes: list[str] = []
        if ctx.convention.note and ctx.convention.note not in told:
            told.add(ctx.convention.note)
            key = f"note.{ctx.convention.note}"
            notes.append(t(key) if t.has(key) else t("note.convention", convention=ctx.convention.id))
        prefetch_cases(ctx)
        checks = [result for spec in task.checks for result in run_check(ctx, spec)]
        if ctx.convention.note and checks:
            first = checks[0]
            checks[0] = CheckResult(
                first.id,
                first.status,
                first.score,
                first.max_score,
                first.visibility,
                first.message,
                (*first.diagnoses, ctx.convention.note),
            )
        notes.extend(ctx.notes)
        result = TaskResult(
            rubric.id,
            task.id,
            function.name,
            tuple(checks),
            tuple(notes),
            source=function_source(units[function.unit].source, function)
            if 0 <= function.unit < len(units)
            else None,
            location=_place(units, function.unit, function.line),
            curve=ctx.curve,
        )
        return GradedTask(result, ctx.convention, task)

    def _context(
        self,
        rubric: Rubric,
        task: TaskSpec,
        runtime: StudentRuntime,
        function: FunctionInfo,
        units: Sequence[CodeUnit],
        t: Translator,
    ) -> TaskContext:
        """A task's context, in the rubric's first convention and without helpers substituted yet."""
        return TaskContext(
            rubric=rubric,
            task=task,
            runtime=runtime,
            function=function,
            convention=rubric.conventions[0],
            cases=self._cases[rubric.id],
            reference=self._reference[rubric.id],
            mistakes=self._mistakes[rubric.id].get(task.id, NO_MISTAKES),
            t=t,
            locate=_locator(units, t),
            timings=self.timings,
            memo=self.memo,
        )

    def _probe_rubric(
        self,
        rubric: Rubric,
        runtime: StudentRuntime,
        report: LoadReport,
        units: Sequence[CodeUnit],
        t: Translator,
    ) -> RubricProbes:
        """Every function of the rubric that can be called, probed (see :func:`probe_functions`)."""
        contexts = {}
        for task in rubric.tasks:
            function = _find_function(task, report.functions)
            if function is not None and function.accepts(len(task.params)):
                contexts[task.id] = self._context(rubric, task, runtime, function, units, t)
        return probe_functions(rubric.conventions, contexts)


def function_source(unit_source: str, function: FunctionInfo) -> str | None:
    """The text of a function as the student wrote it, from its first line (decorators included) to
    the last line the worker found in its body; nothing is parsed here, whatever the unit's size."""
    if function.end_line < function.line:
        return None
    lines = unit_source.split("\n", function.end_line)[function.line - 1 : function.end_line]
    return "\n".join(lines)[:20_000] or None


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


def _refusal_note(refusal: Refusal, limits: ReadLimits, t: Translator) -> str:
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


def _source_message(error: SourceError, t: Translator) -> str:
    """Why a file could not be read, in the run's language (the technical detail stays as it is)."""
    key = f"source.{error.kind}"
    if t.lang == "en" or not t.has(key):
        return error.message
    return f"{t(key)} ({error.message})"


def _error(
    submission: Submission, kind: str, message: str, notes: Sequence[str] = (), *, output: str = ""
) -> SubmissionResult:
    return SubmissionResult(
        id=submission.id,
        source=submission.source,
        status="error",
        error=SubmissionError(kind, message),
        notes=tuple(notes),
        output=output,
    )


def _mistakes(rubric: Rubric) -> dict[str, KnownMistakes]:
    """What the rubric's mistakes module (as it loaded it, from a file or by name) knows, by task."""
    if rubric.mistakes_module is None:
        return {}
    return {task.id: known_mistakes(rubric.mistakes_module, task.reference) for task in rubric.tasks}


def _normalise(name: str) -> str:
    return name.replace("_", "").lower()


def _applicable(rubrics: Sequence[Rubric], defined: set[str], *, chosen: bool) -> list[Rubric]:
    """The rubrics a submission is graded on: every chosen rubric whose functions it defines any of;
    among the bundled ones, those it defines at least half the functions of, or else the best match.

    Workshops share helper names (a sigmoid, a cost): defining one of them is not doing that workshop.
    """
    found = {r.id: sum(_find_name(task, defined) is not None for task in r.tasks) for r in rubrics}
    candidates = [r for r in rubrics if found[r.id]]
    if chosen or not candidates:
        return candidates
    share = {r.id: found[r.id] / len(r.tasks) for r in candidates}
    most = [r for r in candidates if share[r.id] >= 0.5]
    if most:
        return most
    best = max(share.values())
    return [r for r in candidates if share[r.id] == best]


def _find_name(task: TaskSpec, names: set[str] | Mapping[str, Any]) -> str | None:
    """The name under which the submission defines the task's function: exact first, then loosely
    (ignoring case and underscores), trying the canonical name before the aliases."""
    for candidate in task.names:
        if candidate in names:
            return candidate
    loose = {_normalise(n): n for n in sorted(names)}
    for candidate in task.names:
        if _normalise(candidate) in loose:
            return loose[_normalise(candidate)]
    return None


def _find_function(task: TaskSpec, functions: Mapping[str, FunctionInfo]) -> FunctionInfo | None:
    name = _find_name(task, functions)
    return functions[name] if name is not None else None


def _missing(
    rubric: Rubric,
    task: TaskSpec,
    report: LoadReport,
    units: Sequence[CodeUnit],
    t: Translator,
    locate: Callable[[int, int], str],
) -> TaskResult:
    """A task whose function was not loaded; when a unit that does not parse seems to define it, the
    result points at that unit's syntax error (where the student has something to fix)."""
    code, message = "missing_function", t("task.missing", name=task.id, aliases=", ".join(task.aliases))
    location = None
    for event in report.events:
        if event.kind != "syntax_error":
            continue
        found = find_definitions(units[event.unit].source)
        if _find_name(task, set(found.names)):
            line = _error_line(found)
            code, location = "syntax_error", _place(units, event.unit, line)
            message = t(
                "task.missing_syntax", name=task.id, where=locate(event.unit, line), error=event.message
            )
            break
    checks = tuple(
        CheckResult(c.id, "skipped", 0.0, c.points, "public", message, (code,)) for c in task.checks
    )
    return TaskResult(rubric.id, task.id, None, checks, location=location)


def _substitutes(
    rubric: Rubric, task: TaskSpec, graded: Mapping[str, GradedTask]
) -> tuple[list[Substitute], list[str]]:
    """Reference stand-ins for the helpers this task uses that were found but are not fully right."""
    substitutes, names = [], []
    reference = rubric.module
    for used in task.uses:
        helper = graded.get(used)
        if helper is None or helper.result.found_as is None or helper.fully_correct:
            continue
        substitutes.append(
            Substitute(
                name=helper.result.found_as,
                function=getattr(reference, helper.spec.reference),
                convention=helper.convention,
                outputs=tuple(helper.spec.returns),
            )
        )
        names.append(helper.result.found_as)
    return substitutes, names


def _place(units: Sequence[CodeUnit], unit: int, line: int) -> Location | None:
    """Line ``line`` of code unit ``unit`` as the student knows it: a cell's line, or the file's.
    A line the worker could not tell (0) is taken as the unit's first."""
    if not 0 <= unit < len(units):
        return None
    code = units[unit]
    file = Path(code.filename).as_posix()
    if code.cell is not None:
        return Location(file, code.cell, max(line, 1))
    return Location(file, None, max(line, 1) + code.first_line - 1)


def _locator(units: Sequence[CodeUnit], t: Translator) -> Callable[[int, int], str]:
    """Words naming a line of a code unit, for the sentences of messages and notes."""

    def locate(unit: int, line: int) -> str:
        place = _place(units, unit, line)
        return where(place, t) if place is not None else "?"

    return locate


def _error_line(found: Definitions) -> int:
    """The line of a unit's syntax error (its first line when Python does not say)."""
    if found.parse_error is None or found.parse_error.line is None:
        return 1
    return found.parse_error.line


def _load_notes(report: LoadReport, units: Sequence[CodeUnit], t: Translator) -> list[str]:
    """What the student should know about loading: syntax errors, failed imports, crashing statements."""
    locate = _locator(units, t)
    notes = []
    for event in report.events:
        if event.kind == "skipped":
            continue
        line = event.line or 0
        if event.kind == "syntax_error" and 0 <= event.unit < len(units):
            line = _error_line(find_definitions(units[event.unit].source))
        key = f"load.{event.kind}"
        text = event.message if not event.error_type else f"{event.error_type}: {event.message}"
        notes.append(t(key, where=locate(event.unit, line), message=text) if t.has(key) else text)
    return notes
