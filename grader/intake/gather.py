"""What an instructor hands to ``grader grade``, taken in: folders, single files and zips, each read as
the download it is (see :mod:`grader.intake.layout`), then each submission's graded files chosen (see
:mod:`grader.intake.choice`)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from grader.errors import UsageError
from grader.intake.choice import choose_sources
from grader.intake.layout import download_submissions
from grader.intake.zips import DEFAULT_ZIP_LIMITS, ZipLimits, unpack_zip
from grader.messages import SAY, words
from grader.rubric import Rubric
from grader.submission import (
    DEFAULT_READ_LIMITS,
    SOURCE_SUFFIXES,
    ReadLimits,
    Submission,
    file_submission,
    refuse_duplicates,
)

ZIP_SUFFIX = ".zip"
LMS_NAMES = {"moodle": "Moodle", "canvas": "Canvas", "classroom": "GitHub Classroom"}


def gather_submissions(
    paths: Iterable[Path],
    *,
    scratch: Path,
    lang: str,
    limits: ReadLimits = DEFAULT_READ_LIMITS,
    zip_limits: ZipLimits = DEFAULT_ZIP_LIMITS,
) -> list[Submission]:
    """The submissions in ``paths``, sorted by id: each folder read as a download, each ``.zip`` unpacked
    into a private folder under ``scratch`` (which must outlive grading) and read the same way, each
    ``.py``/``.ipynb`` file a submission of its own. Two submissions with one id stop the run; so does
    a zip that cannot be read, with a message in ``lang``."""
    found: list[Submission] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path} does not exist")
        if path.is_dir():
            found += download_submissions(path, label=str(path), limits=limits)
        elif path.suffix.lower() == ZIP_SUFFIX:
            # mkdtemp: a folder only this user can enter, named so that no one can place it in advance.
            folder = Path(tempfile.mkdtemp(prefix="zip-", dir=scratch))
            unpacked = unpack_zip(path, folder, lang=lang, limits=zip_limits)
            found += download_submissions(
                folder, label=str(path), limits=limits, refused=unpacked.refused, skipped=unpacked.skipped
            )
        elif path.suffix in SOURCE_SUFFIXES:
            found.append(file_submission(path, limits=limits))
        else:
            raise UsageError(f"{path} is not a .py, .ipynb or .zip file, nor a folder")
    refuse_duplicates(found)
    return sorted(found, key=lambda s: s.id)


def choose_all(
    submissions: Sequence[Submission], rubrics: Sequence[Rubric], *, given: bool
) -> list[Submission]:
    """Every submission with its graded files chosen (see :func:`grader.intake.choice.choose_sources`)."""
    return [choose_sources(s, rubrics, given=given) for s in submissions]


def downloads_seen(submissions: Iterable[Submission], *, lang: str) -> list[str]:
    """A line for each LMS whose download was recognised among ``submissions``, with how many students."""
    seen: dict[str, int] = {}
    for submission in submissions:
        if submission.student is not None:
            seen[submission.student.lms] = seen.get(submission.student.lms, 0) + 1
    return [
        words("intake.lms", lang, lms=LMS_NAMES[lms], submissions=SAY("n.submissions", count=count))
        for lms, count in seen.items()
    ]
