# Daniel Quiroga - regresion logistica con descenso de gradiente
# (nombres en snake_case)

import numpy as np


def sigmoide(z):
    return 1 / (1 + np.exp(-z))


def costo_logistico(X, y, theta):
    m = len(y)
    h = sigmoide(X.dot(theta))
    return (-y.dot(np.log(h)) - (1 - y).dot(np.log(1 - h))) / m


def gradiente_logistico(X, y, theta):
    m = len(y)
    return X.T.dot(sigmoide(X.dot(theta)) - y) / m


def descenso_gradiente_logistico(X, y, theta, alpha, iteraciones):
    theta = theta.copy()
    J = []
    for it in range(iteraciones):
        # theta_j := theta_j - alpha/m * sum((h - y) * x_j), para cada j
        for j in range(len(theta)):
            h = sigmoide(X.dot(theta))
            theta[j] = theta[j] - alpha / len(y) * np.sum((h - y) * X[:, j])
        J.append(costo_logistico(X, y, theta))
    return theta, J


def predecir(X, theta):
    return (sigmoide(X.dot(theta)) >= 0.5).astype(float)


X = np.array([[1, -1.2, 0.3], [1, 0.4, 1.1], [1, 1.5, -0.2], [1, -0.7, -1.4], [1, 0.9, 0.8], [1, -1.6, 0.5]])
y = np.array([0, 1, 1, 0, 1, 0])
theta, J = descenso_gradiente_logistico(X, y, np.zeros(3), 0.5, 200)
print("theta =", theta)
print("J =", J[-1])
