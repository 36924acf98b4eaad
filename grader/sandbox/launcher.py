"""The grader's side of the sandbox: start the zygote, get workers from it, talk to them, kill them."""

from __future__ import annotations

import json
import mmap
import os
import secrets
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np

import grader
from grader.errors import GraderError
from grader.sandbox import bwrap, layers
from grader.sandbox.layers import Hardening
from grader.sandbox.limits import Limits
from grader.sandbox.protocol import PROGRESS, ProtocolError, receive_message, send_message

# Variables a worker may see. Everything else (GRADER_SECRET, tokens, CI variables) is left out.
_PASSED_ENV = ("PATH", "LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "TZ")
START_TIMEOUT_S = 60.0
# How often a stalled worker is looked for while an answer is awaited.
STALL_POLL_S = 0.25
# Listed among the sandbox layers of a run that went ahead without any isolation (--unsafe).
UNSAFE = "unsafe"
MAX_HELLO = 64 * 1024
# Answers that carry no current request's token, dropped before the worker is given up for broken.
MAX_STALE_ANSWERS = 16

# Answers a worker's request for a reference helper: (request header, arrays) -> (reply header, arrays).
HelperDesk = Callable[[dict[str, Any], list[np.ndarray]], tuple[dict[str, Any], list[np.ndarray]]]


class SandboxUnavailable(GraderError):
    """No layer that isolates student code could be set up: grading it here is refused."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        reasons = "; ".join(f"{layer}: {why}" for layer, why in sorted(problems.items()))
        super().__init__(
            "no sandbox layer isolating student code could be set up on this machine"
            f" ({reasons or 'none available'}). Refusing to run untrusted code: pass --unsafe to grade"
            " anyway, only for code you trust."
        )


class WorkerTimeout(Exception):
    """The worker did not answer in time; it has been killed."""


class WorkerDied(Exception):
    """The worker's channel closed or carried garbage; it has been killed."""


class ZygoteFailed(GraderError):
    """The zygote could not be started: nothing can be graded until that is fixed."""


def worker_environment() -> dict[str, str]:
    env = {name: os.environ[name] for name in _PASSED_ENV if name in os.environ}
    env.setdefault("PATH", "/usr/bin:/bin")
    env.update(
        {
            "HOME": "/nonexistent",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONHASHSEED": "0",
            "MPLBACKEND": "Agg",
            # One BLAS thread per worker: --jobs decides the parallelism, and RLIMIT_AS counts thread stacks.
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
        }
    )
    return env


class Zygote:
    """A warm process that forks workers on request. Start it before reading any secret.

    ``scratch_root``: the folder under which the grader makes each worker's scratch folder (needed
    to run the zygote in bubblewrap, where only that folder of the grader's is visible).
    ``hardening``: which sandbox layers to try; :attr:`sandbox` says which are active.
    ``wait``: whether to wait here for the zygote's hello (which layers it set up). Without waiting, the
    process is launched and the hello is awaited where it is first needed (:attr:`sandbox`,
    :attr:`isolated`, :attr:`problems`, :meth:`spawn`), so that the grader's own start-up goes on while
    the zygote starts; a zygote that cannot start raises :class:`ZygoteFailed` there.
    """

    def __init__(
        self, *, scratch_root: Path | None = None, hardening: Hardening | None = None, wait: bool = True
    ) -> None:
        self.hardening = hardening or Hardening()
        self.scratch_root = scratch_root
        self._problems: dict[str, str] = {}
        self._lock = threading.Lock()
        # Held while the hello is awaited: the first thread that needs the zygote waits, the others after it.
        self._starting = threading.Lock()
        self._layers: tuple[str, ...] | None = None
        self._failure: ZygoteFailed | None = None
        self._errors: IO[bytes] | None = None
        self._in_bwrap = False
        if scratch_root is not None and os.geteuid() == 0:
            # Workers run as other uids: they must be able to pass through (not list) the scratch root.
            os.chmod(scratch_root, 0o711)
        program = bwrap.find() if self.hardening.bwrap else None
        if self.hardening.bwrap and program is None:
            self._problems[layers.BWRAP] = "bubblewrap is not installed"
        elif program is not None and scratch_root is None:
            self._problems[layers.BWRAP] = "no scratch folder to share with the sandbox"
        if program is not None and scratch_root is not None:
            try:
                self._launch(scratch_root, program)
                self._in_bwrap = True
            except ZygoteFailed as exc:
                self._problems[layers.BWRAP] = str(exc)
        if not self._in_bwrap:
            self._launch(scratch_root, None)
        if wait:
            self._ready()

    @property
    def sandbox(self) -> tuple[str, ...]:
        """The layers around every worker, by name (for the results)."""
        active = self._ready()
        return (*layers.ALWAYS, *active, *((layers.BWRAP,) if self._in_bwrap else ()))

    @property
    def isolated(self) -> bool:
        """Whether at least one layer keeps student code away from files, processes or the network."""
        return bool(set(self.sandbox) & layers.ISOLATION)

    @property
    def problems(self) -> dict[str, str]:
        """Why each layer that is not active is not, by layer name."""
        self._ready()
        return self._problems

    def _launch(self, scratch_root: Path | None, program: str | None) -> None:
        """Start the zygote's process (in bubblewrap when ``program`` is given); :meth:`_ready` reads its
        hello."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        options = {
            "hardening": self.hardening.to_json(),
            "scratch_root": str(scratch_root) if scratch_root is not None else None,
            "grader_pid": os.getpid(),
        }
        argv = [
            sys.executable,
            "-I",
            "-m",
            "grader.sandbox.zygote",
            str(theirs.fileno()),
            json.dumps(options),
        ]
        if program is not None:
            readable = [*layers.readable_paths(scratch_root=scratch_root), str(Path(grader.__file__).parent)]
            argv = bwrap.command(
                program,
                argv,
                readable=readable,
                writable=[str(scratch_root)] if scratch_root is not None else [],
                as_root=os.geteuid() == 0,
            )
        # bubblewrap says why it cannot work on its standard error: kept, to explain the fallback, until the
        # hello is read (closed there, or by close).
        errors = tempfile.TemporaryFile() if program is not None else None  # noqa: SIM115
        try:
            self._process = subprocess.Popen(
                argv,
                pass_fds=(theirs.fileno(),),
                env=worker_environment(),
                stdin=subprocess.DEVNULL,
                stderr=errors,
                cwd="/",
            )
        except OSError as exc:
            ours.close()
            if errors is not None:
                errors.close()
            raise ZygoteFailed(str(exc)) from None
        finally:
            theirs.close()
        self._control = ours
        self._errors = errors

    def _ready(self) -> tuple[str, ...]:
        """The layers the zygote set up, its hello awaited the first time. A zygote in bubblewrap that does
        not start is replaced by one without it, as when bubblewrap cannot be launched at all."""
        with self._starting:
            if self._failure is not None:
                raise self._failure
            if self._layers is None:
                try:
                    try:
                        report = self._hello()
                    except ZygoteFailed as exc:
                        if not self._in_bwrap:
                            raise
                        self._in_bwrap = False
                        self._problems[layers.BWRAP] = str(exc)
                        self._launch(self.scratch_root, None)
                        report = self._hello()
                except ZygoteFailed as exc:
                    self._failure = exc
                    raise
                self._problems.update({str(k): str(v) for k, v in report.get("failed", {}).items()})
                self._layers = tuple(str(layer) for layer in report.get("layers", ()))
            return self._layers

    def _hello(self) -> Any:
        """What the zygote just launched says once it has started, or ZygoteFailed saying why it did not."""
        errors, self._errors = self._errors, None
        try:
            self._control.settimeout(START_TIMEOUT_S)
            hello = self._control.recv(MAX_HELLO)
            self._control.settimeout(None)
            if not hello:
                raise ZygoteFailed(_exit_message(self._process, errors))
            return json.loads(hello)
        except (OSError, ValueError) as exc:
            self._stop()
            raise ZygoteFailed(f"the sandbox zygote did not start ({exc})") from None
        except ZygoteFailed:
            self._stop()
            raise
        finally:
            if errors is not None:
                errors.close()

    def spawn(self, *, workdir: Path, output: Path, limits: Limits) -> WorkerProcess:
        """A new worker whose scratch folder starts as a copy of ``workdir`` (inside the scratch root)."""
        self._ready()
        if self.scratch_root is not None and not workdir.resolve().is_relative_to(
            self.scratch_root.resolve()
        ):
            raise ValueError(f"{workdir} is not inside the sandbox's scratch folder {self.scratch_root}")
        channel, remote = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        output_fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        progress_fd = os.memfd_create("progress", os.MFD_CLOEXEC)
        os.ftruncate(progress_fd, PROGRESS.size)
        progress = mmap.mmap(progress_fd, PROGRESS.size)
        request = {"op": "spawn", "workdir": str(workdir), "limits": limits.to_json()}
        try:
            with self._lock:
                socket.send_fds(
                    self._control, [json.dumps(request).encode()], [remote.fileno(), output_fd, progress_fd]
                )
                reply = self._control.recv(4096)
        finally:
            remote.close()
            os.close(output_fd)
            os.close(progress_fd)
        if not reply:
            channel.close()
            raise RuntimeError("the sandbox zygote exited; see the messages above")
        pid = int(json.loads(reply)["pid"])
        return WorkerProcess(pid=pid, channel=channel, limits=limits, zygote=self, progress=progress)

    def kill_worker(self, pid: int) -> None:
        """Kill a worker with everything it started (the zygote knows it by pid; the grader may not)."""
        try:
            with self._lock:
                self._control.send(json.dumps({"op": "kill", "pid": pid}).encode())
        except OSError:
            pass

    def close(self) -> None:
        if self._layers is None and self._failure is None:
            # Still starting, its hello unread (the run stopped before it needed the zygote). Left to run on,
            # it would only fail to send the hello, and say so on the grader's standard error.
            self._process.kill()
        if self._errors is not None:
            self._errors.close()
        self._control.close()
        self._stop()

    def _stop(self) -> None:
        self._control.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def _exit_message(process: subprocess.Popen[bytes], errors: IO[bytes] | None) -> str:
    code = process.wait()
    text = ""
    if errors is not None:
        errors.seek(0)
        text = errors.read(2000).decode("utf-8", errors="replace").strip()
    return text or f"the sandbox zygote exited with status {code}"


@dataclass
class WorkerProcess:
    """One live worker: a process group of its own, a private channel, and a page of shared memory
    where it says which top-level statement it is running (see :data:`PROGRESS`)."""

    pid: int
    channel: socket.socket
    limits: Limits
    zygote: Zygote | None = None
    progress: mmap.mmap | None = None
    alive: bool = True

    def request(
        self,
        header: dict[str, Any],
        arrays: list[np.ndarray] | tuple[()] = (),
        *,
        timeout_s: float,
        helpers: HelperDesk | None = None,
        stalled: Callable[[], bool] | None = None,
    ) -> tuple[dict[str, Any], list[np.ndarray]]:
        """Send a request and wait for its answer; a late or broken answer kills the worker.

        While it works, the worker may ask for reference helpers (``{"op": "helper"}``), answered by
        ``helpers``. ``stalled`` is asked now and then while the answer is awaited: when it says so,
        the worker is given up for stuck before the deadline.
        """
        answers = self.answers(header, arrays, timeout_s=timeout_s, helpers=helpers, stalled=stalled)
        try:
            return next(answers)
        finally:
            answers.close()

    def answers(
        self,
        header: dict[str, Any],
        arrays: list[np.ndarray] | tuple[()] = (),
        *,
        timeout_s: float,
        helpers: HelperDesk | None = None,
        stalled: Callable[[], bool] | None = None,
    ) -> Generator[tuple[dict[str, Any], list[np.ndarray]], None, None]:
        """Send a request and give its answers as they come (a batch of calls is answered call by call),
        all within ``timeout_s``; the caller stops reading when it has them all. A late or broken answer
        kills the worker and raises :class:`WorkerTimeout` or :class:`WorkerDied`, as :meth:`request`."""
        if not self.alive:
            raise WorkerDied("worker is not running")
        deadline = time.monotonic() + timeout_s
        # Student code can write to the channel: an answer counts only when it carries this request's
        # token, which no code in the worker can know before the request arrives. Answers queued earlier
        # (forged, or the real answer to a request already answered by a forgery) are dropped.
        token = secrets.token_hex(8)
        stale = 0
        try:
            self.channel.settimeout(timeout_s)
            send_message(self.channel, {**header, "id": token}, list(arrays))
            while True:
                self._await(deadline, stalled)
                self.channel.settimeout(max(deadline - time.monotonic(), 0.001))
                reply, frames = receive_message(self.channel, max_bytes=self.limits.result_bytes)
                op = reply.get("op")
                if op == "helper" and helpers is not None:
                    answer, answer_arrays = helpers(reply, frames)
                    self.channel.settimeout(max(deadline - time.monotonic(), 0.001))
                    send_message(self.channel, answer, answer_arrays)
                elif op is not None:
                    raise ProtocolError(f"unexpected {op!r} message")
                elif reply.get("id") != token:
                    stale += 1
                    if stale > MAX_STALE_ANSWERS:
                        raise ProtocolError("answers to no request")
                else:
                    yield reply, frames
        except TimeoutError:
            self.kill()
            raise WorkerTimeout(f"no answer within {timeout_s:g} s") from None
        except (EOFError, OSError, ProtocolError) as exc:
            self.kill()
            raise WorkerDied(str(exc)) from None

    def _await(self, deadline: float, stalled: Callable[[], bool] | None) -> None:
        """Until the channel has something to read; TimeoutError at the deadline, or when stalled."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.channel], [], [], min(left, STALL_POLL_S) if stalled else left)
            if ready:
                return
            if stalled is not None and stalled():
                raise TimeoutError

    def position(self) -> tuple[int, int, int]:
        """(statements started, unit, line) of the statement the worker is loading, as it last wrote."""
        return PROGRESS.unpack_from(self.progress) if self.progress is not None else (0, 0, 0)

    def kill(self) -> None:
        """Kill the worker's whole process group (it may have started children)."""
        if self.alive:
            self.alive = False
            if self.zygote is not None:
                self.zygote.kill_worker(self.pid)
        self.channel.close()

    def close(self) -> None:
        if self.alive:
            try:
                self.channel.settimeout(1.0)
                send_message(self.channel, {"op": "exit"})
            except OSError:
                pass
        self.kill()
