"""backProp leaves out the hidden sigmoid's derivative; rows."""

import numpy as np


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    m = X.shape[0]
    d2 = a2 - y
    d1 = np.dot(d2, w2.T)
    return np.dot(X.T, d1) / m, d1.mean(axis=0, keepdims=True), np.dot(a1.T, d2) / m, d2.mean(axis=0, keepdims=True)
