"""costoGlobal is the mean squared error, summed then divided; rows (feedForward shows the convention)."""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoid(X @ w1 + b1)
    return a1, sigmoid(a1 @ w2 + b2)


def costoGlobal(y_est, y):
    m = y.shape[0]
    return np.sum((y - y_est) ** 2) / m
