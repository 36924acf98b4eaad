"""backProp applies a(1 - a) to z1; columns."""

import numpy as np


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    m = X.shape[1]
    z1 = w1 @ X + b1
    dz2 = a2 - y
    dw2 = dz2 @ a1.T / m
    db2 = np.sum(dz2, axis=1, keepdims=True) / m
    dz1 = (w2.T @ dz2) * z1 * (1 - z1)
    dw1 = dz1 @ X.T / m
    db1 = np.sum(dz1, axis=1, keepdims=True) / m
    return dw1, db1, dw2, db2
