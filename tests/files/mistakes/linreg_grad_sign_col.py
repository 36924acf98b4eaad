"""calcularGradiente takes the residual as y - X theta; column vectors."""

import numpy as np


def calcularGradiente(X, y, theta):
    theta = theta.reshape(-1, 1)
    y = y.reshape(-1, 1)
    return (1 / len(y)) * X.T.dot(y - X.dot(theta))
