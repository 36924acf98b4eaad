"""The one submission a repository checkout or an autograder upload holds, and where its code lies in
the files on disk (annotations point at a line of the file GitHub shows, a notebook's JSON included)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from grader.defs import find_definitions
from grader.location import Location
from grader.source import SourceError, load_code
from grader.submission import (
    DEFAULT_READ_LIMITS,
    RefusedFile,
    Submission,
    folder_submission,
    read_regular_file,
)

Key = TypeVar("Key")

_SPACE = re.compile(r"[ \t\n\r]*")
_NBFORMAT = re.compile(r"-?[0-9]+(?![0-9.eE])")
# Numbers are skipped, never converted: a notebook may hold one thousands of digits long.
_DECODER = json.JSONDecoder(parse_int=lambda digits: 0, parse_float=lambda digits: 0.0)


@dataclass(frozen=True)
class FileLine:
    """A file on disk and, when known, the 1-based line of it that an annotation points at."""

    path: Path
    line: int | None


def checkout_submission(folder: Path, *, submission_id: str | None = None) -> Submission:
    """Everything gradable under ``folder`` as ONE submission: a student's repository or upload.

    The files are chosen as the batch run chooses them for a folder submission (tool folders and hidden
    ones left out), so a push is graded on the same files the instructor's run over the clones grades.
    """
    return folder_submission(folder.resolve(), submission_id=submission_id)


def disk_lines(submission: Submission, locations: Iterable[Location]) -> dict[Location, FileLine]:
    """Where each location lies in the submission's files on disk: a module's line is its own, a
    notebook's is the line of its JSON that holds that line of that cell. Locations naming no file
    of the submission are left out; a notebook that cannot be read gives the file without a line."""
    by_name = {Path(submission.display_name(path)).as_posix(): path for path in submission.files}
    maps: dict[Path, _LineMap] = {}
    found: dict[Location, FileLine] = {}
    for location in locations:
        path = by_name.get(location.file)
        if path is None:
            continue
        if path not in maps:
            maps[path] = _LineMap.of(path)
        found[location] = FileLine(path, maps[path].line(location))
    return found


def definition_lines(files: Iterable[Path], names: Iterable[str]) -> dict[str, FileLine]:
    """Where each of ``names`` is defined at module level, as a line of the file on disk.

    Python keeps the last definition of a name, so the last one found (files in order) is the one kept.
    Files that cannot be read are passed over: the grader's own result already says what is wrong.
    """
    wanted = set(names)
    found: dict[str, FileLine] = {}
    for path in files:
        data = _read(path)
        if data is None:
            continue
        try:
            units = load_code(data, filename=path.name).units
        except SourceError:
            continue
        lines = _LineMap(data, notebook=path.suffix.lower() == ".ipynb")
        callables: set[str] = set()
        for unit in units:
            for definition in find_definitions(unit.source, callables=callables).module_level():
                callables.add(definition.name)
                if definition.name in wanted:
                    line = definition.line + unit.first_line - 1 if unit.cell is None else definition.line
                    found[definition.name] = FileLine(path, lines.line(Location(path.name, unit.cell, line)))
    return found


def relative_locations(locations: Mapping[Key, FileLine], *, base: Path) -> dict[Key, FileLine]:
    """The locations with paths relative to ``base`` (a workspace) where they lie under it."""
    base = base.resolve()
    relative = {}
    for key, where in locations.items():
        try:
            path = where.path.resolve().relative_to(base)
        except ValueError:
            path = where.path
        relative[key] = FileLine(path, where.line)
    return relative


def notebook_line(text: str, cell: int, line: int) -> int | None:
    """The line of a notebook's JSON ``text`` that holds line ``line`` of cell ``cell`` (both 1-based);
    None when there is no such cell or the text is not a notebook. Never raises."""
    return NotebookLines(text).line(cell, line)


class NotebookLines:
    """Where a notebook's cells are in its JSON text, to tell the line of the file that holds a line of
    a cell. Cells are counted as Jupyter and the grader count them: every cell, those of nbformat 3's
    worksheets one after the other. The text is indexed once; each question reads only its cell.

    Jupyter writes a cell's source as a list of strings, one per line and each on a line of the file;
    some tools write one string, on one line of the file, and then every line of the cell is there.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        try:
            self._cells, self._key = _cells(text)
        except (ValueError, LookupError, RecursionError):
            self._cells, self._key = [], "source"

    def line(self, cell: int, line: int) -> int | None:
        if not 1 <= cell <= len(self._cells):
            return None
        text = self._text
        try:
            members = _members(text, self._cells[cell - 1])
            source = members.get(self._key)
            if source is None:
                return None
            if not text.startswith('"', source):
                pieces = _items(text, source)
                if not pieces:
                    return None
                source = pieces[_piece_holding(text, pieces, line)]
        except (ValueError, LookupError, RecursionError):
            return None
        return text.count("\n", 0, source) + 1


