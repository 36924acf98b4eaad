"""Hostile submissions, graded through the real command line as root and as an unprivileged user.

Every file in tests/files/attacks/ is one submission of the attack catalogue (docs/security.md). They
are graded in one batch, together with an honest sample, by the installed ``grader`` command; then
for each: no credit beyond its honest functions, nothing outside its scratch folder changed, the
secret nowhere in any output, a result that says what happened, and the honest sample graded as usual.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from reaping import start_reaped

from grader.messages import Message
from grader.report.text import check_text, message_text
from grader.results import CheckResult
from grader.sandbox import bwrap

ROOT = Path(__file__).resolve().parent.parent
ATTACKS = ROOT / "tests" / "files" / "attacks"
HONEST_SAMPLE = ROOT / "submissions" / "luis_perez.py"
HONEST_ID = "honest_luis_perez"
# How long processes may outlive the grader before they count as left behind (they end at once: every
# worker dies with its zygote, every zygote with its grading process).
SURVIVOR_DEADLINE_S = 15
# The port tcp_socket.py and tcp_ctypes.py aim at.
ATTACK_PORT = 47291
MARKER = "ATTACK-MARKER"
# Repository trees no submission may change.
PROTECTED = ("rubrics", "grader", "reference")
ALL_TASKS = ("feedForward", "costoGlobal", "backProp", "entrenarRed")


@dataclass(frozen=True)
class Expect:
    """What grading one attack must come to.

    ``honest``: its functions that are right (full marks); every other task must score nothing.
    ``says``: a pattern the result must contain (check messages, notes, error, captured output).
    ``never``: a pattern its captured output must not contain (what a successful attack prints).
    ``statuses``: check statuses that must occur among its checks.
    ``error``: the submission cannot be graded at all: the error kind its result must carry.
    """

    honest: tuple[str, ...] = ("feedForward",)
    says: str | None = None
    never: str | None = None
    statuses: tuple[str, ...] = ()
    error: str | None = None


EXPECTED: dict[str, Expect] = {
    "forge_stdout": Expect(says=r'"score": 100, "status": "pass"'),
    "exit_mid_call": Expect(says=r"worker process died"),
    "monkeypatch_numpy": Expect(says=r"backProp"),
    "ndarray_subclass": Expect(says=r"shape"),
    "object_array": Expect(says=r"object"),
    "pickle_payload": Expect(says=r"bytes|str"),
    "huge_result": Expect(says=r"at most 64 MiB may be returned"),
    "print_300mib": Expect(says=r"output cut: only the first 64 KiB"),
    "read_secret_env": Expect(says=r"secret: no secret in my environment"),
    "proc_parent": Expect(says=r"ptrace attach: -1 1\b", never=r"FOUND"),
    "frame_walk": Expect(says=r"no answers in memory"),
    "answer_key": Expect(says=r"No module named 'reference'|no reference solution"),
    "read_other_files": Expect(says=r"files read: 0", never=r"READ /"),
    "overwrite_submission": Expect(says=r"damaged: 0", never=r"WRITABLE"),
    "delete_output": Expect(says=r"removed: \[\]"),
    "daemon_double_fork": Expect(says=r"could not start the daemon: \[Errno 1\] Operation not permitted"),
    "fork_bomb": Expect(says=r"Operation not permitted"),
    "thread_bomb": Expect(says=r"can't start new thread|did not finish|memory", statuses=()),
    "memory_bomb": Expect(says=r"out of memory: a submission may use at most \d+ MiB"),
    "cpu_loop": Expect(statuses=("timeout",)),
    "sleep_forever": Expect(statuses=("timeout",)),
    "fill_disk": Expect(says=r"No space left on device|File too large|Permission denied"),
    "tcp_socket": Expect(says=r"reached: \[\]"),
    "tcp_ctypes": Expect(says=r"connect: -1"),
    "unix_socket": Expect(says=r"reached: \[\]"),
    # Refused either when the process is started (seccomp) or already when its native module is loaded
    # (where nothing the worker can write may be mapped as code, native loading is denied outright).
    "subprocess_shell": Expect(says=r"Operation not permitted|failed to map segment", never=r"RAN "),
    "native_so": Expect(says=r"attack-marker-evil\.so ->", never=r"LOADED"),
    "kill_parent": Expect(says=r"Operation not permitted", never=r"KILLED"),
    "sysv_ipc": Expect(says=r"ipc: \[1, 1, 1, 1\]", never=r"IPC CREATED"),
    "sched_others": Expect(says=r"sched: \[1(, 1)*\]", never=r"RESCHEDULED"),
    # Hidden inputs carried out through every channel but the return value: the public material of two
    # runs with two secrets is compared below; here, that the hidden cases say nothing of the failure.
    "hidden_stash": Expect(says=r"STASH"),
    "hidden_side_channels": Expect(says=r"raised an exception \(hidden cases do not show which or where"),
    "slow_everything": Expect(says=r"used up its total time", statuses=("timeout",)),
    "malformed_replies": Expect(says=r"worker process died|unreadable answer"),
    "malformed_load": Expect(honest=(), error="load_crash", says=r"unreadable|worker"),
    "sudo_root": Expect(says=r"Operation not permitted|failed to map segment", never=r"BECAME ROOT"),
    "input_top_level": Expect(says=r"input\(\) is not available while grading"),
    "cell_never_ends": Expect(honest=("feedForward", "costoGlobal"), says=r"took too long"),
    "channel_forgery": Expect(says=r"worker process died|unreadable answer"),
}


def _attack_ids() -> list[str]:
    return sorted(p.stem for p in ATTACKS.iterdir() if p.suffix in (".py", ".ipynb"))


# Files no grader may read on a submission's behalf: links to them, and special files, are laid into
# the batch as submissions (id -> what it is). Made at run time: a link to /proc in the repository
# would be followed by every tool that walks it.
INSTRUCTOR_FILE = "tg-attack-instructor-notes.txt"
PLANTED: dict[str, str] = {
    "link_environ": "symlink",
    "link_shadow": "symlink",
    "link_reference": "symlink",
    "link_classmate": "symlink",
    "link_instructor_file": "symlink",
    "link_folder": "symlink",
    "fifo_module": "special_file",
}


def _plant_links(batch: Path, base: Path, secret: str) -> None:
    """Links and special files in the batch, as an LMS download or a cloned repository can hold them."""
    notes = base / INSTRUCTOR_FILE
    notes.write_text(f"{MARKER} instructor notes {secret}\n")
    (batch / "link_environ.py").symlink_to("/proc/self/environ")
    (batch / "link_shadow.py").symlink_to("/etc/shadow")
    (batch / "link_reference.py").symlink_to(ROOT / "reference" / "xor.py")
    (batch / "link_classmate.py").symlink_to(batch / f"{HONEST_ID}.py")
    (batch / "link_instructor_file.ipynb").symlink_to(notes)
    (batch / "link_folder").symlink_to(ROOT / "reference")
    os.mkfifo(batch / "fifo_module.py")
    # A folder that is honest but for what it links to: graded on its own file only, and told why.
    folder = batch / "links_inside"
    folder.mkdir()
    shutil.copy(HONEST_SAMPLE, folder / "taller.py")
    (folder / "solucion.py").symlink_to(ROOT / "reference" / "xor.py")
    (folder / "secreto.py").symlink_to("/proc/self/environ")
    (folder / "referencia").symlink_to(ROOT / "reference")
    os.mkfifo(folder / "tuberia.py")


def test_every_attack_file_has_an_expectation() -> None:
    assert set(_attack_ids()) == set(EXPECTED)


# --- the batch -------------------------------------------------------------------------------------


@dataclass
class Listener:
    """A TCP, Unix-path and abstract Unix listener that records whoever connects."""

    folder: Path
    connections: list[str] = field(default_factory=list)
    sockets: list[socket.socket] = field(default_factory=list)

    def start(self) -> None:
        # The fixed port and abstract name may be taken (another run of these tests): then the attacks
        # only meet closed doors there, and the Unix socket in this run's own folder still listens.
        self._listen(socket.AF_INET, ("127.0.0.1", ATTACK_PORT))
        self._listen(socket.AF_UNIX, "\0tg-attack-abstract")
        path = self.folder / "listener.sock"
        self._listen(socket.AF_UNIX, str(path))
        path.chmod(0o777)

    def _listen(self, family: int, address: str | tuple[str, int]) -> bool:
        server = socket.socket(family, socket.SOCK_STREAM)
        try:
            if family == socket.AF_INET:
                server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind(address)
            server.listen()
        except OSError:
            server.close()
            return False
        server.settimeout(0.2)
        self.sockets.append(server)
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()
        return True

    def _accept(self, server: socket.socket) -> None:
        while server.fileno() != -1:
            try:
                connection, address = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(repr(address) or repr(server.getsockname()))
            connection.close()

    def stop(self) -> None:
        for server in self.sockets:
            server.close()


@dataclass
class Batch:
    """One graded batch: what the command printed, the results, and the trees before and after."""

    user: str
    returncode: int
    stdout: str
    stderr: str
    results: dict[str, Any]
    out: Path
    secret: str
    changed: dict[str, list[str]]
    leftovers: list[str]
    connections: list[str]

    def submission(self, submission_id: str) -> dict[str, Any]:
        (found,) = [s for s in self.results["submissions"] if s["id"] == submission_id]
        return found


def _tree_hashes(root: Path) -> dict[str, str]:
    hashes = {}
    for path in sorted(root.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file() or path.is_symlink():
            continue
        hashes[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def _changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def _reduced_rubric(target: Path) -> Path:
    """The xor rubric with short time limits, a short budget per submission and one hidden case: the
    attacks wait out every limit."""
    text = "budget_s = 10.0\n" + (ROOT / "rubrics" / "xor.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(\s*)timeout_s = [\d.]+", r"\g<1>timeout_s = 1.0", text)
    text = re.sub(r"(?m)^count = \d+", "count = 1", text)
    target.write_text(text, encoding="utf-8")
    return target


def _markers_under(folder: Path) -> list[str]:
    """Files an attack managed to leave behind (named or filled with the marker), a few levels deep."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        if Path(dirpath).relative_to(folder).parts.__len__() >= 3:
            dirnames[:] = []
        for name in filenames:
            if "attack-marker" in name.lower():
                found.append(os.path.join(dirpath, name))
    return found


