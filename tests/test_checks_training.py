"""The training checks (one_step, cost_decreases, reaches_solution, learns), judged in-process, and a few
submissions graded end to end by real workers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pytest
from judge_kit import (
    SHORT_TIMEOUT_S,
    XOR_NETWORK,
    codes,
    context,
    full_marks,
    judge,
    no_marks,
    rubric,
    run,
    statuses,
    text,
)
from numpy.typing import NDArray

from grader.checks import CHECK_KINDS
from grader.checks.memo import Memo
from grader.checks.registry import cases_of
from grader.diagnose import PLAIN_CODES
from grader.errors import RubricError
from grader.grading import Grader
from grader.inprocess import InProcessStudent
from grader.report.text import check_text
from grader.results import TaskResult
from grader.sandbox.launcher import Zygote
from grader.sandbox.limits import Limits
from grader.submission import discover
from grader.workshop import load_bundled_rubrics

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

NETWORK = XOR_NETWORK

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


def test_what_the_cost_check_needs_of_the_case_alone_is_worked_out_once_per_run() -> None:
    # The cost at the case's own starting parameters and the reference's cost curve are the same for
    # every submission: only the student's trained parameters cost a call per submission.
    memo = Memo()
    calls: list[tuple[Any, ...]] = []
    spec = next(c for c in rubric("xor").task("entrenarRed").checks if c.id == "cost_decreases")
    steps = int(spec.options["steps"])

    def graded_with_counted_costs() -> tuple[list[str], int]:
        ctx = context("xor", "entrenarRed", _network())
        ctx.memo, ctx.reference = memo, _CountedCost(ctx.reference, "cost_of_params", calls)
        return statuses(judge(ctx, "cost_decreases")), len(cases_of(ctx, spec))

    verdicts, cases = graded_with_counted_costs()
    assert set(verdicts) == {"pass"}
    # The first time: each case's starting cost, the curve (0..steps) of the public case shown, and the
    # student's parameters after 1..steps updates on each case.
    assert len(calls) == cases + (steps + 1) + cases * steps
    calls.clear()
    verdicts, _ = graded_with_counted_costs()
    assert set(verdicts) == {"pass"}
    # Again: only the student's parameters.
    assert len(calls) == cases * steps


class _CountedCost:
    """A reference module whose cost function records each call."""

    def __init__(self, module: Any, name: str, calls: list[tuple[Any, ...]]) -> None:
        self._module, self._name, self._calls = module, name, calls
        self.__name__ = module.__name__

    def __getattr__(self, attribute: str) -> Any:
        found = getattr(self._module, attribute)
        if attribute != self._name:
            return found

        def counted(*args: Any) -> Any:
            self._calls.append(args)
            return found(*args)

        counted.__wrapped__ = found  # type: ignore[attr-defined]
        return counted


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
    assert "ValueError" in text(results[0]) and "entrenarRed" in text(results[0])


@pytest.mark.parametrize(
    "returns", ["w1.ravel(), b1, w2, b2, costos", "w1, b1"], ids=["flat_weights", "two_of_four"]
)
@pytest.mark.parametrize("check", XOR_CHECKS)
def test_parameters_that_cannot_be_found_fail(check: str, returns: str) -> None:
    results = run("xor", "entrenarRed", check, _network(returns=returns))
    assert set(statuses(results)) == {"fail"} and no_marks(results)
    assert "w1, b1, w2, b2" in text(results[0])


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
    # A hidden case's message keeps only what its sentence says: no expected value, difference or place.
    hidden = [detail for detail in results[1].details if detail.key.startswith("train.")]
    assert hidden and all(detail.key == "train.one_step.hidden" for detail in hidden)
    assert all(set(detail.params) == {"case", "steps", "rate", "name", "rtol", "atol"} for detail in hidden)


@pytest.mark.parametrize("function", [as_column, nothing], ids=lambda f: f.__name__)
@pytest.mark.parametrize("check", LINREG_CHECKS)
def test_a_theta_that_cannot_be_found_fails(check: str, function: Callable[..., Any]) -> None:
    results = run("linreg", "descensoGradiente", check, function)
    assert statuses(results) == ["fail", "fail"] and no_marks(results)
    assert "theta" in text(results[0])


@pytest.mark.parametrize("check", LINREG_CHECKS)
def test_a_crashing_descent_is_an_error(check: str) -> None:
    results = run("linreg", "descensoGradiente", check, crashing)
    assert statuses(results) == ["error", "error"] and codes(results) == {"student_exception"}


@pytest.mark.parametrize("check", LINREG_CHECKS)
def test_a_descent_that_never_ends_times_out(check: str) -> None:
    results = run("linreg", "descensoGradiente", check, spins, timeout_s=SHORT_TIMEOUT_S)
    assert statuses(results) == ["timeout", "timeout"] and codes(results) == {"timeout"}


# --- a loop that does not use the rate or the number of iterations it is given -----------------------------

# How students write a rate of their own into a training loop: a local that overwrites the parameter, a
# parameter of their own with a default (the one they pass is never read), a module-level constant.
OWN_RATE = {
    "local": ("def {name}({params}):\n    {rate} = {value}\n", "{rate}"),
    "default": ("def {name}({params}, tasa={value}):\n", "tasa"),
    "global": ("TASA = {value}\n\ndef {name}({params}):\n", "TASA"),
}

LINREG_LOOP = """    m = X.shape[0]
    historial = []
    for _ in range(ITERATIONS):
        theta = theta - RATE / m * X.T @ (X @ theta - y)
        historial.append(float(np.sum((X @ theta - y) ** 2) / (2 * m)))
    return theta, historial
