"""Human-readable reports of a grading run (a static HTML site)."""

from grader.report.html import LANGUAGES, OUTPUT_LIMIT, page_name, render_site

__all__ = ["LANGUAGES", "OUTPUT_LIMIT", "page_name", "render_site"]
