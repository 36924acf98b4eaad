# Valeria Cárdenas
# Taller regresión logística - todo con ciclos para entender bien las fórmulas

import math
import numpy as np


def sigmoide(z):
    return 1 / (1 + np.exp(-z))


def calcularCostoLogistico(X, y, theta):
    # J = -sum( y*log(h) + (1-y)*log(1-h) )
    J = 0
    for i in range(len(y)):
        h = sigmoide(np.dot(X[i], theta))
        J = J - y[i] * math.log(h) - (1 - y[i]) * math.log(1 - h)
    return J


def calcularGradienteLogistico(X, y, theta):
    m, n = X.shape
    grad = np.zeros(n)
    for j in range(n):
        suma = 0
        for i in range(m):
            h = sigmoide(np.dot(X[i], theta))
            suma = suma + (h - y[i]) * X[i, j]
        grad[j] = suma / m
    return grad


def descensoGradienteLogistico(X, y, theta, alpha, iteraciones):
    historial = []
    for k in range(iteraciones):
        gradiente = calcularGradienteLogistico(X, y, theta)
        theta = theta - alpha * gradiente
        historial.append(calcularCostoLogistico(X, y, theta))
    return theta, historial


def predecir(X, theta):
    p = []
    for i in range(X.shape[0]):
        if sigmoide(np.dot(X[i], theta)) >= 0.5:
            p.append(1)
        else:
            p.append(0)
    return np.array(p)


# ¿el cliente compra? (visitas a la tienda, minutos en la página)
X_datos = np.array([[1, 2.0], [3, 8.5], [2, 4.0], [6, 12.0], [5, 3.5], [8, 15.0], [1, 9.0], [7, 10.5]])
y = np.array([0, 1, 0, 1, 0, 1, 0, 1])
X = np.column_stack([np.ones(len(y)), (X_datos - X_datos.mean(0)) / X_datos.std(0)])

theta, historial = descensoGradienteLogistico(X, y, np.zeros(3), 0.3, 300)
print("theta final:", theta)
print("costo:", historial[0], "->", historial[-1])
print("predicciones:", predecir(X, theta))
print("reales:      ", y)
