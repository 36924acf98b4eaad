"""The output checks (shapes, matches_reference) on the bundled rubrics, judged in-process."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from judge_kit import SHORT_TIMEOUT_S, codes, full_marks, no_marks, run, statuses, text
from numpy.typing import NDArray

from grader.messages import CATALOGUE, template_fields

Array = NDArray[np.float64]
FEED_FORWARD_CHECKS = ["shapes", "values"]


def _sigmoid(z: Array) -> Array:
    return np.asarray(1 / (1 + np.exp(-z)))


def feed_forward(X: Array, w1: Array, w2: Array, b1: Array, b2: Array) -> tuple[Array, Array]:
    a1 = _sigmoid(w1 @ X + b1)
    a2 = _sigmoid(w2 @ a1 + b2)
    return a1, a2


def feed_forward_swapped(X: Array, w1: Array, w2: Array, b1: Array, b2: Array) -> tuple[Array, Array]:
    a1, a2 = feed_forward(X, w1, w2, b1, b2)
    return a2, a1


def feed_forward_crashing(X: Array, w1: Array, w2: Array, b1: Array, b2: Array) -> Array:
    return _sigmoid(w1 @ X.T)


def feed_forward_flat_output(X: Array, w1: Array, w2: Array, b1: Array, b2: Array) -> tuple[Array, Array]:
    a1, a2 = feed_forward(X, w1, w2, b1, b2)
    return a1, a2.ravel()


def feed_forward_one_value(X: Array, w1: Array, w2: Array, b1: Array, b2: Array) -> Array:
    return feed_forward(X, w1, w2, b1, b2)[1]


def feed_forward_rows(X: Array, w1: Array, w2: Array, b1: Array, b2: Array) -> tuple[Array, Array]:
    """Instances as rows: X (m, n), w1 (n, h), w2 (h, 1), b1 (1, h), b2 (1, 1)."""
    a1 = _sigmoid(X @ w1 + b1)
    return a1, _sigmoid(a1 @ w2 + b2)


def spins(*args: object) -> None:
    while True:
        pass


@pytest.mark.parametrize("check", FEED_FORWARD_CHECKS)
def test_a_right_function_gets_full_marks(check: str) -> None:
    results = run("xor", "feedForward", check, feed_forward)
    assert statuses(results) == ["pass", "pass"] and full_marks(results)
    assert codes(results) == set()


@pytest.mark.parametrize("check", FEED_FORWARD_CHECKS)
def test_outputs_in_the_wrong_order_are_recognised(check: str) -> None:
    results = run("xor", "feedForward", check, feed_forward_swapped)
    assert statuses(results) == ["fail", "fail"] and no_marks(results)
    assert codes(results) == {"swapped_outputs"}


@pytest.mark.parametrize("check", FEED_FORWARD_CHECKS)
def test_a_crash_is_an_error_and_hidden_cases_keep_it_to_themselves(check: str) -> None:
    public, hidden = run("xor", "feedForward", check, feed_forward_crashing)
    assert (public.status, hidden.status) == ("error", "error") and no_marks([public, hidden])
    assert public.diagnoses == hidden.diagnoses == ("student_exception",)
    assert "ValueError" in text(public) and "feed_forward_crashing" in text(public)
    assert "ValueError" not in text(hidden) and "matmul" not in text(hidden)


def feed_forward_halved(X: Array, w1: Array, w2: Array, b1: Array, b2: Array) -> tuple[Array, Array]:
    a1, a2 = feed_forward(X, w1, w2, b1, b2)
    return a1, a2 / 2


def test_a_hidden_case_stores_no_value_its_sentence_does_not_say() -> None:
    public, hidden = run("xor", "feedForward", "values", feed_forward_halved)
    assert (public.status, hidden.status) == ("fail", "fail")
    assert {"expected", "actual", "where"} <= {name for d in public.details for name in d.params}
    assert hidden.details
    for detail in hidden.details:
        assert detail.key.endswith(".hidden")
        said = template_fields(CATALOGUE[detail.key]["es"]) | template_fields(CATALOGUE[detail.key]["en"])
        assert set(detail.params) <= said, detail
        assert not {"expected", "actual", "diff", "where"} & set(detail.params)


def test_a_flat_output_fails_the_shapes_but_not_the_values() -> None:
    shapes = run("xor", "feedForward", "shapes", feed_forward_flat_output)
    assert statuses(shapes) == ["fail", "fail"] and no_marks(shapes)
    assert "a2 has shape (8,); expected (1, 8)" in text(shapes[0])
    assert full_marks(run("xor", "feedForward", "values", feed_forward_flat_output))


@pytest.mark.parametrize("check", FEED_FORWARD_CHECKS)
def test_one_value_instead_of_two_fails_without_a_diagnosis(check: str) -> None:
    results = run("xor", "feedForward", check, feed_forward_one_value)
    assert statuses(results) == ["fail", "fail"] and no_marks(results)
    assert codes(results) == set()
    assert "a1, a2" in text(results[0])


@pytest.mark.parametrize("check", FEED_FORWARD_CHECKS)
def test_a_function_that_never_returns_times_out(check: str) -> None:
    results = run("xor", "feedForward", check, spins, timeout_s=SHORT_TIMEOUT_S)
    assert statuses(results) == ["timeout", "timeout"] and no_marks(results)
    assert codes(results) == {"timeout"}


@pytest.mark.parametrize("check", FEED_FORWARD_CHECKS)
def test_instances_as_rows_pass_in_the_rows_convention(check: str) -> None:
    assert full_marks(run("xor", "feedForward", check, feed_forward_rows, convention=1))
    assert not full_marks(run("xor", "feedForward", check, feed_forward_rows))


def test_a_summed_cost_is_a_missing_mean() -> None:
    def cost(X: Array, y: Array, theta: Array) -> float:
        return float(np.sum((X @ theta - y) ** 2) / (2 * len(y)))

    def summed(X: Array, y: Array, theta: Array) -> float:
        return float(np.sum((X @ theta - y) ** 2) / 2)

    assert full_marks(run("linreg", "calcularCosto", "values", cost))
    results = run("linreg", "calcularCosto", "values", summed)
    assert statuses(results) == ["fail", "fail"] and codes(results) == {"missing_mean"}


def test_a_cross_entropy_without_its_minus_sign_is_recognised() -> None:
    def positive(y_est: Array, y: Array) -> float:
        return float(np.mean(y * np.log(y_est) + (1 - y) * np.log(1 - y_est)))

    results = run("xor", "costoGlobal", "values", positive)
    assert statuses(results) == ["fail", "fail"] and codes(results) == {"missing_negative_sign"}


def test_the_sample_deviation_is_accepted_and_the_wrong_axis_recognised() -> None:
    def sample(X: Array) -> tuple[Array, Array, Array]:
        mu, sigma = X.mean(axis=0), X.std(axis=0, ddof=1)
        return (X - mu) / sigma, mu, sigma

    def per_instance(X: Array) -> tuple[Array, Array, Array]:
        mu, sigma = X.mean(axis=1), X.std(axis=1)
        return (X - mu[:, None]) / sigma[:, None], mu, sigma

    assert full_marks(run("linreg", "normalizar", "values", sample))
    results = run("linreg", "normalizar", "values", per_instance)
    assert statuses(results) == ["fail", "fail"] and "normalize_wrong_axis" in codes(results)


# --- shapes that broadcast alike ----------------------------------------------------------------------------


def normalize_keepdims(X: Array) -> tuple[Array, Array, Array]:
    mu, sigma = X.mean(axis=0, keepdims=True), X.std(axis=0, keepdims=True)
    return (X - mu) / sigma, mu, sigma


def normalize_reshaped(X: Array) -> tuple[Array, Array, Array]:
    mu = np.mean(X, axis=0).reshape(1, -1)
    sigma = np.std(X, axis=0, ddof=1).reshape(1, X.shape[1])
    return (X - mu) / sigma, mu, sigma


def normalize_columns(X: Array) -> tuple[Array, Array, Array]:
    mu, sigma = X.mean(axis=0).reshape(-1, 1), X.std(axis=0).reshape(-1, 1)
    return (X - mu.T) / sigma.T, mu, sigma


@pytest.mark.parametrize("convention", [0, 1], ids=["flat", "column_vectors"])
@pytest.mark.parametrize("check", ["shapes", "values"])
@pytest.mark.parametrize("function", [normalize_keepdims, normalize_reshaped], ids=lambda f: f.__name__)
def test_statistics_as_a_row_broadcast_as_the_flat_vector_and_pass(
    function: Callable[[Array], tuple[Array, Array, Array]], check: str, convention: int
) -> None:
    results = run("linreg", "normalizar", check, function, convention=convention)
    assert statuses(results) == ["pass", "pass"] and full_marks(results)
    assert codes(results) == set()


@pytest.mark.parametrize("convention", [0, 1], ids=["flat", "column_vectors"])
def test_statistics_as_a_column_broadcast_otherwise_and_fail_the_shapes(convention: int) -> None:
    shapes = run("linreg", "normalizar", "shapes", normalize_columns, convention=convention)
    assert statuses(shapes) == ["fail", "fail"]
    assert "mu has shape (3, 1); expected (3,)" in text(shapes[0])
    assert "sigma has shape (3, 1); expected (3,)" in text(shapes[0])
    # With a single feature, a (1, 1) column is also a (1, 1) row: the first public case passes.
    assert "Correct on 1 of 3 cases." in text(shapes[0])
    assert full_marks(run("linreg", "normalizar", "values", normalize_columns, convention=convention))


def test_a_row_gradient_for_a_flat_theta_still_fails_the_shapes() -> None:
    def row_gradient(X: Array, y: Array, theta: Array) -> Array:
        return np.asarray((X.T @ (X @ theta - y) / len(y)).reshape(1, -1))

    # Against theta (n+1,) a (1, n+1) gradient is not alike: theta - alpha * grad would become a row.
    shapes = run("linreg", "calcularGradiente", "shapes", row_gradient)
    assert statuses(shapes) == ["fail", "fail"] and no_marks(shapes)
    assert "grad has shape (1, 2); expected (2,)" in text(shapes[0])
    assert full_marks(run("linreg", "calcularGradiente", "values", row_gradient))
