"""Finding submissions: each .py/.ipynb file in a folder, or each sub-folder, is one submission."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from grader.errors import UsageError

SOURCE_SUFFIXES = (".py", ".ipynb")
# Folders that tools create next to students' files; never submissions.
IGNORED_DIRS = frozenset({"__pycache__", ".ipynb_checkpoints", ".git", ".venv", "node_modules"})


@dataclass(frozen=True)
class Submission:
    """One student's hand-in: an id (file stem or folder name) and its source files."""

    id: str
    source: str
    root: Path
    files: tuple[Path, ...]

    def display_name(self, path: Path) -> str:
        """A file's name as the student knows it (relative to the submission's folder)."""
        return path.name if self.root == path else str(path.relative_to(self.root))

    def fingerprint(self) -> str:
        """A hash of the submission's content (file names and bytes), for resuming interrupted batches."""
        digest = hashlib.sha256()
        for path in self.files:
            digest.update(self.display_name(path).encode())
            digest.update(b"\0")
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"<unreadable>")
            digest.update(b"\0")
        return digest.hexdigest()


def discover(paths: Iterable[Path]) -> list[Submission]:
    """The submissions under each path, sorted by id. A path may also be a single file."""
    found: list[Submission] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path} does not exist")
        if path.is_file():
            if path.suffix not in SOURCE_SUFFIXES:
                raise UsageError(f"{path} is not a .py or .ipynb file")
            found.append(_file_submission(path))
            continue
        for entry in sorted(path.iterdir()):
            if entry.name.startswith(".") or entry.name in IGNORED_DIRS:
                continue
            if entry.is_dir():
                found.append(_folder_submission(entry))
            elif entry.suffix in SOURCE_SUFFIXES:
                found.append(_file_submission(entry))
    _refuse_duplicates(found)
    return sorted(found, key=lambda s: s.id)


def _file_submission(path: Path) -> Submission:
    return Submission(id=path.stem, source=str(path), root=path, files=(path,))


def _folder_submission(folder: Path) -> Submission:
    files = tuple(
        sorted(
            p
            for p in folder.rglob("*")
            if p.is_file()
            and p.suffix in SOURCE_SUFFIXES
            and not any(part in IGNORED_DIRS or part.startswith(".") for part in p.relative_to(folder).parts)
        )
    )
    return Submission(id=folder.name, source=str(folder), root=folder, files=files)


def _refuse_duplicates(submissions: Sequence[Submission]) -> None:
    seen: dict[str, Submission] = {}
    for submission in submissions:
        if submission.id in seen:
            raise UsageError(
                f"two submissions share the id {submission.id!r}: "
                f"{seen[submission.id].source} and {submission.source}"
            )
        seen[submission.id] = submission
