"""Reports of a grading run: the HTML dashboard and student pages, gradebooks and CI/LMS exports.

The names below are imported on first use: a notebook's check or ``grader check`` needs one small
renderer of this package, not the HTML site's templates and every export format.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from grader.messages import LANGUAGES

if TYPE_CHECKING:
    from grader.report.formats import (
        DEFAULT_FORMATS,
        FORMATS,
        ReportFormat,
        UnknownFormatError,
        parse_formats,
        render_reports,
    )
    from grader.report.html import OUTPUT_LIMIT, page_name, render_site

_LAZY = {
    "DEFAULT_FORMATS": "grader.report.formats",
    "FORMATS": "grader.report.formats",
    "ReportFormat": "grader.report.formats",
    "UnknownFormatError": "grader.report.formats",
    "parse_formats": "grader.report.formats",
    "render_reports": "grader.report.formats",
    "OUTPUT_LIMIT": "grader.report.html",
    "page_name": "grader.report.html",
    "render_site": "grader.report.html",
}

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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
