"""Recognising known mistakes from behaviour: does the student's output match a known-wrong version?"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from grader.compare import compare


def matching_mistakes(
    mistakes: Mapping[str, Callable[..., Any]],
    run_mistake: Callable[[Callable[..., Any]], Sequence[Any] | None],
    actual: Sequence[Any],
    *,
    rtol: float,
    atol: float,
) -> tuple[str, ...]:
    """The codes of the known-wrong implementations whose outputs the student's outputs reproduce.

    ``run_mistake`` runs one wrong implementation on the case and returns its outputs in the same
    order and layout as ``actual`` (or ``None`` when it does not apply to that case). All outputs must
    agree in value, and at least one must differ from what the correct implementation gives — that is
    the caller's business: it only asks about cases the student failed.
    """
    found = []
    for code, implementation in mistakes.items():
        try:
            expected = run_mistake(implementation)
        except (ArithmeticError, ValueError, IndexError):
            continue
        if expected is None or len(expected) != len(actual):
            continue
        if all(
            e is not None and compare(e, a, rtol=rtol, atol=atol, scalar=getattr(e, "ndim", 0) == 0).values_ok
            for e, a in zip(expected, actual, strict=True)
        ):
            found.append(code)
    return tuple(found)
