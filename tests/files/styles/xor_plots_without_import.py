# Taller XOR - el entrenamiento usa plt, trange y clear_output, pero solo se importan cuando
# MOSTRAR_GRAFICAS es verdadero (y no lo es); backProp importa matplotlib dentro de la función.
# Instancias en FILAS.

# %%
import numpy as np

MOSTRAR_GRAFICAS = False
if MOSTRAR_GRAFICAS:
    import matplotlib.pyplot as plt
    from tqdm import trange
    from IPython.display import clear_output

    print("gráficas activadas")


# %%
def feedForward(X, w1, w2, b1, b2):
    a1 = 1 / (1 + np.exp(-(X @ w1 + b1)))
    return a1, 1 / (1 + np.exp(-(a1 @ w2 + b2)))


def costoGlobal(y_est, y):
    return -np.mean(y * np.log(y_est) + (1 - y) * np.log(1 - y_est))


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    import matplotlib.pyplot as graficas

    m = X.shape[0]
    d2 = a2 - y
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    graficas.imshow(d1)
    return X.T @ d1 / m, d1.sum(axis=0, keepdims=True) / m, a1.T @ d2 / m, d2.sum(axis=0, keepdims=True) / m


def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
    for epoca in trange(epocas):
        a1, a2 = feedForward(X, w1, w2, b1, b2)
        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
        w1, b1, w2, b2 = w1 - lr * dw1, b1 - lr * db1, w2 - lr * dw2, b2 - lr * db2
        if epoca % 100 == 0:
            clear_output()
            plt.scatter(X[:, 0], X[:, 1], c=a2.ravel())
            plt.show()
    return w1, b1, w2, b2
