"""Loading a handed-in notebook or module as code units, with IPython syntax neutralised."""

from __future__ import annotations

import codecs
import io
import json
import re
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.messages import SAY, Message

_SUPPORTED_NBFORMAT_MAJORS = (3, 4)
# Digits (with the sign) of an integer in a notebook. No notebook needs more; converting a longer one
# costs time that grows with the square of its length when the interpreter's own limit is lifted.
_MAX_NUMBER_DIGITS = 1000

# Cell magics whose body is ordinary Python that Jupyter runs as usual (once or repeatedly); every other
# cell magic hands its body to something else (a shell, a file, the browser), so that body is not Python.
_TRANSPARENT_CELL_MAGICS = frozenset({"time", "timeit", "capture"})

_CELL_MAGIC = re.compile(r"[ \t]*%%(?P<name>\w*)")
_LEADING_INDENT = re.compile(r"[ \t]+")
_ESCAPE_LINE = re.compile(r"(?P<indent>[ \t]*)[%!?]")
_ASSIGNED_ESCAPE = re.compile(
    r"(?P<indent>[ \t]*)(?P<targets>[^\W\d][\w.]*(?:[ \t]*,[ \t]*[^\W\d][\w.]*)*)[ \t]*=[ \t]*[%!]"
)
_PARTIAL_JSON_TOKEN = re.compile(
    r"-?[0-9]*(?:\.[0-9]*)?(?:[eE][+-]?[0-9]*)?|t(?:r(?:ue?)?)?|f(?:a(?:l(?:se?)?)?)?|n(?:u(?:ll?)?)?"
)
_PARTIAL_UNICODE_ESCAPE = re.compile(r"u[0-9a-fA-F]{0,4}(?:\\(?:u[0-9a-fA-F]{0,4})?)?")


@dataclass(frozen=True)
class CodeUnit:
    """A piece of student code executed as one unit: a notebook code cell, or a whole module."""

    source: str  # IPython syntax neutralised, with exactly the line count of the original text
    filename: str  # as the student knows it: the path relative to the submission's root
    cell: int | None  # 1-based among all the notebook's cells, as Jupyter numbers them; None for a module
    first_line: int  # the student's line number of the source's first line


@dataclass(frozen=True)
class LoadedSource:
    """The code units of one handed-in file, in order, and facts about loading it worth reporting."""

    units: tuple[CodeUnit, ...]
    notes: tuple[Message, ...]


