"""GitHub Classroom: the workflow `grader init github` writes, and `grader ci` in a simulated Actions step."""

from __future__ import annotations

import base64
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from grader import __version__
from grader.cli import main
from grader.integrations.github import RESULTS_ENV, STEP_ID, WORKFLOW_FILE, actions_report
from grader.integrations.template import fill_template
from grader.integrations.wheel import build_wheel
from grader.location import Location
from grader.messages import SAY, Message, verbatim, words
from grader.results import CheckResult, SubmissionError, SubmissionResult, TaskResult
from grader.submission import Submission

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = ROOT / "submissions"
REPORTER = "classroom-resources/autograding-grading-reporter@v1"
SECRET = "classroom-ci-secret-31b9"
# Linux refuses to start a program with one environment string over 128 KiB (MAX_ARG_STRLEN), and the
# reporter receives the payload in its environment.
ENV_STRING_LIMIT = 128 * 1024


def write_workflow(runner: CliRunner, dest: Path, *args: str) -> dict[str, Any]:
    result = runner.invoke(main, ["init", "github", "--dest", str(dest), *args])
    assert result.exit_code == 0, result.output
    workflow = yaml.safe_load((dest / WORKFLOW_FILE).read_text(encoding="utf-8"))
    assert isinstance(workflow, dict)
    return workflow


def only_job(workflow: dict[str, Any]) -> dict[str, Any]:
    # The reporter finds the check run to update only under this job id, in a workflow of one job.
    assert list(workflow["jobs"]) == ["run-autograding-tests"]
    job = workflow["jobs"]["run-autograding-tests"]
    assert isinstance(job, dict)
    return job


def step_with_id(job: dict[str, Any], step_id: str) -> dict[str, Any]:
    (step,) = [s for s in job["steps"] if s.get("id") == step_id]
    return dict(step)


def reporter_step(job: dict[str, Any]) -> dict[str, Any]:
    (step,) = [s for s in job["steps"] if s.get("uses") == REPORTER]
    return dict(step)


def evaluate(text: str, context: dict[str, dict[str, str]]) -> str:
    """The ``${{ a.b }}`` and ``${{ steps.x.outputs.y }}`` expressions Actions would substitute."""

    def value(match: re.Match[str]) -> str:
        path = match.group(1).split(".")
        if path[0] == "steps":
            return context["steps"].get(f"{path[1]}.{path[3]}", "")
        return context[path[0]].get(path[1], "")

    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", value, text)


def reporter_results(workflow: dict[str, Any], outputs: dict[str, str]) -> list[dict[str, Any]]:
    """What the reporter decodes: each runner's ``<ID>_RESULTS`` variable, base64 JSON (its main.js)."""
    step = reporter_step(only_job(workflow))
    env = {
        name: evaluate(str(value), {"steps": {f"{STEP_ID}.{k}": v for k, v in outputs.items()}})
        for name, value in step["env"].items()
    }
    decoded = []
    for runner in str(step["with"]["runners"]).split(","):
        encoded = env[f"{runner.strip().upper()}_RESULTS"]
        assert len(f"{runner.strip().upper()}_RESULTS={encoded}".encode()) < ENV_STRING_LIMIT
        decoded.append(json.loads(base64.b64decode(encoded, validate=True).decode("utf-8")))
    return decoded


