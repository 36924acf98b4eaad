"""Sentences as data: a :class:`Message` is a catalogue key and its parameters, made by grading and put
into words only by renderers (:func:`render`), in the language they are asked for."""

from __future__ import annotations

import math
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeAlias

from grader.catalogue import CATALOGUE, LANGUAGES, SINGULAR
from grader.location import Location

__all__ = [
    "CATALOGUE",
    "LANGUAGES",
    "SAY",
    "SINGULAR",
    "WRITTEN_PER_LANGUAGE",
    "Hints",
    "Joined",
    "Message",
    "Param",
    "Phrases",
    "plain",
    "render",
    "table",
    "template_fields",
    "verbatim",
    "words",
]

# A workshop's own hints: diagnosis code → language → sentence.
Hints = Mapping[str, Mapping[str, str]]
NO_HINTS: Hints = {}
NO_FACTS: Mapping[str, Any] = {}

# Messages whose text was written by someone else in each language (a workshop's own hints): their
# parameters are the texts, by language code.
WRITTEN_PER_LANGUAGE = frozenset({"workshop.hint"})

# Longest text one parameter may carry in a stored message (student exception messages, warnings).
MAX_PARAM_TEXT = 4000
# How deep messages may nest inside each other's parameters (a case label inside a call's failure...).
MAX_DEPTH = 8


Param: TypeAlias = "str | int | float | bool | Message | Joined | Location | None"


@dataclass(frozen=True)
class Message:
    """A sentence as data: a catalogue key and the values it is filled with. Grading stores these;
    only a renderer turns one into words, in the language it is asked for, so one run reads in
    either language. Parameters are plain values (numbers keep their type: the template formats them),
    other messages, lists of values (:class:`Joined`) and places in the student's code."""

    key: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        return render(self, lang)

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "params": {name: _param_json(value) for name, value in self.params.items()}}

    @classmethod
    def from_json(cls, data: Any, *, depth: int = 0) -> Message:
        """A message as ``results.json`` holds it; anything malformed is a ``ValueError``."""
        if not isinstance(data, Mapping) or not isinstance(data.get("key"), str):
            raise ValueError(f"not a stored message: {str(data)[:80]!r}")
        key = data["key"]
        if key not in CATALOGUE:
            raise ValueError(f"unknown message key {key!r}")
        params = data.get("params", {})
        if not isinstance(params, Mapping):
            raise ValueError(f"message {key!r}: params must be an object")
        return cls(key, {str(k): _param_from_json(v, depth + 1) for k, v in params.items()})


@dataclass(frozen=True)
class Joined:
    """Several values read as one: rendered one after another with ``separator`` between them."""

    items: tuple[Param, ...]
    separator: Param = ", "


def verbatim(text: str) -> Message:
    """Words kept as they are: a message an older ``results.json`` stored as a finished sentence."""
    return Message("verbatim", {"text": text})


def plain(text: str) -> Message:
    """Data shown as it is in every language (a student's printed output, an array's values)."""
    return Message("plain", {"text": text})


def render(value: Param, lang: str) -> str:
    """The words of a stored value in ``lang``."""
    if isinstance(value, Message):
        if value.key in WRITTEN_PER_LANGUAGE:
            # Stored in every language: the text is the parameter named by the language asked for.
            return render(value.params.get(lang), lang)
        fields = {name: _field(param, lang) for name, param in value.params.items()}
        return _template(value, lang).format(**fields)
    if isinstance(value, Joined):
        return render(value.separator, lang).join(render(item, lang) for item in value.items)
    if isinstance(value, Location):
        if value.cell is not None:
            return render(
                Message("where.notebook", {"file": value.file, "cell": value.cell, "line": value.line}), lang
            )
        return render(Message("where.file", {"file": value.file, "line": value.line}), lang)
    if value is None:
        return ""
    return str(value)


