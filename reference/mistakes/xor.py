"""Classic wrong versions of the XOR workshop functions, in the slides' columns convention."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from reference.mistakes import Scaling, variant
from reference.xor import CLIP, FloatArray, backProp, costoGlobal, feedForward, sigmoid

# Factors by which classic mistakes multiply the right result; for the training loop, the factor applies
# to the change of the parameters in one epoch.
SCALINGS: Mapping[str, tuple[Scaling, ...]] = {
    "costoGlobal": (
        Scaling(("missing_mean",), power=1),
        Scaling(("missing_negative_sign",), -1),
        Scaling(("missing_negative_sign", "missing_mean"), -1, power=1),
    ),
    "backProp": (
        Scaling(("missing_mean",), power=1),
        Scaling(("wrong_sign",), -1),
        Scaling(("wrong_sign", "missing_mean"), -1, power=1),
    ),
    "entrenarRed": (
        Scaling(("gradient_ascent",), -1),
        Scaling(("missing_mean",), power=1),
        Scaling(("gradient_ascent", "missing_mean"), -1, power=1),
    ),
}


def instances(values: Mapping[str, Any]) -> int:
    """m, the number of instances of a case: the columns of X in the slides' convention."""
    return int(np.shape(values["X"])[1])


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


def _output_error(y: ArrayLike, a2: ArrayLike) -> FloatArray:
    """dz2 = a2 − y, the output layer's error for the cross-entropy cost."""
    out = _as_float(a2)
    return out - _as_float(y).reshape(out.shape)


def _backward(
    X: ArrayLike,
    dz2: FloatArray,
    w2: ArrayLike,
    a1: ArrayLike,
    hidden_derivative: FloatArray,
    *,
    divide_by_m: bool,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """The backward pass from the output error, with the hidden layer's σ' and the 1/m factor left to the
    caller's mistake."""
    X = _as_float(X)
    a1 = _as_float(a1)
    scale = X.shape[1] if divide_by_m else 1
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
    return _backward(X, _output_error(y, a2), w2, a1, np.ones_like(_as_float(a1)), divide_by_m=True)


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
    return _backward(X, _output_error(y, a2), w2, a1, h1 * (1.0 - h1), divide_by_m=False)


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
    return _backward(X, _output_error(y, a2), w2, a1, z1 * (1.0 - z1), divide_by_m=True)


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


# --- other ways of getting the functions wrong -------------------------------------------------------------


@variant("feedForward", "missing_bias")
def feedForward_without_hidden_bias(
    X: ArrayLike, w1: ArrayLike, w2: ArrayLike, b1: ArrayLike, b2: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Adds b2 but not b1."""
    return feedForward(X, w1, w2, np.zeros_like(_as_float(b1)), b2)


@variant("feedForward", "missing_bias")
def feedForward_without_output_bias(
    X: ArrayLike, w1: ArrayLike, w2: ArrayLike, b1: ArrayLike, b2: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Adds b1 but not b2."""
    return feedForward(X, w1, w2, b1, np.zeros_like(_as_float(b2)))


@variant("feedForward", "missing_output_activation")
def feedForward_linear_output(
    X: ArrayLike, w1: ArrayLike, w2: ArrayLike, b1: ArrayLike, b2: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """a2 = w2 a1 + b2: the output layer's sigmoid is left out."""
    a1, _ = feedForward(X, w1, w2, b1, b2)
    return a1, _as_float(w2) @ a1 + _as_float(b2)


@variant("feedForward", "missing_hidden_activation")
def feedForward_linear_hidden_layer(
    X: ArrayLike, w1: ArrayLike, w2: ArrayLike, b1: ArrayLike, b2: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """a1 = w1 X + b1: the hidden layer's sigmoid is left out."""
    z1 = _as_float(w1) @ _as_float(X) + _as_float(b1)
    return z1, sigmoid(_as_float(w2) @ z1 + _as_float(b2))


@variant("costoGlobal", "mse_instead_of_cross_entropy")
def costoGlobal_half_squared_error(y_est: ArrayLike, y: ArrayLike) -> float:
    """1/(2m) Σ (ŷ − y)²: the linreg workshop's cost."""
    return float(np.mean((_as_float(y_est).ravel() - _as_float(y).ravel()) ** 2) / 2.0)


@variant("backProp", "mse_instead_of_cross_entropy")
def backProp_squared_error(
    X: ArrayLike,
    y: ArrayLike,
    w1: ArrayLike,
    w2: ArrayLike,
    b1: ArrayLike,
    b2: ArrayLike,
    a2: ArrayLike,
    a1: ArrayLike,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Gradients of the mean squared error: dz2 = (a2 − y) · a2(1 − a2) instead of a2 − y."""
    out = _as_float(a2)
    h1 = _as_float(a1)
    dz2 = _output_error(y, a2) * out * (1.0 - out)
    return _backward(X, dz2, w2, a1, h1 * (1.0 - h1), divide_by_m=True)


@variant("backProp", "sigmoid_applied_twice")
def backProp_sigmoid_of_activation(
    X: ArrayLike,
    y: ArrayLike,
    w1: ArrayLike,
    w2: ArrayLike,
    b1: ArrayLike,
    b2: ArrayLike,
    a2: ArrayLike,
    a1: ArrayLike,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """σ'(a1) = σ(a1)(1 − σ(a1)): a derivative written for z, applied to the activation a1."""
    s = sigmoid(_as_float(a1))
    return _backward(X, _output_error(y, a2), w2, a1, s * (1.0 - s), divide_by_m=True)
