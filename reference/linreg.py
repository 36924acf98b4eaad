"""Reference linear regression of the linreg workshop: cost, gradient, gradient descent, normalisation.

X is (m, n) with a leading column of ones (except in :func:`normalizar`, which takes the raw features),
theta is (n,) or (n, 1) and y is (m,) or (m, 1). Results keep theta's shape and no input is mutated.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]


def _as_float(a: ArrayLike) -> FloatArray:
    return np.asarray(a, dtype=np.float64)


def _residuals(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """(X, Xθ − y), with y reshaped to the prediction's shape.

    The reshape matters: a (m,) y against a (m, 1) prediction (or the reverse) would broadcast into an
    (m, m) matrix and give a plausible-looking but wrong number instead of an error.
    """
    X = _as_float(X)
    prediction = X @ _as_float(theta)
    return X, prediction - _as_float(y).reshape(prediction.shape)


def calcularCosto(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> float:
    """J(θ) = 1/(2m) Σ (Xθ − y)²."""
    X, r = _residuals(X, y, theta)
    m = X.shape[0]
    return float(np.sum(r**2) / (2.0 * m))


def calcularGradiente(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> FloatArray:
    """∂J/∂θ = 1/m Xᵀ(Xθ − y), shaped like theta."""
    X, r = _residuals(X, y, theta)
    m = X.shape[0]
    return _as_float(X.T @ r / m).reshape(np.shape(theta))


def descensoGradiente(
    X: ArrayLike, y: ArrayLike, theta: ArrayLike, alpha: float, iteraciones: int
) -> tuple[FloatArray, FloatArray]:
    """Batch gradient descent with simultaneous updates; returns (theta, historial).

    ``historial[i]`` is the cost after update i, so ``historial[-1]`` is the cost of the returned theta.
    """
    if iteraciones < 0:
        raise ValueError(f"iteraciones must be non-negative, got {iteraciones}")
    current = _as_float(theta).copy()
    historial = np.empty(iteraciones, dtype=np.float64)
    for i in range(iteraciones):
        current = current - alpha * calcularGradiente(X, y, current)
        historial[i] = calcularCosto(X, y, current)
    return current, historial


def normalizar(X: ArrayLike, *, ddof: int = 0) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per-feature standardisation down the columns: (X_norm, mu, sigma), mu and sigma of shape (n,).

    A constant column has sigma 0; it is divided by 1 instead (so it becomes all zeros), and the returned
    sigma holds that 1, so that ``(X - mu) / sigma`` reproduces ``X_norm`` for new data too.
    """
    X = _as_float(X)
    if X.shape[0] <= ddof:
        raise ValueError(f"need more than ddof={ddof} instances to estimate a deviation, got {X.shape[0]}")
    mu = X.mean(axis=0)
    sigma = X.std(axis=0, ddof=ddof)
    sigma = np.where(sigma == 0.0, 1.0, sigma)
    return (X - mu) / sigma, mu, sigma


def least_squares(X: ArrayLike, y: ArrayLike) -> FloatArray:
    """The least-squares theta: (n,) when y is (m,), (n, 1) when y is (m, 1)."""
    theta, *_ = np.linalg.lstsq(_as_float(X), _as_float(y), rcond=None)
    return _as_float(theta)
