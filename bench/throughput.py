"""Throughput of batch grading: submissions per second, where the time goes, peak memory.

Generates N synthetic submissions from the bundled samples (correct and faulty, notebooks and modules)
plus a few pathological ones, grades them the way `grader grade` does, and prints figures, including
the ratio against a naive baseline (a fresh Python process per submission) measured in the same run.

    .venv/bin/python bench/throughput.py --n 2000 --jobs 1,2 --baseline 20 --notebook-n 200

A function that never returns counts its whole time limit as time inside student code: the ratio of
grading time to that time leans on those seconds, so ``--pathological-every 0`` measures it on
well-behaved submissions alone.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import resource
import shutil
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from grader.batch import GraderSettings, ProcessPool, completed
from grader.grading import ExecMode, Grader
from grader.results import SubmissionResult
from grader.sandbox.launcher import Zygote
from grader.sandbox.limits import Limits
from grader.submission import Submission, discover
from grader.timing import Timings
from grader.workshop import load_bundled_rubrics

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


def make_corpus(
    target: Path, n: int, *, pathological_every: int = 50, rubric: str | None = None
) -> list[Submission]:
    """``n`` submissions: the graded samples over and over, and now and then a pathological one.

    ``rubric``: only the samples that define a function of that rubric (by its task names or aliases).
    """
    samples = [
        p
        for p in sorted((ROOT / "submissions").iterdir())
        if p.suffix in (".py", ".ipynb") and p.stat().st_size > 0 and p.stem != "ricardo_flores"
    ]
    if rubric is not None:
        (chosen,) = [r for r in load_bundled_rubrics() if r.id == rubric]
        names = {name for task in chosen.tasks for name in (task.id, *task.aliases)}
        pattern = re.compile(r"def\s+(" + "|".join(map(re.escape, sorted(names))) + r")\s*\(")
        samples = [p for p in samples if pattern.search(p.read_text(encoding="utf-8", errors="replace"))]
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


def rss_mib(pid: int | None = None) -> float:
    """A process's resident memory now (not its peak), in MiB: this one's by default; NaN once it ended."""
    try:
        status = Path(f"/proc/{pid or 'self'}/status").read_text()
    except OSError:
        return float("nan")
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def tree_rss_mib() -> tuple[float, float]:
    """Resident memory of this process's descendants (grading processes, zygotes, live workers), found
    through /proc's children lists, never by scanning the machine's processes: (sum, largest) in MiB."""
    sizes = [rss_mib(pid) for pid in _descendants(os.getpid())]
    known = [size for size in sizes if size == size]  # a process that ended meanwhile reads as NaN
    return sum(known), max(known, default=0.0)


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for thread in threads:
        try:
            children = Path(f"/proc/{pid}/task/{thread}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found += [child, *_descendants(child)]
    return found


def busy_cpu_s() -> float:
    """CPU seconds the whole machine has spent busy since boot (every process, the kernel included)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK")


