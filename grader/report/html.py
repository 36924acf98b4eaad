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
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from grader.messages import Translator
from grader.report import stats
from grader.report.text import diagnoses, hint, number, percentage, points, printable, where
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

_STRINGS: Mapping[str, Mapping[str, str]] = {
    "es": {
        "report_title": "Informe de calificación",
        "student_title": "Entrega",
        "skip_to_content": "Saltar al contenido",
        "back_to_index": "Volver al índice",
        "generated_by": "Generado por taller-grader",
        "run_heading": "Ejecución",
        "grader_version": "Versión del calificador",
        "rubrics": "Rúbricas",
        "hidden_cases": "Casos ocultos",
        "hidden_ran": "ejecutados",
        "hidden_not_ran": "no ejecutados",
        "unknown": "desconocido",
        "sandbox": "Capas de aislamiento",
        "none": "ninguna",
        "summary_heading": "Resumen",
        "submissions_count": "Entregas",
        "graded_count": "Calificadas",
        "errored_count": "Con error",
        "timed_out_count": "Con tiempo agotado",
        "mean_score": "Nota media (entregas calificadas)",
        "median_score": "Mediana",
        "histogram_heading": "Distribución de notas",
        "histogram_title": "Número de entregas calificadas por porcentaje de la nota máxima",
        "histogram_axis": "% de la nota máxima",
        "histogram_bar": "{low}–{high} %: {count} entrega(s)",
        "histogram_empty": "Ninguna entrega calificada todavía.",
        "rates_heading": "Tasa de aprobación por prueba",
        "rates_caption": "Entregas calificadas que superan cada prueba",
        "col_function": "Función",
        "col_passed": "Superada",
        "col_rate": "Tasa",
        "col_not_passed": "Sin superar",
        "diagnoses_heading": "Diagnósticos más frecuentes",
        "diagnoses_caption": "Errores típicos reconocidos y cuántas entregas los tienen",
        "col_code": "Código",
        "col_hint": "Explicación",
        "col_count": "Entregas",
        "col_functions": "Funciones",
        "diagnoses_empty": "No se reconoció ningún error típico.",
        "diagnoses_more": "Y {count} diagnóstico(s) menos frecuente(s).",
        "problems_heading": "Entregas con error o tiempo agotado",
        "problems_caption": "Entregas que no se pudieron calificar o cuyo código falló o no terminó",
        "problems_summary": "{count} entrega(s) para revisar",
        "problems_empty": "Todas las entregas se calificaron sin errores ni tiempos agotados.",
        "col_problem": "Problema",
        "problem_error": "No se pudo calificar",
        "problem_timeout": "Tiempo agotado en",
        "problem_exception": "Excepción en",
        "results_heading": "Resultados por estudiante",
        "results_caption": "Puntos por estudiante y por función",
        "no_submissions": "No hay entregas.",
        "filter_search": "Buscar estudiante",
        "filter_status": "Mostrar",
        "filter_all": "todas",
        "filter_complete": "nota completa",
        "filter_partial": "nota parcial",
        "filter_zero": "sin puntos",
        "filter_error": "con error",
        "filter_problem": "con error, excepción o tiempo agotado",
        "filter_count": "Se muestran {shown} de {total} entregas.",
        "sort_hint": "Pulsa un encabezado para ordenar.",
        "sorted_ascending": "Ordenado por {column}, ascendente.",
        "sorted_descending": "Ordenado por {column}, descendente.",
        "col_student": "Estudiante",
        "col_status": "Estado",
        "col_score": "Puntos",
        "col_diagnoses": "Diagnósticos",
        "no_data": "sin datos",
        "source": "Fuente",
        "status": "Estado",
        "score": "Puntos",
        "duration": "Duración",
        "submission_notes": "Notas de la entrega",
        "error_heading": "No se pudo calificar la entrega",
        "breakdown_heading": "Resumen por función",
        "breakdown_caption": "Puntos obtenidos en cada función",
        "tasks_heading": "Funciones",
        "no_tasks": "No se calificó ninguna función.",
        "rubric": "Rúbrica",
        "found_as": "Encontrada como",
        "your_code": "Tu código",
        "cost_curve": "Costo tras cada paso (calculado por el calificador)",
        "curve_student": "tu función",
        "curve_reference": "referencia",
        "curve_step": "paso",
        "task_notes": "Notas",
        "checks_caption": "Pruebas de",
        "no_checks": "Esta función no tiene pruebas.",
        "col_check": "Prueba",
        "col_visibility": "Visibilidad",
        "col_points": "Puntos",
        "col_message": "Mensaje",
        "diagnoses": "Diagnósticos",
        "no_diagnoses": "ninguno",
        "output_heading": "Salida capturada",
        "output_empty": "La entrega no imprimió nada.",
        "output_truncated": "Salida truncada: se muestran los primeros {shown} de {total} caracteres.",
        "submission_graded": "calificada",
        "submission_error": "error",
        "task_complete": "completa",
        "task_partial": "parcial",
        "task_zero": "sin puntos",
        "task_not_found": "no encontrada",
        "check_pass": "superada",
        "check_fail": "fallida",
        "check_error": "error",
        "check_timeout": "tiempo agotado",
        "check_skipped": "omitida",
        "visibility_public": "pública",
        "visibility_hidden": "oculta",
    },
    "en": {
        "report_title": "Grading report",
        "student_title": "Submission",
        "skip_to_content": "Skip to content",
        "back_to_index": "Back to the index",
        "generated_by": "Generated by taller-grader",
        "run_heading": "Run",
        "grader_version": "Grader version",
        "rubrics": "Rubrics",
        "hidden_cases": "Hidden cases",
        "hidden_ran": "ran",
        "hidden_not_ran": "not run",
        "unknown": "unknown",
        "sandbox": "Sandbox layers",
        "none": "none",
        "summary_heading": "Summary",
        "submissions_count": "Submissions",
        "graded_count": "Graded",
        "errored_count": "With errors",
        "timed_out_count": "With time-outs",
        "mean_score": "Mean score (graded submissions)",
        "median_score": "Median",
        "histogram_heading": "Score distribution",
        "histogram_title": "Number of graded submissions by percentage of the maximum score",
        "histogram_axis": "% of the maximum score",
        "histogram_bar": "{low}–{high} %: {count} submission(s)",
        "histogram_empty": "No graded submissions yet.",
        "rates_heading": "Pass rate per check",
        "rates_caption": "Graded submissions that pass each check",
        "col_function": "Function",
        "col_passed": "Passed",
        "col_rate": "Rate",
        "col_not_passed": "Not passed",
        "diagnoses_heading": "Most frequent diagnoses",
        "diagnoses_caption": "Recognised typical mistakes and how many submissions make them",
        "col_code": "Code",
        "col_hint": "Explanation",
        "col_count": "Submissions",
        "col_functions": "Functions",
        "diagnoses_empty": "No typical mistake was recognised.",
        "diagnoses_more": "And {count} less frequent diagnosis(es).",
        "problems_heading": "Submissions with errors or time-outs",
        "problems_caption": "Submissions that could not be graded or whose code failed or did not finish",
        "problems_summary": "{count} submission(s) to review",
        "problems_empty": "Every submission was graded without errors or time-outs.",
        "col_problem": "Problem",
        "problem_error": "Could not be graded",
        "problem_timeout": "Timed out in",
        "problem_exception": "Exception in",
        "results_heading": "Results by student",
        "results_caption": "Points per student and per function",
        "no_submissions": "There are no submissions.",
        "filter_search": "Find a student",
        "filter_status": "Show",
        "filter_all": "all",
        "filter_complete": "full marks",
        "filter_partial": "partial marks",
        "filter_zero": "no points",
        "filter_error": "with errors",
        "filter_problem": "with errors, exceptions or time-outs",
        "filter_count": "Showing {shown} of {total} submissions.",
        "sort_hint": "Select a column heading to sort.",
        "sorted_ascending": "Sorted by {column}, ascending.",
        "sorted_descending": "Sorted by {column}, descending.",
        "col_student": "Student",
        "col_status": "Status",
        "col_score": "Score",
        "col_diagnoses": "Diagnoses",
        "no_data": "no data",
        "source": "Source",
        "status": "Status",
        "score": "Score",
        "duration": "Duration",
        "submission_notes": "Submission notes",
        "error_heading": "The submission could not be graded",
        "breakdown_heading": "Breakdown by function",
        "breakdown_caption": "Points earned in each function",
        "tasks_heading": "Functions",
        "no_tasks": "No function was graded.",
        "rubric": "Rubric",
        "found_as": "Found as",
        "your_code": "Your code",
        "cost_curve": "Cost after each step (computed by the grader)",
        "curve_student": "your function",
        "curve_reference": "reference",
        "curve_step": "step",
        "task_notes": "Notes",
        "checks_caption": "Checks of",
        "no_checks": "This function has no checks.",
        "col_check": "Check",
        "col_visibility": "Visibility",
        "col_points": "Points",
        "col_message": "Message",
        "diagnoses": "Diagnoses",
        "no_diagnoses": "none",
        "output_heading": "Captured output",
        "output_empty": "The submission printed nothing.",
        "output_truncated": "Output truncated: showing the first {shown} of {total} characters.",
        "submission_graded": "graded",
        "submission_error": "error",
        "task_complete": "complete",
        "task_partial": "partial",
        "task_zero": "no points",
        "task_not_found": "not found",
        "check_pass": "passed",
        "check_fail": "failed",
        "check_error": "error",
        "check_timeout": "timed out",
        "check_skipped": "skipped",
        "visibility_public": "public",
        "visibility_hidden": "hidden",
    },
}

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

