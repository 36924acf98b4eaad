import numpy as np


def softmax(Z):
    e = np.exp(Z - np.max(Z, axis=0))
    return e / np.sum(e, axis=0)


def entropia_cruzada(P, Y):
    m = P.shape[1]
    return -np.sum(Y * np.log(P)) / m
