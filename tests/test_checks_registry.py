"""The registry of check kinds: options validated by the kinds themselves (types, ranges, names that must
exist), a check's own cases, reference helpers for every function that uses them, and `learns` judged by
its options, with words that fit any workshop."""

from __future__ import annotations

import copy
import importlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tomllib

import reference.linreg
from grader.checks import CHECK_KINDS, register
from grader.checks.context import CaseVerdict
from grader.checks.training import least_squares
from grader.errors import RubricError
from grader.grading import Grader
from grader.messages import CATALOGUE, SAY
from grader.report.text import check_text, message_text
from grader.results import SubmissionResult, TaskResult
from grader.rubric import Bounds, OptionSpec
from grader.sandbox.launcher import Zygote
from grader.sandbox.limits import Limits
from grader.submission import discover
from grader.workshop import load_rubric, parse_rubric
from reference import xor

ROOT = Path(__file__).resolve().parent.parent
TINY = Path(__file__).parent / "files" / "rubrics" / "tiny.toml"
# A module of the rubric author's own, beside the reference: cases for checks that bring their own.
CASES_MODULE = "taller_casos_prueba"
CASES_SOURCE = '''
import numpy as np
from reference.cases import xor_case


def tabla():
    """The 2-input XOR table, from starting weights that a correct loop learns it from."""
    return [xor_case(np.random.default_rng([20240917, 1000]), n_inputs=2, n_hidden=5, m=4, dataset="xor")]


def puntos():
    """Written as lists, as an author most simply writes a few points."""
    case = xor_case(np.random.default_rng(5), n_inputs=2, n_hidden=3, m=3)
    case["X"] = [[0.0, 0.5, -0.5], [1.0, -1.0, 0.25]]
    return [case]


def costos():
    return [{"X": np.ones((3, 2)), "y": np.zeros(3), "theta": np.zeros(2), "features": np.ones((3, 1))}]


def vacio():
    return []


def sin_tablas():
    return [1]


def incompleto():
    return [{"X": np.ones((3, 2))}]


def roto():
    raise ValueError("sin datos")
'''


@pytest.fixture(scope="module", autouse=True)
def cases_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    folder = tmp_path_factory.mktemp("autor")
    (folder / f"{CASES_MODULE}.py").write_text(CASES_SOURCE, encoding="utf-8")
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop(CASES_MODULE, None)


def bundled(name: str) -> dict[str, Any]:
    return tomllib.loads((ROOT / "rubrics" / f"{name}.toml").read_text(encoding="utf-8"))


def tiny() -> dict[str, Any]:
    return tomllib.loads(TINY.read_text(encoding="utf-8"))


