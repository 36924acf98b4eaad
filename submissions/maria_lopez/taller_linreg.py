# María López - Taller 1: Regresión lineal
# (el taller 2 está en taller_xor.ipynb)

import numpy as np
import matplotlib.pyplot as plt


def calcularCosto(X, y, theta):
    m = X.shape[0]
    residuos = X @ theta - y
    return np.sum(residuos ** 2) / (2 * m)


def calcularGradiente(X, y, theta):
    m = X.shape[0]
    return X.T @ (X @ theta - y) / m


def descensoGradiente(X, y, theta, alpha, iteraciones):
    historial = []
    for _ in range(iteraciones):
        gradiente = calcularGradiente(X, y, theta)
        theta = theta - alpha * gradiente      # se actualizan todos los theta a la vez
        historial.append(calcularCosto(X, y, theta))
    return theta, historial


def normalizar(X):
    mu = X.mean(axis=0)
    sigma = X.std(axis=0)
    return (X - mu) / sigma, mu, sigma


# temperatura maxima (C), dia de semana (0/1 fin de semana) -> helados vendidos
X = np.array([[22.0, 0], [25.0, 0], [31.0, 1], [28.0, 1], [18.0, 0],
              [33.0, 1], [27.0, 0], [20.0, 1], [24.0, 0], [30.0, 0]])
y = np.array([120.0, 151.0, 260.0, 221.0, 80.0, 290.0, 170.0, 131.0, 140.0, 205.0])

X_norm, mu, sigma = normalizar(X)
X_norm = np.c_[np.ones(X.shape[0]), X_norm]

theta, historial = descensoGradiente(X_norm, y, np.zeros(3), 0.1, 300)
print("theta:", theta)
print("J final:", historial[-1])

plt.plot(historial)
plt.yscale("log")
plt.title("J por iteracion")
plt.show()
