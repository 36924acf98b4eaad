"""Regresion lineal - Sebastian Moreno (taller 1)"""
import numpy as np
import matplotlib.pyplot as plt


def normalizar(X):
    mu = np.mean(X, axis=1)
    sigma = np.std(X, axis=1)
    X_norm = (X - mu.reshape(-1, 1)) / sigma.reshape(-1, 1)
    return X_norm, mu, sigma


def calcularCosto(X, y, theta):
    m = X.shape[0]
    h = np.dot(X, theta)
    J = (1 / (2 * m)) * np.sum(np.square(h - y))
    return J


def calcularGradiente(X, y, theta):
    m = X.shape[0]
    h = np.dot(X, theta)
    grad = (1 / m) * np.dot(X.T, h - y)
    return grad


def descensoGradiente(X, y, theta, alpha, iteraciones):
    theta = theta.copy()
    J_hist = np.zeros(iteraciones)
    for it in range(iteraciones):
        grad = calcularGradiente(X, y, theta)
        theta = theta - alpha * grad
        J_hist[it] = calcularCosto(X, y, theta)
    return theta, J_hist


# precio de autos usados: kilometraje (miles de km), antiguedad (anios), cilindrada (litros)
X = np.array([
    [45.0, 3, 1.6],
    [120.0, 8, 2.0],
    [80.0, 5, 1.4],
    [15.0, 1, 1.6],
    [200.0, 12, 2.4],
    [60.0, 4, 1.8],
    [95.0, 7, 1.3],
])
y = np.array([14.5, 7.8, 10.2, 18.9, 4.1, 13.0, 8.7])  # millones

Xn, mu, sigma = normalizar(X)
Xn = np.hstack([np.ones((X.shape[0], 1)), Xn])
theta0 = np.zeros(Xn.shape[1])

theta, J_hist = descensoGradiente(Xn, y, theta0, 0.1, 500)
print(theta)
print(J_hist[-5:])

fig, ax = plt.subplots()
ax.plot(J_hist)
ax.set_title("Convergencia")
plt.show()
