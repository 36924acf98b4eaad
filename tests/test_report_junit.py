"""Tests for the JUnit XML export: it parses, counts right, and carries messages and points."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from grader.messages import SAY, Message, plain, verbatim, words
from grader.report.junit import JUNIT_FILE, junit_xml
from grader.results import CheckResult, CheckStatus, SubmissionError, SubmissionResult, TaskResult

RUN = {"grader_version": "0.1.0", "rubrics": ["xor"], "hidden_cases": True, "lang": "es"}


def check(
    id: str,
    status: CheckStatus,
    score: float,
    max_score: float,
    summary: Message | None = None,
    *details: Message,
    codes: tuple[str, ...] = (),
) -> CheckResult:
    hints = tuple(SAY(f"diag.{code}") for code in codes)
    said = summary if summary is not None else SAY("summary.pass", total=1)
    return CheckResult(id, status, score, max_score, "public", said, details, hints, codes)


def submissions() -> list[SubmissionResult]:
    return [
        SubmissionResult(
            "ana",
            "ana.ipynb",
            "graded",
            duration_s=1.25,
            output="época 0\x1b[31m rojo\x00\n",
            tasks=(
                TaskResult(
                    "xor",
                    "feedForward",
                    "feedForward",
                    (
                        check("shapes", "pass", 1, 1),
                        check(
                            "values",
                            "fail",
                            0,
                            2,
                            SAY("summary.partial", passed=0, total=2),
                            plain("caso 1: <a1> & a2\x07"),
                            codes=("swapped_outputs",),
                        ),
                    ),
                ),
                TaskResult(
                    "xor",
                    "backProp",
                    None,
                    (
                        check(
                            "gradients",
                            "skipped",
                            0,
                            3,
                            SAY("task.missing", name="backProp", aliases="back_prop"),
                        ),
                    ),
                ),
                TaskResult(
                    "xor",
                    "costoGlobal",
                    "costoGlobal",
                    (
                        check("values", "error", 0, 1, verbatim("lanzó ZeroDivisionError")),
                        check("big", "timeout", 0, 1),
                    ),
                ),
            ),
        ),
        SubmissionResult(
            "roto",
            "roto.ipynb",
            "error",
            error=SubmissionError("invalid_notebook", verbatim("no es JSON\nlínea 3")),
        ),
    ]


def parsed(lang: str = "es") -> ET.Element:
    text = junit_xml(RUN, submissions(), lang=lang)[JUNIT_FILE]
    assert text.startswith("<?xml")
    return ET.fromstring(text)


def test_suites_cases_and_totals() -> None:
    root = parsed()
    assert root.tag == "testsuites"
    assert {k: root.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "6",
        "failures": "2",
        "errors": "3",
        "skipped": "0",
    }
    ana, roto = root.findall("testsuite")
    assert ana.get("name") == "ana" and ana.get("time") == "1.250"
    assert [(c.get("classname"), c.get("name")) for c in ana.findall("testcase")] == [
        ("ana.xor.feedForward", "shapes"),
        ("ana.xor.feedForward", "values"),
        ("ana.xor.backProp", "gradients"),
        ("ana.xor.costoGlobal", "values"),
        ("ana.xor.costoGlobal", "big"),
    ]
    for suite in (ana, roto):
        assert int(suite.get("tests") or 0) == len(suite.findall("testcase"))
    properties = {p.get("name"): p.get("value") for p in ana.findall("properties/property")}
    assert properties["score"] == "1" and properties["max_score"] == "8"


def test_failures_carry_the_message_and_the_hint() -> None:
    ana = parsed().findall("testsuite")[0]
    cases = {(c.get("classname"), c.get("name")): c for c in ana.findall("testcase")}
    passed = cases["ana.xor.feedForward", "shapes"]
    assert passed.find("failure") is None and passed.find("error") is None
    assert {p.get("name") for p in passed.iter("property")} == {"score", "max_score", "visibility"}
    failure = cases["ana.xor.feedForward", "values"].find("failure")
    assert failure is not None
    assert failure.get("message") == "Correcto en 0 de 2 casos."
    assert failure.get("type") == "fail"
    # Markup in a message is text; a control character XML cannot hold is replaced, not fatal. The hint
    # comes right after the summary, before the failing cases.
    assert failure.text == "\n".join(
        [
            "Correcto en 0 de 2 casos.",
            "→ " + words("diag.swapped_outputs", "es"),
            "caso 1: <a1> & a2\N{REPLACEMENT CHARACTER}",
        ]
    )
    # A missing function costs points: it must not look green on a dashboard.
    missing = cases["ana.xor.backProp", "gradients"].find("failure")
    assert missing is not None and missing.get("type") == "skipped"
    assert missing.get("message", "").startswith("No se encontró la función backProp")
    assert cases["ana.xor.costoGlobal", "values"].find("error") is not None
    timeout = cases["ana.xor.costoGlobal", "big"].find("error")
    assert timeout is not None and timeout.get("type") == "timeout"
    points = {p.get("name"): p.get("value") for p in cases["ana.xor.feedForward", "values"].iter("property")}
    assert points == {"score": "0", "max_score": "2", "visibility": "public", "diagnoses": "swapped_outputs"}
    assert (ana.findtext("system-out") or "") == "época 0 rojo\N{REPLACEMENT CHARACTER}\n"


def test_ungradable_submission_is_one_error_case() -> None:
    roto = parsed().findall("testsuite")[1]
    (case,) = roto.findall("testcase")
    error = case.find("error")
    assert error is not None
    assert error.get("type") == "invalid_notebook"
    assert error.get("message") == "no es JSON"
    assert error.text == "no es JSON\nlínea 3"


def test_the_messages_are_in_the_language_asked_for() -> None:
    ana, roto = parsed("en").findall("testsuite")
    cases = {(c.get("classname"), c.get("name")): c for c in ana.findall("testcase")}
    failure = cases["ana.xor.feedForward", "values"].find("failure")
    assert failure is not None and failure.get("message") == "Correct on 0 of 2 cases."
    assert "→ " + words("diag.swapped_outputs", "en") in (failure.text or "")
    missing = cases["ana.xor.backProp", "gradients"].find("failure")
    assert missing is not None and missing.get("message", "").startswith("Function backProp was not found")
    # Words an older results.json stored stay as they were written.
    error = roto.find("testcase/error")
    assert error is not None and error.text == "no es JSON\nlínea 3"


def test_empty_run_is_valid_xml() -> None:
    root = ET.fromstring(junit_xml(RUN, [], lang="en")[JUNIT_FILE])
    assert root.get("tests") == "0" and not root.findall("testsuite")
