"""The command line: the click commands, which parse their options and call the modules that do the work
(opening a grading run: grader.session; a batch on the terminal: grader.progress; what a run writes:
grader.writing; a self-check without the sandbox: grader.self_check). Here the person at the terminal is
told things, and the process exits with the status the README documents."""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import click

# The options are declared, at import, with constants from light modules (grader.modes, the registry of
# report formats, which imports each renderer when it is used): what a command needs beyond them it
# imports when it runs, so that `grader check` starts its sandbox before loading the grading code.
from grader import __version__
from grader.errors import GraderError, UsageError
from grader.messages import LANGUAGES, SAY, words
from grader.modes import CHECK_RUNNERS, EXEC_MODES, CheckRunner, ExecMode
from grader.report import DEFAULT_FORMATS, FORMATS, UnknownFormatError, parse_formats
from grader.report.gradebook import DEFAULT_DIALECT, DIALECTS, DialectName
from grader.report.terminal import batch_summary, submission_text, terminal_style
from grader.secret import SECRET_ENV, read_secret, require_secret
from grader.submission import Submission, discover
from grader.workshop import RUBRIC_RULE, load_bundled_rubrics, resolve_rubric

if TYPE_CHECKING:
    from grader.feedback import FeedbackLms
    from grader.overrides import Overrides
    from grader.rubric import Rubric
    from grader.sandbox.launcher import Zygote

# Everything else is imported by the commands that need it, when they run, so that ``grader check`` does
# not load what only a batch does (taking in LMS downloads, overrides, rosters, feedback, writing a run).
# The sandbox (grader.session, grader.progress: the batch and its Linux layers) is among it: everything
# but grading in it, ``grader check`` off Linux included, works without it.

