"""Loading workshops: a rubric TOML, the reference and known-mistake modules it names, validated whole
at load time (every error names its key path)."""

from __future__ import annotations

import importlib
import importlib.resources
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from grader.checks import CHECK_KINDS
from grader.conventions import Convention
from grader.errors import RubricError
from grader.rubric import DEFAULT_BUDGET_S, CheckSpec, HiddenCases, OptionSpec, Rubric, TaskSpec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib


# --- loading ---------------------------------------------------------------------------------------


def bundled_rubric_paths() -> list[Path]:
    """The rubrics shipped with the grader, sorted by file name."""
    root = importlib.resources.files("grader.rubrics")
    return sorted(Path(str(entry)) for entry in root.iterdir() if entry.name.endswith(".toml"))


def load_bundled_rubrics() -> list[Rubric]:
    return [load_rubric(path) for path in bundled_rubric_paths()]


def resolve_rubric(name_or_path: str) -> Rubric:
    """A rubric given as a bundled id (``xor``) or a path to a TOML file."""
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise RubricError(f"rubric file {name_or_path} does not exist")
        return load_rubric(path)
    for candidate in bundled_rubric_paths():
        if candidate.stem == name_or_path:
            return load_rubric(candidate)
    known = ", ".join(p.stem for p in bundled_rubric_paths())
    raise RubricError(f"unknown rubric {name_or_path!r}; bundled rubrics: {known}")


def load_rubric(path: Path) -> Rubric:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RubricError(f"{path}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise RubricError(f"{path}: not valid TOML ({exc})") from None
    return parse_rubric(data, source=str(path))


def parse_rubric(data: Mapping[str, Any], *, source: str) -> Rubric:
    """Validate a rubric's data; a problem raises :class:`RubricError` naming the offending key."""

    r = _Reader(data, f"{source}:")
    rubric_id = r.text("id")
    reference_name = r.text("reference")
    reference = _import(reference_name, f"{source}: reference")
    mistakes = r.opt_text("mistakes")
    mistakes_module = _import(mistakes, f"{source}: mistakes") if mistakes is not None else None
    generator = r.text("cases")
    generate = _resolve_callable(generator, default_module=reference_name, where=f"{source}: cases")
    timeout_s = r.positive("timeout_s", default=5.0)
    conventions = tuple(
        _convention(c, f"{source}: conventions[{i}]") for i, c in enumerate(r.items("conventions"))
    )
    if not conventions:
        raise RubricError(f"{source}: conventions: at least one convention is needed")
    public_cases = tuple(dict(c) for c in r.items("public_cases"))
    if not public_cases:
        raise RubricError(f"{source}: public_cases: at least one public case is needed")
    hidden = _hidden_cases(r.mapping("hidden_cases"), f"{source}: hidden_cases")
    tasks_data = r.items("tasks")
    if not tasks_data:
        raise RubricError(f"{source}: tasks: a rubric needs at least one task")
    tasks = tuple(
        _task(t, f"{source}: tasks[{i}]", reference=reference, timeout_s=timeout_s, kinds=CHECK_KINDS)
        for i, t in enumerate(tasks_data)
    )
    ids = [t.id for t in tasks]
    for task, where in zip(tasks, (f"{source}: tasks[{i}]" for i in range(len(tasks))), strict=True):
        for used in task.uses:
            if used not in ids:
                raise RubricError(f"{where}.uses: {used!r} is not a task of this rubric")
    if len(set(ids)) != len(ids):
        raise RubricError(f"{source}: tasks: duplicate task ids")
    rubric = Rubric(
        id=rubric_id,
        title=r.text("title"),
        path=source,
        reference=reference_name,
        mistakes=mistakes,
        generator=generator,
        seed=r.integer("seed"),
        lang=r.choice("lang", ("es", "en"), default="es"),
        timeout_s=timeout_s,
        budget_s=r.positive("budget_s", default=DEFAULT_BUDGET_S),
        conventions=conventions,
        public_cases=public_cases,
        hidden_cases=hidden,
        tasks=tasks,
        module=reference,
        generate=generate,
        mistakes_module=mistakes_module,
    )
    r.done()
    return rubric


def _task(
    data: Any, where: str, *, reference: ModuleType, timeout_s: float, kinds: Mapping[str, Any]
) -> TaskSpec:
    r = _Reader(data, where)
    task_id = r.text("id")
    reference_function = r.opt_text("reference") or task_id
    if not callable(getattr(reference, reference_function, None)):
        raise RubricError(f"{where}.reference: {reference.__name__} has no function {reference_function!r}")
    cost = r.opt_text("cost")
    if cost is not None and not callable(getattr(reference, cost, None)):
        raise RubricError(f"{where}.cost: {reference.__name__} has no function {cost!r}")
    task_timeout = r.positive("timeout_s", default=timeout_s)
    params = tuple(r.texts("params"))
    trains = tuple(r.texts("trains", default=[]))
    for name in trains:
        if name not in params:
            raise RubricError(f"{where}.trains: {name!r} is not one of the params")
    steps = r.opt_text("steps")
    rate = r.opt_text("rate")
    for key, value in (("steps", steps), ("rate", rate)):
        if value is not None and value not in params:
            raise RubricError(f"{where}.{key}: {value!r} is not one of the params")
    checks = tuple(
        _check(c, f"{where}.checks[{i}]", timeout_s=task_timeout, kinds=kinds)
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
        returns=tuple(r.texts("returns")),
        inputs=dict(r.mapping("inputs", default={})),
        trains=trains,
        steps=steps,
        rate=rate,
        cost=cost,
        uses=tuple(r.texts("uses", default=[])),
        checks=checks,
    )
    for check, i in zip(checks, range(len(checks)), strict=True):
        needs = kinds[check.kind].needs
        missing = [field for field in needs if not getattr(task, field)]
        if missing:
            raise RubricError(
                f"{where}.checks[{i}].kind: {check.kind!r} needs the task to set {', '.join(missing)}"
            )
    r.done()
    return task


def _check(data: Any, where: str, *, timeout_s: float, kinds: Mapping[str, Any]) -> CheckSpec:
    r = _Reader(data, where)
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
        options=_options(r, kinds[kind].options, where),
    )
    r.done()
    return spec


