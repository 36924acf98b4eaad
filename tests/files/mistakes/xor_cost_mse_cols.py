"""costoGlobal is the mean squared error."""

import numpy as np


def costoGlobal(y_est, y):
    return np.mean((y_est - y) ** 2)
