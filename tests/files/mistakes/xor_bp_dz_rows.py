"""backProp applies a(1 - a) to z1, through a derivative helper; rows."""

import numpy as np


def derivada(a):
    return a * (1 - a)


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    m = X.shape[0]
    z1 = X @ w1 + b1
    d2 = a2 - y
    d1 = (d2 @ w2.T) * derivada(z1)
    return X.T @ d1 / m, d1.sum(axis=0, keepdims=True) / m, a1.T @ d2 / m, d2.sum(axis=0, keepdims=True) / m