"""


def _linreg_loop(head: str, *, rate: str = "alpha", iterations: str = "iteraciones") -> InProcessStudent:
    """A linreg descent whose update reads ``rate`` and whose loop runs ``iterations`` times."""
    body = LINREG_LOOP.replace("RATE", rate).replace("ITERATIONS", iterations)
    return InProcessStudent.from_source("import numpy as np\n", head + body)


def _own_rate_descent(how: str, value: str = "0.01") -> tuple[InProcessStudent, str]:
    """A linreg descent written with a rate of its own, and the parameter its hint must name."""
    template, used = OWN_RATE[how]
    names = {"name": "descensoGradiente", "params": "X, y, theta, alfa, iteraciones", "rate": "alfa"}
    head = template.format(value=value, **names)
    return _linreg_loop(head, rate=used.format(**names)), "alfa"


@pytest.mark.parametrize("convention", [0, 1], ids=["flat", "column_vectors"])
@pytest.mark.parametrize("how", sorted(OWN_RATE))
def test_a_rate_written_into_the_descent_is_recognised(how: str, convention: int) -> None:
    student, parameter = _own_rate_descent(how)
    results = run("linreg", "descensoGradiente", "one_iteration", student, convention=convention)
    assert statuses(results) == ["fail", "fail"] and no_marks(results)
    assert codes(results) == {"ignores_learning_rate"}
    assert f"use the parameter {parameter} the function receives, not a fixed value" in text(results[0])
    # The rate the students most often write in makes the descent too slow to get there in 400 updates.
    reaches = run("linreg", "descensoGradiente", "reaches_least_squares", student, convention=convention)
    assert statuses(reaches) == ["fail", "fail"] and codes(reaches) == {"ignores_learning_rate"}


@pytest.mark.parametrize("value", ["0.1", "0.3", "0.5", "1.0"])
def test_no_classroom_rate_passes_the_step_by_chance(value: str) -> None:
    student, _ = _own_rate_descent("local", value)
    results = run("linreg", "descensoGradiente", "one_iteration", student)
    # With 1.0, one update settles the first public case (standardised, one feature: XᵀX/m is the
    # identity), so every count ends in the same place there: that is not a count of its own.
    assert statuses(results) == ["fail", "fail"] and codes(results) == {"ignores_learning_rate"}


def test_a_rate_of_its_own_that_is_too_long_is_not_taken_for_climbing_the_cost() -> None:
    student, _ = _own_rate_descent("local", "5.0")
    results = run("linreg", "descensoGradiente", "cost_decreases", student)
    assert statuses(results) == ["fail", "fail"] and codes(results) == {"ignores_learning_rate"}


def test_every_case_is_judged_at_every_rate() -> None:
    # Right at the check's first rate, wrong at the other: a rate floored at 0.1.
    student = _linreg_loop(
        "def descensoGradiente(X, y, theta, alpha, iteraciones):\n", rate="max(alpha, 0.1)"
    )
    results = run("linreg", "descensoGradiente", "one_iteration", student)
    assert statuses(results) == ["fail", "fail"] and no_marks(results)
    assert "with rate 0.083" in text(results[0]) and "with rate 0.37" not in text(results[0])
    # Below 0.1 the rate it is given makes no difference.
    assert codes(results) == {"ignores_learning_rate"}


def test_one_step_rates_are_validated() -> None:
    kind = CHECK_KINDS["one_step"]
    loaded = rubric("linreg")
    task = loaded.task("descensoGradiente")
    for wrong, problem in (([0.1, -0.2], "other_rates[1]: must be positive"), (["0.1"], "other_rates[0]")):
        options = kind.parse_options({"rate": 0.37, "other_rates": wrong}, "checks[0]")
        with pytest.raises(RubricError, match=re.escape(problem)):
            kind.validate(options, task=task, reference_module=loaded.module, where="checks[0]")
    with pytest.raises(RubricError, match="expected array"):
        kind.parse_options({"rate": 0.37, "other_rates": 0.1}, "checks[0]")


@pytest.mark.parametrize("convention", [0, 1], ids=["flat", "column_vectors"])
@pytest.mark.parametrize("fixed", ["1500", "ITERACIONES"])
def test_a_fixed_number_of_iterations_is_recognised(fixed: str, convention: int) -> None:
    head = "ITERACIONES = 1500\n\ndef descensoGradiente(X, y, theta, alpha, n_iter):\n"
    student = _linreg_loop(head, iterations=fixed)
    results = run("linreg", "descensoGradiente", "one_iteration", student, convention=convention)
    assert statuses(results) == ["fail", "fail"] and no_marks(results)
    assert codes(results) == {"ignores_iterations"}
    assert "use the parameter n_iter the function receives, not a fixed number" in text(results[0])
    # Enough iterations at the rate asked for do reach the solution: only the step check can tell.
    reaches = run("linreg", "descensoGradiente", "reaches_least_squares", student, convention=convention)
    assert full_marks(reaches)


def test_a_return_inside_the_loop_always_runs_one_iteration() -> None:
    source = "def descensoGradiente(X, y, theta, alpha, iteraciones):\n" + LINREG_LOOP.replace(
        "RATE", "alpha"
    ).replace("ITERATIONS", "iteraciones").replace("\n    return", "\n        return")
    student = InProcessStudent.from_source("import numpy as np\n", source)
    assert full_marks(run("linreg", "descensoGradiente", "one_iteration", student))
    results = run("linreg", "descensoGradiente", "reaches_least_squares", student)
    assert statuses(results) == ["fail", "fail"] and codes(results) == {"ignores_iterations"}


def test_a_rate_and_a_count_of_its_own_are_both_recognised() -> None:
    head = "def descensoGradiente(X, y, theta, alpha, iteraciones):\n    alpha, iteraciones = 0.01, 1500\n"
    results = run("linreg", "descensoGradiente", "one_iteration", _linreg_loop(head))
    assert statuses(results) == ["fail", "fail"]
    assert codes(results) == {"ignores_learning_rate", "ignores_iterations"}


def test_a_right_descent_that_renames_its_parameters_gets_full_marks() -> None:
    head = "def descensoGradiente(X, y, theta, tasa, n_iter, verbose=False):\n"
    student = _linreg_loop(head, rate="tasa", iterations="n_iter")
    for check in LINREG_CHECKS:
        results = run("linreg", "descensoGradiente", check, student)
        assert full_marks(results) and codes(results) == set(), check


TRAIN_WITH = """
def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
    HEAD
    for _ in range(EPOCHS):
        a1, a2 = feedForward(X, w1, w2, b1, b2)
        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
        w1 = w1 - W_RATE * dw1
        b1 = b1 - B_RATE * db1
        w2 = w2 - W_RATE * dw2
        b2 = b2 - B_RATE * db2
    return w1, b1, w2, b2
