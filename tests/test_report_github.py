"""Tests for the GitHub exports: Classroom's base64 result, ``::error`` annotations and the job summary."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest

from grader.location import Location
from grader.messages import SAY, Message, plain, verbatim, words
from grader.report.github import (
    ANNOTATIONS_FILE,
    MAX_ANNOTATIONS,
    OUTPUT_FILE,
    PAYLOAD_LIMIT,
    SUMMARY_FILE,
    SUMMARY_LIMIT,
    encoded_payload,
    github_reports,
)
from grader.results import (
    CheckResult,
    CheckStatus,
    SubmissionError,
    SubmissionResult,
    TaskLocation,
    TaskResult,
)

RUN = {"grader_version": "0.1.0", "rubrics": ["xor"], "hidden_cases": True, "lang": "es"}
TEST_FIELDS = {"name", "status", "score", "message", "test_code", "filename", "line_no", "duration"}
HOSTILE = "<script>alert(1)</script> | **negrita** `code` [x](javascript:alert(2)) @todos"


def check(
    id: str,
    status: CheckStatus,
    score: float,
    max_score: float,
    summary: Message | str | None = None,
    *details: Message,
    codes: tuple[str, ...] = (),
) -> CheckResult:
    """A check result; a summary given as text is one an older results.json stored in words."""
    said = SAY("summary.pass", total=1) if summary is None else summary
    said = verbatim(said) if isinstance(said, str) else said
    hints = tuple(SAY(f"diag.{code}") for code in codes)
    return CheckResult(id, status, score, max_score, "public", said, details, hints, codes)


CRASHED = SAY(
    "call.exception",
    case=plain("caso público 1"),
    type="ValueError",
    message="50% mal, sin: comas",
    where=SAY("call.in_location", where=Location("tarea_xor.py", None, 12)),
)


# Where backProp is, unless a test says otherwise.
BACKPROP = Location("tarea_xor.py", None, 12)


def ana(*, source: str = "tarea_xor.py", location: TaskLocation | None = BACKPROP) -> SubmissionResult:
    return SubmissionResult(
        "ana",
        source,
        "graded",
        tasks=(
            TaskResult(
                "xor",
                "feedForward",
                "feedForward",
                (check("shapes", "pass", 1, 1), check("values", "pass", 2, 2)),
            ),
            TaskResult(
                "xor",
                "backProp",
                "backProp",
                (
                    check("shapes", "pass", 1, 1),
                    check(
                        "gradients",
                        "error",
                        0,
                        4,
                        SAY("summary.partial", passed=0, total=1),
                        CRASHED,
                        codes=("missing_mean",),
                    ),
                ),
                location=location,
            ),
        ),
    )


def decode_output(files: dict[str, str]) -> dict[str, Any]:
    line = files[OUTPUT_FILE]
    assert line.endswith("\n") and line.count("\n") == 1
    key, value = line.strip().split("=", 1)
    assert key == "result"
    assert re.fullmatch(r"[A-Za-z0-9+/]+=*", value)
    decoded: dict[str, Any] = json.loads(base64.b64decode(value).decode("utf-8"))
    return decoded


def parse_annotation(line: str) -> tuple[dict[str, str], str]:
    match = re.fullmatch(r"::error (?P<props>[^:]*)::(?P<message>.*)", line)
    assert match, line
    props = dict(p.split("=", 1) for p in match["props"].split(","))
    return {k: unescape(v) for k, v in props.items()}, unescape(match["message"])


def unescape(text: str) -> str:
    return (
        text.replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def test_classroom_result_is_base64_json_with_every_check() -> None:
    payload = decode_output(github_reports(RUN, [ana()], lang="es"))
    assert payload["version"] == 1
    assert payload["status"] == "error"  # a check raised
    assert payload["max_score"] == 8
    tests = payload["tests"]
    assert [t["name"] for t in tests] == [
        "feedForward: shapes",
        "feedForward: values",
        "backProp: shapes",
        "backProp: gradients",
    ]
    for test in tests:
        assert set(test) == TEST_FIELDS
        assert test["filename"] == "tarea_xor.py"
        assert test["line_no"] == 0
    # Classroom's grade is the sum of the tests' scores over max_score: partial credit per check.
    assert sum(t["score"] for t in tests) == 4
    assert [t["status"] for t in tests] == ["pass", "pass", "pass", "error"]
    # Summary, hint, then the failing case, in the language asked for.
    assert tests[3]["message"] == "\n".join(
        [
            "Correcto en 0 de 1 caso.",
            "→ " + words("diag.missing_mean", "es"),
            "caso público 1: tu función lanzó ValueError: 50% mal, sin: comas (en tarea_xor.py, línea 12)",
        ]
    )
    english = decode_output(github_reports(RUN, [ana()], lang="en"))["tests"][3]["message"]
    assert english.startswith("Correct on 0 of 1 case.\n→ " + words("diag.missing_mean", "en"))
    assert english.endswith("your function raised ValueError: 50% mal, sin: comas (at tarea_xor.py, line 12)")
    assert tests[3]["test_code"] == "xor/backProp/gradients"


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (("pass", "pass"), "pass"),
        (("pass", "fail"), "fail"),
        (("skipped", "pass"), "fail"),
        (("timeout", "fail"), "error"),
    ],
)
def test_classroom_status(statuses: tuple[CheckStatus, CheckStatus], expected: str) -> None:
    submission = SubmissionResult(
        "s",
        "s.py",
        "graded",
        tasks=(TaskResult("xor", "f", "f", tuple(check(f"c{i}", s, 0, 1) for i, s in enumerate(statuses))),),
    )
    assert decode_output(github_reports(RUN, [submission], lang="en"))["status"] == expected


def test_ungradable_submission_is_an_error_result() -> None:
    broken = SubmissionResult(
        "roto", "roto.ipynb", "error", error=SubmissionError("empty_file", SAY("source.empty_file"))
    )
    payload = decode_output(github_reports(RUN, [broken], lang="es"))
    assert payload["status"] == "error"
    assert payload["max_score"] == 0
    (test,) = payload["tests"]
    assert (test["name"], test["status"], test["score"]) == ("grading", "error", 0)
    assert test["message"] == "empty_file: El archivo está vacío."
    (english,) = decode_output(github_reports(RUN, [broken], lang="en"))["tests"]
    assert english["message"] == "empty_file: The file is empty."


def test_payload_is_shortened_to_fit_an_environment_variable() -> None:
    noisy = SubmissionResult(
        "s",
        "s.py",
        "graded",
        tasks=(
            TaskResult("xor", "f", "f", tuple(check(f"c{i}", "fail", 0, 1, "x" * 5000) for i in range(60))),
        ),
    )
    encoded = encoded_payload(json.loads(json.dumps(_payload(noisy))))
    assert len(encoded) <= PAYLOAD_LIMIT
    payload = json.loads(base64.b64decode(encoded))
    assert len(payload["tests"]) == 60
    assert all(len(t["message"]) < 5000 for t in payload["tests"])


def _payload(submission: SubmissionResult) -> dict[str, Any]:
    return decode_output(github_reports(RUN, [submission], lang="es"))


def test_annotations_point_at_the_file_and_line_and_escape_properly() -> None:
    files = github_reports(RUN, [ana()], lang="es")
    lines = files[ANNOTATIONS_FILE].splitlines()
    assert len(lines) == 1  # feedForward lost nothing
    props, message = parse_annotation(lines[0])
    assert props == {"file": "tarea_xor.py", "line": "12", "title": "backProp: 1 / 5"}
    assert message == "gradients: Correcto en 0 de 1 caso.\n" + words("diag.missing_mean", "es")
    # The raw line holds no bare newline, and % in the message is escaped.
    assert "%0A" in lines[0]
    older = SubmissionResult(
        "beto",
        "beto.py",
        "graded",
        tasks=(TaskResult("xor", "f", "f", (check("c", "fail", 0, 1, "50% mal, sin: comas\n(línea 3)"),)),),
    )
    (line,) = github_reports(RUN, [older], lang="es")[ANNOTATIONS_FILE].splitlines()
    assert "%25 mal" in line
    assert parse_annotation(line)[1] == "c: 50% mal, sin: comas"


def first_annotation(submission: SubmissionResult) -> dict[str, str]:
    props, _ = parse_annotation(
        github_reports(RUN, [submission], lang="es")[ANNOTATIONS_FILE].splitlines()[0]
    )
    return props


def test_annotations_for_notebooks_and_folders() -> None:
    notebook = ana(source="entregas/ana.ipynb", location=Location("ana.ipynb", 3, 4))
    # A cell's line is not a line of the .ipynb file, and this report has no notebook to look it up in:
    # the annotation points at the file only.
    assert first_annotation(notebook) == {"file": "entregas/ana.ipynb", "title": "backProp: 1 / 5"}
    folder = ana(source="./repo")
    props = first_annotation(folder)
    assert props["file"] == "repo/tarea_xor.py" and props["line"] == "12"
    payload = decode_output(github_reports(RUN, [folder], lang="es"))
    assert [t["filename"] for t in payload["tests"]] == ["repo"] * 2 + ["repo/tarea_xor.py"] * 2
    in_folder = ana(source="./repo", location=Location("cuadernos/ana.ipynb", 2, 7))
    assert first_annotation(in_folder) == {"file": "repo/cuadernos/ana.ipynb", "title": "backProp: 1 / 5"}


@pytest.mark.parametrize("location", [None, "tarea_xor.py, línea 12"], ids=["none", "old words"])
def test_a_place_is_taken_from_the_location_never_from_words(location: TaskLocation | None) -> None:
    # The message names "tarea_xor.py, línea 12", and so does an older results file's location: neither
    # is read back into a place.
    assert first_annotation(ana(location=location)) == {"file": "tarea_xor.py", "title": "backProp: 1 / 5"}
    assert first_annotation(ana(source="repo", location=location)) == {
        "file": "repo",
        "title": "backProp: 1 / 5",
    }


def test_at_most_ten_annotations() -> None:
    many = [
        SubmissionResult(
            f"s{i}", f"s{i}.py", "graded", tasks=(TaskResult("xor", "f", "f", (check("c", "fail", 0, 1),)),)
        )
        for i in range(15)
    ]
    lines = github_reports(RUN, many, lang="en")[ANNOTATIONS_FILE].splitlines()
    assert len(lines) == MAX_ANNOTATIONS
    assert all(line.startswith("::error ") for line in lines)
    _, last = parse_annotation(lines[-1])
    assert "6 problems" in last and "see the job summary" in last and "(s)" not in last
    broken = SubmissionResult(
        "roto", "roto.ipynb", "error", error=SubmissionError("empty_file", SAY("source.empty_file"))
    )
    first, _ = parse_annotation(
        github_reports(RUN, [*many, broken], lang="en")[ANNOTATIONS_FILE].splitlines()[0]
    )
    assert first["title"] == "roto: Could not be graded (empty_file)"


def test_job_summary_is_markdown_with_student_text_escaped() -> None:
    hostile = SubmissionResult(
        HOSTILE,
        "x.py",
        "graded",
        tasks=(
            TaskResult(
                "xor", "f", "f", (check("c", "fail", 0, 1, HOSTILE + "\n</pre><script>alert(3)</script>"),)
            ),
        ),
    )
    summary = github_reports(RUN, [ana(), hostile], lang="es")[SUMMARY_FILE]
    assert summary.startswith("## Calificación · taller-grader 0.1.0\n")
    assert "| Estudiante | Estado | Puntos |" in summary
    assert "| ana | calificada | 4 / 8 (50 %) |" in summary
    assert "<script" not in summary and "</pre><" not in summary
    # Table rows keep their column count: a student's "|" cannot open a new cell.
    for line in summary.splitlines():
        if line.startswith("| ") and "Estudiante" not in line and "---" not in line and "Función" not in line:
            assert line.count("|") in (4, 5), line
    assert "&lt;script&gt;" in summary and "&#124;" in summary and "&#42;&#42;negrita&#42;&#42;" in summary
    assert "&#64;todos" in summary
    assert "gradients (error, 0 / 4)" in summary and "c (fallida, 0 / 1)" in summary
    assert (
        "<details>" in summary
        and "<summary>Pruebas no superadas de <code>backProp</code></summary>" in summary
    )


def test_job_summary_stays_under_githubs_limit() -> None:
    huge = [
        SubmissionResult(
            f"s{i}",
            f"s{i}.py",
            "graded",
            tasks=(TaskResult("xor", "f", "f", (check("c", "fail", 0, 1, "y" * 20_000),)),),
        )
        for i in range(80)
    ]
    summary = github_reports(RUN, huge, lang="en")[SUMMARY_FILE]
    assert len(summary.encode()) <= SUMMARY_LIMIT
    assert "Summary truncated:" in summary
    assert "| s79 | graded | 0 / 1 (0 %) |" in summary  # the class table always lists everyone
