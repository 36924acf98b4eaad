"""End to end: the real `grader` command on the bundled samples, checked against their manifest."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import tomllib
from click.testing import CliRunner

from grader.cli import main
from grader.results import schema_path

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = ROOT / "submissions"
FILES = ROOT / "tests" / "files"
SECRET = "end-to-end-secret-7f3a"
MANIFEST = tomllib.loads((FILES / "submissions_manifest.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def graded(grader_command: list[str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("reports")
    env = {**os.environ, "GRADER_SECRET": SECRET}
    completed = subprocess.run(
        [*grader_command, "grade", str(SUBMISSIONS), "--out", str(out), "--jobs", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return {
        "out": out,
        "stderr": completed.stderr,
        "results": json.loads((out / "results.json").read_text(encoding="utf-8")),
    }


def by_id(graded: dict[str, Any]) -> dict[str, Any]:
    return {s["id"]: s for s in graded["results"]["submissions"]}


@pytest.mark.slow
def test_results_follow_the_shipped_schema(graded: dict[str, Any]) -> None:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    jsonschema.validate(graded["results"], schema)
    assert graded["results"]["run"]["hidden_cases"] is True


@pytest.mark.slow
def test_every_sample_is_in_the_results(graded: dict[str, Any]) -> None:
    assert set(by_id(graded)) == set(MANIFEST)


@pytest.mark.slow
@pytest.mark.parametrize("submission_id", sorted(MANIFEST))
def test_sample_verdicts_match_the_manifest(graded: dict[str, Any], submission_id: str) -> None:
    expected = MANIFEST[submission_id]
    result = by_id(graded)[submission_id]
    if expected.get("status") == "error":
        assert result["status"] == "error"
        assert result["error"]["kind"] == expected["error_kind"]
        assert result["error"]["message"]
        return
    assert result["status"] == "graded", result["error"]
    tasks = {t["id"]: t for t in result["tasks"]}
    assert {t["rubric"] for t in result["tasks"]} == set(expected["rubrics"])
    for function, verdict in expected["expect"].items():
        task = tasks[function]
        score, top = task["score"], task["max_score"]
        assert top > 0
        if verdict == "full":
            assert score == top, (function, task["checks"])
        elif verdict == "zero":
            assert score == 0, (function, task["checks"])
        elif verdict == "partial":
            assert 0 < score < top, (function, task["checks"])
        elif verdict == "not_full":
            assert score < top, (function, task["checks"])
        elif verdict == "missing":
            assert task["found_as"] is None and score == 0
            assert all(c["status"] == "skipped" for c in task["checks"])
        else:
            pytest.fail(f"unknown verdict {verdict!r} in the manifest")
    for function, codes in expected.get("diagnoses", {}).items():
        found = {code for check in tasks[function]["checks"] for code in check["diagnoses"]}
        assert set(codes) <= found, (function, found)
    for function, name in expected.get("found_as", {}).items():
        assert tasks[function]["found_as"] == name


@pytest.mark.slow
def test_correct_samples_get_no_mistake_diagnosis(graded: dict[str, Any]) -> None:
    not_mistakes = {"rows_as_instances", "syntax_error", "missing_function"}
    for submission_id, expected in MANIFEST.items():
        result = by_id(graded)[submission_id]
        for task in result["tasks"]:
            if expected.get("expect", {}).get(task["id"]) == "full":
                codes = {c for check in task["checks"] for c in check["diagnoses"]} - not_mistakes
                assert not codes, (submission_id, task["id"], codes)


@pytest.mark.slow
def test_reports_are_written_and_never_contain_the_secret(graded: dict[str, Any]) -> None:
    out: Path = graded["out"]
    assert (out / "index.html").is_file()
    assert (out / "grades.csv").read_text(encoding="utf-8").startswith("id,status,")
    pages = list((out / "students").glob("*.html"))
    assert len(pages) == len(MANIFEST)
    for path in out.rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(encoding="utf-8", errors="replace"), path
    assert SECRET not in graded["stderr"]


@pytest.mark.slow
def test_same_secret_gives_identical_results(runner: CliRunner, tmp_path: Path) -> None:
    picks = [SUBMISSIONS / "luis_perez.py", SUBMISSIONS / "paula_rojas.ipynb"]
    documents = []
    for attempt in range(2):
        out = tmp_path / f"run{attempt}"
        result = runner.invoke(
            main, ["grade", *map(str, picks), "--out", str(out), "--quiet"], env={"GRADER_SECRET": SECRET}
        )
        assert result.exit_code == 0, result.output
        document = json.loads((out / "results.json").read_text(encoding="utf-8"))
        for submission in document["submissions"]:
            submission.pop("duration_s")
        documents.append(document)
    assert documents[0] == documents[1]


def test_check_passes_a_correct_notebook(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", str(SUBMISSIONS / "ana_gomez.ipynb"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "feedForward: 3/3" in result.output
    assert "✗" not in result.output


def test_check_fails_a_wrong_function_and_says_why(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", str(SUBMISSIONS / "sofia_martinez.ipynb"), "--lang", "en"])
    assert result.exit_code == 1
    assert "✗ values" in result.output
    assert "(a2, a1) instead of (a1, a2)" in result.output
    assert "hidden case" not in result.output


def test_rubrics_lists_functions_signatures_and_points(runner: CliRunner) -> None:
    result = runner.invoke(main, ["rubrics"])
    assert result.exit_code == 0
    assert "backProp(X, y, w1, w2, b1, b2, a2, a1)  5 pts" in result.output
    assert "descensoGradiente(X, y, theta, alpha, iteraciones)" in result.output


def test_unknown_rubric_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["grade", str(SUBMISSIONS), "--rubric", "quimica", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "unknown rubric 'quimica'" in result.output


def test_report_rerenders_from_results(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "first"
    graded = runner.invoke(main, ["grade", str(SUBMISSIONS / "carlos_ruiz.py"), "--out", str(out), "--quiet"])
    assert graded.exit_code == 0, graded.output
    again = tmp_path / "again"
    rendered = runner.invoke(main, ["report", str(out / "results.json"), "--out", str(again), "--lang", "en"])
    assert rendered.exit_code == 0, rendered.output
    assert "carlos_ruiz" in (again / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_results_carry_the_source_and_the_cost_curve(graded: dict[str, Any]) -> None:
    ana = {t["id"]: t for t in by_id(graded)["ana_gomez"]["tasks"]}
    assert ana["feedForward"]["source"].lstrip().startswith("def feedForward(")
    assert "ana_gomez.ipynb, " in ana["feedForward"]["location"]
    curve = ana["entrenarRed"]["curve"]
    assert len(curve["student"]) == len(curve["reference"]) >= 3
    assert curve["student"] == pytest.approx(curve["reference"])
    assert all(b <= a for a, b in itertools.pairwise(curve["student"]))
    out: Path = graded["out"]
    page = next(p for p in (out / "students").glob("ana-gomez-*.html"))
    html = page.read_text(encoding="utf-8")
    assert "<polyline" in html and "def feedForward(" in html


@pytest.mark.slow
def test_unreadable_files_are_explained_in_the_run_language(graded: dict[str, Any]) -> None:
    truncated = by_id(graded)["ricardo_flores"]["error"]
    assert truncated["kind"] == "truncated_notebook"
    assert truncated["message"].startswith("El notebook está cortado")
    assert "line" in truncated["message"]  # the technical detail (where it stops) is kept
