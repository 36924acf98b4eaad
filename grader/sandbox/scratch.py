"""A scratch folder as it was before any student code ran in it: what a later worker of the same
submission starts from, made only when one is started (most submissions never need it, and on a disk
every folder made and removed costs a journal write)."""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

EntryKind = Literal["dir", "file", "link"]


@dataclass(frozen=True)
class FolderSnapshot:
    """The folders, regular files and links of a folder (by path relative to it, parents first): a
    file with its bytes, a link with its target (kept a link, never followed)."""

    entries: tuple[tuple[str, EntryKind, bytes], ...]

    @classmethod
    def of(cls, folder: Path) -> FolderSnapshot:
        """The snapshot of ``folder``, which the grader filled (the submission's modules): anything
        that is neither a folder, a regular file nor a link is left out."""
        entries: list[tuple[str, EntryKind, bytes]] = []
        pending = [""]
        while pending:
            relative = pending.pop()
            with os.scandir(folder / relative if relative else folder) as found:
                listed = sorted(found, key=lambda entry: entry.name)
            for entry in listed:
                path = f"{relative}/{entry.name}" if relative else entry.name
                mode = entry.stat(follow_symlinks=False).st_mode
                if stat.S_ISLNK(mode):
                    entries.append((path, "link", os.fsencode(os.readlink(entry.path))))
                elif stat.S_ISDIR(mode):
                    entries.append((path, "dir", b""))
                    pending.append(path)
                elif stat.S_ISREG(mode):
                    fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW)
                    with os.fdopen(fd, "rb") as handle:
                        entries.append((path, "file", handle.read()))
        return cls(tuple(entries))

    def make(self, *, beside: Path, prefix: str) -> Path:
        """A new folder (private to this user, next to ``beside``) holding what the snapshot holds."""
        folder = Path(tempfile.mkdtemp(prefix=prefix, dir=beside.parent))
        for relative, kind, data in self.entries:
            target = folder / relative
            if kind == "dir":
                target.mkdir(exist_ok=True)
            elif kind == "link":
                target.symlink_to(os.fsdecode(data))
            else:
                target.write_bytes(data)
        return folder
