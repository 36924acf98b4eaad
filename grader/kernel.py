"""The student's code as a live kernel holds it: the functions defined in a namespace (a notebook's, a
script's) and the cells they come from, read as the judge reads a loaded submission."""

from __future__ import annotations

import ast
import linecache
import sys
from collections.abc import Iterator, Mapping, MutableMapping
from pathlib import PurePath
from typing import Any

from grader.calls import LoadEvent
from grader.inprocess import InProcessStudent
from grader.judge import LoadedCode
from grader.source import CodeUnit


def live_code(namespace: MutableMapping[str, Any]) -> tuple[InProcessStudent, LoadedCode]:
    """The functions defined in ``namespace`` as they are now (a function redefined in a later cell is the
    one found), callable with a worker's call semantics, and what the judge needs to know of them: their
    names, signatures, and the cells their lines are counted in."""
    student = InProcessStudent.from_namespace(namespace)
    functions = student.functions()
    units = [_unit(filename) for filename in student.unit_files]
    events = []
    for name, source, message in _unparsed_cells(namespace):
        events.append(LoadEvent(unit=len(units), kind="syntax_error", message=message))
        units.append(CodeUnit(source=source, filename=name, cell=None, first_line=1))
    return student, LoadedCode(functions=functions, units=tuple(units), events=tuple(events))


def _unparsed_cells(namespace: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
    """The cells run in this kernel that did not parse (IPython keeps every input in ``In``, those too):
    a function such a cell defines was never defined, and the judge says where the syntax error is."""
    history = namespace.get("In")
    if not isinstance(history, list):
        return
    for number, source in enumerate(history):
        if not isinstance(source, str) or not source.strip():
            continue
        try:
            ast.parse(source)
        except SyntaxError as exc:
            yield f"In[{number}]", source, f"{exc.msg} (line {exc.lineno})"
        except (ValueError, RecursionError, MemoryError):
            continue


def _unit(filename: str) -> CodeUnit:
    """The code a function was compiled from, named as the student sees it: ``In[7]`` for a notebook cell
    (IPython numbers cells by execution), the file's name otherwise."""
    return CodeUnit(
        source="".join(linecache.getlines(filename)),
        filename=_cell_name(filename) or PurePath(filename).name or filename,
        cell=None,
        first_line=1,
    )


def _cell_name(filename: str) -> str | None:
    """IPython's name for the cell compiled under ``filename`` (``In[7]``), when a shell is running."""
    shell_module = sys.modules.get("IPython")
    get_ipython = getattr(shell_module, "get_ipython", None)
    shell = get_ipython() if callable(get_ipython) else None
    compiler = getattr(shell, "compile", None)
    format_code_name = getattr(compiler, "format_code_name", None)
    if not callable(format_code_name):
        return None
    try:
        named = format_code_name(filename)
    except Exception:  # an IPython of another shape: the file's name will do
        return None
    if isinstance(named, tuple) and len(named) == 2 and isinstance(named[1], str):
        return named[1]
    return None
