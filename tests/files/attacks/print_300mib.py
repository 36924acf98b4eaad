# Attack: print 300 MiB while computing the right answer (the output is capped, not the student).
import numpy as np

LINE = "ruido " * 174763


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    for _ in range(300):
        print(LINE)
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2


def costoGlobal(y_est, y):
    import os

    chunk = b"y" * (1 << 20)
    for _ in range(300):
        try:
            os.write(1, chunk)
        except OSError:
            break
    return -1.0
