"""The command line: the one place that reads the environment, prints, writes files and exits."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import click

from grader import __version__
from grader.batch import GRADING_CRASHED, grade_batch, plan_batch
from grader.cases import make_cases
from grader.errors import GraderError, RubricError, UsageError
from grader.grading import EXEC_MODES, ExecMode, Grader
from grader.messages import LANGUAGES
from grader.report import DEFAULT_FORMATS, FORMATS, UnknownFormatError, parse_formats, render_reports
from grader.report.github import ANNOTATIONS_FILE, OUTPUT_FILE, SUMMARY_FILE
from grader.results import RunInfo, SubmissionResult, read_results, results_document
from grader.rubric import Rubric
from grader.sandbox.launcher import UNSAFE, SandboxUnavailable, Zygote
from grader.sandbox.limits import Limits
from grader.sandbox.privileges import protect_grader_process
from grader.store import ResultStore, write_atomically
from grader.submission import Submission, discover
from grader.workshop import load_bundled_rubrics, resolve_rubric

SECRET_ENV = "GRADER_SECRET"
_RUBRIC_HELP = "Rubric id (bundled or installed), rubric TOML or workshop folder (repeatable)."
EXIT_INTERNAL = 3
EXIT_CHECK_FAILED = 1


def _parse_format_option(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    try:
        return parse_formats(value)
    except UnknownFormatError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


_FORMAT_OPTION = click.option(
    "--format",
    "formats",
    metavar="LIST",
    default=",".join(DEFAULT_FORMATS),
    show_default=True,
    callback=_parse_format_option,
    help="Reports to write, comma-separated: " + ", ".join(FORMATS) + " (or all).",
)


_EXEC_OPTION = click.option(
    "--exec",
    "exec_mode",
    type=click.Choice(EXEC_MODES),
    default="auto",
    show_default=True,
    help="definitions: run only what the functions need (fast; top-level training, plots and input() are "
    "skipped); notebook: run every cell top to bottom; auto: definitions, and the whole notebook for a "
    "submission whose functions need state built by top-level code.",
)
_UNSAFE_OPTION = click.option(
    "--unsafe",
    is_flag=True,
    help="Grade even where no sandbox layer isolating student code works (only for code you trust).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="taller-grader")
def main() -> None:
    """Grade the NumPy workshops (linreg, xor) by running student functions against reference ones."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--rubric", "rubric_names", multiple=True, help=_RUBRIC_HELP)
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
@_FORMAT_OPTION
@_UNSAFE_OPTION
@_EXEC_OPTION
def grade(
    paths: tuple[Path, ...],
    rubric_names: tuple[str, ...],
    out_dir: Path,
    jobs: int | None,
    lang: str | None,
    secret_file: Path | None,
    quiet: bool,
    fresh: bool,
    formats: tuple[str, ...],
    unsafe: bool,
    exec_mode: ExecMode,
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
        session = _grading_session(
            rubrics, secret_file=secret_file, lang=lang, public_only=False, unsafe=unsafe, exec_mode=exec_mode
        )
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
        _write_reports(out_dir, run, results, formats=formats)
        click.echo(_batch_summary(results, seconds=time.perf_counter() - started, out_dir=out_dir), err=True)
        internal = [r for r in results if r.error and r.error.kind == "internal_error"]
        if internal:
            click.echo(
                f"{len(internal)} submission(s) hit an internal grader error: see results.json", err=True
            )
            sys.exit(EXIT_INTERNAL)


@main.command()
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@click.option("--rubric", "rubric_names", multiple=True, help=_RUBRIC_HELP)
@click.option("--lang", type=click.Choice(["es", "en"]), default=None)
@_UNSAFE_OPTION
@_EXEC_OPTION
def check(
    file: Path, rubric_names: tuple[str, ...], lang: str | None, unsafe: bool, exec_mode: ExecMode
) -> None:
    """Self-check a notebook or module on the public cases, before handing it in.

    Exits with 1 when any public check fails.
    """
    with _errors_as_exit_codes():
        rubrics = _rubrics(rubric_names)
        (submission,) = discover([file]) if file.is_file() else (_as_folder(file),)
        session = _grading_session(
            rubrics, secret_file=None, lang=lang, public_only=True, unsafe=unsafe, exec_mode=exec_mode
        )
        with session as (grader, _):
            result = grader.grade(submission, rubrics=rubrics if rubric_names else None)
        click.echo(_terminal_summary(result))
        failed = result.status != "graded" or any(c.status != "pass" for t in result.tasks for c in t.checks)
        sys.exit(EXIT_CHECK_FAILED if failed else 0)


@main.command("rubrics")
@click.argument("rubric_names", nargs=-1, metavar="[ID|PATH]...")
def list_rubrics(rubric_names: tuple[str, ...]) -> None:
    """List rubrics: the functions each expects, their signatures and points.

    Without arguments, the bundled rubrics and those installed packages offer; otherwise the rubrics
    named (an id, a rubric TOML or a workshop folder), each validated as grading would load it.
    """
    from grader.workshop import installed_rubric_paths, load_rubric

    with _errors_as_exit_codes():
        if rubric_names:
            shown = [(resolve_rubric(name), "") for name in rubric_names]
        else:
            shown = [(rubric, "") for rubric in load_bundled_rubrics()]
            shown += [(load_rubric(path), "  [installed]") for path in installed_rubric_paths()]
        for rubric, origin in shown:
            click.echo(f"{rubric.id}: {rubric.title}  ({rubric.max_score:g} points){origin}")
            if rubric.folder is not None:
                click.echo(f"  workshop folder: {rubric.folder}")
            elif rubric_names or origin:
                click.echo(f"  rubric file: {rubric.path}")
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
@_FORMAT_OPTION
def report(results_file: Path, out_dir: Path | None, lang: str | None, formats: tuple[str, ...]) -> None:
    """Re-render the reports from a results.json, without grading again."""
    with _errors_as_exit_codes():
        try:
            run, results = read_results(results_file)
        except (ValueError, KeyError, json.JSONDecodeError) as exc:
            raise UsageError(f"{results_file}: not a readable results file ({exc})") from None
        target = out_dir or results_file.parent
        chosen = lang or str(run.get("lang", "es"))
        if chosen not in LANGUAGES:
            chosen = "es"  # a results file from elsewhere may name any language; the reports speak es or en
        _write_site(target, run, results, lang=chosen, formats=formats)
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
    rubrics: Sequence[Rubric],
    *,
    secret_file: Path | None,
    lang: str | None,
    public_only: bool,
    unsafe: bool = False,
    exec_mode: ExecMode = "auto",
) -> Iterator[tuple[Grader, RunInfo]]:
    """Start the sandbox first, then read the secret: workers are forked from a process that never saw it.

    Refuses to go on when no layer isolating student code works here, unless ``unsafe``.
    """
    protect_grader_process()
    scratch = Path(tempfile.mkdtemp(prefix="taller-grader-"))
    zygote = Zygote(scratch_root=scratch)
    try:
        if not zygote.isolated and not unsafe:
            raise SandboxUnavailable(zygote.problems)
        if not zygote.isolated:
            click.echo("warning: --unsafe: student code runs without isolation.", err=True)
        secret = None if public_only else _read_secret(secret_file)
        if secret is None and not public_only:
            click.echo(f"warning: {SECRET_ENV} is not set; grading public cases only.", err=True)
        if secret is not None:
            _make_hidden_cases(rubrics, secret)
        limits = Limits()
        grader = Grader(
            rubrics,
            zygote=zygote,
            secret=secret,
            limits=limits,
            scratch_root=scratch,
            lang=lang,
            exec_mode=exec_mode,
        )
        run = RunInfo(
            grader_version=__version__,
            rubrics=tuple(r.id for r in rubrics),
            hidden_cases=secret is not None,
            sandbox=(*zygote.sandbox, *(() if zygote.isolated else (UNSAFE,))),
            lang=lang or (rubrics[0].lang if rubrics else "es"),
            extra={"exec": exec_mode},
        )
        yield grader, run
    finally:
        zygote.close()
        shutil.rmtree(scratch, ignore_errors=True)


