# Pablo Medina - taller XOR
import numpy as np


def sigmoide(z):
    return 1 / (1 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    # X: (n_entradas, m)  w1: (n_ocultas, n_entradas)
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2


def costoGlobal(y_est, y):
    m = y.shape[1]
    J = -1 / m * np.sum(y * np.log(y_est) + (1 - y) * np.log(1 - y_est))
    return J


# backProp y entrenarRed los sigo despues


X = np.array([[0, 0, 1, 1], [0, 1, 0, 1]])
y = np.array([[0, 1, 1, 0]])
w1 = np.random.randn(2, 2)
b1 = np.random.randn(2, 1)
w2 = np.random.randn(1, 2)
b2 = np.random.randn(1, 1)

a1, a2 = feedForward(X, w1, w2, b1, b2)
print(a2)
print("costo:", costoGlobal(a2, y))
