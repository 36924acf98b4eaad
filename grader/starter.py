"""The notebook a student starts a workshop from, written from its rubric: the workshop's title and
instructions, a cell that installs and loads the grader, and for each function what it does, its signature,
what it receives and returns (with the shapes of the first public case, in the workshop's convention), its
points, a stub that raises NotImplementedError, and a cell that checks it."""

from __future__ import annotations

import json
import shlex
from typing import Any

import nbformat
import numpy as np

from grader.checks.context import format_shape
from grader.messages import words
from grader.report.text import number
from grader.rubric import Rubric, TaskSpec
from grader.workshop import bundled_rubric_paths, installed_rubric_paths

# nbformat's v4 builders, which carry no type annotations.
_V4: Any = nbformat.v4
_NBFORMAT: Any = nbformat
# The stub every function starts as: the judge tells it apart from a crash ("not implemented yet").
STUB = "raise NotImplementedError"


def starter_notebook(
    rubric: Rubric, *, lang: str, install: str | None = None, workshop: str | None = None
) -> nbformat.NotebookNode:
    """The starting notebook of ``rubric`` in ``lang``.

    ``install``: what ``pip install`` takes to install the grader where the student works (a wheel's URL
    or file, ``taller-grader @ https://…``); without it the first cell only loads the grader. ``workshop``:
    how the check cells name the workshop when the grader cannot tell it from the functions alone (a
    workshop given by path: its path or id as the students will have it).
    """
    texts = rubric.texts.get(lang)
    cells = [
        _V4.new_markdown_cell(_introduction(rubric, lang)),
        _V4.new_code_cell(_install_cell(install, lang)),
    ]
    for number_, task in enumerate(rubric.tasks, start=1):
        cells.append(_V4.new_markdown_cell(_task_text(rubric, task, number_, lang)))
        cells.append(_V4.new_code_cell(_stub(task, lang)))
        cells.append(_V4.new_code_cell(_check_call(json.dumps(task.id), workshop)))
    total = words("nb.points", lang, count=_points(rubric.max_score))
    final = f"## {words('starter.final', lang)}\n\n{words('starter.final_text', lang, points=total)}"
    cells.append(_V4.new_markdown_cell(final))
    cells.append(_V4.new_code_cell(_check_call("", workshop)))
    notebook: nbformat.NotebookNode = _V4.new_notebook(cells=cells)
    notebook.metadata.update(
        {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "title": texts.title if texts is not None else rubric.title,
        }
    )
    return notebook


def _introduction(rubric: Rubric, lang: str) -> str:
    texts = rubric.texts.get(lang)
    parts = [f"# {texts.title if texts is not None else rubric.title}"]
    if texts is not None and texts.intro.strip():
        parts.append(" ".join(texts.intro.split()))
    parts.append(words("starter.how", lang))
    return "\n\n".join(parts)


def _install_cell(install: str | None, lang: str) -> str:
    if install is None:
        return f"# {words('starter.installed', lang)}\nimport grader"
    return f"# {words('starter.install', lang)}\n%pip install --quiet {shlex.quote(install)}\nimport grader"


def _task_text(rubric: Rubric, task: TaskSpec, number_: int, lang: str) -> str:
    texts = task.texts.get(lang)
    points = words("nb.points", lang, count=_points(task.max_score))
    lines = [f"## {number_}. `{task.id}` ({points})", ""]
    if texts is not None:
        lines += [texts.description, ""]
    signature = f"{task.id}({', '.join(task.params)})"
    lines += [words("starter.signature", lang, signature=f"`{signature}`"), ""]
    shapes = _example_shapes(rubric, task)
    lines.append(f"**{words('starter.receives', lang)}**")
    lines += [
        _item(name, texts.params[name] if texts else None, shapes.get(name), lang) for name in task.params
    ]
    lines += ["", f"**{words('starter.returns', lang)}**"]
    returned = [
        _item(name, texts.returns[name] if texts else None, shapes.get(f"->{name}"), lang)
        for name in task.returns
    ]
    lines += returned
    return "\n".join(lines)


def _item(name: str, text: str | None, shape: tuple[int, ...] | None, lang: str) -> str:
    """A parameter or output: the rubric's words for it, and its shape on the first public case."""
    said = [text] if text else []
    if shape:
        said.append(words("starter.shape", lang, shape=format_shape(shape)))
    elif shape is not None and not text:
        said.append(words("starter.scalar", lang))
    return f"- `{name}`" + (f": {'; '.join(said)}" if said else "")


def _example_shapes(rubric: Rubric, task: TaskSpec) -> dict[str, tuple[int, ...]]:
    """The shape of each parameter (by name) and each output (``->name``) on the first public
    case, laid out in the rubric's first convention: what the student's function receives and returns."""
    convention = rubric.conventions[0]
    values = rubric.generate(np.random.default_rng([rubric.seed, 0]), **rubric.public_cases[0])
    shapes: dict[str, tuple[int, ...]] = {}
    for param in task.params:
        value = values.get(task.inputs.get(param, param))
        if value is not None:
            shapes[param] = np.shape(convention.to_student(param, np.asarray(value)))
    if task.trains:
        # A training function's outputs depend on the steps its checks take; those it trains keep their shape.
        shapes.update({f"->{name}": shapes[name] for name in task.trains if name in shapes})
        return shapes
    try:
        outputs = getattr(rubric.module, task.reference)(*[values[name] for name in task.input_names])
    except Exception:  # a case without every input: the texts alone describe the outputs
        return shapes
    outputs = outputs if isinstance(outputs, tuple) else (outputs,)
    for name, value in zip(task.returns, outputs, strict=False):
        shapes[f"->{name}"] = np.shape(convention.to_student(name, np.asarray(value)))
    return shapes


def _stub(task: TaskSpec, lang: str) -> str:
    return (
        f"def {task.id}({', '.join(task.params)}):\n    # {words('starter.write_here', lang)}\n    {STUB}\n"
    )


def _check_call(argument: str, workshop: str | None) -> str:
    arguments = [a for a in (argument, f"workshop={json.dumps(workshop)}" if workshop else "") if a]
    return f"grader.check({', '.join(arguments)})"


def _points(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(number(value))


def workshop_reference(rubric: Rubric, given: str) -> str | None:
    """How the starter's check cells name the workshop: not at all when the grader finds it by itself (a
    bundled or installed workshop, which the student's functions select), else as it was ``given``."""
    offered = [*bundled_rubric_paths(), *installed_rubric_paths()]
    if any(str(path.resolve()) == rubric.path for path in offered):
        return None
    return given


def notebook_text(notebook: nbformat.NotebookNode) -> str:
    """The notebook as its ``.ipynb`` file holds it (validated by nbformat as it is written)."""
    text: str = _NBFORMAT.writes(notebook)
    return text
