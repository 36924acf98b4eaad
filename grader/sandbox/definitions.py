"""Choosing which top-level statements of student code to run when only its definitions are needed."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from grader.defs import find_definitions

# Names students conventionally give plotting modules; imports seen in the unit itself add to these.
_PLOTTING_NAMES = frozenset({"plt", "pylab", "matplotlib", "mpl", "sns", "seaborn"})
_PLOTTING_MODULES = ("matplotlib", "seaborn", "pylab", "pandas.plotting")
# Attributes that make any call a plot, whatever object they hang from (`df.plot(...)`, `pd.plotting...`).
_PLOTTING_ATTRIBUTES = frozenset({"plot", "plotting"})
# Calls that wait for a person, touch files or just wait.
_BLOCKING_CALLS = frozenset({"input", "open", "time.sleep", "sleep"})
# Bare calls a failed guarded import may make without harm.
_HARMLESS_HANDLER_CALLS = frozenset({"print", "warnings.warn"})
# Calls that bind a callable to another with some arguments fixed.
_PARTIAL_CALLS = frozenset({"partial", "functools.partial"})


@dataclass(frozen=True)
class PlannedStatement:
    """A top-level statement to run, with why it is kept."""

    node: ast.stmt
    reason: str


@dataclass(frozen=True)
class SkippedStatement:
    """A top-level statement not run, by the line it starts on, with why."""

    line: int
    reason: str
    binds: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitPlan:
    """What to run of one code unit, what not, and the names left unbound or stale by what is not run."""

    statements: tuple[PlannedStatement, ...]
    skipped: tuple[SkippedStatement, ...]
    syntax_error: str | None
    tainted: frozenset[str]


# A unit's source, or what :func:`parse` made of it (a unit is parsed once however many plans read it).
Unit = str | ast.Module


@dataclass(frozen=True)
class StudentNames:
    """What the student's code binds at module level, as far as reading it tells (nothing is run).

    ``functions``: names bound to the student's callables: their ``def``s, lambdas and aliases (as
    :mod:`grader.defs` finds them), and methods taken from their classes or instances (``f = Red.f``,
    ``f = red.f``), ``functools.partial``s of any of those, the result of a student function given one of
    them (a decorator applied by hand, ``f = medir(g)``) and instances of their classes with ``__call__``.
    ``objects``: their classes and the names bound to instances of them (``red = Red()``): calling one
    of their methods runs the student's code. ``needed``: the assignments, as (unit, line), that bind
    what a module-level callable is taken from (``red = crear_red()`` before ``f = red.f``), and those
    that bind what these read, transitively: they run even when they call the student's code, or the
    callable would never be bound.
    """

    functions: frozenset[str]
    objects: frozenset[str] = frozenset()
    needed: frozenset[tuple[int, int]] = frozenset()

    def needed_lines(self, unit: int) -> frozenset[int]:
        """The lines of the needed assignments of unit number ``unit``."""
        return frozenset(line for index, line in self.needed if index == unit)


def student_function_names(sources: Iterable[Unit]) -> frozenset[str]:
    """The student's own module-level callables in `sources` (see :class:`StudentNames`); sources that
    do not parse are ignored."""
    return student_names(sources).functions


def student_names(sources: Iterable[Unit]) -> StudentNames:
    """What the student's code in `sources` (units run one after another, numbered from 0) binds; see
    :class:`StudentNames`. Sources that do not parse are ignored (they keep their number)."""
    functions: set[str] = set()
    classes: set[str] = set()
    methods: set[str] = set()
    callable_classes: set[str] = set()
    instances: set[str] = set()
    # Every module-level assignment in the order it runs: (unit, line), names bound, value assigned (what
    # it reads is looked up only for the few assignments a callable is traced back to).
    assignments: list[tuple[tuple[int, int], frozenset[str], ast.expr]] = []
    # What a callable is taken from, and the number of the first assignment after the one taking it.
    wanted: list[tuple[str, int]] = []
    trees = [(index, tree) for index, tree in enumerate(map(parse, sources)) if isinstance(tree, ast.Module)]
    found = {index: find_definitions(tree) for index, tree in trees}
    for index, _ in trees:
        # Methods are known before any statement is read: a class may be defined after its first use.
        for definition in found[index].found:
            if definition.kind == "method" and definition.owner is not None:
                methods.add(definition.name)
                if definition.name == "__call__":
                    callable_classes.add(definition.owner.split(".")[0])
    for index, tree in trees:
        # Until a unit binds a callable, there are none an alias could name: what was found above stands.
        definitions = found[index] if not functions else find_definitions(tree, callables=functions)
        functions.update(d.name for d in definitions.module_level())
        for stmt in _module_level_statements(tree.body):
            if isinstance(stmt, ast.ClassDef):
                classes.add(stmt.name)
                continue
            if not isinstance(stmt, ast.Assign | ast.AnnAssign) or stmt.value is None:
                continue
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            value = stmt.value
            assignments.append(
                (
                    (index, stmt.lineno),
                    frozenset(n for t in targets for n in _target_names(t)),
                    value,
                )
            )
            names = [target.id for target in targets if isinstance(target, ast.Name)]
            if (root := _method_root(value, methods)) is not None:
                wanted.append((root, len(assignments) - 1))
                functions.update(names)
            elif _is_callable_binding(value, functions, classes | instances, methods):
                functions.update(names)
            elif (made := _constructed(value, classes)) is not None:
                instances.update(names)
                if made in callable_classes:
                    functions.update(names)
            elif isinstance(value, ast.Name) and value.id in instances:
                instances.update(names)
    needed: set[tuple[int, int]] = set()
    while wanted:
        name, before = wanted.pop()
        # The assignment that bound `name` last before it was read.
        for position in range(before - 1, -1, -1):
            place, bound, value = assignments[position]
            if name in bound:
                if place not in needed:
                    needed.add(place)
                    wanted.extend((read, position) for read in _reads_of(value))
                break
    return StudentNames(
        functions=frozenset(functions), objects=frozenset(classes | instances), needed=frozenset(needed)
    )


def _reads_of(value: ast.expr) -> frozenset[str]:
    return frozenset(
        child.id
        for child in _evaluated(value)
        if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load)
    )


def _target_names(target: ast.expr) -> Iterator[str]:
    """The plain names an assignment target binds (``a``, ``a, (b, c)``, ``*rest``)."""
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            yield from _target_names(element)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


def _method_root(value: ast.expr, methods: set[str]) -> str | None:
    """``red`` for ``red.feedForward`` (or ``modelo.red.feedForward``) where ``feedForward`` is the name
    of a method of the student's classes; None for anything else (``np.tanh``, ``red.pesos``)."""
    if not (isinstance(value, ast.Attribute) and value.attr in methods):
        return None
    current: ast.expr = value
    while isinstance(current, ast.Attribute):
        current = current.value
    return current.id if isinstance(current, ast.Name) else None


