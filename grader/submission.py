"""Finding submissions and reading their files: each .py/.ipynb file in a folder, or each sub-folder.

A submission's files are hostile input that the grader opens with its own rights. Nothing here follows
a symbolic link (not even in a folder on the way to a file), opens anything but a regular file, or
reads more than a size limit: a link to ``/proc/self/environ``, to the reference solution or to a
classmate's file, a FIFO that would block, a device, or a file of gigabytes is reported on the
submission as what it is, and never read.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from grader.errors import UsageError

SOURCE_SUFFIXES = (".py", ".ipynb")
# Folders that tools create next to students' files; never submissions.
IGNORED_DIRS = frozenset({"__pycache__", ".ipynb_checkpoints", ".git", ".venv", "node_modules"})

RefusalKind = Literal[
    "symlink", "special_file", "file_too_large", "too_many_files", "too_deep", "unreadable_file"
]


@dataclass(frozen=True)
class ReadLimits:
    """How much of a submission the grader reads. Generous: a Colab notebook full of plots is a few MB,
    a workshop's code a few KB; the limits are there so that one file cannot cost the batch minutes."""

    notebook_bytes: int = 32 * 1024**2
    module_bytes: int = 2 * 1024**2
    files: int = 64
    depth: int = 8
    # The code a submission's files hold together, once notebooks' outputs are left aside.
    code_bytes: int = 4 * 1024**2

    def max_bytes(self, name: str) -> int:
        return self.notebook_bytes if name.lower().endswith(".ipynb") else self.module_bytes


DEFAULT_READ_LIMITS = ReadLimits()


@dataclass(frozen=True)
class Refusal:
    """A file of the submission that was not read, and why (``detail``: a size or a count)."""

    name: str
    kind: RefusalKind
    detail: int = 0


@dataclass(frozen=True)
class SubmissionFile:
    """A file read from a submission: its name as the student knows it, and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Submission:
    """One student's hand-in: an id (file stem or folder name) and its source files.

    ``root`` is the file itself or the submission's folder; ``files`` are regular files found without
    following any link; ``refused`` are entries that looked like source files but are not read.
    """

    id: str
    source: str
    root: Path
    files: tuple[Path, ...]
    refused: tuple[Refusal, ...] = ()
    limits: ReadLimits = DEFAULT_READ_LIMITS

    def display_name(self, path: Path) -> str:
        """A file's name as the student knows it (relative to the submission's folder)."""
        return path.name if self.root == path else str(path.relative_to(self.root))

    def read(self) -> tuple[list[SubmissionFile], list[Refusal]]:
        """Every file's bytes, read safely, and the files that could not be (with the ones refused when
        the submission was found)."""
        read: list[SubmissionFile] = []
        refused = list(self.refused)
        for path in self.files:
            name = self.display_name(path)
            base, parts = (
                (path.parent, (path.name,))
                if self.root == path
                else (self.root, path.relative_to(self.root).parts)
            )
            try:
                data = read_regular_file(base, parts, max_bytes=self.limits.max_bytes(name))
                read.append(SubmissionFile(name, data))
            except RefusedFile as exc:
                refused.append(Refusal(name, exc.kind, exc.detail))
        return read, refused

    def fingerprint(self) -> str:
        """A hash of the submission's content (file names and bytes), for resuming interrupted batches."""
        digest = hashlib.sha256()
        files, refused = self.read()
        for file in files:
            digest.update(f"{file.name}\0".encode())
            digest.update(hashlib.sha256(file.data).digest())
        for refusal in refused:
            digest.update(f"{refusal.name}\0{refusal.kind}\0{refusal.detail}\0".encode())
        return digest.hexdigest()


class RefusedFile(Exception):
    """A path the grader will not read: a link, a special file, too large, or unreadable."""

    def __init__(self, kind: RefusalKind, detail: int = 0) -> None:
        super().__init__(kind)
        self.kind: RefusalKind = kind
        self.detail = detail


