"""A submission's code, loaded in a worker and callable function by function from the grader."""

from __future__ import annotations

import math
import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from grader.calls import MAX_TIMEOUTS_PER_FUNCTION, SEALED_MESSAGE, CallOutcome, PlannedCall, Substitute
from grader.sandbox.helpers import ArgumentBounds, ReferenceHelpers
from grader.sandbox.launcher import WorkerDied, WorkerProcess, WorkerTimeout, Zygote
from grader.sandbox.limits import Limits
from grader.sandbox.output import Captured, PrintedOutput
from grader.sandbox.protocol import BATCH_STOPPED, ProtocolError, encode_value
from grader.sandbox.replies import (
    LoadReport,
    missing_name,
    parse_call,
    parse_load,
)
from grader.sandbox.scratch import FolderSnapshot

# After this many dead or killed workers, a submission's remaining calls fail at once: a submission
# that kills every worker must not cost a reload per check.
MAX_RESTARTS = 4
# A top-level statement the worker's timer could not stop gets this much more before the worker is
# killed; at most this many such statements are left out before the load is given up.
STATEMENT_GRACE_S = 1.0
MAX_STUCK_STATEMENTS = 5
# Why a load or a call was not made: the submission's total time budget was used up.
OVER_BUDGET = "the submission used up its time budget"
# What a batch leaves, beyond its calls' time limits, for the worker to answer the last of them.
BATCH_SLACK_S = 1.0