def _is_callable_binding(value: ast.expr, functions: set[str], objects: set[str], methods: set[str]) -> bool:
    """Whether ``value`` gives one of the student's callables: an alias of one, a partial of one, or
    what a student function returns when given one (a decorator applied by hand)."""
    if isinstance(value, ast.Name):
        return value.id in functions
    if not isinstance(value, ast.Call) or not value.args:
        return False
    first = value.args[0]
    refers = (isinstance(first, ast.Name) and first.id in functions) or (
        _method_root(first, methods) is not None
    )
    if _dotted_name(value.func) in _PARTIAL_CALLS:
        return refers
    student = isinstance(value.func, ast.Name) and value.func.id in functions
    return student and _wraps(value, functions, objects)


def _constructed(value: ast.expr, classes: set[str]) -> str | None:
    """The student's class ``value`` makes an instance of (``Red(2, 3)``), if it is one."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in classes:
        return value.func.id
    return None


def _wraps(call: ast.Call, functions: set[str] | frozenset[str], objects: set[str] | frozenset[str]) -> bool:
    """Whether ``call`` gives only the student's callables, classes and constants, at least one callable:
    ``medir(feedForward)``, ``cronometrar(Red.feedForward, veces=3)`` (a decorator applied by hand)."""
    arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
    callables = 0
    for argument in arguments:
        if isinstance(argument, ast.Constant):
            continue
        root: ast.expr = argument
        while isinstance(root, ast.Attribute):
            root = root.value
        if not isinstance(root, ast.Name) or root.id not in functions | objects:
            return False
        callables += root.id in functions or root is not argument
    return callables > 0


def plan_unit(
    source: Unit,
    *,
    student_functions: frozenset[str],
    tainted: frozenset[str] = frozenset(),
    student_objects: frozenset[str] = frozenset(),
    needed_lines: frozenset[int] = frozenset(),
) -> UnitPlan:
    """Decide, statement by statement, what of `source` runs in definitions mode.

    `tainted` holds the names bound by statements skipped in earlier units; the plan returns it updated.
    `student_objects`: :attr:`StudentNames.objects` (calling a method of one is calling the student's
    code); `needed_lines`: :meth:`StudentNames.needed_lines` of this unit (assignments that run even so).
    `pass` and constant expressions (docstrings, `...`) do nothing, so they are neither run nor reported.
    """
    tree = parse(source)
    if not isinstance(tree, ast.Module):
        return UnitPlan(statements=(), skipped=(), syntax_error=tree, tainted=tainted)
    planner = _Planner(
        student_functions, _plotting_names(tree), set(tainted), objects=student_objects, needed=needed_lines
    )
    statements: list[PlannedStatement] = []
    skipped: list[SkippedStatement] = []
    for stmt in tree.body:
        if _is_no_op(stmt):
            continue
        keep, reason = planner.verdict(stmt)
        bound = planner.bound_names(stmt)
        if keep:
            statements.append(PlannedStatement(node=stmt, reason=reason))
            planner.tainted.difference_update(bound)
        else:
            skipped.append(SkippedStatement(line=stmt.lineno, reason=reason, binds=tuple(sorted(bound))))
            planner.tainted.update(bound)
    return UnitPlan(
        statements=tuple(statements),
        skipped=tuple(skipped),
        syntax_error=None,
        tainted=frozenset(planner.tainted),
    )


def plan_all(source: Unit) -> UnitPlan:
    """Every statement of ``source``, in order: the whole notebook runs, as in Jupyter's "Run All"."""
    tree = parse(source)
    if not isinstance(tree, ast.Module):
        return UnitPlan(statements=(), skipped=(), syntax_error=tree, tainted=frozenset())
    statements = tuple(
        PlannedStatement(node=stmt, reason="full run") for stmt in tree.body if not _is_no_op(stmt)
    )
    return UnitPlan(statements=statements, skipped=(), syntax_error=None, tainted=frozenset())