def read_regular_file(root: Path, relative: Sequence[str], *, max_bytes: int) -> bytes:
    """The bytes of the file ``relative`` (path parts) under the folder ``root``; ``RefusedFile`` when it
    is a link, a special file, larger than ``max_bytes`` or unreadable.

    ``root`` is the instructor's (it may be reached through links); below it, each folder on the way is
    opened with ``O_NOFOLLOW`` relative to the previous one, so a folder swapped for a link cannot lead
    elsewhere either. ``O_NONBLOCK`` keeps a FIFO from blocking the open.
    """
    nofollow = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        folder = os.open(str(root), os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise RefusedFile("unreadable_file") from exc
    try:
        for part in relative[:-1]:
            try:
                inner = os.open(part, nofollow | os.O_DIRECTORY, dir_fd=folder)
            except OSError as exc:
                raise RefusedFile(_open_refusal(exc)) from exc
            os.close(folder)
            folder = inner
        try:
            fd = os.open(relative[-1], nofollow | os.O_NONBLOCK, dir_fd=folder)
        except OSError as exc:
            raise RefusedFile(_open_refusal(exc)) from exc
    finally:
        os.close(folder)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RefusedFile("special_file")
        if info.st_size > max_bytes:
            raise RefusedFile("file_too_large", info.st_size)
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            try:
                chunk = os.read(fd, min(left, 1 << 20))
            except OSError as exc:
                raise RefusedFile("unreadable_file") from exc
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > max_bytes:
            # It grew while being read (or /proc-like files report no size).
            raise RefusedFile("file_too_large", len(data))
        return data
    finally:
        os.close(fd)


def _open_refusal(error: OSError) -> RefusalKind:
    # O_NOFOLLOW on a link fails with ELOOP; O_DIRECTORY on a link to a folder with ENOTDIR.
    return "symlink" if error.errno in (errno.ELOOP, errno.ENOTDIR) else "unreadable_file"


def discover(paths: Iterable[Path], *, limits: ReadLimits = DEFAULT_READ_LIMITS) -> list[Submission]:
    """The submissions under each path, sorted by id. A path may also be a single file.

    The paths themselves are the instructor's (they may be links); what lies inside them is the
    students', and a link or a special file there is a submission's problem, reported on it.
    """
    found: list[Submission] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path} does not exist")
        if path.is_file():
            if path.suffix not in SOURCE_SUFFIXES:
                raise UsageError(f"{path} is not a .py or .ipynb file")
            found.append(_file_submission(path, limits))
            continue
        with os.scandir(path) as entries:
            listed = sorted(entries, key=lambda e: e.name)
        for entry in listed:
            if entry.name.startswith(".") or entry.name in IGNORED_DIRS:
                continue
            entry_path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                found.append(folder_submission(entry_path, limits=limits))
            elif _is_source_name(entry.name) or entry.is_dir():
                # A link (to a file or a folder) or a special file where a submission would be.
                found.append(_file_submission(entry_path, limits))
    _refuse_duplicates(found)
    return sorted(found, key=lambda s: s.id)


def _is_source_name(name: str) -> bool:
    return name.endswith(SOURCE_SUFFIXES)


def _file_submission(path: Path, limits: ReadLimits) -> Submission:
    stem = path.stem if _is_source_name(path.name) else path.name
    try:
        info = path.lstat()
    except OSError:
        return Submission(stem, str(path), path, (), (Refusal(path.name, "unreadable_file"),), limits)
    if stat.S_ISLNK(info.st_mode):
        return Submission(stem, str(path), path, (), (Refusal(path.name, "symlink"),), limits)
    if not stat.S_ISREG(info.st_mode):
        return Submission(stem, str(path), path, (), (Refusal(path.name, "special_file"),), limits)
    return Submission(id=stem, source=str(path), root=path, files=(path,), limits=limits)


def folder_submission(
    folder: Path, *, submission_id: str | None = None, limits: ReadLimits = DEFAULT_READ_LIMITS
) -> Submission:
    """Everything gradable under ``folder`` as one submission (tool folders and hidden ones left out)."""
    files: list[Path] = []
    refused: list[Refusal] = []
    for path, kind in _walk(folder, depth=limits.depth):
        name = str(PurePosixPath(*path.relative_to(folder).parts))
        if kind is not None:
            refused.append(Refusal(name, kind))
        elif len(files) >= limits.files:
            refused.append(Refusal(name, "too_many_files", limits.files))
        else:
            files.append(path)
    return Submission(
        id=submission_id or folder.name,
        source=str(folder),
        root=folder,
        files=tuple(sorted(files)),
        refused=tuple(refused),
        limits=limits,
    )


def _walk(folder: Path, *, depth: int) -> Iterator[tuple[Path, RefusalKind | None]]:
    """Source files under ``folder`` in name order (kind None), and entries refused on the way."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError:
        yield folder, "unreadable_file"
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name in IGNORED_DIRS:
            continue
        path = Path(entry.path)
        if entry.is_symlink():
            # Reported only where it would have been read: a linked folder, or a source file's name.
            if _is_source_name(entry.name) or entry.is_dir():
                yield path, "symlink"
        elif entry.is_dir(follow_symlinks=False):
            if depth <= 0:
                yield path, "too_deep"
            else:
                yield from _walk(path, depth=depth - 1)
        elif _is_source_name(entry.name):
            yield path, None if entry.is_file(follow_symlinks=False) else "special_file"


def _refuse_duplicates(submissions: Sequence[Submission]) -> None:
    seen: dict[str, Submission] = {}
    for submission in submissions:
        if submission.id in seen:
            raise UsageError(
                f"two submissions share the id {submission.id!r}: "
                f"{seen[submission.id].source} and {submission.source}"
            )
        seen[submission.id] = submission
