"""Grading one submission: real workers, real files, the situations students really create."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import nbformat
import pytest
from judge_kit import XOR_NETWORK

from grader.grading import Grader
from grader.messages import SAY, Message
from grader.report.text import check_text, message_text
from grader.results import SubmissionResult, TaskResult
from grader.rubric import Rubric
from grader.sandbox.launcher import Zygote
from grader.sandbox.limits import Limits
from grader.submission import Submission, discover
from grader.workshop import load_bundled_rubrics

XOR_FUNCTIONS = XOR_NETWORK

TRAIN_RETURNING = """
def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
    costos = []
    for _ in range(epocas):
        a1, a2 = feedForward(X, w1, w2, b1, b2)
        costos.append(costoGlobal(a2, y))
        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
        w1 = w1 - lr * dw1
        b1 = b1 - lr * db1
        w2 = w2 - lr * dw2
        b2 = b2 - lr * db2
    return w2, costos, b2, w1, b1
"""

TRAIN_IN_PLACE = """
def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
    for _ in range(epocas):
        a1, a2 = feedForward(X, w1, w2, b1, b2)
        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
        w1 -= lr * dw1
        b1 -= lr * db1
        w2 -= lr * dw2
        b2 -= lr * db2
"""


@contextmanager
def grader_of(rubrics: list[Rubric], *, scratch: Path) -> Iterator[Grader]:
    """A grader of ``rubrics``, with short time limits, in a zygote of its own."""
    zygote = Zygote()
    try:
        yield Grader(
            rubrics,
            zygote=zygote,
            secret="unit-tests",
            limits=Limits(call_timeout_s=2.0, statement_timeout_s=0.5),
            scratch_root=scratch,
            lang="en",
        )
    finally:
        zygote.close()


@pytest.fixture(scope="module")
def grader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Grader]:
    with grader_of(load_bundled_rubrics(), scratch=tmp_path_factory.mktemp("scratch")) as every_workshop:
        yield every_workshop


def xor_grader(*, budget_s: float, scratch: Path) -> AbstractContextManager[Grader]:
    """A grader of the xor workshop alone, with ``budget_s`` for each submission."""
    rubrics = [dataclasses.replace(r, budget_s=budget_s) for r in load_bundled_rubrics() if r.id == "xor"]
    return grader_of(rubrics, scratch=scratch)


def write(folder: Path, name: str, text: str) -> Submission:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    (submission,) = discover([path])
    return submission


def notebook(folder: Path, name: str, cells: list[str]) -> Submission:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    path = folder / name
    nbformat.write(nb, path)
    (submission,) = discover([path])
    return submission


def tasks(result: SubmissionResult) -> dict[str, TaskResult]:
    assert result.status == "graded", result.error
    return {t.id: t for t in result.tasks}


def full(task: TaskResult) -> bool:
    return task.score == task.max_score > 0


def messages(task: TaskResult, lang: str = "en") -> str:
    return "\n".join(check_text(c, lang) for c in task.checks)


def said(notes: tuple[Message, ...], lang: str = "en") -> list[str]:
    return [message_text(note, lang) for note in notes]


def test_correct_functions_and_a_shuffled_training_return(grader: Grader, tmp_path: Path) -> None:
    result = grader.grade(write(tmp_path, "ok.py", XOR_FUNCTIONS + TRAIN_RETURNING))
    graded = tasks(result)
    assert all(full(t) for t in graded.values()), {k: messages(t) for k, t in graded.items() if not full(t)}
    assert {t.rubric for t in result.tasks} == {"xor"}


def test_training_in_place_without_return_is_graded(grader: Grader, tmp_path: Path) -> None:
    graded = tasks(grader.grade(write(tmp_path, "inplace.py", XOR_FUNCTIONS + TRAIN_IN_PLACE)))
    assert full(graded["entrenarRed"]), messages(graded["entrenarRed"])


def test_training_that_updates_globals_is_graded(grader: Grader, tmp_path: Path) -> None:
    source = (
        XOR_FUNCTIONS
        + """
def entrenarRed(epocas, lr, X, y, w1_, b1_, w2_, b2_, a1, a2):
    global w1, b1, w2, b2
    w1, b1, w2, b2 = w1_, b1_, w2_, b2_
    for _ in range(epocas):
        a1, a2 = feedForward(X, w1, w2, b1, b2)
        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
        w1, b1, w2, b2 = w1 - lr * dw1, b1 - lr * db1, w2 - lr * dw2, b2 - lr * db2
"""
    )
    graded = tasks(grader.grade(write(tmp_path, "globals.py", source)))
    assert full(graded["entrenarRed"]), messages(graded["entrenarRed"])


def test_lists_instead_of_arrays_are_accepted(grader: Grader, tmp_path: Path) -> None:
    source = XOR_FUNCTIONS.replace("return a1, a2", "return a1.tolist(), a2.tolist()")
    graded = tasks(grader.grade(write(tmp_path, "lists.py", source)))
    assert full(graded["feedForward"]), messages(graded["feedForward"])


def test_existing_is_not_a_score(grader: Grader, tmp_path: Path) -> None:
    source = XOR_FUNCTIONS + "\ndef entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):\n    return None\n"
    source = source.replace("    return a1, a2", "    raise ValueError('todavía no')")
    graded = tasks(grader.grade(write(tmp_path, "stubs.py", source)))
    assert graded["feedForward"].score == 0 and graded["entrenarRed"].score == 0
    assert "ValueError: todavía no" in messages(graded["feedForward"])
    assert "stubs.py, line " in messages(graded["feedForward"])
    assert {c.status for c in graded["feedForward"].checks} == {"error"}


def test_endless_loop_is_a_timeout_and_the_rest_is_graded(grader: Grader, tmp_path: Path) -> None:
    source = XOR_FUNCTIONS.replace("    m = y.shape[1]\n", "    while True:\n        pass\n")
    graded = tasks(grader.grade(write(tmp_path, "loop.py", source)))
    assert {c.status for c in graded["costoGlobal"].checks} == {"timeout"}
    assert all("timeout" in c.diagnoses for c in graded["costoGlobal"].checks)
    assert full(graded["backProp"]) and full(graded["feedForward"])


def test_wrong_signature_is_explained(grader: Grader, tmp_path: Path) -> None:
    source = XOR_FUNCTIONS.replace("def feedForward(X, w1, w2, b1, b2):", "def feedForward(X, pesos):")
    graded = tasks(grader.grade(write(tmp_path, "signature.py", source)))
    assert graded["feedForward"].score == 0
    assert "feedForward(X, w1, w2, b1, b2)" in messages(graded["feedForward"])
    assert "(X, pesos)" in messages(graded["feedForward"])


def test_missing_functions_are_skipped_not_crashed(grader: Grader, tmp_path: Path) -> None:
    graded = tasks(grader.grade(write(tmp_path, "partial.py", XOR_FUNCTIONS)))
    assert graded["entrenarRed"].found_as is None
    assert {c.status for c in graded["entrenarRed"].checks} == {"skipped"}
    assert all("missing_function" in c.diagnoses for c in graded["entrenarRed"].checks)


def test_rows_convention_is_accepted_and_noted_once(grader: Grader, tmp_path: Path) -> None:
    source = """
