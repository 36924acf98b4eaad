"""What the command line prints about results: one submission checked, and a batch's closing summary.

Words come from the catalogue in the run's language; colour and symbols are a :class:`Style` decided at
the edge (a terminal that wants them, ``NO_COLOR``, CI logs) and passed in, so that this module only
turns results into text.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from grader.messages import words
from grader.report.text import check_lines, message_text, number, shorten
from grader.results import SubmissionResult

# How wide an error line of the batch summary may be before it is shortened (at a word boundary).
ERROR_LINE_LIMIT = 160
# How many submissions that could not be graded the summary names.
ERRORS_NAMED = 5

_MARKS: Mapping[str, str] = {"pass": "✓", "fail": "✗", "error": "!", "timeout": "⏱", "skipped": "-"}
# ANSI SGR codes by what they mark: verdicts, points, hints, headings.
_COLOURS: Mapping[str, str] = {
    "pass": "32",
    "fail": "31",
    "error": "31",
    "timeout": "33",
    "skipped": "2",
    "hint": "36",
    "dim": "2",
    "bold": "1",
}


@dataclass(frozen=True)
class Style:
    """Whether to colour the text: on for a terminal, off for files, pipes, CI logs and ``NO_COLOR``."""

    colour: bool = False

    def paint(self, text: str, kind: str) -> str:
        code = _COLOURS.get(kind)
        return f"\x1b[{code}m{text}\x1b[0m" if self.colour and code else text


PLAIN = Style()


def terminal_style(stream_is_tty: bool, environ: Mapping[str, str] = os.environ) -> Style:
    """The style for an output stream: colour on a terminal unless ``NO_COLOR`` is set (any value, as
    https://no-color.org asks) or it is a CI log; ``FORCE_COLOR`` turns it on anywhere."""
    if environ.get("NO_COLOR"):
        return PLAIN
    if environ.get("FORCE_COLOR"):
        return Style(colour=True)
    if not stream_is_tty or environ.get("CI") or environ.get("TERM") == "dumb":
        return PLAIN
    return Style(colour=True)


def submission_text(
    result: SubmissionResult, *, lang: str, style: Style = PLAIN, public_only: bool = False
) -> str:
    """One submission as ``grader check`` prints it: each function, each check with its verdict, and
    for a check that did not pass, its summary, hints and failing cases; the notes after the results."""
    head = (
        f"{result.id}: {number(result.score)}/{number(result.max_score)}"
        if result.status == "graded"
        else f"{result.id}: {words('term.not_graded', lang)}"
    )
    lines = [style.paint(head, "bold")]
    if public_only:
        lines.append(style.paint(words("term.public_only", lang), "timeout"))
    if result.error:
        lines.append(f"  {result.error.kind}: {message_text(result.error.message, lang)}")
    for task in result.tasks:
        found = (
            " " + words("term.found_as", lang, name=task.found_as)
            if task.found_as and task.found_as != task.id
            else ""
        )
        lines.append("")
        lines.append(style.paint(f"{task.id}{found}: {number(task.score)}/{number(task.max_score)}", "bold"))
        for c in task.checks:
            mark = style.paint(_MARKS[c.status], c.status)
            lines.append(f"  {mark} {c.id}  {number(c.score)}/{number(c.max_score)}")
            if c.status == "pass":
                continue
            for line in check_lines(c, lang):
                lines.append("      " + (style.paint(line, "hint") if line.startswith("→") else line))
        for note in task.notes:
            lines.append("  " + style.paint(words("term.note", lang, text=message_text(note, lang)), "dim"))
    if result.notes:
        lines.append("")
        for note in result.notes:
            lines.append(style.paint(words("term.note", lang, text=message_text(note, lang)), "dim"))
    return "\n".join(lines)


def batch_summary(
    results: Sequence[SubmissionResult],
    *,
    seconds: float,
    out_dir: str,
    lang: str,
    style: Style = PLAIN,
    public_only: bool = False,
) -> str:
    """The one-screen summary at the end of a batch: how many were graded, the score per workshop and
    per function, the most frequent diagnoses, what could not be graded and where the reports are."""
    graded = [r for r in results if r.status == "graded"]
    errors = [r for r in results if r.status == "error"]
    rate = len(results) / max(seconds, 1e-9)
    lines = [
        words(
            "term.graded",
            lang,
            graded=len(graded),
            total=words("n.submissions", lang, count=len(results)),
            seconds=round(seconds, 1),
            rate=round(rate, 1),
            errors=len(errors),
        )
    ]
    if public_only:
        lines.append(style.paint(words("term.public_only", lang), "timeout"))
    if graded:
        by_task: dict[tuple[str, str], list[float]] = {}
        for r in graded:
            for t in r.tasks:
                if t.max_score:
                    by_task.setdefault((t.rubric, t.id), []).append(t.score / t.max_score)
        width = max((len(f"{rubric}.{task}") for rubric, task in by_task), default=0) + 2
        for (rubric, task), scores in sorted(by_task.items()):
            full = sum(s >= 1 for s in scores)
            mean_task = 100 * sum(scores) / len(scores)
            stats = words("term.task_line", lang, full=full, count=len(scores), mean=round(mean_task, 1))
            lines.append(f"  {f'{rubric}.{task}':<{width}}{stats}")
        counts: dict[str, int] = {}
        for r in graded:
            for code in {c for t in r.tasks for check in t.checks for c in check.diagnoses}:
                counts[code] = counts.get(code, 0) + 1
        if counts:
            top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:6]
            lines.append(words("term.diagnoses", lang, codes=", ".join(f"{code} ({n})" for code, n in top)))
    for r in errors[:ERRORS_NAMED]:
        kind, message = (r.error.kind, message_text(r.error.message, lang)) if r.error else ("error", "")
        line = shorten(" ".join(f"{r.id}: {kind}: {message}".split()), ERROR_LINE_LIMIT)
        lines.append("  " + style.paint("!", "error") + " " + line)
    if len(errors) > ERRORS_NAMED:
        lines.append("  " + words("term.more_errors", lang, count=len(errors) - ERRORS_NAMED))
    lines.append(words("term.reports", lang, folder=out_dir))
    return "\n".join(lines)
