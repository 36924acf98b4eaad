"""Each sandbox layer on its own: what it stops, what it leaves working, and how the grader reports it."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

import grader.cli
import grader.session
from grader.calls import PlannedCall, Substitute
from grader.conventions import Convention
from grader.sandbox import bwrap, landlock, layers, privileges, seccomp
from grader.sandbox.launcher import Zygote
from grader.sandbox.layers import Hardening
from grader.sandbox.limits import Limits
from grader.sandbox.session import StudentRuntime
from reference import xor

# prctl(2): orphaned descendants are reparented to the caller instead of to init.
PR_SET_CHILD_SUBREAPER = 36

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "submissions" / "carlos_ruiz.py"
IS_ROOT = os.geteuid() == 0


def run_python(code: str, *, timeout: float = 60) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter; it reports by printing one JSON object last."""
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=ROOT,
    )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, object] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


# --- seccomp ---------------------------------------------------------------------------------------

SECCOMP_PREAMBLE = """
    import ctypes, errno, json, os, socket, subprocess, threading
    from grader.sandbox import privileges, seccomp
    parent = os.getppid()
    privileges.set_no_new_privs()
    seccomp.install(seccomp.filter_program(pid=os.getpid(), allow_native_code={native}))

    def attempt(action):
        try:
            action()
            return "allowed"
        except ImportError:
            return "ImportError"
        except OSError as exc:
            return errno.errorcode.get(exc.errno, str(exc.errno))
"""


@pytest.mark.skipif(not seccomp.supported(), reason=f"no seccomp filter for {platform.machine()}")
def test_seccomp_denies_processes_programs_sockets_and_signals_to_others() -> None:
    report = run_python(
        SECCOMP_PREAMBLE.format(native=False)
        + """
    libc = ctypes.CDLL(None, use_errno=True)
    thread_ran = []
    worker = threading.Thread(target=lambda: thread_ran.append(1))
    worker.start()
    worker.join()
    print(json.dumps({
        "socket": attempt(lambda: socket.socket()),
        "unix": attempt(lambda: socket.socket(socket.AF_UNIX)),
        "fork": attempt(os.fork),
        "exec": attempt(lambda: subprocess.run(["/bin/true"])),
        "kill_parent": attempt(lambda: os.kill(parent, 0)),
        "kill_self": attempt(lambda: os.kill(os.getpid(), 0)),
        "ptrace": libc.ptrace(16, parent, 0, 0) == -1 and ctypes.get_errno() == errno.EPERM,
        "memfd": attempt(lambda: os.memfd_create("x")),
        "new_library": attempt(lambda: __import__("_bz2")),
        "thread": bool(thread_ran),
    }))
    """
    )
    assert report == {
        "socket": "EPERM",
        "unix": "EPERM",
        "fork": "EPERM",
        "exec": "EPERM",
        "kill_parent": "EPERM",
        "kill_self": "allowed",
        "ptrace": True,
        "memfd": "EPERM",
        "new_library": "ImportError",
        "thread": True,
    }


@pytest.mark.skipif(not seccomp.supported(), reason=f"no seccomp filter for {platform.machine()}")
def test_seccomp_can_leave_library_loading_to_the_other_layers() -> None:
    report = run_python(
        SECCOMP_PREAMBLE.format(native=True)
        + """
    print(json.dumps({"bz2": attempt(lambda: __import__("_bz2")), "socket": attempt(socket.socket)}))
    """
    )
    assert report == {"bz2": "allowed", "socket": "EPERM"}


def test_seccomp_programs_are_well_formed_for_both_architectures() -> None:
    for machine in ("x86_64", "aarch64"):
        program = seccomp.filter_program(pid=1234, allow_native_code=False, machine=machine)
        assert len(program) % 8 == 0
        assert 50 < len(program) // 8 < 4096


# --- Landlock --------------------------------------------------------------------------------------


@pytest.mark.skipif(landlock.abi_version() < 1, reason="Landlock is not available on this kernel")
def test_landlock_confines_reads_and_writes(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "other.txt").write_text("someone else's")
    report = run_python(
        f"""
    import json, os, sys
    from grader.sandbox import landlock, privileges
    privileges.set_no_new_privs()
    os.chdir({str(tmp_path / "mine")!r})
    landlock.restrict(
        abi=landlock.abi_version(), read=[sys.base_prefix], read_write=["."], devices=["/dev/null"]
    )

    def attempt(action):
        try:
            action()
            return "allowed"
        except OSError as exc:
            return type(exc).__name__

    print(json.dumps({{
        "write_own": attempt(lambda: open("notes.txt", "w").write("ok")),
        "read_other": attempt(lambda: open({str(tmp_path / "other.txt")!r}).read()),
        "write_other": attempt(lambda: open({str(tmp_path / "new.txt")!r}, "w")),
        "list_root": attempt(lambda: os.listdir("/")),
        "proc": attempt(lambda: open("/proc/self/environ", "rb").read()),
        "devnull": attempt(lambda: open("/dev/null", "w").write("x")),
        "exec": attempt(lambda: os.execv("/bin/true", ["true"])),
    }}))
    """
    )
    assert report == {
        "write_own": "allowed",
        "read_other": "PermissionError",
        "write_other": "PermissionError",
        "list_root": "PermissionError",
        "proc": "PermissionError",
        "devnull": "allowed",
        "exec": "PermissionError",
    }
    assert not (tmp_path / "new.txt").exists()


