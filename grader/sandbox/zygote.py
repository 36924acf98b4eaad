"""The zygote: a clean process with NumPy loaded that forks one worker per submission.

It is started before the grader reads any secret or builds any expected value, with a scrubbed
environment, so a forked worker inherits nothing worth stealing. Forking from a warm process costs
milliseconds where starting a fresh interpreter and importing NumPy costs a quarter of a second.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
from typing import NoReturn

# Preloaded so that every forked worker starts with them imported (the point of a zygote).
# NumPy 2 imports numpy.random and numpy.linalg lazily: preloading them saves ~40 ms per worker.
import numpy.linalg
import numpy.random  # noqa: F401

import reference.linreg
import reference.xor  # noqa: F401
from grader.sandbox import worker
from grader.sandbox.limits import apply_rlimits

MAX_CONTROL_MESSAGE = 64 * 1024


def main() -> NoReturn:
    control = socket.socket(fileno=int(sys.argv[1]))
    # Workers are reaped automatically: the grader learns a worker's end from its channel, not its status.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, MAX_CONTROL_MESSAGE, 2)
        except OSError:
            os._exit(0)
        if not message:
            os._exit(0)
        request = json.loads(message)
        pid = os.fork()
        if pid == 0:
            _become_worker(control, fds, request)
        for fd in fds:
            os.close(fd)
        control.send(json.dumps({"pid": pid}).encode())


def _become_worker(control: socket.socket, fds: list[int], request: dict[str, object]) -> NoReturn:
    try:
        control.close()
        channel_fd, output_fd = fds
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        os.close(devnull)
        os.close(output_fd)
        os.chdir(str(request["workdir"]))
        sys.path.insert(0, str(request["workdir"]))
        limits = request["limits"]
        assert isinstance(limits, dict)
        apply_rlimits(limits)
        worker.serve(socket.socket(fileno=channel_fd))
    except BaseException:
        os._exit(70)


if __name__ == "__main__":
    main()
