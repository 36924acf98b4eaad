"""A submission's code, loaded in a worker and callable function by function from the grader."""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from grader.sandbox.helpers import ReferenceHelpers
from grader.sandbox.launcher import WorkerDied, WorkerProcess, WorkerTimeout, Zygote
from grader.sandbox.limits import Limits
from grader.sandbox.protocol import ProtocolError, encode_value
from grader.sandbox.replies import (
    CallOutcome,
    LoadReport,
    missing_name,
    parse_call,
    parse_load,
)

# A function that ran out of time twice is not called again: the cases are tiny, so a function that
# needs more than the limit (a thousand times what the reference needs) needs it every time, and each
# further call would cost another full limit of the batch's time to learn the same thing. The second
# try is for a busy machine: a time limit is wall-clock time, and a first call can be starved.
MAX_TIMEOUTS_PER_FUNCTION = 2
# After this many dead or killed workers, a submission's remaining calls fail at once: a submission
# that kills every worker must not cost a reload per check.
MAX_RESTARTS = 4
# A top-level statement the worker's timer could not stop gets this much more before the worker is
# killed; at most this many such statements are left out before the load is given up.
STATEMENT_GRACE_S = 1.0
MAX_STUCK_STATEMENTS = 5
HIDDEN_OUTPUT = "[… output printed during a hidden case is not shown]\n"