_RUBRIC_HELP = f"Rubric id (bundled or installed), rubric TOML or workshop folder (repeatable). {RUBRIC_RULE}"
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
_OVERRIDES_OPTION = click.option(
    "--overrides",
    "overrides_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="TOML of manual adjustments (per student: a function's points or a total, who, why, a comment); "
    "totals and gradebooks count them, pages show them, results.json records them.",
)
_ROSTER_OPTION = click.option(
    "--roster",
    "roster_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The LMS's grading file (Moodle's grading worksheet, Canvas's gradebook export): a filled copy, "
    "ready to upload, is written to --out as <name>-graded.csv, with a report of who is missing.",
)
_ASSIGNMENT_OPTION = click.option(
    "--assignment",
    default=None,
    help="Canvas: the assignment column of --roster to fill (its title or id) [default: the only one, "
    "or the one named like the rubric].",
)
_DIALECT_OPTION = click.option(
    "--csv-dialect",
    "dialect",
    type=click.Choice(list(DIALECTS)),
    default=DEFAULT_DIALECT,
    show_default=True,
    help="Gradebook CSVs (grades.csv, grades_canvas.csv), UTF-8 with a byte-order mark either way: "
    'comma: "," and decimal points, what LMS importers read; semicolon: ";" and decimal commas, what '
    "a spreadsheet in a Spanish locale opens in columns.",
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
    _printable_anywhere()


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
@click.option(
    "--public-only",
    is_flag=True,
    help="Grade without the hidden cases, on purpose (no secret needed): every page, gradebook and the "
    "summary say the grades are not final.",
)
@click.option("--quiet", is_flag=True, help="Only the final summary.")
@click.option(
    "--fresh", is_flag=True, help="Grade everything again, ignoring results kept from an earlier run."
)
@_FORMAT_OPTION
@_DIALECT_OPTION
@_OVERRIDES_OPTION
@_ROSTER_OPTION
@_ASSIGNMENT_OPTION
@_UNSAFE_OPTION
@_EXEC_OPTION
def grade(
    paths: tuple[Path, ...],
    rubric_names: tuple[str, ...],
    out_dir: Path,
    jobs: int | None,
    lang: str | None,
    secret_file: Path | None,
    public_only: bool,
    quiet: bool,
    fresh: bool,
    formats: tuple[str, ...],
    dialect: DialectName,
    overrides_file: Path | None,
    roster_file: Path | None,
    assignment: str | None,
    unsafe: bool,
    exec_mode: ExecMode,
) -> None:
    """Grade every submission in PATHS and write results.json and the HTML report to --out.

    A PATH is a folder, a .zip (read as the folder it unpacks to) or one .py/.ipynb file. LMS downloads
    are recognised by their names: Moodle's "Download all submissions" (with or without folders),
    Canvas's "Download Submissions" and a GitHub Classroom clone folder; each student is one
    submission, with the LMS's ids. Otherwise each .py/.ipynb file directly in a PATH is a submission
    (id: its stem), and so is each sub-folder (id: its name). When a submission holds several
    candidate files, the graded ones are chosen by a documented rule and the others listed. Hidden
    cases are derived from GRADER_SECRET (or --secret-file); without a secret it stops, unless
    --public-only. Results are kept in --out as each submission finishes: re-running
    the same command after an interruption continues where it stopped.
    """
    with _errors_as_exit_codes():
        _require_sandbox("grade")
        from grader.session import grading_session, started_sandbox

        # The zygote first, before the secret is read: it starts while the rubrics load and the
        # submissions are taken in.
        with started_sandbox() as zygote:
            from grader.overrides import apply_overrides, check_students
            from grader.progress import grade_with_progress
            from grader.roster import read_roster
            from grader.store import ResultStore
            from grader.writing import read_bytes, write_reports, write_roster

            rubrics = _rubrics(rubric_names)
            require_secret(secret_file, public_only=public_only, warn=_warn)
            overrides = _load_overrides(overrides_file)
            if roster_file is not None:  # a roster that cannot be filled stops the run before grading
                one = rubrics[0].id if len(rubrics) == 1 else None
                read_roster(
                    read_bytes(roster_file),
                    name=str(roster_file),
                    assignment=assignment,
                    rubric=one,
                    students_only=not one,
                )
            submissions = _take_in(paths, rubrics, given=bool(rubric_names), lang=lang)
            if not submissions:
                raise UsageError(f"no .py/.ipynb files or folders found in {', '.join(map(str, paths))}")
            workers = jobs or max(1, os.cpu_count() or 1)
            store = ResultStore(out_dir)
            started = time.perf_counter()
            if overrides is not None:
                check_students(overrides, {s.id for s in submissions})
            session = grading_session(
                rubrics,
                secret_file=secret_file,
                lang=lang,
                public_only=public_only,
                warn=_warn,
                unsafe=unsafe,
                exec_mode=exec_mode,
                zygote=zygote,
            )
            with session as (grader, run):
                results = grade_with_progress(
                    grader,
                    submissions,
                    store,
                    rubrics_given=bool(rubric_names),
                    jobs=workers,
                    quiet=quiet,
                    fresh=fresh,
                    lang=run.lang,
                )
        if overrides is not None:
            results = list(apply_overrides(overrides, results))
        _print_annotations(write_reports(out_dir, run, results, formats=formats, dialect=dialect))
        if roster_file is not None:
            lines = write_roster(
                roster_file, results, run.to_json(), out_dir=out_dir, lang=run.lang, assignment=assignment
            )
            _tell(lines)
        style = terminal_style(sys.stderr.isatty())
        summary = batch_summary(
            results,
            seconds=time.perf_counter() - started,
            out_dir=str(out_dir),
            lang=run.lang,
            style=style,
            public_only=not run.hidden_cases,
        )
        click.echo(summary, err=True, color=style.colour)
        internal = [r for r in results if r.error and r.error.kind == "internal_error"]
        if internal:
            count = SAY("n.submissions", count=len(internal))
            click.echo(words("term.internal_errors", run.lang, submissions=count), err=True)
            sys.exit(EXIT_INTERNAL)


@main.command()
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@click.option("--rubric", "rubric_names", multiple=True, help=_RUBRIC_HELP)
@click.option("--lang", type=click.Choice(["es", "en"]), default=None)
@click.option(
    "--runner",
    type=click.Choice(CHECK_RUNNERS),
    default="auto",
    show_default=True,
    help="Where the code runs. sandbox: the batch's sandboxed worker (Linux only); fork: a child of this "
    "process, with time and memory limits (Linux); here: this process, each call stopped at its time "
    "limit (any system); auto: the sandbox where it can run, else fork on Linux, else here.",
)
@_UNSAFE_OPTION
@_EXEC_OPTION
def check(
    file: Path,
    rubric_names: tuple[str, ...],
    lang: str | None,
    runner: CheckRunner,
    unsafe: bool,
    exec_mode: ExecMode,
) -> None:
    """Self-check a notebook or module on the public cases, before handing it in.

    Exits with 1 when any public check fails.

    Where the batch's sandbox cannot run (macOS, Windows) or with --runner fork|here, the file's code is
    loaded in a fresh namespace of this process as a grading worker loads it: imports, functions, classes
    and cheap assignments run, while top-level training loops, plots, prints and input() do not (the
    whole notebook runs only as --exec says). Then each function is called on the public cases, each
    call stopped at its time limit.
    """
    with _errors_as_exit_codes(), ExitStack() as stack:
        from grader.self_check import choose_runner

        how = choose_runner(runner)
        zygote: Zygote | None = None
        if how == "sandbox":
            from grader.session import started_sandbox

            # The zygote first: it starts while the rubrics load and the file is read.
            zygote = stack.enter_context(started_sandbox())
        from grader.intake import choose_sources

        rubrics = _rubrics(rubric_names)
        (submission,) = discover([file]) if file.is_file() else (_as_folder(file),)
        submission = choose_sources(submission, rubrics, given=bool(rubric_names))
        shown_in = lang or (rubrics[0].lang if rubrics else "es")
        if how == "sandbox":
            from grader.session import grading_session

            session = grading_session(
                rubrics,
                secret_file=None,
                lang=lang,
                public_only=True,
                warn=_warn,
                unsafe=unsafe,
                exec_mode=exec_mode,
                zygote=zygote,
            )
            with session as (grader, _):
                result = grader.grade(submission, rubrics=rubrics if rubric_names else None)
        else:
            given = bool(rubric_names)
            from grader.self_check import check_submission

            result = check_submission(submission, rubrics, given=given, runner=how, exec_mode=exec_mode)
        style = terminal_style(sys.stdout.isatty())
        # click strips colour codes from anything but a terminal unless told: the style decided already.
        click.echo(submission_text(result, lang=shown_in, style=style, public_only=True), color=style.colour)
        if how != "sandbox":
            click.echo(words("term.ran_forked" if how == "fork" else "term.ran_here", shown_in), err=True)
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


@main.command("starter")
@click.argument("rubric_name", metavar="RUBRIC")
@click.option("--lang", type=click.Choice(list(LANGUAGES)), default=None, help="[default: the rubric's]")
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The .ipynb to write.",
)
@click.option(
    "--install",
    default=None,
    metavar="SPEC",
    help="What the first cell gives %pip install (a wheel's URL or file, 'taller-grader @ https://…'); "
    "without it, the first cell only imports the grader.",
)
def starter(rubric_name: str, lang: str | None, out_file: Path, install: str | None) -> None:
    """Write the students' starting notebook for RUBRIC (an id, a rubric TOML or a workshop folder): the
    workshop's instructions, a stub and a check cell per function."""
    from grader.starter import notebook_text, starter_notebook, workshop_reference
    from grader.store import write_atomically

    with _errors_as_exit_codes():
        rubric = resolve_rubric(rubric_name)
        notebook = starter_notebook(
            rubric,
            lang=lang or rubric.lang,
            install=install,
            workshop=workshop_reference(rubric, rubric_name),
        )
        write_atomically(out_file, notebook_text(notebook))
        click.echo(f"{out_file}: {rubric.id}, {len(rubric.tasks)} functions", err=True)


@main.command()
@click.argument("results_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), default=None, help="[default: beside the file]"
)
@click.option("--lang", type=click.Choice(["es", "en"]), default=None)
@_FORMAT_OPTION
@_DIALECT_OPTION
@_OVERRIDES_OPTION
@_ROSTER_OPTION
@_ASSIGNMENT_OPTION
def report(
    results_file: Path,
    out_dir: Path | None,
    lang: str | None,
    formats: tuple[str, ...],
    dialect: DialectName,
    overrides_file: Path | None,
    roster_file: Path | None,
    assignment: str | None,
) -> None:
    """Re-render the reports from a results.json, without grading again.

    With --overrides, the adjustments of that file (and only those) apply, and the results.json in
    --out records them; without it, the adjustments results.json already holds stay.
    """
    from grader.overrides import apply_overrides
    from grader.writing import read_results_file, write_results, write_roster, write_site

    with _errors_as_exit_codes():
        run, results = read_results_file(results_file)
        target = out_dir or results_file.parent
        chosen = _report_lang(run, lang)
        overrides = _load_overrides(overrides_file)
        if overrides is not None:
            results = apply_overrides(overrides, results)
            write_results(target, run, results)
        _print_annotations(write_site(target, run, results, lang=chosen, formats=formats, dialect=dialect))
        if roster_file is not None:
            _tell(write_roster(roster_file, results, run, out_dir=target, lang=chosen, assignment=assignment))
        click.echo(f"Reports written to {target}/", err=True)


@main.command("roster")
@click.argument("results_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("roster_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--rubric", default=None, help="The workshop whose grade goes in [default: the only one graded]."
)
@_ASSIGNMENT_OPTION
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The filled file [default: <roster>-graded.csv beside results.json]; a report goes beside it.",
)
@click.option("--lang", type=click.Choice(["es", "en"]), default=None, help="[default: the run's]")
def roster(
    results_file: Path,
    roster_file: Path,
    rubric: str | None,
    assignment: str | None,
    out_file: Path | None,
    lang: str | None,
) -> None:
    """Fill the LMS's own grading file with the grades of RESULTS_FILE, ready to upload as it is.

    ROSTER_FILE is Moodle's offline grading worksheet (Grade and Feedback comments are filled, scaled
    to Maximum Grade) or Canvas's gradebook export (one assignment's column, scaled to its points
    possible). Students are matched by the LMS ids the submissions carry, else by the submission id
    equal to an identifier, a login or an e-mail's local part. Students without a submission and
    submissions matching no one are listed, on the terminal and in the report file.
    """
    from grader.writing import read_results_file, write_roster

    with _errors_as_exit_codes():
        run, results = read_results_file(results_file)
        chosen = _report_lang(run, lang)
        lines = write_roster(
            roster_file,
            results,
            run,
            out_dir=results_file.parent,
            lang=chosen,
            assignment=assignment,
            rubric=rubric,
            target=out_file,
        )
        _tell(lines)


