"""The check a student runs from inside their notebook::

    import grader
    grader.check("feedForward")   # one function
    grader.check()                # the whole workshop

It judges the functions the kernel holds now (whichever cell defined them; a function redefined later is
the one checked) on the workshop's public cases, as ``grader check`` and the instructor's batch judge them
(the same judge, :mod:`grader.judge`), and gives back a :class:`NotebookCheck`: rich HTML in Jupyter,
JupyterLab, VS Code and Colab, text in a terminal IPython or a script. The secret of the hidden cases is
neither needed nor reachable: only public cases are made. How the student's functions are run so that none
can hang or kill the kernel is :mod:`grader.runners`'.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Collection, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from grader.errors import RubricError
from grader.judge import Judge, applicable_rubrics, find_name, judge_rubrics
from grader.kernel import live_code
from grader.messages import LANGUAGES, SAY, Message, words
from grader.report.fragment import result_fragment
from grader.report.terminal import submission_text
from grader.results import SubmissionError, SubmissionResult, TaskResult
from grader.rubric import Rubric
from grader.runners import ChildLimits, Runner, run
from grader.workshop import installed_rubric_paths, load_bundled_rubrics, load_rubric, resolve_rubric


@dataclass(frozen=True, repr=False)
class NotebookCheck:
    """What a notebook check found: a result like one of the batch's (public cases only), shown as HTML by
    notebook front ends (``_repr_html_``) and as text elsewhere (``str``, ``repr``). ``in_lang("en")``
    gives the same check in another language."""

    result: SubmissionResult
    # The workshop's title in each language.
    titles: Mapping[str, str]
    lang: str
    # How the student's functions ran: "fork" (a child of the kernel) or "here" (in the kernel).
    runner: str = "here"
    seconds: float = 0.0
    # Timing figures of the judge (grader.timing.Timings.figures), for benchmarks.
    figures: tuple[float, ...] = field(default=(), compare=False)

    @property
    def tasks(self) -> tuple[TaskResult, ...]:
        return self.result.tasks

    @property
    def score(self) -> float:
        return self.result.score

    @property
    def max_score(self) -> float:
        return self.result.max_score

    @property
    def passed(self) -> bool:
        """Whether every public check passed (and there was something to check)."""
        return (
            self.result.status == "graded"
            and bool(self.result.tasks)
            and all(c.status == "pass" for task in self.result.tasks for c in task.checks)
        )

    def in_lang(self, lang: str) -> NotebookCheck:
        """The same check, said in ``lang`` ("es" or "en")."""
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
        return replace(self, lang=lang)

    @property
    def title(self) -> str:
        return words("nb.title", self.lang, title=self.titles.get(self.lang, ""))

    def __str__(self) -> str:
        return submission_text(replace(self.result, id=self.title), lang=self.lang, public_only=True)

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's plain-text display (a terminal IPython): the text, not a dataclass's fields."""
        printer.text(str(self))

    def _repr_html_(self) -> str:
        return result_fragment(
            self.result, title=self.title, lang=self.lang, notice=words("term.public_only", self.lang)
        )


def check(
    function: str | None = None,
    *,
    workshop: str | None = None,
    lang: str | None = None,
    runner: Runner = "auto",
    namespace: MutableMapping[str, Any] | None = None,
) -> NotebookCheck:
    """Check ``function`` (a workshop function's name, or the name you gave it), or the whole workshop,
    against the functions defined where this is called (the notebook's namespace), on the public cases.

    ``workshop``: a bundled or installed workshop's id, or the path of a rubric or workshop folder (by
    default, the workshop your functions belong to). ``lang``: "es" or "en" (by default the workshop's).
    ``runner``: "fork" (a child of the kernel: Linux), "here" (in the kernel) or "auto".
    ``namespace``: the functions' namespace, when not the caller's globals.
    """
    if _in_grading_worker():
        title = {code: words("nb.in_grading", code) for code in LANGUAGES}
        return NotebookCheck(SubmissionResult("notebook", "notebook", "graded"), title, lang or "es")
    space = namespace if namespace is not None else sys._getframe(1).f_globals
    return check_namespace(space, function, workshop=workshop, lang=lang, runner=runner)