# The key sysv_ipc.py gives every object it tries to make ("ATKM").
IPC_KEY = 0x41544B4D


def _ipc_objects_left() -> list[str]:
    """SysV IPC objects carrying the attack's key, and a POSIX queue named after the marker."""
    found = []
    for kind in ("shm", "msg", "sem"):
        table = Path("/proc/sysvipc") / kind
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            if fields and int(fields[0]) == IPC_KEY:
                found.append(f"sysv {kind}: {line}")
    if Path("/dev/mqueue/ATTACK-MARKER").exists():
        found.append("posix message queue /ATTACK-MARKER")
    return found


@dataclass(frozen=True)
class RunAs:
    """Who runs the command: the invoking user, or a throwaway unprivileged account."""

    name: str
    uid: int
    gid: int
    prefix: tuple[str, ...] = ()


def _interpreter_blocked_by(uid: int, gid: int) -> Path | None:
    """The first folder on the way to the Python installation that ``uid`` may not pass through."""
    for target in {Path(sys.base_prefix), Path(sys.prefix), ROOT}:
        for folder in [*reversed(target.parents), target]:
            info = folder.stat()
            if info.st_uid == uid:
                allowed = info.st_mode & 0o100
            elif info.st_gid == gid:
                allowed = info.st_mode & 0o010
            else:
                allowed = info.st_mode & 0o001
            if not allowed:
                return folder
    return None


