"""Where the keys of a TOML document are written: the line of a key path (``tasks[2].checks[0].rate``)."""

# tomllib keeps no positions, so the lines come from a light scan of the text: table headers, arrays
# of tables (counted, to name their elements) and ``key =`` lines, skipping what continues a value over
# several lines. It only has to be right for documents tomllib accepted.

from __future__ import annotations

import re
from collections.abc import Mapping

_BARE_OR_QUOTED = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_DOTTED = rf"{_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*"
_ARRAY_TABLE = re.compile(rf"\[\[\s*({_DOTTED})\s*\]\]")
_TABLE = re.compile(rf"\[\s*({_DOTTED})\s*\]")
_KEY = re.compile(rf"({_DOTTED})\s*=(.*)")
_PART = re.compile(_BARE_OR_QUOTED)
_LAST_STEP = re.compile(r"(?:\.[^.\[\]]+|\[\d+\])$")


def key_lines(text: str) -> dict[str, int]:
    """Key path → the 1-based line where it is written (for an array of tables, its first element's)."""
    lines: dict[str, int] = {}
    arrays: dict[str, int] = {}  # path of an array of tables → elements seen so far
    table = ""
    depth = 0  # brackets a value left open on earlier lines
    closing: str | None = None  # the quotes that end a multi-line string begun on an earlier line
    for number, raw in enumerate(text.splitlines(), 1):
        if closing is not None:
            end = raw.find(closing)
            if end < 0:
                continue
            closing = None
            depth, closing = _scan(raw[end + 3 :], depth)
            continue
        if depth > 0:
            depth, closing = _scan(raw, depth)
            continue
        stripped = raw.strip()
        if match := _ARRAY_TABLE.match(stripped):
            path = _resolve(_parts(match.group(1)), arrays)
            arrays[path] = arrays.get(path, 0) + 1
            lines.setdefault(path, number)
            table = f"{path}[{arrays[path] - 1}]"
            lines[table] = number
        elif match := _TABLE.match(stripped):
            table = _resolve(_parts(match.group(1)), arrays)
            lines.setdefault(table, number)
        elif match := _KEY.match(stripped):
            path = ".".join(filter(None, [table, ".".join(_parts(match.group(1)))]))
            lines.setdefault(path, number)
            depth, closing = _scan(match.group(2), 0)
    return lines


def line_of(lines: Mapping[str, int], path: str) -> int | None:
    """The line of ``path``, or of the nearest enclosing key or table written in the document."""
    while path:
        if path in lines:
            return lines[path]
        shorter = _LAST_STEP.sub("", path)
        if shorter == path:
            return None
        path = shorter
    return None


def _parts(dotted: str) -> list[str]:
    return [part.strip("\"'") for part in _PART.findall(dotted)]


def _resolve(parts: list[str], arrays: Mapping[str, int]) -> str:
    """A header's path, each array of tables it passes through indexed by its current element."""
    path = ""
    for i, part in enumerate(parts):
        path = f"{path}.{part}" if path else part
        if i < len(parts) - 1 and path in arrays:
            path = f"{path}[{arrays[path] - 1}]"
    return path


def _scan(value: str, depth: int) -> tuple[int, str | None]:
    """Bracket depth after ``value``, and the quotes of a multi-line string it leaves open."""
    i = 0
    while i < len(value):
        char = value[i]
        if char == "#":
            break
        if value.startswith(('"""', "'''"), i):
            quotes = value[i : i + 3]
            end = value.find(quotes, i + 3)
            if end < 0:
                return depth, quotes
            i = end + 3
            continue
        if char in "\"'":
            i += 1
            while i < len(value) and value[i] != char:
                i += 2 if char == '"' and value[i] == "\\" else 1
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        i += 1
    return max(depth, 0), None
