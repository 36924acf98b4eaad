"""backProp computes the derivative as sigmoid(a1)(1 - sigmoid(a1)); rows."""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    m = X.shape[0]
    d2 = a2 - y
    s = sigmoid(a1)
    d1 = (d2 @ w2.T) * s * (1 - s)
    return X.T @ d1 / m, d1.sum(axis=0, keepdims=True) / m, a1.T @ d2 / m, d2.sum(axis=0, keepdims=True) / m
