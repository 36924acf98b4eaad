"""Checks on training functions: one step equals the reference update, the cost goes down, it learns.

Training functions return their parameters in many ways (any order, with or without a cost history,
or nothing at all after updating the arrays in place); :meth:`TaskContext.trained` finds them. Costs
are always computed by the grader from the parameters, never taken from the student's own history.
A training loop is graded on its own logic: when it fails with the student's own helpers and some
helper is known to be wrong, it is run again with reference helpers in their place.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from grader.calls import Substitute
from grader.cases import Case, extra_case
from grader.checks.context import CaseVerdict, TaskContext, Trained
from grader.checks.registry import register
from grader.compare import Comparison, compare
from grader.diagnose import Diagnosis, agree, implementation_matches, merge, scaling_matches, with_implied
from grader.rubric import CheckSpec, OptionSpec

TRAINING = ("trains", "steps", "rate")


def _with_own_logic(ctx: TaskContext, evaluate: Callable[[Sequence[Substitute]], CaseVerdict]) -> CaseVerdict:
    verdict = evaluate(())
    if verdict.passed or not ctx.substitutes or verdict.status == "timeout":
        return verdict
    retry = evaluate(ctx.substitutes)
    if not retry.passed:
        return verdict
    note = ctx.t("note.helpers_substituted", name=ctx.task.id, helpers=", ".join(ctx.helper_names))
    return CaseVerdict(retry.case, "pass", notes=(note,))


def _train(
    ctx: TaskContext,
    spec: CheckSpec,
    case: Case,
    *,
    steps: int,
    rate: float,
    substitutes: Sequence[Substitute],
) -> Trained | CaseVerdict:
    """Call the training function: the trained parameters, or the verdict explaining why there are none."""
    assert ctx.task.steps is not None and ctx.task.rate is not None
    values = _with_schedule(ctx, case.values, steps=steps, rate=rate)
    call = ctx.call_student(values, check=spec, substitutes=substitutes, hidden=not case.is_public)
    if not call.ok:
        return ctx.describe_failure(case, call.outcome, timeout_s=spec.timeout_s)
    initial = {name: np.asarray(case.values[name]) for name in ctx.task.trains}
    trained = ctx.trained(call, initial)
    if trained is None:
        detail = ctx.t("train.no_params", case=ctx.case_label(case), names=", ".join(ctx.task.trains))
        return CaseVerdict(case, "fail", (detail,))
    return trained


def _cost(ctx: TaskContext, values: Mapping[str, Any], params: Mapping[str, np.ndarray]) -> float:
    assert ctx.task.cost is not None
    function = getattr(ctx.reference, ctx.task.cost)
    merged = {**values, **params}
    return float(function(*[merged[name] for name in inspect.signature(function).parameters]))


def _reference_trained(
    ctx: TaskContext, values: Mapping[str, Any], function: Callable[..., Any] | None = None
) -> dict[str, Any]:
    outputs = ctx.call_reference(values, function=function)
    return dict(zip(ctx.task.returns, outputs, strict=False))


STEP_OPTIONS = {
    "rate": OptionSpec((int, float), required=True),
    "steps": OptionSpec(int, 1),
    "rtol": OptionSpec(float, 1e-6),
    "atol": OptionSpec(float, 1e-9),
}


@register("one_step", options=STEP_OPTIONS, needs=TRAINING)
def one_step(ctx: TaskContext, spec: CheckSpec, cases: Sequence[Case]) -> list[CaseVerdict]:
    """``steps`` updates (default one) give exactly the reference's parameters."""
    steps, rate = int(spec.options["steps"]), float(spec.options["rate"])
    rtol, atol = float(spec.options["rtol"]), float(spec.options["atol"])

    def evaluate(case: Case, substitutes: Sequence[Substitute]) -> CaseVerdict:
        trained = _train(ctx, spec, case, steps=steps, rate=rate, substitutes=substitutes)
        if isinstance(trained, CaseVerdict):
            return trained
        expected = _reference_trained(ctx, _with_schedule(ctx, case.values, steps=steps, rate=rate))
        wrong = [
            name
            for name in ctx.task.trains
            if not compare(np.asarray(expected[name]), trained.params[name], rtol=rtol, atol=atol).values_ok
        ]
        if not wrong:
            return CaseVerdict(case, "pass")
        label = ctx.case_label(case)
        initial = {name: np.asarray(case.values[name]) for name in ctx.task.trains}
        if all(np.array_equal(trained.params[n], initial[n]) for n in ctx.task.trains):
            details = [ctx.t("train.unchanged", case=label)]
        else:
            details = [
                _explain_parameter(
                    ctx,
                    case,
                    name,
                    compare(np.asarray(expected[name]), trained.params[name], rtol=rtol, atol=atol),
                    steps=steps,
                    rate=rate,
                    rtol=rtol,
                    atol=atol,
                )
                for name in wrong
            ]
        diagnoses = _step_diagnoses(
            ctx, spec, case, trained, steps=steps, rate=rate, substitutes=substitutes, rtol=rtol, atol=atol
        )
        return CaseVerdict(case, "fail", tuple(details), diagnoses)

    return [_with_own_logic(ctx, functools.partial(evaluate, case)) for case in cases]


