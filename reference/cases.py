"""Case generators: the inputs (and derived values) a rubric's checks feed to student functions.

A generator takes a NumPy random generator and the case's sizes, and returns a dict of named values
in the reference's layout. The grader passes values to each function by parameter name, so a case
holds everything any task of the workshop needs.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from reference import linreg, xor


def xor_case(
    rng: np.random.Generator, *, n_inputs: int, n_hidden: int, m: int, dataset: str = "random"
) -> dict[str, Any]:
    """A network with random parameters on random data, or on the n-input XOR (parity) truth table."""
    if dataset == "xor":
        table = np.array(list(itertools.product((0.0, 1.0), repeat=n_inputs)))
        X = table.T
        y = (table.sum(axis=1) % 2).reshape(1, -1)
    elif dataset == "random":
        X = rng.uniform(-1.0, 1.0, size=(n_inputs, m))
        y = rng.integers(0, 2, size=(1, m)).astype(np.float64)
    else:
        raise ValueError(f"unknown dataset {dataset!r}")
    w1 = rng.normal(0.0, 1.0, size=(n_hidden, n_inputs))
    b1 = rng.normal(0.0, 0.5, size=(n_hidden, 1))
    w2 = rng.normal(0.0, 1.0, size=(1, n_hidden))
    b2 = rng.normal(0.0, 0.5, size=(1, 1))
    a1, a2 = xor.feedForward(X, w1, w2, b1, b2)
    return {"X": X, "y": y, "w1": w1, "b1": b1, "w2": w2, "b2": b2, "a1": a1, "a2": a2, "y_est": a2}


def linreg_case(rng: np.random.Generator, *, m: int, n: int, raw: int = 0) -> dict[str, Any]:
    """A regression problem with n features on very different scales (what normalisation is for).

    ``features`` are the raw (m, n) features; ``X`` is (m, n + 1): a column of ones, then the
    standardised features, so that gradient descent converges in a reasonable number of iterations.

    With ``raw``, the first min(raw, n) feature columns of ``X`` (and of ``features``) hold modest raw
    values instead, as in the slides' first example: a mean between 0.5 and 1 and a deviation between 0.6
    and 1, neither centred nor standardised. On centred columns the slopes' gradient does not depend on
    θ0, so updating θ0 before the slopes (a non-simultaneous update) would not show. Being modest, they
    keep the largest eigenvalue of XᵀX/m below about 4, so that every rate the rubrics use, up to 0.37,
    still makes gradient descent go down; and m > n + 1 keeps least squares well-posed.
    """
    centres = rng.uniform(-50.0, 50.0, size=n)
    scales = rng.uniform(0.5, 20.0, size=n)
    features = centres + scales * rng.normal(size=(m, n))
    normalised, _, _ = linreg.normalizar(features)
    k = min(raw, n)
    if k:
        # Drawn only for such cases: the other cases stay what they always were.
        means = rng.uniform(0.5, 1.0, size=k)
        deviations = rng.uniform(0.6, 1.0, size=k)
        features[:, :k] = means + deviations * normalised[:, :k]
    X = np.hstack([np.ones((m, 1)), features[:, :k], normalised[:, k:]])
    true_theta = rng.normal(0.0, 3.0, size=n + 1)
    y = X @ true_theta + rng.normal(0.0, 0.5, size=m)
    theta = rng.normal(0.0, 1.0, size=n + 1)
    return {"X": X, "y": y, "theta": theta, "features": features}
