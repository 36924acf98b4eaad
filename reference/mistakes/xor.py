"""Classic wrong versions of the XOR workshop functions, in the slides' columns convention."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from reference.xor import CLIP, FloatArray, backProp, costoGlobal, feedForward, sigmoid


def _as_float(a: ArrayLike) -> FloatArray:
    return np.asarray(a, dtype=np.float64)


def feedForward__swapped_outputs(
    X: ArrayLike, w1: ArrayLike, w2: ArrayLike, b1: ArrayLike, b2: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Returns (a2, a1) instead of (a1, a2)."""
    a1, a2 = feedForward(X, w1, w2, b1, b2)
    return a2, a1


def feedForward__missing_bias(
    X: ArrayLike, w1: ArrayLike, w2: ArrayLike, b1: ArrayLike, b2: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Ignores b1 and b2: a1 = σ(w1 X), a2 = σ(w2 a1)."""
    a1 = sigmoid(_as_float(w1) @ _as_float(X))
    a2 = sigmoid(_as_float(w2) @ a1)
    return a1, a2


def _cross_entropy_terms(y_est: ArrayLike, y: ArrayLike) -> FloatArray:
    p = np.clip(_as_float(y_est).ravel(), CLIP, 1.0 - CLIP)
    t = _as_float(y).ravel()
    return -(t * np.log(p) + (1.0 - t) * np.log(1.0 - p))


def costoGlobal__mse_instead_of_cross_entropy(y_est: ArrayLike, y: ArrayLike) -> float:
    """Mean squared error, the linreg cost, instead of the cross-entropy."""
    return float(np.mean((_as_float(y_est).ravel() - _as_float(y).ravel()) ** 2))


def costoGlobal__missing_mean(y_est: ArrayLike, y: ArrayLike) -> float:
    """Sums the cross-entropy over the instances instead of averaging it."""
    return float(np.sum(_cross_entropy_terms(y_est, y)))


def costoGlobal__missing_negative_sign(y_est: ArrayLike, y: ArrayLike) -> float:
    """Averages y log p + (1 − y) log(1 − p) without the leading minus, so the cost is negative."""
    return -costoGlobal(y_est, y)


def _backward(
    X: ArrayLike,
    y: ArrayLike,
    w2: ArrayLike,
    a2: ArrayLike,
    a1: ArrayLike,
    hidden_derivative: FloatArray,
    *,
    divide_by_m: bool,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """The backward pass with the hidden layer's σ' and the 1/m factor left to the caller's mistake."""
    X = _as_float(X)
    a1 = _as_float(a1)
    a2 = _as_float(a2)
    scale = X.shape[1] if divide_by_m else 1
    dz2 = a2 - _as_float(y).reshape(a2.shape)
    dw2 = dz2 @ a1.T / scale
    db2 = np.sum(dz2, axis=1, keepdims=True) / scale
    dz1 = (_as_float(w2).T @ dz2) * hidden_derivative
    dw1 = dz1 @ X.T / scale
    db1 = np.sum(dz1, axis=1, keepdims=True) / scale
    return dw1, db1, dw2, db2


def backProp__missing_activation_derivative(
    X: ArrayLike,
    y: ArrayLike,
    w1: ArrayLike,
    w2: ArrayLike,
    b1: ArrayLike,
    b2: ArrayLike,
    a2: ArrayLike,
    a1: ArrayLike,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """dz1 = w2ᵀ dz2, forgetting the factor a1(1 − a1) of the hidden sigmoid."""
    return _backward(X, y, w2, a2, a1, np.ones_like(_as_float(a1)), divide_by_m=True)


def backProp__missing_mean(
    X: ArrayLike,
    y: ArrayLike,
    w1: ArrayLike,
    w2: ArrayLike,
    b1: ArrayLike,
    b2: ArrayLike,
    a2: ArrayLike,
    a1: ArrayLike,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Gradients of the summed cost: nothing is divided by m."""
    h1 = _as_float(a1)
    return _backward(X, y, w2, a2, a1, h1 * (1.0 - h1), divide_by_m=False)


def backProp__derivative_of_z(
    X: ArrayLike,
    y: ArrayLike,
    w1: ArrayLike,
    w2: ArrayLike,
    b1: ArrayLike,
    b2: ArrayLike,
    a2: ArrayLike,
    a1: ArrayLike,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Applies σ'(z) = a(1 − a) to z1 = w1 X + b1 itself, i.e. uses z1(1 − z1) instead of a1(1 − a1)."""
    z1 = _as_float(w1) @ _as_float(X) + _as_float(b1)
    return _backward(X, y, w2, a2, a1, z1 * (1.0 - z1), divide_by_m=True)


def _train(
    epocas: int,
    lr: float,
    X: ArrayLike,
    y: ArrayLike,
    params: tuple[ArrayLike, ArrayLike, ArrayLike, ArrayLike],
    *,
    step_sign: float,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Full-batch training loop whose update is params + step_sign · lr · gradient."""
    w1, b1, w2, b2 = (_as_float(p).copy() for p in params)
    costs = np.empty(max(epocas, 0), dtype=np.float64)
    for epoch in range(epocas):
        h1, h2 = feedForward(X, w1, w2, b1, b2)
        costs[epoch] = costoGlobal(h2, y)
        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, h2, h1)
        step = step_sign * lr
        w1, b1, w2, b2 = w1 + step * dw1, b1 + step * db1, w2 + step * dw2, b2 + step * db2
    return w1, b1, w2, b2, costs


def entrenarRed__gradient_ascent(
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
    """Adds the gradient (params += lr · grad), climbing the cost instead of descending it."""
    return _train(epocas, lr, X, y, (w1, b1, w2, b2), step_sign=1.0)


def entrenarRed__off_by_one_epochs(
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
    """Runs epocas − 1 epochs (e.g. ``range(1, epocas)``); the cost history is one entry short too."""
    return _train(epocas - 1, lr, X, y, (w1, b1, w2, b2), step_sign=-1.0)


def entrenarRed__stale_activations(
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
    """Never reruns feedForward: every epoch back-propagates the a1, a2 it was given.

    The recorded cost is therefore the same at every epoch. Without given activations the student's loop
    could not run at all, so this raises ``ValueError``.
    """
    if a1 is None or a2 is None:
        raise ValueError("this mistake needs the initial activations a1 and a2")
    h1, h2 = _as_float(a1), _as_float(a2)
    w1_, b1_, w2_, b2_ = (_as_float(p).copy() for p in (w1, b1, w2, b2))
    costs = np.full(max(epocas, 0), costoGlobal(h2, y), dtype=np.float64)
    for _ in range(epocas):
        dw1, db1, dw2, db2 = backProp(X, y, w1_, w2_, b1_, b2_, h2, h1)
        w1_, b1_, w2_, b2_ = w1_ - lr * dw1, b1_ - lr * db1, w2_ - lr * dw2, b2_ - lr * db2
    return w1_, b1_, w2_, b2_, costs