@register(
    "cost_decreases",
    options={"rate": OptionSpec((int, float), required=True), "steps": OptionSpec(int, 5)},
    needs=(*TRAINING, "cost"),
)
def cost_decreases(ctx: TaskContext, spec: CheckSpec, cases: Sequence[Case]) -> list[CaseVerdict]:
    """With a small rate, the cost (computed by the grader) goes down after 1, 2, … ``steps`` updates
    and never up. Each length is a fresh call from the same starting point."""
    steps, rate = int(spec.options["steps"]), float(spec.options["rate"])

    def evaluate(case: Case, substitutes: Sequence[Substitute]) -> CaseVerdict:
        label = ctx.case_label(case)
        initial = {name: np.asarray(case.values[name]) for name in ctx.task.trains}
        costs = [_cost(ctx, case.values, initial)]
        if not substitutes:
            schedules = [_with_schedule(ctx, case.values, steps=k, rate=rate) for k in range(1, steps + 1)]
            ctx.prefetch(schedules, check=spec, hidden=not case.is_public)
        for k in range(1, steps + 1):
            trained = _train(ctx, spec, case, steps=k, rate=rate, substitutes=substitutes)
            if isinstance(trained, CaseVerdict):
                return trained
            costs.append(_cost(ctx, case.values, trained.params))
        if ctx.curve is None and case.is_public and not substitutes:
            ctx.curve = {
                "student": tuple(costs),
                "reference": _reference_costs(ctx, case, steps=steps, rate=rate),
            }
        rises = [k for k in range(steps) if not costs[k + 1] <= costs[k] * (1 + 1e-12) + 1e-15]
        if not rises and costs[-1] < costs[0]:
            return CaseVerdict(case, "pass")
        if rises:
            k = rises[0]
            detail = ctx.say(
                case,
                "train.cost_up",
                case=label,
                step=k,
                next=k + 1,
                before=costs[k],
                after=costs[k + 1],
                rate=rate,
            )
        else:
            detail = ctx.say(case, "train.cost_flat", case=label, before=costs[0], after=costs[-1], rate=rate)
        diagnoses = (Diagnosis("gradient_ascent"),) if len(rises) == steps else ()
        return CaseVerdict(case, "fail", (detail,), diagnoses)

    return [_with_own_logic(ctx, functools.partial(evaluate, case)) for case in cases]


def _reference_costs(ctx: TaskContext, case: Case, *, steps: int, rate: float) -> tuple[float, ...]:
    costs = []
    for k in range(steps + 1):
        trained = _reference_trained(ctx, _with_schedule(ctx, case.values, steps=k, rate=rate))
        costs.append(_cost(ctx, case.values, {name: trained[name] for name in ctx.task.trains}))
    return tuple(costs)


