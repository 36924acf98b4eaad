"""Tests for choosing what student code runs in definitions mode."""

from __future__ import annotations

import ast
import builtins
import sys
import textwrap
import types
from pathlib import Path
from typing import Any

import pytest

from grader.sandbox.definitions import UnitPlan, plan_unit, student_function_names, student_names
from grader.source import load_source

FILES = Path(__file__).parent / "files" / "source"
XOR_FUNCTIONS = frozenset({"sigmoide", "feedForward", "costoGlobal", "backProp", "entrenarRed"})

Decision = tuple[int, str, str]


def _decisions(plan: UnitPlan) -> list[Decision]:
    """(line, "keep" or "skip", reason) for every statement of the plan, in source order."""
    kept = [(statement.node.lineno, "keep", statement.reason) for statement in plan.statements]
    skipped = [(statement.line, "skip", statement.reason) for statement in plan.skipped]
    return sorted(kept + skipped)


def _plan(
    source: str, *, functions: frozenset[str] = XOR_FUNCTIONS, tainted: frozenset[str] = frozenset()
) -> UnitPlan:
    return plan_unit(textwrap.dedent(source), student_functions=functions, tainted=tainted)


# --- a whole student notebook ------------------------------------------------------------------------

XOR_EXPECTED: dict[int, list[Decision]] = {
    2: [(1, "keep", "import"), (2, "keep", "import")],
    3: [
        (1, "keep", "assignment"),
        (3, "keep", "assignment"),
        (4, "keep", "assignment"),
        (5, "skip", "top-level call"),
    ],
    4: [(1, "keep", "definition"), (4, "keep", "definition")],
    5: [(1, "keep", "definition"), (4, "keep", "definition")],
    6: [(1, "keep", "definition")],
    7: [
        *[(line, "keep", "assignment") for line in range(1, 7)],
        (7, "skip", "calls a student function (feedForward)"),
    ],
    8: [(1, "skip", "calls a student function (entrenarRed)")],
    9: [
        (1, "skip", "top-level call"),
        (2, "skip", "top-level call"),
        (3, "skip", "top-level call"),
        (4, "skip", "uses costos, bound by a skipped statement"),
        (5, "keep", "assignment"),
        (6, "skip", "uses b1, bound by a skipped statement"),
    ],
    10: [
        (1, "keep", "assignment"),
        (2, "skip", "loop"),
        (5, "skip", "uses a2, bound by a skipped statement"),
    ],
    11: [
        (1, "keep", "guarded-import"),
        (6, "skip", "calls input"),
        (7, "skip", "calls plt.subplots"),
        (9, "skip", "__main__ block"),
    ],
    12: [],
}


def _xor_plans() -> dict[int, UnitPlan]:
    units = load_source(FILES / "xor_student.ipynb").units
    functions = student_function_names(unit.source for unit in units)
    plans: dict[int, UnitPlan] = {}
    tainted: frozenset[str] = frozenset()
    for unit in units:
        assert unit.cell is not None
        plans[unit.cell] = plan_unit(unit.source, student_functions=functions, tainted=tainted)
        tainted = plans[unit.cell].tainted
    return plans


def test_student_functions_are_the_defs_of_the_units_that_parse() -> None:
    units = load_source(FILES / "xor_student.ipynb").units

    # Cell 12 defines `predecir` but does not parse.
    assert student_function_names(unit.source for unit in units) == XOR_FUNCTIONS


def test_xor_notebook_keeps_definitions_and_data_and_skips_training_and_plots() -> None:
    plans = _xor_plans()

    assert {cell: _decisions(plan) for cell, plan in plans.items()} == XOR_EXPECTED


def test_xor_notebook_taint_follows_skipped_bindings_across_cells() -> None:
    plans = _xor_plans()

    assert plans[3].tainted == frozenset()
    assert plans[7].tainted == {"a1", "a2"}
    assert plans[8].tainted == {"a1", "a2", "w1", "b1", "w2", "b2", "costos"}
    assert plans[10].tainted >= {"epoca", "salida", "ultimo", "b1_escalado"}
    assert "historial" not in plans[10].tainted
    assert plans[11].tainted >= {"nombre", "fig", "ax"}
    assert "sns" not in plans[11].tainted


