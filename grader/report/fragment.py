"""A result as a compact HTML fragment, for a notebook cell's output: each function with its checks (verdict,
points, summary, hints, failing cases), the diagnoses and what they mean, notes, and for a training function
its cost plot beside the reference's.

The fragment is self-contained, so that it renders the same in Jupyter, JupyterLab, VS Code and Colab,
whether the notebook is trusted or not: styles are inline attributes (no ``<style>`` a sanitiser would
drop, no class that could clash with the page's), the plot is inline SVG with presentation attributes, and
there is no script, link or image to fetch.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from grader.judge import NOT_IMPLEMENTED
from grader.messages import render, table, words
from grader.report.cost_plot import Curve, cost_plot
from grader.report.text import hint, message_text, points, printable
from grader.results import CheckResult, SubmissionResult, TaskResult

# Verdict colours (text, background) and marks: the student page's palette.
_STATUS_COLOURS: Mapping[str, tuple[str, str]] = {
    "pass": ("#0b5a1f", "#e1f2e5"),
    "fail": ("#8a1c12", "#fbe6e3"),
    "error": ("#6b3a00", "#fff0d8"),
    "timeout": ("#6b3a00", "#fff0d8"),
    "skipped": ("#3d3d3d", "#ebebeb"),
    "partial": ("#1f3f73", "#e5edfa"),
}
_MARKS: Mapping[str, str] = {
    "pass": "✔",
    "fail": "✘",
    "error": "!",
    "timeout": "⏱",
    "skipped": "–",
    "partial": "◐",
}
# Inline styles, by what they style (one place, so that the template reads as structure).
_STYLES: Mapping[str, str] = {
    "box": "font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; font-size: 14px; "
    "line-height: 1.45; color: #1b1f24; background: #ffffff; max-width: 62rem; padding: 0.2rem 0;",
    "head": "display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; align-items: baseline; "
    "border-bottom: 2px solid #15324f; padding-bottom: 0.3rem; margin-bottom: 0.4rem;",
    "title": "font-size: 1.1rem; font-weight: 600; color: #15324f;",
    "total": "font-size: 1.1rem; font-weight: 600;",
    "notice": "margin: 0.3rem 0 0.6rem; padding: 0.35rem 0.6rem; border-left: 4px solid #b36b00; "
    "background: #fff6e6; color: #4d2b00;",
    "error": "margin: 0.3rem 0; padding: 0.45rem 0.6rem; border-left: 4px solid #8a1c12; "
    "background: #fbe6e3; color: #5c130c;",
    "task": "margin: 0.7rem 0; padding: 0.5rem 0.7rem; border: 1px solid #dfe3e8; border-radius: 0.4rem;",
    "task_head": "margin: 0 0 0.35rem; font-size: 1rem; font-weight: 600; display: flex; flex-wrap: wrap; "
    "gap: 0.3rem 0.7rem; align-items: baseline;",
    "muted": "color: #4f565d; font-weight: 400;",
    "table": "border-collapse: collapse; width: 100%; margin: 0.2rem 0;",
    "th": "text-align: left; padding: 0.25rem 0.5rem; border-bottom: 2px solid #b9c0c7; background: #eef1f5; "
    "font-weight: 600;",
    "td": "text-align: left; vertical-align: top; padding: 0.3rem 0.5rem; border-bottom: 1px solid #dfe3e8;",
    "num": "text-align: right; vertical-align: top; padding: 0.3rem 0.5rem; "
    "border-bottom: 1px solid #dfe3e8; white-space: nowrap;",
    "line": "margin: 0; white-space: pre-wrap; overflow-wrap: anywhere;",
    "hint": "margin: 0.15rem 0; white-space: pre-wrap; overflow-wrap: anywhere; color: #0b4f6c;",
    "detail": "margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font-family: ui-monospace, "
    "SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; color: #2b3137;",
    "code": "font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.95em;",
    "diagnosis": "font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; "
    "background: #eef1f5; border-radius: 0.25rem; padding: 0 0.3rem; margin-right: 0.3rem;",
    "list": "margin: 0.3rem 0 0.2rem; padding-left: 1.2rem;",
    "figure": "margin: 0.5rem 0 0.2rem; max-width: 36rem;",
    "caption": "font-size: 12.5px; color: #4f565d;",
    "pre": "white-space: pre-wrap; overflow-wrap: anywhere; max-height: 16rem; overflow: auto; "
    "background: #f4f6f8; padding: 0.4rem; font-size: 12.5px;",
}
# Colours of the cost plot's lines: the student's wide and solid, the reference's thin and dashed over it.
_LINES: Mapping[str, Mapping[str, str]] = {
    "you": {"stroke": "#e08a4c", "width": "7", "dash": "none", "dot": "#b34700", "radius": "5"},
    "ref": {"stroke": "#123f7a", "width": "2.5", "dash": "8 5", "dot": "#123f7a", "radius": "2.5"},
}


@dataclass(frozen=True)
class _Badge:
    kind: str
    mark: str
    label: str
    colour: str
    background: str


@dataclass(frozen=True)
class _Line:
    text: str
    kind: str  # "summary", "hint" or "detail"


@dataclass(frozen=True)
class _Check:
    id: str
    badge: _Badge
    points: str
    lines: tuple[_Line, ...]
    diagnoses: tuple[str, ...]


@dataclass(frozen=True)
class _Diagnosis:
    code: str
    hint: str | None


@dataclass(frozen=True)
class _Task:
    id: str
    found_as: str | None
    badge: _Badge
    points: str
    location: str | None
    checks: tuple[_Check, ...]
    diagnoses: tuple[_Diagnosis, ...]
    notes: tuple[str, ...]
    curve: Curve | None


@dataclass(frozen=True)
class _View:
    title: str
    total: str | None
    notice: str
    error: str | None
    tasks: tuple[_Task, ...]
    notes: tuple[str, ...]
    output: str


def result_fragment(result: SubmissionResult, *, title: str, lang: str, notice: str) -> str:
    """``result`` as an HTML fragment in ``lang``, headed by ``title`` and ``notice`` (what was run)."""
    strings = table("page", lang)
    view = _View(
        title=title,
        total=points(result.score, result.max_score) if result.tasks else None,
        notice=notice,
        error=printable(message_text(result.error.message, lang)) if result.error else None,
        tasks=tuple(_task(task, strings, lang) for task in result.tasks),
        notes=tuple(printable(message_text(note, lang)) for note in result.notes),
        output=printable(result.output),
    )
    return _template().render(
        view=view,
        s=_STYLES,
        lines=_LINES,
        t=strings,
        lang=lang,
        output_label=words("nb.output", lang),
        details_label=words("nb.details", lang),
    )


def _task(task: TaskResult, strings: Mapping[str, str], lang: str) -> _Task:
    codes = tuple(dict.fromkeys(code for check in task.checks for code in check.diagnoses))
    return _Task(
        id=task.id,
        found_as=task.found_as if task.found_as != task.id else None,
        badge=_task_badge(task, strings, lang),
        points=points(task.score, task.max_score),
        location=printable(render(task.location, lang)) if task.location is not None else None,
        checks=tuple(_check(check, strings, lang) for check in task.checks),
        diagnoses=tuple(_Diagnosis(code, hint(code, lang)) for code in codes),
        notes=tuple(printable(message_text(note, lang)) for note in task.notes),
        curve=cost_plot(task.curve, lang),
    )


def _check(check: CheckResult, strings: Mapping[str, str], lang: str) -> _Check:
    lines = (
        _Line(printable(render(check.summary, lang)), "summary"),
        *(_Line("→ " + printable(render(h, lang)), "hint") for h in check.hints),
        *(_Line(printable(render(d, lang)), "detail") for d in check.details),
    )
    if NOT_IMPLEMENTED in check.diagnoses:
        badge = _badge("skipped", words("nb.not_implemented", lang))
    else:
        badge = _badge(check.status, strings[f"check_{check.status}"])
    return _Check(check.id, badge, points(check.score, check.max_score), lines, check.diagnoses)


def _task_badge(task: TaskResult, strings: Mapping[str, str], lang: str) -> _Badge:
    if task.found_as is None:
        return _badge("skipped", strings["task_not_found"])
    if any(NOT_IMPLEMENTED in check.diagnoses for check in task.checks):
        return _badge("skipped", words("nb.not_implemented", lang))
    if task.max_score > 0 and task.score >= task.max_score:
        return _badge("pass", strings["task_complete"])
    if task.score > 0:
        return _badge("partial", strings["task_partial"])
    return _badge("fail", strings["task_zero"])


def _badge(kind: str, label: str) -> _Badge:
    colour, background = _STATUS_COLOURS[kind]
    return _Badge(kind, _MARKS[kind], label, colour, background)


@cache
def _template() -> Template:
    environment = Environment(
        loader=PackageLoader("grader.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("fragment.html")
