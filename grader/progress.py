"""A batch graded in front of someone: a progress bar on a terminal (a line now and then in CI logs), and a
line on standard error for each result kept from an earlier run, each retry and each submission whose
grading ended the grader's process. The grading itself is :mod:`grader.batch`'s."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence

import click

from grader.batch import GRADING_CRASHED, grade_batch, plan_batch
from grader.grading import Grader
from grader.messages import SAY, words
from grader.results import SubmissionResult
from grader.store import ResultStore
from grader.submission import Submission


def grade_with_progress(
    grader: Grader,
    submissions: Sequence[Submission],
    store: ResultStore,
    *,
    rubrics_given: bool,
    jobs: int,
    quiet: bool,
    fresh: bool,
    lang: str,
) -> list[SubmissionResult]:
    """Grade every submission (see :func:`grader.batch.grade_batch`), telling how it goes on stderr in
    the run's language."""
    plan = plan_batch(grader, submissions, store, fresh=fresh)
    if plan.kept and not quiet:
        click.echo(words("term.reusing", lang, results=SAY("n.results", count=len(plan.kept))), err=True)
    for submission in plan.crashed:
        click.echo(
            words("term.crashed_earlier", lang, id=submission.id, kind=GRADING_CRASHED),
            err=True,
        )
    with Progress(total=plan.pending, quiet=quiet, lang=lang) as progress:
        results = grade_batch(
            grader,
            plan,
            store,
            only_given_rubrics=rubrics_given,
            jobs=jobs,
            on_result=progress.advance,
            on_retry=lambda cut: progress.note(
                words("term.retrying", lang, ids=", ".join(s.id for s in cut))
            ),
        )
    told = {s.id for s in plan.crashed} | set(plan.kept)
    for result in results:
        if result.error and result.error.kind == GRADING_CRASHED and result.id not in told:
            click.echo(words("term.crashed_alone", lang, id=result.id, kind=GRADING_CRASHED), err=True)
    return list(results)


class Progress:
    """A progress bar on a terminal; on anything else (CI logs), a line now and then."""

    def __init__(self, *, total: int, quiet: bool, lang: str) -> None:
        self.lang = lang
        self.total = total
        self.quiet = quiet or total == 0
        self.done = 0
        self.failures = 0
        self.started = time.perf_counter()
        self.tty = sys.stderr.isatty()
        self.every = 1 if total <= 50 else max(1, total // 20)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.tty and not self.quiet:
            click.echo(err=True)

    def note(self, text: str) -> None:
        """A line that must be seen even with --quiet, below the bar rather than over it."""
        click.echo(("\n" if self.tty and not self.quiet and self.done else "") + text, err=True)

    def advance(self, result: SubmissionResult) -> None:
        self.done += 1
        failed = result.status != "graded" or any(
            c.status in ("timeout", "error") for t in result.tasks for c in t.checks
        )
        self.failures += failed
        if self.quiet:
            return
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate
        status = words(
            "term.progress",
            self.lang,
            done=self.done,
            total=self.total,
            rate=round(rate, 1),
            eta=round(eta),
            failures=self.failures,
        )
        if self.tty:
            width = 24
            bar = "#" * (width * self.done // self.total)
            click.echo(f"\r[{bar:<{width}}] {status}  {result.id[:30]:<30}", err=True, nl=False)
        elif failed or self.done % self.every == 0 or self.done == self.total:
            score = (
                f"{result.score:g}/{result.max_score:g}"
                if result.status == "graded"
                else words("term.not_graded", self.lang)
            )
            click.echo(f"[{status}] {result.id}: {score}", err=True)
