"""The command line: the one place that reads the environment, prints, writes files and exits."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

import click

from grader import __version__
from grader.batch import GRADING_CRASHED, grade_batch, plan_batch
from grader.cases import make_cases
from grader.errors import GraderError, RubricError, UsageError
from grader.feedback import FeedbackLms
from grader.grading import EXEC_MODES, ExecMode, Grader
from grader.intake import choose_all, choose_sources, gather_submissions
from grader.messages import LANGUAGES, SAY, words
from grader.overrides import Overrides, apply_overrides, check_students, load_overrides
from grader.report import DEFAULT_FORMATS, FORMATS, UnknownFormatError, parse_formats, render_reports
from grader.report.github import ANNOTATIONS_FILE, OUTPUT_FILE, SUMMARY_FILE
from grader.report.gradebook import DEFAULT_DIALECT, DIALECTS, DialectName
from grader.report.terminal import batch_summary, submission_text, terminal_style
from grader.results import RunInfo, SubmissionResult, read_results, results_document
from grader.roster import fill_roster_file, filled_names, read_roster, roster_report
from grader.rubric import Rubric
from grader.sandbox.launcher import UNSAFE, SandboxUnavailable, Zygote
from grader.sandbox.limits import Limits
from grader.sandbox.privileges import protect_grader_process
from grader.store import ResultStore, write_atomically
from grader.submission import Submission, discover
from grader.workshop import RUBRIC_RULE, load_bundled_rubrics, resolve_rubric

SECRET_ENV = "GRADER_SECRET"
_RUBRIC_HELP = f"Rubric id (bundled or installed), rubric TOML or workshop folder (repeatable). {RUBRIC_RULE}"
NO_SECRET = (
    f'no secret for the hidden cases: set {SECRET_ENV} (export {SECRET_ENV}="$(cat final-secret.txt)") '
    "or give --secret-file FILE. To grade the public checks only, on purpose, add --public-only: every "
    "report and gradebook of that run is then marked as not final."
)
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
        rubrics = _rubrics(rubric_names)
        _require_secret(secret_file, public_only=public_only)
        overrides = _load_overrides(overrides_file)
        if roster_file is not None:  # a roster that cannot be filled stops the run before grading
            one = rubrics[0].id if len(rubrics) == 1 else None
            read_roster(
                _read_bytes(roster_file),
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
        session = _grading_session(
            rubrics,
            secret_file=secret_file,
            lang=lang,
            public_only=public_only,
            unsafe=unsafe,
            exec_mode=exec_mode,
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
        if overrides is not None:
            results = list(apply_overrides(overrides, results))
        _write_reports(out_dir, run, results, formats=formats, dialect=dialect)
        if roster_file is not None:
            _write_roster(
                roster_file, results, run.to_json(), out_dir=out_dir, lang=run.lang, assignment=assignment
            )
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
        submission = choose_sources(submission, rubrics, given=bool(rubric_names))
        session = _grading_session(
            rubrics, secret_file=None, lang=lang, public_only=True, unsafe=unsafe, exec_mode=exec_mode
        )
        with session as (grader, _):
            result = grader.grade(submission, rubrics=rubrics if rubric_names else None)
        shown_in = lang or (rubrics[0].lang if rubrics else "es")
        style = terminal_style(sys.stdout.isatty())
        # click strips colour codes from anything but a terminal unless told: the style decided already.
        click.echo(submission_text(result, lang=shown_in, style=style, public_only=True), color=style.colour)
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
    with _errors_as_exit_codes():
        run, results = _read_results_file(results_file)
        target = out_dir or results_file.parent
        chosen = _report_lang(run, lang)
        overrides = _load_overrides(overrides_file)
        if overrides is not None:
            results = apply_overrides(overrides, results)
            document = results_document(run, results)
            write_atomically(target / "results.json", json.dumps(document, ensure_ascii=False, indent=1))
        _write_site(target, run, results, lang=chosen, formats=formats, dialect=dialect)
        if roster_file is not None:
            _write_roster(roster_file, results, run, out_dir=target, lang=chosen, assignment=assignment)
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
    with _errors_as_exit_codes():
        run, results = _read_results_file(results_file)
        chosen = _report_lang(run, lang)
        _write_roster(
            roster_file,
            results,
            run,
            out_dir=results_file.parent,
            lang=chosen,
            assignment=assignment,
            rubric=rubric,
            target=out_file,
        )


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
    from grader.roster import roster_students

    with _errors_as_exit_codes():
        run, results = _read_results_file(results_file)
        chosen = _report_lang(run, lang)
        matched = None
        if roster_file is not None:
            parsed = read_roster(_read_bytes(roster_file), name=str(roster_file), students_only=True)
            matched = roster_students(parsed, results)
        package = feedback_zip(run, results, lms=lms, lang=chosen, roster=matched)
        if not package.members:
            raise UsageError(
                "\n".join(feedback_report(package, lms=lms, lang=chosen, file="-")[1:])
                or f"{results_file}: no submissions"
            )
        target = out_file or results_file.parent / f"feedback-{lms}.zip"
        _write_bytes(target, package.data)
        for line in feedback_report(package, lms=lms, lang=chosen, file=str(target)):
            click.echo(line, err=True)


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
    lang = lang or (rubrics[0].lang if rubrics else "es")
    scratch = click.get_current_context().with_resource(tempfile.TemporaryDirectory(prefix="taller-intake-"))
    submissions = gather_submissions(paths, scratch=Path(scratch), lang=lang)
    seen: dict[str, int] = {}
    for submission in submissions:
        if submission.student is not None:
            seen[submission.student.lms] = seen.get(submission.student.lms, 0) + 1
    for lms, count in seen.items():
        name = {"moodle": "Moodle", "canvas": "Canvas", "classroom": "GitHub Classroom"}[lms]
        counted = SAY("n.submissions", count=count)
        click.echo(words("intake.lms", lang, lms=name, submissions=counted), err=True)
    return choose_all(submissions, rubrics, given=given)


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
            # Each rubric's conventions and the code a task in one is marked with: reports re-rendered
            # from results.json tell accepted conventions from mistakes without the rubrics at hand.
            extra={
                "exec": exec_mode,
                "conventions": {r.id: {c.id: c.note for c in r.conventions} for r in rubrics},
            },
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


def _read_results_file(path: Path) -> tuple[dict[str, Any], tuple[SubmissionResult, ...]]:
    try:
        return read_results(path)
    except (ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path}: not a readable results file ({exc})") from None


def _report_lang(run: Mapping[str, Any], lang: str | None) -> str:
    chosen = lang or str(run.get("lang", "es"))
    # A results file from elsewhere may name any language; the reports speak es or en.
    return chosen if chosen in LANGUAGES else "es"


def _require_secret(secret_file: Path | None, *, public_only: bool) -> None:
    """A batch without the hidden cases would look like the final gradebook: it takes a secret, or
    --public-only said on purpose. Only whether one is given is looked at here; it is read later, once
    the sandbox has started."""
    if public_only:
        if secret_file is not None or os.environ.get(SECRET_ENV):
            click.echo("warning: --public-only: the secret is not read; hidden cases do not run.", err=True)
        return
    if secret_file is None and not os.environ.get(SECRET_ENV):
        raise UsageError(NO_SECRET)


def _load_overrides(path: Path | None) -> Overrides | None:
    return None if path is None else load_overrides(path)


def _write_roster(
    roster_file: Path,
    results: Sequence[SubmissionResult],
    run: Mapping[str, Any],
    *,
    out_dir: Path,
    lang: str,
    assignment: str | None,
    rubric: str | None = None,
    target: Path | None = None,
) -> None:
    """Fill the LMS's roster file, write it and its report to ``out_dir`` (or ``target``) and tell."""
    fill = fill_roster_file(
        _read_bytes(roster_file),
        results,
        name=str(roster_file),
        run=run,
        lang=lang,
        rubric=rubric,
        assignment=assignment,
    )
    filled, report_name = filled_names(roster_file.name, run=run)
    target = target or out_dir / filled
    _write_bytes(target, fill.data)
    lines = roster_report(fill, lang=lang, file=str(target))
    report_file = target.with_name(report_name if target.name == filled else f"{target.stem}.txt")
    write_atomically(report_file, "\n".join(lines) + "\n")
    for line in lines:
        click.echo(line, err=True)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc})") from None


def _write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    partial.write_bytes(data)
    os.replace(partial, path)


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


def _write_reports(
    out_dir: Path,
    run: RunInfo,
    results: Sequence[SubmissionResult],
    *,
    formats: Sequence[str],
    dialect: DialectName = DEFAULT_DIALECT,
) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    document = results_document(run, results)
    write_atomically(out_dir / "results.json", json.dumps(document, ensure_ascii=False, indent=1))
    _write_site(out_dir, run.to_json(), results, lang=run.lang, formats=formats, dialect=dialect)


def _write_site(
    out_dir: Path,
    run: dict[str, object],
    results: Sequence[SubmissionResult],
    *,
    lang: str,
    formats: Sequence[str],
    dialect: DialectName = DEFAULT_DIALECT,
) -> None:
    """Write every file of the chosen report formats; inside GitHub Actions, publish the ``github`` one."""
    reports = render_reports(formats, run, results, lang=lang, dialect=dialect)
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
        submission = choose_sources(submission, rubrics, given=bool(rubric_names))
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
            _write_bytes(dest / relative, data)
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
