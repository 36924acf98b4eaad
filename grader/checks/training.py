"""Checks on training functions: one step equals the reference update, the cost goes down, it learns.

Training functions return their parameters in many ways (any order, with or without a cost history,
or nothing at all after updating the arrays in place); :meth:`TaskContext.trained` finds them. Costs
are always computed by the grader from the parameters, never taken from the student's own history.
A training loop is graded on its own logic: when it fails with the student's own helpers and some
helper is known to be wrong, it is run again with reference helpers in their place. A loop that fails is
also asked for a much smaller rate and another number of updates: one that uses a rate or a count of its
own instead of those it is given lands exactly where it did, and is told which parameter to use.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from types import ModuleType
from typing import Any

import numpy as np

from grader.calls import Substitute
from grader.cases import Case
from grader.checks.context import CaseVerdict, TaskContext, Trained
from grader.checks.memo import function_key, values_key
from grader.checks.registry import (
    judge_cases,
    one_of,
    parameters,
    reference_function,
    register,
    require_function,
    task_values,
)
from grader.compare import Comparison, compare
from grader.diagnose import Diagnosis, agree, implementation_matches, merge, scaling_matches, with_implied
from grader.errors import RubricError
from grader.messages import Message
from grader.rubric import Bounds, CheckSpec, OptionSpec, TaskSpec

TRAINING = ("trains", "steps", "rate")
POSITIVE = Bounds(0, low_open=True)
NOT_NEGATIVE = Bounds(0)
AT_LEAST_ONE = Bounds(1)
RATE = OptionSpec(
    (int, float), required=True, doc="Learning rate the training function is called with.", range=POSITIVE
)


def _steps(default: int | None, doc: str) -> OptionSpec:
    return OptionSpec(int, default, required=default is None, doc=doc, range=AT_LEAST_ONE)


def least_squares(X: Any, y: Any) -> np.ndarray:
    """The parameters minimising the squared error of ``X @ theta`` against ``y``."""
    theta, *_ = np.linalg.lstsq(np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64), rcond=None)
    return np.asarray(theta, dtype=np.float64)


# Solutions a rubric may name without writing them in its reference module.
BUILTIN_SOLUTIONS: Mapping[str, Callable[..., Any]] = {"least_squares": least_squares}


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
    """The reference cost of a case with ``params`` (the trained parameters) in place of its own."""
    assert ctx.task.cost is not None
    function = getattr(ctx.reference, ctx.task.cost)
    # Read once per run: reading a signature can cost more than the cost function itself.
    names = ctx.memo.get(
        ("parameters", function_key(function)), lambda: tuple(inspect.signature(function).parameters)
    )
    merged = {**values, **params}
    return float(function(*[merged[name] for name in names]))


def _starting_cost(ctx: TaskContext, case: Case) -> float:
    """The reference cost of a case at its own starting parameters: the same for every submission."""
    return ctx.memo.get(
        ("starting_cost", ctx.rubric.id, ctx.task.id, _case_key(case)),
        lambda: _cost(ctx, case.values, {name: np.asarray(case.values[name]) for name in ctx.task.trains}),
    )


def _case_key(case: Case) -> bytes:
    """A case by all its values (the cost may read some the task's function does not take)."""
    return values_key(case.values, tuple(sorted(case.values)))


def _reference_trained(
    ctx: TaskContext, values: Mapping[str, Any], function: Callable[..., Any] | None = None
) -> dict[str, Any]:
    outputs = ctx.call_reference(values, function=function)
    return dict(zip(ctx.task.returns, outputs, strict=False))


# One more rate for ``other_rates``: positive, as the check's own.
OTHER_RATE = OptionSpec((int, float), doc="A further learning rate.", range=POSITIVE)
STEP_OPTIONS = {
    "rate": RATE,
    "other_rates": OptionSpec(
        list,
        [],
        doc="More learning rates every case is judged at too (each must give the reference's parameters): "
        "rates no classroom uses catch a rate written into the loop.",
    ),
    "steps": _steps(1, "Number of updates the function is asked for."),
    "rtol": OptionSpec(float, 1e-6, doc="Relative tolerance on the trained parameters.", range=NOT_NEGATIVE),
    "atol": OptionSpec(float, 1e-9, doc="Absolute tolerance on the trained parameters.", range=NOT_NEGATIVE),
}


def _check_rates(
    options: Mapping[str, Any], *, task: TaskSpec, reference: ModuleType, where: str
) -> Collection[str]:
    """Every one of ``other_rates`` is a positive number."""
    for i, value in enumerate(options["other_rates"]):
        problem = OTHER_RATE.problem(value)
        if problem is not None:
            raise RubricError(f"{where}.other_rates[{i}]: {problem}")
    return ()


def _rates(spec: CheckSpec) -> tuple[float, ...]:
    return tuple(dict.fromkeys(float(r) for r in (spec.options["rate"], *spec.options["other_rates"])))


def _each_rate(ctx: TaskContext, spec: CheckSpec, case: Case) -> list[dict[str, Any]]:
    """``one_step``'s calls on a case: ``steps`` updates at each of its rates."""
    steps = int(spec.options["steps"])
    return [_with_schedule(ctx, case.values, steps=steps, rate=rate) for rate in _rates(spec)]


def _each_length(ctx: TaskContext, spec: CheckSpec, case: Case) -> list[dict[str, Any]]:
    """``cost_decreases``'s calls on a case: 1, 2, … ``steps`` updates, each from the same start."""
    rate = float(spec.options["rate"])
    return [
        _with_schedule(ctx, case.values, steps=k, rate=rate) for k in range(1, int(spec.options["steps"]) + 1)
    ]


def _one_run(ctx: TaskContext, spec: CheckSpec, case: Case) -> list[dict[str, Any]]:
    """The call of a check that trains once per case: ``steps`` updates at ``rate``."""
    return [
        _with_schedule(ctx, case.values, steps=int(spec.options["steps"]), rate=float(spec.options["rate"]))
    ]


@register("one_step", options=STEP_OPTIONS, needs=TRAINING, validate=_check_rates, plan=_each_rate)
def one_step(ctx: TaskContext, spec: CheckSpec, cases: Sequence[Case]) -> list[CaseVerdict]:
    """``steps`` updates (default one) give exactly the reference's parameters, at ``rate`` and at each of
    ``other_rates``: a case passes when every rate does."""
    steps = int(spec.options["steps"])
    rates = _rates(spec)
    rtol, atol = float(spec.options["rtol"]), float(spec.options["atol"])

    def evaluate(case: Case, substitutes: Sequence[Substitute]) -> CaseVerdict:
        if not substitutes:
            ctx.prefetch(_each_rate(ctx, spec, case), check=spec, hidden=not case.is_public)
        for rate in rates:
            verdict = evaluate_at(case, substitutes, rate)
            if not verdict.passed:
                return verdict
        return CaseVerdict(case, "pass")

    def evaluate_at(case: Case, substitutes: Sequence[Substitute], rate: float) -> CaseVerdict:
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
            details: list[Message] = [ctx.t("train.unchanged", case=label)]
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

    return judge_cases(ctx, cases, evaluate)


def _cost_values(
    options: Mapping[str, Any], *, task: TaskSpec, reference: ModuleType, where: str
) -> Collection[str]:
    """The task's ``cost`` is computed by the grader from the case values and the trained parameters."""
    assert task.cost is not None, "the kind needs the task's cost"
    return parameters(getattr(reference, task.cost))


@register(
    "cost_decreases",
    options={
        "rate": RATE,
        "steps": _steps(5, "The cost is computed after 1, 2, … this many updates."),
    },
    needs=(*TRAINING, "cost"),
    validate=_cost_values,
    plan=_each_length,
)
def cost_decreases(ctx: TaskContext, spec: CheckSpec, cases: Sequence[Case]) -> list[CaseVerdict]:
    """With a small rate, the cost (computed by the grader) goes down after 1, 2, … ``steps`` updates
    and never up. Each length is a fresh call from the same starting point."""
    steps, rate = int(spec.options["steps"]), float(spec.options["rate"])

    def evaluate(case: Case, substitutes: Sequence[Substitute]) -> CaseVerdict:
        label = ctx.case_label(case)
        costs = [_starting_cost(ctx, case)]
        if not substitutes:
            ctx.prefetch(_each_length(ctx, spec, case), check=spec, hidden=not case.is_public)
        trained: Trained | CaseVerdict | None = None
        for k in range(1, steps + 1):
            trained = _train(ctx, spec, case, steps=k, rate=rate, substitutes=substitutes)
            if isinstance(trained, CaseVerdict):
                return trained
            costs.append(_cost(ctx, case.values, trained.params))
        assert isinstance(trained, Trained), "steps is at least 1"
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
        schedule = _schedule_diagnoses(
            ctx, spec, case, trained, steps=steps, rate=rate, substitutes=substitutes
        )
        # A cost that goes up at every step says the loop climbs it only when the step is the rate's: with
        # a rate of the loop's own, it may as well be descending with too long a step.
        climbs = len(rises) == steps and IGNORES_RATE not in _codes(schedule)
        diagnoses = merge(schedule, (Diagnosis("gradient_ascent"),) if climbs else ())
        return CaseVerdict(case, "fail", (detail,), diagnoses)

    return judge_cases(ctx, cases, evaluate)


def _reference_costs(ctx: TaskContext, case: Case, *, steps: int, rate: float) -> tuple[float, ...]:
    """The reference's cost after 0, 1, … ``steps`` updates: the same for every submission."""

    def compute() -> tuple[float, ...]:
        costs = []
        for k in range(steps + 1):
            trained = _reference_trained(ctx, _with_schedule(ctx, case.values, steps=k, rate=rate))
            costs.append(_cost(ctx, case.values, {name: trained[name] for name in ctx.task.trains}))
        return tuple(costs)

    key = ("reference_costs", ctx.rubric.id, ctx.task.id, _case_key(case), steps, rate)
    return ctx.memo.get(key, compute)


def _solution(ctx: TaskContext, name: str) -> Callable[..., Any]:
    if reference_function(ctx.rubric.module, name) is None:
        return BUILTIN_SOLUTIONS[name]
    timed: Callable[..., Any] = getattr(ctx.reference, name)
    return timed


def _check_solution(
    options: Mapping[str, Any], *, task: TaskSpec, reference: ModuleType, where: str
) -> Collection[str]:
    """``solution`` is a reference function or a built-in one; the task trains a single parameter."""
    if len(task.trains) != 1:
        raise RubricError(
            f"{where}.kind: 'reaches_solution' compares one trained parameter, and the task trains "
            f"{', '.join(task.trains)}"
        )
    name = options["solution"]
    solve = reference_function(reference, name) or BUILTIN_SOLUTIONS.get(name)
    if solve is None:
        raise RubricError(
            f"{where}.solution: {reference.__name__} has no function {name!r}, and it is not a built-in "
            f"solution ({', '.join(BUILTIN_SOLUTIONS)})"
        )
    return parameters(solve)


@register(
    "reaches_solution",
    options={
        "rate": RATE,
        "steps": _steps(None, "Number of updates the function is asked for."),
        "solution": OptionSpec(
            str,
            required=True,
            doc="A reference function computing the solution from case values (by parameter name), or a "
            "built-in: `least_squares` (from `X` and `y`).",
        ),
        "atol": OptionSpec(
            float, 1e-4, doc="Absolute tolerance on the trained parameter.", range=NOT_NEGATIVE
        ),
    },
    needs=TRAINING,
    validate=_check_solution,
    plan=_one_run,
)
def reaches_solution(ctx: TaskContext, spec: CheckSpec, cases: Sequence[Case]) -> list[CaseVerdict]:
    """After ``steps`` updates the (single) trained parameter is the ``solution`` (a closed-form optimum).

    On a case where the reference itself does not get that close in ``steps`` updates (an
    ill-conditioned random problem), the target is where the reference got instead: a correct
    submission must never fail for the case's sake.
    """
    steps, rate = int(spec.options["steps"]), float(spec.options["rate"])
    atol = float(spec.options["atol"])
    solve = _solution(ctx, str(spec.options["solution"]))

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
            steps=ctx.t("n.iterations", count=steps),
            rate=rate,
            name=name,
            diff=c.max_abs_diff if c.max_abs_diff is not None else float("nan"),
            where=ctx.position(name, c.where),
            atol=atol,
        )
        values = _with_schedule(ctx, case.values, steps=steps, rate=rate)
        schedule = _schedule_diagnoses(
            ctx, spec, case, trained, steps=steps, rate=rate, substitutes=substitutes
        )
        return CaseVerdict(
            case, "fail", (detail,), merge(schedule, _loop_diagnoses(ctx, case, values, trained))
        )

    return judge_cases(ctx, cases, evaluate)


