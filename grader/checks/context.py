"""What a check works with: the task, the student's callable function, the reference, the cases."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeVar

import numpy as np

from grader.calls import CallOutcome, FunctionInfo, PlannedCall, StudentCode, Substitute
from grader.cases import Case, CaseSet
from grader.checks.memo import Memo, function_key, values_key
from grader.compare import Comparison, as_array
from grader.conventions import Convention
from grader.diagnose import (
    GLOBAL_DATA,
    PLAIN_CODES,
    Diagnosis,
    Observed,
    global_data_matches,
    numpy_drift,
    size_expression,
)
from grader.messages import CATALOGUE, LANGUAGES, Joined, Message, Param, Phrases, template_fields
from grader.rubric import CheckSpec, Rubric, TaskSpec
from grader.timing import Timings
from reference.mistakes import KnownMistakes

CaseStatus = Literal["pass", "fail", "error", "timeout"]
T = TypeVar("T")
# How many of the student's own frames an exception's location shows, innermost first.
MAX_FRAMES = 4


@dataclass(frozen=True)
class CaseVerdict:
    """The verdict of one check on one case, with the sentences that explain a failure."""

    case: Case
    status: CaseStatus
    details: tuple[Message, ...] = ()
    diagnoses: tuple[Diagnosis, ...] = ()
    notes: tuple[Message, ...] = ()

    @property
    def passed(self) -> bool:
        return self.status == "pass"


@dataclass(frozen=True)
class StudentCall:
    """A call of the student's function: the arguments as sent (student layout) and the outcome."""

    args: tuple[Any, ...]
    outcome: CallOutcome

    @property
    def ok(self) -> bool:
        return self.outcome.status == "ok"


@dataclass(frozen=True)
class Trained:
    """Parameters recovered after a training call, in the reference's layout."""

    params: Mapping[str, np.ndarray]
    how: Literal["returned", "in_place", "globals"]


