"""Results kept on disk as each submission completes, so an interrupted batch resumes where it stopped.

Each finished submission is written atomically to ``<out>/.results/<key>.json``, where the key is
:meth:`grader.grading.Grader.result_key` (content, rubrics, version, language and secret, hashed).
Re-running the same command reuses every result whose key still matches; anything else is graded again.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from grader.results import SubmissionResult

STORE_DIR = ".results"


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
