# Attack: loop forever, even swallowing the exception a timer may raise.
import numpy as np


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2


def costoGlobal(y_est, y):
    while True:
        try:
            while True:
                pass
        except BaseException:
            continue
