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


def linreg_case(rng: np.random.Generator, *, m: int, n: int) -> dict[str, Any]:
    """A regression problem with n features on very different scales (what normalisation is for).

    ``features`` are the raw (m, n) features; ``X`` is (m, n + 1): a column of ones, then the
    standardised features, so that gradient descent converges in a reasonable number of iterations.
    """
    centres = rng.uniform(-50.0, 50.0, size=n)
    scales = rng.uniform(0.5, 20.0, size=n)
    features = centres + scales * rng.normal(size=(m, n))
    normalised, _, _ = linreg.normalizar(features)
    X = np.hstack([np.ones((m, 1)), normalised])
    true_theta = rng.normal(0.0, 3.0, size=n + 1)
    y = X @ true_theta + rng.normal(0.0, 0.5, size=m)
    theta = rng.normal(0.0, 1.0, size=n + 1)
    return {"X": X, "y": y, "theta": theta, "features": features}
