"""``grader check`` without the sandbox: where its Linux layers do not exist (macOS, Windows, simulated
here in a subprocess) or with ``--runner fork|here``, the student's file is loaded in the grader's own
process and judged there or in a forked child, with the verdicts of the sandboxed check on every sample."""

from __future__ import annotations

import builtins
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from judge_kit import XOR_NETWORK
from sample_code import SAMPLES

from grader.intake import choose_sources
from grader.report.terminal import submission_text
from grader.results import SubmissionResult
from grader.sandbox import inert
from grader.self_check import check_submission
from grader.session import grading_session
from grader.submission import Submission, discover
from grader.workshop import load_bundled_rubrics

# The modules of the batch sandbox's Linux layers: none of them may be needed without the sandbox.
LINUX_LAYERS = (
    "grader.sandbox.bwrap",
    "grader.sandbox.landlock",
    "grader.sandbox.launcher",
    "grader.sandbox.layers",
    "grader.sandbox.native",
    "grader.sandbox.privileges",
    "grader.sandbox.seccomp",
    "grader.sandbox.session",
    "grader.sandbox.zygote",
    "grader.session",
)
# Run first in a subprocess, this makes it another system as far as the grader can tell: the sandbox's
# layers cannot be imported, and sys.platform names the system. As on Windows ("win32"): no resource,
# fcntl, fork nor SIGALRM, and no opening a file relative to a folder. As on macOS ("darwin"): all of
# these exist, but the sandbox's layers are Linux's. Third-party libraries are imported before the
# platform is renamed, as they would have been imported on that system.
SIMULATE = """
import os, signal, sys
import click, jinja2, numpy
platform = {platform!r}
for name in {layers!r}:
    sys.modules[name] = None
if platform == "win32":
    sys.modules["resource"] = None
    sys.modules["fcntl"] = None
    del os.fork
    for name in ("SIGALRM", "setitimer", "ITIMER_REAL"):
        delattr(signal, name)
    for name in ("O_NOFOLLOW", "O_DIRECTORY", "O_CLOEXEC", "O_NONBLOCK"):
        delattr(os, name)
    os.supports_dir_fd = set()
sys.platform = platform
"""
# `grader check ARGS`, as the installed command runs it.
COMMAND = """
from grader.cli import main
sys.argv = ["grader", *{args!r}]
main()
"""
# Every sample checked without the sandbox, as `grader check` checks it; each result printed as results.json
# holds it (one JSON document a line). The student code runs in this subprocess, never in the tests' own.
EVERY_SAMPLE = """
import json
from pathlib import Path
from grader.intake import choose_sources
from grader.self_check import check_submission
from grader.submission import discover
from grader.workshop import load_bundled_rubrics

rubrics = load_bundled_rubrics()
for submission in discover([Path({samples!r})]):
    submission = choose_sources(submission, rubrics, given=False)
    result = check_submission(submission, rubrics, given=False, runner={runner!r})
    print(json.dumps(result.to_json()))
"""
ENDLESS = XOR_NETWORK + "\ndef costoGlobal(y_est, y):\n    while True:\n        pass\n"


def python(code: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        encoding=env.get("PYTHONIOENCODING", "utf-8"),
        timeout=600,
        check=False,
        cwd=cwd,
        env={**_environment(), **env},
    )


def _environment() -> dict[str, str]:
    # No colour codes in what is compared, whatever the machine running the tests sets.
    return {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}


def simulated(platform: str, code: str) -> str:
    return SIMULATE.format(platform=platform, layers=LINUX_LAYERS) + code


