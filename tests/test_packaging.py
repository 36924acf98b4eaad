"""A plain (non-editable) install carries the rubrics, the reference, the templates and the schema."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("taller_grader-*.whl")
    return built


@pytest.mark.slow
def test_wheel_contains_the_data_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "grader/rubrics/xor.toml",
        "grader/rubrics/linreg.toml",
        "grader/schema/results.schema.json",
        "grader/report/templates/index.html",
        "grader/report/templates/student.html",
        "reference/xor.py",
        "reference/linreg.py",
        "reference/cases.py",
        "reference/mistakes/xor.py",
    ):
        assert required in names, required


@pytest.mark.slow
def test_installed_wheel_grades_outside_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = {**os.environ, "PYTHONPATH": str(site), "GRADER_SECRET": "packaging"}
    probe = subprocess.run(
        [sys.executable, "-c", "import grader, reference; print(grader.__file__); print(reference.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert all(line.startswith(str(site)) for line in probe.stdout.split()), probe.stdout
    sample = ROOT / "submissions" / "carlos_ruiz.py"
    graded = subprocess.run(
        [sys.executable, "-m", "grader.cli", "grade", str(sample), "--out", str(tmp_path / "out"), "--quiet"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert graded.returncode == 0, graded.stderr
    assert (tmp_path / "out" / "index.html").is_file()
    assert '"score": 15' in (tmp_path / "out" / "results.json").read_text(encoding="utf-8")
