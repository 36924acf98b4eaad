"""Tests for how the worker describes the student's callables after loading (``call_facts``)."""

from __future__ import annotations

import inspect
import textwrap
import types
from collections.abc import Callable
from typing import Any

import pytest

from grader.sandbox.worker import STUDENT_FILE_PREFIX, call_facts, last_line, student_function

# Every way a workshop function gets bound, and what a student (or an attack) may do to one.
SOURCE = textwrap.dedent(
    """
    import functools
    import inspect
    import numpy as np

    def plain(a, b, c=1, *args, d, e=2, **kw):
        return a

    def posonly(a, b=2, /, c=3):
        return a

    def noargs():
        return 1

    def keywords(*, x, y=2):
        return x

    def star(*args):
        return args

    def starstar(a, **kw):
        return a

    lam = lambda x, y=1: x
    lam2 = lambda: 0

    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            return fn(*args, **kwargs)
        return wrapper

    def bare(fn):
        def wrapper(*args, **kwargs):
            return fn(*args, **kwargs)
        return wrapper

    @deco
    def decorated(p, q=1):
        return p

    @bare
    def decorated_bare(p, q=1):
        return p

    @functools.lru_cache(maxsize=None)
    def cached(n, m=0):
        return n

    class Red:
        def feed(self, x, y=0):
            return x
        @staticmethod
        def stat(a, b):
            return a
        @classmethod
        def klass(cls, a, b=1):
            return a
        def __call__(self, z, *rest):
            return z
        half = functools.partialmethod(feed, 1)

    red = Red()
    feed = red.feed
    stat = Red.stat
    klass = Red.klass
    unbound = Red.feed
    half = red.half
    part = functools.partial(plain, 1)
    part_kw = functools.partial(plain, b=2)
    vec = np.vectorize(noargs)

    def gen(a, b=1):
        yield a

    async def coro(a, *, k=1):
        return a

    def nested(a):
        def inner(b):
            return (b +
                    1)
        return inner(
            a
        )

    def with_attribute(a, b=1):
        return a
    with_attribute.calls = 0

    def signature_none(a, b):
        return a
    signature_none.__signature__ = None

    def wrapped_by_hand(a, b):
        return a
    wrapped_by_hand.__wrapped__ = noargs

    def defaults_longer(a, b):
        return a
    defaults_longer.__defaults__ = (1, 2, 3, 4)

    def defaults_removed(a, b=3):
        return a
    defaults_removed.__defaults__ = None

    def empty_default(a, b=inspect.Parameter.empty, c=2):
        return a

    def code_swapped(a):
        return a
    code_swapped.__code__ = plain.__code__

    def keyword_name(a, b):
        return a
    keyword_name.__code__ = keyword_name.__code__.replace(co_varnames=("lambda", "b"))

    def posonly_keyword(a, /, b):
        return a
    posonly_keyword.__code__ = posonly_keyword.__code__.replace(co_varnames=("class", "b"))

    def implicit_name(a, b):
        return a
    implicit_name.__code__ = implicit_name.__code__.replace(co_varnames=(".0", "b"))

    def repeated_name(a, b):
        return a
    repeated_name.__code__ = repeated_name.__code__.replace(co_varnames=("a", "a"))

    def kwdefaults_set(a, *, b=1, c):
        return a
    kwdefaults_set.__kwdefaults__ = {"c": 5}

    class Defaults(dict):
        def get(self, key, default=None):
            raise RuntimeError("read through the student's own method")

    def kwdefaults_odd(a, *, b):
        return a
    kwdefaults_odd.__kwdefaults__ = Defaults()

    class Annotations(dict):
        def __iter__(self):
            raise RuntimeError("read through the student's own method")

        def keys(self):
            raise RuntimeError("read through the student's own method")

    def annotations_odd(a: int, b):
        return a
    annotations_odd.__annotations__ = Annotations(a=int)

    def annotated(a: undefined, b: "str" = "x", *c: int) -> Nope:
        return a
    """
)


def _loaded() -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "__main__"}
    exec(compile(SOURCE, f"{STUDENT_FILE_PREFIX}0>", "exec"), namespace)
    return namespace


def _is_students(function: types.FunctionType) -> bool:
    return function.__code__.co_filename.startswith(STUDENT_FILE_PREFIX)


def _inspected(value: Any, function: types.FunctionType) -> dict[str, Any] | None:
    """The facts as inspect.signature gives them, for every callable."""
    try:
        parameters = list(inspect.signature(value).parameters.values())
    except (TypeError, ValueError):
        return None
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return {
        "params": tuple(p.name for p in positional),
        "required": sum(1 for p in positional if p.default is p.empty),
        "varargs": any(p.kind is p.VAR_POSITIONAL for p in parameters),
        "line": function.__code__.co_firstlineno,
        "end_line": last_line(function.__code__),
    }


NAMESPACE = _loaded()
CALLABLES = sorted(
    name for name, value in NAMESPACE.items() if student_function(value, _is_students) is not None
)


def test_every_kind_of_callable_is_among_those_described() -> None:
    assert {"plain", "lam", "feed", "stat", "klass", "half", "part", "vec", "red", "cached"} <= set(CALLABLES)
    assert {"keyword_name", "implicit_name", "repeated_name", "kwdefaults_odd", "annotations_odd"} <= set(
        CALLABLES
    )


def _outcome(describe: Callable[[Any, types.FunctionType], dict[str, Any] | None], name: str) -> object:
    value = NAMESPACE[name]
    function = student_function(value, _is_students)
    assert function is not None
    try:
        return describe(value, function)
    except Exception as exc:
        return type(exc)


@pytest.mark.parametrize("name", CALLABLES)
def test_facts_are_those_of_the_callables_own_signature(name: str) -> None:
    assert _outcome(call_facts, name) == _outcome(_inspected, name)


def test_plain_functions_are_read_from_their_code(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(value: Any) -> inspect.Signature:
        raise AssertionError(f"{value!r} read by inspect.signature")

    facts = {name: _outcome(call_facts, name) for name in CALLABLES}
    monkeypatch.setattr(inspect, "signature", refused)

    for name in ("plain", "posonly", "noargs", "keywords", "star", "lam", "lam2", "gen", "coro", "annotated"):
        assert _outcome(call_facts, name) == facts[name]
    for name in ("feed", "part", "decorated", "with_attribute", "kwdefaults_odd", "annotations_odd"):
        with pytest.raises(AssertionError):
            call_facts(NAMESPACE[name], NAMESPACE[name])


def test_what_inspect_cannot_read_fails_as_it_fails_there() -> None:
    assert _outcome(call_facts, "kwdefaults_odd") is RuntimeError
    assert _outcome(call_facts, "annotations_odd") is RuntimeError
    assert _outcome(call_facts, "keyword_name") is None

    namespace = _loaded()
    blank = namespace["plain"]
    blank.__code__ = blank.__code__.replace(co_varnames=("", *blank.__code__.co_varnames[1:]))

    with pytest.raises(IndexError):
        inspect.signature(blank)
    with pytest.raises(IndexError):
        call_facts(blank, blank)


def test_facts_of_a_plain_function_and_its_defaults() -> None:
    assert call_facts(NAMESPACE["plain"], NAMESPACE["plain"]) == {
        "params": ("a", "b", "c"),
        "required": 2,
        "varargs": True,
        "line": 6,
        "end_line": 7,
    }
    assert call_facts(NAMESPACE["empty_default"], NAMESPACE["empty_default"])["required"] == 2
    assert call_facts(NAMESPACE["keyword_name"], NAMESPACE["keyword_name"]) is None
