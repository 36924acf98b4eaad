"""What a student's ``grader check FILE`` costs from a fresh process, as the installed command runs it: the
command line imported, the sandbox's zygote started, the rubrics loaded, the file checked on the public
cases and the result printed.

Each round runs, in fresh interpreters one after the other (so that a busy machine weighs on all alike): an
empty interpreter, ``import grader.cli`` alone, and ``grader check`` on each sample. Printed: the median
and the minimum wall time of each, in milliseconds.

    .venv/bin/python bench/check_startup.py --rounds 9
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Correct samples of each workshop, a module and notebooks.
SAMPLES = ("carlos_ruiz.py", "ana_gomez.ipynb", "andres_castro.ipynb", "martina_acosta.ipynb")
# What the installed ``grader`` command runs.
COMMAND = "import sys; from grader.cli import main; sys.argv[0] = 'grader'; main()"


def timed(argv: list[str]) -> float:
    started = time.perf_counter()
    finished = subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    # 1: a public check failed, which still checked the whole file.
    if finished.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited with {finished.returncode}:\n{finished.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=9)
    options = parser.parse_args()
    runs = {
        "python (empty interpreter)": [sys.executable, "-c", "pass"],
        "import grader.cli": [sys.executable, "-c", "import grader.cli"],
        **{
            f"grader check {sample}": [sys.executable, "-c", COMMAND, "check", f"submissions/{sample}"]
            for sample in SAMPLES
        },
    }
    timed(runs[f"grader check {SAMPLES[0]}"])  # warm: byte code compiled, files in the page cache
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(options.rounds):
        for name, argv in runs.items():
            seconds[name].append(timed(argv))
    print(f"fresh processes, {options.rounds} rounds, wall time in milliseconds")
    print(f"{'':<40} {'median':>8} {'min':>8}")
    for name, values in seconds.items():
        print(f"{name:<40} {statistics.median(values) * 1000:>8.1f} {min(values) * 1000:>8.1f}")


if __name__ == "__main__":
    main()
