"""Render grading results as a static HTML site: a class dashboard and one page per student."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import PurePath
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from grader.messages import table, words
from grader.report import stats
from grader.report.text import (
    check_text,
    diagnoses,
    hint,
    message_text,
    number,
    percentage,
    points,
    printable,
    where,
)
from grader.results import CheckResult, SubmissionError, SubmissionResult, TaskResult

LANGUAGES: tuple[str, ...] = ("es", "en")
"""Languages of the page chrome (headings, column names, status words)."""

OUTPUT_LIMIT = 20_000
"""How many characters of a submission's captured output a student page shows."""

DIAGNOSES_SHOWN = 20
"""How many of the most frequent diagnoses the dashboard lists."""

INDEX_PAGE = "index.html"
STUDENTS_DIR = "students"

_SLUG_LENGTH = 40
# 64 bits of SHA-256: ids that slug alike (case, accents, punctuation) still get distinct names, and a
# chance collision is checked for in `render_site` rather than silently overwriting a page.
_HASH_LENGTH = 16


# Symbols sit next to the status words (never instead of them), so colour and shape are only a help.
_MARKS: Mapping[str, str] = {
    "graded": "✔",
    "error": "⚠",
    "complete": "✔",
    "partial": "◐",
    "zero": "✘",
    "not_found": "∅",
    "pass": "✔",
    "fail": "✘",
    "timeout": "⏱",
    "skipped": "–",
}

# The pages run nothing but the dashboard's own script (allowed by its hash below): even if some
# student text ever slipped past escaping, the browser would refuse to run it or fetch anything.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
_SCRIPT_FILE = "dashboard.js"

# Cost plot geometry, in SVG user units. Shown at up to 40rem wide, its text reads at about the page's
# size; on a phone it scales down with the chart.
_CURVE_WIDTH = 560
_CURVE_HEIGHT = 330
_CURVE_LEFT = 96
_CURVE_RIGHT = 18
_CURVE_TOP = 44
_CURVE_BOTTOM = 272
_Y_TICKS = 5
_MAX_X_TICKS = 10
_X_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 10**9)
# Points are marked while they stay apart; a long curve is a line.
_MAX_MARKERS = 40
_LEGEND_SPACING = 200

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
class _Status:
    """A verdict as the page shows it: CSS modifier, symbol and words."""

    kind: str
    mark: str
    label: str


@dataclass(frozen=True)
class _Column:
    """One workshop (rubric) column of the class table: a score, with its functions on demand. One
    column per workshop, not per function, keeps the table as wide as a screen however many
    workshops a run grades."""

    rubric: str
    tasks: tuple[str, ...]


@dataclass(frozen=True)
class _TaskCell:
    """A student's result for one function, listed inside its workshop's cell."""

    task_id: str
    points: str
    status: _Status


@dataclass(frozen=True)
class _WorkshopCell:
    """A student's score in one workshop column; ``None`` fields when the student did not do it."""

    points: str | None
    status: _Status | None
    sort: str
    tasks: tuple[_TaskCell, ...]


@dataclass(frozen=True)
class _IndexRow:
    id: str
    href: str
    status: _Status
    filters: str
    cells: tuple[_WorkshopCell, ...]
    diagnoses: tuple[str, ...]
    error: SubmissionError | None
    error_text: str
    # Set when an instructor adjusted the points by hand: the marker's words and, for its title, what.
    adjusted: str | None = None
    adjusted_detail: str = ""


@dataclass(frozen=True)
class _Fact:
    label: str
    value: str


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
class _WorkshopPanel:
    """One workshop's figures on the dashboard: how many did it, mean and median, the histogram."""

    rubric: str
    graded: int
    mean: str
    median: str
    complete: int
    histogram: _Histogram | None


@dataclass(frozen=True)
class _ProblemRow:
    id: str
    href: str
    lines: tuple[tuple[str, str], ...]


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
class _ErrorView:
    kind: str
    message: str


@dataclass(frozen=True)
class _CheckRow:
    id: str
    visibility: str
    status: _Status
    points: str
    message: str


@dataclass(frozen=True)
class _Diagnosis:
    code: str
    hint: str | None


