# Taller XOR - la red como clase con métodos estáticos (instancias en columnas, como las diapositivas).
# Las funciones del taller quedan al nivel del módulo con `feedForward = Red.feedForward`.

# %%
import numpy as np


class Red:
    @staticmethod
    def sigmoide(z):
        return 1 / (1 + np.exp(-z))

    @staticmethod
    def feedForward(X, w1, w2, b1, b2):
        a1 = Red.sigmoide(w1 @ X + b1)
        a2 = Red.sigmoide(w2 @ a1 + b2)
        return a1, a2

    @staticmethod
    def costoGlobal(y_est, y):
        m = y.shape[1]
        return -np.sum(y * np.log(y_est) + (1 - y) * np.log(1 - y_est)) / m

    @staticmethod
    def backProp(X, y, w1, w2, b1, b2, a2, a1):
        m = X.shape[1]
        dz2 = a2 - y
        dw2 = dz2 @ a1.T / m
        db2 = np.sum(dz2, axis=1, keepdims=True) / m
        dz1 = (w2.T @ dz2) * a1 * (1 - a1)
        dw1 = dz1 @ X.T / m
        db1 = np.sum(dz1, axis=1, keepdims=True) / m
        return dw1, db1, dw2, db2

    @staticmethod
    def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
        costos = []
        for _ in range(epocas):
            a1, a2 = Red.feedForward(X, w1, w2, b1, b2)
            costos.append(Red.costoGlobal(a2, y))
            dw1, db1, dw2, db2 = Red.backProp(X, y, w1, w2, b1, b2, a2, a1)
            w1 = w1 - lr * dw1
            b1 = b1 - lr * db1
            w2 = w2 - lr * dw2
            b2 = b2 - lr * db2
        return w1, b1, w2, b2, costos


# %%
feedForward = Red.feedForward
costoGlobal = Red.costoGlobal
backProp = Red.backProp
entrenarRed = Red.entrenarRed

# %%
X = np.array([[0, 0, 1, 1], [0, 1, 0, 1]], dtype=float)
y = np.array([[0, 1, 1, 0]], dtype=float)
rng = np.random.default_rng(3)
w1, b1 = rng.normal(size=(3, 2)), np.zeros((3, 1))
w2, b2 = rng.normal(size=(1, 3)), np.zeros((1, 1))
w1, b1, w2, b2, costos = entrenarRed(200000, 0.5, X, y, w1, b1, w2, b2, None, None)
print(Red.feedForward(X, w1, w2, b1, b2)[1].round(2))
