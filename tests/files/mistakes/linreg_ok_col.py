"""All four linreg functions, correct; column vectors; temporary copy for the update."""

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
    theta = theta.reshape(-1, 1).astype(float)
    historial = np.zeros(iteraciones)
    for i in range(iteraciones):
        temp = theta.copy()
        for j in range(theta.shape[0]):
            temp[j, 0] = theta[j, 0] - alpha * calcularGradiente(X, y, theta)[j, 0]
        theta = temp
        historial[i] = calcularCosto(X, y, theta)
    return theta, historial


def normalizar(X):
    mu = np.mean(X, axis=0)
    sigma = np.std(X, axis=0)
    return (X - mu) / sigma, mu, sigma
