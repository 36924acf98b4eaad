"""Where one grading process spends its time: per stage, per student function, and cProfile's top costs.

Grades N synthetic submissions in this process (as ``--jobs 1`` does), under cProfile, with the sandboxed
workers' loads and calls timed from the grader's side (public and sealed worker apart, by function):

    .venv/bin/python bench/profile_stages.py --n 300 --rubric xor [--top 25]

A worker's own time is what the grader spends waiting in ``select``: it shows in the stage and call
tables, not among cProfile's functions.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from throughput import SECRET, make_corpus

from grader.grading import Grader
from grader.sandbox import session
from grader.sandbox.launcher import Zygote
from grader.sandbox.limits import Limits
from grader.workshop import load_bundled_rubrics


class Tally:
    """Wall seconds and counts by key, from the grader's side."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.count: dict[str, int] = defaultdict(int)

    def add(self, key: str, seconds: float, count: int = 1) -> None:
        self.seconds[key] += seconds
        self.count[key] += count


@contextmanager
def timed_runtime(tally: Tally) -> Iterator[None]:
    """StudentRuntime's loads and calls timed while this lasts (public and sealed worker apart)."""
    runtime = session.StudentRuntime
    saved = {name: getattr(runtime, name) for name in ("load", "_call_here", "_call_many_here")}

    def wrap(name: str, key: Callable[..., str], calls: Callable[..., int]) -> None:
        original = saved[name]

        def timed(self: Any, *args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(self, *args, **kwargs)
            finally:
                worker = "sealed" if self._sealed else "public"
                tally.add(f"{worker} {key(*args)}", time.perf_counter() - started, calls(*args))

        setattr(runtime, name, timed)

    wrap("load", lambda: "load (fork, sandbox, definitions)", lambda: 1)
    wrap("_call_here", lambda function, *_: f"call {function}", lambda *_: 1)
    wrap("_call_many_here", lambda calls: f"batch of {len({c.function for c in calls})} functions", len)
    try:
        yield
    finally:
        for name, original in saved.items():
            setattr(runtime, name, original)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=300, help="synthetic submissions to grade")
    parser.add_argument("--rubric", help="only the samples of this rubric (xor, linreg, logistica)")
    parser.add_argument("--top", type=int, default=25, help="cProfile rows to print")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="profile-"))
    zygote = None
    try:
        submissions = make_corpus(work / "class", args.n, rubric=args.rubric)
        scratch = work / "scratch"
        scratch.mkdir()
        zygote = Zygote(scratch_root=scratch)
        grader = Grader(
            load_bundled_rubrics(), zygote=zygote, secret=SECRET, limits=Limits(), scratch_root=scratch
        )
        for submission in submissions[:2]:  # warm up: zygote imports, reference results
            grader.grade(submission)
        grader.timings.reset()
        tally = Tally()
        profile = cProfile.Profile()
        started = time.perf_counter()
        with timed_runtime(tally):
            profile.enable()
            for submission in submissions:
                grader.grade(submission)
            profile.disable()
        wall = time.perf_counter() - started
    finally:
        if zygote is not None:
            zygote.close()
        shutil.rmtree(work, ignore_errors=True)
    n = len(submissions)
    timings = grader.timings
    stages = timings.stages
    ms = 1000 / n
    print(f"{n} submissions, {n / wall:.1f}/s in one process under cProfile (slower than without it)")
    print("per submission (ms):")
    checks = stages["grade"] - stages["read"] - stages["start"] - stages["calls"]
    rows = [
        ("whole grading", stages["grade"]),
        ("  read", stages["read"]),
        ("  start public worker and load", stages["start"]),
        ("  student calls (both workers, round trips included)", stages["calls"]),
        ("    inside student functions", timings.student_s),
        ("  grader's own check work", checks),
        ("    inside reference functions", timings.reference_s),
    ]
    for label, seconds in rows:
        print(f"  {label:<56} {seconds * ms:7.2f}")
    print("worker requests seen from the grader (ms per submission, calls or loads per submission):")
    total = 0.0
    for key in sorted(tally.seconds, key=lambda k: -tally.seconds[k]):
        total += tally.seconds[key]
        print(f"  {key:<56} {tally.seconds[key] * ms:7.2f}  {tally.count[key] / n:6.2f}")
    print(f"  {'(sum; a sealed load counts inside the call that needs it too)':<56} {total * ms:7.2f}")
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
    stats.print_stats(args.top)
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
