# Attack: answer the grader on the worker's channel with replies no parser expects: a 5,000-digit
# integer, JSON nested 100,000 deep, an elapsed time of 10**400, a frame of shape [0, 10**30], a value
# tree nested past any bound; then leave before the real answer.
import json
import os
import struct

import numpy as np


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2


def _send(body):
    for fd in range(3, 64):
        try:
            os.write(fd, struct.pack(">Q", len(body)) + body)
        except OSError:
            pass
    os._exit(0)


def _reply(**fields):
    base = {"status": "ok", "value": 1.0, "args_after": {"t": []}, "globals_after": {"d": {}},
            "warnings": [], "elapsed_s": 0.0, "frames": []}
    base.update(fields)
    return base


CALLS = {"n": 0}


def costoGlobal(y_est, y):
    CALLS["n"] += 1
    kind = CALLS["n"] % 5
    if kind == 1:
        _send(b'{"status": "ok", "value": ' + b"9" * 5000 + b', "elapsed_s": 0}')
    if kind == 2:
        _send(b"[" * 100000 + b"]" * 100000)
    if kind == 3:
        _send(json.dumps(_reply(elapsed_s=0)).replace('"elapsed_s": 0', '"elapsed_s": 1' + "0" * 400).encode())
    if kind == 4:
        _send(json.dumps(_reply(value={"a": 0}, frames=[["<f8", [0, 10**30]]])).encode())
    deep = '{"t": [' * 5000 + "1.0" + "]}" * 5000
    _send(json.dumps(_reply(value=0)).replace('"value": 0', '"value": ' + deep).encode())


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    _send(json.dumps({"status": "exception", "type": 5, "message": ["x"], "trace": [{"unit": "x"}]}).encode())
