"""The linreg reference, except that its cost ends the process computing it when theta holds SENTINEL.

The grader computes the cost of the parameters a student's training function returns, in its own
process: a submission that returns SENTINEL makes that process die while grading it, as the kernel's
out-of-memory killer would end a grader computing on arrays a submission made too large.
"""

from __future__ import annotations

import os
import signal

import numpy as np
from numpy.typing import ArrayLike

from reference.linreg import calcularCosto as _calcular_costo
from reference.linreg import descensoGradiente as descensoGradiente
from reference.linreg import least_squares as least_squares

SENTINEL = 4242.0


def calcularCosto(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> float:
    if np.any(np.asarray(theta, dtype=float) == SENTINEL):
        os.kill(os.getpid(), signal.SIGKILL)
    return _calcular_costo(X, y, theta)
