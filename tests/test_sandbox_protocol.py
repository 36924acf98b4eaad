"""The wire format's frames, and the grader's answers to a worker's requests for reference helpers."""

from __future__ import annotations

import json
import socket

import numpy as np
import pytest

from grader.calls import Substitute
from grader.conventions import Convention
from grader.sandbox.helpers import MAX_ELEMENTS, ArgumentBounds, ReferenceHelpers
from grader.sandbox.protocol import (
    HEADER,
    ProtocolError,
    encode_value,
    receive_message,
    send_message,
)
from reference import xor


def exchange(arrays: list[np.ndarray]) -> list[np.ndarray]:
    left, right = socket.socketpair()
    with left, right:
        send_message(left, {}, arrays)
        return receive_message(right, max_bytes=1 << 20)[1]


def raw_message(frames: object, payload: bytes) -> bytes:
    body = json.dumps({"value": {"a": 0}, "frames": frames}).encode()
    return HEADER.pack(len(body)) + body + payload


def receive_raw(message: bytes) -> list[np.ndarray]:
    left, right = socket.socketpair()
    with left, right:
        left.sendall(message)
        left.shutdown(socket.SHUT_WR)  # a short payload then reads as a closed channel, not a wait
        return receive_message(right, max_bytes=1 << 20)[1]


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
        np.array([True, False, True]),
    ],
)
def test_arrays_come_back_exactly_as_writable_aligned_plain_arrays(array: np.ndarray) -> None:
    (back,) = exchange([np.asarray(array)])
    assert type(back) is np.ndarray and back.dtype == np.asarray(array).dtype
    assert back.shape == np.shape(array)
    np.testing.assert_array_equal(back, array)
    # Student code updates its arguments in place; numeric code expects aligned data.
    assert back.flags.writeable and back.flags.aligned


def test_frames_of_odd_sizes_keep_the_next_frame_aligned() -> None:
    first, second = exchange([np.arange(3, dtype=np.uint8), np.arange(4.0)])
    np.testing.assert_array_equal(first, [0, 1, 2])
    np.testing.assert_array_equal(second, [0.0, 1.0, 2.0, 3.0])
    assert second.flags.aligned


def test_rare_float_widths_travel_as_float64() -> None:
    (back,) = exchange([np.array([1.5, 2.5], dtype=np.longdouble)])
    assert back.dtype == np.float64
    np.testing.assert_array_equal(back, [1.5, 2.5])


def test_object_arrays_cannot_be_sent() -> None:
    left, right = socket.socketpair()
    with left, right, pytest.raises(ValueError, match="cannot be sent"):
        send_message(left, {}, [np.array([{"x": 1}], dtype=object)])


@pytest.mark.parametrize(
    ("frames", "payload", "match"),
    [
        ([["|O", [1]]], bytes(8), "not accepted"),
        ([["<U4", [1]]], bytes(16), "not accepted"),
        ([["<c16", [1]]], bytes(16), "not accepted"),
        ([["<f8", [-1]]], b"", "shape"),
        ([["<f8", [1.5]]], bytes(8), "shape"),
        ([["<f8", [1] * 40]], bytes(8), "shape"),
        ([["<f8"]], bytes(8), "description"),
        ([16], bytes(16), "description"),
        ("frames", b"", "frame list"),
        ([["<f8", [10**9]]], b"", "over the"),
        # Empty arrays too: numpy refuses such shapes with errors of its own.
        ([["<f8", [0, 10**30]]], b"", "shape"),
        ([["<f8", [0, 2**31 + 1]]], b"", "shape"),
        ([["<f8", [0, 2**31, 2**31]]], b"", "over the"),
        ([["<f8", [0, 2**20 + 1]]], b"", "over the"),
        ([["<f8", [True]]], bytes(8), "shape"),
        ([["<f8", [1], "extra"]], bytes(8), "description"),
        ([[8, [1]]], bytes(8), "not accepted"),
        ([[["<f8"], [1]]], bytes(8), "not accepted"),
        ([["<f8", [[1]]]], bytes(8), "shape"),
        ({"0": ["<f8", [1]]}, bytes(8), "frame list"),
    ],
)
def test_malformed_frame_descriptions_are_refused(frames: object, payload: bytes, match: str) -> None:
    with pytest.raises(ProtocolError, match=match):
        receive_raw(raw_message(frames, payload))


def test_empty_frames_of_many_dimensions_arrive_with_their_shape() -> None:
    first, second = receive_raw(raw_message([["<f8", [0, 2**20]], ["|u1", [2**10, 0, 2**10]]], b""))
    assert (first.shape, first.dtype) == ((0, 2**20), np.float64)
    assert (second.shape, second.dtype) == ((2**10, 0, 2**10), np.uint8)


def test_a_payload_shorter_than_its_frames_is_a_closed_channel() -> None:
    with pytest.raises(EOFError):
        receive_raw(raw_message([["<f8", [4]]], bytes(16)))


def test_bool_frames_hold_only_true_and_false() -> None:
    (back,) = receive_raw(raw_message([["|b1", [3]]], bytes([0, 1, 7]) + bytes(5)))
    assert back.dtype == np.bool_
    assert back.tolist() == [False, True, True]
    assert back.view(np.uint8).tolist() == [0, 1, 1]


def test_huge_nested_lists_are_cut_short_quickly() -> None:
    value = [[0.5] * 1000 for _ in range(20_000)]
    tree = encode_value(value, [])
    assert {"o": "too large"} in tree["l"]


def test_frames_of_one_message_arrive_together() -> None:
    left, right = socket.socketpair()
    with left, right:
        payload = np.ones(3).tobytes() + np.zeros(3).tobytes()
        left.sendall(raw_message([["<f8", [3]], ["<f8", [3]]], payload))
        header, arrays = receive_message(right, max_bytes=1 << 20)
    assert header == {"value": {"a": 0}}
    np.testing.assert_array_equal(arrays[1], np.zeros(3))


# --- reference helpers ----------------------------------------------------------------------------

HELPER = Substitute("ff", xor.feedForward, Convention("rows", transpose=True), ("a1", "a2"))


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
    reply, out = ReferenceHelpers([HELPER], bounds=ArgumentBounds(ndim=2, dim=1_000_000))(header, arrays)
    assert reply["status"] == "ok"
    a1, a2 = feedForward(x, w1, w2, b1, b2)
    np.testing.assert_allclose(out[0], a1.T)
    np.testing.assert_allclose(out[1], a2.T)


def test_helpers_refuse_oversized_or_unusable_arguments() -> None:
    helpers = ReferenceHelpers([HELPER], bounds=ArgumentBounds(ndim=2, dim=1_000_000))
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
