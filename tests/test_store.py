"""Resumable batches: results are kept as they complete, and a re-run continues where it stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from reaping import reaped_report, start_reaped

from grader.cli import main
from grader.messages import SAY
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
    note = SAY("source.in_file", file="ana.py", problem=SAY("source.empty_file"))
    result = SubmissionResult(id="ana", source="ana.py", status="graded", notes=(note,), output="hola")
    store.put("k1", result)
    assert store.get("k1") == result
    (tmp_path / STORE_DIR / "k2.json").write_text("{not json", encoding="utf-8")
    assert store.get("k2") is None
    assert store.get("missing") is None


def test_a_rerun_is_told_in_the_run_language(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "class"
    copy_samples(folder, ["luis_perez.py"])
    out = tmp_path / "out"
    env = {"GRADER_SECRET": "resume"}
    first = runner.invoke(main, ["grade", str(folder), "--out", str(out)], env=env)
    assert first.exit_code == 0, first.output
    again = runner.invoke(main, ["grade", str(folder), "--out", str(out)], env=env)
    assert again.exit_code == 0, again.output
    # The bundled workshops speak Spanish: so does the run, from the progress lines to the summary.
    assert "Se reutilizan 1 resultado de una ejecución anterior" in again.output
    assert "Calificadas 1 de 1 entrega" in again.output
    assert "Reusing" not in again.output and "Graded" not in again.output


def test_rerun_reuses_results_and_regrades_changed_files(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "class"
    copy_samples(folder, ["carlos_ruiz.py", "mateo_vargas.py", "luis_perez.py"])
    out = tmp_path / "out"
    env = {"GRADER_SECRET": "resume"}
    first = runner.invoke(main, ["grade", str(folder), "--out", str(out), "--lang", "en"], env=env)
    assert first.exit_code == 0, first.output
    assert len(list((out / STORE_DIR).glob("*.json"))) == 3

    # A student hands in again: only that submission is graded anew.
    (folder / "carlos_ruiz.py").write_text(
        "def feedForward(X, w1, w2, b1, b2):\n    return None\n", encoding="utf-8"
    )
    second = runner.invoke(main, ["grade", str(folder), "--out", str(out), "--lang", "en"], env=env)
    assert second.exit_code == 0, second.output
    assert "Reusing 2 results" in second.output
    results = {s["id"]: s for s in json.loads((out / "results.json").read_text())["submissions"]}
    assert results["carlos_ruiz"]["score"] == 0
    assert results["luis_perez"]["score"] == results["luis_perez"]["max_score"]

    # Another secret is another run: nothing is reused; --fresh ignores what is kept.
    third = runner.invoke(
        main, ["grade", str(folder), "--out", str(out), "--lang", "en"], env={"GRADER_SECRET": "other"}
    )
    assert third.exit_code == 0 and "Reusing" not in third.output
    fourth = runner.invoke(
        main, ["grade", str(folder), "--out", str(out), "--lang", "en", "--fresh"], env=env
    )
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
    command = [*grader_command, "grade", str(folder), "--out", str(out), "--jobs", jobs, "--lang", "en"]
    # Workers run in sessions of their own: only a subreaper sees every process the run leaves,
    # and only those of this run, whatever else runs on the machine.
    reaper = start_reaped(command, deadline=60, env=env)
    store = out / STORE_DIR
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(store.glob("*.json"))) < 2:
        time.sleep(0.05)
    kept = len(list(store.glob("*.json")))
    # Interrupt before asserting anything, so that a failed assertion leaves no run behind.
    os.killpg(reaper.pid, signal.SIGINT)
    report, errors = reaped_report(reaper)
    assert 2 <= kept < 8
    assert report["returncode"] != 0, errors
    assert report["survivors"] == [], f"processes outlived the interrupted run: {report['survivors']}"

    resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert resumed.returncode == 0, resumed.stderr
    reused = int(resumed.stderr.split("Reusing ", 1)[1].split(" ", 1)[0])
    assert reused >= kept
    document = json.loads((out / "results.json").read_text())
    assert len(document["submissions"]) == 8


def test_subreaper_reports_and_kills_a_descendant_that_outlives_the_command() -> None:
    lingering = "import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(300)\n"
    report, errors = reaped_report(start_reaped([sys.executable, "-c", lingering], deadline=1))
    assert report["returncode"] == 0, errors
    assert [survivor["cmdline"] for survivor in report["survivors"]] == [f"{sys.executable} -c {lingering}"]


def test_subreaper_waits_for_descendants_that_end_on_their_own(tmp_path: Path) -> None:
    marker = tmp_path / "done"
    # The descendant writes its marker only once the command has exited (the end of the pipe the
    # command holds closes then): finding the marker shows that the subreaper waited for it.
    ending = (
        "import os, sys\n"
        "end, hold = os.pipe()\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    os.close(hold)\n"
        "    os.read(end, 1)\n"
        f"    open({str(marker)!r}, 'w').close()\n"
        "else:\n"
        "    sys.exit(3)\n"
    )
    report, errors = reaped_report(start_reaped([sys.executable, "-c", ending], deadline=60))
    assert report == {"returncode": 3, "survivors": []}, errors
    assert marker.exists()