@dataclass(frozen=True)
class _TaskView:
    anchor: str
    rubric: str
    id: str
    found_as: str | None
    status: _Status
    points: str
    percent: float
    notes: tuple[str, ...]
    checks: tuple[_CheckRow, ...]
    diagnoses: tuple[_Diagnosis, ...]
    source: str | None = None
    location: str | None = None
    curve: _Curve | None = None


@dataclass(frozen=True)
class _Line:
    """One curve of the cost plot: its polylines (a cost that blew up breaks the line), its points and
    its legend entry, in SVG user units."""

    label: str
    css: str
    segments: tuple[str, ...]
    markers: tuple[tuple[float, float], ...]
    legend_x: float
    summary: str


@dataclass(frozen=True)
class _AxisTick:
    position: float
    label: str


@dataclass(frozen=True)
class _Curve:
    """The cost after 0, 1, 2, … epochs, the student's beside the reference's, as an SVG chart.

    ``lines`` are drawn in order: the student's (wide, solid) first, then the reference's (thin,
    dashed) over it, so the reference stays visible where the two agree.
    """

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: tuple[_AxisTick, ...]
    y_ticks: tuple[_AxisTick, ...]
    x_title: str
    y_title: str
    x_title_y: float
    y_title_x: float
    middle_x: float
    middle_y: float
    tick_label_y: float
    legend_y: float
    lines: tuple[_Line, ...]
    steps: int


@dataclass(frozen=True)
class _StudentPage:
    id: str
    source: str
    status: _Status
    points: str
    percent: float | None
    percent_text: str
    duration: str
    notes: tuple[str, ...]
    error: _ErrorView | None
    tasks: tuple[_TaskView, ...]
    output: str
    output_note: str | None
    output_notes: tuple[str, ...]
    grader_version: str
    adjustments_heading: str = ""
    adjustments: tuple[str, ...] = ()
    files: _FilesView | None = None


def page_name(submission_id: str) -> str:
    """A safe, unique file name (``<slug>-<hash>.html``) for a submission's page.

    The slug keeps only lowercase ASCII letters, digits and dashes (accents folded, everything else
    dropped), so no id can reach outside the ``students/`` folder or inject markup; the hash of the
    exact id keeps ids that slug alike apart.
    """
    folded = unicodedata.normalize("NFKD", submission_id).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:_SLUG_LENGTH].rstrip("-")
    digest = hashlib.sha256(submission_id.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_LENGTH]
    return f"{slug}-{digest}.html" if slug else f"{digest}.html"


def render_site(
    run: Mapping[str, Any], submissions: Sequence[SubmissionResult], *, lang: str = "es"
) -> dict[str, str]:
    """The report as ``{relative file name: HTML}``: ``index.html`` and ``students/<page_name>``."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported report language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    strings = table("page", lang)
    paths = _student_paths(submissions)
    environment = _environment()
    script, script_hash = _script()
    common = {"lang": lang, "t": strings, "notice": _public_only_notice(run, lang), "index_link": True}
    index = _index_page(run, submissions, paths, strings, lang=lang)
    site = {
        INDEX_PAGE: environment.get_template("index.html").render(
            page=index, root="", script=script, csp=f"{_CSP}; script-src '{script_hash}'", **common
        )
    }
    student_template = environment.get_template("student.html")
    version = _grader_version(run)
    for submission in submissions:
        student = _student_page(
            submission, strings, lang=lang, grader_version=version, conventions=_conventions(run)
        )
        site[paths[submission.id]] = student_template.render(
            page=student, root="../", csp=f"{_CSP}; script-src 'none'", **common
        )
    return site


def render_student_page(run: Mapping[str, Any], submission: SubmissionResult, *, lang: str = "es") -> str:
    """One student's page on its own (no link back to a class index), as handed back through an LMS."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported report language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    strings = table("page", lang)
    page = _student_page(
        submission, strings, lang=lang, grader_version=_grader_version(run), conventions=_conventions(run)
    )
    return (
        _environment()
        .get_template("student.html")
        .render(
            page=page,
            root="",
            csp=f"{_CSP}; script-src 'none'",
            lang=lang,
            t=strings,
            notice=_public_only_notice(run, lang),
            index_link=False,
        )
    )


