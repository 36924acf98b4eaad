# Juliana Pardo - Taller 3 Aprendizaje Supervisado
# Regresión logística: ¿aprueba el estudiante según horas de estudio y asistencia?

import numpy as np
import matplotlib.pyplot as plt


def sigmoide(z):
    return 1 / (1 + np.exp(-z))


def calcularCostoLogistico(X, y, theta):
    # mismo costo que en regresión lineal pero con la hipótesis sigmoide
    m = len(y)
    h = sigmoide(np.dot(X, theta))
    return np.sum((h - y) ** 2) / (2 * m)


def calcularGradienteLogistico(X, y, theta):
    m = len(y)
    h = sigmoide(np.dot(X, theta))
    return np.dot(X.T, h - y) / m


def descensoGradienteLogistico(X, y, theta, alpha, iteraciones):
    historial = np.zeros(iteraciones)
    for i in range(iteraciones):
        theta = theta - alpha * calcularGradienteLogistico(X, y, theta)
        historial[i] = calcularCostoLogistico(X, y, theta)
    return theta, historial


def predecir(X, theta):
    return np.where(sigmoide(np.dot(X, theta)) >= 0.5, 1, 0)


if __name__ == "__main__":
    horas = np.array([0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0])
    asistencia = np.array([0.6, 0.4, 0.8, 0.5, 0.9, 0.7, 0.6, 0.95, 0.85, 0.9])
    aprueba = np.array([0, 0, 0, 0, 1, 0, 1, 1, 1, 1])

    X = np.column_stack((np.ones(10), (horas - horas.mean()) / horas.std(),
                         (asistencia - asistencia.mean()) / asistencia.std()))
    theta, historial = descensoGradienteLogistico(X, aprueba, np.zeros(3), 1.0, 500)
    print(theta)
    print("exactitud:", np.mean(predecir(X, theta) == aprueba))
    plt.plot(historial)
    plt.show()
