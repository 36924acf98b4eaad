# Attack: while the submission is being loaded (a class body runs even where top-level statements are
# skipped), answer the grader's load request with a reply whose every field has the wrong type, then
# leave before the real answer.
import json
import os
import struct


class _Respuesta:
    body = json.dumps(
        {
            "status": "ok",
            "functions": {
                "feedForward": {"params": 5, "required": "x", "varargs": [], "unit": 10**30, "line": 1e300}
            },
            "events": {"unit": "x"},
            "elapsed_s": "ATTACK-MARKER",
        }
    ).encode()
    for fd in range(3, 64):
        try:
            os.write(fd, struct.pack(">Q", len(body)) + body)
        except OSError:
            pass
    os._exit(0)


def feedForward(X, w1, w2, b1, b2):
    return X, X
