"""feedForward forgets b2 only; columns."""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    z1 = w1 @ X + b1
    a1 = sigmoid(z1)
    z2 = w2 @ a1
    a2 = sigmoid(z2)
    return a1, a2
