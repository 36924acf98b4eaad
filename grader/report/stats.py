"""Class-wide figures for the dashboard: score distribution, pass rate per check, frequent diagnoses."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from grader.report.text import percentage
from grader.results import SubmissionError, SubmissionResult

HISTOGRAM_BINS = 10
"""The score histogram splits 0–100 % into this many equal bins (the last one includes 100 %)."""


@dataclass(frozen=True)
class HistogramBin:
    """Submissions whose percentage lies in ``[low, high)`` (``[low, high]`` for the last bin)."""

    low: float
    high: float
    count: int


@dataclass(frozen=True)
class CheckRate:
    """How one check went across the class (graded submissions that have the function)."""

    rubric: str
    task: str
    check: str
    visibility: str
    passed: int
    total: int
    failed: int
    errored: int
    timed_out: int
    skipped: int

    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 0.0


@dataclass(frozen=True)
class DiagnosisCount:
    """A diagnosis code, how many submissions received it and in which functions."""

    code: str
    submissions: int
    tasks: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    """A submission the instructor should look at: ungradable, or a function that hung or raised."""

    submission_id: str
    error: SubmissionError | None
    timeouts: tuple[str, ...]
    exceptions: tuple[str, ...]


@dataclass(frozen=True)
class ClassStatistics:
    submissions: int
    graded: int
    errored: int
    timed_out: int
    percentages: tuple[float, ...]
    histogram: tuple[HistogramBin, ...]
    check_rates: tuple[CheckRate, ...]
    diagnoses: tuple[DiagnosisCount, ...]
    problems: tuple[Problem, ...]

    @property
    def mean_percentage(self) -> float | None:
        return statistics.fmean(self.percentages) if self.percentages else None

    @property
    def median_percentage(self) -> float | None:
        return statistics.median(self.percentages) if self.percentages else None


def class_statistics(submissions: Sequence[SubmissionResult]) -> ClassStatistics:
    """Everything the dashboard summarises, computed in one pass over the results."""
    graded = [s for s in submissions if s.status == "graded"]
    percentages = tuple(
        p for p in (percentage(s.score, s.max_score) for s in graded if s.tasks) if p is not None
    )
    problems = tuple(p for p in map(_problem, submissions) if p is not None)
    return ClassStatistics(
        submissions=len(submissions),
        graded=len(graded),
        errored=len(submissions) - len(graded),
        timed_out=sum(1 for p in problems if p.timeouts),
        percentages=percentages,
        histogram=histogram(percentages),
        check_rates=_check_rates(graded),
        diagnoses=_diagnosis_counts(graded),
        problems=problems,
    )


def histogram(percentages: Sequence[float], *, bins: int = HISTOGRAM_BINS) -> tuple[HistogramBin, ...]:
    width = 100 / bins
    counts = [0] * bins
    for value in percentages:
        counts[min(bins - 1, max(0, int(value // width)))] += 1
    return tuple(HistogramBin(low=i * width, high=(i + 1) * width, count=c) for i, c in enumerate(counts))


def _check_rates(graded: Sequence[SubmissionResult]) -> tuple[CheckRate, ...]:
    tallies: dict[tuple[str, str, str], Counter[str]] = {}
    visibility: dict[tuple[str, str, str], str] = {}
    for submission in graded:
        for task in submission.tasks:
            for check in task.checks:
                key = (task.rubric, task.id, check.id)
                tallies.setdefault(key, Counter())[check.status] += 1
                visibility.setdefault(key, check.visibility)
    return tuple(
        CheckRate(
            rubric=rubric,
            task=task,
            check=check,
            visibility=visibility[(rubric, task, check)],
            passed=tally["pass"],
            total=sum(tally.values()),
            failed=tally["fail"],
            errored=tally["error"],
            timed_out=tally["timeout"],
            skipped=tally["skipped"],
        )
        for (rubric, task, check), tally in tallies.items()
    )


def _diagnosis_counts(graded: Sequence[SubmissionResult]) -> tuple[DiagnosisCount, ...]:
    students: Counter[str] = Counter()
    tasks: dict[str, dict[str, None]] = {}
    for submission in graded:
        seen: set[str] = set()
        for task in submission.tasks:
            for check in task.checks:
                for code in check.diagnoses:
                    tasks.setdefault(code, {})[task.id] = None
                    seen.add(code)
        students.update(seen)
    # Most frequent first; ties in the order the codes were first met, which follows the rubric.
    order = {code: i for i, code in enumerate(tasks)}
    ranked = sorted(students, key=lambda code: (-students[code], order[code]))
    return tuple(DiagnosisCount(code, students[code], tuple(tasks[code])) for code in ranked)


def _problem(submission: SubmissionResult) -> Problem | None:
    timeouts: dict[str, None] = {}
    exceptions: dict[str, None] = {}
    for task in submission.tasks:
        for check in task.checks:
            if check.status == "timeout":
                timeouts[task.id] = None
            elif check.status == "error":
                exceptions[task.id] = None
    if submission.status == "graded" and not timeouts and not exceptions:
        return None
    return Problem(submission.id, submission.error, tuple(timeouts), tuple(exceptions))
