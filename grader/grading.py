"""Grading one submission: load it into a worker, find each rubric's functions, run their checks."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np

import reference
from grader import __version__
from grader.calls import FunctionInfo, Substitute
from grader.cases import Case, CaseSet, hidden_seed, make_cases
from grader.checks import TaskContext, prefetch_cases, run_check
from grader.checks.memo import Memo
from grader.compare import compare
from grader.conventions import Convention
from grader.defs import Definitions, defined_names, find_definitions
from grader.diagnose import Diagnosis
from grader.messages import Translator
from grader.report.text import where
from grader.results import CheckResult, Location, SubmissionError, SubmissionResult, TaskResult
from grader.rubric import CheckSpec, Rubric, TaskSpec
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
                for task in rubric.tasks:
                    graded[task.id] = self._grade_task(rubric, task, runtime, report, units, graded, t, told)
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
    ) -> GradedTask:
        """Grade one task. ``told`` holds the convention notes already given: a student hears each once.

        Grading the rubric's first task probes every function of the rubric first: the convention the
        submission works in is told by all its functions together, and each function is judged in it."""
        locate = _locator(units, t)
        identity = rubric.conventions[0]
        probes = self._rubric_probes(rubric, task, runtime, report, units, t, told)
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
        ctx.convention, right_in = _probe_convention(ctx, established=probes.established)
        if right_in is not None:
            ctx.explanation = _inconsistency(ctx, right_in, t)
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

    def _rubric_probes(
        self,
        rubric: Rubric,
        task: TaskSpec,
        runtime: StudentRuntime,
        report: LoadReport,
        units: Sequence[CodeUnit],
        t: Translator,
        told: set[str],
    ) -> RubricProbes:
        """The rubric's functions probed under its conventions: done when its first task is graded, and kept
        for its other tasks as long as ``told`` lives (the state of one run of the submission's code)."""
        key = id(told)
        kept = _PROBES.get(key)
        if kept is None:
            kept = _PROBES[key] = {}
            weakref.finalize(told, _PROBES.pop, key, None)
        found = kept.get(rubric.id)
        if found is None or task.id == rubric.tasks[0].id:
            found = kept[rubric.id] = self._probe_rubric(rubric, runtime, report, units, t)
        return found

    def _probe_rubric(
        self,
        rubric: Rubric,
        runtime: StudentRuntime,
        report: LoadReport,
        units: Sequence[CodeUnit],
        t: Translator,
    ) -> RubricProbes:
        """Every function of the rubric that can be called, probed (see :func:`_probe_functions`)."""
        contexts = {}
        for task in rubric.tasks:
            function = _find_function(task, report.functions)
            if function is not None and function.accepts(len(task.params)):
                contexts[task.id] = self._context(rubric, task, runtime, function, units, t)
        return _probe_functions(rubric.conventions, contexts)


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


TIMED_OUT = -1
# The probes of each run's rubrics, by the run's ``told`` set, made when a rubric's first task is graded
# (tasks are graded one at a time, in the rubric's order) and dropped with the run. Not kept beside the
# worker: the probes' contexts hold it, so they would keep each other alive.
_PROBES: dict[int, dict[str, RubricProbes]] = {}


@dataclass
class Probe:
    """A task's function probed under the rubric's conventions: its score (see :func:`_probe_score`) under
    each convention tried, in the order tried, and the context whose calls the checks then reuse."""

    ctx: TaskContext
    scores: dict[str, int] = field(default_factory=dict)

    @property
    def timed_out(self) -> bool:
        return TIMED_OUT in self.scores.values()

    def run(
        self, conventions: Sequence[Convention], *, prefer: Convention | None, stop_when_right: bool
    ) -> None:
        """Score the conventions not tried yet, ``prefer`` first; stop at a time-out (it says nothing about
        the layout, and another try would cost another time limit) and, with ``stop_when_right``, at the
        first convention in which the function is right."""
        if self.timed_out:
            return
        # A function that calls helpers of its own may be wrong only through them (they are not replaced
        # before they are graded): the right shapes are as much as it can show of its layout here.
        enough = 2 if self.ctx.task.uses else 3
        case, check = _probe_case(self.ctx)
        for convention in sorted(conventions, key=lambda c: c != prefer):
            if convention.id in self.scores:
                continue
            self.ctx.convention = convention
            score = self.scores[convention.id] = _probe_score(self.ctx, case, check)
            if score == TIMED_OUT or (stop_when_right and score >= enough):
                return

    @property
    def best(self) -> str | None:
        """The convention the function works best in (the first tried on a tie), when its scores tell the
        conventions apart: not after a time-out, nor when every convention tried gave the same."""
        if not self.scores or self.timed_out:
            return None
        top = max(self.scores.values())
        if len(self.scores) > 1 and min(self.scores.values()) == top:
            return None
        return next(convention for convention, score in self.scores.items() if score == top)

    @property
    def margin(self) -> int:
        """How much better the function works in its best convention than in the next one tried."""
        ranked = sorted(self.scores.values(), reverse=True)
        return ranked[0] - ranked[1] if self.best is not None and len(ranked) > 1 else 0


@dataclass(frozen=True)
class RubricProbes:
    """A rubric's functions probed (by task id) and the convention the submission works in."""

    tasks: Mapping[str, Probe]
    established: Convention


def _probe_functions(conventions: Sequence[Convention], contexts: Mapping[str, TaskContext]) -> RubricProbes:
    """A rubric's functions (their contexts by task id, in the rubric's order) probed in turn, each
    preferring the convention the one before worked best in, so that a consistent submission costs one
    call per function; and the convention the submission works in."""
    tasks: dict[str, Probe] = {}
    prefer: Convention | None = None
    for task_id, ctx in contexts.items():
        probe = tasks[task_id] = Probe(ctx)
        if len(conventions) > 1:
            probe.run(conventions, prefer=prefer, stop_when_right=True)
            prefer = next((c for c in conventions if c.id == probe.best), prefer)
    return RubricProbes(tasks, _established_convention(conventions, list(tasks.values())))


def _established_convention(conventions: Sequence[Convention], probes: Sequence[Probe]) -> Convention:
    """The convention a submission works in, told by the functions whose outputs tell conventions apart
    (a scalar cost does not): the one they all work best in, or else the one they prefer most strongly.

    When the functions disagree, each is probed under every convention first, so that a function that
    worked at the first try says whether it works in the others too; the vote is then by how much better
    each works in its own (right values against right shapes counts less than against an exception), then
    by how many functions, then by the rubric's order.
    """
    bests = {probe.best for probe in probes} - {None}
    if len(bests) <= 1:
        chosen = next(iter(bests), conventions[0].id)
        return next(c for c in conventions if c.id == chosen)
    for probe in probes:
        probe.run(conventions, prefer=None, stop_when_right=False)
    votes = {c.id: [0, 0] for c in conventions}
    for probe in probes:
        if probe.best is not None and probe.margin > 0:
            votes[probe.best][0] += probe.margin
            votes[probe.best][1] += 1
    return max(conventions, key=lambda c: (votes[c.id], -conventions.index(c)))


def _probe_case(ctx: TaskContext) -> tuple[Case, CheckSpec]:
    """The public case a function is probed on (the one whose sizes differ most from each other, so that
    shapes tell the arrays apart) and the check whose time limit the probe call takes."""
    case = max(ctx.cases.public, key=lambda c: len({v for v in c.sizes.values() if isinstance(v, int)}))
    return case, ctx.task.checks[0]


def _probe_convention(ctx: TaskContext, *, established: Convention) -> tuple[Convention, Convention | None]:
    """The convention a task is graded in, and the one it is right in when that is another.

    A function that gives the right values on a public case in the submission's ``established`` convention
    is graded in it, as is one that is right only in another convention (it would not work with the rest
    of the student's own code, and fails saying so). A function right in none is graded where it works
    best, ties going to the established convention, so that its own mistake is what it hears about.
    """
    conventions = ctx.rubric.conventions
    if len(conventions) == 1:
        return conventions[0], None
    case, check = _probe_case(ctx)
    ordered = sorted(conventions, key=lambda c: c.id != established.id)
    best, best_score = ordered[0], -1
    for convention in ordered:
        ctx.convention = convention
        score = _probe_score(ctx, case, check)
        if score > best_score:
            best, best_score = convention, score
        if score >= 3 or score == TIMED_OUT:
            break
    if best.id != established.id and best_score >= 3:
        return established, best
    return best, None


def _inconsistency(ctx: TaskContext, right_in: Convention, t: Translator) -> Diagnosis:
    """Why a function graded in the submission's convention fails although it is right in ``right_in``."""
    axis = _instances_axis(ctx)
    graded = _layout(t, ctx.convention, right_in, axis)
    return Diagnosis(
        "inconsistent_convention",
        (("actual", _layout(t, right_in, ctx.convention, axis)), ("expected", graded)),
    )


def _instances_axis(ctx: TaskContext) -> int | None:
    """The axis the reference lays instances along (0: rows, 1: columns), by the 2-D arrays of a public case
    with exactly one axis of m; ``None`` when the rubric cannot tell."""
    for case in ctx.cases.public:
        m = ctx.instances(case.values)
        if m is None:
            continue
        shapes = [v.shape for v in case.values.values() if isinstance(v, np.ndarray) and v.ndim == 2]
        axes = [shape.index(m) for shape in shapes if shape.count(m) == 1]
        if axes.count(0) != axes.count(1):
            return max((0, 1), key=axes.count)
    return None


def _layout(t: Translator, convention: Convention, other: Convention, axis: int | None) -> str:
    """Words for how ``convention`` lays the arrays out where it differs from ``other``."""
    parts = []
    if convention.transpose != other.transpose:
        if axis is None:
            parts.append(t("layout.transposed" if convention.transpose else "layout.not_transposed"))
        else:
            own = 1 - axis if convention.transpose else axis
            parts.append(t("layout.rows" if own == 0 else "layout.columns"))
    columns = sorted(convention.column_vectors - other.column_vectors)
    if columns:
        parts.append(t("layout.column_vectors", names=", ".join(columns)))
    flat = sorted(other.column_vectors - convention.column_vectors)
    if flat:
        parts.append(t("layout.flat_vectors", names=", ".join(flat)))
    return t("layout.and").join(parts) if parts else t("layout.named", convention=convention.id)


def _probe_score(ctx: TaskContext, case: Case, check: Any) -> int:
    """3: right values; 2: right shapes; 1: ran; 0: raised; ``TIMED_OUT``: did not finish in time."""
    task = ctx.task
    values: dict[str, Any] = dict(case.values)
    if task.trains and task.steps and task.rate:
        # One update at the rate of the task's first training check: that check's own first call,
        # which is then not made twice.
        rates = (spec.options["rate"] for spec in task.checks if "rate" in spec.options)
        values.update({task.steps: 1, task.rate: float(next(rates, 0.1))})
    # A function whose helpers are wrong may only show its layout with the reference's in their place
    # (the checks judge it that way too, so the second call is theirs as well).
    best = 0
    for substitutes in ([], ctx.substitutes) if ctx.substitutes else ([],):
        call = ctx.call_student(values, check=check, substitutes=substitutes, hidden=not case.is_public)
        if call.outcome.status == "timeout":
            return TIMED_OUT
        if not call.ok:
            continue
        expected = ctx.call_reference(values)
        if task.trains:
            initial = {name: np.asarray(case.values[name]) for name in task.trains}
            trained = ctx.trained(call, initial)
            if trained is None:
                return 1
            by_name = dict(zip(task.returns, expected, strict=False))
            right = all(
                compare(np.asarray(by_name[n]), trained.params[n], rtol=1e-6, atol=1e-9).values_ok
                for n in task.trains
            )
            # Wrong parameters of the right shapes score 2 once no helper is left to substitute.
            if right or substitutes or not ctx.substitutes:
                return 3 if right else 2
            continue
        outputs = ctx.outputs(call)
        if outputs is None:
            return 1
        comparisons = [
            compare(np.asarray(e), a, rtol=1e-6, atol=1e-9, scalar=np.ndim(e) == 0)
            for e, a in zip(expected, outputs, strict=True)
        ]
        if all(c.ok for c in comparisons):
            return 3
        best = max(best, 2 if all(c.shape_ok for c in comparisons) else 1)
    return best


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
