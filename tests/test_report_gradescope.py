"""Tests for the Gradescope results.json: the fields its harness reads, and one file per run."""

from __future__ import annotations

import json

from grader.messages import SAY, plain, words
from grader.report.gradescope import RESULTS_FILE, gradescope_results
from grader.report.html import page_name
from grader.results import CheckResult, SubmissionError, SubmissionResult, TaskResult

RUN = {"grader_version": "0.1.0", "rubrics": ["xor"], "hidden_cases": True, "lang": "es"}
TEST_FIELDS = {
    "score",
    "max_score",
    "status",
    "name",
    "number",
    "output",
    "output_format",
    "tags",
    "visibility",
}


def ana() -> SubmissionResult:
    return SubmissionResult(
        "ana",
        "ana.ipynb",
        "graded",
        duration_s=2.5,
        notes=(SAY("note.rows_as_instances"),),
        output="hola\n",
        tasks=(
            TaskResult(
                "xor",
                "feedForward",
                "feedForward",
                (
                    CheckResult("shapes", "pass", 1, 1, "public", SAY("summary.pass", total=2)),
                    CheckResult(
                        "values:hidden",
                        "fail",
                        0,
                        2,
                        "hidden",
                        SAY("summary.partial", passed=0, total=1),
                        details=(plain("caso oculto 1: difiere"),),
                        hints=(SAY("diag.swapped_outputs"),),
                        diagnoses=("swapped_outputs",),
                    ),
                ),
            ),
            TaskResult(
                "xor",
                "backProp",
                None,
                (CheckResult("gradients", "skipped", 0, 3, "public", SAY("diag.missing_function")),),
            ),
        ),
    )


def test_one_submission_gives_results_json_with_every_test() -> None:
    files = gradescope_results(RUN, [ana()], lang="es")
    assert set(files) == {RESULTS_FILE}
    document = json.loads(files[RESULTS_FILE])
    assert document["score"] == 1
    assert document["execution_time"] == 2.5
    assert words("note.rows_as_instances", "es") in document["output"]
    assert document["stdout_visibility"] == "hidden"
    tests = document["tests"]
    assert [t["name"] for t in tests] == [
        "feedForward: shapes",
        "feedForward: values:hidden",
        "backProp: gradients",
    ]
    for test in tests:
        assert set(test) == TEST_FIELDS
        assert test["status"] in ("passed", "failed")
        assert test["output_format"] == "text"
    assert [(t["score"], t["max_score"], t["status"]) for t in tests] == [
        (1, 1, "passed"),
        (0, 2, "failed"),
        (0, 3, "failed"),
    ]
    # Hidden checks are shown once the due date has passed; public ones at once.
    assert [t["visibility"] for t in tests] == ["visible", "after_due_date", "visible"]
    assert tests[0]["output"] == "Correcto en los 2 casos."
    assert tests[1]["output"] == "\n".join(
        ["Correcto en 0 de 1 caso.", "→ " + words("diag.swapped_outputs", "es"), "caso oculto 1: difiere"]
    )
    assert tests[2]["output"] == "Falta la función."
    assert tests[1]["tags"] == ["xor", "feedForward", "swapped_outputs"]
    assert [t["number"] for t in tests] == ["1", "2", "3"]


def test_ungradable_submission_scores_zero_with_the_reason() -> None:
    broken = SubmissionResult(
        "roto",
        "roto.ipynb",
        "error",
        error=SubmissionError("truncated_notebook", SAY("source.truncated_notebook")),
    )
    document = json.loads(gradescope_results(RUN, [broken], lang="es")[RESULTS_FILE])
    assert document["score"] == 0
    assert document["tests"] == []
    assert (
        document["output"] == "truncated_notebook: El notebook está cortado: se guardó o se subió incompleto."
    )
    english = json.loads(gradescope_results(RUN, [broken], lang="en")[RESULTS_FILE])
    assert (
        english["output"]
        == "truncated_notebook: The notebook is cut off: it was saved or uploaded incompletely."
    )


def test_several_submissions_still_write_results_json() -> None:
    other = SubmissionResult("beto", "beto.py", "graded")
    files = gradescope_results(RUN, [ana(), other], lang="es")
    assert set(files) == {
        RESULTS_FILE,
        f"gradescope/{page_name('ana').removesuffix('.html')}.json",
        f"gradescope/{page_name('beto').removesuffix('.html')}.json",
    }
    document = json.loads(files[RESULTS_FILE])
    assert document["score"] == 0
    assert "ana, beto" in document["output"]
    assert json.loads(files[f"gradescope/{page_name('ana').removesuffix('.html')}.json"])["score"] == 1
