"""End to end: the real `grader` command on the bundled samples, checked against their manifest."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import tomllib
from click.testing import CliRunner

from grader.cli import main
from grader.results import schema_path
from grader.store import STARTED_SUFFIX, STORE_DIR

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
    assert (out / "grades.csv").read_text(encoding="utf-8").startswith('"id","status",')
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


CRASH = FILES / "crash"
# Sorted by id, the crasher comes second: one neighbour is graded before it, the others after.
CRASH_CLASS = ("lucia_nunez.py", "mateo_vargas.py", "sebastian_moreno.py")


def _crash_batch(tmp_path: Path, grader_command: list[str], jobs: str) -> tuple[list[str], dict[str, str]]:
    """A class whose submission m_crash kills the process grading it (see tests/files/crash)."""
    folder = tmp_path / "class"
    folder.mkdir()
    for name in CRASH_CLASS:
        (folder / name).write_bytes((SUBMISSIONS / name).read_bytes())
    (folder / "m_crash.py").write_bytes((CRASH / "crasher.py").read_bytes())
    paths = [str(CRASH), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "GRADER_SECRET": SECRET, "PYTHONPATH": os.pathsep.join(paths)}
    command = [*grader_command, "grade", str(folder), "--out", str(tmp_path / "out")]
    return [*command, "--rubric", str(CRASH / "crash.toml"), "--jobs", jobs], env


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)


def _check_crash_results(out: Path) -> None:
    document = json.loads((out / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, json.loads(schema_path().read_text(encoding="utf-8")))
    results = {s["id"]: s for s in document["submissions"]}
    assert list(results) == ["lucia_nunez", "m_crash", "mateo_vargas", "sebastian_moreno"]
    crashed = results.pop("m_crash")
    assert crashed["status"] == "error"
    assert crashed["error"]["kind"] == "grading_crashed"
    assert "probably out of memory" in crashed["error"]["message"]
    for result in results.values():
        assert result["status"] == "graded", result["error"]
        assert result["score"] == result["max_score"] > 0, result["id"]
    page = next((out / "students").glob("m-crash-*.html")).read_text(encoding="utf-8")
    assert "grading_crashed" in page
    assert len(list((out / "students").glob("*.html"))) == 4


@pytest.mark.slow
def test_a_grading_process_that_dies_costs_only_the_submission_it_was_grading(
    grader_command: list[str], tmp_path: Path
) -> None:
    command, env = _crash_batch(tmp_path, grader_command, jobs="2")
    first = _run(command, env)
    assert first.returncode == 0, first.stderr
    assert "m_crash: the grader's process ended while grading it, alone too" in first.stderr
    _check_crash_results(tmp_path / "out")

    # The crash is a result like any other: the same command reuses it instead of dying again.
    again = _run(command, env)
    assert again.returncode == 0, again.stderr
    assert "Reusing 4 result(s)" in again.stderr
    assert "A grading process ended" not in again.stderr
    _check_crash_results(tmp_path / "out")


@pytest.mark.slow
def test_grading_that_ends_the_grader_itself_is_recorded_by_the_next_run(
    grader_command: list[str], tmp_path: Path
) -> None:
    # With --jobs 1 the grader's own process grades, and dies with the submission that kills it.
    command, env = _crash_batch(tmp_path, grader_command, jobs="1")
    store = tmp_path / "out" / STORE_DIR
    first = _run(command, env)
    assert first.returncode == -signal.SIGKILL, first.stderr
    assert not (tmp_path / "out" / "results.json").exists()
    assert len(list(store.glob("*.json"))) == 1  # lucia_nunez, graded before it
    assert len(list(store.glob(f"*{STARTED_SUFFIX}"))) == 1

    second = _run(command, env)
    assert second.returncode == 0, second.stderr
    assert "m_crash: the grader's process ended while grading it in an earlier run" in second.stderr
    assert "Reusing 1 result(s)" in second.stderr
    _check_crash_results(tmp_path / "out")
    assert not list(store.glob(f"*{STARTED_SUFFIX}"))

    third = _run(command, env)
    assert third.returncode == 0, third.stderr
    assert "Reusing 4 result(s)" in third.stderr and "earlier run (probably" not in third.stderr

    # --fresh grades it again: it kills the grader again.
    fresh = _run([*command, "--fresh"], env)
    assert fresh.returncode == -signal.SIGKILL, fresh.stderr
