"""Results kept on disk as each submission completes, so an interrupted batch resumes where it stopped.

Each finished submission is written atomically to ``<out>/.results/<key>.json``, where the key is
:meth:`grader.grading.Grader.result_key` (content, rubrics, version, language and secret, hashed).
Re-running the same command reuses every result whose key still matches; anything else is graded again.

A submission graded in the grader's own process is marked ``<key>.started`` until its result is kept:
a marker left without a result means that grading it ended the process (see :mod:`grader.batch`).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from grader.results import SubmissionResult

STORE_DIR = ".results"
STARTED_SUFFIX = ".started"


class ResultStore:
    """A folder of finished results, one JSON file per submission key."""

    def __init__(self, out_dir: Path) -> None:
        self.folder = out_dir / STORE_DIR
        self.folder.mkdir(parents=True, exist_ok=True)

    def get(self, key: str) -> SubmissionResult | None:
        path = self.folder / f"{key}.json"
        try:
            return SubmissionResult.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, result: SubmissionResult) -> None:
        write_atomically(self.folder / f"{key}.json", json.dumps(result.to_json(), ensure_ascii=False))

    def mark_started(self, key: str) -> None:
        """Note that grading ``key`` began; :meth:`unmark_started` once its result is kept."""
        (self.folder / f"{key}{STARTED_SUFFIX}").touch()

    def unmark_started(self, key: str) -> None:
        (self.folder / f"{key}{STARTED_SUFFIX}").unlink(missing_ok=True)

    def was_started(self, key: str) -> bool:
        """Whether grading ``key`` began and was not marked finished since."""
        return (self.folder / f"{key}{STARTED_SUFFIX}").exists()

    def forget_started(self) -> None:
        """Drop every marker: the next grading of each submission starts afresh."""
        for marker in self.folder.glob(f"*{STARTED_SUFFIX}"):
            marker.unlink(missing_ok=True)


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file and a rename: a crash never leaves a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp"
    ) as f:
        f.write(text)
    # NamedTemporaryFile creates 0600 files; reports are meant to be read (and served) like any other file.
    os.chmod(f.name, 0o644)
    os.replace(f.name, path)
