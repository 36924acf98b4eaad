"""Judging a student's functions on a workshop's rubrics: find each task's function, tell the convention the
submission works in, run the checks. The batch (functions loaded in a sandboxed worker) and the notebook
check (functions alive in the student's kernel) share it: it reaches student code only through the
:class:`~grader.calls.StudentCode` protocol and what loading found (:class:`LoadedCode`)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from grader.calls import FunctionInfo, LoadEvent, StudentCode, Substitute
from grader.cases import CaseSet, make_cases
from grader.checks import TaskContext, prefetch_cases, run_check
from grader.checks.context import Planned, prefetch_together
from grader.checks.memo import Memo
from grader.checks.registry import planned_calls
from grader.conventions import Convention
from grader.defs import Definitions, find_definitions
from grader.location import Location
from grader.messages import SAY, Message, Param, Phrases
from grader.probe import (
    RubricProbes,
    inconsistency,
    probe_case,
    probe_convention,
    probe_functions,
    probe_values,
)
from grader.results import CheckResult, TaskResult
from grader.rubric import Rubric, TaskSpec
from grader.source import CodeUnit
from grader.timing import TimedModule, Timings
from reference.mistakes import NO_MISTAKES, KnownMistakes, known_mistakes

# The diagnosis of a function that still raises NotImplementedError (a starter notebook's stub).
NOT_IMPLEMENTED = "not_implemented"


@dataclass(frozen=True)
class LoadedCode:
    """What loading a student's code found: the functions by the name the judge calls them, the code units
    they come from (the unit numbers of :class:`FunctionInfo`, tracebacks and events index these) and what
    happened while loading (syntax errors, failed imports)."""

    functions: Mapping[str, FunctionInfo]
    units: tuple[CodeUnit, ...]
    events: tuple[LoadEvent, ...] = ()

    def place(self, unit: int, line: int) -> Location | None:
        return place(self.units, unit, line)


@dataclass(frozen=True)
class Judge:
    """The part of judging that is the same for every student of a run: each rubric's cases, its reference
    (timed), its known mistakes by task; and, shared by every student, where the time goes and the
    reference results remembered (they depend only on the cases)."""

    cases: Mapping[str, CaseSet]
    references: Mapping[str, TimedModule]
    mistakes: Mapping[str, Mapping[str, KnownMistakes]]
    timings: Timings = field(default_factory=Timings)
    memo: Memo = field(default_factory=Memo)

    @classmethod
    def prepare(cls, rubrics: Sequence[Rubric], *, secret: str | None) -> Judge:
        """The judge of a run on ``rubrics``; without a ``secret`` there are public cases only."""
        timings = Timings()
        return cls(
            cases={r.id: make_cases(r, secret=secret) for r in rubrics},
            references={r.id: TimedModule(r.module, timings) for r in rubrics},
            mistakes={r.id: _mistakes(r) for r in rubrics},
            timings=timings,
        )


@dataclass(frozen=True)
class GradedTask:
    """A task's result plus what later tasks need from it (the convention, whether it is right)."""

    result: TaskResult
    convention: Convention
    spec: TaskSpec

    @property
    def fully_correct(self) -> bool:
        return self.result.found_as is not None and self.result.score >= self.result.max_score


def judge_rubrics(
    judge: Judge,
    rubrics: Sequence[Rubric],
    code: StudentCode,
    loaded: LoadedCode,
    *,
    tasks: Collection[str] | None = None,
    t: Phrases = SAY,
) -> tuple[TaskResult, ...]:
    """Every task of ``rubrics`` judged on the student's ``code``, in the rubrics' order; with ``tasks``,
    only those (by task id) are given back.

    Every function of a rubric is probed before any is judged: the convention the submission works in is
    told by all its functions together. A task whose helpers (``uses``) are not fully right is judged with
    the reference standing in for them, so the helpers of a task asked for are judged as well: its verdict
    is the one the whole rubric would give it.
    """
    results: list[TaskResult] = []
    told: set[str] = set()
    wanted = [_with_helpers(rubric, tasks) for rubric in rubrics]
    # Every rubric's public calls before any hidden call (a public call after a hidden one costs a
    # worker of its own, see StudentRuntime), then the hidden calls of all of them together.
    probed: list[RubricProbes] = []
    hidden: list[Planned] = []
    hidden_before = 0.0
    for rubric, chosen in zip(rubrics, wanted, strict=True):
        probes, settled, hidden_before = _probe_rubric(judge, rubric, code, loaded, t, chosen, hidden_before)
        probed.append(probes)
        hidden.extend(settled)
    prefetch_together(hidden, hidden=True)
    for rubric, chosen, probes in zip(rubrics, wanted, probed, strict=True):
        graded: dict[str, GradedTask] = {}
        for task in rubric.tasks:
            if task.id not in chosen:
                continue
            graded[task.id] = _grade_task(judge, rubric, task, code, loaded, graded, t, told, probes)
            if tasks is None or task.id in tasks:
                results.append(graded[task.id].result)
    return tuple(results)


