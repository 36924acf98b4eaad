"""Render grading results as a static HTML site: a class dashboard and one page per student.

This module holds the site as a whole: the pages' file names, the templates, the content security policy
and the dashboard's script. What each page shows is built in grader/report/dashboard.py and
grader/report/student_page.py.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from grader.messages import LANGUAGES, table, words
from grader.report.dashboard import index_page
from grader.report.page_parts import accepted_conventions, grader_version_of
from grader.report.student_page import student_page
from grader.results import SubmissionResult

OUTPUT_LIMIT = 20_000
"""How many characters of a submission's captured output a student page shows."""

INDEX_PAGE = "index.html"
STUDENTS_DIR = "students"

_SLUG_LENGTH = 40
# 64 bits of SHA-256: ids that slug alike (case, accents, punctuation) still get distinct names, and a
# chance collision is checked for in `render_site` rather than silently overwriting a page.
_HASH_LENGTH = 16

# The pages run nothing but the dashboard's own script (allowed by its hash below): even if some
# student text ever slipped past escaping, the browser would refuse to run it or fetch anything.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
_SCRIPT_FILE = "dashboard.js"


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
    index = index_page(run, submissions, paths, strings, lang=lang)
    site = {
        INDEX_PAGE: environment.get_template("index.html").render(
            page=index, root="", script=script, csp=f"{_CSP}; script-src '{script_hash}'", **common
        )
    }
    student_template = environment.get_template("student.html")
    version = grader_version_of(run)
    for submission in submissions:
        student = student_page(
            submission,
            strings,
            lang=lang,
            grader_version=version,
            conventions=accepted_conventions(run),
            output_limit=OUTPUT_LIMIT,
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
    page = student_page(
        submission,
        strings,
        lang=lang,
        grader_version=grader_version_of(run),
        conventions=accepted_conventions(run),
        output_limit=OUTPUT_LIMIT,
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
