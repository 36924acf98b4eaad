"""normalizar uses one mean and one deviation for the whole array."""

import numpy as np


def normalizar(X):
    mu = np.mean(X)
    sigma = np.std(X)
    return (X - mu) / sigma, mu, sigma
