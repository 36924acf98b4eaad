"""Grading in several processes: the same results as in one, and an account of where the time went."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.batch import GraderSettings, ProcessPool, completed
from grader.grading import Grader
from grader.rubric import load_bundled_rubrics
from grader.sandbox.launcher import Zygote
from grader.sandbox.limits import Limits
from grader.submission import Submission, discover
from grader.timing import STAGES

SAMPLES = Path(__file__).resolve().parent.parent / "submissions"
CHOSEN = ("carlos_ruiz.py", "ana_gomez.ipynb", "camila_herrera.py", "sofia_martinez.ipynb")


@pytest.fixture(scope="module")
def grader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Grader]:
    zygote = Zygote()
    try:
        yield Grader(
            load_bundled_rubrics(),
            zygote=zygote,
            secret="batch-tests",
            limits=Limits(),
            scratch_root=tmp_path_factory.mktemp("scratch"),
        )
    finally:
        zygote.close()


@pytest.fixture(scope="module")
def submissions(tmp_path_factory: pytest.TempPathFactory) -> list[Submission]:
    folder = tmp_path_factory.mktemp("class")
    for name in CHOSEN:
        shutil.copyfile(SAMPLES / name, folder / name)
    return discover([folder])


def test_processes_grade_as_one_process_does_and_account_for_their_time(
    grader: Grader, submissions: list[Submission]
) -> None:
    alone = {s.id: grader.grade(s) for s in submissions}
    with ProcessPool(GraderSettings.of(grader, only_given_rubrics=False), jobs=2) as pool:
        assert pool.timings().stages["grade"] == 0.0
        together = {r.id: r for r in completed([pool.submit(s) for s in submissions])}
        timings = pool.timings()
    assert together.keys() == alone.keys()
    for key, result in together.items():
        assert result.status == "graded"
        assert [(t.id, t.score) for t in result.tasks] == [(t.id, t.score) for t in alone[key].tasks]
    assert set(timings.stages) == set(STAGES)
    # Every stage is part of grading; the student's calls include what ran inside them.
    assert 0 < timings.stages["read"] < timings.stages["grade"]
    assert 0 < timings.stages["start"] < timings.stages["grade"]
    assert 0 < timings.student_s < timings.stages["calls"] < timings.stages["grade"]
    assert timings.reference_s > 0
    # Definitions mode runs only definitions and imports at the top level: little, but not nothing.
    assert 0 < timings.toplevel_s < timings.stages["start"]
    assert sum(r.duration_s for r in together.values()) == pytest.approx(timings.stages["grade"], rel=0.05)
