# Attack: make the grader wait as long as it allows. Every call sleeps just under its time limit, and
# a top-level statement that only a run of the whole notebook executes (and that is slow) is needed by
# the functions, so that the grader runs the submission twice.
import time

import numpy as np


def _cargar():
    time.sleep(0.9)
    return 2


ESCALA = _cargar()


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2


def costoGlobal(y_est, y):
    time.sleep(0.9)
    return ESCALA * 0.0


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    time.sleep(0.9)
    return ESCALA


def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
    time.sleep(0.9)
    return ESCALA
