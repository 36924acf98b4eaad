"""Loading workshops: a rubric TOML, the reference and known-mistake modules it names, validated whole
at load time (every error names its key path, and its line in the TOML)."""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.resources
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from grader.checks import CHECK_KINDS
from grader.errors import RubricError
from grader.rubric import DEFAULT_BUDGET_S, Rubric
from grader.rubric_tables import (
    TableReader,
    read_convention,
    read_hidden_cases,
    read_rubric_texts,
    read_sizes,
    read_task,
)
from grader.toml_lines import key_lines, line_of
from grader.workshop_checks import (
    check_case_values,
    check_conventions,
    check_instances,
    check_mistakes,
    check_mistakes_leave_inputs,
    check_names,
    check_reference_outputs,
    sample_cases,
)
from grader.workshop_modules import ModuleClash, folder_modules, register_folder

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


RUBRIC_RULE = (
    "A bare id (xor) names a bundled rubric, else an installed one; anything written as a path "
    "(./xor, xor/, ../x.toml, a name ending in .toml) is a rubric TOML or a workshop folder holding a "
    "rubric.toml. A bare word that is a rubric id and also a rubric here is an error naming both."
)
"""How ``--rubric`` reads its value; the CLI help and the docs state the same rule."""


def resolve_rubric(name_or_path: str) -> Rubric:
    """A rubric given as an id or a path, read by :data:`RUBRIC_RULE`."""
    return load_rubric(rubric_path(name_or_path))


def rubric_path(name_or_path: str) -> Path:
    """The rubric file ``--rubric`` names (see :data:`RUBRIC_RULE`).

    A folder called like a rubric (``xor/`` holding the students' notebooks) does not hide the bundled
    ``xor``: only a folder with a ``rubric.toml``, or a file, competes with an id, and then neither wins.
    """
    if _written_as_path(name_or_path):
        return _local_rubric(Path(name_or_path), name_or_path)
    local = Path(name_or_path)
    candidate = local / RUBRIC_FILE if local.is_dir() else local
    here = candidate if candidate.is_file() else None
    by_id = _rubric_by_id(name_or_path)
    if by_id is not None and here is not None and by_id.resolve() != here.resolve():
        raise RubricError(
            f"--rubric {name_or_path} is ambiguous: it is the id of the rubric {by_id} and also the rubric "
            f"{here} in this directory. Write ./{name_or_path} for the one here, or the other's path "
            f"({by_id}) for the {'bundled' if by_id in bundled_rubric_paths() else 'installed'} one."
        )
    if by_id is not None:
        return by_id
    if here is not None:
        return here
    if local.is_dir():
        raise RubricError(f"{name_or_path} is a folder without a {RUBRIC_FILE}, and no rubric has that id")
    known = ", ".join(rubric_name(p) for p in bundled_rubric_paths())
    installed = installed_rubric_paths()
    others = f"; installed: {', '.join(rubric_name(p) for p in installed)}" if installed else ""
    raise RubricError(f"unknown rubric {name_or_path!r}; bundled rubrics: {known}{others}")


def _written_as_path(text: str) -> bool:
    return (
        text.endswith(".toml")
        or text.startswith(".")
        or "/" in text
        or os.sep in text
        or (os.altsep is not None and os.altsep in text)
    )


def _local_rubric(path: Path, given: str) -> Path:
    if path.is_dir():
        if (path / RUBRIC_FILE).is_file():
            return path / RUBRIC_FILE
        raise RubricError(f"{given} is a folder without a {RUBRIC_FILE}")
    if not path.is_file():
        raise RubricError(f"rubric file {given} does not exist")
    return path


def _rubric_by_id(name: str) -> Path | None:
    """The bundled rubric with this id, else the installed one. A bundled id never loads the installed
    workshops: a broken package does not stop a course that uses the bundled rubrics."""
    for candidate in bundled_rubric_paths():
        if rubric_name(candidate) == name:
            return candidate
    for candidate in installed_rubric_paths():
        if rubric_name(candidate) == name:
            return candidate
    return None


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
    r = TableReader(data, "")
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
    conventions = tuple(read_convention(c, f"conventions[{i}]") for i, c in enumerate(r.items("conventions")))
    if not conventions:
        raise RubricError("conventions: at least one convention is needed")
    public_cases = tuple(read_sizes(c, f"public_cases[{i}]") for i, c in enumerate(r.items("public_cases")))
    if not public_cases:
        raise RubricError("public_cases: at least one public case is needed")
    hidden = read_hidden_cases(r.mapping("hidden_cases"), "hidden_cases")
    tasks_data = r.items("tasks")
    if not tasks_data:
        raise RubricError("tasks: a rubric needs at least one task")
    tasks = tuple(
        read_task(t, f"tasks[{i}]", reference=reference, timeout_s=timeout_s, kinds=CHECK_KINDS)
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
    texts = read_rubric_texts(r.raw("texts"), "texts")
    for i, task in enumerate(tasks):
        # A starting notebook says something of every function, or of none.
        if bool(task.texts) != bool(texts):
            raise RubricError(
                f"tasks[{i}].texts: missing (the rubric has [texts]: every task describes itself too)"
                if texts
                else f"tasks[{i}].texts: the rubric has no [texts] (title and intro) to go with it"
            )
    check_names(tasks)
    check_conventions(conventions, tasks)
    hints = check_mistakes(mistakes_module, tasks) if mistakes_module is not None else {}
    seed = r.integer("seed")
    if seed < 0:
        raise RubricError(f"seed: must not be negative, got {seed}")
    samples = sample_cases(generate, generator, seed, public_cases, hidden)
    for where, values in samples:
        check_case_values(values, where, tasks, reference)
    check_reference_outputs(samples[0], tasks, reference)
    if mistakes_module is not None:
        check_instances(mistakes_module, samples[0])
        check_mistakes_leave_inputs(mistakes_module, samples[0], tasks)
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
        texts=texts,
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
