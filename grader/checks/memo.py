"""Reference results remembered across submissions: they depend only on the inputs, not on the student.

Every submission of a run is graded on the same cases, so the reference outputs, the reference
training trajectories and the finite-difference gradients of a case are computed once per run instead
of once per submission. Remembered arrays are made read-only, so a consumer that mutated one would fail
loudly instead of corrupting the next submission's expected values.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")


class Memo:
    """A thread-safe map from a computation's key to its (frozen) result."""

    def __init__(self) -> None:
        self._results: dict[Hashable, Any] = {}
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._results:
                self.hits += 1
                return self._results[key]  # type: ignore[no-any-return]
        value = _frozen(compute())
        with self._lock:
            self.misses += 1
            return self._results.setdefault(key, value)  # type: ignore[no-any-return]


def function_key(function: Callable[..., Any]) -> Hashable:
    """A stable key for a function: its module and qualified name (through wrappers and partials)."""
    if isinstance(function, functools.partial):
        return (function_key(function.func), function.args, tuple(sorted(function.keywords.items())))
    inner = getattr(function, "__wrapped__", function)
    return (getattr(inner, "__module__", None), getattr(inner, "__qualname__", repr(inner)))


def values_key(values: Mapping[str, Any], names: tuple[str, ...]) -> bytes:
    """A digest of the named values (arrays by dtype, shape and bytes; anything else by repr)."""
    digest = hashlib.blake2b(digest_size=16)
    for name in names:
        value = values.get(name)
        if isinstance(value, np.ndarray):
            digest.update(f"{name}\0{value.dtype.str}{value.shape}\0".encode())
            digest.update(value.tobytes())
        else:
            digest.update(f"{name}\0{value!r}\0".encode())
    return digest.digest()


def _frozen(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif isinstance(value, tuple | list):
        for item in value:
            _frozen(item)
    elif isinstance(value, dict):
        for item in value.values():
            _frozen(item)
    return value
