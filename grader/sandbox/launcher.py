"""The grader's side of the sandbox: start the zygote, get workers from it, talk to them, kill them."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from grader.sandbox.limits import Limits
from grader.sandbox.protocol import ProtocolError, receive_message, send_message

# Variables a worker may see. Everything else (GRADER_SECRET, tokens, CI variables) is left out.
_PASSED_ENV = ("PATH", "LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "TZ")


class WorkerTimeout(Exception):
    """The worker did not answer in time; it has been killed."""


class WorkerDied(Exception):
    """The worker's channel closed or carried garbage; it has been killed."""


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
    """A warm process that forks workers on request. Start it before reading any secret."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._control = ours
        self._lock = threading.Lock()
        self._process = subprocess.Popen(
            [sys.executable, "-I", "-m", "grader.sandbox.zygote", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            env=worker_environment(),
            stdin=subprocess.DEVNULL,
            cwd="/",
        )
        theirs.close()

    def spawn(self, *, workdir: Path, output: Path, limits: Limits) -> WorkerProcess:
        channel, remote = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        output_fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        request = {"workdir": str(workdir), "limits": limits.to_json()}
        try:
            with self._lock:
                socket.send_fds(self._control, [json.dumps(request).encode()], [remote.fileno(), output_fd])
                reply = self._control.recv(4096)
        finally:
            remote.close()
            os.close(output_fd)
        if not reply:
            raise RuntimeError("the sandbox zygote exited; see the messages above")
        return WorkerProcess(pid=int(json.loads(reply)["pid"]), channel=channel, limits=limits)

    def close(self) -> None:
        self._control.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


@dataclass
class WorkerProcess:
    """One live worker: a process group of its own and a private channel."""

    pid: int
    channel: socket.socket
    limits: Limits
    alive: bool = True

    def request(
        self, header: dict[str, Any], arrays: list[np.ndarray] | tuple[()] = (), *, timeout_s: float
    ) -> tuple[dict[str, Any], list[np.ndarray]]:
        """Send a request and wait for its answer; a late or broken answer kills the worker."""
        if not self.alive:
            raise WorkerDied("worker is not running")
        deadline = time.monotonic() + timeout_s
        try:
            self.channel.settimeout(timeout_s)
            send_message(self.channel, header, list(arrays))
            self.channel.settimeout(max(deadline - time.monotonic(), 0.001))
            return receive_message(self.channel, max_bytes=self.limits.result_bytes)
        except TimeoutError:
            self.kill()
            raise WorkerTimeout(f"no answer within {timeout_s:g} s") from None
        except (EOFError, OSError, ProtocolError) as exc:
            self.kill()
            raise WorkerDied(str(exc)) from None

    def kill(self) -> None:
        """Kill the worker's whole process group (it may have started children)."""
        if self.alive:
            self.alive = False
            for kill in (os.killpg, os.kill):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    kill(self.pid, signal.SIGKILL)
        self.channel.close()

    def close(self) -> None:
        if self.alive:
            try:
                self.channel.settimeout(1.0)
                send_message(self.channel, {"op": "exit"})
            except OSError:
                pass
        self.kill()
