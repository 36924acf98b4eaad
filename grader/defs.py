"""Where a piece of Python source defines which names: the one finder of definitions.

The grader asks it which workshop functions a submission defines before starting any worker, which
function a cell with a syntax error was meant to hold, and on which line a function is for an
annotation; the worker's planner asks it which names are the student's own callables. Student code
is hostile input here: nothing is run, the work is linear in the size of the source, and no input
makes it raise. Source that is not parsed (a syntax error, nesting too deep for the parser, or more
text than any workshop's code) is scanned line by line instead, which finds every ``def`` and
``name = lambda`` at the start of a line whatever the block around it.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

DefinitionKind = Literal["function", "method", "lambda", "alias"]
"""``function``: a ``def`` run at module level (also inside ``if``/``try``/... blocks there); ``method``:
a ``def`` in a class body; ``lambda``: a name assigned a lambda; ``alias``: a name assigned another
name already known to be one of the others (``feed_forward = feedForward``)."""

MODULE_LEVEL: frozenset[DefinitionKind] = frozenset({"function", "lambda", "alias"})
"""The kinds that bind a name in the module's namespace (a method binds one in its class)."""

PARSE_LIMIT = 256 * 1024
"""Characters of one source parsed at most. The parser's tree takes a few hundred times the memory of
the text at worst (a 4 MiB literal list: 2 GiB, 8 s), and this runs in the grader's own process;
a workshop's code is a few KB."""

# The fallback for source that does not parse: a definition at the start of a line.
_DEF_LINE = re.compile(r"^[ \t]*(?:async[ \t]+)?def[ \t]+([^\W\d]\w*)", re.MULTILINE)
_LAMBDA_LINE = re.compile(r"^([^\W\d]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*lambda\b", re.MULTILINE)


@dataclass(frozen=True)
class Definition:
    """A name the source binds to a callable, and the line (1-based) of the ``def`` or assignment."""

    name: str
    line: int
    kind: DefinitionKind
    owner: str | None = None  # the class a method is defined in (dotted for nested classes)


@dataclass(frozen=True)
class ParseError:
    """Why the source was not parsed; ``line`` where Python says it went wrong, if it says."""

    message: str
    line: int | None


@dataclass(frozen=True)
class Definitions:
    """What one piece of source defines, in source order (the last of a repeated name is the one
    Python keeps). With a ``parse_error`` they come from the line scan, so nesting is not known."""

    found: tuple[Definition, ...]
    parse_error: ParseError | None = None

    @property
    def names(self) -> frozenset[str]:
        return frozenset(d.name for d in self.found)

    def module_level(self) -> tuple[Definition, ...]:
        return tuple(d for d in self.found if d.kind in MODULE_LEVEL)


def find_definitions(source: str | ast.Module, *, callables: Iterable[str] = ()) -> Definitions:
    """The definitions of ``source`` (text, or a module already parsed). ``callables``: names already
    bound to callables before it runs (by earlier cells), so ``f = g`` counts when ``g`` is one."""
    if isinstance(source, ast.Module):
        return Definitions(tuple(_walk(source, set(callables))))
    tree = parse_source(source)
    if isinstance(tree, ParseError):
        return Definitions(tuple(_scan_lines(source)), parse_error=tree)
    return Definitions(tuple(_walk(tree, set(callables))))


def defined_names(sources: Iterable[str]) -> frozenset[str]:
    """Every name any of ``sources`` (run one after the other, as cells) defines, methods included."""
    names: set[str] = set()
    callables: set[str] = set()
    for source in sources:
        found = find_definitions(source, callables=callables)
        names.update(found.names)
        callables.update(d.name for d in found.module_level())
    return frozenset(names)


