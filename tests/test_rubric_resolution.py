"""What ``--rubric`` names (grader/workshop.py ``rubric_path``): a bare id is a bundled (else installed)
rubric, whatever folders the current directory holds; anything written as a path is a path; a bare word
that is both an id and a rubric here is an error naming both."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.errors import RubricError
from grader.workshop import bundled_rubric_paths, resolve_rubric, rubric_name, rubric_path

FILES = Path(__file__).resolve().parent / "files"
SOFTMAX = FILES / "workshops" / "softmax"
TINY = FILES / "rubrics" / "tiny.toml"
SAMPLE = Path(__file__).resolve().parent.parent / "submissions" / "ana_gomez.ipynb"


def bundled(name: str) -> Path:
    (path,) = [p for p in bundled_rubric_paths() if rubric_name(p) == name]
    return path


def test_a_folder_of_submissions_called_like_a_rubric_does_not_hide_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "xor").mkdir()
    shutil.copy(SAMPLE, tmp_path / "xor" / "ana.ipynb")
    monkeypatch.chdir(tmp_path)
    assert rubric_path("xor") == bundled("xor")
    assert resolve_rubric("xor").id == "xor"
    # Written as a path, it is the folder, which holds no rubric.
    for written in ("./xor", "xor/"):
        with pytest.raises(RubricError, match=f"{written} is a folder without a rubric.toml"):
            rubric_path(written)


def test_a_rubric_here_with_a_bundled_id_is_ambiguous_and_says_how_to_choose(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A workshop folder of one's own, called like the bundled rubric (its modules are installed ones).
    (tmp_path / "xor").mkdir()
    shutil.copy(TINY, tmp_path / "xor" / "rubric.toml")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RubricError) as raised:
        rubric_path("xor")
    message = str(raised.value)
    assert "--rubric xor is ambiguous" in message
    assert str(bundled("xor")) in message and str(Path("xor") / "rubric.toml") in message
    assert "Write ./xor for the one here" in message
    assert rubric_path("./xor") == Path("./xor") / "rubric.toml"
    assert resolve_rubric("./xor").id == "tiny"
    assert rubric_path(str(bundled("xor"))) == bundled("xor")


def test_a_bare_word_that_is_no_id_is_the_rubric_here(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shutil.copytree(SOFTMAX, tmp_path / "softmax")
    (tmp_path / "nada").mkdir()
    monkeypatch.chdir(tmp_path)
    assert rubric_path("softmax") == Path("softmax") / "rubric.toml"
    with pytest.raises(
        RubricError, match=r"nada is a folder without a rubric\.toml, and no rubric has that id"
    ):
        rubric_path("nada")
    with pytest.raises(RubricError, match=r"rubric file mia\.toml does not exist"):
        rubric_path("mia.toml")
    with pytest.raises(
        RubricError, match="unknown rubric 'quimica'; bundled rubrics: linreg, logistica, xor"
    ):
        rubric_path("quimica")


@pytest.mark.slow
def test_grade_xor_with_rubric_xor_from_the_folder_that_holds_it(
    grader_command: list[str], tmp_path: Path
) -> None:
    (tmp_path / "xor").mkdir()
    shutil.copy(SAMPLE, tmp_path / "xor" / "ana.ipynb")
    env = {**os.environ, "GRADER_SECRET": "rubric-resolution"}
    done = subprocess.run(
        [*grader_command, "grade", "xor", "--rubric", "xor", "--out", "out", "--quiet"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    document = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert document["run"]["rubrics"] == ["xor"]
    assert [s["score"] for s in document["submissions"]] == [15]


def test_the_rule_is_in_the_help(runner: CliRunner) -> None:
    help_text = " ".join(runner.invoke(main, ["grade", "--help"]).output.split())
    assert "A bare id (xor) names a bundled rubric, else an installed one" in help_text
    assert "is an error naming both" in help_text
