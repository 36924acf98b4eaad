"""What the sandbox layers cost: the same submissions graded with every layer and with none.

Both modes run in this one process, in alternating rounds (so that a busy machine affects both
alike): a zygote with every hardening layer this machine allows (seccomp, Landlock, a private tmpfs,
a uid of its own under root, bubblewrap when installed) against a zygote with none of them (a plain
forked worker with a scrubbed environment). Printed: the zygote's start-up, the cost of one worker
(fork, enter the layers, load a one-line submission, one call, exit), and whole-batch grading.

    .venv/bin/python bench/sandbox_overhead.py --n 46 --rounds 3 --workers 100
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from grader.grading import Grader
from grader.sandbox.launcher import Zygote
from grader.sandbox.layers import Hardening
from grader.sandbox.limits import Limits
from grader.sandbox.session import StudentRuntime
from grader.submission import Submission, discover
from grader.workshop import load_bundled_rubrics

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret"
MODES = {"hardened": Hardening(), "bare": Hardening.off()}


def make_corpus(target: Path, n: int) -> list[Submission]:
    samples = [
        p
        for p in sorted((ROOT / "submissions").iterdir())
        if p.suffix in (".py", ".ipynb") and p.stat().st_size > 0 and p.stem != "ricardo_flores"
    ]
    target.mkdir(parents=True)
    for i, sample in zip(range(n), itertools.cycle(samples), strict=False):
        shutil.copyfile(sample, target / f"s{i:04d}_{sample.name}")
    return discover([target])


def start(mode: str, scratch: Path) -> tuple[Zygote, float]:
    started = time.perf_counter()
    zygote = Zygote(scratch_root=scratch, hardening=MODES[mode])
    return zygote, time.perf_counter() - started


def worker_cost(zygote: Zygote, scratch: Path, count: int) -> list[float]:
    """Seconds for each of ``count`` workers: spawn, enter the layers, load, one call, close."""
    times = []
    for i in range(count):
        workdir = scratch / f"w{i}"
        workdir.mkdir()
        started = time.perf_counter()
        runtime = StudentRuntime(
            zygote,
            units=["def f(x):\n    return x + 1\n"],
            workdir=workdir,
            output=scratch / f"w{i}.out",
            limits=Limits(),
        )
        assert runtime.load().status == "ok"
        assert runtime.call("f", [1], timeout_s=5).value == 2
        runtime.close()
        times.append(time.perf_counter() - started)
        shutil.rmtree(workdir)
        (scratch / f"w{i}.out").unlink()
    return times


def grade_all(zygote: Zygote, scratch: Path, submissions: Sequence[Submission], jobs: int) -> float:
    grader = Grader(
        load_bundled_rubrics(), zygote=zygote, secret=SECRET, limits=Limits(), scratch_root=scratch
    )
    grader.grade(submissions[0])  # warm up
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(grader.grade, submissions))
    assert all(r.status == "graded" for r in results)
    return time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=46, help="submissions per batch")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per mode")
    parser.add_argument("--workers", type=int, default=100, help="workers timed one by one per round")
    parser.add_argument("--jobs", type=int, default=2, help="submissions graded at once")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-sandbox-"))
    figures: dict[str, dict[str, list[float]]] = {m: {"start": [], "worker": [], "batch": []} for m in MODES}
    try:
        submissions = make_corpus(work / "class", args.n)
        for round_ in range(args.rounds):
            for mode in MODES if round_ % 2 == 0 else reversed(MODES):
                scratch = work / f"scratch-{mode}-{round_}"
                scratch.mkdir()
                zygote, startup = start(mode, scratch)
                try:
                    if round_ == 0:
                        print(f"{mode}: {', '.join(zygote.sandbox)}")
                        for layer, why in sorted(zygote.problems.items()):
                            print(f"    not active: {layer} ({why})")
                    figures[mode]["start"].append(startup)
                    figures[mode]["worker"] += worker_cost(zygote, scratch, args.workers)
                    figures[mode]["batch"].append(grade_all(zygote, scratch, submissions, args.jobs))
                finally:
                    zygote.close()
        print()
        for mode, values in figures.items():
            batch = statistics.median(values["batch"])
            print(
                f"{mode:>8}: zygote start {1000 * statistics.median(values['start']):.0f} ms;"
                f" one worker {1000 * statistics.median(values['worker']):.1f} ms (median),"
                f" {1000 * statistics.quantiles(values['worker'], n=10)[-1]:.1f} ms (p90);"
                f" batch of {args.n} with --jobs {args.jobs}: {batch:.2f} s ({args.n / batch:.1f}/s)"
            )
        hard, bare = figures["hardened"], figures["bare"]
        extra = statistics.median(hard["worker"]) - statistics.median(bare["worker"])
        ratio = statistics.median(hard["batch"]) / statistics.median(bare["batch"])
        print(f"per-submission overhead of the layers: {1000 * extra:.1f} ms per worker;")
        print(f"batch time ratio hardened / bare: {ratio:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