def output_file_values(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, _, value = line.partition("=")
        values[name] = value
    return values


# --- the workflow file --------------------------------------------------------------------------------


def test_workflow_runs_the_grader_as_its_own_step_and_feeds_the_reporter(tmp_path: Path) -> None:
    workflow = write_workflow(CliRunner(), tmp_path, "--rubric", "xor")
    assert workflow["name"] == "Autograding Tests"
    assert "push" in workflow["on"]
    assert workflow["permissions"]["checks"] == "write"
    job = only_job(workflow)
    names = [s.get("uses", s.get("id", "")) for s in job["steps"]]
    assert names[0].startswith("actions/checkout@")

    grade = step_with_id(job, STEP_ID)
    assert "uses" not in grade, "the command-grader action strips the environment: the grader needs run:"
    assert shlex.split(grade["run"]) == ["grader", "ci", "--rubric", "xor", "."]
    assert grade["env"] == {"GRADER_SECRET": "${{ secrets.GRADER_SECRET }}"}

    reporter = reporter_step(job)
    assert job["steps"].index(reporter) > job["steps"].index(grade)
    runners = [r.strip() for r in str(reporter["with"]["runners"]).split(",")]
    assert runners == [STEP_ID]
    # main.js reads process.env[`${runner.trim().toUpperCase()}_RESULTS`] for each runner.
    assert reporter["env"] == {f"{STEP_ID.upper()}_RESULTS": f"${{{{ steps.{STEP_ID}.outputs.result }}}}"}
    assert RESULTS_ENV in reporter["env"]

    # By default the workflow installs the grader's own wheel, written beside it into the repository.
    (install,) = [s for s in job["steps"] if "pip install" in s.get("run", "")]
    wheel = f".github/grader/taller_grader-{__version__}-py3-none-any.whl"
    assert shlex.split(install["run"])[-1] == f"./{wheel}"
    assert zipfile.is_zipfile(tmp_path / wheel)


def test_workflow_installs_the_requirement_the_instructor_names(tmp_path: Path) -> None:
    # A spec pip resolves without a network: a wheel file (the check runs pip download on it).
    requirement = str(tmp_path / f"taller_grader-{__version__}-py3-none-any.whl")
    Path(requirement).write_bytes(build_wheel())
    workflow = write_workflow(CliRunner(), tmp_path / "repo", "--package", requirement)
    job = only_job(workflow)
    (install,) = [s for s in job["steps"] if "pip install" in s.get("run", "")]
    assert shlex.split(install["run"])[-1] == requirement
    assert shlex.split(step_with_id(job, STEP_ID)["run"]) == ["grader", "ci", "."]


def test_init_does_not_overwrite_an_existing_workflow(tmp_path: Path) -> None:
    runner = CliRunner()
    write_workflow(runner, tmp_path)
    path = tmp_path / WORKFLOW_FILE
    path.write_text("# the instructor's own changes\n", encoding="utf-8")
    refused = runner.invoke(main, ["init", "github", "--dest", str(tmp_path)])
    assert refused.exit_code == 2
    assert "--force" in refused.output
    assert path.read_text(encoding="utf-8") == "# the instructor's own changes\n"
    forced = runner.invoke(main, ["init", "github", "--dest", str(tmp_path), "--force"])
    assert forced.exit_code == 0, forced.output
    assert "autograding-grading-reporter" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("rubric", ["nonexistent", "rubrics/xor.toml"])
def test_init_accepts_only_bundled_rubrics(tmp_path: Path, rubric: str) -> None:
    result = CliRunner().invoke(main, ["init", "github", "--dest", str(tmp_path), "--rubric", rubric])
    assert result.exit_code == 2
    assert "bundled" in result.output
    assert not (tmp_path / WORKFLOW_FILE).exists()


def test_init_refuses_a_requirement_that_would_break_the_script(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["init", "github", "--dest", str(tmp_path), "--package", "taller-grader\nrm -rf ~"]
    )
    assert result.exit_code == 2
    assert not (tmp_path / WORKFLOW_FILE).exists()


def test_templates_refuse_missing_or_unknown_values() -> None:
    with pytest.raises(ValueError, match="STEP_ID"):
        fill_template("classroom.yml", {"VERSION": __version__})


# --- annotations and payload, from results -------------------------------------------------------------


def failing_task(
    name: str, summary: Message | str | None = None, location: Location | None = None
) -> TaskResult:
    """A task whose one check failed; a summary given as text is words an older results file holds."""
    said = SAY("summary.partial", passed=0, total=1) if summary is None else summary
    check = CheckResult(
        "values",
        "fail",
        0.0,
        1.0,
        "public",
        verbatim(said) if isinstance(said, str) else said,
        hints=(SAY("diag.missing_mean"),),
        diagnoses=("missing_mean",),
    )
    return TaskResult("xor", name, name, (check,), location=location)


def test_annotations_point_at_definitions_and_stop_at_ten(tmp_path: Path) -> None:
    names = [f"f{i}" for i in range(12)]
    module = tmp_path / "taller.py"
    module.write_text("".join(f"def {n}(x):\n    return x\n\n" for n in names), encoding="utf-8")
    submission = Submission("repo", str(tmp_path), tmp_path, (module,))
    result = SubmissionResult("repo", str(tmp_path), "graded", tuple(failing_task(n) for n in names))
    report = actions_report(
        result, submission, run={"hidden_cases": True}, workspace=tmp_path, max_score=12, lang="en"
    )
    assert len(report.annotations) == 10
    for index, line in enumerate(report.annotations):
        assert line.startswith(f"::error file=taller.py,line={3 * index + 1},title=f{index}%3A 0 / 1::")
    assert "3 problems" in report.annotations[-1], "the tenth line stands for the last three"
    first = report.annotations[0].split("::", 2)[2]
    assert first == "values: Correct on 0 of 1 case.%0A" + words("diag.missing_mean", "en")
    assert "No `GRADER_SECRET`" not in report.summary


def test_annotation_messages_are_escaped_for_workflow_commands(tmp_path: Path) -> None:
    module = tmp_path / "taller.py"
    module.write_text("def feedForward(X):\n    return X\n", encoding="utf-8")
    submission = Submission("repo", str(tmp_path), tmp_path, (module,))
    task = failing_task("feedForward", "100% wrong\r::warning::forged")
    result = SubmissionResult("repo", str(tmp_path), "graded", (task,))
    report = actions_report(
        result, submission, run={"hidden_cases": False}, workspace=tmp_path, max_score=1, lang="es"
    )
    (line,) = report.annotations
    assert "\n" not in line and "\r" not in line
    assert "100%25 wrong%0D::warning::forged" in line
    assert "GRADER_SECRET" in report.summary


def test_paths_are_relative_to_the_repository_not_the_grading_machine(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    module, other = repo / "src" / "taller.py", repo / "notas.py"
    module.write_text("import numpy as np\n\ndef backProp(X, y):\n    return X\n", encoding="utf-8")
    other.write_text("x = 1\n", encoding="utf-8")
    missing = CheckResult(
        "values", "skipped", 0.0, 2.0, "public", SAY("task.missing", name="costoGlobal", aliases="costo")
    )
    syntax = CheckResult(
        "values",
        "skipped",
        0.0,
        2.0,
        "public",
        SAY(
            "task.missing_syntax",
            name="entrenarRed",
            where=Location("notas.py", None, 1),
            error="SyntaxError",
        ),
    )
    tasks = (
        failing_task("backProp"),
        TaskResult("xor", "costoGlobal", None, (missing,)),
        # A function a syntax error keeps from loading is placed at that error, by its location (the
        # message naming another place is not read).
        TaskResult("xor", "entrenarRed", None, (syntax,), location=Location("src/taller.py", None, 9)),
    )
    submission = Submission("repo", str(repo), repo, (other, module))
    result = SubmissionResult("repo", str(repo), "graded", tasks)
    report = actions_report(
        result, submission, run={"hidden_cases": True}, workspace=repo, max_score=5, lang="es"
    )
    places = [(t["filename"], t["line_no"]) for t in report.payload["tests"]]
    assert places == [("src/taller.py", 3), (".", 0), ("src/taller.py", 9)]
    assert [line.split(",title=")[0] for line in report.annotations] == [
        "::error file=src/taller.py,line=3",
        "::error file=.",
        "::error file=src/taller.py,line=9",
    ]


def test_a_notebook_annotation_lands_on_the_line_of_its_json_that_holds_the_cell_line(tmp_path: Path) -> None:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Taller\n", "def costoGlobal(y): texto\n"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": ["x = 1\n"]},
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": [
                "import numpy as np\n",
                "\n",
                "@np.vectorize\n",
                "def costoGlobal(y_est, y):\n",
                "    pass",
            ],
        },
    ]
    notebook = tmp_path / "taller.ipynb"
    notebook.write_text(
        json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}, indent=1)
    )
    submission = Submission("repo", str(tmp_path), tmp_path, (notebook,))
    task = failing_task("costoGlobal", location=Location("taller.ipynb", 3, 4))
    result = SubmissionResult("repo", str(tmp_path), "graded", (task,))
    report = actions_report(
        result, submission, run={"hidden_cases": True}, workspace=tmp_path, max_score=1, lang="es"
    )
    lines = notebook.read_text(encoding="utf-8").splitlines()
    match = re.match(r"::error file=taller\.ipynb,line=(\d+),", report.annotations[0])
    assert match, report.annotations[0]
    assert lines[int(match.group(1)) - 1].strip() == '"def costoGlobal(y_est, y):\\n",'
    assert [(t["filename"], t["line_no"]) for t in report.payload["tests"]] == [
        ("taller.ipynb", int(match.group(1)))
    ]


