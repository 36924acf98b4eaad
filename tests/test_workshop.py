"""Loading workshops: bundled, installed and folder rubrics load; a bad one fails at load naming its key
and line; everything a rubric loads is part of the result key."""

from __future__ import annotations

import copy
import dataclasses
import importlib.machinery
import importlib.metadata
import sys
from pathlib import Path
from typing import Any

import pytest
import tomllib

from grader.diagnose import Diagnosis, hints
from grader.errors import RubricError
from grader.grading import _run_digest
from grader.messages import SAY, render
from grader.rubric import ONE_UPDATE_RATE
from grader.workshop import (
    ENTRY_POINT_GROUP,
    bundled_rubric_paths,
    installed_rubric_paths,
    load_bundled_rubrics,
    load_rubric,
    parse_rubric,
    resolve_rubric,
    rubric_files,
)
from grader.workshop_modules import WorkshopFinder
from reference.mistakes import known_mistakes

FILES = Path(__file__).resolve().parent / "files"
TINY = FILES / "rubrics" / "tiny.toml"
WORKSHOPS = FILES / "workshops"
SOFTMAX = WORKSHOPS / "softmax" / "rubric.toml"


def tiny() -> dict[str, Any]:
    return tomllib.loads(TINY.read_text(encoding="utf-8"))


# --- bundled, by path, installed ----------------------------------------------------------------------


def test_bundled_rubrics_load_and_cover_every_workshop() -> None:
    rubrics = {r.id: r for r in load_bundled_rubrics()}
    assert {"linreg", "xor", "logistica"} <= set(rubrics)
    assert [t.id for t in rubrics["xor"].tasks] == ["feedForward", "costoGlobal", "backProp", "entrenarRed"]
    assert [t.id for t in rubrics["linreg"].tasks] == [
        "calcularCosto",
        "calcularGradiente",
        "descensoGradiente",
        "normalizar",
    ]
    assert "gradientDescent" in rubrics["linreg"].task("descensoGradiente").aliases
    assert rubrics["xor"].conventions[1].note == "rows_as_instances"
    # A bundled folder workshop loads its own modules by file; the single-file ones by module name.
    assert rubrics["logistica"].folder is not None and rubrics["xor"].folder is None


def test_one_update_is_at_the_rate_of_the_first_check_that_names_one() -> None:
    rubrics = {r.id: r for r in load_bundled_rubrics()}
    training = rubrics["xor"].task("entrenarRed")
    rates = [spec.options["rate"] for spec in training.checks if "rate" in spec.options]
    assert training.steps and training.rate and rates
    assert training.one_update() == {training.steps: 1, training.rate: float(rates[0])}
    # The probe and the rubric's load check both make that update.
    assert rubrics["xor"].task("feedForward").one_update() == {}
    unnamed = dataclasses.replace(
        training, checks=tuple(s for s in training.checks if "rate" not in s.options)
    )
    assert unnamed.one_update() == {training.steps: 1, training.rate: ONE_UPDATE_RATE}


def test_bundled_rubrics_are_package_resources_files_and_folders() -> None:
    paths = {p.parent.name if p.name == "rubric.toml" else p.stem: p for p in bundled_rubric_paths()}
    assert {"linreg", "xor", "logistica"} <= set(paths)
    assert paths["logistica"].name == "rubric.toml"


