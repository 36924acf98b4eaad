"""Recognising known mistakes from behaviour: outputs a known-wrong version reproduces, telltale ratios."""

# Every recogniser looks only at values: the student's outputs (or the change a training function makes to
# the parameters) next to the right ones on the same case, never the student's source. The checks only ask
# about cases the student failed, so a correct function is never diagnosed.

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.compare import as_array, compare
from grader.messages import NO_HINTS, Hints, Translator
from reference.mistakes import Implementation, KnownMistakes, Scaling

# Codes that say what happened rather than name a mistake to explain: they get no hint.
PLAIN_CODES = frozenset(
    {"timeout", "student_exception", "missing_function", "syntax_error", "rows_as_instances"}
)
# A refined code → the general code it implies. Both are attached; only the refined one's hint is shown.
REFINES: Mapping[str, str] = {"sum_of_squares": "wrong_cost_scale"}
# Exceptions a wrong implementation may raise on a case it does not apply to.
_NOT_APPLICABLE = (ArithmeticError, ValueError, IndexError, TypeError)


@dataclass(frozen=True)
class Diagnosis:
    """A recognised mistake: its code (a stable vocabulary) and facts its hint may quote.

    Facts never describe a case's inputs (a hint is shared by a check's public and hidden cases): they
    are things like the factor ``2m`` a result is off by, or the order the outputs came back in.
    """

    code: str
    facts: tuple[tuple[str, str], ...] = ()

    def hint(self, t: Translator, workshop: Hints = NO_HINTS) -> str:
        text = t.hint(self.code, dict(self.facts), workshop=workshop)
        if text is None:
            raise KeyError(f"diag.{self.code}")
        return text


def merge(*groups: Iterable[Diagnosis]) -> tuple[Diagnosis, ...]:
    """One diagnosis per code, in order of first appearance; one carrying facts wins over a bare one."""
    found: dict[str, Diagnosis] = {}
    for group in groups:
        for diagnosis in group:
            known = found.get(diagnosis.code)
            if known is None or (diagnosis.facts and not known.facts):
                found[diagnosis.code] = diagnosis
    return tuple(found.values())


def hints(diagnoses: Iterable[Diagnosis], t: Translator, workshop: Hints = NO_HINTS) -> list[str]:
    """The hint sentences for these diagnoses, without repeats, general ones left out for refined ones.

    ``workshop``: the rubric's own hints (its mistakes module's ``HINTS``), used before the catalogue's.
    """
    diagnoses = merge(diagnoses)
    codes = {d.code for d in diagnoses}
    implied = {REFINES[code] for code in codes if code in REFINES}
    lines: list[str] = []
    for diagnosis in diagnoses:
        code = diagnosis.code
        if code in PLAIN_CODES or code in implied:
            continue
        text = t.hint(code, dict(diagnosis.facts), workshop=workshop)
        if text is not None and text not in lines:
            lines.append(text)
    return lines


def with_implied(diagnoses: Iterable[Diagnosis]) -> tuple[Diagnosis, ...]:
    """The diagnoses plus the general codes their refined codes imply."""
    diagnoses = tuple(diagnoses)
    return merge(diagnoses, (Diagnosis(REFINES[d.code]) for d in diagnoses if d.code in REFINES))


# --- comparing values --------------------------------------------------------------------------------


def agree(expected: Any, actual: Any, *, rtol: float, atol: float) -> bool:
    """Whether two outputs hold the same numbers (layout aside: transposes and length-1 axes are lined up)."""
    if expected is None:
        return False
    reference = np.asarray(expected, dtype=np.float64)
    return compare(reference, actual, rtol=rtol, atol=atol, scalar=reference.ndim == 0).values_ok


def lined_up(expected: np.ndarray, actual: Any) -> np.ndarray | None:
    """``actual`` as an array shaped like ``expected`` (same shape, transposed or with length-1 axes)."""
    array = as_array(actual)
    if array is None or array.size != expected.size:
        return None
    if array.shape == expected.shape:
        return array
    if array.ndim == 2 and expected.ndim == 2 and array.T.shape == expected.shape:
        return array.T
    return array.reshape(expected.shape)


def scale_factor(expected: Any, actual: Any, *, rtol: float, atol: float) -> float | None:
    """The k for which ``actual`` ≈ k · ``expected`` element by element, if there is one.

    ``None`` when the numbers cannot be lined up, when ``expected`` is all zeros (any k would do) or when
    no single k fits every element.
    """
    reference = np.asarray(expected, dtype=np.float64)
    array = lined_up(reference, actual)
    if array is None or not np.all(np.isfinite(array)) or not np.all(np.isfinite(reference)):
        return None
    norm = float(np.sum(reference * reference))
    if norm <= 1e-300:
        return None
    k = float(np.sum(reference * array)) / norm
    if not np.allclose(array, k * reference, rtol=rtol, atol=atol * max(1.0, abs(k))):
        return None
    return k


# --- recognisers ---------------------------------------------------------------------------------------


