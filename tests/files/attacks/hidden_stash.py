# Attack: remember every input seen (hidden ones included) and print the lot during later calls, from
# the function itself and from a thread that keeps printing after the call has returned.
import threading
import time

import numpy as np

SEEN = []


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    SEEN.append(np.array2string(np.asarray(X), threshold=10**6, precision=17))
    print("STASH", SEEN)
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2


def _keep_printing():
    while True:
        print("THREAD", SEEN)
        time.sleep(0.005)


def costoGlobal(y_est, y):
    SEEN.append(np.array2string(np.asarray(y), threshold=10**6, precision=17))
    if not any(t.name == "leaker" for t in threading.enumerate()):
        threading.Thread(target=_keep_printing, name="leaker", daemon=True).start()
    print("STASH", SEEN)
    return "ATTACK-MARKER"


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    SEEN.append(repr(np.asarray(X).tolist()))
    print("STASH", SEEN)
    return None
