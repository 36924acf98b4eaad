"""The registry of check kinds, and turning a kind's per-case verdicts into scored check results.

A kind declares everything a rubric may say about it: its options (type, default, range, one line of
documentation), the task fields it needs, and a hook that checks, at load time, the option values
that name things (outputs, parameters, reference functions, case values). A rubric is therefore
rejected when loaded, naming the key, instead of quietly failing correct students when graded.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Protocol

import numpy as np

from grader.calls import Substitute
from grader.cases import Case, extra_case
from grader.checks.context import CaseVerdict, TaskContext, prefetch_together
from grader.diagnose import hints, merge
from grader.errors import RubricError
from grader.results import CheckResult, CheckStatus, Visibility
from grader.rubric import CheckSpec, OptionSpec, TaskSpec

CheckFunction = Callable[[TaskContext, CheckSpec, Sequence[Case]], list[CaseVerdict]]
CaseSelector = Callable[[TaskContext, CheckSpec], Sequence[Case]]
# Judges one case, calling the student's function with these reference helpers standing in for theirs.
CaseEvaluator = Callable[[Case, Sequence[Substitute]], CaseVerdict]
# The inputs a check calls the student's function with on a case (its own helpers, no substitutes), known
# before it runs, so that every call of a submission known in advance travels in one round trip.
CallPlan = Callable[[TaskContext, CheckSpec, Case], Sequence[Mapping[str, Any]]]
# How many failing cases a message spells out; the rest are counted.
MAX_DETAILED_CASES = 3


class OptionCheck(Protocol):
    """A kind's load-time check of the option values that name things.

    Raises :class:`RubricError` (prefixed with ``where``, the check's key path) for a name that does
    not exist, and returns the case values the check reads beyond the task's own inputs (a cost's or a
    predictor's parameters, the labels), so that cases a check brings along can be checked for them.
    """

    def __call__(
        self, options: Mapping[str, Any], *, task: TaskSpec, reference: ModuleType, where: str
    ) -> Collection[str]: ...


# Options every kind accepts, handled here rather than by each kind.
COMMON_OPTIONS: Mapping[str, OptionSpec] = {
    "cases": OptionSpec(
        (str, list),
        doc="The check's own public cases, instead of the rubric's public and hidden ones: a function of "
        "the reference module (or `module:function`) returning a list of tables of named values, or a "
        "list of size tables for the rubric's case generator.",
    ),
}


@dataclass(frozen=True)
class CheckKind:
    """A kind of check: the function that runs it, the options a rubric may set, the task fields it needs."""

    name: str
    run: CheckFunction
    options: Mapping[str, OptionSpec] = field(default_factory=dict)
    needs: tuple[str, ...] = ()
    select: CaseSelector | None = None
    check_names: OptionCheck | None = None
    plan: CallPlan | None = None

    def planned(self, ctx: TaskContext, spec: CheckSpec, case: Case) -> Sequence[Mapping[str, Any]]:
        """The inputs the check will call the function with on ``case``: the case's own by default."""
        return [case.values] if self.plan is None else self.plan(ctx, spec, case)

    @property
    def doc(self) -> str:
        """What the kind checks: its function's docstring."""
        return inspect.getdoc(self.run) or ""

    def parse_options(self, table: Mapping[str, Any], where: str) -> dict[str, Any]:
        """The kind's options from a check's table (other keys are ignored), defaults filled in (an
        option without a default is left out when the table does not set it).

        Raises :class:`RubricError` naming the key path (``where`` is the check's) for a missing
        required option, a value of the wrong type, or a number out of the option's range.
        """
        options: dict[str, Any] = {}
        for name, spec in self.options.items():
            value = table.get(name)
            if value is None:
                if spec.required:
                    raise RubricError(f"{where}.{name}: required by this check kind")
                if spec.default is not None:
                    # A copy: a mutable default (a list) is never shared between two checks.
                    options[name] = copy.deepcopy(spec.default)
                continue
            problem = spec.problem(value)
            if problem is not None:
                raise RubricError(f"{where}.{name}: {problem}")
            options[name] = value
        return options

    def validate(
        self, options: Mapping[str, Any], *, task: TaskSpec, reference_module: ModuleType, where: str
    ) -> None:
        """Check the option values that name things against the task and the reference module.

        Raises :class:`RubricError` naming the key path (``where`` is the check's), e.g.
        ``tasks[2].checks[1].gradients: 'dw3' is not one of the task's returns (…)``.
        """
        reads = dict.fromkeys(task_values(task))
        if self.check_names is not None:
            reads.update(
                dict.fromkeys(self.check_names(options, task=task, reference=reference_module, where=where))
            )
        _validate_own_cases(options.get("cases"), list(reads), reference_module, f"{where}.cases")


CHECK_KINDS: dict[str, CheckKind] = {}


def register(
    name: str,
    *,
    options: Mapping[str, OptionSpec] | None = None,
    needs: Sequence[str] = (),
    select: CaseSelector | None = None,
    validate: OptionCheck | None = None,
    plan: CallPlan | None = None,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check kind under ``name`` (rubrics refer to it as ``kind = "name"``).

    The kind's function documents what it checks; every option documents itself in one line, and an
    optional default must be a value the option accepts: a kind that breaks either is refused here,
    when the grader is imported, rather than in some rubric later. ``validate`` checks, at load time,
    the option values that name things (see :class:`OptionCheck`). ``plan`` says which inputs the kind
    calls the function with on a case, when not the case's own (see :data:`CallPlan`).
    """

    def decorate(function: CheckFunction) -> CheckFunction:
        if name in CHECK_KINDS:
            raise ValueError(f"check kind {name!r} registered twice")
        if not inspect.getdoc(function):
            raise ValueError(f"check kind {name!r}: its function needs a docstring saying what it checks")
        own = dict(options or {})
        clash = sorted(set(own) & set(COMMON_OPTIONS))
        if clash:
            raise ValueError(f"check kind {name!r}: option {clash[0]!r} is common to every kind")
        for option, spec in own.items():
            _check_option_spec(name, option, spec)
        CHECK_KINDS[name] = CheckKind(
            name, function, {**own, **COMMON_OPTIONS}, tuple(needs), select, validate, plan
        )
        return function

    return decorate


def _check_option_spec(kind: str, option: str, spec: OptionSpec) -> None:
    where = f"check kind {kind!r}: option {option!r}"
    if not spec.doc.strip() or "\n" in spec.doc:
        raise ValueError(f"{where}: needs a one-line doc")
    if spec.required:
        if spec.default is not None:
            raise ValueError(f"{where}: a required option takes no default")
        return
    if spec.default is not None and (problem := spec.problem(spec.default)) is not None:
        raise ValueError(f"{where}: its default {spec.default!r} is refused by its own spec ({problem})")


# --- names an option gives -----------------------------------------------------------------------------


def task_values(task: TaskSpec) -> list[str]:
    """The case values a task's function is called with (a training function's number of steps and
    rate come from each check instead)."""
    schedule = {task.steps, task.rate}
    return [task.inputs.get(p, p) for p in task.params if p not in schedule]


def reference_function(module: ModuleType, name: str) -> Callable[..., Any] | None:
    """The function of the reference module an option names, if there is one."""
    function = getattr(module, name, None)
    return function if callable(function) else None


def require_function(module: ModuleType, name: str, where: str) -> Callable[..., Any]:
    """The reference function an option names; a :class:`RubricError` at ``where`` if there is none."""
    function = reference_function(module, name)
    if function is None:
        raise RubricError(f"{where}: {module.__name__} has no function {name!r}")
    return function


def cases_function(module: ModuleType, name: str) -> Callable[..., Any] | None:
    """The function a ``cases`` option names: ``name`` in the reference module, or ``package.module:name``
    (cases may live apart from the reference, as the rubric's own generator may)."""
    if ":" not in name:
        return reference_function(module, name)
    module_name, _, attribute = name.rpartition(":")
    try:
        return reference_function(importlib.import_module(module_name), attribute)
    except ImportError:
        return None


def parameters(function: Callable[..., Any]) -> list[str]:
    """A function's parameters that a case value can be passed to by name."""
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return [
        p.name
        for p in inspect.signature(function).parameters.values()
        if p.kind in kinds and (p.kind != inspect.Parameter.KEYWORD_ONLY or p.default is p.empty)
    ]


def one_of(value: str, names: Sequence[str], what: str) -> str | None:
    """The complaint when ``value`` is not among ``names`` (``what`` says whose they are)."""
    return None if value in names else f"{value!r} is not one of {what} ({', '.join(names)})"


def _validate_own_cases(chosen: Any, needed: Sequence[str], module: ModuleType, where: str) -> None:
    if chosen is None:
        return
    if isinstance(chosen, list):
        if not chosen:
            raise RubricError(f"{where}: must not be empty")
        for i, sizes in enumerate(chosen):
            if not isinstance(sizes, dict) or not sizes:
                raise RubricError(f"{where}[{i}]: expected a table of sizes, got {sizes!r}")
        return
    function = cases_function(module, chosen)
    if function is None:
        raise RubricError(f"{where}: no function {chosen!r} (in {module.__name__}, or as module:function)")
    try:
        cases = function()
    except Exception as exc:  # the rubric's own function: its author needs to see why it failed
        raise RubricError(f"{where}: {chosen}() raised {type(exc).__name__}: {exc}") from None
    if not isinstance(cases, list | tuple) or not cases:
        raise RubricError(f"{where}: {chosen}() must return a non-empty list of tables, got {cases!r:.80}")
    for i, values in enumerate(cases):
        if not isinstance(values, Mapping):
            raise RubricError(f"{where}: {chosen}() case {i} is not a table of named values: {values!r:.80}")
        missing = [name for name in needed if name not in values]
        if missing:
            raise RubricError(
                f"{where}: {chosen}() case {i} lacks {', '.join(missing)} "
                f"(the check reads {', '.join(needed)})"
            )


# --- cases -------------------------------------------------------------------------------------------


def cases_of(ctx: TaskContext, spec: CheckSpec) -> Sequence[Case]:
    """The cases a check runs on: its own when it names them, else the rubric's public and hidden ones."""
    if spec.options.get("cases") is not None:
        return own_cases(ctx, spec)
    kind = CHECK_KINDS[spec.kind]
    if kind.select is not None:
        return kind.select(ctx, spec)
    return ctx.cases.select(public=spec.public, hidden=spec.hidden)


def own_cases(ctx: TaskContext, spec: CheckSpec) -> tuple[Case, ...]:
    """The public cases a check names with its ``cases`` option, made once per run: they depend on the
    rubric alone (a function of the reference module, or sizes for the rubric's generator)."""
    chosen = spec.options["cases"]

    def build() -> tuple[Case, ...]:
        if isinstance(chosen, str):
            function = cases_function(ctx.rubric.module, chosen)
            assert function is not None, "checked when the rubric was loaded"
            return tuple(
                Case(index=i, visibility="public", sizes={"cases": chosen}, values=_named_values(values))
                for i, values in enumerate(function())
            )
        return tuple(extra_case(ctx.rubric, dict(sizes), index=i) for i, sizes in enumerate(chosen))

    return ctx.memo.get(("check_cases", ctx.rubric.id, ctx.rubric.path, ctx.task.id, spec.id), build)


def _named_values(values: Mapping[str, Any]) -> dict[str, Any]:
    # Lists are how a function most simply writes a few points; the checks work on arrays.
    return {
        name: np.asarray(value, dtype=np.float64) if isinstance(value, list | tuple) else value
        for name, value in values.items()
    }


def planned_calls(ctx: TaskContext, *, hidden: bool) -> list[tuple[Mapping[str, Any], CheckSpec]]:
    """The calls the task's checks will make (inputs, and the check whose time limit each takes) on its
    public or its hidden cases, in the checks' order. Inputs that lack a value the function takes (a
    training schedule a kind without a plan cannot know) are left to the check itself."""
    needed = ctx.task.input_names
    return [
        (values, spec)
        for spec in ctx.task.checks
        for case in cases_of(ctx, spec)
        if case.is_public != hidden
        for values in CHECK_KINDS[spec.kind].planned(ctx, spec, case)
        if all(name in values for name in needed)
    ]


def prefetch_cases(ctx: TaskContext) -> None:
    """Make every call the task's checks will make, public ones in one round trip and hidden ones in
    another (what hidden cases print is told apart by the round trip)."""
    for hidden in (False, True):
        prefetch_together(
            [(ctx, values, spec) for values, spec in planned_calls(ctx, hidden=hidden)], hidden=hidden
        )


def judge_cases(ctx: TaskContext, cases: Sequence[Case], evaluate: CaseEvaluator) -> list[CaseVerdict]:
    """Each case's verdict, judging the function on its own logic: a case that fails with the student's
    own helpers, when some helper the task uses is known to be wrong, is judged again with reference
    helpers in their place; if it passes then, it passes (with a note), so that one wrong helper costs
    points once, in its own task, and not again in every function that calls it."""
    return [_on_own_logic(ctx, case, evaluate) for case in cases]


def _on_own_logic(ctx: TaskContext, case: Case, evaluate: CaseEvaluator) -> CaseVerdict:
    verdict = evaluate(case, ())
    # A time-out says nothing about the helpers, and trying again would cost another time limit.
    if verdict.passed or not ctx.substitutes or verdict.status == "timeout":
        return verdict
    retry = evaluate(case, ctx.substitutes)
    if not retry.passed:
        return verdict
    note = ctx.t("note.helpers_substituted", name=ctx.task.id, helpers=", ".join(ctx.helper_names))
    return CaseVerdict(retry.case, "pass", notes=(note,))


def run_check(ctx: TaskContext, spec: CheckSpec) -> list[CheckResult]:
    """Run one check on its cases; one result for its public cases and one for its hidden ones."""
    kind = CHECK_KINDS[spec.kind]
    # Settled before public and hidden cases part: some mistakes show only on several cases side by side.
    verdicts = ctx.settle(spec, kind.run(ctx, spec, cases_of(ctx, spec)))
    for verdict in verdicts:
        for note in verdict.notes:
            if note not in ctx.notes:
                ctx.notes.append(note)
    _note_warnings(ctx, spec)
    public = [v for v in verdicts if v.case.is_public]
    hidden = [v for v in verdicts if not v.case.is_public]
    total = len(verdicts)
    results = []
    groups: tuple[tuple[list[CaseVerdict], Visibility, str], ...] = (
        (public, "public", ""),
        (hidden, "hidden", ":hidden"),
    )
    for group, visibility, suffix in groups:
        if group:
            share = spec.points * len(group) / total
            results.append(aggregate(ctx, f"{spec.id}{suffix}", group, points=share, visibility=visibility))
    return results


def aggregate(
    ctx: TaskContext, check_id: str, verdicts: Sequence[CaseVerdict], *, points: float, visibility: Visibility
) -> CheckResult:
    passed = sum(v.passed for v in verdicts)
    total = len(verdicts)
    failing = [v for v in verdicts if not v.passed]
    status: CheckStatus
    if not failing:
        status = "pass"
    elif any(v.status == "timeout" for v in failing):
        status = "timeout"
    elif all(v.status == "error" for v in failing):
        status = "error"
    else:
        status = "fail"
    summary = (
        ctx.t("summary.pass", total=total)
        if not failing
        else ctx.t("summary.partial", passed=passed, total=total)
    )
    details = [line for verdict in failing[:MAX_DETAILED_CASES] for line in verdict.details]
    if len(failing) > MAX_DETAILED_CASES:
        details.append(ctx.t("summary.more", count=len(failing) - MAX_DETAILED_CASES))
    diagnoses = merge(*(v.diagnoses for v in failing))
    return CheckResult(
        id=check_id,
        status=status,
        score=round(points * passed / total, 4) if total else 0.0,
        max_score=round(points, 4),
        visibility=visibility,
        summary=summary,
        details=tuple(details),
        hints=tuple(hints(diagnoses, ctx.t, ctx.rubric.hints)),
        diagnoses=tuple(d.code for d in diagnoses),
    )


def _note_warnings(ctx: TaskContext, spec: CheckSpec) -> None:
    """Tell the student, once, about warnings their code raised, whether or not the check passed.

    Warnings cost nothing (a result with an overflow in ``exp`` can still be right), but an overflow or a
    ``log(0)`` is worth knowing about before it turns into a NaN on other data.
    """
    fresh = ctx.unreported_warnings()
    if fresh:
        note = ctx.t("note.warnings", name=ctx.task.id, check=spec.id, warnings="; ".join(fresh))
        ctx.notes.append(note)


# --- documentation -------------------------------------------------------------------------------------

DOC_REGENERATE = (
    ".venv/bin/python -c 'from grader.checks.registry import describe_kinds; "
    'print(describe_kinds(), end="")\' > docs/check-kinds.md'
)


def describe_kinds() -> str:
    """``docs/check-kinds.md``: every registered kind, what it checks, the task fields it needs and
    every option (type, default, range, what it is for), in Markdown. A test keeps the file equal to
    this text, so the documentation cannot drift from the registry."""
    lines = [
        "# Check kinds",
        "",
        f"<!-- Generated from the registry of check kinds; do not edit. Regenerate: {DOC_REGENERATE} -->",
        "",
        "A rubric grades each task with `[[tasks.checks]]` tables. Every check has an `id`, a `kind` (one "
        "of those below), `points`, and optionally `public` and `hidden` (how many of the rubric's public "
        "and hidden cases it runs on; all of them by default) and `timeout_s` (seconds per call). The "
        "other keys are the kind's options. The rubric is checked when it is loaded: an unknown key, a "
        "value of the wrong type or out of its range, and a value that names something that does not "
        "exist (an output, a parameter, a reference function, a case value) stop the run with an error "
        "naming the key.",
        "",
        "When a task lists helpers in `uses` and one of them is wrong in a submission, a case that fails "
        "with the student's own helpers is run again with the reference's in their place; if it passes "
        "then, it passes, with a note: a wrong helper costs points once, in its own task.",
        "",
        "## Options every kind accepts",
        "",
        *_option_table(COMMON_OPTIONS),
        "",
        "Cases a check names are public and the same in every run; a function's cases must hold every "
        "value the check reads, and a check with `cases` takes no `public` or `hidden`.",
    ]
    for name in sorted(CHECK_KINDS):
        kind = CHECK_KINDS[name]
        needs = ", ".join(f"`{field}`" for field in kind.needs)
        own = {option: spec for option, spec in kind.options.items() if option not in COMMON_OPTIONS}
        lines += [
            "",
            f"## `{name}`",
            "",
            kind.doc,
            "",
            f"Task fields it needs: {needs or 'only `params` and `returns`'}.",
            "",
        ]
        lines += _option_table(own) if own else ["Options: only the common ones."]
    return "\n".join(lines) + "\n"


def _option_table(options: Mapping[str, OptionSpec]) -> list[str]:
    rows = ["| option | type | default | range | what it is |", "| --- | --- | --- | --- | --- |"]
    for name, spec in options.items():
        default = "required" if spec.required else ("—" if spec.default is None else _toml(spec.default))
        bounds = spec.range.text if spec.range is not None else "—"
        cells = (f"`{name}`", spec.type_name, default, bounds, spec.doc.replace("|", "\\|"))
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def _toml(value: Any) -> str:
    """A default as a rubric would write it."""
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f'`"{value}"`'
    if isinstance(value, float):
        # 1e-05 as 1e-5: how a rubric author writes it.
        text = re.sub(r"e([+-])0(?=\d)", r"e\1", repr(value)).replace("e+", "e")
        return f"`{text}`"
    return f"`{value!r}`"
