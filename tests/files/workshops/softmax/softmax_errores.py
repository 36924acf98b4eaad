"""Classic wrong versions of the softmax workshop functions, to name a student's mistake from behaviour."""

import numpy as np
from softmax import entropiaCruzada

from reference.mistakes import Scaling, variant

# Hints for the codes this workshop introduces (the grader's own codes keep the grader's hints).
HINTS = {
    "normalised_by_rows": {
        "es": "Normalizas por filas: en softmax suma cada columna (una instancia), con axis=0.",
        "en": "You normalise by rows: softmax adds up each column (one instance), with axis=0.",
    },
}

# Mistakes that multiply the right result by a telltale factor (m: the number of instances).
SCALINGS = {"entropiaCruzada": (Scaling(("missing_mean",), power=1),)}


def instances(values):
    """m, the number of instances of a case: the columns of Z."""
    return int(np.shape(values["Z"])[1])


def softmax__normalised_by_rows(Z):
    """Each row adds up to 1 instead of each column."""
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def entropiaCruzada__missing_negative_sign(P, Y):
    """1/m Σ Y log P: the minus is lost, so the cost is negative."""
    return -entropiaCruzada(P, Y)


@variant("entropiaCruzada", "missing_mean")
def entropia_sumada(P, Y):
    """−Σ Y log P written with a loop over the instances, never divided by m."""
    return float(sum(-np.sum(Y[:, j] * np.log(P[:, j])) for j in range(P.shape[1])))
