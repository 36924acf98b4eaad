"""Grading in several processes: the same results as in one, and an account of where the time went."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.batch import GRADING_CRASHED, GraderSettings, ProcessPool, completed, grade_batch, plan_batch
from grader.grading import Grader
from grader.messages import SAY
from grader.report.text import message_text
from grader.results import SubmissionResult
from grader.sandbox.launcher import Zygote
from grader.sandbox.limits import Limits
from grader.store import ResultStore
from grader.submission import Submission, discover
from grader.timing import STAGES
from grader.workshop import load_bundled_rubrics, load_rubric

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


CRASH = Path(__file__).resolve().parent / "files" / "crash"
# Graded before the crasher, beside it (jobs=2) and after it: each must come out as it would alone.
NEIGHBOURS = ("lucia_nunez.py", "mateo_vargas.py", "sebastian_moreno.py")


@pytest.mark.slow
def test_a_grading_process_that_dies_costs_only_the_submission_it_was_grading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Spawned grading processes start with this process's sys.path: they find crash_reference too.
    monkeypatch.syspath_prepend(str(CRASH))
    folder = tmp_path / "class"
    folder.mkdir()
    for name in NEIGHBOURS:
        shutil.copyfile(SAMPLES / name, folder / name)
    shutil.copyfile(CRASH / "crasher.py", folder / "m_crash.py")
    submissions = discover([folder])
    store = ResultStore(tmp_path / "out")
    zygote = Zygote()
    try:
        grader = Grader(
            [load_rubric(CRASH / "crash.toml")],
            zygote=zygote,
            secret="crash-tests",
            limits=Limits(),
            scratch_root=tmp_path,
        )
        plan = plan_batch(grader, submissions, store, fresh=False)
        heard: list[SubmissionResult] = []
        retried: list[str] = []
        results = grade_batch(
            grader,
            plan,
            store,
            only_given_rubrics=True,
            jobs=2,
            on_result=heard.append,
            on_retry=lambda cut: retried.extend(s.id for s in cut),
        )
        again = plan_batch(grader, submissions, store, fresh=False)
    finally:
        zygote.close()

    assert [r.id for r in results] == [s.id for s in submissions]
    assert sorted(r.id for r in heard) == sorted(s.id for s in submissions)
    by_id = {r.id: r for r in results}
    crashed = by_id.pop("m_crash")
    assert crashed.status == "error" and crashed.error is not None
    assert crashed.error.kind == GRADING_CRASHED
    assert crashed.error.message == SAY("submission.grading_crashed")
    assert "probably out of memory" in message_text(crashed.error.message, "en")
    # It was in flight when the pool broke, and graded again alone before being given up on.
    assert "m_crash" in retried
    for result in by_id.values():
        assert result.status == "graded", result.error
        assert result.score == result.max_score > 0, result.id
    # Kept like any other result: the next run reuses it rather than dying on it again.
    assert set(again.kept) == {s.id for s in submissions} and not again.todo and not again.crashed
    assert again.kept["m_crash"] == crashed


def test_a_submission_whose_grading_ended_the_process_is_recorded_without_grading_it_again(
    grader: Grader, submissions: list[Submission], tmp_path: Path
) -> None:
    (submission,) = (s for s in submissions if s.id == "carlos_ruiz")
    store = ResultStore(tmp_path)
    key = grader.result_key(submission)
    # What grading in this process leaves behind when the process dies before the result is kept.
    store.mark_started(key)
    plan = plan_batch(grader, [submission], store, fresh=False)
    assert plan.crashed == (submission,) and not plan.todo and plan.pending == 1
    heard: list[SubmissionResult] = []
    (result,) = grade_batch(grader, plan, store, only_given_rubrics=False, jobs=1, on_result=heard.append)
    assert heard == [result]
    assert result.status == "error" and result.error is not None
    assert result.error.kind == GRADING_CRASHED
    assert result.error.message == SAY("submission.grading_crashed")
    assert "falta de memoria" in message_text(result.error.message, "es")
    assert store.get(key) == result and not store.was_started(key)
    assert plan_batch(grader, [submission], store, fresh=False).kept == {submission.id: result}

    # --fresh grades it again, and forgets every marker, this submission's or not.
    store.mark_started(key)
    store.mark_started("another-key")
    fresh = plan_batch(grader, [submission], store, fresh=True)
    assert fresh.todo == (submission,) and not fresh.crashed
    (graded,) = grade_batch(grader, fresh, store, only_given_rubrics=False, jobs=1, on_result=heard.append)
    assert graded.status == "graded"
    kept = store.get(key)
    assert kept is not None and kept.status == "graded"
    assert not store.was_started(key) and not store.was_started("another-key")
