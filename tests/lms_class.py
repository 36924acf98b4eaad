"""A small class graded through the installed CLI, for the LMS round-trip tests: roster filling,
feedback packages and manual adjustments.

The files are named by the students' logins (the local part of their e-mail address in the LMS's
roster): that is how plain files are matched to roster rows when the submissions carry no LMS ids.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "submissions"
LMS_FILES = Path(__file__).resolve().parent / "files" / "lms"
MOODLE_WORKSHEET = LMS_FILES / "moodle_grading_worksheet.csv"
CANVAS_EXPORT = LMS_FILES / "canvas_gradebook_export.csv"
CANVAS_EXPORT_SEMICOLON = LMS_FILES / "canvas_gradebook_export_semicolon.csv"
SECRET = "lms-round-trip-secret-5e1d"

# login → sample: a correct notebook, two with one wrong function, a cut-off notebook, and a stray copy
# whose name is nobody's login.
CLASS = {
    "ana.gomez.ipynb": "ana_gomez.ipynb",
    "sofia.martinez.ipynb": "sofia_martinez.ipynb",
    "mjperez.py": "diego_fernandez.py",
    "ricardo.flores.ipynb": "ricardo_flores.ipynb",
    "copia_vieja.py": "carlos_ruiz.py",
}


def make_class(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name, sample in CLASS.items():
        shutil.copy(SAMPLES / sample, folder / name)
    return folder


def run_grader(
    grader_command: Sequence[str], *args: str, cwd: Path | None = None, secret: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GRADER_SECRET"}
    if secret:
        env["GRADER_SECRET"] = SECRET
    return subprocess.run(
        [*grader_command, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def results_by_id(out: Path) -> dict[str, dict[str, Any]]:
    document = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return {s["id"]: s for s in document["submissions"]}
