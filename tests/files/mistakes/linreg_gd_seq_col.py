"""descensoGradiente updates theta[j] in turn from the helper's gradient; column vectors."""

import numpy as np


def calcularCosto(X, y, theta):
    theta = theta.reshape(-1, 1)
    y = y.reshape(-1, 1)
    m = y.shape[0]
    r = X.dot(theta) - y
    return float(r.T.dot(r)[0, 0]) / (2 * m)


def calcularGradiente(X, y, theta):
    theta = theta.reshape(-1, 1)
    y = y.reshape(-1, 1)
    return X.T.dot(X.dot(theta) - y) / y.shape[0]


def descensoGradiente(X, y, theta, alpha, iteraciones):
    theta = np.array(theta, dtype=float).reshape(-1, 1)
    historial = []
    for _ in range(iteraciones):
        for j in range(theta.shape[0]):
            theta[j, 0] -= alpha * calcularGradiente(X, y, theta)[j, 0]
        historial.append(calcularCosto(X, y, theta))
    return theta, historial