def _check_learning(
    options: Mapping[str, Any], *, task: TaskSpec, reference: ModuleType, where: str
) -> Collection[str]:
    """``predict`` is a reference function; ``labels`` is a value the training function receives."""
    predict = require_function(reference, options["predict"], f"{where}.predict")
    problem = one_of(options["labels"], task_values(task), "the values the task receives")
    if problem is not None:
        raise RubricError(f"{where}.labels: {problem}")
    cost = parameters(getattr(reference, task.cost)) if task.cost else []
    return [*parameters(predict), options["labels"], *cost]


@register(
    "learns",
    options={
        "rate": RATE,
        "steps": _steps(None, "Number of iterations (epochs) the function is asked for."),
        "predict": OptionSpec(
            str,
            required=True,
            doc="The reference function that turns the trained parameters and the case values (by "
            "parameter name) into scores; its last output when it returns several.",
        ),
        "labels": OptionSpec(
            str, "y", doc="The case value holding the targets (one of the values the task receives)."
        ),
        "threshold": OptionSpec(
            (int, float),
            0.5,
            doc="Decision threshold: an instance is right when its score and its label are on the same side.",
        ),
        "accuracy": OptionSpec(
            (int, float),
            1.0,
            doc="The share of instances the trained model must classify right.",
            range=Bounds(0, 1, low_open=True),
        ),
    },
    needs=TRAINING,
    validate=_check_learning,
    plan=_one_run,
)
def learns(ctx: TaskContext, spec: CheckSpec, cases: Sequence[Case]) -> list[CaseVerdict]:
    """After ``steps`` iterations at ``rate``, the trained model (run through the reference ``predict``)
    classifies at least the ``accuracy`` share of each case's instances right: a score above
    ``threshold`` for a label above it, and at most ``threshold`` for one at most it. Usually run on
    cases of its own (``cases``) that a correct training function is known to learn."""
    steps, rate = int(spec.options["steps"]), float(spec.options["rate"])
    threshold = float(spec.options["threshold"])
    accuracy = float(spec.options["accuracy"])
    labels = str(spec.options["labels"])
    predict = getattr(ctx.reference, str(spec.options["predict"]))

    def evaluate(case: Case, substitutes: Sequence[Substitute]) -> CaseVerdict:
        trained = _train(ctx, spec, case, steps=steps, rate=rate, substitutes=substitutes)
        if isinstance(trained, CaseVerdict):
            return trained
        merged = {**case.values, **trained.params}
        # A diverged model's parameters may overflow inside the reference: its scores are judged as
        # they come out (not-a-number scores count as wrong), without the warnings.
        with np.errstate(all="ignore"):
            outputs = predict(*[merged[name] for name in inspect.signature(predict).parameters])
        scores = np.asarray(outputs[-1] if isinstance(outputs, tuple) else outputs, dtype=np.float64).ravel()
        target = np.asarray(case.values[labels], dtype=np.float64).ravel()
        if scores.size != target.size:
            raise ValueError(
                f"check {spec.id}: {spec.options['predict']} gives {scores.size} scores for "
                f"{target.size} labels ({labels})"
            )
        # A score that is not a number (a model that diverged) is wrong whatever the label.
        right = int(np.sum(np.isfinite(scores) & ((scores > threshold) == (target > threshold))))
        # The tolerance keeps 0.75 of 4 at 3, whatever the float rounding of the product.
        needed = math.ceil(accuracy * target.size - 1e-9)
        if right >= needed:
            return CaseVerdict(case, "pass")
        said: dict[str, Any] = {
            "case": ctx.case_label(case),
            "steps": ctx.t("n.iterations", count=steps),
            "rate": rate,
            "right": right,
            "total": target.size,
            "needed": needed,
        }
        if ctx.task.cost:
            detail = ctx.t("train.not_learned_cost", cost=_cost(ctx, case.values, trained.params), **said)
        else:
            detail = ctx.t("train.not_learned", **said)
        values = _with_schedule(ctx, case.values, steps=steps, rate=rate)
        schedule = _schedule_diagnoses(
            ctx, spec, case, trained, steps=steps, rate=rate, substitutes=substitutes
        )
        return CaseVerdict(
            case, "fail", (detail,), merge(schedule, _loop_diagnoses(ctx, case, values, trained))
        )

    return judge_cases(ctx, cases, evaluate)


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
) -> Message:
    label = ctx.case_label(case)
    said = ctx.t("n.steps", count=steps)
    if c.max_abs_diff is None:
        return ctx.t("train.param_type", case=label, steps=said, rate=rate, name=name, type=c.actual_type)
    if c.non_finite:
        return ctx.t("train.param_non_finite", case=label, steps=said, rate=rate, name=name)
    return ctx.say(
        case,
        "train.one_step",
        case=label,
        steps=said,
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
    schedule = _schedule_diagnoses(ctx, spec, case, trained, steps=steps, rate=rate, substitutes=substitutes)
    ignored = _codes(schedule)
    # A step that does not scale with the rate has no telling ratio to the right one; a loop that always
    # runs the same count is not one epoch off.
    if IGNORES_RATE in ignored:
        scaled = ()
    epochs = (
        () if IGNORES_STEPS in ignored else _epoch_count(ctx, spec, case, trained, steps, rate, substitutes)
    )
    return with_implied(merge(schedule, scaled, known, epochs))


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


IGNORES_RATE = "ignores_learning_rate"
IGNORES_STEPS = "ignores_iterations"
# The rate a loop is asked for again, as a share of the check's: a loop that reads the rate it is given
# barely moves with a millionth of it, whatever its number of updates (no loop runs the hundred million it
# would take to settle), so it cannot land where the check's rate took it, while a loop that uses a rate of
# its own lands exactly there.
SLOWER = 1e-6


def _schedule_diagnoses(
    ctx: TaskContext,
    spec: CheckSpec,
    case: Case,
    trained: Trained,
    *,
    steps: int,
    rate: float,
    substitutes: Sequence[Substitute],
) -> tuple[Diagnosis, ...]:
    """Whether the loop uses the rate and the number of updates it is given, from two more calls:
    ``ignores_learning_rate`` when a millionth of the rate leaves some parameter exactly where the rate
    itself did, ``ignores_iterations`` when another number of updates leaves every parameter exactly where
    ``steps`` did. The hints name the student's own parameter.

    "Exactly": the same computation gives the same numbers, to the last bit, whatever it was asked for;
    a loop that reads what it is given computes something else. Both need parameters that moved: a loop
    that leaves them where they started is the same whatever it is asked for, and says nothing about why.
    """
    task = ctx.task
    if task.steps is None or task.rate is None:
        return ()
    names = task.trains
    initial = {name: np.asarray(case.values[name], dtype=np.float64) for name in names}
    moved = [n for n in names if not agree(initial[n], trained.params[n], rtol=1e-6, atol=1e-9)]
    if not moved:
        return ()
    found = []
    slow = rate * SLOWER
    slower = _train(ctx, spec, case, steps=steps, rate=slow, substitutes=substitutes)
    # Any one parameter will do: a loop may use a rate of its own for the biases only.
    ignores_rate = any(_identical(slower, trained, n) for n in moved)
    if ignores_rate:
        found.append(Diagnosis(IGNORES_RATE, (("expected", _own_name(ctx, task.rate)),)))
    other_steps = 1 if steps > 1 else 2
    if not ignores_rate:
        # Compared at the slow rate, where a loop that counts its updates cannot have settled anywhere.
        other = _train(ctx, spec, case, steps=other_steps, rate=slow, substitutes=substitutes)
        ignores_steps = all(_identical(other, slower, n) for n in names)
    elif _settled(ctx, case, trained, rate=rate):
        # A rate of the loop's own may have taken it where no update moves it any more (one step does,
        # on some problems): then every count ends there, and the count cannot be told.
        ignores_steps = False
    else:
        other = _train(ctx, spec, case, steps=other_steps, rate=rate, substitutes=substitutes)
        ignores_steps = all(_identical(other, trained, n) for n in names)
    if ignores_steps:
        found.insert(0, Diagnosis(IGNORES_STEPS, (("expected", _own_name(ctx, task.steps)),)))
    return tuple(found)


def _identical(a: Trained | CaseVerdict, b: Trained | CaseVerdict, name: str) -> bool:
    """Whether two training calls left parameter ``name`` with exactly the same numbers."""
    if not isinstance(a, Trained) or not isinstance(b, Trained):
        return False
    return bool(np.array_equal(a.params[name], b.params[name]))


def _settled(ctx: TaskContext, case: Case, trained: Trained, *, rate: float) -> bool:
    """Whether one more right update from the trained parameters leaves them where they are (to rounding)."""
    values = _with_schedule(ctx, {**case.values, **trained.params}, steps=1, rate=rate)
    # Called directly: the reference's results are remembered for the run, and these inputs are the
    # student's own.
    update = getattr(ctx.reference, ctx.task.reference)
    # Parameters a loop of its own sent far away may overflow in the reference: they are not settled.
    with np.errstate(all="ignore"):
        outputs = update(*[values[name] for name in ctx.task.input_names])
    after = dict(zip(ctx.task.returns, outputs, strict=False))
    return all(agree(trained.params[n], after[n], rtol=1e-10, atol=1e-13) for n in ctx.task.trains)


def _own_name(ctx: TaskContext, param: str) -> str:
    """The student's own name for one of the task's parameters (the one in its place), as a hint quotes it."""
    position = ctx.task.params.index(param)
    own = ctx.function.params
    return own[position] if position < len(own) else param


def _codes(diagnoses: Sequence[Diagnosis]) -> set[str]:
    return {d.code for d in diagnoses}


def _with_schedule(ctx: TaskContext, values: Mapping[str, Any], *, steps: int, rate: float) -> dict[str, Any]:
    return {**values, ctx.task.steps or "": steps, ctx.task.rate or "": rate}
