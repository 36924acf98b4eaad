"""What a failed check tells the student: where values differ, the tolerance, the traceback, the warnings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import nbformat
import numpy as np
import pytest

import reference.xor
from grader.cases import make_cases
from grader.grading import Grader
from grader.report.text import check_text, message_text
from grader.results import CheckResult, SubmissionResult, TaskResult
from grader.sandbox.launcher import Zygote
from grader.sandbox.limits import Limits
from grader.submission import Submission, discover
from grader.workshop import load_bundled_rubrics

SIGMOID = "import numpy as np\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n"
FORWARD_WITHOUT_B2 = {
    "columns": SIGMOID + "def feedForward(X, w1, w2, b1, b2):\n    a1 = sigmoid(w1 @ X + b1)\n"
    "    return a1, sigmoid(w2 @ a1)\n",
    "rows": SIGMOID + "def feedForward(X, w1, w2, b1, b2):\n    a1 = sigmoid(X @ w1 + b1)\n"
    "    return a1, sigmoid(a1 @ w2)\n",
}
BACKPROP_WITHOUT_DERIVATIVE = {
    "columns": """import numpy as np
def backProp(X, y, w1, w2, b1, b2, a2, a1):
    m = X.shape[1]
    dz2 = a2 - y
    dz1 = w2.T @ dz2
    db1, db2 = dz1.sum(axis=1, keepdims=True) / m, dz2.sum(axis=1, keepdims=True) / m
    return dz1 @ X.T / m, db1, dz2 @ a1.T / m, db2
""",
    "rows": """import numpy as np
def backProp(X, y, w1, w2, b1, b2, a2, a1):
    m = X.shape[0]
    d2 = a2 - y
    d1 = d2 @ w2.T
    return X.T @ d1 / m, d1.sum(axis=0, keepdims=True) / m, a1.T @ d2 / m, d2.sum(axis=0, keepdims=True) / m
""",
}


@pytest.fixture(scope="module")
def grader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Grader]:
    """One grader: its results hold messages, which each test reads in English and in Spanish."""
    zygote = Zygote()
    try:
        yield Grader(
            load_bundled_rubrics(),
            zygote=zygote,
            secret="messages",
            limits=Limits(call_timeout_s=5.0, statement_timeout_s=1.0),
            scratch_root=tmp_path_factory.mktemp("scratch"),
        )
    finally:
        zygote.close()


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


def task(result: SubmissionResult, name: str) -> TaskResult:
    assert result.status == "graded", result.error
    (found,) = [t for t in result.tasks if t.id == name]
    return found


def check_of(found: TaskResult, check_id: str) -> CheckResult:
    (check,) = [c for c in found.checks if c.id == check_id]
    return check


def check_message(found: TaskResult, check_id: str, lang: str = "en") -> str:
    return check_text(check_of(found, check_id), lang)


def _first_public_xor_case() -> dict[str, np.ndarray]:
    (rubric,) = [r for r in load_bundled_rubrics() if r.id == "xor"]
    return dict(make_cases(rubric, secret=None).public[0].values)


@pytest.mark.slow
@pytest.mark.parametrize("convention", ["columns", "rows"])
def test_largest_difference_is_located_in_the_students_own_layout(
    grader: Grader, tmp_path: Path, convention: str
) -> None:
    values = _first_public_xor_case()
    right = reference.xor.feedForward(values["X"], values["w1"], values["w2"], values["b1"], values["b2"])[1]
    wrong = reference.xor.feedForward(
        values["X"], values["w1"], values["w2"], values["b1"], np.zeros_like(values["b2"])
    )[1]
    j = int(np.argmax(np.abs(right - wrong)))
    m = right.shape[1]
    where, shape = (f"a2[0, {j}]", f"(1, {m})") if convention == "columns" else (f"a2[{j}, 0]", f"({m}, 1)")
    submission = write(tmp_path, f"sin_b2_{convention}.py", FORWARD_WITHOUT_B2[convention])
    found = task(grader.grade(submission), "feedForward")
    message = check_message(found, "values")
    first = message_text(check_of(found, "values").details[0], "en")
    assert first.startswith("feedForward, public case 1 (n_inputs=3, n_hidden=4, m=8, dataset=xor): a2 ")
    assert f"a2 (shape {shape}) does not match the reference" in first
    assert f"at {where} (expected {right[0, j]:.6g}, got {wrong[0, j]:.6g}" in first
    assert "tolerance rtol=1e-06, atol=1e-09" in first
    assert "\n  inputs: X" in message
    # The hint comes right after the summary, before the failing cases.
    assert message.splitlines()[1] == "→ It looks like a bias (b1 or b2) is not added."
    spanish = check_message(found, "values", "es")
    assert (
        f"feedForward, caso público 1 (n_inputs=3, n_hidden=4, m=8, dataset=xor): a2 (forma {shape})"
        in spanish
    )
    assert f"en {where} (se esperaba {right[0, j]:.6g} y se obtuvo {wrong[0, j]:.6g}" in spanish
    assert "→ Parece que no sumas alguno de los sesgos (b1 o b2)." in spanish


@pytest.mark.slow
@pytest.mark.parametrize("convention", ["columns", "rows"])
def test_gradient_mismatch_gives_difference_location_and_tolerance(
    grader: Grader, tmp_path: Path, convention: str
) -> None:
    submission = write(tmp_path, f"sin_derivada_{convention}.py", BACKPROP_WITHOUT_DERIVATIVE[convention])
    message = check_message(task(grader.grade(submission), "backProp"), "gradient_check_weights")
    match = re.search(
        r"gradient dw1 does not agree .*? at dw1\[(\d+), (\d+)\] \(expected ≈ \S+, got \S+\)", message
    )
    assert match, message
    rows, cols = (4, 3) if convention == "columns" else (3, 4)
    assert int(match.group(1)) < rows and int(match.group(2)) < cols
    assert "relative error" in message and "tolerance 1e-05" in message
    assert "→ The hidden layer's sigmoid derivative is missing" in message


@pytest.mark.slow
def test_scalar_mismatch_reads_as_a_value(grader: Grader, tmp_path: Path) -> None:
    source = "import numpy as np\ndef costoGlobal(y_est, y):\n    return np.mean((y_est - y) ** 2)\n"
    message = check_message(task(grader.grade(write(tmp_path, "ecm.py", source)), "costoGlobal"), "values")
    assert re.search(
        r"costoGlobal, public case 1 \(.*\): J is \S+; expected \S+ \(difference \S+; tolerance", message
    )
    assert "→ You use the squared error" in message


@pytest.mark.slow
def test_training_step_mismatch_is_located_and_diagnosed(grader: Grader, tmp_path: Path) -> None:
    source = """import numpy as np
