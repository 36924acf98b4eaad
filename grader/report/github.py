"""GitHub Actions and Classroom: a Markdown job summary, ``::error`` annotations and the ``result`` output.

The command line publishes these when asked for the ``github`` format inside Actions: it appends
``summary.md`` to ``$GITHUB_STEP_SUMMARY``, ``output.txt`` (``result=<base64 JSON>``) to
``$GITHUB_OUTPUT`` for ``classroom-resources/autograding-grading-reporter``, and prints the annotation
lines. In a Classroom workflow the grader runs as its own ``run:`` step with an ``id``; the reporter
step then reads ``${{ steps.<id>.outputs.result }}``.
"""

from __future__ import annotations

import base64
import html
import json
import posixpath
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from grader.location import Location
from grader.messages import render, table
from grader.messages import words as _words
from grader.report.text import check_text, first_line, message_text, number, percentage, points, printable
from grader.results import CheckResult, SubmissionResult, TaskLocation, TaskResult

SUMMARY_FILE = "github/summary.md"
ANNOTATIONS_FILE = "github/annotations.txt"
OUTPUT_FILE = "github/output.txt"

MAX_ANNOTATIONS = 10
"""GitHub shows only ten error annotations per step; more would be dropped silently."""

SUMMARY_LIMIT = 1_000_000
"""Bytes of Markdown written: GitHub refuses a step summary over 1 MiB."""

PAYLOAD_LIMIT = 96 * 1024
"""Bytes of base64 in the ``result`` output. The reporter receives it in an environment variable, and
Linux refuses to start a program with a single variable over 128 KiB."""

MESSAGE_LIMIT = 1_500
"""Characters of each check's message in the Classroom payload (the job summary has them in full)."""

ClassroomStatus = Literal["pass", "fail", "error"]


_MARKS = {"complete": "✅", "partial": "🟡", "zero": "❌", "not_found": "❔", "error": "⚠️"}

# Characters that Markdown would read as syntax, written as numeric references so student text is text.
_MARKDOWN_SPECIAL = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_[]~|$@"})


@dataclass(frozen=True)
class Annotation:
    """One ``::error`` workflow command."""

    file: str
    title: str
    message: str
    line: int | None = None

    def command(self) -> str:
        properties = [f"file={_property(self.file)}"]
        if self.line is not None:
            properties.append(f"line={self.line}")
        properties.append(f"title={_property(self.title)}")
        return f"::error {','.join(properties)}::{_data(self.message)}"


def github_reports(
    run: Mapping[str, Any], submissions: Sequence[SubmissionResult], *, lang: str
) -> dict[str, str]:
    """The job summary, the annotation lines and the ``result=…`` output line."""
    words = table("job", lang)
    lines = [a.command() for a in error_annotations(submissions, lang=lang)]
    return {
        SUMMARY_FILE: job_summary(run, submissions, words=words, lang=lang),
        ANNOTATIONS_FILE: "".join(f"{line}\n" for line in lines),
        OUTPUT_FILE: f"result={encoded_payload(classroom_payload(submissions, lang=lang))}\n",
    }


def classroom_payload(submissions: Sequence[SubmissionResult], *, lang: str) -> dict[str, Any]:
    """The runner result the Classroom reporter decodes: one test per check, scores give partial credit."""
    several = len(submissions) > 1
    tests: list[dict[str, Any]] = []
    status: ClassroomStatus = "pass"
    max_score = 0.0
    for submission in submissions:
        prefix = f"{submission.id}: " if several else ""
        if submission.error is not None or submission.status == "error":
            status = "error"
            message = (
                f"{submission.error.kind}: {message_text(submission.error.message, lang)}"
                if submission.error
                else "error"
            )
            tests.append(_test(f"{prefix}grading", "error", 0.0, message, submission.source, "grading"))
            continue
        for task in submission.tasks:
            for check in task.checks:
                verdict = _classroom_status(check)
                if verdict == "error" or (verdict == "fail" and status == "pass"):
                    status = verdict
                max_score += check.max_score
                tests.append(
                    _test(
                        f"{prefix}{task.id}: {check.id}",
                        verdict,
                        check.score,
                        _message(check, lang=lang),
                        _place(submission, task.location)[0],
                        f"{task.rubric}/{task.id}/{check.id}",
                    )
                )
    return {"version": 1, "status": status, "max_score": round(max_score, 6), "tests": tests}


