"""A CSV file an LMS wrote, read so that it can be written back as it was, but for the cells filled in.

An LMS importer is picky about its own files: Moodle's worksheet upload wants its header names, Canvas's
importer its first columns and its ``Points Possible`` row. So the file keeps its encoding and
byte-order mark, its separator, its line ends and, cell by cell, its quoting: each cell is kept as the
raw text it was written as, and only a changed cell is written anew, quoted the way the file quotes
(every cell, PHP's ``fputcsv`` way of quoting any cell with a space, or only where needed).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, replace

from grader.errors import UsageError

MAX_BYTES = 20 << 20
"""A class's roster is far smaller: anything larger is the wrong file."""
_DELIMITERS = (",", ";", "\t")


class LmsFileError(UsageError):
    """A roster file that cannot be read as the CSV an LMS writes."""


@dataclass(frozen=True)
class RawRow:
    """One record: each cell's text as written (quotes included) and the line end after it."""

    cells: tuple[str, ...]
    end: str


@dataclass(frozen=True)
class CsvFile:
    """A CSV file as written: enough to give it back byte for byte."""

    encoding: str
    bom: bytes
    delimiter: str
    rows: tuple[RawRow, ...]
    quote_all: bool
    quote_spaces: bool

    def values(self, index: int) -> list[str]:
        """The cells of row ``index`` as a CSV reader gives them."""
        return [_value(cell) for cell in self.rows[index].cells]

    @property
    def width(self) -> int:
        return len(self.rows[0].cells) if self.rows else 0

    def with_values(self, changes: Mapping[tuple[int, int], str]) -> CsvFile:
        """The file with the cells at ``(row, column)`` set; every other cell keeps its raw text."""
        rows = list(self.rows)
        for (row, column), value in changes.items():
            cells = list(rows[row].cells)
            cells.extend([""] * (column + 1 - len(cells)))
            cells[column] = self.quoted(value)
            rows[row] = replace(rows[row], cells=tuple(cells))
        return replace(self, rows=tuple(rows))

    def quoted(self, value: str) -> str:
        """``value`` as this file would write it."""
        special = self.delimiter in value or any(c in value for c in '"\r\n')
        spaced = self.quote_spaces and any(c in value for c in " \t\\")
        if self.quote_all or special or spaced:
            return '"' + value.replace('"', '""') + '"'
        return value

    def to_bytes(self) -> bytes:
        text = "".join(self.delimiter.join(row.cells) + row.end for row in self.rows)
        return self.bom + text.encode(self.encoding, errors="replace")


def read_csv_file(data: bytes, *, name: str) -> CsvFile:
    """Parse an LMS's CSV export (UTF-8 with or without a byte-order mark, UTF-16 with one, or the
    Windows code page Excel saves in), finding its separator and how it quotes."""
    if len(data) > MAX_BYTES:
        raise LmsFileError(f"{name}: {len(data)} bytes, more than a roster file may hold ({MAX_BYTES})")
    text, encoding, bom = _decode(data, name)
    delimiter = _delimiter(text)
    rows = _split(text, delimiter, name)
    if not rows or not any(cell for cell in rows[0].cells):
        raise LmsFileError(f"{name}: the file is empty")
    _check_against_csv_module(text, delimiter, rows, name)
    header = rows[0].cells
    quoted = [cell.startswith('"') for cell in header if cell]
    spaced = [
        cell.startswith('"')
        for cell in header
        if " " in _value(cell) and not any(c in _value(cell) for c in '"\r\n')
    ]
    return CsvFile(
        encoding=encoding,
        bom=bom,
        delimiter=delimiter,
        rows=tuple(rows),
        quote_all=bool(quoted) and all(quoted),
        quote_spaces=bool(spaced) and all(spaced),
    )


def _decode(data: bytes, name: str) -> tuple[str, str, bytes]:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding, bom
            except UnicodeDecodeError as exc:
                raise LmsFileError(f"{name}: not valid {encoding} ({exc})") from None
    try:
        return data.decode("utf-8"), "utf-8", b""
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the system code page: Western European there.
        return data.decode("cp1252", errors="replace"), "cp1252", b""


def _delimiter(text: str) -> str:
    """The separator that splits the header line into the most cells (Canvas writes ";" in some locales)."""
    first = text.split("\n", 1)[0]
    counts = {d: len(_split(first, d, "")[0].cells) if first else 1 for d in _DELIMITERS}
    return max(_DELIMITERS, key=lambda d: (counts[d], d == ","))


def _split(text: str, delimiter: str, name: str) -> list[RawRow]:
    """The records of ``text``, each cell as its raw text (quotes kept), with the line end after each."""
    rows: list[RawRow] = []
    i, n = 0, len(text)
    while i < n:
        cells: list[str] = []
        while True:
            start = i
            if i < n and text[i] == '"':
                i += 1
                while True:
                    close = text.find('"', i)
                    if close < 0:
                        raise LmsFileError(f"{name}: a quoted cell is never closed (row {len(rows) + 1})")
                    if text.startswith('""', close):
                        i = close + 2
                        continue
                    i = close + 1
                    break
            while i < n and text[i] not in (delimiter, "\r", "\n"):
                i += 1
            cells.append(text[start:i])
            if i < n and text[i] == delimiter:
                i += 1
                continue
            break
        if text.startswith("\r\n", i):
            end = "\r\n"
        elif i < n:
            end = text[i]
        else:
            end = ""
        i += len(end)
        rows.append(RawRow(tuple(cells), end))
    return rows


def _value(cell: str) -> str:
    if len(cell) >= 2 and cell.startswith('"') and cell.endswith('"'):
        return cell[1:-1].replace('""', '"')
    return cell


def _check_against_csv_module(text: str, delimiter: str, rows: list[RawRow], name: str) -> None:
    """The raw split must read as Python's csv module reads the file: any difference is a file this
    module would not write back faithfully, so it is refused rather than altered."""
    try:
        expected = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise LmsFileError(f"{name}: not a well-formed CSV file ({exc})") from None
    found = [[_value(cell) for cell in row.cells] for row in rows]
    # The csv module gives a blank line as an empty record.
    found = [[] if cells == [""] else cells for cells in found]
    if found != expected:
        raise LmsFileError(f"{name}: not a CSV file this grader can fill without changing it")
