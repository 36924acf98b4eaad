"""Grading many submissions at once: one grading process per job, each with its own sandbox zygote.

Threads would share one interpreter lock, and the grader's own work (comparisons, reference runs,
decoding answers) is Python: with processes, ``--jobs N`` uses N cores.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import shutil
import signal
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.grading import ExecMode, Grader
from grader.results import SubmissionError, SubmissionResult
from grader.rubric import Rubric, load_rubric
from grader.sandbox.launcher import Zygote
from grader.sandbox.limits import Limits
from grader.sandbox.privileges import protect_grader_process
from grader.submission import Submission
from grader.timing import FIGURE_COUNT, Timings


@dataclass(frozen=True)
class GraderSettings:
    """What a grading process needs to build its own :class:`Grader` (all of it picklable)."""

    rubric_paths: tuple[str, ...]
    secret: str | None
    limits: Limits
    lang: str | None
    exec_mode: ExecMode
    only_given_rubrics: bool

    @classmethod
    def of(cls, grader: Grader, *, only_given_rubrics: bool) -> GraderSettings:
        return cls(**grader.settings(), only_given_rubrics=only_given_rubrics)


def grade_safely(
    grader: Grader, submission: Submission, *, rubrics: Sequence[Rubric] | None
) -> SubmissionResult:
    """Grade one submission; a failure of the grader itself becomes an ``internal_error`` result
    (it must neither stop the batch nor look like the student's zero)."""
    try:
        return grader.grade(submission, rubrics=rubrics)
    except Exception as exc:
        return SubmissionResult(
            id=submission.id,
            source=submission.source,
            status="error",
            error=SubmissionError("internal_error", f"internal grader error: {type(exc).__name__}: {exc}"),
        )


class ProcessPool:
    """``jobs`` grading processes; submit submissions, get futures of their results."""

    def __init__(self, settings: GraderSettings, *, jobs: int) -> None:
        context = multiprocessing.get_context("spawn")
        # Where the grading processes add up where their time went (see timings()).
        self._totals = context.Array("d", FIGURE_COUNT)
        self._executor = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context,
            initializer=_start_process,
            initargs=(settings, self._totals),
        )

    def timings(self) -> Timings:
        """Where the time of all grading processes went so far, summed over the processes."""
        with self._totals.get_lock():
            return Timings.from_figures(self._totals[:])

    def submit(self, submission: Submission) -> Future[SubmissionResult]:
        return self._executor.submit(_grade_in_process, submission)

    def close(self, *, cancel: bool = False) -> None:
        self._executor.shutdown(wait=True, cancel_futures=cancel)

    def __enter__(self) -> ProcessPool:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        self.close(cancel=kind is not None)


# --- inside a grading process ----------------------------------------------------------------------

_GRADER: Grader | None = None
_ONLY: Sequence[Rubric] | None = None
_TOTALS: Any = None


def _start_process(settings: GraderSettings, totals: Any) -> None:
    global _GRADER, _ONLY, _TOTALS
    _TOTALS = totals
    # Ctrl-C is the parent's to handle: it stops handing out work and waits for what is running.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    protect_grader_process()
    scratch = Path(tempfile.mkdtemp(prefix="taller-grader-"))
    zygote = Zygote(scratch_root=scratch)
    # Pool processes leave through multiprocessing's exit path, which runs finalizers, not atexit.
    multiprocessing.util.Finalize(None, zygote.close, exitpriority=10)
    multiprocessing.util.Finalize(None, shutil.rmtree, args=(scratch, True), exitpriority=5)
    rubrics = [load_rubric(Path(p)) for p in settings.rubric_paths]
    _GRADER = Grader(
        rubrics,
        zygote=zygote,
        secret=settings.secret,
        limits=settings.limits,
        scratch_root=scratch,
        lang=settings.lang,
        exec_mode=settings.exec_mode,
    )
    _ONLY = rubrics if settings.only_given_rubrics else None


def _grade_in_process(submission: Submission) -> SubmissionResult:
    assert _GRADER is not None, "grading process not initialised"
    result = grade_safely(_GRADER, submission, rubrics=_ONLY)
    with _TOTALS.get_lock():
        for index, value in enumerate(_GRADER.timings.figures()):
            _TOTALS[index] += value
    _GRADER.timings.reset()
    return result


def completed(futures: Sequence[Future[SubmissionResult]]) -> Iterator[SubmissionResult]:
    """Results as they complete."""
    for future in as_completed(futures):
        yield future.result()
