"""Tests for the logistica workshop folder: its reference, its case generators and its known mistakes."""

from __future__ import annotations

import inspect
import math
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.cases import extra_case
from grader.messages import CATALOGUE
from grader.workshop import load_rubric
from reference.mistakes import VARIANT_ATTRIBUTE, mistakes_for, named_mistakes, variants_for

FOLDER = Path(__file__).resolve().parent.parent / "rubrics" / "logistica"
# The modules exactly as the grader loads them (imported from the folder by their file names).
RUBRIC = load_rubric(FOLDER / "rubric.toml")
ref: Any = RUBRIC.module
errores: Any = RUBRIC.mistakes_module

FUNCTIONS = (
    "sigmoide",
    "calcularCostoLogistico",
    "calcularGradienteLogistico",
    "descensoGradienteLogistico",
    "predecir",
)


class Problem(NamedTuple):
    X: np.ndarray
    y: np.ndarray
    theta: np.ndarray


def _floats(bound: float) -> st.SearchStrategy[float]:
    return st.floats(-bound, bound, allow_subnormal=False)


@st.composite
def problems(draw: st.DrawFn, *, bound: float = 3.0) -> Problem:
    """X (m, n+1) with a leading column of ones, 0/1 labels y (m,), theta (n+1,): m 1–10, n 0–3."""
    m = draw(st.integers(1, 10))
    n = draw(st.integers(0, 3))
    features = draw(hnp.arrays(np.float64, (m, n), elements=_floats(bound)))
    return Problem(
        X=np.column_stack([np.ones(m), features]),
        y=draw(hnp.arrays(np.float64, (m,), elements=st.sampled_from([0.0, 1.0]))),
        theta=draw(hnp.arrays(np.float64, (n + 1,), elements=_floats(bound))),
    )


def _case(seed: int, *, m: int = 6, n: int = 2) -> dict[str, Any]:
    values: dict[str, Any] = ref.casos(np.random.default_rng(seed), m=m, n=n)
    return values


# --- sigmoide ----------------------------------------------------------------------------------------------


def test_sigmoide_values_and_no_overflow() -> None:
    z = np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0])
    expected = np.array([0.0, 1 / (1 + math.e), 0.5, 1 / (1 + math.exp(-1)), 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(ref.sigmoide(z), expected, rtol=1e-15, atol=0)


@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4), elements=_floats(50.0)))
def test_sigmoide_keeps_the_shape_and_is_symmetric(z: np.ndarray) -> None:
    g = ref.sigmoide(z)
    assert g.shape == z.shape
    assert np.all((g >= 0.0) & (g <= 1.0))
    np.testing.assert_allclose(g + ref.sigmoide(-z), 1.0, rtol=0, atol=1e-15)
    # Away from saturation it is the slides' formula.
    moderate = np.abs(z) < 30
    np.testing.assert_allclose(g[moderate], 1 / (1 + np.exp(-z[moderate])), rtol=1e-14)


# --- cost and gradient -------------------------------------------------------------------------------------


def test_cost_and_gradient_by_hand() -> None:
    X = np.array([[1.0, 2.0], [1.0, -1.0], [1.0, 0.0]])
    y = np.array([1.0, 0.0, 1.0])
    # With θ = 0 every h is ½: J = log 2, and the gradient is the mean of (½ − y)·x.
    assert ref.calcularCostoLogistico(X, y, np.zeros(2)) == pytest.approx(math.log(2), rel=1e-15)
    np.testing.assert_allclose(
        ref.calcularGradienteLogistico(X, y, np.zeros(2)), [-1 / 6, -1 / 2], rtol=1e-15
    )
    # θ = (0, 1): z = (2, −1, 0), so h = (σ(2), σ(−1), ½).
    h = 1 / (1 + np.exp(-np.array([2.0, -1.0, 0.0])))
    expected = -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h))
    assert ref.calcularCostoLogistico(X, y, np.array([0.0, 1.0])) == pytest.approx(expected, rel=1e-14)