# --- privileges ------------------------------------------------------------------------------------


def test_the_grader_process_can_be_made_non_dumpable() -> None:
    report = run_python(
        """
    import ctypes, json, resource
    from grader.sandbox import privileges
    privileges.protect_grader_process()
    libc = ctypes.CDLL(None)
    core = resource.getrlimit(resource.RLIMIT_CORE)
    print(json.dumps({"dumpable": libc.prctl(3, 0, 0, 0, 0), "core": core}))
    """
    )
    assert report == {"dumpable": 0, "core": [0, 0]}


@pytest.mark.skipif(not IS_ROOT, reason="only root can run a process under another uid")
def test_kill_uid_kills_everything_a_uid_left_behind() -> None:
    """A process under the uid and one it started in a session of its own both end by SIGKILL. They run
    under a child subreaper of the test's own, to which the orphan returns: their end is seen by waiting
    for them, without looking at any other process on the machine."""
    uid = privileges.worker_uid(os.getpid(), 999)
    ready_read, ready_write = os.pipe()
    reaper = os.fork()
    if reaper == 0:
        code, started = 2, []
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1)
            started.append(os.fork())
            if started[0] == 0:
                privileges.drop_to(uid)
                if os.fork() == 0:
                    os.setsid()
                    os.write(ready_write, str(os.getpid()).encode())
                signal.pause()
                os._exit(0)
            # Both are running under the uid once the one in its own session says so.
            started.append(int(os.read(ready_read, 32)))
            os.waitpid(privileges.kill_uid(uid), 0)
            # Were they not killed, waiting for them would never end: the alarm stops it (test fails).
            signal.signal(signal.SIGALRM, _give_up)
            signal.alarm(60)
            ends = [os.wait()[1] for _ in range(2)]
            killed = all(os.WIFSIGNALED(end) and os.WTERMSIG(end) == signal.SIGKILL for end in ends)
            code = 0 if killed else 1
        finally:
            for pid in started if code else ():
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            os._exit(code)
    os.close(ready_write)
    os.close(ready_read)
    _, status = os.waitpid(reaper, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status


def _give_up(signum: int, frame: object) -> None:
    raise TimeoutError


# --- the zygote: probing, reporting, refusing --------------------------------------------------------


@pytest.fixture(scope="module")
def zygote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zygote]:
    started = Zygote(scratch_root=tmp_path_factory.mktemp("scratch"))
    yield started
    started.close()


def test_the_zygote_reports_which_layers_are_active(zygote: Zygote) -> None:
    sandbox = zygote.sandbox
    assert sandbox[: len(layers.ALWAYS)] == layers.ALWAYS
    assert {layers.RLIMITS, layers.NO_NEW_PRIVS} <= set(sandbox)
    if seccomp.supported():
        assert layers.SECCOMP in sandbox
    if landlock.abi_version() >= 1:
        assert layers.LANDLOCK in sandbox
    assert (layers.UID_DROP in sandbox) == IS_ROOT
    assert zygote.isolated
    for layer in set(layers.WORKER_ORDER) - set(sandbox):
        assert zygote.problems.get(layer), f"{layer} is off without a reason"


def test_the_paths_under_a_closed_folder_are_worked_out_once_for_every_worker() -> None:
    # Not under pytest's own folder, which is closed to others itself.
    with tempfile.TemporaryDirectory() as top:
        _exposures_under(Path(top))


def _exposures_under(tmp_path: Path) -> None:
    closed = tmp_path / "home"
    python = closed / "python" / "lib"
    venv = closed / "python" / "venv"
    opened = tmp_path / "usr"
    for folder in (python, venv, opened):
        folder.mkdir(parents=True)
    tmp_path.chmod(0o755)
    closed.chmod(0o700)
    (closed / "python").chmod(0o755)
    found = privileges.exposures([str(venv), str(opened), str(python), str(closed / "python")])
    # The outermost path under the closed folder stands for those inside it; open paths need nothing.
    assert found == ((str(closed), (str(closed / "python"),)),)
    assert privileges.exposures([str(opened)]) == ()

    readable = (str(python), str(opened))
    as_root = layers.Plan.for_zygote(
        (layers.PRIVATE_TMP, layers.UID_DROP), readable=readable, zygote_pid=os.getpid()
    )
    assert as_root.exposed == ((str(closed), (str(python),)),)
    # Without a uid of their own, workers run as the grader's user, who reaches what it installed.
    for alone in ((layers.PRIVATE_TMP,), (layers.UID_DROP,)):
        assert layers.Plan.for_zygote(alone, readable=readable, zygote_pid=os.getpid()).exposed == ()


def test_without_hardening_nothing_isolates() -> None:
    bare = Zygote(hardening=Hardening.off())
    try:
        assert bare.sandbox == layers.ALWAYS
        assert not bare.isolated
    finally:
        bare.close()


