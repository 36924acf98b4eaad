# Taller 2 - Red neuronal para la compuerta XOR
# Luis Pérez - Aprendizaje Supervisado
#
# Trabajo con las instancias en FILAS porque así vienen los datos en los CSV
# (X es de m x 2), entonces todo queda traspuesto respecto a las diapositivas.

import numpy as np
import matplotlib.pyplot as plt


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def dsigmoid(a):
    # derivada de la sigmoide escrita en función de la activación
    return a * (1.0 - a)


def feedForward(X, w1, w2, b1, b2):
    z1 = X @ w1 + b1        # (m, n_h)
    a1 = sigmoid(z1)
    z2 = a1 @ w2 + b2       # (m, 1)
    a2 = sigmoid(z2)
    return a1, a2


def costoGlobal(y_est, y):
    m = y.shape[0]
    J = -np.sum(y * np.log(y_est) + (1 - y) * np.log(1 - y_est)) / m
    return J


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    m = X.shape[0]
    delta2 = a2 - y                               # (m, 1)
    dw2 = a1.T @ delta2 / m                       # (n_h, 1)
    db2 = np.sum(delta2, axis=0, keepdims=True) / m
    delta1 = (delta2 @ w2.T) * dsigmoid(a1)       # (m, n_h)
    dw1 = X.T @ delta1 / m                        # (2, n_h)
    db1 = np.sum(delta1, axis=0, keepdims=True) / m
    return dw1, db1, dw2, db2


def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
    for epoca in range(epocas):
        a1, a2 = feedForward(X, w1, w2, b1, b2)
        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
        w1 = w1 - lr * dw1
        w2 = w2 - lr * dw2
        b1 = b1 - lr * db1
        b2 = b2 - lr * db2
        if epoca % 2000 == 0:
            print(f"epoca {epoca}: J = {costoGlobal(a2, y):.5f}")
    return w1, w2, b1, b2


if __name__ == "__main__":
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([[0], [1], [1], [0]], dtype=float)

    np.random.seed(7)
    n_h = 3
    w1 = np.random.uniform(-1, 1, (2, n_h))
    b1 = np.zeros((1, n_h))
    w2 = np.random.uniform(-1, 1, (n_h, 1))
    b2 = np.zeros((1, 1))

    a1, a2 = feedForward(X, w1, w2, b1, b2)
    print("costo inicial:", costoGlobal(a2, y))

    w1, w2, b1, b2 = entrenarRed(20000, 1.0, X, y, w1, b1, w2, b2, a1, a2)

    _, a2 = feedForward(X, w1, w2, b1, b2)
    print("salida de la red:")
    print(np.round(a2, 3))

    # frontera de decision
    xx, yy = np.meshgrid(np.linspace(-0.5, 1.5, 200), np.linspace(-0.5, 1.5, 200))
    grilla = np.c_[xx.ravel(), yy.ravel()]
    _, zz = feedForward(grilla, w1, w2, b1, b2)
    plt.contourf(xx, yy, zz.reshape(xx.shape), levels=20, cmap="RdBu")
    plt.scatter(X[:, 0], X[:, 1], c=y.ravel(), edgecolors="k", s=100)
    plt.title("XOR - frontera de decision")
    plt.show()