@given(problems())
def test_cost_is_never_negative(problem: Problem) -> None:
    assert ref.calcularCostoLogistico(*problem) >= 0.0


@given(problems(bound=100.0))
def test_cost_stays_finite_when_the_hypothesis_saturates(problem: Problem) -> None:
    # Xθ up to ±4·10⁴: a plain np.log(1 - h) would be log(0) here.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.isfinite(ref.calcularCostoLogistico(*problem))


@settings(max_examples=200)
@given(problems())
def test_gradient_agrees_with_finite_differences_of_the_cost(problem: Problem) -> None:
    X, y, theta = problem
    eps = 1e-5
    numeric = np.zeros_like(theta)
    for j in range(theta.size):
        step = np.zeros_like(theta)
        step[j] = eps
        plus = ref.calcularCostoLogistico(X, y, theta + step)
        minus = ref.calcularCostoLogistico(X, y, theta - step)
        numeric[j] = (plus - minus) / (2 * eps)
    analytic = ref.calcularGradienteLogistico(X, y, theta)
    # Central differences err by about eps²·J''' (|J'''| ≤ ‖x‖³/10 for the cross-entropy) and by the
    # rounding of J divided by eps.
    scale = float(np.max(np.sum(X**2, axis=1))) ** 1.5
    cost = ref.calcularCostoLogistico(X, y, theta)
    tolerance = eps**2 * scale + 1e-15 * max(1.0, cost) / eps
    assert np.max(np.abs(analytic - numeric)) <= tolerance


@given(problems())
def test_vector_and_column_shapes_give_the_same_numbers(problem: Problem) -> None:
    X, y, theta = problem
    cost = ref.calcularCostoLogistico(X, y, theta)
    gradient = ref.calcularGradienteLogistico(X, y, theta)
    for y_shape in [y, y[:, np.newaxis]]:
        assert ref.calcularCostoLogistico(X, y_shape, theta) == cost
        assert ref.calcularCostoLogistico(X, y_shape, theta[:, np.newaxis]) == cost
        vector = ref.calcularGradienteLogistico(X, y_shape, theta)
        column = ref.calcularGradienteLogistico(X, y_shape, theta[:, np.newaxis])
        assert vector.shape == theta.shape
        assert column.shape == (theta.size, 1)
        np.testing.assert_array_equal(vector, gradient)
        np.testing.assert_array_equal(column.ravel(), gradient)


def test_mixed_shapes_do_not_broadcast_into_a_matrix() -> None:
    X = np.array([[1.0, -2.0], [1.0, 1.0], [1.0, 3.0]])
    theta = np.array([0.5, 1.0])
    y = np.array([0.0, 1.0, 1.0])
    flat = ref.calcularCostoLogistico(X, y, theta)
    # (m, 1) labels against a (m,) hypothesis would broadcast into an (m, m) matrix of costs.
    assert ref.calcularCostoLogistico(X, y[:, np.newaxis], theta) == flat
    np.testing.assert_array_equal(
        ref.calcularGradienteLogistico(X, y[:, np.newaxis], theta),
        ref.calcularGradienteLogistico(X, y, theta),
    )


# --- gradient descent --------------------------------------------------------------------------------------


def test_one_iteration_is_one_gradient_step() -> None:
    values = _case(1)
    X, y, theta = values["X"], values["y"][:, np.newaxis], values["theta"][:, np.newaxis]
    new_theta, historial = ref.descensoGradienteLogistico(X, y, theta, 0.5, 1)
    expected = theta - 0.5 * ref.calcularGradienteLogistico(X, y, theta)
    assert new_theta.shape == theta.shape
    np.testing.assert_array_equal(new_theta, expected)
    assert historial.shape == (1,)
    assert historial[0] == ref.calcularCostoLogistico(X, y, expected)


