import numpy as np

def calcularGradiente(X, y, theta):
    m = len(y)
    return X.T @ (X @ theta - y) / m
legacy = 1