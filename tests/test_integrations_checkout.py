"""A checkout as one submission, and the lines of its files on disk where its code is (for annotations)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.integrations.checkout import (
    FileLine,
    checkout_submission,
    definition_lines,
    disk_lines,
    notebook_line,
    relative_locations,
)
from grader.location import Location
from grader.source import load_code
from grader.submission import Submission, discover


def notebook(cells: list[object], *, indent: int | None = 1) -> str:
    """A notebook as Jupyter saves it (indent=1, sources as lists of lines) or as some tools do; a cell
    given as a dict is a markdown cell with that source."""
    document = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": source["markdown"]}
            if isinstance(source, dict)
            else {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": source,
            }
            for source in cells
        ],
    }
    return json.dumps(document, indent=indent)


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
    assert found["feedForward"] == FileLine(module, 2)
    assert found["costoGlobal"] == FileLine(module, 4)
    assert found["backProp"].line is not None and found["entrenarRed"].line is not None
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
    assert definition_lines([first], ["f"]) == {"f": FileLine(first, 4)}
    assert definition_lines([first, second, tmp_path / "missing.py"], ["f"]) == {"f": FileLine(second, 4)}


def test_definitions_are_those_python_binds_at_module_level(tmp_path: Path) -> None:
    module = tmp_path / "a.py"
    module.write_text(
        '"""\ndef docstring(x): not code\n"""\n'
        "class Red:\n"
        "    def metodo(self):\n"
        "        def interna():\n"
        "            pass\n"
        "sigmoide = lambda z: z\n"
        "@staticmethod\n"
        "def decorada(x):\n"
        "    return x\n"
        "activacion = sigmoide\n",
        encoding="utf-8",
    )
    names = ["docstring", "metodo", "interna", "sigmoide", "decorada", "activacion"]
    assert definition_lines([module], names) == {
        "sigmoide": FileLine(module, 8),
        "decorada": FileLine(module, 10),
        "activacion": FileLine(module, 12),
    }


def test_locations_are_made_relative_to_the_workspace(tmp_path: Path) -> None:
    inside = FileLine(tmp_path / "src" / "a.py", 3)
    outside = FileLine(Path("/elsewhere/b.py"), 1)
    relative = relative_locations({"a": inside, "b": outside}, base=tmp_path)
    assert relative == {"a": FileLine(Path("src/a.py"), 3), "b": outside}


# --- a cell's line as a line of the notebook's JSON ------------------------------------------------------


def json_line(text: str, cell: int, line: int) -> str | None:
    found = notebook_line(text, cell, line)
    return None if found is None else text.splitlines()[found - 1].strip()


def test_a_cells_line_is_found_in_the_notebooks_json() -> None:
    text = notebook(
        [
            {"markdown": ["# Taller XOR\n", "def no_es_codigo(x):\n"]},
            ["import numpy as np\n"],
            ["x = 1\n", "\n", "def backProp(X, y):\n", "    return X\n"],
            "a = 1\ndef entrenarRed(epocas):\n    pass",
        ]
    )
    # Cells are numbered as Jupyter numbers them: the markdown cell is cell 1.
    assert json_line(text, 3, 3) == '"def backProp(X, y):\\n",'
    assert json_line(text, 3, 4) == '"    return X\\n"'
    assert json_line(text, 2, 1) == '"import numpy as np\\n"'
    # A source written as one string is one line of the file, whichever line of the cell is asked.
    assert json_line(text, 4, 2) == '"source": "a = 1\\ndef entrenarRed(epocas):\\n    pass"'
    assert notebook_line(text, 5, 1) is None
    assert notebook_line(text, 0, 1) is None


def test_a_cells_lines_are_counted_as_the_grader_counts_them() -> None:
    pieces = ["a = 1\r", "\nb = 2\r\n", "c = 3\rd = 4\n", "e = 5"]
    text = notebook([pieces])
    (unit,) = load_code(text.encode(), filename="nb.ipynb").units
    lines = unit.source.split("\n")
    assert lines == ["a = 1", "b = 2", "c = 3", "d = 4", "e = 5"]
    for number, code in enumerate(lines, start=1):
        found = json_line(text, 1, number)
        assert found is not None and code in json.loads(found.rstrip(",")), (number, found)


def test_nbformat_3_cells_are_those_of_every_worksheet() -> None:
    def cell(lines: list[str]) -> dict[str, object]:
        return {"cell_type": "code", "input": lines, "outputs": [], "language": "python"}

    document = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {},
        "worksheets": [{"cells": [cell(["x = 1\n"])]}, {"cells": [cell(["y = 2\n", "def f(z):\n"])]}],
    }
    text = json.dumps(document, indent=1)
    assert json_line(text, 2, 2) == '"def f(z):\\n"'


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[1, 2]",
        '{"nbformat": 4}',
        '{"nbformat": 4, "cells": 3}',
        '{"nbformat": 4, "cells": [{"cell_type": "code", "source": [1, 2]}]}',
        '{"nbformat": 5, "cells": [{"cell_type": "code", "source": "x"}]}',
        '{"nbformat": ' + "9" * 5000 + ', "cells": []}',
        '{"nbformat": 4, "cells": [' + "[" * 100_000 + "]" * 100_000 + "]}",
        '{"nbformat": 4, "cells": [{"source": ["x\n", ',
    ],
    ids=[
        "empty",
        "text",
        "list",
        "no cells",
        "cells not a list",
        "numbers",
        "nbformat 5",
        "huge",
        "deep",
        "cut",
    ],
)
def test_a_broken_notebook_has_no_line_and_raises_nothing(text: str) -> None:
    assert notebook_line(text, 1, 1) is None


def test_locations_are_found_on_disk_for_modules_and_notebooks(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    (repo / "src" / "taller.py").write_text("x = 1\n", encoding="utf-8")
    (repo / "taller.ipynb").write_text(notebook([["import numpy as np\n"], ["\n", "def f(x):\n"]]))
    submission = checkout_submission(repo)
    module, cell, elsewhere, no_cell = (
        Location("src/taller.py", None, 9),
        Location("taller.ipynb", 2, 2),
        Location("../otro.py", None, 1),
        Location("taller.ipynb", 7, 1),
    )
    found = disk_lines(submission, [module, cell, elsewhere, no_cell])
    assert found[module] == FileLine(repo / "src" / "taller.py", 9)
    lines = (repo / "taller.ipynb").read_text(encoding="utf-8").splitlines()
    line = found[cell].line
    assert line is not None and lines[line - 1].strip() == '"def f(x):\\n"'
    # Only the submission's own files are read; a cell the notebook does not have gives no line.
    assert elsewhere not in found
    assert found[no_cell] == FileLine(repo / "taller.ipynb", None)


def test_a_single_file_is_found_by_its_name(tmp_path: Path) -> None:
    path = tmp_path / "ana.ipynb"
    path.write_text(notebook([["def f(x):\n", "    return x\n"]], indent=None), encoding="utf-8")
    submission = Submission("ana", str(path), path, (path,))
    location = Location("ana.ipynb", 1, 2)
    # Written on one line, the whole notebook is line 1.
    assert disk_lines(submission, [location]) == {location: FileLine(path, 1)}


def test_a_notebook_behind_a_link_is_not_read(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (tmp_path / "secreto.ipynb").write_text(notebook([["def f(x):\n"]]), encoding="utf-8")
    (repo / "taller.ipynb").symlink_to(tmp_path / "secreto.ipynb")
    submission = Submission("repo", str(repo), repo, (repo / "taller.ipynb",))
    location = Location("taller.ipynb", 1, 1)
    assert disk_lines(submission, [location]) == {location: FileLine(repo / "taller.ipynb", None)}