def encoded_payload(payload: Mapping[str, Any]) -> str:
    """Base64 of the payload's JSON, messages shortened (then dropped) until it fits ``PAYLOAD_LIMIT``."""
    for limit in (MESSAGE_LIMIT, 200, 0):
        tests = [{**test, "message": _shorten(test["message"], limit)} for test in payload["tests"]]
        text = json.dumps({**payload, "tests": tests}, ensure_ascii=False)
        encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
        if len(encoded) <= PAYLOAD_LIMIT:
            break
    return encoded


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "…" if limit > 0 else ""


def error_annotations(submissions: Sequence[SubmissionResult], *, lang: str) -> list[Annotation]:
    """At most ``MAX_ANNOTATIONS`` errors: ungradable submissions, then each function that lost points."""
    words = table("job", lang)
    return capped(
        list(_problems(submissions, lang=lang, several=len(submissions) > 1, words=words)), lang=lang
    )


def capped(found: Sequence[Annotation], *, lang: str) -> list[Annotation]:
    """At most ``MAX_ANNOTATIONS`` annotations (GitHub shows no more): the last one kept says how many
    were left out."""
    if len(found) <= MAX_ANNOTATIONS:
        return list(found)
    kept = found[: MAX_ANNOTATIONS - 1]
    rest = len(found) - len(kept)
    last = found[MAX_ANNOTATIONS - 1]
    more = table("job", lang)["more"].format(count=_words("n.problems", lang, count=rest))
    return [*kept, Annotation(last.file, last.title, more, last.line)]


def not_graded(submission: SubmissionResult, *, lang: str) -> tuple[str, str]:
    """Why a submission was not graded: its error's kind and message in ``lang``."""
    if submission.error is None:
        return "error", ""
    return submission.error.kind, message_text(submission.error.message, lang)


def failing_text(failing: Sequence[CheckResult], *, lang: str) -> str:
    """What an annotation says of a function's failing checks: each check's summary, then the hints
    (each once)."""
    lines = [f"{c.id}: {first_line(render(c.summary, lang))}" for c in failing]
    lines += dict.fromkeys(render(h, lang) for c in failing for h in c.hints)
    return "\n".join(lines)


def job_summary(
    run: Mapping[str, Any], submissions: Sequence[SubmissionResult], *, words: Mapping[str, str], lang: str
) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: a class table (when several) and each submission's functions."""
    version = str(run.get("grader_version", ""))
    head = [f"## {words['title']} · taller-grader {_inline(version)}".rstrip(), ""]
    if len(submissions) > 1:
        head += [
            f"| {words['student']} | {words['status']} | {words['score']} |",
            "| --- | --- | ---: |",
        ]
        for s in submissions:
            state = words["graded"] if s.status == "graded" else words["error"]
            score = _score_text(s) if s.status == "graded" else "—"
            head.append(f"| {_inline(s.id)} | {state} | {score} |")
        head.append("")
    text = "\n".join(head) + "\n"
    for index, submission in enumerate(submissions):
        section = _submission_section(submission, words=words, lang=lang)
        note = words["truncated"].format(count=_words("n.submissions", lang, count=len(submissions) - index))
        if len((text + section + note).encode("utf-8")) > SUMMARY_LIMIT:
            return text + f"\n> {note}\n"
        text += section
    return text


