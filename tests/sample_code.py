"""The code of a sample submission, split as a student fills a starting notebook: the imports and helpers a
function needs, and each workshop function's own source."""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from grader.judge import find_name
from grader.rubric import Rubric
from grader.source import CodeUnit, load_code
from grader.submission import discover

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "submissions"


@dataclass(frozen=True)
class SampleCode:
    preamble: str  # imports and the helpers that are not workshop functions
    functions: dict[str, str]  # task id → the sample's function, renamed to the task id


def sample_units(name: str) -> list[CodeUnit]:
    """The code units of a sample, as grading reads them (IPython syntax neutralised)."""
    (submission,) = [s for s in discover([SAMPLES]) if s.id == Path(name).stem]
    files, _ = submission.read()
    return [unit for file in files for unit in load_code(file.data, filename=file.name).units]


def split_sample(name: str, rubric: Rubric) -> SampleCode:
    preamble: list[str] = []
    functions: dict[str, str] = {}
    for unit in sample_units(name):
        try:
            tree = ast.parse(unit.source)
        except SyntaxError:
            continue
        for node in tree.body:
            text = ast.get_source_segment(unit.source, node, padded=False)
            if text is None:
                continue
            if isinstance(node, ast.Import | ast.ImportFrom):
                # Plotting libraries this environment lacks are left out (no function needs them).
                if all(_importable(module) for module in _modules(node)):
                    preamble.append(text)
            elif isinstance(node, ast.FunctionDef):
                task = next((t for t in rubric.tasks if find_name(t, {node.name})), None)
                if task is None:
                    preamble.append(text)
                else:
                    functions[task.id] = text.replace(f"def {node.name}(", f"def {task.id}(", 1)
    return SampleCode("\n\n".join(preamble), functions)


def _modules(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.ImportFrom):
        return [node.module or ""]
    return [alias.name for alias in node.names]


def _importable(module: str) -> bool:
    return importlib.util.find_spec(module.split(".")[0]) is not None
