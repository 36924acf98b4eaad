"""Gradescope: the autograder zip, and its run_autograder run in a folder that mimics /autograder."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from grader import __version__
from grader.cli import main
from grader.errors import UsageError
from grader.integrations.gradescope import SECRET_FILE, autograder_zip
from grader.integrations.wheel import build_wheel, wheel_name
from grader.workshop import resolve_rubric

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = ROOT / "submissions"
WORKSHOP = ROOT / "tests" / "files" / "workshops" / "softmax"
SECRET = "gradescope-secret-5d21"
WHEEL = wheel_name()

# What Gradescope's harness accepts (gradescope/autograder_samples, docs/specs.md), strictly enough to
# catch a missing field or a misspelt status or visibility.
VISIBILITY = {"enum": ["visible", "hidden", "after_due_date", "after_published"]}
RESULTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["score", "tests"],
    "properties": {
        "score": {"type": "number", "minimum": 0},
        "execution_time": {"type": "number", "minimum": 0},
        "output": {"type": "string"},
        "visibility": VISIBILITY,
        "stdout_visibility": VISIBILITY,
        "extra_data": {"type": "object"},
        "tests": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["score", "max_score", "name", "status"],
                "properties": {
                    "score": {"type": "number", "minimum": 0},
                    "max_score": {"type": "number", "minimum": 0},
                    "status": {"enum": ["passed", "failed"]},
                    "name": {"type": "string", "minLength": 1},
                    "number": {"type": "string"},
                    "output": {"type": "string"},
                    "output_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "visibility": VISIBILITY,
                    "extra_data": {"type": "object"},
                },
            },
        },
    },
}


def members(data: bytes) -> dict[str, zipfile.ZipInfo]:
    return {info.filename: info for info in zipfile.ZipFile(io.BytesIO(data)).infolist()}


def mode(info: zipfile.ZipInfo) -> int:
    return (info.external_attr >> 16) & 0o7777


# --- the zip ------------------------------------------------------------------------------------------


def test_zip_holds_the_scripts_the_rubric_and_the_grader() -> None:
    rubric = resolve_rubric("xor")
    data = autograder_zip([rubric], secret=None)
    found = members(data)
    assert set(found) == {"setup.sh", "run_autograder", WHEEL, "rubrics/xor.toml"}
    assert mode(found["run_autograder"]) & 0o111 and mode(found["setup.sh"]) & 0o111
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.read("rubrics/xor.toml") == Path(rubric.path).read_bytes()
    assert f"taller_grader-{__version__}-py3-none-any.whl" == WHEEL
    assert WHEEL in archive.read("setup.sh").decode()
    assert '--rubric "$SOURCE/rubrics/xor.toml"' in archive.read("run_autograder").decode()
    # The same grader and rubric always give the same bytes (re-uploading changes nothing).
    assert autograder_zip([rubric], secret=None) == data


def test_zip_carries_a_workshop_folder_and_names_its_rubric_there() -> None:
    rubric = resolve_rubric(str(WORKSHOP))
    data = autograder_zip([rubric], secret=None)
    folder = "rubrics/softmax"
    assert set(members(data)) == {
        "setup.sh",
        "run_autograder",
        WHEEL,
        f"{folder}/rubric.toml",
        f"{folder}/softmax.py",
        f"{folder}/softmax_errores.py",
    }
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.read(f"{folder}/softmax_errores.py") == (WORKSHOP / "softmax_errores.py").read_bytes()
    assert f'--rubric "$SOURCE/{folder}/rubric.toml"' in archive.read("run_autograder").decode()
    # The image build fails early if the rubric cannot load there.
    assert f'grader.cli rubrics "$SOURCE/{folder}/rubric.toml"' in archive.read("setup.sh").decode()


def test_a_module_the_autograder_would_not_have_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "gradescope_elsewhere.py").write_bytes((WORKSHOP / "softmax.py").read_bytes())
    monkeypatch.syspath_prepend(str(tmp_path))
    text = (
        (WORKSHOP / "rubric.toml").read_text(encoding="utf-8").replace('"softmax.py', '"gradescope_elsewhere')
    )
    rubric = tmp_path / "rubric.toml"
    rubric.write_text(text.replace('mistakes = "softmax_errores.py"\n', ""), encoding="utf-8")
    with pytest.raises(
        UsageError, match=r"gradescope_elsewhere\.py is not part of the grader or of the workshop"
    ):
        autograder_zip([resolve_rubric(str(rubric))], secret=None)


def test_zip_carries_the_secret_only_when_given_and_private() -> None:
    rubric = resolve_rubric("xor")
    found = members(autograder_zip([rubric], secret=SECRET))
    assert mode(found[SECRET_FILE]) == 0o600
    data = autograder_zip([rubric], secret=SECRET)
    assert zipfile.ZipFile(io.BytesIO(data)).read(SECRET_FILE).decode() == SECRET
    assert SECRET.encode() not in zipfile.ZipFile(io.BytesIO(data)).read("run_autograder")


@pytest.mark.parametrize("script", ["setup.sh", "run_autograder"])
def test_scripts_are_valid_bash(tmp_path: Path, script: str) -> None:
    data = autograder_zip([resolve_rubric("xor"), resolve_rubric("linreg")], secret=SECRET, lang="en")
    path = tmp_path / script
    path.write_bytes(zipfile.ZipFile(io.BytesIO(data)).read(script))
    checked = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    assert path.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")


def test_wheel_is_installable_metadata_and_all() -> None:
    archive = zipfile.ZipFile(io.BytesIO(build_wheel()))
    names = set(archive.namelist())
    for required in (
        "grader/cli.py",
        "grader/rubrics/xor.toml",
        "grader/schema/results.schema.json",
        "grader/report/templates/index.html",
        "grader/integrations/templates/run_autograder",
        "grader/sandbox/zygote.py",
        "reference/xor.py",
        "reference/mistakes/xor.py",
    ):
        assert required in names, required
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    info = f"taller_grader-{__version__}.dist-info"
    metadata = archive.read(f"{info}/METADATA").decode()
    assert f"Version: {__version__}" in metadata
    assert "Requires-Dist: numpy" in metadata
    assert "grader = grader.cli:main" in archive.read(f"{info}/entry_points.txt").decode()
    assert "Tag: py3-none-any" in archive.read(f"{info}/WHEEL").decode()
    record = archive.read(f"{info}/RECORD").decode().splitlines()
    assert len(record) == len(names)
    for line in record:
        name, digest, size = line.rsplit(",", 2)
        if name.endswith("RECORD"):
            continue
        content = archive.read(name)
        expected = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()
        assert digest == f"sha256={expected}" and int(size) == len(content), name


def test_export_command_writes_the_zip(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    out = tmp_path / "out" / "autograder.zip"
    result = CliRunner().invoke(
        main,
        [
            "export",
            "gradescope",
            "--rubric",
            "xor",
            "--out",
            str(out),
            "--secret-file",
            str(secret),
            "--time-limit",
            "120",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "hidden checks" in result.output
    assert zipfile.ZipFile(out).read(SECRET_FILE).decode() == SECRET
    script = zipfile.ZipFile(out).read("run_autograder").decode()
    assert 'TIME_LIMIT="${GRADER_TIME_LIMIT:-120}"' in script
    assert "(120 s)" in script
    unknown = CliRunner().invoke(main, ["export", "gradescope", "--rubric", "nope", "--out", str(out)])
    assert unknown.exit_code == 2


# --- run_autograder in a folder that mimics /autograder -------------------------------------------------


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The zip as `grader export gradescope` writes it, and its wheel installed as setup.sh would."""
    folder = tmp_path_factory.mktemp("bundle")
    secret = folder / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "export",
            "gradescope",
            "--rubric",
            "xor",
            "--out",
            str(folder / "autograder.zip"),
            "--secret-file",
            str(secret),
        ],
    )
    assert result.exit_code == 0, result.output
    wheel = folder / WHEEL
    wheel.write_bytes(zipfile.ZipFile(folder / "autograder.zip").read(WHEEL))
    # setup.sh makes a virtual environment and installs the wheel with its dependencies from PyPI; here
    # the wheel goes into a folder of its own and the dependencies come from the test environment.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(folder / "site"),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {"zip": folder / "autograder.zip", "site": folder / "site"}