def _submission_section(submission: SubmissionResult, *, words: Mapping[str, str], lang: str) -> str:
    if submission.status != "graded" or not submission.tasks:
        kind, message = (
            (submission.error.kind, message_text(submission.error.message, lang))
            if submission.error
            else ("error", "")
        )
        return (
            f"### {_MARKS['error']} {_inline(submission.id)}\n\n"
            f"**{words['not_graded']}** ({_inline(kind)}):\n\n<pre>{_block(message)}</pre>\n\n"
        )
    lines = [
        f"### {_inline(submission.id)}: {_score_text(submission)}",
        "",
        f"| {words['function']} | {words['score']} | {words['status']} |",
        "| --- | ---: | --- |",
    ]
    for task in submission.tasks:
        kind = _task_kind(task)
        lines.append(
            f"| <code>{_inline(task.id)}</code> | {points(task.score, task.max_score)} "
            f"| {_MARKS[kind]} {words[kind]} |"
        )
    lines.append("")
    for task in submission.tasks:
        failing = [c for c in task.checks if c.status != "pass"]
        if not failing:
            continue
        body = "\n\n".join(
            f"{c.id} ({words[f'check_{c.status}']}, {points(c.score, c.max_score)})\n"
            + "\n".join([render(c.summary, lang), *(render(d, lang) for d in c.details)])
            for c in failing
        )
        hints = list(dict.fromkeys(render(h, lang) for c in failing for h in c.hints))
        lines += [
            "<details>",
            f"<summary>{words['failing']} <code>{_inline(task.id)}</code></summary>",
            "",
            f"<pre>{_block(body)}</pre>",
            "",
        ]
        if hints:
            lines += [f"**{words['diagnoses']}**", "", *(f"- {_inline(h)}" for h in hints), ""]
        lines += ["</details>", ""]
    return "\n".join(lines) + "\n"


def _problems(
    submissions: Sequence[SubmissionResult], *, lang: str, several: bool, words: Mapping[str, str]
) -> Iterator[Annotation]:
    for submission in submissions:
        if submission.status != "graded" or submission.error is not None:
            kind, message = not_graded(submission, lang=lang)
            file, line = _place(submission, None)
            yield Annotation(file, f"{submission.id}: {words['not_graded']} ({kind})", message, line)
    for submission in submissions:
        if submission.status != "graded":
            continue
        prefix = f"{submission.id}: " if several else ""
        for task in submission.tasks:
            failing = [c for c in task.checks if c.status != "pass"]
            if not failing:
                continue
            file, line = _place(submission, task.location)
            title = f"{prefix}{task.id}: {points(task.score, task.max_score)}"
            yield Annotation(file, title, failing_text(failing, lang=lang), line)


def _place(submission: SubmissionResult, location: TaskLocation | None) -> tuple[str, int | None]:
    """The student's file (relative to the repository, as given on the command line) and, for a module,
    the line of a task's location. A cell's line is not a line of the .ipynb file GitHub shows, and
    this report has only the results, not the notebook: ``grader ci`` finds that line in the file."""
    source = submission.source.replace("\\", "/")
    if not isinstance(location, Location):
        return posixpath.normpath(source), None
    # A single file is the submission's source itself; a folder's files are named relative to it.
    file = source if source.endswith((".py", ".ipynb")) else posixpath.join(source, location.file)
    return posixpath.normpath(file), location.line if location.cell is None else None


def _test(
    name: str, status: ClassroomStatus, score: float, message: str, filename: str, code: str
) -> dict[str, Any]:
    return {
        "name": printable(name),
        "status": status,
        "score": score,
        "message": printable(message),
        "test_code": code,
        "filename": printable(filename),
        "line_no": 0,
        "duration": 0,
    }


def _classroom_status(check: CheckResult) -> ClassroomStatus:
    if check.status == "pass":
        return "pass"
    return "error" if check.status in ("error", "timeout") else "fail"


def _message(check: CheckResult, *, lang: str) -> str:
    return check_text(check, lang).strip()


def _task_kind(task: TaskResult) -> str:
    if task.found_as is None:
        return "not_found"
    if task.max_score > 0 and task.score >= task.max_score:
        return "complete"
    return "partial" if task.score > 0 else "zero"


def _score_text(submission: SubmissionResult) -> str:
    share = percentage(submission.score, submission.max_score)
    suffix = f" ({number(share, decimals=0)} %)" if share is not None else ""
    return points(submission.score, submission.max_score) + suffix


def _inline(text: str) -> str:
    """Student text for a Markdown line or table cell: escaped, on one line."""
    escaped = html.escape(printable(text), quote=False).translate(_MARKDOWN_SPECIAL)
    return " ".join(escaped.split())


def _block(text: str) -> str:
    """Student text for a ``<pre>`` block: Markdown is not parsed there, so HTML escaping is enough."""
    return html.escape(printable(text).strip(), quote=False)


def _data(text: str) -> str:
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