def parse_source(source: str) -> ast.Module | ParseError:
    """The parsed module, or why it was not parsed; never raises, whatever ``source`` holds."""
    if len(source) > PARSE_LIMIT:
        return ParseError(f"longer than {PARSE_LIMIT} characters: not parsed", None)
    try:
        # Student code may hold invalid escapes and the like: warnings about it are not the grader's.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(source)
    except (SyntaxError, ValueError) as exc:
        # A null byte is refused without a line (a ValueError before Python 3.12): it is the first one's.
        message = exc.msg if isinstance(exc, SyntaxError) else str(exc)
        line = exc.lineno if isinstance(exc, SyntaxError) else None
        at = source.find("\0") if line is None else -1
        return ParseError(message, source.count("\n", 0, at) + 1 if at >= 0 else line or None)
    except (RecursionError, MemoryError):
        # The parser's answers to nesting too deep for it (thousands of operators or brackets).
        return ParseError("too deeply nested to parse", None)


def _walk(tree: ast.Module, callables: set[str]) -> Iterator[Definition]:
    """Module-level and class-level definitions, in source order, without recursion (nesting is the
    student's to choose) and without looking into function bodies or expressions."""
    stack: list[tuple[ast.stmt, str | None]] = [(stmt, None) for stmt in reversed(tree.body)]
    while stack:
        stmt, owner = stack.pop()
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            if owner is None:
                callables.add(stmt.name)
            yield Definition(stmt.name, stmt.lineno, "function" if owner is None else "method", owner)
            continue
        if isinstance(stmt, ast.ClassDef):
            inner = stmt.name if owner is None else f"{owner}.{stmt.name}"
            stack.extend((child, inner) for child in reversed(stmt.body))
            continue
        if isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value is not None:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for name, value in _bindings(targets, stmt.value):
                kind = _callable_kind(value, callables)
                if kind is None:
                    continue
                if owner is None:
                    callables.add(name)
                    yield Definition(name, stmt.lineno, kind)
                elif kind == "lambda":
                    yield Definition(name, stmt.lineno, "method", owner)
            continue
        # Blocks that run where they stand: if/for/while/with/try bodies, match cases.
        blocks: list[list[ast.stmt]] = []
        for field in ("body", "orelse", "finalbody"):
            block = getattr(stmt, field, None)
            if isinstance(block, list):
                blocks.append(block)
        blocks.extend(handler.body for handler in getattr(stmt, "handlers", ()))
        blocks.extend(case.body for case in getattr(stmt, "cases", ()))
        for block in reversed(blocks):
            stack.extend((child, owner) for child in reversed(block))


def _bindings(targets: Sequence[ast.expr], value: ast.expr) -> Iterator[tuple[str, ast.expr]]:
    """The (name, value) pairs an assignment binds where both sides are visible: ``f = g = lambda: 0``,
    ``f, g = lambda: 0, h``. Nothing for subscripts, attributes or unpacking of something else."""
    for target in targets:
        if isinstance(target, ast.Name):
            yield target.id, value
        elif (
            isinstance(target, ast.Tuple | ast.List)
            and isinstance(value, ast.Tuple | ast.List)
            and len(target.elts) == len(value.elts)
        ):
            for element, element_value in zip(target.elts, value.elts, strict=True):
                if isinstance(element, ast.Name):
                    yield element.id, element_value


def _callable_kind(value: ast.expr, callables: set[str]) -> DefinitionKind | None:
    if isinstance(value, ast.Lambda):
        return "lambda"
    if isinstance(value, ast.Name) and value.id in callables:
        return "alias"
    return None


def _scan_lines(source: str) -> Iterator[Definition]:
    """Definitions of source that does not parse, by the lines they start on (in source order)."""
    found = [
        (match.start(), Definition(match.group(1), 0, "function")) for match in _DEF_LINE.finditer(source)
    ]
    found += [
        (match.start(), Definition(match.group(1), 0, "lambda")) for match in _LAMBDA_LINE.finditer(source)
    ]
    found.sort(key=lambda item: item[0])
    line, counted = 1, 0
    for offset, definition in found:
        # Counted forward from the previous match: linear however many there are.
        line += source.count("\n", counted, offset)
        counted = offset
        yield Definition(definition.name, line, definition.kind)