def _options(r: _Reader, specs: Mapping[str, OptionSpec], where: str) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for name, spec in specs.items():
        value = r.raw(name)
        if value is None:
            if spec.required:
                raise RubricError(f"{where}.{name}: required by this check kind")
            options[name] = spec.default
            continue
        if (isinstance(value, bool) and spec.type is not bool) or not isinstance(value, spec.type):
            expected = (
                spec.type.__name__
                if isinstance(spec.type, type)
                else " or ".join(t.__name__ for t in spec.type)
            )
            raise RubricError(f"{where}.{name}: expected {expected}, got {value!r}")
        if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
            raise RubricError(f"{where}.{name}: must not be negative, got {value!r}")
        options[name] = value
    return options


def _convention(data: Any, where: str) -> Convention:
    r = _Reader(data, where)
    convention = Convention(
        id=r.text("id"),
        transpose=r.flag("transpose", default=False),
        column_vectors=frozenset(r.texts("column_vectors", default=[])),
        note=r.opt_text("note"),
    )
    r.done()
    return convention


def _hidden_cases(data: Mapping[str, Any], where: str) -> HiddenCases:
    r = _Reader(data, where)
    count = r.integer("count")
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
    return HiddenCases(count=count, ranges=ranges)


def _import(name: str, where: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise RubricError(f"{where}: cannot import {name!r} ({exc})") from None


def _resolve_callable(spec: str, *, default_module: str, where: str) -> Callable[..., Any]:
    module_name, _, attribute = spec.rpartition(":") if ":" in spec else (default_module, ":", spec)
    function = getattr(_import(module_name, where), attribute, None)
    if not callable(function):
        raise RubricError(f"{where}: {module_name} has no function {attribute!r}")
    return function  # type: ignore[no-any-return]


class _Reader:
    """Typed access to one TOML table that remembers which keys were read, to reject unknown ones."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, Mapping):
            raise RubricError(f"{where} must be a table")
        self._data = data
        self._where = where
        self._seen: set[str] = set()

    def _key(self, key: str) -> str:
        return f"{self._where}{'' if self._where.endswith(':') else '.'}{key}"

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
