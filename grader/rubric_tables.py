"""Reading a rubric's TOML tables into the rubric model: types, ranges and unknown keys, each error
naming its key path."""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any

from grader.cases import distinct_sizes
from grader.checks import CheckKind
from grader.conventions import Convention
from grader.errors import RubricError
from grader.messages import LANGUAGES
from grader.rubric import CheckSpec, HiddenCases, RubricTexts, TaskSpec, TaskTexts


def read_sizes(data: Any, where: str) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise RubricError(f"{where}: must be a table of sizes")
    return dict(data)


def read_task(
    data: Any, where: str, *, reference: ModuleType, timeout_s: float, kinds: Mapping[str, Any]
) -> TaskSpec:
    r = TableReader(data, where)
    task_id = r.text("id")
    reference_function = r.opt_text("reference") or task_id
    if not callable(getattr(reference, reference_function, None)):
        raise RubricError(f"{where}.reference: {reference.__name__} has no function {reference_function!r}")
    cost = r.opt_text("cost")
    if cost is not None and not callable(getattr(reference, cost, None)):
        raise RubricError(f"{where}.cost: {reference.__name__} has no function {cost!r}")
    task_timeout = r.positive("timeout_s", default=timeout_s)
    params = tuple(r.texts("params"))
    if len(set(params)) != len(params):
        raise RubricError(f"{where}.params: a name appears twice in {list(params)}")
    try:
        inspect.signature(getattr(reference, reference_function)).bind(*params)
    except TypeError as exc:
        raise RubricError(
            f"{where}.params: the reference {reference_function} cannot be called with the "
            f"{len(params)} params {', '.join(params)} ({exc})"
        ) from None
    except ValueError:  # no signature to read (a builtin): it is called as it is
        pass
    inputs = dict(r.mapping("inputs", default={}))
    for param, value in inputs.items():
        if param not in params:
            raise RubricError(f"{where}.inputs.{param}: {param!r} is not one of the params")
        if not isinstance(value, str) or not value:
            raise RubricError(f"{where}.inputs.{param}: expected the name of a case value, got {value!r}")
    returns = tuple(r.texts("returns"))
    if not returns or len(set(returns)) != len(returns):
        raise RubricError(f"{where}.returns: expected the distinct names of the reference's outputs")
    trains = tuple(r.texts("trains", default=[]))
    for name in trains:
        if name not in params:
            raise RubricError(f"{where}.trains: {name!r} is not one of the params")
        # The reference's trained value is read from its outputs by this name.
        if name not in returns:
            raise RubricError(f"{where}.trains: {name!r} is not one of the returns")
    steps = r.opt_text("steps")
    rate = r.opt_text("rate")
    for key, value in (("steps", steps), ("rate", rate)):
        if value is not None and value not in params:
            raise RubricError(f"{where}.{key}: {value!r} is not one of the params")
    checks = tuple(
        read_check(c, f"{where}.checks[{i}]", timeout_s=task_timeout, kinds=kinds)
        for i, c in enumerate(r.items("checks"))
    )
    if not checks:
        raise RubricError(f"{where}.checks: a task needs at least one check")
    if len({c.id for c in checks}) != len(checks):
        raise RubricError(f"{where}.checks: duplicate check ids")
    task = TaskSpec(
        id=task_id,
        aliases=tuple(r.texts("aliases", default=[])),
        reference=reference_function,
        params=params,
        returns=returns,
        inputs=inputs,
        trains=trains,
        steps=steps,
        rate=rate,
        cost=cost,
        uses=tuple(r.texts("uses", default=[])),
        checks=checks,
        texts=read_task_texts(r.raw("texts"), f"{where}.texts", params=params, returns=returns),
    )
    for check, i in zip(checks, range(len(checks)), strict=True):
        needs = kinds[check.kind].needs
        missing = [field for field in needs if not getattr(task, field)]
        if missing:
            raise RubricError(
                f"{where}.checks[{i}].kind: {check.kind!r} needs the task to set {', '.join(missing)}"
            )
        kinds[check.kind].validate(
            check.options, task=task, reference_module=reference, where=f"{where}.checks[{i}]"
        )
    r.done()
    return task


