"""Recognising known mistakes from behaviour: outputs a known-wrong version reproduces, telltale ratios."""

# Every recogniser looks only at values: the student's outputs (or the change a training function makes to
# the parameters) next to the right ones on the same case, never the student's source. The checks only ask
# about cases the student failed, so a correct function is never diagnosed.

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.compare import allclose, as_array, values_agree
from grader.messages import NO_HINTS, Hints, Message, Param, Phrases
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
    facts: tuple[tuple[str, Param], ...] = ()

    def hint(self, t: Phrases, workshop: Hints = NO_HINTS) -> Message:
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


def hints(diagnoses: Iterable[Diagnosis], t: Phrases, workshop: Hints = NO_HINTS) -> list[Message]:
    """The hint sentences for these diagnoses, without repeats, general ones left out for refined ones.

    ``workshop``: the rubric's own hints (its mistakes module's ``HINTS``), used before the catalogue's.
    """
    diagnoses = merge(diagnoses)
    codes = {d.code for d in diagnoses}
    implied = {REFINES[code] for code in codes if code in REFINES}
    lines: list[Message] = []
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
    return values_agree(expected, actual, rtol=rtol, atol=atol)


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
    if array is None or not np.isfinite(array).all() or not np.isfinite(reference).all():
        return None
    # ndarray.sum is np.sum without its dispatch: the same pairwise sums.
    norm = float((reference * reference).sum())
    if norm <= 1e-300:
        return None
    k = float((reference * array).sum()) / norm
    if not allclose(array, k * reference, rtol=rtol, atol=atol * max(1.0, abs(k))):
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
    if m is None or not scalings:
        return ()
    k = common_factor(expected, actual, rtol=rtol, atol=atol)
    if k is None:
        return ()
    for scaling in scalings:
        factor = scaling.factor(m)
        if factor != 1.0 and abs(k - factor) <= 1e-6 * abs(factor):
            return tuple(Diagnosis(code, (("factor", scaling.label),)) for code in scaling.codes)
    return ()


def common_factor(
    expected: Sequence[Any], actual: Sequence[Any], *, rtol: float, atol: float
) -> float | None:
    """The single k for which every wrong output is k times the right one, right outputs set aside
    (``None`` when nothing is wrong, or when the wrong outputs are not all one multiple of the right ones)."""
    if len(expected) != len(actual):
        return None
    factors = []
    for e, a in zip(expected, actual, strict=True):
        if agree(e, a, rtol=rtol, atol=atol):
            continue
        k = scale_factor(e, a, rtol=rtol, atol=atol)
        if k is None:
            return None
        factors.append(k)
    if not factors or any(abs(k - factors[0]) > 2e-6 * abs(factors[0]) for k in factors):
        return None
    return factors[0]


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


# --- across cases ------------------------------------------------------------------------------------------

# A function that reads the notebook's data (a global m, X or y) instead of its arguments: only several cases
# together show it, so the checks' verdicts are looked at side by side once every case is judged.
GLOBAL_DATA = "uses_global_data"


@dataclass(frozen=True)
class Observed:
    """One case of a check as the recognisers that look across cases see it.

    ``m``: the case's number of instances (``None`` when the rubric cannot tell). ``expected`` and
    ``actual``: the right outputs and the student's, in the reference layout, for a case the student
    failed with outputs to compare (``None`` otherwise). ``passed``: the student passed the case.
    """

    m: int | None
    expected: Sequence[Any] | None = None
    actual: Sequence[Any] | None = None
    passed: bool = False


def fixed_size(
    observed: Sequence[Observed], *, rtol: float, atol: float
) -> tuple[int, tuple[int, ...]] | None:
    """The fixed number of instances ``n`` the student's results are computed for, and the failed cases it
    explains: every failed case whose wrong outputs are the right ones times a single factor has the
    factor m/n (dividing by n where the case's own m belongs), for one whole n ≥ 2 shared by every such case.

    One case alone proves nothing (a factor 2 is m/n for some n on every case with an even m), so ``n`` must
    be seen on cases of at least two different sizes; a passed case of exactly n instances counts as one.
    Any scaled case that disagrees (another factor, a negative one) means another mistake: ``None``.
    """
    found: dict[int, int] = {}
    for index, case in enumerate(observed):
        if case.passed or case.m is None or case.expected is None or case.actual is None:
            continue
        factor = common_factor(case.expected, case.actual, rtol=rtol, atol=atol)
        if factor is None:
            continue
        if factor <= 0:
            return None
        size = case.m / factor
        whole = round(size)
        # n = 1 is dividing by nothing at all: the missing mean, which the scalings already name.
        if whole < 2 or abs(size - whole) > 1e-6 * whole:
            return None
        found[index] = whole
    if not found or len(set(found.values())) != 1:
        return None
    n = next(iter(found.values()))
    sizes = {observed[i].m for i in found}
    if any(case.passed and case.m == n for case in observed):
        sizes.add(n)
    if len(sizes) < 2:
        return None
    return n, tuple(found)


