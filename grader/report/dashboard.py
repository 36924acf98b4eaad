"""The class dashboard (``index.html``): the run's details, the class's figures (counts, each workshop's
mean, median and histogram, pass rates per check, the most frequent diagnoses, the submissions to look at)
and the class table, one row per student and one column per workshop."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from grader.messages import words
from grader.report import stats
from grader.report.page_parts import Status, accepted_conventions, grader_version_of, status, task_status
from grader.report.text import hint, message_text, number, percentage, points, printable
from grader.results import SubmissionError, SubmissionResult

DIAGNOSES_SHOWN = 20
"""How many of the most frequent diagnoses the dashboard lists."""

# The class table's room for workshop columns, in % of its width: each column gets an equal share of
# _WORKSHOPS_WIDTH, and no more than _WORKSHOP_WIDTH; the student, status and diagnoses share the rest.
_WORKSHOPS_WIDTH = 60
_WORKSHOP_WIDTH = 14

# Histogram geometry, in SVG user units: small enough that one chart per workshop fits three to a row
# at 1366 px with its labels still readable (the chart is scaled to its box, text included).
_CHART_WIDTH = 420
_CHART_HEIGHT = 230
_PLOT_LEFT = 40
_PLOT_RIGHT = 14
_PLOT_TOP = 22
_PLOT_BOTTOM = 52
_BAR_GAP = 4
# Every bin edge gets a tick; every second one a label (0, 20, … 100), which fit side by side.
_EDGE_LABEL_EVERY = 2


@dataclass(frozen=True)
class _IndexPage:
    run_items: tuple[tuple[str, str], ...]
    facts: tuple[_Fact, ...]
    workshops: tuple[_WorkshopPanel, ...]
    rates: tuple[_RateRow, ...]
    diagnoses: tuple[_DiagnosisRow, ...]
    diagnoses_more: str
    conventions: tuple[_DiagnosisRow, ...]
    problems: tuple[_ProblemRow, ...]
    problems_summary: str
    columns: tuple[_Column, ...]
    show_rubrics: bool
    rows: tuple[_IndexRow, ...]
    # Each workshop column's share of the class table, in %: left to itself the browser gives the room to
    # the longest text (the diagnoses), and the scores wrap word by word.
    workshop_width: float
    grader_version: str


@dataclass(frozen=True)
class _IndexRow:
    id: str
    href: str
    status: Status
    filters: str
    cells: tuple[_WorkshopCell, ...]
    diagnoses: tuple[str, ...]
    error: SubmissionError | None
    error_text: str
    # Set when an instructor adjusted the points by hand: the marker's words and, for its title, what.
    adjusted: str | None = None
    adjusted_detail: str = ""


@dataclass(frozen=True)
class _Column:
    """One workshop (rubric) column of the class table: a score, with its functions on demand. One
    column per workshop, not per function, keeps the table as wide as a screen however many
    workshops a run grades."""

    rubric: str
    tasks: tuple[str, ...]


@dataclass(frozen=True)
class _WorkshopCell:
    """A student's score in one workshop column; ``None`` fields when the student did not do it."""

    points: str | None
    status: Status | None
    sort: str
    tasks: tuple[_TaskCell, ...]


@dataclass(frozen=True)
class _TaskCell:
    """A student's result for one function, listed inside its workshop's cell."""

    task_id: str
    points: str
    status: Status


@dataclass(frozen=True)
class _Fact:
    label: str
    value: str


@dataclass(frozen=True)
class _WorkshopPanel:
    """One workshop's figures on the dashboard: how many did it, mean and median, the histogram."""

    rubric: str
    graded: int
    mean: str
    median: str
    complete: int
    histogram: _Histogram | None


@dataclass(frozen=True)
class _Histogram:
    id: str
    title: str
    width: int
    height: int
    plot_left: float
    plot_right: float
    baseline: float
    label_y: float
    axis_x: float
    axis_y: float
    bars: tuple[_Bar, ...]
    ticks: tuple[_Tick, ...]
    edges: tuple[_Edge, ...]
    description: str


@dataclass(frozen=True)
class _Bar:
    """One histogram bar with its count, positioned in SVG user units."""

    x: float
    y: float
    width: float
    height: float
    center: float
    count: int
    count_y: float
    title: str


@dataclass(frozen=True)
class _Edge:
    """A bin edge on the histogram's axis: a tick, and a label when ``label`` is not empty."""

    x: float
    label: str