def calcularGradiente(X, y, theta):
    return X.T @ (X @ theta - y) / len(y)
def descensoGradiente(X, y, theta, alpha, iteraciones):
    for _ in range(iteraciones):
        theta = theta + alpha * calcularGradiente(X, y, theta)
    return theta, []
"""
    found = task(grader.grade(write(tmp_path, "ascenso.py", source)), "descensoGradiente")
    message = check_message(found, "one_iteration", "es")
    assert re.search(r"tras 1 paso con tasa 0.37, theta no coincide .* en theta\[\d\]", message)
    english = check_message(found, "one_iteration", "en")
    assert re.search(r"after 1 step with rate 0.37, theta does not match .* at theta\[\d\]", english)
    assert "tolerancia rtol=1e-06, atol=1e-09" in message
    assert "→ Los parámetros se mueven en la dirección del gradiente" in message
    assert "gradient_ascent" in {code for c in found.checks for code in c.diagnoses}


@pytest.mark.slow
def test_exception_traceback_follows_the_students_cells(grader: Grader, tmp_path: Path) -> None:
    cells = [
        "import numpy as np",
        "def sigmoide(z):\n    # todavía no\n    raise NotImplementedError('falta la sigmoide')",
        "def feedForward(X, w1, w2, b1, b2):\n"
        "    a1 = sigmoide(w1 @ X + b1)\n"
        "    return a1, sigmoide(w2 @ a1 + b2)",
    ]
    submission = notebook(tmp_path, "taller.ipynb", cells)
    found = task(grader.grade(submission), "feedForward")
    english = check_message(found, "values", "en")
    assert "your function raised NotImplementedError: falta la sigmoide" in english
    assert (
        "(at taller.ipynb, cell 2, line 3, in sigmoide ← called from taller.ipynb, cell 3, line 2, "
        "in feedForward)" in english
    )
    spanish = check_message(found, "values", "es")
    assert (
        "(en taller.ipynb, celda 2, línea 3, dentro de sigmoide ← llamada desde taller.ipynb, celda 3, "
        "línea 2, dentro de feedForward)" in spanish
    )


@pytest.mark.slow
def test_exception_in_a_module_points_at_its_line(grader: Grader, tmp_path: Path) -> None:
    source = "import numpy as np\n\n\ndef costoGlobal(y_est, y):\n    return y_est[5, 5]\n"
    message = check_message(task(grader.grade(write(tmp_path, "indice.py", source)), "costoGlobal"), "values")
    assert "raised IndexError" in message and "(at indice.py, line 5, in costoGlobal)" in message


@pytest.mark.slow
def test_warnings_are_reported_even_when_the_check_passes(grader: Grader, tmp_path: Path) -> None:
    source = SIGMOID + (
        "def feedForward(X, w1, w2, b1, b2):\n"
        "    registro = np.log(np.zeros(1))\n"
        "    a1 = sigmoid(w1 @ X + b1)\n"
        "    return a1, sigmoid(w2 @ a1 + b2)\n"
    )
    submission = write(tmp_path, "avisos.py", source)
    found = task(grader.grade(submission), "feedForward")
    assert found.score == found.max_score
    notes = [n for n in found.notes if n.key == "note.warnings"]
    assert len(notes) == 1, found.notes
    english = message_text(notes[0], "en")
    assert "NumPy warnings while running feedForward" in english
    assert "RuntimeWarning: divide by zero encountered in log" in english
    assert "cost no points" in english
    spanish = message_text(notes[0], "es")
    assert "avisos de NumPy al ejecutar feedForward" in spanish and "divide by zero" in spanish


@pytest.mark.slow
def test_warnings_of_a_failed_case_are_in_its_details(grader: Grader, tmp_path: Path) -> None:
    source = "import numpy as np\ndef costoGlobal(y_est, y):\n    return -np.mean(y * np.log(0 * y_est))\n"
    found = task(grader.grade(write(tmp_path, "log0.py", source)), "costoGlobal")
    message = check_message(found, "values")
    assert "J contains NaN or infinity" in message
    assert "NumPy warnings: RuntimeWarning: divide by zero encountered in log" in message
    assert found.score == 0