def test_a_task_without_a_structured_location_points_at_its_definition(tmp_path: Path) -> None:
    module = tmp_path / "taller.py"
    module.write_text("import numpy as np\n\n\ndef backProp(X, y):\n    return X\n", encoding="utf-8")
    submission = Submission("repo", str(tmp_path), tmp_path, (module,))
    # As an older results file has it: words, which are never read back into a place.
    task = TaskResult(
        "xor", "backProp", "backProp", failing_task("backProp").checks, location="taller.py, línea 40"
    )
    result = SubmissionResult("repo", str(tmp_path), "graded", (task,))
    report = actions_report(
        result, submission, run={"hidden_cases": True}, workspace=tmp_path, max_score=1, lang="en"
    )
    assert report.annotations[0].startswith("::error file=taller.py,line=4,")


def test_ungradable_submission_reports_zero_out_of_the_rubric(tmp_path: Path) -> None:
    notebook = tmp_path / "taller.ipynb"
    notebook.write_text('{"cells": [', encoding="utf-8")
    submission = Submission("repo", str(tmp_path), tmp_path, (notebook,))
    result = SubmissionResult(
        "repo",
        str(tmp_path),
        "error",
        error=SubmissionError("truncated_notebook", SAY("source.truncated_notebook")),
    )
    report = actions_report(
        result, submission, run={"hidden_cases": True}, workspace=tmp_path, max_score=15, lang="es"
    )
    assert report.payload["status"] == "error"
    # Zero out of zero would not reach Classroom at all (the reporter skips a max_score of 0).
    assert report.payload["max_score"] == 15
    assert sum(t["score"] for t in report.payload["tests"]) == 0
    (line,) = report.annotations
    assert line.startswith("::error file=taller.ipynb,title=")
    assert line.endswith("::El notebook está cortado: se guardó o se subió incompleto.")
    assert [t["filename"] for t in report.payload["tests"]] == ["taller.ipynb"]
    decoded = json.loads(base64.b64decode(report.output.removeprefix("result=").strip()))
    assert decoded == json.loads(json.dumps(report.payload))


