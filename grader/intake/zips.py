"""Reading a zip an LMS produced (or anyone else did) without trusting it.

The zip is unpacked into a private temporary folder that the grader created for it, and only what the
grader would read there: the ``.py``/``.ipynb`` members, each within the size limit of its kind. It is
unpacked, rather than read member by member from memory, so that a zip is exactly the folder it unpacks
to: the same layouts are recognised and the same safe reader (no link followed, sizes checked) reads
the files, in the grading processes too; memory stays bounded by one member's limit whatever the class
size, and file times survive for choosing among a student's files.

Nothing is written outside that folder: a member's path is refused (``unsafe_path``) when it is
absolute, starts with a drive letter, holds ``..``, a colon or a NUL, and backslashes count as the
separators Windows tools meant them to be. Links and special files in the zip are refused, never
created; a member the grader would not read is never decompressed. Sizes come from the zip's own
directory, and reading a member never yields more than that (``zipfile`` stops at the declared size and
checks the CRC): a member larger than its limit is refused (``compression_ratio`` when it claims to
expand more than ``ZipLimits.ratio`` times, as zip bombs do), and a zip whose source files together
would expand beyond ``ZipLimits.total_bytes``, that holds more than ``ZipLimits.members`` entries,
that is encrypted, broken or cut short is refused whole, with a message naming it.

Member names are decoded as the zip says: UTF-8 when its flag is set, else the Info-ZIP Unicode path
field when it is there, else UTF-8 when the bytes are valid UTF-8 (tools that write UTF-8 without the
flag), else code page 437, the format's default.
"""

from __future__ import annotations

import calendar
import contextlib
import os
import re
import stat
import struct
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from grader.errors import UsageError
from grader.intake.lms import nfc
from grader.messages import words
from grader.submission import DEFAULT_READ_LIMITS, ReadLimits, RefusalKind, is_source_name

_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_UNIX = 3
_UNICODE_PATH_FIELD = 0x7075
_EXTENDED_TIME_FIELD = 0x5455
_DRIVE = re.compile(r"[A-Za-z]:")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class ZipLimits:
    """How much of a zip the grader takes in. A class's download of notebooks is a few hundred MB at
    most; the member limit is the size limit of the file's kind (``ReadLimits``)."""

    members: int = 20_000
    total_bytes: int = 2 * 1024**3
    ratio: int = 500
    # Small members may compress extremely well (a file of spaces): the ratio counts above this size.
    ratio_floor: int = 1024**2
    files: ReadLimits = DEFAULT_READ_LIMITS


DEFAULT_ZIP_LIMITS = ZipLimits()


@dataclass(frozen=True)
class MemberRefusal:
    """A member that was not unpacked: where it would have been (its path made safe to name) and why;
    ``detail`` a size or a ratio."""

    path: tuple[str, ...]
    kind: RefusalKind
    detail: int = 0


@dataclass(frozen=True)
class UnpackedZip:
    """A zip unpacked: the folder, the members refused, and the paths of members left packed because
    the grader never reads them (a PDF, an HTML page: they still tell who handed something in)."""

    folder: Path
    refused: tuple[MemberRefusal, ...]
    skipped: tuple[tuple[str, ...], ...]


class ZipRefused(UsageError):
    """A zip that is not read at all (broken, encrypted, a bomb): the instructor's to look at.
    ``kind``: ``broken``, ``encrypted``, ``too_many_members`` or ``too_large``."""

    def __init__(self, archive: Path, kind: str, message: str) -> None:
        super().__init__(f"{archive}: {message}")
        self.archive = archive
        self.kind = kind


def unpack_zip(
    archive: Path, into: Path, *, lang: str, limits: ZipLimits = DEFAULT_ZIP_LIMITS
) -> UnpackedZip:
    """Unpack the source files of ``archive`` into the empty folder ``into`` (see the module's doc);
    :class:`ZipRefused`, worded in ``lang``, when the zip is not read at all."""
    try:
        with zipfile.ZipFile(archive) as bundle:
            return _unpack(archive, bundle, into, limits, lang)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        reason = str(exc) or type(exc).__name__
        raise ZipRefused(archive, "broken", words("zip.broken", lang, reason=reason)) from None