def test_a_bubblewrap_that_fails_falls_back_and_says_why(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(bwrap, "CANDIDATES", ("/bin/false",))
    fallback = Zygote(scratch_root=tmp_path)
    try:
        assert layers.BWRAP not in fallback.sandbox
        assert "exited with status 1" in fallback.problems[layers.BWRAP]
        assert fallback.isolated
    finally:
        fallback.close()


def test_bubblewrap_binds_only_what_the_zygote_needs() -> None:
    args = bwrap.command(
        "/usr/bin/bwrap",
        ["python", "-m", "zygote"],
        readable=["/opt/py/lib", "/opt/py", "/usr/lib/python3", "/home/ana/venv"],
        writable=["/tmp/scratch"],
        as_root=False,
    )
    line = " ".join(args)
    for flag in ("--unshare-net", "--unshare-pid", "--die-with-parent", "--new-session", "--unshare-user"):
        assert flag in args
    assert "--ro-bind-try /opt/py /opt/py" in line
    assert "/opt/py/lib /opt/py/lib" not in line
    assert "--perms 0755 --dir /home --perms 0755 --dir /home/ana" in line
    assert "--bind /tmp/scratch /tmp/scratch" in line
    assert line.endswith("-- python -m zygote")
    rooted = bwrap.command("/usr/bin/bwrap", ["x"], readable=[], writable=[], as_root=True)
    assert "--unshare-user" not in rooted and "--cap-drop" in rooted


def test_grading_is_refused_without_isolation_unless_unsafe(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(grader.session, "Zygote", functools.partial(Zygote, hardening=Hardening.off()))
    runner = CliRunner()
    refused = runner.invoke(
        grader.cli.main, ["grade", str(SAMPLE), "--out", str(tmp_path / "no"), "--public-only"]
    )
    assert refused.exit_code == 2
    assert "no sandbox layer isolating student code" in refused.output
    assert "--unsafe" in refused.output
    assert not (tmp_path / "no" / "results.json").exists()
    out = tmp_path / "yes"
    allowed = runner.invoke(
        grader.cli.main, ["grade", str(SAMPLE), "--out", str(out), "--unsafe", "--quiet", "--public-only"]
    )
    assert allowed.exit_code == 0, allowed.output
    assert "--unsafe" in allowed.output
    run = json.loads((out / "results.json").read_text(encoding="utf-8"))["run"]
    assert run["sandbox"] == [*layers.ALWAYS, "unsafe"]


def test_the_cli_records_the_active_layers(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        grader.cli.main, ["grade", str(SAMPLE), "--out", str(tmp_path), "--quiet", "--public-only"]
    )
    assert result.exit_code == 0, result.output
    sandbox = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["run"]["sandbox"]
    assert "unsafe" not in sandbox
    assert set(layers.ISOLATION) & set(sandbox)


# --- the worker, as student code sees it ---------------------------------------------------------------


def runtime_for(
    zygote: Zygote,
    tmp_path: Path,
    source: str,
    *,
    full: bool = False,
    deadline: float | None = None,
    workdir: Path | None = None,
    **limits: float,
) -> StudentRuntime:
    """``source`` loaded in a worker (``full``: every statement run, as a notebook's)."""
    runtime = StudentRuntime(
        zygote,
        units=[textwrap.dedent(source)],
        workdir=workdir or Path(tempfile.mkdtemp(dir=zygote.scratch_root)),
        output=tmp_path / "out",
        limits=Limits(**limits),
        full=full,
        deadline=deadline,
    )
    report = runtime.load()
    assert report.status == "ok", report
    return runtime


def test_a_worker_finds_the_submissions_own_modules_and_no_links(zygote: Zygote, tmp_path: Path) -> None:
    """The files the grader put in the scratch folder (a submission's own modules, in packages too) are
    there for the worker, whatever its layers; a link among them is neither carried nor followed."""
    workdir = Path(tempfile.mkdtemp(dir=zygote.scratch_root))
    (workdir / "ayudas.py").write_text("def doble(x):\n    return 2 * x\n")
    (workdir / "red").mkdir()
    (workdir / "red" / "__init__.py").write_text("")
    (workdir / "red" / "capas.py").write_text("def triple(x):\n    return 3 * x\n")
    (workdir / "fuga.py").symlink_to(ROOT / "reference" / "xor.py")
    (workdir / "enlace").symlink_to(ROOT / "reference")
    runtime = StudentRuntime(
        zygote,
        units=[
            textwrap.dedent(
                """
                import os
                from ayudas import doble
                from red.capas import triple
                def f(x):
                    return doble(x) + triple(x)
                def seen():
                    return sorted(name for name in os.listdir(".") if not name.startswith("__"))
                """
            )
        ],
        workdir=workdir,
        output=tmp_path / "out",
        limits=Limits(),
    )
    try:
        assert runtime.load().status == "ok"
        assert runtime.call("f", [1], timeout_s=2.0).value == 5
        seen = runtime.call("seen", [], timeout_s=2.0).value
        # In a private tmpfs, the folder the worker sees is a copy of the files, made without the links.
        assert seen == (["ayudas.py", "red"] if "private-tmp" in zygote.sandbox else sorted(seen))
        assert {"ayudas.py", "red"} <= set(seen)
    finally:
        runtime.close()


def test_student_code_sees_no_secret_and_no_solution(
    zygote: Zygote, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRADER_SECRET", "never-seen")
    runtime = runtime_for(
        zygote,
        tmp_path,
        """
        import os, sys
        def peek():
            solutions = [m for m in sys.modules if m.startswith(("reference", "grader.cases"))]
            return sorted(os.environ), sorted(solutions)
        """,
    )
    try:
        outcome = runtime.call("peek", [], timeout_s=5)
        assert outcome.status == "ok", outcome
        names, modules = outcome.value
        assert "GRADER_SECRET" not in names
        assert modules == []
    finally:
        runtime.close()


def test_printing_is_capped_and_the_cut_is_said(zygote: Zygote, tmp_path: Path) -> None:
    runtime = runtime_for(
        zygote,
        tmp_path,
        """
        def chatty():
            for _ in range(2000):
                print("x" * 1000)
            return 7
        """,
        output_bytes=4096,
    )
    try:
        outcome = runtime.call("chatty", [], timeout_s=10)
        assert outcome.status == "ok" and outcome.value == 7
        captured = runtime.captured()
        assert captured.cut_at_bytes == 4096
        assert len(captured.text.encode()) <= 4096
    finally:
        runtime.close()


def test_a_statement_stuck_in_c_code_is_left_out_of_the_load(zygote: Zygote, tmp_path: Path) -> None:
    runtime = runtime_for(
        zygote,
        tmp_path,
        """
        import itertools
        total = sum(itertools.count())
        def still_here():
            return 42
        """,
        statement_timeout_s=0.3,
        load_timeout_s=15,
    )
    try:
        assert runtime.report is not None
        stuck = [e for e in runtime.report.events if e.kind == "statement_timeout"]
        assert [(e.unit, e.line) for e in stuck] == [(0, 3)]
        assert runtime.call("still_here", [], timeout_s=5).value == 42
    finally:
        runtime.close()


def test_reference_helpers_are_computed_by_the_grader(zygote: Zygote, tmp_path: Path) -> None:
    runtime = runtime_for(
        zygote,
        tmp_path,
        """
        def forward(X, w1, w2, b1, b2):
            return None, None
        def uses_forward(X, w1, w2, b1, b2):
            return forward(X, w1, w2, b1, b2)[1]
        def abuses_forward(X, w1, w2, b1, b2):
            return forward(X, w1, w2, b1, b2, "too many")
        """,
    )
    rng = np.random.default_rng(0)
    x, w1, w2 = rng.normal(size=(2, 4)), rng.normal(size=(3, 2)), rng.normal(size=(1, 3))
    b1, b2 = np.zeros((3, 1)), np.zeros((1, 1))
    helper = Substitute("forward", xor.feedForward, Convention("columns"), ("a1", "a2"))
    try:
        outcome = runtime.call("uses_forward", [x, w1, w2, b1, b2], timeout_s=5, substitutes=[helper])
        from reference.xor import feedForward

        np.testing.assert_allclose(outcome.value, feedForward(x, w1, w2, b1, b2)[1])
        failed = runtime.call("abuses_forward", [x, w1, w2, b1, b2], timeout_s=5, substitutes=[helper])
        assert failed.status == "exception" and failed.error_type == "TypeError"
        # Outside a call with substitutes, the student's own function is back.
        assert runtime.call("uses_forward", [x, w1, w2, b1, b2], timeout_s=5).value is None
    finally:
        runtime.close()


def test_hidden_cases_run_in_a_sealed_worker_whose_products_are_discarded(
    zygote: Zygote, tmp_path: Path
) -> None:
    """Whatever channel a function uses after it has seen a hidden input (printing, stashing it for a
    later public call, writing at an earlier offset of the output, a warning, an exception whose type
    is named after it), only its return value comes back."""
    runtime = runtime_for(
        zygote,
        tmp_path,
        """
        import fcntl, os, warnings

        def echo(x):
            global SEEN
            SEEN = x
            print("got", x)
            return x

        def reveal():
            print("stashed", globals().get("SEEN"))
            return str(globals().get("SEEN"))

        def sneaky(x):
            flags = fcntl.fcntl(1, fcntl.F_GETFL)
            fcntl.fcntl(1, fcntl.F_SETFL, flags & ~os.O_APPEND)
            os.pwrite(1, f"PWRITE {x} ".encode(), 0)
            warnings.warn(f"WARN {x}")
            raise type(f"Err_{x}", (Exception,), {})(x)
        """,
    )
    try:
        assert runtime.call("echo", ["public-input"], timeout_s=5).value == "public-input"
        assert runtime.call("echo", ["hiddeninput1"], timeout_s=5, hidden=True).value == "hiddeninput1"
        failed = runtime.call("sneaky", ["hiddeninput2"], timeout_s=5, hidden=True)
        assert failed.status == "exception"
        assert "hiddeninput" not in repr(failed)
        assert failed.warnings == () and failed.frames == () and failed.error_type == ""
        # A public call after hidden ones is made in a worker that never saw them.
        revealed = runtime.call("reveal", [], timeout_s=5)
        assert revealed.status == "ok" and "hiddeninput" not in str(revealed.value)
        captured = runtime.captured()
        assert "hiddeninput" not in captured.text
        assert captured.text == "got public-input\nstashed None\n"
        assert captured.withheld_hidden
    finally:
        runtime.close()


@pytest.mark.parametrize("hardening", [Hardening(), Hardening.off()], ids=["hardened", "bare"])
def test_the_public_worker_becomes_the_sealed_one_and_is_never_heard_again(
    hardening: Hardening, tmp_path: Path
) -> None:
    """The first hidden call is made in the worker that made the public ones (no second worker, no second
    run of the notebook). From then on nothing that worker does is shown: not what it prints, not the
    files it writes. A later public call loads the code again in a worker of its own, in the scratch
    folder as it was before any student code ran; its load does not print the notebook's output twice."""
    source = """
        CALLS = []
        print("loaded")

        def count(x):
            CALLS.append(x)
            print("call", x)
            return len(CALLS)

        def write(name, text):
            with open(name, "w") as handle:
                handle.write(text)
            return True

        def read(name):
            try:
                with open(name) as handle:
                    return handle.read()
            except OSError:
                return None
        """
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    zygote = Zygote(scratch_root=scratch, hardening=hardening)
    workdir = Path(tempfile.mkdtemp(dir=scratch))
    (workdir / "given.txt").write_text("from the grader")
    runtime = runtime_for(zygote, tmp_path, source, full=True, workdir=workdir)
    try:
        assert runtime.call("count", ["a"], timeout_s=5).value == 1
        assert runtime.call("write", ["notes.txt", "public"], timeout_s=5).value is True
        # The same process, with the state the public calls left.
        assert runtime.call("count", ["h1"], timeout_s=5, hidden=True).value == 2
        assert runtime.call("write", ["notes.txt", "h1"], timeout_s=5, hidden=True).value is True
        assert runtime.call("read", ["notes.txt"], timeout_s=5, hidden=True).value == "h1"
        # Nothing was made for a public worker that may never come.
        assert list(scratch.iterdir()) == [workdir]
        # Public again: a fresh worker, with the files the grader gave and none a worker wrote.
        assert runtime.call("count", ["b"], timeout_s=5).value == 1
        made = sorted(set(scratch.iterdir()) - {workdir})
        assert [p.name.startswith(workdir.name) for p in made] == [True, True]
        assert runtime.call("read", ["notes.txt"], timeout_s=5).value is None
        assert runtime.call("read", ["given.txt"], timeout_s=5).value == "from the grader"
        # Hidden again: still the sealed worker.
        assert runtime.call("count", ["h2"], timeout_s=5, hidden=True).value == 3
        captured = runtime.captured()
        assert captured.text == "loaded\ncall a\ncall b\n"
        assert captured.withheld_hidden
    finally:
        runtime.close()
        zygote.close()
    # The copy of the scratch folder and the second output file are gone; the grader's folder is its own.
    assert list(scratch.iterdir()) == [workdir]


def test_a_function_that_runs_out_of_time_twice_is_not_called_again(zygote: Zygote, tmp_path: Path) -> None:
    runtime = runtime_for(
        zygote,
        tmp_path,
        """
        def spin(x):
            while x:
                pass
            return x
        """,
    )
    try:
        first = runtime.call("spin", [1], timeout_s=0.3)
        assert first.status == "timeout" and first.elapsed_s >= 0.3
        # A second chance (the machine may have been busy): it still works where it can.
        assert runtime.call("spin", [0], timeout_s=0.3).value == 0
        assert runtime.call("spin", [2], timeout_s=0.3).status == "timeout"
        again = runtime.call("spin", [0], timeout_s=0.3)
        assert again.status == "timeout" and "not called again" in again.message
        assert again.elapsed_s == 0.0
    finally:
        runtime.close()


def test_time_outs_in_hidden_cases_count_for_the_public_worker_too(zygote: Zygote, tmp_path: Path) -> None:
    """Whichever worker a function ran out of time in, it costs the batch the same: given up in both."""
    runtime = runtime_for(
        zygote,
        tmp_path,
        """
        def spin(x):
            while x:
                pass
            return x
        """,
    )
    try:
        assert runtime.call("spin", [1], timeout_s=0.3, hidden=True).status == "timeout"
        assert runtime.call("spin", [1], timeout_s=0.3, hidden=True).status == "timeout"
        public = runtime.call("spin", [0], timeout_s=0.3)
        assert public.status == "timeout" and "not called again" in public.message
        assert runtime.call_many(planned("spin", [[0], [0]], 0.3)) == []
    finally:
        runtime.close()


def planned(function: str, arg_lists: list[list[Any]], timeout_s: float) -> list[PlannedCall]:
    """Calls of one function, to be made together."""
    return [PlannedCall(function, tuple(args), timeout_s) for args in arg_lists]


def test_calls_made_together_stop_at_the_first_time_out(zygote: Zygote, tmp_path: Path) -> None:
    runtime = runtime_for(
        zygote,
        tmp_path,
        """
        def f(x):
            while x > 1:
                pass
            return [x, x]
        def boom(x):
            return 1 / x
        """,
    )
    try:
        outcomes = runtime.call_many(planned("f", [[0], [1], [5], [0]], 0.3))
        assert [o.status for o in outcomes] == ["ok", "ok", "timeout"]
        assert outcomes[1].value == [1, 1]
        assert outcomes[2].elapsed_s == 0.3
        # After a time-out, the calls are made one by one, where the rules on time-outs apply.
        assert runtime.call_many(planned("f", [[0], [1]], 0.3)) == []
        assert runtime.call("f", [0], timeout_s=0.3).value == [0, 0]
        errors = runtime.call_many(planned("boom", [[0], [2]], 1.0))
        assert [o.status for o in errors] == ["exception", "ok"]
        assert errors[0].error_type == "ZeroDivisionError" and errors[1].value == 0.5
    finally:
        runtime.close()


def test_calls_made_together_that_the_worker_cannot_stop_are_made_again_alone(
    zygote: Zygote, tmp_path: Path
) -> None:
    runtime = runtime_for(
        zygote,
        tmp_path,
        """
        import itertools
        def g(x):
            if x:
                return sum(itertools.count())  # C code: the worker's own timer never gets a say
            return x
        """,
    )
    try:
        # Answered call by call: the call before the stuck one is kept, the stuck one timed out, the one
        # after it is left to be made alone.
        outcomes = runtime.call_many(planned("g", [[0], [1], [0]], 0.3))
        assert [o.status for o in outcomes] == ["ok", "timeout"] and outcomes[0].value == 0
        # The worker was killed, and that was one try: the next call starts a new worker, the one after
        # a second time-out is not made.
        assert runtime.call("g", [0], timeout_s=0.3).value == 0
        assert runtime.call("g", [1], timeout_s=0.3).status == "timeout"
        assert "not called again" in runtime.call("g", [0], timeout_s=0.3).message
    finally:
        runtime.close()


def test_calls_of_several_functions_travel_together_in_order(zygote: Zygote, tmp_path: Path) -> None:
    """A batch may mix functions, each call with its own time limit; outcomes come back in order, hidden
    ones from the sealed twin with nothing but their values."""
    runtime = runtime_for(
        zygote,
        tmp_path,
        """
        def double(x):
            print("double", x)
            return 2 * x
        def boom(x):
            return 1 / x
        def spin(x):
            while x:
                pass
            return x
        """,
    )
    try:
        calls = [
            PlannedCall("double", (1,), 1.0),
            PlannedCall("boom", (0,), 1.0),
            PlannedCall("double", (3,), 1.0),
            PlannedCall("spin", (1,), 0.3),
            PlannedCall("double", (5,), 1.0),
        ]
        outcomes = runtime.call_many(calls)
        assert [o.status for o in outcomes] == ["ok", "exception", "ok", "timeout"]
        assert [outcomes[0].value, outcomes[2].value] == [2, 6]
        assert outcomes[1].error_type == "ZeroDivisionError"
        # The time-out counts against the function that ran out of time, and no other.
        assert runtime.call("double", [5], timeout_s=1.0).value == 10
        assert runtime.call_many([PlannedCall("double", (7,), 1.0), PlannedCall("spin", (0,), 0.3)]) == []
        hidden = runtime.call_many(
            [PlannedCall("double", (11,), 1.0), PlannedCall("boom", (0,), 1.0)], hidden=True
        )
        assert [o.value for o in hidden] == [22, None]
        assert hidden[1].status == "exception" and hidden[1].error_type == ""
        assert "11" not in runtime.captured().text
    finally:
        runtime.close()


def test_a_reload_does_not_print_the_notebook_again_nor_lose_what_calls_printed(
    zygote: Zygote, tmp_path: Path
) -> None:
    source = """
        import os
        print("loaded")

        def say(x):
            print("said", x)
            return x

        def die():
            os._exit(3)
        """
    runtime = runtime_for(zygote, tmp_path, source, full=True)
    try:
        assert runtime.call("say", [1], timeout_s=5).value == 1
        assert runtime.call("die", [], timeout_s=5).status == "crash"
        assert runtime.call("say", [2], timeout_s=5).value == 2
        assert runtime.call("die", [], timeout_s=5).status == "crash"
        assert runtime.call("say", [3], timeout_s=5).value == 3
        assert runtime.captured().text == "loaded\nsaid 1\nsaid 2\nsaid 3\n"
    finally:
        runtime.close()


def test_a_batch_stops_before_a_call_the_budget_could_not_hold(zygote: Zygote, tmp_path: Path) -> None:
    """With a budget, a batch runs whole however its calls' limits add up (here 10 × 5 s against 30 s)
    while each call still fits at its whole limit, with what it must leave for others (up to half the
    budget left). The first that would not is not started: the worker says so and stays, and the rest
    is the caller's to make."""
    source = """
        CALLS = []

        def count(x):
            CALLS.append(x)
            return len(CALLS)
        """
    runtime = runtime_for(zygote, tmp_path, source, deadline=time.monotonic() + 30.0)
    try:
        whole = runtime.call_many(planned("count", [[i] for i in range(10)], 5.0))
        assert [o.value for o in whole] == list(range(1, 11))
        cut = runtime.call_many(
            [
                PlannedCall("count", (10,), 1.0),
                PlannedCall("count", (11,), 20.0, reserve_s=1000.0),
                PlannedCall("count", (12,), 1.0),
            ]
        )
        assert [o.value for o in cut] == [11]
        # The same worker, which made none of the calls after the stop.
        assert runtime.call("count", [13], timeout_s=1.0).value == 12
        # A call that cannot start at all is left to the caller without asking the worker.
        assert runtime.call_many([PlannedCall("count", (14,), 20.0, reserve_s=1000.0)]) == []
        # What a call leaves for others is at most half the budget left.
        capped = runtime.call_many([PlannedCall("count", (15,), 1.0, reserve_s=1000.0)])
        assert [o.value for o in capped] == [13]
    finally:
        runtime.close()


def test_without_a_budget_a_batch_is_never_stopped(zygote: Zygote, tmp_path: Path) -> None:
    runtime = runtime_for(zygote, tmp_path, "def same(x):\n    return x\n")
    try:
        calls = [PlannedCall("same", (i,), 1.0, reserve_s=1000.0) for i in range(3)]
        assert [o.value for o in runtime.call_many(calls)] == [0, 1, 2]
    finally:
        runtime.close()


def test_a_batch_the_worker_cannot_stop_blames_the_call_that_hung(zygote: Zygote, tmp_path: Path) -> None:
    """Killed in the middle of a batch of several functions, the worker had answered every call before
    the one that hung: those are kept, that one timed out, and the others are made one by one."""
    runtime = runtime_for(
        zygote,
        tmp_path,
        """
        import itertools
        def fine(x):
            return x + 1
        def stuck(x):
            return sum(itertools.count())  # C code: the worker's own timer never gets a say
        """,
    )
    try:
        batch = [
            PlannedCall("fine", (1,), 0.3),
            PlannedCall("stuck", (0,), 0.3),
            PlannedCall("fine", (2,), 0.3),
        ]
        outcomes = runtime.call_many(batch)
        assert [o.status for o in outcomes] == ["ok", "timeout"] and outcomes[0].value == 2
        assert runtime.call("fine", [2], timeout_s=0.3).value == 3
        # That was one try of the stuck function (a second one is its last).
        assert runtime.call("stuck", [0], timeout_s=0.3).status == "timeout"
        assert "not called again" in runtime.call("stuck", [0], timeout_s=0.3).message
        assert runtime.call("fine", [5], timeout_s=0.3).value == 6
    finally:
        runtime.close()


def test_a_call_that_raises_still_reports_the_warnings_before_it(zygote: Zygote, tmp_path: Path) -> None:
    runtime = runtime_for(
        zygote,
        tmp_path,
        """
        import numpy as np

        def f(x):
            np.log(np.zeros(1))
            raise ValueError("then it failed")
        """,
    )
    try:
        outcome = runtime.call("f", [1], timeout_s=5)
        assert outcome.status == "exception" and outcome.error_type == "ValueError"
        assert outcome.warnings == ("RuntimeWarning: divide by zero encountered in log",)
    finally:
        runtime.close()


# --- what the worker counts as the student's functions, and the inert display libraries -----------------

CALLABLE_STYLES = """
import functools
import numpy as np

def medir(funcion):
    @functools.wraps(funcion)
    def envoltura(*args, **kwargs):
        return funcion(*args, **kwargs)
    return envoltura

def sin_wraps(funcion):
    def envoltura(*args):
        return funcion(*args)
    return envoltura

class Red:
    def __init__(self, escala):
        self.escala = escala

    @staticmethod
    def estatico(a, b):
        return a + b

    @classmethod
    def de_clase(cls, a, b=2):
        return a * b

    def ligado(self, a):
        return a * self.escala

    def __call__(self, x, y, *resto):
        return x - y

def _base(a, b, c, d=0):
    return a + b + c + d

@medir
def decorado(x, y):
    return x * y

@sin_wraps
def envuelto(x):
    return x

@functools.lru_cache(maxsize=None)
def memorizado(n):
    return n + 1

red = Red(3)
estatico = Red.estatico
de_clase = Red.de_clase
ligado = red.ligado
parcial = functools.partial(_base, 1, d=4)
llamable = red
sin_nombre = lambda z: z
vectorizado = np.vectorize(_base)
en_bruto = Red.__dict__["estatico"]
"""


def test_any_callable_bound_to_the_students_code_is_found_with_its_own_signature(
    zygote: Zygote, tmp_path: Path
) -> None:
    from grader.inprocess import InProcessStudent

    source = textwrap.dedent(CALLABLE_STYLES)
    runtime = runtime_for(zygote, tmp_path, source)
    lines = source.splitlines()

    def line_of(text: str) -> int:
        return lines.index(text) + 1

    try:
        assert runtime.report is not None
        found = runtime.report.functions
        assert set(found) == {
            *("medir", "sin_wraps", "_base", "decorado", "envuelto", "memorizado", "sin_nombre"),
            *("estatico", "de_clase", "ligado", "parcial", "llamable", "red", "vectorizado", "en_bruto"),
        }
        described = {name: (f.params, f.required, f.varargs, f.line) for name, f in found.items()}
        # A decorated function starts at its first decorator, as Python counts it.
        assert described["estatico"] == (("a", "b"), 2, False, line_of("    @staticmethod"))
        assert described["en_bruto"] == described["estatico"]
        # A bound method's self or cls is not the grader's to pass.
        assert described["de_clase"] == (("a", "b"), 1, False, line_of("    @classmethod"))
        assert described["ligado"] == (("a",), 1, False, line_of("    def ligado(self, a):"))
        call_line = line_of("    def __call__(self, x, y, *resto):")
        assert described["llamable"] == described["red"] == (("x", "y"), 2, True, call_line)
        # A partial's fixed arguments are left out; the function is where the student wrote _base.
        assert described["parcial"] == (("b", "c"), 2, False, line_of("def _base(a, b, c, d=0):"))
        assert described["memorizado"][:3] == (("n",), 1, False)
        assert described["decorado"][:3] == (("x", "y"), 2, False)
        assert found["decorado"].end_line == line_of("    return x * y")
        assert described["envuelto"] == ((), 0, True, line_of("    def envoltura(*args):"))
        assert described["vectorizado"][2:] == (True, line_of("def _base(a, b, c, d=0):"))
        # Called through the worker, each behaves as the student's code does.
        assert runtime.call("ligado", [2], timeout_s=5).value == 6
        assert runtime.call("de_clase", [3], timeout_s=5).value == 6
        assert runtime.call("parcial", [2, 3], timeout_s=5).value == 10
        assert runtime.call("llamable", [5, 2], timeout_s=5).value == 3
        assert runtime.call("decorado", [4, 5], timeout_s=5).value == 20
    finally:
        runtime.close()
    # Functions defined in the grader's own process are described the same way.
    assert InProcessStudent.from_source(source).functions() == dict(found)


def test_library_callables_are_never_the_students(zygote: Zygote, tmp_path: Path) -> None:
    runtime = runtime_for(
        zygote,
        tmp_path,
        """
        import functools, math
        import numpy as np
        from tqdm import tqdm
        suma = np.sum
        raiz = math.sqrt
        imprimir = print
        producto = functools.partial(np.dot, 2)
        raices = np.vectorize(math.sqrt)
        barra = tqdm
        Otra = type("Otra", (), {})
        class Propia:
            def metodo(self):
                return 1
        def propia():
            return 1
        """,
    )
    try:
        assert runtime.report is not None
        assert set(runtime.report.functions) == {"propia"}
    finally:
        runtime.close()


DISPLAY_LIBRARIES = """
import sys
import IPython
import matplotlib
import matplotlib.pyplot as plt
import seaborn as sns
import plotly.express as px
from tqdm.auto import tqdm, trange
from tqdm.notebook import tqdm as tqdm_notebook
from IPython.display import clear_output, display

def entrenar(n):
    vistos = []
    for i in tqdm(range(n), desc="épocas"):
        vistos.append(i)
    barra = tqdm_notebook(["a", "b"])
    for letra in barra:
        barra.set_description(letra)
        vistos.append(letra)
    vistos.extend(trange(1, n))
    fig, (izquierda, derecha) = plt.subplots(1, 2, figsize=(8, 3))
    (linea,) = izquierda.plot([1, 2])
    linea.set_color("red")
    for eje in plt.subplots(2, 2)[1].flat:
        eje.set_title("x")
    with plt.style.context("ggplot"):
        sns.lineplot(x=[1], y=[2], ax=derecha)
    px.line(y=[1, 2]).show()
    display(fig)
    clear_output(wait=True)
    plt.rcParams["figure.figsize"] = (3, 3)
    plt.pause(30)
    plt.show()
    real = [m.__version__ for m in (matplotlib, IPython)]
    return vistos, real, sorted(m for m in ("matplotlib", "seaborn", "tqdm", "plotly") if m in sys.modules)

def sin_importar(n):
    clear_output()
    plt.plot(range(n))
    sns.set_theme()
    return [*tqdm(range(n)), *trange(n)]
"""


def test_display_libraries_are_inert_and_imported_silently_in_the_worker(
    zygote: Zygote, tmp_path: Path
) -> None:
    """Whether installed (IPython is, in the grader's environment) or not (matplotlib, seaborn, tqdm,
    plotly), they import without a word and do nothing, quickly; progress bars pass their items through."""
    runtime = runtime_for(zygote, tmp_path, DISPLAY_LIBRARIES)
    try:
        assert runtime.report is not None
        assert [e for e in runtime.report.events if e.kind != "skipped"] == []
        outcome = runtime.call("entrenar", [3], timeout_s=5)
        assert outcome.status == "ok", outcome
        seen, versions, loaded = outcome.value
        assert seen == [0, 1, 2, "a", "b", 1, 2]
        assert versions == ["0 (inert stand-in)", "0 (inert stand-in)"]
        assert loaded == ["matplotlib", "plotly", "seaborn", "tqdm"]
        assert outcome.elapsed_s < 5
    finally:
        runtime.close()


def test_display_names_work_where_their_import_was_lost(zygote: Zygote, tmp_path: Path) -> None:
    source = DISPLAY_LIBRARIES.split("def sin_importar", 1)[1]
    runtime = runtime_for(zygote, tmp_path, "def sin_importar" + source)
    try:
        assert runtime.call("sin_importar", [2], timeout_s=5).value == [0, 1, 0, 1]
        # A name the student binds is theirs, whatever the stand-ins are called.
    finally:
        runtime.close()
    runtime = runtime_for(zygote, tmp_path, "plt = 'mío'\ndef cual():\n    return plt\n")
    try:
        assert runtime.call("cual", [], timeout_s=5).value == "mío"
    finally:
        runtime.close()


def test_answers_written_onto_the_channel_by_student_code_are_not_taken(
    zygote: Zygote, tmp_path: Path
) -> None:
    """A function that writes forged answers to the worker's channel gets neither its forgery taken for
    its own answer nor for the answer to the next call: only an answer with the request's token counts."""
    runtime = runtime_for(
        zygote,
        tmp_path,
        """
        import json, os, struct

        def forge():
            body = json.dumps({"status": "ok", "value": 999, "args_after": {"t": []},
                               "globals_after": {"d": {}}, "warnings": [], "elapsed_s": 0.0}).encode()
            for _ in range(3):
                os.write(3, struct.pack(">Q", len(body)) + body)
            return 1

        def honest():
            return 2
        """,
    )
    try:
        assert runtime.call("forge", [], timeout_s=5).value == 1
        assert runtime.call("honest", [], timeout_s=5).value == 2
    finally:
        runtime.close()