def run_mode(
    submissions: Sequence[Submission], *, jobs: int, scratch: Path, exec_mode: ExecMode
) -> dict[str, Any]:
    """Grade as `grader grade --jobs N` does: in this process for one job, in N processes otherwise."""
    zygote = Zygote(scratch_root=scratch)
    rss: list[float] = []
    tree: list[tuple[float, float]] = []
    quarter = max(len(submissions) // 4, 1)
    try:
        rubrics = load_bundled_rubrics()
        grader = Grader(
            rubrics, zygote=zygote, secret=SECRET, limits=Limits(), scratch_root=scratch, exec_mode=exec_mode
        )
        grade_batch(grader, submissions[:2], jobs=1)  # warm up: zygote imports, first fork
        grader.timings.reset()
        if jobs == 1:
            started, cpu = time.perf_counter(), busy_cpu_s()
            results = []
            for i, submission in enumerate(submissions, start=1):
                results.append(grader.grade(submission))
                if i % quarter == 0:
                    rss.append(rss_mib())
                    tree.append(tree_rss_mib())
            wall, cpu = time.perf_counter() - started, busy_cpu_s() - cpu
            timings = grader.timings
        else:
            settings = GraderSettings.of(grader, only_given_rubrics=False)
            with ProcessPool(settings, jobs=jobs) as pool:
                list(completed([pool.submit(s) for s in submissions[: 2 * jobs]]))  # start the processes
                before = pool.timings()
                started, cpu = time.perf_counter(), busy_cpu_s()
                results = []
                for i, result in enumerate(completed([pool.submit(s) for s in submissions]), start=1):
                    results.append(result)
                    if i % quarter == 0:
                        rss.append(rss_mib())
                        tree.append(tree_rss_mib())
                wall, cpu = time.perf_counter() - started, busy_cpu_s() - cpu
                after = pool.timings()
            spent = (a - b for a, b in zip(after.figures(), before.figures(), strict=True))
            timings = Timings.from_figures(list(spent))
    finally:
        zygote.close()
    by_sample: dict[str, list[float]] = {}
    for result in results:
        by_sample.setdefault(result.id.split("_", 1)[1], []).append(result.duration_s)
    slowest = sorted(by_sample.items(), key=lambda kv: -sum(kv[1]) / len(kv[1]))[:5]
    durations = sorted(r.duration_s for r in results)
    odd = {Path(name).stem for name in PATHOLOGICAL}
    pathological = sum(r.duration_s for r in results if r.id.split("_", 1)[1] in odd)
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "per_s": len(results) / wall,
        "timings": timings,
        "graded": sum(r.status == "graded" for r in results),
        "median_s": durations[len(durations) // 2],
        "max_s": durations[-1],
        "slowest": slowest,
        "pathological_share": pathological / max(sum(durations), 1e-9),
        "rss": rss,
        "tree": tree,
    }


def report(label: str, n: int, figures: dict[str, Any], baseline: dict[str, float]) -> None:
    timings: Timings = figures["timings"]
    inside = timings.student_s + timings.toplevel_s + timings.reference_s
    stages = timings.stages
    grading = stages["grade"]
    print(
        f"{label}: {figures['per_s']:.1f} submissions/s ({figures['wall_s']:.1f} s for {n};"
        f" {figures['graded']} graded), {figures['per_s'] / baseline['per_s']:.1f}x the baseline"
    )
    print(
        f"    machine CPU {1000 * figures['cpu_s'] / n:.0f} ms per submission;"
        f" median submission {figures['median_s']:.3f} s, slowest {figures['max_s']:.2f} s;"
        f" pathological submissions took {100 * figures['pathological_share']:.0f}% of grading time"
    )
    print(
        "    slowest kinds (mean s): "
        + ", ".join(f"{k} {sum(v) / len(v):.2f}" for k, v in figures["slowest"])
    )
    round_trips = stages["calls"] - timings.student_s
    checks = grading - stages["read"] - stages["start"] - stages["calls"]
    print(
        f"    per submission (ms): read {1000 * stages['read'] / n:.1f},"
        f" start worker {1000 * stages['start'] / n:.1f}"
        f" (top-level code {1000 * timings.toplevel_s / n:.1f}),"
        f" student calls {1000 * stages['calls'] / n:.1f}"
        f" (inside {1000 * timings.student_s / n:.1f}, round trips {1000 * round_trips / n:.1f}),"
        f" checks {1000 * checks / n:.1f} (reference inside {1000 * timings.reference_s / n:.1f});"
        f" workers started {timings.workers / n:.2f}"
    )
    print(
        f"    grading time {grading:.1f} s (summed over processes) / inside student and reference"
        f" code {inside:.1f} s = {grading / max(inside, 1e-9):.2f}"
    )
    # The part of that ratio no judging could remove: starting the workers and making the calls.
    plumbing = stages["start"] + stages["calls"] + timings.reference_s
    print(
        f"    of which worker starts and calls alone (no judging) {plumbing:.1f} s ="
        f" {plumbing / max(inside, 1e-9):.2f} x inside"
    )
    if figures["rss"]:
        marks = ", ".join(f"{r:.0f}" for r in figures["rss"])
        print(f"    this process's RSS (MiB) after each quarter of the batch: {marks}")
    if figures["tree"]:
        marks = ", ".join(f"{total:.0f} (largest {largest:.0f})" for total, largest in figures["tree"])
        print(f"    its descendants' RSS (MiB: sum, largest process) after each quarter: {marks}")


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
    parser.add_argument("--rubric", help="only the samples of this rubric (xor, linreg); default: all")
    parser.add_argument(
        "--pathological-every",
        type=int,
        default=50,
        help="one submission in this many never returns, crashes or does not parse (0: none)",
    )
    parser.add_argument(
        "--notebook-n", type=int, default=0, help="also grade this many with --exec notebook (every cell run)"
    )
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        submissions = make_corpus(
            work / "class", args.n, rubric=args.rubric, pathological_every=args.pathological_every
        )
        scratch = work / "scratch"
        scratch.mkdir()
        kind = f"{args.rubric} samples" if args.rubric else "samples"
        every = args.pathological_every
        odd = f"one in {every} pathological" if every else "none pathological"
        print(f"{len(submissions)} submissions ({kind}, {odd}), hidden cases on")
        baseline = run_baseline(submissions[: args.baseline], scratch=scratch)
        print(f"baseline, a fresh process per submission ({args.baseline}): {baseline['per_s']:.2f}/s")
        jobs_list = [int(j) for j in args.jobs.split(",")]
        per_s: dict[int, float] = {}
        for jobs in jobs_list:
            figures = run_mode(submissions, jobs=jobs, scratch=scratch, exec_mode="auto")
            per_s[jobs] = figures["per_s"]
            report(f"--jobs {jobs}", len(submissions), figures, baseline)
        if 1 in per_s:
            print(
                "scaling: " + ", ".join(f"--jobs {j} is {per_s[j] / per_s[1]:.2f}x --jobs 1" for j in per_s)
            )
        if args.notebook_n:
            notebook = submissions[: args.notebook_n]
            figures = run_mode(notebook, jobs=max(jobs_list), scratch=scratch, exec_mode="notebook")
            report(f"--exec notebook --jobs {max(jobs_list)}", len(notebook), figures, baseline)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"peak RSS: this process {peak:.0f} MiB (it grades in-process with --jobs 1);"
            f" largest child process {children:.0f} MiB (grading processes and zygotes)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
