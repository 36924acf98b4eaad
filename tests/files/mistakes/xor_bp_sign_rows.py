"""backProp takes the output error as y - a2; rows."""

import numpy as np


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    m = X.shape[0]
    d2 = y - a2
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return X.T @ d1 / m, d1.sum(axis=0, keepdims=True) / m, a1.T @ d2 / m, d2.sum(axis=0, keepdims=True) / m
