"""What a run leaves on disk: ``results.json``, the files of the chosen report formats, the LMS roster
filled with the grades and its report; and, inside GitHub Actions, the job summary and the step's output
appended to the files Actions names. Rendering is :mod:`grader.report`'s and :mod:`grader.roster`'s:
here the words are only written where they go."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from grader.errors import UsageError
from grader.report import render_reports
from grader.report.github import ANNOTATIONS_FILE, OUTPUT_FILE, SUMMARY_FILE
from grader.report.gradebook import DEFAULT_DIALECT, DialectName
from grader.results import RunInfo, SubmissionResult, read_results, results_document
from grader.roster import fill_roster_file, filled_names, roster_report
from grader.store import write_atomically


def write_reports(
    out_dir: Path,
    run: RunInfo,
    results: Sequence[SubmissionResult],
    *,
    formats: Sequence[str],
    dialect: DialectName = DEFAULT_DIALECT,
) -> str:
    """``results.json`` and the chosen reports of a run just graded; what :func:`write_site` gives back."""
    out_dir.mkdir(parents=True, exist_ok=True)
    write_results(out_dir, run, results)
    return write_site(out_dir, run.to_json(), results, lang=run.lang, formats=formats, dialect=dialect)


def write_results(
    out_dir: Path, run: RunInfo | Mapping[str, Any], results: Sequence[SubmissionResult]
) -> None:
    document = results_document(run, results)
    write_atomically(out_dir / "results.json", json.dumps(document, ensure_ascii=False, indent=1))


def write_site(
    out_dir: Path,
    run: Mapping[str, Any],
    results: Sequence[SubmissionResult],
    *,
    lang: str,
    formats: Sequence[str],
    dialect: DialectName = DEFAULT_DIALECT,
) -> str:
    """Write every file of the chosen report formats; inside GitHub Actions (``GITHUB_ACTIONS=true``),
    publish the ``github`` one. Gives back the workflow commands (annotations) to print on standard
    output, where Actions reads them: empty unless published."""
    reports = render_reports(formats, run, results, lang=lang, dialect=dialect)
    for name, text in reports.items():
        write_atomically(out_dir / name, text)
    if "github" in formats and os.environ.get("GITHUB_ACTIONS") == "true":
        append_to_actions(summary=reports[SUMMARY_FILE], output=reports[OUTPUT_FILE])
        return reports[ANNOTATIONS_FILE]
    return ""


def append_to_actions(*, summary: str, output: str) -> None:
    """The job summary and the step's outputs, appended to the files Actions names
    (``$GITHUB_STEP_SUMMARY``, ``$GITHUB_OUTPUT``): to those it names."""
    for variable, text in (("GITHUB_STEP_SUMMARY", summary), ("GITHUB_OUTPUT", output)):
        target = os.environ.get(variable)
        if target:
            with open(target, "a", encoding="utf-8") as f:
                f.write(text)


def write_roster(
    roster_file: Path,
    results: Sequence[SubmissionResult],
    run: Mapping[str, Any],
    *,
    out_dir: Path,
    lang: str,
    assignment: str | None,
    rubric: str | None = None,
    target: Path | None = None,
) -> list[str]:
    """Fill the LMS's roster file and write it and its report to ``out_dir`` (or ``target``); gives back
    the report's lines, for the terminal too."""
    fill = fill_roster_file(
        read_bytes(roster_file),
        results,
        name=str(roster_file),
        run=run,
        lang=lang,
        rubric=rubric,
        assignment=assignment,
    )
    filled, report_name = filled_names(roster_file.name, run=run)
    target = target or out_dir / filled
    write_bytes(target, fill.data)
    lines = roster_report(fill, lang=lang, file=str(target))
    report_file = target.with_name(report_name if target.name == filled else f"{target.stem}.txt")
    write_atomically(report_file, "\n".join(lines) + "\n")
    return lines


def read_results_file(path: Path) -> tuple[dict[str, Any], tuple[SubmissionResult, ...]]:
    """A ``results.json`` read back; one that cannot be is the user's mistake, said as one."""
    try:
        return read_results(path)
    except (ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path}: not a readable results file ({exc})") from None


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc})") from None


def write_bytes(path: Path, data: bytes) -> None:
    """Write through a temporary file and a rename, making the folder first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    partial.write_bytes(data)
    os.replace(partial, path)
