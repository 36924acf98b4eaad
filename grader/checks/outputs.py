"""Checks on what a function returns: the shapes of its outputs and their values."""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable, Collection, Mapping, Sequence
from types import ModuleType
from typing import Any

import numpy as np

from grader.calls import Substitute
from grader.cases import Case
from grader.checks.context import CaseVerdict, TaskContext, format_shape
from grader.checks.registry import judge_cases, register
from grader.compare import Comparison, as_array, broadcasts_alike, compare
from grader.diagnose import merge, recognise_outputs, transposed_matches
from grader.errors import RubricError
from grader.messages import Message
from grader.rubric import Bounds, CheckSpec, OptionSpec, TaskSpec

NOT_NEGATIVE = Bounds(0)
TOLERANCES = {
    "rtol": OptionSpec(float, 1e-6, doc="Relative tolerance of the comparison.", range=NOT_NEGATIVE),
    "atol": OptionSpec(float, 1e-9, doc="Absolute tolerance of the comparison.", range=NOT_NEGATIVE),
}


@register("shapes")
def shapes(ctx: TaskContext, spec: CheckSpec, cases: Sequence[Case]) -> list[CaseVerdict]:
    """Every output has the reference's shape (in the student's layout); a scalar may be any size-1 value."""
    return judge_cases(
        ctx,
        cases,
        lambda case, helpers: _compare_case(
            ctx, spec, case, helpers, rtol=1e-6, atol=1e-9, judge=_shape_judge
        ),
    )


def _check_accept(
    options: Mapping[str, Any], *, task: TaskSpec, reference: ModuleType, where: str
) -> Collection[str]:
    """Each variant in ``accept`` is a table of keyword arguments the reference function takes."""
    function = getattr(reference, task.reference)
    signature = inspect.signature(function)
    takes_any = any(p.kind == inspect.Parameter.VAR_KEYWORD for p in signature.parameters.values())
    keywords = [
        p.name
        for p in signature.parameters.values()
        if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    ]
    for i, variant in enumerate(options["accept"]):
        if not isinstance(variant, dict) or not variant:
            raise RubricError(f"{where}.accept[{i}]: expected a table of keyword arguments, got {variant!r}")
        for keyword in variant:
            if not takes_any and keyword not in keywords:
                raise RubricError(
                    f"{where}.accept[{i}]: {reference.__name__}.{task.reference} takes no argument "
                    f"{keyword!r} ({', '.join(keywords)})"
                )
    return ()


@register(
    "matches_reference",
    options={
        **TOLERANCES,
        "accept": OptionSpec(
            list,
            [],
            doc="Other valid variants of the reference: tables of keyword arguments for the reference "
            "function (e.g. `{ ddof = 1 }`); outputs matching any of them pass too.",
        ),
    },
    validate=_check_accept,
)
def matches_reference(ctx: TaskContext, spec: CheckSpec, cases: Sequence[Case]) -> list[CaseVerdict]:
    """Every output's values agree with the reference within tolerance (layout is the shapes check's job).

    ``accept`` lists keyword sets for other valid reference variants (e.g. ``{ddof = 1}``, the sample
    standard deviation), which are accepted as well.
    """
    rtol, atol = float(spec.options["rtol"]), float(spec.options["atol"])
    variants = [dict(v) for v in spec.options["accept"]]
    return judge_cases(
        ctx,
        cases,
        lambda case, helpers: _compare_case(
            ctx, spec, case, helpers, rtol=rtol, atol=atol, judge=_values_judge, variants=variants
        ),
    )