@settings(max_examples=100)
@given(problems(), st.integers(1, 15))
def test_descent_with_a_small_rate_never_increases_the_cost(problem: Problem, iteraciones: int) -> None:
    X, y, theta = problem
    # The gradient's Lipschitz constant is at most max ‖x‖² / 4 (≤ 7 here): any rate below 2/7 descends.
    alpha = 0.1
    start = ref.calcularCostoLogistico(X, y, theta)
    _, historial = ref.descensoGradienteLogistico(X, y, theta, alpha, iteraciones)
    costs = np.concatenate([[start], historial])
    assert np.all(np.diff(costs) <= 1e-12 * np.maximum(1.0, costs[:-1]))
    if np.linalg.norm(ref.calcularGradienteLogistico(X, y, theta)) > 1e-6:
        assert costs[-1] < start


def test_descent_with_no_iterations_and_a_negative_count() -> None:
    values = _case(2)
    theta, historial = ref.descensoGradienteLogistico(values["X"], values["y"], values["theta"], 0.1, 0)
    np.testing.assert_array_equal(theta, values["theta"])
    assert historial.shape == (0,)
    with pytest.raises(ValueError, match="non-negative"):
        ref.descensoGradienteLogistico(values["X"], values["y"], values["theta"], 0.1, -1)


def _learning_cases() -> tuple[Any, list[dict[str, Any]]]:
    """The rubric's learning check, and its cases made as the grader makes them."""
    (spec,) = [c for c in RUBRIC.task("descensoGradienteLogistico").checks if c.kind == "learns"]
    cases = [dict(extra_case(RUBRIC, sizes, index=i).values) for i, sizes in enumerate(spec.options["cases"])]
    return spec, cases


def test_the_reference_passes_the_rubrics_learning_check_with_room_to_spare() -> None:
    spec, cases = _learning_cases()
    for values in cases:
        theta, _ = ref.descensoGradienteLogistico(
            values["X"], values["y"], values["theta"], spec.options["rate"], spec.options["steps"]
        )
        right = np.mean(ref.predecir(values["X"], theta) == values["y"])
        assert right >= spec.options["accuracy"]
        # Half the iterations are enough: the check does not hang on the last few of them.
        theta, _ = ref.descensoGradienteLogistico(
            values["X"], values["y"], values["theta"], spec.options["rate"], spec.options["steps"] // 2
        )
        assert np.mean(ref.predecir(values["X"], theta) == values["y"]) >= spec.options["accuracy"]


# --- predecir ----------------------------------------------------------------------------------------------


@given(problems())
def test_predictions_are_the_side_of_the_decision_boundary(problem: Problem) -> None:
    X, _, theta = problem
    z = X @ theta
    p = ref.predecir(X, theta)
    assert p.shape == z.shape
    assert set(np.unique(p)) <= {0.0, 1.0}
    # Where z is not vanishingly small, h ≥ ½ exactly when z ≥ 0 (at |z| < 1e-16, σ(z) rounds to ½).
    clear = np.abs(z) > 1e-12
    np.testing.assert_array_equal(p[clear], (z[clear] >= 0).astype(np.float64))
    np.testing.assert_array_equal(ref.predecir(X, theta[:, np.newaxis]).ravel(), p)


def test_boundary_cases_straddle_the_boundary_and_never_sit_on_it() -> None:
    cases = ref.frontera()
    assert cases
    for values in cases:
        X, theta = values["X"], values["theta"]
        assert X.shape[1] == theta.size
        np.testing.assert_array_equal(X[:, 0], 1.0)
        z = X @ theta
        assert np.all(np.abs(z) <= 0.45 + 1e-12)
        assert np.all(np.abs(z) >= 0.005)
        p = ref.predecir(X, theta)
        np.testing.assert_array_equal(p, (z > 0).astype(np.float64))
        # Both labels, and positives below z = 0.5: a threshold on z instead of h shows.
        assert 0 < p.sum() < p.size
        assert np.any((z > 0) & (z < 0.5))


# --- cases -------------------------------------------------------------------------------------------------


