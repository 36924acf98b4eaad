"""Array conventions students use (instances as columns or rows, vectors flat or as columns)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Convention:
    """How a student lays out the arrays, relative to the reference's own layout.

    ``transpose``: every 2-D array is the transpose of the reference's (instances as rows instead of
    the slides' columns). ``column_vectors``: names of 1-D reference arrays the student holds as
    (k, 1) columns. ``note``: the note a task gets when this convention is the one that works.
    """

    id: str
    transpose: bool = False
    column_vectors: frozenset[str] = frozenset()
    note: str | None = None

    @property
    def is_identity(self) -> bool:
        return not self.transpose and not self.column_vectors

    def to_student(self, name: str, value: Any) -> Any:
        """A reference-layout value as the student expects to receive (or return) it."""
        if not isinstance(value, np.ndarray):
            return value
        if self.transpose and value.ndim == 2:
            return np.ascontiguousarray(value.T)
        if name in self.column_vectors and value.ndim == 1:
            return value.reshape(-1, 1)
        return value

    def from_student(self, name: str, value: Any) -> Any:
        """A student-layout value back in the reference's layout (when its shape allows it)."""
        if not isinstance(value, np.ndarray):
            return value
        if self.transpose and value.ndim == 2:
            return np.ascontiguousarray(value.T)
        if name in self.column_vectors and value.ndim == 2 and value.shape[1] == 1:
            return value.reshape(-1)
        return value

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "transpose": self.transpose, "column_vectors": sorted(self.column_vectors)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Convention:
        return cls(
            id=str(data["id"]),
            transpose=bool(data.get("transpose", False)),
            column_vectors=frozenset(data.get("column_vectors", ())),
        )


IDENTITY = Convention(id="reference")
