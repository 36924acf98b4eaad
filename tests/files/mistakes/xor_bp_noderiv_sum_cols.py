"""backProp both leaves out the hidden sigmoid's derivative and never divides by m."""

import numpy as np


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    dz2 = a2 - y
    dz1 = w2.T @ dz2
    return dz1 @ X.T, np.sum(dz1, axis=1, keepdims=True), dz2 @ a1.T, np.sum(dz2, axis=1, keepdims=True)
