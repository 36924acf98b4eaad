# Taller de regresión logística - la sigmoide es un objeto con __call__, las demás funciones son
# partials y lambdas (theta plano, (n+1,)).

# %%
import functools

import numpy as np


class Sigmoide:
    def __call__(self, z):
        return 1.0 / (1.0 + np.exp(-z))


sigmoide = Sigmoide()


def _costo(X, y, theta, eps=0.0):
    h = sigmoide(X @ theta)
    return float(-np.mean(y * np.log(h + eps) + (1 - y) * np.log(1 - h + eps)))


calcularCostoLogistico = functools.partial(_costo, eps=0.0)
calcularGradienteLogistico = lambda X, y, theta: X.T @ (sigmoide(X @ theta) - y) / len(y)  # noqa: E731


def _descenso(X, y, theta, alpha, iteraciones, registrar=True):
    historial = []
    for _ in range(iteraciones):
        theta = theta - alpha * calcularGradienteLogistico(X, y, theta)
        if registrar:
            historial.append(calcularCostoLogistico(X, y, theta))
    return theta, historial


descensoGradienteLogistico = functools.partial(_descenso, registrar=True)
predecir = lambda X, theta: (sigmoide(X @ theta) >= 0.5).astype(float)  # noqa: E731
