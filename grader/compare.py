"""Comparing a student's output with the expected one: shapes, values, and where they differ."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.calls import Opaque


@dataclass(frozen=True)
class Comparison:
    """The outcome of comparing one output. ``values_ok`` ignores layout; ``shape_ok`` is strict."""

    shape_ok: bool
    values_ok: bool
    expected_shape: tuple[int, ...]
    actual_shape: tuple[int, ...] | None
    actual_type: str
    max_abs_diff: float | None = None
    where: tuple[int, ...] | None = None
    expected_at: float | None = None
    actual_at: float | None = None
    transposed: bool = False
    non_finite: bool = False

    @property
    def ok(self) -> bool:
        return self.shape_ok and self.values_ok


def as_array(value: Any) -> np.ndarray | None:
    """A student's output as a float array, if it is numeric data (lists and scalars included)."""
    if isinstance(value, Opaque) or value is None:
        return None
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return value.astype(np.float64, copy=False)
    if isinstance(value, bool | int | float | list | tuple):
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            return None
        return array
    return None


def type_name(value: Any) -> str:
    if isinstance(value, Opaque):
        return value.type_name
    if isinstance(value, np.ndarray):
        return f"ndarray{value.shape}"
    return type(value).__name__


def compare(
    expected: np.ndarray, actual: Any, *, rtol: float, atol: float, scalar: bool = False
) -> Comparison:
    """Compare ``actual`` with ``expected``.

    Values are compared even when the shape is wrong, as long as the numbers can be lined up (same
    shape, transposed, or the same elements with extra length-1 axes): a wrong shape is one mistake,
    and the shapes check grades it, not every check of the function.
    """
    expected = np.asarray(expected, dtype=np.float64)
    array = as_array(actual)
    if array is None:
        return Comparison(False, False, expected.shape, None, type_name(actual))
    shape_ok = array.size == 1 if scalar else array.shape == expected.shape
    aligned, transposed = _align(expected, array)
    if aligned is None:
        return Comparison(shape_ok, False, expected.shape, array.shape, type_name(actual))
    diff = np.abs(aligned - expected)
    if diff.size:
        # The largest difference is the first NaN if there is one, else the largest number: it is
        # finite exactly when every difference is.
        flat = int(diff.argmax())
        max_abs = float(diff.flat[flat])
        values_ok = _agree(aligned, expected, diff, max_abs, flat, rtol=rtol, atol=atol)
        non_finite = False
        if not math.isfinite(max_abs):
            non_finite = not np.isfinite(aligned).all()
            # The worst place is then the first that is not a number or infinitely far.
            diff = np.where(np.isnan(diff), np.inf, diff)
            flat = int(diff.argmax())
            max_abs = float(diff.flat[flat])
        where = _unravel(flat, diff.shape)
        expected_at, actual_at = float(expected.flat[flat]), float(aligned.flat[flat])
    else:
        # Nothing to compare: empty outputs agree.
        non_finite, values_ok = False, True
        where, max_abs, expected_at, actual_at = None, 0.0, None, None
    return Comparison(
        shape_ok=shape_ok and not transposed,
        values_ok=values_ok,
        expected_shape=expected.shape,
        actual_shape=array.shape,
        actual_type=type_name(actual),
        max_abs_diff=max_abs,
        where=where if expected.ndim else None,
        expected_at=expected_at,
        actual_at=actual_at,
        transposed=transposed,
        non_finite=non_finite,
    )


def values_agree(expected: Any, actual: Any, *, rtol: float, atol: float) -> bool:
    """``compare(expected, actual, ...).values_ok``, without describing where the values differ (what
    recognising a mistake asks for, once per known mistake and output)."""
    expected = np.asarray(expected, dtype=np.float64)
    array = as_array(actual)
    if array is None:
        return False
    aligned, _ = _align(expected, array)
    if aligned is None:
        return False
    diff = np.abs(aligned - expected)
    if not diff.size:
        return True
    flat = int(diff.argmax())
    return _agree(aligned, expected, diff, float(diff.flat[flat]), flat, rtol=rtol, atol=atol)


def allclose(actual: np.ndarray, expected: np.ndarray, *, rtol: float, atol: float) -> bool:
    """``np.allclose(actual, expected, rtol=rtol, atol=atol)``.

    For float64 arrays of one shape and finite non-negative tolerances, np.isclose's test comes down to
    the bound :func:`values_agree` tests (an element equal to its expected value is within any such
    bound), without np.isclose's generality, which costs more than these arrays do.
    """
    if (
        type(rtol) is float
        and type(atol) is float
        and 0 <= rtol < math.inf
        and 0 <= atol < math.inf
        and actual.shape == expected.shape
        and actual.dtype == np.float64
        and expected.dtype == np.float64
    ):
        return values_agree(expected, actual, rtol=rtol, atol=atol)
    return bool(np.allclose(actual, expected, rtol=rtol, atol=atol))