def test_a_rubrics_folder_holds_files_and_workshop_folders(tmp_path: Path) -> None:
    (tmp_path / "b.toml").write_text("", encoding="utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "rubric.toml").write_text("", encoding="utf-8")
    (tmp_path / "a" / "other.toml").write_text("", encoding="utf-8")  # not a rubric of the folder
    (tmp_path / "c").mkdir()  # a folder without rubric.toml is not a workshop
    assert rubric_files(tmp_path) == [tmp_path / "a" / "rubric.toml", tmp_path / "b.toml"]


def test_resolve_by_id_by_file_and_by_folder() -> None:
    assert resolve_rubric("xor").id == "xor"
    assert resolve_rubric("logistica").id == "logistica"
    assert resolve_rubric(str(TINY)).id == "tiny"
    assert resolve_rubric(str(SOFTMAX.parent)).id == "softmax"
    with pytest.raises(RubricError, match=r"unknown rubric 'nope'; bundled rubrics: linreg, logistica, xor"):
        resolve_rubric("nope")
    with pytest.raises(RubricError, match=r"rubric file nowhere/rubric.toml does not exist"):
        resolve_rubric("nowhere/rubric.toml")


def entry_points(value: str) -> Any:
    """``importlib.metadata.entry_points`` of an environment with one workshop package installed."""

    def fake(**selection: str) -> list[importlib.metadata.EntryPoint]:
        assert selection == {"group": ENTRY_POINT_GROUP}
        return [importlib.metadata.EntryPoint(name="softmax", value=value, group=ENTRY_POINT_GROUP)]

    return fake


@pytest.mark.parametrize("value", ["talleres_instalados:SOFTMAX", "talleres_instalados:todos"])
def test_installed_packages_offer_workshops_through_entry_points(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.syspath_prepend(str(WORKSHOPS / "instalado"))
    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points(value))
    assert installed_rubric_paths() == [SOFTMAX]
    rubric = resolve_rubric("softmax")
    assert rubric.id == "softmax" and rubric.path == str(SOFTMAX)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("talleres_instalados:NO_RUBRIC", r"softmax\.py is not the path of a rubric TOML file"),
        ("talleres_instalados:MISSING", r"entry point softmax = 'talleres_instalados:MISSING'.* cannot be"),
        ("no_such_package:RUBRIC", r"cannot be loaded \(ModuleNotFoundError"),
    ],
)
def test_a_broken_entry_point_is_a_rubric_error_naming_it(
    monkeypatch: pytest.MonkeyPatch, value: str, message: str
) -> None:
    monkeypatch.syspath_prepend(str(WORKSHOPS / "instalado"))
    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points(value))
    with pytest.raises(RubricError, match=message):
        installed_rubric_paths()
    assert resolve_rubric("xor").id == "xor", "a bundled id never needs the installed workshops"


# --- a workshop folder ------------------------------------------------------------------------------


def test_folder_workshop_loads_its_modules_by_path_from_any_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    rubric = load_rubric(SOFTMAX)
    folder = SOFTMAX.parent
    assert rubric.folder == str(folder)
    assert Path(rubric.module.__file__ or "") == folder / "softmax.py"
    assert rubric.mistakes_module is not None
    assert Path(rubric.mistakes_module.__file__ or "") == folder / "softmax_errores.py"
    assert rubric.generate is rubric.module.casos
    # softmax_errores.py imports its sibling by name, and gets the very module the rubric loaded.
    assert rubric.mistakes_module.entropiaCruzada is rubric.module.entropiaCruzada
    assert str(folder) not in sys.path, "the folder never goes on sys.path"
    finders = [f for f in sys.meta_path if isinstance(f, WorkshopFinder)]
    # After the standard finders: a workshop file never hides an installed or standard module.
    assert len(finders) == 1
    assert sys.meta_path.index(finders[0]) > sys.meta_path.index(importlib.machinery.PathFinder)


def test_mistakes_come_from_the_module_the_rubric_names() -> None:
    rubric = load_rubric(SOFTMAX)
    assert rubric.mistakes_module is not None
    known = known_mistakes(rubric.mistakes_module, "softmax")
    assert set(known.implementations) == {"normalised_by_rows"}
    entropy = known_mistakes(rubric.mistakes_module, "entropiaCruzada")
    assert set(entropy.implementations) == {"missing_negative_sign", "missing_mean"}
    assert [s.label for s in entropy.scalings] == ["m"]
    # The bundled modules are still found by name as well.
    assert "swapped_outputs" in known_mistakes("xor", "feedForward").implementations