class SourceError(Exception):
    """A file that cannot be read as a submission. `kind` is a stable code, `message` says what is wrong
    (in English, for logs and tracebacks), `said` what the student reads (the catalogue's
    ``source.<kind>`` unless a more precise message is given)."""

    def __init__(self, kind: str, message: str, said: Message | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.said = said if said is not None else SAY(f"source.{kind}")

    def __reduce__(self) -> tuple[type[SourceError], tuple[str, str, Message]]:
        # Errors may cross process boundaries; the default reduction would pass only the message back.
        return (SourceError, (self.kind, self.message, self.said))


def load_source(path: Path, *, display_name: str | None = None) -> LoadedSource:
    """Read a `.ipynb` or `.py` file into code units; raise `SourceError` when it cannot be used."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError("unreadable_file", f"The file could not be read: {exc.strerror or exc}.") from exc
    return load_code(data, filename=display_name if display_name is not None else path.name)


def load_code(data: bytes, *, filename: str) -> LoadedSource:
    """The code units of a handed-in file's bytes (``filename`` says its type and names it in messages);
    raise `SourceError` when it cannot be used."""
    suffix = Path(filename).suffix.lower()
    if suffix not in (".ipynb", ".py"):
        shown = f"'{Path(filename).suffix}'" if Path(filename).suffix else "a file without an extension"
        raise SourceError(
            "unsupported_file_type",
            f"Only Jupyter notebooks (.ipynb) and Python modules (.py) can be graded, not {shown}.",
        )
    if not data.removeprefix(codecs.BOM_UTF8).strip():
        raise SourceError("empty_file", "The file is empty.")
    if suffix == ".ipynb":
        return _load_notebook(data, filename)
    return _load_module(data, filename)


def _load_notebook(data: bytes, filename: str) -> LoadedSource:
    document = _parse_notebook_json(data)
    if not isinstance(document, dict) or "nbformat" not in document:
        raise SourceError(
            "not_a_notebook", f"The file is JSON but not a Jupyter notebook: it holds {_json_kind(document)}."
        )
    major = document["nbformat"]
    if type(major) is not int:
        raise SourceError(
            "not_a_notebook", f"The notebook's 'nbformat' field is not a number: {_shown(major)}."
        )
    if major not in _SUPPORTED_NBFORMAT_MAJORS:
        # Compared, never converted: the number may be a thousand digits long.
        version = f"nbformat {major}" if -1000 < major < 1000 else "an nbformat version that large"
        raise SourceError(
            "unsupported_nbformat",
            f"The notebook uses {version}, but only nbformat 3 and 4 notebooks can be read.",
        )
    # Read as is, in both formats: only the code cells' sources matter here, and they are read
    # defensively below. nbformat's reader would parse the JSON a second time and validate the whole
    # document against its schema, three times over for an nbformat 3 notebook, logging each failure
    # with a rendering of the offending part whose cost is its size times its depth.
    if major == 4:
        return _code_units(document.get("cells"), filename, source_key="source")
    return _code_units(_v3_cells(document.get("worksheets")), filename, source_key="input")


def _v3_cells(worksheets: Any) -> list[Any]:
    """An nbformat 3 notebook's cells: those of its worksheets one after the other, numbered as
    Jupyter numbers them once it has upgraded the notebook to nbformat 4."""
    if not isinstance(worksheets, list):
        raise SourceError("not_a_notebook", "The notebook has no list of worksheets.")
    cells: list[Any] = []
    for worksheet in worksheets:
        listed = worksheet.get("cells") if isinstance(worksheet, Mapping) else None
        if not isinstance(listed, list):
            raise SourceError(
                "not_a_notebook", "The notebook's structure is broken: a worksheet has no list of cells."
            )
        cells += listed
    return cells


def _code_units(cells: Any, filename: str, *, source_key: str) -> LoadedSource:
    """A notebook's code cells, in order, as code units (magics neutralised). ``source_key``: the field
    of a code cell that holds its source (``input`` in nbformat 3)."""
    if not isinstance(cells, list):
        raise SourceError("not_a_notebook", "The notebook has no list of cells.")

    units: list[CodeUnit] = []
    notes: list[Message] = []
    for number, cell in enumerate(cells, start=1):
        # Whatever a cell holds, it is looked at only as an object with a "cell_type" of "code".
        if not isinstance(cell, Mapping) or cell.get("cell_type") != "code":
            continue
        text = _cell_text(cell.get(source_key))
        if text is None:
            notes.append(SAY("source.cell_not_text", file=filename, cell=number))
            continue
        source, skipped_magic = _neutralise_cell(_normalise_newlines(text))
        if skipped_magic is not None:
            notes.append(SAY("source.cell_magic", file=filename, cell=number, magic=skipped_magic))
        units.append(CodeUnit(source=source, filename=filename, cell=number, first_line=1))
    if not units:
        notes.append(SAY("source.no_code_cells", file=filename))
    return LoadedSource(units=tuple(units), notes=tuple(notes))


def _parse_notebook_json(data: bytes) -> Any:
    try:
        text = data.decode(json.detect_encoding(data))
    except UnicodeDecodeError as exc:
        raise SourceError(
            "not_json",
            f"The file is not valid JSON: it is not UTF-8 text (byte 0x{data[exc.start]:02x} "
            f"at offset {exc.start}).",
        ) from exc
    text = text.removeprefix("\ufeff")
    try:
        return json.loads(text, parse_int=_notebook_int)
    except RecursionError:
        raise SourceError("not_json", "The file is not valid JSON: it nests too deeply.") from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        at = {"line": exc.lineno, "column": exc.colno}
        if _looks_truncated(text, exc):
            raise SourceError(
                "truncated_notebook",
                f"The notebook ends abruptly at {where}, so the file looks cut off "
                "(saved or uploaded incompletely).",
                SAY("source.truncated_notebook.at", **at),
            ) from exc
        raise SourceError(
            "not_json", f"The file is not valid JSON: {exc.msg} at {where}.", SAY("source.not_json.at", **at)
        ) from exc
    except ValueError:
        # Raised by _notebook_int (and by the interpreter's own limit on digits, should it be lower).
        raise SourceError("not_json", "The file is not valid JSON: a number in it is too long.") from None


def _notebook_int(digits: str) -> int:
    if len(digits) > _MAX_NUMBER_DIGITS:
        raise ValueError("a number in the notebook is too long")
    return int(digits)


def _looks_truncated(text: str, error: json.JSONDecodeError) -> bool:
    """Whether `text` reads as the start of a JSON object that stops before its end."""
    if not text.lstrip().startswith("{") or error.msg.startswith("Extra data"):
        return False
    # The decoder reports an error either right at the end, or at the start of the one token that the end
    # cuts in two (a string, literal, number or escape sequence).
    rest = text[error.pos :].rstrip()
    if not rest or error.msg.startswith("Unterminated string"):
        return True
    if error.msg.startswith("Invalid \\uXXXX escape"):
        return _PARTIAL_UNICODE_ESCAPE.fullmatch(rest) is not None
    if error.msg.startswith(("Expecting value", "Expecting ',' delimiter")):
        return _PARTIAL_JSON_TOKEN.fullmatch(rest) is not None
    return False


def _json_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object without an 'nbformat' field"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool) or value is None:
        return f"the value {json.dumps(value)}"
    return "a number"


def _shown(value: Any) -> str:
    """A JSON value as a message may quote it: scalars as written (long text cut), containers by kind."""
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:40] + "…")
    if isinstance(value, dict | list):
        return "an object" if isinstance(value, dict) else "a list"
    return repr(value)


def _cell_text(source: object) -> str | None:
    """A code cell's source, from text or a list of lines (none: an empty cell); None for anything else."""
    if source is None:
        return ""
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    return None


def _load_module(data: bytes, filename: str) -> LoadedSource:
    text, encoding_note = _decode_module(data)
    source = _neutralise_lines(_normalise_newlines(text).split("\n"))
    unit = CodeUnit(source="\n".join(source), filename=filename, cell=None, first_line=1)
    notes = (SAY("source.decoded_as", file=filename, encoding=encoding_note),) if encoding_note else ()
    return LoadedSource(units=(unit,), notes=notes)


def _decode_module(data: bytes) -> tuple[str, str | None]:
    """Decode a module's bytes the way students' editors most likely wrote them; and the encoding chosen
    when it is not UTF-8 (worth a note: accents may have come out wrong)."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    declared = _declared_encoding(data)
    if declared is not None:
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _declared_encoding(data: bytes) -> str | None:
    """The PEP 263 coding cookie's encoding, when there is one other than UTF-8 and Python knows it."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        return None
    return None if encoding in ("utf-8", "utf-8-sig") else encoding


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _neutralise_cell(text: str) -> tuple[str, str | None]:
    """Neutralise a notebook cell; the second item names a cell magic whose whole cell was emptied."""
    lines = _strip_leading_indent(text.split("\n"))
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and (magic := _CELL_MAGIC.match(lines[first])) is not None:
        name = magic.group("name")
        if name not in _TRANSPARENT_CELL_MAGICS:
            return "\n" * (len(lines) - 1), name
        lines[first] = ""
    return "\n".join(_neutralise_lines(lines)), None


def _strip_leading_indent(lines: list[str]) -> list[str]:
    """Remove the indentation of a cell's first line from every line, as IPython does before running it."""
    first = next((line for line in lines if line.strip()), "")
    indent = _LEADING_INDENT.match(first)
    if indent is None:
        return lines
    prefix = indent.group(0)
    return [line[len(prefix) :] if line.startswith(prefix) else line for line in lines]


def _neutralise_lines(lines: list[str]) -> list[str]:
    """Replace IPython-only lines (magics, shell escapes, help) with Python, one line for one line."""
    scanner = _LineScanner()
    result: list[str] = []
    swallow_continuation = False
    for line in lines:
        if swallow_continuation:
            # The continuation of a neutralised magic or shell escape is part of that command.
            swallow_continuation = line.endswith("\\")
            result.append("")
            continue
        if scanner.at_statement_start:
            replacement = _replace_escape(line)
            if replacement is not None:
                swallow_continuation = line.endswith("\\")
                result.append(replacement)
                continue
        code = scanner.feed(line)
        if code is not None and code.rstrip().endswith("?"):
            result.append(_indent_of(line) + "pass")
            continue
        result.append(line)
    return result


def _replace_escape(line: str) -> str | None:
    """The Python replacing a line that starts with IPython syntax, or None for an ordinary line."""
    assigned = _ASSIGNED_ESCAPE.match(line)
    if assigned is not None:
        names = [name.strip() for name in assigned.group("targets").split(",")]
        return f"{assigned.group('indent')}{', '.join(names)} = {', '.join(['None'] * len(names))}"
    escape = _ESCAPE_LINE.match(line)
    if escape is not None:
        return escape.group("indent") + "pass"
    return None


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


class _LineScanner:
    """Follows strings, brackets and backslash continuations to tell which lines start a statement."""

    def __init__(self) -> None:
        self._quote: str | None = None
        self._depth = 0
        self._continued = False

    @property
    def at_statement_start(self) -> bool:
        return self._quote is None and self._depth == 0 and not self._continued

    def feed(self, line: str) -> str | None:
        """Advance past `line`; return its code (without comment) when it was a whole one-line statement."""
        started = self.at_statement_start
        code_end = len(line)
        self._continued = False
        i = 0
        while i < len(line):
            char = line[i]
            if self._quote is not None:
                if char == "\\":
                    i += 2
                    continue
                if line.startswith(self._quote, i):
                    i += len(self._quote)
                    self._quote = None
                    continue
                i += 1
                continue
            if char == "#":
                code_end = i
                break
            if char in "\"'":
                self._quote = char * 3 if line.startswith(char * 3, i) else char
                i += len(self._quote)
                continue
            if char in "([{":
                self._depth += 1
            elif char in ")]}":
                self._depth = max(0, self._depth - 1)
            i += 1
        if line[:code_end].endswith("\\"):
            self._continued = True
        elif self._quote is not None and len(self._quote) == 1:
            # A one-quote string cannot span lines without a backslash: the line is broken, and the next
            # line is read afresh.
            self._quote = None
        return line[:code_end] if started and self.at_statement_start else None
