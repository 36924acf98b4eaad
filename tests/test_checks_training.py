"""The training checks (one_step, cost_decreases, reaches_solution, learns), judged in-process."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from judge_kit import SHORT_TIMEOUT_S, codes, context, full_marks, judge, no_marks, run, statuses
from numpy.typing import NDArray

from grader.checks import CHECK_KINDS
from grader.inprocess import InProcessStudent

Array = NDArray[np.float64]
XOR_CHECKS = ["one_epoch", "cost_decreases", "learns_xor"]
LINREG_CHECKS = ["one_iteration", "cost_decreases", "reaches_least_squares"]
# Every check kind has in-process tests in test_checks_outputs.py, test_checks_gradients.py or here.
TESTED_KINDS = {
    "shapes",
    "matches_reference",
    "gradient_check",
    "one_step",
    "cost_decreases",
    "reaches_solution",
    "learns",
}

NETWORK = """
import numpy as np

def sigmoide(z):
    return 1 / (1 + np.exp(-z))

def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2

def costoGlobal(y_est, y):
    m = y.shape[1]
    return float(-np.sum(y * np.log(y_est) + (1 - y) * np.log(1 - y_est)) / m)

def backProp(X, y, w1, w2, b1, b2, a2, a1):
    m = X.shape[1]
    dz2 = a2 - y
    dw2 = dz2 @ a1.T / m
    db2 = np.sum(dz2, axis=1, keepdims=True) / m
    dz1 = (w2.T @ dz2) * a1 * (1 - a1)
    dw1 = dz1 @ X.T / m
    db1 = np.sum(dz1, axis=1, keepdims=True) / m
    return dw1, db1, dw2, db2
"""

TRAIN = """
def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
    costos = []
    for _ in range(EPOCHS):
        a1, a2 = feedForward(X, w1, w2, b1, b2)
        costos.append(costoGlobal(a2, y))
        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
        w1 = w1 STEP lr * dw1
        b1 = b1 STEP lr * db1
        w2 = w2 STEP lr * dw2
        b2 = b2 STEP lr * db2
    return RETURNS
"""


def _network(
    *,
    step: str = "-",
    epochs: str = "epocas",
    returns: str = "w1, b1, w2, b2, costos",
    helpers: str = NETWORK,
) -> InProcessStudent:
    """A student's XOR notebook: the helpers, then a training loop written with these choices."""
    loop = TRAIN.replace("STEP", step).replace("EPOCHS", epochs).replace("RETURNS", returns)
    return InProcessStudent.from_source(helpers, loop)


TRAIN_IN_PLACE = """
def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
    for _ in range(epocas):
        a1, a2 = feedForward(X, w1, w2, b1, b2)
        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
        w1 -= lr * dw1
        b1 -= lr * db1
        w2 -= lr * dw2
        b2 -= lr * db2
"""

TRAIN_INTO_GLOBALS = """
def entrenarRed(epocas, lr, X, y, pesos1, sesgo1, pesos2, sesgo2, a1, a2):
    global w1, b1, w2, b2
    w1, b1, w2, b2 = pesos1, sesgo1, pesos2, sesgo2
    for _ in range(epocas):
        a1, a2 = feedForward(X, w1, w2, b1, b2)
        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
        w1, b1, w2, b2 = w1 - lr * dw1, b1 - lr * db1, w2 - lr * dw2, b2 - lr * db2
"""

TRAIN_CRASHING = """
def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
    return w1 @ y
"""

TRAIN_SPINNING = """
def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
    while True:
        pass
"""


def test_every_check_kind_has_in_process_tests() -> None:
    assert set(CHECK_KINDS) <= TESTED_KINDS


# --- the XOR network's training loop --------------------------------------------------------------------


@pytest.mark.parametrize("check", XOR_CHECKS)
@pytest.mark.parametrize(
    "source", [None, TRAIN_IN_PLACE, TRAIN_INTO_GLOBALS], ids=["returned", "in_place", "globals"]
)
def test_a_right_loop_gets_full_marks_however_it_hands_the_parameters_back(
    check: str, source: str | None
) -> None:
    student = _network() if source is None else InProcessStudent.from_source(NETWORK, source)
    results = run("xor", "entrenarRed", check, student)
    assert set(statuses(results)) == {"pass"} and full_marks(results)


@pytest.mark.parametrize("check", XOR_CHECKS)
def test_climbing_the_cost_is_gradient_ascent(check: str) -> None:
    results = run("xor", "entrenarRed", check, _network(step="+"))
    assert set(statuses(results)) == {"fail"} and no_marks(results)
    assert codes(results) == {"gradient_ascent"}


def test_one_epoch_too_many_is_recognised() -> None:
    results = run("xor", "entrenarRed", "one_epoch", _network(epochs="epocas + 1"))
    assert statuses(results) == ["fail", "fail"] and codes(results) == {"off_by_one_epochs"}


@pytest.mark.parametrize("check", XOR_CHECKS)
def test_a_crashing_loop_is_an_error(check: str) -> None:
    results = run("xor", "entrenarRed", check, InProcessStudent.from_source(NETWORK, TRAIN_CRASHING))
    assert set(statuses(results)) == {"error"} and codes(results) == {"student_exception"}
    assert "ValueError" in results[0].message and "entrenarRed" in results[0].message