class StudentRuntime:
    """Owns the workers of one submission; restarts and reloads a worker after a timeout or a crash.

    Hidden cases never reach a worker while anything it produces can still reach the student. They run
    in a *sealed* twin, of whose calls nothing but the returned values is kept (no exception type,
    message, frame, warning or missing name). The first hidden call seals the public worker itself when
    it is loaded and alive (see :meth:`_hand_over`): what it printed is read then and never again, it
    keeps its scratch folder, and any later public call loads the code afresh, in another worker, in a
    new folder holding what the scratch folder held before any student code ran (a snapshot, made into
    a folder only then) and with a new output file. Otherwise the twin loads a worker of its own, in
    such a folder, with ``/dev/null`` as its output. Either way no channel, however clever (stashing an
    input and printing it later, from the function or a thread, writing at an earlier offset of the
    output, a warning, a renamed frame, a file), carries a hidden input to anything student-visible:
    nothing a worker does after its first hidden input is shown.

    ``deadline`` (a ``time.monotonic()`` value) is the submission's total time budget, shared by both
    workers: once it has passed, loads and calls are not started, and answer ``over_budget``.
    """

    def __init__(
        self,
        zygote: Zygote,
        *,
        units: Sequence[str],
        workdir: Path,
        output: Path,
        limits: Limits,
        full: bool = False,
        deadline: float | None = None,
        sealed: bool = False,
    ) -> None:
        """``full``: run every top-level statement (the whole notebook), not only the definitions.
        ``sealed``: this runtime is the hidden cases' twin (see the class)."""
        self._zygote = zygote
        self._full = full
        self._sealed = sealed
        self._deadline = deadline
        # Names the student's code looked up and did not find (from NameError), to tell when a
        # function needs state that only running the whole notebook builds.
        self.missing_names: set[str] = set()
        self._units = list(units)
        # None once the public worker is sealed: the next public worker starts from the snapshot.
        self._workdir: Path | None = workdir
        self._printed = PrintedOutput(output, cap_bytes=limits.output_bytes)
        self._limits = limits
        self._worker: WorkerProcess | None = None
        self._restarts = 0
        # Top-level statements (unit, line) that hung the worker: left out of every later load.
        self._stuck: set[tuple[int, int]] = set()
        self._timeouts: dict[str, int] = {}
        self.report: LoadReport | None = None
        self._twin: StudentRuntime | None = None
        self._started = 0
        # The scratch folder as it is now, before any student code runs in it, for the one worker of
        # the other side that may need it (the twin's own, or the public one after the seal): neither
        # may find files the other's workers wrote. Made into a folder only then.
        self._pristine = None if sealed else FolderSnapshot.of(workdir)
        self._pristine_beside = workdir
        self._pristine_made: Path | None = None

    def load(self) -> LoadReport:
        """Start a worker and load the submission's code units in it.

        A statement that hangs where the worker's own timer cannot stop it (inside a C loop) is
        found through the worker's progress page: the worker is killed and started again without
        it, up to MAX_STUCK_STATEMENTS times within the load time limit.
        """
        load_budget = self._limits.notebook_timeout_s if self._full else self._limits.load_timeout_s
        statement_budget = self._limits.cell_timeout_s if self._full else self._limits.statement_timeout_s
        deadline = min(time.monotonic() + load_budget, self._deadline or math.inf)
        if deadline <= time.monotonic():
            self.report = LoadReport(status="timeout", message=OVER_BUDGET)
            return self.report
        with self._printed.loading():
            return self._load(statement_budget=statement_budget, deadline=deadline)

    def _load(self, *, statement_budget: float, deadline: float) -> LoadReport:
        if self._workdir is None:
            self._workdir = self._pristine_folder()
        while True:
            worker = self._worker = self._zygote.spawn(
                workdir=self._workdir, output=self._printed.path, limits=self._limits
            )
            self._started += 1
            header = {
                "op": "load",
                "units": self._units,
                "statement_timeout_s": statement_budget,
                "skip": sorted(self._stuck),
                "mode": "full" if self._full else "definitions",
            }
            watch = _StallWatch(worker, budget_s=statement_budget + STATEMENT_GRACE_S)
            try:
                reply, _ = worker.request(
                    header, timeout_s=max(deadline - time.monotonic(), 0.1), stalled=watch
                )
            except WorkerTimeout as exc:
                started, unit, line = worker.position()
                if started and len(self._stuck) < MAX_STUCK_STATEMENTS and time.monotonic() < deadline:
                    self._stuck.add((unit, line))
                    continue
                self.report = LoadReport(status="timeout", message=str(exc))
                return self.report
            except WorkerDied as exc:
                self.report = LoadReport(status="crash", message=str(exc))
                return self.report
            try:
                self.report = parse_load(reply, units=len(self._units))
            except ProtocolError as exc:
                worker.kill()
                self.report = LoadReport(status="crash", message=f"unreadable answer from the worker: {exc}")
            return self.report

    def call(
        self,
        function: str,
        args: Sequence[Any],
        *,
        timeout_s: float,
        substitutes: Sequence[Substitute] = (),
        watch_globals: Sequence[str] = (),
        return_args: Sequence[int] = (),
        hidden: bool = False,
    ) -> CallOutcome:
        """Call a student function. ``hidden``: the arguments are a hidden case, so the call is made in
        the sealed twin, and only its returned values come back.

        A function that has run out of time is not called again (see MAX_TIMEOUTS_PER_FUNCTION).
        """
        here = self._hidden_twin() if hidden and not self._sealed else self
        return here._call_here(function, args, timeout_s, substitutes, watch_globals, return_args)

    def _call_here(
        self,
        function: str,
        args: Sequence[Any],
        timeout_s: float,
        substitutes: Sequence[Substitute],
        watch_globals: Sequence[str],
        return_args: Sequence[int],
    ) -> CallOutcome:
        if self._timeouts.get(function, 0) >= MAX_TIMEOUTS_PER_FUNCTION:
            return CallOutcome(status="timeout", message="not called again after running out of time")
        limit = self._time_left(timeout_s)
        if limit <= 0:
            return self._seal(CallOutcome(status="timeout", message=OVER_BUDGET, over_budget=True))
        outcome = self._call(function, args, limit, substitutes, watch_globals, return_args)
        if outcome.status == "timeout" and limit < timeout_s:
            outcome = replace(outcome, over_budget=True)
        self._account(function, outcome)
        return self._seal(outcome)

    def call_many(self, calls: Sequence[PlannedCall], *, hidden: bool = False) -> list[CallOutcome]:
        """Several calls in one round trip, as :meth:`call` would make them one by one (in the sealed twin
        when ``hidden``).

        The answer may hold the outcomes of only the first few calls (none at all when the worker is not
        ready or has died, or a function of the batch already ran out of time): the batch stops at the
        first time-out, and the caller makes the rest with :meth:`call`, which knows what to do about
        time-outs.
        """
        here = self._hidden_twin() if hidden and not self._sealed else self
        return here._call_many_here(calls)

    def _call_many_here(self, calls: Sequence[PlannedCall]) -> list[CallOutcome]:
        if not calls:
            return []
        # A first load: the twin's own, or the public side's after its worker was sealed.
        if self._worker is None:
            self.load()
        worker = self._worker
        if worker is None or not worker.alive:
            return []
        if any(self._timeouts.get(call.function, 0) for call in calls):
            return []
        wanted = sum(call.timeout_s for call in calls) + BATCH_SLACK_S
        left = math.inf if self._deadline is None else self._deadline - time.monotonic()
        limit = min(wanted, left)
        arrays: list[np.ndarray] = []
        requests = [
            _call_request(c.function, c.args, arrays, c.timeout_s, c.watch_globals, c.return_args)
            for c in calls
        ]
        if self._deadline is not None:
            # The sum of the time limits is what the batch could take, not what it takes: an honest batch
            # runs whole however they add up. Each call starts only while the budget could still hold it
            # at its whole limit, and what it must leave for calls it goes ahead of (PlannedCall.reserve_s)
            # up to half of what is left: a call that runs long stops the batch there, and the rest is
            # made call by call, task by task, as without a batch. The half keeps an honest earlier
            # function's hidden cases, which take milliseconds, from being crowded out by a slow later
            # one, without holding back every batch of a rubric whose limits add up past its budget.
            for request, call in zip(requests, calls, strict=True):
                request["start_by_s"] = left - BATCH_SLACK_S - call.timeout_s - min(call.reserve_s, left / 2)
            if requests[0]["start_by_s"] < 0:
                return []
        # Answered call by call: what was made before a call that kills or hangs the worker is kept, and
        # that call is the one to blame.
        outcomes: list[CallOutcome] = []
        answers = worker.answers({"op": "calls", "calls": requests}, arrays, timeout_s=limit)
        try:
            for reply, frames in answers:
                if reply.get("status") == BATCH_STOPPED:
                    break
                outcome = parse_call(reply, frames)
                if outcome.status == "timeout":
                    outcome = replace(outcome, elapsed_s=calls[len(outcomes)].timeout_s)
                outcomes.append(outcome)
                if outcome.status == "timeout" or len(outcomes) == len(calls):
                    break
        except WorkerTimeout:
            # Killed: the call being made was stuck where the worker's own timer cannot reach (or, in a
            # worker that did not stop where it was told to, the budget ran out). That was one try of its
            # function; the rest goes one call at a time.
            stuck = calls[len(outcomes)]
            killed = _killed(stuck.timeout_s, elapsed_s=stuck.timeout_s)
            outcomes.append(replace(killed, over_budget=True) if limit < wanted else killed)
        except WorkerDied as exc:
            outcomes.append(_died(exc))
        except ProtocolError as exc:
            worker.kill()
            outcomes.append(_unreadable(exc))
        finally:
            answers.close()
        for call, outcome in zip(calls, outcomes, strict=False):
            self._account(call.function, outcome)
        return [self._seal(outcome) for outcome in outcomes]

    def _hidden_twin(self) -> StudentRuntime:
        """The sealed worker of the hidden cases, started (and loaded) on first use."""
        if self._twin is None:
            loaded = self.report is not None and self.report.status == "ok"
            handing_over = loaded and self._worker is not None and self._worker.alive
            # Handed over, the loaded worker keeps its folder; otherwise the twin starts from the snapshot.
            workdir = self._workdir if handing_over and self._workdir is not None else self._pristine_folder()
            self._twin = StudentRuntime(
                self._zygote,
                units=self._units,
                workdir=workdir,
                output=Path(os.devnull),
                limits=self._limits,
                full=self._full,
                deadline=self._deadline,
                sealed=True,
            )
            # Statements that hung the public worker would hang this one too.
            self._twin._stuck = set(self._stuck)
            # A function that ran out of time is given up in both workers: its time-outs cost the
            # batch the same whichever worker ran them, and that a hidden case timed out is already
            # what its verdict says.
            self._twin._timeouts = self._timeouts
            if handing_over:
                self._hand_over(self._twin)
        return self._twin

    def _pristine_folder(self) -> Path:
        """The scratch folder as it was before any student code ran, made the first time it is needed."""
        if self._pristine_made is None:
            assert self._pristine is not None, "a sealed runtime has no other side to start"
            beside = self._pristine_beside
            self._pristine_made = self._pristine.make(beside=beside, prefix=f"{beside.name}-fresh-")
        return self._pristine_made

    def _hand_over(self, twin: StudentRuntime) -> None:
        """Make the loaded public worker the sealed one, before it is given any hidden input: it saves a
        second worker and a second load (for a notebook, a second run of all of it).

        What it printed is read now, and its output file never again (a thread's later lines, a write
        at an earlier offset: nothing after this moment is shown). It keeps its scratch folder, where it
        may have written; any worker the public side loads later starts from the snapshot taken before
        any student code ran, and prints to a new output file."""
        assert self._worker is not None and self._workdir is not None
        self._printed.seal(then=self._workdir.with_name(f"{self._workdir.name}-public.out"))
        twin._worker, twin.report = self._worker, self.report
        self._workdir = self._worker = None

    def _seal(self, outcome: CallOutcome) -> CallOutcome:
        """In the sealed twin, an outcome keeps only what the grader judges: status and values."""
        if not self._sealed:
            return outcome
        return CallOutcome(
            status=outcome.status,
            value=outcome.value,
            args_after=outcome.args_after,
            globals_after=outcome.globals_after,
            message=SEALED_MESSAGE,
            elapsed_s=outcome.elapsed_s,
            over_budget=outcome.over_budget,
        )

    def _time_left(self, wanted_s: float) -> float:
        """``wanted_s``, or less when the submission's budget ends sooner."""
        if self._deadline is None:
            return wanted_s
        return min(wanted_s, self._deadline - time.monotonic())

    def _account(self, function: str, outcome: CallOutcome) -> None:
        """Remember what a call says about the function: time-outs, and names it found missing."""
        if outcome.status == "timeout":
            self._timeouts[function] = self._timeouts.get(function, 0) + 1
        if outcome.error_type == "NameError" and (missing := missing_name(outcome.message)):
            self.missing_names.add(missing)

    def _call(
        self,
        function: str,
        args: Sequence[Any],
        timeout_s: float,
        substitutes: Sequence[Substitute],
        watch_globals: Sequence[str],
        return_args: Sequence[int],
    ) -> CallOutcome:
        if self._worker is None or not self._worker.alive:
            if self._restarts >= MAX_RESTARTS:
                return CallOutcome(status="crash", message="too many timeouts or crashes; not called again")
            # Not a restart: the twin's first load, or the public side's after its worker was sealed.
            self._restarts += int(self._worker is not None)
            if self.load().status != "ok":
                return CallOutcome(status="crash", message="the submission could not be reloaded")
        assert self._worker is not None
        arrays: list[np.ndarray] = []
        header = {
            "op": "call",
            **_call_request(function, args, arrays, timeout_s, watch_globals, return_args),
            # The worker learns only which of its functions to stand in for; the grader computes them.
            "substitutes": [{"name": substitute.name} for substitute in substitutes],
        }
        started = time.monotonic()
        try:
            # The worker stops itself at timeout_s; the grader's own deadline is the backstop for code
            # that blocks the timer signal or swallows it.
            reply, frames = self._worker.request(
                header,
                arrays,
                timeout_s=timeout_s + 1.0,
                helpers=ReferenceHelpers(substitutes, bounds=ArgumentBounds.of(args))
                if substitutes
                else None,
            )
        except WorkerTimeout:
            # The student's code ran until it was killed: that time, too, was spent inside it.
            return _killed(timeout_s, elapsed_s=time.monotonic() - started)
        except WorkerDied as exc:
            return _died(exc)
        try:
            outcome = parse_call(reply, frames)
            if outcome.status == "timeout":
                outcome = replace(outcome, elapsed_s=time.monotonic() - started)
            return outcome
        except ProtocolError as exc:
            self._worker.kill()
            return _unreadable(exc)

    @property
    def workers_started(self) -> int:
        """How many workers this submission has started (a restart, a reload and the twin's own count)."""
        return self._started + (self._twin._started if self._twin is not None else 0)

    def captured(self) -> Captured:
        """What the student's code printed in the public workers, capped, and the facts a reader needs
        about it (put into words by the reports)."""
        withheld = self._twin is not None
        if self._sealed:
            return Captured("", None, withheld)
        return self._printed.captured(withheld_hidden=withheld)

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None
        if self._twin is not None:
            self._twin.close()
            self._twin = None
        if self._pristine_made is not None:
            shutil.rmtree(self._pristine_made, ignore_errors=True)
            self._pristine_made = None
        self._printed.close()


