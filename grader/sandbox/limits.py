"""Resource limits applied inside a worker before any student code runs."""

from __future__ import annotations

import resource
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Limits:
    """What one worker may use. Times in seconds, sizes in bytes."""

    call_timeout_s: float = 10.0
    load_timeout_s: float = 20.0
    statement_timeout_s: float = 2.0
    memory_bytes: int = 2 * 1024**3
    cpu_seconds: int = 300
    file_bytes: int = 16 * 1024**2
    output_bytes: int = 64 * 1024
    result_bytes: int = 64 * 1024**2

    def to_json(self) -> dict[str, Any]:
        return {
            "memory_bytes": self.memory_bytes,
            "cpu_seconds": self.cpu_seconds,
            "file_bytes": self.file_bytes,
        }


def apply_rlimits(limits: dict[str, Any]) -> None:
    """Set the kernel limits of the current process (called in the freshly forked worker)."""
    _set(resource.RLIMIT_CORE, 0)
    _set(resource.RLIMIT_AS, int(limits["memory_bytes"]))
    _set(resource.RLIMIT_CPU, int(limits["cpu_seconds"]))
    _set(resource.RLIMIT_FSIZE, int(limits["file_bytes"]))


def _set(which: int, value: int) -> None:
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value))
