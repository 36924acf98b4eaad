"""Class-wide figures for the dashboard: scores per workshop, pass rate per check, frequent diagnoses."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
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
    """A diagnosis code, how many submissions received it and in which functions and workshops."""

    code: str
    submissions: int
    tasks: tuple[str, ...]
    rubrics: tuple[str, ...] = ()
    # Graded submissions that do one of ``rubrics``: what ``submissions`` is a share of.
    out_of: int = 0


@dataclass(frozen=True)
class WorkshopStatistics:
    """The scores of one workshop (rubric) across the graded submissions that do it.

    Workshops are scored apart: their points are never added together, since a submission that does
    two workshops is not "better" than one that does one of them.
    """

    rubric: str
    scores: tuple[float, ...]
    maxima: tuple[float, ...]
    percentages: tuple[float, ...]
    histogram: tuple[HistogramBin, ...]
    complete: int

    @property
    def submissions(self) -> int:
        return len(self.scores)

    @property
    def max_score(self) -> float | None:
        """The workshop's maximum when every submission had the same one (the usual case)."""
        return self.maxima[0] if len(set(self.maxima)) == 1 else None

    @property
    def mean_score(self) -> float | None:
        return statistics.fmean(self.scores) if self.scores else None

    @property
    def mean_percentage(self) -> float | None:
        return statistics.fmean(self.percentages) if self.percentages else None

    @property
    def median_percentage(self) -> float | None:
        return statistics.median(self.percentages) if self.percentages else None


@dataclass(frozen=True)
class Problem:
    """A submission the instructor should look at: ungradable, or a function that hung or raised."""

    submission_id: str
    error: SubmissionError | None
    timeouts: tuple[str, ...]
    exceptions: tuple[str, ...]


@dataclass(frozen=True)
class ClassStatistics:
    """``percentages``: each graded submission's score over the maximum of the workshops it does;
    ``workshops``: the same per workshop, which is what the dashboard shows. ``diagnoses``: recognised
    mistakes; ``conventions``: codes that mark an accepted convention (no mistake), counted apart."""

    submissions: int
    graded: int
    errored: int
    timed_out: int
    percentages: tuple[float, ...]
    histogram: tuple[HistogramBin, ...]
    check_rates: tuple[CheckRate, ...]
    diagnoses: tuple[DiagnosisCount, ...]
    problems: tuple[Problem, ...]
    workshops: tuple[WorkshopStatistics, ...] = ()
    conventions: tuple[DiagnosisCount, ...] = ()

    @property
    def mean_percentage(self) -> float | None:
        return statistics.fmean(self.percentages) if self.percentages else None

    @property
    def median_percentage(self) -> float | None:
        return statistics.median(self.percentages) if self.percentages else None


def class_statistics(
    submissions: Sequence[SubmissionResult], *, conventions: Mapping[str, Collection[str]] | None = None
) -> ClassStatistics:
    """Everything the dashboard summarises, computed in one pass over the results.

    ``conventions``: per rubric id, the diagnosis codes that mark an accepted convention (the notes of
    the rubric's conventions); they are counted in ``conventions``, not among the mistakes.
    """
    accepted = conventions or {}
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
        diagnoses=_diagnosis_counts(graded, lambda rubric, code: not is_convention(code, rubric, accepted)),
        problems=problems,
        workshops=_workshops(graded),
        conventions=_diagnosis_counts(graded, lambda rubric, code: is_convention(code, rubric, accepted)),
    )


def is_convention(code: str, rubric: str, conventions: Mapping[str, Collection[str]]) -> bool:
    """Whether ``code``, given in a task of ``rubric``, marks one of its accepted conventions."""
    return code in conventions.get(rubric, ())


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


def _workshops(graded: Sequence[SubmissionResult]) -> tuple[WorkshopStatistics, ...]:
    totals: dict[str, list[tuple[float, float]]] = {}
    for submission in graded:
        for rubric in submission.rubrics:
            tasks = [t for t in submission.tasks if t.rubric == rubric]
            # The points that count: an instructor's adjustment included.
            score = submission.rubric_score(rubric)
            maximum = round(sum(t.max_score for t in tasks), 6)
            totals.setdefault(rubric, []).append((score, maximum))
    workshops = []
    # Workshops in id order: a stable layout from one run to the next, whatever order students came in.
    for rubric, pairs in sorted(totals.items()):
        percentages = tuple(p for p in (percentage(score, top) for score, top in pairs) if p is not None)
        workshops.append(
            WorkshopStatistics(
                rubric=rubric,
                scores=tuple(score for score, _ in pairs),
                maxima=tuple(top for _, top in pairs),
                percentages=percentages,
                histogram=histogram(percentages),
                complete=sum(1 for score, top in pairs if top > 0 and score >= top),
            )
        )
    return tuple(workshops)


def _diagnosis_counts(
    graded: Sequence[SubmissionResult], keep: Callable[[str, str], bool]
) -> tuple[DiagnosisCount, ...]:
    """The codes ``keep(rubric, code)`` accepts, with how many submissions got each."""
    students: Counter[str] = Counter()
    tasks: dict[str, dict[str, None]] = {}
    rubrics: dict[str, dict[str, None]] = {}
    for submission in graded:
        seen: set[str] = set()
        for task in submission.tasks:
            for check in task.checks:
                for code in check.diagnoses:
                    if not keep(task.rubric, code):
                        continue
                    tasks.setdefault(code, {})[task.id] = None
                    rubrics.setdefault(code, {})[task.rubric] = None
                    seen.add(code)
        students.update(seen)
    # Most frequent first; ties in the order the codes were first met, which follows the rubric.
    order = {code: i for i, code in enumerate(tasks)}
    ranked = sorted(students, key=lambda code: (-students[code], order[code]))
    doing = [set(submission.rubrics) for submission in graded]
    return tuple(
        DiagnosisCount(
            code,
            students[code],
            tuple(tasks[code]),
            tuple(rubrics[code]),
            out_of=sum(1 for done in doing if not done.isdisjoint(rubrics[code])),
        )
        for code in ranked
    )


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
