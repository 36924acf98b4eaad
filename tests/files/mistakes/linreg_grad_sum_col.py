"""calcularGradiente forgets the 1/m, one component at a time; column vectors."""

import numpy as np


def calcularGradiente(X, y, theta):
    theta = theta.reshape(-1, 1)
    error = X @ theta - y.reshape(-1, 1)
    grad = np.zeros_like(theta)
    for j in range(theta.shape[0]):
        grad[j, 0] = np.sum(error[:, 0] * X[:, j])
    return grad
