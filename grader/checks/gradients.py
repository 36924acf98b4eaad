"""The gradient check: analytic gradients must agree with finite differences of the true cost."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from grader.cases import Case
from grader.checks.context import CaseVerdict, TaskContext
from grader.checks.memo import function_key
from grader.checks.registry import register
from grader.compare import as_array, relative_error
from grader.diagnose import lined_up, recognise_outputs
from grader.rubric import CheckSpec, OptionSpec


@register(
    "gradient_check",
    options={
        "gradients": OptionSpec(dict, required=True),
        "cost": OptionSpec(str, required=True),
        "eps": OptionSpec(float, 1e-5),
        "tolerance": OptionSpec(float, 1e-5),
    },
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
    verdicts = []
    for case in cases:
        call = ctx.call_case(case, check=spec)
        if not call.ok:
            verdicts.append(ctx.describe_failure(case, call.outcome, timeout_s=spec.timeout_s))
            continue
        label = ctx.case_label(case)
        outputs = ctx.outputs(call)
        if outputs is None:
            detail = ctx.describe_count(case, call.outcome.value)
            verdicts.append(CaseVerdict(case, "fail", (detail, *ctx.warning_detail(call.outcome))))
            continue
        by_name = dict(zip(ctx.task.returns, outputs, strict=True))
        details = []
        for output, param in gradients.items():
            numeric = ctx.memo.get(
                # A case's values never change during a run: its identity is its key.
                ("gradient", function_key(cost), ctx.rubric.id, case.visibility, case.index, param, eps),
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
            verdicts.append(CaseVerdict(case, "pass"))
            continue
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
        verdicts.append(CaseVerdict(case, "fail", tuple(details), diagnoses))
    return verdicts


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
