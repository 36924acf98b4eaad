"""
Taller red neuronal XOR
Carlos Ruiz
Aprendizaje supervisado
"""
import numpy as np

np.random.seed(0)


def sigmoide(x):
    return 1/(1+np.exp(-x))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2


def costoGlobal(y_est, y):
    return -np.mean(y*np.log(y_est) + (1-y)*np.log(1-y_est))


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    m = y.shape[1]
    dz2 = a2 - y
    dw2 = dz2 @ a1.T / m
    db2 = dz2.sum(axis=1, keepdims=True) / m
    dz1 = (w2.T @ dz2) * (a1*(1-a1))
    dw1 = dz1 @ X.T / m
    db1 = dz1.sum(axis=1, keepdims=True) / m
    return dw1, db1, dw2, db2


def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
    # los pesos se actualizan directamente sobre los arrays que entran,
    # asi no hay que devolver nada
    for ep in range(epocas):
        a1, a2 = feedForward(X, w1, w2, b1, b2)
        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
        w1 -= lr*dw1
        b1 -= lr*db1
        w2 -= lr*dw2
        b2 -= lr*db2
        if ep % 1000 == 0:
            print(ep, costoGlobal(a2, y))


X = np.array([[0., 0., 1., 1.],
              [0., 1., 0., 1.]])
y = np.array([[0., 1., 1., 0.]])

# 2 entradas, 3 neuronas ocultas, 1 salida
w1 = np.random.rand(3, 2) - 0.5
b1 = np.zeros((3, 1))
w2 = np.random.rand(1, 3) - 0.5
b2 = np.zeros((1, 1))
a1, a2 = feedForward(X, w1, w2, b1, b2)

entrenarRed(10000, 0.8, X, y, w1, b1, w2, b2, a1, a2)

print("w1 =", w1)
print("w2 =", w2)
a1, a2 = feedForward(X, w1, w2, b1, b2)
print("resultado:", a2)
print("redondeado:", np.round(a2))