@pytest.mark.parametrize(
    "returns", ["w1.ravel(), b1, w2, b2, costos", "w1, b1"], ids=["flat_weights", "two_of_four"]
)
@pytest.mark.parametrize("check", XOR_CHECKS)
def test_parameters_that_cannot_be_found_fail(check: str, returns: str) -> None:
    results = run("xor", "entrenarRed", check, _network(returns=returns))
    assert set(statuses(results)) == {"fail"} and no_marks(results)
    assert "w1, b1, w2, b2" in results[0].message


@pytest.mark.parametrize("check", XOR_CHECKS)
def test_a_loop_that_never_ends_times_out(check: str) -> None:
    student = InProcessStudent.from_source(NETWORK, TRAIN_SPINNING)
    results = run("xor", "entrenarRed", check, student, timeout_s=SHORT_TIMEOUT_S)
    assert set(statuses(results)) == {"timeout"} and codes(results) == {"timeout"}


@pytest.mark.parametrize("check", XOR_CHECKS)
def test_a_wrong_helper_does_not_sink_a_right_loop(check: str) -> None:
    wrong_helper = NETWORK.replace("dw1 = dz1 @ X.T / m", "dw1 = dz1 @ X.T")
    student = _network(helpers=wrong_helper)
    ctx = context("xor", "entrenarRed", student, substitutes=["backProp"])
    assert full_marks(judge(ctx, check))
    namespace = student.namespace
    assert namespace is not None and namespace["backProp"].__code__.co_filename == "<student:0>"


def test_without_reference_helpers_a_wrong_helper_fails_the_step() -> None:
    wrong_helper = NETWORK.replace("dw1 = dz1 @ X.T / m", "dw1 = dz1 @ X.T")
    results = run("xor", "entrenarRed", "one_epoch", _network(helpers=wrong_helper))
    assert statuses(results) == ["fail", "fail"]


# --- linear regression's gradient descent ----------------------------------------------------------------


def descent(X: Array, y: Array, theta: Array, alpha: float, iteraciones: int) -> tuple[Array, list[float]]:
    m = len(y)
    history = []
    for _ in range(iteraciones):
        theta = theta - alpha / m * X.T @ (X @ theta - y)
        history.append(float(np.sum((X @ theta - y) ** 2) / (2 * m)))
    return theta, history


def ascent(X: Array, y: Array, theta: Array, alpha: float, iteraciones: int) -> tuple[Array, list[float]]:
    return descent(X, y, theta, -alpha, iteraciones)


def without_mean(
    X: Array, y: Array, theta: Array, alpha: float, iteraciones: int
) -> tuple[Array, list[float]]:
    return descent(X, y, theta, alpha * len(y), iteraciones)


def theta_alone(X: Array, y: Array, theta: Array, alpha: float, iteraciones: int) -> Array:
    return descent(X, y, theta, alpha, iteraciones)[0]


def in_place(X: Array, y: Array, theta: Array, alpha: float, iteraciones: int) -> None:
    for _ in range(iteraciones):
        theta -= alpha / len(y) * X.T @ (X @ theta - y)


def as_column(X: Array, y: Array, theta: Array, alpha: float, iteraciones: int) -> tuple[Array, list[float]]:
    theta, history = descent(X, y, theta, alpha, iteraciones)
    return theta.reshape(-1, 1), history


def nothing(X: Array, y: Array, theta: Array, alpha: float, iteraciones: int) -> None:
    descent(X, y, theta, alpha, iteraciones)


def crashing(X: Array, y: Array, theta: Array, alpha: float, iteraciones: int) -> Array:
    return X @ theta.T @ y.T @ X


def spins(*args: object) -> None:
    while True:
        pass


@pytest.mark.parametrize("function", [descent, theta_alone, in_place], ids=lambda f: f.__name__)
@pytest.mark.parametrize("check", LINREG_CHECKS)
def test_right_gradient_descent_gets_full_marks(check: str, function: Callable[..., Any]) -> None:
    results = run("linreg", "descensoGradiente", check, function)
    assert statuses(results) == ["pass", "pass"] and full_marks(results)


@pytest.mark.parametrize("check", LINREG_CHECKS)
def test_gradient_ascent_is_recognised_by_every_training_check(check: str) -> None:
    results = run("linreg", "descensoGradiente", check, ascent)
    assert statuses(results) == ["fail", "fail"] and no_marks(results)
    assert codes(results) == {"gradient_ascent"}


def test_a_step_m_times_too_long_is_a_missing_mean() -> None:
    results = run("linreg", "descensoGradiente", "one_iteration", without_mean)
    assert statuses(results) == ["fail", "fail"] and "missing_mean" in codes(results)


@pytest.mark.parametrize("function", [as_column, nothing], ids=lambda f: f.__name__)
@pytest.mark.parametrize("check", LINREG_CHECKS)
def test_a_theta_that_cannot_be_found_fails(check: str, function: Callable[..., Any]) -> None:
    results = run("linreg", "descensoGradiente", check, function)
    assert statuses(results) == ["fail", "fail"] and no_marks(results)
    assert "theta" in results[0].message


@pytest.mark.parametrize("check", LINREG_CHECKS)
def test_a_crashing_descent_is_an_error(check: str) -> None:
    results = run("linreg", "descensoGradiente", check, crashing)
    assert statuses(results) == ["error", "error"] and codes(results) == {"student_exception"}


@pytest.mark.parametrize("check", LINREG_CHECKS)
def test_a_descent_that_never_ends_times_out(check: str) -> None:
    results = run("linreg", "descensoGradiente", check, spins, timeout_s=SHORT_TIMEOUT_S)
    assert statuses(results) == ["timeout", "timeout"] and codes(results) == {"timeout"}
