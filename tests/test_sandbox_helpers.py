"""Reference stand-ins compute in the grader on arguments the student's code chooses: bounded by the call."""

from __future__ import annotations

import numpy as np

from grader.calls import Substitute
from grader.conventions import Convention
from grader.sandbox.helpers import ArgumentBounds, ReferenceHelpers
from grader.sandbox.protocol import encode_value
from reference import xor

FEED_FORWARD = Substitute("feedForward", xor.feedForward, Convention("columns"), ("a1", "a2"))
PARAMS = ["X", "w1", "w2", "b1", "b2"]


def _ask(helpers: ReferenceHelpers, values: list[object]) -> dict[str, object]:
    arrays: list[np.ndarray] = []
    arguments = [[name, encode_value(value, arrays)] for name, value in zip(PARAMS, values, strict=True)]
    reply, _ = helpers(
        {"op": "helper", "name": "feedForward", "params": PARAMS, "arguments": arguments}, arrays
    )
    return reply


def _case() -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    return [rng.normal(size=s) for s in ((2, 4), (3, 2), (1, 3), (3, 1), (1, 1))]


def test_bounds_come_from_the_call_and_allow_one_more_row() -> None:
    bounds = ArgumentBounds.of([*_case(), 0.5, 100])
    assert bounds == ArgumentBounds(ndim=2, dim=5)
    assert bounds.refuses(np.ones((5, 4))) is None
    assert bounds.refuses([[1.0, 2.0], [3.0, 4.0]]) is None
    assert bounds.refuses(np.ones((6, 1))) is not None
    assert bounds.refuses(np.ones((2, 2, 2))) is not None
    assert bounds.refuses([[[1.0]]]) is not None
    assert bounds.refuses((np.ones((2, 2)), np.ones((9, 9)))) is not None


def test_the_stand_in_answers_arguments_the_size_of_the_case() -> None:
    case = _case()
    helpers = ReferenceHelpers([FEED_FORWARD], bounds=ArgumentBounds.of(case))
    assert _ask(helpers, list(case))["status"] == "ok"


def test_arguments_that_would_broadcast_to_a_cube_are_refused_before_any_computing() -> None:
    helpers = ReferenceHelpers([FEED_FORWARD], bounds=ArgumentBounds.of(_case()))
    n = 700  # (n, n, n) float64 would be 2.7 GB in the grader
    cube = [np.ones((n, 1, 1)), np.ones((1, n, 1)), np.ones((1, 1, n)), np.ones((3, 1)), np.ones((1, 1))]
    reply = _ask(helpers, cube)
    assert reply["status"] == "error" and reply["type"] == "ValueError"
    assert "larger than any array of this case" in str(reply["message"])
    wide = [np.ones((2, n)), np.ones((n, 2)), np.ones((1, n)), np.ones((n, 1)), np.ones((1, 1))]
    assert _ask(helpers, wide)["status"] == "error"