@dataclass
class TaskContext:
    """Everything the checks of one task need. Built once per task by the grading stage."""

    rubric: Rubric
    task: TaskSpec
    runtime: StudentCode
    function: FunctionInfo
    convention: Convention
    cases: CaseSet
    reference: Any  # the reference module, wrapped to time its functions (grader.timing.TimedModule)
    mistakes: KnownMistakes
    t: Phrases
    locate: Callable[[int, int], Param]
    substitutes: Sequence[Substitute] = ()
    helper_names: Sequence[str] = ()
    timings: Timings = field(default_factory=Timings)
    memo: Memo = field(default_factory=Memo)
    notes: list[Message] = field(default_factory=list)
    # The student's cost after 0, 1, 2, … updates beside the reference's, for the report's plot.
    curve: dict[str, tuple[float, ...]] | None = None
    # What explains every failure of the task, when grading knows it before any check runs (a function
    # right only in another convention than the rest of the submission): it stands in for whatever the
    # checks recognise, which is then an artefact of the layout.
    explanation: Diagnosis | None = None
    # Calls already made, by convention, inputs, helpers and time limit: a call the convention probe or
    # an earlier check made is not made again (the shapes and the values of a case come from one call).
    _calls: dict[tuple[Any, ...], StudentCall] = field(default_factory=dict)
    # Warnings the student's code raised, by convention (an ordered set): only the calls made in the
    # convention the task is finally graded in are the student's to hear about.
    _warnings: dict[str, dict[str, None]] = field(default_factory=dict)
    _reported: set[str] = field(default_factory=set)
    _once: dict[tuple[Any, ...], Any] = field(default_factory=dict)

    # --- calling ------------------------------------------------------------------------------------

    def arguments(self, values: Mapping[str, Any]) -> list[Any]:
        """The task's arguments (student layout) from a case's named values."""
        return [
            self.convention.to_student(param, values[self.task.inputs.get(param, param)])
            for param in self.task.params
        ]

    def call_student(
        self,
        values: Mapping[str, Any],
        *,
        check: CheckSpec,
        substitutes: Sequence[Substitute] = (),
        hidden: bool,
    ) -> StudentCall:
        """Call the student's function. ``hidden``: the values come from a hidden case, so nothing the
        call prints may reach the student's report."""
        key = self._call_key(values, substitutes=substitutes, check=check, hidden=hidden)
        if key in self._calls:
            return self._calls[key]
        started = time.perf_counter()
        args = self.arguments(values)
        outcome = self.runtime.call(
            self.function.name,
            args,
            timeout_s=check.timeout_s,
            substitutes=substitutes,
            watch_globals=self.task.trains,
            return_args=self._returned_args(),
            hidden=hidden,
        )
        self.timings.add_stage("calls", time.perf_counter() - started)
        return self._record(key, args, outcome)

    def prefetch(self, many: Sequence[Mapping[str, Any]], *, check: CheckSpec, hidden: bool) -> None:
        """Make the calls :meth:`call_student` will be asked for (no helpers substituted) in one round
        trip. Whatever the batch leaves undone (a time-out stops it) is made later, one by one."""
        prefetch_together([(self, values, check) for values in many], hidden=hidden)

    def made_call(self, values: Mapping[str, Any], *, check: CheckSpec, hidden: bool) -> StudentCall | None:
        """The call :meth:`call_student` made on these inputs with the student's own helpers, if it made
        one (never a new call)."""
        return self._calls.get(self._call_key(values, substitutes=(), check=check, hidden=hidden))

    def _call_key(
        self,
        values: Mapping[str, Any],
        *,
        substitutes: Sequence[Substitute],
        check: CheckSpec,
        hidden: bool,
    ) -> tuple[Any, ...]:
        return (
            self.convention.id,
            values_key(values, self.task.input_names),
            tuple(substitute.name for substitute in substitutes),
            check.timeout_s,
            hidden,
        )

    def _returned_args(self) -> list[int]:
        """Positions of the arguments a training function may update in place (sent back after a call)."""
        return [self.task.params.index(name) for name in self.task.trains]

    def _record(self, key: tuple[Any, ...], args: Sequence[Any], outcome: CallOutcome) -> StudentCall:
        self.timings.add_student(outcome.elapsed_s)
        seen = self._warnings.setdefault(self.convention.id, {})
        seen.update(dict.fromkeys(outcome.warnings))
        call = self._calls[key] = StudentCall(args=tuple(args), outcome=outcome)
        return call

    def once(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()``, worked out once per task and key: several checks read the same call and case
        (the shapes and the values of a case, the weights and the biases of a gradient), and explaining
        a failure (recognising the mistake, printing the inputs) costs more than checking."""
        if key not in self._once:
            self._once[key] = compute()
        return self._once[key]  # type: ignore[no-any-return]

    def unreported_warnings(self) -> tuple[str, ...]:
        """The distinct warnings the student's code raised in the task's convention and not yet reported;
        from now on they count as reported."""
        fresh = tuple(w for w in self._warnings.get(self.convention.id, {}) if w not in self._reported)
        self._reported.update(fresh)
        return fresh

    def call_case(self, case: Case, *, check: CheckSpec) -> StudentCall:
        """The student's function on a case's own inputs (called once per case and convention)."""
        return self.call_student(case.values, check=check, hidden=not case.is_public)

    def call_reference(
        self, values: Mapping[str, Any], *, function: Callable[..., Any] | None = None
    ) -> tuple[Any, ...]:
        """The reference outputs (reference layout), one per name in the task's ``returns``.

        Remembered for the whole run: the same inputs give the same outputs for every submission.
        """
        target = function or getattr(self.reference, self.task.reference)
        names = self.task.input_names

        def compute() -> tuple[Any, ...]:
            result = target(*[values[name] for name in names])
            return result if isinstance(result, tuple) else (result,)

        return self.memo.get(("reference", function_key(target), values_key(values, names)), compute)

    # --- what several cases tell together -------------------------------------------------------------

    def settle(self, check: CheckSpec, verdicts: Sequence[CaseVerdict]) -> list[CaseVerdict]:
        """A check's verdicts with what only the whole task or several cases together show: the task's
        :attr:`explanation`, or a function that reads the notebook's data instead of its arguments
        (recognised from the failed cases side by side; the rest of what they recognised was a
        consequence of it)."""
        if self.explanation is not None:
            return [v if v.passed else _explained(v, self.explanation) for v in verdicts]
        # A training function's outputs are the parameters after several updates, whose change is what
        # its checks look at: a size read from a global is not the factor between its results.
        if self.task.trains or all(v.passed for v in verdicts):
            return list(verdicts)
        observed = [self._observed(check, v) for v in verdicts]
        found = global_data_matches(observed, rtol=1e-6, atol=1e-9)
        if found is None:
            return list(verdicts)
        size, explained = found
        diagnosis = Diagnosis(GLOBAL_DATA)
        if size is not None:
            arguments, sizes = [], []
            for i in explained:
                values, m = verdicts[i].case.values, observed[i].m
                if m is not None:
                    arguments.append(dict(zip(self.task.params, self.arguments(values), strict=True)))
                    sizes.append(m)
            expression = size_expression(arguments, sizes)
            if expression is not None:
                diagnosis = Diagnosis(GLOBAL_DATA, (("actual", str(size)), ("expected", expression)))
        return [_explained(v, diagnosis) if i in explained else v for i, v in enumerate(verdicts)]

    def _observed(self, check: CheckSpec, verdict: CaseVerdict) -> Observed:
        m = self.instances(verdict.case.values)
        if verdict.status != "fail":
            return Observed(m, passed=verdict.passed)
        # A failed case was judged on the call with the student's own helpers, which is remembered.
        call = self.made_call(verdict.case.values, check=check, hidden=not verdict.case.is_public)
        outputs = self.outputs(call) if call is not None and call.ok else None
        if outputs is None:
            return Observed(m)
        return Observed(m, self.call_reference(verdict.case.values), outputs)

    def instances(self, values: Mapping[str, Any]) -> int | None:
        """A case's number of instances, as the rubric's known mistakes count them (``None`` if unknown)."""
        if self.mistakes.instances is None:
            return None
        try:
            return int(self.mistakes.instances(values))
        except (KeyError, IndexError, TypeError, ValueError):
            # A check's own cases need not hold what the count reads.
            return None

    # --- reading outputs ----------------------------------------------------------------------------

    def student_outputs(self, call: StudentCall) -> list[Any] | None:
        """The student's outputs as returned (student layout), one per name in ``returns``.

        ``None`` when the function returned the wrong number of values. A lone output may come back
        wrapped in a 1-tuple.
        """
        value = call.outcome.value
        expected = len(self.task.returns)
        if expected == 1:
            return [value[0] if isinstance(value, tuple) and len(value) == 1 else value]
        if isinstance(value, tuple | list) and len(value) >= expected and not _is_numeric_list(value):
            return list(value[:expected])
        return None

    def outputs(self, call: StudentCall) -> list[Any] | None:
        """The student's outputs, one per name in ``returns``, in the reference layout (lists become arrays).

        ``None`` when the function returned the wrong number of values.
        """
        items = self.student_outputs(call)
        if items is None:
            return None
        return [self._canonical(name, item) for name, item in zip(self.task.returns, items, strict=True)]

    def _canonical(self, name: str, item: Any) -> Any:
        array = as_array(item)
        return item if array is None else self.convention.from_student(name, array)

    def trained(self, call: StudentCall, initial: Mapping[str, np.ndarray]) -> Trained | None:
        """Find the trained parameters: in the return value (any order, told apart by shape), updated
        in place in the arrays passed in, or left in module-level variables of the same name."""
        shapes = {name: self.convention.to_student(name, initial[name]).shape for name in self.task.trains}
        returned = _match_by_shape(_arrays_in(call.outcome.value), shapes)
        if returned is not None:
            return Trained(self._from_student(returned), "returned")
        positions = {name: self.task.params.index(name) for name in self.task.trains}
        after = call.outcome.args_after
        if len(after) == len(call.args):
            in_place = {name: as_array(after[i]) for name, i in positions.items()}
            changed = any(
                a is not None
                and a.shape == np.shape(call.args[positions[n]])
                and not np.array_equal(a, call.args[positions[n]])
                for n, a in in_place.items()
            )
            if changed and all(a is not None and a.shape == shapes[n] for n, a in in_place.items()):
                return Trained(
                    self._from_student({n: a for n, a in in_place.items() if a is not None}), "in_place"
                )
        watched = {name: as_array(call.outcome.globals_after.get(name)) for name in self.task.trains}
        if all(a is not None and a.shape == shapes[n] for n, a in watched.items()):
            found = {n: a for n, a in watched.items() if a is not None}
            if any(not np.array_equal(found[n], self.convention.to_student(n, initial[n])) for n in found):
                return Trained(self._from_student(found), "globals")
        return None

    def _from_student(self, params: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {name: self.convention.from_student(name, value) for name, value in params.items()}

    # --- describing -----------------------------------------------------------------------------------

    def case_label(self, case: Case) -> Message:
        """Which function and which case: public cases say their sizes, hidden ones only their number."""
        if case.is_public:
            sizes = ", ".join(f"{k}={v}" for k, v in case.sizes.items())
            return self.t("case.public", function=self.task.id, n=case.index + 1, sizes=sizes)
        return self.t("case.hidden", function=self.task.id, n=case.index + 1)

    def worst_difference(self, name: str, c: Comparison, *, rtol: float, atol: float) -> dict[str, Any]:
        """The words a message about differing values is filled with: the largest difference, where it
        is (in the student's layout), both values there, and the tolerance."""
        nan = float("nan")
        return {
            "diff": c.max_abs_diff,
            "where": self.position(name, c.where),
            "expected": c.expected_at if c.expected_at is not None else nan,
            "actual": c.actual_at if c.actual_at is not None else nan,
            "rtol": rtol,
            "atol": atol,
        }

    def position(self, name: str, where: tuple[int, ...] | None) -> str:
        """An element of output ``name`` (index in the reference layout) as the student indexes it."""
        if not where:
            return name
        index = where
        if self.convention.transpose and len(index) == 2:
            index = index[::-1]
        elif name in self.convention.column_vectors and len(index) == 1:
            index = (index[0], 0)
        return f"{name}[{', '.join(str(i) for i in index)}]"

    def shape_text(self, name: str, shape: tuple[int, ...]) -> str:
        """A reference-layout shape as the student's convention writes it, e.g. ``(4, 8)`` or ``(3,)``."""
        return format_shape(self.convention.to_student(name, np.zeros(shape)).shape)

    def warning_detail(self, outcome: CallOutcome) -> list[Message]:
        """A line quoting the warnings a call raised, if any (for the details of a failed case)."""
        if not outcome.warnings:
            return []
        return [self.t("call.warnings", warnings="; ".join(outcome.warnings))]

    def describe_failure(self, case: Case, outcome: CallOutcome, *, timeout_s: float) -> CaseVerdict:
        """A verdict for a call that produced no value (exception, timeout, crash)."""
        label = self.case_label(case)
        if outcome.over_budget:
            return CaseVerdict(
                case,
                "timeout",
                (self.t("call.over_budget", case=label, seconds=self.rubric.budget_s),),
                (Diagnosis("timeout"),),
            )
        if outcome.status == "timeout":
            return CaseVerdict(
                case,
                "timeout",
                (self.t("call.timeout", case=label, seconds=timeout_s),),
                (Diagnosis("timeout"),),
            )
        if not case.is_public:
            # A hidden case's call ran in the sealed worker: nothing of its failure (type, message,
            # frames, warnings) came back, and nothing would be shown if it had.
            key = "call.crash.hidden" if outcome.status == "crash" else "call.exception.hidden"
            diagnoses = () if outcome.status == "crash" else (Diagnosis("student_exception"),)
            return CaseVerdict(case, "error", (self.t(key, case=label),), diagnoses)
        if outcome.status == "crash":
            return CaseVerdict(case, "error", (self.t("call.crash", case=label, reason=outcome.message),))
        where: Param = ""
        if outcome.frames:
            # Innermost first: where it broke, then who called it, in the student's own cells and lines.
            frames = list(reversed(outcome.frames))[:MAX_FRAMES]
            chain = Joined(
                tuple(
                    self.t("call.frame", where=self.locate(f.unit, f.line), function=f.function)
                    for f in frames
                ),
                self.t("call.frame_separator"),
            )
            where = self.t("call.in_location", where=chain)
        details = [
            self.t(
                "call.exception", case=label, type=outcome.error_type, message=outcome.message, where=where
            ),
        ]
        found_codes = [Diagnosis("student_exception")]
        drift = numpy_drift(outcome.error_type, outcome.message)
        if drift is not None:
            details.append(self.t(drift.key, numpy=np.__version__, name=drift.name, instead=drift.instead))
            found_codes.append(Diagnosis("numpy_version"))
        details.extend(self.warning_detail(outcome))
        return CaseVerdict(case, "error", tuple(details), tuple(found_codes))

    def describe_count(self, case: Case, value: Any) -> Message:
        """The sentence for a function that returned the wrong number of values."""
        count = str(len(value)) if isinstance(value, tuple | list) else ("None" if value is None else "1")
        return self.t(
            "out.count",
            case=self.case_label(case),
            expected=len(self.task.returns),
            names=", ".join(self.task.returns),
            actual=count,
        )

    def say(self, about: Case, key: str, /, **fields: Any) -> Message:
        """A sentence about a case: hidden cases use the key's ``.hidden`` variant, which names no values
        (expected values or differences would let a student reconstruct the hidden answers)."""
        if not about.is_public and self.t.has(f"{key}.hidden"):
            key = f"{key}.hidden"
            # A message stores its parameters, not only the words: keep just what the hidden sentence says.
            said = set().union(*(template_fields(CATALOGUE[key][lang]) for lang in LANGUAGES))
            fields = {name: value for name, value in fields.items() if name in said}
        return self.t(key, **fields)

    def describe_inputs(self, case: Case) -> Message | None:
        """Public cases may show their inputs (compactly); hidden ones never do."""
        if not case.is_public:
            return None
        # Keyed by the values: a check's own cases share their indices with the rubric's.
        key = ("inputs", self.convention.id, values_key(case.values, self.task.input_names))
        return self.once(key, lambda: self._inputs_text(case))

    def _inputs_text(self, case: Case) -> Message | None:
        shown = []
        for param in self.task.params:
            value = self.convention.to_student(param, case.values.get(self.task.inputs.get(param, param)))
            if isinstance(value, np.ndarray):
                shown.append(_summary(param, value))
        return self.t("out.inputs", inputs="; ".join(shown)) if shown else None


# A call the checks of a task will make: the task's context, the inputs, the check whose limit it takes.
Planned = tuple[TaskContext, Mapping[str, Any], CheckSpec]


def prefetch_together(
    wanted: Sequence[Planned],
    *,
    hidden: bool,
    reserve: Mapping[str, float] | None = None,
) -> None:
    """Make, in one round trip, the calls (no helpers substituted) that the checks of one or several tasks
    of a submission will ask for: each is a task's context, the inputs, and the check whose time limit
    the call takes. Calls already made are left out; whatever the batch leaves undone (a time-out stops
    it) is made later, one by one, by :meth:`TaskContext.call_student`. ``reserve``: by task id, what
    the submission's budget must still hold after each of its calls (see :class:`PlannedCall`)."""
    pending: dict[tuple[int, tuple[Any, ...]], tuple[TaskContext, tuple[Any, ...], list[Any], CheckSpec]] = {}
    for ctx, values, check in wanted:
        key = ctx._call_key(values, substitutes=(), check=check, hidden=hidden)
        if key not in ctx._calls and (id(ctx), key) not in pending:
            pending[id(ctx), key] = (ctx, key, ctx.arguments(values), check)
    if len(pending) < 2:
        return
    first = next(iter(pending.values()))[0]
    # The contexts of one submission share its runtime and the run's timings.
    assert all(ctx.runtime is first.runtime for ctx, *_ in pending.values())
    calls = [
        PlannedCall(
            ctx.function.name,
            tuple(args),
            check.timeout_s,
            tuple(ctx.task.trains),
            tuple(ctx._returned_args()),
            reserve_s=(reserve or {}).get(ctx.task.id, 0.0),
        )
        for ctx, _, args, check in pending.values()
    ]
    started = time.perf_counter()
    outcomes = first.runtime.call_many(calls, hidden=hidden)
    first.timings.add_stage("calls", time.perf_counter() - started)
    for (ctx, key, args, _), outcome in zip(pending.values(), outcomes, strict=False):
        ctx._record(key, args, outcome)


def _explained(verdict: CaseVerdict, diagnosis: Diagnosis) -> CaseVerdict:
    """A failed case's verdict with ``diagnosis`` in place of the mistakes recognised on it (what merely
    happened, an exception or a time-out, is kept)."""
    kept = tuple(d for d in verdict.diagnoses if d.code in PLAIN_CODES)
    return replace(verdict, diagnoses=(diagnosis, *kept))


# Arrays up to this many values are shown whole in a failing case's inputs; larger ones by their shape and
# their first and last values (a dump of a 100 × 50 array teaches nothing and buries the hint).
SHOWN_WHOLE = 12


def _summary(name: str, value: np.ndarray) -> str:
    """An input array as a failing case shows it: whole when small, else its shape and a few values."""
    if value.size <= SHOWN_WHOLE:
        text = np.array2string(value, precision=3, separator=", ", threshold=SHOWN_WHOLE, edgeitems=2)
        return f"{name}={' '.join(text.split())}"
    text = np.array2string(value, precision=3, separator=", ", threshold=0, edgeitems=2)
    return f"{name} {format_shape(value.shape)}: {' '.join(text.split())}"


def format_shape(shape: tuple[int, ...]) -> str:
    """A shape as NumPy prints it: ``()``, ``(3,)``, ``(4, 8)``."""
    if not shape:
        return "()"
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _is_numeric_list(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value
    )


def _arrays_in(value: Any, *, depth: int = 0) -> list[np.ndarray]:
    """Every array in a returned value, in order (descending into tuples, lists and dicts)."""
    if isinstance(value, np.ndarray):
        return [value.astype(np.float64, copy=False)]
    if depth > 2:
        return []
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, tuple | list):
        if value and _is_numeric_list(list(value)):
            return [np.asarray(value, dtype=np.float64)]
        found: list[np.ndarray] = []
        for item in value:
            if isinstance(item, list) and item and all(isinstance(row, list) for row in item):
                array = as_array(item)
                if array is not None:
                    found.append(array)
                    continue
            found.extend(_arrays_in(item, depth=depth + 1))
        return found
    return []


def _match_by_shape(
    arrays: list[np.ndarray], shapes: Mapping[str, tuple[int, ...]]
) -> dict[str, np.ndarray] | None:
    """Assign each parameter the first unused array of its shape; ``None`` if one is missing."""
    used: set[int] = set()
    found: dict[str, np.ndarray] = {}
    for name, shape in shapes.items():
        for i, array in enumerate(arrays):
            if i not in used and array.shape == shape:
                used.add(i)
                found[name] = array
                break
        else:
            return None
    return found