def applicable_rubrics(rubrics: Sequence[Rubric], defined: Collection[str], *, chosen: bool) -> list[Rubric]:
    """The rubrics a submission is graded on: every chosen rubric whose functions it defines any of;
    among the bundled ones, those it defines at least half the functions of, or else the best match.

    Workshops share helper names (a sigmoid, a cost): defining one of them is not doing that workshop.
    """
    found = {r.id: sum(find_name(task, defined) is not None for task in r.tasks) for r in rubrics}
    candidates = [r for r in rubrics if found[r.id]]
    if chosen or not candidates:
        return candidates
    share = {r.id: found[r.id] / len(r.tasks) for r in candidates}
    most = [r for r in candidates if share[r.id] >= 0.5]
    if most:
        return most
    best = max(share.values())
    return [r for r in candidates if share[r.id] == best]


def _with_helpers(rubric: Rubric, tasks: Collection[str] | None) -> set[str]:
    """The rubric's tasks to judge for ``tasks`` (all when ``None``): those, and the helpers they use."""
    if tasks is None:
        return {task.id for task in rubric.tasks}
    wanted = {task_id for task_id in tasks if any(task.id == task_id for task in rubric.tasks)}
    # Helpers come before the tasks that use them (the rubric loader checks it): one backwards pass.
    for task in reversed(rubric.tasks):
        if task.id in wanted:
            wanted.update(task.uses)
    return wanted


def _grade_task(
    judge: Judge,
    rubric: Rubric,
    task: TaskSpec,
    code: StudentCode,
    loaded: LoadedCode,
    graded: Mapping[str, GradedTask],
    t: Phrases,
    told: set[str],
    probes: RubricProbes,
) -> GradedTask:
    """Judge one task. ``told`` holds the convention notes already given: a student hears each once;
    ``probes``: the rubric's functions probed (the context of this task's, whose calls are reused)."""
    identity = rubric.conventions[0]
    function = find_function(task, loaded.functions)
    if function is None:
        return GradedTask(_missing(rubric, task, loaded, t), identity, task)
    location = loaded.place(function.unit, function.line)
    if not function.accepts(len(task.params)):
        message = t(
            "task.signature",
            name=task.id,
            expected=", ".join(task.params),
            actual=", ".join(function.params),
        )
        refused = tuple(
            CheckResult(c.id, "fail", 0.0, c.points, "public", message, diagnoses=("student_exception",))
            for c in task.checks
        )
        return GradedTask(
            TaskResult(rubric.id, task.id, function.name, refused, location=location), identity, task
        )
    probe = probes.tasks.get(task.id)
    # The probe's context, whose calls the checks reuse.
    ctx = probe.ctx if probe is not None else _context(judge, rubric, task, code, function, loaded, t)
    ctx.substitutes, ctx.helper_names = _substitutes(rubric, task, graded)
    # A probed function's calls were all asked for in its convention then (see _probe_rubric).
    made_in = ctx.convention if probe is not None and not probe.timed_out else None
    ctx.convention, right_in = probe_convention(ctx, established=probes.established)
    source = (
        function_source(loaded.units[function.unit].source, function)
        if 0 <= function.unit < len(loaded.units)
        else None
    )
    if _not_implemented(ctx):
        result = _stub(rubric, task, function.name, t, source=source, location=location)
        return GradedTask(result, ctx.convention, task)
    if right_in is not None:
        ctx.explanation = inconsistency(ctx, right_in, t)
    notes: list[Message] = []
    if ctx.convention.note and ctx.convention.note not in told:
        told.add(ctx.convention.note)
        key = f"note.{ctx.convention.note}"
        notes.append(t(key) if t.has(key) else t("note.convention", convention=ctx.convention.id))
    if ctx.convention is not made_in:
        prefetch_cases(ctx)
    checks = [result for spec in task.checks for result in run_check(ctx, spec)]
    if ctx.convention.note and checks:
        first = checks[0]
        checks[0] = replace(first, diagnoses=(*first.diagnoses, ctx.convention.note))
    notes.extend(ctx.notes)
    result = TaskResult(
        rubric.id,
        task.id,
        function.name,
        tuple(checks),
        tuple(notes),
        source=source,
        location=location,
        curve=ctx.curve,
    )
    return GradedTask(result, ctx.convention, task)


