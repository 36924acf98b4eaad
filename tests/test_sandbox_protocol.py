"""The wire format's fast paths, and the grader's answers to a worker's requests for reference helpers."""

from __future__ import annotations

import io
import json
import socket
import time

import numpy as np
import pytest

from grader.conventions import Convention
from grader.sandbox.helpers import MAX_ELEMENTS, ReferenceHelpers
from grader.sandbox.protocol import (
    HEADER,
    ProtocolError,
    _load_npy,
    _npy_bytes,
    encode_value,
    receive_message,
)


@pytest.mark.parametrize(
    "array",
    [
        np.zeros((2, 3)),
        np.arange(5, dtype=np.int32),
        np.float64(3.5),
        np.array(True),
        np.zeros((0, 2)),
        np.ones((1, 1, 2), dtype=">f4"),
        np.asfortranarray(np.arange(6.0).reshape(2, 3)),
        np.arange(10, dtype=np.uint8)[::2],
    ],
)
def test_frames_are_the_npy_numpy_writes_and_read_back_exactly(array: np.ndarray) -> None:
    expected = io.BytesIO()
    np.save(expected, np.asarray(array, order="C"), allow_pickle=False)
    frame = _npy_bytes(array)
    assert frame == expected.getvalue()
    back = _load_npy(frame)
    assert type(back) is np.ndarray and back.dtype == np.asarray(array).dtype
    np.testing.assert_array_equal(back, array)


def test_a_frame_shorter_than_its_shape_is_refused() -> None:
    frame = _npy_bytes(np.zeros((4, 4)))
    with pytest.raises(ProtocolError, match="size does not match"):
        _load_npy(frame[:-8])


def test_a_fortran_ordered_frame_still_loads() -> None:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.asfortranarray(np.arange(6.0).reshape(2, 3)), allow_pickle=False)
    np.testing.assert_array_equal(_load_npy(buffer.getvalue()), np.arange(6.0).reshape(2, 3))


def test_huge_nested_lists_are_cut_short_quickly() -> None:
    value = [[0.5] * 1000 for _ in range(20_000)]
    started = time.perf_counter()
    tree = encode_value(value, [])
    assert time.perf_counter() - started < 1.0
    assert {"o": "too large"} in tree["l"]


def test_frames_of_one_message_arrive_together() -> None:
    left, right = socket.socketpair()
    with left, right:
        body = json.dumps({"value": 1, "frames": [len(_npy_bytes(np.ones(3)))] * 2}).encode()
        left.sendall(HEADER.pack(len(body)) + body + _npy_bytes(np.ones(3)) + _npy_bytes(np.zeros(3)))
        header, arrays = receive_message(right, max_bytes=1 << 20)
    assert header == {"value": 1}
    np.testing.assert_array_equal(arrays[1], np.zeros(3))


# --- reference helpers ----------------------------------------------------------------------------

HELPER = {
    "name": "ff",
    "target": "reference.xor:feedForward",
    "convention": Convention("rows", transpose=True).to_json(),
    "outputs": ["a1", "a2"],
}


def request(
    arguments: list[tuple[str, object]], params: list[str]
) -> tuple[dict[str, object], list[np.ndarray]]:
    arrays: list[np.ndarray] = []
    encoded = [[k, encode_value(v, arrays)] for k, v in arguments]
    return {"op": "helper", "name": "ff", "params": params, "arguments": encoded}, arrays


def test_helpers_answer_in_the_students_layout_matching_parameters_by_name() -> None:
    from reference.xor import feedForward

    rng = np.random.default_rng(1)
    x, w1, w2 = rng.normal(size=(2, 4)), rng.normal(size=(3, 2)), rng.normal(size=(1, 3))
    b1, b2 = rng.normal(size=(3, 1)), rng.normal(size=(1, 1))
    # A rows-convention student whose function takes the same names in another order.
    params = ["w1", "b1", "w2", "b2", "X"]
    header, arrays = request([("w1", w1.T), ("b1", b1.T), ("w2", w2.T), ("b2", b2.T), ("X", x.T)], params)
    reply, out = ReferenceHelpers([HELPER])(header, arrays)
    assert reply["status"] == "ok"
    a1, a2 = feedForward(x, w1, w2, b1, b2)
    np.testing.assert_allclose(out[0], a1.T)
    np.testing.assert_allclose(out[1], a2.T)


def test_helpers_refuse_oversized_or_unusable_arguments() -> None:
    helpers = ReferenceHelpers([HELPER])
    big = np.zeros(MAX_ELEMENTS + 1)
    header, arrays = request([("X", big), ("w1", 1.0), ("w2", 1.0), ("b1", 1.0), ("b2", 1.0)], ["X", "w1"])
    assert helpers(header, arrays)[0] == {
        "status": "error",
        "type": "ValueError",
        "message": "arrays too large for the reference helper",
    }
    header, arrays = request([("X", object()), ("w1", 1.0)], ["X", "w1"])
    assert helpers(header, arrays)[0]["type"] == "TypeError"
    header, arrays = request([("X", np.ones((2, 2))), ("w1", np.ones((5, 7)))], ["X", "w1", "w2", "b1", "b2"])
    failed, _ = helpers(header, arrays)
    assert failed["status"] == "error" and failed["type"] in ("KeyError", "ValueError")
    with pytest.raises(ProtocolError):
        helpers({"op": "helper", "name": "not-a-substitute"}, [])
