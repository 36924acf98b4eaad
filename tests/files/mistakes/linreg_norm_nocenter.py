"""normalizar divides by the deviation without subtracting the mean."""

import numpy as np


def normalizar(X):
    mu = X.mean(axis=0)
    sigma = X.std(axis=0)
    return X / sigma, mu, sigma