@register(
    "reaches_solution",
    options={
        "rate": OptionSpec((int, float), required=True),
        "steps": OptionSpec(int, required=True),
        "solution": OptionSpec(str, required=True),
        "atol": OptionSpec(float, 1e-4),
    },
    needs=TRAINING,
)
def reaches_solution(ctx: TaskContext, spec: CheckSpec, cases: Sequence[Case]) -> list[CaseVerdict]:
    """After ``steps`` updates the (single) trained parameter is the reference ``solution``
    (e.g. least squares).

    On a case where the reference itself does not get that close in ``steps`` updates (an
    ill-conditioned random problem), the target is where the reference got instead: a correct
    submission must never fail for the case's sake.
    """
    steps, rate = int(spec.options["steps"]), float(spec.options["rate"])
    atol = float(spec.options["atol"])
    solve = getattr(ctx.reference, str(spec.options["solution"]))

    def evaluate(case: Case, substitutes: Sequence[Substitute]) -> CaseVerdict:
        trained = _train(ctx, spec, case, steps=steps, rate=rate, substitutes=substitutes)
        if isinstance(trained, CaseVerdict):
            return trained
        name = ctx.task.trains[0]
        target = np.asarray(solve(*[case.values[n] for n in inspect.signature(solve).parameters]))
        reached = np.asarray(
            _reference_trained(ctx, _with_schedule(ctx, case.values, steps=steps, rate=rate))[name]
        )
        if not compare(target, reached, rtol=0.0, atol=atol).values_ok:
            target = reached
        c = compare(target, trained.params[name], rtol=0.0, atol=atol)
        if c.values_ok:
            return CaseVerdict(case, "pass")
        detail = ctx.t(
            "train.not_solution",
            case=ctx.case_label(case),
            steps=steps,
            rate=rate,
            name=name,
            diff=c.max_abs_diff if c.max_abs_diff is not None else float("nan"),
            where=ctx.position(name, c.where),
            atol=atol,
        )
        values = _with_schedule(ctx, case.values, steps=steps, rate=rate)
        return CaseVerdict(case, "fail", (detail,), _loop_diagnoses(ctx, case, values, trained))

    return [_with_own_logic(ctx, functools.partial(evaluate, case)) for case in cases]


def _own_cases(ctx: TaskContext, spec: CheckSpec) -> Sequence[Case]:
    return [extra_case(ctx.rubric, dict(sizes), index=i) for i, sizes in enumerate(spec.options["cases"])]


@register(
    "learns",
    options={
        "rate": OptionSpec((int, float), required=True),
        "steps": OptionSpec(int, required=True),
        "predict": OptionSpec(str, required=True),
        "threshold": OptionSpec(float, 0.5),
        "cases": OptionSpec(list, required=True),
    },
    needs=TRAINING,
    select=_own_cases,
)
def learns(ctx: TaskContext, spec: CheckSpec, cases: Sequence[Case]) -> list[CaseVerdict]:
    """With the rubric's settings, the trained network (run through the reference ``predict``)
    classifies every instance of each case right."""
    steps, rate = int(spec.options["steps"]), float(spec.options["rate"])
    threshold = float(spec.options["threshold"])
    predict = getattr(ctx.reference, str(spec.options["predict"]))

    def evaluate(case: Case, substitutes: Sequence[Substitute]) -> CaseVerdict:
        trained = _train(ctx, spec, case, steps=steps, rate=rate, substitutes=substitutes)
        if isinstance(trained, CaseVerdict):
            return trained
        merged = {**case.values, **trained.params}
        outputs = predict(*[merged[name] for name in inspect.signature(predict).parameters])
        scores = np.asarray(outputs[-1] if isinstance(outputs, tuple) else outputs).ravel()
        target = np.asarray(case.values["y"]).ravel()
        right = int(np.sum((scores > threshold) == (target > threshold)))
        if right == target.size:
            return CaseVerdict(case, "pass")
        cost = _cost(ctx, case.values, trained.params) if ctx.task.cost else float("nan")
        detail = ctx.t(
            "train.not_learned",
            case=ctx.case_label(case),
            steps=steps,
            rate=rate,
            right=right,
            total=target.size,
            cost=cost,
        )
        values = _with_schedule(ctx, case.values, steps=steps, rate=rate)
        return CaseVerdict(case, "fail", (detail,), _loop_diagnoses(ctx, case, values, trained))

    return [_with_own_logic(ctx, functools.partial(evaluate, case)) for case in cases]


# --- explaining and diagnosing ---------------------------------------------------------------------------


def _explain_parameter(
    ctx: TaskContext,
    case: Case,
    name: str,
    c: Comparison,
    *,
    steps: int,
    rate: float,
    rtol: float,
    atol: float,
) -> str:
    label = ctx.case_label(case)
    if c.max_abs_diff is None:
        return ctx.t("train.param_type", case=label, steps=steps, rate=rate, name=name, type=c.actual_type)
    if c.non_finite:
        return ctx.t("train.param_non_finite", case=label, steps=steps, rate=rate, name=name)
    return ctx.say(
        case,
        "train.one_step",
        case=label,
        steps=steps,
        rate=rate,
        name=name,
        **ctx.worst_difference(name, c, rtol=rtol, atol=atol),
    )


