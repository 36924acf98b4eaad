"""Tests for the registry of report formats and the command line's ``--format`` option."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.location import Location
from grader.messages import SAY
from grader.report import DEFAULT_FORMATS, FORMATS, UnknownFormatError, parse_formats, render_reports
from grader.report.formats import ReportFormat
from grader.results import CheckResult, RunInfo, SubmissionResult, TaskResult, results_document

RUN = RunInfo(grader_version="0.1.0", rubrics=("xor",), hidden_cases=True, lang="en")


def submissions() -> list[SubmissionResult]:
    return [
        SubmissionResult(
            "ana",
            "ana.py",
            "graded",
            tasks=(
                TaskResult(
                    "xor",
                    "feedForward",
                    "feedForward",
                    (
                        CheckResult("shapes", "pass", 1, 1, "public", SAY("summary.pass", total=2)),
                        CheckResult(
                            "values", "fail", 0, 2, "public", SAY("summary.partial", passed=0, total=2)
                        ),
                    ),
                    location=Location("ana.py", None, 7),
                ),
            ),
        )
    ]


@pytest.fixture
def results_file(tmp_path: Path) -> Path:
    path = tmp_path / "run" / "results.json"
    path.parent.mkdir()
    path.write_text(json.dumps(results_document(RUN, submissions())), encoding="utf-8")
    return path


def test_parse_formats() -> None:
    assert parse_formats("html") == ("html",)
    assert parse_formats(" JUnit , csv,junit ") == ("junit", "csv")
    assert parse_formats("all") == tuple(FORMATS)
    assert parse_formats("github,all") == ("github", *(f for f in FORMATS if f != "github"))
    assert set(DEFAULT_FORMATS) <= set(FORMATS)


@pytest.mark.parametrize("spec", ["pdf", "html,xml", "", " , "])
def test_unknown_formats_are_refused_naming_the_known_ones(spec: str) -> None:
    with pytest.raises(UnknownFormatError) as error:
        parse_formats(spec)
    for name in FORMATS:
        assert name in str(error.value)


def test_every_format_renders_and_no_two_write_the_same_file() -> None:
    files = render_reports(tuple(FORMATS), RUN.to_json(), submissions(), lang="en")
    assert {"index.html", "grades.csv", "grades_canvas.csv", "junit.xml", "gradescope/results.json"} <= set(
        files
    )
    assert {"github/summary.md", "github/annotations.txt", "github/output.txt"} <= set(files)
    assert render_reports(("csv",), RUN.to_json(), submissions(), lang="en").keys() == {"grades.csv"}


def test_a_clash_between_formats_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def also_csv(run: object, submissions: object, *, lang: str) -> dict[str, str]:
        return {"grades.csv": ""}

    monkeypatch.setitem(FORMATS, "copy", ReportFormat("copy", "writes grades.csv too", also_csv))
    with pytest.raises(ValueError, match=re.escape("'csv' and 'copy' both write grades.csv")):
        render_reports(("csv", "copy"), RUN.to_json(), submissions(), lang="en")


def test_report_command_writes_the_default_formats(
    runner: CliRunner, results_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        main, ["report", str(results_file), "--out", str(out)], env={"GITHUB_ACTIONS": None}
    )
    assert result.exit_code == 0, result.output
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {"index.html", "grades.csv", "grades_canvas.csv"} <= written
    assert not {"junit.xml", "gradescope/results.json", "github/summary.md"} & written


def test_report_command_writes_only_the_chosen_formats(
    runner: CliRunner, results_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        main,
        ["report", str(results_file), "--out", str(out), "--format", "junit,gradescope"],
        env={"GITHUB_ACTIONS": None},
    )
    assert result.exit_code == 0, result.output
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert written == {"junit.xml", "gradescope/results.json"}


def test_unknown_format_is_a_usage_error(runner: CliRunner, results_file: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        main, ["report", str(results_file), "--out", str(tmp_path), "--format", "html,pdf"]
    )
    assert result.exit_code == 2
    assert "unknown format 'pdf'" in result.output
    assert "html, csv, canvas, junit, gradescope, github" in result.output
    assert not (tmp_path / "index.html").exists()


def test_github_format_publishes_inside_actions(
    runner: CliRunner, results_file: Path, tmp_path: Path
) -> None:
    summary, output = tmp_path / "summary.md", tmp_path / "output.txt"
    summary.write_text("earlier step\n", encoding="utf-8")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output)}
    out = tmp_path / "out"
    result = runner.invoke(
        main, ["report", str(results_file), "--out", str(out), "--format", "github"], env=env
    )
    assert result.exit_code == 0, result.output
    # Appended, never overwritten: other steps write to the same files.
    assert summary.read_text(encoding="utf-8").startswith("earlier step\n## Grading")
    key, value = output.read_text(encoding="utf-8").strip().split("=", 1)
    assert key == "result"
    payload = json.loads(base64.b64decode(value))
    assert (payload["status"], payload["max_score"]) == ("fail", 3)
    assert (
        "::error file=ana.py,line=7,title=feedForward%3A 1 / 3::values: Correct on 0 of 2 cases."
        in result.stdout
    )


def test_github_format_outside_actions_only_writes_files(
    runner: CliRunner, results_file: Path, tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    env = {"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": None}
    out = tmp_path / "out"
    result = runner.invoke(
        main, ["report", str(results_file), "--out", str(out), "--format", "github"], env=env
    )
    assert result.exit_code == 0, result.output
    assert not summary.exists()
    assert "::error" not in result.stdout
    assert (out / "github" / "annotations.txt").read_text(encoding="utf-8").startswith("::error file=ana.py,")
