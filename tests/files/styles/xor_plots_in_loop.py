# Taller XOR - la red se entrena con barra de progreso y grafica el costo mientras aprende
# (instancias en columnas). En Colab todo esto se ve; al calificar no debe costar nada.

# %%
import numpy as np
import matplotlib.pyplot as plt
import seaborn as sns
from tqdm.notebook import tqdm
from IPython.display import clear_output, display

sns.set_theme(style="whitegrid")
plt.rcParams["figure.figsize"] = (8, 4)


# %%
def sigmoide(z):
    return 1 / (1 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(w1 @ X + b1)
    return a1, sigmoide(w2 @ a1 + b2)


def costoGlobal(y_est, y):
    m = y.shape[1]
    return -np.sum(y * np.log(y_est) + (1 - y) * np.log(1 - y_est)) / m


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    m = X.shape[1]
    dz2 = a2 - y
    dz1 = (w2.T @ dz2) * a1 * (1 - a1)
    return dz1 @ X.T / m, dz1.sum(axis=1, keepdims=True) / m, dz2 @ a1.T / m, dz2.sum(axis=1, keepdims=True) / m


# %%
def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
    costos = []
    barra = tqdm(range(epocas), desc="Entrenando")
    for epoca in barra:
        a1, a2 = feedForward(X, w1, w2, b1, b2)
        costos.append(costoGlobal(a2, y))
        barra.set_postfix(costo=costos[-1])
        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
        w1, b1 = w1 - lr * dw1, b1 - lr * db1
        w2, b2 = w2 - lr * dw2, b2 - lr * db2
        if epoca % 50 == 0:
            clear_output(wait=True)
            fig, (ax1, ax2) = plt.subplots(1, 2)
            ax1.plot(costos)
            (linea,) = ax2.plot(a2.ravel(), "o")
            linea.set_color("red")
            sns.lineplot(x=range(len(costos)), y=costos, ax=ax1)
            display(fig)
            plt.pause(0.5)
            plt.close(fig)
    with plt.style.context("ggplot"):
        plt.plot(costos)
        plt.title(f"Costo final {costos[-1]:.4f}")
        plt.show()
    return w1, b1, w2, b2, costos
