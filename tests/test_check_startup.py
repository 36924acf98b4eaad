"""How ``grader check`` starts: the zygote launched first and its hello awaited only when it is needed, so
that its start-up overlaps the grader's own; and none of what only a batch needs loaded for one file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from reaping import reaped_report, start_reaped

from grader.sandbox import bwrap, layers
from grader.sandbox.launcher import Zygote

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "submissions" / "carlos_ruiz.py"
# `grader check ARGS` as the installed command runs it; the modules loaded are written to the file named
# first, as the process ends.
RECORDED = """
import atexit, json, sys
record, *args = sys.argv[1:]
atexit.register(lambda: open(record, "w").write(json.dumps(sorted(sys.modules))))
from grader.cli import main
sys.argv = ["grader", "check", *args]
main()
"""
# What grading a batch needs and checking one file does not: taking in LMS downloads, overrides,
# rosters, feedback packages, the result store and the files of a run, the batch's processes, CI.
BATCH_ONLY = (
    "grader.batch",
    "grader.feedback",
    "grader.lms_csv",
    "grader.overrides",
    "grader.progress",
    "grader.roster",
    "grader.store",
    "grader.writing",
    "grader.integrations",
)


def test_check_does_not_load_what_only_a_batch_needs(tmp_path: Path) -> None:
    record = tmp_path / "modules.json"
    checked = subprocess.run(
        [sys.executable, "-c", RECORDED, str(record), str(SAMPLE)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert "entrenarRed" in checked.stdout
    loaded = set(json.loads(record.read_text(encoding="utf-8")))
    assert "grader.session" in loaded  # it did check in the sandbox
    assert not {m for m in loaded if any(m == b or m.startswith(f"{b}.") for b in BATCH_ONLY)}


def test_check_stopped_before_grading_stops_the_zygote_and_removes_its_scratch(
    grader_command: list[str], tmp_path: Path
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary)}
    report, errors = _reaped([*grader_command, "check", str(SAMPLE), "--rubric", "no-such-workshop"], env)
    assert report["returncode"] == 2, errors
    assert "no-such-workshop" in errors
    assert "Traceback" not in errors
    assert list(temporary.iterdir()) == []
    assert report["survivors"] == []


@pytest.mark.parametrize("bwrap", [True, False], ids=["bwrap", "no-bwrap"])
def test_a_zygote_closed_before_its_hello_leaves_nothing_behind(bwrap: bool, tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from grader.sandbox.launcher import Zygote\n"
        "from grader.sandbox.layers import Hardening\n"
        f"zygote = Zygote(scratch_root=Path(sys.argv[1]), hardening=Hardening(bwrap={bwrap}), wait=False)\n"
        "zygote.close()\n"
    )
    report, errors = _reaped([sys.executable, "-c", script, str(tmp_path)], dict(os.environ))
    assert report["returncode"] == 0, errors
    # Left to start, it would have outlived the command, or found nobody to send its hello to and said so.
    assert report["survivors"] == []
    assert errors == ""


def test_a_bubblewrap_that_fails_is_fallen_back_from_when_the_zygote_is_first_needed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(bwrap, "CANDIDATES", ("/bin/false",))
    fallback = Zygote(scratch_root=tmp_path, wait=False)
    try:
        assert fallback.isolated
        assert layers.BWRAP not in fallback.sandbox
        assert "exited with status 1" in fallback.problems[layers.BWRAP]
    finally:
        fallback.close()


def _reaped(command: list[str], env: dict[str, str]) -> tuple[dict[str, Any], str]:
    """``command`` run under the subreaper: its report (exit status, survivors) and the command's output."""
    return reaped_report(start_reaped(command, deadline=10, env=env))
