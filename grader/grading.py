"""Grading one submission in the sandbox: load it into a worker, find each rubric's functions, run their
checks (reading it and telling what loading found are :mod:`grader.prepare`'s)."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import reference
from grader import __version__
from grader.cases import hidden_seed
from grader.judge import Judge, LoadedCode, judge_rubrics
from grader.messages import SAY, Phrases
from grader.modes import EXEC_MODES, ExecMode
from grader.prepare import (
    Prepared,
    copy_modules,
    error_result,
    import_notes,
    load_notes,
    prepare,
)
from grader.results import SubmissionResult
from grader.rubric import Rubric
from grader.sandbox.launcher import Zygote
from grader.sandbox.limits import Limits
from grader.sandbox.output import Captured
from grader.sandbox.session import StudentRuntime
from grader.submission import Submission

__all__ = ["EXEC_MODES", "ExecMode", "Grader"]


class Grader:
    """Grades submissions against rubrics. Cases are built once; each submission gets its own worker."""

    def __init__(
        self,
        rubrics: Sequence[Rubric],
        *,
        zygote: Zygote,
        secret: str | None,
        limits: Limits,
        scratch_root: Path,
        lang: str | None = None,
        exec_mode: ExecMode = "auto",
    ) -> None:
        """``exec_mode``: "definitions" runs only what functions need, "notebook" runs every top-level
        statement, "auto" runs definitions and falls back to the whole notebook when a function needs
        state that only top-level code builds."""
        self.rubrics = list(rubrics)
        self._zygote = zygote
        self._limits = limits
        self._scratch_root = scratch_root
        self._lang = lang
        self._exec = exec_mode
        self._secret = secret
        # Cases, references and known mistakes are the run's, shared by every submission it grades.
        self._judge = Judge.prepare(self.rubrics, secret=secret)
        self._run_digest = _run_digest(self.rubrics, secret=secret, lang=lang, sandbox=tuple(zygote.sandbox))
        self.timings = self._judge.timings
        self.memo = self._judge.memo

    def settings(self) -> dict[str, Any]:
        """What another process needs to build an equivalent grader (see :mod:`grader.batch`)."""
        return {
            "rubric_paths": tuple(r.path for r in self.rubrics),
            "secret": self._secret,
            "limits": self._limits,
            "lang": self._lang,
            "exec_mode": self._exec,
        }

    def result_key(self, submission: Submission) -> str:
        """A key that changes whenever the result of grading this submission could change."""
        text = f"{self._run_digest}\0{submission.id}\0{submission.fingerprint()}"
        return hashlib.sha256(text.encode()).hexdigest()

    def grade(self, submission: Submission, *, rubrics: Sequence[Rubric] | None = None) -> SubmissionResult:
        started = time.perf_counter()
        result = self._grade(submission, rubrics)
        self.timings.add_stage("grade", time.perf_counter() - started)
        return replace(
            result,
            duration_s=time.perf_counter() - started,
            student=submission.student,
            files=submission.sources(),
        )

    def _grade(self, submission: Submission, only: Sequence[Rubric] | None) -> SubmissionResult:
        t = SAY
        prepared = prepare(
            submission, only or self.rubrics, chosen=only is not None, timings=self.timings, t=t
        )
        if isinstance(prepared, SubmissionResult):
            return prepared
        full = self._exec == "notebook"
        # One budget for everything this submission may cost, whatever it does: its deadline is shared
        # by every worker and by a second run of the whole notebook.
        deadline = time.monotonic() + sum(r.budget_s for r in prepared.rubrics)
        result, needs_state = self._run(submission, prepared, t, full=full, deadline=deadline)
        if needs_state and self._exec == "auto" and time.monotonic() < deadline:
            # Some function looked up a name that only skipped top-level code defines: run it all.
            again, _ = self._run(submission, prepared, t, full=True, deadline=deadline)
            return replace(again, notes=(*again.notes, t("note.full_notebook")))
        return result

    def _run(
        self,
        submission: Submission,
        prepared: Prepared,
        t: Phrases,
        *,
        full: bool,
        deadline: float,
    ) -> tuple[SubmissionResult, bool]:
        """Load the units in a worker (definitions only, or ``full``: every statement) and grade them;
        also whether some function missed a name that only skipped top-level code binds."""
        units = prepared.units
        workdir = Path(tempfile.mkdtemp(prefix="work-", dir=self._scratch_root))
        copy_modules(prepared.modules, workdir)
        output = workdir.with_suffix(".out")
        runtime = StudentRuntime(
            self._zygote,
            units=[u.source for u in units],
            workdir=workdir,
            output=output,
            limits=self._limits,
            full=full,
            deadline=deadline,
        )
        try:
            load_started = time.perf_counter()
            report = runtime.load()
            self.timings.add_stage("start", time.perf_counter() - load_started)
            self.timings.add_toplevel(report.elapsed_s)
            if report.status != "ok":
                reason = t("task.load_failed", reason=report.message)
                error = replace(
                    error_result(submission, f"load_{report.status}", reason, prepared.notes),
                    **_output(runtime.captured(), t),
                )
                return error, False
            loaded = LoadedCode(functions=report.functions, units=units, events=report.events)
            tasks = judge_rubrics(self._judge, prepared.rubrics, runtime, loaded, t=t)
            notes = (
                *prepared.notes,
                *load_notes(report.events, units, t),
                *import_notes(report.events, units, runtime.missing_names, t),
            )
            result = SubmissionResult(
                id=submission.id,
                source=submission.source,
                status="graded",
                tasks=tasks,
                notes=notes,
                **_output(runtime.captured(), t),
            )
            return result, bool(runtime.missing_names & report.skipped_names)
        finally:
            self.timings.add_workers(runtime.workers_started)
            runtime.close()
            shutil.rmtree(workdir, ignore_errors=True)
            output.unlink(missing_ok=True)


def _run_digest(
    rubrics: Sequence[Rubric], *, secret: str | None, lang: str | None, sandbox: Sequence[str]
) -> str:
    # The sandbox layers are part of it: a result from an --unsafe run is never reused by a safe one.
    digest = hashlib.sha256(f"{__version__}\0lang={lang}\0sandbox={','.join(sandbox)}".encode())
    # The code that grades is part of the key too, so results kept by another build are never reused.
    for package in (Path(__file__).parent, Path(reference.__file__).parent):
        for source in sorted(package.rglob("*.py")):
            digest.update(source.read_bytes())
    # So is everything each rubric loaded (its TOML, its workshop folder's modules, the source of each
    # module it names): editing the reference or the known mistakes grades again.
    for rubric in sorted(rubrics, key=lambda r: r.id):
        digest.update(f"\0rubric={rubric.id}".encode())
        for name in rubric.files or (rubric.path,):
            path = Path(name)
            digest.update(f"\0{path.name}\0".encode())
            digest.update(path.read_bytes() if path.is_file() else name.encode())
    # The secret enters one-way, through the hidden-case seed.
    digest.update(str(hidden_seed(secret, "result-key") if secret is not None else "public-only").encode())
    return digest.hexdigest()


def _output(captured: Captured, t: Phrases) -> dict[str, Any]:
    """A result's output fields: the text, and what a reader should know about it."""
    notes = []
    if captured.cut_at_bytes is not None:
        notes.append(t("output.cut", kib=captured.cut_at_bytes // 1024))
    if captured.withheld_hidden:
        notes.append(t("output.hidden_withheld"))
    return {"output": captured.text, "output_notes": tuple(notes)}