def parse(source: Unit) -> ast.Module | str:
    """The parsed module, or the error as Python reports it ("line 7: invalid syntax"); a module
    already parsed is returned as is."""
    if isinstance(source, ast.Module):
        return source
    try:
        return ast.parse(source)
    except SyntaxError as exc:
        return f"line {exc.lineno}: {exc.msg}" if exc.lineno else exc.msg
    except ValueError as exc:
        # Before Python 3.12, a null byte in the source raises ValueError instead of SyntaxError.
        return str(exc)
    except (RecursionError, MemoryError):
        # An expression nested or chained beyond what the parser can hold (a 60,000-term sum): that
        # one unit cannot be run, the others still can.
        return "the code is nested too deeply to be read"


class _Planner:
    def __init__(
        self,
        student_functions: frozenset[str],
        plotting: frozenset[str],
        tainted: set[str],
        *,
        objects: frozenset[str] = frozenset(),
        needed: frozenset[int] = frozenset(),
    ) -> None:
        self.student_functions = student_functions
        self.plotting = plotting
        self.tainted = tainted
        self.objects = objects
        self.needed = needed
        # Every assignment and test walked so far, by its node's id (the tree planned keeps each node
        # alive, so no id is reused while the planner is): a needed assignment is read twice, and the
        # names a top-level assignment binds come from the walk its verdict made.
        self._evaluations: dict[int, _Evaluation] = {}

    def bound_names(self, stmt: ast.stmt) -> frozenset[str] | set[str]:
        """The module-level names `stmt` (re)binds (see :func:`_bound_names`)."""
        known = self._evaluations.get(id(stmt))
        return known.bound if known is not None else _bound_names(stmt)

    def _evaluation(self, node: ast.AST) -> _Evaluation:
        known = self._evaluations.get(id(node))
        if known is None:
            known = self._evaluations[id(node)] = _evaluation(node)
        return known

    def verdict(self, stmt: ast.stmt) -> tuple[bool, str]:
        """Whether to run `stmt`, and why."""
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            return True, "import"
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return True, "definition"
        if isinstance(stmt, ast.Global):
            return True, "global"
        if isinstance(stmt, ast.Pass):
            return True, "pass"
        if isinstance(stmt, ast.Assign | ast.AnnAssign | ast.AugAssign):
            problem = self._problem(stmt)
            if problem is None:
                return True, "assignment"
            if stmt.lineno in self.needed and self._problem(stmt, blocking_only=True) is None:
                # Costly or not, without it a function the student bound at top level does not exist.
                return True, "assignment (needed to bind a function)"
            return False, problem
        if isinstance(stmt, ast.If):
            return self._if_verdict(stmt)
        if isinstance(stmt, ast.Try):
            return self._try_verdict(stmt)
        if isinstance(stmt, ast.Expr):
            return False, "top-level call" if isinstance(stmt.value, ast.Call) else "expression"
        if isinstance(stmt, ast.For | ast.AsyncFor | ast.While):
            return False, "loop"
        if isinstance(stmt, ast.With | ast.AsyncWith):
            return False, "with block"
        if isinstance(stmt, ast.Delete):
            return False, "del statement"
        if isinstance(stmt, ast.Assert):
            return False, "assert"
        if isinstance(stmt, ast.Raise):
            return False, "raise"
        return False, f"{type(stmt).__name__.lower()} statement"

    def _if_verdict(self, stmt: ast.If) -> tuple[bool, str]:
        if _is_main_guard(stmt.test):
            return False, "__main__ block"
        problem = self._problem(stmt.test)
        if problem is not None:
            return False, f"if block ({problem})"
        for child in (*stmt.body, *stmt.orelse):
            keep, reason = self.verdict(child)
            if not keep:
                return False, f"if block ({reason})"
        return True, "conditional"

    def _try_verdict(self, stmt: ast.Try) -> tuple[bool, str]:
        if not any(isinstance(child, ast.Import | ast.ImportFrom) for child in stmt.body):
            return False, "try block"
        for child in (*stmt.body, *stmt.orelse, *stmt.finalbody):
            keep, reason = self.verdict(child)
            if not keep:
                return False, f"try block ({reason})"
        for handler in stmt.handlers:
            for child in handler.body:
                keep, reason = self.verdict(child)
                if not keep and not _is_harmless_in_handler(child):
                    return False, f"try block ({reason})"
        return True, "guarded-import"

    def _problem(self, node: ast.AST, *, blocking_only: bool = False) -> str | None:
        """Why evaluating `node` should not happen in definitions mode, or None when it may.
        `blocking_only`: only the reasons nothing overrides (waiting for a person, files, plots)."""
        student_call: str | None = None
        blocked_call: str | None = None
        tainted_name: str | None = None
        for child in self._evaluation(node).met:
            if isinstance(child, ast.Call):
                if isinstance(child.func, ast.Name) and child.func.id in self.student_functions:
                    if not _wraps(child, self.student_functions, self.objects):
                        student_call = student_call or f"calls a student function ({child.func.id})"
                elif (method := self._student_method(child.func)) is not None:
                    student_call = student_call or f"calls a student method ({_shorten(method)})"
                elif isinstance(child.func, ast.Lambda):
                    blocked_call = blocked_call or "calls a lambda"
                elif self._is_blocked_callee(child.func):
                    blocked_call = blocked_call or f"calls {_shorten(ast.unparse(child.func))}"
            elif isinstance(child, ast.Name) and child.id in self.tainted and _reads(child, node):
                tainted_name = tainted_name or f"uses {child.id}, bound by a skipped statement"
        if blocking_only:
            return blocked_call
        return student_call or blocked_call or tainted_name

    def _student_method(self, func: ast.expr) -> str | None:
        """``red.entrenar`` for a call of a method of the student's class or instance (``Red(2).entrenar``
        too); None for anything else, constructing an instance included (``Red(2)``: cheap, and needed)."""
        if not isinstance(func, ast.Attribute):
            return None
        current: ast.expr = func
        while isinstance(current, ast.Attribute | ast.Call | ast.Subscript):
            current = current.func if isinstance(current, ast.Call) else current.value
        if isinstance(current, ast.Name) and current.id in self.objects:
            return ast.unparse(func)
        return None

    def _is_blocked_callee(self, func: ast.expr) -> bool:
        if _dotted_name(func) in _BLOCKING_CALLS:
            return True
        attributes: list[str] = []
        current = func
        while isinstance(current, ast.Attribute | ast.Call | ast.Subscript):
            if isinstance(current, ast.Attribute):
                attributes.append(current.attr)
                current = current.value
            elif isinstance(current, ast.Call):
                current = current.func
            else:
                current = current.value
        root_is_plotting = isinstance(current, ast.Name) and current.id in self.plotting
        return root_is_plotting or not _PLOTTING_ATTRIBUTES.isdisjoint(attributes)