import numpy as np
sig = lambda z: 1 / (1 + np.exp(-z))
def feedForward(X, w1, w2, b1, b2):
    a1 = sig(X @ w1 + b1)
    return a1, sig(a1 @ w2 + b2)
def costoGlobal(y_est, y):
    return -np.mean(y * np.log(y_est) + (1 - y) * np.log(1 - y_est))
def backProp(X, y, w1, w2, b1, b2, a2, a1):
    m = X.shape[0]
    d2 = a2 - y
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return X.T @ d1 / m, d1.sum(axis=0, keepdims=True) / m, a1.T @ d2 / m, d2.sum(axis=0, keepdims=True) / m
"""
    result = grader.grade(write(tmp_path, "rows.py", source))
    graded = tasks(result)
    assert full(graded["feedForward"]) and full(graded["backProp"]), messages(graded["backProp"])
    assert "rows_as_instances" in graded["feedForward"].checks[0].diagnoses
    notes = [n for t in result.tasks for n in t.notes if n.key == "note.rows_as_instances"]
    assert len(notes) == 1
    assert notes[0] == SAY("note.rows_as_instances")


def test_notebook_that_trains_for_minutes_and_asks_for_input_loads_fast(
    grader: Grader, tmp_path: Path
) -> None:
    cells = [
        "%matplotlib inline\nimport numpy as np\nimport matplotlib.pyplot as plt",
        "!pip install numpy",
        XOR_FUNCTIONS,
        TRAIN_RETURNING,
        "X = np.array([[0., 0., 1., 1.], [0., 1., 0., 1.]])\nm = X.shape[1]\nrespuesta = input('¿seguir?')",
        "import time\nfor i in range(10**9):\n    time.sleep(1)",
        "resultado = entrenarRed(10**7, 0.5, X, None, None, None, None, None, None, None)\n"
        "plt.plot(resultado[1])",
        "def costoGlobal(y_est, y:\n    return 0",
    ]
    result = grader.grade(notebook(tmp_path, "slow.ipynb", cells))
    # Fast because the endless cells never ran: none was stopped at its time limit.
    assert not any(note.key == "load.statement_timeout" for note in result.notes)
    graded = tasks(result)
    assert full(graded["feedForward"]) and full(graded["entrenarRed"])
    # The later cell redefining costoGlobal does not parse: only that cell is lost.
    assert full(graded["costoGlobal"])
    assert any("cell 8" in note and "syntax error" in note for note in said(result.notes))
    assert any("celda 8" in note and "error de sintaxis" in note for note in said(result.notes, "es"))
    # The failed import of matplotlib is nothing a graded function needed: no note about it.
    assert not any(note.key == "load.imports_failed" for note in result.notes)


def test_a_failed_import_is_told_once_and_only_when_a_graded_function_needed_it(
    grader: Grader, tmp_path: Path
) -> None:
    cells = [
        "import numpy as np\nimport paquete_que_no_existe as pq\nimport otro_que_tampoco",
        XOR_FUNCTIONS.replace("return 1 / (1 + np.exp(-z))", "return pq.sigmoid(z)"),
        "from modulo_ausente import algo",
    ]
    result = grader.grade(notebook(tmp_path, "importa.ipynb", cells))
    graded = tasks(result)
    assert not full(graded["feedForward"])
    (note,) = [n for n in result.notes if n.key.startswith("load.import")]
    assert note.key == "load.imports_failed"
    english, spanish = message_text(note, "en"), message_text(note, "es")
    assert "paquete_que_no_existe" in english and "importa.ipynb, cell 1, line 2" in english
    assert "importa.ipynb, celda 1, línea 2" in spanish
    # Imports nothing graded needed are none of the grade's business.
    assert "otro_que_tampoco" not in english and "modulo_ausente" not in english
    # A submission whose functions need nothing that failed hears nothing about imports.
    cells[1] = XOR_FUNCTIONS
    quiet = grader.grade(notebook(tmp_path, "importa_bien.ipynb", cells))
    assert all(full(task) for task in tasks(quiet).values() if task.found_as is not None)
    assert not any(n.key.startswith("load.import") for n in quiet.notes)


def test_exception_location_points_at_the_notebook_cell(grader: Grader, tmp_path: Path) -> None:
    broken = XOR_FUNCTIONS.replace("    dz2 = a2 - y\n", "    dz2 = a2 - y\n    raise KeyError('w3')\n")
    result = grader.grade(notebook(tmp_path, "trace.ipynb", ["import numpy as np", broken]))
    text = messages(tasks(result)["backProp"])
    assert "KeyError" in text and "trace.ipynb, cell 2, line " in text


def test_folder_submission_may_import_its_own_module(grader: Grader, tmp_path: Path) -> None:
    folder = tmp_path / "ana"
    folder.mkdir()
    (folder / "utilidades.py").write_text(
        "import numpy as np\ndef sigmoide(z):\n    return 1 / (1 + np.exp(-z))\n"
    )
    main = XOR_FUNCTIONS.replace(
        "def sigmoide(z):\n    return 1 / (1 + np.exp(-z))\n", "from utilidades import sigmoide\n"
    )
    (folder / "taller.py").write_text(main)
    (submission,) = discover([tmp_path])
    graded = tasks(grader.grade(submission))
    assert full(graded["feedForward"]), messages(graded["feedForward"])


@pytest.mark.parametrize(
    ("content", "kind"),
    [(b"", "empty_file"), (b'{"cells": [', "truncated_notebook"), (b"hola", "not_json")],
)
def test_broken_notebooks_end_with_an_error_result(
    grader: Grader, tmp_path: Path, content: bytes, kind: str
) -> None:
    path = tmp_path / "roto.ipynb"
    path.write_bytes(content)
    (submission,) = discover([path])
    result = grader.grade(submission)
    assert result.status == "error" and result.error is not None
    assert result.error.kind == kind
    assert result.error.message.key.removesuffix(".at") == f"source.{kind}"
    assert message_text(result.error.message, "es") != message_text(result.error.message, "en")


def test_nothing_to_grade(grader: Grader, tmp_path: Path) -> None:
    result = grader.grade(write(tmp_path, "otro.py", "def suma(a, b):\n    return a + b\n"))
    assert result.status == "error" and result.error is not None
    assert result.error.kind == "nothing_to_grade"
    assert result.error.message.key == "submission.no_rubric"
    assert "feedForward" in message_text(result.error.message, "en")


def test_linreg_column_vectors_and_sample_std(grader: Grader, tmp_path: Path) -> None:
    source = """