def test_syntax_error_unit_has_no_statements_and_keeps_the_taint() -> None:
    plan = _xor_plans()[12]

    assert plan.syntax_error == "line 4: '(' was never closed"
    assert plan.statements == ()
    assert plan.skipped == ()
    assert plan.tainted == _xor_plans()[11].tainted


def test_running_the_kept_statements_defines_the_functions_without_training_plotting_or_input(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> Any:
        raise AssertionError("definitions mode must not reach this call")

    pyplot = types.ModuleType("matplotlib.pyplot")
    pyplot.__getattr__ = refuse  # type: ignore[method-assign]
    matplotlib = types.ModuleType("matplotlib")
    matplotlib.pyplot = pyplot  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "matplotlib", matplotlib)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", pyplot)
    monkeypatch.setitem(sys.modules, "seaborn", None)
    monkeypatch.setattr(builtins, "input", refuse)
    namespace: dict[str, Any] = {"__name__": "__main__"}

    for cell, plan in _xor_plans().items():
        for statement in plan.statements:
            module = ast.Module(body=[statement.node], type_ignores=[])
            exec(compile(module, f"celda {cell}", "exec"), namespace)

    assert namespace.keys() >= XOR_FUNCTIONS
    assert namespace["m"] == 4
    assert namespace["sns"] is None
    assert "costos" not in namespace and "nombre" not in namespace
    a1, a2 = namespace["feedForward"](
        namespace["X"], namespace["w1"], namespace["w2"], namespace["b1"], namespace["b2"]
    )
    assert a1.shape == (2, 4) and a2.shape == (1, 4)


# --- single rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "decision"),
    [
        ("import numpy as np", "keep:import"),
        ("from numpy.linalg import inv, norm", "keep:import"),
        ("global contador", "keep:global"),
        ("class Red:\n    capas = 2", "keep:definition"),
        ("async def cargar():\n    return 1", "keep:definition"),
        ("X = np.array([[0, 1], [1, 0]])", "keep:assignment"),
        ("m: int = X.shape[1]", "keep:assignment"),
        ("total += 1", "keep:assignment"),
        ("datos = np.loadtxt('datos.txt')", "keep:assignment"),
        ("activar = lambda z: entrenarRed(z)", "keep:assignment"),
        ("costo = costoGlobal(a2, y)", "skip:calls a student function (costoGlobal)"),
        ("costos = [costoGlobal(a, y) for a in salidas]", "skip:calls a student function (costoGlobal)"),
        ("n = int(input('épocas: '))", "skip:calls input"),
        ("texto = open('datos.txt').read()", "skip:calls open"),
        ("pausa = time.sleep(2)", "skip:calls time.sleep"),
        ("pausa = sleep(2)", "skip:calls sleep"),
        ("linea, = plt.plot(costos)", "skip:calls plt.plot"),
        ("figura = sns.heatmap(w1)", "skip:calls sns.heatmap"),
        ("ejes = plt.gca().twinx()", "skip:calls plt.gca().twinx"),
        ("ejes = tabla.plot(kind='line')", "skip:calls tabla.plot"),
        ("matriz = pd.plotting.scatter_matrix(tabla)", "skip:calls pd.plotting.scatter_matrix"),
        ("valor = (lambda: 3)()", "skip:calls a lambda"),
        ("np.random.seed(0)", "skip:top-level call"),
        ("print(costo)", "skip:top-level call"),
        ("w1", "skip:expression"),
        ("for i in range(3):\n    w1 = w1 - 0.1", "skip:loop"),
        ("while costo > 0.01:\n    costo = costo / 2", "skip:loop"),
        ("with open('x') as f:\n    texto = f.read()", "skip:with block"),
        ("del w1", "skip:del statement"),
        ("assert X.shape == (2, 4)", "skip:assert"),
        ("raise SystemExit", "skip:raise"),
        ("if __name__ == '__main__':\n    import numpy", "skip:__main__ block"),
        ("if '__main__' == __name__:\n    import numpy", "skip:__main__ block"),
        ("if DEBUG:\n    def traza(x):\n        return x\nelse:\n    traza = None", "keep:conditional"),
        ("if DEBUG:\n    print(X)", "skip:if block (top-level call)"),
        ("if entrenarRed(1):\n    import numpy", "skip:if block (calls a student function (entrenarRed))"),
        ("try:\n    import seaborn as sns\nexcept ImportError:\n    sns = None", "keep:guarded-import"),
        (
            "try:\n    import google.colab\n    EN_COLAB = True\nexcept ImportError:\n    EN_COLAB = False",
            "keep:guarded-import",
        ),
        (
            "try:\n    import tqdm\nexcept ImportError as error:\n    print(error)\n    raise",
            "keep:guarded-import",
        ),
        (
            "try:\n    from google.colab import drive\n    drive.mount('/content/drive')\n"
            "except ImportError:\n    pass",
            "skip:try block (top-level call)",
        ),
        (
            "try:\n    import tqdm\nexcept ImportError:\n    while True:\n        pass",
            "skip:try block (loop)",
        ),
        ("try:\n    w1 = np.load('w1.npy')\nexcept OSError:\n    pass", "skip:try block"),
        ("match X.ndim:\n    case 2:\n        pass", "skip:match statement"),
    ],
)
def test_top_level_statement_decision(source: str, decision: str) -> None:
    plan = _plan(source)

    assert [f"{kind}:{reason}" for _, kind, reason in _decisions(plan)] == [decision]
    assert plan.syntax_error is None