def _make_hidden_cases(rubrics: Sequence[Rubric], secret: str) -> None:
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
    """Grade every submission (see :func:`grader.batch.grade_batch`), telling how it goes on stderr."""
    plan = plan_batch(grader, submissions, store, fresh=fresh)
    if plan.kept and not quiet:
        click.echo(
            f"Reusing {len(plan.kept)} result(s) kept from an earlier run (--fresh grades them again).",
            err=True,
        )
    for submission in plan.crashed:
        click.echo(
            f"{submission.id}: the grader's process ended while grading it in an earlier run (probably out "
            f"of memory); recorded as {GRADING_CRASHED} without grading it again (--fresh tries again).",
            err=True,
        )
    with _Progress(total=plan.pending, quiet=quiet) as progress:
        results = grade_batch(
            grader,
            plan,
            store,
            only_given_rubrics=rubrics_given,
            jobs=jobs,
            on_result=progress.advance,
            on_retry=lambda cut: progress.note(
                "A grading process ended (probably out of memory) while grading "
                f"{', '.join(s.id for s in cut)}: grading each again on its own."
            ),
        )
    told = {s.id for s in plan.crashed} | set(plan.kept)
    for result in results:
        if result.error and result.error.kind == GRADING_CRASHED and result.id not in told:
            click.echo(
                f"{result.id}: the grader's process ended while grading it, alone too (probably out of "
                f"memory); recorded as {GRADING_CRASHED}, the rest was graded (--fresh tries again).",
                err=True,
            )
    return list(results)


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