import numpy as np
def calcularCosto(X, y, theta):
    m = len(y)
    return float(((X @ theta - y) ** 2).sum() / (2 * m))
def calcularGradiente(X, y, theta):
    # written for column vectors only: always returns an (n, 1) gradient
    return X.T @ (X @ theta.reshape(-1, 1) - y.reshape(-1, 1)) / len(y)
def descensoGradiente(X, y, theta, alpha, iteraciones):
    historial = []
    for _ in range(iteraciones):
        theta = theta - alpha * calcularGradiente(X, y, theta).reshape(theta.shape)
        historial.append(calcularCosto(X, y, theta))
    return theta, historial
def normalizar(X):
    mu = X.mean(axis=0)
    sigma = X.std(axis=0, ddof=1)
    return (X - mu) / sigma, mu, sigma
"""
    graded: dict[str, Any] = tasks(grader.grade(write(tmp_path, "columnas.py", source)))
    for name in ("calcularCosto", "calcularGradiente", "descensoGradiente", "normalizar"):
        assert full(graded[name]), (name, messages(graded[name]))


def test_hidden_cases_reveal_no_values(grader: Grader, tmp_path: Path) -> None:
    source = XOR_FUNCTIONS.replace("    m = y.shape[1]\n", "    m = y.shape[1] * 2\n").replace(
        "    m = X.shape[1]\n", "    raise ValueError(f'X suma {X.sum():.6f}')\n"
    )
    graded = tasks(grader.grade(write(tmp_path, "leaky.py", source)))
    for task in (graded["costoGlobal"], graded["backProp"]):
        hidden = [c for c in task.checks if c.visibility == "hidden"]
        public = [c for c in task.checks if c.visibility == "public"]
        assert hidden and public
        for check in hidden:
            for lang in ("en", "es"):
                text = check_text(check, lang)
                assert "expected" not in text and "esperaba" not in text and "suma" not in text, text
                assert "inputs:" not in text and "entradas:" not in text
    assert "hidden cases do not show which or where" in messages(graded["backProp"])
    public_backprop = next(c for c in graded["backProp"].checks if c.visibility == "public")
    assert "X suma" in check_text(public_backprop, "en")
    public_cost = next(c for c in graded["costoGlobal"].checks if c.visibility == "public")
    assert "expected" in check_text(public_cost, "en")


def test_prints_during_hidden_cases_never_reach_the_report(grader: Grader, tmp_path: Path) -> None:
    source = XOR_FUNCTIONS.replace(
        "    a1 = sigmoide(w1 @ X + b1)\n", "    print('FORMA', X.shape)\n    a1 = sigmoide(w1 @ X + b1)\n"
    )
    result = grader.grade(write(tmp_path, "printer.py", source))
    printed = [line for line in result.output.splitlines() if line.startswith("FORMA")]
    public_shapes = {"FORMA (3, 8)", "FORMA (2, 7)", "FORMA (8, 3)", "FORMA (7, 2)"}
    assert printed and set(printed) <= public_shapes
    # The report says that hidden cases' output was left out: a fact, put into words by the renderers.
    assert [note.key for note in result.output_notes] == ["output.hidden_withheld"]


STATEFUL_CELLS = [
    "import numpy as np",
    "def escala_inicial(n):\n    return 1.0 / n",
    # Definitions mode skips this (it calls a student function), so ESCALA only exists after a full run.
    "ESCALA = escala_inicial(1)",
    "def feedForward(X, w1, w2, b1, b2):\n"
    "    a1 = ESCALA / (1 + np.exp(-(w1 @ X + b1)))\n"
    "    return a1, 1 / (1 + np.exp(-(w2 @ a1 + b2)))",
    "print('celda final', ESCALA)",
]


def test_auto_mode_runs_the_whole_notebook_when_a_function_needs_its_state(
    grader: Grader, tmp_path: Path
) -> None:
    submission = notebook(tmp_path, "estado.ipynb", STATEFUL_CELLS)
    result = grader.grade(submission)
    assert full(tasks(result)["feedForward"]), messages(tasks(result)["feedForward"])
    assert SAY("note.full_notebook") in result.notes
    assert any("whole notebook was run" in note for note in said(result.notes))
    assert "celda final 1.0" in result.output


@pytest.mark.parametrize(("mode", "passes"), [("definitions", False), ("notebook", True)])
def test_exec_modes(tmp_path: Path, mode: str, passes: bool) -> None:
    zygote = Zygote(scratch_root=tmp_path)
    try:
        grader = Grader(
            load_bundled_rubrics(),
            zygote=zygote,
            secret=None,
            limits=Limits(call_timeout_s=2.0),
            scratch_root=tmp_path,
            lang="en",
            exec_mode=mode,  # type: ignore[arg-type]
        )
        result = grader.grade(notebook(tmp_path, "estado.ipynb", STATEFUL_CELLS))
    finally:
        zygote.close()
    task = tasks(result)["feedForward"]
    assert full(task) is passes
    if not passes:
        assert "NameError: name 'ESCALA' is not defined" in messages(task)


@pytest.mark.slow
def test_full_mode_runs_cells_as_jupyter_does(grader: Grader, tmp_path: Path) -> None:
    """The same notebook through a real Jupyter kernel (nbclient) and through the notebook mode: the
    cells print the same lines."""
    import nbclient

    cells = [
        "import numpy as np\nvalores = np.arange(4.0)",
        "def doble(v):\n    return 2 * v\ntotal = doble(valores).sum()\nprint('total', total)",
        "for i in range(2):\n    print('vuelta', i, valores[i])",
        "def feedForward(X, w1, w2, b1, b2):\n    a1 = 1 / (1 + np.exp(-(w1 @ X + b1)))\n"
        "    return a1, 1 / (1 + np.exp(-(w2 @ a1 + b2)))\nprint('listo', total * 2)",
    ]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nbclient.NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    jupyter = "".join(
        o.get("text", "") for cell in nb.cells for o in cell.outputs if o.output_type == "stream"
    )

    zygote = Zygote(scratch_root=tmp_path)
    try:
        full_mode = Grader(
            load_bundled_rubrics(),
            zygote=zygote,
            secret=None,
            limits=Limits(),
            scratch_root=tmp_path,
            exec_mode="notebook",
        )
        result = full_mode.grade(notebook(tmp_path, "igual.ipynb", cells))
    finally:
        zygote.close()
    assert jupyter.strip() and result.output.startswith(jupyter)


@pytest.mark.parametrize("budget_s", [None, 20.0], ids=["rubric-budget", "budget-below-the-limits-sum"])
def test_no_student_call_is_made_twice(
    grader: Grader,
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    budget_s: float | None,
) -> None:
    """The convention probe and the checks share calls: the same function on the same inputs, with the
    same helpers, runs once (a training loop is the costliest thing a submission asks for); calls known
    in advance travel together. They do when their time limits add up to more than the submission's
    budget too (20 s here, against 38 s for the public calls): an honest batch takes milliseconds."""
    from grader.checks.memo import values_key
    from grader.sandbox.session import StudentRuntime

    made: list[tuple[str, bytes, tuple[str, ...]]] = []
    round_trips: list[str] = []
    call, call_many = StudentRuntime.call, StudentRuntime.call_many

    def remember(function: str, args: Any, helpers: tuple[str, ...]) -> None:
        named = {str(i): arg for i, arg in enumerate(args)}
        made.append((function, values_key(named, tuple(named)), helpers))

    def recording(self: StudentRuntime, function: str, args: Any, **kwargs: Any) -> Any:
        remember(function, args, tuple(s.name for s in kwargs.get("substitutes", ())))
        round_trips.append(function)
        return call(self, function, args, **kwargs)

    def recording_many(self: StudentRuntime, calls: Any, **kwargs: Any) -> Any:
        outcomes = call_many(self, calls, **kwargs)
        for planned in calls[: len(outcomes)]:
            remember(planned.function, planned.args, ())
        round_trips.append(",".join(sorted({planned.function for planned in calls})))
        return outcomes

    monkeypatch.setattr(StudentRuntime, "call", recording)
    monkeypatch.setattr(StudentRuntime, "call_many", recording_many)
    submission = write(tmp_path, "ok.py", XOR_FUNCTIONS + TRAIN_RETURNING)
    if budget_s is None:
        graded = tasks(grader.grade(submission))
    else:
        with xor_grader(budget_s=budget_s, scratch=tmp_path_factory.mktemp("scratch")) as tight:
            graded = tasks(tight.grade(submission))
    assert all(full(task) for task in graded.values()), {k: messages(t) for k, t in graded.items()}
    assert len(made) == len(set(made))
    trained = [m for m in made if m[0] == "entrenarRed"]
    # One epoch at each of two rates (public and hidden), the cost after 1..4 epochs (public and
    # hidden), learning XOR.
    assert len(trained) == 4 + 8 + 1
    # feedForward: the probe, then its other public case and its hidden cases in one round trip each.
    # Every call is known before any is made: the public ones (the probes first) travel in one round
    # trip, the hidden ones in another, whatever function each calls.
    everything = ",".join(sorted({"feedForward", "costoGlobal", "backProp", "entrenarRed"}))
    assert round_trips == [everything, everything]


@pytest.mark.parametrize("kind", ["rows-convention", "two-workshops"])
def test_an_honest_submission_makes_every_public_call_before_any_hidden_one(
    grader: Grader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """The worker that made the public calls is sealed for the hidden ones, and a public call after them
    would cost a second worker: a submission right in the rubric's other convention, or one that answers
    two workshops, makes every public call first (its hidden calls then travel in one round trip)."""
    from grader.sandbox.session import StudentRuntime

    order: list[bool] = []
    call, call_many = StudentRuntime.call, StudentRuntime.call_many

    def recording(self: StudentRuntime, function: str, args: Any, **kwargs: Any) -> Any:
        order.append(bool(kwargs.get("hidden")))
        return call(self, function, args, **kwargs)

    def recording_many(self: StudentRuntime, calls: Any, **kwargs: Any) -> Any:
        order.append(bool(kwargs.get("hidden")))
        return call_many(self, calls, **kwargs)

    monkeypatch.setattr(StudentRuntime, "call", recording)
    monkeypatch.setattr(StudentRuntime, "call_many", recording_many)
    if kind == "rows-convention":
        submission = write(tmp_path, "rows.py", XOR_ROWS + TRAIN_RETURNING)
    else:
        everyone = discover([Path(__file__).parent.parent / "submissions"])
        (submission,) = [s for s in everyone if s.id == "maria_lopez"]
    workers = grader.timings.workers
    result = grader.grade(submission)
    graded = tasks(result)
    assert {t.rubric for t in result.tasks} == ({"xor"} if kind == "rows-convention" else {"xor", "linreg"})
    assert all(full(task) for task in graded.values()), {k: messages(t) for k, t in graded.items()}
    assert order.count(True) == 1
    assert order == sorted(order), order
    # One worker made every call, the hidden ones once it was sealed.
    assert grader.timings.workers - workers == 1


def test_a_submission_that_uses_up_its_time_budget_is_stopped_and_told(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    """Every function waits just under its time limit: without a budget per submission, that costs a
    limit per call (tens of seconds); with it, the calls past the budget are not made and say why."""
    source = XOR_FUNCTIONS.replace("import numpy as np\n", "import numpy as np\nimport time\n")
    for name in ("feedForward", "costoGlobal", "backProp"):
        source = source.replace(
            f"def {name}(",
            f"def {name}(*a):\n    time.sleep(0.3)\n    return _{name}(*a)\n\ndef _{name}(",
        )
    with xor_grader(budget_s=1.5, scratch=tmp_path_factory.mktemp("scratch")) as slow:
        graded = tasks(slow.grade(write(tmp_path, "slow.py", source)))
    text = "\n".join(messages(task) for task in graded.values())
    assert "used up its total time of 1.5 s" in text
    stopped = [
        c for task in graded.values() for c in task.checks if "used up its total time" in check_text(c, "en")
    ]
    assert stopped and all(c.status == "timeout" and c.score < c.max_score for c in stopped)


def test_a_helper_name_shared_by_workshops_does_not_bring_in_another_rubric() -> None:
    """``cost`` is an alias of linreg's calcularCosto; a XOR notebook that also defines it is doing XOR."""
    from grader.judge import applicable_rubrics as _applicable

    rubrics = load_bundled_rubrics()
    xor_names = {"feedForward", "costoGlobal", "backProp", "entrenarRed", "sigmoide", "cost"}
    assert [r.id for r in _applicable(rubrics, xor_names, chosen=False)] == ["xor"]
    # Both workshops in one notebook: both graded.
    both = xor_names | {"calcularCosto", "calcularGradiente", "descensoGradiente"}
    assert {r.id for r in _applicable(rubrics, both, chosen=False)} >= {"xor", "linreg"}
    # Just started: the best match is graded, so the student hears what is missing.
    assert [r.id for r in _applicable(rubrics, {"feedForward"}, chosen=False)] == ["xor"]
    # Chosen on the command line: graded whenever any of its functions is there.
    (linreg,) = [r for r in rubrics if r.id == "linreg"]
    assert _applicable([linreg], xor_names, chosen=True) == [linreg]