def test_a_workshops_own_hints_come_before_the_catalogue() -> None:
    rubric = load_rubric(SOFTMAX)
    assert rubric.hints["normalised_by_rows"]["en"].startswith("You normalise by rows")
    found = [Diagnosis("normalised_by_rows"), Diagnosis("missing_mean")]
    own_first = hints(found, SAY, rubric.hints)
    assert own_first[1] == SAY("diag.missing_mean")
    for lang in ("es", "en"):
        assert render(own_first[0], lang) == rubric.hints["normalised_by_rows"][lang]
    assert hints(found, SAY) == [SAY("diag.missing_mean")], "no hint elsewhere"
    # A workshop may say a bundled code's hint its own way.
    own = {"missing_mean": {"es": "Divide entre m.", "en": "Divide by m."}}
    (said,) = hints([Diagnosis("missing_mean")], SAY, own)
    assert (render(said, "en"), render(said, "es")) == ("Divide by m.", "Divide entre m.")


def test_a_module_named_like_an_installed_one_is_refused() -> None:
    with pytest.raises(RubricError) as error:
        load_rubric(WORKSHOPS / "choque" / "rubric.toml")
    message = str(error.value)
    assert message.startswith(f"{WORKSHOPS / 'choque' / 'rubric.toml'}:5: reference: ")
    assert "random.py cannot be imported as 'random'" in message
    assert "standard library" in message and "rename the file" in message
    import random

    assert Path(random.__file__).parent != WORKSHOPS / "choque"


def test_two_workshop_folders_cannot_give_the_same_module_name(tmp_path: Path) -> None:
    load_rubric(SOFTMAX)
    (tmp_path / "softmax.py").write_bytes((SOFTMAX.parent / "softmax.py").read_bytes())
    copied = tmp_path / "rubric.toml"
    text = SOFTMAX.read_text(encoding="utf-8").replace('mistakes = "softmax_errores.py"\n', "")
    copied.write_text(text, encoding="utf-8")
    with pytest.raises(RubricError, match=r"softmax\.py cannot be imported as 'softmax'.*another workshop"):
        load_rubric(copied)


# --- a bad rubric fails at load, naming the key and its line ---------------------------------------------


