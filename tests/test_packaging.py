"""A plain (non-editable) install carries the rubrics (workshop folders too), the reference, the templates
and the schema."""

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
        "grader/rubrics/logistica/rubric.toml",
        "grader/rubrics/logistica/logistica.py",
        "grader/rubrics/logistica/logistica_errores.py",
    ):
        assert required in names, required
    assert not [n for n in names if "__pycache__" in n], "no bytecode of the workshop folders"


@pytest.fixture(scope="module")
def site(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed (without its dependencies, which the test environment has) into a folder."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return target


@pytest.mark.slow
def test_installed_wheel_grades_outside_the_source_tree(site: Path, tmp_path: Path) -> None:
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


@pytest.mark.slow
def test_a_bundled_workshop_folder_loads_from_the_installed_wheel(site: Path, tmp_path: Path) -> None:
    probe = (
        "from grader.workshop import resolve_rubric\n"
        "rubric = resolve_rubric('logistica')\n"
        "print(rubric.folder)\n"
        "print(rubric.module.__file__)\n"
        "print(rubric.mistakes_module.__file__)\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert loaded.returncode == 0, loaded.stderr
    folder = site / "grader" / "rubrics" / "logistica"
    assert loaded.stdout.split() == [
        str(folder),
        str(folder / "logistica.py"),
        str(folder / "logistica_errores.py"),
    ]
    listed = subprocess.run(
        [sys.executable, "-m", "grader.cli", "rubrics"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    assert "logistica: " in listed.stdout
