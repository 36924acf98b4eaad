"""End to end: the real `grader` command on the bundled samples, checked against their manifest."""

from __future__ import annotations

import importlib.metadata
import itertools
import json
import os
import re
import signal
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import tomllib
from click.testing import CliRunner

from grader.cli import main
from grader.messages import Message
from grader.report.text import check_text, message_text
from grader.results import CheckResult, schema_path
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
        message = Message.from_json(result["error"]["message"])
        assert message_text(message, "es") and message_text(message, "en")
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
    assert (out / "grades.csv").read_text(encoding="utf-8-sig").startswith('id,"status",')
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
    assert (
        "Public checks only: the final grade includes hidden cases that were not run here." in result.output
    )


def test_check_speaks_the_rubrics_language_unless_told_otherwise(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", str(SUBMISSIONS / "sofia_martinez.ipynb")])
    assert result.exit_code == 1
    assert "Solo comprobaciones públicas: la nota final incluye casos ocultos" in result.output
    assert "Correcto en " in result.output and "Correct on" not in result.output
    assert "Message(" not in result.output


def test_check_fails_a_wrong_function_and_says_why(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", str(SUBMISSIONS / "sofia_martinez.ipynb"), "--lang", "en"])
    assert result.exit_code == 1
    assert "✗ values" in result.output
    assert "(a2, a1) instead of (a1, a2)" in result.output
    # No hidden case is run (the line saying so names them, but no case of them appears).
    assert re.search(r"hidden case \d", result.output) is None and ":hidden" not in result.output
    # The hint comes right after the summary, before the failing cases.
    lines = result.output.splitlines()
    hint = next(i for i, line in enumerate(lines) if "(a2, a1) instead of (a1, a2)" in line)
    assert lines[hint].strip().startswith("→ ") and lines[hint - 1].strip().startswith("Correct on ")


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
    command = ["grade", str(SUBMISSIONS / "carlos_ruiz.py"), "--out", str(out), "--quiet"]
    graded = runner.invoke(main, command, env={"GRADER_SECRET": SECRET})
    assert graded.exit_code == 0, graded.output
    again = tmp_path / "again"
    rendered = runner.invoke(main, ["report", str(out / "results.json"), "--out", str(again), "--lang", "en"])
    assert rendered.exit_code == 0, rendered.output
    assert "carlos_ruiz" in (again / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_results_carry_the_source_and_the_cost_curve(graded: dict[str, Any]) -> None:
    ana = {t["id"]: t for t in by_id(graded)["ana_gomez"]["tasks"]}
    assert ana["feedForward"]["source"].lstrip().startswith("def feedForward(")
    assert ana["feedForward"]["location"]["file"] == "ana_gomez.ipynb"
    assert ana["feedForward"]["location"]["cell"] >= 1
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
    message = Message.from_json(truncated["message"])
    assert message.key == "source.truncated_notebook.at"
    # Where it stops is kept, in the words of either language.
    assert message_text(message, "es").startswith("El notebook termina de golpe en la línea ")
    assert message_text(message, "en").startswith("The notebook ends abruptly at line ")
    page = next((graded["out"] / "students").glob("ricardo-flores-*.html")).read_text(encoding="utf-8")
    assert "El notebook termina de golpe en la línea " in page


@pytest.mark.slow
def test_the_batch_summary_is_in_the_run_language(graded: dict[str, Any]) -> None:
    stderr = graded["stderr"]
    errors = sum(1 for expected in MANIFEST.values() if expected.get("status") == "error")
    assert f"Calificadas {len(MANIFEST) - errors} de {len(MANIFEST)} entregas en " in stderr
    assert f"{errors} sin calificar." in stderr
    assert "Informes en " in stderr and "Graded " not in stderr
    # Hidden cases were run: nothing to warn about.
    assert "Solo comprobaciones públicas" not in stderr


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
    return [*command, "--rubric", str(CRASH / "crash.toml"), "--jobs", jobs, "--lang", "en"], env


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
    assert "probably out of memory" in message_text(Message.from_json(crashed["error"]["message"]), "en")
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
    assert "Reusing 4 results" in again.stderr
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
    assert "Reusing 1 result " in second.stderr
    _check_crash_results(tmp_path / "out")
    assert not list(store.glob(f"*{STARTED_SUFFIX}"))

    third = _run(command, env)
    assert third.returncode == 0, third.stderr
    assert "Reusing 4 results" in third.stderr and "earlier run (probably" not in third.stderr

    # --fresh grades it again: it kills the grader again.
    fresh = _run([*command, "--fresh"], env)
    assert fresh.returncode == -signal.SIGKILL, fresh.stderr


# --- workshops of the instructor's own: folders, installed packages, rubric errors ----------------------

WORKSHOPS = FILES / "workshops"
SOFTMAX = WORKSHOPS / "softmax"
SOFTMAX_SAMPLES = WORKSHOPS / "softmax_samples"
BY_ROWS_HINT = "You normalise by rows: softmax adds up each column (one instance), with axis=0."


@pytest.mark.slow
def test_a_workshop_folder_grades_from_anywhere_in_grading_processes_of_its_own(
    grader_command: list[str], tmp_path: Path
) -> None:
    # From an unrelated directory, and with --jobs 2: each spawned grading process loads the rubric
    # again by its path.
    options = ["--rubric", str(SOFTMAX / "rubric.toml"), "--out", str(tmp_path / "out"), "--jobs", "2"]
    completed = subprocess.run(
        [*grader_command, "grade", str(SOFTMAX_SAMPLES), *options, "--lang", "en", "--quiet"],
        cwd=tmp_path,
        env={**os.environ, "GRADER_SECRET": SECRET},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    document = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    results = {s["id"]: s for s in document["submissions"]}
    assert results["bien"]["score"] == results["bien"]["max_score"] == 5
    assert any(c["visibility"] == "hidden" for t in results["bien"]["tasks"] for c in t["checks"])
    softmax = next(t for t in results["por_filas"]["tasks"] if t["id"] == "softmax")
    values = next(c for c in softmax["checks"] if c["id"] == "values")
    assert "normalised_by_rows" in values["diagnoses"]
    assert f"→ {BY_ROWS_HINT}" in check_text(CheckResult.from_json(values), "en")


def test_check_shows_the_workshops_own_hint(grader_command: list[str], tmp_path: Path) -> None:
    sample = SOFTMAX_SAMPLES / "por_filas.py"
    completed = subprocess.run(
        [*grader_command, "check", str(sample), "--rubric", str(SOFTMAX), "--lang", "en"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 1, completed.stderr
    assert f"→ {BY_ROWS_HINT}" in completed.stdout
    assert "→ The 1/m is missing" in completed.stdout  # the grader's own hint for a code it knows


def _broken_workshops(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Rubrics that cannot load, and what their error says."""
    missing = tmp_path / "missing"
    missing.mkdir()
    text = (SOFTMAX / "rubric.toml").read_text(encoding="utf-8")
    (missing / "rubric.toml").write_text(text, encoding="utf-8")
    crashing = tmp_path / "crashing"
    crashing.mkdir()
    (crashing / "cli_crashing_ref.py").write_text("import numpy as np\nraise RuntimeError('oops')\n", "utf-8")
    (crashing / "rubric.toml").write_text(
        text.replace('"softmax.py', '"cli_crashing_ref.py').replace('mistakes = "softmax_errores.py"\n', ""),
        encoding="utf-8",
    )
    return {
        "clash": (WORKSHOPS / "choque" / "rubric.toml", "random.py cannot be imported as 'random'"),
        "missing": (missing / "rubric.toml", "rubric.toml:5: reference: softmax.py does not exist"),
        "crashing": (crashing / "rubric.toml", "importing 'cli_crashing_ref' failed (RuntimeError: oops)"),
    }


@pytest.mark.parametrize("command", ["check", "grade"])
@pytest.mark.parametrize("broken", ["clash", "missing", "crashing"])
def test_a_rubric_error_exits_2_with_its_message(
    grader_command: list[str], tmp_path: Path, command: str, broken: str
) -> None:
    rubric, says = _broken_workshops(tmp_path)[broken]
    target = SOFTMAX_SAMPLES / "bien.py" if command == "check" else SOFTMAX_SAMPLES
    extra = ["--out", str(tmp_path / "out")] if command == "grade" else []
    completed = subprocess.run(
        [*grader_command, command, str(target), "--rubric", str(rubric), *extra],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2, completed.stderr
    assert "Traceback" not in completed.stderr
    assert completed.stderr.startswith("error: ") and says in completed.stderr


def test_rubrics_shows_a_rubric_given_by_path(runner: CliRunner) -> None:
    result = runner.invoke(main, ["rubrics", str(SOFTMAX / "rubric.toml"), "xor"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("softmax: Taller softmax  (5 points)\n")
    assert f"  workshop folder: {SOFTMAX}" in result.output
    assert "entropiaCruzada(P, Y)  2 pts" in result.output
    assert "backProp(X, y, w1, w2, b1, b2, a2, a1)  5 pts" in result.output
    broken = runner.invoke(main, ["rubrics", str(WORKSHOPS / "choque")])
    assert broken.exit_code == 2 and "rename the file" in broken.output


def test_rubrics_lists_installed_workshops_beside_the_bundled_ones(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    group = "taller_grader.workshops"
    installed = [importlib.metadata.EntryPoint("softmax", "talleres_instalados:todos", group)]
    monkeypatch.syspath_prepend(str(WORKSHOPS / "instalado"))
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group: installed)
    result = runner.invoke(main, ["rubrics"])
    assert result.exit_code == 0, result.output
    assert "xor: " in result.output and "logistica: " in result.output
    assert "softmax: Taller softmax  (5 points)  [installed]" in result.output
    found = runner.invoke(main, ["check", str(SOFTMAX_SAMPLES / "bien.py"), "--rubric", "softmax"])
    assert found.exit_code == 0, found.output
    assert "softmax: 3/3" in found.output


def test_init_github_says_what_to_do_with_a_workshop_of_ones_own(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        main, ["init", "github", "--dest", str(tmp_path), "--rubric", str(SOFTMAX / "rubric.toml")]
    )
    assert result.exit_code == 2
    assert "is not a bundled rubric" in result.output
    assert "grader export gradescope --rubric" in result.output and "grader grade --rubric" in result.output
    assert not (tmp_path / ".github").exists()


def test_a_generator_that_fails_on_a_hidden_size_stops_the_run_as_a_rubric_error(
    grader_command: list[str], tmp_path: Path
) -> None:
    folder = tmp_path / "ends_only"
    folder.mkdir()
    reference = (SOFTMAX / "softmax.py").read_text(encoding="utf-8")
    reference += (
        "\n\ndef casos_extremos(rng, *, k, m):\n"
        "    if m in (6, 8, 12) or m < 6:\n"
        "        return casos(rng, k=k, m=m)\n"
        "    raise ValueError('only the ends of the range')\n"
    )
    (folder / "cli_ends_ref.py").write_text(reference, encoding="utf-8")
    text = (SOFTMAX / "rubric.toml").read_text(encoding="utf-8").replace('"softmax.py', '"cli_ends_ref.py')
    text = text.replace("cli_ends_ref.py:casos", "cli_ends_ref.py:casos_extremos").replace("m = 7", "m = 8")
    (folder / "rubric.toml").write_text(text.replace('mistakes = "softmax_errores.py"\n', ""), "utf-8")
    completed = subprocess.run(
        [*grader_command, "grade", str(SOFTMAX_SAMPLES), "--rubric", str(folder), "--out", str(tmp_path)],
        env={**os.environ, "GRADER_SECRET": SECRET},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2, completed.stderr
    assert "Traceback" not in completed.stderr
    assert f"error: {folder / 'rubric.toml'}: hidden_cases: the case generator" in completed.stderr
    assert "(ValueError: only the ends of the range)" in completed.stderr
