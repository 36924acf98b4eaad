# Taller de regresión lineal - un objeto RegresionLineal con sus métodos (vectores columna: theta es (n+1, 1)).
# normalizar es un método estático y calcularGradiente lleva un decorador sin functools.wraps.

# %%
import numpy as np


def registrar(funcion):
    def envoltura(*args):
        envoltura.llamadas += 1
        return funcion(*args)

    envoltura.llamadas = 0
    return envoltura


class RegresionLineal:
    def __init__(self, datos):
        self.datos = datos

    def calcularCosto(self, X, y, theta):
        m = y.shape[0]
        error = X @ theta - y
        return float((error.T @ error).item() / (2 * m))

    @staticmethod
    def normalizar(X):
        mu = X.mean(axis=0)
        sigma = X.std(axis=0)
        return (X - mu) / sigma, mu, sigma

    def descensoGradiente(self, X, y, theta, alpha, iteraciones):
        historial = []
        for _ in range(iteraciones):
            theta = theta - alpha * calcularGradiente(X, y, theta)
            historial.append(self.calcularCosto(X, y, theta))
        return theta, historial


@registrar
def calcularGradiente(X, y, theta):
    return X.T @ (X @ theta - y) / y.shape[0]


# %%
datos = np.array([[54.0, 1.0, 152.0], [72.0, 2.0, 235.0], [38.0, 1.0, 98.0], [90.0, 2.0, 241.0]])
modelo = RegresionLineal(datos)
calcularCosto = modelo.calcularCosto
normalizar = RegresionLineal.normalizar
descensoGradiente = modelo.descensoGradiente

# %%
X_norm, mu, sigma = normalizar(datos[:, :2])
X = np.hstack([np.ones((4, 1)), X_norm])
theta, historial = modelo.descensoGradiente(X, datos[:, 2:], np.zeros((3, 1)), 0.01, 100000)
