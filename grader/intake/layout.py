"""The submissions a download folder holds, by the layout its names follow.

Each entry at the top of the folder is read by its name (see :mod:`grader.intake.lms`): entries of one
student in a Moodle or Canvas download (flat files, or Moodle's per-student folders, the file and the
online-text ones) make ONE submission, whose id is what the LMS names the student by (``Juan Pérez_12345``,
``perezjuan_6789``) and which keeps the LMS's identifiers; a folder that is a git checkout is a GitHub
Classroom repository (id: the repository's name; the username kept). Anything else is what it always
was: a ``.py``/``.ipynb`` file is a submission (id: its stem) and so is a folder (id: its name).

A student who handed in nothing the grader reads (a PDF only) still gets a submission, with no file:
the result says so. Every file is read from the download folder through the safe reader of
:mod:`grader.submission`, under the name the student gave it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from grader.intake.lms import (
    LmsEntry,
    classroom_entry,
    classroom_prefix,
    lms_entry,
    nfc,
    resubmitted_module_name,
)
from grader.intake.zips import MemberRefusal
from grader.provenance import IgnoredFile, Student
from grader.submission import (
    DEFAULT_READ_LIMITS,
    ReadLimits,
    Refusal,
    Submission,
    file_submission,
    folder_submission,
    is_source_name,
    is_tool_name,
    scan_folder,
)


@dataclass
class _Group:
    """One student's entries of an LMS download, gathered before they become a submission."""

    entry: LmsEntry
    names: list[str] = field(default_factory=list)  # the entries, as the download names them
    files: list[tuple[Path, str]] = field(default_factory=list)  # (path, the student's name for it)
    refused: list[Refusal] = field(default_factory=list)
    ignored_names: list[str] = field(default_factory=list)
    students: list[Student] = field(default_factory=list)


def download_submissions(
    folder: Path,
    *,
    label: str,
    limits: ReadLimits = DEFAULT_READ_LIMITS,
    refused: Sequence[MemberRefusal] = (),
    skipped: Iterable[tuple[str, ...]] = (),
) -> list[Submission]:
    """The submissions in ``folder``, a download (or a zip unpacked there). ``label`` names the download
    in each submission's ``source``; ``refused`` and ``skipped`` are the members of a zip that were not
    unpacked (refused: reported on the submission they belong to; skipped: never read, but they tell
    who handed something in)."""
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda e: e.name)
    groups: dict[str, _Group] = {}
    plain: list[Submission] = []
    repositories: list[Path] = []
    for entry in entries:
        if is_tool_name(entry.name):
            continue
        path = Path(entry.path)
        directory = entry.is_dir(follow_symlinks=False)
        if directory and os.path.lexists(path / ".git"):
            repositories.append(path)
            continue
        found = lms_entry(entry.name, folder=directory)
        if found is not None:
            group = groups.setdefault(found.key, _Group(found))
            _add_entry(group, found, path, directory=directory, linked=entry.is_symlink(), limits=limits)
        elif directory:
            plain.append(_labelled(folder_submission(path, limits=limits), folder, label))
        elif is_source_name(entry.name) or entry.is_dir():
            # A link (to a file or a folder) or a special file where a submission would be.
            plain.append(_labelled(file_submission(path, limits=limits), folder, label))
    for parts in skipped:
        found = lms_entry(parts[0], folder=len(parts) > 1)
        if found is not None:
            group = groups.setdefault(found.key, _Group(found))
            group.names.append(parts[0])
            group.students.append(found.student)
    plain += _refusals_of_zip(refused, groups, plain, folder, label, limits)
    prefix = classroom_prefix(Path(label).stem, (r.name for r in repositories))
    for repository in repositories:
        found = classroom_entry(repository.name, prefix)
        submission = folder_submission(repository, limits=limits)
        plain.append(replace(_labelled(submission, folder, label), student=found.student))
    return [*(_grouped(g, folder, label, limits) for g in groups.values()), *plain]


