"""Whether a package spec a workflow will ``pip install`` resolves, asked of pip itself.

``pip download --no-deps`` fetches exactly what ``pip install`` would take for the spec, from the same
indexes and with the same configuration, without installing anything. A spec that pip cannot find is
an error to fix before students push; a check that could not reach the index (offline, a proxy) says
so instead of passing or failing silently.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import Literal

CHECK_TIMEOUT_S = 120.0
# What pip prints when it could not talk to an index or a repository at all (urllib3, requests, git).
_UNREACHABLE = (
    "Failed to establish a new connection",
    "NewConnectionError",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "No route to host",
    "ConnectTimeoutError",
    "ReadTimeoutError",
    "ProxyError",
    "SSLError",
    "Could not fetch URL",
    "Could not resolve host",
    "unable to access",
)

Verdict = Literal["resolves", "fails", "unchecked"]


@dataclass(frozen=True)
class RequirementCheck:
    """What pip said about a spec: it resolves, it does not (``detail``: pip's reason), or it could
    not be checked (``detail``: why)."""

    verdict: Verdict
    detail: str = ""


def check_requirement(requirement: str, *, timeout_s: float = CHECK_TIMEOUT_S) -> RequirementCheck:
    """Ask pip to fetch ``requirement`` (without its dependencies) into a throw-away folder."""
    with tempfile.TemporaryDirectory(prefix="taller-grader-requirement-") as scratch:
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "PIP_NO_INPUT": "1"}
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--disable-pip-version-check",
            # One retry: pip reports a connection that failed only when it retries it.
            "--retries",
            "1",
            "--timeout",
            "15",
            "--dest",
            scratch,
            requirement,
        ]
        try:
            done = subprocess.run(
                command,
                cwd=scratch,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout_s,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return RequirementCheck("unchecked", f"pip did not answer within {timeout_s:g} s")
        except OSError as exc:
            return RequirementCheck("unchecked", f"pip could not be run ({exc})")
    if done.returncode == 0:
        return RequirementCheck("resolves")
    output = f"{done.stdout}\n{done.stderr}"
    if "No module named pip" in output:
        return RequirementCheck("unchecked", "pip is not installed in this Python")
    if any(marker in output for marker in _UNREACHABLE):
        return RequirementCheck("unchecked", _last_error(output, unreachable=True))
    return RequirementCheck("fails", _last_error(output, unreachable=False))


def _last_error(output: str, *, unreachable: bool) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    wanted = [
        line
        for line in lines
        if (any(m in line for m in _UNREACHABLE) if unreachable else line.startswith("ERROR"))
    ]
    return (wanted or lines or ["pip failed without saying why"])[-1][:300]