def check_namespace(
    namespace: MutableMapping[str, Any],
    function: str | None = None,
    *,
    workshop: str | None = None,
    lang: str | None = None,
    runner: Runner = "auto",
) -> NotebookCheck:
    """:func:`check` on the functions of ``namespace``."""
    started = time.perf_counter()
    offered = _rubrics(workshop)
    student, loaded = live_code(namespace)
    chosen, tasks, problem = _choose(offered, function, loaded.functions, given=workshop is not None)
    shown_in = lang or (chosen or offered)[0].lang
    titles = {code: " + ".join(r.title_in(code) for r in chosen or offered) for code in LANGUAGES}
    if problem is not None:
        error = SubmissionResult(
            "notebook", "notebook", "error", error=SubmissionError("nothing_to_grade", problem)
        )
        return NotebookCheck(error, titles, shown_in, seconds=time.perf_counter() - started)
    judge = _judge(workshop, tuple(r.id for r in chosen))
    before = judge.timings.figures()
    budget = sum(r.budget_s for r in chosen)

    def work(code: Any) -> tuple[tuple[TaskResult, ...], tuple[float, ...]]:
        results = judge_rubrics(judge, chosen, code, loaded, tasks=tasks, t=SAY)
        return results, judge.timings.figures()

    ran = run(work, student, runner=runner, limits=ChildLimits(total_s=budget))
    results, after = ran.value
    result = SubmissionResult("notebook", "notebook", "graded", tasks=results, output=ran.output)
    figures = tuple(b - a for a, b in zip(before, after, strict=True))
    return NotebookCheck(
        result, titles, shown_in, runner=ran.runner, seconds=time.perf_counter() - started, figures=figures
    )


def _choose(
    offered: Sequence[Rubric], function: str | None, defined: Collection[str], *, given: bool
) -> tuple[list[Rubric], set[str] | None, Message | None]:
    """The rubrics to judge, the tasks to judge on them (``None``: all), or why there is nothing to judge."""
    if function is None:
        chosen = applicable_rubrics(offered, defined, chosen=given)
        if not chosen:
            expected = ", ".join(task.id for r in offered for task in r.tasks)
            return [], None, SAY("nb.nothing_defined", expected=expected)
        return chosen, None, None
    matches = [(r, task) for r in offered for task in r.tasks if find_name(task, {function})]
    if not matches:
        names = ", ".join(task.id for r in offered for task in r.tasks)
        return [], None, SAY("nb.unknown_function", name=function, names=names)
    # A name two workshops share belongs to the one the notebook does.
    doing = applicable_rubrics(offered, defined, chosen=given)
    rubric, task = next(((r, t) for r, t in matches if r in doing), matches[0])
    return [rubric], {task.id}, None


@cache
def _rubrics(workshop: str | None) -> tuple[Rubric, ...]:
    """The workshops a check may be about: the one named, else the bundled and installed ones (loaded and
    validated once per kernel)."""
    if workshop is not None:
        return (resolve_rubric(workshop),)
    rubrics = load_bundled_rubrics()
    # A broken course package does not stop checking the bundled workshops.
    with contextlib.suppress(RubricError):
        rubrics += [load_rubric(path) for path in installed_rubric_paths()]
    return tuple(rubrics)


@cache
def _judge(workshop: str | None, ids: tuple[str, ...]) -> Judge:
    """The judge of these workshops, public cases only, kept for the kernel's life: its reference results
    are remembered from one check to the next."""
    return Judge.prepare([r for r in _rubrics(workshop) if r.id in ids], secret=None)


def _in_grading_worker() -> bool:
    """Whether this runs inside a grading worker (a handed-in notebook run whole by the batch)."""
    worker = sys.modules.get("grader.sandbox.worker")
    return bool(getattr(worker, "serving", False))
