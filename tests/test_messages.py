"""The message catalogue: complete in both languages, consistent, and covering every code the grader gives."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from grader.messages import CATALOGUE, LANGUAGES, Translator, template_fields
from reference.mistakes import known_mistakes

ROOT = Path(__file__).resolve().parent.parent
# The diagnosis vocabulary every report relies on (docs: design), plus the codes recognised since.
VOCABULARY = {
    "swapped_outputs",
    "missing_activation_derivative",
    "missing_mean",
    "mse_instead_of_cross_entropy",
    "gradient_ascent",
    "wrong_cost_scale",
    "non_simultaneous_update",
    "normalize_wrong_axis",
    "transposed_output",
    "timeout",
    "missing_function",
    "syntax_error",
    "student_exception",
    "missing_bias",
    "missing_output_activation",
    "missing_hidden_activation",
    "derivative_of_z",
    "sigmoid_applied_twice",
    "missing_negative_sign",
    "off_by_one_epochs",
    "stale_activations",
    "wrong_sign",
    "sum_of_squares",
    "missing_centering",
    "normalize_without_axis",
}
# The facts recognisers attach to a diagnosis, which ".detail" hints may quote.
FACTS = {"factor", "actual", "expected", "ran", "asked"}
WORKSHOP_FUNCTIONS = {
    "xor": ("feedForward", "costoGlobal", "backProp", "entrenarRed"),
    "linreg": ("calcularCosto", "calcularGradiente", "descensoGradiente", "normalizar"),
}


def _sample_value(spec: str) -> object:
    return 1.5 if spec else "x"


def _fill(template: str) -> dict[str, object]:
    return {name: _sample_value(spec) for _, name, spec, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_entry_exists_in_both_languages_with_the_same_fields(key: str) -> None:
    entry = CATALOGUE[key]
    assert set(entry) == set(LANGUAGES)
    assert all(entry[lang].strip() for lang in LANGUAGES)
    assert entry["es"] != entry["en"], "left untranslated"
    assert template_fields(entry["es"]) == template_fields(entry["en"])


@pytest.mark.parametrize("key", sorted(CATALOGUE))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_template_formats(key: str, lang: str) -> None:
    template = CATALOGUE[key][lang]
    text = Translator(lang)(key, **_fill(template))
    assert "{" not in text and "}" not in text


def test_every_key_the_grader_names_is_in_the_catalogue() -> None:
    named = set()
    for path in (ROOT / "grader").rglob("*.py"):
        named |= set(re.findall(r"\bt\(\s*\"([a-z_]+(?:\.[a-z_]+)+)\"", path.read_text(encoding="utf-8")))
    assert named, "the scan found no message keys at all"
    assert named - set(CATALOGUE) == set()


@pytest.mark.parametrize("code", sorted(VOCABULARY))
def test_every_code_has_a_hint_without_fields(code: str) -> None:
    assert f"diag.{code}" in CATALOGUE
    assert template_fields(CATALOGUE[f"diag.{code}"]["es"]) == frozenset()


def test_every_code_the_reference_mistakes_name_is_in_the_vocabulary() -> None:
    named = set()
    for module, functions in WORKSHOP_FUNCTIONS.items():
        for function in functions:
            known = known_mistakes(module, function)
            named |= set(known.implementations)
            named |= {code for scaling in known.scalings for code in scaling.codes}
    assert named - VOCABULARY == set()


def test_detailed_hints_quote_only_facts_recognisers_give() -> None:
    details = [key for key in CATALOGUE if key.startswith("diag.") and key.endswith(".detail")]
    assert details
    for key in details:
        assert key.removesuffix(".detail") in CATALOGUE
        assert template_fields(CATALOGUE[key]["es"]) <= FACTS, key


def test_translator_formats_in_its_language_and_refuses_unknown_ones() -> None:
    assert Translator("es")("case.hidden", function="backProp", n=2) == "backProp, caso oculto 2"
    assert Translator("en")("case.hidden", function="backProp", n=2) == "backProp, hidden case 2"
    assert Translator().lang == "es"
    assert Translator("en").has("diag.missing_mean")
    assert not Translator("en").has("diag.no_such_code")
    with pytest.raises(ValueError, match="unsupported language 'fr'"):
        Translator("fr")
    with pytest.raises(KeyError):
        Translator("es")("case.hidden", n=2)


def test_template_fields() -> None:
    assert template_fields("{case}: {diff:.3g} at {where}") == frozenset({"case", "diff", "where"})
    assert template_fields("no fields") == frozenset()
