"""Taller softmax (reference): class probabilities and the mean cross-entropy, instances as columns."""

import numpy as np


def softmax(Z):
    """Each column of Z (k classes × m instances) turned into probabilities that add up to 1."""
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def entropiaCruzada(P, Y):
    """−1/m Σ Y log P: the mean cross-entropy of the probabilities P against the one-hot labels Y."""
    return float(-np.sum(Y * np.log(P)) / P.shape[1])


def casos(rng, *, k, m):
    """A problem of k classes and m instances: scores Z, one-hot labels Y and the probabilities P."""
    Z = rng.normal(0.0, 2.0, size=(k, m))
    Y = np.eye(k)[rng.integers(0, k, size=m)].T
    return {"Z": Z, "Y": Y, "P": softmax(Z)}
