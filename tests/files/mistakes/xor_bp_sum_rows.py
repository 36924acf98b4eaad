"""backProp never divides by m; rows."""

import numpy as np


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    error_salida = a2 - y
    error_oculta = error_salida.dot(w2.T) * a1 * (1 - a1)
    dw1 = X.T.dot(error_oculta)
    db1 = np.sum(error_oculta, axis=0, keepdims=True)
    dw2 = a1.T.dot(error_salida)
    db2 = np.sum(error_salida, axis=0, keepdims=True)
    return dw1, db1, dw2, db2
