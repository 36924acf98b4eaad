"""Finding submissions and reading their files: each .py/.ipynb file in a folder, or each sub-folder.
(What an LMS download holds is recognised in :mod:`grader.intake`, which builds on this.)

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
from grader.provenance import IgnoredFile, SourceChoice, Student

SOURCE_SUFFIXES = (".py", ".ipynb")
# Folders that tools create next to students' files; never submissions, never graded.
IGNORED_DIRS = frozenset(
    {"__pycache__", ".ipynb_checkpoints", ".git", ".venv", "node_modules", "__MACOSX", ".vscode", ".idea"}
)
# Of those, the ones that hold copies of the student's own files (Jupyter's checkpoints, the resource
# forks macOS puts in zips): a copy found there is listed as ignored, so the student sees it was seen.
TOOL_COPY_DIRS = frozenset({".ipynb_checkpoints", "__MACOSX"})
# Lock and backup files editors leave beside a file (Office's ``~$name``, LibreOffice's ``.~lock``).
TOOL_FILE_PREFIXES = ("~$", ".~lock")

RefusalKind = Literal[
    "symlink",
    "special_file",
    "file_too_large",
    "too_many_files",
    "too_deep",
    "unreadable_file",
    # Members of a zip (see grader.intake.zips):
    "unsafe_path",
    "compression_ratio",
    "encrypted",
    "duplicate_name",
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
    """One student's hand-in: an id (file stem, folder name, or what an LMS download names the student
    by) and its source files.

    ``root`` is the file itself, the submission's folder, or the folder of an LMS download that holds
    the student's files beside others' (every file is read from it without following links);
    ``files`` are regular files found without following any link, in the order they are loaded;
    ``names`` their names as the student knows them, when those are not their paths under ``root``
    (an LMS prefixes them); ``refused`` are entries that looked like source files but are not read;
    ``ignored`` copies tools keep, seen and not graded; ``student`` who handed it in, as an LMS download
    names them; ``choice`` which files were chosen to be graded (see :mod:`grader.intake.choice`).
    """

    id: str
    source: str
    root: Path
    files: tuple[Path, ...]
    refused: tuple[Refusal, ...] = ()
    limits: ReadLimits = DEFAULT_READ_LIMITS
    names: tuple[str, ...] = ()
    ignored: tuple[IgnoredFile, ...] = ()
    student: Student | None = None
    choice: SourceChoice | None = None

    def display_name(self, path: Path) -> str:
        """A file's name as the student knows it (relative to the submission's folder)."""
        if self.names and path in self.files:
            return self.names[self.files.index(path)]
        return path.name if self.root == path else str(PurePosixPath(*path.relative_to(self.root).parts))

    def sources(self) -> SourceChoice:
        """Which files are graded and which were left aside: the choice made, or every file found."""
        if self.choice is not None:
            return self.choice
        return SourceChoice(graded=tuple(self.display_name(p) for p in self.files), ignored=self.ignored)

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
        # What the result records beside the grades: who handed it in, what was left aside and why.
        digest.update(repr((self.student, self.sources())).encode())
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
    if not _opens_below_folders():
        return _read_checking_paths(root, relative, max_bytes=max_bytes)
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
    return _read_opened(fd, max_bytes=max_bytes)


def _opens_below_folders() -> bool:
    """Whether files can be opened relative to an open folder without following links (POSIX); Windows
    can do neither."""
    flags = ("O_NOFOLLOW", "O_DIRECTORY", "O_CLOEXEC", "O_NONBLOCK")
    return os.open in os.supports_dir_fd and all(hasattr(os, flag) for flag in flags)


def _read_checking_paths(root: Path, relative: Sequence[str], *, max_bytes: int) -> bytes:
    """:func:`read_regular_file` where files cannot be opened relative to a folder (Windows): each path
    on the way is looked at before the file is opened, so a link is still refused, though one swapped in
    between the look and the open is not seen. Only a student's self-check reads files there: their own
    files, on their own machine."""
    path = root
    for part in relative:
        path = path / part
        try:
            info = os.lstat(path)
        except OSError as exc:
            raise RefusedFile("unreadable_file") from exc
        if stat.S_ISLNK(info.st_mode) or _is_junction(path):
            raise RefusedFile("symlink")
    if not stat.S_ISREG(info.st_mode):
        raise RefusedFile("special_file")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise RefusedFile("unreadable_file") from exc
    return _read_opened(fd, max_bytes=max_bytes)


def _is_junction(path: Path) -> bool:
    # A Windows junction leads elsewhere as a link does; Python tells them apart from 3.12 on.
    is_junction = getattr(os.path, "isjunction", None)
    return bool(is_junction(path)) if is_junction is not None else False


def _read_opened(fd: int, *, max_bytes: int) -> bytes:
    """The bytes of the open file ``fd`` (closed afterwards): a regular file of at most ``max_bytes``."""
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
            found.append(file_submission(path, limits=limits))
            continue
        with os.scandir(path) as entries:
            listed = sorted(entries, key=lambda e: e.name)
        for entry in listed:
            if is_tool_name(entry.name):
                continue
            entry_path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                found.append(folder_submission(entry_path, limits=limits))
            elif is_source_name(entry.name) or entry.is_dir():
                # A link (to a file or a folder) or a special file where a submission would be.
                found.append(file_submission(entry_path, limits=limits))
    refuse_duplicates(found)
    return sorted(found, key=lambda s: s.id)


def is_source_name(name: str) -> bool:
    return name.endswith(SOURCE_SUFFIXES)


def is_tool_name(name: str) -> bool:
    """Whether an entry is something tools keep beside students' files (hidden entries, caches, VCS and
    editor folders, lock files): never a submission, never graded."""
    return name.startswith((".", *TOOL_FILE_PREFIXES)) or name in IGNORED_DIRS


def file_submission(
    path: Path, *, submission_id: str | None = None, limits: ReadLimits = DEFAULT_READ_LIMITS
) -> Submission:
    """One file as a submission (id: its stem); a link or a special file is refused, never followed."""
    stem = submission_id or (path.stem if is_source_name(path.name) else path.name)
    try:
        info = path.lstat()
    except OSError:
        return Submission(stem, str(path), path, (), (Refusal(path.name, "unreadable_file"),), limits)
    if stat.S_ISLNK(info.st_mode):
        return Submission(stem, str(path), path, (), (Refusal(path.name, "symlink"),), limits)
    if not stat.S_ISREG(info.st_mode):
        return Submission(stem, str(path), path, (), (Refusal(path.name, "special_file"),), limits)
    return Submission(id=stem, source=str(path), root=path, files=(path,), limits=limits)


@dataclass(frozen=True)
class FolderScan:
    """What a folder holds for grading: source files (in name order), entries refused, tool copies
    seen. Names are relative to the folder scanned, as the student knows them."""

    files: tuple[Path, ...]
    names: tuple[str, ...]
    refused: tuple[Refusal, ...]
    ignored: tuple[IgnoredFile, ...]


def scan_folder(folder: Path, *, limits: ReadLimits = DEFAULT_READ_LIMITS) -> FolderScan:
    """Everything gradable under ``folder`` (no link followed; tool folders and hidden ones left out)."""
    files: list[Path] = []
    refused: list[Refusal] = []
    ignored: list[IgnoredFile] = []
    for path, kind in _walk(folder, depth=limits.depth):
        name = str(PurePosixPath(*path.relative_to(folder).parts))
        if kind == "tool_copy":
            ignored.append(IgnoredFile(name, "tool_copy"))
        elif kind != "source":
            refused.append(Refusal(name, kind))
        elif len(files) >= limits.files:
            refused.append(Refusal(name, "too_many_files", limits.files))
        else:
            files.append(path)
    files.sort()
    names = tuple(str(PurePosixPath(*p.relative_to(folder).parts)) for p in files)
    return FolderScan(tuple(files), names, tuple(refused), tuple(ignored))


def folder_submission(
    folder: Path, *, submission_id: str | None = None, limits: ReadLimits = DEFAULT_READ_LIMITS
) -> Submission:
    """Everything gradable under ``folder`` as one submission (tool folders and hidden ones left out;
    copies tools keep of the student's files are listed as ignored)."""
    scan = scan_folder(folder, limits=limits)
    return Submission(
        id=submission_id or folder.name,
        source=str(folder),
        root=folder,
        files=scan.files,
        refused=scan.refused,
        limits=limits,
        ignored=scan.ignored,
    )


_Found = Literal["source", "tool_copy"] | RefusalKind


def _walk(folder: Path, *, depth: int, copies: bool = False) -> Iterator[tuple[Path, _Found]]:
    """Source files under ``folder`` in name order ("source", or "tool_copy" inside a folder of tool
    copies), and entries refused on the way. Nothing inside a folder of copies is ever refused: it is
    not read either."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError:
        if not copies:
            yield folder, "unreadable_file"
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.name in TOOL_COPY_DIRS and entry.is_dir(follow_symlinks=False) and depth > 0:
            yield from _walk(path, depth=depth - 1, copies=True)
            continue
        if is_tool_name(entry.name):
            if not copies and entry.name.startswith(TOOL_FILE_PREFIXES) and is_source_name(entry.name):
                yield path, "tool_copy"
            continue
        if entry.is_symlink():
            # Reported only where it would have been read: a linked folder, or a source file's name.
            if not copies and (is_source_name(entry.name) or entry.is_dir()):
                yield path, "symlink"
        elif entry.is_dir(follow_symlinks=False):
            if depth <= 0:
                if not copies:
                    yield path, "too_deep"
            else:
                yield from _walk(path, depth=depth - 1, copies=copies)
        elif is_source_name(entry.name):
            if copies:
                yield path, "tool_copy"
            else:
                yield path, "source" if entry.is_file(follow_symlinks=False) else "special_file"


def refuse_duplicates(submissions: Sequence[Submission]) -> None:
    """Stop (a usage error naming both) when two submissions would share an id, and so a page."""
    seen: dict[str, Submission] = {}
    for submission in submissions:
        if submission.id in seen:
            raise UsageError(
                f"two submissions share the id {submission.id!r}: "
                f"{seen[submission.id].source} and {submission.source}"
            )
        seen[submission.id] = submission
