"""Loading workshops: a rubric TOML, the reference and known-mistake modules it names, validated whole
at load time (every error names its key path, and its line in the TOML)."""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.resources
import inspect
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from grader.checks import CHECK_KINDS, CheckKind
from grader.conventions import Convention
from grader.errors import RubricError
from grader.messages import CATALOGUE, LANGUAGES
from grader.rubric import DEFAULT_BUDGET_S, CheckSpec, HiddenCases, Rubric, TaskSpec
from grader.toml_lines import key_lines, line_of
from grader.workshop_modules import ModuleClash, folder_modules, register_folder
from reference.mistakes import Scaling, declared_hints, named_mistakes

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

RUBRIC_FILE = "rubric.toml"
"""The rubric of a workshop folder: a bundled or installed folder is found by this name."""
ENTRY_POINT_GROUP = "taller_grader.workshops"
"""Installed packages offer workshops here: each entry point loads to the path of a rubric TOML, or to a
callable returning such paths."""


# --- finding rubrics -------------------------------------------------------------------------------


def rubric_files(root: Path) -> list[Path]:
    """The rubrics in a folder: each ``*.toml`` in it and each sub-folder's ``rubric.toml``, by id."""
    found = [p for p in root.glob("*.toml") if p.is_file()]
    found += [p for p in root.glob(f"*/{RUBRIC_FILE}") if p.is_file()]
    return sorted(found, key=rubric_name)


def rubric_name(path: Path) -> str:
    """The id a rubric file is found by: its folder's name for a ``rubric.toml``, else its stem."""
    return path.parent.name if path.name == RUBRIC_FILE else path.stem


def bundled_rubric_paths() -> list[Path]:
    """The rubrics shipped with the grader (single files and workshop folders), sorted by id."""
    return rubric_files(Path(str(importlib.resources.files("grader.rubrics"))))


def installed_rubric_paths() -> list[Path]:
    """The rubrics installed packages offer through the ``taller_grader.workshops`` entry points."""
    found: list[Path] = []
    for entry in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        where = f"entry point {entry.name} = {entry.value!r} ({ENTRY_POINT_GROUP})"
        try:
            offered = entry.load()
            if callable(offered):
                offered = offered()
        except Exception as exc:
            raise RubricError(f"{where}: cannot be loaded ({type(exc).__name__}: {exc})") from None
        items = [offered] if isinstance(offered, str | os.PathLike) else offered
        if not isinstance(items, Iterable):
            raise RubricError(f"{where}: expected the path of a rubric TOML, or paths, got {offered!r}")
        for item in items:
            path = Path(item) if isinstance(item, str | os.PathLike) else None
            if path is None or path.suffix != ".toml" or not path.is_file():
                shown = str(path) if path is not None else repr(item)
                raise RubricError(f"{where}: {shown} is not the path of a rubric TOML file")
            found.append(path)
    return found


def load_bundled_rubrics() -> list[Rubric]:
    return [load_rubric(path) for path in bundled_rubric_paths()]


def resolve_rubric(name_or_path: str) -> Rubric:
    """A rubric given as an id (``xor``: bundled, then installed), a TOML file or a workshop folder."""
    path = Path(name_or_path)
    if path.is_dir() and (path / RUBRIC_FILE).is_file():
        return load_rubric(path / RUBRIC_FILE)
    if path.is_file():
        return load_rubric(path)
    if path.is_dir():
        raise RubricError(f"{name_or_path} is a folder without a {RUBRIC_FILE}")
    if path.suffix == ".toml" or os.sep in name_or_path or "/" in name_or_path:
        raise RubricError(f"rubric file {name_or_path} does not exist")
    for candidate in bundled_rubric_paths():
        if rubric_name(candidate) == name_or_path:
            return load_rubric(candidate)
    installed = installed_rubric_paths()
    for candidate in installed:
        if rubric_name(candidate) == name_or_path:
            return load_rubric(candidate)
    known = ", ".join(rubric_name(p) for p in bundled_rubric_paths())
    others = f"; installed: {', '.join(rubric_name(p) for p in installed)}" if installed else ""
    raise RubricError(f"unknown rubric {name_or_path!r}; bundled rubrics: {known}{others}")


