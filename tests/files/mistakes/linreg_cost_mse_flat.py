"""calcularCosto divides by m instead of 2m."""

import numpy as np


def calcularCosto(X, y, theta):
    m = len(y)
    return np.sum((X @ theta - y) ** 2) / m
