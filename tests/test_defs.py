"""The one finder of definitions: which names a piece of Python source binds to callables, and where."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from types import FrameType
from typing import Any, SupportsIndex

import pytest

import grader
from grader.defs import PARSE_LIMIT, Definition, defined_names, find_definitions
from grader.source import load_source

ROOT = Path(__file__).resolve().parent.parent
FILES = Path(__file__).parent / "files" / "source"


def test_a_students_module() -> None:
    (unit,) = load_source(ROOT / "submissions" / "carlos_ruiz.py").units
    found = find_definitions(unit.source)
    assert found.parse_error is None
    assert [(d.name, d.line, d.kind) for d in found.found] == [
        ("sigmoide", 11, "function"),
        ("feedForward", 15, "function"),
        ("costoGlobal", 21, "function"),
        ("backProp", 25, "function"),
        ("entrenarRed", 36, "function"),
    ]


def test_a_notebooks_cells_with_one_that_does_not_parse() -> None:
    units = {unit.cell: unit for unit in load_source(FILES / "xor_student.ipynb").units}
    assert [(d.name, d.line) for d in find_definitions(units[4].source).found] == [
        ("sigmoide", 1),
        ("feedForward", 4),
    ]
    assert find_definitions(units[7].source).found == ()  # data and a call, no definition
    # Cell 12 does not parse: its definition is still found, by the line it is on, with the error's line.
    broken = find_definitions(units[12].source)
    assert broken.found == (Definition("predecir", 1, "function"),)
    assert broken.parse_error is not None and broken.parse_error.line == 4
    assert defined_names(unit.source for unit in units.values()) == {
        "sigmoide",
        "feedForward",
        "costoGlobal",
        "backProp",
        "entrenarRed",
        "predecir",
    }


SOURCE = """\
import functools
import numpy as np


@functools.lru_cache
@staticmethod
def decorada(x):
    def interna():
        pass
    return x


async def asincrona():
    pass


class Red:
    \"\"\"def en_un_docstring(): no es código\"\"\"

    def metodo(self):
        return lambda: 0

    paso = lambda self: 1

    class Capa:
        def adelante(self):
            pass


sigmoide = lambda z: 1 / (1 + np.exp(-z))
feed_forward = decorada
costo: object = lambda y: y
a, b = sigmoide, np.tanh
c = d = feed_forward
e = np.exp
if True:
    def condicional():
        pass
try:
    def guardada():
        pass
except Exception:
    guardada = None
for _ in range(1):
    def en_bucle():
        pass
"""


def test_decorated_functions_methods_lambdas_and_aliases() -> None:
    found = find_definitions(SOURCE)
    assert found.parse_error is None
    assert [(d.name, d.line, d.kind, d.owner) for d in found.found] == [
        ("decorada", 7, "function", None),  # the line of `def`, below its decorators
        ("asincrona", 13, "function", None),
        ("metodo", 20, "method", "Red"),
        ("paso", 23, "method", "Red"),
        ("adelante", 26, "method", "Red.Capa"),
        ("sigmoide", 30, "lambda", None),
        ("feed_forward", 31, "alias", None),
        ("costo", 32, "lambda", None),
        ("a", 33, "alias", None),  # b = np.tanh is not visibly a callable of the student's
        ("c", 34, "alias", None),
        ("d", 34, "alias", None),
        ("condicional", 37, "function", None),
        ("guardada", 40, "function", None),
        ("en_bucle", 45, "function", None),
    ]
    assert {d.name for d in found.module_level()} == found.names - {"metodo", "paso", "adelante"}


def test_a_parsed_module_is_not_parsed_again_and_earlier_cells_make_aliases() -> None:
    tree = ast.parse("activacion = sigmoide\nf = g\n")
    assert find_definitions(tree, callables={"sigmoide"}).found == (Definition("activacion", 1, "alias"),)
    assert defined_names(["def sigmoide(z):\n    return z", "activacion = sigmoide"]) == {
        "sigmoide",
        "activacion",
    }


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("def f(:\n    pass\n\ndef g(x):\n    return x\n", 1),
        ("x = 1\n  def f(x):\n    pass\n", 2),
        ("x = 1\n\ndef f(x):\n    return x\x00\n", 4),
        ("def f(x):\n    return (\n" + "(" * 1000 + "\n", None),
    ],
    ids=["invalid syntax", "indentation", "null byte", "too many brackets"],
)
def test_source_that_does_not_parse_is_scanned_by_lines(source: str, line: int | None) -> None:
    found = find_definitions(source)
    assert found.parse_error is not None
    if line is not None:
        assert found.parse_error.line == line
    assert "f" in found.names


def test_the_line_scan_finds_defs_at_any_depth_and_lambdas_at_the_margin() -> None:
    found = find_definitions(
        "class Red:\n    def metodo(self):\n        async def interna():\n"
        "h = lambda: 1\nh2: int = lambda: 2\n  k = lambda: 3\n(\n"
    )
    assert [(d.name, d.line, d.kind) for d in found.found] == [
        ("metodo", 2, "function"),
        ("interna", 3, "function"),
        ("h", 4, "lambda"),
        ("h2", 5, "lambda"),
    ]


@pytest.mark.parametrize(
    "source",
    [
        "+".join(["a"] * 60_000) + "\ndef f(x):\n    pass\n",
        "-" * 60_000 + "1\ndef f(x):\n    pass\n",
        "f" + "()" * 60_000 + "\ndef f(x):\n    pass\n",
        "".join("    " * i + "if x:\n" for i in range(150)) + "def f(x):\n    pass\n",
        "x = [" + "1," * PARSE_LIMIT + "]\ndef f(x):\n    pass\n",
    ],
    ids=["long sum", "long unary chain", "long call chain", "deep blocks", "too long to parse"],
)
def test_hostile_source_falls_back_without_raising(source: str) -> None:
    found = find_definitions(source)
    assert found.parse_error is not None
    assert "f" in found.names


class _Measured(str):
    """A source that adds up how many characters its ``count`` looks through (the scan counts lines by it)."""

    looked_at = 0

    def count(self, sub: str, start: SupportsIndex | None = None, end: SupportsIndex | None = None) -> int:
        first = 0 if start is None else int(start)
        last = len(self) if end is None else int(end)
        self.looked_at += max(0, last - first)
        return super().count(sub, start, end)


def _work(source: str) -> tuple[int, int]:
    """What finding the definitions of ``source`` costs, in measures that do not depend on how busy the
    machine is: lines of the grader's own code run, and characters looked through to count lines."""
    here = str(Path(grader.__file__).parent)
    measured = _Measured(source)
    lines = 0

    def trace(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal lines
        if not frame.f_code.co_filename.startswith(here):
            return None
        lines += event == "line"
        return trace

    sys.settrace(trace)
    try:
        found = find_definitions(measured)
    finally:
        sys.settrace(None)
    assert found.parse_error is not None, "the line scan is what is measured"
    return lines, measured.looked_at


def test_the_work_grows_linearly_with_the_source() -> None:
    """A source that does not parse is scanned for its definitions: twenty times the lines, about twenty
    times the work. (How long hostile sources take is measured by bench/hostile_sources.py.)"""

    def source(copies: int) -> str:
        return "def f(x):\n    return x\n" * copies + "(\n"  # a syntax error at the end: the line scan

    small, large = _work(source(2_000)), _work(source(40_000))
    for few, many in zip(small, large, strict=True):
        assert 15 * few < many < 25 * few, (small, large)
