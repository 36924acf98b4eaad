"""backProp never divides by m; columns."""

import numpy as np


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    dz2 = a2 - y
    dw2 = dz2 @ a1.T
    db2 = np.sum(dz2, axis=1, keepdims=True)
    dz1 = (w2.T @ dz2) * a1 * (1 - a1)
    dw1 = dz1 @ X.T
    db1 = np.sum(dz1, axis=1, keepdims=True)
    return dw1, db1, dw2, db2
