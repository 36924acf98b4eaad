"""`grader init github` writes a template repository whose workflow really installs the grader: the
install step is run here, in a fresh virtual environment that cannot see this source tree; and a
package spec named instead is checked with pip before the workflow is written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from grader import __version__
from grader.cli import main
from grader.integrations.github import WORKFLOW_FILE
from grader.integrations.requirement import check_requirement
from grader.integrations.wheel import build_wheel

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "submissions" / "ana_gomez.ipynb"


def steps(repo: Path) -> list[dict[str, str]]:
    workflow = yaml.safe_load((repo / WORKFLOW_FILE).read_text(encoding="utf-8"))
    return list(workflow["jobs"]["run-autograding-tests"]["steps"])


@pytest.mark.slow
def test_the_workflow_s_install_step_installs_the_grader_in_a_fresh_environment(
    grader_command: list[str], tmp_path: Path
) -> None:
    template = tmp_path / "plantilla"
    written = subprocess.run(
        [*grader_command, "init", "github", "--dest", str(template), "--rubric", "xor"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert written.returncode == 0, written.stderr
    # The runner gets the repository and nothing else: a copy of the template, far from this tree.
    repo = tmp_path / "runner" / "repo"
    shutil.copytree(template, repo)
    shutil.copy(SAMPLE, repo / "taller.ipynb")
    venv = tmp_path / "runner" / "venv"
    # The system site-packages only spare downloading numpy and the like; the grader is not among them.
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=300
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "GRADER_SECRET")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"

    def run(script: str) -> subprocess.CompletedProcess[str]:
        # As Actions runs a `run:` step: bash, stopping at the first failing command, in the checkout.
        return subprocess.run(
            ["bash", "-e", "-c", script],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    before = run("python -c 'import grader'")
    assert before.returncode != 0, "the fresh environment must not see the grader before the install step"
    (install,) = [s for s in steps(repo) if s.get("name") == "Install the grader"]
    installed = run(install["run"])
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    version = run("grader --version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"taller-grader, version {__version__}"
    where = run("python -c 'import grader, reference; print(grader.__file__); print(reference.__file__)'")
    assert all(line.startswith(str(venv)) for line in where.stdout.split()), where.stdout
    # The grading step runs too (outside Actions it prints the job summary; no secret: public checks).
    (grade,) = [s for s in steps(repo) if s.get("id") == "grader"]
    graded = run(grade["run"])
    assert graded.returncode == 0, graded.stderr
    assert graded.stderr.strip().endswith("repo: 15/15")
    assert "repo: 15 / 15" in graded.stdout


def test_a_package_spec_that_resolves_is_accepted(tmp_path: Path) -> None:
    wheel = tmp_path / f"taller_grader-{__version__}-py3-none-any.whl"
    wheel.write_bytes(build_wheel())
    assert check_requirement(str(wheel)).verdict == "resolves"


def isolated_pip(monkeypatch: pytest.MonkeyPatch, index: str) -> None:
    """pip with only ``index`` to look in: no configuration files, no other index, no local wheels."""
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_INDEX_URL", index)
    monkeypatch.delenv("PIP_EXTRA_INDEX_URL", raising=False)
    monkeypatch.delenv("PIP_FIND_LINKS", raising=False)


def test_a_package_spec_that_does_not_resolve_stops_init(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    index.mkdir()
    isolated_pip(monkeypatch, index.as_uri())
    checked = check_requirement("taller-grader==0.1.0")
    assert checked.verdict == "fails" and "taller-grader" in checked.detail
    result = CliRunner().invoke(
        main, ["init", "github", "--dest", str(tmp_path / "repo"), "--package", "taller-grader==0.1.0"]
    )
    assert result.exit_code == 2
    assert "pip cannot install 'taller-grader==0.1.0'" in result.output
    assert not (tmp_path / "repo" / WORKFLOW_FILE).exists()


def test_a_package_spec_that_cannot_be_checked_is_written_with_a_clear_warning(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Nothing listens on the discard port: the index cannot be reached at all.
    isolated_pip(monkeypatch, "http://127.0.0.1:9/simple")
    checked = check_requirement("taller-grader==0.1.0")
    assert checked.verdict == "unchecked", checked
    result = CliRunner().invoke(
        main, ["init", "github", "--dest", str(tmp_path), "--package", "taller-grader==0.1.0"]
    )
    assert result.exit_code == 0, result.output
    assert "warning: could not check that pip can install 'taller-grader==0.1.0'" in result.output
    assert (tmp_path / WORKFLOW_FILE).is_file()
    assert not list(tmp_path.rglob("*.whl")), "with a package named, no wheel is copied"
