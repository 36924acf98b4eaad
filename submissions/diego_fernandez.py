# -*- coding: utf-8 -*-
# Diego Fernández
# Taller XOR (red 2-2-1)

import numpy as np
import matplotlib.pyplot as plt


def sigmoide(z):
    return 1 / (1 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    z1 = np.dot(w1, X) + b1
    a1 = sigmoide(z1)
    z2 = np.dot(w2, a1) + b2
    a2 = sigmoide(z2)
    return a1, a2


def costoGlobal(y_est, y):
    m = y.shape[1]
    logprobs = y * np.log(y_est) + (1 - y) * np.log(1 - y_est)
    costo = -np.sum(logprobs) / m
    return costo


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    m = X.shape[1]
    # capa de salida
    dz2 = a2 - y
    dw2 = np.dot(dz2, a1.T) / m
    db2 = np.sum(dz2, axis=1, keepdims=True) / m
    # capa oculta
    dz1 = np.dot(w2.T, dz2)
    dw1 = np.dot(dz1, X.T) / m
    db1 = np.sum(dz1, axis=1, keepdims=True) / m
    return dw1, db1, dw2, db2


def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
    costos = []
    for i in range(epocas):
        a1, a2 = feedForward(X, w1, w2, b1, b2)
        costos.append(costoGlobal(a2, y))
        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
        w1 = w1 - lr * dw1
        b1 = b1 - lr * db1
        w2 = w2 - lr * dw2
        b2 = b2 - lr * db2
    return w1, b1, w2, b2, costos


X = np.array([[0, 0, 1, 1], [0, 1, 0, 1]])
y = np.array([[0, 1, 1, 0]])

np.random.seed(3)
w1 = np.random.randn(2, 2)
b1 = np.zeros((2, 1))
w2 = np.random.randn(1, 2)
b2 = np.zeros((1, 1))
a1, a2 = feedForward(X, w1, w2, b1, b2)

epocas = 5000
lr = 0.3
w1, b1, w2, b2, costos = entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2)
print("costo final", costos[-1])

a1, a2 = feedForward(X, w1, w2, b1, b2)
print(a2)

plt.plot(costos)
plt.title("costo vs epocas")
plt.show()
