"""Checks on what a function returns: the shapes of its outputs and their values."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from grader.cases import Case
from grader.checks.context import CaseVerdict, TaskContext
from grader.checks.registry import register
from grader.compare import Comparison, compare
from grader.diagnose import matching_mistakes
from grader.rubric import CheckSpec, OptionSpec

TOLERANCES = {"rtol": OptionSpec(float, 1e-6), "atol": OptionSpec(float, 1e-9)}


@register("shapes")
def shapes(ctx: TaskContext, spec: CheckSpec, cases: Sequence[Case]) -> list[CaseVerdict]:
    """Every output has the reference's shape (in the student's layout); a scalar may be any size-1 value."""
    return [
        _compare_case(ctx, spec, case, rtol=1e-6, atol=1e-9, judge=lambda c: c.shape_ok) for case in cases
    ]


@register(
    "matches_reference",
    options={**TOLERANCES, "accept": OptionSpec(list, [])},
)
def matches_reference(ctx: TaskContext, spec: CheckSpec, cases: Sequence[Case]) -> list[CaseVerdict]:
    """Every output's values agree with the reference within tolerance (layout is the shapes check's job).

    ``accept`` lists keyword sets for other valid reference variants (e.g. ``{ddof = 1}``, the sample
    standard deviation), which are accepted as well.
    """
    rtol, atol = float(spec.options["rtol"]), float(spec.options["atol"])
    variants = [dict(v) for v in spec.options["accept"]]
    return [
        _compare_case(ctx, spec, case, rtol=rtol, atol=atol, judge=lambda c: c.values_ok, variants=variants)
        for case in cases
    ]


def _compare_case(
    ctx: TaskContext,
    spec: CheckSpec,
    case: Case,
    *,
    rtol: float,
    atol: float,
    judge: Callable[[Comparison], bool],
    variants: Sequence[dict[str, Any]] = (),
) -> CaseVerdict:
    call = ctx.call_case(case, check=spec)
    if not call.ok:
        return ctx.describe_failure(case, call.outcome, timeout_s=spec.timeout_s)
    label = ctx.case_label(case)
    actual = ctx.outputs(call)
    if actual is None:
        detail = ctx.t(
            "out.count",
            case=label,
            expected=len(ctx.task.returns),
            names=", ".join(ctx.task.returns),
            actual=_count(call.outcome.value),
        )
        return CaseVerdict(
            case, "fail", (detail,), _mistakes(ctx, case, call.outcome.value, rtol=1e-6, atol=1e-9)
        )
    expected = ctx.call_reference(case.values)
    comparisons = _compare_all(expected, actual, rtol=rtol, atol=atol)
    if all(judge(c) for c in comparisons):
        return CaseVerdict(case, "pass")
    reference = getattr(ctx.reference, ctx.task.reference)
    for kwargs in variants:
        alternative = ctx.call_reference(case.values, function=functools.partial(reference, **kwargs))
        if all(judge(c) for c in _compare_all(alternative, actual, rtol=rtol, atol=atol)):
            return CaseVerdict(case, "pass")
    details = [
        _explain(ctx, label, name, e, c, rtol=rtol, atol=atol)
        for name, e, c in zip(ctx.task.returns, expected, comparisons, strict=True)
        if not judge(c)
    ]
    inputs = ctx.describe_inputs(case)
    if inputs:
        details.append(inputs)
    codes = tuple(dict.fromkeys(code for c in comparisons if c.transposed for code in ("transposed_output",)))
    codes += _mistakes(ctx, case, actual, rtol=1e-6, atol=1e-9)
    return CaseVerdict(case, "fail", tuple(details), codes)


def _compare_all(
    expected: Sequence[Any], actual: Sequence[Any], *, rtol: float, atol: float
) -> list[Comparison]:
    return [
        compare(np.asarray(e), a, rtol=rtol, atol=atol, scalar=np.ndim(e) == 0)
        for e, a in zip(expected, actual, strict=True)
    ]


def _mistakes(ctx: TaskContext, case: Case, actual: Any, *, rtol: float, atol: float) -> tuple[str, ...]:
    if not ctx.mistakes:
        return ()
    outputs = list(actual) if isinstance(actual, list | tuple) else [actual]
    return matching_mistakes(
        ctx.mistakes,
        lambda wrong: ctx.call_reference(case.values, function=wrong),
        outputs,
        rtol=rtol,
        atol=atol,
    )


def _explain(
    ctx: TaskContext, label: str, name: str, expected: Any, c: Comparison, *, rtol: float, atol: float
) -> str:
    if c.actual_shape is None:
        return ctx.t("out.not_numeric", case=label, name=name, type=c.actual_type)
    if not c.shape_ok:
        student_expected = ctx.convention.to_student(name, np.asarray(expected)).shape
        actual_shape = (
            ctx.convention.to_student(name, np.zeros(c.actual_shape)).shape if c.actual_shape else ()
        )
        return ctx.t(
            "out.shape", case=label, name=name, actual=_shape(actual_shape), expected=_shape(student_expected)
        )
    if c.non_finite:
        return ctx.t("out.non_finite", case=label, name=name)
    return ctx.t(
        "out.values",
        case=label,
        name=name,
        diff=c.max_abs_diff or 0.0,
        where=_index(c.where),
        expected=c.expected_at if c.expected_at is not None else float("nan"),
        actual=c.actual_at if c.actual_at is not None else float("nan"),
        rtol=rtol,
        atol=atol,
    )


def _shape(shape: tuple[int, ...]) -> str:
    return (
        "()" if not shape else "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
    )


def _index(where: tuple[int, ...] | None) -> str:
    return "[" + ", ".join(str(i) for i in where) + "]" if where else "—"


def _count(value: Any) -> str:
    if isinstance(value, tuple | list):
        return str(len(value))
    return "1" if value is not None else "None"
