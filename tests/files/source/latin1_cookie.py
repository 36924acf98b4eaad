# -*- coding: latin-1 -*-
# normalización de características
def normalizar(X):
    """Devuelve X normalizada, la media (“mu”) y la desviación."""
    mu = X.mean(axis=0)
    sigma = X.std(axis=0)
    return (X - mu) / sigma, mu, sigma
