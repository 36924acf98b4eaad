"""Classic wrong versions of the logistica workshop functions, to name a student's mistake from behaviour.

Each ``<function>__<code>`` has the reference's signature and layout with one mistake built in; functions
marked ``@variant`` are other ways of making the same mistake. ``HINTS`` explains the codes this workshop
introduces, and says one shared code's hint in this workshop's terms; the other codes it shares with the
other workshops (``missing_mean``, ``wrong_sign``, …) keep the grader's own hints.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from logistica import FloatArray, calcularCostoLogistico, calcularGradienteLogistico, sigmoide
from numpy.typing import ArrayLike

from reference.mistakes import Scaling, variant

HINTS: Mapping[str, Mapping[str, str]] = {
    "sigmoid_exponent_sign": {
        "es": "En la sigmoide el exponente es −z: σ(z) = 1 / (1 + e^(−z)); con e^(z) obtienes 1 − σ(z).",
        "en": "The sigmoid's exponent is −z: σ(z) = 1 / (1 + e^(−z)); with e^(z) you get 1 − σ(z).",
    },
    "sigmoid_precedence": {
        "es": (
            "En Python, 1/1 + np.exp(-z) es 1 + e^(−z): el denominador va entre paréntesis, "
            "1 / (1 + np.exp(-z))."
        ),
        "en": (
            "In Python, 1/1 + np.exp(-z) is 1 + e^(−z): the denominator needs parentheses, "
            "1 / (1 + np.exp(-z))."
        ),
    },
    "missing_sigmoid": {
        "es": (
            "Falta la sigmoide: en regresión logística la hipótesis es h = σ(Xθ), no Xθ "
            "(con Xθ el gradiente es el de la regresión lineal)."
        ),
        "en": (
            "The sigmoid is missing: in logistic regression the hypothesis is h = σ(Xθ), not Xθ "
            "(with Xθ the gradient is the linear-regression one)."
        ),
    },
    "threshold_on_z": {
        "es": (
            "Comparas z = Xθ con 0.5; el umbral 0.5 es para la probabilidad h = σ(Xθ), "
            "lo que equivale a Xθ ≥ 0."
        ),
        "en": (
            "You compare z = Xθ with 0.5; the 0.5 threshold is for the probability h = σ(Xθ), "
            "which amounts to Xθ ≥ 0."
        ),
    },
    # The grader's own hint for this code speaks of the XOR network's output a2.
    "mse_instead_of_cross_entropy": {
        "es": (
            "Usas el error cuadrático (el costo de regresión lineal) con h = σ(Xθ); en regresión logística "
            "el costo es la entropía cruzada J = −1/m Σ [y·log(h) + (1 − y)·log(1 − h)]."
        ),
        "en": (
            "You use the squared error (the linear-regression cost) with h = σ(Xθ); in logistic regression "
            "the cost is the cross-entropy J = −1/m Σ [y·log(h) + (1 − y)·log(1 − h)]."
        ),
    },
    "probabilities_not_labels": {
        "es": "predecir debe devolver etiquetas 0 o 1, no probabilidades: compara h = σ(Xθ) con 0.5.",
        "en": "predecir must return 0 or 1 labels, not probabilities: compare h = σ(Xθ) with 0.5.",
    },
}

# Factors by which classic mistakes multiply the right result; for gradient descent, the factor applies
# to the change of theta in one iteration.
SCALINGS: Mapping[str, tuple[Scaling, ...]] = {
    "calcularCostoLogistico": (
        Scaling(("missing_mean",), power=1),
        Scaling(("missing_negative_sign",), -1),
        Scaling(("missing_negative_sign", "missing_mean"), -1, power=1),
    ),
    "calcularGradienteLogistico": (
        Scaling(("missing_mean",), power=1),
        Scaling(("wrong_sign",), -1),
        Scaling(("wrong_sign", "missing_mean"), -1, power=1),
    ),
    "descensoGradienteLogistico": (
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


def _hipotesis(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray]:
    # Same reshape as the reference: the mistakes below are about the formula, not about broadcasting.
    X = _as_float(X)
    z = X @ _as_float(theta)
    return X, z, _as_float(y).reshape(z.shape)


# --- sigmoide --------------------------------------------------------------------------------------------


def sigmoide__sigmoid_exponent_sign(z: ArrayLike) -> FloatArray:
    """1 / (1 + e^z): the minus of the exponent is lost, which gives 1 − σ(z)."""
    return sigmoide(-_as_float(z))


def sigmoide__sigmoid_precedence(z: ArrayLike) -> FloatArray:
    """``1/1 + np.exp(-z)``: Python divides first, so the result is 1 + e^(−z)."""
    return 1.0 + np.exp(-_as_float(z))


# --- calcularCostoLogistico ------------------------------------------------------------------------------


def _cross_entropy_terms(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> FloatArray:
    _, z, t = _hipotesis(X, y, theta)
    return t * np.logaddexp(0.0, -z) + (1.0 - t) * np.logaddexp(0.0, z)


def calcularCostoLogistico__missing_mean(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> float:
    """−Σ [y log h + (1 − y) log(1 − h)]: summed over the instances instead of averaged."""
    return float(np.sum(_cross_entropy_terms(X, y, theta)))


def calcularCostoLogistico__missing_negative_sign(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> float:
    """1/m Σ [y log h + (1 − y) log(1 − h)] without the leading minus, so the cost is negative."""
    return -calcularCostoLogistico(X, y, theta)


def calcularCostoLogistico__mse_instead_of_cross_entropy(
    X: ArrayLike, y: ArrayLike, theta: ArrayLike
) -> float:
    """1/(2m) Σ (h − y)²: the linreg cost with h = σ(Xθ) in place of the cross-entropy."""
    X, z, t = _hipotesis(X, y, theta)
    return float(np.sum((sigmoide(z) - t) ** 2) / (2.0 * X.shape[0]))


@variant("calcularCostoLogistico", "mse_instead_of_cross_entropy")
def calcularCostoLogistico_mean_squared_error(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> float:
    """1/m Σ (h − y)²: the mean squared error, without the ½."""
    X, z, t = _hipotesis(X, y, theta)
    return float(np.mean((sigmoide(z) - t) ** 2))


# --- calcularGradienteLogistico --------------------------------------------------------------------------


def calcularGradienteLogistico__missing_mean(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> FloatArray:
    """Xᵀ(σ(Xθ) − y), without the 1/m."""
    X, z, t = _hipotesis(X, y, theta)
    return _as_float(X.T @ (sigmoide(z) - t)).reshape(np.shape(theta))


def calcularGradienteLogistico__wrong_sign(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> FloatArray:
    """Xᵀ(y − σ(Xθ))/m: the error taken the other way round."""
    return -calcularGradienteLogistico(X, y, theta)


def calcularGradienteLogistico__missing_sigmoid(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> FloatArray:
    """Xᵀ(Xθ − y)/m: the linreg gradient, with Xθ where σ(Xθ) belongs."""
    X, z, t = _hipotesis(X, y, theta)
    return _as_float(X.T @ (z - t) / X.shape[0]).reshape(np.shape(theta))


# --- descensoGradienteLogistico --------------------------------------------------------------------------


def descensoGradienteLogistico__gradient_ascent(
    X: ArrayLike, y: ArrayLike, theta: ArrayLike, alpha: float, iteraciones: int
) -> tuple[FloatArray, FloatArray]:
    """theta += alpha · gradient, climbing the cost; historial holds the cost after each update."""
    current = _as_float(theta).copy()
    historial = np.empty(max(iteraciones, 0), dtype=np.float64)
    for i in range(iteraciones):
        current = current + alpha * calcularGradienteLogistico(X, y, current)
        historial[i] = calcularCostoLogistico(X, y, current)
    return current, historial


def descensoGradienteLogistico__non_simultaneous_update(
    X: ArrayLike, y: ArrayLike, theta: ArrayLike, alpha: float, iteraciones: int
) -> tuple[FloatArray, FloatArray]:
    """Updates theta_0, theta_1, … one at a time, each with a gradient that sees the already-updated ones."""
    current = _as_float(theta).copy()
    # A view on the private copy, so that component j can be updated whatever theta's shape.
    components = current.reshape(-1)
    historial = np.empty(max(iteraciones, 0), dtype=np.float64)
    for i in range(iteraciones):
        for j in range(components.size):
            components[j] -= alpha * calcularGradienteLogistico(X, y, current).reshape(-1)[j]
        historial[i] = calcularCostoLogistico(X, y, current)
    return current, historial


@variant("descensoGradienteLogistico", "non_simultaneous_update")
def descensoGradienteLogistico_intercept_first(
    X: ArrayLike, y: ArrayLike, theta: ArrayLike, alpha: float, iteraciones: int
) -> tuple[FloatArray, FloatArray]:
    """Updates theta_0 first, then every slope at once with a gradient that already sees the new theta_0."""
    current = _as_float(theta).copy()
    components = current.reshape(-1)
    historial = np.empty(max(iteraciones, 0), dtype=np.float64)
    for i in range(iteraciones):
        components[0] -= alpha * calcularGradienteLogistico(X, y, current).reshape(-1)[0]
        components[1:] -= alpha * calcularGradienteLogistico(X, y, current).reshape(-1)[1:]
        historial[i] = calcularCostoLogistico(X, y, current)
    return current, historial


def descensoGradienteLogistico__missing_sigmoid(
    X: ArrayLike, y: ArrayLike, theta: ArrayLike, alpha: float, iteraciones: int
) -> tuple[FloatArray, FloatArray]:
    """The linreg loop: theta -= alpha/m · Xᵀ(Xθ − y), as if h were Xθ."""
    current = _as_float(theta).copy()
    historial = np.empty(max(iteraciones, 0), dtype=np.float64)
    for i in range(iteraciones):
        current = current - alpha * calcularGradienteLogistico__missing_sigmoid(X, y, current)
        historial[i] = calcularCostoLogistico(X, y, current)
    return current, historial


# --- predecir --------------------------------------------------------------------------------------------


def predecir__threshold_on_z(X: ArrayLike, theta: ArrayLike) -> FloatArray:
    """1 where Xθ ≥ 0.5: the probability's threshold applied to z, without the sigmoid."""
    return (_as_float(X) @ _as_float(theta) >= 0.5).astype(np.float64)


def predecir__probabilities_not_labels(X: ArrayLike, theta: ArrayLike) -> FloatArray:
    """σ(Xθ) itself, never turned into 0/1 labels."""
    return sigmoide(_as_float(X) @ _as_float(theta))