def mutate(data: dict[str, Any], path: list[str | int], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            ["tasks", 0, "checks", 0, "kind"],
            "shape",
            r"tasks\[0\]\.checks\[0\]\.kind: unknown check kind 'shape'",
        ),
        (["tasks", 0, "checks", 0, "rtol"], "tight", r"tasks\[0\]\.checks\[0\]\.rtol: expected float"),
        (["tasks", 0, "checks", 0, "rtol"], -1.0, r"tasks\[0\]\.checks\[0\]\.rtol: must not be negative"),
        (["tasks", 0, "checks", 0, "points"], -2, r"tasks\[0\]\.checks\[0\]\.points: must not be negative"),
        (["tasks", 0, "checks", 0, "colour"], "red", r"tasks\[0\]\.checks\[0\]\.colour: unknown key"),
        (
            ["tasks", 0, "id"],
            "calcularCoste",
            r"tasks\[0\]\.reference: reference\.linreg has no function 'calcularCoste'",
        ),
        (["tasks", 0, "params"], DELETE, r"tasks\[0\]\.params: missing"),
        (["tasks", 0, "params"], ["X", "y"], r"tasks\[0\]\.params: the reference calcularCosto cannot be"),
        (["tasks", 0, "params"], ["X", "y", "X"], r"tasks\[0\]\.params: a name appears twice"),
        (["tasks", 0, "trains"], ["w9"], r"tasks\[0\]\.trains: 'w9' is not one of the params"),
        (["tasks", 0, "uses"], ["ghost"], r"tasks\[0\]\.uses: 'ghost' is not a task"),
        (["tasks", 0, "cost"], "costo", r"tasks\[0\]\.cost: reference\.linreg has no function 'costo'"),
        (["tasks", 0, "inputs"], {"W": "X"}, r"tasks\[0\]\.inputs\.W: 'W' is not one of the params"),
        (["tasks", 0, "inputs"], {"X": 3}, r"tasks\[0\]\.inputs\.X: expected the name of a case value"),
        (
            ["tasks", 0, "inputs"],
            {"X": "raw"},
            r"tasks\[0\]\.inputs\.X: calcularCosto needs the value 'raw', which the case generator does "
            r"not give on public_cases\[0\] \(it gives X, features, theta, y\)",
        ),
        (["reference"], "reference.nothing", r"reference: cannot import 'reference\.nothing'"),
        (["cases"], "reference.cases:nope", r"cases: reference\.cases has no function 'nope'"),
        (
            ["public_cases", 0],
            {"m": 5, "features": 2},
            r"public_cases\[0\]: the case generator reference\.cases:linreg_case fails on m=5, features=2 "
            r"\(TypeError: ",
        ),
        (["hidden_cases", "m"], [8, 4], r"hidden_cases\.m: expected a range"),
        (["hidden_cases", "k"], [1, 2], r"hidden_cases: the case generator .* fails on m=4, n=1, k=1"),
        (["conventions"], [], r"conventions: at least one convention"),
        (
            ["conventions", 0, "column_vectors"],
            ["theta", "Theta"],
            r"conventions\[0\]\.column_vectors: 'Theta' is not a param or return of any task",
        ),
        (["tasks", 0, "returns"], [], r"tasks\[0\]\.returns: expected the distinct names"),
        (
            ["tasks", 0, "returns"],
            ["J", "grad"],
            r"tasks\[0\]\.returns: names 2 output\(s\) but the reference calcularCosto returns 1 on "
            r"public_cases\[0\]",
        ),
        (["tasks", 0, "trains"], ["theta"], r"tasks\[0\]\.trains: 'theta' is not one of the returns"),
        (["seed"], -1, r"seed: must not be negative"),
        (["hidden_cases", "count"], -1, r"hidden_cases\.count: must not be negative"),
        (["hidden_cases", "distinct"], ["m", "k"], r"hidden_cases\.distinct: 'k' is not one of the ranges"),
        (["hidden_cases", "distinct"], ["m", "m"], r"hidden_cases\.distinct: a size is named twice"),
        (
            ["hidden_cases"],
            {"count": 1, "m": [4, 4], "n": [4, 4], "distinct": ["m", "n"]},
            r"hidden_cases\.distinct: the ranges are too narrow for m, n to differ",
        ),
        (
            ["hidden_cases"],
            {"count": 1},
            r"hidden_cases: the case generator reference\.cases:linreg_case fails on no sizes \(TypeError",
        ),
        (
            ["conventions"],
            [{"id": "flat"}, {"id": "flat", "transpose": True}],
            r"conventions\[1\]\.id: 'flat' is already a convention's id",
        ),
        (["timeout_s"], 0, r"timeout_s: must be positive"),
        (["lang"], "fr", r"lang: expected one of es, en"),
        (["surprise"], 1, r"surprise: unknown key"),
    ],
)
def test_bad_rubric_fails_at_load_naming_the_key(path: list[str | int], value: Any, message: str) -> None:
    with pytest.raises(RubricError, match=r"^tiny\.toml: " + message):
        parse_rubric(mutate(tiny(), path, value), source="tiny.toml")


