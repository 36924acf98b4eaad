"""descensoGradiente subtracts a gradient computed from y - X theta; column vectors."""

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
    theta = theta.reshape(-1, 1).copy()
    y = y.reshape(-1, 1)
    m = y.shape[0]
    J = np.zeros(iteraciones)
    for i in range(iteraciones):
        theta -= alpha * X.T.dot(y - X.dot(theta)) / m
        J[i] = calcularCosto(X, y, theta)
    return theta, J