"""


def _training(
    *, head: str = "pass", epochs: str = "epocas", w_rate: str = "lr", b_rate: str = "lr", before: str = ""
) -> InProcessStudent:
    loop = TRAIN_WITH.replace("HEAD", head).replace("EPOCHS", epochs)
    loop = loop.replace("W_RATE", w_rate).replace("B_RATE", b_rate)
    return InProcessStudent.from_source(NETWORK, before + loop)


def _shadowed_rate() -> InProcessStudent:
    """The rate it is given is ``tasa``; the loop reads its own ``lr``, a parameter with a default."""
    loop = TRAIN_WITH.replace("lr, X", "tasa, X").replace("a1, a2):", "a1, a2, lr=0.5):")
    loop = loop.replace("HEAD", "pass").replace("EPOCHS", "epocas").replace("W_RATE", "lr")
    return InProcessStudent.from_source(NETWORK, loop.replace("B_RATE", "lr"))


OWN_NETWORK_RATES = {
    "local": (_training(head="lr = 0.1"), "lr"),
    "default": (_shadowed_rate(), "tasa"),
    "global": (_training(w_rate="LR", b_rate="LR", before="LR = 0.5\n"), "lr"),
    "biases_without_rate": (_training(b_rate="1"), "lr"),
}


@pytest.mark.parametrize("how", sorted(OWN_NETWORK_RATES))
def test_a_rate_written_into_the_network_loop_is_recognised(how: str) -> None:
    student, parameter = OWN_NETWORK_RATES[how]
    results = run("xor", "entrenarRed", "one_epoch", student)
    assert statuses(results) == ["fail", "fail"] and no_marks(results)
    assert codes(results) == {"ignores_learning_rate"}
    assert f"use the parameter {parameter} the function receives" in text(results[0])


def test_a_rate_of_its_own_in_the_rows_convention_is_recognised() -> None:
    rows = TRAIN_IN_PLACE.replace("w1 -= lr", "w1 -= 0.1").replace("w2 -= lr", "w2 -= 0.1")
    helpers = NETWORK.replace("w1 @ X + b1", "X @ w1 + b1").replace("w2 @ a1 + b2", "a1 @ w2 + b2")
    helpers = helpers.replace("m = X.shape[1]", "m = X.shape[0]").replace("axis=1", "axis=0")
    helpers = helpers.replace("dz2 @ a1.T", "a1.T @ dz2").replace("(w2.T @ dz2)", "(dz2 @ w2.T)")
    helpers = helpers.replace("dz1 @ X.T", "X.T @ dz1").replace("y.shape[1]", "y.shape[0]")
    student = InProcessStudent.from_source(helpers, TRAIN_IN_PLACE)
    assert full_marks(run("xor", "entrenarRed", "one_epoch", student, convention=1))
    results = run(
        "xor", "entrenarRed", "one_epoch", InProcessStudent.from_source(helpers, rows), convention=1
    )
    assert statuses(results) == ["fail", "fail"] and codes(results) == {"ignores_learning_rate"}


@pytest.mark.parametrize(
    "student",
    [_training(epochs="200"), _training(epochs="EPOCAS", before="EPOCAS = 200\n")],
    ids=["literal", "global"],
)
def test_a_fixed_number_of_epochs_is_recognised(student: InProcessStudent) -> None:
    results = run("xor", "entrenarRed", "one_epoch", student)
    assert statuses(results) == ["fail", "fail"] and no_marks(results)
    assert codes(results) == {"ignores_iterations"}
    assert "use the parameter epocas the function receives" in text(results[0])


def test_a_network_loop_with_a_slow_rate_of_its_own_does_not_learn_and_says_why() -> None:
    results = run("xor", "entrenarRed", "learns_xor", _training(head="lr = 0.1"))
    assert statuses(results) == ["fail"] and codes(results) == {"ignores_learning_rate"}


LOGISTIC_HELPERS = """
import numpy as np

