# Taller XOR - métodos de clase; las instancias van en FILAS (X es m x 2).

# %%
import numpy as np


class RedXOR:
    tasa = 0.5

    @classmethod
    def activar(cls, z):
        return 1.0 / (1.0 + np.exp(-z))

    @classmethod
    def feedForward(cls, X, w1, w2, b1, b2):
        a1 = cls.activar(X @ w1 + b1)
        return a1, cls.activar(a1 @ w2 + b2)

    @classmethod
    def costoGlobal(cls, y_est, y):
        return float(-np.mean(y * np.log(y_est) + (1 - y) * np.log(1 - y_est)))

    @classmethod
    def backProp(cls, X, y, w1, w2, b1, b2, a2, a1):
        m = X.shape[0]
        d2 = a2 - y
        d1 = (d2 @ w2.T) * a1 * (1 - a1)
        return X.T @ d1 / m, d1.sum(axis=0, keepdims=True) / m, a1.T @ d2 / m, d2.sum(axis=0, keepdims=True) / m

    @classmethod
    def entrenarRed(cls, epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
        for _ in range(epocas):
            a1, a2 = cls.feedForward(X, w1, w2, b1, b2)
            dw1, db1, dw2, db2 = cls.backProp(X, y, w1, w2, b1, b2, a2, a1)
            w1, b1 = w1 - lr * dw1, b1 - lr * db1
            w2, b2 = w2 - lr * dw2, b2 - lr * db2
        return w1, b1, w2, b2


# %%
feedForward = RedXOR.feedForward
costoGlobal = RedXOR.costoGlobal
backProp = RedXOR.backProp
entrenarRed = RedXOR.entrenarRed

# %%
X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
y = np.array([[0], [1], [1], [0]], dtype=float)
pesos = RedXOR.entrenarRed(50000, RedXOR.tasa, X, y, np.ones((2, 3)), np.zeros((1, 3)), np.ones((3, 1)), np.zeros((1, 1)), None, None)
