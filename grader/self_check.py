"""A student's self-check of a handed-in file on their own machine, without the sandbox: ``grader check``
where the batch sandbox's Linux layers do not exist (macOS, Windows), or when asked for with
``--runner fork|here``.

The file is read as the batch reads it (:mod:`grader.prepare`), its code is loaded in a fresh namespace of
this process as a grading worker loads it (:func:`grader.sandbox.worker.run_units`; in definitions mode
imports, functions, classes and cheap assignments run, while top-level training, plots, prints and
``input()`` do not), and its functions are judged on the public cases by the judge the batch and the
notebook check share. How they run is :mod:`grader.runners`': ``fork``, in a child forked from this process
with a memory limit, killed when a call outlives its limit; ``here``, in this process, each call stopped at
its time limit by a timer. It is the student's own code on the student's own machine: nothing needs
keeping from it (no secret, no hidden case, no other student's work), only time limits.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from grader.calls import StudentCode
from grader.errors import UsageError
from grader.inprocess import InProcessStudent, TimeLimit, run_limited
from grader.judge import Judge, LoadedCode, judge_rubrics
from grader.messages import SAY, Phrases
from grader.modes import CheckRunner, ExecMode
from grader.prepare import Prepared, copy_modules, error_result, import_notes, load_notes, prepare
from grader.results import SubmissionResult, TaskResult
from grader.rubric import Rubric
from grader.runners import ChildFailed, ChildLimits, Runner, chosen_runner, run
from grader.sandbox import inert
from grader.sandbox.limits import Limits
from grader.sandbox.replies import LoadReport, parse_load
from grader.sandbox.worker import no_input, run_units, student_namespace
from grader.source import CodeUnit
from grader.submission import Submission

# Loading here keeps to a grading worker's time limits: a statement, and a load in all.
WORKER_LIMITS = Limits()


def choose_runner(asked: CheckRunner) -> Literal["sandbox", "fork", "here"]:
    """How ``grader check`` runs the code, as ``asked``: ``auto`` is the sandbox where it can run, else a
    forked child where forking is safe (Linux), else this process."""
    if asked in ("auto", "sandbox"):
        problem = sandbox_problem()
        if problem is None:
            return "sandbox"
        if asked == "sandbox":
            raise UsageError(f"--runner sandbox: {problem}; --runner here checks without it")
        return chosen_runner("auto")
    if asked == "fork" and not hasattr(os, "fork"):
        raise UsageError("--runner fork: this system cannot fork a process; --runner here checks in this one")
    return "fork" if asked == "fork" else "here"


def sandbox_problem() -> str | None:
    """Why the batch sandbox cannot run here, or ``None`` when it can: its layers are Linux's, and its
    modules need what only Linux has (``resource``, seccomp, Landlock, ...)."""
    if not sys.platform.startswith("linux"):
        return f"the sandbox needs Linux, and this is {sys.platform}"
    try:
        importlib.import_module("grader.session")
    except ImportError as exc:
        return f"the sandbox cannot be loaded here ({exc})"
    return None


def check_submission(
    submission: Submission,
    rubrics: Sequence[Rubric],
    *,
    given: bool,
    runner: Runner = "auto",
    exec_mode: ExecMode = "auto",
    limits: Limits = WORKER_LIMITS,
    t: Phrases = SAY,
) -> SubmissionResult:
    """``submission`` judged on the public cases of ``rubrics`` (``given``: named by the user), its code
    run in this process or a child of it (``runner``, see the module), loaded as ``exec_mode`` says:
    "definitions", "notebook" (every top-level statement), or "auto" (definitions, and the whole notebook
    again when a function looked up a name only skipped top-level code binds). The time limits of loading
    are a grading worker's (``limits``)."""
    started = time.perf_counter()
    prepared = prepare(submission, rubrics, chosen=given, t=t)
    if isinstance(prepared, SubmissionResult):
        result = prepared
    else:
        judge = Judge.prepare(prepared.rubrics, secret=None)
        result, needs_state = _run(
            submission, prepared, judge, runner, limits, t, full=exec_mode == "notebook"
        )
        if needs_state and exec_mode == "auto":
            # As the batch does: some function needs what only the skipped top-level code makes.
            again, _ = _run(submission, prepared, judge, runner, limits, t, full=True)
            result = replace(again, notes=(*again.notes, t("note.full_notebook")))
    return replace(
        result,
        duration_s=time.perf_counter() - started,
        student=submission.student,
        files=submission.sources(),
    )


@dataclass(frozen=True)
class _Judged:
    """What loading and judging gave, as it comes back from a forked child: the load's report, each task's
    result, and the names the student's functions looked up and did not find."""

    report: LoadReport
    tasks: tuple[TaskResult, ...] = ()
    missing_names: frozenset[str] = frozenset()