def test_a_training_task_takes_steps_and_rate_from_its_checks_and_the_rest_from_the_case() -> None:
    (linreg,) = [r for r in load_bundled_rubrics() if r.id == "linreg"]
    data = tomllib.loads(Path(linreg.path).read_text(encoding="utf-8"))
    parse_rubric(data, source=linreg.path)  # alpha and iteraciones are no case values: that is fine
    del data["tasks"][2]["rate"]
    data["tasks"][2]["checks"] = [{"id": "values", "kind": "matches_reference", "points": 1}]
    with pytest.raises(RubricError, match=r"tasks\[2\]\.params: descensoGradiente needs the value 'alpha'"):
        parse_rubric(data, source=linreg.path)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["reference"], "nada.py", r"reference: nada\.py does not exist"),
        (["reference"], "../softmax_samples/bien.py", r"reference: \.\./softmax_samples/bien\.py is outside"),
        (["mistakes"], "./rubric.toml", r"mistakes: \./rubric\.toml is not a Python file"),
        (["mistakes"], " ", r"mistakes: must not be empty"),
        (["cases"], "softmax.py:nope", r"cases: softmax\.py has no function 'nope'"),
        (["cases"], "./softmax.py:softmax", r"public_cases\[0\]: the case generator \./softmax\.py:softmax"),
        (["cases"], "entropiaCruzada", r"public_cases\[0\]: the case generator entropiaCruzada fails"),
        (["tasks", 1, "params"], ["P", "Yy"], r"tasks\[1\]\.params: entropiaCruzada needs the value 'Yy'"),
        (["tasks", 1, "returns"], DELETE, r"tasks\[1\]\.returns: missing"),
        (
            ["tasks", 1, "aliases"],
            ["Soft_Max"],
            r"tasks\[1\]\.aliases: 'Soft_Max' would also find task softmax",
        ),
        (
            ["tasks", 0, "uses"],
            ["entropiaCruzada"],
            r"tasks\[0\]\.uses: 'entropiaCruzada' must come before softmax among the tasks",
        ),
    ],
)
def test_bad_folder_rubric_fails_at_load_naming_the_key(
    path: list[str | int], value: Any, message: str
) -> None:
    data = tomllib.loads(SOFTMAX.read_text(encoding="utf-8"))
    with pytest.raises(RubricError, match=rf"^{SOFTMAX}: {message}"):
        parse_rubric(mutate(data, path, value), source=str(SOFTMAX))


def test_errors_give_the_line_of_the_key(tmp_path: Path) -> None:
    rubric = tmp_path / "typo.toml"
    text = TINY.read_text(encoding="utf-8")
    text = text.replace('returns = ["J"]', 'returns = ["J"]\ncost = "calcularCost"')
    rubric.write_text(text, encoding="utf-8")
    line = text.splitlines().index('cost = "calcularCost"') + 1
    with pytest.raises(RubricError, match=rf"^{rubric}:{line}: tasks\[0\]\.cost: reference\.linreg has no"):
        load_rubric(rubric)
    # A missing key is shown at the table that lacks it.
    rubric.write_text(TINY.read_text(encoding="utf-8").replace('params = ["X", "y", "theta"]\n', ""), "utf-8")
    table = TINY.read_text(encoding="utf-8").splitlines().index("[[tasks]]") + 1
    with pytest.raises(RubricError, match=rf"^{rubric}:{table}: tasks\[0\]\.params: missing"):
        load_rubric(rubric)


def test_tiny_rubric_defaults() -> None:
    rubric = load_rubric(TINY)
    (check,) = rubric.task("calcularCosto").checks
    assert check.options == {"rtol": 1e-6, "atol": 1e-9, "accept": []}
    assert check.timeout_s == 5.0
    assert rubric.max_score == 2


def test_training_check_needs_training_fields() -> None:
    data = tiny()
    data["tasks"][0]["checks"][0] = {"id": "step", "kind": "one_step", "points": 1, "rate": 0.1}
    with pytest.raises(RubricError, match=r"'one_step' needs the task to set trains, steps, rate"):
        parse_rubric(data, source="tiny.toml")


def test_required_option_is_named() -> None:
    data = tiny()
    data["tasks"][0]["checks"][0] = {
        "id": "grad",
        "kind": "gradient_check",
        "points": 1,
        "cost": "calcularCosto",
    }
    with pytest.raises(RubricError, match=r"checks\[0\]\.gradients: required"):
        parse_rubric(data, source="tiny.toml")


def test_invalid_toml_is_reported_with_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("id = \n", encoding="utf-8")
    with pytest.raises(RubricError, match=r"broken\.toml: not valid TOML"):
        load_rubric(broken)


# --- the modules of a workshop folder, written for each case (each with names of its own) --------------

REFERENCE = (WORKSHOPS / "softmax" / "softmax.py").read_text(encoding="utf-8")


