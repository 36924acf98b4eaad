"""feedForward returns a list [output, hidden], written with np.dot."""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    oculta = sigmoid(np.dot(w1, X) + b1)
    salida = sigmoid(np.dot(w2, oculta) + b2)
    return [salida, oculta]
