"""Grading many submissions at once: one grading process per job, each with its own sandbox zygote.

Threads would share one interpreter lock, and the grader's own work (comparisons, reference runs,
decoding answers) is Python: with processes, ``--jobs N`` uses N cores.

A grading process can die while grading (the kernel ends the biggest process when memory runs out,
and the grader computes references on arrays a submission chose). That costs only the submission it
was grading: the batch goes on, and the submission is recorded as a ``grading_crashed`` error, kept
like any other result so that a re-run does not die on it again (``--fresh`` tries again).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import shutil
import signal
import tempfile
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, as_completed, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.errors import GraderError
from grader.grading import ExecMode, Grader
from grader.messages import SAY
from grader.results import SubmissionError, SubmissionResult
from grader.rubric import Rubric
from grader.sandbox.launcher import Zygote
from grader.sandbox.limits import Limits
from grader.sandbox.privileges import protect_grader_process
from grader.store import ResultStore
from grader.submission import Submission
from grader.timing import FIGURE_COUNT, Timings
from grader.workshop import load_rubric

GRADING_CRASHED = "grading_crashed"
INTERNAL_ERROR = "internal_error"


class GradingProcessFailed(GraderError):
    """No grading process starts at all: nothing a submission did, so nothing to record against one."""

    exit_code = 3


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
            error=SubmissionError(
                INTERNAL_ERROR, SAY("submission.internal_error", error=f"{type(exc).__name__}: {exc}"[:2000])
            ),
            student=submission.student,
            files=submission.sources(),
        )


@dataclass(frozen=True)
class BatchPlan:
    """What a batch does with each submission, from what the store holds: reuse its kept result,
    record it as crashed (grading it ended the grader's own process last time), or grade it."""

    submissions: tuple[Submission, ...]
    keys: Mapping[str, str]
    kept: Mapping[str, SubmissionResult]
    crashed: tuple[Submission, ...]
    todo: tuple[Submission, ...]
    fresh: bool

    @property
    def pending(self) -> int:
        """How many results the batch records (the reused ones are already recorded)."""
        return len(self.crashed) + len(self.todo)


def plan_batch(
    grader: Grader, submissions: Sequence[Submission], store: ResultStore, *, fresh: bool
) -> BatchPlan:
    """Reuse kept results and believe crash markers, unless ``fresh``; only reads the store."""
    keys = {s.id: grader.result_key(s) for s in submissions}
    kept = {} if fresh else {s.id: r for s in submissions if (r := store.get(keys[s.id])) is not None}
    left = [s for s in submissions if s.id not in kept]
    crashed = () if fresh else tuple(s for s in left if store.was_started(keys[s.id]))
    crashed_ids = {s.id for s in crashed}
    return BatchPlan(
        submissions=tuple(submissions),
        keys=keys,
        kept=kept,
        crashed=crashed,
        todo=tuple(s for s in left if s.id not in crashed_ids),
        fresh=fresh,
    )


def grade_batch(
    grader: Grader,
    plan: BatchPlan,
    store: ResultStore,
    *,
    only_given_rubrics: bool,
    jobs: int,
    on_result: Callable[[SubmissionResult], None],
    on_retry: Callable[[Sequence[Submission]], None] | None = None,
) -> tuple[SubmissionResult, ...]:
    """Carry out ``plan``: the results of all its submissions, in their order.

    Each result is kept in ``store`` as soon as it is known, so an interruption loses nothing graded;
    internal errors are not kept (the next run tries again). ``on_result`` hears of each new result.
    With ``jobs`` > 1 (and more than one submission to grade) grading runs in processes of its own,
    and a process dying costs only the submission it was grading (``on_retry`` hears which ones are
    graded again one by one because of it); in this process, grading leaves a marker in the store for
    the next run to find if it never finishes.
    """
    if plan.fresh:
        store.forget_started()
    only = grader.rubrics if only_given_rubrics else None
    crashed = _crash_recorder()
    done: dict[str, SubmissionResult] = {}

    def record(submission: Submission, result: SubmissionResult) -> None:
        key = plan.keys[submission.id]
        if not (result.error and result.error.kind == INTERNAL_ERROR):
            store.put(key, result)
        # After the result: a run killed in between finds both, and the result wins.
        store.unmark_started(key)
        done[submission.id] = result
        on_result(result)

    for submission in plan.crashed:
        record(submission, crashed(submission))
    if jobs == 1 or len(plan.todo) <= 1:
        for submission in plan.todo:
            key = plan.keys[submission.id]
            store.mark_started(key)
            try:
                result = grade_safely(grader, submission, rubrics=only)
            except BaseException:
                # Interrupted (Ctrl-C), not killed: this submission ended nothing.
                store.unmark_started(key)
                raise
            record(submission, result)
    else:
        settings = GraderSettings.of(grader, only_given_rubrics=only_given_rubrics)
        _grade_in_pools(
            settings, plan.todo, jobs=jobs, record=record, crashed=crashed, on_retry=on_retry or _ignore
        )
    return tuple(plan.kept.get(s.id) or done[s.id] for s in plan.submissions)


def _grade_in_pools(
    settings: GraderSettings,
    todo: Sequence[Submission],
    *,
    jobs: int,
    record: Callable[[Submission, SubmissionResult], None],
    crashed: Callable[[Submission], SubmissionResult],
    on_retry: Callable[[Sequence[Submission]], None],
) -> None:
    """Grade ``todo`` in a pool of ``jobs`` processes. When one dies the pool is lost: the submissions
    it was grading are graded again one by one, each in a pool of its own (one of them caused it; the
    others were only cut short), and the rest in a new pool of ``jobs`` processes."""
    waiting = deque(todo)
    while waiting:
        suspects = _grade_until_broken(settings, waiting, jobs=min(jobs, len(waiting)), record=record)
        if suspects:
            on_retry(suspects)
        for submission in suspects:
            record(submission, _grade_alone(settings, submission) or crashed(submission))


def _grade_until_broken(
    settings: GraderSettings,
    waiting: deque[Submission],
    *,
    jobs: int,
    record: Callable[[Submission, SubmissionResult], None],
) -> list[Submission]:
    """Grade submissions taken from ``waiting`` until none is left or the pool breaks; the submissions
    the pool was grading when it broke.

    No more submissions are handed out than there are processes: every one handed out is being
    graded, so those a break cuts short are exactly the ones in flight, and the others stay waiting.
    """
    running: dict[Future[SubmissionResult], Submission] = {}
    suspects: list[Submission] = []
    broken = False
    with ProcessPool(settings, jobs=jobs) as pool:
        while True:
            while waiting and not broken and len(running) < jobs:
                try:
                    future = pool.submit(waiting[0])
                except BrokenProcessPool:
                    broken = True
                    break
                running[future] = waiting.popleft()
            if not running:
                return suspects
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                submission = running.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    broken = True
                    suspects.append(submission)
                else:
                    record(submission, result)


def _grade_alone(settings: GraderSettings, submission: Submission) -> SubmissionResult | None:
    """Grade one submission in a process of its own; ``None`` when that process dies grading it."""
    with ProcessPool(settings, jobs=1) as pool:
        pool.wait_started()
        try:
            return pool.submit(submission).result()
        except BrokenProcessPool:
            return None


def _ignore(submissions: Sequence[Submission]) -> None:
    pass


def _crash_recorder() -> Callable[[Submission], SubmissionResult]:
    message = SAY("submission.grading_crashed")

    def crashed(submission: Submission) -> SubmissionResult:
        return SubmissionResult(
            id=submission.id,
            source=submission.source,
            status="error",
            error=SubmissionError(GRADING_CRASHED, message),
            student=submission.student,
            files=submission.sources(),
        )

    return crashed


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

    def wait_started(self) -> None:
        """Wait until a grading process is up; :class:`GradingProcessFailed` when none can start (a
        pool that breaks after this broke on what it was given)."""
        try:
            self._executor.submit(_ready).result()
        except BrokenProcessPool:
            raise GradingProcessFailed("a grading process could not start") from None

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


def _ready() -> bool:
    return _GRADER is not None


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
