"""The one submission a repository checkout or an autograder upload holds, and where its functions are."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from grader.submission import (
    DEFAULT_READ_LIMITS,
    RefusedFile,
    Submission,
    folder_submission,
    read_regular_file,
)

# A definition at the start of a line of a module, or at the start of one of a notebook's source lines
# as they sit in its JSON: either a string of its own (`"def f(`) or after an escaped newline (`\ndef f(`).
_MODULE_DEF = re.compile(r"^[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)[ \t]*\(")
_NOTEBOOK_DEF = re.compile(r'(?:^[ \t]*"|\\n)[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)[ \t]*\(')


@dataclass(frozen=True)
class Location:
    """A place in a student's file, as annotations need it: a path and a 1-based line."""

    path: Path
    line: int


def checkout_submission(folder: Path, *, submission_id: str | None = None) -> Submission:
    """Everything gradable under ``folder`` as ONE submission: a student's repository or upload.

    The files are chosen as the batch run chooses them for a folder submission (tool folders and hidden
    ones left out), so a push is graded on the same files the instructor's run over the clones grades.
    """
    return folder_submission(folder.resolve(), submission_id=submission_id)


def definition_lines(files: Iterable[Path], names: Iterable[str]) -> dict[str, Location]:
    """Where each of ``names`` is defined, as a line of the file on disk (a notebook's JSON line).

    Python keeps the last definition of a name, so the last one found (files in order) is the one kept.
    Files that cannot be read are passed over: the grader's own result already says what is wrong.
    """
    wanted = set(names)
    found: dict[str, Location] = {}
    for path in files:
        try:
            data = read_regular_file(
                path.parent, (path.name,), max_bytes=DEFAULT_READ_LIMITS.max_bytes(path.name)
            )
        except RefusedFile:
            continue
        text = data.decode("utf-8", errors="replace")
        pattern = _NOTEBOOK_DEF if path.suffix == ".ipynb" else _MODULE_DEF
        for number, line in enumerate(text.splitlines(), start=1):
            for match in pattern.finditer(line):
                if match.group(1) in wanted:
                    found[match.group(1)] = Location(path, number)
    return found


def relative_locations(locations: Mapping[str, Location], *, base: Path) -> dict[str, Location]:
    """The locations with paths relative to ``base`` (a workspace) where they lie under it."""
    base = base.resolve()
    relative = {}
    for name, where in locations.items():
        try:
            path = where.path.resolve().relative_to(base)
        except ValueError:
            path = where.path
        relative[name] = Location(path, where.line)
    return relative
