"""The names LMS bulk downloads give students' files, read back into who handed what in.

Each scheme is taken from the code that writes it:

- **Moodle**, assignment "Download all submissions" (``mod/assign/classes/downloader.php`` since 4.1,
  ``assign::download_submissions`` in ``mod/assign/locallib.php`` from 3.1 to 4.0). Every file is
  prefixed with ``<full name>_<participant id>``, where underscores in the name became spaces and the
  number is the participant id of the assignment (``get_uniqueid_for_user``). Without folders a file is
  ``<prefix>_assignsubmission_file_<original name>``; with "Download submissions in folders" it lies
  in the folder ``<prefix>_assignsubmission_file`` (``..._file_`` before 4.1), under its own sub-folders.
  Online text comes as ``<prefix>_assignsubmission_onlinetext_...``. With blind marking the name is the
  word "Participant" in the site's language; for team submissions the prefix is the group's name and
  number (indistinguishable from a student's here: the number is then the group's).
- **Canvas**, "Download Submissions" (``lib/content_zipper.rb``): ``<user>[_LATE]_<user id>`` where
  ``<user>`` is the sortable name lower-cased with everything but letters, digits and underscores
  removed (``perezjuan``) and ``_(\\d+)_`` inside it collapsed, so that the first ``_<digits>_`` is the
  user id; then, per uploaded file, ``_<attachment id>_<display name>`` (the file's own id, not the
  submission's). Anonymous grading writes ``anon_<anonymous id>`` instead of name and id. A file a
  student uploaded again under the same name has Canvas's ``-1``, ``-2`` before its extension
  (``Attachment.make_unique_filename``). Text and URL entries are ``<prefix>_text.html``/``_link.html``.
- **GitHub Classroom**: ``gh classroom clone student-repos`` (``cmd/gh-classroom/clone/student-repos``)
  clones each repository, named ``<assignment slug>-<GitHub username>``, into
  ``<assignment slug>-submissions/``; each is a git checkout (a ``.git`` inside).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from grader.provenance import Student

_MOODLE_FILE = re.compile(
    r"(?P<prefix>(?P<name>.+?)_(?P<pid>\d+))_assignsubmission_(?P<plugin>[a-z]+)_(?P<original>.+)", re.S
)
_MOODLE_FOLDER = re.compile(r"(?P<prefix>(?P<name>.+?)_(?P<pid>\d+))_assignsubmission_(?P<plugin>[a-z]+)_?")
_CANVAS_FILE = re.compile(r"(?P<prefix>(?P<head>.+?)_(?P<uid>\d+))_(?P<aid>\d+)_(?P<original>.+)", re.S)
_CANVAS_ANONYMOUS = re.compile(
    r"(?P<prefix>(?:(?P<late>LATE)_)?anon_(?P<anon>[A-Za-z0-9]+))_(?P<aid>\d+)_(?P<original>.+)",
    re.S | re.I,
)
_CANVAS_ONLINE = re.compile(r"(?P<prefix>(?P<head>.+?)_(?P<uid>\d+))_(?:text|link)\.html", re.I)
_LATE_SUFFIX = re.compile(r"(?P<name>.+)_late", re.I)
_RESUBMITTED = re.compile(r"(?P<stem>.+)-(?P<n>[1-9]\d*)(?P<suffix>\.[A-Za-z0-9]+)")


@dataclass(frozen=True)
class LmsEntry:
    """What an LMS download's name says about one entry (a file, or a folder of a student's files).

    ``key`` groups the entries of one student (``moodle:12345``); ``submission_id`` is the id the
    student's submission gets (the name the LMS gives the student, with the number that makes it
    unique); ``original`` is the student's own file name for a file entry, None for a folder.
    """

    key: str
    submission_id: str
    student: Student
    original: str | None


def nfc(name: str) -> str:
    """Names as one form of Unicode: macOS writes "é" as "e" and a combining accent."""
    return unicodedata.normalize("NFC", name)


def moodle_entry(name: str, *, folder: bool) -> LmsEntry | None:
    """A Moodle download's file (``<prefix>_assignsubmission_file_<original>``) or folder
    (``<prefix>_assignsubmission_file``, with or without a trailing underscore); None otherwise."""
    name = nfc(name)
    match = (_MOODLE_FOLDER if folder else _MOODLE_FILE).fullmatch(name)
    if match is None:
        return None
    student = Student(lms="moodle", name=match["name"].strip(), moodle_participant_id=match["pid"])
    original = None if folder else match["original"]
    return LmsEntry(f"moodle:{match['pid']}", match["prefix"], student, original)


def canvas_entry(name: str) -> LmsEntry | None:
    """A file of a Canvas download (``<user>[_LATE]_<user id>_<attachment id>_<original>``, the
    anonymous ``[LATE_]anon_<id>_<attachment id>_<original>``, or a text/URL entry); None otherwise."""
    name = nfc(name)
    anonymous = _CANVAS_ANONYMOUS.fullmatch(name)
    if anonymous is not None:
        student = Student(
            lms="canvas",
            canvas_anonymous_id=anonymous["anon"],
            canvas_attachment_ids=(anonymous["aid"],),
            late=anonymous["late"] is not None,
        )
        prefix = f"anon_{anonymous['anon']}"
        return LmsEntry(f"canvas:anon:{anonymous['anon']}", prefix, student, anonymous["original"])
    online = _CANVAS_ONLINE.fullmatch(name)
    match = online or _CANVAS_FILE.fullmatch(name)
    if match is None:
        return None
    head = match["head"]
    late = _LATE_SUFFIX.fullmatch(head)
    user = late["name"] if late is not None else head
    student = Student(
        lms="canvas",
        name=user,
        canvas_user_id=match["uid"],
        canvas_attachment_ids=() if online is not None else (match["aid"],),
        late=late is not None,
    )
    original = None if online is not None else match["original"]
    return LmsEntry(f"canvas:{match['uid']}", f"{user}_{match['uid']}", student, original)


def lms_entry(name: str, *, folder: bool) -> LmsEntry | None:
    """The entry's LMS reading, Moodle's (whose marker cannot be mistaken) before Canvas's."""
    found = moodle_entry(name, folder=folder)
    if found is None and not folder:
        found = canvas_entry(name)
    return found