class _LoadOverBudget(Exception):
    """Loading ran past its time in all: the statements left are not started."""


def _run(
    submission: Submission,
    prepared: Prepared,
    judge: Judge,
    runner: Runner,
    limits: Limits,
    t: Phrases,
    *,
    full: bool,
) -> tuple[SubmissionResult, bool]:
    """Load the code (definitions only, or ``full``: every statement) and judge it; also whether some
    function missed a name that only skipped top-level code binds."""
    units = prepared.units
    namespace = student_namespace()
    # Created before the runner forks: the child fills its copy of the namespace as it loads.
    student = InProcessStudent.loaded(namespace, len(units))

    def work(code: StudentCode) -> _Judged:
        report = _load(namespace, units, full=full, limits=limits)
        if report.status != "ok":
            return _Judged(report)
        loaded = LoadedCode(functions=report.functions, units=units, events=report.events)
        tasks = judge_rubrics(judge, prepared.rubrics, code, loaded, t=t)
        # Read where the calls were made: in a forked child, its own copy of ``student`` has them.
        return _Judged(report, tasks, frozenset(student.missing_names))

    budget = sum(r.budget_s for r in prepared.rubrics)
    with _student_surroundings(prepared):
        try:
            ran = run(work, student, runner=runner, limits=ChildLimits(total_s=budget))
        except ChildFailed as exc:
            # The child ended outside the student's calls: while loading their code, as a rule, which the
            # batch reports as a worker that died loading it.
            reason = t("task.load_failed", reason=str(exc))
            return error_result(submission, "load_crash", reason, prepared.notes), False
    judged, output = ran.value, ran.output
    report = judged.report
    if report.status != "ok":
        reason = t("task.load_failed", reason=report.message)
        return error_result(submission, f"load_{report.status}", reason, prepared.notes, output=output), False
    notes = (
        *prepared.notes,
        *load_notes(report.events, units, t),
        *import_notes(report.events, units, judged.missing_names, t),
    )
    result = SubmissionResult(
        id=submission.id,
        source=submission.source,
        status="graded",
        tasks=judged.tasks,
        notes=notes,
        output=output,
    )
    return result, bool(judged.missing_names & report.skipped_names)


def _load(namespace: dict[str, Any], units: Sequence[CodeUnit], *, full: bool, limits: Limits) -> LoadReport:
    """The units loaded in ``namespace`` as a worker loads them, each statement within the worker's
    limit, and the whole within the worker's time for a load."""
    statement_s = limits.cell_timeout_s if full else limits.statement_timeout_s
    total_s = limits.notebook_timeout_s if full else limits.load_timeout_s
    deadline = time.monotonic() + total_s

    def on_statement(unit: int, line: int) -> None:
        if time.monotonic() > deadline:
            raise _LoadOverBudget

    try:
        reply = run_units(
            namespace,
            [unit.source for unit in units],
            full=full,
            statement_timeout_s=statement_s,
            on_statement=on_statement,
            limited=run_limited,
            stopped=TimeLimit,
        )
    except _LoadOverBudget:
        return LoadReport(status="timeout", message=f"loading took longer than {total_s:g} s")
    # Read as the batch reads a worker's answer, so that both see the same functions and events.
    return parse_load(reply, units=len(units))


@contextlib.contextmanager
def _student_surroundings(prepared: Prepared) -> Iterator[None]:
    """What a grading worker gives the student's code, for as long as it runs here: the submission's
    modules importable, the display-only libraries inert (a plot does not open a window, a missing
    matplotlib is no failure), ``input()`` answered with an error (nobody answers while checking). All
    of it is put back afterwards."""
    saved_input = builtins.input
    saved_path = list(sys.path)
    saved_finders = list(sys.meta_path)
    saved_builtins = {name: getattr(builtins, name) for name in inert.FALLBACKS if hasattr(builtins, name)}
    saved_modules = {name: module for name, module in sys.modules.items() if inert.is_inert(name)}
    with tempfile.TemporaryDirectory(prefix="taller-check-") as folder:
        before = set(sys.modules)
        try:
            copy_modules(prepared.modules, Path(folder))
            sys.path.insert(0, folder)
            inert.install()
            builtins.input = no_input
            yield
        finally:
            builtins.input = saved_input
            sys.path[:] = saved_path
            sys.meta_path[:] = saved_finders
            for name in inert.FALLBACKS:
                if name in saved_builtins:
                    setattr(builtins, name, saved_builtins[name])
                elif hasattr(builtins, name):
                    delattr(builtins, name)
            # The student's modules and the inert stand-ins go; the real libraries seen before come back.
            for name in set(sys.modules) - before:
                module_file = getattr(sys.modules.get(name), "__file__", None) or ""
                if inert.is_inert(name) or module_file.startswith(folder):
                    sys.modules.pop(name, None)
            sys.modules.update(saved_modules)