def _killed(timeout_s: float, *, elapsed_s: float) -> CallOutcome:
    """A call the worker did not answer in time (it was killed)."""
    return CallOutcome(status="timeout", message=f"no answer within {timeout_s:g} s", elapsed_s=elapsed_s)


def _died(exc: WorkerDied) -> CallOutcome:
    """A call during which the worker died."""
    return CallOutcome(status="crash", message=f"the worker process died ({exc})")


def _unreadable(exc: ProtocolError) -> CallOutcome:
    """A call whose answer could not be read (the worker was killed for it)."""
    return CallOutcome(status="crash", message=f"unreadable answer from the worker: {exc}")


def _call_request(
    function: str,
    args: Sequence[Any],
    arrays: list[np.ndarray],
    timeout_s: float,
    watch_globals: Sequence[str],
    return_args: Sequence[int],
) -> dict[str, Any]:
    """What the worker needs to make one call (the arguments' arrays are appended to ``arrays``)."""
    return {
        "function": function,
        "args": encode_value(tuple(args), arrays),
        "timeout_s": timeout_s,
        "watch_globals": list(watch_globals),
        "return_args": list(return_args),
    }


class _StallWatch:
    """Says a loading worker is stuck when the same top-level statement has run for ``budget_s``."""

    def __init__(self, worker: WorkerProcess, *, budget_s: float) -> None:
        self._worker = worker
        self._budget_s = budget_s
        self._seen = worker.position()[0]
        self._since = time.monotonic()

    def __call__(self) -> bool:
        started = self._worker.position()[0]
        if started != self._seen:
            self._seen, self._since = started, time.monotonic()
            return False
        return started > 0 and time.monotonic() - self._since > self._budget_s
