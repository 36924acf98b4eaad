"""descensoGradiente steps along the summed gradient (no 1/m)."""

import numpy as np


def calcularCosto(X, y, theta):
    m = len(y)
    r = X @ theta - y
    return r @ r / (2 * m)


def calcularGradiente(X, y, theta):
    m = len(y)
    return X.T @ (X @ theta - y) / m


def descensoGradiente(X, y, theta, alpha, iteraciones):
    historial = []
    for _ in range(iteraciones):
        theta = theta - alpha * (X.T @ (X @ theta - y))
        historial.append(calcularCosto(X, y, theta))
    return theta, historial