def test_kept_statement_nodes_carry_the_unit_line_numbers() -> None:
    plan = _plan("\n\nimport numpy as np\n\n\ndef f():\n    return 1\n")

    assert [(statement.node.lineno, type(statement.node).__name__) for statement in plan.statements] == [
        (3, "Import"),
        (6, "FunctionDef"),
    ]


def test_pass_and_docstrings_are_neither_run_nor_reported() -> None:
    plan = _plan('"""Taller XOR."""\npass\n...\nimport numpy as np\n')

    assert _decisions(plan) == [(4, "keep", "import")]


def test_plotting_module_imported_under_another_name_is_recognised() -> None:
    plan = _plan(
        """
        import matplotlib.pyplot as graficos
        from matplotlib import pyplot
        from seaborn import lineplot as linea
        from pandas import DataFrame, plotting
        figura = graficos.figure()
        otra = pyplot.figure()
        curva = linea(x=[1], y=[2])
        matriz = plotting.scatter_matrix(tabla)
        tabla = DataFrame({"a": [1]})
        """
    )

    assert [reason for _, kind, reason in _decisions(plan) if kind == "skip"] == [
        "calls graficos.figure",
        "calls pyplot.figure",
        "calls linea",
        "calls plotting.scatter_matrix",
    ]
    assert ("keep", "assignment") in {(kind, reason) for _, kind, reason in _decisions(plan)}


def test_taint_spreads_through_reads_and_clears_on_rebinding() -> None:
    plan = _plan(
        """
        w1, b1 = entrenarRed(X)
        w1[0, 0] = 0.0
        b1 += 1
        pred = w1 @ X
        w1 = np.zeros((2, 2))
        otra = w1 @ X
        """
    )

    assert _decisions(plan) == [
        (2, "skip", "calls a student function (entrenarRed)"),
        (3, "skip", "uses w1, bound by a skipped statement"),
        (4, "skip", "uses b1, bound by a skipped statement"),
        (5, "skip", "uses w1, bound by a skipped statement"),
        (6, "keep", "assignment"),
        (7, "keep", "assignment"),
    ]
    assert plan.tainted == {"b1", "pred"}


def test_names_bound_inside_skipped_blocks_are_tainted_but_not_function_locals() -> None:
    plan = _plan(
        """
        for epoca in range(10):
            costo = epoca / 2
            with open("registro.txt") as archivo:
                linea = archivo.readline()
        if __name__ == "__main__":
            import os as sistema
            def principal():
                local = 1
                return local
            resultados = [cuadrado for cuadrado in range(3)]
        """
    )

    assert plan.tainted == {"epoca", "costo", "archivo", "linea", "sistema", "principal", "resultados"}


def test_taint_from_earlier_units_is_honoured_and_returned_updated() -> None:
    plan = _plan("grafica = costos[-1]\ncostos = []\nresumen = costos\n", tainted=frozenset({"costos", "w1"}))

    assert _decisions(plan) == [
        (1, "skip", "uses costos, bound by a skipped statement"),
        (2, "keep", "assignment"),
        (3, "keep", "assignment"),
    ]
    assert plan.tainted == {"w1", "grafica"}


