"""Known wrong implementations of the workshop functions, to recognise a student's mistake from behaviour.

Each submodule (named like the reference module it mirrors) holds functions called
``<function>__<diagnosis_code>``, with exactly the signature and convention of the correct ``<function>``
but one classic mistake built in. When a student's output differs from the reference but matches one of
these on the same inputs, the diagnosis code names the likely mistake. Some mistakes coincide with the
correct function on special inputs (a missing mean is invisible with m = 1), so inputs meant to tell them
apart must avoid those cases.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

SEPARATOR = "__"


def mistakes_for(module_name: str, function: str) -> dict[str, Callable[..., Any]]:
    """Diagnosis code → wrong implementation of ``function``, from ``reference.mistakes.<module_name>``.

    Returns an empty mapping when the module knows no mistakes for that function; raises
    ``ModuleNotFoundError`` when there is no such module.
    """
    if not module_name.isidentifier():
        raise ValueError(f"not a module name: {module_name!r}")
    module = importlib.import_module(f"{__name__}.{module_name}")
    prefix = function + SEPARATOR
    found: dict[str, Callable[..., Any]] = {}
    for name, obj in sorted(vars(module).items()):
        # Only functions defined in that module count, not helpers it imported from the reference.
        if name.startswith(prefix) and callable(obj) and getattr(obj, "__module__", None) == module.__name__:
            found[name[len(prefix) :]] = obj
    return found