@dataclass(frozen=True)
class _Tick:
    y: float
    text_x: float
    text_y: float
    label: str


@dataclass(frozen=True)
class _RateRow:
    rubric: str
    task: str
    check: str
    visibility: str
    passed: str
    percent: float
    percent_text: str
    not_passed: str


@dataclass(frozen=True)
class _DiagnosisRow:
    code: str
    hint: str | None
    count: int
    share: str
    tasks: tuple[str, ...]
    rubrics: tuple[str, ...]


@dataclass(frozen=True)
class _ProblemRow:
    id: str
    href: str
    lines: tuple[tuple[str, str], ...]


def index_page(
    run: Mapping[str, Any],
    submissions: Sequence[SubmissionResult],
    paths: Mapping[str, str],
    strings: Mapping[str, str],
    *,
    lang: str,
) -> _IndexPage:
    """What ``index.html`` shows of the run, with each student's row linking to ``paths[id]``."""
    tasks: dict[str, dict[str, None]] = {}
    for submission in submissions:
        for task in submission.tasks:
            tasks.setdefault(task.rubric, {})[task.id] = None
    # Workshops in id order, as the figures list them; functions in the order the rubric lists them.
    columns = tuple(_Column(rubric, tuple(tasks[rubric])) for rubric in sorted(tasks))
    conventions = accepted_conventions(run)
    figures = stats.class_statistics(submissions, conventions=conventions)
    problem_ids = {p.submission_id for p in figures.problems}
    rows = tuple(
        _index_row(
            s, columns, paths[s.id], strings, conventions=conventions, problem=s.id in problem_ids, lang=lang
        )
        for s in submissions
    )
    listed = figures.diagnoses[:DIAGNOSES_SHOWN]
    hidden = len(figures.diagnoses) - len(listed)
    return _IndexPage(
        run_items=_run_items(run, strings),
        facts=_facts(figures, strings),
        workshops=tuple(
            _workshop_panel(w, i, strings, lang=lang) for i, w in enumerate(figures.workshops, start=1)
        ),
        rates=tuple(_rate_row(rate, strings, lang=lang) for rate in figures.check_rates),
        diagnoses=tuple(_diagnosis_row(d, figures.graded, lang=lang) for d in listed),
        diagnoses_more=_counted("diagnoses_more", hidden, lang=lang) if hidden else "",
        conventions=tuple(_diagnosis_row(d, figures.graded, lang=lang) for d in figures.conventions),
        problems=tuple(_problem_row(p, paths[p.submission_id], strings, lang=lang) for p in figures.problems),
        problems_summary=_counted("problems_summary", len(figures.problems), lang=lang),
        columns=columns,
        show_rubrics=len(columns) > 1,
        workshop_width=round(min(_WORKSHOP_WIDTH, _WORKSHOPS_WIDTH / max(len(columns), 1)), 2),
        rows=rows,
        grader_version=grader_version_of(run),
    )


