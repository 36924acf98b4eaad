"""The notebook check: ``grader.check()`` on the functions a namespace holds now, run in a forked child of
the process or in it, never hanging nor killing it; the same verdicts as the batch on the public cases."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from judge_kit import XOR_NETWORK
from sample_code import ROOT, SAMPLES

from grader.grading import Grader
from grader.messages import words
from grader.notebook import NotebookCheck, check_namespace
from grader.results import SubmissionResult
from grader.sandbox.launcher import Zygote
from grader.sandbox.limits import Limits
from grader.submission import discover
from grader.workshop import load_bundled_rubrics

TRAINING = """
def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
    costos = []
    for _ in range(epocas):
        a1, a2 = feedForward(X, w1, w2, b1, b2)
        costos.append(costoGlobal(a2, y))
        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
        w1, b1, w2, b2 = w1 - lr * dw1, b1 - lr * db1, w2 - lr * dw2, b2 - lr * db2
    return w1, b1, w2, b2, costos
"""
SPINS = """
def costoGlobal(y_est, y):
    while True:
        pass
"""
# Stuck inside one C function: no signal handler runs until it returns, which it never does.
STUCK_IN_C = """
import itertools

def costoGlobal(y_est, y):
    return sum(itertools.count())
"""
# Address space, not memory: np.empty maps without touching, so the limit is met without using RAM.
EATS_MEMORY = """
import numpy as np

def costoGlobal(y_est, y):
    blocks = []
    while True:
        blocks.append(np.empty(10**8))
