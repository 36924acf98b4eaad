"""costoGlobal averages without the leading minus; columns."""

import numpy as np


def costoGlobal(y_est, y):
    return np.mean(y * np.log(y_est) + (1 - y) * np.log(1 - y_est))
