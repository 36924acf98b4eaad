"""Reference helpers computed by the grader for a worker that needs them in place of the student's own.

When a training loop is graded, a helper the student got wrong (``feedForward``, ``backProp``) is
replaced by the reference so that the loop is judged on its own. The reference never enters the
worker: the stand-in there sends its arguments here, and gets the reference's result back in the
student's layout. Arguments come from student code: the grader computes on them only when every array
is no larger than what the student's function was itself given (see :class:`ArgumentBounds`), and any
failure is answered as an exception for the student's code to see.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.calls import Opaque, Substitute
from grader.sandbox.protocol import ProtocolError, decode_value, encode_value

# Far above any workshop problem, far below what would stall the grader.
MAX_ELEMENTS = 1_000_000


@dataclass(frozen=True)
class ArgumentBounds:
    """How large a stand-in's array arguments may be: the call's own arrays, give or take a row.

    Bounding each dimension and the number of dimensions bounds what the reference computes: arrays
    that broadcast to a cube (``(N, 1, 1) * (1, N, 1) * (1, 1, N)``) or stack many cases into one are
    refused, while a bias row or column added to an input (one more than the call's largest dimension)
    still passes.
    """

    ndim: int
    dim: int

    @classmethod
    def of(cls, args: Sequence[Any]) -> ArgumentBounds:
        arrays = [np.shape(a) for a in args if isinstance(a, np.ndarray | list)]
        return cls(
            ndim=max([2, *(len(shape) for shape in arrays)]),
            dim=max([1, *(max(shape, default=1) for shape in arrays)]) + 1,
        )

    def refuses(self, value: Any) -> str | None:
        """Why ``value`` (an argument, possibly nested) is too large; None when it is within bounds."""
        if isinstance(value, np.ndarray):
            return self._shape(value.shape)
        if isinstance(value, list):
            # A nested list becomes an array in the reference: judge the array it would become.
            try:
                return self._shape(np.shape(value))
            except ValueError:
                pass
        if isinstance(value, tuple | list):
            for item in value:
                if (problem := self.refuses(item)) is not None:
                    return problem
        return None

    def _shape(self, shape: tuple[int, ...]) -> str | None:
        if len(shape) > self.ndim or any(n > self.dim for n in shape):
            return (
                f"an argument of shape {shape} is larger than any array of this case"
                f" (at most {self.ndim} dimensions of at most {self.dim})"
            )
        return None


class _Helper:
    def __init__(self, substitute: Substitute) -> None:
        self.target = substitute.function
        self.params = list(inspect.signature(self.target).parameters)
        self.convention = substitute.convention
        self.outputs = list(substitute.outputs)

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

    def __init__(self, substitutes: Sequence[Substitute], *, bounds: ArgumentBounds) -> None:
        self._helpers = {substitute.name: _Helper(substitute) for substitute in substitutes}
        self._bounds = bounds

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
        for _, value in arguments:
            if (problem := self._bounds.refuses(value)) is not None:
                return _error("ValueError", problem), []
        try:
            value = helper(params, arguments)
        except Exception as exc:  # the student's arguments made the reference fail: their code sees it
            return _error(type(exc).__name__, str(exc)), []
        out: list[np.ndarray] = []
        return {"status": "ok", "value": encode_value(value, out)}, out


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"status": "error", "type": kind, "message": message[:500]}