def test_student_functions_include_conditional_defs_but_not_methods_or_nested_defs() -> None:
    sources = [
        "def feedForward(X):\n    def interna():\n        pass\n    return X",
        "if True:\n    def backProp():\n        pass\nclass Red:\n    def metodo(self):\n        pass",
        "try:\n    async def cargar():\n        pass\nexcept Exception:\n    pass",
        "def roto(:\n    pass",
        "x = 1\x00",
    ]

    assert student_function_names(sources) == {"feedForward", "backProp", "cargar"}


def test_student_functions_include_lambdas_and_aliases_of_them_across_units() -> None:
    sources = ["sigmoide = lambda z: 1 / (1 + np.exp(-z))", "activacion = sigmoide\nescala = 2.0"]
    functions = student_function_names(sources)
    assert functions == {"sigmoide", "activacion"}

    plan = plan_unit("a = activacion(0.5)\nb = escala * 2", student_functions=functions)

    assert _decisions(plan) == [
        (1, "skip", "calls a student function (activacion)"),
        (2, "keep", "assignment"),
    ]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("def f(:\n    pass", "line 1: invalid syntax"),
        ("x = 1\n  y = 2", "line 2: unexpected indent"),
        ("for i in range(3):\nx = i", "line 2: expected an indented block after 'for' statement on line 1"),
    ],
)
def test_unparsable_unit_reports_the_syntax_error_as_python_does(source: str, message: str) -> None:
    plan = plan_unit(source, student_functions=frozenset(), tainted=frozenset({"w1"}))

    assert plan == UnitPlan(statements=(), skipped=(), syntax_error=message, tainted=frozenset({"w1"}))


def test_null_byte_is_reported_as_a_syntax_error() -> None:
    plan = plan_unit("x = 1\x00\n", student_functions=frozenset())

    assert plan.syntax_error is not None
    assert "null bytes" in plan.syntax_error
    assert plan.statements == ()


# --- functions taken from the student's classes and objects -------------------------------------------

CLASS_UNITS = [
    """
    import functools
    import numpy as np

    class Red:
        def __init__(self, capas=2):
            self.capas = capas

        @staticmethod
        def feedForward(X, w1, w2, b1, b2):
            return X, X

        def costoGlobal(self, y_est, y):
            return 0.0

        def entrenarRed(self, epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
            return w1, b1, w2, b2

    class Costo:
        def __call__(self, y_est, y):
            return 0.0

    def crear_red(datos):
        return Red(len(datos))

    def medir(funcion):
        return funcion

    def _back_prop(X, y, w1, w2, b1, b2, a2, a1, escala):
        return X, X, X, X
    """,
    """
    red = Red(capas=3)
    feedForward = Red.feedForward
    costoGlobal = red.costoGlobal
    backProp = functools.partial(_back_prop, escala=1.0)
    medido = medir(Red.feedForward)
    costo = Costo()
    historial = red.entrenarRed(10**6, 0.5, X, y, w1, b1, w2, b2, None, None)
    a1, a2 = feedForward(X, w1, w2, b1, b2)
    j = costo(a2, y)
    """,
    """
    datos = medir(cargar("xor.csv"))
    otra = crear_red(datos)
    entrenarRed = otra.entrenarRed
    otra = crear_red(np.zeros((10**4, 10**4)))
    pesos = otra.entrenarRed(10**6, 0.5, X, y, w1, b1, w2, b2, None, None)
    """,
]


def _class_plans() -> dict[int, list[Decision]]:
    units = [textwrap.dedent(unit) for unit in CLASS_UNITS]
    names = student_names(units)
    plans: dict[int, list[Decision]] = {}
    tainted: frozenset[str] = frozenset()
    for index, unit in enumerate(units):
        plan = plan_unit(
            unit,
            student_functions=names.functions,
            tainted=tainted,
            student_objects=names.objects,
            needed_lines=names.needed_lines(index),
        )
        tainted = plan.tainted
        plans[index] = [decision for decision in _decisions(plan) if decision[2] != "definition"]
    return plans


