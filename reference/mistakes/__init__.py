"""Known wrong implementations of the workshop functions, to recognise a student's mistake from behaviour.

Each submodule (named like the reference module it mirrors) holds functions called
``<function>__<diagnosis_code>``, with exactly the signature and convention of the correct ``<function>``
but one classic mistake built in: the canonical form of that mistake. Other ways of getting the function
wrong that are worth recognising (the same mistake made only halfway, less common mistakes) are ordinary
functions marked with :func:`variant`. When a student's output differs from the reference but matches one
of these on the same inputs, the diagnosis code names the likely mistake.

A submodule may also declare ``SCALINGS`` (function → the :class:`Scaling` factors that classic mistakes
multiply the right result by) and ``instances(values)`` (the number of instances m of a case), so that a
mistake is recognised by the ratio of the student's result to the right one, however it was written.

A module may also declare ``HINTS`` (diagnosis code → ``{"es": ..., "en": ...}``): the hint shown to a
student whose mistake has that code, for codes of its own (or to say a bundled code's hint its own way).

Some mistakes coincide with the correct function on special inputs (a missing mean is invisible with
m = 1), so inputs meant to tell them apart must avoid those cases.

These modules are plain NumPy: they import these helpers and their own workshop's reference, never
the grader. A rubric names its module (``mistakes = "errores.py"`` or a module name) and the grader
passes the module itself to the functions below; a bare name such as ``"xor"`` stands for the bundled
``reference.mistakes.xor``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import ModuleType
from typing import Any, TypeVar

SEPARATOR = "__"
# The attribute @variant sets on a function: (function it is a wrong version of, diagnosis code).
VARIANT_ATTRIBUTE = "mistake_variant_of"
# A module's own hints: diagnosis code → language → sentence.
HINTS_ATTRIBUTE = "HINTS"

Implementation = Callable[..., Any]
# A mistakes module, or the name of a bundled one in this package.
Mistakes = ModuleType | str
F = TypeVar("F", bound=Implementation)


@dataclass(frozen=True)
class Scaling:
    """A mistake whose result is the right one times ``coefficient · m**power`` (m: number of instances).

    ``codes`` are the diagnoses it stands for: a cost summed instead of averaged is
    ``Scaling(("missing_mean",), power=1)``; a cost with the wrong sign is
    ``Scaling(("missing_negative_sign",), -1)``.
    """

    codes: tuple[str, ...]
    coefficient: Fraction | int = 1
    power: int = 0

    def factor(self, m: int) -> float:
        return float(self.coefficient) * float(m) ** self.power

    @property
    def label(self) -> str:
        """The factor as a student would write it: ``2``, ``−1``, ``m``, ``2m``, ``m²``, ``1/m``."""
        coefficient = Fraction(self.coefficient)
        sign, size = ("−" if coefficient < 0 else ""), abs(coefficient)
        if self.power == 0:
            return f"{sign}{size}"
        m = "m" + ("" if abs(self.power) == 1 else str(abs(self.power)).translate(_SUPERSCRIPTS))
        if self.power < 0:
            return (
                f"{sign}{size}/{m}"
                if size.denominator == 1
                else f"{sign}{size.numerator}/({size.denominator}{m})"
            )
        return f"{sign}{'' if size == 1 else size}{m}" if size.denominator == 1 else f"{sign}({size}){m}"


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class KnownMistakes:
    """What is known about getting one function wrong: wrong implementations and telltale factors."""

    implementations: Mapping[str, tuple[Implementation, ...]] = field(default_factory=dict)
    scalings: tuple[Scaling, ...] = ()
    instances: Callable[[Mapping[str, Any]], int] | None = None

    def __bool__(self) -> bool:
        return bool(self.implementations or self.scalings)


NO_MISTAKES = KnownMistakes()


def variant(function: str, code: str) -> Callable[[F], F]:
    """Mark a function as another wrong version of ``function`` whose mistake is ``code``."""
    if not function.isidentifier():
        raise ValueError(f"not a function name: {function!r}")

    def mark(implementation: F) -> F:
        setattr(implementation, VARIANT_ATTRIBUTE, (function, code))
        return implementation

    return mark


def mistakes_module(mistakes: Mistakes) -> ModuleType:
    """The module itself; a bare name is the bundled ``reference.mistakes.<name>``."""
    if isinstance(mistakes, ModuleType):
        return mistakes
    if not mistakes.isidentifier():
        raise ValueError(f"not a module name: {mistakes!r}")
    return importlib.import_module(f"{__name__}.{mistakes}")


def _own(module: ModuleType) -> list[tuple[str, Implementation]]:
    # Only functions defined in that module count, not helpers it imported from the reference.
    return [
        (name, obj)
        for name, obj in sorted(vars(module).items())
        if callable(obj) and getattr(obj, "__module__", None) == module.__name__
    ]


def mistakes_for(mistakes: Mistakes, function: str) -> dict[str, Implementation]:
    """Diagnosis code → canonical wrong version of ``function`` in the mistakes module.

    Returns an empty mapping when the module knows no mistakes for that function; raises
    ``ModuleNotFoundError`` when a bundled module of that name does not exist.
    """
    prefix = function + SEPARATOR
    return {
        name[len(prefix) :]: obj for name, obj in _own(mistakes_module(mistakes)) if name.startswith(prefix)
    }


def variants_for(mistakes: Mistakes, function: str) -> dict[str, tuple[Implementation, ...]]:
    """Diagnosis code → the :func:`variant` implementations of ``function`` in that module, by name."""
    found: dict[str, list[Implementation]] = {}
    for _, obj in _own(mistakes_module(mistakes)):
        marked = getattr(obj, VARIANT_ATTRIBUTE, None)
        if marked is not None and marked[0] == function:
            found.setdefault(str(marked[1]), []).append(obj)
    return {code: tuple(implementations) for code, implementations in found.items()}


def named_mistakes(mistakes: Mistakes) -> dict[str, set[str]]:
    """Function → every diagnosis code the module names for it (wrong versions, variants, scalings)."""
    module = mistakes_module(mistakes)
    named: dict[str, set[str]] = {}
    for name, obj in _own(module):
        function, separator, code = name.partition(SEPARATOR)
        if separator and function and code:
            named.setdefault(function, set()).add(code)
        marked = getattr(obj, VARIANT_ATTRIBUTE, None)
        if marked is not None:
            named.setdefault(str(marked[0]), set()).add(str(marked[1]))
    scalings: Mapping[str, tuple[Scaling, ...]] = getattr(module, "SCALINGS", {})
    for function, factors in scalings.items():
        named.setdefault(function, set()).update(code for scaling in factors for code in scaling.codes)
    return named


def declared_hints(mistakes: Mistakes) -> Any:
    """The module's ``HINTS``, as written (``{}`` when it has none); the grader validates them."""
    return getattr(mistakes_module(mistakes), HINTS_ATTRIBUTE, {})


def known_mistakes(mistakes: Mistakes, function: str) -> KnownMistakes:
    """Everything the mistakes module knows about getting ``function`` wrong."""
    module = mistakes_module(mistakes)
    implementations: dict[str, tuple[Implementation, ...]] = {
        code: (implementation,) for code, implementation in mistakes_for(module, function).items()
    }
    for code, more in variants_for(module, function).items():
        implementations[code] = implementations.get(code, ()) + more
    scalings: Mapping[str, tuple[Scaling, ...]] = getattr(module, "SCALINGS", {})
    instances = getattr(module, "instances", None)
    return KnownMistakes(
        implementations=implementations,
        scalings=tuple(scalings.get(function, ())),
        instances=instances if callable(instances) else None,
    )
