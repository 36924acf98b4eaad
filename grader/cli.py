"""The command line: the one place that reads the environment, prints, writes files and exits."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path

import click

from grader import __version__
from grader.errors import GraderError, UsageError
from grader.grading import Grader
from grader.report import render_site
from grader.results import RunInfo, SubmissionError, SubmissionResult, read_results, results_document
from grader.rubric import Rubric, load_bundled_rubrics, resolve_rubric
from grader.sandbox.launcher import Zygote
from grader.sandbox.limits import Limits
from grader.store import ResultStore, write_atomically
from grader.submission import Submission, discover

SECRET_ENV = "GRADER_SECRET"
EXIT_INTERNAL = 3
EXIT_CHECK_FAILED = 1


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="taller-grader")
def main() -> None:
    """Grade the NumPy workshops (linreg, xor) by running student functions against reference ones."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--rubric", "rubric_names", multiple=True, help="Bundled rubric id or TOML file (repeatable).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("reports"), show_default=True)
@click.option(
    "--jobs", type=click.IntRange(min=1), default=None, help="Submissions graded at once [default: cores]."
)
@click.option(
    "--lang", type=click.Choice(["es", "en"]), default=None, help="Language of messages [default: rubric's]."
)
@click.option("--secret-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None)
@click.option("--quiet", is_flag=True, help="Only the final summary.")
@click.option(
    "--fresh", is_flag=True, help="Grade everything again, ignoring results kept from an earlier run."
)
def grade(
    paths: tuple[Path, ...],
    rubric_names: tuple[str, ...],
    out_dir: Path,
    jobs: int | None,
    lang: str | None,
    secret_file: Path | None,
    quiet: bool,
    fresh: bool,
) -> None:
    """Grade every submission in PATHS and write results.json and the HTML report to --out.

    Each .py/.ipynb file directly in a PATH is a submission (id: its stem), and so is each sub-folder
    (id: its name). Hidden cases are derived from GRADER_SECRET (or --secret-file). Results are kept
    in --out as each submission finishes: re-running the same command after an interruption continues
    where it stopped.
    """
    with _errors_as_exit_codes():
        rubrics = _rubrics(rubric_names)
        submissions = discover(paths)
        if not submissions:
            raise UsageError(f"no .py/.ipynb files or folders found in {', '.join(map(str, paths))}")
        workers = jobs or max(1, os.cpu_count() or 1)
        store = ResultStore(out_dir)
        started = time.perf_counter()
        session = _grading_session(rubrics, secret_file=secret_file, lang=lang, public_only=False)
        with session as (grader, run):
            results = _grade_all(
                grader,
                submissions,
                store,
                rubrics_given=bool(rubric_names),
                jobs=workers,
                quiet=quiet,
                fresh=fresh,
            )
        _write_reports(out_dir, run, results)
        click.echo(_batch_summary(results, seconds=time.perf_counter() - started, out_dir=out_dir), err=True)
        internal = [r for r in results if r.error and r.error.kind == "internal_error"]
        if internal:
            click.echo(
                f"{len(internal)} submission(s) hit an internal grader error: see results.json", err=True
            )
            sys.exit(EXIT_INTERNAL)


@main.command()
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@click.option("--rubric", "rubric_names", multiple=True, help="Bundled rubric id or TOML file (repeatable).")
@click.option("--lang", type=click.Choice(["es", "en"]), default=None)
def check(file: Path, rubric_names: tuple[str, ...], lang: str | None) -> None:
    """Self-check a notebook or module on the public cases, before handing it in.

    Exits with 1 when any public check fails.
    """
    with _errors_as_exit_codes():
        rubrics = _rubrics(rubric_names)
        (submission,) = discover([file]) if file.is_file() else (_as_folder(file),)
        with _grading_session(rubrics, secret_file=None, lang=lang, public_only=True) as (grader, _):
            result = grader.grade(submission, rubrics=rubrics if rubric_names else None)
        click.echo(_terminal_summary(result))
        failed = result.status != "graded" or any(c.status != "pass" for t in result.tasks for c in t.checks)
        sys.exit(EXIT_CHECK_FAILED if failed else 0)


@main.command("rubrics")
def list_rubrics() -> None:
    """List the bundled rubrics: the functions each expects, their signatures and points."""
    with _errors_as_exit_codes():
        for rubric in load_bundled_rubrics():
            click.echo(f"{rubric.id}: {rubric.title}  ({rubric.max_score:g} points)")
            conventions = ", ".join(c.id for c in rubric.conventions)
            click.echo(f"  conventions accepted: {conventions}")
            for task in rubric.tasks:
                click.echo(f"  {task.id}({', '.join(task.params)})  {task.max_score:g} pts")
                if task.aliases:
                    click.echo(f"      also found as: {', '.join(task.aliases)}")
                for spec in task.checks:
                    click.echo(f"      - {spec.id} [{spec.kind}] {spec.points:g} pts")


@main.command()
@click.argument("results_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), default=None, help="[default: beside the file]"
)
@click.option("--lang", type=click.Choice(["es", "en"]), default=None)
def report(results_file: Path, out_dir: Path | None, lang: str | None) -> None:
    """Re-render the reports from a results.json, without grading again."""
    with _errors_as_exit_codes():
        try:
            run, results = read_results(results_file)
        except (ValueError, KeyError, json.JSONDecodeError) as exc:
            raise UsageError(f"{results_file}: not a readable results file ({exc})") from None
        target = out_dir or results_file.parent
        _write_site(target, run, results, lang=lang or str(run.get("lang", "es")))
        click.echo(f"Reports written to {target}/", err=True)


# --- helpers ---------------------------------------------------------------------------------------


@contextmanager
def _errors_as_exit_codes() -> Iterator[None]:
    try:
        yield
    except GraderError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)


