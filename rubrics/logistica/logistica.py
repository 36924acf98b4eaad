"""Reference logistic regression of the logistica workshop: sigmoid, cross-entropy cost and its gradient,
gradient descent and 0/1 prediction, with the slides' names.

X is (m, n+1) with a leading column of ones, theta is (n+1,) or (n+1, 1) and y is (m,) or (m, 1) holding
0/1 labels. Results keep theta's shape (predictions keep the shape of Xθ) and no input is mutated.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]


def _as_float(a: ArrayLike) -> FloatArray:
    return np.asarray(a, dtype=np.float64)


def sigmoide(z: ArrayLike) -> FloatArray:
    """The logistic function 1 / (1 + e^(-z)), elementwise, with z's shape."""
    z = _as_float(z)
    # Evaluating e^(-|z|) only keeps the exponential below 1, so large |z| neither overflows nor warns.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _hipotesis(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(X, z = Xθ, y reshaped to z's shape).

    The reshape matters: a (m,) y against a (m, 1) hypothesis (or the reverse) would broadcast into an
    (m, m) matrix and give a plausible-looking but wrong number instead of an error.
    """
    X = _as_float(X)
    z = X @ _as_float(theta)
    return X, z, _as_float(y).reshape(z.shape)


def calcularCostoLogistico(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> float:
    """J(θ) = −1/m Σ [y log h + (1 − y) log(1 − h)], with h = σ(Xθ): the binary cross-entropy."""
    X, z, t = _hipotesis(X, y, theta)
    m = X.shape[0]
    # log h = −log(1 + e^(−z)) and log(1 − h) = −log(1 + e^z), computed without forming h: the cost stays
    # finite and exact where h rounds to 0 or 1, so it is the true function the gradient is the slope of.
    return float(np.sum(t * np.logaddexp(0.0, -z) + (1.0 - t) * np.logaddexp(0.0, z)) / m)


def calcularGradienteLogistico(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> FloatArray:
    """∂J/∂θ = 1/m Xᵀ(σ(Xθ) − y), shaped like theta: the linreg gradient with h = σ(Xθ) for Xθ."""
    X, z, t = _hipotesis(X, y, theta)
    m = X.shape[0]
    return _as_float(X.T @ (sigmoide(z) - t) / m).reshape(np.shape(theta))


def descensoGradienteLogistico(
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
        current = current - alpha * calcularGradienteLogistico(X, y, current)
        historial[i] = calcularCostoLogistico(X, y, current)
    return current, historial


def predecir(X: ArrayLike, theta: ArrayLike) -> FloatArray:
    """Labels 1.0 where h = σ(Xθ) ≥ 0.5 and 0.0 elsewhere, shaped like Xθ."""
    h = sigmoide(_as_float(X) @ _as_float(theta))
    return (h >= 0.5).astype(np.float64)


# --- cases -------------------------------------------------------------------------------------------


def casos(
    rng: np.random.Generator, *, m: int, n: int, ruido: float = 0.25, crudas: int = 0
) -> dict[str, Any]:
    """A classification problem with n standardised features: X (m, n+1) with a column of ones, 0/1
    labels y (m,), a starting theta (n+1,) and a matrix z (m, n+1) for the sigmoid.

    The labels come from a random hyperplane; ``ruido`` is the spread of the noise added to Xθ before
    thresholding, so that a few instances close to the boundary land on the other side (linearly
    separable with ``ruido = 0``). Both labels always occur. The starting theta is small, so that no
    hypothesis is saturated and a cost written with a plain ``np.log`` stays finite.

    With ``crudas``, the first min(crudas, n) features are raw instead: a mean between 0.5 and 1 and a
    deviation between 0.6 and 1 (exactly, in the sample), far from centred. On features centred around 0
    the slopes' gradient barely depends on θ0, so updating θ0 before the slopes (a non-simultaneous update)
    would hardly show. They stay modest: the largest eigenvalue of XᵀX/(4m), which bounds the cost's
    curvature, stays near 1.
    """
    features = rng.normal(size=(m, n))
    k = min(crudas, n)
    if k:
        # Drawn only for such cases: the other cases stay what they always were.
        raw = features[:, :k]
        spread = np.where(raw.std(axis=0) > 0, raw.std(axis=0), 1.0)
        standard = (raw - raw.mean(axis=0)) / spread
        features[:, :k] = rng.uniform(0.5, 1.0, size=k) + rng.uniform(0.6, 1.0, size=k) * standard
    X = np.hstack([np.ones((m, 1)), features])
    true_theta = np.concatenate([rng.normal(0.0, 0.5, size=1), rng.normal(0.0, 2.0, size=n)])
    scores = X @ true_theta + rng.normal(0.0, ruido, size=m)
    y = (scores > 0).astype(np.float64)
    if y.min() == y.max():
        # One class only (a hyperplane far from the data): the extremes take the two labels.
        y[np.argmin(scores)], y[np.argmax(scores)] = 0.0, 1.0
    theta = rng.normal(0.0, 0.5, size=n + 1)
    # Both signs, moderate sizes, and an exact 0 (σ(0) = ½): every way of writing σ agrees on these.
    z = rng.uniform(-8.0, 8.0, size=(m, n + 1))
    z.flat[0] = 0.0
    return {"X": X, "y": y, "theta": theta, "z": z}


def frontera() -> list[dict[str, Any]]:
    """Instances close to the decision boundary θᵀx = 0, on both sides, each case with its X and theta.

    Every Xθ lies between −0.45 and 0.45, and none is 0: right at the boundary h is exactly ½, and the
    slides do not say whether ½ is a 1 (``h >= 0.5``) or a 0 (``h > 0.5``, ``np.round(h)``), so no
    instance asks. Close to it, the threshold must be where h = ½, that is Xθ = 0, and not elsewhere
    (such as Xθ = 0.5).
    """
    # The line x1 + x2 = 3, which a student can draw: pairs of points 0.01 to 0.4 away on each side.
    puntos = [
        [1.0, 1.9], [1.0, 2.05], [2.0, 0.8], [2.0, 1.2], [0.5, 2.45],
        [0.5, 2.6], [2.9, 0.0], [3.0, 0.4], [1.5, 1.49], [1.5, 1.51],
    ]  # fmt: skip
    linea = {"X": np.column_stack([np.ones(len(puntos)), puntos]), "theta": np.array([-3.0, 1.0, 1.0])}
    # A plane in three features: random points moved along its normal to chosen distances Xθ.
    theta = np.array([1.0, 2.0, -1.0, 0.5])
    normal = theta[1:]
    base = np.random.default_rng(20241001).normal(size=(8, 3))
    objetivo = np.array([-0.45, -0.2, -0.05, -0.01, 0.01, 0.05, 0.2, 0.45])
    desplazamiento = (objetivo - theta[0] - base @ normal) / (normal @ normal)
    features = base + desplazamiento[:, np.newaxis] * normal
    plano = {"X": np.column_stack([np.ones(len(features)), features]), "theta": theta}
    return [linea, plano]
