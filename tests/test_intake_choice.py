"""Which files of a submission are graded: the rule of grader.intake.choice, on candidates and on real
files (the bundled samples), never decided by name order."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from random import Random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.intake.choice import Candidate, Workshop, choose, choose_sources
from grader.provenance import DuplicateDefinition, IgnoredFile
from grader.rubric import Rubric
from grader.submission import Submission, folder_submission
from grader.workshop import load_bundled_rubrics

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "submissions"
XOR = Workshop(
    "xor", tuple((name, (name,)) for name in ("feedForward", "costoGlobal", "backProp", "entrenarRed"))
)
LOGISTICA = Workshop(
    "logistica",
    (
        ("sigmoide", ("sigmoide", "sigmoid")),
        ("calcularCostoLogistico", ("calcularCostoLogistico",)),
        ("descensoGradienteLogistico", ("descensoGradienteLogistico",)),
        ("predecir", ("predecir",)),
    ),
)


def xor(*names: str) -> frozenset[tuple[str, str]]:
    return frozenset(("xor", name) for name in names)


ALL = ("feedForward", "costoGlobal", "backProp", "entrenarRed")


def names(candidates: list[Candidate], indices: tuple[int, ...]) -> list[str]:
    return [candidates[i].name for i in indices]


def test_of_two_complete_copies_the_newer_is_graded_whatever_the_names() -> None:
    for old_name in ("a_taller_viejo.ipynb", "z_taller_viejo.ipynb"):
        candidates = [
            Candidate("taller.ipynb", xor(*ALL), modified=200.0),
            Candidate(old_name, xor(*ALL), modified=100.0),
        ]
        candidates.sort(key=lambda c: c.name)
        choice = choose(candidates, [XOR], given=False)
        assert names(candidates, choice.graded) == ["taller.ipynb"]
        assert choice.ignored == (IgnoredFile(old_name, "older", "taller.ipynb"),)
        assert {d.function for d in choice.duplicates} == set(ALL)
        assert all(d.graded_in == "taller.ipynb" and d.also_in == old_name for d in choice.duplicates)


def test_the_most_complete_file_wins_over_a_newer_partial_one() -> None:
    candidates = [
        Candidate("borrador.ipynb", xor("feedForward", "costoGlobal"), modified=300.0),
        Candidate("taller.ipynb", xor(*ALL), modified=100.0),
    ]
    choice = choose(candidates, [XOR], given=False)
    assert names(candidates, choice.graded) == ["taller.ipynb"]
    assert choice.ignored == (IgnoredFile("borrador.ipynb", "less_complete", "taller.ipynb"),)


def test_same_count_and_time_is_a_tie_said_out_loud() -> None:
    candidates = [
        Candidate("b.ipynb", xor(*ALL), modified=100.0, size=10),
        Candidate("a.ipynb", xor(*ALL), modified=100.0, size=20),
    ]
    choice = choose(candidates, [XOR], given=False)
    # The larger file, not the first name.
    assert names(candidates, choice.graded) == ["a.ipynb"]
    assert choice.ignored == (IgnoredFile("b.ipynb", "tied", "a.ipynb"),)


def test_a_copy_is_an_alternative_to_the_file_it_repeats_not_to_a_better_one_beside_it() -> None:
    """Two identical modules beside a newer notebook that shares a function with them: the copy left out
    ties with its twin (the graded file that defines all it does), not "older" than the notebook."""
    candidates = [
        Candidate("taller.ipynb", xor("feedForward", "costoGlobal"), modified=300.0),
        Candidate("red.py", xor("backProp", "costoGlobal"), modified=100.0, size=5),
        Candidate("red_copia.py", xor("backProp", "costoGlobal"), modified=100.0, size=5),
    ]
    for order in (candidates, candidates[::-1]):
        choice = choose(order, [XOR], given=False)
        ((ignored),) = choice.ignored
        graded = names(order, choice.graded)
        assert "taller.ipynb" in graded and ignored.file not in graded
        assert ignored.reason == "tied" and ignored.graded_instead in {"red.py", "red_copia.py"} - {
            ignored.file
        }


def test_modules_that_complement_each_other_are_all_graded_helpers_first() -> None:
    candidates = [
        Candidate("main.py", xor("backProp", "entrenarRed"), frozenset({"funciones", "utils"}), modified=1.0),
        Candidate("funciones.py", xor("feedForward", "costoGlobal"), modified=2.0),
        Candidate("utils.py", frozenset(), modified=3.0),
    ]
    choice = choose(candidates, [XOR], given=False)
    assert set(names(candidates, choice.graded)) == {"main.py", "funciones.py", "utils.py"}
    assert names(candidates, choice.graded)[0] == "utils.py"
    assert choice.ignored == () and choice.duplicates == ()


def test_a_module_a_graded_file_imports_stays_even_when_it_repeats_functions() -> None:
    candidates = [
        Candidate("taller.py", xor(*ALL), frozenset({"viejo"}), modified=2.0),
        Candidate("viejo.py", xor("feedForward"), modified=1.0),
        Candidate("otro.py", xor("feedForward"), modified=1.0),
    ]
    choice = choose(candidates, [XOR], given=False)
    graded = names(candidates, choice.graded)
    assert set(graded) == {"taller.py", "viejo.py"}
    # The better ranked file loads last, so its feedForward is the one graded.
    assert graded[-1] == "taller.py"
    assert choice.ignored == (IgnoredFile("otro.py", "less_complete", "taller.py"),)
    assert DuplicateDefinition("feedForward", "taller.py", "viejo.py") in choice.duplicates


def test_a_notebook_without_workshop_functions_is_ignored_and_an_unreadable_one_said_so() -> None:
    candidates = [
        Candidate("taller.ipynb", xor(*ALL)),
        Candidate("Untitled.ipynb", frozenset()),
        Candidate("roto.ipynb", frozenset(), readable=False),
    ]
    choice = choose(candidates, [XOR], given=False)
    assert names(candidates, choice.graded) == ["taller.ipynb"]
    assert choice.ignored == (
        IgnoredFile("Untitled.ipynb", "no_workshop_function"),
        IgnoredFile("roto.ipynb", "unreadable"),
    )


def test_when_no_file_defines_a_workshop_function_every_file_is_graded() -> None:
    candidates = [Candidate("a.ipynb", frozenset()), Candidate("b.py", frozenset(), readable=False)]
    choice = choose(candidates, [XOR], given=False)
    assert choice.graded == (0, 1) and choice.ignored == ()


def test_a_helper_name_of_another_workshop_does_not_make_an_alternative() -> None:
    # A XOR notebook defining sigmoid, beside a logistic-regression module defining it too: the
    # submission does XOR only (one logistica function of four), so sigmoid counts for nothing.
    candidates = [
        Candidate("xor.ipynb", xor(*ALL) | {("logistica", "sigmoide")}, modified=1.0),
        Candidate("copia.ipynb", xor(*ALL), modified=2.0),
    ]
    choice = choose(candidates, [XOR, LOGISTICA], given=False)
    assert names(candidates, choice.graded) == ["copia.ipynb"]
    assert choice.ignored == (IgnoredFile("xor.ipynb", "older", "copia.ipynb"),)


def test_two_workshops_in_one_folder_are_both_graded() -> None:
    candidates = [
        Candidate("xor.ipynb", xor(*ALL) | {("logistica", "sigmoide")}),
        Candidate("logistica.py", frozenset(("logistica", t) for t, _ in LOGISTICA.functions)),
    ]
    choice = choose(candidates, [XOR, LOGISTICA], given=False)
    assert set(choice.graded) == {0, 1}
    assert choice.duplicates == (DuplicateDefinition("sigmoide", "logistica.py", "xor.ipynb"),)


# --- on real files ----------------------------------------------------------------------------------


def _notebook(cells: list[str]) -> str:
    code = [
        {"cell_type": "code", "metadata": {}, "source": s, "outputs": [], "execution_count": None}
        for s in cells
    ]
    return json.dumps({"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": code})


def _touch(path: Path, when: float) -> None:
    os.utime(path, (when, when))


@pytest.fixture(scope="module")
def rubrics() -> list[Rubric]:
    return load_bundled_rubrics()


@pytest.mark.parametrize("old_name", ["a_taller_viejo.py", "z_taller_viejo.py"])
def test_a_folder_with_a_buggy_new_file_and_a_correct_old_copy_grades_the_new_one(
    tmp_path: Path, rubrics: list[Rubric], old_name: str
) -> None:
    folder = tmp_path / "ana"
    folder.mkdir()
    shutil.copy(SAMPLES / "diego_fernandez.py", folder / "taller.py")  # wrong backProp, newer
    shutil.copy(SAMPLES / "luis_perez.py", folder / old_name)  # correct, older
    _touch(folder / "taller.py", 2_000_000_000)
    _touch(folder / old_name, 1_000_000_000)
    chosen = choose_sources(folder_submission(folder), rubrics, given=False)
    assert [chosen.display_name(p) for p in chosen.files] == ["taller.py"]
    assert chosen.sources().ignored == (IgnoredFile(old_name, "older", "taller.py"),)
    files, _ = chosen.read()
    assert files[0].data == (SAMPLES / "diego_fernandez.py").read_bytes()


def test_checkpoints_and_stray_notebooks_are_listed_not_graded(tmp_path: Path, rubrics: list[Rubric]) -> None:
    folder = tmp_path / "ana"
    (folder / ".ipynb_checkpoints").mkdir(parents=True)
    shutil.copy(SAMPLES / "ana_gomez.ipynb", folder / "taller.ipynb")
    shutil.copy(SAMPLES / "ana_gomez.ipynb", folder / ".ipynb_checkpoints" / "taller-checkpoint.ipynb")
    (folder / "Untitled.ipynb").write_text(_notebook(["print('hola')"]), encoding="utf-8")
    (folder / "~$taller.py").write_text("x = 1\n")
    chosen = choose_sources(folder_submission(folder), rubrics, given=False)
    assert [chosen.display_name(p) for p in chosen.files] == ["taller.ipynb"]
    assert sorted(chosen.sources().ignored, key=lambda i: i.file) == [
        IgnoredFile(".ipynb_checkpoints/taller-checkpoint.ipynb", "tool_copy"),
        IgnoredFile("Untitled.ipynb", "no_workshop_function"),
        IgnoredFile("~$taller.py", "tool_copy"),
    ]


def test_a_two_workshop_folder_is_graded_whole(rubrics: list[Rubric]) -> None:
    chosen = choose_sources(folder_submission(SAMPLES / "maria_lopez"), rubrics, given=False)
    assert sorted(chosen.sources().graded) == ["taller_linreg.py", "taller_xor.ipynb"]
    assert chosen.sources().ignored == () and chosen.sources().duplicates == ()


def test_a_single_file_has_nothing_to_choose(rubrics: list[Rubric]) -> None:
    sample = SAMPLES / "ana_gomez.ipynb"
    single = Submission(id="ana", source=str(sample), root=sample, files=(sample,))
    assert choose_sources(single, rubrics, given=False) is single
    assert single.sources().graded == ("ana_gomez.ipynb",)


@st.composite
def submissions(draw: st.DrawFn) -> list[Candidate]:
    """Up to six files, each defining some XOR functions (or none), with times and sizes that may tie."""
    count = draw(st.integers(min_value=1, max_value=6))
    candidates = []
    for index in range(count):
        defined = draw(st.sets(st.sampled_from(ALL)))
        notebook = draw(st.booleans())
        candidates.append(
            Candidate(
                f"f{index}.{'ipynb' if notebook else 'py'}",
                xor(*defined),
                modified=float(draw(st.integers(min_value=0, max_value=3))),
                size=draw(st.integers(min_value=0, max_value=3)),
            )
        )
    return candidates


@settings(max_examples=300, deadline=None)
@given(submissions(), st.randoms(use_true_random=False))
def test_the_choice_does_not_depend_on_the_order_or_names_of_the_files(
    candidates: list[Candidate], random: Random
) -> None:
    choice = choose(candidates, [XOR], given=False)
    shuffled = candidates[:]
    random.shuffle(shuffled)
    again = choose(shuffled, [XOR], given=False)
    if any(i.reason == "tied" for i in choice.ignored):
        return  # a full tie is decided by position, and recorded as such
    assert {candidates[i].name for i in choice.graded} == {shuffled[i].name for i in again.graded}
    assert set(choice.ignored) == set(again.ignored)
    # Every workshop function any file defines is defined by a graded file.
    defined = {f for c in candidates for f in c.defines}
    assert defined <= {f for i in choice.graded for f in candidates[i].defines}
    # A file is graded or listed as not graded, never both, never neither.
    graded = {candidates[i].name for i in choice.graded}
    listed = {i.file for i in choice.ignored}
    assert graded.isdisjoint(listed) and graded | listed == {c.name for c in candidates}
