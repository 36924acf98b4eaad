"""``results.json``: a task's location as data, and the older files whose location is words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.location import Location
from grader.messages import SAY, Joined, plain, verbatim
from grader.report.text import check_text, message_text
from grader.results import (
    SCHEMA_ID,
    CheckResult,
    RunInfo,
    SubmissionError,
    SubmissionResult,
    TaskResult,
    read_results,
    results_document,
    schema_path,
)

SCHEMA = json.loads(schema_path().read_text(encoding="utf-8"))
CASE = SAY("case.public", function="feedForward", n=1, sizes="m=2")
CHECK = CheckResult(
    "shape",
    "fail",
    0.0,
    1.0,
    "public",
    summary=SAY("summary.partial", passed=0, total=1),
    details=(SAY("out.shape", case=CASE, name="a2", actual="(2, 1)", expected="(1, 2)"),),
    hints=(SAY("diag.transposed_output"),),
    diagnoses=("transposed_output",),
)


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


def test_messages_are_written_as_data_and_read_back(tmp_path: Path) -> None:
    frames = Joined(
        (SAY("call.frame", where=Location("ana.ipynb", 3, 2), function="feedForward"), "?"),
        SAY("call.frame_separator"),
    )
    crashed = SAY(
        "call.exception",
        case=CASE,
        type="ValueError",
        message="matmul: mismatch",
        where=SAY("call.in_location", where=frames),
    )
    check = CheckResult(
        "values", "error", 0.0, 1.0, "public", SAY("summary.partial", passed=0, total=1), (crashed,)
    )
    task = TaskResult(
        "xor",
        "feedForward",
        "feedForward",
        (CHECK, check),
        notes=(SAY("note.rows_as_instances"),),
        location=Location("ana.ipynb", 3, 1),
    )
    graded = SubmissionResult(
        "ana",
        "entregas/ana",
        "graded",
        tasks=(task,),
        notes=(SAY("source.cell_magic", file="ana.ipynb", cell=2, magic="time"),),
    )
    failed = SubmissionResult(
        "beto",
        "entregas/beto",
        "error",
        error=SubmissionError("not_json", SAY("source.not_json.at", line=3, column=9)),
        notes=(plain("print('hola')"),),
    )
    run = RunInfo(grader_version="0.1.0", rubrics=("xor",), hidden_cases=False)
    data = results_document(run, [graded, failed])
    assert data["schema"] == SCHEMA_ID == "taller-grader/results/2"
    jsonschema.validate(data, SCHEMA)
    stored = data["submissions"][0]["tasks"][0]["checks"][0]
    assert "message" not in stored
    assert stored["summary"] == {"key": "summary.partial", "params": {"passed": 0, "total": 1}}
    assert stored["hints"] == [{"key": "diag.transposed_output", "params": {}}]
    path = tmp_path / "results.json"
    path.write_text(json.dumps(data, ensure_ascii=False, allow_nan=False), encoding="utf-8")
    _, back = read_results(path)
    assert back == (graded, failed)
    # The same run, in either language.
    assert check_text(back[0].tasks[0].checks[1], "es").splitlines()[1] == (
        "feedForward, caso público 1 (m=2): tu función lanzó ValueError: matmul: mismatch "
        "(en ana.ipynb, celda 3, línea 2, dentro de feedForward ← llamada desde ?)"
    )
    assert message_text(back[1].error.message, "en") == (  # type: ignore[union-attr]
        "The notebook is not valid JSON: it breaks at line 3, column 9."
    )


# A results.json as version 1 of the schema wrote it: every sentence already in words, in the run's language.
V1_MESSAGE = (
    "Correcto en 0 de 1 casos.\n"
    "feedForward, caso público 1 (m=4): a2 tiene forma (4,); se esperaba (1, 4).\n"
    "→ Los valores son correctos pero la forma está transpuesta."
)
V1_DOCUMENT: dict[str, Any] = {
    "schema": "taller-grader/results/1",
    "run": {
        "grader_version": "0.1.0",
        "rubrics": ["xor"],
        "hidden_cases": False,
        "sandbox": [],
        "lang": "es",
        "exec": "functions",
    },
    "submissions": [
        {
            "id": "ana",
            "source": "entregas/ana",
            "status": "graded",
            "error": None,
            "score": 0.0,
            "max_score": 1.0,
            "duration_s": 1.5,
            "notes": ["ana.ipynb: cell 2: skipped %%time cell"],
            "output": "",
            "tasks": [
                {
                    "rubric": "xor",
                    "id": "feedForward",
                    "found_as": "feedForward",
                    "score": 0.0,
                    "max_score": 1.0,
                    "notes": ["Usas las instancias como filas (las diapositivas usan columnas): se aceptó."],
                    "source": "def feedForward(X, w1, w2, b1, b2):\n    return X, X",
                    "location": "ana.ipynb, celda 3, línea 1",
                    "curve": None,
                    "checks": [
                        {
                            "id": "shapes",
                            "status": "fail",
                            "score": 0.0,
                            "max_score": 1.0,
                            "visibility": "public",
                            "message": V1_MESSAGE,
                            "diagnoses": ["transposed_output"],
                        }
                    ],
                }
            ],
        },
        {
            "id": "beto",
            "source": "entregas/beto",
            "status": "error",
            "error": {"kind": "not_json", "message": "El notebook no es JSON válido. (line 3, column 9)"},
            "score": 0.0,
            "max_score": 0.0,
            "duration_s": 0.1,
            "notes": [],
            "output": "",
            "tasks": [],
        },
    ],
}


def test_a_version_1_file_is_read_with_its_sentences_as_they_were_written(tmp_path: Path) -> None:
    run, (ana, beto) = read_results(written(tmp_path, V1_DOCUMENT))
    assert run["lang"] == "es"
    (task,) = ana.tasks
    (check,) = task.checks
    assert (check.summary, check.details, check.hints) == (verbatim(V1_MESSAGE), (), ())
    assert check.diagnoses == ("transposed_output",)
    assert task.notes == (
        verbatim("Usas las instancias como filas (las diapositivas usan columnas): se aceptó."),
    )
    assert task.location == "ana.ipynb, celda 3, línea 1"
    assert ana.notes == (verbatim("ana.ipynb: cell 2: skipped %%time cell"),)
    assert beto.error == SubmissionError(
        "not_json", verbatim("El notebook no es JSON válido. (line 3, column 9)")
    )
    # Shown in the language it was written in, whatever language is asked for.
    for lang in ("es", "en"):
        assert check_text(check, lang) == V1_MESSAGE
        assert message_text(beto.error.message, lang) == "El notebook no es JSON válido. (line 3, column 9)"
    # Written again, it is a version 2 document that keeps the words.
    again = results_document(RunInfo("0.1.0", ("xor",), False), [ana, beto])
    jsonschema.validate(again, SCHEMA)
    _, back = read_results(written(tmp_path, again))
    assert back == (ana, beto)


def test_grader_report_renders_a_version_1_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "report",
            str(written(tmp_path, V1_DOCUMENT)),
            "--out",
            str(out),
            "--format",
            "html,junit,github",
        ],
    )
    assert result.exit_code == 0, result.output
    page = next(p for p in (out / "students").glob("*.html") if "ana" in p.name).read_text(encoding="utf-8")
    assert "a2 tiene forma (4,); se esperaba (1, 4)." in page
    assert "ana.ipynb, celda 3, línea 1" in page
    assert "Message(" not in page and "verbatim" not in page
    junit = (out / "junit.xml").read_text(encoding="utf-8")
    assert "Correcto en 0 de 1 casos." in junit and "El notebook no es JSON válido." in junit
    summary = (out / "github" / "summary.md").read_text(encoding="utf-8")
    assert "El notebook no es JSON válido." in summary and "Message(" not in summary


def test_a_file_of_an_unknown_schema_is_refused(tmp_path: Path) -> None:
    data = dict(V1_DOCUMENT, schema="taller-grader/results/9")
    with pytest.raises(ValueError, match="not a taller-grader results file"):
        read_results(written(tmp_path, data))
