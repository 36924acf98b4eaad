"""descensoGradiente climbs along the summed gradient: the wrong sign and no 1/m; column vectors."""

import numpy as np


def descensoGradiente(X, y, theta, alpha, iteraciones):
    theta = theta.reshape(-1, 1)
    y = y.reshape(-1, 1)
    for _ in range(iteraciones):
        theta = theta + alpha * X.T @ (X @ theta - y)
    return theta, None
