"""Correct XOR functions written with np.dot; training updates in place."""

import numpy as np


def sigmoid(z):
    return np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoid(np.dot(w1, X) + b1)
    return a1, sigmoid(np.dot(w2, a1) + b2)


def costoGlobal(y_est, y):
    return -np.mean(y * np.log(y_est) + (1 - y) * np.log(1 - y_est))


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    m = X.shape[1]
    dz2 = a2 - y
    dz1 = np.dot(w2.T, dz2) * a1 * (1 - a1)
    return np.dot(dz1, X.T) / m, dz1.mean(axis=1, keepdims=True), np.dot(dz2, a1.T) / m, dz2.mean(axis=1, keepdims=True)


def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
    for _ in range(epocas):
        a1, a2 = feedForward(X, w1, w2, b1, b2)
        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
        w1 -= lr * dw1
        b1 -= lr * db1
        w2 -= lr * dw2
        b2 -= lr * db2