def constant_outputs(observed: Sequence[Observed]) -> tuple[int, ...]:
    """The failed cases on which the function returned exactly the same outputs although the right ones
    differ: results that do not depend on the arguments at all (the largest such group, if any).

    Outputs without a fractional value are left alone: a stub that returns 0 or an empty result is
    unfinished, not reading the notebook's data.
    """
    groups: list[list[int]] = []
    for index, case in enumerate(observed):
        if case.passed or case.expected is None or case.actual is None:
            continue
        arrays = [as_array(a) for a in case.actual]
        if any(a is None for a in arrays) or not any(_fractional(a) for a in arrays if a is not None):
            continue
        for group in groups:
            first = observed[group[0]]
            assert first.actual is not None and first.expected is not None
            if _same_arrays(first.actual, case.actual) and not all(
                agree(e, f, rtol=0.0, atol=0.0) for e, f in zip(first.expected, case.expected, strict=False)
            ):
                group.append(index)
                break
        else:
            groups.append([index])
    largest = max(groups, key=len, default=[])
    return tuple(largest) if len(largest) >= 2 else ()


def _fractional(array: np.ndarray) -> bool:
    finite = array[np.isfinite(array)]
    return bool(finite.size and np.any(finite != np.round(finite)))


def _same_arrays(first: Sequence[Any], second: Sequence[Any]) -> bool:
    if len(first) != len(second):
        return False
    for a, b in zip(first, second, strict=True):
        x, y = as_array(a), as_array(b)
        if x is None or y is None or x.shape != y.shape or not np.array_equal(x, y, equal_nan=True):
            return False
    return True


def global_data_matches(
    observed: Sequence[Observed], *, rtol: float, atol: float
) -> tuple[int | None, tuple[int, ...]] | None:
    """Whether a check's failed cases show a function that reads fixed data instead of its arguments: the
    fixed number of instances (when its results are scaled by it, else ``None``) and the failed cases that
    this explains; ``None`` when they do not show it."""
    scaled = fixed_size(observed, rtol=rtol, atol=atol)
    if scaled is not None:
        return scaled
    constant = constant_outputs(observed)
    return (None, constant) if constant else None


def size_expression(arguments: Sequence[Mapping[str, Any]], sizes: Sequence[int]) -> str | None:
    """How the function could read the number of instances from its own arguments, e.g. ``X.shape[1]``
    or ``len(y)``: an axis of some argument that holds exactly m on every one of these cases (arguments in
    the student's layout, ``sizes`` their m). Among several, the smallest argument (the labels rather
    than the data), then the shortest name (``y`` rather than ``y_est``), then the first."""
    if not arguments or len(arguments) != len(sizes):
        return None
    found: list[tuple[int, int, int, str]] = []
    for position, name in enumerate(arguments[0]):
        axes = {_instances_axis(values.get(name), m) for values, m in zip(arguments, sizes, strict=True)}
        if len(axes) != 1 or None in axes:
            continue
        (axis,) = axes
        array = as_array(arguments[0][name])
        assert array is not None and axis is not None
        text = f"len({name})" if array.ndim == 1 else f"{name}.shape[{axis}]"
        found.append((array.size, len(name), position, text))
    return min(found)[-1] if found else None


def _instances_axis(value: Any, m: int) -> int | None:
    """The axis of a 1-D or 2-D argument that holds the m instances, when no other axis could be it."""
    array = as_array(value)
    if array is None or array.ndim not in (1, 2):
        return None
    axes = [axis for axis, size in enumerate(array.shape) if size == m]
    return axes[0] if len(axes) == 1 else None


@dataclass(frozen=True)
class NumpyDrift:
    """A student exception that code written on an older NumPy (Colab's) meets on the grader's newer one:
    the catalogue key of its sentence, what the student wrote, and what to write instead."""

    key: str
    name: str
    instead: str


# Known by the exception's type and message: (type, pattern, catalogue key, what the student wrote, from the
# pattern's groups).
_NUMPY_DRIFT = (
    ("TypeError", re.compile(r"only 0-dimensional arrays can be converted to Python scalars"),
     "numpy.scalar_of_array", ""),
    ("DeprecationWarning", re.compile(r"Conversion of an array with ndim > 0 to a scalar"),
     "numpy.scalar_of_array", ""),
    ("AttributeError",
     re.compile(r"`np\.(?P<old>\w+)` was removed in the NumPy 2\.0 release\. Use `(?P<new>[^`]+)`"),
     "numpy.removed", "np.{old}"),
    ("AttributeError", re.compile(r"module 'numpy' has no attribute '(?P<old>\w+)'"),
     "numpy.removed", "np.{old}"),
    ("AttributeError", re.compile(r"'numpy\.ndarray' object has no attribute '(?P<old>\w+)'"),
     "numpy.removed", "a.{old}"),
)  # fmt: skip
# What replaces a removed name where NumPy's message does not say (a name NumPy never had is a typo).
_REPLACED = {
    **{f"np.{name}": name for name in ("float", "int", "complex", "object", "str", "bool")},
    "np.product": "np.prod",
    "np.cumproduct": "np.cumprod",
    "np.asscalar": "a.item()",
    "np.in1d": "np.isin",
    "np.trapz": "np.trapezoid",
    "np.msort": "np.sort(a, axis=0)",
    "a.ptp": "np.ptp(a)",
    "a.tostring": "a.tobytes()",
    "a.itemset": "a[i] = v",
}


def numpy_drift(error_type: str, message: str) -> NumpyDrift | None:
    """The NumPy-version breakage an exception is, if it is a known one."""
    for kind, pattern, key, wrote in _NUMPY_DRIFT:
        found = pattern.match(message) if error_type == kind else None
        if found is None:
            continue
        name = wrote.format(**found.groupdict())
        instead = found.groupdict().get("new") or _REPLACED.get(name)
        if wrote and instead is None:
            continue
        return NumpyDrift(key, name, instead or "")
    return None