def _public_only_notice(run: Mapping[str, Any], lang: str) -> str | None:
    """The banner every page of a run without the hidden cases carries: its grades are not final."""
    return words("public_only.banner", lang) if run.get("hidden_cases") is False else None


@dataclass(frozen=True)
class _FilesView:
    """Which of the submission's files were graded and which were not, and who handed it in."""

    heading: str
    graded_label: str
    graded: tuple[str, ...]
    ignored_label: str
    ignored: tuple[str, ...]  # each file not graded and why, in words
    notes: tuple[str, ...]  # each function defined in two files, in words
    student_label: str
    student: str | None


def _files_view(submission: SubmissionResult, lang: str) -> _FilesView | None:
    """The files part of a student's page, from the fields the result keeps (never from its words)."""
    files = submission.files
    if files is None and submission.student is None:
        return None
    # One line per pair of files: a stale copy defines every function again.
    pairs: dict[tuple[str, str], list[str]] = {}
    for d in files.duplicates if files else ():
        pairs.setdefault((d.graded_in, d.also_in), []).append(d.function)
    duplicates = [
        words("note.defined_twice", lang, function=names[0], graded=graded, other=other)
        if len(names) == 1
        else words("note.defined_twice_many", lang, functions=", ".join(names), graded=graded, other=other)
        for (graded, other), names in pairs.items()
    ]
    ignored = [
        words(f"ignored.{i.reason}", lang, file=i.file, graded=i.graded_instead or "")
        for i in (files.ignored if files else ())
    ]
    return _FilesView(
        heading=words("files.heading", lang),
        graded_label=words("files.graded", lang),
        graded=tuple(printable(name) for name in (files.graded if files else ())),
        ignored_label=words("files.ignored", lang),
        ignored=tuple(map(printable, ignored)),
        notes=tuple(map(printable, duplicates)),
        student_label=words("student.label", lang),
        student=printable(_student_words(submission, lang)) if submission.student else None,
    )


def _student_words(submission: SubmissionResult, lang: str) -> str:
    """Who handed the submission in, as the LMS names them: name, LMS and id, lateness."""
    student = submission.student
    assert student is not None
    parts = [student.name] if student.name else []
    if student.moodle_participant_id:
        parts.append(words("student.moodle", lang, id=student.moodle_participant_id))
    if student.canvas_user_id:
        parts.append(words("student.canvas", lang, id=student.canvas_user_id))
    if student.canvas_anonymous_id:
        parts.append(words("student.canvas_anonymous", lang, id=student.canvas_anonymous_id))
    if student.github_username:
        parts.append(words("student.classroom", lang, username=student.github_username))
    if student.late:
        parts.append(words("student.late", lang))
    return " · ".join(parts)


def _adjustment_lines(submission: SubmissionResult, lang: str) -> tuple[str, ...]:
    """Each manual adjustment in words, with the instructor's comment and who made it."""
    lines = []
    for a in submission.adjustments:
        change = {"original": number(a.original), "points": number(a.points)}
        if a.task is None:
            head = words("adjust.total", lang, rubric=a.rubric, **change)
        else:
            head = words("adjust.function", lang, function=a.task, **change)
        tail = f" {a.comment}" if a.comment else ""
        lines.append(printable(f"{head}.{tail} {words('adjust.by', lang, by=a.by)}"))
    return tuple(lines)


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("grader.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _script() -> tuple[Markup, str]:
    """The dashboard's script and its CSP source expression (``sha256-…`` of the exact text)."""
    text = (resources.files("grader.report") / "templates" / _SCRIPT_FILE).read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    # The file is ours, not a student's, and it never contains "</script".
    return Markup(text), f"sha256-{digest}"


def _student_paths(submissions: Sequence[SubmissionResult]) -> dict[str, str]:
    paths: dict[str, str] = {}
    owners: dict[str, str] = {}
    for submission in submissions:
        if submission.id in paths:
            raise ValueError(f"duplicate submission id {submission.id!r}")
        path = f"{STUDENTS_DIR}/{page_name(submission.id)}"
        if path in owners:
            raise ValueError(f"submission ids {owners[path]!r} and {submission.id!r} share page {path}")
        paths[submission.id] = path
        owners[path] = submission.id
    return paths


def _index_page(
    run: Mapping[str, Any],
    submissions: Sequence[SubmissionResult],
    paths: Mapping[str, str],
    strings: Mapping[str, str],
    *,
    lang: str,
) -> _IndexPage:
    tasks: dict[str, dict[str, None]] = {}
    for submission in submissions:
        for task in submission.tasks:
            tasks.setdefault(task.rubric, {})[task.id] = None
    # Workshops in id order, as the figures list them; functions in the order the rubric lists them.
    columns = tuple(_Column(rubric, tuple(tasks[rubric])) for rubric in sorted(tasks))
    conventions = _conventions(run)
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
        workshops=tuple(_workshop_panel(w, i, strings) for i, w in enumerate(figures.workshops, start=1)),
        rates=tuple(_rate_row(rate, strings) for rate in figures.check_rates),
        diagnoses=tuple(_diagnosis_row(d, figures.graded, lang=lang) for d in listed),
        diagnoses_more=_counted(strings, "diagnoses_more", hidden) if hidden else "",
        conventions=tuple(_diagnosis_row(d, figures.graded, lang=lang) for d in figures.conventions),
        problems=tuple(_problem_row(p, paths[p.submission_id], strings, lang=lang) for p in figures.problems),
        problems_summary=_counted(strings, "problems_summary", len(figures.problems)),
        columns=columns,
        show_rubrics=len(columns) > 1,
        workshop_width=round(min(_WORKSHOP_WIDTH, _WORKSHOPS_WIDTH / max(len(columns), 1)), 2),
        rows=rows,
        grader_version=_grader_version(run),
    )


