"""Resumable batches: results are kept as they complete, and a re-run continues where it stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.results import SubmissionResult
from grader.store import STORE_DIR, ResultStore

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "submissions"


def copy_samples(target: Path, names: list[str]) -> None:
    target.mkdir()
    for name in names:
        (target / name).write_bytes((SAMPLES / name).read_bytes())


def test_store_roundtrip_and_corrupt_files(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    result = SubmissionResult(id="ana", source="ana.py", status="graded", notes=("n",), output="hola")
    store.put("k1", result)
    assert store.get("k1") == result
    (tmp_path / STORE_DIR / "k2.json").write_text("{not json", encoding="utf-8")
    assert store.get("k2") is None
    assert store.get("missing") is None


def test_rerun_reuses_results_and_regrades_changed_files(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "class"
    copy_samples(folder, ["carlos_ruiz.py", "mateo_vargas.py", "luis_perez.py"])
    out = tmp_path / "out"
    env = {"GRADER_SECRET": "resume"}
    first = runner.invoke(main, ["grade", str(folder), "--out", str(out)], env=env)
    assert first.exit_code == 0, first.output
    assert len(list((out / STORE_DIR).glob("*.json"))) == 3

    # A student hands in again: only that submission is graded anew.
    (folder / "carlos_ruiz.py").write_text(
        "def feedForward(X, w1, w2, b1, b2):\n    return None\n", encoding="utf-8"
    )
    second = runner.invoke(main, ["grade", str(folder), "--out", str(out)], env=env)
    assert second.exit_code == 0, second.output
    assert "Reusing 2 result(s)" in second.output
    results = {s["id"]: s for s in json.loads((out / "results.json").read_text())["submissions"]}
    assert results["carlos_ruiz"]["score"] == 0
    assert results["luis_perez"]["score"] == results["luis_perez"]["max_score"]

    # Another secret is another run: nothing is reused; --fresh ignores what is kept.
    third = runner.invoke(main, ["grade", str(folder), "--out", str(out)], env={"GRADER_SECRET": "other"})
    assert third.exit_code == 0 and "Reusing" not in third.output
    fourth = runner.invoke(main, ["grade", str(folder), "--out", str(out), "--fresh"], env=env)
    assert fourth.exit_code == 0 and "Reusing" not in fourth.output


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_interrupted_batch_leaves_no_process_and_resumes(
    grader_command: list[str], tmp_path: Path, jobs: str
) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    slow = (
        "import time\nimport numpy as np\n"
        "def feedForward(X, w1, w2, b1, b2):\n    time.sleep(0.4)\n"
        "    a1 = 1 / (1 + np.exp(-(w1 @ X + b1)))\n    return a1, 1 / (1 + np.exp(-(w2 @ a1 + b2)))\n"
    )
    for i in range(8):
        (folder / f"alumno_{i}.py").write_text(slow, encoding="utf-8")
    out = tmp_path / "out"
    env = {**os.environ, "GRADER_SECRET": "interrupt"}
    before = _sandbox_processes()
    command = [*grader_command, "grade", str(folder), "--out", str(out), "--jobs", jobs]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    store = out / STORE_DIR
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(store.glob("*.json"))) < 2:
        time.sleep(0.05)
    kept = len(list(store.glob("*.json")))
    assert 2 <= kept < 8
    os.killpg(process.pid, signal.SIGINT)
    process.communicate(timeout=60)
    assert process.returncode != 0
    time.sleep(0.5)
    # Workers run in sessions of their own: look for any sandbox process that was not there before.
    assert _sandbox_processes() - before == set(), "sandbox processes survived the interrupt"
    # Still running, that is: a finished child the init process has not reaped yet is only a zombie.
    session = subprocess.run(
        ["ps", "-o", "pid=,stat=,args=", "-s", str(process.pid)], capture_output=True, text=True
    )
    running = [line for line in session.stdout.splitlines() if line.split()[1][0] != "Z"]
    assert not running, running

    resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert resumed.returncode == 0, resumed.stderr
    reused = int(resumed.stderr.split("Reusing ", 1)[1].split(" ", 1)[0])
    assert reused >= kept
    document = json.loads((out / "results.json").read_text())
    assert len(document["submissions"]) == 8


def _sandbox_processes() -> set[str]:
    found = subprocess.run(["pgrep", "-f", "grader.sandbox"], capture_output=True, text=True, check=False)
    return set(found.stdout.split())
