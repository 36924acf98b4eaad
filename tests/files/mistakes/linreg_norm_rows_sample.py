"""normalizar standardises each instance with the sample deviation."""

import numpy as np


def normalizar(X):
    mu = np.mean(X, 1)
    sigma = np.std(X, 1, ddof=1)
    X_norm = (X - mu[:, np.newaxis]) / sigma[:, np.newaxis]
    return X_norm, mu, sigma
