# Attack (by accident, often): wait for someone to type, at the top level and in a function.
import builtins
import sys

import numpy as np


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2

nombre = input("¿Cómo te llamas? ")
edad = builtins.input("¿Edad? ")
linea = sys.stdin.readline()
todo = sys.stdin.read()


def costoGlobal(y_est, y):
    respuesta = input("¿Cuál es el costo? ")
    return float(respuesta)
