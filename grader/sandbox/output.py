"""What a submission's code printed, as its report shows it.

Workers print to a file the grader opened for them (append-only, within the file size limit). The grader
reads it without following a link or blocking on a pipe, whatever stands at its name by then; leaves out
what a load after the first printed again (a notebook's top-level cells, run anew after a crash); and
stops reading a file for good once the worker printing to it is given hidden inputs.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Captured:
    """What the student's code printed in the public worker, the text, capped; the cap when the text was
    cut there (``None`` when whole); and whether output printed during hidden cases was left out."""

    text: str
    cut_at_bytes: int | None
    withheld_hidden: bool


class PrintedOutput:
    """The output of a submission's public workers: the file they print to now (``path``), and what the
    one sealed for the hidden cases had printed when it was sealed."""

    def __init__(self, path: Path, *, cap_bytes: int) -> None:
        self.path = path
        self._cap_bytes = cap_bytes
        self._before_seal = b""
        self._made: Path | None = None
        self._loads = 0
        # Spans of ``path`` that loads after the first printed: the same as the first load printed.
        self._repeated: list[tuple[int, int]] = []

    @contextmanager
    def loading(self) -> Iterator[None]:
        """Around a load: what one after the first prints is left out."""
        start = _size(self.path)
        try:
            yield
        finally:
            end = _size(self.path)
            if self._loads and end > start:
                self._repeated.append((start, end))
            self._loads += 1

    def seal(self, then: Path) -> None:
        """The worker printing to ``path`` is about to be given hidden inputs: what it printed is read now,
        and its file never again (a thread's later lines, a write at an earlier offset: nothing after this
        moment is shown). Workers loaded later print to ``then``, which :meth:`close` removes."""
        self._before_seal = self._read()
        self._repeated = []
        self.path = self._made = then

    def captured(self, *, withheld_hidden: bool) -> Captured:
        data = self._before_seal + self._read()
        text = data[: self._cap_bytes].decode("utf-8", errors="replace")
        return Captured(text, self._cap_bytes if len(data) > self._cap_bytes else None, withheld_hidden)

    def close(self) -> None:
        if self._made is not None:
            self._made.unlink(missing_ok=True)
            self._made = None

    def _read(self) -> bytes:
        """Up to one byte more than the cap of what was printed to ``path``, without what loads after the
        first printed again."""
        wanted = self._cap_bytes + 1
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return b""
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return b""
            data = handle.read(wanted + sum(end - start for start, end in self._repeated))
        kept, at = [], 0
        for start, end in self._repeated:
            kept.append(data[at:start])
            at = max(at, end)
        kept.append(data[at:])
        return b"".join(kept)[:wanted]


def _size(path: Path) -> int:
    """The size of the regular file at ``path`` (0 when there is none)."""
    try:
        info = os.lstat(path)
    except OSError:
        return 0
    return info.st_size if stat.S_ISREG(info.st_mode) else 0