def sigmoide(z):
    return 1 / (1 + np.exp(-z))
"""


def _logistic(head: str, *, rate: str = "alpha", iterations: str = "iteraciones") -> InProcessStudent:
    loop = f"""{head}
    m = X.shape[0]
    for _ in range({iterations}):
        theta = theta - {rate} / m * X.T @ (sigmoide(X @ theta) - y)
    return theta, []
"""
    return InProcessStudent.from_source(LOGISTIC_HELPERS, loop)


LOGISTIC_HEAD = "def descensoGradienteLogistico(X, y, theta, alpha, iteraciones):"


@pytest.mark.parametrize("convention", [0, 1], ids=["flat", "column_vectors"])
def test_logistic_descent_the_rate_and_the_count_it_is_given(convention: int) -> None:
    def judge_step(student: InProcessStudent) -> list[Any]:
        return run("logistica", "descensoGradienteLogistico", "one_iteration", student, convention=convention)

    assert full_marks(judge_step(_logistic(LOGISTIC_HEAD)))
    own_rate = judge_step(_logistic(LOGISTIC_HEAD + "\n    alpha = 0.01"))
    assert statuses(own_rate) == ["fail", "fail"] and codes(own_rate) == {"ignores_learning_rate"}
    own_count = judge_step(_logistic(LOGISTIC_HEAD, iterations="1000"))
    assert statuses(own_count) == ["fail", "fail"] and codes(own_count) == {"ignores_iterations"}


# --- updates that are not simultaneous, on features that are not centred ---------------------------------

SEQUENTIAL = {
    # One component at a time, each seeing the ones already updated.
    "loop_over_j": """
    for _ in range(iteraciones):
        for j in range(theta.shape[0]):
            theta[j] = theta[j] - alpha / m * np.sum((X @ theta - y) * X[:, [j]].reshape(np.shape(y)))