def resubmitted_module_name(original: str, taken: Iterable[str]) -> str:
    """The name a Canvas module re-uploaded as ``utils-1.py`` is imported by (``utils.py``), when no
    other file has it: a module name cannot hold ``-``, so the suffix is Canvas's, not the student's.
    Any other name is kept as it is."""
    match = _RESUBMITTED.fullmatch(original)
    if match is None or match["suffix"] != ".py" or not match["stem"].isidentifier():
        return original
    plain = f"{match['stem']}{match['suffix']}"
    return original if plain in set(taken) else plain


def classroom_prefix(folder_name: str, repositories: Iterable[str]) -> str | None:
    """The ``<assignment slug>-`` that starts every repository's name in a Classroom clone folder: from
    the folder's own name (``<slug>-submissions``) or else the longest common start of two or more
    repositories' names, up to a dash. None when it cannot be told."""
    names = sorted(set(repositories))
    if folder_name.endswith("-submissions") and len(folder_name) > len("-submissions"):
        slug = folder_name.removesuffix("-submissions") + "-"
        if all(n.startswith(slug) and len(n) > len(slug) for n in names):
            return slug
    if len(names) < 2:
        return None
    first, last = names[0], names[-1]
    common = 0
    while common < min(len(first), len(last)) and first[common] == last[common]:
        common += 1
    cut = first.rfind("-", 0, common)
    return first[: cut + 1] if cut > 0 else None


def classroom_entry(repository: str, prefix: str | None) -> LmsEntry:
    """A cloned Classroom repository: its GitHub username is what follows the assignment's prefix."""
    username = repository[len(prefix) :] if prefix and repository.startswith(prefix) else None
    student = Student(lms="classroom", github_username=username or None)
    return LmsEntry(f"classroom:{repository}", repository, student, None)