def _step_diagnoses(
    ctx: TaskContext,
    spec: CheckSpec,
    case: Case,
    trained: Trained,
    *,
    steps: int,
    rate: float,
    substitutes: Sequence[Substitute],
    rtol: float,
    atol: float,
) -> tuple[Diagnosis, ...]:
    """What the update the student's loop made says about it: a step scaled by a telltale factor (−1:
    climbing the cost; m: a summed gradient), a known-wrong loop it reproduces, or one epoch too many or
    too few."""
    names = ctx.task.trains
    initial = {name: np.asarray(case.values[name], dtype=np.float64) for name in names}
    values = _with_schedule(ctx, case.values, steps=steps, rate=rate)
    expected = _reference_trained(ctx, values)
    m = ctx.mistakes.instances(case.values) if ctx.mistakes.instances is not None else None
    scaled = scaling_matches(
        [np.asarray(expected[n]) - initial[n] for n in names],
        [trained.params[n] - initial[n] for n in names],
        ctx.mistakes.scalings,
        m=m,
        rtol=1e-6,
        atol=1e-12,
    )
    known = _loop_diagnoses(ctx, case, values, trained, rtol=rtol, atol=atol)
    return with_implied(
        merge(scaled, known, _epoch_count(ctx, spec, case, trained, steps, rate, substitutes))
    )


def _epoch_count(
    ctx: TaskContext,
    spec: CheckSpec,
    case: Case,
    trained: Trained,
    steps: int,
    rate: float,
    substitutes: Sequence[Substitute],
) -> tuple[Diagnosis, ...]:
    """``off_by_one_epochs`` when the loop ran one epoch more, or one fewer, than asked."""
    names = ctx.task.trains

    def same(params: Mapping[str, np.ndarray], reference: Mapping[str, Any]) -> bool:
        return all(agree(reference[n], params[n], rtol=1e-6, atol=1e-9) for n in names)

    more = _reference_trained(ctx, _with_schedule(ctx, case.values, steps=steps + 1, rate=rate))
    if same(trained.params, more):
        return (_off_by_one(ran=steps + 1, asked=steps),)
    # One epoch short is told apart from no training at all by asking for one epoch more.
    unchanged = all(np.array_equal(trained.params[n], np.asarray(case.values[n])) for n in names)
    if steps >= 1 and unchanged:
        again = _train(ctx, spec, case, steps=steps + 1, rate=rate, substitutes=substitutes)
        asked = _reference_trained(ctx, _with_schedule(ctx, case.values, steps=steps, rate=rate))
        if isinstance(again, Trained) and same(again.params, asked):
            return (_off_by_one(ran=steps - 1, asked=steps),)
    return ()


def _off_by_one(*, ran: int, asked: int) -> Diagnosis:
    return Diagnosis("off_by_one_epochs", (("ran", str(ran)), ("asked", str(asked))))


def _loop_diagnoses(
    ctx: TaskContext,
    case: Case,
    values: Mapping[str, Any],
    trained: Trained,
    *,
    rtol: float = 1e-5,
    atol: float = 1e-8,
) -> tuple[Diagnosis, ...]:
    """The known-wrong training loops whose parameters, from the same start, the student's reproduce.

    A wrong loop that ends where the right one does, or leaves the parameters where they started, proves
    nothing on this case: a loop that does not train at all would match the latter too.
    """
    names = ctx.task.trains
    initial = {name: np.asarray(case.values[name]) for name in names}
    right = _reference_trained(ctx, values)

    def run(wrong: Callable[..., Any]) -> list[Any]:
        alternative = _reference_trained(ctx, values, wrong)
        return [alternative.get(name) for name in names]

    def uninformative(outputs: Sequence[Any]) -> bool:
        pairs = list(zip(names, outputs, strict=True))
        unchanged = all(o is not None and np.array_equal(np.asarray(o), initial[n]) for n, o in pairs)
        return unchanged or all(agree(right[n], o, rtol=rtol, atol=atol) for n, o in pairs)

    return implementation_matches(
        ctx.mistakes.implementations,
        run,
        [trained.params[name] for name in names],
        rtol=rtol,
        atol=atol,
        uninformative=uninformative,
    )


def _with_schedule(ctx: TaskContext, values: Mapping[str, Any], *, steps: int, rate: float) -> dict[str, Any]:
    return {**values, ctx.task.steps or "": steps, ctx.task.rate or "": rate}
