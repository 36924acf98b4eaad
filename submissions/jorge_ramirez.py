# Jorge Ramírez - Taller 2 Aprendizaje Supervisado
# red neuronal para resolver XOR (una capa oculta)

import numpy as np


def sigmoid(z):
    return 1/(1 + np.exp(-z))


def sigmoid_derivada(a):
    return a*(1 - a)


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoid(w1.dot(X) + b1)
    a2 = sigmoid(w2.dot(a1) + b2)
    return a1, a2


def costoGlobal(y_est, y):
    m = y.shape[1]
    J = (-1/m)*np.sum(y*np.log(y_est) + (1 - y)*np.log(1 - y_est))
    return J


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    # error en la salida
    error2 = a2 - y
    dw2 = error2.dot(a1.T)
    db2 = np.sum(error2, axis=1, keepdims=True)
    # error en la capa oculta
    error1 = w2.T.dot(error2)*sigmoid_derivada(a1)
    dw1 = error1.dot(X.T)
    db1 = np.sum(error1, axis=1, keepdims=True)
    return dw1, db1, dw2, db2


def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
    J_historia = []
    for epoca in range(epocas):
        a1, a2 = feedForward(X, w1, w2, b1, b2)
        J_historia.append(costoGlobal(a2, y))
        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
        w1 = w1 - lr*dw1
        b1 = b1 - lr*db1
        w2 = w2 - lr*dw2
        b2 = b2 - lr*db2
    return w1, b1, w2, b2, J_historia


# ---------------- prueba ----------------
X = np.array([[0, 0, 1, 1],
              [0, 1, 0, 1]])
y = np.array([[0, 1, 1, 0]])

np.random.seed(1)
w1 = np.random.randn(4, 2)*0.5
b1 = np.zeros((4, 1))
w2 = np.random.randn(1, 4)*0.5
b2 = np.zeros((1, 1))
a1, a2 = feedForward(X, w1, w2, b1, b2)

w1, b1, w2, b2, J_historia = entrenarRed(10000, 0.1, X, y, w1, b1, w2, b2, a1, a2)
print("J inicial:", J_historia[0])
print("J final:", J_historia[-1])
_, salida = feedForward(X, w1, w2, b1, b2)
for i in range(4):
    print(X[:, i], "->", round(float(salida[0, i]), 3))