def _as_user_prefix(user: RunAs, stage: Path) -> tuple[str, ...]:
    """Run a command as ``user``; when the Python installation sits in a folder closed to it (e.g. under
    /root), show it that installation in a mount namespace of the command's own (nothing changes on the
    machine)."""
    drop = ("setpriv", f"--reuid={user.uid}", f"--regid={user.gid}", "--clear-groups", "--")
    blocked = _interpreter_blocked_by(user.uid, user.gid)
    if blocked is None:
        return drop
    inner = Path(sys.base_prefix)
    child = blocked / inner.relative_to(blocked).parts[0]
    script = (
        "set -e; mount --make-rprivate /; "
        f'mount --bind "{child}" "{stage}"; '
        f'mount -t tmpfs -o mode=0755 tmpfs "{blocked}"; '
        f'mkdir -p "{child}"; mount --bind "{stage}" "{child}"; '
        'exec "$@"'
    )
    return ("unshare", "--mount", "--", "sh", "-c", script, "sh", *drop)


@contextlib.contextmanager
def _throwaway_user() -> Iterator[RunAs]:
    name = f"tg-sandbox-{secrets.token_hex(3)}"
    created = subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "--user-group", name],
        capture_output=True,
        text=True,
        check=False,
    )
    if created.returncode != 0:
        pytest.skip(f"cannot create a throwaway user: {created.stderr.strip()}")
    entry = pwd.getpwnam(name)
    try:
        yield RunAs(name, entry.pw_uid, entry.pw_gid)
    finally:
        # Whatever the user's run left was killed and reaped by the subreaper it ran under.
        subprocess.run(["userdel", name], check=False, capture_output=True)