# Histogram geometry, in SVG user units.
_CHART_WIDTH = 640
_CHART_HEIGHT = 250
_PLOT_LEFT = 44
_PLOT_RIGHT = 12
_PLOT_TOP = 22
_PLOT_BOTTOM = 52
_BAR_GAP = 6


@dataclass(frozen=True)
class _Status:
    """A verdict as the page shows it: CSS modifier, symbol and words."""

    kind: str
    mark: str
    label: str


@dataclass(frozen=True)
class _Column:
    """One task (workshop function) column of the class table."""

    rubric: str
    task_id: str


@dataclass(frozen=True)
class _TaskCell:
    """A student's result for one task column; ``None`` fields when the student has no such task."""

    points: str | None
    status: _Status | None
    sort: str


@dataclass(frozen=True)
class _IndexRow:
    id: str
    href: str
    status: _Status
    points: str
    sort: str
    filters: str
    cells: tuple[_TaskCell, ...]
    diagnoses: tuple[str, ...]
    error: SubmissionError | None


@dataclass(frozen=True)
class _Bar:
    """One histogram bar with its labels, positioned in SVG user units."""

    x: float
    y: float
    width: float
    height: float
    center: float
    count: int
    count_y: float
    label: str
    title: str


@dataclass(frozen=True)
class _Tick:
    y: float
    text_x: float
    text_y: float
    label: str


