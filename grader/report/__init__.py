"""Reports of a grading run: the HTML dashboard and student pages, gradebooks and CI/LMS exports."""

from grader.messages import LANGUAGES
from grader.report.formats import (
    DEFAULT_FORMATS,
    FORMATS,
    ReportFormat,
    UnknownFormatError,
    parse_formats,
    render_reports,
)
from grader.report.html import OUTPUT_LIMIT, page_name, render_site

__all__ = [
    "DEFAULT_FORMATS",
    "FORMATS",
    "LANGUAGES",
    "OUTPUT_LIMIT",
    "ReportFormat",
    "UnknownFormatError",
    "page_name",
    "parse_formats",
    "render_reports",
    "render_site",
]
