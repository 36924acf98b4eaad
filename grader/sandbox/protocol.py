"""The wire format between the grader and a worker: a JSON header plus raw ``.npy`` frames.

A message is ``8-byte big-endian header length | header JSON | frame bytes ...``; the header lists the
length of every frame. Arrays travel as ``.npy`` bytes and are read back with ``allow_pickle=False``,
so nothing a worker sends can execute code in the grader. Python values travel as a small tagged tree
(see :func:`encode_value`), never as pickles.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import re
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


class ProtocolError(Exception):
    """The peer sent something that is not a well-formed message (or sent too much)."""


def send_message(sock: socket.socket, header: dict[str, Any], arrays: Sequence[np.ndarray] = ()) -> None:
    frames = [_npy_bytes(a) for a in arrays]
    body = json.dumps({**header, "frames": [len(f) for f in frames]}, allow_nan=True).encode()
    # One write: the peer wakes up once per message, not once per frame.
    sock.sendall(b"".join((HEADER.pack(len(body)), body, *frames)))


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
    frames = header.pop("frames", [])
    if not isinstance(frames, list) or not all(isinstance(n, int) and n >= 0 for n in frames):
        raise ProtocolError("bad frame list")
    if length + sum(frames) > max_bytes:
        raise ProtocolError(f"message of {length + sum(frames)} bytes is over the {max_bytes}-byte limit")
    data = _read_exactly(sock, sum(frames))
    offsets = [0, *itertools.accumulate(frames)]
    return header, [_load_npy(data[start:end]) for start, end in itertools.pairwise(offsets)]


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(min(size - len(chunks), 1 << 20))
        if not chunk:
            raise EOFError("worker channel closed")
        chunks += chunk
    return bytes(chunks)


# The .npy header numpy itself writes for a plain C-ordered array; read without numpy's header parser
# (which evaluates a Python literal: slow enough to matter for thousands of small arrays per second).
_NPY_MAGIC = b"\x93NUMPY\x01\x00"
_NPY_HEADER = re.compile(
    rb"\{'descr': '([<>|][biuf][1248])', 'fortran_order': False, 'shape': \(((?:\d+, )*\d*|\d+,)\), \} *\n"
)


def _npy_bytes(array: np.ndarray) -> bytes:
    array = np.asarray(array, order="C")
    if array.dtype.kind in ACCEPTED_DTYPE_KINDS and array.dtype.str[1:] in _SIMPLE_ITEMS:
        shape = ", ".join(str(n) for n in array.shape) + ("," if array.ndim == 1 else "")
        header = f"{{'descr': '{array.dtype.str}', 'fortran_order': False, 'shape': ({shape}), }}"
        header += " " * (63 - (len(_NPY_MAGIC) + 2 + len(header)) % 64) + "\n"
        return _NPY_MAGIC + struct.pack("<H", len(header)) + header.encode("latin-1") + array.tobytes()
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


_SIMPLE_ITEMS = frozenset(f"{k}{n}" for k in "biuf" for n in (1, 2, 4, 8))


def _load_npy(data: bytes) -> np.ndarray:
    fast = _load_plain_npy(data)
    if fast is not None:
        return fast
    try:
        array = np.load(io.BytesIO(data), allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise ProtocolError(f"frame is not a plain .npy array: {exc}") from None
    if not isinstance(array, np.ndarray) or type(array) is not np.ndarray:
        raise ProtocolError("frame is not a plain ndarray")
    if array.dtype.kind not in ACCEPTED_DTYPE_KINDS:
        raise ProtocolError(f"arrays of dtype {array.dtype} are not accepted")
    return array


def _load_plain_npy(data: bytes) -> np.ndarray | None:
    """The array of a version-1 .npy frame of a plain numeric dtype; None for anything else."""
    if not data.startswith(_NPY_MAGIC) or len(data) < 10:
        return None
    (size,) = struct.unpack_from("<H", data, 8)
    match = _NPY_HEADER.fullmatch(data, 10, 10 + size)
    if match is None:
        return None
    dtype = np.dtype(match.group(1).decode("ascii"))
    shape = tuple(int(n) for n in match.group(2).decode("ascii").replace(",", " ").split())
    body = memoryview(data)[10 + size :]
    if len(body) != dtype.itemsize * math.prod(shape):
        raise ProtocolError("frame size does not match its shape")
    return np.frombuffer(body, dtype=dtype).reshape(shape).copy()


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
