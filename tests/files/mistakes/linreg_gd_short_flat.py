"""descensoGradiente runs iteraciones - 1 updates."""

import numpy as np


def calcularCosto(X, y, theta):
    m = len(y)
    r = X @ theta - y
    return r @ r / (2 * m)


def calcularGradiente(X, y, theta):
    m = len(y)
    return X.T @ (X @ theta - y) / m


def descensoGradiente(X, y, theta, alpha, iteraciones):
    historial = [calcularCosto(X, y, theta)]
    for _ in range(1, iteraciones):
        theta = theta - alpha * calcularGradiente(X, y, theta)
        historial.append(calcularCosto(X, y, theta))
    return theta, historial
