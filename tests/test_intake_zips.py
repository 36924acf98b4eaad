"""Reading zips without trusting them: nothing escapes the private folder, no link is created, sizes
and counts are bounded, names are decoded as their writer meant them, broken zips are named."""

from __future__ import annotations

import os
import stat
import struct
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from grader.intake.zips import MemberRefusal, ZipLimits, ZipRefused, unpack_zip
from grader.submission import ReadLimits

LOCAL = b"PK\x03\x04"
CENTRAL = b"PK\x01\x02"


def make_zip(path: Path, members: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data in members:
            bundle.writestr(name, data)
    return path


def unpack(archive: Path, tmp_path: Path, **limits: object) -> tuple[Path, tuple[MemberRefusal, ...]]:
    into = tmp_path / "into"
    into.mkdir()
    unpacked = unpack_zip(archive, into, lang="en", limits=ZipLimits(**limits))  # type: ignore[arg-type]
    return into, unpacked.refused


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if not p.is_dir())


def patch_headers(archive: Path, *, offset_local: int, offset_central: int, value: bytes) -> None:
    """Overwrite one field in every local and central header (forging what a hostile zip would say)."""
    data = bytearray(archive.read_bytes())
    for signature, offset in ((LOCAL, offset_local), (CENTRAL, offset_central)):
        start = data.find(signature)
        while start >= 0:
            data[start + offset : start + offset + len(value)] = value
            start = data.find(signature, start + 4)
    archive.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "name",
    [
        "../evil.py",
        "../../evil.py",
        "/tmp/evil.py",
        "C:/evil.py",
        "C:evil.py",
        "Juan_1_assignsubmission_file_/..\\..\\evil.py",
        "Juan_1_assignsubmission_file_/../../evil.py",
        "\\\\server\\share\\evil.py",
        "a/b:stream.py",
    ],
)
def test_a_member_path_that_leaves_the_folder_is_refused_and_nothing_is_written(
    tmp_path: Path, name: str
) -> None:
    archive = make_zip(tmp_path / "hostile.zip", [(name, b"EVIL = 1\n"), ("ok.py", b"x = 1\n")])
    into, refused = unpack(archive, tmp_path)
    assert [r.kind for r in refused] == ["unsafe_path"]
    assert refused[0].path and ".." not in refused[0].path
    assert tree(into) == ["ok.py"]
    # Nothing anywhere under the test's folder, nor at the absolute path named.
    assert [p for p in tmp_path.rglob("*evil*") if p != archive] == []
    assert not Path("/tmp/evil.py").exists() or Path("/tmp/evil.py").stat().st_mtime < time.time() - 3600


def test_backslashes_are_the_separators_windows_tools_meant(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "w.zip", [("Juan_1_assignsubmission_file_\\sub\\taller.py", b"x = 1\n")])
    into, refused = unpack(archive, tmp_path)
    assert refused == ()
    assert tree(into) == ["Juan_1_assignsubmission_file_/sub/taller.py"]


