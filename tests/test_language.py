"""One run, read in either language: re-rendering changes every sentence a reader sees.

A run of the bundled samples is graded once (its messages stored as data), then rendered in Spanish and
in English. No rendered page, GitHub summary, Gradescope file or terminal summary may hold a word that
only the other language's catalogue uses. Words the students themselves wrote (their code, their output,
their exceptions' messages, all stored as parameters) are left out of the comparison: a Spanish comment
in an English page is the student's, not ours.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from grader.messages import CATALOGUE, LANGUAGES, SINGULAR
from grader.workshop import load_bundled_rubrics

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "submissions"
SECRET = "language-test-secret"
# Words of five letters or more; identifiers (column_vectors, worker-process) are names, not words.
_TOKEN = re.compile(r"[\w-]+")
_WORD = re.compile(r"[^\W\d_]{5,}")
_FIELD = re.compile(r"\{[^}]*\}")


def _words(text: str) -> set[str]:
    return {token.lower() for token in _TOKEN.findall(text) if _WORD.fullmatch(token)}


def _catalogue_words(lang: str) -> set[str]:
    found: set[str] = set()
    for texts in CATALOGUE.values():
        found |= _words(_FIELD.sub(" ", texts[lang]))
    for _, singular in SINGULAR.values():
        found |= _words(_FIELD.sub(" ", singular[lang]))
    return found


def _strings(value: Any) -> Iterator[str]:
    """Every string a results document holds, keys aside: the students' words are among them."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _grader(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRADER_SECRET": SECRET, "NO_COLOR": "1"}
    return subprocess.run(
        [str(Path(sys.executable).parent / "grader"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run")
    done = _grader("grade", str(SAMPLES), "--out", str(out / "es"), "--format", "all", "--quiet", cwd=out)
    assert (out / "es" / "results.json").exists(), done.stderr
    rendered = _grader(
        "report",
        str(out / "es" / "results.json"),
        "--lang",
        "en",
        "--out",
        str(out / "en"),
        "--format",
        "all",
        cwd=out,
    )
    assert rendered.returncode == 0, rendered.stderr
    return out


def _identifiers() -> set[str]:
    """Words of the rubrics' identifiers (check, function and convention ids such as ``shapes`` or
    ``columns``): names shown as they are in every language, like a function's name."""
    found: set[str] = set()
    for rubric in load_bundled_rubrics():
        names = [rubric.id, *(c.id for c in rubric.conventions)]
        for task in rubric.tasks:
            names += [task.id, *(check.id for check in task.checks)]
        for name in names:
            found |= _words(name.replace("_", " "))
    return found


def _student_words(results: Path) -> set[str]:
    document = json.loads(results.read_text(encoding="utf-8"))
    found: set[str] = set()
    for submission in document["submissions"]:
        for text in _strings({k: v for k, v in submission.items() if k not in ("status",)}):
            found |= _words(text)
    return found


def _reader_json(value: Any) -> Iterator[str]:
    """The strings of a Gradescope file a student reads (its keys and tags are the format's own)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("output", "name") and isinstance(item, str):
                yield item
            else:
                yield from _reader_json(item)
    elif isinstance(value, list):
        for item in value:
            yield from _reader_json(item)


def _visible_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    if text.startswith("result="):
        # The Classroom reporter's output: its payload is base64 JSON whose messages students read.
        payload = json.loads(base64.b64decode(text.removeprefix("result=").strip()))
        return "\n".join(str(test.get("message", "")) for test in payload.get("tests", []))
    if path.suffix == ".json":
        return "\n".join(_reader_json(json.loads(text)))
    if path.suffix == ".xml":
        # What a CI page shows of a JUnit file: failure messages and their text, not element names.
        found = re.findall(r'message="([^"]*)"', text) + re.findall(r">([^<]+)<", text)
        return html.unescape("\n".join(found))
    if path.suffix == ".md":
        # GitHub renders the summary's HTML: its tags (<details>, <code>) are markup, not words.
        return html.unescape(re.sub(r"<[^>]+>", " ", text))
    if path.suffix == ".html":
        # Scripts, styles and the student's own code are not sentences of ours.
        text = re.sub(r"(?is)<(script|style|pre|code)\b.*?</\1>", " ", text)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_run_rendered_in_one_language_holds_no_word_of_the_other(graded: Path, lang: str) -> None:
    other = next(code for code in LANGUAGES if code != lang)
    foreign = (
        _catalogue_words(other)
        - _catalogue_words(lang)
        - _student_words(graded / "es" / "results.json")
        - _identifiers()
    )
    assert len(foreign) > 100, "the comparison must have words to look for"
    files = [
        p
        for p in (graded / lang).rglob("*")
        if p.is_file() and p.suffix in (".html", ".md", ".json", ".txt", ".xml") and p.name != "results.json"
    ]
    assert any(p.suffix == ".html" for p in files) and any("gradescope" in str(p) for p in files)
    leaks = {
        str(p.relative_to(graded)): sorted(_words(_visible_text(p)) & foreign)[:10]
        for p in files
        if _words(_visible_text(p)) & foreign
    }
    assert not leaks


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_terminal_speaks_the_language_asked_for(tmp_path: Path, lang: str) -> None:
    other = next(code for code in LANGUAGES if code != lang)
    sample = sorted(SAMPLES.glob("*.ipynb"))[0]
    checked = _grader("check", str(sample), "--lang", lang, cwd=tmp_path)
    assert checked.stdout.strip(), checked.stderr
    source_words = _words(sample.read_text(encoding="utf-8"))
    foreign = _catalogue_words(other) - _catalogue_words(lang) - source_words - _identifiers()
    assert not (_words(checked.stdout) & foreign), checked.stdout
