"""A wheel of the grader that is running now, built from its own files (no build tools, no network).

An autograder bundle must carry exactly the grader the instructor tried, whether it runs from a
source checkout (an editable install) or from an installed wheel: so the packages are read from
where Python imports them, and the metadata (dependencies, entry points) from the installed
distribution.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import importlib.util
import io
import zipfile
from pathlib import Path

from grader import __version__
from grader.errors import UsageError

DISTRIBUTION = "taller-grader"
TOP_LEVEL = ("grader", "reference")
# Packages that a source checkout keeps outside their parent's folder (pyproject's package-dir):
# the rubrics are instructor-edited data at the top of the repository.
RELOCATED = ("grader.rubrics",)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
"""Every member gets this timestamp, so the same grader always gives the same bytes."""

_SKIPPED_SUFFIXES = (".pyc", ".pyo")


def wheel_name() -> str:
    return f"{DISTRIBUTION.replace('-', '_')}-{__version__}-py3-none-any.whl"


def build_wheel() -> bytes:
    """The bytes of :func:`wheel_name`: the importable packages plus the installed metadata."""
    try:
        distribution = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        raise UsageError(
            f"{DISTRIBUTION} is not installed (pip install -e . in a checkout): its metadata is needed"
        ) from None
    if distribution.version != __version__:
        raise UsageError(
            f"installed metadata says {DISTRIBUTION} {distribution.version} but the code is {__version__}: "
            "reinstall it (pip install -e .)"
        )
    files: dict[str, bytes] = {}
    for package in (*TOP_LEVEL, *RELOCATED):
        files.update(_package_files(package))
    info = f"{DISTRIBUTION.replace('-', '_')}-{__version__}.dist-info"
    files[f"{info}/METADATA"] = (distribution.read_text("METADATA") or "").encode("utf-8")
    files[f"{info}/entry_points.txt"] = (distribution.read_text("entry_points.txt") or "").encode("utf-8")
    files[f"{info}/top_level.txt"] = "".join(f"{name}\n" for name in TOP_LEVEL).encode()
    files[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: taller-grader export\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    record = "".join(f"{name},sha256={_digest(data)},{len(data)}\n" for name, data in sorted(files.items()))
    files[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode()

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # The dist-info goes last, as the wheel specification recommends.
        for name in sorted(files, key=lambda n: (n.startswith(info), n)):
            member = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            member.external_attr = 0o644 << 16
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, files[name])
    return buffer.getvalue()


def _package_files(package: str) -> dict[str, bytes]:
    """Every file of ``package`` (modules and data, sub-packages included) keyed by its wheel path."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise UsageError(f"package {package} cannot be found, so it cannot be bundled")
    root = Path(next(iter(spec.submodule_search_locations)))
    prefix = package.replace(".", "/")
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if (
            not path.is_file()
            or path.suffix in _SKIPPED_SUFFIXES
            or any(part == "__pycache__" or part.startswith(".") for part in relative.parts)
        ):
            continue
        found[f"{prefix}/{relative.as_posix()}"] = path.read_bytes()
    return found


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
