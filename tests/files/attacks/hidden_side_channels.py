# Attack: carry a hidden input out through every channel but the return value: a warning, an exception
# type and a function name built from it, a write at an earlier offset of the captured output (after
# clearing O_APPEND), and a file in the scratch folder read back and printed by a later call.
import fcntl
import os
import warnings

import numpy as np


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2


def _tag(array):
    return "T" + "_".join(f"{v:.12f}".replace(".", "p").replace("-", "m") for v in np.ravel(array)[:6])


def costoGlobal(y_est, y):
    tag = _tag(y_est)
    warnings.warn(f"LEAK {tag}")
    try:
        with open("leak.txt", "a") as handle:
            handle.write(tag + "\n")
        with open("leak.txt") as handle:
            print("FILE", handle.read())
    except OSError as exc:
        print("no file", exc)
    flags = fcntl.fcntl(1, fcntl.F_GETFL)
    fcntl.fcntl(1, fcntl.F_SETFL, flags & ~os.O_APPEND)
    try:
        os.pwrite(1, f"PWRITE {tag}\n".encode(), 0)
    except OSError:
        pass
    return float(np.mean(y_est))


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    tag = _tag(X)

    def inner():
        raise type(tag, (Exception,), {})(tag)

    inner.__code__ = inner.__code__.replace(co_name=tag)
    inner.__name__ = tag
    inner()
