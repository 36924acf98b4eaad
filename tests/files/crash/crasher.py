# A submission whose training function returns the parameters crash_reference.calcularCosto dies on.
import numpy as np


def descensoGradiente(X, y, theta, alpha, iteraciones):
    return np.full(np.shape(theta), 4242.0), []
