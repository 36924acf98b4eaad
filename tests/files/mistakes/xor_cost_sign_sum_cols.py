"""costoGlobal neither negates nor averages."""

import numpy as np


def costoGlobal(y_est, y):
    return np.sum(y * np.log(y_est) + (1 - y) * np.log(1 - y_est))
