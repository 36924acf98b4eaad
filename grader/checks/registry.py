"""The registry of check kinds, and turning a kind's per-case verdicts into scored check results."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from grader.cases import Case
from grader.checks.context import CaseVerdict, TaskContext
from grader.diagnose import hints, merge
from grader.results import CheckResult, CheckStatus, Visibility
from grader.rubric import CheckSpec, OptionSpec

CheckFunction = Callable[[TaskContext, CheckSpec, Sequence[Case]], list[CaseVerdict]]
CaseSelector = Callable[[TaskContext, CheckSpec], Sequence[Case]]
# How many failing cases a message spells out; the rest are counted.
MAX_DETAILED_CASES = 3


@dataclass(frozen=True)
class CheckKind:
    """A kind of check: the function that runs it, the options a rubric may set, the task fields it needs."""

    name: str
    run: CheckFunction
    options: Mapping[str, OptionSpec] = field(default_factory=dict)
    needs: tuple[str, ...] = ()
    select: CaseSelector | None = None


CHECK_KINDS: dict[str, CheckKind] = {}


def register(
    name: str,
    *,
    options: Mapping[str, OptionSpec] | None = None,
    needs: Sequence[str] = (),
    select: CaseSelector | None = None,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check kind under ``name`` (rubrics refer to it as ``kind = "name"``)."""

    def decorate(function: CheckFunction) -> CheckFunction:
        if name in CHECK_KINDS:
            raise ValueError(f"check kind {name!r} registered twice")
        CHECK_KINDS[name] = CheckKind(name, function, dict(options or {}), tuple(needs), select)
        return function

    return decorate


def cases_of(ctx: TaskContext, spec: CheckSpec) -> Sequence[Case]:
    """The cases a check runs on."""
    kind = CHECK_KINDS[spec.kind]
    if kind.select is not None:
        return kind.select(ctx, spec)
    return ctx.cases.select(public=spec.public, hidden=spec.hidden)


def prefetch_cases(ctx: TaskContext) -> None:
    """Call a (non-training) function on every case its checks will look at, public cases in one round
    trip and hidden ones in another (what hidden cases print is told apart by the round trip)."""
    if ctx.task.trains or not ctx.task.checks:
        return
    cases = {(c.visibility, c.index): c for spec in ctx.task.checks for c in cases_of(ctx, spec)}
    for hidden in (False, True):
        values = [c.values for c in cases.values() if c.is_public != hidden]
        ctx.prefetch(values, check=ctx.task.checks[0], hidden=hidden)


def run_check(ctx: TaskContext, spec: CheckSpec) -> list[CheckResult]:
    """Run one check on its cases; one result for its public cases and one for its hidden ones."""
    kind = CHECK_KINDS[spec.kind]
    verdicts = kind.run(ctx, spec, cases_of(ctx, spec))
    for verdict in verdicts:
        for note in verdict.notes:
            if note not in ctx.notes:
                ctx.notes.append(note)
    _note_warnings(ctx, spec)
    public = [v for v in verdicts if v.case.is_public]
    hidden = [v for v in verdicts if not v.case.is_public]
    total = len(verdicts)
    results = []
    groups: tuple[tuple[list[CaseVerdict], Visibility, str], ...] = (
        (public, "public", ""),
        (hidden, "hidden", ":hidden"),
    )
    for group, visibility, suffix in groups:
        if group:
            share = spec.points * len(group) / total
            results.append(aggregate(ctx, f"{spec.id}{suffix}", group, points=share, visibility=visibility))
    return results


def aggregate(
    ctx: TaskContext, check_id: str, verdicts: Sequence[CaseVerdict], *, points: float, visibility: Visibility
) -> CheckResult:
    passed = sum(v.passed for v in verdicts)
    total = len(verdicts)
    failing = [v for v in verdicts if not v.passed]
    status: CheckStatus
    if not failing:
        status = "pass"
    elif any(v.status == "timeout" for v in failing):
        status = "timeout"
    elif all(v.status == "error" for v in failing):
        status = "error"
    else:
        status = "fail"
    lines = [
        ctx.t("summary.pass", total=total)
        if not failing
        else ctx.t("summary.partial", passed=passed, total=total)
    ]
    for verdict in failing[:MAX_DETAILED_CASES]:
        lines.extend(verdict.details)
    if len(failing) > MAX_DETAILED_CASES:
        lines.append(ctx.t("summary.more", count=len(failing) - MAX_DETAILED_CASES))
    diagnoses = merge(*(v.diagnoses for v in failing))
    lines.extend(f"→ {hint}" for hint in hints(diagnoses, ctx.t))
    return CheckResult(
        id=check_id,
        status=status,
        score=round(points * passed / total, 4) if total else 0.0,
        max_score=round(points, 4),
        visibility=visibility,
        message="\n".join(lines),
        diagnoses=tuple(d.code for d in diagnoses),
    )


def _note_warnings(ctx: TaskContext, spec: CheckSpec) -> None:
    """Tell the student, once, about warnings their code raised, whether or not the check passed.

    Warnings cost nothing (a result with an overflow in ``exp`` can still be right), but an overflow or a
    ``log(0)`` is worth knowing about before it turns into a NaN on other data.
    """
    fresh = ctx.unreported_warnings()
    if fresh:
        note = ctx.t("note.warnings", name=ctx.task.id, check=spec.id, warnings="; ".join(fresh))
        ctx.notes.append(note)