@given(st.integers(0, 2**32 - 1), st.integers(2, 40), st.integers(1, 4))
def test_casos_layout(seed: int, m: int, n: int) -> None:
    values = ref.casos(np.random.default_rng(seed), m=m, n=n)
    X, y, theta, z = values["X"], values["y"], values["theta"], values["z"]
    assert X.shape == (m, n + 1) and y.shape == (m,) and theta.shape == (n + 1,) and z.shape == (m, n + 1)
    np.testing.assert_array_equal(X[:, 0], 1.0)
    assert set(np.unique(y)) == {0.0, 1.0}
    assert 0.0 in z
    # A cost written with plain logs stays finite from the starting theta.
    h = 1 / (1 + np.exp(-(X @ theta)))
    assert np.all((h > 1e-12) & (h < 1 - 1e-12))


@given(st.integers(0, 2**32 - 1), st.integers(9, 40), st.integers(1, 4), st.integers(1, 2))
def test_raw_features_are_far_from_centred_and_keep_every_rate_descending(
    seed: int, m: int, n: int, crudas: int
) -> None:
    values = ref.casos(np.random.default_rng(seed), m=m, n=n, crudas=crudas)
    X, y, theta = values["X"], values["y"], values["theta"]
    k = min(crudas, n)
    assert X.shape == (m, n + 1) and set(np.unique(y)) == {0.0, 1.0}
    # Far from centred: there the slopes' gradient depends on θ0, and updating θ0 first shows.
    assert np.all(X[:, 1 : k + 1].mean(axis=0) >= 0.5 - 1e-12)
    h = 1 / (1 + np.exp(-(X @ theta)))
    assert np.all((h > 1e-12) & (h < 1 - 1e-12))
    # The cost's curvature is at most λmax(XᵀX/m)/4: every rate the rubric uses (up to 1) descends.
    assert np.linalg.eigvalsh(X.T @ X / m)[-1] / 4 < 2.0
    for rate in (1.0, 0.37, 0.083):
        start = ref.calcularCostoLogistico(X, y, theta)
        _, historial = ref.descensoGradienteLogistico(X, y, theta, rate, 4)
        assert np.all(np.diff(np.concatenate([[start], historial])) < 0)


def test_cases_without_raw_features_are_the_cases_they_always_were() -> None:
    before = ref.casos(np.random.default_rng(4), m=12, n=3)
    after = ref.casos(np.random.default_rng(4), m=12, n=3, crudas=0)
    for name, value in before.items():
        np.testing.assert_array_equal(after[name], value)


@pytest.mark.parametrize("seed", range(10))
def test_updating_the_intercept_first_shows_plainly_on_raw_features(seed: int) -> None:
    (wrong,) = [
        f
        for f in variants_for(errores, "descensoGradienteLogistico")["non_simultaneous_update"]
        if f.__name__ == "descensoGradienteLogistico_intercept_first"
    ]
    values = ref.casos(np.random.default_rng(seed), m=30, n=2, crudas=2)
    for rate in (0.37, 0.083):
        args = (values["X"], values["y"], values["theta"], rate, 1)
        right, mistaken = ref.descensoGradienteLogistico(*args)[0], wrong(*args)[0]
        assert mistaken[0] == right[0]
        # Well beyond the step check's tolerance (rtol 1e-6, atol 1e-9), even at the smaller rate.
        assert np.max(np.abs(mistaken - right) / (1e-9 + 1e-6 * np.abs(right))) > 10


def _perceptron_separates(X: np.ndarray, y: np.ndarray, *, updates: int = 100_000) -> bool:
    """Whether a perceptron finds a hyperplane with every instance strictly on its label's side: it stops
    exactly when one does, and on separable data it always does (after at most (R/γ)² updates)."""
    signs = 2 * y - 1
    w = np.zeros(X.shape[1])
    for _ in range(updates):
        wrong = np.flatnonzero(signs * (X @ w) <= 0)
        if wrong.size == 0:
            return True
        w += signs[wrong[0]] * X[wrong[0]]
    return False


