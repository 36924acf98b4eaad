# función de costo, año 2024
import numpy as np

def calcularCosto(X, y, theta):
    # “J” es el costo: ½ del error cuadrático medio
    mensaje = "función de costo, año"
    m = len(y)
    return float(((X @ theta - y) ** 2).sum() / (2 * m))