def workshop(folder: Path, name: str, *, reference: str = REFERENCE, mistakes: str | None = None) -> Path:
    """A copy of the softmax workshop whose modules are ``<name>_ref.py`` and ``<name>_errores.py``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}_ref.py").write_text(reference, encoding="utf-8")
    text = SOFTMAX.read_text(encoding="utf-8").replace('"softmax.py', f'"{name}_ref.py')
    if mistakes is None:
        text = text.replace('mistakes = "softmax_errores.py"\n', "")
    else:
        (folder / f"{name}_errores.py").write_text(mistakes, encoding="utf-8")
        text = text.replace('"softmax_errores.py"', f'"{name}_errores.py"')
    (folder / "rubric.toml").write_text(text, encoding="utf-8")
    return folder / "rubric.toml"


SCALED = (
    "from reference.mistakes import Scaling\n"
    'SCALINGS = {"entropiaCruzada": (Scaling(("missing_mean",), power=1),)}'
)


@pytest.mark.parametrize(
    ("name", "mistakes", "message"),
    [
        (
            "hint_half",
            'HINTS = {"by_rows": {"es": "Por filas."}}\n',
            r"mistakes: hint_half_errores\.HINTS\['by_rows'\]: needs a hint in each of es, en; got \['es'\]",
        ),
        (
            "hint_blank",
            'HINTS = {"by_rows": {"es": "Por filas.", "en": "  "}}\n',
            r"HINTS\['by_rows'\]\['en'\]: expected a non-empty string",
        ),
        ("hint_list", 'HINTS = [("by_rows", "x")]\n', r"hint_list_errores\.HINTS: expected a dict"),
        (
            "hint_missing",
            "def softmax__by_rows(Z):\n    return Z\n",
            r"mistakes: hint_missing_errores names the diagnosis code 'by_rows' \(a mistake of softmax\), "
            r"which has no hint: add it to HINTS",
        ),
        (
            "not_a_task",
            "def softmaxx__missing_mean(Z):\n    return Z\n",
            r"has mistakes of 'softmaxx', which is not the reference function of any task",
        ),
        ("import_error", "1 / 0\n", r"mistakes: importing 'import_error_errores' failed \(ZeroDivisionError"),
        (
            "scalings_bad",
            'SCALINGS = {"softmax": ["m"]}\n',
            r"scalings_bad_errores\.SCALINGS: expected a dict",
        ),
        (
            "no_instances",
            SCALED + "\n",
            r"mistakes: no_instances_errores has SCALINGS but no instances\(values\) giving a case's m",
        ),
        (
            "bad_instances",
            SCALED + "\ndef instances(values):\n    return values['m']\n",
            r"mistakes: bad_instances_errores\.instances fails on public_cases\[0\] \(KeyError: 'm'\)",
        ),
        ("syntax_error", "def (:\n", r"mistakes: importing 'syntax_error_errores' failed \(SyntaxError"),
        (
            "in_place",
            'HINTS = {"unstable": {"es": "Resta el máximo.", "en": "Subtract the maximum."}}\n'
            "import numpy as np\n"
            "def softmax__unstable(Z):\n    np.exp(Z, out=Z)\n    return Z / Z.sum(axis=0, keepdims=True)\n",
            r"mistakes: in_place_errores\.softmax__unstable fails on public_cases\[0\] \(.*read-only.*\); "
            r"a reference must not change its arguments in place",
        ),
    ],
)
def test_a_mistakes_module_is_checked_at_load(tmp_path: Path, name: str, mistakes: str, message: str) -> None:
    with pytest.raises(RubricError, match=message):
        load_rubric(workshop(tmp_path, name, mistakes=mistakes))


def test_a_generator_that_fails_on_a_hidden_corner_is_found_at_load(tmp_path: Path) -> None:
    fragile = REFERENCE.replace(
        "    Z = rng.normal(0.0, 2.0, size=(k, m))\n",
        '    if m > 10:\n        raise ValueError("too many instances")\n'
        "    Z = rng.normal(0.0, 2.0, size=(k, m))\n",
    )
    rubric = workshop(tmp_path, "fragile", reference=fragile)
    line = rubric.read_text(encoding="utf-8").splitlines().index("[hidden_cases]") + 1
    with pytest.raises(
        RubricError,
        match=rf"{rubric}:{line}: hidden_cases: the case generator fragile_ref\.py:casos fails on k=5, m=12 "
        r"\(ValueError: too many instances\)",
    ):
        load_rubric(rubric)


def test_a_reference_that_fails_on_a_case_is_found_at_load(tmp_path: Path) -> None:
    failing = REFERENCE.replace("    return float(-np.sum(Y", "    1 / 0\n    return float(-np.sum(Y")
    with pytest.raises(
        RubricError, match=r"tasks\[1\]\.reference: entropiaCruzada fails on public_cases\[0\] \(ZeroDivision"
    ):
        load_rubric(workshop(tmp_path, "failing", reference=failing))


def test_a_reference_that_changes_its_inputs_is_refused_at_load(tmp_path: Path) -> None:
    """Every submission of a run is graded on the same case arrays: a reference that wrote to them would
    change the next submission's expected values, so it is refused when the workshop is loaded."""
    in_place = REFERENCE.replace(
        "    E = np.exp(Z - Z.max(axis=0, keepdims=True))\n",
        "    Z -= Z.max(axis=0, keepdims=True)\n    E = np.exp(Z)\n",
    )
    assert in_place != REFERENCE
    with pytest.raises(
        RubricError,
        match=r"tasks\[0\]\.reference: softmax fails on public_cases\[0\] \(ValueError: .*read-only.*\); "
        r"a reference must not change its arguments in place",
    ):
        load_rubric(workshop(tmp_path, "mutating", reference=in_place))


