"""The worker wire format: values round-trip, and nothing but plain numeric arrays gets through."""

from __future__ import annotations

import io
import json
import math
import pickle
import socket

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.sandbox.protocol import (
    HEADER,
    Opaque,
    ProtocolError,
    decode_value,
    encode_value,
    receive_message,
    send_message,
)


def roundtrip(value: object) -> object:
    arrays: list[np.ndarray] = []
    tree = encode_value(value, arrays)
    left, right = socket.socketpair()
    with left, right:
        send_message(left, {"value": tree}, arrays)
        header, frames = receive_message(right, max_bytes=1 << 24)
    return decode_value(header["value"], frames)


@given(
    hnp.arrays(dtype=st.sampled_from([np.float64, np.int32, np.bool_]), shape=hnp.array_shapes(max_dims=3))
)
def test_arrays_roundtrip_exactly(array: np.ndarray) -> None:
    back = roundtrip(array)
    assert isinstance(back, np.ndarray)
    assert back.dtype == array.dtype
    np.testing.assert_array_equal(back, array)


def test_containers_and_scalars_roundtrip() -> None:
    value = (np.ones((2, 3)), [1.5, 2, None], {"k": np.float64(3.0)}, "texto", math.inf, True)
    back = roundtrip(value)
    assert isinstance(back, tuple)
    np.testing.assert_array_equal(back[0], np.ones((2, 3)))
    assert back[1:] == ([1.5, 2, None], {"k": 3.0}, "texto", math.inf, True)


def test_nan_roundtrips() -> None:
    back = roundtrip(float("nan"))
    assert isinstance(back, float) and math.isnan(back)


def test_objects_become_opaque_never_reconstructed() -> None:
    class Sneaky:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (print, ("pwned",))

    back = roundtrip((Sneaky(), np.array([object()], dtype=object), lambda: 1))
    assert isinstance(back, tuple)
    assert [type(v) for v in back] == [Opaque, Opaque, Opaque]
    assert back[1].type_name == "ndarray of dtype object"


def test_ndarray_subclass_arrives_as_plain_ndarray() -> None:
    class Liar(np.ndarray):
        def __eq__(self, other: object) -> bool:  # type: ignore[override]
            return True

    back = roundtrip(np.zeros(3).view(Liar))
    assert type(back) is np.ndarray


def raw_frame_message(frame: bytes) -> bytes:
    """A message whose one frame is ``frame``, described the way an .npy-minded sender might."""
    header = json.dumps({"value": {"a": 0}, "frames": [len(frame)]}).encode()
    return HEADER.pack(len(header)) + header + frame


def npy_object_frame() -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "frame",
    [
        pickle.dumps({"score": 100}),
        b"not an npy file at all",
        npy_object_frame(),
    ],
)
def test_pickles_and_garbage_are_refused(frame: bytes) -> None:
    left, right = socket.socketpair()
    with left, right:
        left.sendall(raw_frame_message(frame))
        with pytest.raises(ProtocolError):
            receive_message(right, max_bytes=1 << 20)


def test_an_object_dtype_cannot_even_be_described() -> None:
    left, right = socket.socketpair()
    header = json.dumps({"value": {"a": 0}, "frames": [["|O", [1]]]}).encode()
    with left, right:
        left.sendall(HEADER.pack(len(header)) + header + pickle.dumps([{"x": 1}]))
        with pytest.raises(ProtocolError, match="not accepted"):
            receive_message(right, max_bytes=1 << 20)


def test_oversized_message_is_refused_before_reading_it() -> None:
    left, right = socket.socketpair()
    with left, right:
        send_message(left, {"value": {"a": 0}}, [np.zeros(1000)])
        with pytest.raises(ProtocolError, match="over the"):
            receive_message(right, max_bytes=1000)


def test_malformed_trees_are_refused() -> None:
    for tree in ({"a": 3}, {"zz": 1}, {"t": 5}, {"a": 0, "t": []}):
        with pytest.raises(ProtocolError):
            decode_value(tree, [np.zeros(1)])