def _grade_batch(grader_command: list[str], user: RunAs) -> Batch:
    base = Path(tempfile.mkdtemp(prefix="tg-sandbox-"))
    try:
        return _grade_batch_in(base, grader_command, user)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _grade_batch_in(base: Path, grader_command: list[str], user: RunAs) -> Batch:
    base.chmod(0o755)
    batch = base / "tg-attack-batch"
    out = base / "tg-attack-out"
    stage = base / "stage"
    for folder in (batch, out, stage):
        folder.mkdir()
    for path in ATTACKS.iterdir():
        if path.suffix in (".py", ".ipynb"):
            shutil.copy(path, batch / path.name)
    shutil.copy(HONEST_SAMPLE, batch / f"{HONEST_ID}.py")
    (out / "tg-sentinel.txt").write_text("kept as it is\n")
    rubric = _reduced_rubric(base / "xor_short.toml")
    secret = secrets.token_hex(16)
    _plant_links(batch, base, secret)
    if user.uid != os.getuid():
        for path in [base, *base.rglob("*")]:
            os.chown(path, user.uid, user.gid, follow_symlinks=False)
    listener = Listener(base)
    listener.start()
    before = {
        "submissions": _tree_hashes(batch),
        "output": _tree_hashes(out),
        **{name: _tree_hashes(ROOT / name) for name in PROTECTED},
    }
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(base),
        "GRADER_SECRET": secret,
    }
    prefix = _as_user_prefix(user, stage) if user.uid != os.getuid() else ()
    command = [*prefix, *grader_command, "grade", str(batch), "--out", str(out), "--rubric", str(rubric)]
    # Through a child subreaper: every process the run leaves, whatever session or uid it moved to, is
    # reparented to it and waited for; what is still alive a while after the grader ended is listed.
    process = start_reaped([*command, "--jobs", "2", "--lang", "en"], deadline=SURVIVOR_DEADLINE_S, env=env)
    try:
        report_text, output = process.communicate(timeout=600)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    listener.stop()
    report = json.loads(report_text.strip().splitlines()[-1])
    results_file = out / "results.json"
    results = json.loads(results_file.read_text(encoding="utf-8")) if results_file.exists() else {}
    after = {
        "submissions": _tree_hashes(batch),
        "output": {k: v for k, v in _tree_hashes(out).items() if k in before["output"]},
        **{name: _tree_hashes(ROOT / name) for name in PROTECTED},
    }
    leftovers = _markers_under(base) + _markers_under(Path(tempfile.gettempdir())) + _ipc_objects_left()
    leftovers += [f"{p['pid']} {p['cmdline']}" for p in report["survivors"]]
    return Batch(
        user=user.name,
        returncode=int(report["returncode"]),
        # The subreaper passes on the grader's standard output and error together.
        stdout=output,
        stderr=output,
        results=results,
        out=out,
        secret=secret,
        changed={name: _changes(before[name], after[name]) for name in before},
        leftovers=leftovers,
        connections=listener.connections,
    )


