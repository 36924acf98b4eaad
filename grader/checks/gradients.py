"""The gradient check: analytic gradients must agree with finite differences of the true cost."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from grader.cases import Case
from grader.checks.context import CaseVerdict, TaskContext
from grader.checks.registry import register
from grader.compare import as_array, relative_error
from grader.diagnose import matching_mistakes
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
            detail = ctx.t(
                "out.count",
                case=label,
                expected=len(ctx.task.returns),
                names=", ".join(ctx.task.returns),
                actual="?",
            )
            verdicts.append(CaseVerdict(case, "fail", (detail,)))
            continue
        by_name = dict(zip(ctx.task.returns, outputs, strict=True))
        details = []
        for output, param in gradients.items():
            numeric = numerical_gradient(cost, case.values, param, eps=eps)
            actual = as_array(by_name.get(output))
            if actual is None or actual.size != numeric.size:
                shape = "—" if actual is None else str(actual.shape)
                details.append(
                    ctx.t("out.shape", case=label, name=output, actual=shape, expected=str(numeric.shape))
                )
                continue
            if actual.shape != numeric.shape and actual.T.shape == numeric.shape and actual.ndim == 2:
                actual = actual.T
            error = relative_error(actual.reshape(numeric.shape), numeric)
            if not error < tolerance:
                details.append(
                    ctx.t("grad.mismatch", case=label, name=output, error=error, tolerance=tolerance)
                )
        if not details:
            verdicts.append(CaseVerdict(case, "pass"))
            continue
        codes = matching_mistakes(
            ctx.mistakes,
            functools.partial(_run_wrong, ctx, case),
            outputs,
            rtol=1e-6,
            atol=1e-9,
        )
        inputs = ctx.describe_inputs(case)
        verdicts.append(CaseVerdict(case, "fail", tuple(details + ([inputs] if inputs else [])), codes))
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


def _run_wrong(ctx: TaskContext, case: Case, wrong: Callable[..., Any]) -> Sequence[Any]:
    return ctx.call_reference(case.values, function=wrong)
