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
import socket
import struct
from collections.abc import Sequence
from typing import Any

import numpy as np

HEADER = struct.Struct(">Q")
# The page a loading worker shares with the grader: statements started so far, and the unit and line
# of the last one. Written before each statement, read only when the worker seems stuck: no message,
# no system call per statement.
PROGRESS = struct.Struct("=Iii")
MAX_HEADER_BYTES = 4 * 1024 * 1024
# Kinds of dtype a result may have: bool, signed/unsigned integers, floats. Object, string, void and
# complex arrays are refused: none is a legitimate answer and object arrays are the pickle door.
ACCEPTED_DTYPE_KINDS = frozenset("biuf")
MAX_TREE_ITEMS = 10_000
MAX_TEXT = 200
MAX_DIMS = 32
FRAME_ALIGNMENT = 8


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
    """Read one message; refuse it when it would exceed ``max_bytes`` in total."""
    (length,) = HEADER.unpack(_read_exactly(sock, HEADER.size))
    if length > min(max_bytes, MAX_HEADER_BYTES):
        raise ProtocolError(f"header of {length} bytes is over the limit")
    try:
        header = json.loads(_read_exactly(sock, length))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProtocolError(f"header is not JSON: {exc}") from None
    if not isinstance(header, dict):
        raise ProtocolError("header is not a JSON object")
    layout = _frame_layout(header.pop("frames", []))
    total = sum(_padded(count * dtype.itemsize) for dtype, _, count in layout)
    if length + total > max_bytes:
        raise ProtocolError(f"message of {length + total} bytes is over the {max_bytes}-byte limit")
    data = _read_exactly(sock, total)
    arrays = []
    offset = 0
    for dtype, shape, count in layout:
        arrays.append(_frame(data, dtype, shape, count, offset))
        offset += _padded(count * dtype.itemsize)
    return header, arrays


def _padding(size: int) -> int:
    """How many zero bytes follow a frame of ``size`` bytes, so that the next one starts aligned."""
    return -size % FRAME_ALIGNMENT


def _padded(size: int) -> int:
    return size + _padding(size)


def _frame_layout(frames: Any) -> list[tuple[np.dtype[Any], tuple[int, ...], int]]:
    """Each frame's dtype, shape and element count, from the header's descriptions (validated)."""
    if not isinstance(frames, list):
        raise ProtocolError("bad frame list")
    layout = []
    for frame in frames:
        if not (isinstance(frame, list) and len(frame) == 2 and isinstance(frame[1], list)):
            raise ProtocolError("bad frame description")
        dtype = DTYPES.get(frame[0]) if isinstance(frame[0], str) else None
        if dtype is None:
            raise ProtocolError(f"arrays of dtype {str(frame[0])[:20]!r} are not accepted")
        shape = frame[1]
        if len(shape) > MAX_DIMS or not all(type(n) is int and n >= 0 for n in shape):
            raise ProtocolError("bad frame shape")
        layout.append((dtype, tuple(shape), math.prod(shape)))
    return layout


def _frame(
    data: bytearray, dtype: np.dtype[Any], shape: tuple[int, ...], count: int, offset: int
) -> np.ndarray:
    if count == 0:
        return np.zeros(shape, dtype=dtype)
    if dtype.kind == "b":
        # A bool is one byte that must be 0 or 1; any other byte is read as True, not kept as is.
        return np.frombuffer(data, np.uint8, count, offset).reshape(shape).astype(bool)
    # Backed by the received buffer, which is writable: no copy (student code may update in place).
    return np.frombuffer(data, dtype, count, offset).reshape(shape)


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
    if budget[0] < 0 or depth > 8:
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


class Opaque:
    """A value the worker could not send as data (a class instance, a generator, ...)."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name}>"


def decode_value(tree: Any, arrays: Sequence[np.ndarray]) -> Any:
    """Rebuild a value from :func:`encode_value`'s tree, validating every tag."""
    if tree is None or isinstance(tree, bool | int | float):
        return tree
    if not isinstance(tree, dict) or len(tree) != 1:
        raise ProtocolError("malformed value tree")
    ((tag, payload),) = tree.items()
    if tag == "a":
        if not isinstance(payload, int) or not 0 <= payload < len(arrays):
            raise ProtocolError("array reference out of range")
        return arrays[payload]
    if tag in ("t", "l"):
        if not isinstance(payload, list):
            raise ProtocolError("malformed sequence")
        items = [decode_value(v, arrays) for v in payload]
        return tuple(items) if tag == "t" else items
    if tag == "d":
        if not isinstance(payload, dict):
            raise ProtocolError("malformed mapping")
        return {str(k): decode_value(v, arrays) for k, v in payload.items()}
    if tag == "s":
        return str(payload)[:MAX_TEXT]
    if tag == "f":
        return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}.get(str(payload), math.nan)
    if tag == "o":
        return Opaque(str(payload)[:MAX_TEXT])
    raise ProtocolError(f"unknown value tag {tag!r}")
