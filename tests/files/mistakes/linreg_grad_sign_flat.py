"""calcularGradiente takes the residual as y - X theta."""

import numpy as np


def calcularGradiente(X, y, theta):
    m = len(y)
    return X.T @ (y - X @ theta) / m
