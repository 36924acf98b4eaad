"""The gradient check on the XOR workshop's back-propagation, judged in-process."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from judge_kit import SHORT_TIMEOUT_S, codes, full_marks, no_marks, run, statuses, text
from numpy.typing import NDArray

Array = NDArray[np.float64]
Gradients = tuple[Array, Array, Array, Array]
GRADIENT_CHECKS = ["gradient_check_weights", "gradient_check_biases"]


def _back_prop(
    X: Array, y: Array, w2: Array, a2: Array, a1: Array, *, sign: float = 1.0, mean: bool = True
) -> Gradients:
    m = X.shape[1] if mean else 1
    dz2 = sign * (a2 - y)
    dw2 = dz2 @ a1.T / m
    db2 = np.sum(dz2, axis=1, keepdims=True) / m
    dz1 = (w2.T @ dz2) * a1 * (1 - a1)
    dw1 = dz1 @ X.T / m
    db1 = np.sum(dz1, axis=1, keepdims=True) / m
    return dw1, db1, dw2, db2


def back_prop(
    X: Array, y: Array, w1: Array, w2: Array, b1: Array, b2: Array, a2: Array, a1: Array
) -> Gradients:
    return _back_prop(X, y, w2, a2, a1)


def summed(X: Array, y: Array, w1: Array, w2: Array, b1: Array, b2: Array, a2: Array, a1: Array) -> Gradients:
    return _back_prop(X, y, w2, a2, a1, mean=False)


def climbing(
    X: Array, y: Array, w1: Array, w2: Array, b1: Array, b2: Array, a2: Array, a1: Array
) -> Gradients:
    return _back_prop(X, y, w2, a2, a1, sign=-1.0)


def without_biases(
    X: Array, y: Array, w1: Array, w2: Array, b1: Array, b2: Array, a2: Array, a1: Array
) -> Gradients:
    dw1, db1, dw2, db2 = _back_prop(X, y, w2, a2, a1)
    return dw1, np.zeros_like(db1), dw2, np.zeros_like(db2)


def crashing(X: Array, y: Array, w1: Array, w2: Array, b1: Array, b2: Array, a2: Array, a1: Array) -> Array:
    return X @ y


def bias_summed_to_a_scalar(
    X: Array, y: Array, w1: Array, w2: Array, b1: Array, b2: Array, a2: Array, a1: Array
) -> tuple[Array, float, Array, Array]:
    dw1, db1, dw2, db2 = _back_prop(X, y, w2, a2, a1)
    return dw1, float(db1.sum()), dw2, db2


def three_values(
    X: Array, y: Array, w1: Array, w2: Array, b1: Array, b2: Array, a2: Array, a1: Array
) -> tuple[Array, Array, Array]:
    return _back_prop(X, y, w2, a2, a1)[:3]


def spins(*args: object) -> None:
    while True:
        pass


@pytest.mark.parametrize("check", GRADIENT_CHECKS)
def test_right_gradients_agree_with_finite_differences(check: str) -> None:
    results = run("xor", "backProp", check, back_prop)
    assert statuses(results) == ["pass", "pass"] and full_marks(results)


@pytest.mark.parametrize(
    ("function", "code"), [(summed, "missing_mean"), (climbing, "wrong_sign")], ids=["summed", "climbing"]
)
@pytest.mark.parametrize("check", GRADIENT_CHECKS)
def test_a_classic_mistake_fails_and_is_named(check: str, function: Callable[..., Any], code: str) -> None:
    results = run("xor", "backProp", check, function)
    assert statuses(results) == ["fail", "fail"] and no_marks(results)
    assert codes(results) == {code}
    assert "relative error" in text(results[0])


def test_leaving_the_biases_out_costs_only_the_biases_check() -> None:
    assert full_marks(run("xor", "backProp", "gradient_check_weights", without_biases))
    biases = run("xor", "backProp", "gradient_check_biases", without_biases)
    assert statuses(biases) == ["fail", "fail"] and no_marks(biases)


@pytest.mark.parametrize("check", GRADIENT_CHECKS)
def test_a_crash_is_an_error(check: str) -> None:
    public, hidden = run("xor", "backProp", check, crashing)
    assert (public.status, hidden.status) == ("error", "error")
    assert codes([public, hidden]) == {"student_exception"}
    assert "ValueError" in text(public) and "ValueError" not in text(hidden)


def test_a_gradient_of_the_wrong_size_fails_only_its_own_check() -> None:
    assert full_marks(run("xor", "backProp", "gradient_check_weights", bias_summed_to_a_scalar))
    biases = run("xor", "backProp", "gradient_check_biases", bias_summed_to_a_scalar)
    assert statuses(biases) == ["fail", "fail"] and no_marks(biases)
    assert "db1 has shape" in text(biases[0])


@pytest.mark.parametrize("check", GRADIENT_CHECKS)
def test_three_gradients_instead_of_four_fail(check: str) -> None:
    results = run("xor", "backProp", check, three_values)
    assert statuses(results) == ["fail", "fail"] and no_marks(results)
    assert "dw1, db1, dw2, db2" in text(results[0])


@pytest.mark.parametrize("check", GRADIENT_CHECKS)
def test_a_function_that_never_returns_times_out(check: str) -> None:
    results = run("xor", "backProp", check, spins, timeout_s=SHORT_TIMEOUT_S)
    assert statuses(results) == ["timeout", "timeout"] and codes(results) == {"timeout"}
