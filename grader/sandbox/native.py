"""The C library, for the few kernel calls Python's standard library does not wrap."""

from __future__ import annotations

import ctypes
import functools
import os


@functools.cache
def libc() -> ctypes.CDLL:
    handle = ctypes.CDLL(None, use_errno=True)
    handle.syscall.restype = ctypes.c_long
    return handle


def check(result: int, what: str) -> int:
    """Raise ``OSError`` for a failed call (a negative result), naming ``what``."""
    if result < 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{what}: {os.strerror(code)}")
    return result


def syscall(number: int, *args: object, what: str) -> int:
    return check(int(libc().syscall(number, *args)), what)
