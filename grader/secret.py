"""The secret the hidden cases are derived from: where it is looked for, and whether a run may go without it.

Only whether a secret is given is looked at before the sandbox starts; it is read afterwards (see
:mod:`grader.session`), so that no process forked for student code ever held it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from grader.errors import UsageError

SECRET_ENV = "GRADER_SECRET"
NO_SECRET = (
    f'no secret for the hidden cases: set {SECRET_ENV} (export {SECRET_ENV}="$(cat final-secret.txt)") '
    "or give --secret-file FILE. To grade the public checks only, on purpose, add --public-only: every "
    "report and gradebook of that run is then marked as not final."
)


def require_secret(secret_file: Path | None, *, public_only: bool, warn: Callable[[str], None]) -> None:
    """A batch without the hidden cases would look like the final gradebook: it takes a secret, or
    --public-only said on purpose. Only whether one is given is looked at here; it is read later, once
    the sandbox has started."""
    if public_only:
        if secret_file is not None or os.environ.get(SECRET_ENV):
            warn("warning: --public-only: the secret is not read; hidden cases do not run.")
        return
    if secret_file is None and not os.environ.get(SECRET_ENV):
        raise UsageError(NO_SECRET)


def read_secret(secret_file: Path | None) -> str | None:
    """The secret of ``secret_file`` when one is given, else of the environment; ``None`` when neither
    has one."""
    if secret_file is not None:
        secret = secret_file.read_text(encoding="utf-8").strip()
        if not secret:
            raise UsageError(f"{secret_file} is empty")
        return secret
    return os.environ.get(SECRET_ENV) or None
