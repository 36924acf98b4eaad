# Samuel Ríos - Taller 3: Clasificación con regresión logística
# Aprendizaje Supervisado
#
# Clasificación de tumores (benigno = 0, maligno = 1) a partir del tamaño y la textura.
# Trabajo con vectores columna, como en Octave: theta es (n+1, 1) y y es (m, 1).

import numpy as np
import matplotlib.pyplot as plt

sigmoide = lambda z: 1.0 / (1.0 + np.exp(-z))


def calcularCostoLogistico(X, y, theta):
    m = X.shape[0]
    h = sigmoide(np.dot(X, theta))
    J = -(np.dot(y.T, np.log(h)) + np.dot((1 - y).T, np.log(1 - h))) / m
    return J[0, 0]


def calcularGradienteLogistico(X, y, theta):
    m = X.shape[0]
    h = sigmoide(np.dot(X, theta))
    return np.dot(X.T, h - y) / m


def descensoGradienteLogistico(X, y, theta, alpha, iteraciones):
    J_historia = np.zeros((iteraciones, 1))
    for it in range(iteraciones):
        grad = calcularGradienteLogistico(X, y, theta)
        theta = theta - alpha * grad
        J_historia[it] = calcularCostoLogistico(X, y, theta)
    return theta, J_historia


def predecir(X, theta):
    m = X.shape[0]
    p = np.zeros((m, 1))
    probabilidad = sigmoide(np.dot(X, theta))
    p[probabilidad >= 0.5] = 1
    return p


# tamaño (mm), textura (índice)
datos = np.array([
    [11.2, 14.3, 0], [20.5, 22.1, 1], [13.0, 18.7, 0], [17.9, 25.3, 1],
    [12.4, 15.8, 0], [19.7, 19.9, 1], [10.8, 21.4, 0], [15.1, 26.0, 1],
    [14.2, 13.1, 0], [22.3, 24.8, 1], [12.9, 17.2, 0], [18.4, 20.6, 1],
])
X = datos[:, :2]
y = datos[:, 2].reshape(-1, 1)
m = len(y)

# normalizo a mano para que alpha pueda ser grande
mu = X.mean(axis=0)
sigma = X.std(axis=0)
X_norm = (X - mu) / sigma
X_b = np.hstack((np.ones((m, 1)), X_norm))

theta = np.zeros((3, 1))
print("Costo inicial:", calcularCostoLogistico(X_b, y, theta))   # 0.693...

theta, J_historia = descensoGradienteLogistico(X_b, y, theta, 0.5, 2000)
print("theta:", theta.ravel())
print("Precisión en entrenamiento:", np.mean(predecir(X_b, theta) == y) * 100, "%")

plt.plot(J_historia)
plt.xlabel("Iteración")
plt.ylabel("J(theta)")
plt.title("Convergencia del descenso de gradiente")
plt.show()
