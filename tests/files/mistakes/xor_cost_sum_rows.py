"""costoGlobal sums the cross-entropy with dot products; rows (returns a 1x1 array)."""

import numpy as np


def costoGlobal(y_est, y):
    return -(y.T @ np.log(y_est) + (1 - y).T @ np.log(1 - y_est))
