"""docs/check-kinds.md is generated from the registry of check kinds, and cannot drift from it."""

from __future__ import annotations

from pathlib import Path

from grader.checks import CHECK_KINDS
from grader.checks.registry import DOC_REGENERATE, describe_kinds

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "check-kinds.md"


def test_the_check_kinds_document_is_the_registry_s() -> None:
    assert DOC.read_text(encoding="utf-8") == describe_kinds(), (
        f"docs/check-kinds.md is out of date with the registry; regenerate it with: {DOC_REGENERATE}"
    )


def test_every_kind_and_option_is_documented() -> None:
    text = describe_kinds()
    for name, kind in CHECK_KINDS.items():
        assert f"\n## `{name}`\n\n{kind.doc}\n" in text
        for option, spec in kind.options.items():
            assert f"| `{option}` | {spec.type_name} |" in text
    assert "| `accuracy` | integer or float | `1.0` | (0, 1] |" in text
    assert "| `tolerance` | float | `1e-5` | > 0 |" in text


def test_the_readme_links_to_it() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/check-kinds.md)" in readme