def _reads(name: ast.Name, statement: ast.AST) -> bool:
    """Whether evaluating `statement` reads `name` (an augmented assignment reads its target too)."""
    if isinstance(name.ctx, ast.Load):
        return True
    return isinstance(statement, ast.AugAssign) and statement.target is name


class _Evaluation(NamedTuple):
    """What one walk of an expression or an assignment finds (see :func:`_evaluation`)."""

    met: tuple[ast.Call | ast.Name, ...]
    bound: frozenset[str]


# Nodes whose names live in a scope of their own: none of them binds a module-level name.
_SCOPES = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _evaluation(node: ast.AST) -> _Evaluation:
    """What :func:`_evaluated` meets in `node`, and the module-level names `node` binds as
    :func:`_bound_names` tells them, for `node` an expression or an assignment (where no definition, import
    or handler stands). One walk gives both, as a top-level assignment needs both, and walking is most of
    what planning costs."""
    met: list[ast.Call | ast.Name] = []
    bound: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Name):
            met.append(current)
            if isinstance(current.ctx, ast.Store):
                bound.add(current.id)
            continue
        if isinstance(current, _SCOPES):
            # Names stored in a lambda or a comprehension are not counted as bound: the whole of it is
            # walked here, before what follows it.
            met.extend(_evaluated(current))
            continue
        if isinstance(current, ast.Call):
            met.append(current)
        children = _child_nodes(current)
        children.reverse()
        stack.extend(children)
    return _Evaluation(met=tuple(met), bound=frozenset(bound))


