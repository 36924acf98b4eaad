"""Inert stand-ins for the display-only libraries student code imports: plots, progress bars, display.

The grader never looks at a plot or a progress bar, yet a training function that draws its cost curve or
wraps its loop in ``tqdm`` fails where the library is missing (the grading environment installs neither
matplotlib, seaborn, tqdm nor plotly), and where it is present it spends the call's time drawing. So in the
worker these libraries are never the real ones: a finder consulted before any other gives every module
named in :data:`LIBRARIES` (and its submodules) as an :class:`InertModule`, whose every attribute is an
:class:`Inert` object. An inert object does nothing whatever is done with it: attribute access, calls and
item access give inert objects, it is a context manager, iterating it gives nothing, and assigning to
its attributes or items is forgotten. Progress bars pass their iterable through: ``tqdm(x)`` iterates ``x``,
``trange(n)`` iterates ``range(n)``. The few matplotlib calls whose result is usually unpacked give as many
inert objects as the real ones (``fig, (ax1, ax2) = plt.subplots(1, 2)``, ``linea, = plt.plot(x)``).

This runs only in the worker, in the student's process: nothing here is trusted by the grader.
"""

from __future__ import annotations

import builtins
import importlib
import importlib.abc
import importlib.machinery
import math
import sys
import types
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

# Root packages served whole (every submodule too), and modules served one by one. ``IPython`` itself is
# served because ``IPython.display`` cannot be imported without its parent, and nothing else in it is
# worth loading in a worker (importing a real one takes about a tenth of a second).
LIBRARIES = ("matplotlib", "seaborn", "tqdm", "plotly")
MODULES = ("IPython", "IPython.display")

# Names student code uses without importing them when the cell with the import was lost (a syntax error
# elsewhere in it, a guarded import that was skipped): found in builtins, so any binding of the student's
# own, an import included, comes first. Each is the module, or the attribute of the module, it means.
FALLBACKS: dict[str, tuple[str, str | None]] = {
    "plt": ("matplotlib.pyplot", None),
    "sns": ("seaborn", None),
    "tqdm": ("tqdm", "tqdm"),
    "trange": ("tqdm", "trange"),
    "clear_output": ("IPython.display", "clear_output"),
}

# Progress bars: called with an iterable (or, for the ``*range`` ones, with ``range``'s arguments) they
# iterate it.
_PROGRESS = frozenset({"tqdm", "tqdm_notebook", "tqdm_gui"})
_PROGRESS_RANGE = frozenset({"trange", "tnrange"})
# How many objects the matplotlib calls whose result is usually unpacked give (as many as the real ones).
_UNPACKED = {
    "hist": 3,
    "xlim": 2,
    "ylim": 2,
    "get_xlim": 2,
    "get_ylim": 2,
    "get_legend_handles_labels": 2,
}
_LINES = frozenset({"plot", "semilogx", "semilogy", "loglog", "step"})


def is_inert(name: str) -> bool:
    """Whether the module ``name`` is served inert in the worker."""
    return name in MODULES or name.partition(".")[0] in LIBRARIES


class Inert:
    """Whatever a display-only library would have given: does nothing, whatever is done with it."""

    # A class default: a copy made without calling __init__ (copy.deepcopy, pickle) still has a name.
    _name: str = ""

    def __init__(self, name: str = "") -> None:
        object.__setattr__(self, "_name", name)

    def __getattr__(self, name: str) -> Inert:
        # Special names stay missing: NumPy, copy and pickle probe for them and must not be told yes.
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return Inert(name)

    def __setattr__(self, name: str, value: Any) -> None:
        pass

    def __delattr__(self, name: str) -> None:
        pass

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        name = self._name
        if name in _PROGRESS:
            return Progress(args[0] if args else kwargs.get("iterable"))
        if name in _PROGRESS_RANGE:
            return Progress(range(*args))
        if name == "subplots":
            return Inert("figure"), _axes(args, kwargs)
        if name in _UNPACKED:
            return tuple(Inert() for _ in range(_UNPACKED[name]))
        if name in _LINES:
            return [Inert("line")]
        return Inert()

    def __getitem__(self, key: Any) -> Inert:
        return Inert()

    def __setitem__(self, key: Any, value: Any) -> None:
        pass

    def __delitem__(self, key: Any) -> None:
        pass

    def __iter__(self) -> Iterator[Any]:
        # Empty: an inert object cannot know how many things it stands for, and endless would hang a loop.
        return iter(())

    def __len__(self) -> int:
        return 0

    def __contains__(self, item: Any) -> bool:
        return False

    def __bool__(self) -> bool:
        return True

    def __enter__(self) -> Inert:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        return None

    def __repr__(self) -> str:
        return f"<inert {self._name or 'object'}>"