def _run_items(run: Mapping[str, Any], strings: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    hidden = run.get("hidden_cases")
    hidden_text = (
        strings["unknown"] if hidden is None else strings["hidden_ran" if hidden else "hidden_not_ran"]
    )
    items = [
        (strings["grader_version"], grader_version_of(run)),
        (strings["rubrics"], ", ".join(map(str, run.get("rubrics", ()))) or strings["none"]),
        (strings["hidden_cases"], hidden_text),
        (strings["sandbox"], ", ".join(map(str, run.get("sandbox", ()))) or strings["none"]),
    ]
    recorded = run.get("conventions")
    if isinstance(recorded, Mapping) and recorded:
        items.append((strings["run_conventions"], _conventions_text(recorded)))
    # Whatever else the run recorded (timestamps, options) is shown verbatim: it is there for reproducibility.
    known = {"grader_version", "rubrics", "hidden_cases", "sandbox", "lang", "conventions"}
    for key, value in run.items():
        if key not in known:
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
            # A field the catalogue has a label for is named in the page's language.
            items.append((strings.get(f"run_{key}", str(key)), text))
    return tuple(items)


def _conventions_text(recorded: Mapping[str, Any]) -> str:
    """``linreg: flat, column_vectors; xor: columns, rows (rows_as_instances)``: each rubric's
    conventions, with the code a task graded in one is marked with."""
    parts = []
    for rubric, notes in recorded.items():
        if not isinstance(notes, Mapping):
            continue
        named = ", ".join(
            f"{convention} ({note})" if isinstance(note, str) and note else str(convention)
            for convention, note in notes.items()
        )
        parts.append(f"{rubric}: {named}")
    return "; ".join(parts)


def _facts(figures: stats.ClassStatistics, strings: Mapping[str, str]) -> tuple[_Fact, ...]:
    # Means and medians are per workshop (see _workshop_panel): across workshops they add unlike things.
    return (
        _Fact(strings["submissions_count"], str(figures.submissions)),
        _Fact(strings["graded_count"], str(figures.graded)),
        _Fact(strings["errored_count"], str(figures.errored)),
        _Fact(strings["timed_out_count"], str(figures.timed_out)),
    )


def _workshop_panel(
    workshop: stats.WorkshopStatistics, number_: int, strings: Mapping[str, str], *, lang: str
) -> _WorkshopPanel:
    median = workshop.median_percentage
    histogram = (
        _histogram(
            workshop.histogram,
            strings,
            lang=lang,
            id=f"histogram-{number_}",
            title=strings["histogram_title"].format(rubric=workshop.rubric),
        )
        if workshop.percentages
        else None
    )
    return _WorkshopPanel(
        rubric=workshop.rubric,
        graded=workshop.submissions,
        mean=_mean_score(workshop),
        median="—" if median is None else f"{number(median)} %",
        complete=workshop.complete,
        histogram=histogram,
    )


def _mean_score(workshop: stats.WorkshopStatistics) -> str:
    mean = workshop.mean_score
    if mean is None:
        return "—"
    maximum = workshop.max_score
    if maximum is not None:
        return points(mean, maximum) + (f" ({number(100 * mean / maximum)} %)" if maximum > 0 else "")
    # Submissions had different maxima (a function missing from some rubric version): only the
    # percentages are comparable.
    share = workshop.mean_percentage
    return number(mean) if share is None else f"{number(share)} %"


def _histogram(
    bins: Sequence[stats.HistogramBin], strings: Mapping[str, str], *, lang: str, id: str, title: str
) -> _Histogram:
    plot_width = _CHART_WIDTH - _PLOT_LEFT - _PLOT_RIGHT
    plot_height = _CHART_HEIGHT - _PLOT_TOP - _PLOT_BOTTOM
    baseline = _PLOT_TOP + plot_height
    top = max(b.count for b in bins)
    step = max(1, -(-top // 4))
    scale_max = step * max(1, -(-top // step))
    slot = plot_width / len(bins)
    bars = []
    for i, b in enumerate(bins):
        height = plot_height * b.count / scale_max
        x = _PLOT_LEFT + i * slot + _BAR_GAP / 2
        bars.append(
            _Bar(
                x=round(x, 2),
                y=round(baseline - height, 2),
                width=round(slot - _BAR_GAP, 2),
                height=round(height, 2),
                center=round(x + (slot - _BAR_GAP) / 2, 2),
                count=b.count,
                count_y=round(baseline - height - 5, 2),
                title=_counted(
                    "histogram_bar",
                    b.count,
                    lang=lang,
                    low=number(b.low, decimals=0),
                    high=number(b.high, decimals=0),
                ),
            )
        )
    lows = [b.low for b in bins]
    edges = tuple(
        _Edge(
            x=round(_PLOT_LEFT + i * slot, 2),
            label=number(value, decimals=0) if i % _EDGE_LABEL_EVERY == 0 else "",
        )
        for i, value in enumerate([*lows, bins[-1].high])
    )
    ticks = []
    for value in range(0, scale_max + 1, step):
        y = round(baseline - plot_height * value / scale_max, 2)
        ticks.append(_Tick(y=y, text_x=_PLOT_LEFT - 8, text_y=round(y + 4, 2), label=str(value)))
    return _Histogram(
        id=id,
        title=title,
        width=_CHART_WIDTH,
        height=_CHART_HEIGHT,
        plot_left=_PLOT_LEFT,
        plot_right=_CHART_WIDTH - _PLOT_RIGHT,
        baseline=baseline,
        label_y=baseline + 20,
        axis_x=(_PLOT_LEFT + _CHART_WIDTH - _PLOT_RIGHT) / 2,
        axis_y=_CHART_HEIGHT - 10,
        bars=tuple(bars),
        ticks=tuple(ticks),
        edges=edges,
        description="; ".join(bar.title for bar in bars),
    )


def _rate_row(rate: stats.CheckRate, strings: Mapping[str, str], *, lang: str) -> _RateRow:
    share = 100 * rate.rate
    return _RateRow(
        rubric=rate.rubric,
        task=rate.task,
        check=rate.check,
        visibility=strings[f"visibility_{rate.visibility}"],
        passed=f"{rate.passed} / {rate.total}",
        percent=round(share, 1),
        percent_text=f"{number(share, decimals=0)} %",
        not_passed=", ".join(
            _counted(f"rate_{outcome}", count, lang=lang)
            for outcome, count in (
                ("fail", rate.failed),
                ("error", rate.errored),
                ("timeout", rate.timed_out),
                ("skipped", rate.skipped),
            )
            if count
        )
        or "—",
    )


def _diagnosis_row(diagnosis: stats.DiagnosisCount, graded: int, *, lang: str) -> _DiagnosisRow:
    # A share of the submissions that do the workshop the code was given in, not of the whole class.
    out_of = diagnosis.out_of or graded
    share = f" ({number(100 * diagnosis.submissions / out_of, decimals=0)} %)" if out_of else ""
    return _DiagnosisRow(
        code=diagnosis.code,
        hint=hint(diagnosis.code, lang),
        count=diagnosis.submissions,
        share=f"{diagnosis.submissions}{share}",
        tasks=diagnosis.tasks,
        rubrics=diagnosis.rubrics,
    )


def _problem_row(problem: stats.Problem, href: str, strings: Mapping[str, str], *, lang: str) -> _ProblemRow:
    lines = []
    if problem.error is not None:
        message = printable(message_text(problem.error.message, lang))
        lines.append((strings["problem_error"], f"{problem.error.kind}: {message}"))
    if problem.timeouts:
        lines.append((strings["problem_timeout"], ", ".join(problem.timeouts)))
    if problem.exceptions:
        lines.append((strings["problem_exception"], ", ".join(problem.exceptions)))
    return _ProblemRow(id=problem.submission_id, href=href, lines=tuple(lines))


def _index_row(
    submission: SubmissionResult,
    columns: Sequence[_Column],
    href: str,
    strings: Mapping[str, str],
    *,
    conventions: Mapping[str, frozenset[str]],
    problem: bool,
    lang: str,
) -> _IndexRow:
    cells = []
    for column in columns:
        tasks = [t for t in submission.tasks if t.rubric == column.rubric]
        if not tasks:
            cells.append(_WorkshopCell(points=None, status=None, sort="", tasks=()))
            continue
        score = submission.rubric_score(column.rubric)
        maximum = round(sum(t.max_score for t in tasks), 6)
        share = percentage(score, maximum)
        kind = "zero" if share is None or share <= 0 else "complete" if share >= 100 else "partial"
        cells.append(
            _WorkshopCell(
                points=points(score, maximum),
                status=status(kind, f"workshop_{kind}", strings),
                sort=_sort_value(share),
                tasks=tuple(
                    _TaskCell(t.id, points(submission.task_score(t), t.max_score), task_status(t, strings))
                    for t in tasks
                ),
            )
        )
    share = percentage(submission.score, submission.max_score) if submission.tasks else None
    filters: list[str] = [submission.status]
    if submission.status == "graded" and share is not None:
        # Over every workshop the submission does: full marks only when it has them in each.
        filters.append("complete" if share >= 100 else "partial" if share > 0 else "zero")
    if problem:
        filters.append("problem")
    mistakes = dict.fromkeys(
        code
        for task in submission.tasks
        for check in task.checks
        for code in check.diagnoses
        if not stats.is_convention(code, task.rubric, conventions)
    )
    error = submission.error
    return _IndexRow(
        id=submission.id,
        href=href,
        status=status(submission.status, f"submission_{submission.status}", strings),
        filters=" ".join(filters),
        cells=tuple(cells),
        diagnoses=tuple(mistakes),
        error=error,
        error_text="" if error is None else printable(message_text(error.message, lang)),
        adjusted=words("adjust.marker", lang) if submission.adjustments else None,
        adjusted_detail=" ".join(
            printable(words("adjust.by_reason", lang, by=a.by, reason=a.reason))
            for a in submission.adjustments
        ),
    )


def _sort_value(share: float | None) -> str:
    # Empty sorts after every number in the dashboard's script, whichever the direction.
    return "" if share is None else f"{share:.4g}"


def _counted(key: str, count: int, *, lang: str, **fields: str) -> str:
    """The page's ``key`` sentence for ``count`` things (the catalogue picks singular or plural)."""
    return words(f"page.{key}", lang, count=count, **fields)