"""


def namespace(*sources: str) -> dict[str, Any]:
    space: dict[str, Any] = {"__name__": "__main__"}
    for index, source in enumerate(sources):
        exec(compile(source, f"<cell {index}>", "exec"), space)
    return space


def verdicts(result: SubmissionResult) -> dict[str, dict[str, tuple[str, float, tuple[str, ...]]]]:
    return {
        f"{task.rubric}.{task.id}": {c.id: (c.status, c.score, c.diagnoses) for c in task.checks}
        for task in result.tasks
    }


def statuses(found: NotebookCheck, function: str) -> set[str]:
    (task,) = [t for t in found.tasks if t.id == function]
    return {c.status for c in task.checks}


# --- the API on a namespace ------------------------------------------------------------------------------


@pytest.mark.parametrize("runner", ["here", "fork"])
def test_one_function_or_the_whole_workshop(runner: str) -> None:
    space = namespace(XOR_NETWORK, TRAINING)
    one = check_namespace(space, "feedForward", runner=runner)  # type: ignore[arg-type]
    assert one.runner == runner
    assert [t.id for t in one.tasks] == ["feedForward"]
    assert one.passed and one.score == one.max_score == 3
    whole = check_namespace(space, runner=runner)  # type: ignore[arg-type]
    assert [t.id for t in whole.tasks] == ["feedForward", "costoGlobal", "backProp", "entrenarRed"]
    assert whole.passed and whole.score == 15
    # Public cases only: no hidden check, whatever the environment holds.
    assert all(c.visibility == "public" and "hidden" not in c.id for t in whole.tasks for c in t.checks)


def test_the_function_may_be_named_by_an_alias_or_the_students_own_name() -> None:
    space = namespace(
        XOR_NETWORK.replace("def feedForward(", "def feed_forward(").replace(
            "= feedForward(", "= feed_forward("
        )
    )
    found = check_namespace(space, "feed_forward", runner="here")
    assert [(t.id, t.found_as) for t in found.tasks] == [("feedForward", "feed_forward")]


def test_the_live_function_is_checked_a_redefinition_counts() -> None:
    space = namespace(XOR_NETWORK)
    assert check_namespace(space, "costoGlobal", runner="here").passed
    exec("def costoGlobal(y_est, y):\n    return float(((y_est - y) ** 2).mean())\n", space)
    wrong = check_namespace(space, "costoGlobal", runner="here")
    assert not wrong.passed
    (task,) = wrong.tasks
    assert "mse_instead_of_cross_entropy" in {code for c in task.checks for code in c.diagnoses}


def test_a_stub_is_not_implemented_yet_and_a_training_loop_using_it_is_judged_on_its_own() -> None:
    stub = "def backProp(X, y, w1, w2, b1, b2, a2, a1):\n    raise NotImplementedError\n"
    found = check_namespace(namespace(XOR_NETWORK, stub, TRAINING), runner="here")
    (back,) = [t for t in found.tasks if t.id == "backProp"]
    assert {c.status for c in back.checks} == {"skipped"}
    assert all(c.diagnoses == ("not_implemented",) and c.score == 0 for c in back.checks)
    assert words("task.not_implemented", "es", name="backProp") in str(found)
    # The loop is graded with the reference's backProp in place of the stub.
    assert statuses(found, "entrenarRed") == {"pass"}


def test_text_and_html_in_the_workshops_language_and_switchable() -> None:
    found = check_namespace(namespace(XOR_NETWORK), "backProp", runner="here")
    assert found.lang == "es"
    assert str(found).startswith(
        "Taller ANN: red neuronal para XOR — comprobación con los casos públicos: 5/5"
    )
    assert repr(found) == str(found)
    english = found.in_lang("en")
    assert "ANN workshop: a neural network for XOR — check on the public cases: 5/5" in str(english)
    html = english._repr_html_()
    assert 'lang="en"' in html and "Public checks only" in html
    assert check_namespace(namespace(XOR_NETWORK), "backProp", lang="en", runner="here").lang == "en"
    # Self-contained: no script, no style sheet, nothing fetched.
    assert not re.search(r"<script|<link|<img|<style|src=|href=|url\(", html)


def test_nothing_to_check_says_what_is_expected() -> None:
    unknown = check_namespace(namespace(XOR_NETWORK), "fedForward", runner="here")
    assert unknown.result.status == "error" and not unknown.passed
    assert "fedForward" in str(unknown) and "feedForward" in str(unknown)
    empty = check_namespace(namespace("x = 1"), runner="here")
    assert empty.result.status == "error"
    assert "calcularCosto" in str(empty)


def test_a_workshop_given_by_path() -> None:
    folder = ROOT / "tests" / "files" / "workshops" / "softmax"
    source = (folder.parent / "softmax_samples" / "bien.py").read_text(encoding="utf-8")
    found = check_namespace(namespace(source), workshop=str(folder), runner="here")
    assert [t.rubric for t in found.tasks] == ["softmax"] * len(found.tasks)
    assert found.passed


# --- time and memory limits -------------------------------------------------------------------------------


@pytest.mark.parametrize("runner", ["here", "fork"])
def test_an_endless_function_is_stopped_at_the_time_limit(runner: str) -> None:
    found = check_namespace(namespace(XOR_NETWORK, SPINS), "costoGlobal", runner=runner)  # type: ignore[arg-type]
    assert statuses(found, "costoGlobal") == {"timeout"}
    assert "0.5 s" in str(found)


def test_in_a_forked_child_a_function_stuck_in_c_is_stopped_too() -> None:
    found = check_namespace(namespace(XOR_NETWORK, STUCK_IN_C), "costoGlobal", runner="fork")
    assert statuses(found, "costoGlobal") == {"timeout"}
    # The rest of the workshop is still judged (in a child forked again).
    whole = check_namespace(namespace(XOR_NETWORK, STUCK_IN_C), runner="fork")
    assert statuses(whole, "feedForward") == {"pass"}
    assert statuses(whole, "costoGlobal") == {"timeout"}


def test_in_a_forked_child_a_function_eating_memory_meets_its_limit() -> None:
    found = check_namespace(namespace(XOR_NETWORK, EATS_MEMORY), "costoGlobal", runner="fork")
    assert statuses(found, "costoGlobal") == {"error"}
    assert "MemoryError" in str(found)
    # This process never got the memory (the limit is the child's).
    assert check_namespace(namespace(XOR_NETWORK), "costoGlobal", runner="fork").passed


def test_nothing_the_checked_code_does_reaches_the_namespace_in_a_forked_child() -> None:
    source = (
        XOR_NETWORK
        + "\ncalls = 0\n"
        + TRAINING.replace("    costos = []\n", "    global calls\n    calls += 1\n    costos = []\n")
    )
    space = namespace(source)
    check_namespace(space, "entrenarRed", runner="fork")
    assert space["calls"] == 0
    check_namespace(space, "entrenarRed", runner="here")
    assert space["calls"] > 0


def test_the_fork_free_path_where_there_is_no_fork_no_alarm_and_no_resource(tmp_path: Path) -> None:
    """As on Windows: no os.fork, no SIGALRM, no ``resource`` module. ``auto`` checks in the process, and a
    watchdog thread stops the endless function."""
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.modules["resource"] = None
        sys.modules["fcntl"] = None
        del os.fork
        for name in ("SIGALRM", "setitimer", "ITIMER_REAL"):
            delattr(signal, name)
        import grader
        exec({json.dumps(XOR_NETWORK + SPINS)})
        found = grader.check("costoGlobal")
        print(found.runner, sorted({{c.status for t in found.tasks for c in t.checks}}))
        found = grader.check("feedForward")
        print(found.runner, found.passed)
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[:2] == ["here ['timeout']", "here True"]


# --- the same verdicts as the batch -----------------------------------------------------------------------

# Loads a sample's code units in definitions mode, as a grading worker does, in a namespace of this process,
# then checks it in that namespace; prints the verdicts.
IN_PROCESS = """
import json, signal, sys, builtins
from grader.sandbox import inert, worker
from grader.notebook import check_namespace
sys.path.insert(0, {tests!r})
from sample_code import sample_units

