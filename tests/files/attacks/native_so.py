# Attack: write a shared library at run time and load it (native code escapes Python entirely).
import numpy as np


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2

import ctypes
import glob
import os
import sys


def _biblioteca():
    patterns = [
        "/usr/lib/*/libbz2.so*",
        "/usr/lib/*/libexpat.so*",
        "/usr/lib/*/libsqlite3.so*",
        "/usr/lib/*/libffi.so*",
        sys.base_prefix + "/lib/python3*/lib-dynload/_testbuffer*.so",
    ]
    for pattern in patterns:
        for path in glob.glob(pattern):
            try:
                with open(path, "rb") as handle:
                    return handle.read()
            except OSError:
                continue
    return None


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    data = _biblioteca()
    if data is None:
        raise FileNotFoundError("no library to copy")
    loaded = 0
    for folder in (os.getcwd(), "/tmp", "/dev/shm", "/var/tmp"):
        path = os.path.join(folder, "attack-marker-evil.so")
        try:
            with open(path, "wb") as handle:
                handle.write(data)
            ctypes.CDLL(path)
            loaded += 1
            print("LOADED", path)
        except OSError as exc:
            print(path, "->", exc)
    try:
        fd = os.memfd_create("evil")
        os.write(fd, data)
        ctypes.CDLL(f"/proc/self/fd/{fd}")
        loaded += 1
        print("LOADED from memfd")
    except OSError as exc:
        print("memfd ->", exc)
    return loaded, 0, 0, 0
