"""The wire format between the grader and a worker: a JSON header plus raw array frames.

A message is ``8-byte big-endian header length | header JSON | frame bytes ...``. The header
describes every frame as ``[dtype, shape]`` (a plain numeric dtype such as ``"<f8"``, and the
dimensions); each frame is the array's C-ordered bytes, padded to a multiple of 8 so that every array
read back is aligned. Nothing but those dtypes can be described, so nothing a worker sends can execute
code in the grader or build an object array. Python values travel as a small tagged tree (see
:func:`encode_value`), never as pickles.
"""

from __future__ import annotations

import json
import math
import re
import socket
import struct
from collections.abc import Sequence
from typing import Any

import numpy as np

from grader.calls import Opaque

HEADER = struct.Struct(">Q")
# The page a loading worker shares with the grader: statements started so far, and the unit and line
# of the last one. Written before each statement, read only when the worker seems stuck: no message,
# no system call per statement.
PROGRESS = struct.Struct("=Iii")
# The status of the answer that ends a batch of calls early: the next call was due to start by a time
# that had passed (see StudentRuntime.call_many).
BATCH_STOPPED = "stopped"
MAX_HEADER_BYTES = 4 * 1024 * 1024
# Kinds of dtype a result may have: bool, signed/unsigned integers, floats. Object, string, void and
# complex arrays are refused: none is a legitimate answer and object arrays are the pickle door.
ACCEPTED_DTYPE_KINDS = frozenset("biuf")
MAX_TREE_ITEMS = 10_000
# How deeply containers nest in a value tree: deeper values travel as ``{"o": "too large"}``.
MAX_DEPTH = 8
MAX_TEXT = 200
MAX_DIMS = 32
# Each dimension of a frame, and the product of its non-zero dimensions (in elements, bounded by the
# message's byte limit): numpy refuses larger shapes with errors of its own, even for empty arrays.
MAX_DIM = 2**31
FRAME_ALIGNMENT = 8
# Brackets nesting in a header. A well-formed message nests about 25 deep (a value tree inside a batch
# of answers); anything much deeper is refused before it reaches code that walks it recursively.
MAX_HEADER_DEPTH = 64
# Digits (with the sign) of an integer in a header: well-formed messages send none beyond 2**53 (larger
# integers travel as floats), and a longer one costs time to convert whatever the interpreter's limit.
MAX_INT_DIGITS = 40


def _accepted_dtypes() -> dict[str, np.dtype[Any]]:
    found: dict[str, np.dtype[Any]] = {}
    for order in "<>|":
        for kind in ACCEPTED_DTYPE_KINDS:
            for size in (1, 2, 4, 8):
                try:
                    dtype = np.dtype(f"{order}{kind}{size}")
                except TypeError:
                    continue
                found[dtype.str] = dtype
    return found


# Every dtype a frame may have, by its description (looked up, never parsed: a frame costs microseconds).
DTYPES = _accepted_dtypes()


class ProtocolError(Exception):
    """The peer sent something that is not a well-formed message (or sent too much)."""


def send_message(sock: socket.socket, header: dict[str, Any], arrays: Sequence[np.ndarray] = ()) -> None:
    plain = [_plain(a) for a in arrays]
    described = [[a.dtype.str, list(a.shape)] for a in plain]
    body = json.dumps({**header, "frames": described}, allow_nan=True).encode()
    parts = [HEADER.pack(len(body)), body]
    for array in plain:
        data = array.tobytes()
        parts += (data, bytes(_padding(len(data))))
    # One write: the peer wakes up once per message, not once per frame.
    sock.sendall(b"".join(parts))


def _plain(array: np.ndarray) -> np.ndarray:
    """A C-ordered ndarray of an accepted dtype (wider or rarer floats travel as float64)."""
    array = np.asarray(array, order="C")
    if array.dtype.str not in DTYPES:
        if array.dtype.kind not in ACCEPTED_DTYPE_KINDS:
            raise ValueError(f"arrays of dtype {array.dtype} cannot be sent")
        array = array.astype(np.float64)
    return array


def receive_message(sock: socket.socket, *, max_bytes: int) -> tuple[dict[str, Any], list[np.ndarray]]:
    """Read one message; refuse it when it would exceed ``max_bytes`` in total.

    Whatever the peer sends, this returns or raises :class:`ProtocolError` (or ``EOFError`` and
    ``OSError`` when the channel closes or times out), never another exception.
    """
    (length,) = HEADER.unpack(_read_exactly(sock, HEADER.size))
    if length > min(max_bytes, MAX_HEADER_BYTES):
        raise ProtocolError(f"header of {length} bytes is over the limit")
    header = _parse_header(_read_exactly(sock, length))
    layout = _frame_layout(header.pop("frames", []), max_bytes=max_bytes)
    total = sum(frame[3] for frame in layout)
    if length + total > max_bytes:
        raise ProtocolError(f"message of {length + total} bytes is over the {max_bytes}-byte limit")
    data = _read_exactly(sock, total)
    arrays = []
    offset = 0
    for dtype, shape, count, padded in layout:
        arrays.append(_frame(data, dtype, shape, count, offset))
        offset += padded
    return header, arrays