def autograder_tree(tmp_path: Path, bundle: dict[str, Path], files: dict[str, bytes]) -> Path:
    """/autograder as Gradescope lays it out: source (the zip), run_autograder, submission."""
    root = tmp_path / "autograder"
    source = root / "source"
    source.mkdir(parents=True)
    with zipfile.ZipFile(bundle["zip"]) as archive:
        for info in archive.infolist():
            target = source / info.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(info))
            target.chmod(mode(info))
    shutil.copy(source / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    for name, content in files.items():
        (root / "submission" / name).write_bytes(content)
    return root


def run_autograder(
    root: Path, bundle: dict[str, Path], *, python: str = sys.executable, extra: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GRADER_", "AUTOGRADER_"))}
    env.update(
        {
            "AUTOGRADER_ROOT": str(root),
            "GRADER_PYTHON": python,
            "PYTHONPATH": str(bundle["site"]),
            **(extra or {}),
        }
    )
    completed = subprocess.run(
        [str(root / "run_autograder")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(results, RESULTS_SCHEMA)
    return completed, results


@pytest.mark.slow
def test_correct_submission_gets_every_point_hidden_checks_included(
    tmp_path: Path, bundle: dict[str, Path]
) -> None:
    root = autograder_tree(tmp_path, bundle, {"taller.py": (SUBMISSIONS / "carlos_ruiz.py").read_bytes()})
    (root / "results").mkdir()
    (root / "results" / "results.json").write_text('{"score": 1000, "tests": []}', encoding="utf-8")
    completed, results = run_autograder(root, bundle)
    assert completed.returncode == 0, completed.stderr
    assert results["score"] == 15
    assert sum(t["max_score"] for t in results["tests"]) == 15
    assert all(t["status"] == "passed" for t in results["tests"])
    hidden = [t for t in results["tests"] if t["visibility"] != "visible"]
    assert hidden, "the secret in the zip enables the hidden checks"
    assert not (root / "source" / SECRET_FILE).exists(), "the secret is gone before student code runs"


@pytest.mark.slow
def test_broken_notebook_still_gets_a_results_file(tmp_path: Path, bundle: dict[str, Path]) -> None:
    broken = (SUBMISSIONS / "ricardo_flores.ipynb").read_bytes()
    root = autograder_tree(tmp_path, bundle, {"taller_xor.ipynb": broken})
    completed, results = run_autograder(root, bundle)
    assert completed.returncode == 0, completed.stderr
    assert results["score"] == 0
    assert "truncated_notebook" in results["output"]


@pytest.mark.slow
def test_submission_cannot_leave_its_own_results(tmp_path: Path, bundle: dict[str, Path]) -> None:
    target = tmp_path / "autograder" / "results" / "results.json"
    hostile = (
        "import json, os\n"
        f"path = {str(target)!r}\n"
        "try:\n"
        "    os.makedirs(os.path.dirname(path), exist_ok=True)\n"
        "    with open(path, 'w') as f:\n"
        "        json.dump({'score': 1000, 'tests': []}, f)\n"
        "except OSError:\n"
        "    pass\n"
        "def feedForward(X, w1, w2, b1, b2):\n"
        "    os._exit(0)\n"
    )
    root = autograder_tree(tmp_path, bundle, {"taller.py": hostile.encode()})
    completed, results = run_autograder(root, bundle)
    assert completed.returncode == 0, completed.stderr
    assert results["score"] == 0
    assert results["tests"], "the grader's own results, one test per check"


@pytest.mark.slow
def test_a_workshop_folder_in_the_zip_grades_the_submission(tmp_path: Path, bundle: dict[str, Path]) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    exported = tmp_path / "softmax.zip"
    options = ["--rubric", str(WORKSHOP), "--out", str(exported), "--secret-file", str(secret)]
    result = CliRunner().invoke(main, ["export", "gradescope", *options])
    assert result.exit_code == 0, result.output
    assert "softmax: 5 points, hidden checks" in result.output
    sample = (WORKSHOP.parent / "softmax_samples" / "por_filas.py").read_bytes()
    root = autograder_tree(tmp_path, {"zip": exported, "site": bundle["site"]}, {"taller.py": sample})
    completed, results = run_autograder(root, bundle)
    assert completed.returncode == 0, completed.stderr
    assert sum(t["max_score"] for t in results["tests"]) == 5
    assert 0 < results["score"] < 5
    assert any(t["visibility"] != "visible" for t in results["tests"]), "hidden checks ran"
    # The workshop's own hint, in the rubric's language, from the modules the zip carries.
    assert any("Normalizas por filas" in t.get("output", "") for t in results["tests"])


def fake_python(tmp_path: Path, body: str) -> str:
    script = tmp_path / "python"
    script.write_text(f"#!/usr/bin/env bash\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


@pytest.mark.parametrize(
    ("body", "extra", "says"),
    [
        ("kill -9 $$", {}, "137"),
        ("echo 'Traceback: grader broke' >&2; exit 1", {}, "(código de salida 1)"),
        ("exec sleep 30", {"GRADER_TIME_LIMIT": "1"}, "tiempo máximo"),
    ],
    ids=["killed", "crashed", "out-of-time"],
)
def test_a_grader_that_dies_still_leaves_a_valid_zero(
    tmp_path: Path, bundle: dict[str, Path], body: str, extra: dict[str, str], says: str
) -> None:
    root = autograder_tree(
        tmp_path, bundle, {"taller.py": b"def feedForward(X, w1, w2, b1, b2):\n    pass\n"}
    )
    python = fake_python(tmp_path, f'case "$*" in *grader.cli*) {body} ;; esac\nexec {sys.executable} "$@"')
    completed, results = run_autograder(root, bundle, python=python, extra=extra)
    assert completed.returncode == 0, completed.stderr
    assert results["score"] == 0
    (test,) = results["tests"]
    assert test["max_score"] == 15 and test["status"] == "failed" and test["visibility"] == "visible"
    assert says in results["output"]
    assert "fallback" in completed.stderr


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("choom") is None, reason="util-linux's choom is not installed")
def test_out_of_memory_kills_the_grader_not_the_script(tmp_path: Path, bundle: dict[str, Path]) -> None:
    root = autograder_tree(tmp_path, bundle, {"taller.py": b"x = 1\n"})
    python = fake_python(
        tmp_path, 'case "$*" in *grader.cli*) echo "adj=$(cat /proc/self/oom_score_adj)" >&2; exit 1 ;; esac'
    )
    completed, _ = run_autograder(root, bundle, python=python)
    assert "adj=1000" in completed.stderr
