"""How well mistakes are recognised: over the table of wrong modules, and falsely over correct code."""

# Run from the repository root: .venv/bin/python bench/diagnoses.py [--jobs N] [--verbose]. Every module of
# tests/files/mistakes/ and every sample is graded through the real grading stage (sandboxed workers, public
# and hidden cases); the correct functions are the table's correct modules and the samples' "full" ones.

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import tomllib

from grader.diagnose import PLAIN_CODES
from grader.grading import Grader
from grader.results import SubmissionResult, TaskResult
from grader.sandbox.launcher import Zygote
from grader.sandbox.limits import Limits
from grader.submission import Submission, discover
from grader.workshop import load_bundled_rubrics

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "tests" / "files" / "mistakes"
SAMPLES = ROOT / "submissions"
MANIFEST = ROOT / "tests" / "files" / "submissions_manifest.toml"
SECRET = "bench-diagnoses"


@dataclass(frozen=True)
class Outcome:
    """What one graded function got, next to what it should have got."""

    source: str
    function: str
    expected: frozenset[str]
    found: frozenset[str]

    @property
    def recognised(self) -> bool:
        return bool(self.expected) and self.expected <= self.found

    @property
    def extra(self) -> frozenset[str]:
        return self.found - self.expected


def mistake_codes(task: TaskResult) -> frozenset[str]:
    return frozenset(code for check in task.checks for code in check.diagnoses) - PLAIN_CODES


def grade_all(grader: Grader, submissions: Sequence[Submission], jobs: int) -> dict[str, SubmissionResult]:
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return {s.id: r for s, r in zip(submissions, pool.map(grader.grade, submissions), strict=True)}


def outcomes(results: dict[str, SubmissionResult]) -> tuple[list[Outcome], list[Outcome]]:
    """(the table's wrong functions, every function that should be right)."""
    table = tomllib.loads((TABLE / "table.toml").read_text(encoding="utf-8"))
    manifest = tomllib.loads(MANIFEST.read_text(encoding="utf-8"))
    wrong, right = [], []
    for entry in table["mistake"]:
        result = results[Path(entry["file"]).stem]
        tasks = {t.id: t for t in result.tasks}
        for task_id, task in tasks.items():
            if task.found_as is None:
                continue
            expected = frozenset(entry["expect"]) if task_id == entry["function"] else frozenset()
            outcome = Outcome(entry["file"], task_id, expected, mistake_codes(task))
            (wrong if expected else right).append(outcome)
    for entry in table["correct"]:
        for task in results[Path(entry["file"]).stem].tasks:
            right.append(Outcome(entry["file"], task.id, frozenset(), mistake_codes(task)))
    for sample, expected in manifest.items():
        if sample not in results or results[sample].status != "graded":
            continue
        for task in results[sample].tasks:
            if expected.get("expect", {}).get(task.id) == "full":
                right.append(Outcome(sample, task.id, frozenset(), mistake_codes(task)))
    return wrong, right


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--verbose", action="store_true", help="list every function, not only the misses")
    args = parser.parse_args(argv)
    submissions = discover([TABLE]) + discover([SAMPLES])
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-diagnoses-") as scratch:
        zygote = Zygote()
        try:
            grader = Grader(
                load_bundled_rubrics(),
                zygote=zygote,
                secret=SECRET,
                limits=Limits(),
                scratch_root=Path(scratch),
                lang="es",
            )
            results = grade_all(grader, submissions, args.jobs)
        finally:
            zygote.close()
    elapsed = time.perf_counter() - started
    wrong, right = outcomes(results)
    recognised = [o for o in wrong if o.recognised]
    precise = [o for o in recognised if not o.extra]
    false = [o for o in right if o.found]
    for o in wrong:
        if args.verbose or not o.recognised or o.extra:
            mark = "ok  " if o.recognised and not o.extra else "MISS" if not o.recognised else "EXTRA"
            print(f"{mark} {o.source} {o.function}: expected {sorted(o.expected)}, got {sorted(o.found)}")
    for o in false:
        print(f"FALSE {o.source} {o.function}: {sorted(o.found)}")
    print(f"graded {len(submissions)} modules in {elapsed:.1f} s")
    print(
        f"recognition rate: {len(recognised)}/{len(wrong)} = {len(recognised) / max(len(wrong), 1):.1%} "
        f"(exactly the expected codes: {len(precise)}/{len(wrong)})"
    )
    print(f"false-diagnosis rate: {len(false)}/{len(right)} = {len(false) / max(len(right), 1):.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