def read_rubric_texts(data: Any, where: str) -> dict[str, RubricTexts]:
    """``[texts.es]``, ``[texts.en]``: a workshop's title and instructions, in every language or none."""
    if data is None:
        return {}
    r = TableReader(data, where)
    texts = {}
    for lang in _languages(r, where):
        table = TableReader(r.raw(lang), f"{where}.{lang}")
        texts[lang] = RubricTexts(title=table.text("title"), intro=table.opt_text("intro") or "")
        table.done()
    r.done()
    return texts


def read_task_texts(
    data: Any, where: str, *, params: Sequence[str], returns: Sequence[str]
) -> dict[str, TaskTexts]:
    """``[tasks.texts.es]``: what the function does (``description``) and what each of its ``params`` and
    ``returns`` is, every one of them described, in every language or none."""
    if data is None:
        return {}
    r = TableReader(data, where)
    texts = {}
    for lang in _languages(r, where):
        table = TableReader(r.raw(lang), f"{where}.{lang}")
        texts[lang] = TaskTexts(
            description=table.text("description"),
            params=_described(table, "params", params, f"{where}.{lang}"),
            returns=_described(table, "returns", returns, f"{where}.{lang}"),
        )
        table.done()
    r.done()
    return texts


def _languages(r: TableReader, where: str) -> tuple[str, ...]:
    """The languages a texts table must give: all of them (a starting notebook exists in each)."""
    missing = [lang for lang in LANGUAGES if r.raw(lang) is None]
    if missing:
        raise RubricError(
            f"{where}: missing {', '.join(missing)} (texts are given in every language: "
            f"{', '.join(LANGUAGES)})"
        )
    return LANGUAGES


def _described(table: TableReader, key: str, names: Sequence[str], where: str) -> dict[str, str]:
    """A table giving a non-empty text for each of ``names``, and for nothing else."""
    described = table.mapping(key)
    for name, text in described.items():
        if name not in names:
            raise RubricError(
                f"{where}.{key}.{name}: {name!r} is not one of the task's {key} ({', '.join(names)})"
            )
        if not isinstance(text, str) or not text.strip():
            raise RubricError(f"{where}.{key}.{name}: expected a non-empty string, got {text!r}")
    missing = [name for name in names if name not in described]
    if missing:
        raise RubricError(
            f"{where}.{key}: missing {', '.join(missing)} (every one of the task's {key} is described)"
        )
    return {name: described[name] for name in names}


def read_check(data: Any, where: str, *, timeout_s: float, kinds: Mapping[str, Any]) -> CheckSpec:
    r = TableReader(data, where)
    kind = r.text("kind")
    if kind not in kinds:
        raise RubricError(
            f"{where}.kind: unknown check kind {kind!r}; known kinds: {', '.join(sorted(kinds))}"
        )
    spec = CheckSpec(
        id=r.text("id"),
        kind=kind,
        points=r.non_negative("points"),
        public=r.opt_integer("public"),
        hidden=r.opt_integer("hidden"),
        timeout_s=r.positive("timeout_s", default=timeout_s),
        options=read_options(r, kinds[kind], where),
    )
    if spec.options.get("cases") is not None:
        # A check's own cases replace the rubric's: a count of the rubric's cases would be ignored.
        for key in ("public", "hidden"):
            if getattr(spec, key) is not None:
                raise RubricError(f"{where}.{key}: a check with its own cases takes no {key} count")
    r.done()
    return spec


def read_options(r: TableReader, kind: CheckKind, where: str) -> dict[str, Any]:
    """The kind's options, as the kind itself validates them (types, ranges, required ones)."""
    table = {name: r.raw(name) for name in kind.options}
    return kind.parse_options({name: value for name, value in table.items() if value is not None}, where)


def read_convention(data: Any, where: str) -> Convention:
    r = TableReader(data, where)
    convention = Convention(
        id=r.text("id"),
        transpose=r.flag("transpose", default=False),
        column_vectors=frozenset(r.texts("column_vectors", default=[])),
        note=r.opt_text("note"),
    )
    r.done()
    return convention


