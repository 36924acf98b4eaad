# Taller de Regresión Lineal – Lucía Núñez
# Aprendizaje Supervisado, sección 2
#
# Predicción del precio de un departamento (en millones) según su área (m²),
# su antigüedad (años) y el número de baños.
# Trabajo todo con vectores columna: theta es (n+1, 1) y "y" es (m, 1).

import numpy as np
import matplotlib.pyplot as plt


def calcularCosto(X, y, theta):
    """Función de costo J = 1/(2m) · suma de los errores al cuadrado."""
    m = y.shape[0]
    error = X @ theta - y          # (m, 1)
    J = (error.T @ error) / (2 * m)
    return J[0, 0]


def calcularGradiente(X, y, theta):
    """Gradiente de J respecto a theta (vector columna, igual que theta)."""
    m = y.shape[0]
    return (X.T @ (X @ theta - y)) / m


def descensoGradiente(X, y, theta, alpha, iteraciones):
    J_hist = np.zeros(iteraciones)
    for i in range(iteraciones):
        theta = theta - alpha * calcularGradiente(X, y, theta)
        J_hist[i] = calcularCosto(X, y, theta)
    return theta, J_hist


def normalizar(X):
    # ¿Por qué normalizar? Porque el área está en cientos y los baños en unidades,
    # entonces el descenso de gradiente "zigzaguea" muchísimo.
    # Uso la desviación estándar muestral (ddof=1), como en Estadística.
    mu = np.mean(X, axis=0)
    sigma = np.std(X, axis=0, ddof=1)
    X_norm = (X - mu) / sigma
    return X_norm, mu, sigma


# área (m²), antigüedad (años), baños
datos = np.array([
    [54.0, 10.0, 1.0, 152.0],
    [72.0, 3.0, 2.0, 235.0],
    [38.0, 25.0, 1.0, 98.0],
    [90.0, 15.0, 2.0, 241.0],
    [120.0, 5.0, 3.0, 395.0],
    [65.0, 30.0, 1.0, 141.0],
    [48.0, 2.0, 1.0, 170.0],
    [102.0, 12.0, 2.0, 300.0],
    [81.0, 8.0, 2.0, 259.0],
])
X = datos[:, :3]
y = datos[:, 3].reshape(-1, 1)

X_norm, mu, sigma = normalizar(X)
m = X.shape[0]
X_b = np.hstack((np.ones((m, 1)), X_norm))
theta = np.zeros((X_b.shape[1], 1))

print("Costo con theta = 0:", calcularCosto(X_b, y, theta))
alpha = 0.03
iteraciones = 2000
theta, J_hist = descensoGradiente(X_b, y, theta, alpha, iteraciones)
print("theta óptimo:")
print(theta)

plt.plot(J_hist, "r-")
plt.title("Evolución del costo – ¡converge!")
plt.xlabel("Iteración")
plt.ylabel("J")
plt.show()

# Departamento de 70 m², 6 años, 2 baños
x = (np.array([70.0, 6.0, 2.0]) - mu) / sigma
precio = float(np.r_[1.0, x] @ theta[:, 0])
print("Precio estimado: €%.1f millones (¿razonable?)" % precio)