def changed(data: dict[str, Any], path: list[str | int], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def refused(data: dict[str, Any], source: str) -> str:
    with pytest.raises(RubricError) as error:
        parse_rubric(data, source=source)
    return str(error.value)


# --- the kinds' own declarations ----------------------------------------------------------------------


def test_every_kind_documents_itself_and_every_option() -> None:
    assert set(CHECK_KINDS) >= {
        "shapes",
        "matches_reference",
        "gradient_check",
        "one_step",
        "cost_decreases",
        "reaches_solution",
        "learns",
    }
    for name, kind in CHECK_KINDS.items():
        assert kind.doc, name
        for option, spec in kind.options.items():
            assert spec.doc and "\n" not in spec.doc, (name, option)
            if spec.default is not None:
                assert spec.problem(spec.default) is None, (name, option)


def test_register_refuses_a_default_its_own_range_refuses() -> None:
    def run(ctx: Any, spec: Any, cases: Any) -> list[CaseVerdict]:
        """Nothing."""
        return []

    bad = {"steps": OptionSpec(int, 0, doc="Updates.", range=Bounds(1))}
    with pytest.raises(ValueError, match=r"option 'steps': its default 0 is refused by its own spec "):
        register("sin_rango", options=bad)(run)
    with pytest.raises(ValueError, match=r"option 'steps': needs a one-line doc"):
        register("sin_doc", options={"steps": OptionSpec(int, 1)})(run)
    with pytest.raises(ValueError, match=r"option 'cases' is common to every kind"):
        register("con_casos", options={"cases": OptionSpec(str, doc="Mine.")})(run)
    with pytest.raises(ValueError, match=r"registered twice"):
        register("shapes")(run)
    assert not {"sin_rango", "sin_doc", "con_casos"} & set(CHECK_KINDS)


@pytest.mark.parametrize(
    ("bounds", "inside", "outside", "text"),
    [
        (Bounds(0), [0, 1e9], [-1e-12], "≥ 0"),
        (Bounds(0, low_open=True), [1e-12], [0, -1], "> 0"),
        (Bounds(1), [1, 7], [0], "≥ 1"),
        (Bounds(0, 1, low_open=True), [1e-9, 1], [0, 1.0001], "(0, 1]"),
    ],
)
def test_bounds(bounds: Bounds, inside: list[float], outside: list[float], text: str) -> None:
    assert all(v in bounds for v in inside)
    assert not any(v in bounds for v in outside)
    assert bounds.text == text


# --- options a kind refuses at load, naming the key -------------------------------------------------------

XOR_GRADIENTS = ["tasks", 2, "checks", 1]
XOR_LEARNS = ["tasks", 3, "checks", 2]
LINREG_SOLUTION = ["tasks", 2, "checks", 2]


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            [*XOR_GRADIENTS, "gradients"],
            {"dw3": "w1", "dw2": "w2"},
            "xor.toml: tasks[2].checks[1].gradients: 'dw3' is not one of the task's returns "
            "(dw1, db1, dw2, db2)",
        ),
        (
            [*XOR_GRADIENTS, "gradients"],
            {"dw1": "w3"},
            "xor.toml: tasks[2].checks[1].gradients: 'w3' is not one of the task's params "
            "(X, y, w1, w2, b1, b2, a2, a1)",
        ),
        (
            [*XOR_GRADIENTS, "gradients"],
            {"dw1": "a1"},
            "xor.toml: tasks[2].checks[1].gradients: 'a1' is not one of the parameters of cost_of_params "
            "(X, y, w1, b1, w2, b2)",
        ),
        (
            [*XOR_GRADIENTS, "gradients"],
            {"dw1": 1},
            "xor.toml: tasks[2].checks[1].gradients: dw1 = 1: expected the name of a parameter",
        ),
        (
            [*XOR_GRADIENTS, "gradients"],
            {},
            "xor.toml: tasks[2].checks[1].gradients: must name at least one output",
        ),
        (
            [*XOR_GRADIENTS, "cost"],
            "cost_of_param",
            "xor.toml: tasks[2].checks[1].cost: reference.xor has no function 'cost_of_param'",
        ),
        (
            [*XOR_GRADIENTS, "tolerance"],
            0.0,
            "xor.toml: tasks[2].checks[1].tolerance: must be positive, got 0.0",
        ),
        (
            [*XOR_GRADIENTS, "tolerance"],
            float("nan"),
            "xor.toml: tasks[2].checks[1].tolerance: must be a finite number, got nan",
        ),
        (
            [*XOR_GRADIENTS, "gradients"],
            "dw1",
            "xor.toml: tasks[2].checks[1].gradients: expected table, got 'dw1'",
        ),
        (
            [*XOR_LEARNS, "predict"],
            "feedForwad",
            "xor.toml: tasks[3].checks[2].predict: reference.xor has no function 'feedForwad'",
        ),
        (
            [*XOR_LEARNS, "labels"],
            "etiquetas",
            "xor.toml: tasks[3].checks[2].labels: 'etiquetas' is not one of the values the task receives "
            "(X, y, w1, b1, w2, b2, a1, a2)",
        ),
        ([*XOR_LEARNS, "accuracy"], 0, "xor.toml: tasks[3].checks[2].accuracy: must be in (0, 1], got 0"),
        ([*XOR_LEARNS, "accuracy"], 1.5, "xor.toml: tasks[3].checks[2].accuracy: must be in (0, 1], got 1.5"),
        ([*XOR_LEARNS, "steps"], 0, "xor.toml: tasks[3].checks[2].steps: must be at least 1, got 0"),
        ([*XOR_LEARNS, "steps"], True, "xor.toml: tasks[3].checks[2].steps: expected integer, got True"),
        ([*XOR_LEARNS, "rate"], -2.0, "xor.toml: tasks[3].checks[2].rate: must be positive, got -2.0"),
        ([*XOR_LEARNS, "rate"], "2", "xor.toml: tasks[3].checks[2].rate: expected integer or float, got '2'"),
        ([*XOR_LEARNS, "cases"], [], "xor.toml: tasks[3].checks[2].cases: must not be empty"),
        (
            [*XOR_LEARNS, "cases"],
            [{"n_inputs": 2}, 3],
            "xor.toml: tasks[3].checks[2].cases[1]: expected a table of sizes, got 3",
        ),
        (
            [*XOR_LEARNS, "cases"],
            "tablas",
            "xor.toml: tasks[3].checks[2].cases: no function 'tablas' "
            "(in reference.xor, or as module:function)",
        ),
        (
            [*XOR_LEARNS, "public"],
            1,
            "xor.toml: tasks[3].checks[2].public: a check with its own cases takes no public count",
        ),
    ],
)
def test_xor_options_that_name_nothing_fail_at_load(path: list[str | int], value: Any, message: str) -> None:
    assert refused(changed(bundled("xor"), path, value), "xor.toml") == message


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            [*LINREG_SOLUTION, "solution"],
            "least_square",
            "linreg.toml: tasks[2].checks[2].solution: reference.linreg has no function 'least_square', "
            "and it is not a built-in solution (least_squares)",
        ),
        (
            ["tasks", 3, "checks", 1, "accept"],
            [{"ddoff": 1}],
            "linreg.toml: tasks[3].checks[1].accept[0]: reference.linreg.normalizar takes no argument "
            "'ddoff' (X, ddof)",
        ),
        (
            ["tasks", 3, "checks", 1, "accept"],
            ["ddof"],
            "linreg.toml: tasks[3].checks[1].accept[0]: expected a table of keyword arguments, got 'ddof'",
        ),
        (
            ["tasks", 2, "checks", 0, "atol"],
            -1e-9,
            "linreg.toml: tasks[2].checks[0].atol: must not be negative, got -1e-09",
        ),
    ],
)
def test_linreg_options_that_name_nothing_fail_at_load(
    path: list[str | int], value: Any, message: str
) -> None:
    assert refused(changed(bundled("linreg"), path, value), "linreg.toml") == message


