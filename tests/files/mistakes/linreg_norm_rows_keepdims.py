"""normalizar standardises each instance (axis=1, keepdims)."""

import numpy as np


def normalizar(X):
    mu = X.mean(axis=1, keepdims=True)
    sigma = X.std(axis=1, keepdims=True)
    return (X - mu) / sigma, mu, sigma
