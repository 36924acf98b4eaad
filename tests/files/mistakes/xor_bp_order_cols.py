"""backProp returns the gradients as (dw1, dw2, db1, db2)."""

import numpy as np


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    m = X.shape[1]
    dz2 = a2 - y
    dz1 = (w2.T @ dz2) * a1 * (1 - a1)
    return dz1 @ X.T / m, dz2 @ a1.T / m, dz1.mean(axis=1, keepdims=True), dz2.mean(axis=1, keepdims=True)
