"""A place in the student's code, as the student knows it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Location:
    """A place in the student's code as the student knows it: the file relative to the submission's
    root (never an absolute path), the notebook cell (1-based, as Jupyter numbers them; None in a
    module) and the 1-based line (in the cell for a notebook, in the file for a module). Renderers
    put it into words in their language; annotations take file and line from it."""

    file: str
    cell: int | None
    line: int

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "cell": self.cell, "line": self.line}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Location:
        cell = data.get("cell")
        return cls(file=str(data["file"]), cell=None if cell is None else int(cell), line=int(data["line"]))
