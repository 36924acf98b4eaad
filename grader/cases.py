"""Test cases: public ones from the rubric's own seed, hidden ones from a seed derived from the secret."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.results import Visibility
from grader.rubric import HiddenCases, Rubric


@dataclass(frozen=True)
class Case:
    """One set of inputs (reference layout) and the sizes it was made from."""

    index: int
    visibility: Visibility
    sizes: Mapping[str, Any]
    values: Mapping[str, Any]

    @property
    def is_public(self) -> bool:
        return self.visibility == "public"


@dataclass(frozen=True)
class CaseSet:
    public: tuple[Case, ...]
    hidden: tuple[Case, ...]

    def select(self, *, public: int | None, hidden: int | None) -> tuple[Case, ...]:
        """The first ``public`` public cases and ``hidden`` hidden ones (``None``: all of them)."""
        return self.public[:public] + self.hidden[:hidden]


def hidden_seed(secret: str, rubric_id: str) -> int:
    """A seed only someone holding the secret can derive (one per rubric)."""
    digest = hashlib.sha256(f"taller-grader\0{rubric_id}\0{secret}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def make_cases(rubric: Rubric, *, secret: str | None) -> CaseSet:
    """All cases of a rubric; without a secret there are no hidden cases."""
    generate = rubric.generate
    public = tuple(
        Case(
            index=i,
            visibility="public",
            sizes=dict(sizes),
            values=frozen_values(generate(np.random.default_rng([rubric.seed, i]), **sizes)),
        )
        for i, sizes in enumerate(rubric.public_cases)
    )
    if secret is None:
        return CaseSet(public=public, hidden=())
    seed = hidden_seed(secret, rubric.id)
    hidden = []
    for j in range(rubric.hidden_cases.count):
        rng = np.random.default_rng([seed, j])
        sizes = _draw_sizes(rng, rubric.hidden_cases)
        values = frozen_values(generate(rng, **sizes))
        hidden.append(Case(index=j, visibility="hidden", sizes=sizes, values=values))
    return CaseSet(public=public, hidden=tuple(hidden))


# Draws before settling for the smallest sizes that differ (only ranges barely wide enough get there).
_MAX_DRAWS = 100


def _draw_sizes(rng: np.random.Generator, hidden: HiddenCases) -> dict[str, int]:
    """Sizes drawn from the ranges, those named ``distinct`` all different from each other."""
    for _ in range(_MAX_DRAWS):
        sizes = {name: int(rng.integers(low, high + 1)) for name, (low, high) in hidden.ranges.items()}
        if len({sizes[name] for name in hidden.distinct}) == len(hidden.distinct):
            return sizes
    fallback = distinct_sizes({name: hidden.ranges[name] for name in hidden.distinct})
    assert fallback is not None, "the rubric loader refuses ranges too narrow to differ"
    return {**sizes, **fallback}


def distinct_sizes(ranges: Mapping[str, tuple[int, int]]) -> dict[str, int] | None:
    """The smallest sizes within ``ranges`` that all differ, or None when there are none.

    Ranges taken by their upper end, each given the smallest free value in it: if any assignment
    exists, this finds one.
    """
    taken: set[int] = set()
    chosen: dict[str, int] = {}
    for name, (low, high) in sorted(ranges.items(), key=lambda item: (item[1][1], item[1][0])):
        value = next((v for v in range(low, high + 1) if v not in taken), None)
        if value is None:
            return None
        taken.add(value)
        chosen[name] = value
    return chosen


def extra_case(rubric: Rubric, sizes: Mapping[str, Any], *, index: int) -> Case:
    """A public case a check defines for itself (e.g. the XOR truth table for a learning check)."""
    generate = rubric.generate
    rng = np.random.default_rng([rubric.seed, 1000 + index])
    values = frozen_values(generate(rng, **sizes))
    return Case(index=index, visibility="public", sizes=dict(sizes), values=values)


def frozen_values(values: Mapping[str, Any]) -> Mapping[str, Any]:
    """A case's values with every array made read-only, and the arrays whose memory it views as well.

    Every submission of a run is graded on the same case arrays: a reference function (or a check) that
    wrote to its inputs would change the cases of the next submission; read-only, it fails at once. Their
    memory being unchangeable also lets call keys remember the arrays' digests (grader.checks.memo).
    """
    for value in values.values():
        array = value
        while isinstance(array, np.ndarray):
            array.flags.writeable = False
            array = array.base
    return values
