"""The registry of report formats: each turns a run's results into ``{relative file name: text}``."""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from grader.report.gradebook import DEFAULT_DIALECT, DialectName, GradebookRenderer, canvas_csv, plain_csv
from grader.results import SubmissionResult


class Renderer(Protocol):
    def __call__(
        self, run: Mapping[str, Any], submissions: Sequence[SubmissionResult], *, lang: str
    ) -> dict[str, str]: ...


@dataclass(frozen=True)
class _Imported:
    """A renderer imported when a report of its format is first written: the command line lists and
    checks the formats at start-up, and the HTML site's templates (jinja2) are not worth loading for
    a command that writes no site."""

    module: str
    function: str

    def __call__(
        self, run: Mapping[str, Any], submissions: Sequence[SubmissionResult], *, lang: str
    ) -> dict[str, str]:
        render: Renderer = getattr(importlib.import_module(self.module), self.function)
        return render(run, submissions, lang=lang)


@dataclass(frozen=True)
class ReportFormat:
    """A named output: what it is for, and the function that writes it."""

    name: str
    description: str
    render: Renderer
    # A gradebook is also written in the CSV dialect asked for (see grader.report.gradebook.DIALECTS).
    gradebook: GradebookRenderer | None = None


FORMATS: Mapping[str, ReportFormat] = {
    f.name: f
    for f in (
        ReportFormat(
            "html",
            "class dashboard index.html and one page per student",
            _Imported("grader.report.html", "render_site"),
        ),
        ReportFormat("csv", "grades.csv: one row per student (Moodle, spreadsheets)", plain_csv, plain_csv),
        ReportFormat(
            "canvas", "grades_canvas.csv in Canvas's gradebook-import layout", canvas_csv, canvas_csv
        ),
        ReportFormat(
            "junit",
            "junit.xml: one test case per check, for CI dashboards",
            _Imported("grader.report.junit", "junit_xml"),
        ),
        ReportFormat(
            "gradescope",
            "gradescope/results.json for a Gradescope autograder",
            _Imported("grader.report.gradescope", "gradescope_results"),
        ),
        ReportFormat(
            "github",
            "GitHub job summary, annotations and Classroom result",
            _Imported("grader.report.github", "github_reports"),
        ),
    )
}

DEFAULT_FORMATS: tuple[str, ...] = ("html", "csv", "canvas")
"""What a batch run writes unless told otherwise: the instructor's dashboard and the gradebooks."""

ALL = "all"


class UnknownFormatError(ValueError):
    """A ``--format`` value naming no known format."""


def parse_formats(spec: str) -> tuple[str, ...]:
    """Comma-separated format names (``all`` for every one) as a tuple without repeats, in the given order."""
    names = [part.strip().lower() for part in spec.split(",") if part.strip()]
    if not names:
        raise UnknownFormatError(f"no format given; known formats: {', '.join(FORMATS)} (or {ALL})")
    chosen: dict[str, None] = {}
    for name in names:
        if name == ALL:
            chosen.update(dict.fromkeys(FORMATS))
        elif name in FORMATS:
            chosen[name] = None
        else:
            raise UnknownFormatError(
                f"unknown format {name!r}; known formats: {', '.join(FORMATS)} (or {ALL})"
            )
    return tuple(chosen)


def render_reports(
    formats: Sequence[str],
    run: Mapping[str, Any],
    submissions: Sequence[SubmissionResult],
    *,
    lang: str,
    dialect: DialectName = DEFAULT_DIALECT,
) -> dict[str, str]:
    """Every file of the chosen formats (gradebooks in the CSV ``dialect``); two formats never write the
    same file."""
    files: dict[str, str] = {}
    owner: dict[str, str] = {}
    for name in formats:
        if name not in FORMATS:
            raise UnknownFormatError(f"unknown format {name!r}; known formats: {', '.join(FORMATS)}")
        chosen = FORMATS[name]
        rendered = (
            chosen.gradebook(run, submissions, lang=lang, dialect=dialect)
            if chosen.gradebook is not None
            else chosen.render(run, submissions, lang=lang)
        )
        for path, text in rendered.items():
            if path in files:
                raise ValueError(f"formats {owner[path]!r} and {name!r} both write {path}")
            files[path] = text
            owner[path] = name
    return files
