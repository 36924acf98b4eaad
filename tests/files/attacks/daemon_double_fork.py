# Attack: leave a daemon behind (double fork, new session) that keeps writing after grading ends.
import numpy as np


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2

import os
import time


def _carpetas_objetivo():
    """Folders of the batch under test (their names start with tg-attack-), wherever they are."""
    found = []
    for root in ("/tmp", "/var/tmp", "/work", "/home"):
        try:
            for dirpath, dirnames, _ in os.walk(root):
                if dirpath.count(os.sep) - root.count(os.sep) >= 4:
                    dirnames[:] = []
                for name in dirnames:
                    if name.startswith("tg-attack-"):
                        found.append(os.path.join(dirpath, name))
        except OSError:
            pass
    return found


def _demonio():
    os.setsid()
    if os.fork() > 0:
        os._exit(0)
    deadline = time.time() + 8
    while time.time() < deadline:
        targets = _carpetas_objetivo() + ["/tmp", "/var/tmp", "/dev/shm", os.getcwd()]
        for folder in targets:
            try:
                with open(os.path.join(folder, "attack-marker-daemon.txt"), "a") as handle:
                    handle.write("ATTACK-MARKER: the daemon is still alive\n")
            except OSError:
                pass
        time.sleep(0.2)
    os._exit(0)


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    for attempt in (os.fork, getattr(os, "posix_spawn", None)):
        if attempt is None:
            continue
        try:
            if attempt is os.fork:
                if os.fork() == 0:
                    _demonio()
            else:
                attempt("/bin/sh", ["sh", "-c", "sleep 8 &"], {})
        except OSError as exc:
            print("could not start the daemon:", exc)
    return 0, 0, 0, 0