def _field(value: Param, lang: str) -> Any:
    """A parameter as a template's field receives it: numbers stay numbers (``{seconds:g}``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return render(value, lang)
    return value


def _template(message: Message, lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    singular = SINGULAR.get(message.key)
    if singular is not None and message.params.get(singular[0]) == 1:
        return singular[1][lang]
    return CATALOGUE[message.key][lang]


def _param_json(value: Param) -> Any:
    if isinstance(value, Message):
        return value.to_json()
    if isinstance(value, Joined):
        return {
            "join": [_param_json(item) for item in value.items],
            "separator": _param_json(value.separator),
        }
    if isinstance(value, Location):
        return {"file": value.file, "cell": value.cell, "line": value.line}
    if isinstance(value, float) and not math.isfinite(value):
        # JSON has no NaN or infinity; the number is still formatted as one when rendered.
        return {"number": repr(value)}
    return value


def _param_from_json(data: Any, depth: int) -> Param:
    if depth > MAX_DEPTH:
        raise ValueError("stored message nested too deep")
    if data is None or isinstance(data, bool | int):
        return data
    if isinstance(data, float):
        return data
    if isinstance(data, str):
        return data[:MAX_PARAM_TEXT]
    if isinstance(data, list):
        raise ValueError("a stored message parameter cannot be a bare list")
    if not isinstance(data, Mapping):
        raise ValueError(f"unreadable stored message parameter {str(data)[:80]!r}")
    if "key" in data:
        return Message.from_json(data, depth=depth)
    if "join" in data and isinstance(data["join"], list):
        return Joined(
            tuple(_param_from_json(item, depth + 1) for item in data["join"]),
            _param_from_json(data.get("separator", ", "), depth + 1),
        )
    if "number" in data and data["number"] in ("nan", "inf", "-inf"):
        return float(data["number"])
    if "file" in data and "line" in data:
        return Location.from_json(data)
    raise ValueError(f"unreadable stored message parameter {str(data)[:80]!r}")


class Phrases:
    """Makes the messages grading stores, checked against the catalogue as they are made: a key that is
    not there, or a field its templates need and the call does not give, fails at once, in the grader's
    own tests, rather than when some report is rendered."""

    def __call__(self, key: str, /, **params: Param) -> Message:
        entry = CATALOGUE.get(key)
        if entry is None:
            raise KeyError(key)
        needed = frozenset(LANGUAGES) if key in WRITTEN_PER_LANGUAGE else _fields(key)
        missing = needed - params.keys()
        if missing:
            raise KeyError(f"{key}: missing {', '.join(sorted(missing))}")
        return Message(key, params)

    def has(self, key: str) -> bool:
        return key in CATALOGUE

    def hint(
        self, code: str, facts: Mapping[str, Param] = NO_FACTS, *, workshop: Hints = NO_HINTS
    ) -> Message | None:
        """The hint for a diagnosis code, or ``None``: the workshop's own sentence (its mistakes module's
        ``HINTS``, kept in both languages) before the catalogue's, whose detailed form quotes the
        ``facts``."""
        if code in workshop:
            return Message("workshop.hint", {lang: workshop[code][lang] for lang in LANGUAGES})
        detailed = f"diag.{code}.detail"
        if facts and detailed in CATALOGUE:
            return self(detailed, **facts)
        return self(f"diag.{code}") if f"diag.{code}" in CATALOGUE else None


SAY = Phrases()


@cache
def _fields(key: str) -> frozenset[str]:
    found: frozenset[str] = frozenset()
    for lang in LANGUAGES:
        found |= template_fields(CATALOGUE[key][lang])
    return found


def words(key: str, lang: str, /, **params: Param) -> str:
    """A catalogue sentence in ``lang`` at once: for renderers, which produce words and store nothing."""
    return render(SAY(key, **params), lang)


def table(prefix: str, lang: str) -> dict[str, str]:
    """The templates under ``prefix.`` in ``lang``, by the rest of their key: for renderers that fill
    a page's fixed words at once (headings, labels)."""
    start = f"{prefix}."
    return {key[len(start) :]: texts[lang] for key, texts in CATALOGUE.items() if key.startswith(start)}


def template_fields(template: str) -> frozenset[str]:
    """The names of the fields a catalogue template uses (``{case}`` and ``{diff:.3g}`` give case, diff)."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)
