"""The gradient check: analytic gradients must agree with finite differences of the true cost."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Collection, Mapping, Sequence
from types import ModuleType
from typing import Any

import numpy as np

from grader.calls import Substitute
from grader.cases import Case
from grader.checks.context import CaseVerdict, TaskContext
from grader.checks.memo import function_key, values_key
from grader.checks.registry import judge_cases, one_of, parameters, register, require_function
from grader.compare import as_array, relative_error
from grader.diagnose import lined_up, recognise_outputs
from grader.errors import RubricError
from grader.rubric import Bounds, CheckSpec, OptionSpec, TaskSpec


def _check_names(
    options: Mapping[str, Any], *, task: TaskSpec, reference: ModuleType, where: str
) -> Collection[str]:
    """``cost`` is a reference function; ``gradients`` maps outputs of the task to parameters of both the
    task and the cost (the finite differences move that parameter of the cost)."""
    cost = require_function(reference, options["cost"], f"{where}.cost")
    takes = parameters(cost)
    gradients = options["gradients"]
    if not gradients:
        raise RubricError(f"{where}.gradients: must name at least one output")
    for output, param in gradients.items():
        problem = one_of(output, task.returns, "the task's returns")
        if problem is None:
            if not isinstance(param, str):
                problem = f"{output} = {param!r}: expected the name of a parameter"
            else:
                problem = one_of(param, task.params, "the task's params") or one_of(
                    param, takes, f"the parameters of {options['cost']}"
                )
        if problem is not None:
            raise RubricError(f"{where}.gradients: {problem}")
    return takes


@register(
    "gradient_check",
    options={
        "gradients": OptionSpec(
            dict,
            required=True,
            doc='Which output is the gradient in which parameter, as `{ output = "param" }`: outputs among '
            "the task's returns, parameters among its params and the cost's.",
        ),
        "cost": OptionSpec(
            str,
            required=True,
            doc="The reference function whose gradient is checked, called with case values by name.",
        ),
        "eps": OptionSpec(
            float, 1e-5, doc="Step of the central finite differences.", range=Bounds(0, low_open=True)
        ),
        "tolerance": OptionSpec(
            float,
            1e-5,
            doc="Largest relative error between the student's gradient and the finite differences.",
            range=Bounds(0, low_open=True),
        ),
    },
    validate=_check_names,
)
def gradient_check(ctx: TaskContext, spec: CheckSpec, cases: Sequence[Case]) -> list[CaseVerdict]:
    """Each returned gradient (``gradients`` maps output name → parameter name) agrees with central
    finite differences of the reference ``cost`` in that parameter (relative error under ``tolerance``).

    The finite differences use the true cost, so a student's own wrong cost cannot make a wrong
    gradient look right.
    """
    gradients: Mapping[str, str] = spec.options["gradients"]
    cost = getattr(ctx.reference, str(spec.options["cost"]))
    tolerance = float(spec.options["tolerance"])
    eps = float(spec.options["eps"])
    cost_names = tuple(inspect.signature(cost).parameters)

    def evaluate(case: Case, helpers: Sequence[Substitute]) -> CaseVerdict:
        call = ctx.call_student(case.values, check=spec, substitutes=helpers, hidden=not case.is_public)
        if not call.ok:
            return ctx.describe_failure(case, call.outcome, timeout_s=spec.timeout_s)
        label = ctx.case_label(case)
        outputs = ctx.outputs(call)
        if outputs is None:
            detail = ctx.describe_count(case, call.outcome.value)
            return CaseVerdict(case, "fail", (detail, *ctx.warning_detail(call.outcome)))
        by_name = dict(zip(ctx.task.returns, outputs, strict=True))
        details = []
        for output, param in gradients.items():
            numeric = ctx.memo.get(
                # Keyed by the values themselves: a check's own cases share indices with the rubric's.
                ("gradient", function_key(cost), values_key(case.values, cost_names), param, eps),
                functools.partial(numerical_gradient, cost, case.values, param, eps=eps),
            )
            actual = lined_up(numeric, by_name.get(output))
            if actual is None:
                raw = as_array(by_name.get(output))
                shape = "—" if raw is None else ctx.shape_text(output, raw.shape)
                details.append(
                    ctx.t(
                        "out.shape",
                        case=label,
                        name=output,
                        actual=shape,
                        expected=ctx.shape_text(output, numeric.shape),
                    )
                )
                continue
            error = relative_error(actual, numeric)
            if not error < tolerance:
                difference = np.abs(actual - numeric)
                difference = np.where(np.isnan(difference), np.inf, difference)
                worst = np.unravel_index(int(np.argmax(difference)), difference.shape)
                details.append(
                    ctx.say(
                        case,
                        "grad.mismatch",
                        case=label,
                        name=output,
                        diff=float(difference[worst]),
                        where=ctx.position(output, tuple(int(i) for i in worst)),
                        expected=float(numeric[worst]),
                        actual=float(actual[worst]),
                        error=error,
                        tolerance=tolerance,
                    )
                )
        if not details:
            return CaseVerdict(case, "pass")
        details.extend(ctx.warning_detail(call.outcome))
        inputs = ctx.describe_inputs(case)
        if inputs:
            details.append(inputs)
        diagnoses = ctx.once(
            # The weights' and the biases' checks read the same call: its mistake is recognised once.
            ("recognise", id(call)),
            functools.partial(
                recognise_outputs,
                ctx.mistakes,
                expected=ctx.call_reference(case.values),
                actual=outputs,
                names=ctx.task.returns,
                values=case.values,
                run=functools.partial(_run_wrong, ctx, case.values),
            ),
        )
        return CaseVerdict(case, "fail", tuple(details), diagnoses)

    return judge_cases(ctx, cases, evaluate)


def numerical_gradient(
    cost: Callable[..., float], values: Mapping[str, Any], param: str, *, eps: float
) -> np.ndarray:
    """Central differences of ``cost`` (called with the case's values by parameter name) in ``param``."""
    names = list(inspect.signature(cost).parameters)
    base = {name: np.array(values[name], dtype=np.float64) for name in names}
    point = base[param]
    gradient = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        original = point[index]
        point[index] = original + eps
        plus = cost(**base)
        point[index] = original - eps
        minus = cost(**base)
        point[index] = original
        gradient[index] = (plus - minus) / (2 * eps)
    return gradient


def _run_wrong(ctx: TaskContext, values: Mapping[str, Any], wrong: Callable[..., Any]) -> Sequence[Any]:
    return ctx.call_reference(values, function=wrong)