# --- one convention for the whole submission ----------------------------------------------------------------

XOR_ROWS = """
import numpy as np
sig = lambda z: 1 / (1 + np.exp(-z))
def feedForward(X, w1, w2, b1, b2):
    a1 = sig(X @ w1 + b1)
    return a1, sig(a1 @ w2 + b2)
def costoGlobal(y_est, y):
    return float(-np.sum(y * np.log(y_est) + (1 - y) * np.log(1 - y_est)) / len(y))
def backProp(X, y, w1, w2, b1, b2, a2, a1):
    m = len(X)
    d2 = a2 - y
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return X.T @ d1 / m, d1.sum(axis=0, keepdims=True) / m, a1.T @ d2 / m, d2.sum(axis=0, keepdims=True) / m
"""
XOR_DATA = "X = np.array([[0., 0., 1., 1.], [0., 1., 0., 1.]])\ny = np.array([[0., 1., 1., 0.]])"


def codes_of(task: TaskResult) -> set[str]:
    return {code for check in task.checks for code in check.diagnoses}


def grade_source(
    grader: Grader, folder: Path, name: str, source: str, *, as_notebook: bool
) -> dict[str, TaskResult]:
    """Grade ``source`` as a module, or as a notebook whose data cell comes before the functions."""
    if as_notebook:
        submission = notebook(folder, f"{name}.ipynb", ["import numpy as np", XOR_DATA, source])
    else:
        submission = write(folder, f"{name}.py", source)
    return tasks(grader.grade(submission))


