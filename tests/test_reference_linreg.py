"""Tests for the reference linear regression: cost, gradient, descent, normalisation, least squares."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reference.cases import linreg_case
from reference.linreg import calcularCosto, calcularGradiente, descensoGradiente, least_squares, normalizar
from reference.mistakes import variants_for


class Problem(NamedTuple):
    X: np.ndarray
    y: np.ndarray
    theta: np.ndarray


def _floats(bound: float) -> st.SearchStrategy[float]:
    return st.floats(-bound, bound, allow_subnormal=False)


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    """X (m, n+1) with a leading column of ones, y (m,) and theta (n+1,): m 1–10, n 0–3."""
    m = draw(st.integers(1, 10))
    n = draw(st.integers(0, 3))
    features = draw(hnp.arrays(np.float64, (m, n), elements=_floats(10.0)))
    return Problem(
        X=np.column_stack([np.ones(m), features]),
        y=draw(hnp.arrays(np.float64, (m,), elements=_floats(10.0))),
        theta=draw(hnp.arrays(np.float64, (n + 1,), elements=_floats(10.0))),
    )


def _housing_like(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Raw features on very different scales (size, rooms) and a noisy linear price."""
    rng = np.random.default_rng(seed)
    m = 30
    features = np.column_stack([rng.uniform(50, 250, m), rng.integers(1, 6, m).astype(np.float64)])
    price = 1000.0 + 20.0 * features[:, 0] + 150.0 * features[:, 1] + rng.normal(0, 50, m)
    return features, price


def test_calcular_costo_matches_hand_computation() -> None:
    X = np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]])
    y = np.array([1.0, 2.0, 3.0])
    assert calcularCosto(X, y, np.array([0.0, 0.0])) == pytest.approx(14 / 6, rel=1e-15)
    assert calcularCosto(X, y, np.array([0.0, 1.0])) == 0.0
    assert calcularCosto(X, y, np.array([1.0, 1.0])) == pytest.approx(0.5, rel=1e-15)


def test_calcular_gradiente_matches_hand_computation() -> None:
    X = np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]])
    y = np.array([1.0, 2.0, 3.0])
    # Residuals (0·x − y) = (−1, −2, −3): the mean is −2 and the mean of x·residual is −14/3.
    np.testing.assert_allclose(calcularGradiente(X, y, np.zeros(2)), [-2.0, -14 / 3], rtol=1e-15)


@settings(max_examples=200)
@given(problems())
def test_gradient_agrees_with_finite_differences_of_the_cost(problem: Problem) -> None:
    X, y, theta = problem
    eps = 1e-4
    numeric = np.zeros_like(theta)
    for j in range(theta.size):
        step = np.zeros_like(theta)
        step[j] = eps
        numeric[j] = (calcularCosto(X, y, theta + step) - calcularCosto(X, y, theta - step)) / (2 * eps)
    analytic = calcularGradiente(X, y, theta)
    # The cost is quadratic, so central differences are exact but for the rounding of J ≈ |J| · 1e-16 / eps.
    tolerance = 1e-7 * np.linalg.norm(analytic) + 1e-10 * max(1.0, calcularCosto(X, y, theta))
    assert np.linalg.norm(analytic - numeric) <= tolerance


@given(problems())
def test_vector_and_column_shapes_give_the_same_numbers(problem: Problem) -> None:
    X, y, theta = problem
    cost = calcularCosto(X, y, theta)
    gradient = calcularGradiente(X, y, theta)
    for y_shape in [y, y[:, np.newaxis]]:
        assert calcularCosto(X, y_shape, theta) == cost
        assert calcularCosto(X, y_shape, theta[:, np.newaxis]) == cost
        vector = calcularGradiente(X, y_shape, theta)
        column = calcularGradiente(X, y_shape, theta[:, np.newaxis])
        assert vector.shape == theta.shape
        assert column.shape == (theta.size, 1)
        np.testing.assert_array_equal(vector, gradient)
        np.testing.assert_array_equal(column.ravel(), gradient)


def test_mixed_shapes_do_not_broadcast_into_a_matrix() -> None:
    X = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])
    y = np.array([[1.0], [3.0], [5.0]])
    theta = np.array([1.0, 2.0])
    # Broadcasting the (3,) prediction against the (3, 1) y would give a positive cost for an exact fit.
    assert calcularCosto(X, y, theta) == 0.0
    np.testing.assert_array_equal(calcularGradiente(X, y, theta), [0.0, 0.0])


