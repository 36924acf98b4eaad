"""All four XOR functions, correct; rows; training returns (w1, w2, b1, b2)."""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))

def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoid(X @ w1 + b1)
    a2 = sigmoid(a1 @ w2 + b2)
    return a1, a2

def costoGlobal(y_est, y):
    m = y.shape[0]
    return -np.sum(y * np.log(y_est) + (1 - y) * np.log(1 - y_est)) / m

def backProp(X, y, w1, w2, b1, b2, a2, a1):
    m = X.shape[0]
    d2 = a2 - y
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return X.T @ d1 / m, d1.sum(axis=0, keepdims=True) / m, a1.T @ d2 / m, d2.sum(axis=0, keepdims=True) / m

def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
    for _ in range(epocas):
        a1, a2 = feedForward(X, w1, w2, b1, b2)
        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
        w1, b1, w2, b2 = w1 - lr * dw1, b1 - lr * db1, w2 - lr * dw2, b2 - lr * db2
    return w1, w2, b1, b2