def _unpack(archive: Path, bundle: zipfile.ZipFile, into: Path, limits: ZipLimits, lang: str) -> UnpackedZip:
    members = bundle.infolist()
    if len(members) > limits.members:
        message = words("zip.too_many_members", lang, count=len(members), limit=limits.members)
        raise ZipRefused(archive, "too_many_members", message)
    if any(info.flag_bits & _ENCRYPTED_FLAG for info in members):
        raise ZipRefused(archive, "encrypted", words("zip.encrypted", lang))
    sources = [info for info in members if is_source_name(_decoded_name(info)) and not info.is_dir()]
    declared = sum(info.file_size for info in sources)
    if declared > limits.total_bytes:
        message = words("zip.too_large", lang, size=_mib(declared), limit=_mib(limits.total_bytes))
        raise ZipRefused(archive, "too_large", message)
    refused: list[MemberRefusal] = []
    skipped: list[tuple[str, ...]] = []
    written: set[tuple[str, ...]] = set()
    root = os.open(into, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for info in members:
            name = _decoded_name(info)
            parts, safe = _member_path(name)
            kind = _member_refusal(info, name, safe, limits)
            if kind is not None:
                refused.append(MemberRefusal(parts, *kind))
                continue
            if info.is_dir() or not parts:
                continue
            if not is_source_name(parts[-1]):
                skipped.append(parts)
                continue
            if parts in written:
                refused.append(MemberRefusal(parts, "duplicate_name"))
                continue
            problem = _write_member(bundle, info, root, parts, limits.files.max_bytes(parts[-1]))
            if problem is not None:
                refused.append(MemberRefusal(parts, problem))
            else:
                written.add(parts)
    finally:
        os.close(root)
    return UnpackedZip(into, tuple(refused), tuple(skipped))


def _decoded_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its writer meant it (see the module's doc), in one Unicode form."""
    name = info.orig_filename
    if not info.flag_bits & _UTF8_FLAG:
        raw = name.encode("cp437")
        unicode_path = _unicode_path(info.extra, raw)
        if unicode_path is not None:
            name = unicode_path
        else:
            with contextlib.suppress(UnicodeDecodeError):
                name = raw.decode("utf-8")
    return nfc(name)


def _extra_fields(extra: bytes) -> Iterator[tuple[int, bytes]]:
    """The (header id, data) fields of a zip entry's extra block; a malformed tail is ignored."""
    offset = 0
    while offset + 4 <= len(extra):
        field, size = struct.unpack_from("<HH", extra, offset)
        data = extra[offset + 4 : offset + 4 + size]
        if len(data) < size:
            return
        yield field, data
        offset += 4 + size


def _unicode_path(extra: bytes, raw_name: bytes) -> str | None:
    """Info-ZIP's Unicode path field, when it is there and was written for this very name (its CRC)."""
    for field, data in _extra_fields(extra):
        if field == _UNICODE_PATH_FIELD and len(data) > 5 and data[0] == 1:
            (crc,) = struct.unpack_from("<I", data, 1)
            if crc == zlib.crc32(raw_name):
                try:
                    return data[5:].decode("utf-8")
                except UnicodeDecodeError:
                    return None
    return None


def _member_path(name: str) -> tuple[tuple[str, ...], bool]:
    """The member's path as parts, and whether it is safe to unpack. An unsafe path's parts are what is
    left once ``..``, ``.``, drive letters and empty parts are taken out (to say whose it was)."""
    unified = name.replace("\\", "/")
    raw = unified.split("/")
    safe = not unified.startswith("/") and _DRIVE.match(unified) is None
    parts: list[str] = []
    for index, part in enumerate(raw):
        if part in ("", "."):
            continue
        if part == ".." or "\0" in part or ":" in part:
            safe = False
            if part == ".." or (index == 0 and _DRIVE.fullmatch(part)):
                continue
            part = part.replace("\0", "").replace(":", "_")
            if not part:
                continue
        parts.append(part)
    return tuple(parts), safe


def _member_refusal(
    info: zipfile.ZipInfo, name: str, safe: bool, limits: ZipLimits
) -> tuple[RefusalKind, int] | None:
    """Why a member is not unpacked (and the size or ratio that says so), or None."""
    if not safe:
        return "unsafe_path", 0
    # Unix zips keep the file's mode in the high half; many tools store the permissions only, with no
    # file type, which is a plain file.
    kind = stat.S_IFMT(info.external_attr >> 16) if info.create_system == _UNIX else 0
    if kind == stat.S_IFLNK:
        return "symlink", 0
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "special_file", 0
    if info.is_dir() or not is_source_name(name):
        return None
    limit = limits.files.max_bytes(name)
    ratio = info.file_size // max(info.compress_size, 1)
    if info.file_size > limits.ratio_floor and ratio > limits.ratio:
        return "compression_ratio", ratio
    if info.file_size > limit:
        return "file_too_large", info.file_size
    return None


def _write_member(
    bundle: zipfile.ZipFile, info: zipfile.ZipInfo, root: int, parts: tuple[str, ...], limit: int
) -> RefusalKind | None:
    """Write one member under the folder ``root`` (a descriptor): folders made as needed, nothing
    followed, nothing overwritten. The kind of refusal when it cannot be."""
    folder = os.dup(root)
    try:
        for part in parts[:-1]:
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, 0o700, dir_fd=folder)
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=folder)
            os.close(folder)
            folder = inner
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(parts[-1], flags, 0o600, dir_fd=folder)
    except FileExistsError:
        os.close(folder)
        return "duplicate_name"
    except OSError:
        os.close(folder)
        return "unreadable_file"
    try:
        with os.fdopen(fd, "wb") as out, bundle.open(info) as member:
            written = 0
            while chunk := member.read(min(_CHUNK, limit + 1 - written)):
                written += len(chunk)
                if written > limit:
                    raise _TooLarge
                out.write(chunk)
            when = _modified(info)
            if when is not None:
                out.flush()
                os.utime(out.fileno(), (when, when))
    except _TooLarge:
        _remove(folder, parts[-1])
        return "file_too_large"
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
        # A corrupt member (bad CRC, bad data), or one compressed in a way Python cannot read.
        _remove(folder, parts[-1])
        return "unreadable_file"
    finally:
        os.close(folder)
    return None


class _TooLarge(Exception):
    pass


def _remove(folder: int, name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name, dir_fd=folder)


def _modified(info: zipfile.ZipInfo) -> float | None:
    """When the member was last modified: the exact UTC time of the extended-timestamp field when the
    zip has one, else its DOS date and time (local time, two-second steps); None when neither is a date."""
    for field, data in _extra_fields(info.extra):
        if field == _EXTENDED_TIME_FIELD and len(data) >= 5 and data[0] & 1:
            (seconds,) = struct.unpack_from("<i", data, 1)
            return float(seconds)
    year, month, day, hour, minute, second = info.date_time
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    try:
        return time.mktime((year, month, day, hour, minute, second, 0, 0, -1))
    except (OverflowError, ValueError):
        return float(calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0)))


def _mib(size: int) -> str:
    return f"{size / 1024**2:.1f} MiB"


def member_name(path: tuple[str, ...]) -> str:
    """A member's path as a message names it."""
    return str(PurePosixPath(*path)) if path else "?"