@pytest.mark.parametrize("as_notebook", [False, True])
@pytest.mark.parametrize(
    "source",
    [
        pytest.param(XOR_FUNCTIONS + TRAIN_RETURNING, id="columns-shape"),
        pytest.param(XOR_ROWS + TRAIN_RETURNING, id="rows-len"),
        pytest.param(XOR_ROWS.replace("/ len(y))", "/ y.shape[0])") + TRAIN_IN_PLACE, id="rows-shape"),
        pytest.param(XOR_FUNCTIONS.replace("    m = y.shape[1]\n", "    m = y.size\n"), id="columns-size"),
    ],
)
def test_a_consistent_submission_gets_full_marks_in_its_convention(
    grader: Grader, tmp_path: Path, source: str, as_notebook: bool
) -> None:
    graded = grade_source(grader, tmp_path, "consistente", source, as_notebook=as_notebook)
    assert all(full(t) for t in graded.values() if t.found_as), {k: messages(t) for k, t in graded.items()}
    assert all(codes_of(t) <= {"rows_as_instances"} for t in graded.values() if t.found_as)


@pytest.mark.parametrize("as_notebook", [False, True])
@pytest.mark.parametrize(
    ("source", "right_in", "graded_in"),
    [
        # The slides' columns everywhere, and len(y) in the cost: 1 in the student's own notebook.
        pytest.param(
            XOR_FUNCTIONS.replace("    m = y.shape[1]\n", "    m = len(y)\n") + TRAIN_RETURNING,
            "rows",
            "columns",
            id="columns-with-len",
        ),
        pytest.param(
            XOR_ROWS.replace("/ len(y))", "/ y.shape[1])") + TRAIN_RETURNING,
            "columns",
            "rows",
            id="rows-with-shape1",
        ),
    ],
)
def test_a_cost_right_only_in_the_other_convention_fails_and_says_why(
    grader: Grader, tmp_path: Path, source: str, right_in: str, graded_in: str, as_notebook: bool
) -> None:
    graded = grade_source(grader, tmp_path, "mezcla", source, as_notebook=as_notebook)
    for name in ("feedForward", "backProp", "entrenarRed"):
        assert full(graded[name]), (name, messages(graded[name]))
    cost = graded["costoGlobal"]
    assert cost.score == 0
    assert codes_of(cost) - {"rows_as_instances"} == {"inconsistent_convention"}
    said = messages(cost)
    assert f"This function is only right with instances as {right_in}" in said
    assert f"your other functions work with instances as {graded_in}" in said