def test_descenso_gradiente_one_iteration_is_one_gradient_step() -> None:
    X = np.array([[1.0, 2.0], [1.0, -1.0], [1.0, 0.5], [1.0, 4.0]])
    y = np.array([[3.0], [0.0], [1.0], [7.0]])
    theta = np.array([[0.5], [-0.25]])
    new_theta, historial = descensoGradiente(X, y, theta, 0.1, 1)
    expected = theta - 0.1 * calcularGradiente(X, y, theta)
    assert new_theta.shape == theta.shape
    np.testing.assert_array_equal(new_theta, expected)
    assert historial.shape == (1,)
    assert historial[0] == calcularCosto(X, y, expected)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_descenso_gradiente_with_a_small_rate_never_increases_the_cost(seed: int) -> None:
    features, price = _housing_like(seed)
    X_norm, _, _ = normalizar(features)
    X = np.column_stack([np.ones(len(X_norm)), X_norm])
    theta0 = np.zeros(3)
    _, historial = descensoGradiente(X, price, theta0, 0.01, 500)
    assert historial.shape == (500,)
    assert historial[0] < calcularCosto(X, price, theta0)
    assert np.all(np.diff(historial) <= 0.0)


@pytest.mark.parametrize("theta_shape", [(3,), (3, 1)])
def test_descenso_gradiente_on_normalised_data_reaches_least_squares(theta_shape: tuple[int, ...]) -> None:
    features, price = _housing_like(7)
    X_norm, _, _ = normalizar(features)
    X = np.column_stack([np.ones(len(X_norm)), X_norm])
    y = price.reshape(-1, 1) if len(theta_shape) == 2 else price
    theta, historial = descensoGradiente(X, y, np.zeros(theta_shape), 0.3, 2000)
    best = least_squares(X, y)
    assert theta.shape == best.shape == theta_shape
    np.testing.assert_allclose(theta, best, rtol=0, atol=1e-6)
    assert historial[-1] == pytest.approx(calcularCosto(X, y, best), rel=1e-12)


def test_descenso_gradiente_with_no_iterations() -> None:
    X = np.array([[1.0, 2.0], [1.0, 3.0]])
    theta, historial = descensoGradiente(X, np.array([1.0, 2.0]), np.array([0.5, 0.5]), 0.1, 0)
    np.testing.assert_array_equal(theta, [0.5, 0.5])
    assert historial.shape == (0,)
    with pytest.raises(ValueError, match="non-negative"):
        descensoGradiente(X, np.array([1.0, 2.0]), np.array([0.5, 0.5]), 0.1, -1)


def _varies(X: np.ndarray) -> bool:
    # A column must vary by more than the rounding of its own magnitude for its std to be meaningful.
    return bool(np.all(np.ptp(X, axis=0) > 1e-3 * np.maximum(1.0, np.max(np.abs(X), axis=0))))


FEATURE_MATRICES = hnp.arrays(
    np.float64,
    st.tuples(st.integers(2, 12), st.integers(1, 4)),
    elements=st.floats(-1e3, 1e3, allow_subnormal=False),
).filter(_varies)


@given(FEATURE_MATRICES)
def test_normalizar_gives_zero_mean_and_unit_std_per_column(X: np.ndarray) -> None:
    X_norm, mu, sigma = normalizar(X)
    n = X.shape[1]
    assert X_norm.shape == X.shape
    assert mu.shape == sigma.shape == (n,)
    np.testing.assert_allclose(mu, X.mean(axis=0), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(X_norm.mean(axis=0), np.zeros(n), atol=1e-9)
    np.testing.assert_allclose(X_norm.std(axis=0), np.ones(n), rtol=1e-9)
    np.testing.assert_allclose(X_norm * sigma + mu, X, rtol=1e-9, atol=1e-9)


def test_normalizar_with_ddof_one_matches_sample_std() -> None:
    features, _ = _housing_like(3)
    X_norm, mu, sigma = normalizar(features, ddof=1)
    np.testing.assert_allclose(sigma, np.std(features, axis=0, ddof=1), rtol=1e-14)
    np.testing.assert_allclose(X_norm, (features - mu) / np.std(features, axis=0, ddof=1), rtol=1e-14)
    assert not np.allclose(sigma, normalizar(features)[2])
    with pytest.raises(ValueError, match="ddof"):
        normalizar(features[:1], ddof=1)


def test_normalizar_leaves_a_constant_column_at_zero() -> None:
    X = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    X_norm, mu, sigma = normalizar(X)
    np.testing.assert_array_equal(mu, [2.0, 5.0])
    np.testing.assert_array_equal(sigma, [np.sqrt(2 / 3), 1.0])
    np.testing.assert_array_equal(X_norm[:, 1], [0.0, 0.0, 0.0])
    assert np.all(np.isfinite(X_norm))


def test_least_squares_follows_the_shape_of_y() -> None:
    X = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0], [1.0, 3.0]])
    y = np.array([1.0, 3.0, 5.0, 7.0])
    np.testing.assert_allclose(least_squares(X, y), [1.0, 2.0], rtol=1e-12)
    assert least_squares(X, y[:, np.newaxis]).shape == (2, 1)


