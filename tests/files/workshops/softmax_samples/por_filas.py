import numpy as np


def softmax(Z):
    e = np.exp(Z)
    return e / e.sum(axis=1, keepdims=True)


def entropiaCruzada(P, Y):
    return -np.sum(Y * np.log(P))