def test_a_function_in_the_minority_convention_fails_and_the_rest_is_graded_in_the_majoritys(
    grader: Grader, tmp_path: Path
) -> None:
    rows_forward = (
        "def feedForward(X, w1, w2, b1, b2):\n"
        "    a1 = sigmoide(X @ w1 + b1)\n"
        "    return a1, sigmoide(a1 @ w2 + b2)\n"
    )
    source = XOR_FUNCTIONS.replace(
        "def feedForward(X, w1, w2, b1, b2):\n    a1 = sigmoide(w1 @ X + b1)\n"
        "    a2 = sigmoide(w2 @ a1 + b2)\n    return a1, a2\n",
        rows_forward,
    )
    assert rows_forward in source
    graded = tasks(grader.grade(write(tmp_path, "minoria.py", source + TRAIN_RETURNING)))
    forward = graded["feedForward"]
    assert forward.score == 0
    assert codes_of(forward) == {"inconsistent_convention", "student_exception"}
    assert "only right with instances as rows" in messages(forward)
    for name in ("costoGlobal", "backProp", "entrenarRed"):
        assert full(graded[name]), (name, messages(graded[name]))
        assert "rows_as_instances" not in codes_of(graded[name])


def test_linreg_vectors_flat_in_most_functions_and_columns_in_one(grader: Grader, tmp_path: Path) -> None:
    source = """
import numpy as np
def calcularCosto(X, y, theta):
    r = X.dot(theta) - y
    return float(r @ r / (2 * len(y)))
def calcularGradiente(X, y, theta):
    return X.T @ (X @ theta.reshape(-1, 1) - y.reshape(-1, 1)) / len(y)
def descensoGradiente(X, y, theta, alpha, iteraciones):
    historial = []
    for _ in range(iteraciones):
        theta = theta - alpha * calcularGradiente(X, y, theta).reshape(theta.shape)
        historial.append(calcularCosto(X, y, theta))
    return theta, historial
def normalizar(X):
    mu = X.mean(axis=0)
    sigma = X.std(axis=0)
    return (X - mu) / sigma, mu, sigma
"""
    graded = tasks(grader.grade(write(tmp_path, "vectores.py", source)))
    for name in ("calcularCosto", "descensoGradiente", "normalizar"):
        assert full(graded[name]), (name, messages(graded[name]))
    gradient = graded["calcularGradiente"]
    assert not full(gradient) and codes_of(gradient) == {"inconsistent_convention"}
    assert "only right with grad, theta, y as (k, 1) column vectors" in messages(gradient)
    assert "your other functions work with grad, theta, y as flat (k,) vectors" in messages(gradient)


# --- functions that read the notebook's data ----------------------------------------------------------------

GLOBAL_M_FUNCTIONS = """
def sigmoide(z):
    return 1 / (1 + np.exp(-z))

def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(np.dot(w1, X) + b1)
    return a1, sigmoide(np.dot(w2, a1) + b2)

def costoGlobal(y_est, y):
    return -(1 / m) * np.sum(y * np.log(y_est) + (1 - y) * np.log(1 - y_est))

def backProp(X, y, w1, w2, b1, b2, a2, a1):
    dz2 = a2 - y
    dz1 = np.dot(w2.T, dz2) * a1 * (1 - a1)
    dw1, db1 = np.dot(dz1, X.T) / m, np.sum(dz1, axis=1, keepdims=True) / m
    return dw1, db1, np.dot(dz2, a1.T) / m, np.sum(dz2, axis=1, keepdims=True) / m
"""


def assert_global_data(graded: dict[str, TaskResult], names: tuple[str, ...], *, size: int | None) -> None:
    for name in names:
        task = graded[name]
        assert not full(task) and codes_of(task) == {"uses_global_data"}, (name, codes_of(task))
        said = messages(task)
        if size is None:
            assert "it seems to use notebook globals (such as m, X or y)" in said
        else:
            assert f"Your function divides by {size} whatever data it is given" in said
            assert "m = y.shape[1]" in said, said


@pytest.mark.parametrize(
    ("cells", "names"),
    [
        pytest.param(
            ["import numpy as np\nm = 4", GLOBAL_M_FUNCTIONS], ("costoGlobal", "backProp"), id="m-global"
        ),
        pytest.param(
            ["import numpy as np", XOR_DATA + "\nm = X.shape[1]", GLOBAL_M_FUNCTIONS],
            ("costoGlobal", "backProp"),
            id="m-from-the-data",
        ),
        pytest.param(
            # costoGlobal has no X of its own: it reads the notebook's; backProp reads its argument.
            ["import numpy as np", XOR_DATA, GLOBAL_M_FUNCTIONS.replace(" m", " X.shape[1]")],
            ("costoGlobal",),
            id="X-global",
        ),
        pytest.param(
            [
                "import numpy as np",
                GLOBAL_M_FUNCTIONS.replace("(y_est, y)", "(y_est, y, m=4)").replace(
                    "a2, a1)", "a2, a1, m=4)"
                ),
            ],
            ("costoGlobal", "backProp"),
            id="default-argument",
        ),
    ],
)
@pytest.mark.parametrize("as_notebook", [False, True])
def test_a_size_read_from_the_notebook_is_recognised(
    grader: Grader, tmp_path: Path, cells: list[str], names: tuple[str, ...], as_notebook: bool
) -> None:
    if as_notebook:
        submission = notebook(tmp_path, "globales.ipynb", [*cells, TRAIN_RETURNING])
    else:
        submission = write(tmp_path, "globales.py", "\n".join([*cells, TRAIN_RETURNING]))
    graded = tasks(grader.grade(submission))
    assert_global_data(graded, names, size=4)
    for name in {"feedForward", "costoGlobal", "backProp", "entrenarRed"} - set(names):
        assert full(graded[name]), (name, messages(graded[name]))


@pytest.mark.parametrize("as_notebook", [False, True])
def test_a_size_read_from_the_notebook_is_recognised_with_instances_as_rows(
    grader: Grader, tmp_path: Path, as_notebook: bool
) -> None:
    source = XOR_ROWS.replace("/ len(y))", "/ m)").replace("    m = len(X)\n", "")
    source = source.replace("import numpy as np\n", "import numpy as np\nm = 4\n") + TRAIN_RETURNING
    graded = grade_source(grader, tmp_path, "filas", source, as_notebook=as_notebook)
    for name in ("costoGlobal", "backProp"):
        task = graded[name]
        assert not full(task) and codes_of(task) - {"rows_as_instances"} == {"uses_global_data"}, name
        assert "Your function divides by 4 whatever data it is given" in messages(task)
        assert "m = y.shape[0]" in messages(task)
    assert full(graded["feedForward"]) and full(graded["entrenarRed"])
    assert "rows_as_instances" in codes_of(graded["feedForward"])