def _write_reports(
    out_dir: Path, run: RunInfo, results: Sequence[SubmissionResult], *, formats: Sequence[str]
) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    document = results_document(run, results)
    write_atomically(out_dir / "results.json", json.dumps(document, ensure_ascii=False, indent=1))
    _write_site(out_dir, run.to_json(), results, lang=run.lang, formats=formats)


def _write_site(
    out_dir: Path,
    run: dict[str, object],
    results: Sequence[SubmissionResult],
    *,
    lang: str,
    formats: Sequence[str],
) -> None:
    """Write every file of the chosen report formats; inside GitHub Actions, publish the ``github`` one."""
    reports = render_reports(formats, run, results, lang=lang)
    for name, text in reports.items():
        write_atomically(out_dir / name, text)
    if "github" in formats and os.environ.get("GITHUB_ACTIONS") == "true":
        _publish_to_github_actions(reports)


def _publish_to_github_actions(reports: dict[str, str]) -> None:
    """Job summary and ``result`` output to the files Actions names; annotations as workflow commands."""
    for variable, name in (("GITHUB_STEP_SUMMARY", SUMMARY_FILE), ("GITHUB_OUTPUT", OUTPUT_FILE)):
        target = os.environ.get(variable)
        if target:
            with open(target, "a", encoding="utf-8") as f:
                f.write(reports[name])
    click.echo(reports[ANNOTATIONS_FILE], nl=False)


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


# --- grading where students hand in: GitHub Classroom, Gradescope -----------------------------------


@main.command("ci")
@click.argument("path", required=False, default=Path("."), type=click.Path(exists=True, path_type=Path))
@click.option("--rubric", "rubric_names", multiple=True, help=_RUBRIC_HELP)
@click.option("--lang", type=click.Choice(["es", "en"]), default=None)
@click.option("--secret-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None)
@click.option(
    "--gradescope",
    "gradescope_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write Gradescope's results.json to this file.",
)
def ci(
    path: Path,
    rubric_names: tuple[str, ...],
    lang: str | None,
    secret_file: Path | None,
    gradescope_file: Path | None,
) -> None:
    """Grade the one submission in PATH (a repository checkout or an upload; default: here).

    Inside GitHub Actions (GITHUB_ACTIONS=true) it appends the Markdown summary to
    $GITHUB_STEP_SUMMARY, prints at most ten ::error annotations at the student's file and line, and
    writes result=<base64 JSON> (one Classroom test per check) to $GITHUB_OUTPUT. Elsewhere it prints
    the summary. Hidden checks run only with GRADER_SECRET (or --secret-file). The exit status is 0
    whatever the score; it is not 0 only when grading itself could not run.
    """
    from grader.integrations.checkout import checkout_submission
    from grader.integrations.github import actions_report
    from grader.report.gradescope import RESULTS_FILE, gradescope_results

    with _errors_as_exit_codes():
        rubrics = _rubrics(rubric_names)
        in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
        output_file = os.environ.get("GITHUB_OUTPUT")
        if in_actions and not output_file:
            raise UsageError("GITHUB_ACTIONS is true but GITHUB_OUTPUT is not set: nowhere to put the result")
        if path.is_dir():
            submission = checkout_submission(path)
        else:
            (submission,) = discover([path])
        session = _grading_session(rubrics, secret_file=secret_file, lang=lang, public_only=False)
        with session as (grader, run):
            try:
                result = grader.grade(submission, rubrics=rubrics if rubric_names else None)
            except Exception as exc:  # a grader bug: fail the job rather than publish a zero as a grade
                click.echo(f"internal grader error: {type(exc).__name__}: {exc}", err=True)
                sys.exit(EXIT_INTERNAL)
        run_json = run.to_json()
        if gradescope_file is not None:
            document = gradescope_results(run_json, [result], lang=run.lang)[RESULTS_FILE]
            write_atomically(gradescope_file, document)
        report = actions_report(
            result,
            submission,
            run=run_json,
            workspace=Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd()),
            max_score=sum(r.max_score for r in rubrics),
            lang=run.lang,
        )
        if in_actions and output_file:
            summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
            if summary_file:
                with open(summary_file, "a", encoding="utf-8") as f:
                    f.write(report.summary)
            with open(output_file, "a", encoding="utf-8") as f:
                f.write(report.output)
            for line in report.annotations:
                click.echo(line)
        elif gradescope_file is None:
            click.echo(report.summary)
        shown = f"{result.score:g}/{result.max_score:g}" if result.status == "graded" else "not graded"
        click.echo(f"{submission.id}: {shown}", err=True)


