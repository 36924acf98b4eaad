"""taller-grader: grade the NumPy workshops by running student functions against reference ones.

In a notebook: ``import grader`` then ``grader.check("feedForward")`` (one function) or ``grader.check()``
(the whole workshop); see :mod:`grader.notebook`.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "check"]


def __getattr__(name: str) -> Any:
    # Imported on first use: the grader's own processes (and every sandboxed worker) import this package,
    # and need none of what the notebook check loads.
    if name == "check":
        from grader.notebook import check

        return check
    raise AttributeError(f"module 'grader' has no attribute {name!r}")
