"""Errors of the instructor's making (bad rubric, bad option): they stop the run with an exit code.

Problems in a student's submission are never exceptions past the grading stage: they become data
in the result (``status``, ``message``, ``diagnoses``).
"""

from __future__ import annotations


class GraderError(Exception):
    """A problem the person running the grader must fix; carries the process exit code."""

    exit_code = 2


class RubricError(GraderError):
    """A rubric that cannot be used; the message names the file and the offending key."""


class UsageError(GraderError):
    """Paths, options or environment that do not make sense together."""