@main.command("feedback")
@click.argument("results_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--for", "lms", type=click.Choice(["moodle", "canvas"]), required=True)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The zip to write [default: feedback-<lms>.zip beside results.json].",
)
@click.option(
    "--roster",
    "roster_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The LMS's grading file, for submissions that do not carry the LMS's ids themselves.",
)
@click.option("--lang", type=click.Choice(["es", "en"]), default=None, help="[default: the run's]")
def feedback(
    results_file: Path, lms: FeedbackLms, out_file: Path | None, roster_file: Path | None, lang: str | None
) -> None:
    """Package each student's feedback page for the LMS's bulk upload.

    moodle: a zip for "Upload multiple feedback files in a zip" (Feedback files enabled), one folder
    per student named as Moodle's own download names them. canvas: one page per student, named with
    the Canvas user id, to attach in SpeedGrader. Submissions without the LMS's ids are listed and
    left out.
    """
    from grader.feedback import feedback_report, feedback_zip
    from grader.roster import read_roster, roster_students
    from grader.writing import read_bytes, read_results_file, write_bytes

    with _errors_as_exit_codes():
        run, results = read_results_file(results_file)
        chosen = _report_lang(run, lang)
        matched = None
        if roster_file is not None:
            parsed = read_roster(read_bytes(roster_file), name=str(roster_file), students_only=True)
            matched = roster_students(parsed, results)
        package = feedback_zip(run, results, lms=lms, lang=chosen, roster=matched)
        if not package.members:
            raise UsageError(
                "\n".join(feedback_report(package, lms=lms, lang=chosen, file="-")[1:])
                or f"{results_file}: no submissions"
            )
        target = out_file or results_file.parent / f"feedback-{lms}.zip"
        write_bytes(target, package.data)
        _tell(feedback_report(package, lms=lms, lang=chosen, file=str(target)))


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


