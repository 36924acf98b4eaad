"""Opening a grading run in the sandbox: the zygote started before the secret is read, a scratch folder, the
hidden cases made, the :class:`~grader.grading.Grader`, and the :class:`~grader.results.RunInfo` the
results record. Everything here needs the sandbox's Linux layers: importing it is the point where a
command that grades starts to need them."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from grader import __version__
from grader.errors import RubricError
from grader.sandbox.launcher import UNSAFE, SandboxUnavailable, Zygote
from grader.sandbox.limits import Limits
from grader.sandbox.privileges import protect_grader_process
from grader.secret import SECRET_ENV, read_secret

if TYPE_CHECKING:
    from grader.grading import ExecMode, Grader
    from grader.results import RunInfo
    from grader.rubric import Rubric

# The grading code (grader.grading, grader.cases, grader.results) is imported by the functions that use
# it: a command that starts the sandbox first imports it while the zygote starts.


@contextmanager
def started_sandbox() -> Iterator[Zygote]:
    """The sandbox's zygote, launched in a scratch folder of its own, for :func:`grading_session`: a
    command starts it first, before it reads any secret, and its start-up goes on while the command
    does other work. Leaving stops it and removes the folder."""
    protect_grader_process()
    scratch = Path(tempfile.mkdtemp(prefix="taller-grader-"))
    try:
        zygote = Zygote(scratch_root=scratch, wait=False)
        try:
            yield zygote
        finally:
            zygote.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@contextmanager
def grading_session(
    rubrics: Sequence[Rubric],
    *,
    secret_file: Path | None,
    lang: str | None,
    public_only: bool,
    warn: Callable[[str], None],
    unsafe: bool = False,
    exec_mode: ExecMode = "auto",
    zygote: Zygote | None = None,
) -> Iterator[tuple[Grader, RunInfo]]:
    """Start the sandbox first, then read the secret: workers are forked from a process that never saw it.

    ``zygote``: one the caller started already with :func:`started_sandbox` (and stops); without it, one
    is started here. Refuses to go on when no layer isolating student code works here, unless
    ``unsafe``. ``warn`` is given each warning (a line for the person running the grader).
    """
    with ExitStack() as stack:
        if zygote is None:
            zygote = stack.enter_context(started_sandbox())
        from grader.grading import Grader

        scratch = zygote.scratch_root
        if scratch is None:
            raise ValueError("a grading session's zygote needs a scratch folder (see started_sandbox)")
        if not zygote.isolated and not unsafe:
            raise SandboxUnavailable(zygote.problems)
        if not zygote.isolated:
            warn("warning: --unsafe: student code runs without isolation.")
        secret = None if public_only else read_secret(secret_file)
        if secret is None and not public_only:
            warn(f"warning: {SECRET_ENV} is not set; grading public cases only.")
        if secret is not None:
            make_hidden_cases(rubrics, secret)
        grader = Grader(
            rubrics,
            zygote=zygote,
            secret=secret,
            limits=Limits(),
            scratch_root=scratch,
            lang=lang,
            exec_mode=exec_mode,
        )
        sandbox = (*zygote.sandbox, *(() if zygote.isolated else (UNSAFE,)))
        run = run_info(
            rubrics, hidden_cases=secret is not None, sandbox=sandbox, lang=lang, exec_mode=exec_mode
        )
        yield grader, run


def run_info(
    rubrics: Sequence[Rubric],
    *,
    hidden_cases: bool,
    sandbox: tuple[str, ...],
    lang: str | None,
    exec_mode: ExecMode,
) -> RunInfo:
    """What the results of a run record about it."""
    from grader.results import RunInfo

    return RunInfo(
        grader_version=__version__,
        rubrics=tuple(r.id for r in rubrics),
        hidden_cases=hidden_cases,
        sandbox=sandbox,
        lang=lang or (rubrics[0].lang if rubrics else "es"),
        # Each rubric's conventions and the code a task in one is marked with: reports re-rendered
        # from results.json tell accepted conventions from mistakes without the rubrics at hand.
        extra={
            "exec": exec_mode,
            "conventions": {r.id: {c.id: c.note for c in r.conventions} for r in rubrics},
        },
    )


def make_hidden_cases(rubrics: Sequence[Rubric], secret: str) -> None:
    """Loading tried the case generator at the ends of the hidden ranges; a size in between that it
    fails on is the rubric's mistake too, and stops the run as one rather than as a grader failure."""
    from grader.cases import make_cases

    for rubric in rubrics:
        try:
            make_cases(rubric, secret=secret)
        except Exception as exc:
            raise RubricError(
                f"{rubric.path}: hidden_cases: the case generator {rubric.generator} fails on a hidden "
                f"case ({type(exc).__name__}: {exc})"
            ) from None
