"""Workshop folders' modules: importable by file name, without shadowing anything and without sys.path."""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
from pathlib import Path

import pytest

from grader.workshop_modules import ModuleClash, WorkshopFinder, folder_modules, register_folder


def test_a_registered_folders_files_import_by_name_and_see_each_other(tmp_path: Path) -> None:
    (tmp_path / "wm_base.py").write_text("VALUE = 21\n", encoding="utf-8")
    (tmp_path / "wm_user.py").write_text("from wm_base import VALUE\nDOUBLE = 2 * VALUE\n", encoding="utf-8")
    (tmp_path / "not-a-name.py").write_text("", encoding="utf-8")
    (tmp_path / "__init__.py").write_text("", encoding="utf-8")
    assert set(folder_modules(tmp_path)) == {"wm_base", "wm_user"}
    assert register_folder(tmp_path) == {
        "wm_base": tmp_path / "wm_base.py",
        "wm_user": tmp_path / "wm_user.py",
    }
    assert importlib.import_module("wm_user").DOUBLE == 42
    assert str(tmp_path) not in sys.path
    (finder,) = [f for f in sys.meta_path if isinstance(f, WorkshopFinder)]
    assert sys.meta_path.index(finder) > sys.meta_path.index(importlib.machinery.PathFinder)
    # Registering the same folder again changes nothing.
    register_folder(tmp_path)
    assert sum(isinstance(f, WorkshopFinder) for f in sys.meta_path) == 1


def test_only_top_level_names_are_answered(tmp_path: Path) -> None:
    (tmp_path / "wm_top.py").write_text("", encoding="utf-8")
    register_folder(tmp_path)
    (finder,) = [f for f in sys.meta_path if isinstance(f, WorkshopFinder)]
    assert finder.find_spec("wm_top", None) is not None
    assert finder.find_spec("wm_top", ["somewhere"]) is None
    assert finder.find_spec("wm_other", None) is None


@pytest.mark.parametrize(("name", "taken_by"), [("json", "standard library"), ("numpy", "installed module")])
def test_a_name_something_else_answers_to_is_refused_and_nothing_registered(
    tmp_path: Path, name: str, taken_by: str
) -> None:
    (tmp_path / f"{name}.py").write_text("BROKEN = True\n", encoding="utf-8")
    (tmp_path / f"wm_beside_{name}.py").write_text("", encoding="utf-8")
    with pytest.raises(ModuleClash, match=rf"{name}\.py cannot be imported as '{name}'.*{taken_by}"):
        register_folder(tmp_path)
    assert not hasattr(importlib.import_module(name), "BROKEN")
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module(f"wm_beside_{name}")


def test_two_folders_cannot_share_a_name(tmp_path: Path) -> None:
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "wm_shared.py").write_text(f"WHERE = {folder!r}\n", encoding="utf-8")
    register_folder(tmp_path / "one")
    with pytest.raises(ModuleClash, match="another workshop folder"):
        register_folder(tmp_path / "two")
    assert importlib.import_module("wm_shared").WHERE == "one"
