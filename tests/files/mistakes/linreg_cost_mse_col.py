"""calcularCosto is the mean squared error, written for column vectors."""

import numpy as np


def calcularCosto(X, y, theta):
    h = X.dot(theta.reshape(-1, 1))
    return float(np.mean(np.square(h - y.reshape(-1, 1))))