def test_functions_taken_from_classes_objects_and_partials_are_the_students() -> None:
    names = student_names(textwrap.dedent(unit) for unit in CLASS_UNITS)

    assert names.functions == {
        *("crear_red", "medir", "_back_prop"),
        *("feedForward", "costoGlobal", "backProp", "medido", "costo", "entrenarRed"),
    }
    assert names.objects == {"Red", "Costo", "red", "costo"}
    # The assignment `entrenarRed` is taken from (not the later rebinding), and what it reads.
    assert names.needed == {(1, 2), (2, 2), (2, 3)}
    assert student_function_names(textwrap.dedent(unit) for unit in CLASS_UNITS) == names.functions


def test_objects_functions_are_taken_from_are_made_and_their_methods_are_not_run() -> None:
    assert _class_plans() == {
        0: [(2, "keep", "import"), (3, "keep", "import")],
        1: [
            (2, "keep", "assignment"),
            (3, "keep", "assignment"),
            (4, "keep", "assignment"),
            (5, "keep", "assignment"),
            (6, "keep", "assignment"),
            (7, "keep", "assignment"),
            (8, "skip", "calls a student method (red.entrenarRed)"),
            (9, "skip", "calls a student function (feedForward)"),
            (10, "skip", "calls a student function (costo)"),
        ],
        2: [
            (2, "keep", "assignment (needed to bind a function)"),
            (3, "keep", "assignment (needed to bind a function)"),
            (4, "keep", "assignment"),
            (5, "skip", "calls a student function (crear_red)"),
            (6, "skip", "uses otra, bound by a skipped statement"),
        ],
    }


@pytest.mark.parametrize(
    ("source", "decision"),
    [
        ("red = crear_red()\nf = red.feedForward\nred = Red(input('capas'))", "skip:calls input"),
        ("red = crear_red()\nf = red.feedForward\nred = plt.figure()", "skip:calls plt.figure"),
        ("f = medir(_back_prop, veces=3)", "keep:assignment"),
        ("f = medir(Red.feedForward)", "keep:assignment"),
        ("f = medir(_back_prop, X)", "skip:calls a student function (medir)"),
        ("f = medir()", "skip:calls a student function (medir)"),
        ("r = Red().costoGlobal(a2, y)", "skip:calls a student method (Red().costoGlobal)"),
        ("r = Red.feedForward(X, w1, w2, b1, b2)", "skip:calls a student method (Red.feedForward)"),
        ("r = np.tanh(Red.capas)", "keep:assignment"),
    ],
)
def test_what_a_needed_or_wrapping_assignment_may_still_not_do(source: str, decision: str) -> None:
    units = [CLASS_UNITS[0], source]
    names = student_names(textwrap.dedent(unit) for unit in units)
    plan = plan_unit(
        source,
        student_functions=names.functions,
        student_objects=names.objects,
        needed_lines=names.needed_lines(1),
    )

    assert [f"{kind}:{reason}" for _, kind, reason in _decisions(plan)][-1] == decision


def test_a_unit_that_does_not_parse_keeps_its_number_for_what_is_needed() -> None:
    units = [CLASS_UNITS[0], "def roto(:\n", "red = crear_red(1)\nfeedForward = red.feedForward\n"]
    names = student_names(textwrap.dedent(unit) for unit in units)

    assert names.needed == {(2, 1)}
    assert names.needed_lines(2) == {1} and names.needed_lines(1) == frozenset()


# --- walking a statement -------------------------------------------------------------------------------

WALKED = """
import numpy as np, matplotlib.pyplot as grafico
from os import path as ruta, sep
x, (y, *z) = a[(b := 1)], [c for c in range(3) if (d := c)]
e: int = (lambda f=(g := 2), *h, **i: print(f, j))(k)
l += m.n(o)[p:q, ::2] or -r if s else {t: u for t in v}
w[aa] = bb.cc = dd = f"{ee!r:>{ff}}"
gg = {**hh, "ii": [*jj]}, (kk for kk in ll), {mm async for mm in nn}
oo: List[int]
for pp, qq in rr(ss):
    tt = uu(pp) if (vv := qq) else ww
else:
    xx = 1
while (yy := zz()):
    del aaa[bbb], ccc
with ddd(eee) as (fff, ggg), hhh:
    iii = jjj
try:
    import kkk
except (lll, mmm) as nnn:
    ooo = ppp
finally:
    qqq = 1
@rrr(sss)
def ttt(uuu, /, vvv: www = xxx, *yyy, zzz=(a1 := 1), **a2) -> a3:
    a4 = a5
@a6
class a7(a8, metaclass=a9):
    b1 = b2
match b3:
    case [b4, *b5] | {"k": b6, **b7} if b8:
        b9 = 1
    case C1(c2, d=c3) as c4:
        pass
async def c5():
    await c6
    async with c7 as c8:
        pass
global c9
assert d1, d2
raise d3 from d4
"""