def _take_in(
    paths: Sequence[Path], rubrics: Sequence[Rubric], *, given: bool, lang: str | None
) -> list[Submission]:
    """The submissions in PATHS (LMS downloads recognised, zips unpacked into a private folder that
    lives as long as the command), each with its graded files chosen; a line per LMS download seen."""
    from grader.intake import choose_all, downloads_seen, gather_submissions

    lang = lang or (rubrics[0].lang if rubrics else "es")
    scratch = click.get_current_context().with_resource(tempfile.TemporaryDirectory(prefix="taller-intake-"))
    submissions = gather_submissions(paths, scratch=Path(scratch), lang=lang)
    _tell(downloads_seen(submissions, lang=lang))
    return choose_all(submissions, rubrics, given=given)


def _as_folder(path: Path) -> Submission:
    (submission,) = [s for s in discover([path.parent]) if s.id == path.name]
    return submission


def _report_lang(run: Mapping[str, Any], lang: str | None) -> str:
    chosen = lang or str(run.get("lang", "es"))
    # A results file from elsewhere may name any language; the reports speak es or en.
    return chosen if chosen in LANGUAGES else "es"


def _load_overrides(path: Path | None) -> Overrides | None:
    from grader.overrides import load_overrides

    return None if path is None else load_overrides(path)


def _require_sandbox(command: str) -> None:
    """Only ``grader check`` runs student code without the sandbox (the student's own, on their machine)."""
    from grader.self_check import sandbox_problem

    problem = sandbox_problem()
    if problem is not None:
        raise UsageError(f"grader {command} runs student code only in the sandbox: {problem}")