def test_the_learning_cases_are_linearly_separable() -> None:
    for values in _learning_cases()[1]:
        assert _perceptron_separates(values["X"], values["y"])


def test_no_input_is_mutated() -> None:
    values = _case(3)
    arrays = [values["X"], values["y"], values["theta"], values["z"]]
    originals = [a.copy() for a in arrays]
    # Read-only arrays make any in-place write raise instead of passing unnoticed.
    for a in arrays:
        a.setflags(write=False)
    ref.sigmoide(values["z"])
    ref.calcularCostoLogistico(values["X"], values["y"], values["theta"])
    ref.calcularGradienteLogistico(values["X"], values["y"], values["theta"])
    ref.descensoGradienteLogistico(values["X"], values["y"], values["theta"], 0.1, 3)
    ref.predecir(values["X"], values["theta"])
    for now, before in zip(arrays, originals, strict=True):
        np.testing.assert_array_equal(now, before)


# --- known mistakes ----------------------------------------------------------------------------------------


def _arguments(function: str, values: dict[str, Any]) -> tuple[Any, ...]:
    if function == "sigmoide":
        return (values["z"],)
    if function == "predecir":
        return values["X"], values["theta"]
    if function == "descensoGradienteLogistico":
        return values["X"], values["y"], values["theta"], 0.5, 3
    return values["X"], values["y"], values["theta"]


def _same(a: Any, b: Any) -> bool:
    """Equal up to rounding, tuples element by element, shapes required to agree."""
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (
            isinstance(a, tuple)
            and isinstance(b, tuple)
            and len(a) == len(b)
            and all(_same(x, z) for x, z in zip(a, b, strict=True))
        )
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-9, atol=1e-12))


def _wrong_versions() -> list[tuple[str, str, Callable[..., Any]]]:
    found = []
    for function in FUNCTIONS:
        for code, wrong in mistakes_for(errores, function).items():
            found.append((function, code, wrong))
        for code, more in variants_for(errores, function).items():
            found.extend((function, code, wrong) for wrong in more)
    return found


WRONG = _wrong_versions()


def test_every_function_has_known_mistakes() -> None:
    assert {function for function, _, _ in WRONG} == set(FUNCTIONS)


@pytest.mark.parametrize(("function", "code", "wrong"), WRONG, ids=lambda x: getattr(x, "__name__", x))
def test_each_mistake_takes_the_reference_signature(function: str, code: str, wrong: Any) -> None:
    expected = list(inspect.signature(getattr(ref, function)).parameters)
    actual = list(inspect.signature(wrong).parameters)
    # The grader calls a wrong version with the case's values in the reference's order.
    assert len(actual) == len(expected), (function, code)
    if getattr(wrong, VARIANT_ATTRIBUTE, None) is None:
        assert actual == expected, (function, code)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(("function", "code", "wrong"), WRONG, ids=lambda x: getattr(x, "__name__", x))
def test_each_mistake_really_differs_from_the_reference(
    function: str, code: str, wrong: Any, seed: int
) -> None:
    correct = getattr(ref, function)
    # Predictions differ from a threshold on z only close to the boundary: the boundary cases are for that.
    cases = ref.frontera() if function == "predecir" else [_case(seed)]
    for values in cases:
        args = _arguments(function, values)
        with np.errstate(all="ignore"):
            assert not _same(wrong(*args), correct(*args)), (function, code)


def test_every_new_code_has_a_hint_in_both_languages() -> None:
    codes = {code for found in named_mistakes(errores).values() for code in found}
    hints = errores.HINTS
    for code in codes:
        if f"diag.{code}" not in CATALOGUE:
            assert code in hints, code
    for code, texts in hints.items():
        assert set(texts) == {"es", "en"}, code
        assert all(text.strip() for text in texts.values()), code
    # Every hint is for a code the module uses: none is left over from a mistake removed since.
    assert set(hints) <= codes