def test_no_input_is_mutated() -> None:
    X = np.array([[1.0, 2.0], [1.0, -1.0], [1.0, 0.5]])
    y = np.array([3.0, 0.0, 1.0])
    theta = np.array([0.5, -0.25])
    originals = [a.copy() for a in (X, y, theta)]
    # Read-only arrays make any in-place write raise instead of passing unnoticed.
    for a in (X, y, theta):
        a.setflags(write=False)
    calcularCosto(X, y, theta)
    calcularGradiente(X, y, theta)
    descensoGradiente(X, y, theta, 0.1, 5)
    normalizar(X[:, 1:])
    least_squares(X, y)
    for now, before in zip((X, y, theta), originals, strict=True):
        np.testing.assert_array_equal(now, before)


# --- the workshop's cases: raw features beside standardised ones ------------------------------------------

CASE_SIZES = st.tuples(st.integers(0, 2**32 - 1), st.integers(6, 30), st.integers(1, 4), st.integers(0, 2))
# Every rate the linreg rubric calls a descent with.
RUBRIC_RATES = (0.37, 0.083, 0.3, 0.01)


@given(CASE_SIZES)
@settings(max_examples=200)
def test_raw_case_columns_are_neither_centred_nor_standardised(sizes: tuple[int, int, int, int]) -> None:
    seed, m, n, raw = sizes
    values = linreg_case(np.random.default_rng(seed), m=m, n=n, raw=raw)
    X, features = values["X"], values["features"]
    k = min(raw, n)
    assert X.shape == (m, n + 1) and features.shape == (m, n)
    np.testing.assert_array_equal(X[:, 0], 1.0)
    # Raw columns are the features themselves, with a mean far from 0 (updating θ0 first shows there)
    # and a deviation other than 1; the rest are standardised, as in every case before.
    np.testing.assert_array_equal(X[:, 1 : k + 1], features[:, :k])
    assert np.all(X[:, 1 : k + 1].mean(axis=0) >= 0.5 - 1e-12)
    assert np.all((X[:, 1 : k + 1].std(axis=0) >= 0.6 - 1e-12) & (X[:, 1 : k + 1].std(axis=0) <= 1.0 + 1e-12))
    np.testing.assert_allclose(X[:, k + 1 :], normalizar(features)[0][:, k:])


@given(CASE_SIZES)
@settings(max_examples=200)
def test_raw_cases_keep_least_squares_well_posed_and_every_rate_descending(
    sizes: tuple[int, int, int, int],
) -> None:
    seed, m, n, raw = sizes
    values = linreg_case(np.random.default_rng(seed), m=max(m, n + 3), n=n, raw=raw)
    X, y, theta = values["X"], values["y"], values["theta"]
    assert np.linalg.matrix_rank(X) == n + 1
    # Gradient descent on J goes down at every step for any rate below 2/λmax of XᵀX/m.
    largest = float(np.linalg.eigvalsh(X.T @ X / X.shape[0])[-1])
    assert max(RUBRIC_RATES) * largest < 2.0
    for rate in RUBRIC_RATES:
        _, historial = descensoGradiente(X, y, theta, rate, 20)
        assert historial[0] < calcularCosto(X, y, theta) and np.all(
            np.diff(historial) <= 1e-12 * historial[0]
        )


def test_cases_without_raw_columns_are_the_cases_they_always_were() -> None:
    before = linreg_case(np.random.default_rng(11), m=9, n=3)
    after = linreg_case(np.random.default_rng(11), m=9, n=3, raw=0)
    for name, value in before.items():
        np.testing.assert_array_equal(after[name], value)
    centred = before["X"][:, 1:].mean(axis=0)
    np.testing.assert_allclose(centred, 0.0, atol=1e-12)


@pytest.mark.parametrize("theta_shape", [(3,), (3, 1)])
def test_updating_the_intercept_first_shows_only_on_raw_features(theta_shape: tuple[int, ...]) -> None:
    """Why the cases need raw columns: on centred ones the slopes' gradient ignores θ0."""
    intercept_first = variants_for("linreg", "descensoGradiente")["non_simultaneous_update"]
    (wrong,) = [f for f in intercept_first if f.__name__ == "descensoGradiente_intercept_first"]
    for raw, shows in ((0, False), (2, True)):
        values = linreg_case(np.random.default_rng(5), m=7, n=2, raw=raw)
        X, y = values["X"], values["y"]
        theta = values["theta"].reshape(theta_shape)
        right, _ = descensoGradiente(X, y, theta, 0.37, 1)
        mistaken, _ = wrong(X, y, theta, 0.37, 1)
        assert mistaken.shape == right.shape
        # θ0 itself is the same either way: it is updated first, from the untouched theta.
        assert mistaken.ravel()[0] == right.ravel()[0]
        assert (not np.allclose(mistaken, right, rtol=1e-6, atol=1e-9)) == shows
