"""Opening a grading run in the sandbox: the zygote started before the secret is read, a scratch folder, the
hidden cases made, the :class:`~grader.grading.Grader`, and the :class:`~grader.results.RunInfo` the
results record. Everything here needs the sandbox's Linux layers: importing it is the point where a
command that grades starts to need them."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from grader import __version__
from grader.cases import make_cases
from grader.errors import RubricError
from grader.grading import ExecMode, Grader
from grader.results import RunInfo
from grader.rubric import Rubric
from grader.sandbox.launcher import UNSAFE, SandboxUnavailable, Zygote
from grader.sandbox.limits import Limits
from grader.sandbox.privileges import protect_grader_process
from grader.secret import SECRET_ENV, read_secret


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
) -> Iterator[tuple[Grader, RunInfo]]:
    """Start the sandbox first, then read the secret: workers are forked from a process that never saw it.

    Refuses to go on when no layer isolating student code works here, unless ``unsafe``. ``warn`` is
    given each warning (a line for the person running the grader).
    """
    protect_grader_process()
    scratch = Path(tempfile.mkdtemp(prefix="taller-grader-"))
    zygote = Zygote(scratch_root=scratch)
    try:
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
    finally:
        zygote.close()
        shutil.rmtree(scratch, ignore_errors=True)


def run_info(
    rubrics: Sequence[Rubric],
    *,
    hidden_cases: bool,
    sandbox: tuple[str, ...],
    lang: str | None,
    exec_mode: ExecMode,
) -> RunInfo:
    """What the results of a run record about it."""
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
    for rubric in rubrics:
        try:
            make_cases(rubric, secret=secret)
        except Exception as exc:
            raise RubricError(
                f"{rubric.path}: hidden_cases: the case generator {rubric.generator} fails on a hidden "
                f"case ({type(exc).__name__}: {exc})"
            ) from None