class Progress(Inert):
    """A progress bar that shows nothing: iterating it iterates what it was given, unchanged."""

    _items: Iterable[Any] | None = None

    def __init__(self, items: Iterable[Any] | None) -> None:
        super().__init__("progress")
        object.__setattr__(self, "_items", items)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._items if self._items is not None else ())

    def __len__(self) -> int:
        try:
            return len(self._items)  # type: ignore[arg-type]
        except TypeError:
            return 0


class Grid(Inert):
    """The axes of ``plt.subplots(rows, columns)``: unpacked, indexed, iterated or flattened, it gives inert
    axes (a row of them for each row of a two-dimensional grid), as many as the real ones."""

    _shape: tuple[int, ...] = ()

    def __init__(self, shape: tuple[int, ...]) -> None:
        super().__init__("axes")
        object.__setattr__(self, "_shape", shape)

    def __iter__(self) -> Iterator[Any]:
        inner = self._shape[1:]
        return (Grid(inner) if inner else Inert("axes") for _ in range(self._shape[0]))

    def __len__(self) -> int:
        return self._shape[0]

    def __getitem__(self, key: Any) -> Inert:
        inner = self._shape[1:]
        return Grid(inner) if inner and isinstance(key, int) else Inert("axes")

    def __getattr__(self, name: str) -> Any:
        if name in ("flat", "ravel", "flatten", "reshape"):
            flat = Grid((math.prod(self._shape),))
            return flat if name == "flat" else lambda *args, **kwargs: flat
        return super().__getattr__(name)


def _axes(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Inert:
    """What ``plt.subplots`` gives for its axes: one, a row, or a grid, as matplotlib squeezes them."""
    try:
        rows = int(args[0] if args else kwargs.get("nrows", 1))
        columns = int(args[1] if len(args) > 1 else kwargs.get("ncols", 1))
    except (TypeError, ValueError):
        return Inert("axes")
    if not kwargs.get("squeeze", True):
        return Grid((rows, columns))
    if rows == columns == 1:
        return Inert("axes")
    return Grid((max(rows, columns),)) if min(rows, columns) == 1 else Grid((rows, columns))


class InertModule(types.ModuleType):
    """A display-only module: every attribute is an inert object (a submodule, once imported, is itself)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        # A package, so that any submodule can be imported (it is served inert by the finder).
        self.__path__: list[str] = []
        self.__version__ = "0 (inert stand-in)"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return Inert(name)


class InertFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds exactly the inert modules, before any other finder looks for the real ones."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if not is_inert(fullname):
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return InertModule(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        pass


def install() -> None:
    """Serve the display-only libraries inert from now on, in this process (the worker), and bind the
    :data:`FALLBACKS` in the builtins where nothing else is bound under their names.

    The zygote installs them before it forks, so that a worker finds them in place instead of paying
    for them (scanning the loaded modules, building the fallbacks) at every start."""
    if (
        sys.meta_path
        and isinstance(sys.meta_path[0], InertFinder)
        and all(hasattr(builtins, name) for name in FALLBACKS)
    ):
        return
    # A real one already imported (by whatever came before) would be found in the cache first.
    for loaded in [name for name in sys.modules if is_inert(name)]:
        del sys.modules[loaded]
    if not any(isinstance(finder, InertFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, InertFinder())
    for name, (module_name, attribute) in FALLBACKS.items():
        if hasattr(builtins, name):
            continue
        module = importlib.import_module(module_name)
        setattr(builtins, name, module if attribute is None else getattr(module, attribute))