def _not_implemented(ctx: TaskContext) -> bool:
    """Whether the function is a stub still to be written: on the public case it is probed on (the call the
    probe made) it raises NotImplementedError from its own lines, not from a helper it calls (a function
    whose helper is still a stub is judged as the function it is)."""
    case, check = probe_case(ctx)
    outcome = ctx.call_student(probe_values(ctx, case), check=check, hidden=not case.is_public).outcome
    if outcome.status != "exception" or outcome.error_type != "NotImplementedError":
        return False
    if not outcome.frames:
        return True
    raised, function = outcome.frames[-1], ctx.function
    within = function.line <= raised.line <= function.end_line if function.end_line >= function.line else True
    return raised.unit == function.unit and within


def _stub(
    rubric: Rubric,
    task: TaskSpec,
    found_as: str,
    t: Phrases,
    *,
    source: str | None,
    location: Location | None,
) -> TaskResult:
    """A stub's result: every check at zero, saying the function is not written yet (not that it crashed)."""
    message = t("task.not_implemented", name=task.id)
    hint = t.hint(NOT_IMPLEMENTED)
    checks = tuple(
        CheckResult(
            c.id,
            "skipped",
            0.0,
            c.points,
            "public",
            message,
            hints=(hint,) if hint is not None else (),
            diagnoses=(NOT_IMPLEMENTED,),
        )
        for c in task.checks
    )
    return TaskResult(rubric.id, task.id, found_as, checks, source=source, location=location)


def _context(
    judge: Judge,
    rubric: Rubric,
    task: TaskSpec,
    code: StudentCode,
    function: FunctionInfo,
    loaded: LoadedCode,
    t: Phrases,
) -> TaskContext:
    """A task's context, in the rubric's first convention and without helpers substituted yet."""
    return TaskContext(
        rubric=rubric,
        task=task,
        runtime=code,
        function=function,
        convention=rubric.conventions[0],
        cases=judge.cases[rubric.id],
        reference=judge.references[rubric.id],
        mistakes=judge.mistakes[rubric.id].get(task.id, NO_MISTAKES),
        t=t,
        locate=locator(loaded.units),
        timings=judge.timings,
        memo=judge.memo,
    )


def _probe_rubric(
    judge: Judge,
    rubric: Rubric,
    code: StudentCode,
    loaded: LoadedCode,
    t: Phrases,
    wanted: Collection[str],
    hidden_before: float,
) -> tuple[RubricProbes, list[Planned], float]:
    """Every function of the rubric that can be called, probed (see :func:`probe_functions`); the hidden
    calls of the ``wanted`` functions whose probe did not time out, to be made once every rubric's
    public calls are; and the hidden calls' time limits added to ``hidden_before`` (those of the rubrics
    before this one).

    The calls known in advance are made first, all together: every ``wanted`` function's probe and its
    checks' public calls in the rubric's first convention (the one most submissions work in) in one
    round trip; then, for a function graded in another convention (the submission's, or one it alone is
    right in), its calls in that one. Grading may still move a function to another convention once it
    knows which helpers to substitute: its calls are then made as the checks ask for them.
    """
    contexts = {}
    for task in rubric.tasks:
        function = find_function(task, loaded.functions)
        if function is not None and function.accepts(len(task.params)):
            contexts[task.id] = _context(judge, rubric, task, code, function, loaded, t)
    chosen = [ctx for task_id, ctx in contexts.items() if task_id in wanted]
    public: list[Planned] = []
    # Function by function, in the rubric's order, each probe first: a function that kills its worker
    # costs the calls after it a restart, never the answers of those before it. Graded one at a time, a
    # function's hidden cases would run before the next function's public ones: each function's calls
    # leave room in the budget for the hidden cases of those before it, so that a slow function cannot
    # use up what an earlier one needed.
    reserve: dict[str, float] = {}
    # The inputs of each function's calls, whatever the convention they are made in.
    planned = {
        ctx.task.id: (planned_calls(ctx, hidden=False), planned_calls(ctx, hidden=True)) for ctx in chosen
    }
    for ctx in chosen:
        case, check = probe_case(ctx)
        public.append((ctx, probe_values(ctx, case), check))
        public.extend((ctx, values, spec) for values, spec in planned[ctx.task.id][0])
        reserve[ctx.task.id] = hidden_before
        hidden_before += sum(spec.timeout_s for _, spec in planned[ctx.task.id][1])
    prefetch_together(public, hidden=False, reserve=reserve)
    probes = probe_functions(rubric.conventions, contexts)
    established = probes.established
    probed = [probes.tasks[ctx.task.id] for ctx in chosen if not probes.tasks[ctx.task.id].timed_out]
    for probe in probed:
        score = probe.scores.get(established.id)
        if len(rubric.conventions) > 1 and (score is None or score < 3):
            # Not known to be right in the submission's convention: grading will try the others on the
            # probe case before it decides where to grade the function. Tried now, with the function's
            # own helpers (grading finds those calls made), the decision comes before any hidden call.
            probe.ctx.convention, _ = probe_convention(probe.ctx, established=established)
        else:
            probe.ctx.convention = established
    if any(p.ctx.convention.id != rubric.conventions[0].id for p in probed):
        prefetch_together(
            [(p.ctx, values, spec) for p in probed for values, spec in planned[p.ctx.task.id][0]],
            hidden=False,
            reserve=reserve,
        )
    hidden = [(p.ctx, values, spec) for p in probed for values, spec in planned[p.ctx.task.id][1]]
    return probes, hidden, hidden_before


