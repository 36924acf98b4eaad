# Nicolás Bermúdez
# Taller regresión logística (reutilizo lo del taller de regresión lineal)

import numpy as np


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def calcularCostoLogistico(X, y, theta):
    m = X.shape[0]
    h = sigmoide(X @ theta)
    return -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h))


def calcularGradienteLogistico(X, y, theta):
    # igual que en el taller 1
    m = X.shape[0]
    return X.T @ (X @ theta - y) / m


def descensoGradienteLogistico(X, y, theta, alpha, iteraciones):
    costos = []
    for _ in range(iteraciones):
        theta = theta - alpha * calcularGradienteLogistico(X, y, theta)
        costos.append(calcularCostoLogistico(X, y, theta))
    return theta, costos


def predecir(X, theta):
    return (X @ theta >= 0.5).astype(int)


# correo spam (1) o no (0): número de enlaces y de palabras en mayúscula
X_raw = np.array([[0, 2], [5, 20], [1, 0], [7, 35], [2, 5], [6, 12], [0, 1], [4, 25], [1, 3]])
y = np.array([0, 1, 0, 1, 0, 1, 0, 1, 0])
X = np.c_[np.ones(9), (X_raw - X_raw.mean(axis=0)) / X_raw.std(axis=0)]
theta, costos = descensoGradienteLogistico(X, y, np.zeros(3), 0.1, 1000)
print(theta, costos[-1])
print(predecir(X, theta), y)
