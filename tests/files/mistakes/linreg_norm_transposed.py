"""normalizar returns X_norm transposed."""

import numpy as np


def normalizar(X):
    mu = X.mean(axis=0)
    sigma = X.std(axis=0)
    return ((X - mu) / sigma).T, mu, sigma