def test_a_cost_of_the_notebooks_own_arrays_is_recognised(grader: Grader, tmp_path: Path) -> None:
    cells = [
        "import numpy as np",
        XOR_DATA + "\nA2 = np.array([[0.3, 0.6, 0.55, 0.4]])",
        # The parameters are there, but the body reads the notebook's y and A2.
        "def costoGlobal(salida, etiquetas):\n    return -np.mean(y * np.log(A2) + (1 - y) * np.log(1 - A2))",
    ]
    graded = tasks(grader.grade(notebook(tmp_path, "arreglos.ipynb", cells)))
    assert_global_data(graded, ("costoGlobal",), size=None)


def test_linreg_functions_that_divide_by_the_notebooks_rows_are_recognised(
    grader: Grader, tmp_path: Path
) -> None:
    cells = [
        "import numpy as np",
        "datos = np.linspace(0.0, 1.0, 194).reshape(97, 2)\nX = np.c_[np.ones(97), datos[:, 0]]\n"
        "y = datos[:, 1]\nm = len(y)",
        "def calcularCosto(X, y, theta):\n    return np.sum((X @ theta - y) ** 2) / (2 * m)",
        "def calcularGradiente(X, y, theta):\n    return X.T @ (X @ theta - y) / m",
        "def descensoGradiente(X, y, theta, alpha, iteraciones):\n"
        "    historial = []\n"
        "    for _ in range(iteraciones):\n"
        "        theta = theta - alpha * calcularGradiente(X, y, theta)\n"
        "        historial.append(calcularCosto(X, y, theta))\n"
        "    return theta, historial",
    ]
    graded = tasks(grader.grade(notebook(tmp_path, "lineal.ipynb", cells)))
    for name in ("calcularCosto", "calcularGradiente"):
        task = graded[name]
        assert not full(task) and codes_of(task) == {"uses_global_data"}, (name, codes_of(task))
        assert "Your function divides by 97 whatever data it is given" in messages(task)
        assert "m = len(y)" in messages(task)
    # Graded with right helpers in place of the student's, the loop itself is right.
    assert full(graded["descensoGradiente"]), messages(graded["descensoGradiente"])


# --- functions written as methods, partials, callable objects; plots in loops; NumPy drift ----------------

STYLES = Path(__file__).parent / "files" / "styles"


def style_cells(path: Path) -> list[str]:
    """A style sample's notebook cells: the text between its ``# %%`` markers (the header is a cell of
    comments, as a notebook's first cell often is)."""
    return [cell.strip("\n") for cell in path.read_text(encoding="utf-8").split("# %%\n")]


def all_codes(task: TaskResult) -> set[str]:
    return {code for check in task.checks for code in check.diagnoses}


@pytest.mark.parametrize("form", ["module", "notebook"])
@pytest.mark.parametrize("path", sorted(STYLES.glob("*.py")), ids=lambda path: path.stem)
def test_functions_bound_in_any_style_and_plotting_in_loops_get_full_marks(
    grader: Grader, tmp_path: Path, path: Path, form: str
) -> None:
    """Each sample is right; only the way its functions are bound (static, class or bound methods, a
    factory's instance, partials, callable objects, decorators) or the plots and progress bars in its
    loops differ from the slides. Definitions mode binds them itself (no second, full run), imports of
    display-only libraries do not fail, and top-level training is not run."""
    if form == "module":
        submission = write(tmp_path, path.name, path.read_text(encoding="utf-8"))
    else:
        submission = notebook(tmp_path, f"{path.stem}.ipynb", style_cells(path))
    result = grader.grade(submission)
    graded = tasks(result)
    assert {task.rubric for task in result.tasks} == {path.stem.split("_")[0]}
    for name, task in graded.items():
        assert full(task), (name, messages(task))
        assert task.found_as == name
        assert all_codes(task) <= {"rows_as_instances"}, (name, all_codes(task))
    told = {"load.imports_failed", "load.statement_timeout", "note.full_notebook"}
    assert [note for note in result.notes if note.key in told] == []


def test_a_method_is_located_and_shown_where_the_student_wrote_it(grader: Grader, tmp_path: Path) -> None:
    path = STYLES / "xor_bound_methods.py"
    text = path.read_text(encoding="utf-8")
    graded = tasks(grader.grade(write(tmp_path, path.name, text)))
    lines = text.splitlines()
    task = graded["entrenarRed"]
    assert task.location is not None and not isinstance(task.location, str)
    assert lines[task.location.line - 1].startswith("    def entrenarRed(self, epocas, lr, X, y,")
    assert task.source is not None and task.source.lstrip().startswith("def entrenarRed(self")
    assert "def graficar" not in task.source


def test_library_callables_under_workshop_names_are_not_the_students(grader: Grader, tmp_path: Path) -> None:
    source = XOR_FUNCTIONS.replace("def feedForward(", "def adelante(") + (
        "\nimport functools\nfeedForward = functools.partial(np.dot)\ncostoGlobal = np.mean\n"
    )
    graded = tasks(grader.grade(write(tmp_path, "prestadas.py", source)))
    assert graded["feedForward"].found_as is None and graded["costoGlobal"].found_as is None
    assert full(graded["backProp"])


XOR_COMPLETE = XOR_FUNCTIONS + TRAIN_RETURNING

LINREG_FLAT = """
import numpy as np

def calcularCosto(X, y, theta):
    m = len(y)
    return np.sum((X @ theta - y) ** 2) / (2 * m)

def calcularGradiente(X, y, theta):
    m = len(y)
    return X.T @ (X @ theta - y) / m

def descensoGradiente(X, y, theta, alpha, iteraciones):
    m = len(y)
    historial = []
    for _ in range(iteraciones):
        theta = theta - alpha * calcularGradiente(X, y, theta)
        historial.append(calcularCosto(X, y, theta))
    return theta, historial

def normalizar(X):
    mu = X.mean(axis=0)
    sigma = X.std(axis=0)
    return (X - mu) / sigma, mu, sigma
"""

