"""Reference two-layer sigmoid network of the XOR workshop, in the slides' convention (instances are columns).

Shapes: X (n_inputs, m), w1 (n_hidden, n_inputs), b1 (n_hidden, 1), w2 (1, n_hidden), b2 (1, 1),
a1 (n_hidden, m), a2 (1, m), y (1, m). Every function works on float64 copies and never mutates its inputs.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

# Predictions are clipped into [CLIP, 1 - CLIP] before taking logs. In float64 a sigmoid saturates to
# exactly 0.0 or 1.0 once |z| exceeds about 37, and a single saturated instance would then make the cost
# infinite (or nan, from 0 * log 0). With the clip, each instance contributes at most -log(1e-12) ≈ 27.6.
CLIP = 1e-12


def _as_float(a: ArrayLike) -> FloatArray:
    return np.asarray(a, dtype=np.float64)


def sigmoid(z: ArrayLike) -> FloatArray:
    """The logistic function 1 / (1 + e^(-z)), elementwise."""
    z = _as_float(z)
    # Evaluating e^(-|z|) only keeps the exponential below 1, so large |z| neither overflows nor warns.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def feedForward(
    X: ArrayLike, w1: ArrayLike, w2: ArrayLike, b1: ArrayLike, b2: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Forward pass: a1 = σ(w1 X + b1) (n_hidden, m) and a2 = σ(w2 a1 + b2) (1, m)."""
    a1 = sigmoid(_as_float(w1) @ _as_float(X) + _as_float(b1))
    a2 = sigmoid(_as_float(w2) @ a1 + _as_float(b2))
    return a1, a2


def costoGlobal(y_est: ArrayLike, y: ArrayLike) -> float:
    """Binary cross-entropy averaged over the instances.

    Both arguments are flattened, so any two shapes holding the same number of elements are accepted.
    """
    p = _as_float(y_est).ravel()
    t = _as_float(y).ravel()
    if p.size != t.size:
        raise ValueError(f"y_est has {p.size} elements but y has {t.size}")
    if p.size == 0:
        raise ValueError("the cost of zero instances is undefined")
    p = np.clip(p, CLIP, 1.0 - CLIP)
    return float(-np.mean(t * np.log(p) + (1.0 - t) * np.log(1.0 - p)))


def backProp(
    X: ArrayLike,
    y: ArrayLike,
    w1: ArrayLike,
    w2: ArrayLike,
    b1: ArrayLike,
    b2: ArrayLike,
    a2: ArrayLike,
    a1: ArrayLike,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Gradients (dw1, db1, dw2, db2) of the mean cross-entropy, each shaped like its parameter."""
    X = _as_float(X)
    a1 = _as_float(a1)
    a2 = _as_float(a2)
    w2 = _as_float(w2)
    m = X.shape[1]
    # y is reshaped to a2's shape first: a (m, 1) target against a (1, m) prediction would otherwise
    # broadcast into an (m, m) matrix and silently give wrong gradients.
    dz2 = a2 - _as_float(y).reshape(a2.shape)
    dw2 = dz2 @ a1.T / m
    db2 = np.sum(dz2, axis=1, keepdims=True) / m
    dz1 = (w2.T @ dz2) * a1 * (1.0 - a1)
    dw1 = dz1 @ X.T / m
    db1 = np.sum(dz1, axis=1, keepdims=True) / m
    return (
        dw1.reshape(np.shape(w1)),
        db1.reshape(np.shape(b1)),
        dw2.reshape(w2.shape),
        db2.reshape(np.shape(b2)),
    )


def entrenarRed(
    epocas: int,
    lr: float,
    X: ArrayLike,
    y: ArrayLike,
    w1: ArrayLike,
    b1: ArrayLike,
    w2: ArrayLike,
    b2: ArrayLike,
    a1: ArrayLike | None,
    a2: ArrayLike | None,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Full-batch gradient descent for ``epocas`` epochs; returns (w1, b1, w2, b2, costs).

    ``costs[i]`` is the cost of the parameters at the start of epoch i (before its update). ``a1`` and
    ``a2`` are accepted because the slides' signature has them; every epoch recomputes them.
    """
    if epocas < 0:
        raise ValueError(f"epocas must be non-negative, got {epocas}")
    X = _as_float(X)
    y = _as_float(y)
    w1, b1, w2, b2 = (_as_float(p).copy() for p in (w1, b1, w2, b2))
    costs = np.empty(epocas, dtype=np.float64)
    for epoch in range(epocas):
        h1, h2 = feedForward(X, w1, w2, b1, b2)
        costs[epoch] = costoGlobal(h2, y)
        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, h2, h1)
        w1, b1, w2, b2 = w1 - lr * dw1, b1 - lr * db1, w2 - lr * dw2, b2 - lr * db2
    return w1, b1, w2, b2, costs


def cost_of_params(
    X: ArrayLike, y: ArrayLike, w1: ArrayLike, b1: ArrayLike, w2: ArrayLike, b2: ArrayLike
) -> float:
    """The mean cross-entropy of the network with these parameters on (X, y)."""
    _, a2 = feedForward(X, w1, w2, b1, b2)
    return costoGlobal(a2, y)


def numerical_gradients(
    X: ArrayLike,
    y: ArrayLike,
    w1: ArrayLike,
    b1: ArrayLike,
    w2: ArrayLike,
    b2: ArrayLike,
    *,
    eps: float = 1e-6,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Central finite differences of :func:`cost_of_params`, one element at a time: (dw1, db1, dw2, db2)."""
    params = [_as_float(p).copy() for p in (w1, b1, w2, b2)]
    grads = [np.zeros_like(p) for p in params]
    for param, grad in zip(params, grads, strict=True):
        for index in np.ndindex(param.shape):
            original = param[index]
            param[index] = original + eps
            plus = cost_of_params(X, y, *params)
            param[index] = original - eps
            minus = cost_of_params(X, y, *params)
            param[index] = original
            grad[index] = (plus - minus) / (2.0 * eps)
    return grads[0], grads[1], grads[2], grads[3]
