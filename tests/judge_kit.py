"""Judging one check of a bundled rubric on plain functions, wired as grading wires it for a worker."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from grader.calls import Substitute
from grader.cases import CaseSet, make_cases
from grader.checks import TaskContext, run_check
from grader.checks.memo import Memo
from grader.inprocess import InProcessStudent
from grader.location import Location
from grader.messages import SAY
from grader.report.text import check_text
from grader.results import CheckResult
from grader.rubric import Rubric
from grader.timing import TimedModule, Timings
from grader.workshop import load_bundled_rubrics
from reference.mistakes import NO_MISTAKES, KnownMistakes, known_mistakes

SECRET = "judge-kit"
# A call that never returns costs this much (twice per function, then it is not called again).
SHORT_TIMEOUT_S = 0.03
# Reference results depend only on the cases: shared by every test, as by every submission of a run.
MEMO = Memo()

# A correct XOR network in the slides' convention, as a student writes it (tests add the training loop).
XOR_NETWORK = """
import numpy as np

def sigmoide(z):
    return 1 / (1 + np.exp(-z))

def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2

def costoGlobal(y_est, y):
    m = y.shape[1]
    return float(-np.sum(y * np.log(y_est) + (1 - y) * np.log(1 - y_est)) / m)

def backProp(X, y, w1, w2, b1, b2, a2, a1):
    m = X.shape[1]
    dz2 = a2 - y
    dw2 = dz2 @ a1.T / m
    db2 = np.sum(dz2, axis=1, keepdims=True) / m
    dz1 = (w2.T @ dz2) * a1 * (1 - a1)
    dw1 = dz1 @ X.T / m
    db1 = np.sum(dz1, axis=1, keepdims=True) / m
    return dw1, db1, dw2, db2
"""


@functools.cache
def rubric(rubric_id: str) -> Rubric:
    return next(r for r in load_bundled_rubrics() if r.id == rubric_id)


@functools.cache
def cases(rubric_id: str) -> CaseSet:
    return make_cases(rubric(rubric_id), secret=SECRET)


@functools.cache
def mistakes(rubric_id: str, task_id: str) -> KnownMistakes:
    loaded = rubric(rubric_id)
    if loaded.mistakes_module is None:
        return NO_MISTAKES
    return known_mistakes(loaded.mistakes_module, loaded.task(task_id).reference)


def with_timeout(loaded: Rubric, timeout_s: float) -> Rubric:
    """A copy of the rubric whose every check (and the rubric's default) has this per-call time limit."""
    tasks = tuple(
        replace(task, checks=tuple(replace(check, timeout_s=timeout_s) for check in task.checks))
        for task in loaded.tasks
    )
    return replace(loaded, timeout_s=timeout_s, tasks=tasks)


def reference_substitutes(rubric_id: str, helpers: Sequence[str], convention: int = 0) -> list[Substitute]:
    """Reference stand-ins for the rubric's tasks ``helpers``, as grading makes them for a task whose
    helpers are not fully right (found under their task names)."""
    loaded = rubric(rubric_id)
    return [
        Substitute(
            name=name,
            function=getattr(loaded.module, loaded.task(name).reference),
            convention=loaded.conventions[convention],
            outputs=tuple(loaded.task(name).returns),
        )
        for name in helpers
    ]


def context(
    rubric_id: str,
    task_id: str,
    student: InProcessStudent | Mapping[str, Callable[..., Any]] | Callable[..., Any],
    *,
    timeout_s: float | None = None,
    convention: int = 0,
    substitutes: Sequence[str] = (),
) -> TaskContext:
    """The context grading builds for ``task_id``; ``student``: an in-process runtime, the functions by
    name, or the task's function alone. ``substitutes``: helper tasks to stand in for with the reference."""
    loaded = rubric(rubric_id) if timeout_s is None else with_timeout(rubric(rubric_id), timeout_s)
    task = loaded.task(task_id)
    if isinstance(student, InProcessStudent):
        runtime = student
    else:
        runtime = InProcessStudent(student if isinstance(student, Mapping) else {task_id: student})
    functions = runtime.functions()
    name = next(n for n in task.names if n in functions)
    return TaskContext(
        rubric=loaded,
        task=task,
        runtime=runtime,
        function=functions[name],
        convention=loaded.conventions[convention],
        cases=cases(rubric_id),
        reference=TimedModule(loaded.module, Timings()),
        mistakes=mistakes(rubric_id, task_id),
        t=SAY,
        locate=lambda unit, line: Location(f"unit{unit}.py", None, line),
        substitutes=reference_substitutes(rubric_id, substitutes, convention),
        helper_names=list(substitutes),
        memo=MEMO,
    )


def judge(ctx: TaskContext, check_id: str) -> list[CheckResult]:
    """One check of the context's task: its public result, then its hidden one (when it has hidden cases)."""
    spec = next(check for check in ctx.task.checks if check.id == check_id)
    return run_check(ctx, spec)


def run(
    rubric_id: str,
    task_id: str,
    check_id: str,
    student: InProcessStudent | Mapping[str, Callable[..., Any]] | Callable[..., Any],
    **options: Any,
) -> list[CheckResult]:
    """:func:`judge` on a fresh :func:`context`."""
    return judge(context(rubric_id, task_id, student, **options), check_id)


def text(result: CheckResult, lang: str = "en") -> str:
    """What the student reads of a check (summary, hints, failing cases), in ``lang``."""
    return check_text(result, lang)


def statuses(results: Sequence[CheckResult]) -> list[str]:
    return [result.status for result in results]


def codes(results: Sequence[CheckResult]) -> set[str]:
    """Every diagnosis code of the results."""
    return {code for result in results for code in result.diagnoses}


def full_marks(results: Sequence[CheckResult]) -> bool:
    return all(result.status == "pass" and result.score == result.max_score for result in results)


def no_marks(results: Sequence[CheckResult]) -> bool:
    return all(result.score == 0.0 for result in results)