# The real command line with bubblewrap out of sight: the layers that remain must hold on their own.
WITHOUT_BWRAP = (
    "import sys; import grader.sandbox.bwrap as bwrap; bwrap.CANDIDATES = (); "
    "from grader.cli import main; sys.exit(main())"
)


@pytest.fixture(scope="module", params=["invoking-user", "invoking-user-without-bwrap", "unprivileged-user"])
def batch(request: pytest.FixtureRequest, grader_command: list[str]) -> Iterator[Batch]:
    me = pwd.getpwuid(os.getuid())
    if request.param == "invoking-user":
        yield _grade_batch(grader_command, RunAs(me.pw_name, me.pw_uid, me.pw_gid))
        return
    if request.param == "invoking-user-without-bwrap":
        if bwrap.find() is None:
            pytest.skip("bubblewrap is not installed: the invoking user's run already went without it")
        command = [sys.executable, "-c", WITHOUT_BWRAP]
        graded = _grade_batch(command, RunAs(me.pw_name, me.pw_uid, me.pw_gid))
        assert "bwrap" not in graded.results.get("run", {}).get("sandbox", ())
        yield graded
        return
    if os.geteuid() != 0:
        pytest.skip("not root: the invoking user is already unprivileged, and no other user can be made")
    with _throwaway_user() as user:
        graded = _grade_batch(grader_command, user)
        # The results are read; the folders went with the batch. Keep nothing of the user's around.
        yield graded


# --- what must hold for the batch as a whole ------------------------------------------------------


@pytest.mark.slow
def test_the_batch_completes_with_every_submission(batch: Batch) -> None:
    assert batch.returncode == 0, batch.stderr[-3000:]
    ids = {s["id"] for s in batch.results["submissions"]}
    assert ids == {*_attack_ids(), *PLANTED, "links_inside", HONEST_ID}


@pytest.mark.slow
def test_no_submission_is_the_graders_internal_error(batch: Batch) -> None:
    """Everything a hostile submission does is that submission's problem, never a failure of the grader."""
    kinds = {s["id"]: s["error"]["kind"] for s in batch.results["submissions"] if s.get("error")}
    assert "internal_error" not in kinds.values(), kinds


@pytest.mark.slow
@pytest.mark.parametrize("planted", sorted(PLANTED))
def test_links_and_special_files_are_reported_and_never_read(batch: Batch, planted: str) -> None:
    result = batch.submission(planted)
    assert result["status"] == "error" and result["error"]["kind"] == PLANTED[planted], result
    assert result["score"] == 0 and result["tasks"] == []
    assert result["output"] == ""
    text = _text_of(result)
    assert batch.secret not in text and MARKER not in text and "PATH=" not in text and "root:" not in text
    said = _said(result["error"]["message"])
    assert "link" in said or "regular file" in said


