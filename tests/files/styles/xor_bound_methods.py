# Taller XOR - una instancia de la clase RedNeuronal; las funciones del taller son sus métodos.

# %%
import numpy as np
import matplotlib.pyplot as plt


class RedNeuronal:
    def __init__(self, entradas, ocultas):
        self.forma = (entradas, ocultas)
        self.historial = []

    def sigmoide(self, z):
        return 1 / (1 + np.exp(-z))

    def feedForward(self, X, w1, w2, b1, b2):
        a1 = self.sigmoide(np.dot(w1, X) + b1)
        a2 = self.sigmoide(np.dot(w2, a1) + b2)
        return a1, a2

    def costoGlobal(self, y_est, y):
        m = y.shape[1]
        return -np.sum(y * np.log(y_est) + (1 - y) * np.log(1 - y_est)) / m

    def backProp(self, X, y, w1, w2, b1, b2, a2, a1):
        m = X.shape[1]
        dz2 = a2 - y
        dz1 = np.dot(w2.T, dz2) * a1 * (1 - a1)
        return (
            np.dot(dz1, X.T) / m,
            np.sum(dz1, axis=1, keepdims=True) / m,
            np.dot(dz2, a1.T) / m,
            np.sum(dz2, axis=1, keepdims=True) / m,
        )

    def entrenarRed(self, epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
        self.historial = []
        for _ in range(epocas):
            a1, a2 = self.feedForward(X, w1, w2, b1, b2)
            self.historial.append(self.costoGlobal(a2, y))
            dw1, db1, dw2, db2 = self.backProp(X, y, w1, w2, b1, b2, a2, a1)
            w1 -= lr * dw1
            b1 -= lr * db1
            w2 -= lr * dw2
            b2 -= lr * db2
        return w1, b1, w2, b2

    def graficar(self):
        plt.plot(self.historial)
        plt.show()


# %%
red = RedNeuronal(2, 3)
feedForward = red.feedForward
costoGlobal = red.costoGlobal
backProp = red.backProp
entrenarRed = red.entrenarRed

# %%
X = np.array([[0, 0, 1, 1], [0, 1, 0, 1]], dtype=float)
y = np.array([[0, 1, 1, 0]], dtype=float)
pesos = red.entrenarRed(100000, 0.5, X, y, np.ones((3, 2)), np.zeros((3, 1)), np.ones((1, 3)), np.zeros((1, 1)), None, None)
red.graficar()