def test_a_generator_must_return_named_values(tmp_path: Path) -> None:
    listing = REFERENCE.replace('return {"Z": Z, "Y": Y, "P": softmax(Z)}', "return [Z, Y]")
    with pytest.raises(
        RubricError, match=r"public_cases\[0\]: the case generator listing_ref\.py:casos returned"
    ):
        load_rubric(workshop(tmp_path, "listing", reference=listing))


# --- what the results depend on --------------------------------------------------------------------------


def test_everything_a_rubric_loads_is_part_of_the_result_key(tmp_path: Path) -> None:
    rubric_file = workshop(tmp_path / "w", "keyed", mistakes="HINTS = {}\n")
    (tmp_path / "w" / "keyed_util.py").write_text("SCALE = 1\n", encoding="utf-8")
    rubric = load_rubric(rubric_file)
    assert set(rubric.files) == {
        str(rubric_file),
        str(tmp_path / "w" / "keyed_ref.py"),
        str(tmp_path / "w" / "keyed_errores.py"),
        str(tmp_path / "w" / "keyed_util.py"),
    }

    def key() -> str:
        return _run_digest([load_rubric(rubric_file)], secret=None, lang=None, sandbox=())

    seen = {key()}
    assert key() in seen, "the same files give the same key"
    for name in ("rubric.toml", "keyed_ref.py", "keyed_errores.py", "keyed_util.py"):
        path = tmp_path / "w" / name
        path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        edited = key()
        assert edited not in seen, f"editing {name} must grade again"
        seen.add(edited)


def test_a_module_named_by_module_name_is_part_of_the_result_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "keyed_module.py").write_text(REFERENCE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    rubric_file = tmp_path / "by_name.toml"
    text = SOFTMAX.read_text(encoding="utf-8").replace('"softmax.py', '"keyed_module')
    rubric_file.write_text(text.replace('mistakes = "softmax_errores.py"\n', ""), encoding="utf-8")
    rubric = load_rubric(rubric_file)
    assert rubric.folder is None
    assert str(tmp_path / "keyed_module.py") in rubric.files
    before = _run_digest([rubric], secret=None, lang=None, sandbox=())
    (tmp_path / "keyed_module.py").write_text(REFERENCE + "\n# edited\n", encoding="utf-8")
    assert _run_digest([rubric], secret=None, lang=None, sandbox=()) != before


def test_the_documented_example_is_the_tested_one() -> None:
    docs = (FILES.parent.parent / "docs" / "workshops.md").read_text(encoding="utf-8")
    for name in ("rubric.toml", "softmax.py", "softmax_errores.py"):
        assert (SOFTMAX.parent / name).read_text(encoding="utf-8") in docs, name