def _agree(
    aligned: np.ndarray,
    expected: np.ndarray,
    diff: np.ndarray,
    max_abs: float,
    flat: int,
    *,
    rtol: float,
    atol: float,
) -> bool:
    """Whether the values agree, given their differences and the largest one (at ``flat``): by
    :func:`_within` when every difference is finite, else by np.isclose (NaN never agrees)."""
    if math.isfinite(max_abs):
        return _within(diff, expected, max_abs, flat, rtol=rtol, atol=atol)
    return bool(np.isclose(aligned, expected, rtol=rtol, atol=atol, equal_nan=False).all())


def _within(
    diff: np.ndarray, expected: np.ndarray, max_abs: float, flat: int, *, rtol: float, atol: float
) -> bool:
    """Whether every finite difference is within ``atol + rtol * |expected|`` (np.isclose's test, without
    its generality, which costs more than these arrays do).

    Most outputs are decided by their largest difference alone: within ``atol`` it is within every
    element's bound (each at least ``atol`` when ``rtol`` is a finite non-negative number), and outside
    its own element's bound (worked out with the same float operations NumPy does) the output fails.
    """
    # Python floats: their arithmetic is NumPy's on float64 elements (other numbers take the long way).
    if type(rtol) is float and type(atol) is float:
        if max_abs <= atol and 0 <= rtol < math.inf:
            return True
        if max_abs > atol + rtol * abs(float(expected.flat[flat])):
            return False
    return bool((diff <= atol + rtol * np.abs(expected)).all())


def _unravel(flat: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    """``np.unravel_index(flat, shape)`` (C order, every dimension non-zero) as plain integers."""
    index = []
    for size in reversed(shape):
        flat, i = divmod(flat, size)
        index.append(i)
    return tuple(reversed(index))


def _align(expected: np.ndarray, actual: np.ndarray) -> tuple[np.ndarray | None, bool]:
    if actual.shape == expected.shape:
        return actual, False
    if actual.size != expected.size:
        return None, False
    if actual.ndim == 2 and expected.ndim == 2 and actual.T.shape == expected.shape:
        return actual.T, True
    if actual.squeeze().shape == expected.squeeze().shape:
        return actual.reshape(expected.shape), False
    return None, False


def broadcasts_alike(
    expected: tuple[int, ...], actual: tuple[int, ...], inputs: Sequence[tuple[int, ...]]
) -> bool:
    """Whether an output of shape ``actual`` is as good as one of shape ``expected`` (both in the student's
    layout): ``expected`` with length-1 axes put in front (what ``keepdims=True`` or ``reshape(1, -1)``
    add, e.g. ``(1, n)`` for ``(n,)``), broadcasting against each of ``inputs`` (the shapes of the arrays
    the function was called with) exactly as ``expected`` does.

    NumPy lines shapes up from their last axis, so length-1 axes in front never change which elements meet;
    they can only give a result more axes, which comparing with the inputs rules out (a ``(1, n)`` gradient
    for an ``(n,)`` theta would turn theta into a row). A length-1 axis anywhere else changes which elements
    meet (``(n, 1)`` statistics against an ``(m, n)`` X), and an axis the expected layout has (a ``(1, m)``
    row returned flat) is not dropped: a flat vector is a row to NumPy, which only some layouts mean.
    """
    extra = len(actual) - len(expected)
    if extra < 1 or actual[extra:] != expected or any(size != 1 for size in actual[:extra]):
        return False
    return all(_broadcast(expected, shape) == _broadcast(actual, shape) for shape in inputs)


def _broadcast(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...] | None:
    """The shape of an operation between arrays of these shapes (``None``: they do not broadcast)."""
    try:
        return tuple(np.broadcast_shapes(a, b))
    except ValueError:
        return None


def relative_error(actual: np.ndarray, expected: np.ndarray) -> float:
    """‖a − e‖ / max(‖a‖ + ‖e‖, tiny): the usual gradient-check measure, 0 when both are zero."""
    numerator = float(np.linalg.norm(actual - expected))
    denominator = float(np.linalg.norm(actual) + np.linalg.norm(expected))
    return numerator / max(denominator, 1e-300) if numerator else 0.0