@main.group("init")
def init() -> None:
    """Set up grading on every push in a student template repository."""


@init.command("github")
@click.option(
    "--rubric",
    "rubric_names",
    multiple=True,
    help="Bundled rubric id to grade with (repeatable) [default: whichever the code matches]. A workshop "
    "folder of your own cannot be named: students would see its reference.",
)
@click.option(
    "--dest",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The template repository's root folder.",
)
@click.option(
    "--package",
    "requirement",
    default=None,
    metavar="REQUIREMENT",
    help="What the workflow installs with pip [default: taller-grader==<this version>], e.g. "
    "'taller-grader @ git+https://github.com/ORG/taller-grader@v0.1.0'.",
)
@click.option("--force", is_flag=True, help="Replace an existing workflow file.")
def init_github(rubric_names: tuple[str, ...], dest: Path, requirement: str | None, force: bool) -> None:
    """Write .github/workflows/classroom.yml: grade every push and report the points to GitHub Classroom."""
    from grader.integrations.github import WORKFLOW_FILE, classroom_workflow, default_requirement
    from grader.workshop import bundled_rubric_paths, rubric_name

    with _errors_as_exit_codes():
        bundled = sorted(rubric_name(p) for p in bundled_rubric_paths())
        for name in rubric_names:
            if name not in bundled:
                raise UsageError(_not_bundled(name, bundled))
            resolve_rubric(name)
        text = classroom_workflow(rubric_ids=rubric_names, requirement=requirement or default_requirement())
        target = dest / WORKFLOW_FILE
        if target.exists() and not force:
            raise UsageError(f"{target} already exists (--force replaces it)")
        write_atomically(target, text)
        click.echo(f"Wrote {target}", err=True)
        click.echo(
            "Next: commit it to the template repository, and set the organisation secret GRADER_SECRET "
            "(a different one from the secret of your final batch run) for the hidden checks.",
            err=True,
        )


def _not_bundled(name: str, bundled: Sequence[str]) -> str:
    """Why ``grader init github`` cannot name this rubric, and what to do instead."""
    why = (
        "the workflow installs the grader in each student's repository and grades there, where only "
        f"its bundled rubrics exist ({', '.join(bundled)})"
    )
    if Path(name).exists() or name.endswith(".toml"):
        return (
            f"{name} is not a bundled rubric: {why}. A workshop of your own would have to be in the "
            "students' repositories, and its reference with it. Grade it with `grader grade --rubric "
            f"{name}` over the cloned repositories, or on Gradescope (`grader export gradescope "
            f"--rubric {name}`)."
        )
    return f"{name!r} is not a bundled rubric: {why}."


@main.group("export")
def export() -> None:
    """Package the grader for a hand-in platform."""


@export.command("gradescope")
@click.option(
    "--rubric",
    "rubric_names",
    multiple=True,
    required=True,
    help="Rubric id, TOML file or workshop folder (repeatable); a folder's modules go into the zip.",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("autograder.zip"),
    show_default=True,
)
@click.option("--lang", type=click.Choice(["es", "en"]), default=None, help="[default: the rubric's]")
@click.option("--secret-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None)
@click.option(
    "--time-limit",
    type=click.IntRange(min=10),
    default=540,
    show_default=True,
    help="Seconds the grader gets per submission; keep it under Gradescope's own timeout.",
)
def export_gradescope(
    rubric_names: tuple[str, ...], out_file: Path, lang: str | None, secret_file: Path | None, time_limit: int
) -> None:
    """Build the Gradescope autograder zip: setup.sh, run_autograder, the rubrics (a workshop folder with
    its modules) and this grader.

    The hidden checks run on Gradescope when GRADER_SECRET (or --secret-file) is given here: the
    secret goes into the zip, which students never see.
    """
    from grader.integrations.gradescope import autograder_zip

    with _errors_as_exit_codes():
        rubrics = _rubrics(rubric_names)
        secret = _read_secret(secret_file)
        if secret is None:
            click.echo(f"warning: {SECRET_ENV} is not set; the autograder runs public checks only.", err=True)
        data = autograder_zip(rubrics, secret=secret, lang=lang, time_limit_s=time_limit)
        out_file.parent.mkdir(parents=True, exist_ok=True)
        partial = out_file.with_name(out_file.name + ".tmp")
        partial.write_bytes(data)
        os.replace(partial, out_file)
        points = sum(r.max_score for r in rubrics)
        hidden = ", hidden checks" if secret else ""
        names = ", ".join(r.id for r in rubrics)
        click.echo(
            f"Wrote {out_file} ({len(data) / 1024:.0f} KiB; {names}: {points:g} points{hidden})", err=True
        )


if __name__ == "__main__":
    main()