""",
    # The intercept first, then the slopes with a gradient that already sees it: invisible on centred X.
    "intercept_first": """
    for _ in range(iteraciones):
        theta[0] = theta[0] - alpha / m * np.sum(X @ theta - y)
        theta[1:] = theta[1:] - alpha / m * X[:, 1:].T @ (X @ theta - y)
""",
}


def _sequential(how: str, name: str, hypothesis: str = "X @ theta") -> InProcessStudent:
    body = SEQUENTIAL[how].replace("X @ theta", hypothesis)
    source = f"def {name}(X, y, theta, alpha, iteraciones):\n    m = X.shape[0]\n    theta = theta.copy()\n"
    return InProcessStudent.from_source(LOGISTIC_HELPERS, source + body + "    return theta, []\n")


@pytest.mark.parametrize("convention", [0, 1], ids=["flat", "column_vectors"])
@pytest.mark.parametrize("how", sorted(SEQUENTIAL))
def test_a_non_simultaneous_descent_is_recognised(how: str, convention: int) -> None:
    student = _sequential(how, "descensoGradiente")
    public, hidden = run("linreg", "descensoGradiente", "one_iteration", student, convention=convention)
    assert (public.status, hidden.status) == ("fail", "fail")
    assert codes([public, hidden]) == {"non_simultaneous_update"}
    assert hidden.score == 0.0
    # The public case of raw features always shows it (with one feature, a loop over j does too).
    assert "public case 3 (m=7, n=2, raw=2)" in text(public)
    if how == "intercept_first":
        assert "Correct on 2 of 3 cases." in text(public)


@pytest.mark.parametrize("convention", [0, 1], ids=["flat", "column_vectors"])
@pytest.mark.parametrize("how", sorted(SEQUENTIAL))
def test_a_non_simultaneous_logistic_descent_is_recognised(how: str, convention: int) -> None:
    student = _sequential(how, "descensoGradienteLogistico", hypothesis="sigmoide(X @ theta)")
    results = run("logistica", "descensoGradienteLogistico", "one_iteration", student, convention=convention)
    assert statuses(results) == ["fail", "fail"] and no_marks(results)
    assert codes(results) == {"non_simultaneous_update"}


# --- end to end: real workers, as grading runs them -----------------------------------------------------


@pytest.fixture(scope="module")
def grader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Grader]:
    zygote = Zygote()
    try:
        yield Grader(
            load_bundled_rubrics(),
            zygote=zygote,
            secret="rates-and-iterations",
            limits=Limits(call_timeout_s=5.0, statement_timeout_s=1.0),
            scratch_root=tmp_path_factory.mktemp("scratch"),
            lang="es",
        )
    finally:
        zygote.close()


def _graded(grader: Grader, path: Path) -> dict[str, TaskResult]:
    (submission,) = discover([path])
    result = grader.grade(submission)
    assert result.status == "graded", result.error
    return {task.id: task for task in result.tasks if task.found_as is not None}


def _mistakes(task: TaskResult) -> set[str]:
    return {code for check in task.checks for code in check.diagnoses} - PLAIN_CODES


def _text(task: TaskResult) -> str:
    return "\n".join(check_text(check, "es") for check in task.checks)


def test_a_notebook_whose_loop_uses_global_settings_is_told_which_parameters_to_use(
    grader: Grader, tmp_path: Path
) -> None:
    """The classic notebook: the rate and the epochs set in a cell, and the loop reading those globals."""
    loop = (
        TRAIN_WITH.replace("lr, X", "tasa, X")
        .replace("HEAD", "pass")
        .replace("EPOCHS", "EPOCAS")
        .replace("W_RATE", "lr")
        .replace("B_RATE", "lr")
    )
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(NETWORK),
        nbformat.v4.new_code_cell("lr = 0.5\nEPOCAS = 300"),
        nbformat.v4.new_code_cell(loop),
    ]
    nbformat.write(nb, tmp_path / "globales.ipynb")
    tasks = _graded(grader, tmp_path / "globales.ipynb")
    helpers = [tasks[name] for name in ("feedForward", "costoGlobal", "backProp")]
    assert all(task.score == task.max_score and not _mistakes(task) for task in helpers)
    training = tasks["entrenarRed"]
    assert training.score < training.max_score
    assert _mistakes(training) == {"ignores_learning_rate", "ignores_iterations"}
    said = _text(training)
    assert "usa el parámetro tasa que recibe la función, no un valor fijo" in said
    assert "usa el parámetro epocas que recibe la función, no un número fijo" in said


LINREG_SUBMISSION = """
import numpy as np