# What a NumPy older than the grader's accepted (Colab's, say): (workshop source, function, the line as the
# student wrote it in place of the right one, what the message must say to do instead).
NUMPY_DRIFT = {
    "float_of_a_1x1_array": (
        XOR_COMPLETE,
        "costoGlobal",
        (
            "    return float(-np.sum(y * np.log(y_est) + (1 - y) * np.log(1 - y_est)) / m)",
            "    return float(-(y @ np.log(y_est).T + (1 - y) @ np.log(1 - y_est).T) / m)",
        ),
        "float(a) or int(a) of an array with dimensions is an error even when it holds a single element,"
        " such as a (1, 1) one; older versions, such as Colab's, only warned. Use a.item() to get the"
        " number.",
    ),
    "np_asscalar": (
        XOR_COMPLETE,
        "costoGlobal",
        ("    return float(-np.sum(", "    return np.asscalar(-np.sum("),
        "np.asscalar no longer exists in the version grading runs ({numpy}); use a.item().",
    ),
    "np_float": (
        XOR_COMPLETE,
        "feedForward",
        ("    a1 = sigmoide(w1 @ X + b1)", "    a1 = sigmoide(w1 @ X + b1).astype(np.float)"),
        "np.float no longer exists in the version grading runs ({numpy}); use float.",
    ),
    "np_alltrue": (
        XOR_COMPLETE,
        "backProp",
        ("    dz2 = a2 - y\n", "    assert np.alltrue(np.isfinite(a2))\n    dz2 = a2 - y\n"),
        "np.alltrue no longer exists in the version grading runs ({numpy}); use np.all.",
    ),
    "np_NaN": (
        XOR_COMPLETE,
        "backProp",
        ("    dz2 = a2 - y\n", "    dz2 = np.where(np.isfinite(a2), a2 - y, np.NaN)\n"),
        "np.NaN no longer exists in the version grading runs ({numpy}); use np.nan.",
    ),
    "np_int": (
        LINREG_FLAT,
        "calcularGradiente",
        ("    m = len(y)\n    return X.T", "    m = np.int(len(y))\n    return X.T"),
        "np.int no longer exists in the version grading runs ({numpy}); use int.",
    ),
    "np_product": (
        LINREG_FLAT,
        "calcularCosto",
        ("    m = len(y)\n    return np.sum", "    m = np.product(y.shape)\n    return np.sum"),
        "np.product no longer exists in the version grading runs ({numpy}); use np.prod.",
    ),
    "np_Inf": (
        LINREG_FLAT,
        "normalizar",
        ("    sigma = X.std(axis=0)\n", "    sigma = np.where(X.std(axis=0) == 0, np.Inf, X.std(axis=0))\n"),
        "np.Inf no longer exists in the version grading runs ({numpy}); use np.inf.",
    ),
    "ndarray_ptp": (
        LINREG_FLAT,
        "normalizar",
        ("    mu = X.mean(axis=0)\n", "    assert (X.ptp(axis=0) > 0).all()\n    mu = X.mean(axis=0)\n"),
        "a.ptp no longer exists in the version grading runs ({numpy}); use np.ptp(a).",
    ),
    "float_of_a_1x1_array_in_a_training_loop": (
        LINREG_FLAT,
        "descensoGradiente",
        (
            "        historial.append(calcularCosto(X, y, theta))",
            "        error = (X @ theta - y).reshape(-1, 1)\n"
            "        historial.append(float(error.T @ error) / (2 * m))",
        ),
        "Use a.item() to get the number.",
    ),
}


@pytest.mark.parametrize("case", sorted(NUMPY_DRIFT))
def test_code_that_only_older_numpy_accepts_says_what_to_write_instead(
    grader: Grader, tmp_path: Path, case: str
) -> None:
    import numpy

    source, function, (right, old), advice = NUMPY_DRIFT[case]
    assert source.count(right) == 1
    graded = tasks(grader.grade(write(tmp_path, f"{case}.py", source.replace(right, old))))
    task = graded[function]
    assert task.score == 0
    for check in task.checks:
        if check.visibility == "public":
            assert check.diagnoses == ("student_exception", "numpy_version"), (check.id, check.diagnoses)
            text = check_text(check, "en")
            assert advice.format(numpy=numpy.__version__) in text, text
            assert "→ Your code uses something NumPy changed" in text
        else:
            # A hidden case shows nothing of its exception, so nothing of what it means either.
            assert check.diagnoses == ("student_exception",)
            assert "NumPy" not in check_text(check, "en")
    # The rest, training loops graded with right helpers in place of a broken one, is full.
    assert all(full(other) for name, other in graded.items() if name != function), {
        name: messages(other) for name, other in graded.items() if not full(other)
    }


def test_a_name_numpy_never_had_is_a_plain_exception(grader: Grader, tmp_path: Path) -> None:
    source = XOR_FUNCTIONS.replace("    a1 = sigmoide(w1 @ X + b1)", "    a1 = sigmoide(np.dott(w1, X) + b1)")
    task = tasks(grader.grade(write(tmp_path, "errata.py", source)))["feedForward"]
    assert all_codes(task) == {"student_exception"}
    assert "module 'numpy' has no attribute 'dott'" in messages(task)
    assert "NumPy change" not in messages(task) and "NumPy changed" not in messages(task)


def test_numpy_drift_is_explained_in_spanish_in_a_notebook(grader: Grader, tmp_path: Path) -> None:
    import numpy

    broken = XOR_FUNCTIONS.replace(
        "    a1 = sigmoide(w1 @ X + b1)", "    a1 = sigmoide(w1 @ X + b1).astype(np.float)"
    )
    cells = ["import numpy as np", broken]
    graded = tasks(grader.grade(notebook(tmp_path, "colab.ipynb", cells)))
    text = messages(graded["feedForward"], "es")
    version = numpy.__version__
    assert (
        f"Cambio de NumPy: np.float ya no existe en la versión con que se califica ({version}); usa float."
        in text
    )
    assert "(en colab.ipynb, celda 2, línea 8, dentro de feedForward)" in text
    assert "→ Tu código usa algo que NumPy cambió" in text
    assert full(graded["costoGlobal"]) and full(graded["backProp"])
