"""A checkout as one submission, and the lines where its functions are defined (for annotations)."""

from __future__ import annotations

import json
from pathlib import Path

from grader.integrations.checkout import Location, checkout_submission, definition_lines, relative_locations
from grader.submission import discover


def notebook(cells: list[object]) -> str:
    """A notebook as Jupyter saves it (indent=1, sources as lists of lines) or as some tools do."""
    document = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": source}
            for source in cells
        ],
    }
    return json.dumps(document, indent=1)


def test_checkout_is_one_submission_of_the_files_the_batch_run_would_grade(tmp_path: Path) -> None:
    repo = tmp_path / "taller-xor-ana"
    for name in (
        "taller.ipynb",
        "taller.py",
        "src/utils.py",
        ".github/hook.py",
        ".ipynb_checkpoints/a.ipynb",
    ):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text("x = 1\n", encoding="utf-8")
    (repo / "__pycache__").mkdir()
    (repo / "__pycache__" / "utils.py").write_text("", encoding="utf-8")
    (repo / "README.md").write_text("# hi\n", encoding="utf-8")

    submission = checkout_submission(repo)
    assert submission.id == "taller-xor-ana"
    assert submission.root == repo.resolve()
    assert [submission.display_name(p) for p in submission.files] == [
        "src/utils.py",
        "taller.ipynb",
        "taller.py",
    ]
    # The instructor's batch run over the clones sees the same folder as the same files.
    (batch,) = discover([tmp_path])
    assert [p.resolve() for p in batch.files] == list(submission.files)
    assert checkout_submission(repo, submission_id="ana").id == "ana"


def test_definitions_are_found_in_modules_and_in_notebook_json(tmp_path: Path) -> None:
    module = tmp_path / "a.py"
    module.write_text(
        "# def feedForward(X): a comment, not a definition\n"
        "def feedForward(X, w1, w2, b1, b2):\n"
        "    return X\n"
        "async def costoGlobal(y_est, y):\n"
        "    pass\n",
        encoding="utf-8",
    )
    lines_nb = tmp_path / "b.ipynb"
    lines_nb.write_text(
        notebook([["import numpy as np\n"], ["x = 1\n", "\n", "def backProp(X, y):\n", "    return X\n"]]),
        encoding="utf-8",
    )
    string_nb = tmp_path / "c.ipynb"
    string_nb.write_text(
        notebook(["import numpy as np\ndef entrenarRed(epocas):\n    pass"]), encoding="utf-8"
    )

    found = definition_lines(
        [module, lines_nb, string_nb], ["feedForward", "costoGlobal", "backProp", "entrenarRed", "absent"]
    )
    assert found["feedForward"] == Location(module, 2)
    assert found["costoGlobal"] == Location(module, 4)
    text = lines_nb.read_text(encoding="utf-8").splitlines()
    assert '"def backProp(X, y):\\n"' in text[found["backProp"].line - 1]
    assert (
        "def entrenarRed("
        in string_nb.read_text(encoding="utf-8").splitlines()[found["entrenarRed"].line - 1]
    )
    assert "absent" not in found


def test_the_last_definition_is_the_one_python_keeps(tmp_path: Path) -> None:
    first, second = tmp_path / "a.py", tmp_path / "b.py"
    first.write_text("def f(x):\n    return 1\n\ndef f(x):\n    return 2\n", encoding="utf-8")
    second.write_text("\n\n\ndef f(x):\n    return 3\n", encoding="utf-8")
    assert definition_lines([first], ["f"]) == {"f": Location(first, 4)}
    assert definition_lines([first, second, tmp_path / "missing.py"], ["f"]) == {"f": Location(second, 4)}


def test_locations_are_made_relative_to_the_workspace(tmp_path: Path) -> None:
    inside = Location(tmp_path / "src" / "a.py", 3)
    outside = Location(Path("/elsewhere/b.py"), 1)
    relative = relative_locations({"a": inside, "b": outside}, base=tmp_path)
    assert relative == {"a": Location(Path("src/a.py"), 3), "b": outside}