def _conventions(run: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """Per rubric id, the codes that mark one of its accepted conventions, as the run recorded them
    (``{"xor": {"columns": null, "rows": "rows_as_instances"}}``). A run that recorded none (an older
    ``results.json``) has none: its codes are all listed as diagnoses."""
    recorded = run.get("conventions")
    if not isinstance(recorded, Mapping):
        return {}
    return {
        str(rubric): frozenset(str(note) for note in notes.values() if isinstance(note, str) and note)
        for rubric, notes in recorded.items()
        if isinstance(notes, Mapping)
    }


def _facts(figures: stats.ClassStatistics, strings: Mapping[str, str]) -> tuple[_Fact, ...]:
    # Means and medians are per workshop (see _workshop_panel): across workshops they add unlike things.
    return (
        _Fact(strings["submissions_count"], str(figures.submissions)),
        _Fact(strings["graded_count"], str(figures.graded)),
        _Fact(strings["errored_count"], str(figures.errored)),
        _Fact(strings["timed_out_count"], str(figures.timed_out)),
    )


def _workshop_panel(
    workshop: stats.WorkshopStatistics, number_: int, strings: Mapping[str, str]
) -> _WorkshopPanel:
    median = workshop.median_percentage
    histogram = (
        _histogram(
            workshop.histogram,
            strings,
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
                status=_status(kind, f"workshop_{kind}", strings),
                sort=_sort_value(share),
                tasks=tuple(
                    _TaskCell(t.id, points(submission.task_score(t), t.max_score), _task_status(t, strings))
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
        status=_status(submission.status, f"submission_{submission.status}", strings),
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


def _histogram(
    bins: Sequence[stats.HistogramBin], strings: Mapping[str, str], *, id: str, title: str
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
                    strings,
                    "histogram_bar",
                    b.count,
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


def _rate_row(rate: stats.CheckRate, strings: Mapping[str, str]) -> _RateRow:
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
            _counted(strings, f"rate_{status}", count)
            for status, count in (
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


def _student_page(
    submission: SubmissionResult,
    strings: Mapping[str, str],
    *,
    lang: str,
    grader_version: str,
    conventions: Mapping[str, frozenset[str]],
) -> _StudentPage:
    output = submission.output
    note = None
    if len(output) > OUTPUT_LIMIT:
        note = strings["output_truncated"].format(shown=_count(OUTPUT_LIMIT), total=_count(len(output)))
        output = output[:OUTPUT_LIMIT]
    share = percentage(submission.score, submission.max_score) if submission.tasks else None
    return _StudentPage(
        id=submission.id,
        # Only the name the student handed in: the page goes back to the student, and the folder it
        # was graded from is the instructor's business.
        source=PurePath(submission.source.replace("\\", "/")).name or submission.id,
        status=_status(submission.status, f"submission_{submission.status}", strings),
        points=_submission_points(submission),
        percent=None if share is None else round(share, 1),
        percent_text="" if share is None else f"{number(share, decimals=0)} %",
        duration=f"{submission.duration_s:.1f} s",
        notes=tuple(printable(message_text(note, lang)) for note in submission.notes),
        error=_ErrorView(submission.error.kind, printable(message_text(submission.error.message, lang)))
        if submission.error
        else None,
        tasks=tuple(
            _task_view(i, task, strings, lang=lang, conventions=conventions)
            for i, task in enumerate(submission.tasks, start=1)
        ),
        output=printable(output),
        output_note=note,
        output_notes=tuple(printable(message_text(n, lang)) for n in submission.output_notes),
        grader_version=grader_version,
        adjustments_heading=words("adjust.heading", lang),
        adjustments=_adjustment_lines(submission, lang),
        files=_files_view(submission, lang),
    )


def _task_view(
    number_: int,
    task: TaskResult,
    strings: Mapping[str, str],
    *,
    lang: str,
    conventions: Mapping[str, frozenset[str]],
) -> _TaskView:
    # An accepted convention is told in the task's notes; it is not a mistake to list.
    accepted = conventions.get(task.rubric, frozenset())
    share = percentage(task.score, task.max_score)
    return _TaskView(
        anchor=f"task-{number_}",
        rubric=task.rubric,
        id=task.id,
        found_as=task.found_as,
        status=_task_status(task, strings),
        points=points(task.score, task.max_score),
        percent=0.0 if share is None else round(share, 1),
        notes=tuple(printable(message_text(note, lang)) for note in task.notes),
        checks=tuple(_check_row(c, strings, lang=lang) for c in task.checks),
        diagnoses=tuple(
            _Diagnosis(code, hint(code, lang)) for code in diagnoses(task.checks) if code not in accepted
        ),
        source=printable(task.source) if task.source else None,
        location=printable(where(task.location, lang)) if task.location else None,
        curve=_curve(task.curve, strings),
    )


def cost_plot(curve: Mapping[str, Sequence[float]] | None, lang: str) -> _Curve | None:
    """A training function's cost plot as the student page draws it (axes, ticks, the student's line and
    the reference's, their legend), in ``lang``: for other renderers of a result (the notebook check)."""
    return _curve(curve, table("page", lang))


def _curve(curve: Mapping[str, Sequence[float]] | None, strings: Mapping[str, str]) -> _Curve | None:
    if not curve:
        return None
    finite = [v for values in curve.values() for v in values if math.isfinite(v)]
    steps = max((len(v) for v in curve.values()), default=0) - 1
    if not finite or steps < 1:
        return None
    # The axis spans the costs seen (not 0..max): small but real decreases stay visible.
    y_ticks = _nice_ticks(min(finite), max(finite))
    low, high = y_ticks[0], y_ticks[-1]
    x_step = next(s for s in _X_STEPS if steps / s <= _MAX_X_TICKS)
    left, right, top, bottom = _CURVE_LEFT, _CURVE_WIDTH - _CURVE_RIGHT, _CURVE_TOP, _CURVE_BOTTOM

    def x(i: float) -> float:
        return round(left + (right - left) * i / steps, 2)

    def y(value: float) -> float:
        return round(bottom - (bottom - top) * (value - low) / (high - low), 2)

    lines = []
    # The student's line first, so that the reference's, drawn over it, shows where they agree.
    for n, (key, css) in enumerate((("student", "you"), ("reference", "ref"))):
        values = curve.get(key)
        if not values:
            continue
        segments: list[list[str]] = [[]]
        markers = []
        for i, value in enumerate(values):
            if not math.isfinite(value):
                segments.append([])
                continue
            segments[-1].append(f"{x(i)},{y(value)}")
            markers.append((x(i), y(value)))
        label = strings[f"curve_{key}"]
        lines.append(
            _Line(
                label=label,
                css=css,
                segments=tuple(" ".join(points) for points in segments if len(points) > 1),
                markers=tuple(markers) if len(values) <= _MAX_MARKERS else (),
                legend_x=left + n * _LEGEND_SPACING,
                summary=strings["curve_line"].format(
                    label=label,
                    first=_cost_text(values[0]),
                    last=_cost_text(values[-1]),
                    steps=len(values) - 1,
                ),
            )
        )
    decimals = _tick_decimals(y_ticks)
    return _Curve(
        width=_CURVE_WIDTH,
        height=_CURVE_HEIGHT,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        x_ticks=tuple(_AxisTick(x(i), str(i)) for i in range(0, steps + 1, x_step)),
        y_ticks=tuple(_AxisTick(y(value), _tick_text(value, decimals)) for value in y_ticks),
        x_title=strings["curve_epoch"],
        y_title=strings["curve_cost"],
        x_title_y=_CURVE_HEIGHT - 8,
        y_title_x=16,
        middle_x=round((left + right) / 2, 2),
        middle_y=round((top + bottom) / 2, 2),
        tick_label_y=bottom + 22,
        legend_y=20,
        lines=tuple(lines),
        steps=steps,
    )


def _nice_ticks(low: float, high: float) -> list[float]:
    """Round values from at or below ``low`` to at or above ``high``, 1, 2, 2.5 or 5 times a power of ten
    apart, about five of them."""
    if high <= low:
        pad = abs(high) * 0.05 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / (_Y_TICKS - 1)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    first = math.floor(low / step + 1e-9) * step
    count = math.ceil((high - first) / step - 1e-9)
    return [first + i * step for i in range(count + 1)]


def _tick_decimals(ticks: Sequence[float]) -> int | None:
    """The fewest decimals that write every tick exactly (0.625, not 0.62), or ``None`` when the values
    call for an exponent."""
    step = ticks[1] - ticks[0]
    largest = max(abs(t) for t in ticks)
    if largest >= 1e6 or step < 1e-6:
        return None
    for decimals in range(0, 8):
        if all(abs(round(t, decimals) - t) < step * 1e-6 for t in ticks):
            return decimals
    return None


def _tick_text(value: float, decimals: int | None) -> str:
    text = f"{value:.3g}" if decimals is None else f"{value:.{decimals}f}"
    return "0" if text.lstrip("-").strip("0.") == "" else text


def _cost_text(value: float) -> str:
    return f"{value:.4g}" if math.isfinite(value) else "—"


def _check_row(check: CheckResult, strings: Mapping[str, str], *, lang: str) -> _CheckRow:
    return _CheckRow(
        id=check.id,
        visibility=strings[f"visibility_{check.visibility}"],
        status=_status(check.status, f"check_{check.status}", strings),
        points=points(check.score, check.max_score),
        message=printable(check_text(check, lang)),
    )


def _task_status(task: TaskResult, strings: Mapping[str, str]) -> _Status:
    if task.found_as is None:
        kind = "not_found"
    elif task.max_score > 0 and task.score >= task.max_score:
        kind = "complete"
    elif task.score > 0:
        kind = "partial"
    else:
        kind = "zero"
    return _status(kind, f"task_{kind}", strings)


def _status(kind: str, key: str, strings: Mapping[str, str]) -> _Status:
    return _Status(kind=kind.replace("_", "-"), mark=_MARKS[kind], label=strings[key])


def _run_items(run: Mapping[str, Any], strings: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    hidden = run.get("hidden_cases")
    hidden_text = (
        strings["unknown"] if hidden is None else strings["hidden_ran" if hidden else "hidden_not_ran"]
    )
    items = [
        (strings["grader_version"], _grader_version(run)),
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


def _grader_version(run: Mapping[str, Any]) -> str:
    return str(run.get("grader_version", "?"))


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


def _submission_points(submission: SubmissionResult) -> str:
    if not submission.tasks:
        return "—"
    return points(submission.score, submission.max_score)


def _counted(strings: Mapping[str, str], key: str, count: int, **fields: str) -> str:
    """The ``key`` sentence for ``count`` things, singular or plural (``key_one`` or ``key_other``)."""
    return strings[f"{key}_one" if count == 1 else f"{key}_other"].format(count=count, **fields)


def _count(value: int) -> str:
    # A thin space groups digits in both languages, where "," or "." would read as a decimal mark in one.
    return f"{value:,}".replace(",", "\N{NARROW NO-BREAK SPACE}")
