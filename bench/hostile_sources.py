"""How long finding the definitions of hostile sources takes, against plain work on the same text.

The grader reads every submission's source in its own process, before any sandbox: a source that does not
parse is scanned line by line, and one too long or too deeply nested is refused by the parser. Each shape
is timed at two sizes (the ratio says whether the work grows linearly) against a baseline on the same text
in the same process (splitting it into lines).

    .venv/bin/python bench/hostile_sources.py --rounds 5
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence

from grader.defs import find_definitions

SHAPES: dict[str, Callable[[int], str]] = {
    # Definitions, then a syntax error at the end: every line goes through the scan.
    "definitions, then a syntax error": lambda n: "def f(x):\n    return x\n" * n + "(\n",
    # One very long line of spaces before many short ones (a regular expression that could cross lines
    # would go back over it from every line).
    "a long blank line, then short ones": lambda n: " " * (20 * n) + "\n" + "f = 1\n" * n,
    # Operators and brackets the parser refuses past some depth.
    "a long sum": lambda n: "+".join(["a"] * n) + "\ndef f(x):\n    pass\n",
    "a long call chain": lambda n: "f" + "()" * n + "\ndef f(x):\n    pass\n",
}


def timed(action: Callable[[], object], rounds: int) -> float:
    """The median of ``rounds`` runs of ``action``, in seconds."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5, help="runs per figure (the median is printed)")
    parser.add_argument("--n", type=int, default=10_000, help="the smaller size; the larger is 20 times it")
    args = parser.parse_args(argv)
    print(f"{'shape':<36} {'size':>10} {'find (ms)':>10} {'lines (ms)':>11} {'× lines':>8}")
    for name, make in SHAPES.items():
        found = []
        for n in (args.n, 20 * args.n):
            source = make(n)
            seconds = timed(lambda source=source: find_definitions(source), args.rounds)
            baseline = timed(source.splitlines, args.rounds)
            found.append(seconds)
            print(
                f"{name:<36} {len(source):>10,} {1000 * seconds:>10.2f} {1000 * baseline:>11.2f}"
                f" {seconds / max(baseline, 1e-9):>8.1f}"
            )
        print(f"{'':<36} 20 times the size: {found[1] / max(found[0], 1e-9):.1f} times the time")


if __name__ == "__main__":
    main()