@dataclass(frozen=True)
class _Histogram:
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


@dataclass(frozen=True)
class _ProblemRow:
    id: str
    href: str
    lines: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _Fact:
    label: str
    value: str


@dataclass(frozen=True)
class _IndexPage:
    run_items: tuple[tuple[str, str], ...]
    facts: tuple[_Fact, ...]
    histogram: _Histogram | None
    rates: tuple[_RateRow, ...]
    diagnoses: tuple[_DiagnosisRow, ...]
    diagnoses_hidden: int
    problems: tuple[_ProblemRow, ...]
    columns: tuple[_Column, ...]
    show_rubrics: bool
    rows: tuple[_IndexRow, ...]
    grader_version: str


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
    label: str
    css: str
    points: str
    last: str


@dataclass(frozen=True)
class _Curve:
    """A cost curve as SVG polylines, in a 320×160 viewBox (scaled to the largest cost)."""

    lines: tuple[_Line, ...]
    top: str
    bottom: str
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
    error: SubmissionError | None
    tasks: tuple[_TaskView, ...]
    output: str
    output_note: str | None
    grader_version: str


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
    if lang not in _STRINGS:
        raise ValueError(f"unsupported report language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    strings = _STRINGS[lang]
    paths = _student_paths(submissions)
    environment = _environment()
    script, script_hash = _script()
    common = {"lang": lang, "t": strings}
    index = _index_page(run, submissions, paths, strings, lang=lang)
    site = {
        INDEX_PAGE: environment.get_template("index.html").render(
            page=index, root="", script=script, csp=f"{_CSP}; script-src '{script_hash}'", **common
        )
    }
    student_template = environment.get_template("student.html")
    version = _grader_version(run)
    for submission in submissions:
        student = _student_page(submission, strings, lang=lang, grader_version=version)
        site[paths[submission.id]] = student_template.render(
            page=student, root="../", csp=f"{_CSP}; script-src 'none'", **common
        )
    return site


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
    columns = tuple(
        dict.fromkeys(
            _Column(task.rubric, task.id) for submission in submissions for task in submission.tasks
        )
    )
    figures = stats.class_statistics(submissions)
    problem_ids = {p.submission_id for p in figures.problems}
    rows = tuple(
        _index_row(s, columns, paths[s.id], strings, problem=s.id in problem_ids) for s in submissions
    )
    graded = [s for s in submissions if s.status == "graded"]
    listed = figures.diagnoses[:DIAGNOSES_SHOWN]
    return _IndexPage(
        run_items=_run_items(run, strings),
        facts=_facts(figures, graded, strings),
        histogram=_histogram(figures.histogram, strings) if figures.percentages else None,
        rates=tuple(_rate_row(rate, strings) for rate in figures.check_rates),
        diagnoses=tuple(_diagnosis_row(d, figures.graded, lang=lang) for d in listed),
        diagnoses_hidden=len(figures.diagnoses) - len(listed),
        problems=tuple(_problem_row(p, paths[p.submission_id], strings) for p in figures.problems),
        columns=columns,
        show_rubrics=len({c.rubric for c in columns}) > 1,
        rows=rows,
        grader_version=_grader_version(run),
    )


def _facts(
    figures: stats.ClassStatistics, graded: Sequence[SubmissionResult], strings: Mapping[str, str]
) -> tuple[_Fact, ...]:
    median = figures.median_percentage
    return (
        _Fact(strings["submissions_count"], str(figures.submissions)),
        _Fact(strings["graded_count"], str(figures.graded)),
        _Fact(strings["errored_count"], str(figures.errored)),
        _Fact(strings["timed_out_count"], str(figures.timed_out)),
        _Fact(strings["mean_score"], _mean_score(graded)),
        _Fact(strings["median_score"], "—" if median is None else f"{number(median)} %"),
    )


def _index_row(
    submission: SubmissionResult,
    columns: Sequence[_Column],
    href: str,
    strings: Mapping[str, str],
    *,
    problem: bool,
) -> _IndexRow:
    tasks = {(t.rubric, t.id): t for t in submission.tasks}
    cells = []
    for column in columns:
        task = tasks.get((column.rubric, column.task_id))
        if task is None:
            cells.append(_TaskCell(points=None, status=None, sort=""))
        else:
            cells.append(
                _TaskCell(
                    points=points(task.score, task.max_score),
                    status=_task_status(task, strings),
                    sort=_sort_value(percentage(task.score, task.max_score)),
                )
            )
    share = percentage(submission.score, submission.max_score) if submission.tasks else None
    filters: list[str] = [submission.status]
    if submission.status == "graded" and share is not None:
        filters.append("complete" if share >= 100 else "partial" if share > 0 else "zero")
    if problem:
        filters.append("problem")
    return _IndexRow(
        id=submission.id,
        href=href,
        status=_status(submission.status, f"submission_{submission.status}", strings),
        points=_submission_points(submission),
        sort=_sort_value(share),
        filters=" ".join(filters),
        cells=tuple(cells),
        diagnoses=diagnoses(tuple(c for t in submission.tasks for c in t.checks)),
        error=submission.error,
    )


def _sort_value(share: float | None) -> str:
    # Empty sorts after every number in the dashboard's script, whichever the direction.
    return "" if share is None else f"{share:.4g}"


def _histogram(bins: Sequence[stats.HistogramBin], strings: Mapping[str, str]) -> _Histogram:
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
        label = f"{number(b.low, decimals=0)}–{number(b.high, decimals=0)}"
        title = strings["histogram_bar"].format(
            low=number(b.low, decimals=0), high=number(b.high, decimals=0), count=b.count
        )
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
                label=label,
                title=title,
            )
        )
    ticks = []
    for value in range(0, scale_max + 1, step):
        y = round(baseline - plot_height * value / scale_max, 2)
        ticks.append(_Tick(y=y, text_x=_PLOT_LEFT - 8, text_y=round(y + 4, 2), label=str(value)))
    return _Histogram(
        width=_CHART_WIDTH,
        height=_CHART_HEIGHT,
        plot_left=_PLOT_LEFT,
        plot_right=_CHART_WIDTH - _PLOT_RIGHT,
        baseline=baseline,
        label_y=baseline + 18,
        axis_x=(_PLOT_LEFT + _CHART_WIDTH - _PLOT_RIGHT) / 2,
        axis_y=_CHART_HEIGHT - 10,
        bars=tuple(bars),
        ticks=tuple(ticks),
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
            f"{count} {strings[f'check_{status}']}"
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
    share = f" ({number(100 * diagnosis.submissions / graded, decimals=0)} %)" if graded else ""
    return _DiagnosisRow(
        code=diagnosis.code,
        hint=hint(diagnosis.code, lang),
        count=diagnosis.submissions,
        share=f"{diagnosis.submissions}{share}",
        tasks=diagnosis.tasks,
    )


def _problem_row(problem: stats.Problem, href: str, strings: Mapping[str, str]) -> _ProblemRow:
    lines = []
    if problem.error is not None:
        lines.append((strings["problem_error"], f"{problem.error.kind}: {printable(problem.error.message)}"))
    if problem.timeouts:
        lines.append((strings["problem_timeout"], ", ".join(problem.timeouts)))
    if problem.exceptions:
        lines.append((strings["problem_exception"], ", ".join(problem.exceptions)))
    return _ProblemRow(id=problem.submission_id, href=href, lines=tuple(lines))


def _student_page(
    submission: SubmissionResult, strings: Mapping[str, str], *, lang: str, grader_version: str
) -> _StudentPage:
    output = submission.output
    note = None
    if len(output) > OUTPUT_LIMIT:
        note = strings["output_truncated"].format(shown=_count(OUTPUT_LIMIT), total=_count(len(output)))
        output = output[:OUTPUT_LIMIT]
    share = percentage(submission.score, submission.max_score) if submission.tasks else None
    return _StudentPage(
        id=submission.id,
        source=submission.source,
        status=_status(submission.status, f"submission_{submission.status}", strings),
        points=_submission_points(submission),
        percent=None if share is None else round(share, 1),
        percent_text="" if share is None else f"{number(share, decimals=0)} %",
        duration=f"{submission.duration_s:.1f} s",
        notes=tuple(map(printable, submission.notes)),
        error=submission.error,
        tasks=tuple(
            _task_view(i, task, strings, lang=lang) for i, task in enumerate(submission.tasks, start=1)
        ),
        output=printable(output),
        output_note=note,
        grader_version=grader_version,
    )


def _task_view(number_: int, task: TaskResult, strings: Mapping[str, str], *, lang: str) -> _TaskView:
    share = percentage(task.score, task.max_score)
    return _TaskView(
        anchor=f"task-{number_}",
        rubric=task.rubric,
        id=task.id,
        found_as=task.found_as,
        status=_task_status(task, strings),
        points=points(task.score, task.max_score),
        percent=0.0 if share is None else round(share, 1),
        notes=tuple(map(printable, task.notes)),
        checks=tuple(_check_row(c, strings) for c in task.checks),
        diagnoses=tuple(_Diagnosis(code, hint(code, lang)) for code in diagnoses(task.checks)),
        source=printable(task.source) if task.source else None,
        location=printable(where(task.location, Translator(lang))) if task.location else None,
        curve=_curve(task.curve, strings),
    )


def _curve(curve: Mapping[str, Sequence[float]] | None, strings: Mapping[str, str]) -> _Curve | None:
    if not curve:
        return None
    finite = [v for values in curve.values() for v in values if math.isfinite(v)]
    steps = max((len(v) for v in curve.values()), default=0) - 1
    if not finite or steps < 1:
        return None
    # The axis spans the costs seen (not 0..max): small but real decreases stay visible.
    top, bottom = max(finite), min(finite)
    span = (top - bottom) or abs(top) or 1.0
    lines = []
    for key, css in (("reference", "ref"), ("student", "you")):
        values = curve.get(key)
        if not values:
            continue
        coordinates = [
            f"{20 + 290 * i / steps:.1f},{150 - 130 * min(max((v - bottom) / span, 0.0), 1.0):.1f}"
            for i, v in enumerate(values)
            if math.isfinite(v)
        ]
        lines.append(_Line(strings[f"curve_{key}"], css, " ".join(coordinates), f"{values[-1]:.4g}"))
    return _Curve(tuple(lines), f"{top:.4g}", f"{bottom:.4g}", steps)


def _check_row(check: CheckResult, strings: Mapping[str, str]) -> _CheckRow:
    return _CheckRow(
        id=check.id,
        visibility=strings[f"visibility_{check.visibility}"],
        status=_status(check.status, f"check_{check.status}", strings),
        points=points(check.score, check.max_score),
        message=printable(check.message),
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
    # Whatever else the run recorded (timestamps, options) is shown verbatim: it is there for reproducibility.
    known = {"grader_version", "rubrics", "hidden_cases", "sandbox", "lang"}
    for key, value in run.items():
        if key not in known:
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
            items.append((str(key), text))
    return tuple(items)


def _grader_version(run: Mapping[str, Any]) -> str:
    return str(run.get("grader_version", "?"))


def _mean_score(graded: Sequence[SubmissionResult]) -> str:
    if not graded:
        return "—"
    mean = sum(s.score for s in graded) / len(graded)
    maxima = {s.max_score for s in graded}
    if len(maxima) == 1:
        (maximum,) = maxima
        return points(mean, maximum) + (f" ({number(100 * mean / maximum)} %)" if maximum > 0 else "")
    # Different rubrics give different maxima: only the percentages are comparable.
    shares = [100 * s.score / s.max_score for s in graded if s.max_score > 0]
    return f"{number(sum(shares) / len(shares))} %" if shares else number(mean)


def _submission_points(submission: SubmissionResult) -> str:
    if not submission.tasks:
        return "—"
    return points(submission.score, submission.max_score)


def _count(value: int) -> str:
    # A thin space groups digits in both languages, where "," or "." would read as a decimal mark in one.
    return f"{value:,}".replace(",", "\N{NARROW NO-BREAK SPACE}")
