"""Classic wrong versions of the linreg workshop functions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from reference.linreg import FloatArray, calcularCosto, calcularGradiente, normalizar
from reference.mistakes import Scaling, variant

# Factors by which classic mistakes multiply the right result; for gradient descent, the factor applies
# to the change of theta in one iteration.
SCALINGS: Mapping[str, tuple[Scaling, ...]] = {
    "calcularCosto": (
        # 1/2 Σ r²: the 1/m is missing.
        Scaling(("missing_mean",), power=1),
        # 1/m Σ r²: the mean squared error, without the 1/2.
        Scaling(("wrong_cost_scale",), 2),
        # Σ r², as in the slides' worked table.
        Scaling(("wrong_cost_scale", "sum_of_squares"), 2, power=1),
        # 1/2*m * Σ r²: Python reads it as (1/2)·m, not 1/(2m).
        Scaling(("wrong_cost_scale",), 1, power=2),
    ),
    "calcularGradiente": (
        Scaling(("missing_mean",), power=1),
        Scaling(("wrong_sign",), -1),
        Scaling(("wrong_sign", "missing_mean"), -1, power=1),
    ),
    "descensoGradiente": (
        Scaling(("gradient_ascent",), -1),
        Scaling(("missing_mean",), power=1),
        Scaling(("gradient_ascent", "missing_mean"), -1, power=1),
    ),
}


def instances(values: Mapping[str, Any]) -> int:
    """m, the number of instances of a case: the rows of X."""
    return int(np.shape(values["X"])[0])


def _as_float(a: ArrayLike) -> FloatArray:
    return np.asarray(a, dtype=np.float64)


def _residuals(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> tuple[FloatArray, FloatArray]:
    # Same reshape as the reference: the mistakes below are about the formula, not about broadcasting.
    X = _as_float(X)
    prediction = X @ _as_float(theta)
    return X, prediction - _as_float(y).reshape(prediction.shape)


def calcularCosto__wrong_cost_scale(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> float:
    """1/m Σ (Xθ − y)²: the mean squared error, missing the ½."""
    X, r = _residuals(X, y, theta)
    return float(np.sum(r**2) / X.shape[0])


def calcularCosto__missing_mean(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> float:
    """½ Σ (Xθ − y)²: the ½ is there but the 1/m is not."""
    _, r = _residuals(X, y, theta)
    return float(np.sum(r**2) / 2.0)


def calcularCosto__sum_of_squares(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> float:
    """Σ (Xθ − y)² with no factor at all, as in the slides' worked table."""
    _, r = _residuals(X, y, theta)
    return float(np.sum(r**2))


def calcularGradiente__missing_mean(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> FloatArray:
    """Xᵀ(Xθ − y), without the 1/m."""
    X, r = _residuals(X, y, theta)
    return _as_float(X.T @ r).reshape(np.shape(theta))


def calcularGradiente__wrong_sign(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> FloatArray:
    """Xᵀ(y − Xθ)/m: the residual taken the other way round."""
    X, r = _residuals(X, y, theta)
    return _as_float(X.T @ -r / X.shape[0]).reshape(np.shape(theta))


def descensoGradiente__gradient_ascent(
    X: ArrayLike, y: ArrayLike, theta: ArrayLike, alpha: float, iteraciones: int
) -> tuple[FloatArray, FloatArray]:
    """theta += alpha · gradient, climbing the cost; historial holds the cost after each update."""
    current = _as_float(theta).copy()
    historial = np.empty(max(iteraciones, 0), dtype=np.float64)
    for i in range(iteraciones):
        current = current + alpha * calcularGradiente(X, y, current)
        historial[i] = calcularCosto(X, y, current)
    return current, historial


def descensoGradiente__non_simultaneous_update(
    X: ArrayLike, y: ArrayLike, theta: ArrayLike, alpha: float, iteraciones: int
) -> tuple[FloatArray, FloatArray]:
    """Updates theta_0, theta_1, … one at a time, each with a gradient that sees the already-updated ones."""
    current = _as_float(theta).copy()
    # A view on the private copy, so that component j can be updated whatever theta's shape.
    components = current.reshape(-1)
    historial = np.empty(max(iteraciones, 0), dtype=np.float64)
    for i in range(iteraciones):
        for j in range(components.size):
            components[j] -= alpha * calcularGradiente(X, y, current).reshape(-1)[j]
        historial[i] = calcularCosto(X, y, current)
    return current, historial


def normalizar__normalize_wrong_axis(
    X: ArrayLike, *, ddof: int = 0
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Standardises each instance (along axis=1) instead of each feature; mu and sigma have shape (m,)."""
    X = _as_float(X)
    mu = X.mean(axis=1)
    sigma = X.std(axis=1, ddof=ddof)
    sigma = np.where(sigma == 0.0, 1.0, sigma)
    return (X - mu[:, np.newaxis]) / sigma[:, np.newaxis], mu, sigma


def normalizar__missing_centering(
    X: ArrayLike, *, ddof: int = 0
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """X / sigma: scales each feature but forgets to subtract its mean (mu and sigma are still right)."""
    X = _as_float(X)
    _, mu, sigma = normalizar(X, ddof=ddof)
    return X / sigma, mu, sigma


# --- other ways of getting the functions wrong -------------------------------------------------------------


@variant("descensoGradiente", "non_simultaneous_update")
def descensoGradiente_intercept_first(
    X: ArrayLike, y: ArrayLike, theta: ArrayLike, alpha: float, iteraciones: int
) -> tuple[FloatArray, FloatArray]:
    """Updates theta_0 first, then every slope at once with a gradient that already sees the new theta_0.

    On centred features the slopes' gradient does not depend on theta_0, so this only shows on raw ones.
    """
    current = _as_float(theta).copy()
    components = current.reshape(-1)
    historial = np.empty(max(iteraciones, 0), dtype=np.float64)
    for i in range(iteraciones):
        components[0] -= alpha * calcularGradiente(X, y, current).reshape(-1)[0]
        components[1:] -= alpha * calcularGradiente(X, y, current).reshape(-1)[1:]
        historial[i] = calcularCosto(X, y, current)
    return current, historial


@variant("normalizar", "normalize_wrong_axis")
def normalizar_per_instance_sample_deviation(X: ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Standardises each instance with the sample deviation (ddof=1): the right deviation, the wrong axis."""
    X = _as_float(X)
    if X.shape[1] <= 1:
        raise ValueError("a sample deviation across a single feature is undefined")
    return normalizar__normalize_wrong_axis(X, ddof=1)


@variant("normalizar", "normalize_without_axis")
def normalizar_whole_array(X: ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray]:
    """One mean and one deviation for the whole array (no axis given), instead of one per feature."""
    X = _as_float(X)
    mu, sigma = X.mean(), X.std()
    sigma = sigma if sigma != 0.0 else 1.0
    return (X - mu) / sigma, np.asarray(mu), np.asarray(sigma)


@variant("normalizar", "normalize_without_axis")
def normalizar_whole_array_sample_deviation(X: ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray]:
    """As :func:`normalizar_whole_array`, with the sample deviation (ddof=1)."""
    X = _as_float(X)
    mu, sigma = X.mean(), X.std(ddof=1)
    sigma = sigma if sigma != 0.0 else 1.0
    return (X - mu) / sigma, np.asarray(mu), np.asarray(sigma)