def implementation_matches(
    implementations: Mapping[str, Sequence[Implementation]],
    run: Callable[[Implementation], Sequence[Any] | None],
    actual: Sequence[Any],
    *,
    rtol: float,
    atol: float,
    uninformative: Callable[[Sequence[Any]], bool] | None = None,
    scalings: Sequence[Scaling] = (),
    m: int | None = None,
) -> tuple[Diagnosis, ...]:
    """The codes of the known-wrong implementations whose outputs the student's outputs reproduce.

    ``run`` runs one wrong implementation on the case and returns its outputs in the same order and
    layout as ``actual`` (or ``None`` when it does not apply to that case); every output must agree.
    ``uninformative`` rejects outputs that prove nothing on this case (e.g. a training loop one epoch
    short, run for one epoch, leaves the parameters as they were, like a loop that does nothing at all).
    With ``scalings``, a wrong implementation's outputs times a telltale factor also count: two mistakes
    at once, such as a squared error that is also summed instead of averaged.
    """
    found: list[Diagnosis] = []
    for code, candidates in implementations.items():
        for implementation in candidates:
            try:
                # A wrong formula may overflow or divide by zero where the right one does not; that is
                # the mistake's business, not a warning for whoever runs the grader.
                with np.errstate(all="ignore"):
                    expected = run(implementation)
            except _NOT_APPLICABLE:
                continue
            if expected is None or len(expected) != len(actual):
                continue
            if uninformative is not None and uninformative(expected):
                continue
            if all(agree(e, a, rtol=rtol, atol=atol) for e, a in zip(expected, actual, strict=True)):
                found.append(Diagnosis(code))
                break
            scaled = scaling_matches(expected, actual, scalings, m=m, rtol=rtol, atol=atol)
            if scaled:
                found.extend((Diagnosis(code), *scaled))
                break
    return tuple(found)


def scaling_matches(
    expected: Sequence[Any],
    actual: Sequence[Any],
    scalings: Sequence[Scaling],
    *,
    m: int | None,
    rtol: float,
    atol: float,
) -> tuple[Diagnosis, ...]:
    """The mistakes that multiply the right result by a telltale factor (m, 2m, −1, …), recognised by ratio.

    Outputs that are right are set aside (a ``db`` summed where ``dw`` was averaged is still a missing
    mean); every wrong output must be the right one times the same factor, and that factor must be one of
    ``scalings`` for this case's number of instances ``m``.
    """
    if m is None or not scalings or len(expected) != len(actual):
        return ()
    factors = []
    for e, a in zip(expected, actual, strict=True):
        if agree(e, a, rtol=rtol, atol=atol):
            continue
        k = scale_factor(e, a, rtol=rtol, atol=atol)
        if k is None:
            return ()
        factors.append(k)
    if not factors:
        return ()
    for scaling in scalings:
        factor = scaling.factor(m)
        if factor != 1.0 and all(abs(k - factor) <= 1e-6 * abs(factor) for k in factors):
            return tuple(Diagnosis(code, (("factor", scaling.label),)) for code in scaling.codes)
    return ()


def permutation_matches(
    expected: Sequence[Any], actual: Sequence[Any], names: Sequence[str], *, rtol: float, atol: float
) -> tuple[Diagnosis, ...]:
    """``swapped_outputs`` when the outputs are all right but come back in another order."""
    count = len(expected)
    if count < 2 or len(actual) != count or len(names) != count:
        return ()
    for order in itertools.permutations(range(count)):
        if order == tuple(range(count)):
            continue
        if all(agree(expected[j], actual[i], rtol=rtol, atol=atol) for i, j in enumerate(order)):
            facts = (("actual", ", ".join(names[j] for j in order)), ("expected", ", ".join(names)))
            return (Diagnosis("swapped_outputs", facts),)
    return ()


def transposed_matches(
    expected: Sequence[Any], actual: Sequence[Any], *, rtol: float, atol: float
) -> tuple[Diagnosis, ...]:
    """``transposed_output`` when some 2-D output has the right values in the transposed shape.

    Both sequences are in the student's own layout, so a row where the student's convention asks for a
    column counts, whatever the reference's layout is.
    """
    for e, a in zip(expected, actual, strict=False):
        reference = as_array(e)
        array = as_array(a)
        if reference is None or array is None or reference.ndim != 2 or array.ndim != 2:
            continue
        flipped = array.shape != reference.shape and array.shape == reference.shape[::-1]
        if flipped and np.allclose(array.T, reference, rtol=rtol, atol=atol):
            return (Diagnosis("transposed_output"),)
    return ()


def recognise_outputs(
    known: KnownMistakes,
    *,
    expected: Sequence[Any],
    actual: Sequence[Any],
    names: Sequence[str],
    values: Mapping[str, Any],
    run: Callable[[Implementation], Sequence[Any] | None],
    rtol: float = 1e-6,
    atol: float = 1e-9,
) -> tuple[Diagnosis, ...]:
    """Every recogniser that applies to a function's outputs (reference layout) on one failed case."""
    m = known.instances(values) if known.instances is not None else None

    def same_as_right(outputs: Sequence[Any]) -> bool:
        # On some cases a mistake makes no difference (a missing mean with m = 1, a single feature): there
        # it cannot be what made the case fail.
        return len(outputs) == len(expected) and all(
            agree(e, o, rtol=rtol, atol=atol) for e, o in zip(expected, outputs, strict=True)
        )

    if same_as_right(actual):
        # Right values in a wrong layout are the business of transposed_matches.
        return ()
    direct = merge(
        permutation_matches(expected, actual, names, rtol=rtol, atol=atol),
        implementation_matches(
            known.implementations, run, actual, rtol=rtol, atol=atol, uninformative=same_as_right
        ),
        scaling_matches(expected, actual, known.scalings, m=m, rtol=rtol, atol=atol),
    )
    if direct:
        return with_implied(direct)
    # Two mistakes at once only when no single one explains the outputs: a sign flipped twice over
    # would otherwise explain a plain sum.
    return with_implied(
        implementation_matches(
            known.implementations,
            run,
            actual,
            rtol=rtol,
            atol=atol,
            uninformative=same_as_right,
            scalings=known.scalings,
            m=m,
        )
    )
