# Javier Ortiz
# Linear regression workshop (hice el curso de Andrew Ng antes, por eso los nombres en ingles)

import numpy as np
import matplotlib.pyplot as plt


def featureNormalize(X):
    mu = np.mean(X, axis=0)
    sigma = np.std(X, axis=0)
    X_norm = (X - mu) / sigma
    return X_norm, mu, sigma


def computeCost(X, y, theta):
    m = y.size
    J = 1.0 / (2 * m) * np.sum((X.dot(theta) - y) ** 2)
    return J


def computeGradient(X, y, theta):
    m = y.size
    return X.T.dot(X.dot(theta) - y) / m


def gradientDescent(X, y, theta, alpha, num_iters):
    # copia para no modificar el theta original
    theta = theta.copy()
    J_history = []
    for i in range(num_iters):
        theta = theta - alpha * computeGradient(X, y, theta)
        J_history.append(computeCost(X, y, theta))
    return theta, J_history


# ex1data2 (primeras filas): tamano en pies^2, habitaciones, precio
data = np.array([
    [2104, 3, 399900], [1600, 3, 329900], [2400, 3, 369000],
    [1416, 2, 232000], [3000, 4, 539900], [1985, 4, 299900],
    [1534, 3, 314900], [1427, 3, 198999], [1380, 3, 212000],
    [1494, 3, 242500], [1940, 4, 239999], [2000, 3, 347000],
], dtype=float)
X = data[:, :2]
y = data[:, 2]
m = y.size

X, mu, sigma = featureNormalize(X)
X = np.concatenate([np.ones((m, 1)), X], axis=1)

alpha = 0.1
num_iters = 400
theta = np.zeros(3)
theta, J_history = gradientDescent(X, y, theta, alpha, num_iters)

print("Theta computed from gradient descent:", theta)
plt.plot(np.arange(len(J_history)), J_history, lw=2)
plt.xlabel("Number of iterations")
plt.ylabel("Cost J")
plt.show()

price = np.dot([1, (1650 - mu[0]) / sigma[0], (3 - mu[1]) / sigma[1]], theta)
print("Predicted price of a 1650 sq-ft, 3 br house: $%.0f" % price)