def _with_mode(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = mode << 16
    return info


def test_a_link_in_the_zip_is_refused_never_created(tmp_path: Path) -> None:
    link = _with_mode("Eve_9_assignsubmission_file_/secret.py", stat.S_IFLNK | 0o777)
    fifo = _with_mode("Eve_9_assignsubmission_file_/pipe.py", stat.S_IFIFO | 0o644)
    plain = _with_mode("Eve_9_assignsubmission_file_/taller.py", 0o644)  # permissions only: a file
    archive = make_zip(tmp_path / "l.zip", [(link, b"/etc/passwd"), (fifo, b""), (plain, b"x = 1\n")])
    into, refused = unpack(archive, tmp_path)
    assert sorted((r.path[-1], r.kind) for r in refused) == [
        ("pipe.py", "special_file"),
        ("secret.py", "symlink"),
    ]
    assert tree(into) == ["Eve_9_assignsubmission_file_/taller.py"]
    assert not any(p.is_symlink() for p in into.rglob("*"))


def test_a_member_that_expands_enormously_is_refused_as_a_bomb(tmp_path: Path) -> None:
    bomb = b"\0" * (8 * 1024**2)
    archive = make_zip(tmp_path / "b.zip", [("bomb.ipynb", bomb), ("ok.py", b"x = 1\n")])
    into, refused = unpack(archive, tmp_path)
    assert [(r.path, r.kind) for r in refused] == [(("bomb.ipynb",), "compression_ratio")]
    assert refused[0].detail > 500
    assert tree(into) == ["ok.py"]


def test_a_member_over_its_kinds_limit_is_refused(tmp_path: Path) -> None:
    noise = os.urandom(5000)
    archive = make_zip(tmp_path / "s.zip", [("big.py", noise), ("small.ipynb", noise)])
    into, refused = unpack(archive, tmp_path, files=ReadLimits(module_bytes=4000))
    assert [(r.path, r.kind, r.detail) for r in refused] == [(("big.py",), "file_too_large", 5000)]
    assert tree(into) == ["small.ipynb"]


def test_a_zip_whose_sources_would_expand_beyond_the_total_is_refused_whole(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "forged.zip", [("a.py", b"x = 1\n" * 10), ("b.py", b"y = 2\n" * 10)])
    # Headers that claim 3 GiB for each file (what a bomb's directory says).
    patch_headers(archive, offset_local=22, offset_central=24, value=struct.pack("<I", 3 * 1024**3))
    with pytest.raises(ZipRefused) as refused:
        unpack(archive, tmp_path)
    assert refused.value.kind == "too_large"
    assert "forged.zip" in str(refused.value) and "zip bomb" in str(refused.value)


def test_too_many_entries_refuse_the_zip(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "many.zip", [(f"f{i}.txt", b"") for i in range(30)])
    with pytest.raises(ZipRefused) as refused:
        unpack(archive, tmp_path, members=20)
    assert refused.value.kind == "too_many_members" and "30" in str(refused.value)


def test_an_encrypted_zip_is_refused_with_its_name(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "locked.zip", [("a.py", b"x = 1\n")])
    patch_headers(archive, offset_local=6, offset_central=8, value=struct.pack("<H", 0x1))
    with pytest.raises(ZipRefused) as refused:
        unpack(archive, tmp_path)
    assert refused.value.kind == "encrypted" and "locked.zip" in str(refused.value)


@pytest.mark.parametrize("cut", [0.5, 0.95])
def test_a_truncated_zip_is_refused_with_its_name(tmp_path: Path, cut: float) -> None:
    archive = make_zip(tmp_path / "cut.zip", [("a.py", os.urandom(4000)), ("b.py", b"x = 1\n")])
    data = archive.read_bytes()
    archive.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(ZipRefused) as refused:
        unpack(archive, tmp_path)
    assert refused.value.kind == "broken" and "cut.zip" in str(refused.value)


def test_something_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "notes.zip"
    archive.write_text("these are not the bytes of a zip")
    with pytest.raises(ZipRefused, match=r"notes\.zip"):
        unpack(archive, tmp_path)


def test_a_corrupt_member_is_refused_and_the_rest_read(tmp_path: Path) -> None:
    archive = tmp_path / "crc.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as bundle:
        bundle.writestr("a.py", b"A = 1\n" * 50)
        bundle.writestr("b.py", b"B = 2\n")
    data = bytearray(archive.read_bytes())
    at = data.find(b"A = 1")
    data[at] = ord("Z")  # the stored CRC no longer matches
    archive.write_bytes(bytes(data))
    into, refused = unpack(archive, tmp_path)
    assert [(r.path, r.kind) for r in refused] == [(("a.py",), "unreadable_file")]
    assert tree(into) == ["b.py"]


def test_a_repeated_name_is_read_once(tmp_path: Path) -> None:
    archive = tmp_path / "dup.zip"
    with zipfile.ZipFile(archive, "w") as bundle, pytest.warns(UserWarning, match="Duplicate name"):
        bundle.writestr("a.py", b"first = 1\n")
        bundle.writestr("a.py", b"second = 2\n")
    into, refused = unpack(archive, tmp_path)
    assert [(r.path, r.kind) for r in refused] == [(("a.py",), "duplicate_name")]
    assert (into / "a.py").read_bytes() == b"first = 1\n"


def test_members_the_grader_never_reads_are_left_packed(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "m.zip", [("Ana_1_assignsubmission_file_informe.pdf", b"%PDF" * 100)])
    into = tmp_path / "into"
    into.mkdir()
    unpacked = unpack_zip(archive, into, lang="en")
    assert tree(into) == []
    assert unpacked.skipped == (("Ana_1_assignsubmission_file_informe.pdf",),)


def _raw_name(archive: Path, ascii_name: str, raw: bytes) -> None:
    """Rewrite a member's name bytes in place (same length), without the UTF-8 flag."""
    data = archive.read_bytes()
    assert len(raw) == len(ascii_name.encode())
    archive.write_bytes(data.replace(ascii_name.encode(), raw))


ACCENTED = "José Núñez_7_assignsubmission_file_a.py"


@pytest.mark.parametrize(
    ("placeholder", "raw"),
    [
        # Code page 437, the zip format's default (é is 0x82, ñ 0xa4).
        (
            "Jose Nunez_7_assignsubmission_file_a.py",
            ACCENTED.encode("cp437"),
        ),
        # UTF-8 without the flag, as some tools write it.
        ("Jos@@ N@@@@ez_7_assignsubmission_file_a.py", ACCENTED.encode()),
    ],
)
def test_names_without_the_utf8_flag_are_decoded_as_meant(
    tmp_path: Path, placeholder: str, raw: bytes
) -> None:
    archive = make_zip(tmp_path / "n.zip", [(placeholder, b"x = 1\n")])
    _raw_name(archive, placeholder, raw)
    into, refused = unpack(archive, tmp_path)
    assert refused == ()
    assert tree(into) == [ACCENTED]


def test_the_info_zip_unicode_path_field_names_the_member(tmp_path: Path) -> None:
    legacy = "Jos_ Nu_ez_7_assignsubmission_file_a.py"
    info = zipfile.ZipInfo(legacy)
    unicode_name = ACCENTED.encode()
    payload = b"\x01" + struct.pack("<I", zlib.crc32(legacy.encode())) + unicode_name
    info.extra = struct.pack("<HH", 0x7075, len(payload)) + payload
    archive = make_zip(tmp_path / "u.zip", [(info, b"x = 1\n")])
    into, _ = unpack(archive, tmp_path)
    assert tree(into) == ["José Núñez_7_assignsubmission_file_a.py"]


def test_file_times_survive_unpacking(tmp_path: Path) -> None:
    dos = zipfile.ZipInfo("dos.py", date_time=(2024, 3, 5, 14, 30, 20))
    exact = zipfile.ZipInfo("exact.py", date_time=(2020, 1, 1, 0, 0, 0))
    exact.extra = struct.pack("<HHBi", 0x5455, 5, 1, 1_700_000_123)
    archive = make_zip(tmp_path / "t.zip", [(dos, b"x = 1\n"), (exact, b"y = 2\n")])
    into, _ = unpack(archive, tmp_path)
    assert (into / "dos.py").stat().st_mtime == time.mktime((2024, 3, 5, 14, 30, 20, 0, 0, -1))
    assert (into / "exact.py").stat().st_mtime == 1_700_000_123
