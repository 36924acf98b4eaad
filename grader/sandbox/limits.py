"""Resource limits applied inside a worker before any student code runs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Limits:
    """What one worker may use. Times in seconds, sizes in bytes.

    ``disk_bytes`` and ``disk_files`` bound the worker's private scratch folder (where the machine
    allows one); ``processes`` bounds the tasks (threads included) of a worker running under a uid of
    its own; ``output_bytes`` is what is kept of the student's printing.
    """

    call_timeout_s: float = 10.0
    load_timeout_s: float = 20.0
    statement_timeout_s: float = 2.0
    # Running a whole notebook ("--exec notebook"): per top-level statement, and for the whole load.
    cell_timeout_s: float = 10.0
    notebook_timeout_s: float = 60.0
    memory_bytes: int = 2 * 1024**3
    cpu_seconds: int = 300
    file_bytes: int = 16 * 1024**2
    open_files: int = 256
    processes: int = 64
    disk_bytes: int = 64 * 1024**2
    disk_files: int = 4096
    output_bytes: int = 64 * 1024
    result_bytes: int = 64 * 1024**2

    def to_json(self) -> dict[str, Any]:
        """What the worker itself needs to know."""
        return {
            "memory_bytes": self.memory_bytes,
            "cpu_seconds": self.cpu_seconds,
            "file_bytes": self.file_bytes,
            "open_files": self.open_files,
            "processes": self.processes,
            "disk_bytes": self.disk_bytes,
            "disk_files": self.disk_files,
            "output_bytes": self.output_bytes,
            "result_bytes": self.result_bytes,
        }


def apply_rlimits(limits: dict[str, Any], *, own_uid: bool = False) -> None:
    """Set the kernel limits of the current process (called in the freshly forked worker).

    ``own_uid``: the worker is about to run as a uid no other process uses, so RLIMIT_NPROC (which
    counts every task of the uid, and is ignored for root) bounds the worker alone.
    """
    # Imported here: the limits themselves are plain data, read also where there is no ``resource``
    # module (a self-check on Windows takes its time limits from them).
    import resource

    _set(resource.RLIMIT_CORE, 0)
    _set(resource.RLIMIT_AS, int(limits["memory_bytes"]))
    _set(resource.RLIMIT_CPU, int(limits["cpu_seconds"]))
    _set(resource.RLIMIT_FSIZE, int(limits["file_bytes"]))
    if "open_files" in limits:
        _set(resource.RLIMIT_NOFILE, int(limits["open_files"]))
    if own_uid and "processes" in limits:
        _set(resource.RLIMIT_NPROC, int(limits["processes"]))


def _set(which: int, value: int) -> None:
    import resource

    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value))
