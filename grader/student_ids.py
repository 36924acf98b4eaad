"""Who a submission's student is on the learning platforms: the identifiers a result carries, read in
one place for the gradebooks, the roster filling and the feedback packages.

Results of an LMS download carry the platform's own identifiers in their ``student``
(:class:`grader.provenance.Student`: Moodle's participant id, Canvas's user id, the student's name, a
GitHub username). A result without them is known only by its
submission id (a file or folder name), which :mod:`grader.roster` may still match against a roster
by the documented fallback: the submission id equal to an identifier, a login or an e-mail's local part.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.results import SubmissionResult


@dataclass(frozen=True)
class StudentIds:
    """The LMS identifiers of one submission's student; ``None`` where the result does not say."""

    submission: str
    moodle_participant: str | None = None
    canvas_user: str | None = None
    name: str | None = None
    github: str | None = None

    @property
    def has_lms_id(self) -> bool:
        return any((self.moodle_participant, self.canvas_user, self.github))


def student_ids(result: SubmissionResult) -> StudentIds:
    """The identifiers ``result`` carries (its ``student``, for a submission of an LMS download)."""
    student = result.student
    if student is None:
        return StudentIds(submission=result.id)
    return StudentIds(
        submission=result.id,
        moodle_participant=_text(student.moodle_participant_id),
        canvas_user=_text(student.canvas_user_id),
        name=_text(student.name),
        github=_text(student.github_username),
    )


def _text(value: str | None) -> str | None:
    text = (value or "").strip()
    return text or None