def test_a_solution_compares_a_single_trained_parameter() -> None:
    learns = {"id": "lsq", "kind": "reaches_solution", "points": 1, "rate": 0.1, "steps": 10}
    data = changed(bundled("xor"), XOR_LEARNS, {**learns, "solution": "least_squares"})
    assert refused(data, "xor.toml") == (
        "xor.toml: tasks[3].checks[2].kind: 'reaches_solution' compares one trained parameter, and the "
        "task trains w1, b1, w2, b2"
    )


def test_built_in_least_squares_is_the_reference_one() -> None:
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(12, 3)), rng.normal(size=12)
    np.testing.assert_allclose(least_squares(X, y), reference.linreg.least_squares(X, y))


@pytest.mark.parametrize(
    ("function", "message"),
    [
        ("vacio", "vacio() must return a non-empty list of tables, got []"),
        ("sin_tablas", "sin_tablas() case 0 is not a table of named values: 1"),
        ("incompleto", "incompleto() case 0 lacks y, theta (the check reads X, y, theta)"),
        ("roto", "roto() raised ValueError: sin datos"),
    ],
)
def test_a_checks_own_cases_are_checked_at_load(function: str, message: str) -> None:
    data = changed(tiny(), ["tasks", 0, "checks", 0, "cases"], f"{CASES_MODULE}:{function}")
    assert refused(data, "tiny.toml") == f"tiny.toml: tasks[0].checks[0].cases: {CASES_MODULE}:{message}"


def test_a_checks_own_cases_load(tmp_path: Path) -> None:
    data = changed(tiny(), ["tasks", 0, "checks", 0, "cases"], f"{CASES_MODULE}:costos")
    (check,) = parse_rubric(data, source="tiny.toml").task("calcularCosto").checks
    assert check.options == {"rtol": 1e-6, "atol": 1e-9, "accept": [], "cases": f"{CASES_MODULE}:costos"}