@pytest.mark.slow
def test_a_folder_is_graded_on_its_own_files_and_told_what_was_not_read(batch: Batch) -> None:
    result = batch.submission("links_inside")
    assert result["status"] == "graded"
    assert result["score"] == result["max_score"], result["tasks"]
    notes = "\n".join(_said(note) for note in result["notes"])
    for name in ("solucion.py", "secreto.py", "referencia"):
        assert f"{name} is a symbolic link and is not read" in notes
    assert "tuberia.py is not a regular file" in notes


@pytest.mark.slow
def test_the_run_records_its_sandbox_layers(batch: Batch) -> None:
    layers = set(batch.results["run"]["sandbox"])
    assert {"worker-process", "scrubbed-env", "rlimits", "no-new-privs", "seccomp"} <= layers
    assert "unsafe" not in layers
    if os.geteuid() == 0 and batch.user == "root":
        assert "uid-drop" in layers


@pytest.mark.slow
def test_the_honest_sample_is_graded_normally(batch: Batch) -> None:
    honest = batch.submission(HONEST_ID)
    assert honest["status"] == "graded"
    for task in honest["tasks"]:
        assert task["score"] == task["max_score"], task


@pytest.mark.slow
@pytest.mark.parametrize("tree", ["submissions", "output", *PROTECTED])
def test_nothing_outside_the_scratch_folders_changed(batch: Batch, tree: str) -> None:
    assert batch.changed[tree] == []


@pytest.mark.slow
def test_nothing_is_left_behind(batch: Batch) -> None:
    assert batch.leftovers == []


@pytest.mark.slow
def test_no_connection_got_out(batch: Batch) -> None:
    assert batch.connections == []


@pytest.mark.slow
def test_the_secret_appears_in_no_output(batch: Batch) -> None:
    assert batch.secret not in batch.stdout
    assert batch.secret not in batch.stderr
    assert MARKER not in batch.stdout + batch.stderr
    for path in batch.out.rglob("*") if batch.out.exists() else ():
        if path.is_file():
            assert batch.secret not in path.read_text(encoding="utf-8", errors="replace"), path
    assert batch.secret not in json.dumps(batch.results)
    assert "instructor notes" not in json.dumps(batch.results)


# --- what must hold for each attack ----------------------------------------------------------------


def _said(message: dict[str, Any]) -> str:
    """A message of results.json in the words of the run's language (English)."""
    return message_text(Message.from_json(message), "en")


def _check_text(check: dict[str, Any]) -> str:
    return check_text(CheckResult.from_json(check), "en")


def _text_of(result: dict[str, Any]) -> str:
    parts = [
        result.get("output", ""),
        *(_said(note) for note in result.get("output_notes", [])),
        *(_said(note) for note in result.get("notes", [])),
    ]
    if result.get("error"):
        parts.append(_said(result["error"]["message"]))
    for task in result.get("tasks", []):
        parts.extend(_said(note) for note in task.get("notes", []))
        parts.extend(_check_text(c) for c in task["checks"])
    return "\n".join(parts)


@pytest.mark.slow
@pytest.mark.parametrize("attack", sorted(EXPECTED))
def test_attack_earns_nothing_and_says_what_happened(batch: Batch, attack: str) -> None:
    expect = EXPECTED[attack]
    result = batch.submission(attack)
    if expect.error is not None:
        assert result["status"] == "error" and result["error"]["kind"] == expect.error, result
        assert result["score"] == 0
        if expect.says:
            assert re.search(expect.says, _text_of(result)), _text_of(result)
        return
    assert result["status"] == "graded", result.get("error")
    tasks = {t["id"]: t for t in result["tasks"]}
    for task_id in ALL_TASKS:
        task = tasks[task_id]
        if task_id in expect.honest:
            assert task["score"] == task["max_score"], (task_id, task["checks"])
        else:
            assert task["score"] == 0, (task_id, task["checks"])
        for check in task["checks"]:
            if check["status"] != "pass":
                assert _check_text(check).strip(), (task_id, check)
    text = _text_of(result)
    if expect.says:
        assert re.search(expect.says, text), text[-4000:]
    if expect.never:
        assert not re.search(expect.never, result.get("output", "")), result.get("output", "")[-4000:]
    statuses = {c["status"] for t in result["tasks"] for c in t["checks"]}
    assert set(expect.statuses) <= statuses, statuses


