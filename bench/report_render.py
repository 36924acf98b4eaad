"""How long writing a class's reports takes: every format, for a small class and for a large one.

Grades the bundled samples once (in the sandbox, as ``grader grade`` does), copies their results into a
class of N students, and times ``write_reports`` (results.json, the HTML site, the gradebooks, the
feedback files) for N and for N/10 in the same process: the ratio says whether the work grows linearly.

    .venv/bin/python bench/report_render.py --n 2000
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from grader.report import FORMATS
from grader.results import RunInfo, SubmissionResult
from grader.session import grading_session
from grader.submission import discover
from grader.workshop import load_bundled_rubrics
from grader.writing import write_reports

ROOT = Path(__file__).resolve().parent.parent


def graded_samples() -> tuple[RunInfo, list[SubmissionResult]]:
    with grading_session(
        load_bundled_rubrics(), secret_file=None, lang="es", public_only=True, warn=lambda _: None
    ) as (grader, run):
        return run, [grader.grade(s) for s in discover([ROOT / "submissions"])]


def a_class_of(samples: Sequence[SubmissionResult], n: int) -> list[SubmissionResult]:
    return [
        dataclasses.replace(
            samples[i % len(samples)],
            id=f"estudiante_{i:05d}",
            source=f"entregas/estudiante_{i:05d}{Path(samples[i % len(samples)].source).suffix}",
        )
        for i in range(n)
    ]


def time_writing(run: RunInfo, results: Sequence[SubmissionResult], work: Path) -> tuple[float, int]:
    out = Path(tempfile.mkdtemp(dir=work))
    started = time.perf_counter()
    write_reports(out, run, results, formats=tuple(FORMATS))
    seconds = time.perf_counter() - started
    size = (out / "index.html").stat().st_size if (out / "index.html").exists() else 0
    shutil.rmtree(out)
    return seconds, size


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=2000, help="students in the large class")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    try:
        run, samples = graded_samples()
        small_n = max(args.n // 10, 1)
        small, _ = time_writing(run, a_class_of(samples, small_n), work)
        large, size = time_writing(run, a_class_of(samples, args.n), work)
        print(
            f"every report format for {small_n} students: {small:.2f} s"
            f" ({1000 * small / small_n:.1f} ms each)"
        )
        print(
            f"every report format for {args.n} students: {large:.2f} s ({1000 * large / args.n:.1f} ms each);"
            f" index.html {size / 1e6:.1f} MB"
        )
        print(f"per student, {args.n} against {small_n}: {large / args.n / (small / small_n):.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