def test_the_bundled_rubrics_keep_their_options() -> None:
    xor_rubric = load_rubric(ROOT / "rubrics" / "xor.toml")
    (learning,) = [c for c in xor_rubric.task("entrenarRed").checks if c.kind == "learns"]
    assert learning.options == {
        "rate": 2.0,
        "steps": 40,
        "predict": "feedForward",
        "labels": "y",
        "threshold": 0.5,
        "accuracy": 1.0,
        "cases": [{"n_inputs": 2, "n_hidden": 5, "m": 4, "dataset": "xor"}],
    }


# --- no check speaks of one workshop ----------------------------------------------------------------------

WORKSHOP_WORDS = re.compile(
    r"xor|log[ií]stic|\bred\b|network|neuronal|least.squares|m[ií]nimos cuadrados", re.I
)


def test_no_check_or_its_messages_name_a_workshop() -> None:
    for path in sorted((ROOT / "grader" / "checks").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        # The built-in solution is a name rubrics may give (`solution = "least_squares"`), not a workshop.
        text = text.replace("least_squares", "")
        assert not WORKSHOP_WORDS.search(text), (path.name, WORKSHOP_WORDS.search(text))
    used = set()
    for path in (ROOT / "grader" / "checks").glob("*.py"):
        used |= set(re.findall(r"\"((?:train|grad|out|call|note|summary)\.[a-z_.]+)\"", path.read_text()))
    assert {"train.not_learned", "train.not_learned_cost", "note.helpers_substituted"} <= used
    for key in sorted(used):
        for lang, text in CATALOGUE[key].items():
            assert not WORKSHOP_WORDS.search(text), (key, lang, text)


# --- grading: helpers, own cases and learning ----------------------------------------------------------

RUBRIC = f"""
id = "neutral"
title = "A workshop whose functions call each other"
reference = "reference.xor"
cases = "reference.cases:xor_case"
seed = 11
lang = "en"
timeout_s = 2.0

[[conventions]]
id = "columns"

[[public_cases]]
n_inputs = 3
n_hidden = 4
m = 5

[hidden_cases]
count = 1
n_inputs = [2, 3]
n_hidden = [2, 3]
m = [3, 6]

[[tasks]]
id = "sigmoid"
params = ["z"]
inputs = {{ z = "X" }}
returns = ["s"]

  [[tasks.checks]]
  id = "values"
  kind = "matches_reference"
  points = 1

[[tasks]]
id = "feedForward"
params = ["X", "w1", "w2", "b1", "b2"]
returns = ["a1", "a2"]
uses = ["sigmoid"]

  [[tasks.checks]]
  id = "values"
  kind = "matches_reference"
  points = 2

  [[tasks.checks]]
  id = "points"
  kind = "matches_reference"
  points = 1
  cases = "{CASES_MODULE}:puntos"

[[tasks]]
id = "entrenarRed"
params = ["epocas", "lr", "X", "y", "w1", "b1", "w2", "b2", "a1", "a2"]
returns = ["w1", "b1", "w2", "b2", "costs"]
trains = ["w1", "b1", "w2", "b2"]
steps = "epocas"
rate = "lr"
cost = "cost_of_params"
uses = ["sigmoid", "feedForward"]

  [[tasks.checks]]
  id = "learns"
  kind = "learns"
  points = 2
  rate = 2.0
  steps = 100
  predict = "feedForward"
  cases = "{CASES_MODULE}:tabla"

  [[tasks.checks]]
  id = "learns_half"
  kind = "learns"
  points = 1
  rate = 2.0
  steps = 100
  predict = "feedForward"
  accuracy = 0.5
  cases = "{CASES_MODULE}:tabla"
"""

FORWARD = """
import numpy as np

def sigmoid(z):
    return 1 / (1 + np.exp(-z))

def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoid(w1 @ X + b1)
    return a1, sigmoid(w2 @ a1 + b2)
"""
TRAIN = """
def backward(X, y, w2, a1, a2):
    m = X.shape[1]
    dz2 = a2 - y
    dz1 = (w2.T @ dz2) * a1 * (1 - a1)
    db1, db2 = dz1.sum(axis=1, keepdims=True) / m, dz2.sum(axis=1, keepdims=True) / m
    return dz1 @ X.T / m, db1, dz2 @ a1.T / m, db2

def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
    for _ in range(epocas):
        a1, a2 = feedForward(X, w1, w2, b1, b2)
        dw1, db1, dw2, db2 = backward(X, y, w2, a1, a2)
        w1, b1, w2, b2 = w1 - lr * dw1, b1 - lr * db1, w2 - lr * dw2, b2 - lr * db2
    return w1, b1, w2, b2, []
"""
WRONG_SIGMOID = FORWARD.replace("np.exp(-z)", "np.exp(z)")


@pytest.fixture(scope="module")
def grader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Grader]:
    path = tmp_path_factory.mktemp("rubric") / "neutral.toml"
    path.write_text(RUBRIC, encoding="utf-8")
    zygote = Zygote()
    try:
        yield Grader(
            [load_rubric(path)],
            zygote=zygote,
            secret="registry-tests",
            limits=Limits(call_timeout_s=2.0, statement_timeout_s=0.5),
            scratch_root=tmp_path_factory.mktemp("scratch"),
            lang="en",
        )
    finally:
        zygote.close()


