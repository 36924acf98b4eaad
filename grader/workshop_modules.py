"""Workshop folders' modules, importable by their file names without putting a folder on sys.path."""

# A folder on sys.path would let any file in it shadow an installed or standard module for the whole
# grader (a workshop's random.py replacing the standard random). Instead one finder, appended at the
# end of sys.meta_path, answers for exactly the top-level names of the registered folders' .py files,
# and a name something else already answers for is refused when the folder is registered.

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import keyword
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType


class ModuleClash(Exception):
    """A workshop file whose module name is already another module's."""

    def __init__(self, name: str, file: Path, taken_by: str) -> None:
        super().__init__(
            f"{file} cannot be imported as {name!r}: that name is already {taken_by}; rename the file"
        )
        self.name = name
        self.file = file


class WorkshopFinder(importlib.abc.MetaPathFinder):
    """Finds the top-level modules of registered workshop folders, by file name."""

    def __init__(self) -> None:
        self._files: dict[str, Path] = {}

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if path is not None:
            return None
        file = self._files.get(fullname)
        return importlib.util.spec_from_file_location(fullname, file) if file is not None else None

    def file_of(self, name: str) -> Path | None:
        return self._files.get(name)

    def add(self, modules: Mapping[str, Path]) -> None:
        self._files.update(modules)


_FINDER = WorkshopFinder()


def folder_modules(folder: Path) -> dict[str, Path]:
    """The module name of each importable ``.py`` file directly in ``folder`` (resolved paths)."""
    found = {}
    for file in sorted(folder.glob("*.py")):
        name = file.stem
        if name.isidentifier() and not keyword.iskeyword(name) and not name.startswith("__"):
            found[name] = file.resolve()
    return found


def register_folder(folder: Path) -> dict[str, Path]:
    """Make every ``.py`` file of ``folder`` importable under its name; the names, with their files.

    Raises :class:`ModuleClash` (registering nothing) when a name is already an installed or standard
    module, or a file of another registered folder.
    """
    modules = folder_modules(folder)
    for name, file in modules.items():
        taken_by = _taken_by(name, file)
        if taken_by is not None:
            raise ModuleClash(name, file, taken_by)
    if _FINDER not in sys.meta_path:
        sys.meta_path.append(_FINDER)
    _FINDER.add(modules)
    return modules


def _taken_by(name: str, file: Path) -> str | None:
    """What else answers to ``name``, if anything does (``None``: nothing, or ``file`` itself)."""
    registered = _FINDER.file_of(name)
    if registered is not None and registered != file:
        return f"the module {registered} of another workshop folder"
    loaded = sys.modules.get(name)
    if loaded is not None:
        origin = getattr(loaded, "__file__", None)
        return None if origin and Path(origin).resolve() == file else _describe(name, origin)
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return f"a module that cannot be looked up ({name})"
    if spec is None:
        return None
    if spec.origin and spec.has_location and Path(spec.origin).resolve() == file:
        return None
    if spec.has_location:
        return _describe(name, spec.origin)
    folders = list(spec.submodule_search_locations or ())
    # A folder of that name on sys.path (a namespace package), such as one in the current directory.
    return f"the package folder {folders[0]}" if folders else _describe(name, None)


def _describe(name: str, origin: str | None) -> str:
    if name in sys.stdlib_module_names:
        return "a module of Python's standard library"
    if origin is None:
        return "a built-in module"
    installed = any(part in ("site-packages", "dist-packages") for part in Path(origin).parts)
    # Otherwise it is found on sys.path: in the current directory, say, or through PYTHONPATH.
    return f"the installed module {origin}" if installed else f"the module {origin} (found on sys.path)"
