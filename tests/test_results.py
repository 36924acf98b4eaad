"""``results.json``: a task's location as data, and the older files whose location is words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.results import (
    CheckResult,
    Location,
    RunInfo,
    SubmissionResult,
    TaskResult,
    read_results,
    results_document,
    schema_path,
)

SCHEMA = json.loads(schema_path().read_text(encoding="utf-8"))
CHECK = CheckResult("shape", "fail", 0.0, 1.0, "public", "forma (2, 1) en lugar de (1, 2)")


def submission(*tasks: TaskResult) -> SubmissionResult:
    return SubmissionResult("ana", "entregas/ana", "graded", tasks=tasks)


def document(*tasks: TaskResult) -> dict[str, Any]:
    run = RunInfo(grader_version="0.1.0", rubrics=("xor",), hidden_cases=False)
    return results_document(run, [submission(*tasks)])


def written(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "results.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_location_is_written_as_an_object_and_read_back(tmp_path: Path) -> None:
    tasks = (
        TaskResult(
            "xor", "feedForward", "feedForward", (CHECK,), location=Location("cuadernos/ana.ipynb", 3, 2)
        ),
        TaskResult("xor", "backProp", "backProp", (CHECK,), location=Location("taller.py", None, 12)),
        TaskResult("xor", "costoGlobal", None, (CHECK,)),
    )
    data = document(*tasks)
    jsonschema.validate(data, SCHEMA)
    assert [t["location"] for t in data["submissions"][0]["tasks"]] == [
        {"file": "cuadernos/ana.ipynb", "cell": 3, "line": 2},
        {"file": "taller.py", "cell": None, "line": 12},
        None,
    ]
    _, (back,) = read_results(written(tmp_path, data))
    assert back.tasks == tasks


def test_an_older_file_with_a_location_in_words_is_still_read_and_valid(tmp_path: Path) -> None:
    data = document(TaskResult("xor", "feedForward", "feedForward", (CHECK,)))
    data["submissions"][0]["tasks"][0]["location"] = "ana.ipynb, celda 3, línea 2"
    jsonschema.validate(data, SCHEMA)
    _, (back,) = read_results(written(tmp_path, data))
    assert back.tasks[0].location == "ana.ipynb, celda 3, línea 2"
    # Written again as it was read: words stay words, never taken apart into a place.
    assert back.to_json()["tasks"][0]["location"] == "ana.ipynb, celda 3, línea 2"


def test_grader_report_renders_an_older_file(tmp_path: Path) -> None:
    data = document(
        TaskResult("xor", "feedForward", "feedForward", (CHECK,), source="def feedForward(X):\n    return X")
    )
    data["submissions"][0]["tasks"][0]["location"] = "ana.ipynb, celda 3, línea 2"
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["report", str(written(tmp_path, data)), "--out", str(out), "--format", "html,github"]
    )
    assert result.exit_code == 0, result.output
    (page,) = (out / "students").glob("*.html")
    assert "ana.ipynb, celda 3, línea 2" in page.read_text(encoding="utf-8")
    assert "file=entregas/ana," in (out / "github" / "annotations.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "location",
    [
        {"file": "/home/ana/taller.py", "cell": None, "line": 3},
        {"file": "C:\\Users\\ana\\taller.py", "cell": None, "line": 3},
        {"file": "", "cell": None, "line": 3},
        {"file": "taller.py", "cell": 0, "line": 3},
        {"file": "taller.py", "cell": None, "line": 0},
        {"file": "taller.py", "line": 3},
        {"file": "taller.py", "cell": None, "line": 3, "column": 1},
        7,
    ],
    ids=["absolute", "windows absolute", "no file", "cell 0", "line 0", "no cell", "extra field", "number"],
)
def test_the_schema_refuses_a_location_that_is_not_one(location: object) -> None:
    data = document(TaskResult("xor", "feedForward", "feedForward", (CHECK,)))
    data["submissions"][0]["tasks"][0]["location"] = location
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_a_relative_file_with_a_colon_is_a_file_name() -> None:
    data = document(TaskResult("xor", "f", "f", (CHECK,), location=Location("a:b.py", None, 1)))
    jsonschema.validate(data, SCHEMA)
