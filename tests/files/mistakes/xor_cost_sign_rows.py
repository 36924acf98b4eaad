"""costoGlobal without the leading minus, written with 1/m; rows (feedForward shows the convention)."""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoid(X @ w1 + b1)
    return a1, sigmoid(a1 @ w2 + b2)


def costoGlobal(y_est, y):
    m = len(y)
    total = 0.0
    for i in range(m):
        total += y[i, 0] * np.log(y_est[i, 0]) + (1 - y[i, 0]) * np.log(1 - y_est[i, 0])
    return (1 / m) * total
