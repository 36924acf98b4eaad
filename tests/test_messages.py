"""The message catalogue: complete in both languages, consistent, and covering every code the grader gives."""

from __future__ import annotations

import json
import math
import re
import string
from pathlib import Path

import pytest

from grader.location import Location
from grader.messages import (
    CATALOGUE,
    LANGUAGES,
    SAY,
    SINGULAR,
    WRITTEN_PER_LANGUAGE,
    Joined,
    Message,
    Phrases,
    plain,
    render,
    template_fields,
    verbatim,
    words,
)
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
# Text that is the same in every language: data shown as it is, sentences an older results.json stored
# already written, and a workshop's own hint (kept in both languages: each template takes its own).
LANGUAGE_NEUTRAL = {"plain", "verbatim", "workshop.hint", "source.in_file"}
# Words spelled the same in Spanish and English.
# Words that are the same in both languages ("error").
SAME_WORDS = {"job.error", "job.check_error", "page.check_error", "page.submission_error"}
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
    if key not in LANGUAGE_NEUTRAL | SAME_WORDS:
        assert entry["es"] != entry["en"], "left untranslated"
    if key != "workshop.hint":  # each language reads its own field (see below)
        assert template_fields(entry["es"]) == template_fields(entry["en"])


def test_the_language_neutral_entries_are_what_they_say() -> None:
    assert all(CATALOGUE[key]["es"] == CATALOGUE[key]["en"] for key in LANGUAGE_NEUTRAL - {"workshop.hint"})
    # A workshop's hint: each language reads its own sentence, and only its own.
    hint = SAY("workshop.hint", es="pista", en="hint")
    assert {lang: render(hint, lang) for lang in LANGUAGES} == {"es": "pista", "en": "hint"}
    with pytest.raises(KeyError, match="en"):
        SAY("workshop.hint", es="solo en español")


@pytest.mark.parametrize("key", sorted(CATALOGUE))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_template_formats(key: str, lang: str) -> None:
    fields: dict[str, object] = {}
    for other in LANGUAGES:
        fields |= _fill(CATALOGUE[key][other])
    if key in WRITTEN_PER_LANGUAGE:
        fields = {code: f"text in {code}" for code in LANGUAGES}
    text = render(SAY(key, **fields), lang)
    assert "{" not in text and "}" not in text


@pytest.mark.parametrize("key", sorted(SINGULAR))
def test_every_singular_belongs_to_an_entry_and_uses_only_its_fields(key: str) -> None:
    count, sentences = SINGULAR[key]
    assert key in CATALOGUE
    assert set(sentences) == set(LANGUAGES)
    assert count in template_fields(CATALOGUE[key]["es"])
    fields = {lang: template_fields(sentences[lang]) for lang in LANGUAGES}
    assert fields["es"] == fields["en"]
    assert fields["es"] <= template_fields(CATALOGUE[key]["es"]) - {count}
    assert sentences["es"] != sentences["en"]


def test_every_key_the_grader_names_is_in_the_catalogue() -> None:
    named = set()
    for path in (ROOT / "grader").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        named |= set(re.findall(r"\b(?:t|SAY|words|_say)\(\s*\"([a-z_]+(?:\.[a-z_]+)+)\"", text))
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


def test_messages_render_in_the_language_asked_for_and_refuse_unknown_ones() -> None:
    message = SAY("case.hidden", function="backProp", n=2)
    assert message == Message("case.hidden", {"function": "backProp", "n": 2})
    assert render(message, "es") == message.render("es") == "backProp, caso oculto 2"
    assert render(message, "en") == "backProp, hidden case 2"
    assert words("case.hidden", "en", function="backProp", n=2) == "backProp, hidden case 2"
    assert SAY.has("diag.missing_mean")
    assert not SAY.has("diag.no_such_code")
    with pytest.raises(ValueError, match="unsupported language 'fr'"):
        render(message, "fr")


def test_phrases_refuse_an_unknown_key_and_a_missing_field() -> None:
    with pytest.raises(KeyError, match=re.escape("case.nowhere")):
        Phrases()("case.nowhere", function="backProp", n=2)
    with pytest.raises(KeyError, match=re.escape("case.hidden: missing function")):
        SAY("case.hidden", n=2)
    # A field only one language uses is still needed: the message must render in both.
    with pytest.raises(KeyError, match=re.escape("workshop.hint: missing en")):
        SAY("workshop.hint", es="Falta el sesgo.")
    with pytest.raises(KeyError):
        words("case.hidden", "es", function="backProp")


@pytest.mark.parametrize(
    ("count", "es", "en"),
    [(0, "0 pasos", "0 steps"), (1, "1 paso", "1 step"), (2, "2 pasos", "2 steps")],
)
def test_counts_say_one_in_the_singular(count: int, es: str, en: str) -> None:
    steps = SAY("n.steps", count=count)
    assert (render(steps, "es"), render(steps, "en")) == (es, en)


