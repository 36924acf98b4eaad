"""JUnit XML for CI dashboards: one test suite per submission, one test case per check."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from grader.messages import render
from grader.report.html import OUTPUT_LIMIT
from grader.report.text import check_text, first_line, message_text, number, printable
from grader.results import CheckResult, SubmissionResult, TaskResult

JUNIT_FILE = "junit.xml"

# Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def junit_xml(
    run: Mapping[str, Any], submissions: Sequence[SubmissionResult], *, lang: str
) -> dict[str, str]:
    """``junit.xml``: ``<testsuites>`` with a ``<testsuite>`` per submission.

    Checks that fail are ``<failure>``; checks whose code raised or hung are ``<error>``; a check that
    could not run (the function is missing) is a ``<failure type="skipped">`` too, because it costs
    its points and a dashboard must not show it as green. A submission that could not be graded is one
    ``<error>`` test case. Points are kept as properties of each test case.
    """
    root = ET.Element("testsuites", name="taller-grader")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    time = 0.0
    for submission in submissions:
        suite = _suite(submission, run, lang=lang)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
        time += submission.duration_s
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", f"{time:.3f}")
    ET.indent(root, space=" ")
    return {JUNIT_FILE: ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"}


def _suite(submission: SubmissionResult, run: Mapping[str, Any], *, lang: str) -> ET.Element:
    suite = ET.Element("testsuite", name=_xml(submission.id))
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("source", submission.source),
        ("status", submission.status),
        ("score", number(submission.score)),
        ("max_score", number(submission.max_score)),
        ("grader_version", str(run.get("grader_version", ""))),
    ):
        ET.SubElement(properties, "property", name=name, value=_xml(value))
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if submission.error is not None or not submission.tasks:
        case = ET.SubElement(suite, "testcase", classname=_xml(submission.id), name="grading")
        kind = submission.error.kind if submission.error else "error"
        message = message_text(submission.error.message, lang) if submission.error else ""
        error = ET.SubElement(case, "error", message=_xml(first_line(message)), type=_xml(kind))
        error.text = _xml(message)
        counts["tests"] += 1
        counts["errors"] += 1
    for task in submission.tasks:
        for check in task.checks:
            suite.append(_case(submission, task, check, lang=lang))
            counts["tests"] += 1
            if check.status in ("fail", "skipped"):
                counts["failures"] += 1
            elif check.status in ("error", "timeout"):
                counts["errors"] += 1
    for key, count in counts.items():
        suite.set(key, str(count))
    suite.set("time", f"{submission.duration_s:.3f}")
    if submission.output:
        output = ET.SubElement(suite, "system-out")
        output.text = _xml(submission.output[:OUTPUT_LIMIT])
    return suite


def _case(submission: SubmissionResult, task: TaskResult, check: CheckResult, *, lang: str) -> ET.Element:
    case = ET.Element(
        "testcase", classname=_xml(f"{submission.id}.{task.rubric}.{task.id}"), name=_xml(check.id)
    )
    properties = ET.SubElement(case, "properties")
    facts = [
        ("score", number(check.score)),
        ("max_score", number(check.max_score)),
        ("visibility", check.visibility),
    ]
    if check.diagnoses:
        facts.append(("diagnoses", ",".join(check.diagnoses)))
    for name, value in facts:
        ET.SubElement(properties, "property", name=name, value=_xml(value))
    if check.status == "pass":
        return case
    tag = "failure" if check.status in ("fail", "skipped") else "error"
    summary = first_line(render(check.summary, lang))
    detail = ET.SubElement(case, tag, message=_xml(summary), type=check.status)
    detail.text = _xml(check_text(check, lang).strip())
    return case


def _xml(text: str) -> str:
    return _NOT_XML.sub("\N{REPLACEMENT CHARACTER}", printable(text))