# --- loading ---------------------------------------------------------------------------------------


def load_rubric(path: Path) -> Rubric:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RubricError(f"{path}: cannot be read ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RubricError(f"{path}: not valid TOML ({exc})") from None
    return parse_rubric(data, source=str(path), text=text)


def parse_rubric(data: Mapping[str, Any], *, source: str, text: str | None = None) -> Rubric:
    """Validate a rubric's data; a problem raises :class:`RubricError` naming the offending key.

    ``source`` is the rubric's file (files the rubric names are relative to its folder); with the
    file's ``text``, the error also gives the key's line: ``workshop/rubric.toml:12: tasks[1].cost: …``.
    """
    try:
        return _parse(data, Path(source))
    except RubricError as exc:
        message = str(exc)
        match = _KEY_PATH.match(message)
        line = line_of(key_lines(text), match.group(1)) if text is not None and match else None
        raise RubricError(f"{source}:{line}: {message}" if line else f"{source}: {message}") from None


# The key path an error message starts with: ``tasks[0].checks[1].rate: …``.
_KEY_PATH = re.compile(r"([A-Za-z0-9_-]+(?:\[\d+\])*(?:\.[A-Za-z0-9_-]+(?:\[\d+\])*)*): ")


def _parse(data: Mapping[str, Any], source: Path) -> Rubric:
    r = _Reader(data, "")
    rubric_id = r.text("id")
    modules = _Modules(source.resolve().parent if source.is_file() else source.parent.absolute())
    reference_name = r.text("reference")
    reference = modules.module(reference_name, "reference")
    mistakes = r.opt_text("mistakes")
    if mistakes is not None and not mistakes.strip():
        raise RubricError("mistakes: must not be empty (leave the key out for no known mistakes)")
    mistakes_module = modules.module(mistakes, "mistakes") if mistakes is not None else None
    generator = r.text("cases")
    generate = modules.function(generator, "cases", default=reference)
    timeout_s = r.positive("timeout_s", default=5.0)
    conventions = tuple(_convention(c, f"conventions[{i}]") for i, c in enumerate(r.items("conventions")))
    if not conventions:
        raise RubricError("conventions: at least one convention is needed")
    public_cases = tuple(_sizes(c, f"public_cases[{i}]") for i, c in enumerate(r.items("public_cases")))
    if not public_cases:
        raise RubricError("public_cases: at least one public case is needed")
    hidden = _hidden_cases(r.mapping("hidden_cases"), "hidden_cases")
    tasks_data = r.items("tasks")
    if not tasks_data:
        raise RubricError("tasks: a rubric needs at least one task")
    tasks = tuple(
        _task(t, f"tasks[{i}]", reference=reference, timeout_s=timeout_s, kinds=CHECK_KINDS)
        for i, t in enumerate(tasks_data)
    )
    ids = [t.id for t in tasks]
    for i, task in enumerate(tasks):
        for used in task.uses:
            if used not in ids:
                raise RubricError(f"tasks[{i}].uses: {used!r} is not a task of this rubric")
            # Helpers are graded first: only a helper graded before can stand in for itself.
            if ids.index(used) >= i:
                raise RubricError(f"tasks[{i}].uses: {used!r} must come before {task.id} among the tasks")
    if len(set(ids)) != len(ids):
        raise RubricError("tasks: duplicate task ids")
    _check_names(tasks)
    _check_conventions(conventions, tasks)
    hints = _check_mistakes(mistakes_module, tasks) if mistakes_module is not None else {}
    seed = r.integer("seed")
    if seed < 0:
        raise RubricError(f"seed: must not be negative, got {seed}")
    samples = _sample_cases(generate, generator, seed, public_cases, hidden)
    for where, values in samples:
        _check_case_values(values, where, tasks, reference)
    _check_reference_outputs(samples[0], tasks, reference)
    if mistakes_module is not None:
        _check_instances(mistakes_module, samples[0])
    rubric = Rubric(
        id=rubric_id,
        title=r.text("title"),
        path=str(source.resolve()) if source.is_file() else str(source),
        reference=reference_name,
        mistakes=mistakes,
        generator=generator,
        seed=seed,
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
        hints=hints,
        files=modules.files(source),
        folder=str(modules.folder) if modules.by_path else None,
    )
    r.done()
    return rubric


# --- the modules a rubric names ----------------------------------------------------------------------


@dataclass
class _Modules:
    """Imports what a rubric names: files relative to its folder (the workshop folder), or modules."""

    folder: Path
    by_path: bool = False
    _sources: dict[str, None] = field(default_factory=dict)

    @staticmethod
    def is_path(target: str) -> bool:
        """A file (``logistica.py``, ``./errores.py``, ``modelos/red.py``) rather than a module name."""
        return target.endswith(".py") or target.startswith(".") or "/" in target or "\\" in target

    def module(self, target: str, key: str) -> ModuleType:
        if not self.is_path(target):
            module = _import(target, key)
            self._add_source(module)
            return module
        try:
            file = (self.folder / target).resolve()
        except (OSError, ValueError) as exc:
            raise RubricError(f"{key}: {target!r} is not a usable path ({exc})") from None
        if file.suffix != ".py":
            raise RubricError(f"{key}: {target} is not a Python file (.py)")
        if not file.is_relative_to(self.folder):
            raise RubricError(
                f"{key}: {target} is outside the workshop folder {self.folder}: a workshop's files live "
                "beside its rubric (or in sub-folders of it)"
            )
        if not file.is_file():
            raise RubricError(f"{key}: {target} does not exist (in {file.parent})")
        self.by_path = True
        for folder in dict.fromkeys((self.folder, file.parent)):
            try:
                registered = register_folder(folder)
            except ModuleClash as exc:
                raise RubricError(f"{key}: {exc}") from None
            self._sources.update((str(path), None) for path in registered.values())
        module = _import(file.stem, key)
        loaded = getattr(module, "__file__", None)
        if loaded is None or Path(loaded).resolve() != file:
            raise RubricError(f"{key}: importing {file.stem!r} gives {loaded}, not {file}; rename the file")
        return module

    def function(self, spec: str, key: str, *, default: ModuleType) -> Callable[..., Any]:
        """``file.py:name``, ``module:name``, or a bare ``name`` in the ``default`` module."""
        target, _, attribute = spec.rpartition(":")
        module = self.module(target, key) if target else default
        function = getattr(module, attribute, None)
        if not callable(function):
            raise RubricError(f"{key}: {target or module.__name__} has no function {attribute!r}")
        return function  # type: ignore[no-any-return]

    def _add_source(self, module: ModuleType) -> None:
        origin = getattr(module, "__file__", None)
        if origin:
            self._sources[str(Path(origin).resolve())] = None

    def files(self, rubric: Path) -> tuple[str, ...]:
        """Everything loaded: the rubric, then each module file, without repeats."""
        first = str(rubric.resolve()) if rubric.is_file() else str(rubric)
        if self.by_path:
            # Every module of the workshop folder counts, imported now or not: grading may import more.
            self._sources.update((str(p), None) for p in folder_modules(self.folder).values())
        return (first, *sorted(name for name in self._sources if name != first))


def _import(name: str, where: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise RubricError(f"{where}: cannot import {name!r} ({exc})") from None
    except Exception as exc:  # the module's own code failed while importing: the workshop author's to fix
        raise RubricError(f"{where}: importing {name!r} failed ({type(exc).__name__}: {exc})") from None


def _check_mistakes(module: ModuleType, tasks: Sequence[TaskSpec]) -> dict[str, dict[str, str]]:
    """The mistakes module's ``HINTS``, validated, once its ``SCALINGS`` are well formed, every code it
    names has a hint and every function it names is a task's reference."""
    declared = declared_hints(module)
    where = f"mistakes: {module.__name__}.HINTS"
    if not isinstance(declared, Mapping):
        raise RubricError(f"{where}: expected a dict of diagnosis code → {{'es': ..., 'en': ...}}")
    hints: dict[str, dict[str, str]] = {}
    for code, texts in declared.items():
        if not isinstance(code, str) or not code.strip():
            raise RubricError(f"{where}: {code!r} is not a diagnosis code (a non-empty string)")
        if not isinstance(texts, Mapping) or set(texts) != set(LANGUAGES):
            found = sorted(map(str, texts)) if isinstance(texts, Mapping) else repr(texts)
            raise RubricError(
                f"{where}[{code!r}]: needs a hint in each of {', '.join(LANGUAGES)}; got {found}"
            )
        for lang in LANGUAGES:
            text = texts[lang]
            if not isinstance(text, str) or not text.strip():
                raise RubricError(f"{where}[{code!r}][{lang!r}]: expected a non-empty string, got {text!r}")
        hints[code] = {lang: texts[lang] for lang in LANGUAGES}
    scalings = getattr(module, "SCALINGS", {})
    if not isinstance(scalings, Mapping) or not all(
        isinstance(factors, tuple | list) and all(isinstance(f, Scaling) for f in factors)
        for factors in scalings.values()
    ):
        raise RubricError(f"mistakes: {module.__name__}.SCALINGS: expected a dict of function → (Scaling, …)")
    if scalings and not callable(getattr(module, "instances", None)):
        raise RubricError(
            f"mistakes: {module.__name__} has SCALINGS but no instances(values) giving a case's m"
        )
    functions = {task.reference for task in tasks}
    for function, codes in sorted(named_mistakes(module).items()):
        if function not in functions:
            raise RubricError(
                f"mistakes: {module.__name__} has mistakes of {function!r}, which is not the reference "
                f"function of any task ({', '.join(sorted(functions))})"
            )
        for code in sorted(codes):
            if code not in hints and f"diag.{code}" not in CATALOGUE:
                raise RubricError(
                    f"mistakes: {module.__name__} names the diagnosis code {code!r} (a mistake of "
                    f"{function}), which has no hint: add it to HINTS"
                )
    return hints


# --- what the cases must provide ---------------------------------------------------------------------


def _sizes(data: Any, where: str) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise RubricError(f"{where}: must be a table of sizes")
    return dict(data)


def _sample_cases(
    generate: Callable[..., Any],
    generator: str,
    seed: int,
    public_cases: Sequence[Mapping[str, Any]],
    hidden: HiddenCases,
) -> list[tuple[str, Mapping[str, Any]]]:
    """The generator's values on every public case and on both corners of the hidden ranges."""
    sizes: list[tuple[str, Mapping[str, Any]]] = [
        (f"public_cases[{i}]", case) for i, case in enumerate(public_cases)
    ]
    if hidden.count:
        sizes.append(("hidden_cases", {name: low for name, (low, _) in hidden.ranges.items()}))
    if hidden.count and hidden.ranges:
        sizes.append(("hidden_cases", {name: high for name, (_, high) in hidden.ranges.items()}))
    sampled = []
    for i, (where, case) in enumerate(sizes):
        shown = ", ".join(f"{name}={value!r}" for name, value in case.items()) or "no sizes"
        try:
            values = generate(np.random.default_rng([seed, i]), **case)
        except Exception as exc:
            raise RubricError(
                f"{where}: the case generator {generator} fails on {shown} ({type(exc).__name__}: {exc})"
            ) from None
        if not isinstance(values, Mapping) or not all(isinstance(k, str) for k in values):
            raise RubricError(
                f"{where}: the case generator {generator} returned {type(values).__name__} on {shown}, "
                "not a dict of named values"
            )
        sampled.append((where, values))
    return sampled


def _check_case_values(
    values: Mapping[str, Any], where: str, tasks: Sequence[TaskSpec], reference: ModuleType
) -> None:
    """Every value the tasks take from a case (params through ``inputs``, trained parameters, the
    cost's arguments) is one the case generator gives."""
    given = ", ".join(sorted(values))
    for i, task in enumerate(tasks):
        # A training task's steps and rate come from its checks, not from the case.
        from_checks = {task.steps, task.rate} if task.trains and task.steps and task.rate else set()
        needed = [
            (f"inputs.{param}" if param in task.inputs else "params", task.inputs.get(param, param))
            for param in task.params
            if param not in from_checks
        ]
        needed += [("trains", name) for name in task.trains]
        if task.cost is not None:
            cost = getattr(reference, task.cost)
            needed += [("cost", name) for name in _parameters(cost) if name not in task.trains]
        for key, name in needed:
            if name not in values:
                raise RubricError(
                    f"tasks[{i}].{key}: {task.id} needs the value {name!r}, which the case generator does "
                    f"not give on {where} (it gives {given})"
                )


def _check_reference_outputs(
    sample: tuple[str, Mapping[str, Any]], tasks: Sequence[TaskSpec], reference: ModuleType
) -> None:
    """Each task's reference function runs on the first case and gives one output per name in
    ``returns`` (the outputs are matched to those names by position)."""
    where, values = sample
    for i, task in enumerate(tasks):
        arguments = {name: _fresh(value) for name, value in values.items()}
        if task.trains and task.steps and task.rate:
            rates = [spec.options["rate"] for spec in task.checks if "rate" in spec.options]
            arguments.update({task.steps: 1, task.rate: rates[0] if rates else 0.01})
        function = getattr(reference, task.reference)
        try:
            result = function(*[arguments[task.inputs.get(param, param)] for param in task.params])
        except Exception as exc:
            raise RubricError(
                f"tasks[{i}].reference: {task.reference} fails on {where} ({type(exc).__name__}: {exc})"
            ) from None
        count = len(result) if isinstance(result, tuple) else 1
        if count != len(task.returns):
            raise RubricError(
                f"tasks[{i}].returns: names {len(task.returns)} output(s) but the reference "
                f"{task.reference} returns {count} on {where}"
            )


def _fresh(value: Any) -> Any:
    # A training reference may update its arguments in place: it gets copies.
    return value.copy() if isinstance(value, np.ndarray) else value


def _check_instances(module: ModuleType, sample: tuple[str, Mapping[str, Any]]) -> None:
    instances = getattr(module, "instances", None)
    if not callable(instances):
        return
    where, values = sample
    try:
        m = instances(values)
    except Exception as exc:
        raise RubricError(
            f"mistakes: {module.__name__}.instances fails on {where} ({type(exc).__name__}: {exc})"
        ) from None
    if isinstance(m, bool) or not isinstance(m, int | np.integer) or m < 1:
        raise RubricError(f"mistakes: {module.__name__}.instances gives {m!r} on {where}, not a count")


def _check_names(tasks: Sequence[TaskSpec]) -> None:
    """No name (as submissions are searched: ignoring case and underscores) finds two tasks."""
    owner: dict[str, str] = {}
    for i, task in enumerate(tasks):
        for name in task.names:
            loose = name.replace("_", "").lower()
            other = owner.setdefault(loose, task.id)
            if other != task.id:
                key = "id" if name == task.id else "aliases"
                raise RubricError(f"tasks[{i}].{key}: {name!r} would also find task {other}")


def _parameters(function: Callable[..., Any]) -> list[str]:
    try:
        return list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return []


def _check_conventions(conventions: Sequence[Convention], tasks: Sequence[TaskSpec]) -> None:
    names = {name for task in tasks for name in (*task.params, *task.returns)}
    ids = [convention.id for convention in conventions]
    for i, convention in enumerate(conventions):
        # Calls are remembered by convention id: two conventions with one id would share answers.
        if convention.id in ids[:i]:
            raise RubricError(f"conventions[{i}].id: {convention.id!r} is already a convention's id")
        for name in sorted(convention.column_vectors - names):
            raise RubricError(
                f"conventions[{i}].column_vectors: {name!r} is not a param or return of any task"
            )


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
        returns=returns,
        inputs=inputs,
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
        kinds[check.kind].validate(
            check.options, task=task, reference_module=reference, where=f"{where}.checks[{i}]"
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
        options=_options(r, kinds[kind], where),
    )
    if spec.options.get("cases") is not None:
        # A check's own cases replace the rubric's: a count of the rubric's cases would be ignored.
        for key in ("public", "hidden"):
            if getattr(spec, key) is not None:
                raise RubricError(f"{where}.{key}: a check with its own cases takes no {key} count")
    r.done()
    return spec


def _options(r: _Reader, kind: CheckKind, where: str) -> dict[str, Any]:
    """The kind's options, as the kind itself validates them (types, ranges, required ones)."""
    table = {name: r.raw(name) for name in kind.options}
    return kind.parse_options({name: value for name, value in table.items() if value is not None}, where)


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
    if count < 0:
        raise RubricError(f"{where}.count: must not be negative, got {count}")
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


class _Reader:
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
