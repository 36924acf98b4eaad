"""Which files of a submission are graded, when it holds several: one documented rule, said out loud.

All the graded files of a submission are loaded one after the other into one namespace, as a notebook's
cells are: a function two of them define is the one of the file loaded last. So when a folder holds a
buggy ``taller.ipynb`` and a correct ``taller_viejo.ipynb``, which one counts must not depend on how
their names sort. The rule, applied to what the files define (found by reading them, never running
them, with :mod:`grader.defs`):

1. Copies tools keep (``.ipynb_checkpoints/``, ``__MACOSX/``, lock files) were left out when the
   submission was found; they are listed as ignored.
2. The workshops the submission does are decided as grading decides them: each workshop of which the
   files together define at least half the functions (or, if none, the best match; with ``--rubric``,
   every workshop given of which they define any). Only those workshops' functions count below.
3. Files that define workshop functions are sources. They are ranked: the most complete first (the
   most workshop functions defined), then the most recently modified (the file's time, or the time the
   zip recorded for it), then the larger; name order never decides. Going down the ranking, a source
   is graded when it defines a workshop function no source graded before it defines (a module that
   complements the others, ``main.py`` beside ``funciones.py``, or a second workshop's notebook);
   otherwise it is an alternative to the one ranked above it that defines the same functions, and is
   ignored (``less_complete``, ``older``, or ``tied`` when count and time were equal).
4. A ``.py`` file that defines no workshop function is graded as a helper module (``utils.py``), as
   is any ``.py`` file a graded file imports; a notebook that defines none is ignored
   (``no_workshop_function``, or ``unreadable`` when it cannot be read as a notebook). When no file
   defines a workshop function, every file is graded and the result says what is missing.
5. Graded files are loaded helpers first, then the sources from the lowest ranked to the highest,
   except that a function two graded files define must be the one of the file that does its workshop
   best (the most of that workshop's functions): that file loads after the other. Each such function,
   and each one an ignored alternative also defines, is recorded (``DuplicateDefinition``).
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from grader.defs import ParseError, find_definitions, parse_source
from grader.provenance import DuplicateDefinition, IgnoredFile, IgnoredReason, SourceChoice
from grader.rubric import Rubric
from grader.source import SourceError, load_code
from grader.submission import Submission

Function = tuple[str, str]
"""A workshop function: (workshop id, the rubric's name for the function)."""


@dataclass(frozen=True)
class Workshop:
    """A workshop's functions as a submission may name them: each function's id and every name it is
    found under (aliases included)."""

    id: str
    functions: tuple[tuple[str, tuple[str, ...]], ...]

    @classmethod
    def of(cls, rubric: Rubric) -> Workshop:
        return cls(rubric.id, tuple((task.id, task.names) for task in rubric.tasks))


@dataclass(frozen=True)
class Candidate:
    """One file of a submission as the rule sees it: what it defines and imports, when it was modified."""

    name: str
    defines: frozenset[Function]
    imports: frozenset[str] = frozenset()
    modified: float = 0.0
    size: int = 0
    readable: bool = True

    @property
    def module(self) -> bool:
        return self.name.lower().endswith(".py")

    def functions(self, workshops: set[str]) -> frozenset[Function]:
        """The functions it defines of the given workshops."""
        return frozenset(f for f in self.defines if f[0] in workshops)


@dataclass(frozen=True)
class Choice:
    """The rule's answer: the candidates graded (indices, in load order) and what the record says."""

    graded: tuple[int, ...]
    ignored: tuple[IgnoredFile, ...]
    duplicates: tuple[DuplicateDefinition, ...]


def choose(candidates: Sequence[Candidate], workshops: Sequence[Workshop], *, given: bool) -> Choice:
    """Apply the rule (see the module's doc) to a submission's files. ``given``: the workshops were
    chosen by the instructor (``--rubric``), not guessed."""
    done = _workshops_done(candidates, workshops, given=given)
    relevant = [c.functions(done) for c in candidates]
    sources = [i for i, found in enumerate(relevant) if found]
    if not sources:
        return Choice(tuple(range(len(candidates))), (), ())
    ranked = sorted(sources, key=lambda i: (-len(relevant[i]), -candidates[i].modified, -candidates[i].size))
    kept: list[int] = []
    covered: set[Function] = set()
    beaten: dict[int, int] = {}  # an alternative and the source it is an alternative to
    for index in ranked:
        if relevant[index] - covered:
            kept.append(index)
            covered |= relevant[index]
        else:
            beaten[index] = _repeated(index, kept, relevant, candidates)
    helpers = [i for i, c in enumerate(candidates) if not relevant[i] and c.module]
    _keep_imported(candidates, helpers, kept, beaten)
    ignored = [
        IgnoredFile(candidates[i].name, _reason(candidates[i], candidates[w], done), candidates[w].name)
        for i, w in beaten.items()
    ]
    ignored += [
        IgnoredFile(c.name, "no_workshop_function" if c.readable else "unreadable")
        for i, c in enumerate(candidates)
        if not relevant[i] and not c.module
    ]
    load = [*helpers, *_load_order(kept, relevant, ranked)]
    return Choice(
        tuple(load),
        tuple(sorted(ignored, key=lambda f: f.file)),
        _duplicates(candidates, relevant, ranked, load),
    )


def _repeated(
    index: int, kept: Sequence[int], relevant: Sequence[frozenset[Function]], candidates: Sequence[Candidate]
) -> int:
    """The graded file an ignored source is an alternative to: one that defines all it does, and the
    least beyond (an identical copy ties with it); else the one sharing the most of its functions. Then
    by the ranking, and, between files the ranking cannot tell apart, by name: which one is named must
    not depend on the order the files came in."""
    own = relevant[index]

    def closeness(k: int) -> tuple[int, int, float, int, str]:
        file = candidates[k]
        # A file that covers it first, the fewest functions beyond its own first; else the most shared.
        covers = own <= relevant[k]
        fit = (0, len(relevant[k] - own)) if covers else (1, -len(own & relevant[k]))
        return (*fit, -file.modified, -file.size, file.name)

    return min((k for k in kept if own & relevant[k]), key=closeness)


def _workshops_done(
    candidates: Sequence[Candidate], workshops: Sequence[Workshop], *, given: bool
) -> set[str]:
    """The workshops the submission does, decided as grading decides which rubrics apply."""
    defined = {f for c in candidates for f in c.defines}
    found = {w.id: sum((w.id, task) in defined for task, _ in w.functions) for w in workshops}
    share = {w.id: found[w.id] / len(w.functions) for w in workshops if found[w.id] and w.functions}
    if given or not share:
        return set(share)
    most = {w for w, s in share.items() if s >= 0.5}
    return most or {w for w, s in share.items() if s == max(share.values())}


def _keep_imported(
    candidates: Sequence[Candidate], helpers: Sequence[int], kept: list[int], beaten: dict[int, int]
) -> None:
    """Move every module a graded file imports from the ignored alternatives to the graded sources: a
    student's ``import funciones`` must keep working, whatever ``funciones.py`` defines."""
    changed = True
    while changed:
        imported = {m for i in (*helpers, *kept) for m in candidates[i].imports}
        moved = [i for i in beaten if candidates[i].module and _module_name(candidates[i].name) in imported]
        for index in moved:
            del beaten[index]
            kept.append(index)
        changed = bool(moved)


def _module_name(name: str) -> str:
    return PurePosixPath(name).stem


def _reason(ignored: Candidate, graded: Candidate, done: set[str]) -> IgnoredReason:
    """Why an alternative lost to the graded file it is an alternative to (see the ranking)."""
    if len(graded.functions(done)) > len(ignored.functions(done)):
        return "less_complete"
    if graded.modified > ignored.modified:
        return "older"
    return "tied"


def _load_order(
    kept: Sequence[int], relevant: Sequence[frozenset[Function]], ranked: Sequence[int]
) -> list[int]:
    """The graded sources in the order they are loaded. A function several of them define must end up
    as the one of the file that does its workshop best (the most of that workshop's functions, then
    the better ranked), so that file loads after the others defining it; otherwise the lower ranked
    load first. Should preferences go round in a circle, the lowest ranked file left loads next."""
    place = {index: ranked.index(index) for index in kept}
    after: dict[int, set[int]] = {index: set() for index in kept}  # file -> files that must load before
    for function in sorted({f for i in kept for f in relevant[i]}):
        holders = [i for i in kept if function in relevant[i]]
        if len(holders) < 2:
            continue
        best = min(holders, key=lambda i: (-sum(f[0] == function[0] for f in relevant[i]), place[i]))
        after[best] |= {i for i in holders if i != best}
    order: list[int] = []
    left = set(kept)
    while left:
        ready = [i for i in left if not (after[i] & left)] or list(left)
        chosen = max(ready, key=lambda i: place[i])  # the lowest ranked first
        order.append(chosen)
        left.remove(chosen)
    return order


def _duplicates(
    candidates: Sequence[Candidate],
    relevant: Sequence[frozenset[Function]],
    ranked: Sequence[int],
    load: Sequence[int],
) -> tuple[DuplicateDefinition, ...]:
    """Each workshop function more than one source defines: graded in the graded file loaded last of
    those defining it, also in each other file."""
    found: list[DuplicateDefinition] = []
    for function in sorted({f for i in ranked for f in relevant[i]}):
        holders = [i for i in ranked if function in relevant[i]]
        if len(holders) < 2:
            continue
        graded = max((i for i in holders if i in load), key=load.index)
        found += [
            DuplicateDefinition(function[1], candidates[graded].name, candidates[other].name)
            for other in holders
            if other != graded
        ]
    return tuple(found)


# --- reading a submission's files into candidates -------------------------------------------------


def choose_sources(submission: Submission, rubrics: Sequence[Rubric], *, given: bool) -> Submission:
    """The submission with the files the rule grades, in load order, and the choice recorded. A
    submission of one file (or none) has nothing to choose and is returned as it is."""
    if len(submission.files) < 2:
        return submission
    workshops = [Workshop.of(r) for r in rubrics]
    files, _ = submission.read()
    paths = {submission.display_name(p): p for p in submission.files}
    read = [(paths[f.name], f.name, f.data) for f in files if f.name in paths]
    candidates = [candidate(name, data, workshops, modified=_modified(path)) for path, name, data in read]
    choice = choose(candidates, workshops, given=given)
    return replace(
        submission,
        files=tuple(read[i][0] for i in choice.graded),
        names=tuple(read[i][1] for i in choice.graded),
        choice=SourceChoice(
            graded=tuple(read[i][1] for i in choice.graded),
            ignored=(*submission.ignored, *choice.ignored),
            duplicates=choice.duplicates,
        ),
    )


def candidate(name: str, data: bytes, workshops: Sequence[Workshop], *, modified: float = 0.0) -> Candidate:
    """What one file defines and imports, read (never run) from its bytes."""
    try:
        units = load_code(data, filename=name).units
    except SourceError:
        return Candidate(name, frozenset(), modified=modified, size=len(data), readable=False)
    names: set[str] = set()
    imports: set[str] = set()
    callables: set[str] = set()
    for unit in units:
        tree = parse_source(unit.source)
        found = find_definitions(unit.source if isinstance(tree, ParseError) else tree, callables=callables)
        names |= found.names
        callables |= {d.name for d in found.module_level()}
        if not isinstance(tree, ParseError):
            imports |= set(_imported(tree))
    return Candidate(
        name,
        frozenset(_workshop_functions(names, workshops)),
        frozenset(imports),
        modified=modified,
        size=len(data),
    )


def _workshop_functions(names: Iterable[str], workshops: Sequence[Workshop]) -> Iterable[Function]:
    """The workshop functions among the names a file defines, found as grading finds them: under any of
    their names, ignoring case and underscores."""
    defined = {_loose(n) for n in names}
    for workshop in workshops:
        for task, aliases in workshop.functions:
            if any(_loose(alias) in defined for alias in aliases):
                yield workshop.id, task


def _loose(name: str) -> str:
    return name.replace("_", "").lower()


def _imported(tree: ast.Module) -> Iterable[str]:
    """The top-level names of the modules a file imports (``import a.b``, ``from a import b``,
    ``from . import b``), wherever the import stands."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.module:
                yield node.module.split(".")[0]
            if node.level:
                yield from (alias.name for alias in node.names)


def _modified(path: Path) -> float:
    """The file's modification time, the file itself and never what a link points at."""
    try:
        return os.lstat(path).st_mtime
    except OSError:
        return 0.0
