"""calcularCosto keeps the 1/2 but forgets the 1/m; column vectors."""

import numpy as np


def calcularCosto(X, y, theta):
    r = X @ theta.reshape(-1, 1) - y.reshape(-1, 1)
    return (r.T @ r).item() / 2