class StudentRuntime:
    """Owns the worker of one submission; restarts and reloads it after a timeout or a crash."""

    def __init__(
        self,
        zygote: Zygote,
        *,
        units: Sequence[str],
        workdir: Path,
        output: Path,
        limits: Limits,
        full: bool = False,
    ) -> None:
        """``full``: run every top-level statement (the whole notebook), not only the definitions."""
        self._zygote = zygote
        self._full = full
        # Names the student's code looked up and did not find (from NameError), to tell when a
        # function needs state that only running the whole notebook builds.
        self.missing_names: set[str] = set()
        self._units = list(units)
        self._workdir = workdir
        self._output = output
        self._limits = limits
        self._worker: WorkerProcess | None = None
        self._restarts = 0
        # Top-level statements (unit, line) that hung the worker: left out of every later load.
        self._stuck: set[tuple[int, int]] = set()
        self._timeouts: dict[str, int] = {}
        # Byte ranges of the output file printed during hidden cases.
        self._hidden_output: list[tuple[int, int]] = []
        self.report: LoadReport | None = None

    def load(self) -> LoadReport:
        """Start a worker and load the submission's code units in it.

        A statement that hangs where the worker's own timer cannot stop it (inside a C loop) is
        found through the worker's progress page: the worker is killed and started again without
        it, up to MAX_STUCK_STATEMENTS times within the load time limit.
        """
        load_budget = self._limits.notebook_timeout_s if self._full else self._limits.load_timeout_s
        statement_budget = self._limits.cell_timeout_s if self._full else self._limits.statement_timeout_s
        deadline = time.monotonic() + load_budget
        while True:
            worker = self._worker = self._zygote.spawn(
                workdir=self._workdir, output=self._output, limits=self._limits
            )
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
            self.report = parse_load(reply)
            return self.report

    def call(
        self,
        function: str,
        args: Sequence[Any],
        *,
        timeout_s: float,
        substitutes: Sequence[Mapping[str, Any]] = (),
        watch_globals: Sequence[str] = (),
        return_args: Sequence[int] = (),
        hidden: bool = False,
    ) -> CallOutcome:
        """Call a student function. ``hidden``: the arguments are a hidden case, so whatever the call
        prints is left out of :meth:`output` (printing them must not reveal them to the student).

        A function that has run out of time is not called again (see MAX_TIMEOUTS_PER_FUNCTION).
        """
        if self._timeouts.get(function, 0) >= MAX_TIMEOUTS_PER_FUNCTION:
            return CallOutcome(status="timeout", message="not called again after running out of time")
        with self._printing(hidden=hidden):
            outcome = self._call(function, args, timeout_s, substitutes, watch_globals, return_args)
        self._account(function, outcome)
        return outcome

    def call_many(
        self,
        function: str,
        arg_lists: Sequence[Sequence[Any]],
        *,
        timeout_s: float,
        watch_globals: Sequence[str] = (),
        return_args: Sequence[int] = (),
        hidden: bool = False,
    ) -> list[CallOutcome]:
        """Several calls of one function in one round trip, as :meth:`call` would make them one by one.

        The answer may hold fewer outcomes than calls asked for (none at all when the worker is not
        ready, has died or the function already ran out of time): the batch stops at the first time-out,
        and the caller makes the rest with :meth:`call`, which knows what to do about time-outs.
        """
        worker = self._worker
        if worker is None or not worker.alive or self._timeouts.get(function, 0) or not arg_lists:
            return []
        arrays: list[np.ndarray] = []
        requests = [
            _call_request(function, args, arrays, timeout_s, watch_globals, return_args) for args in arg_lists
        ]
        try:
            with self._printing(hidden=hidden):
                reply, frames = worker.request(
                    {"op": "calls", "calls": requests},
                    arrays,
                    timeout_s=timeout_s * len(requests) + 1.0,
                    answers=len(requests),
                )
            results = reply.get("results")
            if not isinstance(results, list) or len(results) > len(requests):
                raise ProtocolError("malformed batch answer")
            outcomes = [parse_call(result, frames) for result in results]
        except WorkerTimeout:
            # Killed: a call was stuck where the worker's own timer cannot reach. That was one try of
            # the function; the rest goes one call at a time.
            self._timeouts[function] = self._timeouts.get(function, 0) + 1
            return []
        except WorkerDied:
            return []
        except (ProtocolError, KeyError, TypeError, ValueError, AttributeError):
            worker.kill()
            return []
        for index, outcome in enumerate(outcomes):
            if outcome.status == "timeout":
                outcomes[index] = replace(outcome, elapsed_s=timeout_s)
            self._account(function, outcomes[index])
        return outcomes

    @contextlib.contextmanager
    def _printing(self, *, hidden: bool) -> Iterator[None]:
        """Around calls: what they print is left out of :meth:`output` when ``hidden``."""
        start = self._output_size() if hidden else 0
        try:
            yield
        finally:
            if hidden:
                self._hidden_output.append((start, self._output_size()))

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
        substitutes: Sequence[Mapping[str, Any]],
        watch_globals: Sequence[str],
        return_args: Sequence[int],
    ) -> CallOutcome:
        if self._worker is None or not self._worker.alive:
            if self._restarts >= MAX_RESTARTS:
                return CallOutcome(status="crash", message="too many timeouts or crashes; not called again")
            self._restarts += 1
            if self.load().status != "ok":
                return CallOutcome(status="crash", message="the submission could not be reloaded")
        assert self._worker is not None
        arrays: list[np.ndarray] = []
        header = {
            "op": "call",
            **_call_request(function, args, arrays, timeout_s, watch_globals, return_args),
            # The worker learns only which of its functions to stand in for; the grader computes them.
            "substitutes": [{"name": str(spec["name"])} for spec in substitutes],
        }
        started = time.monotonic()
        try:
            # The worker stops itself at timeout_s; the grader's own deadline is the backstop for code
            # that blocks the timer signal or swallows it.
            reply, frames = self._worker.request(
                header,
                arrays,
                timeout_s=timeout_s + 1.0,
                helpers=ReferenceHelpers(substitutes) if substitutes else None,
            )
        except WorkerTimeout:
            # The student's code ran until it was killed: that time, too, was spent inside it.
            elapsed = time.monotonic() - started
            return CallOutcome(
                status="timeout", message=f"no answer within {timeout_s:g} s", elapsed_s=elapsed
            )
        except WorkerDied as exc:
            return CallOutcome(status="crash", message=f"the worker process died ({exc})")
        try:
            outcome = parse_call(reply, frames)
            if outcome.status == "timeout":
                outcome = replace(outcome, elapsed_s=time.monotonic() - started)
            return outcome
        except (ProtocolError, KeyError, TypeError, ValueError) as exc:
            self._worker.kill()
            return CallOutcome(status="crash", message=f"unreadable answer from the worker: {exc}")

    def output(self) -> str:
        """What the student's code printed, capped (with a note saying so when it was cut), less what
        it printed during hidden cases."""
        cap = self._limits.output_bytes
        try:
            # Not by following a link, nor blocking on a pipe, whatever stands at that name now.
            fd = os.open(self._output, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return ""
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return ""
            data = bytearray()
            position = 0
            for start, end in [*sorted(self._hidden_output), (1 << 62, 1 << 62)]:
                if start > position:
                    handle.seek(position)
                    data += handle.read(min(start - position, cap + 1 - len(data)))
                if len(data) > cap or start >= 1 << 62:
                    break
                if end > start and not data.endswith(HIDDEN_OUTPUT.encode()):
                    data += HIDDEN_OUTPUT.encode()
                position = max(position, end)
        text = bytes(data[:cap]).decode("utf-8", errors="replace")
        if len(data) > cap:
            text += f"\n[… output cut: only the first {cap // 1024} KiB printed are kept]"
        return text

    def _output_size(self) -> int:
        try:
            return os.stat(self._output, follow_symlinks=False).st_size
        except OSError:
            return 0

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None


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
