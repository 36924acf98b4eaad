"""calcularGradiente forgets the 1/m."""

import numpy as np


def calcularGradiente(X, y, theta):
    return X.T @ (X @ theta - y)
