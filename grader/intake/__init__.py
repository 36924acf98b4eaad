"""What an instructor hands in: LMS bulk downloads (folders or zips) read safely, and each submission's
graded files chosen by a documented rule."""

from grader.intake.choice import choose_sources
from grader.intake.gather import choose_all, downloads_seen, gather_submissions
from grader.intake.zips import DEFAULT_ZIP_LIMITS, ZipLimits, ZipRefused

__all__ = [
    "DEFAULT_ZIP_LIMITS",
    "ZipLimits",
    "ZipRefused",
    "choose_all",
    "choose_sources",
    "downloads_seen",
    "gather_submissions",
]
