"""Feedback back through the LMS: each student's page (the HTML report's own student page), packaged
for the LMS's bulk upload of feedback files.

- **Moodle** ("Upload multiple feedback files in a zip", with *Feedback files* enabled): Moodle finds
  the student of each file from the first folder whose name is ``<full name>_<participant id>_<plugin
  type>_<plugin name>_``, as "Download all submissions" names them (``assignfeedback_file``'s
  ``is_valid_filename_for_import``: the text before the first ``_`` is the name, then the participant
  id, then a plugin of the assignment). So each page goes to
  ``<Full Name>_<participant id>_assignsubmission_file_/<file>``; an underscore in a name becomes a
  space, as Moodle's own download does, so that the id stays the second part.
- **Canvas** has no bulk upload of feedback files of its own (its "Re-upload submissions" needs the
  id of each student's original attachment), so each page is a file of its own named
  ``<name>_<Canvas user id>.html``, to attach in SpeedGrader or with Canvas's API.

A submission without the LMS's identifier (graded from plain files, and matched to no roster row) is
left out and listed, never guessed.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from grader.messages import words
from grader.report.html import render_student_page
from grader.results import SubmissionResult
from grader.roster import RosterRow
from grader.student_ids import student_ids

FeedbackLms = Literal["moodle", "canvas"]
LMS_NAMES: Mapping[FeedbackLms, str] = {"moodle": "Moodle", "canvas": "Canvas"}
MOODLE_PLUGIN = "assignsubmission_file"
PAGE_FILE = "feedback.html"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
"""Every member gets this timestamp: the same results always give the same zip."""
_NAME_LIMIT = 80


@dataclass(frozen=True)
class FeedbackPackage:
    """The zip to upload and what it holds."""

    data: bytes
    members: tuple[tuple[str, str], ...]  # (submission id, path in the zip)
    left_out: tuple[str, ...]  # submissions without the LMS's identifier


def feedback_zip(
    run: Mapping[str, Any],
    results: Sequence[SubmissionResult],
    *,
    lms: FeedbackLms,
    lang: str,
    roster: Mapping[str, RosterRow] | None = None,
) -> FeedbackPackage:
    """Every student's page, named as ``lms`` matches feedback files to students. ``roster`` gives, for
    a submission without LMS ids of its own, the roster row it matched (see
    :func:`grader.roster.roster_students`)."""
    members: list[tuple[str, str, bytes]] = []
    left_out: list[str] = []
    used: set[str] = set()
    for result in results:
        path = _path(result, lms, (roster or {}).get(result.id))
        if path is None or path in used:
            left_out.append(result.id)
            continue
        used.add(path)
        page = render_student_page(run, result, lang=lang)
        members.append((result.id, path, page.encode("utf-8")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for _, path, data in sorted(members, key=lambda m: m[1]):
            member = zipfile.ZipInfo(path, date_time=ZIP_DATE)
            member.external_attr = 0o644 << 16
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, data)
    return FeedbackPackage(
        data=buffer.getvalue(),
        members=tuple((submission, path) for submission, path, _ in members),
        left_out=tuple(left_out),
    )


def feedback_report(package: FeedbackPackage, *, lms: FeedbackLms, lang: str, file: str) -> list[str]:
    """What the instructor reads: how many pages went into the zip, and who was left out and why."""
    lines = [words("feedback.packaged", lang, file=file, count=len(package.members), lms=LMS_NAMES[lms])]
    lines += [words("feedback.no_lms_id", lang, id=left, lms=LMS_NAMES[lms]) for left in package.left_out]
    return lines


def _path(result: SubmissionResult, lms: FeedbackLms, row: RosterRow | None) -> str | None:
    ids = student_ids(result)
    if lms == "moodle":
        participant = ids.moodle_participant or (row.lms_id if row else None)
        if not participant or not participant.isdigit():
            return None
        name = _moodle_name(ids.name or (row.name if row else "") or result.id)
        return f"{name}_{participant}_{MOODLE_PLUGIN}_/{PAGE_FILE}"
    user = ids.canvas_user or (row.lms_id if row else None)
    if not user or not user.isdigit():
        return None
    return f"{_slug(ids.name or (row.name if row else '') or result.id)}_{user}.html"


def _moodle_name(name: str) -> str:
    """A full name as a folder name Moodle splits right: no "_" (it separates the parts), no path
    separators or control characters."""
    cleaned = re.sub(r"[_/\\\x00-\x1f\x7f]+", " ", unicodedata.normalize("NFC", name))
    cleaned = " ".join(cleaned.split()).strip(". ")[:_NAME_LIMIT]
    return cleaned or "Participant"


def _slug(name: str) -> str:
    """Lower-case ASCII letters and digits only, as Canvas names downloaded submissions."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "", folded)[:_NAME_LIMIT] or "student"
