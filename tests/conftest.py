"""Shared fixtures: paths to the bundled samples, the installed command line, and a class it graded."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def grader_command() -> list[str]:
    """The installed ``grader`` entry point (a real subprocess, as users run it)."""
    script = Path(sys.executable).parent / "grader"
    found = str(script) if script.exists() else shutil.which("grader")
    assert found, "the grader command is not installed in this environment"
    return [found]


@pytest.fixture(scope="session")
def graded_class(grader_command: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The class of ``lms_class.CLASS`` graded once by the installed command (``--quiet``): its ``--out``
    folder, which the tests read (one that changes it works on a copy)."""
    from lms_class import make_class, run_grader

    base = tmp_path_factory.mktemp("graded-class")
    folder = make_class(base / "entregas")
    out = base / "out"
    done = run_grader(grader_command, "grade", str(folder), "--out", str(out), "--quiet")
    assert done.returncode == 0, done.stderr
    return out