def _evaluated(node: ast.AST) -> list[ast.Call | ast.Name]:
    """The calls and names in `node` and its descendants, in source order, leaving out lambda bodies
    (evaluated only when called)."""
    met: list[ast.Call | ast.Name] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Call | ast.Name):
            met.append(current)
        children = _child_nodes(current)
        if isinstance(current, ast.Lambda):
            children = [child for child in children if child is not current.body]
        children.reverse()
        stack.extend(children)
    return met


# Fields that only ever hold the marker of a load, a store or an operator: nothing is under one, and
# no walk here looks for one.
_MARKER_FIELDS = frozenset({"ctx", "op", "ops"})


def _walked_fields(kind: type[ast.AST]) -> tuple[str, ...]:
    if issubclass(kind, ast.Constant):
        return ()  # its value is a constant, never a node
    return tuple(field for field in kind._fields if field not in _MARKER_FIELDS)


def _node_types() -> Iterator[type[ast.AST]]:
    """Every class of node in :mod:`ast`, abstract ones included."""
    stack: list[type[ast.AST]] = [ast.AST]
    while stack:
        kind = stack.pop()
        yield kind
        stack.extend(kind.__subclasses__())


# The fields to walk of each kind of node, worked out once (a worker forked from the zygote shares it).
_WALKED_FIELDS = {kind: _walked_fields(kind) for kind in _node_types()}