def _add_entry(
    group: _Group, found: LmsEntry, path: Path, *, directory: bool, linked: bool, limits: ReadLimits
) -> None:
    """Add one top-level entry of the download to its student's group."""
    group.names.append(path.name)
    group.students.append(found.student)
    if linked:
        group.refused.append(Refusal(found.original or path.name, "symlink"))
    elif directory:
        scan = scan_folder(path, limits=limits)
        group.files += zip(scan.files, scan.names, strict=True)
        group.refused += scan.refused
        group.ignored_names += [i.file for i in scan.ignored]
    elif found.original is not None and is_source_name(found.original):
        if path.is_file():
            group.files.append((path, found.original))
        else:
            group.refused.append(Refusal(found.original, "special_file"))


def _refusals_of_zip(
    refused: Sequence[MemberRefusal],
    groups: dict[str, _Group],
    plain: list[Submission],
    folder: Path,
    label: str,
    limits: ReadLimits,
) -> list[Submission]:
    """Put each refused member of a zip on the submission it belongs to: its student's (by the LMS name
    of its first part), its folder's; those that belong to no one (``../x.py``, a link at the top)
    together on one submission named after the download, which the instructor sees as an error."""
    by_folder = {s.root.name: index for index, s in enumerate(plain) if s.root.parent == folder}
    strays: list[Refusal] = []
    for member in refused:
        if not member.path:
            strays.append(Refusal("?", member.kind, member.detail))
            continue
        top = member.path[0]
        inner = str(PurePosixPath(*member.path[1:])) if len(member.path) > 1 else None
        found = lms_entry(top, folder=inner is not None)
        if found is not None:
            group = groups.setdefault(found.key, _Group(found))
            group.names.append(top)
            group.students.append(found.student)
            group.refused.append(Refusal(inner or found.original or top, member.kind, member.detail))
        elif inner is not None and top in by_folder:
            # Replaced where it stands, so that the batch keeps one submission per folder.
            index = by_folder[top]
            refusal = Refusal(inner, member.kind, member.detail)
            plain[index] = replace(plain[index], refused=(*plain[index].refused, refusal))
        else:
            strays.append(Refusal(str(PurePosixPath(*member.path)), member.kind, member.detail))
    if not strays:
        return []
    return [Submission(nfc(Path(label).name), label, folder, (), tuple(strays), limits)]


def _grouped(group: _Group, folder: Path, label: str, limits: ReadLimits) -> Submission:
    """One student's entries of an LMS download as one submission."""
    names = sorted(set(group.names))
    source = f"{label}/{names[0]}" if len(names) == 1 else f"{label}/{group.entry.submission_id}_*"
    files = group.files[: limits.files]
    refused = list(group.refused)
    refused += [Refusal(name, "too_many_files", limits.files) for _, name in group.files[limits.files :]]
    shown = _unique_names([name for _, name in files])
    if group.entry.student.lms == "canvas":
        shown = [resubmitted_module_name(n, [m for m in shown if m != n]) for n in shown]
    return Submission(
        id=group.entry.submission_id,
        source=source,
        root=folder,
        files=tuple(path for path, _ in files),
        refused=tuple(refused),
        limits=limits,
        names=tuple(shown),
        ignored=tuple(IgnoredFile(name, "tool_copy") for name in group.ignored_names),
        student=_merged(group.students or [group.entry.student]),
    )


def _unique_names(names: Sequence[str]) -> list[str]:
    """The student's names for their files, made unique (two entries may bring the same name)."""
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        path = PurePosixPath(name)
        unique.append(name if count == 0 else str(path.with_name(f"{path.stem} ({count + 1}){path.suffix}")))
    return unique


def _merged(students: Sequence[Student]) -> Student:
    """One student from what each of their entries says (Canvas names every file: its ids and lateness
    are gathered)."""
    first = students[0]
    attachments = tuple(dict.fromkeys(a for s in students for a in s.canvas_attachment_ids))
    return replace(first, canvas_attachment_ids=attachments, late=any(s.late for s in students))


def _labelled(submission: Submission, folder: Path, label: str) -> Submission:
    """A plain submission of a download, its source named from the download's label (a zip's path
    rather than the temporary folder it was unpacked into)."""
    relative = Path(submission.source).relative_to(folder)
    return replace(submission, source=f"{label}/{relative.as_posix()}")
