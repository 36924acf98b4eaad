# Camila Herrera
# Taller XOR - red neuronal con numpy
# (uso snake_case porque así nos enseñaron en Programación II)

import numpy as np
import matplotlib.pyplot as plt

np.random.seed(2024)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def feed_forward(X, w1, w2, b1, b2):
    """Propagación hacia adelante. X tiene una instancia por columna."""
    z1 = w1 @ X + b1
    a1 = sigmoid(z1)
    z2 = w2 @ a1 + b2
    a2 = sigmoid(z2)
    return a1, a2


def costo_global(y_est, y):
    """Entropía cruzada binaria promedio."""
    perdida = -(y * np.log(y_est) + (1 - y) * np.log(1 - y_est))
    return np.mean(perdida)


def back_prop(X, y, w1, w2, b1, b2, a2, a1):
    m = X.shape[1]
    dz2 = a2 - y
    dw2 = (dz2 @ a1.T) / m
    db2 = np.mean(dz2, axis=1, keepdims=True)
    dz1 = (w2.T @ dz2) * a1 * (1 - a1)
    dw1 = (dz1 @ X.T) / m
    db1 = np.mean(dz1, axis=1, keepdims=True)
    return dw1, db1, dw2, db2


def entrenar_red(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
    historial = []
    for epoca in range(epocas):
        a1, a2 = feed_forward(X, w1, w2, b1, b2)
        historial.append(costo_global(a2, y))
        dw1, db1, dw2, db2 = back_prop(X, y, w1, w2, b1, b2, a2, a1)
        w1 = w1 - lr * dw1
        b1 = b1 - lr * db1
        w2 = w2 - lr * dw2
        b2 = b2 - lr * db2
        if epoca % 1000 == 0:
            print("epoca", epoca, "costo", round(historial[-1], 4))
    return w1, b1, w2, b2, historial


X = np.array([[0, 0, 1, 1], [0, 1, 0, 1]], dtype=float)
y = np.array([[0, 1, 1, 0]], dtype=float)

neuronas_ocultas = 4
w1 = np.random.normal(0, 1, (neuronas_ocultas, 2))
b1 = np.zeros((neuronas_ocultas, 1))
w2 = np.random.normal(0, 1, (1, neuronas_ocultas))
b2 = np.zeros((1, 1))
a1, a2 = feed_forward(X, w1, w2, b1, b2)

w1, b1, w2, b2, historial = entrenar_red(8000, 0.7, X, y, w1, b1, w2, b2, a1, a2)

plt.figure(figsize=(8, 4))
plt.plot(historial, color="purple")
plt.xlabel("epoca")
plt.ylabel("costo")
plt.grid(True)
plt.show()

a1, a2 = feed_forward(X, w1, w2, b1, b2)
print("Predicciones:", (a2 > 0.5).astype(int))