def _reference_evaluated(node: ast.AST) -> list[ast.AST]:
    """Every node evaluating ``node`` meets, lambda bodies left out, walked with ast.iter_child_nodes."""
    found: list[ast.AST] = []
    stack = [node]
    while stack:
        current = stack.pop()
        found.append(current)
        children = [
            child
            for child in ast.iter_child_nodes(current)
            if not (isinstance(current, ast.Lambda) and child is current.body)
        ]
        stack.extend(reversed(children))
    return found


def _reference_bound(stmt: ast.AST) -> set[str]:
    names: set[str] = set()
    stack = [stmt]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
            stack.extend(node.decorator_list)
            if not isinstance(node, ast.ClassDef):
                stack.append(node.args)
            continue
        if isinstance(node, ast.Lambda | ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update(
                alias.asname or alias.name.split(".")[0] for alias in node.names if alias.name != "*"
            )
        elif isinstance(node, ast.ExceptHandler) and node.name is not None:
            names.add(node.name)
        stack.extend(ast.iter_child_nodes(node))
    return names


@pytest.mark.parametrize(
    "path",
    [None, *sorted((Path(__file__).parent / "files" / "styles").glob("*.py"))],
    ids=lambda path: "every construct" if path is None else path.name,
)
def test_walks_find_what_a_walk_of_every_child_node_finds(path: Path | None) -> None:
    from grader.sandbox.definitions import _bound_names, _evaluated, _evaluation

    tree = ast.parse(WALKED if path is None else path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt):
            assert _bound_names(node) == _reference_bound(node), ast.unparse(node)
        if isinstance(node, ast.expr | ast.Assign | ast.AnnAssign | ast.AugAssign):
            evaluation = _evaluation(node)
            met = [child for child in _reference_evaluated(node) if isinstance(child, ast.Call | ast.Name)]
            assert _evaluated(node) == met, ast.unparse(node)
            assert list(evaluation.met) == met, ast.unparse(node)
            if isinstance(node, ast.stmt):
                assert evaluation.bound == _reference_bound(node), ast.unparse(node)


def test_every_statement_is_planned_with_the_names_it_binds() -> None:
    tree = ast.parse(WALKED)
    plan = plan_unit(tree, student_functions=frozenset({"uu", "ttt"}), tainted=frozenset({"m", "ss"}))
    kept = {statement.node.lineno for statement in plan.statements}
    binds = {skipped.line: set(skipped.binds) for skipped in plan.skipped}
    tainted = {"m", "ss"}
    for stmt in tree.body:
        if stmt.lineno in kept:
            tainted -= _reference_bound(stmt)
        else:
            assert binds[stmt.lineno] == _reference_bound(stmt), ast.unparse(stmt)
            tainted |= _reference_bound(stmt)

    assert plan.tainted == tainted
    assert len(kept) + len(binds) == len(tree.body)


def test_deep_expressions_are_planned_without_recursion() -> None:
    terms = 2000
    source = (
        f"x = {' + '.join(['1'] * terms)}\n"
        f"y = np{'.a' * terms}\n"
        f"z = {'(lambda: ' * 150}print(1){')' * 150}\n"
        f"w = {'f(' * 150}1{')' * 150}\n"
    )
    names = student_names([source])
    plan = plan_unit(source, student_functions=frozenset({"f"}))

    assert names.functions == {"z"} and plan.syntax_error is None
    assert _decisions(plan) == [
        (1, "keep", "assignment"),
        (2, "keep", "assignment"),
        (3, "keep", "assignment"),
        (4, "skip", "calls a student function (f)"),
    ]
