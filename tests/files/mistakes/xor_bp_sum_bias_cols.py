"""backProp averages the weight gradients but sums the bias ones."""

import numpy as np


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    m = X.shape[1]
    dz2 = a2 - y
    dz1 = (w2.T @ dz2) * a1 * (1 - a1)
    dw1 = (1 / m) * dz1 @ X.T
    dw2 = (1 / m) * dz2 @ a1.T
    db1 = dz1.sum(axis=1, keepdims=True)
    db2 = dz2.sum(axis=1, keepdims=True)
    return dw1, db1, dw2, db2
