"""descensoGradiente updates theta[j] one at a time with the already-updated values."""

import numpy as np


def calcularCosto(X, y, theta):
    m = len(y)
    r = X @ theta - y
    return r @ r / (2 * m)


def calcularGradiente(X, y, theta):
    m = len(y)
    return X.T @ (X @ theta - y) / m


def descensoGradiente(X, y, theta, alpha, iteraciones):
    theta = theta.astype(float).copy()
    m = len(y)
    historial = []
    for _ in range(iteraciones):
        for j in range(len(theta)):
            theta[j] = theta[j] - alpha * np.sum((X @ theta - y) * X[:, j]) / m
        historial.append(calcularCosto(X, y, theta))
    return theta, historial
