"""Commands run under the subreaper script (tests/files/subreaper.py), which sees every process a command
leaves behind, whatever session or uid it moved to, and only those: no test looks at the machine's
other processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

SUBREAPER = Path(__file__).resolve().parent / "files" / "subreaper.py"


def start_reaped(
    command: list[str], deadline: float, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """Run ``command`` under the subreaper script, in a process group of its own to signal; what is still
    alive ``deadline`` seconds after the command ended is listed and killed."""
    return subprocess.Popen(
        [sys.executable, str(SUBREAPER), str(deadline), *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def reaped_report(reaper: subprocess.Popen[str]) -> tuple[dict[str, Any], str]:
    """The subreaper's report on the command and what it left, and the command's output."""
    # Long enough for the subreaper's own deadline plus the time it takes to kill what is left.
    output, errors = reaper.communicate(timeout=120)
    assert reaper.returncode == 0, errors
    return json.loads(output.splitlines()[-1]), errors
