"""The worker wire format: values round-trip, and nothing but plain numeric arrays gets through."""

from __future__ import annotations

import contextlib
import io
import json
import math
import pickle
import socket
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.sandbox.protocol import (
    HEADER,
    MAX_DECODED_ITEMS,
    MAX_DEPTH,
    MAX_HEADER_DEPTH,
    MAX_INT_DIGITS,
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


# --- hostile headers and value trees ------------------------------------------------------------------


def receive_bytes(message: bytes, *, max_bytes: int = 1 << 20) -> tuple[dict[str, object], list[np.ndarray]]:
    """What ``receive_message`` makes of ``message`` sent over a real channel (then closed)."""
    left, right = socket.socketpair()
    with left, right:
        sender = threading.Thread(target=lambda: (left.sendall(message), left.shutdown(socket.SHUT_WR)))
        sender.start()
        try:
            return receive_message(right, max_bytes=max_bytes)
        finally:
            sender.join()


def framed(body: bytes, payload: bytes = b"") -> bytes:
    return HEADER.pack(len(body)) + body + payload


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b'{"elapsed_s": ' + b"9" * 5000 + b"}", "too long"),
        (b'{"elapsed_s": ' + b"9" * (MAX_INT_DIGITS + 1) + b"}", "too long"),
        (b'{"value": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "deeply"),
        (b'{"value": ' + b"[" * (MAX_HEADER_DEPTH + 1) + b"]" * (MAX_HEADER_DEPTH + 1) + b"}", "deeply"),
        (b'{"value": ' + b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"}", "deeply"),
        (b'{"value": "\xff"}', "UTF-8"),
        (b"\xff\xfe{\x00}\x00", "UTF-8"),
        (b'{"value": [1, 2', "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b"", "not JSON"),
    ],
)
def test_hostile_headers_are_protocol_errors(body: bytes, match: str) -> None:
    with pytest.raises(ProtocolError, match=match):
        receive_bytes(framed(body))


def test_headers_nesting_up_to_the_limit_arrive_and_brackets_in_strings_do_not_count() -> None:
    nested = "[" * (MAX_HEADER_DEPTH - 1) + "]" * (MAX_HEADER_DEPTH - 1)
    body = json.dumps({"value": json.loads(nested), "text": "[{" * 10_000}).encode()
    header, _ = receive_bytes(framed(body))
    assert header["text"] == "[{" * 10_000


def test_numbers_that_overflow_floats_arrive_as_infinities() -> None:
    header, _ = receive_bytes(framed(b'{"elapsed_s": 1e400, "small": -1e-400}'))
    assert header == {"elapsed_s": math.inf, "small": -0.0}


def nested(depth: int, leaf: object) -> object:
    for _ in range(depth):
        leaf = {"l": [leaf]}
    return leaf


def test_value_trees_nest_at_most_as_deeply_as_encode_value_makes_them() -> None:
    # encode_value's deepest containers hold a "too large" marker for anything deeper.
    value = decode_value(nested(MAX_DEPTH + 1, {"o": "too large"}), [])
    for _ in range(MAX_DEPTH + 1):
        assert isinstance(value, list) and len(value) == 1
        value = value[0]
    assert isinstance(value, Opaque) and value.type_name == "too large"
    with pytest.raises(ProtocolError, match="deeply"):
        decode_value(nested(MAX_DEPTH + 2, 1), [])
    with pytest.raises(ProtocolError, match="deeply"):
        decode_value(nested(100_000, 1), [])


def test_value_trees_hold_a_bounded_number_of_items() -> None:
    with pytest.raises(ProtocolError, match="too many"):
        decode_value({"l": [1] * (MAX_DECODED_ITEMS + 1)}, [])
    with pytest.raises(ProtocolError, match="too many"):
        decode_value({"l": [{"l": [1] * 1000}] * 100}, [])
    with pytest.raises(ProtocolError, match="too many"):
        decode_value({"d": {str(i): 1 for i in range(MAX_DECODED_ITEMS + 1)}}, [])


def test_whatever_encode_value_makes_decodes() -> None:
    deep: object = 1.0
    for _ in range(50):
        deep = [deep, (deep,), {"k": deep}] if isinstance(deep, float) else [deep]
    for value in (deep, [[0.5] * 1000 for _ in range(20_000)], {str(i): [i] for i in range(20_000)}):
        arrays: list[np.ndarray] = []
        decode_value(encode_value(value, arrays), arrays)


@pytest.mark.parametrize(
    "tree",
    [
        {"a": True},
        {"a": 1.0},
        {"a": -1},
        {"s": 10**4000},
        {"s": [[[]]]},
        {"f": "1e400"},
        {"f": 1},
        {"o": {"name": "x"}},
        {"t": {"0": 1}},
        {"d": [1]},
        {"d": {5: 1}},
        {5: 1},
        "text",
        [1, 2],
    ],
)
def test_tags_with_payloads_of_the_wrong_type_are_refused(tree: object) -> None:
    with pytest.raises(ProtocolError):
        decode_value(tree, [np.zeros(1)])


JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
    | st.sampled_from(["a", "t", "l", "d", "s", "f", "o", "nan", "-inf", "<f8", "|b1", "|O"])
)
JSON_TREES = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["a", "t", "l", "d", "s", "f", "o"]) | st.text(max_size=3), children, max_size=3
        )
    ),
    max_leaves=40,
)
DTYPES = st.sampled_from(["<f8", "|b1", "<i4", "|u1", ">f4"])
WELL_FORMED_FRAME = st.tuples(DTYPES, st.lists(st.integers(min_value=0, max_value=3), max_size=3)).map(list)
ODD_FRAME = st.one_of(
    # Odd dtypes; negative, huge or non-integer dimensions; missing or extra items; anything at all.
    st.tuples(
        DTYPES | st.sampled_from(["|O", "<U4", "<c16", "V8"]) | JSON_SCALARS,
        st.lists(st.integers(min_value=-2, max_value=2**64) | JSON_SCALARS, max_size=4),
    ).map(list),
    st.lists(DTYPES | JSON_SCALARS, max_size=3),
    JSON_TREES,
)
FRAME_DESCRIPTIONS = st.one_of(
    st.lists(WELL_FORMED_FRAME, max_size=3),
    st.lists(WELL_FORMED_FRAME | ODD_FRAME, max_size=4),
    JSON_TREES,
)


@settings(max_examples=300, deadline=None)
@given(JSON_TREES, st.one_of(st.none(), FRAME_DESCRIPTIONS), st.binary(max_size=1024))
def test_any_header_and_frames_arrive_or_are_refused(header: object, frames: object, payload: bytes) -> None:
    content = {"value": header} if frames is None else {"value": header, "frames": frames}
    try:
        body = json.dumps(content).encode()
    except ValueError:  # an integer beyond what json writes: nothing a peer could send either
        return
    try:
        received, arrays = receive_bytes(framed(body, payload))
    except (ProtocolError, EOFError):
        return
    assert set(received) == {"value"}
    with contextlib.suppress(ProtocolError):
        decode_value(received["value"], arrays)


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=512)
    | st.text(alphabet='[]{}":,0123456789.e-truefalsn \\', max_size=512).map(str.encode)
)
def test_any_bytes_arrive_or_are_refused(body: bytes) -> None:
    with contextlib.suppress(ProtocolError, EOFError):
        receive_bytes(framed(body))


@settings(max_examples=300, deadline=None)
@given(JSON_TREES)
def test_any_tree_decodes_or_is_refused(tree: object) -> None:
    with contextlib.suppress(ProtocolError):
        decode_value(tree, [np.zeros(2), np.ones(1, dtype=bool)])
