"""End to end: ``grader grade`` on the LMS's own bulk downloads, through the installed command.

The zips are built here with ``zipfile``, named exactly as the LMS names them, holding the bundled
samples:

- Moodle "Download all submissions" (``mod/assign/classes/downloader.php`` since 4.1, and
  ``assign::download_submissions`` in ``mod/assign/locallib.php`` before): without folders every file
  is ``<Full Name>_<participant id>_assignsubmission_file_<name>``; with folders it lies in
  ``<Full Name>_<participant id>_assignsubmission_file`` (``..._file_`` before 4.1). Names are UTF-8.
- Canvas "Download Submissions" (``lib/content_zipper.rb``):
  ``<lastfirst>[_LATE]_<user id>_<file id>_<name>``, a re-uploaded file with ``-1`` before its
  extension (``Attachment.make_unique_filename``).
- GitHub Classroom (``gh classroom clone student-repos``): ``<slug>-submissions/<slug>-<username>/``,
  each a git checkout.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from grader.messages import words
from grader.report.html import page_name
from grader.results import schema_path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "submissions"
SECRET = "intake-end-to-end-secret"
UNTITLED = json.dumps(
    {
        "nbformat": 4,
        "nbformat_minor": 4,
        "metadata": {},
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "source": "print('hola')",
                "outputs": [],
                "execution_count": 1,
            }
        ],
    }
).encode()
EARLY, LATE = (2025, 3, 1, 9, 0, 0), (2025, 3, 2, 18, 30, 0)


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def build_zip(path: Path, members: list[tuple[str, bytes, tuple[int, ...]]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data, when in members:
            info = zipfile.ZipInfo(name, date_time=when)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            bundle.writestr(info, data)
    return path


def run_grade(
    grader_command: list[str], paths: list[Path], out: Path, scratch: Path
) -> subprocess.CompletedProcess[str]:
    scratch.mkdir(exist_ok=True)
    env = {**os.environ, "GRADER_SECRET": SECRET, "TMPDIR": str(scratch)}
    return subprocess.run(
        [*grader_command, "grade", *map(str, paths), "--out", str(out), "--jobs", "2", "--quiet"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("downloads")
    # José's second file is named as macOS writes "é" (decomposed): still the same student.
    jose_nfd = unicodedata.normalize("NFD", "José Núñez_1002_assignsubmission_file_taller (copia).py")
    moodle_flat = build_zip(
        folder / "TALLER-XOR-Entrega-1234.zip",
        [
            ("Ana Gómez_1001_assignsubmission_file_taller.ipynb", sample("ana_gomez.ipynb"), EARLY),
            # A stray notebook, newer than the real one: it defines nothing of the workshop.
            ("Ana Gómez_1001_assignsubmission_file_Untitled.ipynb", UNTITLED, LATE),
            # The newer file has the mistake; the older copy is correct. The newer one is graded.
            ("José Núñez_1002_assignsubmission_file_taller.py", sample("diego_fernandez.py"), LATE),
            (jose_nfd, sample("luis_perez.py"), EARLY),
            ("Martina Acosta_1003_assignsubmission_onlinetext_onlinetext.html", b"<p>adjunto</p>", EARLY),
            ("Martina Acosta_1003_assignsubmission_file_informe.pdf", b"%PDF-1.4", EARLY),
        ],
    )
    moodle_folders = build_zip(
        folder / "TALLER-LINREG-Entrega-5678.zip",
        [
            ("Lucía Ramírez_2001_assignsubmission_file/taller.py", sample("lucia_nunez.py"), LATE),
            (
                "Lucía Ramírez_2001_assignsubmission_file/.ipynb_checkpoints/taller-checkpoint.ipynb",
                sample("paula_rojas.ipynb"),
                LATE,
            ),
            ("Lucía Ramírez_2001_assignsubmission_onlinetext/onlinetext.html", b"<p/>", EARLY),
            # Moodle 3.x wrote the folder with a trailing underscore.
            (
                "María López_2002_assignsubmission_file_/taller_xor.ipynb",
                sample("maria_lopez/taller_xor.ipynb"),
                EARLY,
            ),
            (
                "María López_2002_assignsubmission_file_/taller_linreg.py",
                sample("maria_lopez/taller_linreg.py"),
                EARLY,
            ),
            ("__MACOSX/María López_2002_assignsubmission_file_/._taller_xor.ipynb", b"\0\5\26\7", EARLY),
        ],
    )
    canvas = build_zip(
        folder / "submissions.zip",
        [
            ("torresvalentina_5001_70001_taller.ipynb", sample("valentina_torres.ipynb"), EARLY),
            ("castroandres_LATE_5002_70002_taller-1.ipynb", sample("andres_castro.ipynb"), LATE),
            # A module re-uploaded under the same name: Canvas calls it utils-1.py, main.py imports utils.
            ("riossamuel_5003_70003_main.py", b"from utils import sigmoide\n", EARLY),
            ("riossamuel_5003_70004_utils-1.py", sample("samuel_rios.py"), LATE),
        ],
    )
    clones = folder / "taller-xor-submissions"
    for repository, files in {
        "taller-xor-jperez": {"taller.py": sample("carlos_ruiz.py"), "Untitled.ipynb": UNTITLED},
        "taller-xor-mrojas": {"taller.ipynb": sample("sofia_martinez.ipynb")},
    }.items():
        (clones / repository / ".git").mkdir(parents=True)
        (clones / repository / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
        (clones / repository / ".git" / "hook.py").write_text("raise SystemExit\n")
        for name, data in files.items():
            (clones / repository / name).write_bytes(data)
    return [moodle_flat, moodle_folders, canvas, clones]


@pytest.fixture(scope="module")
def graded(
    grader_command: list[str], downloads: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("reports")
    scratch = tmp_path_factory.mktemp("scratch")
    completed = run_grade(grader_command, downloads, out, scratch)
    assert completed.returncode == 0, completed.stderr
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return {
        "out": out,
        "stderr": completed.stderr,
        "scratch": scratch,
        "results": results,
        "by_id": {s["id"]: s for s in results["submissions"]},
    }


def expect_full(submission: dict[str, Any], *, full: bool = True) -> None:
    scores = {t["id"]: t["score"] == t["max_score"] for t in submission["tasks"]}
    assert scores and all(scores.values()) == full, scores


@pytest.mark.slow
def test_each_student_of_each_download_is_one_submission(graded: dict[str, Any]) -> None:
    assert set(graded["by_id"]) == {
        "Ana Gómez_1001",
        "José Núñez_1002",
        "Martina Acosta_1003",
        "Lucía Ramírez_2001",
        "María López_2002",
        "torresvalentina_5001",
        "castroandres_5002",
        "riossamuel_5003",
        "taller-xor-jperez",
        "taller-xor-mrojas",
    }
    jsonschema.validate(graded["results"], json.loads(schema_path().read_text(encoding="utf-8")))
    lines = graded["stderr"]
    assert words("intake.lms", "es", lms="Moodle", submissions="5 entregas") in lines
    assert words("intake.lms", "es", lms="Canvas", submissions="3 entregas") in lines
    assert words("intake.lms", "es", lms="GitHub Classroom", submissions="2 entregas") in lines


@pytest.mark.slow
def test_moodle_ids_and_names_are_kept(graded: dict[str, Any]) -> None:
    ana = graded["by_id"]["Ana Gómez_1001"]
    assert ana["student"]["lms"] == "moodle"
    assert ana["student"]["name"] == "Ana Gómez"
    assert ana["student"]["moodle_participant_id"] == "1001"
    assert graded["by_id"]["Lucía Ramírez_2001"]["student"]["moodle_participant_id"] == "2001"
    assert graded["by_id"]["María López_2002"]["student"]["name"] == "María López"


@pytest.mark.slow
def test_a_stray_notebook_is_listed_and_the_real_one_graded(graded: dict[str, Any]) -> None:
    ana = graded["by_id"]["Ana Gómez_1001"]
    assert ana["files"]["graded"] == ["taller.ipynb"]
    assert ana["files"]["ignored"] == [
        {"file": "Untitled.ipynb", "reason": "no_workshop_function", "graded_instead": None}
    ]
    expect_full(ana)


@pytest.mark.slow
def test_of_two_copies_the_newer_is_graded_and_the_double_definitions_said(graded: dict[str, Any]) -> None:
    jose = graded["by_id"]["José Núñez_1002"]
    assert jose["files"]["graded"] == ["taller.py"]
    assert jose["files"]["ignored"] == [
        {"file": "taller (copia).py", "reason": "older", "graded_instead": "taller.py"}
    ]
    duplicates = {(d["function"], d["graded_in"], d["also_in"]) for d in jose["files"]["duplicates"]}
    assert ("backProp", "taller.py", "taller (copia).py") in duplicates
    # The newer file's backProp forgets the sigmoid's derivative: its points show it was the one graded.
    back_prop = next(t for t in jose["tasks"] if t["id"] == "backProp")
    assert back_prop["score"] < back_prop["max_score"]
    page = (graded["out"] / "students" / page_name("José Núñez_1002")).read_text(encoding="utf-8")
    assert words("ignored.older", "es", file="taller (copia).py", graded="taller.py") in page
    functions = "backProp, costoGlobal, entrenarRed, feedForward"
    twice = words(
        "note.defined_twice_many", "es", functions=functions, graded="taller.py", other="taller (copia).py"
    )
    assert twice in page
    assert '<dd id="graded-files"><code>taller.py</code></dd>' in page
    assert "José Núñez · Moodle, participante 1002" in page


@pytest.mark.slow
def test_a_student_with_nothing_gradable_is_an_error_not_a_gap(graded: dict[str, Any]) -> None:
    martina = graded["by_id"]["Martina Acosta_1003"]
    assert martina["status"] == "error"
    assert martina["error"]["kind"] == "no_files"
    assert martina["student"]["moodle_participant_id"] == "1003"


@pytest.mark.slow
def test_moodle_folders_old_and_new_are_read_and_tool_copies_left_out(graded: dict[str, Any]) -> None:
    lucia = graded["by_id"]["Lucía Ramírez_2001"]
    assert lucia["files"]["graded"] == ["taller.py"]
    assert lucia["files"]["ignored"] == [
        {"file": ".ipynb_checkpoints/taller-checkpoint.ipynb", "reason": "tool_copy", "graded_instead": None}
    ]
    expect_full(lucia)
    maria = graded["by_id"]["María López_2002"]
    assert sorted(maria["files"]["graded"]) == ["taller_linreg.py", "taller_xor.ipynb"]
    assert sorted({t["rubric"] for t in maria["tasks"]}) == ["linreg", "xor"]
    expect_full(maria)


@pytest.mark.slow
def test_canvas_ids_lateness_and_re_uploaded_modules(graded: dict[str, Any]) -> None:
    valentina = graded["by_id"]["torresvalentina_5001"]["student"]
    assert (valentina["canvas_user_id"], valentina["canvas_attachment_ids"], valentina["late"]) == (
        "5001",
        ["70001"],
        False,
    )
    andres = graded["by_id"]["castroandres_5002"]
    assert andres["student"]["late"] is True and andres["student"]["name"] == "castroandres"
    assert andres["files"]["graded"] == ["taller-1.ipynb"]
    expect_full(andres)
    samuel = graded["by_id"]["riossamuel_5003"]
    assert sorted(samuel["files"]["graded"]) == ["main.py", "utils.py"]
    assert samuel["student"]["canvas_attachment_ids"] == ["70003", "70004"]
    notes = json.dumps(samuel["notes"])
    assert "import_error" not in notes and "imports_failed" not in notes
    expect_full(samuel)
    page = (graded["out"] / "students" / page_name("castroandres_5002")).read_text(encoding="utf-8")
    assert words("student.late", "es") in page


@pytest.mark.slow
def test_classroom_repositories_keep_the_username(graded: dict[str, Any]) -> None:
    jperez = graded["by_id"]["taller-xor-jperez"]
    assert jperez["student"] == {
        "lms": "classroom",
        "name": None,
        "moodle_participant_id": None,
        "canvas_user_id": None,
        "canvas_attachment_ids": [],
        "canvas_anonymous_id": None,
        "late": False,
        "github_username": "jperez",
    }
    assert jperez["files"]["graded"] == ["taller.py"]
    assert [i["file"] for i in jperez["files"]["ignored"]] == ["Untitled.ipynb"]
    expect_full(jperez)
    assert graded["by_id"]["taller-xor-mrojas"]["student"]["github_username"] == "mrojas"


@pytest.mark.slow
def test_the_zips_are_unpacked_only_into_a_folder_removed_at_the_end(graded: dict[str, Any]) -> None:
    assert list(graded["scratch"].iterdir()) == []


# --- hostile zips --------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_hostile_moodle_zip_costs_only_its_hostile_members(
    grader_command: list[str], tmp_path: Path
) -> None:
    absolute = tmp_path / "outside" / "abs_evil.py"
    link = zipfile.ZipInfo("Eve Mallory_3001_assignsubmission_file_/link.py")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive = tmp_path / "hostile.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("../evil.py", b"EVIL = 1\n")
        bundle.writestr(str(absolute), b"EVIL = 1\n")
        bundle.writestr("C:\\evil.py", b"EVIL = 1\n")
        bundle.writestr("Eve Mallory_3001_assignsubmission_file_/..\\..\\evil.py", b"EVIL = 1\n")
        bundle.writestr(link, b"/etc/passwd")
        bundle.writestr("Eve Mallory_3001_assignsubmission_file_/bomb.ipynb", b"\0" * (64 * 1024**2))
        bundle.writestr("Eve Mallory_3001_assignsubmission_file_/taller.py", sample("jorge_ramirez.py"))
        bundle.writestr("Bob Good_3002_assignsubmission_file_taller.py", sample("carlos_ruiz.py"))
    workdir = tmp_path / "work" / "deeper"
    workdir.mkdir(parents=True)
    completed = subprocess.run(
        [*grader_command, "grade", str(archive), "--out", str(tmp_path / "out"), "--jobs", "1", "--quiet"],
        env={**os.environ, "GRADER_SECRET": SECRET, "TMPDIR": str(tmp_path / "work")},
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    results = {s["id"]: s for s in json.loads((tmp_path / "out" / "results.json").read_text())["submissions"]}
    assert set(results) == {"Eve Mallory_3001", "Bob Good_3002", "hostile.zip"}
    expect_full(results["Bob Good_3002"])
    eve = results["Eve Mallory_3001"]
    assert eve["status"] == "graded" and eve["files"]["graded"] == ["taller.py"]
    refused = {(n["key"], n["params"]["file"]) for n in eve["notes"] if n["key"].startswith("refused.")}
    assert refused == {
        ("refused.unsafe_path", "evil.py"),
        ("refused.symlink", "link.py"),
        ("refused.compression_ratio", "bomb.ipynb"),
    }
    strays = results["hostile.zip"]
    assert strays["status"] == "error" and strays["error"]["kind"] == "unsafe_path"
    # Nothing was written where the hostile paths pointed, nor left behind in the temporary folder.
    assert not absolute.exists()
    assert [p for p in tmp_path.rglob("*evil*") if p.is_file()] == []
    assert [p for p in (tmp_path / "work").rglob("*") if p != workdir] == []


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["truncated", "forged_sizes", "not_a_zip"])
def test_a_broken_zip_stops_the_run_naming_it(grader_command: list[str], tmp_path: Path, damage: str) -> None:
    archive = build_zip(
        tmp_path / "entregas.zip",
        [("Ana Gómez_1001_assignsubmission_file_taller.ipynb", sample("ana_gomez.ipynb"), EARLY)],
    )
    data = bytearray(archive.read_bytes())
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "forged_sizes":
        # Every header claims 3 GiB for the notebook: a zip bomb by what it declares.
        for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            at = data.find(signature)
            data[at + offset : at + offset + 4] = (3 * 1024**3).to_bytes(4, "little")
    else:
        data = bytearray(b"<html>not a zip</html>")
    archive.write_bytes(bytes(data))
    completed = run_grade(grader_command, [archive], tmp_path / "out", tmp_path / "scratch")
    assert completed.returncode == 2, completed.stderr
    assert "entregas.zip" in completed.stderr
    assert not (tmp_path / "out" / "results.json").exists()
    assert list((tmp_path / "scratch").iterdir()) == []