def _rubrics(names: Sequence[str]) -> list[Rubric]:
    return [resolve_rubric(n) for n in names] if names else load_bundled_rubrics()


def _as_folder(path: Path) -> Submission:
    (submission,) = [s for s in discover([path.parent]) if s.id == path.name]
    return submission


@contextmanager
def _grading_session(
    rubrics: Sequence[Rubric], *, secret_file: Path | None, lang: str | None, public_only: bool
) -> Iterator[tuple[Grader, RunInfo]]:
    """Start the sandbox first, then read the secret: workers are forked from a process that never saw it."""
    scratch = Path(tempfile.mkdtemp(prefix="taller-grader-"))
    zygote = Zygote()
    try:
        secret = None if public_only else _read_secret(secret_file)
        if secret is None and not public_only:
            click.echo(f"warning: {SECRET_ENV} is not set; grading public cases only.", err=True)
        limits = Limits()
        grader = Grader(rubrics, zygote=zygote, secret=secret, limits=limits, scratch_root=scratch, lang=lang)
        run = RunInfo(
            grader_version=__version__,
            rubrics=tuple(r.id for r in rubrics),
            hidden_cases=secret is not None,
            sandbox=("worker-process", "rlimits", "scrubbed-env"),
            lang=lang or (rubrics[0].lang if rubrics else "es"),
        )
        yield grader, run
    finally:
        zygote.close()
        shutil.rmtree(scratch, ignore_errors=True)


def _read_secret(secret_file: Path | None) -> str | None:
    if secret_file is not None:
        secret = secret_file.read_text(encoding="utf-8").strip()
        if not secret:
            raise UsageError(f"{secret_file} is empty")
        return secret
    return os.environ.get(SECRET_ENV) or None


def _grade_all(
    grader: Grader,
    submissions: Sequence[Submission],
    store: ResultStore,
    *,
    rubrics_given: bool,
    jobs: int,
    quiet: bool,
    fresh: bool,
) -> list[SubmissionResult]:
    """Grade every submission (reusing kept results unless ``fresh``), keeping each result as it completes."""
    only = grader.rubrics if rubrics_given else None
    keys = {s.id: grader.result_key(s) for s in submissions}
    kept = {} if fresh else {s.id: r for s in submissions if (r := store.get(keys[s.id])) is not None}
    todo = [s for s in submissions if s.id not in kept]
    if kept and not quiet:
        click.echo(
            f"Reusing {len(kept)} result(s) kept from an earlier run (--fresh grades them again).", err=True
        )

    def one(submission: Submission) -> SubmissionResult:
        try:
            result = grader.grade(submission, rubrics=only)
        except Exception as exc:  # a grader bug must not cost the batch, nor look like a student's zero
            message = f"internal grader error: {type(exc).__name__}: {exc}"
            return SubmissionResult(
                id=submission.id,
                source=submission.source,
                status="error",
                error=SubmissionError("internal_error", message),
            )
        store.put(keys[submission.id], result)
        return result

    done: dict[str, SubmissionResult] = {}
    with _Progress(total=len(todo), quiet=quiet) as progress, ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(one, s) for s in todo]
        try:
            for future in as_completed(futures):
                result = future.result()
                done[result.id] = result
                progress.advance(result)
        except KeyboardInterrupt:
            for future in futures:
                future.cancel()
            raise
    return [kept.get(s.id) or done[s.id] for s in submissions]


