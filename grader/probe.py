"""Probing a submission's functions on a public case: which convention each works in, and so the one the
submission works in (told by its functions together), in which every function is then judged."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.cases import Case
from grader.checks import TaskContext
from grader.compare import compare
from grader.conventions import Convention
from grader.diagnose import Diagnosis
from grader.messages import Joined, Message, Param, Phrases
from grader.rubric import CheckSpec

TIMED_OUT = -1


@dataclass
class Probe:
    """A task's function probed under the rubric's conventions: its score (see :func:`probe_score`) under
    each convention tried, in the order tried, and the context whose calls the checks then reuse."""

    ctx: TaskContext
    scores: dict[str, int] = field(default_factory=dict)

    @property
    def timed_out(self) -> bool:
        return TIMED_OUT in self.scores.values()

    def run(
        self, conventions: Sequence[Convention], *, prefer: Convention | None, stop_when_right: bool
    ) -> None:
        """Score the conventions not tried yet, ``prefer`` first; stop at a time-out (it says nothing about
        the layout, and another try would cost another time limit) and, with ``stop_when_right``, at the
        first convention in which the function is right."""
        if self.timed_out:
            return
        # A function that calls helpers of its own may be wrong only through them (they are not replaced
        # before they are graded): the right shapes are as much as it can show of its layout here.
        enough = 2 if self.ctx.task.uses else 3
        case, check = probe_case(self.ctx)
        for convention in sorted(conventions, key=lambda c: c != prefer):
            if convention.id in self.scores:
                continue
            self.ctx.convention = convention
            score = self.scores[convention.id] = probe_score(self.ctx, case, check)
            if score == TIMED_OUT or (stop_when_right and score >= enough):
                return

    @property
    def best(self) -> str | None:
        """The convention the function works best in (the first tried on a tie), when its scores tell the
        conventions apart: not after a time-out, nor when every convention tried gave the same."""
        if not self.scores or self.timed_out:
            return None
        top = max(self.scores.values())
        if len(self.scores) > 1 and min(self.scores.values()) == top:
            return None
        return next(convention for convention, score in self.scores.items() if score == top)

    @property
    def margin(self) -> int:
        """How much better the function works in its best convention than in the next one tried."""
        ranked = sorted(self.scores.values(), reverse=True)
        return ranked[0] - ranked[1] if self.best is not None and len(ranked) > 1 else 0


@dataclass(frozen=True)
class RubricProbes:
    """A rubric's functions probed (by task id) and the convention the submission works in."""

    tasks: Mapping[str, Probe]
    established: Convention


def probe_functions(conventions: Sequence[Convention], contexts: Mapping[str, TaskContext]) -> RubricProbes:
    """A rubric's functions (their contexts by task id, in the rubric's order) probed in turn, each
    preferring the convention the one before worked best in, so that a consistent submission costs one
    call per function; and the convention the submission works in."""
    tasks: dict[str, Probe] = {}
    prefer: Convention | None = None
    for task_id, ctx in contexts.items():
        probe = tasks[task_id] = Probe(ctx)
        if len(conventions) > 1:
            probe.run(conventions, prefer=prefer, stop_when_right=True)
            prefer = next((c for c in conventions if c.id == probe.best), prefer)
    return RubricProbes(tasks, established_convention(conventions, list(tasks.values())))


def established_convention(conventions: Sequence[Convention], probes: Sequence[Probe]) -> Convention:
    """The convention a submission works in, told by the functions whose outputs tell conventions apart
    (a scalar cost does not): the one they all work best in, or else the one they prefer most strongly.

    When the functions disagree, each is probed under every convention first, so that a function that
    worked at the first try says whether it works in the others too; the vote is then by how much better
    each works in its own (right values against right shapes counts less than against an exception), then
    by how many functions, then by the rubric's order.
    """
    bests = {probe.best for probe in probes} - {None}
    if len(bests) <= 1:
        chosen = next(iter(bests), conventions[0].id)
        return next(c for c in conventions if c.id == chosen)
    for probe in probes:
        probe.run(conventions, prefer=None, stop_when_right=False)
    votes = {c.id: [0, 0] for c in conventions}
    for probe in probes:
        if probe.best is not None and probe.margin > 0:
            votes[probe.best][0] += probe.margin
            votes[probe.best][1] += 1
    return max(conventions, key=lambda c: (votes[c.id], -conventions.index(c)))


def probe_case(ctx: TaskContext) -> tuple[Case, CheckSpec]:
    """The public case a function is probed on (the one whose sizes differ most from each other, so that
    shapes tell the arrays apart) and the check whose time limit the probe call takes."""
    case = max(ctx.cases.public, key=lambda c: len({v for v in c.sizes.values() if isinstance(v, int)}))
    return case, ctx.task.checks[0]