def function_source(unit_source: str, function: FunctionInfo) -> str | None:
    """The text of a function as the student wrote it, from its first line (decorators included) to
    the last line the worker found in its body; nothing is parsed here, whatever the unit's size."""
    if function.end_line < function.line:
        return None
    lines = unit_source.split("\n", function.end_line)[function.line - 1 : function.end_line]
    return "\n".join(lines)[:20_000] or None


def _mistakes(rubric: Rubric) -> dict[str, KnownMistakes]:
    """What the rubric's mistakes module (as it loaded it, from a file or by name) knows, by task."""
    if rubric.mistakes_module is None:
        return {}
    return {task.id: known_mistakes(rubric.mistakes_module, task.reference) for task in rubric.tasks}


def _normalise(name: str) -> str:
    return name.replace("_", "").lower()


def find_name(task: TaskSpec, names: Collection[str] | Mapping[str, object]) -> str | None:
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


def find_function(task: TaskSpec, functions: Mapping[str, FunctionInfo]) -> FunctionInfo | None:
    name = find_name(task, functions)
    return functions[name] if name is not None else None


def _missing(rubric: Rubric, task: TaskSpec, loaded: LoadedCode, t: Phrases) -> TaskResult:
    """A task whose function was not loaded; when a unit that does not parse seems to define it, the
    result points at that unit's syntax error (where the student has something to fix)."""
    code, message = "missing_function", t("task.missing", name=task.id, aliases=", ".join(task.aliases))
    location = None
    locate = locator(loaded.units)
    for event in loaded.events:
        if event.kind != "syntax_error" or not 0 <= event.unit < len(loaded.units):
            continue
        found = find_definitions(loaded.units[event.unit].source)
        if find_name(task, set(found.names)):
            line = error_line(found)
            code, location = "syntax_error", loaded.place(event.unit, line)
            message = t(
                "task.missing_syntax", name=task.id, where=locate(event.unit, line), error=event.message
            )
            break
    checks = tuple(
        CheckResult(c.id, "skipped", 0.0, c.points, "public", message, diagnoses=(code,)) for c in task.checks
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


def place(units: Sequence[CodeUnit], unit: int, line: int) -> Location | None:
    """Line ``line`` of code unit ``unit`` as the student knows it: a cell's line, or the file's.
    A line the worker could not tell (0) is taken as the unit's first."""
    if not 0 <= unit < len(units):
        return None
    code = units[unit]
    file = Path(code.filename).as_posix()
    if code.cell is not None:
        return Location(file, code.cell, max(line, 1))
    return Location(file, None, max(line, 1) + code.first_line - 1)


def locator(units: Sequence[CodeUnit]) -> Callable[[int, int], Param]:
    """The place of a line of a code unit, for the messages and notes that name it."""

    def locate(unit: int, line: int) -> Param:
        found = place(units, unit, line)
        return found if found is not None else "?"

    return locate


def error_line(found: Definitions) -> int:
    """The line of a unit's syntax error (its first line when Python does not say)."""
    if found.parse_error is None or found.parse_error.line is None:
        return 1
    return found.parse_error.line
