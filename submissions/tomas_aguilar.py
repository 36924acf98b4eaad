# Tomás Aguilar
# Taller de redes neuronales: XOR
# Corre todo el entrenamiento y al final pregunta si seguir para ver las predicciones.

import numpy as np

UMBRAL_IMPRESION = 1000   # cada cuantas epocas mostrar el costo
SEMILLA = 11


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    z1 = np.matmul(w1, X) + b1
    a1 = sigmoide(z1)
    z2 = np.matmul(w2, a1) + b2
    a2 = sigmoide(z2)
    return a1, a2


def costoGlobal(y_est, y):
    m = y.shape[1]
    return float(-np.sum(y * np.log(y_est) + (1.0 - y) * np.log(1.0 - y_est)) / m)


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    m = X.shape[1]
    delta_salida = a2 - y
    dw2 = np.matmul(delta_salida, a1.T) / m
    db2 = delta_salida.sum(axis=1, keepdims=True) / m
    delta_oculta = np.matmul(w2.T, delta_salida) * a1 * (1.0 - a1)
    dw1 = np.matmul(delta_oculta, X.T) / m
    db1 = delta_oculta.sum(axis=1, keepdims=True) / m
    return dw1, db1, dw2, db2


def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
    historial = []
    for epoca in range(1, epocas + 1):
        a1, a2 = feedForward(X, w1, w2, b1, b2)
        J = costoGlobal(a2, y)
        historial.append(J)
        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
        w1 = w1 - lr * dw1
        b1 = b1 - lr * db1
        w2 = w2 - lr * dw2
        b2 = b2 - lr * db2
        if epoca % UMBRAL_IMPRESION == 0:
            print("Epoca %d  ->  J = %.6f" % (epoca, J))
    return w1, b1, w2, b2, historial


X = np.array([[0, 0, 1, 1],
              [0, 1, 0, 1]], dtype=np.float64)
y = np.array([[0, 1, 1, 0]], dtype=np.float64)

rng = np.random.default_rng(SEMILLA)
w1 = rng.standard_normal((3, 2))
b1 = rng.standard_normal((3, 1))
w2 = rng.standard_normal((1, 3))
b2 = rng.standard_normal((1, 1))
a1, a2 = feedForward(X, w1, w2, b1, b2)

w1, b1, w2, b2, historial = entrenarRed(200000, 0.1, X, y, w1, b1, w2, b2, a1, a2)

input("¿continuar?")

a1, a2 = feedForward(X, w1, w2, b1, b2)
print("Salida final:")
print(a2)
