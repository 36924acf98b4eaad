"""Throughput of batch grading: submissions per second, where the time goes, peak memory.

Generates N synthetic submissions from the bundled samples (correct and faulty, notebooks and modules)
plus a few pathological ones, grades them the way `grader grade` does, and prints figures, including
the ratio against a naive baseline (a fresh Python process per submission) measured in the same run.

    .venv/bin/python bench/throughput.py --n 400 --jobs 1,2 --baseline 40
"""

from __future__ import annotations

import argparse
import itertools
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from grader.batch import GraderSettings, ProcessPool, completed
from grader.grading import Grader
from grader.results import SubmissionResult
from grader.rubric import load_bundled_rubrics
from grader.sandbox.launcher import Zygote
from grader.sandbox.limits import Limits
from grader.submission import Submission, discover

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret"

PATHOLOGICAL = {
    "endless_loop.py": (
        "import numpy as np\n"
        "def feedForward(X, w1, w2, b1, b2):\n    while True:\n        pass\n"
        "def costoGlobal(y_est, y):\n"
        "    return float(-np.mean(y * np.log(y_est) + (1 - y) * np.log(1 - y_est)))\n"
    ),
    "crashes.py": "def calcularCosto(X, y, theta):\n    return X[99]\n",
    "syntax.py": "def feedForward(X, w1, w2, b1, b2)\n    return X\n",
}


def make_corpus(target: Path, n: int, *, pathological_every: int = 50) -> list[Submission]:
    """``n`` submissions: the graded samples over and over, and now and then a pathological one."""
    samples = [
        p
        for p in sorted((ROOT / "submissions").iterdir())
        if p.suffix in (".py", ".ipynb") and p.stat().st_size > 0 and p.stem != "ricardo_flores"
    ]
    cycle = itertools.cycle(samples)
    bad = itertools.cycle(PATHOLOGICAL.items())
    target.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        if pathological_every and i % pathological_every == pathological_every - 1:
            name, text = next(bad)
            (target / f"s{i:05d}_{name}").write_text(text, encoding="utf-8")
        else:
            sample = next(cycle)
            shutil.copyfile(sample, target / f"s{i:05d}_{sample.name}")
    return discover([target])


def grade_batch(grader: Grader, submissions: Sequence[Submission], *, jobs: int) -> list[SubmissionResult]:
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(grader.grade, submissions))


def run_mode(submissions: Sequence[Submission], *, jobs: int, scratch: Path) -> dict[str, float]:
    """Grade as `grader grade --jobs N` does: in this process for one job, in N processes otherwise."""
    zygote = Zygote(scratch_root=scratch)
    try:
        rubrics = load_bundled_rubrics()
        grader = Grader(rubrics, zygote=zygote, secret=SECRET, limits=Limits(), scratch_root=scratch)
        grade_batch(grader, submissions[:2], jobs=1)  # warm up: zygote imports, first fork
        grader.timings.student_s = grader.timings.reference_s = 0.0
        if jobs == 1:
            started = time.perf_counter()
            results = grade_batch(grader, submissions, jobs=1)
            wall = time.perf_counter() - started
        else:
            settings = GraderSettings.of(grader, only_given_rubrics=False)
            with ProcessPool(settings, jobs=jobs) as pool:
                list(completed([pool.submit(s) for s in submissions[: 2 * jobs]]))  # start the processes
                started = time.perf_counter()
                results = list(completed([pool.submit(s) for s in submissions]))
                wall = time.perf_counter() - started
    finally:
        zygote.close()
    by_sample: dict[str, list[float]] = {}
    for result in results:
        by_sample.setdefault(result.id.split("_", 1)[1], []).append(result.duration_s)
    slowest = sorted(by_sample.items(), key=lambda kv: -sum(kv[1]) / len(kv[1]))[:6]
    print("    slowest kinds (mean s):", ", ".join(f"{k} {sum(v) / len(v):.2f}" for k, v in slowest))
    durations = sorted(r.duration_s for r in results)
    print(f"    per submission: median {durations[len(durations) // 2]:.3f} s, max {durations[-1]:.2f} s")
    return {
        "wall_s": wall,
        "per_s": len(results) / wall,
        "student_s": grader.timings.student_s,
        "reference_s": grader.timings.reference_s,
        "graded": sum(r.status == "graded" for r in results),
    }


def run_baseline(submissions: Sequence[Submission], *, scratch: Path) -> dict[str, float]:
    """A fresh interpreter (importing NumPy and the grader's worker) for every submission."""
    rubrics = load_bundled_rubrics()
    started = time.perf_counter()
    for submission in submissions:
        zygote = Zygote()
        try:
            grader = Grader(rubrics, zygote=zygote, secret=SECRET, limits=Limits(), scratch_root=scratch)
            grader.grade(submission)
        finally:
            zygote.close()
    wall = time.perf_counter() - started
    return {"wall_s": wall, "per_s": len(submissions) / wall}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=200, help="synthetic submissions to grade")
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs values to measure")
    parser.add_argument("--baseline", type=int, default=20, help="submissions graded by the naive baseline")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        submissions = make_corpus(work / "class", args.n)
        scratch = work / "scratch"
        scratch.mkdir()
        print(f"{len(submissions)} submissions (samples, every 50th pathological), hidden cases on")
        baseline = run_baseline(submissions[: args.baseline], scratch=scratch)
        print(f"baseline, a fresh process per submission ({args.baseline}): {baseline['per_s']:.2f}/s")
        for jobs in (int(j) for j in args.jobs.split(",")):
            figures = run_mode(submissions, jobs=jobs, scratch=scratch)
            inside = figures["student_s"] + figures["reference_s"]
            print(
                f"--jobs {jobs}: {figures['per_s']:.1f} submissions/s"
                f" ({figures['wall_s']:.1f} s for {len(submissions)}; {figures['graded']:.0f} graded),"
                f" {figures['per_s'] / baseline['per_s']:.1f}x the baseline"
            )
            if jobs == 1:  # the grading processes of --jobs N keep their own clocks
                print(
                    f"    inside student functions {figures['student_s']:.1f} s,"
                    f" reference {figures['reference_s']:.1f} s;"
                    f" total / inside = {figures['wall_s'] / max(inside, 1e-9):.2f}"
                )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"grader peak RSS: {peak:.0f} MiB (grading process; workers are separate processes)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
