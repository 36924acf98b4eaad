"""What the notebook check costs: ``grader.check("f")`` and ``grader.check()`` on correct sample notebooks,
in the kernel's process ("here") and in a forked child ("fork"), against a baseline in the same process.

The samples' definitions are loaded into a namespace as a grading worker loads them (definitions mode), then
checked as a kernel would check them. Rounds alternate the runners so that a busy machine weighs on both.
Printed: the median of the rounds for one function, the training function, and the whole workshop; the
baseline (each workshop function called once on each public case, plainly, no judging); and a cold start
(a fresh interpreter: import, load the rubrics, first check).

    .venv/bin/python bench/notebook_check.py --rounds 15
"""

from __future__ import annotations

import argparse
import builtins
import contextlib
import io
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from grader.cases import make_cases
from grader.notebook import check_namespace
from grader.sandbox import inert, worker
from grader.source import load_code
from grader.submission import discover
from grader.workshop import load_bundled_rubrics

ROOT = Path(__file__).resolve().parent.parent
# A correct notebook of each workshop, and the functions timed alone: a plain one and the training one.
WORKSHOPS = {
    "xor": ("ana_gomez", "feedForward", "entrenarRed"),
    "linreg": ("andres_castro", "calcularCosto", "descensoGradiente"),
    "logistica": ("martina_acosta", "sigmoide", "descensoGradienteLogistico"),
}


def loaded(sample: str) -> dict[str, Any]:
    """A sample's definitions in a fresh namespace, loaded as a grading worker loads them."""
    (submission,) = [s for s in discover([ROOT / "submissions"]) if s.id == sample]
    files, _ = submission.read()
    units = [u.source for f in files for u in load_code(f.data, filename=f.name).units]
    space: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    header = {"units": units, "mode": "definitions", "statement_timeout_s": 2.0}
    worker._load(space, header, [], progress=None)
    return space


def timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def baseline(rubric_id: str, space: dict[str, Any]) -> float:
    """Each workshop function called once on each public case, directly: what running one's own test cell
    costs, without any judging."""
    rubric = next(r for r in load_bundled_rubrics() if r.id == rubric_id)
    calls = []
    for case in make_cases(rubric, secret=None).public:
        for task in rubric.tasks:
            values = dict(case.values)
            if task.steps and task.rate:
                values.update({task.steps: 100, task.rate: 0.1})
            arguments = [np.copy(values[task.inputs.get(p, p)]) for p in task.params]
            calls.append((space[task.id], arguments))
    # What the samples print (a cost per epoch) goes nowhere, as the check keeps it apart too.
    with contextlib.redirect_stdout(io.StringIO()):
        return timed(lambda: [function(*arguments) for function, arguments in calls])


def cold_start(sample: str, function: str) -> float:
    """Seconds from a fresh interpreter to a first check's result (imports, the rubrics loaded and
    validated, the judge made, the function judged)."""
    script = (
        "import time; started = time.perf_counter()\n"
        "import signal\n"
        "import notebook_check as bench\n"
        "signal.signal(signal.SIGALRM, bench.worker._on_alarm)\n"
        "bench.inert.install()\n"
        f"space = bench.loaded({sample!r})\n"
        f"bench.check_namespace(space, {function!r}, runner='here')\n"
        "print(time.perf_counter() - started)\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).parent)}
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=environment
    )
    return float(run.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=15)
    options = parser.parse_args()
    signal.signal(signal.SIGALRM, worker._on_alarm)
    inert.install()
    spaces = {rubric_id: loaded(sample) for rubric_id, (sample, _, _) in WORKSHOPS.items()}
    # Warm: the rubrics loaded and the judges made once, as after a kernel's first check.
    for rubric_id, space in spaces.items():
        assert check_namespace(space, runner="here").passed, rubric_id
    rows: dict[tuple[str, str, str], list[float]] = {}
    base: dict[str, list[float]] = {}
    for _ in range(options.rounds):
        for rubric_id, (_, plain, training) in WORKSHOPS.items():
            space = spaces[rubric_id]
            base.setdefault(rubric_id, []).append(baseline(rubric_id, space))
            for runner in ("here", "fork"):
                for label, function in ((plain, plain), (training, training), ("whole workshop", None)):
                    seconds = timed(lambda: check_namespace(space, function, runner=runner))  # noqa: B023
                    rows.setdefault((rubric_id, label, runner), []).append(seconds)
    print(f"notebook check, median of {options.rounds} rounds, milliseconds")
    print(f"{'workshop':<10} {'checked':<28} {'here':>8} {'fork':>8}")
    for rubric_id, (_, plain, training) in WORKSHOPS.items():
        for label in (plain, training, "whole workshop"):
            here = statistics.median(rows[(rubric_id, label, "here")]) * 1000
            fork = statistics.median(rows[(rubric_id, label, "fork")]) * 1000
            print(f"{rubric_id:<10} {label:<28} {here:>8.1f} {fork:>8.1f}")
        print(
            f"{rubric_id:<10} {'baseline: plain calls':<28} {statistics.median(base[rubric_id]) * 1000:>8.1f}"
        )
    sample, function, _ = WORKSHOPS["xor"]
    print(f"cold start (fresh interpreter, first check of {function}): {cold_start(sample, function):.2f} s")


if __name__ == "__main__":
    main()