def graded(grader: Grader, folder: Path, source: str) -> dict[str, TaskResult]:
    path = folder / "entrega.py"
    path.write_text(source, encoding="utf-8")
    (submission,) = discover([path])
    result: SubmissionResult = grader.grade(submission)
    assert result.status == "graded", result.error
    return {t.id: t for t in result.tasks}


def lost(task: TaskResult) -> float:
    return round(task.max_score - task.score, 6)


@pytest.mark.slow
def test_a_wrong_helper_costs_points_once(grader: Grader, tmp_path: Path) -> None:
    tasks = graded(grader, tmp_path, WRONG_SIGMOID + TRAIN)
    assert lost(tasks["sigmoid"]) == 1
    # The functions that call it are graded on their own logic, with the reference sigmoid.
    for name in ("feedForward", "entrenarRed"):
        assert lost(tasks[name]) == 0, [check_text(c, "en") for c in tasks[name].checks]
        assert SAY("note.helpers_substituted", name=name, helpers="sigmoid") in tasks[name].notes
        assert f"To grade {name} on its own logic, correct versions of sigmoid were used." in [
            message_text(note, "en") for note in tasks[name].notes
        ]
    # A check's own cases are public only, and say where they come from.
    points = [c for c in tasks["feedForward"].checks if c.id.startswith("points")]
    assert [(c.id, c.visibility) for c in points] == [("points", "public")]

    # A function with a mistake of its own still loses its points with the reference helper.
    broken = graded(grader, tmp_path, WRONG_SIGMOID.replace("w2 @ a1 + b2", "w2 @ a1") + TRAIN)
    assert lost(broken["feedForward"]) == 3
    messages = "\n".join(check_text(c, "en") for c in broken["feedForward"].checks)
    assert f"feedForward, public case 1 (cases={CASES_MODULE}:puntos): " in messages
    assert not any(note.key == "note.helpers_substituted" for note in broken["feedForward"].notes)


@pytest.mark.slow
def test_learns_asks_for_the_share_of_instances_its_options_say(grader: Grader, tmp_path: Path) -> None:
    learned = graded(grader, tmp_path, FORWARD + TRAIN)["entrenarRed"]
    assert lost(learned) == 0, [check_text(c, "en") for c in learned.checks]

    # A loop that never updates leaves the model where it started: half of the XOR table right.
    idle = graded(grader, tmp_path, FORWARD + TRAIN.replace("for _ in range(epocas):", "for _ in range(0):"))
    checks = {c.id: c for c in idle["entrenarRed"].checks}
    assert checks["learns_half"].status == "pass"
    assert checks["learns"].status == "fail"
    (case,) = importlib.import_module(CASES_MODULE).tabla()
    cost = xor.cost_of_params(case["X"], case["y"], case["w1"], case["b1"], case["w2"], case["b2"])
    assert message_text(checks["learns"].details[0], "en") == (
        f"entrenarRed, public case 1 (cases={CASES_MODULE}:tabla): after 100 iterations (epochs) with "
        f"rate 2, the model classifies 2 of 4 instances correctly; at least 4 are required (final cost "
        f"{cost:.4g})."
    )
