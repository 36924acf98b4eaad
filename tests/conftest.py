"""Shared fixtures: paths to the bundled samples, and the installed command line."""

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