# --- hidden inputs: the same submissions under two secrets ------------------------------------------

LEAKS = ("hidden_stash", "hidden_side_channels", "malformed_replies")


@dataclass(frozen=True)
class LeakRun:
    secret: str
    results: dict[str, Any]
    texts: str  # every file written to --out, and what the command printed
    rubric: Path


@pytest.fixture(scope="module")
def leak_runs(grader_command: list[str], tmp_path_factory: pytest.TempPathFactory) -> list[LeakRun]:
    """The attacks that try to carry hidden inputs out, graded twice (every report format) with two
    secrets: whatever differs between the two runs' student-visible material came from hidden inputs."""
    base = tmp_path_factory.mktemp("tg-leaks")
    batch = base / "tg-attack-batch"
    batch.mkdir()
    for name in LEAKS:
        shutil.copy(ATTACKS / f"{name}.py", batch / f"{name}.py")
    shutil.copy(HONEST_SAMPLE, batch / f"{HONEST_ID}.py")
    rubric = _reduced_rubric(base / "xor_short.toml")
    runs = []
    for index in range(2):
        secret = secrets.token_hex(16)
        out = base / f"out{index}"
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "GRADER_SECRET": secret}
        command = [*grader_command, "grade", str(batch), "--out", str(out), "--rubric", str(rubric)]
        done = subprocess.run(
            [*command, "--jobs", "1", "--lang", "en", "--format", "all", "--quiet"],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        files = [
            p.read_text(encoding="utf-8", errors="replace") for p in sorted(out.rglob("*")) if p.is_file()
        ]
        results = json.loads((out / "results.json").read_text(encoding="utf-8"))
        runs.append(LeakRun(secret, results, "\n".join([*files, done.stdout, done.stderr]), rubric))
    return runs


def _student_visible(result: dict[str, Any]) -> dict[str, Any]:
    """A result without what legitimately differs from run to run (times; lines a thread printed, whose
    number depends on scheduling)."""
    output = "\n".join(line for line in result["output"].splitlines() if not line.startswith("THREAD"))
    tasks = [{k: v for k, v in task.items() if k != "duration_s"} for task in result["tasks"]]
    return {**{k: v for k, v in result.items() if k != "duration_s"}, "output": output, "tasks": tasks}


@pytest.mark.slow
@pytest.mark.parametrize("attack", [*LEAKS, HONEST_ID])
def test_nothing_student_visible_depends_on_the_hidden_inputs(leak_runs: list[LeakRun], attack: str) -> None:
    first, second = (next(s for s in run.results["submissions"] if s["id"] == attack) for run in leak_runs)
    assert _student_visible(first) == _student_visible(second)


def _hidden_digits(run: LeakRun) -> set[str]:
    """Ten digits of every non-round number of the run's hidden cases, as any printing would show them."""
    from grader.cases import make_cases
    from grader.workshop import load_rubric

    cases = make_cases(load_rubric(run.rubric), secret=run.secret)
    digits = set()
    for case in cases.hidden:
        for value in case.values.values():
            for number in np.ravel(np.asarray(value, dtype=float)):
                fraction = f"{abs(number):.12f}".split(".")[1][:10]
                if len(set(fraction)) > 3:
                    digits.add(fraction)
    return digits


@pytest.mark.slow
def test_no_hidden_input_appears_in_any_output(leak_runs: list[LeakRun]) -> None:
    for run in leak_runs:
        digits = _hidden_digits(run)
        assert digits, "the reduced rubric has hidden cases with numbers in them"
        found = sorted(d for d in digits if d in run.texts)
        assert not found, found[:5]
