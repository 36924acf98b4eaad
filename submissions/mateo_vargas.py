# Mateo Vargas
# Taller 1 - Regresion lineal multivariable con descenso de gradiente

import numpy as np
import matplotlib.pyplot as plt


def calcularCosto(X, y, theta):
    m = len(y)
    predicciones = X @ theta
    errores = predicciones - y
    return np.sum(errores ** 2) / m


def calcularGradiente(X, y, theta):
    m = len(y)
    errores = X @ theta - y
    return (X.T @ errores) / m


def descensoGradiente(X, y, theta, alpha, iteraciones):
    historial = []
    for i in range(iteraciones):
        theta = theta - alpha * calcularGradiente(X, y, theta)
        historial.append(calcularCosto(X, y, theta))
    return theta, historial


def normalizar(X):
    mu = X.mean(axis=0)
    sigma = X.std(axis=0)
    X_norm = (X - mu) / sigma
    return X_norm, mu, sigma


# datos: horas de estudio, horas de sueno -> nota del examen
datos = np.array([
    [2.0, 7.0, 55.0],
    [3.5, 6.0, 61.0],
    [5.0, 8.0, 74.0],
    [1.0, 5.5, 42.0],
    [6.5, 7.5, 83.0],
    [4.0, 4.0, 58.0],
    [8.0, 6.5, 90.0],
    [7.0, 8.0, 88.0],
    [3.0, 7.0, 60.0],
    [5.5, 5.0, 69.0],
])
X = datos[:, 0:2]
y = datos[:, 2]

X_norm, mu, sigma = normalizar(X)
X_b = np.column_stack((np.ones(len(y)), X_norm))

theta = np.zeros(3)
alpha = 0.05
iteraciones = 1500
theta, historial = descensoGradiente(X_b, y, theta, alpha, iteraciones)

print("theta encontrado:", theta)
print("costo final:", historial[-1])

plt.plot(range(iteraciones), historial)
plt.xlabel("iteraciones")
plt.ylabel("J(theta)")
plt.show()

# prediccion para alguien que estudia 4 horas y duerme 7
x_nuevo = (np.array([4.0, 7.0]) - mu) / sigma
print("nota esperada:", np.dot(np.r_[1, x_nuevo], theta))
