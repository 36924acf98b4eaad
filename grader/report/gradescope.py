"""Gradescope autograder results: the ``results.json`` its harness reads after ``run_autograder``.

Gradescope grades one student per container. The simplest ``run_autograder`` copies the student's
files into a folder of their own (so the grader sees one submission), runs ``grader grade`` with
``--format gradescope`` and copies ``gradescope/results.json`` to ``/autograder/results/``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from grader.report.html import OUTPUT_LIMIT, page_name
from grader.report.text import check_text, message_text, number, printable
from grader.results import SubmissionResult

RESULTS_FILE = "gradescope/results.json"

# Public checks are shown at once; hidden ones when the due date has passed, so the hidden cases keep
# doing their job (students cannot tune their code to them) until then. Gradescope also hides the
# total while some test is hidden, which keeps the hidden points from being worked out by subtraction.
_VISIBILITY = {"public": "visible", "hidden": "after_due_date"}


def gradescope_results(
    run: Mapping[str, Any], submissions: Sequence[SubmissionResult], *, lang: str
) -> dict[str, str]:
    """``gradescope/results.json`` for a run of exactly one submission.

    Gradescope counts a missing or invalid file as the autograder failing, so the file is always
    written: with several submissions it scores 0 and its ``output`` says so, and each submission gets
    its own ``gradescope/<page name>.json`` beside it.
    """
    del run
    if len(submissions) == 1:
        return {RESULTS_FILE: _dump(_document(submissions[0], lang=lang))}
    files = {
        f"gradescope/{page_name(s.id).removesuffix('.html')}.json": _dump(_document(s, lang=lang))
        for s in submissions
    }
    ids = ", ".join(s.id for s in submissions) or "-"
    files[RESULTS_FILE] = _dump(
        {
            "score": 0,
            "output": printable(
                f"Expected exactly one submission, found {len(submissions)} ({ids}): "
                "put the student's files in a single folder and grade that folder."
            ),
            "tests": [],
        }
    )
    return files


def _document(submission: SubmissionResult, *, lang: str) -> dict[str, Any]:
    tests: list[dict[str, Any]] = []
    for task in submission.tasks:
        for check in task.checks:
            tests.append(
                {
                    "name": printable(f"{task.id}: {check.id}"),
                    "number": f"{len(tests) + 1}",
                    "score": check.score,
                    "max_score": check.max_score,
                    "status": "passed" if check.status == "pass" else "failed",
                    "output": printable(check_text(check, lang).strip()),
                    "output_format": "text",
                    "tags": [task.rubric, task.id, *check.diagnoses],
                    "visibility": _VISIBILITY[check.visibility],
                }
            )
    summary = []
    if submission.error is not None:
        summary.append(f"{submission.error.kind}: {message_text(submission.error.message, lang)}")
    summary.extend(message_text(note, lang) for note in submission.notes)
    if submission.tasks:
        summary.append(f"{number(submission.score)} / {number(submission.max_score)}")
    document: dict[str, Any] = {
        "score": submission.score,
        "execution_time": round(submission.duration_s, 3),
        "output": printable("\n".join(summary)),
        "stdout_visibility": "hidden",
        "tests": tests,
    }
    if submission.output:
        document["extra_data"] = {"captured_output": printable(submission.output[:OUTPUT_LIMIT])}
    return document


def _dump(document: Mapping[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