def check_on(platform: str, args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``grader check ARGS`` on a simulated ``platform``."""
    return python(simulated(platform, COMMAND.format(args=["check", *args])), cwd, **env)


def sandboxed_check(
    grader_command: list[str], args: list[str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    """``grader check ARGS`` by the installed command, here on Linux: in the sandbox."""
    return subprocess.run(
        [*grader_command, "check", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=cwd,
        env=_environment(),
    )


def verdicts(result: SubmissionResult) -> dict[str, Any]:
    """What the student is told, as data: the status (or the error), each check's verdict, points and
    diagnoses, and the notes."""
    return {
        "status": result.status,
        "error": result.error.kind if result.error else None,
        "tasks": {
            f"{t.rubric}.{t.id}": {
                c.id: [c.status, c.score, c.max_score, list(c.diagnoses)] for c in t.checks
            }
            for t in result.tasks
        },
        "notes": [note.to_json() for note in result.notes],
    }


# --- the same verdicts as the sandboxed check ----------------------------------------------------------


@pytest.fixture(scope="module")
def sandboxed() -> dict[str, SubmissionResult]:
    """Every sample checked as `grader check` checks it in the sandbox, by id."""
    rubrics = load_bundled_rubrics()
    samples = [choose_sources(s, rubrics, given=False) for s in discover([SAMPLES])]
    session = grading_session(rubrics, secret_file=None, lang=None, public_only=True, warn=print)
    with session as (grader, _):
        return {s.id: grader.grade(s) for s in samples}


@pytest.mark.slow
@pytest.mark.parametrize(("platform", "runner"), [("linux", "here"), ("linux", "fork"), ("win32", "auto")])
def test_every_sample_gets_the_sandboxed_checks_verdicts_without_the_sandbox(
    sandboxed: dict[str, SubmissionResult], platform: str, runner: str, tmp_path: Path
) -> None:
    code = EVERY_SAMPLE.format(samples=str(SAMPLES), runner=runner)
    run = python(simulated(platform, code) if platform != "linux" else code, tmp_path)
    assert run.returncode == 0, run.stderr
    found = [SubmissionResult.from_json(json.loads(line)) for line in run.stdout.splitlines()]
    local = {result.id: result for result in found}
    assert local.keys() == sandboxed.keys()
    assert len(local) >= 30
    for sample_id, expected in sandboxed.items():
        assert verdicts(local[sample_id]) == verdicts(expected), sample_id
        for lang in ("es", "en"):
            shown = submission_text(local[sample_id], lang=lang, public_only=True)
            assert shown == submission_text(expected, lang=lang, public_only=True), sample_id
    # Not a vacuous comparison: the samples hold passes, failures, diagnoses and unreadable files.
    statuses = {c[0] for r in local.values() for t in verdicts(r)["tasks"].values() for c in t.values()}
    assert {"pass", "fail", "skipped"} <= statuses
    assert {r.status for r in local.values()} == {"graded", "error"}


# --- grader check on a simulated macOS and Windows ------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("platform", ["win32", "darwin"])
@pytest.mark.parametrize(("sample", "exit_code"), [("ana_gomez.ipynb", 0), ("sofia_martinez.ipynb", 1)])
def test_grader_check_off_linux_prints_what_the_sandboxed_check_prints(
    grader_command: list[str], platform: str, sample: str, exit_code: int, tmp_path: Path
) -> None:
    file = str(SAMPLES / sample)
    expected = sandboxed_check(grader_command, [file], tmp_path)
    assert expected.returncode == exit_code, expected.stderr
    run = check_on(platform, [file], tmp_path)
    assert run.returncode == exit_code, run.stderr
    assert run.stdout == expected.stdout
    assert "Sin sandbox: tu código se ejecutó en este proceso" in run.stderr
    assert "Sin sandbox" not in expected.stderr


@pytest.mark.slow
@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_an_endless_loop_is_stopped_with_a_message_off_linux(platform: str, tmp_path: Path) -> None:
    (tmp_path / "entrega.py").write_text(ENDLESS, encoding="utf-8")
    run = check_on(platform, ["entrega.py", "--lang", "en"], tmp_path)
    assert run.returncode == 1, run.stderr
    lines = run.stdout.splitlines()
    task = lines.index("costoGlobal: 0/2")
    assert lines[task + 1] == "  ⏱ values  0/2"
    assert "your function did not finish within 0.5 s (an endless loop?)" in run.stdout
    # The other functions were judged as usual.
    assert "feedForward: 3/3" in lines and "backProp: 5/5" in lines
    assert "Without the sandbox: your code ran in this process" in run.stderr


@pytest.mark.slow
def test_a_function_needing_top_level_state_gets_the_whole_file_run_as_in_the_sandbox(
    grader_command: list[str], tmp_path: Path
) -> None:
    """``factor`` is bound only by a top-level loop, which definitions mode skips: the check runs the whole
    file again, prints and all (kept out of the check's own output), as the batch does."""
    cost = "    return float(-np.sum(y * np.log(y_est) + (1 - y) * np.log(1 - y_est)) / m)"
    source = XOR_NETWORK.replace(cost, cost.replace("return ", "return factor * "))
    assert source != XOR_NETWORK
    (tmp_path / "entrega.py").write_text(
        source + "\nfor _ in range(3):\n    factor = 1.0\nprint('entrenada')\n", encoding="utf-8"
    )
    expected = sandboxed_check(grader_command, ["entrega.py", "--lang", "en"], tmp_path)
    run = check_on("win32", ["entrega.py", "--lang", "en"], tmp_path)
    assert (run.returncode, expected.returncode) == (1, 1)
    assert run.stdout == expected.stdout
    assert "costoGlobal: 2/2" in run.stdout.splitlines()
    assert "the whole notebook was run, top to bottom" in run.stdout
    assert "entrenada" not in run.stdout + run.stderr


@pytest.mark.slow
def test_a_windows_code_page_does_not_end_the_check(tmp_path: Path) -> None:
    """Redirected on Windows, output is in the ANSI code page, which has no ✓: it is printed as "?"."""
    run = check_on("win32", [str(SAMPLES / "ana_gomez.ipynb")], tmp_path, PYTHONIOENCODING="cp1252")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("ana_gomez: 15/15\nSolo comprobaciones públicas")
    assert "  ? shapes  1/1" in run.stdout.splitlines()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("platform", "runner", "said"),
    [
        ("win32", "sandbox", "--runner sandbox: the sandbox needs Linux, and this is win32"),
        ("darwin", "sandbox", "--runner sandbox: the sandbox needs Linux, and this is darwin"),
        ("win32", "fork", "--runner fork: this system cannot fork a process"),
    ],
)
def test_a_runner_the_system_lacks_is_a_usage_error(
    platform: str, runner: str, said: str, tmp_path: Path
) -> None:
    run = check_on(platform, [str(SAMPLES / "ana_gomez.ipynb"), "--runner", runner], tmp_path)
    assert run.returncode == 2
    assert said in run.stderr
    assert run.stdout == ""


@pytest.mark.slow
def test_a_batch_is_graded_only_in_the_sandbox(tmp_path: Path) -> None:
    code = simulated("win32", COMMAND.format(args=["grade", str(SAMPLES), "--public-only", "--out", "out"]))
    run = python(code, tmp_path)
    assert run.returncode == 2
    assert "error: grader grade runs student code only in the sandbox: the sandbox needs Linux" in run.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_the_help_says_what_runs_without_the_sandbox(tmp_path: Path) -> None:
    run = check_on("win32", ["--help"], tmp_path)
    assert run.returncode == 0, run.stderr
    text = " ".join(run.stdout.split())
    assert "--runner [auto|sandbox|fork|here]" in text
    assert "imports, functions, classes and cheap assignments run" in text
    assert "top-level training loops, plots, prints and input() do not" in text


# --- on Linux, asked for -------------------------------------------------------------------------------


@pytest.mark.slow
def test_runner_fork_on_linux_stops_an_endless_loop_in_the_child(
    grader_command: list[str], tmp_path: Path
) -> None:
    (tmp_path / "entrega.py").write_text(ENDLESS, encoding="utf-8")
    expected = sandboxed_check(grader_command, ["entrega.py"], tmp_path)
    run = sandboxed_check(grader_command, ["entrega.py", "--runner", "fork"], tmp_path)
    assert (run.returncode, expected.returncode) == (1, 1)
    assert run.stdout == expected.stdout
    assert "tu función no terminó en 0.5 s" in run.stdout
    assert "Sin sandbox: tu código se ejecutó en un proceso hijo de este" in run.stderr


@pytest.fixture
def one_sample() -> Iterator[tuple[Submission, list[Any]]]:
    rubrics = load_bundled_rubrics()
    # A Colab notebook: `!pip install`, `%matplotlib inline`, a plot and input() at the top level.
    (submission,) = [s for s in discover([SAMPLES]) if s.id == "andres_castro"]
    yield choose_sources(submission, rubrics, given=False), rubrics


def test_checking_in_a_child_leaves_this_process_as_it_was(one_sample: tuple[Submission, list[Any]]) -> None:
    """The surroundings a worker gives student code (inert plots, no input(), the modules' folder) are set
    for the check alone; the student's code itself runs in the forked child."""
    submission, rubrics = one_sample
    before = (builtins.input, list(sys.path), list(sys.meta_path), set(sys.modules))
    fallbacks = {name for name in inert.FALLBACKS if hasattr(builtins, name)}
    result = check_submission(submission, rubrics, given=False, runner="fork")
    assert result.status == "graded"
    assert result.score == result.max_score > 0
    assert builtins.input is before[0]
    assert (sys.path, sys.meta_path) == (before[1], before[2])
    assert not any(inert.is_inert(name) for name in set(sys.modules) - before[3])
    assert not any(isinstance(finder, inert.InertFinder) for finder in sys.meta_path)
    assert {name for name in inert.FALLBACKS if hasattr(builtins, name)} == fallbacks


def test_a_folder_submissions_modules_are_importable_without_the_sandbox(tmp_path: Path) -> None:
    folder = tmp_path / "ana"
    folder.mkdir()
    (folder / "red.py").write_text(XOR_NETWORK, encoding="utf-8")
    (folder / "taller.py").write_text(
        textwrap.dedent(
            """
            from red import sigmoide, costoGlobal, backProp

            def feedForward(X, w1, w2, b1, b2):
                a1 = sigmoide(w1 @ X + b1)
                return a1, sigmoide(w2 @ a1 + b2)
            """
        ),
        encoding="utf-8",
    )
    rubrics = load_bundled_rubrics()
    (submission,) = discover([tmp_path])
    # In this process: the module is imported here, and must be gone afterwards.
    chosen = choose_sources(submission, rubrics, given=False)
    result = check_submission(chosen, rubrics, given=False, runner="here")
    scores = {t.id: (t.score, t.max_score) for t in result.tasks}
    assert scores["feedForward"] == (3, 3)
    assert scores["backProp"] == (5, 5)
    assert "red" not in sys.modules