class _LineMap:
    """Lines of one file's code as lines of the file: the same for a module; for a notebook, found in
    its JSON (``data``, None when it could not be read), indexed once however many locations ask."""

    def __init__(self, data: bytes | None, *, notebook: bool) -> None:
        self._notebook = notebook
        text = _json_text(data) if notebook and data is not None else None
        self._cells = NotebookLines(text) if text is not None else None

    @classmethod
    def of(cls, path: Path) -> _LineMap:
        """The map of a file on disk (only a notebook is read)."""
        notebook = path.suffix.lower() == ".ipynb"
        return cls(_read(path) if notebook else None, notebook=notebook)

    def line(self, location: Location) -> int | None:
        if not self._notebook:
            return location.line
        if self._cells is None or location.cell is None:
            return None
        return self._cells.line(location.cell, location.line)


def _read(path: Path) -> bytes | None:
    """A file's bytes, read as submissions are (no link followed, no special file, a size limit)."""
    try:
        return read_regular_file(
            path.parent, (path.name,), max_bytes=DEFAULT_READ_LIMITS.max_bytes(path.name)
        )
    except RefusedFile:
        return None


def _json_text(data: bytes) -> str | None:
    try:
        return data.decode(json.detect_encoding(data)).removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None


def _cells(text: str) -> tuple[list[int], str]:
    """Where each cell of the notebook starts, and the key of a cell's source ("input" in nbformat 3)."""
    top = _members(text, _skip(text, 0))
    major = _NBFORMAT.match(text, top["nbformat"])
    if major is not None and major.group() == "4":
        return _items(text, top["cells"]), "source"
    if major is not None and major.group() == "3":
        worksheets = _items(text, top["worksheets"])
        return [c for w in worksheets for c in _items(text, _members(text, w)["cells"])], "input"
    return [], "source"


def _piece_holding(text: str, pieces: Sequence[int], line: int) -> int:
    """Which of a cell's source strings (at ``pieces``) holds the start of line ``line`` of the cell,
    counting lines as the grader does ("\\r\\n", "\\r" and "\\n" each end one)."""
    seen = 0  # line ends before the current piece
    previous = ""
    for index, start in enumerate(pieces):
        piece = _value(text, start)
        if not isinstance(piece, str):
            raise ValueError("a cell's source holds something other than text")
        if previous.endswith("\r") and piece.startswith("\n"):
            piece = piece[1:]  # the end of a "\r\n" split between two strings
        ends = piece.count("\n") + piece.count("\r") - piece.count("\r\n")
        if seen + ends >= line - 1:
            # The line starts after this piece's last line end only when that end closes the piece.
            closes = seen + ends == line - 1 and piece.endswith(("\n", "\r")) and line > 1
            return index + 1 if closes and index + 1 < len(pieces) else index
        seen += ends
        previous = piece
    return len(pieces) - 1


def _skip(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    return match.end() if match is not None else pos


def _value(text: str, pos: int) -> Any:
    value, _ = _DECODER.raw_decode(text, pos)
    return value


def _members(text: str, pos: int) -> dict[str, int]:
    """Where the value of each member of the JSON object at ``pos`` starts (a key given twice: the
    last, as ``json.loads`` keeps). Values are skipped, not kept."""
    if not text.startswith("{", pos):
        raise ValueError("not an object")
    found: dict[str, int] = {}
    pos = _skip(text, pos + 1)
    if text.startswith("}", pos):
        return found
    while True:
        if not text.startswith('"', pos):
            raise ValueError("not a key")
        key, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, pos)
        if not text.startswith(":", pos):
            raise ValueError("no colon")
        pos = _skip(text, pos + 1)
        found[key] = pos
        _, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif text.startswith("}", pos):
            return found
        else:
            raise ValueError("not a separator")


def _items(text: str, pos: int) -> list[int]:
    """Where each item of the JSON array at ``pos`` starts."""
    if not text.startswith("[", pos):
        raise ValueError("not an array")
    found: list[int] = []
    pos = _skip(text, pos + 1)
    if text.startswith("]", pos):
        return found
    while True:
        found.append(pos)
        _, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif text.startswith("]", pos):
            return found
        else:
            raise ValueError("not a separator")
