# Taller de regresión lineal - el descenso de gradiente dibuja con plotly y matplotlib y usa tqdm.auto
# (theta plano). seaborn se importa dentro de un try, como en Colab.

# %%
import numpy as np
import plotly.express as px
import matplotlib
import matplotlib.pyplot as plt
from tqdm.auto import trange

try:
    import seaborn as sns
except ImportError:
    sns = None

matplotlib.use("Agg")


# %%
def calcularCosto(X, y, theta):
    m = len(y)
    return np.sum((X @ theta - y) ** 2) / (2 * m)


def calcularGradiente(X, y, theta):
    return X.T @ (X @ theta - y) / len(y)


def descensoGradiente(X, y, theta, alpha, iteraciones):
    historial = []
    for i in trange(iteraciones, desc="descenso", leave=False):
        theta = theta - alpha * calcularGradiente(X, y, theta)
        historial.append(calcularCosto(X, y, theta))
        if i % 10 == 0:
            plt.scatter(X[:, 1], y)
            plt.plot(X[:, 1], X @ theta, color="red")
            plt.draw()
            sns.scatterplot(x=X[:, 1], y=y)
    figura = px.line(y=historial, title="J(theta)")
    figura.update_layout(xaxis_title="iteración")
    figura.show()
    return theta, historial


def normalizar(X):
    mu = np.mean(X, axis=0)
    sigma = np.std(X, axis=0)
    plt.hist(X.ravel(), bins=5)
    n, bins, barras = plt.hist(((X - mu) / sigma).ravel())
    return (X - mu) / sigma, mu, sigma