def _parse_header(body: bytearray) -> dict[str, Any]:
    """The header's JSON object, refused when it is not UTF-8 JSON, nests too deeply or holds huge numbers."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError("header is not UTF-8 text") from None
    try:
        if text.startswith("\ufeff"):
            # What json.loads refuses before decoding.
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        # An integer longer than MAX_INT_DIGITS is a run of that many digits (or signs) at least: a text
        # without one is decoded without looking at each integer.
        long_run = _LONG_RUN in body.translate(_DIGITS_AS_ZEROS)
        header = (_HEADER_DECODER if long_run else _PLAIN_DECODER).decode(text)
    except RecursionError:
        raise ProtocolError("header nests too deeply") from None
    except ValueError as exc:
        # JSONDecodeError, and the integers _header_int refuses.
        raise ProtocolError(f"header is not JSON: {exc}") from None
    if not isinstance(header, dict):
        raise ProtocolError("header is not a JSON object")
    # Checked on the text once it is known to be valid JSON: then every quote opens or closes a string.
    if _too_deep(body):
        raise ProtocolError("header nests too deeply")
    return header


def _header_int(digits: str) -> int:
    if len(digits) > MAX_INT_DIGITS:
        raise ValueError("a number in it is too long")
    return int(digits)


# Made once: json.loads makes a decoder for every text it is given a parse_int for.
_HEADER_DECODER = json.JSONDecoder(parse_int=_header_int)
_PLAIN_DECODER = json.JSONDecoder()
_DIGITS_AS_ZEROS = bytes(ord("0") if byte in b"-0123456789" else ord(" ") for byte in range(256))
_LONG_RUN = b"0" * (MAX_INT_DIGITS + 1)


_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))


def _too_deep(body: bytes | bytearray) -> bool:
    """Whether the brackets of a valid JSON text nest deeper than MAX_HEADER_DEPTH (those in strings
    do not count)."""
    if body.count(b"[") + body.count(b"{") <= MAX_HEADER_DEPTH:
        return False
    brackets = np.frombuffer(_JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS), np.uint8)
    steps = np.where((brackets == ord("[")) | (brackets == ord("{")), 1, -1)
    return int(np.cumsum(steps).max(initial=0)) > MAX_HEADER_DEPTH


def _padding(size: int) -> int:
    """How many zero bytes follow a frame of ``size`` bytes, so that the next one starts aligned."""
    return -size % FRAME_ALIGNMENT


def _padded(size: int) -> int:
    return size + _padding(size)


def _frame_layout(frames: Any, *, max_bytes: int) -> list[tuple[np.dtype[Any], tuple[int, ...], int, int]]:
    """Each frame's dtype, shape, element count and padded size in bytes, from the header's
    descriptions (validated)."""
    if type(frames) is not list:
        raise ProtocolError("bad frame list")
    layout = []
    for frame in frames:
        if not (type(frame) is list and len(frame) == 2 and type(frame[1]) is list):
            raise ProtocolError("bad frame description")
        described, shape = frame
        dtype = DTYPES.get(described) if type(described) is str else None
        if dtype is None:
            shown = f"dtype {described[:20]!r}" if type(described) is str else "that dtype"
            raise ProtocolError(f"arrays of {shown} are not accepted")
        if len(shape) > MAX_DIMS:
            raise ProtocolError("bad frame shape")
        # Every dimension is checked before the products are looked at.
        count = nonzero = 1
        for n in shape:
            if type(n) is not int or not 0 <= n <= MAX_DIM:
                raise ProtocolError("bad frame shape")
            count *= n
            if n:
                nonzero *= n
        if nonzero > max_bytes:
            raise ProtocolError(f"a frame of that shape is over the {max_bytes}-byte limit")
        layout.append((dtype, tuple(shape), count, _padded(count * dtype.itemsize)))
    return layout


def _frame(
    data: bytearray, dtype: np.dtype[Any], shape: tuple[int, ...], count: int, offset: int
) -> np.ndarray:
    if count == 0:
        return np.zeros(shape, dtype=dtype)
    if dtype.kind == "b":
        # A bool is one byte that must be 0 or 1; any other byte is read as True, not kept as is.
        return np.ndarray(shape, np.uint8, data, offset).astype(bool)
    # Backed by the received buffer, which is writable: no copy (student code may update in place).
    return np.ndarray(shape, dtype, data, offset)


def _read_exactly(sock: socket.socket, size: int) -> bytearray:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(min(size - len(chunks), 1 << 20))
        if not chunk:
            raise EOFError("worker channel closed")
        chunks += chunk
    return chunks


# --- values: a tagged tree of JSON scalars, containers and array references -----------------------


def encode_value(value: Any, arrays: list[np.ndarray]) -> Any:
    """Turn a Python value into a JSON-able tree; arrays are appended to ``arrays`` and referenced.

    Tags: ``{"a": i}`` array frame i, ``{"t": [...]}`` tuple, ``{"l": [...]}`` list, ``{"d": {...}}`` dict
    with string keys, ``{"s": text}`` string, ``{"f": "nan"|"inf"|"-inf"}`` non-finite float,
    ``{"o": type name}`` anything else (reported, never reconstructed).
    """
    budget = [MAX_TREE_ITEMS]
    return _encode(value, arrays, budget, depth=0)


def _encode(value: Any, arrays: list[np.ndarray], budget: list[int], *, depth: int) -> Any:
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        return {"o": "too large"}
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, np.ndarray):
        if value.dtype.kind in ACCEPTED_DTYPE_KINDS:
            # A plain ndarray view of the data: a subclass's overrides never reach the wire.
            arrays.append(np.asarray(value).view(np.ndarray))
            return {"a": len(arrays) - 1}
        return {"o": f"ndarray of dtype {value.dtype}"}
    if isinstance(value, np.generic):
        if value.dtype.kind in ACCEPTED_DTYPE_KINDS:
            return _encode(value.item(), arrays, budget, depth=depth)
        return {"o": f"numpy {value.dtype}"}
    if isinstance(value, int):
        return value if abs(value) < 2**53 else float(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return {"f": "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}
    if isinstance(value, str):
        return {"s": value[:MAX_TEXT]}
    if isinstance(value, tuple | list):
        tag = "t" if isinstance(value, tuple) else "l"
        items = []
        for item in value:
            if budget[0] <= 0:
                # Stop walking at once: a huge nested list must not cost seconds to refuse.
                items.append({"o": "too large"})
                break
            items.append(_encode(item, arrays, budget, depth=depth + 1))
        return {tag: items}
    if isinstance(value, dict):
        entries = {}
        for key, item in value.items():
            if budget[0] <= 0:
                break
            entries[str(key)[:MAX_TEXT]] = _encode(item, arrays, budget, depth=depth + 1)
        return {"d": entries}
    return {"o": type(value).__name__[:MAX_TEXT]}


# encode_value makes at most MAX_TREE_ITEMS nodes, plus a "too large" marker in each list left open
# when its budget runs out; twice as many is a bound no tree of its making reaches.
MAX_DECODED_ITEMS = 2 * MAX_TREE_ITEMS
_NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def decode_value(tree: Any, arrays: Sequence[np.ndarray]) -> Any:
    """Rebuild a value from :func:`encode_value`'s tree, validating every tag.

    Raises :class:`ProtocolError`, and nothing else, for any tree that :func:`encode_value` could not
    have made: unknown tags, payloads of the wrong type, containers nested deeper than ``MAX_DEPTH``,
    more nodes than ``MAX_DECODED_ITEMS``.
    """
    return _decode(tree, arrays, [MAX_DECODED_ITEMS], depth=0)


def _decode(tree: Any, arrays: Sequence[np.ndarray], budget: list[int], *, depth: int) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise ProtocolError("value tree has too many items")
    if type(tree) is not dict:
        if tree is None or isinstance(tree, bool | int | float):
            return tree
        raise ProtocolError("malformed value tree")
    if len(tree) != 1:
        raise ProtocolError("malformed value tree")
    ((tag, payload),) = tree.items()
    if tag == "a":
        if type(payload) is not int or not 0 <= payload < len(arrays):
            raise ProtocolError("array reference out of range")
        return arrays[payload]
    if tag in ("t", "l", "d"):
        if depth > MAX_DEPTH:
            raise ProtocolError("value tree nests too deeply")
        # Refused before walking: a container too large for the budget must not cost a walk.
        if isinstance(payload, list | dict) and len(payload) > budget[0]:
            raise ProtocolError("value tree has too many items")
    if tag in ("t", "l"):
        if type(payload) is not list:
            raise ProtocolError("malformed sequence")
        items = [_decode(v, arrays, budget, depth=depth + 1) for v in payload]
        return tuple(items) if tag == "t" else items
    if tag == "d":
        if type(payload) is not dict:
            raise ProtocolError("malformed mapping")
        if not all(type(k) is str for k in payload):
            raise ProtocolError("malformed mapping key")
        return {k[:MAX_TEXT]: _decode(v, arrays, budget, depth=depth + 1) for k, v in payload.items()}
    if tag == "s":
        if type(payload) is not str:
            raise ProtocolError("malformed string")
        return payload[:MAX_TEXT]
    if tag == "f":
        if type(payload) is not str or payload not in _NON_FINITE:
            raise ProtocolError("malformed non-finite float")
        return _NON_FINITE[payload]
    if tag == "o":
        if type(payload) is not str:
            raise ProtocolError("malformed type name")
        return Opaque(payload[:MAX_TEXT])
    raise ProtocolError(f"unknown value tag {tag[:20]!r}" if isinstance(tag, str) else "unknown value tag")