def probe_convention(ctx: TaskContext, *, established: Convention) -> tuple[Convention, Convention | None]:
    """The convention a task is graded in, and the one it is right in when that is another.

    A function that gives the right values on a public case in the submission's ``established`` convention
    is graded in it, as is one that is right only in another convention (it would not work with the rest
    of the student's own code, and fails saying so). A function right in none is graded where it works
    best, ties going to the established convention, so that its own mistake is what it hears about.
    """
    conventions = ctx.rubric.conventions
    if len(conventions) == 1:
        return conventions[0], None
    case, check = probe_case(ctx)
    ordered = sorted(conventions, key=lambda c: c.id != established.id)
    best, best_score = ordered[0], -1
    for convention in ordered:
        ctx.convention = convention
        score = probe_score(ctx, case, check)
        if score > best_score:
            best, best_score = convention, score
        if score >= 3 or score == TIMED_OUT:
            break
    if best.id != established.id and best_score >= 3:
        return established, best
    return best, None


def inconsistency(ctx: TaskContext, right_in: Convention, t: Phrases) -> Diagnosis:
    """Why a function graded in the submission's convention fails although it is right in ``right_in``."""
    axis = _instances_axis(ctx)
    graded = _layout(t, ctx.convention, right_in, axis)
    return Diagnosis(
        "inconsistent_convention",
        (("actual", _layout(t, right_in, ctx.convention, axis)), ("expected", graded)),
    )


def _instances_axis(ctx: TaskContext) -> int | None:
    """The axis the reference lays instances along (0: rows, 1: columns), by the 2-D arrays of a public case
    with exactly one axis of m; ``None`` when the rubric cannot tell."""
    for case in ctx.cases.public:
        m = ctx.instances(case.values)
        if m is None:
            continue
        shapes = [v.shape for v in case.values.values() if isinstance(v, np.ndarray) and v.ndim == 2]
        axes = [shape.index(m) for shape in shapes if shape.count(m) == 1]
        if axes.count(0) != axes.count(1):
            return max((0, 1), key=axes.count)
    return None


def _layout(t: Phrases, convention: Convention, other: Convention, axis: int | None) -> Param:
    """Words for how ``convention`` lays the arrays out where it differs from ``other``."""
    parts: list[Message] = []
    if convention.transpose != other.transpose:
        if axis is None:
            parts.append(t("layout.transposed" if convention.transpose else "layout.not_transposed"))
        else:
            own = 1 - axis if convention.transpose else axis
            parts.append(t("layout.rows" if own == 0 else "layout.columns"))
    columns = sorted(convention.column_vectors - other.column_vectors)
    if columns:
        parts.append(t("layout.column_vectors", names=", ".join(columns)))
    flat = sorted(other.column_vectors - convention.column_vectors)
    if flat:
        parts.append(t("layout.flat_vectors", names=", ".join(flat)))
    if not parts:
        return t("layout.named", convention=convention.id)
    return Joined(tuple(parts), t("layout.and"))


def probe_values(ctx: TaskContext, case: Case) -> dict[str, Any]:
    """The values a function is probed with: the case's own, and for a training function one update at
    the rate of the task's first training check (that check's own first call, then not made twice)."""
    return {**case.values, **ctx.task.one_update()}


def probe_score(ctx: TaskContext, case: Case, check: Any) -> int:
    """3: right values; 2: right shapes; 1: ran; 0: raised; ``TIMED_OUT``: did not finish in time."""
    task = ctx.task
    values = probe_values(ctx, case)
    # A function whose helpers are wrong may only show its layout with the reference's in their place
    # (the checks judge it that way too, so the second call is theirs as well).
    best = 0
    for substitutes in ([], ctx.substitutes) if ctx.substitutes else ([],):
        call = ctx.call_student(values, check=check, substitutes=substitutes, hidden=not case.is_public)
        if call.outcome.status == "timeout":
            return TIMED_OUT
        if not call.ok:
            continue
        expected = ctx.call_reference(values)
        if task.trains:
            initial = {name: np.asarray(case.values[name]) for name in task.trains}
            trained = ctx.trained(call, initial)
            if trained is None:
                return 1
            by_name = dict(zip(task.returns, expected, strict=False))
            right = all(
                compare(np.asarray(by_name[n]), trained.params[n], rtol=1e-6, atol=1e-9).values_ok
                for n in task.trains
            )
            # Wrong parameters of the right shapes score 2 once no helper is left to substitute.
            if right or substitutes or not ctx.substitutes:
                return 3 if right else 2
            continue
        outputs = ctx.outputs(call)
        if outputs is None:
            return 1
        comparisons = [
            compare(np.asarray(e), a, rtol=1e-6, atol=1e-9, scalar=np.ndim(e) == 0)
            for e, a in zip(expected, outputs, strict=True)
        ]
        if all(c.ok for c in comparisons):
            return 3
        best = max(best, 2 if all(c.shape_ok for c in comparisons) else 1)
    return best
