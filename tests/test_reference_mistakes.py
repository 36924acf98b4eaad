"""Tests for the catalogue of known mistakes: discovery, signatures, and that each mistake really shows."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import reference.linreg
import reference.xor
from reference.mistakes import mistakes_for

EXPECTED = {
    ("xor", "feedForward"): {"swapped_outputs", "missing_bias"},
    ("xor", "costoGlobal"): {"mse_instead_of_cross_entropy", "missing_mean", "missing_negative_sign"},
    ("xor", "backProp"): {"missing_activation_derivative", "missing_mean", "derivative_of_z"},
    ("xor", "entrenarRed"): {"gradient_ascent", "off_by_one_epochs", "stale_activations"},
    ("linreg", "calcularCosto"): {"wrong_cost_scale", "missing_mean", "sum_of_squares"},
    ("linreg", "calcularGradiente"): {"missing_mean", "wrong_sign"},
    ("linreg", "descensoGradiente"): {"gradient_ascent", "non_simultaneous_update"},
    ("linreg", "normalizar"): {"normalize_wrong_axis", "missing_centering"},
}

CASES = sorted((module, function, code) for (module, function), codes in EXPECTED.items() for code in codes)


def _xor_arguments(function: str, rng: np.random.Generator) -> tuple[Any, ...]:
    """Inputs in the columns convention on which every mistake shows: m = 5 instances, both labels."""
    X = rng.normal(size=(3, 5))
    y = np.array([[0.0, 1.0, 1.0, 0.0, 1.0]])
    w1, b1 = rng.normal(size=(4, 3)), rng.normal(size=(4, 1))
    w2, b2 = rng.normal(size=(1, 4)), rng.normal(size=(1, 1))
    a1, a2 = reference.xor.feedForward(X, w1, w2, b1, b2)
    if function == "feedForward":
        return X, w1, w2, b1, b2
    if function == "costoGlobal":
        return rng.uniform(0.05, 0.95, size=(1, 5)), y
    if function == "backProp":
        return X, y, w1, w2, b1, b2, a2, a1
    return 5, 0.5, X, y, w1, b1, w2, b2, a1, a2


def _linreg_arguments(function: str, rng: np.random.Generator) -> tuple[Any, ...]:
    """m = 6 instances, 2 features on different scales plus the ones column, theta (3,)."""
    features = np.column_stack([rng.normal(10.0, 3.0, 6), rng.normal(-2.0, 0.5, 6)])
    X = np.column_stack([np.ones(6), features])
    y = rng.normal(size=6)
    theta = rng.normal(size=3)
    if function == "normalizar":
        return (features,)
    if function == "descensoGradiente":
        return X, y, theta, 0.01, 3
    return X, y, theta


def _arguments(module: str, function: str, seed: int) -> tuple[Any, ...]:
    rng = np.random.default_rng(seed)
    return _xor_arguments(function, rng) if module == "xor" else _linreg_arguments(function, rng)


def _correct(module: str, function: str) -> Callable[..., Any]:
    correct: Callable[..., Any] = getattr(getattr(reference, module), function)
    return correct


def _same(a: Any, b: Any) -> bool:
    """Equal up to rounding, with tuples compared element by element and shapes required to agree."""
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (
            isinstance(a, tuple)
            and isinstance(b, tuple)
            and len(a) == len(b)
            and all(_same(x, z) for x, z in zip(a, b, strict=True))
        )
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-9, atol=1e-12))


@pytest.mark.parametrize(("module", "function"), sorted(EXPECTED))
def test_mistakes_for_finds_every_mistake_and_nothing_else(module: str, function: str) -> None:
    found = mistakes_for(module, function)
    assert set(found) == EXPECTED[(module, function)]
    for code, wrong in found.items():
        assert wrong.__name__ == f"{function}__{code}"


def test_mistakes_for_an_unknown_function_or_module() -> None:
    assert mistakes_for("xor", "sigmoid") == {}
    assert mistakes_for("xor", "feedForward_") == {}
    with pytest.raises(ModuleNotFoundError):
        mistakes_for("logreg", "calcularCosto")
    with pytest.raises(ValueError, match="module name"):
        mistakes_for("..xor", "feedForward")


@pytest.mark.parametrize(("module", "function", "code"), CASES)
def test_mistake_has_the_signature_of_the_correct_function(module: str, function: str, code: str) -> None:
    wrong = mistakes_for(module, function)[code]
    expected = inspect.signature(_correct(module, function)).parameters.values()
    actual = inspect.signature(wrong).parameters.values()
    assert [(p.name, p.kind, p.default) for p in actual] == [(p.name, p.kind, p.default) for p in expected]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(("module", "function", "code"), CASES)
def test_mistake_differs_from_the_correct_function(module: str, function: str, code: str, seed: int) -> None:
    arguments = _arguments(module, function, seed)
    originals = [np.array(a, copy=True) for a in arguments]
    for a in arguments:
        if isinstance(a, np.ndarray):
            a.setflags(write=False)
    wrong = mistakes_for(module, function)[code](*arguments)
    correct = _correct(module, function)(*arguments)
    assert not _same(wrong, correct)
    for now, before in zip(arguments, originals, strict=True):
        np.testing.assert_array_equal(now, before)


def test_mistake_outputs_relate_to_the_correct_ones_as_described() -> None:
    """Where a mistake is a simple transformation of the right answer, check exactly that one."""
    X, w1, w2, b1, b2 = _arguments("xor", "feedForward", 0)
    a1, a2 = reference.xor.feedForward(X, w1, w2, b1, b2)
    assert _same(mistakes_for("xor", "feedForward")["swapped_outputs"](X, w1, w2, b1, b2), (a2, a1))
    no_bias = reference.xor.feedForward(X, w1, w2, np.zeros_like(b1), np.zeros_like(b2))
    assert _same(mistakes_for("xor", "feedForward")["missing_bias"](X, w1, w2, b1, b2), no_bias)

    y_est, y = _arguments("xor", "costoGlobal", 0)
    cost = reference.xor.costoGlobal(y_est, y)
    assert mistakes_for("xor", "costoGlobal")["missing_mean"](y_est, y) == pytest.approx(5 * cost)
    assert mistakes_for("xor", "costoGlobal")["missing_negative_sign"](y_est, y) == -cost

    backprop_args = _arguments("xor", "backProp", 0)
    summed = mistakes_for("xor", "backProp")["missing_mean"](*backprop_args)
    assert _same(summed, tuple(5 * g for g in reference.xor.backProp(*backprop_args)))

    epocas, lr, *rest = _arguments("xor", "entrenarRed", 0)
    short = mistakes_for("xor", "entrenarRed")["off_by_one_epochs"](epocas, lr, *rest)
    assert _same(short, reference.xor.entrenarRed(epocas - 1, lr, *rest))

    X, y, theta = _arguments("linreg", "calcularCosto", 0)
    cost = reference.linreg.calcularCosto(X, y, theta)
    costs = mistakes_for("linreg", "calcularCosto")
    assert costs["wrong_cost_scale"](X, y, theta) == pytest.approx(2 * cost)
    assert costs["missing_mean"](X, y, theta) == pytest.approx(6 * cost)
    assert costs["sum_of_squares"](X, y, theta) == pytest.approx(12 * cost)
    gradient = reference.linreg.calcularGradiente(X, y, theta)
    gradients = mistakes_for("linreg", "calcularGradiente")
    np.testing.assert_allclose(gradients["missing_mean"](X, y, theta), 6 * gradient)
    np.testing.assert_allclose(gradients["wrong_sign"](X, y, theta), -gradient)

    (features,) = _arguments("linreg", "normalizar", 0)
    X_norm, mu, sigma = mistakes_for("linreg", "normalizar")["normalize_wrong_axis"](features)
    transposed = reference.linreg.normalizar(features.T)
    assert _same((X_norm, mu, sigma), (transposed[0].T, transposed[1], transposed[2]))
    _, mu, sigma = reference.linreg.normalizar(features)
    assert _same(
        mistakes_for("linreg", "normalizar")["missing_centering"](features), (features / sigma, mu, sigma)
    )


def test_non_simultaneous_update_uses_the_updated_components() -> None:
    X, y, theta, alpha, _ = _arguments("linreg", "descensoGradiente", 0)
    wrong_theta, historial = mistakes_for("linreg", "descensoGradiente")["non_simultaneous_update"](
        X, y, theta, alpha, 1
    )
    right_theta, _ = reference.linreg.descensoGradiente(X, y, theta, alpha, 1)
    # theta_0 is updated first, from the untouched theta, so it agrees; theta_1 already sees the new theta_0.
    assert wrong_theta[0] == right_theta[0]
    partly_updated = np.array([wrong_theta[0], theta[1], theta[2]])
    expected_1 = theta[1] - alpha * reference.linreg.calcularGradiente(X, y, partly_updated)[1]
    assert wrong_theta[1] == pytest.approx(expected_1, rel=1e-14)
    assert wrong_theta[1] != right_theta[1]
    assert historial[0] == reference.linreg.calcularCosto(X, y, wrong_theta)


def test_stale_activations_needs_the_initial_activations() -> None:
    epocas, lr, X, y, w1, b1, w2, b2, _, _ = _arguments("xor", "entrenarRed", 0)
    with pytest.raises(ValueError, match="activations"):
        mistakes_for("xor", "entrenarRed")["stale_activations"](epocas, lr, X, y, w1, b1, w2, b2, None, None)