def _printable_anywhere() -> None:
    """A character the terminal's encoding lacks (✓ on a Windows code page, where output is redirected)
    is printed as "?" rather than ending the command with an error."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="replace")


def _warn(text: str) -> None:
    click.echo(text, err=True)


def _tell(lines: Sequence[str]) -> None:
    """Lines for the person at the terminal (standard error: standard output is for results)."""
    for line in lines:
        click.echo(line, err=True)


def _print_annotations(annotations: str) -> None:
    """Workflow commands, where GitHub Actions reads them: standard output."""
    if annotations:
        click.echo(annotations, nl=False)


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
    from grader.intake import choose_sources
    from grader.integrations.checkout import checkout_submission
    from grader.integrations.github import actions_report
    from grader.report.gradescope import RESULTS_FILE, gradescope_results
    from grader.store import write_atomically
    from grader.writing import append_to_actions

    with _errors_as_exit_codes():
        _require_sandbox("ci")
        from grader.session import grading_session

        rubrics = _rubrics(rubric_names)
        in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
        output_file = os.environ.get("GITHUB_OUTPUT")
        if in_actions and not output_file:
            raise UsageError("GITHUB_ACTIONS is true but GITHUB_OUTPUT is not set: nowhere to put the result")
        if path.is_dir():
            submission = checkout_submission(path)
        else:
            (submission,) = discover([path])
        submission = choose_sources(submission, rubrics, given=bool(rubric_names))
        session = grading_session(rubrics, secret_file=secret_file, lang=lang, public_only=False, warn=_warn)
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
            append_to_actions(summary=report.summary, output=report.output)
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
    help="What the workflow installs with pip instead of the grader's wheel, which is otherwise copied "
    "into the repository (.github/grader/); e.g. 'taller-grader @ git+https://github.com/ORG/"
    "taller-grader@v0.1.0'. It is checked with pip download before the workflow is written.",
)
@click.option("--force", is_flag=True, help="Replace an existing workflow file (and the grader's wheel).")
def init_github(rubric_names: tuple[str, ...], dest: Path, requirement: str | None, force: bool) -> None:
    """Write .github/workflows/classroom.yml (and, by default, the grader's wheel it installs): grade every
    push and report the points to GitHub Classroom."""
    from grader.integrations.github import WHEEL_DIR, WORKFLOW_FILE, classroom_files
    from grader.integrations.requirement import check_requirement
    from grader.workshop import bundled_rubric_paths, load_rubric, rubric_name
    from grader.writing import write_bytes

    with _errors_as_exit_codes():
        bundled = {rubric_name(p): p for p in bundled_rubric_paths()}
        for name in rubric_names:
            if name not in bundled:
                raise UsageError(_not_bundled(name, sorted(bundled)))
            load_rubric(bundled[name])
        target = dest / WORKFLOW_FILE
        if target.exists() and not force:
            raise UsageError(f"{target} already exists (--force replaces it)")
        files = classroom_files(rubric_ids=rubric_names, requirement=requirement)
        if requirement is not None:
            checked = check_requirement(requirement.strip())
            if checked.verdict == "fails":
                raise UsageError(f"pip cannot install {requirement.strip()!r}: {checked.detail}")
            if checked.verdict == "unchecked":
                click.echo(
                    f"warning: could not check that pip can install {requirement.strip()!r} "
                    f"({checked.detail}); make sure it resolves from a GitHub runner before students push, "
                    "or leave --package out to copy the grader's wheel into the repository.",
                    err=True,
                )
        else:
            # A wheel of another version, left by an earlier run, would only weigh on every clone.
            for stale in (dest / WHEEL_DIR).glob("taller_grader-*.whl"):
                if PurePosixPath(WHEEL_DIR / stale.name) not in files:
                    stale.unlink()
        for relative, data in files.items():
            write_bytes(dest / relative, data)
            click.echo(f"Wrote {dest / relative}", err=True)
        click.echo(
            "Next: commit them to the template repository, and set the organisation secret GRADER_SECRET "
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
    from grader.writing import write_bytes

    with _errors_as_exit_codes():
        rubrics = _rubrics(rubric_names)
        secret = read_secret(secret_file)
        if secret is None:
            click.echo(f"warning: {SECRET_ENV} is not set; the autograder runs public checks only.", err=True)
        data = autograder_zip(rubrics, secret=secret, lang=lang, time_limit_s=time_limit)
        write_bytes(out_file, data)
        points = sum(r.max_score for r in rubrics)
        hidden = ", hidden checks" if secret else ""
        names = ", ".join(r.id for r in rubrics)
        click.echo(
            f"Wrote {out_file} ({len(data) / 1024:.0f} KiB; {names}: {points:g} points{hidden})", err=True
        )


if __name__ == "__main__":
    main()