def calcularCosto(X, y, theta):
    m = X.shape[0]
    return float(np.sum((X @ theta - y) ** 2) / (2 * m))

def calcularGradiente(X, y, theta):
    return X.T @ (X @ theta - y) / X.shape[0]

def descensoGradiente(X, y, theta, alpha, iteraciones):
    m = X.shape[0]
    theta = theta.copy()
    historial = []
    for _ in range(iteraciones):
        theta[0] = theta[0] - alpha / m * np.sum(X @ theta - y)
        theta[1:] = theta[1:] - alpha / m * X[:, 1:].T @ (X @ theta - y)
        historial.append(calcularCosto(X, y, theta))
    return theta, historial

def normalizar(X):
    mu = np.mean(X, axis=0, keepdims=True)
    sigma = np.std(X, axis=0, keepdims=True)
    return (X - mu) / sigma, mu, sigma
"""


@pytest.mark.parametrize("layout", ["flat", "column_vectors"])
def test_a_descent_that_updates_the_intercept_first_and_statistics_as_rows(
    grader: Grader, tmp_path: Path, layout: str
) -> None:
    source = LINREG_SUBMISSION
    if layout == "column_vectors":
        source = source.replace("theta[0] = theta[0]", "theta[0, 0] = theta[0, 0]")
    (tmp_path / f"intercepto_{layout}.py").write_text(source, encoding="utf-8")
    tasks = _graded(grader, tmp_path / f"intercepto_{layout}.py")
    for name in ("calcularCosto", "calcularGradiente", "normalizar"):
        assert tasks[name].score == tasks[name].max_score and not _mistakes(tasks[name]), _text(tasks[name])
    descent = tasks["descensoGradiente"]
    assert _mistakes(descent) == {"non_simultaneous_update"}
    assert "la actualización debe ser simultánea" in _text(descent)
    (step,) = [check for check in descent.checks if check.id == "one_iteration"]
    # Only the case of raw features shows it among the public ones; every hidden case has raw columns.
    said = check_text(step, "es")
    assert "Correcto en 2 de 3 casos." in said and "caso público 3" in said
    (hidden,) = [check for check in descent.checks if check.id == "one_iteration:hidden"]
    assert hidden.score == 0.0
    rest = [check for check in descent.checks if not check.id.startswith("one_iteration")]
    assert all(check.status == "pass" for check in rest)


def test_a_logistic_descent_with_a_rate_of_its_own_in_a_default_parameter(
    grader: Grader, tmp_path: Path
) -> None:
    source = LOGISTIC_HELPERS + (
        "\ndef descensoGradienteLogistico(X, y, theta, alfa, iteraciones, alpha=0.01):\n"
        "    for _ in range(iteraciones):\n"
        "        theta = theta - alpha / len(y) * X.T @ (sigmoide(X @ theta) - y)\n"
        "    return theta, []\n"
    )
    (tmp_path / "tasa_por_defecto.py").write_text(source, encoding="utf-8")
    descent = _graded(grader, tmp_path / "tasa_por_defecto.py")["descensoGradienteLogistico"]
    assert descent.score < descent.max_score
    assert _mistakes(descent) == {"ignores_learning_rate"}
    assert "usa el parámetro alfa que recibe la función, no un valor fijo" in _text(descent)