# --- `grader ci` in a simulated Actions step -----------------------------------------------------------


def run_grade_step(
    workflow: dict[str, Any], repo: Path, tmp_path: Path, *, secrets: dict[str, str]
) -> tuple[subprocess.CompletedProcess[str], Path, Path]:
    """Run the workflow's grading step as the runner would: its script, its env, Actions' files."""
    step = step_with_id(only_job(workflow), STEP_ID)
    output, summary = tmp_path / "github_output", tmp_path / "step_summary"
    output.write_text("", encoding="utf-8")
    summary.write_text("", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GRADER_"))}
    env.update(
        {name: evaluate(str(value), {"secrets": secrets}) for name, value in step.get("env", {}).items()}
    )
    env.update(
        {
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(repo),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
        }
    )
    completed = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    return completed, output, summary


def make_repo(tmp_path: Path, sample: str, name: str) -> tuple[Path, dict[str, Any]]:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(SUBMISSIONS / sample, repo / name)
    (repo / "README.md").write_text("# Taller XOR\n", encoding="utf-8")
    (repo / ".ipynb_checkpoints").mkdir()
    (repo / ".ipynb_checkpoints" / "old-checkpoint.ipynb").write_text("not json", encoding="utf-8")
    workflow = write_workflow(CliRunner(), repo, "--rubric", "xor")
    return repo, workflow


def assert_reporter_fields(results: dict[str, Any]) -> None:
    assert results["version"] == 1
    assert results["status"] in ("pass", "fail", "error")
    assert isinstance(results["max_score"], (int, float)) and results["max_score"] > 0
    assert results["tests"]
    for test in results["tests"]:
        assert set(test) >= {
            "name",
            "status",
            "score",
            "message",
            "test_code",
            "filename",
            "line_no",
            "duration",
        }
        assert isinstance(test["name"], str) and test["name"]
        assert test["status"] in ("pass", "fail", "error")
        assert isinstance(test["score"], (int, float)) and test["score"] >= 0
        assert isinstance(test["message"], str)
        assert isinstance(test["line_no"], int)
        assert isinstance(test["duration"], (int, float))


@pytest.mark.slow
def test_grading_step_hands_partial_credit_to_the_reporter(tmp_path: Path) -> None:
    repo, workflow = make_repo(tmp_path, "isabel_jimenez.ipynb", "taller_xor.ipynb")
    completed, output, summary = run_grade_step(workflow, repo, tmp_path, secrets={"GRADER_SECRET": SECRET})
    assert completed.returncode == 0, completed.stderr

    (results,) = reporter_results(workflow, output_file_values(output))
    assert_reporter_fields(results)
    # Classroom records the sum of the tests' scores over max_score: partial credit, not all or nothing.
    total = sum(t["score"] for t in results["tests"])
    assert results["status"] == "fail"
    assert results["max_score"] == 15
    assert 0 < total < results["max_score"]
    assert any(t["status"] == "pass" for t in results["tests"])
    assert any(t["name"].endswith(":hidden") for t in results["tests"]), "the secret enables hidden checks"
    lines = (repo / "taller_xor.ipynb").read_text(encoding="utf-8").splitlines()
    for test in results["tests"]:
        assert test["filename"] == "taller_xor.ipynb"
        function = test["test_code"].split("/")[1]
        assert f"def {function}(" in lines[test["line_no"] - 1]
    assert f"{total:g}/15" in completed.stderr.replace(" ", "")

    annotations = [line for line in completed.stdout.splitlines() if line.startswith("::")]
    assert 1 <= len(annotations) <= 10
    for line in annotations:
        match = re.match(r"::error file=taller_xor\.ipynb,line=(\d+),title=(\w+)%3A ", line)
        assert match, line
        assert f"def {match.group(2)}(" in lines[int(match.group(1)) - 1]

    markdown = summary.read_text(encoding="utf-8")
    assert "| <code>costoGlobal</code> |" in markdown
    assert "provisional" in markdown.lower()
    assert "GRADER_SECRET" not in markdown


@pytest.mark.slow
def test_grading_step_without_the_secret_runs_public_checks_only(tmp_path: Path) -> None:
    repo, workflow = make_repo(tmp_path, "carlos_ruiz.py", "taller.py")
    completed, output, summary = run_grade_step(workflow, repo, tmp_path, secrets={})
    assert completed.returncode == 0, completed.stderr
    (results,) = reporter_results(workflow, output_file_values(output))
    assert_reporter_fields(results)
    assert results["status"] == "pass"
    assert not any(t["name"].endswith(":hidden") for t in results["tests"])
    assert sum(t["score"] for t in results["tests"]) == results["max_score"] > 0
    assert not [line for line in completed.stdout.splitlines() if line.startswith("::error")]
    assert "GRADER_SECRET" in summary.read_text(encoding="utf-8")


@pytest.mark.slow
def test_grading_step_reports_an_ungradable_notebook_as_zero_not_as_a_failed_job(tmp_path: Path) -> None:
    repo, workflow = make_repo(tmp_path, "ricardo_flores.ipynb", "taller_xor.ipynb")
    completed, output, summary = run_grade_step(workflow, repo, tmp_path, secrets={"GRADER_SECRET": SECRET})
    assert completed.returncode == 0, completed.stderr
    (results,) = reporter_results(workflow, output_file_values(output))
    assert_reporter_fields(results)
    assert results["status"] == "error"
    assert results["max_score"] == 15
    assert sum(t["score"] for t in results["tests"]) == 0
    (annotation,) = [line for line in completed.stdout.splitlines() if line.startswith("::error")]
    assert annotation.startswith("::error file=taller_xor.ipynb,")
    assert "truncated" in summary.read_text(encoding="utf-8")


def test_ci_fails_the_job_only_when_grading_cannot_run(tmp_path: Path) -> None:
    output = tmp_path / "github_output"
    output.write_text("", encoding="utf-8")
    (tmp_path / "taller.py").write_text("def feedForward(X, w1, w2, b1, b2):\n    pass\n", encoding="utf-8")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(output), "GRADER_SECRET": ""}
    result = CliRunner().invoke(main, ["ci", "--rubric", "no-such-rubric", str(tmp_path)], env=env)
    assert result.exit_code == 2
    assert output.read_text(encoding="utf-8") == "", "no result: the reporter must not record a zero"
    missing = CliRunner().invoke(
        main, ["ci", str(tmp_path)], env={"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": ""}
    )
    assert missing.exit_code == 2
    assert "GITHUB_OUTPUT" in missing.output
