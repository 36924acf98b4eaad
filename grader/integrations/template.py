"""The integration templates (workflow, shell scripts): package data with ``@NAME@`` placeholders.

The placeholders are neither ``${{ }}`` (GitHub expressions) nor ``$NAME`` (shell), so the templates
can use both freely and read like the files they become.
"""

from __future__ import annotations

import importlib.resources
import re
from collections.abc import Mapping

_PLACEHOLDER = re.compile(r"@([A-Z][A-Z0-9_]*)@")

SAFE_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
"""Names (rubric ids) that can go unquoted into YAML, a shell command line and a file name."""


def fill_template(name: str, values: Mapping[str, str]) -> str:
    """The template ``name`` with every placeholder replaced; a missing or unused value is an error."""
    text = (
        importlib.resources.files("grader.integrations")
        .joinpath("templates")
        .joinpath(name)
        .read_text("utf-8")
    )
    wanted = set(_PLACEHOLDER.findall(text))
    if wanted != set(values):
        raise ValueError(f"template {name}: placeholders {sorted(wanted)} but values for {sorted(values)}")
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], text)
