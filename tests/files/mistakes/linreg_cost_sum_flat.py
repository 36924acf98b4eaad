"""calcularCosto is the plain sum of squares, as in the slides' worked table."""

import numpy as np


def calcularCosto(X, y, theta):
    J = 0
    for i in range(len(y)):
        J += (X[i] @ theta - y[i]) ** 2
    return J
