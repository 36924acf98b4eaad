"""costoGlobal is the linreg cost 1/(2m) sum of squares."""

import numpy as np


def costoGlobal(y_est, y):
    m = y.shape[1]
    return 1 / (2 * m) * np.sum(np.square(y_est - y))
