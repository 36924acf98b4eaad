"""The starting notebook ``grader starter`` writes, run in a real Jupyter kernel as a student runs it: stubs,
then the functions of sample submissions filled in, the check cells' displayed outputs read back."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
import tomllib
from sample_code import ROOT, split_sample

from grader.errors import RubricError
from grader.messages import words
from grader.workshop import load_bundled_rubrics, load_rubric

SECRET = "starter-test-secret-4b1d"
SOFTMAX = ROOT / "tests" / "files" / "workshops" / "softmax"
MANIFEST = tomllib.loads((ROOT / "tests" / "files" / "submissions_manifest.toml").read_text(encoding="utf-8"))


def rubric(rubric_id: str) -> Any:
    return next(r for r in load_bundled_rubrics() if r.id == rubric_id)


def write_starter(grader_command: list[str], target: Path, *args: str) -> nbformat.NotebookNode:
    run = subprocess.run(
        [*grader_command, "starter", *args, "--out", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    notebook = nbformat.read(target, as_version=4)
    nbformat.validate(notebook)
    return notebook


def execute(notebook: nbformat.NotebookNode, folder: Path) -> nbformat.NotebookNode:
    """Run every cell in a fresh kernel of this environment, as "Run all" does."""
    import nbclient

    client = nbclient.NotebookClient(
        notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    client.execute()
    return notebook


def check_cells(notebook: nbformat.NotebookNode) -> dict[str, dict[str, str]]:
    """The displayed result of each check cell, by the function it checks ("" for the whole workshop)."""
    shown = {}
    for cell in notebook.cells:
        call = re.fullmatch(r'grader\.check\((?:"(\w+)")?.*\)', cell.source.strip())
        if cell.cell_type == "code" and call:
            (result,) = [o for o in cell.outputs if o.output_type == "execute_result"]
            shown[call.group(1) or ""] = dict(result.data)
    return shown


def fill(notebook: nbformat.NotebookNode, sample: str, rubric_id: str) -> nbformat.NotebookNode:
    """The notebook with a sample's functions in place of the stubs (and its imports and helpers in a cell
    of their own after the install cell), as a student fills it."""
    code = split_sample(sample, rubric(rubric_id))
    for cell in notebook.cells:
        stub = re.match(r"def (\w+)\(", cell.source)
        if cell.cell_type == "code" and stub and stub.group(1) in code.functions:
            cell.source = code.functions[stub.group(1)]
    notebook.cells.insert(2, nbformat.v4.new_code_cell(code.preamble))
    return notebook


def assert_nothing_hidden(shown: dict[str, str]) -> None:
    for text in shown.values():
        assert SECRET not in text
        assert "oculto " not in text and "hidden case" not in text
        assert ":hidden" not in text


# --- writing it -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rubric_id", ["xor", "linreg", "logistica"])
@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_starter_has_the_workshops_text_a_stub_and_a_check_per_function(
    grader_command: list[str], tmp_path: Path, rubric_id: str, lang: str
) -> None:
    loaded = rubric(rubric_id)
    spec = "taller-grader @ https://example.org/taller_grader-0.1.0-py3-none-any.whl"
    notebook = write_starter(
        grader_command, tmp_path / "t.ipynb", rubric_id, "--lang", lang, "--install", spec
    )
    sources = [cell.source for cell in notebook.cells]
    assert sources[0].startswith(f"# {loaded.texts[lang].title}")
    assert " ".join(loaded.texts[lang].intro.split()) in sources[0]
    assert sources[1].splitlines()[1:] == [f"%pip install --quiet '{spec}'", "import grader"]
    for task in loaded.tasks:
        text = next(s for s in sources if s.startswith("## ") and f"`{task.id}`" in s)
        assert task.texts[lang].description in text
        assert f"`{task.id}({', '.join(task.params)})`" in text
        assert words("nb.points", lang, count=int(task.max_score)) in text
        for name in (*task.params, *task.returns):
            assert f"- `{name}`" in text
        stub = next(i for i, s in enumerate(sources) if s.startswith(f"def {task.id}("))
        assert "raise NotImplementedError" in sources[stub]
        assert sources[stub + 1] == f'grader.check("{task.id}")'
    assert sources[-1] == "grader.check()"


def test_shapes_are_given_in_the_workshops_convention(grader_command: list[str], tmp_path: Path) -> None:
    notebook = write_starter(grader_command, tmp_path / "xor.ipynb", "xor", "--lang", "en")
    (feed,) = [c.source for c in notebook.cells if c.source.startswith("## 1. `feedForward`")]
    # The first public case has 3 inputs, 4 hidden units and 8 instances, as columns.
    assert "- `X`: the inputs, (n_inputs, m); shape (3, 8) on public case 1" in feed
    assert "- `a2`: the network's output, (1, m); shape (1, 8) on public case 1" in feed


def test_a_workshop_given_by_path_gets_a_starter_whose_checks_name_it(
    grader_command: list[str], tmp_path: Path
) -> None:
    folder = tmp_path / "course" / "softmax"
    shutil.copytree(SOFTMAX, folder)
    # The students' folder is another: a folder named like a workshop's module would stand in its way.
    class_folder = tmp_path / "class"
    class_folder.mkdir()
    notebook = write_starter(grader_command, tmp_path / "softmax.ipynb", str(folder))
    sources = [cell.source for cell in notebook.cells]
    assert sources[1] == f"# {words('starter.installed', 'es')}\nimport grader"
    # The copy has the same tasks (loading it here too would clash with the original's modules).
    loaded = load_rubric(SOFTMAX / "rubric.toml")
    for task in loaded.tasks:
        assert f'grader.check("{task.id}", workshop={json.dumps(str(folder))})' in sources
    executed = execute(notebook, class_folder)
    shown = check_cells(executed)
    for task in loaded.tasks:
        assert 'data-diagnosis="not_implemented"' in shown[task.id]["text/html"]


# --- rubric texts are validated like every other key -------------------------------------------------------


def rewritten(tmp_path: Path, old: str, new: str) -> Path:
    text = (ROOT / "rubrics" / "xor.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "xor.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("[texts.en]\ntitle", "[texts.en]\nsubtitle = 'x'\ntitle", r"texts\.en\.subtitle: unknown key"),
        ("[texts.en]\ntitle", "[texts.fr]\ntitle", r"texts: missing en"),
        ('  X = "the inputs', '  Xs = "the inputs', r"tasks\[0\]\.texts\.en\.params\.Xs: 'Xs' is not one of"),
        ('  a2 = "the network\'s output, (1, m)"\n', "", r"tasks\[0\]\.texts\.en\.returns: missing a2"),
        ('  description = "Forward pass', '  summary = "Forward pass', r"tasks\[0\]\.texts\.en\.description"),
    ],
)
def test_rubric_texts_are_validated_naming_the_key(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(RubricError, match=message):
        load_rubric(rewritten(tmp_path, old, new))


def test_texts_are_for_every_task_or_none(tmp_path: Path) -> None:
    text = (ROOT / "rubrics" / "xor.toml").read_text(encoding="utf-8")
    start = text.index("  [tasks.texts.es]")
    end = text.index("  [[tasks.checks]]", start)
    path = tmp_path / "xor.toml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(RubricError, match=r"xor\.toml:\d+: tasks\[0\]\.texts: missing"):
        load_rubric(path)


# --- run in a real kernel ---------------------------------------------------------------------------------


@pytest.fixture
def kernel_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # The kernel inherits this environment: a secret there must change nothing and show nowhere.
    monkeypatch.setenv("GRADER_SECRET", SECRET)


@pytest.mark.slow
def test_the_stubs_are_not_implemented_yet_not_crashes(
    grader_command: list[str], tmp_path: Path, kernel_env: None
) -> None:
    notebook = execute(write_starter(grader_command, tmp_path / "xor.ipynb", "xor"), tmp_path)
    shown = check_cells(notebook)
    assert set(shown) == {"feedForward", "costoGlobal", "backProp", "entrenarRed", ""}
    for function, data in shown.items():
        html, text = data["text/html"], data["text/plain"]
        for task in rubric("xor").tasks if not function else [rubric("xor").task(function)]:
            assert words("task.not_implemented", "es", name=task.id) in text
            assert 'data-diagnosis="not_implemented"' in html
            assert "student_exception" not in html
        assert 'data-status="pass"' not in html
    assert 'data-total="0 / 15"' in shown[""]["text/html"]
    assert_nothing_hidden({k: v for d in shown.values() for k, v in d.items()})


@pytest.mark.slow
@pytest.mark.parametrize(("sample", "rubric_id"), [("ana_gomez.ipynb", "xor"), ("jorge_ramirez.py", "xor")])
def test_sample_functions_filled_in_get_their_verdicts_and_diagnoses(
    grader_command: list[str], tmp_path: Path, kernel_env: None, sample: str, rubric_id: str
) -> None:
    notebook = fill(write_starter(grader_command, tmp_path / "t.ipynb", rubric_id), sample, rubric_id)
    shown = check_cells(execute(notebook, tmp_path))
    expected = MANIFEST[Path(sample).stem]
    for function, verdict in expected["expect"].items():
        html = shown[function]["text/html"]
        statuses = re.findall(r'<tr data-check="[^"]+">.*?data-status="(\w+)"', html, flags=re.S)
        assert statuses, html
        if verdict == "full":
            assert set(statuses) == {"pass"}, (function, statuses)
        else:
            assert set(statuses) != {"pass"}, (function, statuses)
        for code in expected.get("diagnoses", {}).get(function, []):
            assert f'data-diagnosis="{code}"' in html
            assert code in shown[function]["text/plain"] or verdict != "full"
    whole = shown[""]["text/html"]
    assert whole.count("<section data-task=") == len(rubric(rubric_id).tasks)
    # The training function's cost plot, the student's line beside the reference's.
    assert 'data-plot="cost"' in whole and 'data-line="you"' in whole and 'data-line="ref"' in whole
    assert_nothing_hidden({k: v for d in shown.values() for k, v in d.items()})


def test_the_check_cell_is_a_bare_call_that_grading_skips() -> None:
    """A handed-in starter notebook is graded as usual: its check cells are top-level calls, which grading
    in definitions mode skips, and in a grading worker ``grader.check()`` does nothing."""
    script = (
        "import grader.sandbox.worker as w; w.serving = True\n"
        "import grader\n"
        "r = grader.check('feedForward')\n"
        "print(r.result.tasks, r.result.status)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "() graded"


def check_lines(text: str) -> list[str]:
    """The verdict lines of a check's text (``  ✓ shapes  1/1``), function by function."""
    return [
        line
        for line in text.splitlines()
        if re.match(r"^(\S.*: [\d.]+/[\d.]+|  \S \S+  [\d.]+/[\d.]+)$", line)
    ]


@pytest.mark.slow
@pytest.mark.parametrize("sample", [None, "jorge_ramirez.py"])
def test_grader_check_on_the_saved_notebook_gives_the_same_verdicts(
    grader_command: list[str], tmp_path: Path, sample: str | None
) -> None:
    """What the notebook showed, ``grader check`` says of the saved notebook (sandboxed, as the batch grades
    it): stubs included, which it too calls not implemented yet rather than crashes."""
    notebook = write_starter(grader_command, tmp_path / "taller.ipynb", "xor")
    if sample is not None:
        notebook = fill(notebook, sample, "xor")
    executed = execute(notebook, tmp_path)
    nbformat.write(executed, tmp_path / "taller.ipynb")
    run = subprocess.run(
        [*grader_command, "check", str(tmp_path / "taller.ipynb")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert run.returncode == 1, run.stderr
    in_notebook = check_lines(check_cells(executed)[""]["text/plain"])[1:]
    assert in_notebook and check_lines(run.stdout)[1:] == in_notebook
    if sample is None:
        assert run.stdout.count(words("task.not_implemented", "es", name="backProp")) == 3
        assert "NotImplementedError:" not in run.stdout
