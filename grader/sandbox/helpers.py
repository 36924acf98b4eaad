"""Reference helpers computed by the grader for a worker that needs them in place of the student's own.

When a training loop is graded, a helper the student got wrong (``feedForward``, ``backProp``) is
replaced by the reference so that the loop is judged on its own. The reference never enters the
worker: the stand-in there sends its arguments here, and gets the reference's result back in the
student's layout. Arguments come from student code, so their size is bounded and any failure is
answered as an exception for the student's code to see.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from grader.conventions import Convention
from grader.sandbox.protocol import Opaque, ProtocolError, decode_value, encode_value

# Far above any workshop problem, far below what would stall the grader.
MAX_ELEMENTS = 1_000_000


class _Helper:
    def __init__(self, spec: Mapping[str, Any]) -> None:
        module_name, _, attribute = str(spec["target"]).partition(":")
        self.target: Callable[..., Any] = getattr(importlib.import_module(module_name), attribute)
        self.params = list(inspect.signature(self.target).parameters)
        self.convention = Convention.from_json(dict(spec["convention"]))
        self.outputs = [str(o) for o in spec.get("outputs", [])]

    def __call__(self, student_params: Sequence[str], arguments: Sequence[tuple[str, Any]]) -> Any:
        """The reference's answer for arguments given the way the student's function takes them.

        Matched to the reference's parameters by name when the student used the same names (in any
        order), else by position; arrays converted between the two layouts both ways.
        """
        values = {k.lower(): v for k, v in arguments}
        if {p.lower() for p in self.params} <= {p.lower() for p in student_params}:
            ordered = [values[p.lower()] for p in self.params]
        else:
            ordered = [v for _, v in arguments][: len(self.params)]
        converted = [
            self.convention.from_student(p, np.asarray(v, dtype=float) if isinstance(v, list) else v)
            for p, v in zip(self.params, ordered, strict=False)
        ]
        with np.errstate(all="ignore"):
            result = self.target(*converted)
        if isinstance(result, tuple):
            names = self.outputs or [""] * len(result)
            return tuple(self.convention.to_student(n, r) for n, r in zip(names, result, strict=False))
        return self.convention.to_student(self.outputs[0] if self.outputs else "", result)


class ReferenceHelpers:
    """Answers a worker's ``{"op": "helper"}`` requests for the substitutes of one call."""

    def __init__(self, substitutes: Sequence[Mapping[str, Any]]) -> None:
        self._helpers = {str(spec["name"]): _Helper(spec) for spec in substitutes}

    def __call__(
        self, request: dict[str, Any], arrays: list[np.ndarray]
    ) -> tuple[dict[str, Any], list[np.ndarray]]:
        helper = self._helpers.get(str(request.get("name")))
        if helper is None:
            raise ProtocolError(f"no reference helper {request.get('name')!r}")
        if sum(a.size for a in arrays) > MAX_ELEMENTS:
            return _error("ValueError", "arrays too large for the reference helper"), []
        try:
            params = [str(p) for p in request.get("params", [])]
            arguments = [(str(k), decode_value(v, arrays)) for k, v in request.get("arguments", [])]
        except (TypeError, ValueError) as exc:
            raise ProtocolError(f"malformed helper request: {exc}") from None
        if any(isinstance(v, Opaque) for _, v in arguments):
            return _error("TypeError", "the reference helper takes arrays and numbers only"), []
        try:
            value = helper(params, arguments)
        except Exception as exc:  # the student's arguments made the reference fail: their code sees it
            return _error(type(exc).__name__, str(exc)), []
        out: list[np.ndarray] = []
        return {"status": "ok", "value": encode_value(value, out)}, out


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"status": "error", "type": kind, "message": message[:500]}