def _compare_case(
    ctx: TaskContext,
    spec: CheckSpec,
    case: Case,
    helpers: Sequence[Substitute],
    *,
    rtol: float,
    atol: float,
    judge: Callable[[Comparison], bool],
    variants: Sequence[dict[str, Any]] = (),
) -> CaseVerdict:
    call = ctx.call_student(case.values, check=spec, substitutes=helpers, hidden=not case.is_public)
    if not call.ok:
        return ctx.describe_failure(case, call.outcome, timeout_s=spec.timeout_s)
    raw = ctx.student_outputs(call)
    actual = ctx.outputs(call)
    if raw is None or actual is None:
        detail = ctx.describe_count(case, call.outcome.value)
        return CaseVerdict(case, "fail", (detail, *ctx.warning_detail(call.outcome)))
    expected = ctx.call_reference(case.values)
    # The arrays the outputs are meant to combine with (numbers among the arguments combine with anything).
    argument_shapes = [a.shape for a in map(as_array, call.args) if a is not None and a.ndim > 0]

    def compare_with(outputs: Sequence[Any]) -> list[Comparison]:
        return _compare_all(ctx, outputs, actual, raw, argument_shapes, rtol=rtol, atol=atol)

    comparisons = compare_with(expected)
    if all(judge(c) for c in comparisons):
        return CaseVerdict(case, "pass")
    reference = getattr(ctx.reference, ctx.task.reference)
    for kwargs in variants:
        alternative = ctx.call_reference(case.values, function=functools.partial(reference, **kwargs))
        if all(judge(c) for c in compare_with(alternative)):
            return CaseVerdict(case, "pass")
    about_values = judge is _values_judge
    details: list[Message] = [
        line
        for name, e, c, r in zip(ctx.task.returns, expected, comparisons, raw, strict=True)
        if not judge(c)
        for line in _explain(ctx, case, name, e, c, r, rtol=rtol, atol=atol, about_values=about_values)
    ]
    details.extend(ctx.warning_detail(call.outcome))
    inputs = ctx.describe_inputs(case)
    if inputs:
        details.append(inputs)
    in_student_layout = [
        ctx.convention.to_student(n, np.asarray(e)) for n, e in zip(ctx.task.returns, expected, strict=True)
    ]
    diagnoses = merge(
        transposed_matches(in_student_layout, raw, rtol=1e-6, atol=1e-9),
        ctx.once(
            # The shapes and the values of a case come from one call: its mistake is recognised once.
            ("recognise", id(call)),
            lambda: recognise_outputs(
                ctx.mistakes,
                expected=expected,
                actual=actual,
                names=ctx.task.returns,
                values=case.values,
                run=lambda wrong: ctx.call_reference(case.values, function=wrong),
            ),
        ),
    )
    return CaseVerdict(case, "fail", tuple(details), diagnoses)


def _shape_judge(c: Comparison) -> bool:
    return c.shape_ok


def _values_judge(c: Comparison) -> bool:
    return c.values_ok


def _compare_all(
    ctx: TaskContext,
    expected: Sequence[Any],
    actual: Sequence[Any],
    raw: Sequence[Any],
    inputs: Sequence[tuple[int, ...]],
    *,
    rtol: float,
    atol: float,
) -> list[Comparison]:
    """Each output compared with the expected one (reference layout); a shape that only adds length-1 axes
    in front of the expected one, broadcasting as it does against the inputs, is as good as it (judged in
    the student's layout: whether a length-1 axis changes anything depends on where the layout puts it)."""
    comparisons = []
    for name, e, a, r in zip(ctx.task.returns, expected, actual, raw, strict=True):
        c = compare(np.asarray(e), a, rtol=rtol, atol=atol, scalar=np.ndim(e) == 0)
        student = as_array(r)
        if not c.shape_ok and student is not None:
            wanted = ctx.convention.to_student(name, np.asarray(e)).shape
            if broadcasts_alike(wanted, student.shape, inputs):
                c = dataclasses.replace(c, shape_ok=True)
        comparisons.append(c)
    return comparisons


def _explain(
    ctx: TaskContext,
    case: Case,
    name: str,
    expected: Any,
    c: Comparison,
    raw: Any,
    *,
    rtol: float,
    atol: float,
    about_values: bool,
) -> list[Message]:
    """What is wrong with one output: its type, its shape (in the student's layout), its values."""
    label = ctx.case_label(case)
    if c.actual_shape is None:
        return [ctx.t("out.not_numeric", case=label, name=name, type=c.actual_type)]
    expected_shape = np.shape(expected)
    raw_array = as_array(raw)
    student_shape = raw_array.shape if raw_array is not None else c.actual_shape
    lines: list[Message] = []
    if not c.shape_ok:
        lines.append(
            ctx.t(
                "out.shape",
                case=label,
                name=name,
                actual=format_shape(tuple(student_shape)),
                expected=ctx.shape_text(name, expected_shape),
            )
        )
    if not about_values or c.values_ok:
        return lines
    if c.max_abs_diff is None:
        # A shape that does not even hold the right number of values has already been reported.
        if not lines:
            lines.append(ctx.t("out.incomparable", case=label, name=name))
    elif c.non_finite:
        lines.append(ctx.t("out.non_finite", case=label, name=name))
    elif not expected_shape or c.where is None:
        lines.append(
            ctx.say(
                case,
                "out.value",
                case=label,
                name=name,
                diff=c.max_abs_diff,
                expected=float(np.asarray(expected, dtype=np.float64).ravel()[0]),
                actual=c.actual_at if c.actual_at is not None else float("nan"),
                rtol=rtol,
                atol=atol,
            )
        )
    else:
        lines.append(
            ctx.say(
                case,
                "out.values",
                case=label,
                name=name,
                shape=ctx.shape_text(name, expected_shape),
                **ctx.worst_difference(name, c, rtol=rtol, atol=atol),
            )
        )
    return lines
