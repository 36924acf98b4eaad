"""calcularCosto writes 1/2*m, which Python reads as (1/2)*m."""

import numpy as np


def calcularCosto(X, y, theta):
    m = y.shape[0]
    error = X @ theta.reshape(-1, 1) - y.reshape(-1, 1)
    return 1 / 2 * m * np.sum(error ** 2)