def _child_nodes(node: ast.AST) -> list[ast.AST]:
    """The nodes right under `node` that can matter to a walk here, in the order of
    :func:`ast.iter_child_nodes`. Built as one list from the fields known to hold nodes: the walks list
    the children of every node of a statement, and the two generators nested in ``iter_child_nodes``
    cost more per node than the rest of the walk."""
    fields = _WALKED_FIELDS.get(type(node))
    if fields is None:
        fields = _walked_fields(type(node))
    children: list[ast.AST] = []
    for field in fields:
        value = getattr(node, field, None)
        if isinstance(value, ast.AST):
            children.append(value)
        elif isinstance(value, list):
            children.extend([item for item in value if isinstance(item, ast.AST)])
    return children


def _is_no_op(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Pass) or (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))


def _is_main_guard(test: ast.expr) -> bool:
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = (test.left, test.comparators[0])
    has_name = any(isinstance(side, ast.Name) and side.id == "__name__" for side in sides)
    has_main = any(isinstance(side, ast.Constant) and side.value == "__main__" for side in sides)
    return has_name and has_main


def _is_harmless_in_handler(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Raise):
        return True
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Call)
        and _dotted_name(stmt.value.func) in _HARMLESS_HANDLER_CALLS
    )


def _dotted_name(node: ast.expr) -> str | None:
    """`a.b.c` for a chain of attributes on a name, None for anything else."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _shorten(text: str, *, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _plotting_names(tree: ast.Module) -> frozenset[str]:
    """The conventional plotting names, plus those the unit's own imports bind to plotting modules."""
    names = set(_PLOTTING_NAMES)
    for stmt in _module_level_statements(tree.body):
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if _is_plotting_module(alias.name):
                    names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(stmt, ast.ImportFrom) and stmt.module is not None and stmt.level == 0:
            for alias in stmt.names:
                if alias.name != "*" and _is_plotting_module(f"{stmt.module}.{alias.name}"):
                    names.add(alias.asname or alias.name)
    return frozenset(names)


def _is_plotting_module(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in _PLOTTING_MODULES)


def _module_level_statements(body: Iterable[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements run at module level: `body` and, recursively, the blocks of its compound statements."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for field in ("body", "orelse", "finalbody"):
            block = getattr(stmt, field, None)
            if isinstance(block, list):
                yield from _module_level_statements(block)
        for handler in getattr(stmt, "handlers", ()):
            yield from _module_level_statements(handler.body)
        for case in getattr(stmt, "cases", ()):
            yield from _module_level_statements(case.body)


def _bound_names(stmt: ast.stmt) -> set[str]:
    """Module-level names `stmt` (re)binds; names local to functions, classes and comprehensions excluded."""
    names: set[str] = set()
    stack: list[ast.AST] = [stmt]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            # The commonest node, and a leaf.
            if isinstance(node.ctx, ast.Store):
                names.add(node.id)
            continue
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
            # Decorators and defaults run in the enclosing scope; the body does not.
            stack.extend(node.decorator_list)
            if not isinstance(node, ast.ClassDef):
                stack.append(node.args)
            continue
        if isinstance(node, _SCOPES):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            names.update(
                alias.asname or alias.name.split(".")[0] for alias in node.names if alias.name != "*"
            )
        elif isinstance(node, ast.ExceptHandler) and node.name is not None:
            names.add(node.name)
        stack.extend(_child_nodes(node))
    return names