def read_hidden_cases(data: Mapping[str, Any], where: str) -> HiddenCases:
    r = TableReader(data, where)
    count = r.integer("count")
    if count < 0:
        raise RubricError(f"{where}.count: must not be negative, got {count}")
    distinct = tuple(r.texts("distinct", default=[]))
    ranges: dict[str, tuple[int, int]] = {}
    for name in list(r.remaining()):
        value = r.raw(name)
        if not (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            and 1 <= value[0] <= value[1]
        ):
            raise RubricError(
                f"{where}.{name}: expected a range [low, high] of positive integers, got {value!r}"
            )
        ranges[name] = (value[0], value[1])
    for name in distinct:
        if name not in ranges:
            raise RubricError(f"{where}.distinct: {name!r} is not one of the ranges ({', '.join(ranges)})")
    if len(set(distinct)) != len(distinct):
        raise RubricError(f"{where}.distinct: a size is named twice")
    if distinct_sizes({name: ranges[name] for name in distinct}) is None:
        raise RubricError(f"{where}.distinct: the ranges are too narrow for {', '.join(distinct)} to differ")
    return HiddenCases(count=count, ranges=ranges, distinct=distinct)


class TableReader:
    """Typed access to one TOML table that remembers which keys were read, to reject unknown ones."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, Mapping):
            raise RubricError(f"{where or 'the rubric'}: must be a table")
        self._data = data
        self._where = where
        self._seen: set[str] = set()

    def _key(self, key: str) -> str:
        return f"{self._where}.{key}" if self._where else key

    def raw(self, key: str) -> Any:
        self._seen.add(key)
        return self._data.get(key)

    def remaining(self) -> Sequence[str]:
        return [k for k in self._data if k not in self._seen]

    def _typed(self, key: str, kind: type | tuple[type, ...], label: str, default: Any = ...) -> Any:
        value = self.raw(key)
        if value is None:
            if default is ...:
                raise RubricError(f"{self._key(key)}: missing (expected {label})")
            return default
        if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
            raise RubricError(f"{self._key(key)}: expected {label}, got {value!r}")
        return value

    def text(self, key: str) -> str:
        value: str = self._typed(key, str, "a string")
        if not value.strip():
            raise RubricError(f"{self._key(key)}: must not be empty")
        return value

    def opt_text(self, key: str) -> str | None:
        value: str | None = self._typed(key, str, "a string", default=None)
        return value

    def integer(self, key: str) -> int:
        value: int = self._typed(key, int, "an integer")
        return value

    def opt_integer(self, key: str) -> int | None:
        value: int | None = self._typed(key, int, "an integer", default=None)
        if value is not None and value < 0:
            raise RubricError(f"{self._key(key)}: must not be negative, got {value}")
        return value

    def flag(self, key: str, *, default: bool) -> bool:
        value: bool = self._typed(key, bool, "true or false", default=default)
        return value

    def non_negative(self, key: str) -> float:
        value = float(self._typed(key, (int, float), "a number"))
        if value < 0:
            raise RubricError(f"{self._key(key)}: must not be negative, got {value:g}")
        return value

    def positive(self, key: str, *, default: float) -> float:
        value = float(self._typed(key, (int, float), "a number", default=default))
        if value <= 0:
            raise RubricError(f"{self._key(key)}: must be positive, got {value:g}")
        return value

    def choice(self, key: str, choices: Sequence[str], *, default: str) -> str:
        value: str = self._typed(key, str, "a string", default=default)
        if value not in choices:
            raise RubricError(f"{self._key(key)}: expected one of {', '.join(choices)}, got {value!r}")
        return value

    def items(self, key: str) -> list[Any]:
        value: list[Any] = self._typed(key, list, "a list", default=[])
        return value

    def texts(self, key: str, *, default: list[str] | None = None) -> list[str]:
        value = self._typed(key, list, "a list of strings", default=... if default is None else default)
        if not all(isinstance(v, str) and v for v in value):
            raise RubricError(f"{self._key(key)}: expected a list of non-empty strings, got {value!r}")
        return list(value)

    def mapping(self, key: str, *, default: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        value: Mapping[str, Any] = self._typed(
            key, dict, "a table", default=... if default is None else default
        )
        return value

    def done(self) -> None:
        unknown = self.remaining()
        if unknown:
            raise RubricError(f"{self._key(unknown[0])}: unknown key")