signal.signal(signal.SIGALRM, worker._on_alarm)
builtins.input = worker.no_input
inert.install()
found = {{}}
for name in {names!r}:
    space = {{"__name__": "__main__", "__builtins__": builtins}}
    units = [u.source for u in sample_units(name)]
    # IPython keeps every cell run, those that do not parse too, in In.
    space["In"] = ["", *units]
    header = {{"units": units, "mode": "definitions", "statement_timeout_s": 2.0}}
    worker._load(space, header, [], progress=None)
    result = check_namespace(space, runner="here").result
    found[name] = {{
        f"{{t.rubric}}.{{t.id}}": {{c.id: [c.status, c.score, list(c.diagnoses)] for c in t.checks}}
        for t in result.tasks
    }}
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Grader]:
    zygote = Zygote()
    try:
        yield Grader(
            load_bundled_rubrics(),
            zygote=zygote,
            secret=None,
            limits=Limits(),
            scratch_root=tmp_path_factory.mktemp("scratch"),
            exec_mode="definitions",
        )
    finally:
        zygote.close()


@pytest.mark.slow
def test_the_verdicts_are_the_batchs_on_the_public_cases_for_every_sample(
    batch: Grader, tmp_path: Path
) -> None:
    samples = sorted(discover([SAMPLES]), key=lambda s: s.id)
    graded = {s.id: batch.grade(s) for s in samples}
    names = [Path(s.root).name for s in samples if graded[s.id].status == "graded"]
    assert len(names) >= 25
    run = subprocess.run(
        [sys.executable, "-c", IN_PROCESS.format(tests=str(ROOT / "tests"), names=names)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    in_process = json.loads(run.stdout.strip().splitlines()[-1])
    for sample in samples:
        name = Path(sample.root).name
        if name not in in_process:
            continue
        expected = {
            task: {check: [s, score, list(codes)] for check, (s, score, codes) in checks.items()}
            for task, checks in verdicts(graded[sample.id]).items()
        }
        assert in_process[name] == expected, name


# --- a real kernel ----------------------------------------------------------------------------------------


def run_cells(cells: list[str], folder: Path) -> nbformat.NotebookNode:
    import nbclient

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    client = nbclient.NotebookClient(
        notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    client.execute()
    return notebook


def shown(cell: Any) -> dict[str, str]:
    (result,) = [o for o in cell.outputs if o.output_type == "execute_result"]
    return dict(result.data)


def printed(cell: Any) -> str:
    return "".join(o.text for o in cell.outputs if o.output_type == "stream")


@pytest.fixture(scope="module")
def kernel_run(tmp_path_factory: pytest.TempPathFactory) -> nbformat.NotebookNode:
    folder = tmp_path_factory.mktemp("kernel")
    os.environ["GRADER_SECRET"] = "kernel-test-secret-77"
    try:
        return run_cells(
            [
                "import grader",
                XOR_NETWORK,
                TRAINING,
                "grader.check()",  # 3: the whole workshop, correct
                SPINS,
                'grader.check("costoGlobal")',  # 5: stopped, in a forked child
                'print("sigue vivo", costoGlobal.__name__)',
                'grader.check("costoGlobal", runner="here")',  # 7: stopped, in the kernel
                'print("sigue vivo")',
                STUCK_IN_C,
                'grader.check("costoGlobal")',  # 10: stuck in C, in a forked child
                EATS_MEMORY,
                'grader.check("costoGlobal").in_lang("en")',  # 12
                'print("sigue vivo")',
            ],
            folder,
        )
    finally:
        del os.environ["GRADER_SECRET"]


@pytest.mark.slow
def test_in_a_kernel_the_whole_workshop_displays_as_html_and_text(kernel_run: nbformat.NotebookNode) -> None:
    data = shown(kernel_run.cells[3])
    html, text = data["text/html"], data["text/plain"]
    assert 'data-total="15 / 15"' in html
    assert html.count('data-status="pass"') >= 13
    assert 'data-plot="cost"' in html
    assert text.startswith("Taller ANN: red neuronal para XOR — comprobación con los casos públicos: 15/15")
    # Where each function is: the notebook's own cell names.
    assert re.search(r"In\[2\], línea \d+", html) and re.search(r"In\[3\], línea \d+", html)
    for value in (html, text):
        assert "kernel-test-secret-77" not in value and "caso oculto" not in value and ":hidden" not in value


@pytest.mark.slow
def test_in_a_kernel_an_endless_function_is_stopped_and_the_kernel_lives_on(
    kernel_run: nbformat.NotebookNode,
) -> None:
    for index in (5, 7, 10):
        data = shown(kernel_run.cells[index])
        assert re.findall(r'<tr data-check="values">.*?data-status="(\w+)"', data["text/html"], re.S) == [
            "timeout"
        ]
        assert "no terminó en 0.5 s" in data["text/plain"]
        assert 'data-diagnosis="timeout"' in data["text/html"]
    assert printed(kernel_run.cells[6]) == "sigue vivo costoGlobal\n"
    assert printed(kernel_run.cells[8]) == "sigue vivo\n"
    memory = shown(kernel_run.cells[12])
    assert "MemoryError" in memory["text/plain"] and memory["text/plain"].startswith("ANN workshop")
    assert printed(kernel_run.cells[13]) == "sigue vivo\n"


@pytest.mark.slow
def test_the_html_renders_in_chromium_without_console_errors(
    kernel_run: nbformat.NotebookNode, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "cell.html"
    fragments = [shown(kernel_run.cells[i])["text/html"] for i in (3, 5, 12)]
    page_file.write_text(
        '<!doctype html><html><head><meta charset="utf-8"><title>cell</title></head><body>'
        + "".join(f"<div class='output'>{f}</div>" for f in fragments)
        + "</body></html>",
        encoding="utf-8",
    )
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on(
                "request",
                lambda r: errors.append(f"request {r.url}") if r.url != page_file.as_uri() else None,
            )
            page.goto(page_file.as_uri())
            page.wait_for_load_state("load")
            plot = page.locator('svg[data-plot="cost"]').first
            assert plot.is_visible()
            box = plot.bounding_box()
            assert box is not None and box["width"] > 300
            assert page.locator('section[data-task="entrenarRed"]').first.is_visible()
            page.screenshot(path=str(tmp_path / "cell.png"), full_page=True)
        finally:
            browser.close()
    assert errors == []