class _Progress:
    """A progress bar on a terminal; on anything else (CI logs), a line now and then."""

    def __init__(self, *, total: int, quiet: bool) -> None:
        self.total = total
        self.quiet = quiet or total == 0
        self.done = 0
        self.failures = 0
        self.started = time.perf_counter()
        self.tty = sys.stderr.isatty()
        self.every = 1 if total <= 50 else max(1, total // 20)

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.tty and not self.quiet:
            click.echo(err=True)

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
        status = f"{self.done}/{self.total}  {rate:.1f}/s  ETA {eta:.0f} s  errors/timeouts: {self.failures}"
        if self.tty:
            width = 24
            bar = "#" * (width * self.done // self.total)
            click.echo(f"\r[{bar:<{width}}] {status}  {result.id[:30]:<30}", err=True, nl=False)
        elif failed or self.done % self.every == 0 or self.done == self.total:
            score = f"{result.score:g}/{result.max_score:g}" if result.status == "graded" else "error"
            click.echo(f"[{status}] {result.id}: {score}", err=True)


def _batch_summary(results: Sequence[SubmissionResult], *, seconds: float, out_dir: Path) -> str:
    """The one-screen summary at the end of a batch."""
    graded = [r for r in results if r.status == "graded"]
    errors = [r for r in results if r.status == "error"]
    lines = [
        f"Graded {len(graded)} of {len(results)} submissions in {seconds:.1f} s"
        f" ({len(results) / max(seconds, 1e-9):.1f}/s); {len(errors)} could not be graded.",
    ]
    if graded:
        mean = sum(r.score / r.max_score for r in graded if r.max_score) / len(graded)
        lines.append(f"Mean score: {100 * mean:.1f} %")
        by_task: dict[str, list[float]] = {}
        for r in graded:
            for t in r.tasks:
                if t.max_score:
                    by_task.setdefault(f"{t.rubric}.{t.id}", []).append(t.score / t.max_score)
        for name, scores in sorted(by_task.items()):
            full = sum(s >= 1 for s in scores)
            mean_task = 100 * sum(scores) / len(scores)
            lines.append(f"  {name:<28} full marks {full:>4}/{len(scores):<4} mean {mean_task:5.1f} %")
        counts: dict[str, int] = {}
        for r in graded:
            for code in {c for t in r.tasks for check in t.checks for c in check.diagnoses}:
                counts[code] = counts.get(code, 0) + 1
        if counts:
            top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:6]
            lines.append("Most frequent diagnoses: " + ", ".join(f"{code} ({n})" for code, n in top))
    for r in errors[:5]:
        kind, message = (r.error.kind, r.error.message[:100]) if r.error else ("error", "")
        lines.append(f"  error: {r.id}: {kind}: {message}")
    if len(errors) > 5:
        lines.append(f"  … and {len(errors) - 5} more errors")
    lines.append(f"Reports in {out_dir}/")
    return "\n".join(lines)


def _write_reports(out_dir: Path, run: RunInfo, results: Sequence[SubmissionResult]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    document = results_document(run, results)
    write_atomically(out_dir / "results.json", json.dumps(document, ensure_ascii=False, indent=1))
    write_atomically(out_dir / "grades.csv", _grades_csv(results))
    _write_site(out_dir, run.to_json(), results, lang=run.lang)


def _write_site(
    out_dir: Path, run: dict[str, object], results: Sequence[SubmissionResult], *, lang: str
) -> None:
    for name, html in render_site(run, results, lang=lang).items():
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, html)


def _grades_csv(results: Sequence[SubmissionResult]) -> str:
    columns = list(dict.fromkeys(f"{t.rubric}.{t.id}" for r in results for t in r.tasks))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "status", *columns, "total", "max"])
    for r in results:
        by_task = {f"{t.rubric}.{t.id}": f"{t.score:g}" for t in r.tasks}
        writer.writerow(
            [r.id, r.status, *(by_task.get(c, "") for c in columns), f"{r.score:g}", f"{r.max_score:g}"]
        )
    return buffer.getvalue()


_MARKS = {"pass": "✓", "fail": "✗", "error": "!", "timeout": "⏱", "skipped": "-"}


def _terminal_summary(result: SubmissionResult) -> str:
    lines = [
        f"{result.id}: {result.score:g}/{result.max_score:g}"
        if result.status == "graded"
        else f"{result.id}: error"
    ]
    if result.error:
        lines.append(f"  {result.error.kind}: {result.error.message}")
    for note in result.notes:
        lines.append(f"  note: {note}")
    for task in result.tasks:
        found = f" (as {task.found_as})" if task.found_as and task.found_as != task.id else ""
        lines.append(f"\n{task.id}{found}: {task.score:g}/{task.max_score:g}")
        for note in task.notes:
            lines.append(f"  note: {note}")
        for c in task.checks:
            lines.append(f"  {_MARKS[c.status]} {c.id}  {c.score:g}/{c.max_score:g}")
            if c.status != "pass":
                lines.extend(f"      {line}" for line in c.message.splitlines())
    return "\n".join(lines)


if __name__ == "__main__":
    main()