def test_a_single_case_is_said_in_the_singular_in_both_languages() -> None:
    one, two = SAY("summary.pass", total=1), SAY("summary.pass", total=2)
    assert (render(one, "es"), render(one, "en")) == (
        "Correcto en el único caso.",
        "Correct on the only case.",
    )
    assert (render(two, "es"), render(two, "en")) == ("Correcto en los 2 casos.", "Correct on all 2 cases.")
    partial = SAY("summary.partial", passed=0, total=1)
    assert (render(partial, "es"), render(partial, "en")) == (
        "Correcto en 0 de 1 caso.",
        "Correct on 0 of 1 case.",
    )
    more = [SAY("summary.more", count=n) for n in (1, 2)]
    assert [render(m, "es") for m in more] == ["… y 1 caso más con fallos.", "… y 2 casos más con fallos."]
    assert [render(m, "en") for m in more] == ["… and 1 more failing case.", "… and 2 more failing cases."]


def test_a_count_nested_in_a_sentence_agrees_with_its_number() -> None:
    label = SAY("case.hidden", function="entrenarRed", n=1)

    def stalled(steps: int) -> Message:
        return SAY(
            "train.param_non_finite", case=label, steps=SAY("n.steps", count=steps), rate=0.5, name="w1"
        )

    assert (
        render(stalled(1), "es")
        == "entrenarRed, caso oculto 1: tras 1 paso con tasa 0.5, w1 contiene NaN o infinito."
    )
    assert render(stalled(3), "en") == (
        "entrenarRed, hidden case 1: after 3 steps with rate 0.5, w1 contains NaN or infinity."
    )
    for lang in LANGUAGES:
        assert "(s)" not in render(stalled(1), lang) and "(s)" not in render(stalled(2), lang)


def test_numbers_keep_their_type_for_the_template_to_format() -> None:
    timeout = SAY("call.timeout", case=plain("f"), seconds=2.50)
    assert render(timeout, "en") == "f: your function did not finish within 2.5 s (an endless loop?)."
    assert render(SAY("out.value.hidden", case=plain("f"), name="J", rtol=1e-05, atol=0), "es") == (
        "f: J no coincide con la referencia (tolerancia rtol=1e-05, atol=0)."
    )


def test_joined_values_and_places_render_in_the_language_asked_for() -> None:
    cell, line = Location("taller.ipynb", 3, 2), Location("taller.py", None, 12)
    frames = Joined(
        (SAY("call.frame", where=cell, function="f"), SAY("call.frame", where=line, function="g")),
        SAY("call.frame_separator"),
    )
    message = SAY("call.in_location", where=frames)
    assert render(message, "es") == (
        " (en taller.ipynb, celda 3, línea 2, dentro de f ← llamada desde taller.py, línea 12, dentro de g)"
    )
    assert render(message, "en") == (
        " (at taller.ipynb, cell 3, line 2, in f ← called from taller.py, line 12, in g)"
    )
    assert render(Joined(("a", 1, None)), "en") == "a, 1, "
    assert render(verbatim("Correcto en 2 de 3 casos."), "en") == "Correcto en 2 de 3 casos."


def _round_trip(message: Message) -> Message:
    """A message written to JSON (which has no NaN) and read back."""
    return Message.from_json(json.loads(json.dumps(message.to_json(), allow_nan=False)))


def test_a_message_survives_json_with_its_nested_messages_lists_places_and_numbers() -> None:
    label = SAY("case.public", function="feedForward", n=1, sizes="m=4")
    frames = Joined(
        (SAY("call.frame", where=Location("taller.ipynb", 3, 2), function="f"), "?"),
        SAY("call.frame_separator"),
    )
    message = SAY(
        "call.exception",
        case=label,
        type="ValueError",
        message="shapes (2,4) and (3,4) not aligned",
        where=SAY("call.in_location", where=frames),
    )
    assert _round_trip(message) == message
    values = SAY(
        "out.values",
        case=label,
        name="a2",
        shape="(1, 4)",
        diff=0.25,
        where="[0, 1]",
        expected=1,
        actual=None,
        rtol=1e-05,
        atol=0.0,
    )
    back = _round_trip(values)
    assert back == values
    assert isinstance(back.params["expected"], int) and isinstance(back.params["atol"], float)
    for lang in LANGUAGES:
        assert render(_round_trip(message), lang) == render(message, lang)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_a_number_json_cannot_hold_is_kept(value: float) -> None:
    message = SAY("train.cost_flat", case=plain("c"), before=value, after=1.0, rate=0.1)
    stored = json.dumps(message.to_json(), allow_nan=False)
    back = Message.from_json(json.loads(stored))
    kept = back.params["before"]
    assert isinstance(kept, float)
    assert math.isnan(kept) if math.isnan(value) else kept == value
    assert render(back, "en") == render(message, "en")
    assert render(back, "es").startswith(f"c: el costo no bajó ({value:.6g} → 1)")


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({"key": "no.such.key", "params": {}}, "unknown message key"),
        ({"params": {}}, "not a stored message"),
        ("Correcto.", "not a stored message"),
        ({"key": "plain", "params": []}, "params must be an object"),
        ({"key": "plain", "params": {"text": ["a", "b"]}}, "bare list"),
        ({"key": "plain", "params": {"text": {"what": 1}}}, "unreadable"),
    ],
)
def test_a_malformed_stored_message_is_refused(data: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        Message.from_json(data)


def test_stored_messages_nest_only_so_deep() -> None:
    message: Message = plain("x")
    for _ in range(20):
        message = SAY("term.note", text=message)
    with pytest.raises(ValueError, match="too deep"):
        Message.from_json(message.to_json())


def test_template_fields() -> None:
    assert template_fields("{case}: {diff:.3g} at {where}") == frozenset({"case", "diff", "where"})
    assert template_fields("no fields") == frozenset()
