# Taller XOR - la red sale de una función fábrica; el costo es un objeto con __call__, backProp lleva un
# decorador propio y entrenarRed es un functools.partial (instancias en FILAS).

# %%
import functools
import time

import numpy as np


def cronometrar(funcion):
    @functools.wraps(funcion)
    def envoltura(*args, **kwargs):
        inicio = time.perf_counter()
        resultado = funcion(*args, **kwargs)
        envoltura.segundos = time.perf_counter() - inicio
        return resultado

    return envoltura


class Red:
    def __init__(self, semilla):
        self.semilla = semilla

    def feedForward(self, X, w1, w2, b1, b2):
        a1 = 1 / (1 + np.exp(-(X @ w1 + b1)))
        return a1, 1 / (1 + np.exp(-(a1 @ w2 + b2)))


class CostoEntropia:
    def __call__(self, y_est, y):
        return -np.mean(y * np.log(y_est) + (1 - y) * np.log(1 - y_est))


def crear_red(semilla):
    np.random.seed(semilla)
    return Red(semilla)


@cronometrar
def backProp(X, y, w1, w2, b1, b2, a2, a1):
    m = X.shape[0]
    d2 = a2 - y
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return X.T @ d1 / m, d1.sum(axis=0, keepdims=True) / m, a1.T @ d2 / m, d2.sum(axis=0, keepdims=True) / m


def _entrenar(epocas, lr, X, y, w1, b1, w2, b2, a1, a2, cada=1000):
    costos = []
    for epoca in range(epocas):
        a1, a2 = feedForward(X, w1, w2, b1, b2)
        if epoca % cada == 0:
            costos.append(costoGlobal(a2, y))
        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
        w1, b1, w2, b2 = w1 - lr * dw1, b1 - lr * db1, w2 - lr * dw2, b2 - lr * db2
    return w1, b1, w2, b2, costos


# %%
red = crear_red(7)
feedForward = red.feedForward
costoGlobal = CostoEntropia()
entrenarRed = functools.partial(_entrenar, cada=500)
