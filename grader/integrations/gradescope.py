"""Gradescope: the autograder zip (``setup.sh``, ``run_autograder``, the rubrics, this grader's wheel).

Inside Gradescope's container the zip is unpacked in ``/autograder/source``; ``setup.sh`` runs once
when the image is built, ``run_autograder`` once per submission. ``run_autograder`` grades
``/autograder/submission`` with ``grader ci --gradescope`` and always leaves
``/autograder/results/results.json`` behind: when the grader cannot finish (killed, out of time,
broken install) it writes a fallback that scores 0 and says why.
"""

from __future__ import annotations

import importlib.resources
import io
import json
import shlex
import zipfile
from collections.abc import Sequence
from pathlib import Path

from grader import __version__
from grader.errors import UsageError
from grader.integrations.template import SAFE_WORD, fill_template
from grader.integrations.wheel import ZIP_DATE, build_wheel, wheel_name
from grader.messages import table
from grader.rubric import Rubric

SECRET_FILE = "grader_secret"
RUBRICS_DIR = "rubrics"
TIME_LIMIT_S = 540
"""Gradescope stops an autograder after 10 minutes by default; the grader gets 9 of them, so that the
fallback results are still written in time."""


def autograder_zip(
    rubrics: Sequence[Rubric],
    *,
    secret: str | None,
    lang: str | None = None,
    time_limit_s: int = TIME_LIMIT_S,
) -> bytes:
    """The bytes of ``autograder.zip`` grading with ``rubrics``.

    With a ``secret`` the hidden checks run too (the secret travels in the zip, which students never
    see, and ``run_autograder`` deletes it before grading). The same inputs always give the same bytes.
    """
    if not rubrics:
        raise UsageError("name at least one rubric for the autograder (--rubric xor)")
    if secret is not None and not secret.strip():
        raise UsageError("the secret is empty")
    ids = [rubric.id for rubric in rubrics]
    for rubric_id in ids:
        if not SAFE_WORD.fullmatch(rubric_id):
            raise UsageError(f"rubric id {rubric_id!r} cannot name a file in the autograder")
    if len(set(ids)) != len(ids):
        raise UsageError(f"two rubrics share an id: {', '.join(ids)}")
    language = lang or rubrics[0].lang
    words = table("gradescope", language)
    max_score = round(sum(rubric.max_score for rubric in rubrics), 6)
    files: dict[str, bytes] = {}
    rubric_paths = []
    for rubric in rubrics:
        path, carried = rubric_members(rubric)
        rubric_paths.append(f'"$SOURCE/{path}"')
        files.update(carried)
    args = "".join(f" --rubric {path}" for path in rubric_paths)
    if lang is not None:
        args += f" --lang {shlex.quote(lang)}"
    wheel = wheel_name()
    members: dict[str, tuple[bytes, int]] = {
        "setup.sh": (
            fill_template(
                "setup.sh",
                {
                    "VERSION": __version__,
                    "WHEEL": wheel,
                    "SECRET_FILE": SECRET_FILE,
                    "RUBRICS": " ".join(rubric_paths),
                },
            ).encode("utf-8"),
            0o755,
        ),
        "run_autograder": (
            fill_template(
                "run_autograder",
                {
                    "VERSION": __version__,
                    "TIME_LIMIT": str(time_limit_s),
                    "SECRET_FILE": SECRET_FILE,
                    "GRADE_ARGS": args,
                    "FAILED_JSON": shlex.quote(_fallback(words["name"], words["failed"], max_score)),
                    "TIMEOUT_JSON": shlex.quote(
                        _fallback(words["name"], words["timeout"].format(seconds=time_limit_s), max_score)
                    ),
                },
            ).encode("utf-8"),
            0o755,
        ),
        wheel: (build_wheel(), 0o644),
    }
    members.update((name, (data, 0o644)) for name, data in files.items())
    if secret is not None:
        members[SECRET_FILE] = (secret.strip().encode("utf-8"), 0o600)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, (data, mode) in members.items():
            member = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            member.external_attr = (0o100000 | mode) << 16
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, data)
    return buffer.getvalue()


def rubric_members(rubric: Rubric) -> tuple[str, dict[str, bytes]]:
    """Where the rubric goes in the zip, and the files it needs there (zip name → bytes).

    A rubric file alone is ``rubrics/<id>.toml``. A workshop folder keeps its layout under
    ``rubrics/<id>/`` (its rubric TOML, and every ``.py`` and ``.toml`` file it loaded or that sits
    beside the rubric), so the paths the rubric names still hold. Modules named by module name must be
    the grader's own (``reference.…``): the wheel in the zip carries nothing else.
    """
    own = {Path(str(importlib.resources.files(package))).resolve() for package in ("grader", "reference")}
    folder = Path(rubric.folder) if rubric.folder is not None else None
    chosen: dict[str, Path] = {}
    if folder is None:
        chosen[f"{RUBRICS_DIR}/{rubric.id}.toml"] = Path(rubric.path)
    else:
        beside = [p for p in folder.iterdir() if p.suffix in (".py", ".toml") and p.is_file()]
        for path in sorted({*beside, *(Path(name) for name in rubric.files)}):
            if path.is_relative_to(folder):
                chosen[f"{RUBRICS_DIR}/{rubric.id}/{path.relative_to(folder).as_posix()}"] = path
    outside = [
        Path(name)
        for name in rubric.files
        if Path(name) not in chosen.values() and not any(Path(name).is_relative_to(root) for root in own)
    ]
    if outside:
        raise UsageError(
            f"rubric {rubric.id}: {outside[0]} is not part of the grader or of the workshop folder, so the "
            "autograder would not have it: put the module in the workshop folder and name it by path"
        )
    try:
        files = {name: path.read_bytes() for name, path in chosen.items()}
    except OSError as exc:
        raise UsageError(f"rubric {rubric.id}: {exc.filename} cannot be read ({exc})") from None
    toml = next(name for name, path in chosen.items() if path == Path(rubric.path))
    return toml, files


def _fallback(name: str, message: str, max_score: float) -> str:
    """The results.json ``run_autograder`` writes when the grader did not: zero, and why."""
    return json.dumps(
        {
            "score": 0,
            "output": message,
            "stdout_visibility": "hidden",
            "tests": [
                {
                    "name": name,
                    "score": 0,
                    "max_score": max_score,
                    "status": "failed",
                    "output": message,
                    "visibility": "visible",
                }
            ],
        },
        ensure_ascii=False,
    )
