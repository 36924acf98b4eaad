"""Build the sample notebooks under ``submissions/`` from the cell lists below, with nbformat's own API.

Run it from anywhere: ``.venv/bin/python tests/files/build_sample_notebooks.py [--out DIR]``. The output is
deterministic (cell ids are derived from the notebook name and the cell position), so rebuilding leaves the
committed notebooks unchanged unless the cell lists here change. The ``.py`` samples are ordinary files in
``submissions/`` and are not generated.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import itertools
import json
import math
import struct
import textwrap
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import nbformat
from nbformat import v3, v4

REPO_ROOT = Path(__file__).resolve().parents[2]

OutputKind = Literal["stdout", "stderr", "result", "figure", "error"]
Format = Literal["4.5", "4.4", "3", "truncated", "empty"]


@dataclass(frozen=True)
class Output:
    """One output a cell shows (what the student saw when they ran it)."""

    kind: OutputKind
    text: str = ""
    curve: tuple[float, ...] = ()
    ename: str = ""
    evalue: str = ""


@dataclass(frozen=True)
class Cell:
    """A markdown or code cell; code cells run in order unless ``executed`` is false."""

    kind: Literal["markdown", "code"]
    source: str
    outputs: tuple[Output, ...] = ()
    executed: bool = True


@dataclass(frozen=True)
class NotebookSpec:
    """A notebook to write: where (relative to the output folder), which format, and its cells."""

    path: str
    format: Format
    cells: tuple[Cell, ...]
    metadata: dict[str, Any] = field(default_factory=dict)


def md(source: str) -> Cell:
    return Cell("markdown", textwrap.dedent(source).strip("\n"))


def code(source: str, *outputs: Output, executed: bool = True) -> Cell:
    return Cell("code", textwrap.dedent(source).strip("\n"), outputs, executed)


def stdout(text: str) -> Output:
    return Output("stdout", textwrap.dedent(text).lstrip("\n"))


def stderr(text: str) -> Output:
    return Output("stderr", textwrap.dedent(text).lstrip("\n"))


def result(text: str) -> Output:
    return Output("result", textwrap.dedent(text).strip("\n"))


def figure(*curve: float) -> Output:
    return Output("figure", curve=curve)


def error(ename: str, evalue: str) -> Output:
    return Output("error", ename=ename, evalue=evalue)


def decay(start: float, end: float, steps: int = 60, rate: float = 6.0) -> tuple[float, ...]:
    """A cost curve of the usual shape, for the picture of a training plot."""
    return tuple(end + (start - end) * math.exp(-rate * i / steps) for i in range(steps))


JUPYTER_METADATA: dict[str, Any] = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": "3.10.12",
    },
}

COLAB_METADATA: dict[str, Any] = {
    "colab": {"provenance": [], "collapsed_sections": []},
    "kernelspec": {"display_name": "Python 3", "name": "python3"},
    "language_info": {"name": "python"},
}

COLAB_PIP_OUTPUT = "".join(
    f"Requirement already satisfied: {requirement} in /usr/local/lib/python3.10/dist-packages{detail}\n"
    for requirement, detail in (
        ("matplotlib", " (3.7.1)"),
        ("numpy>=1.20", " (from matplotlib) (1.23.5)"),
        ("pillow>=6.2.0", " (from matplotlib) (9.4.0)"),
    )
)


# --------------------------------------------------------------------------------------------------------
# Picture of a line plot, so that plotting cells carry a real image/png output like Jupyter's.


def _png(width: int, height: int, pixels: bytearray) -> bytes:
    rows = b"".join(b"\x00" + bytes(pixels[r * width : (r + 1) * width]) for r in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def line_plot_png(curve: Sequence[float], *, width: int = 192, height: int = 128) -> str:
    pixels = bytearray([255]) * (width * height)
    left, bottom, top, right = 14, height - 12, 8, width - 8
    for x in range(left, right + 1):
        pixels[bottom * width + x] = 0
    for y in range(top, bottom + 1):
        pixels[y * width + left] = 0
    low, high = min(curve), max(curve)
    span = (high - low) or 1.0
    points = [
        (
            left + 1 + round(i * (right - left - 2) / max(len(curve) - 1, 1)),
            bottom - 1 - round((v - low) * (bottom - top - 2) / span),
        )
        for i, v in enumerate(curve)
    ]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        for s in range(steps + 1):
            x = x0 + round((x1 - x0) * s / steps)
            y = y0 + round((y1 - y0) * s / steps)
            pixels[y * width + x] = 40
    return base64.b64encode(_png(width, height, pixels)).decode("ascii")


# --------------------------------------------------------------------------------------------------------
# Writers


def _v4_output(out: Output, count: int | None) -> Any:
    if out.kind in ("stdout", "stderr"):
        return v4.new_output("stream", name=out.kind, text=out.text)
    if out.kind == "result":
        return v4.new_output("execute_result", data={"text/plain": out.text}, execution_count=count)
    if out.kind == "figure":
        data = {"image/png": line_plot_png(out.curve), "text/plain": "<Figure size 640x480 with 1 Axes>"}
        return v4.new_output("display_data", data=data)
    traceback = [
        "\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
        f"\x1b[0;31m{out.ename}\x1b[0m: {out.evalue}",
    ]
    return v4.new_output("error", ename=out.ename, evalue=out.evalue, traceback=traceback)


def _cell_id(path: str, index: int) -> str:
    return hashlib.sha1(f"{path}#{index}".encode()).hexdigest()[:8]


def build_v4(spec: NotebookSpec, *, minor: int) -> Any:
    nb = v4.new_notebook(metadata=spec.metadata or JUPYTER_METADATA)
    count = 0
    for index, cell in enumerate(spec.cells):
        if cell.kind == "markdown":
            new = v4.new_markdown_cell(cell.source)
        else:
            execution_count = None
            if cell.executed:
                count += 1
                execution_count = count
            new = v4.new_code_cell(
                cell.source,
                execution_count=execution_count,
                outputs=[_v4_output(o, execution_count) for o in cell.outputs],
            )
        if minor >= 5:
            new["id"] = _cell_id(spec.path, index)
        else:
            # nbformat 4.4 and earlier have no cell ids; the schema rejects the field.
            del new["id"]
        nb.cells.append(new)
    nb.nbformat_minor = minor
    return nb


def _v3_output(out: Output, count: int | None) -> Any:
    if out.kind in ("stdout", "stderr"):
        return v3.new_output("stream", output_text=out.text, stream=out.kind)
    if out.kind == "result":
        return v3.new_output("pyout", output_text=out.text, prompt_number=count)
    if out.kind == "figure":
        return v3.new_output(
            "display_data",
            output_png=line_plot_png(out.curve),
            output_text="<matplotlib.figure.Figure at 0x7f3a2c1d0b50>",
        )
    return v3.new_output(
        "pyerr", ename=out.ename, evalue=out.evalue, traceback=[f"{out.ename}: {out.evalue}"]
    )


def build_v3(spec: NotebookSpec) -> Any:
    cells = []
    count = 0
    for cell in spec.cells:
        if cell.kind == "markdown":
            cells.append(v3.new_text_cell("markdown", source=cell.source))
            continue
        prompt = None
        if cell.executed:
            count += 1
            prompt = count
        outputs = [_v3_output(o, prompt) for o in cell.outputs]
        cells.append(v3.new_code_cell(input=cell.source, prompt_number=prompt, outputs=outputs))
    name = Path(spec.path).stem
    return v3.new_notebook(name=name, metadata={"name": name}, worksheets=[v3.new_worksheet(cells=cells)])


def render(spec: NotebookSpec) -> bytes:
    """The bytes of the file for ``spec``."""
    if spec.format == "empty":
        return b""
    if spec.format == "3":
        nb = build_v3(spec)
        text: str = v3.writes_json(nb)
        nbformat.validate(json.loads(text), version=3)
        return (text + "\n").encode("utf-8")
    nb = build_v4(spec, minor=4 if spec.format == "4.4" else 5)
    text = str(nbformat.writes(nb)) + "\n"
    if spec.format == "truncated":
        # A notebook whose upload was cut off: the first part of a valid file, stopping inside a cell.
        return text[: len(text) * 11 // 20].encode("utf-8")
    return text.encode("utf-8")


def build_all(out_dir: Path) -> list[Path]:
    """Write every sample notebook under ``out_dir``; return the paths written."""
    written = []
    for spec in NOTEBOOKS:
        target = out_dir / spec.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render(spec))
        written.append(target)
    return written


# --------------------------------------------------------------------------------------------------------
# The notebooks

NOTEBOOKS: list[NotebookSpec] = []

NOTEBOOKS.append(
    NotebookSpec(
        "ana_gomez.ipynb",
        "4.5",
        (
            md(
                """
                # Taller 2: Red neuronal para la compuerta XOR
                **Ana Gómez** — Aprendizaje Supervisado

                Red con una capa oculta, activación sigmoide en las dos capas y costo de entropía cruzada.
                Uso la misma notación de las diapositivas: cada **columna** de `X` es una instancia.
                """
            ),
            code(
                """
                import numpy as np
                import matplotlib.pyplot as plt
                """
            ),
            md("## Datos"),
            code(
                """
                X = np.array([[0, 0, 1, 1],
                              [0, 1, 0, 1]])
                y = np.array([[0, 1, 1, 0]])
                print(X.shape, y.shape)
                """,
                stdout("(2, 4) (1, 4)\n"),
            ),
            md("## Funciones"),
            code(
                """
                def sigmoide(z):
                    return 1 / (1 + np.exp(-z))
                """
            ),
            code(
                """
                def feedForward(X, w1, w2, b1, b2):
                    # capa oculta
                    z1 = np.dot(w1, X) + b1
                    a1 = sigmoide(z1)
                    # capa de salida
                    z2 = np.dot(w2, a1) + b2
                    a2 = sigmoide(z2)
                    return a1, a2
                """
            ),
            code(
                """
                def costoGlobal(y_est, y):
                    m = y.shape[1]
                    costo = -(1/m) * np.sum(y*np.log(y_est) + (1-y)*np.log(1-y_est))
                    return float(costo)
                """
            ),
            md(
                r"""
                Para backpropagation: $dz_2 = a_2 - y$, $dz_1 = w_2^T dz_2 \odot a_1(1-a_1)$,
                y los gradientes se promedian sobre las $m$ instancias.
                """
            ),
            code(
                """
                def backProp(X, y, w1, w2, b1, b2, a2, a1):
                    m = X.shape[1]
                    dz2 = a2 - y
                    dw2 = (1/m) * np.dot(dz2, a1.T)
                    db2 = (1/m) * np.sum(dz2, axis=1, keepdims=True)
                    dz1 = np.dot(w2.T, dz2) * a1 * (1 - a1)
                    dw1 = (1/m) * np.dot(dz1, X.T)
                    db1 = (1/m) * np.sum(dz1, axis=1, keepdims=True)
                    return dw1, db1, dw2, db2
                """
            ),
            code(
                """
                def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
                    costos = []
                    for i in range(epocas):
                        a1, a2 = feedForward(X, w1, w2, b1, b2)
                        costo = costoGlobal(a2, y)
                        costos.append(costo)
                        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
                        w1 = w1 - lr * dw1
                        b1 = b1 - lr * db1
                        w2 = w2 - lr * dw2
                        b2 = b2 - lr * db2
                        if i % 1000 == 0:
                            print("Época", i, "costo:", costo)
                    return w1, b1, w2, b2, costos
                """
            ),
            md("## Entrenamiento"),
            code(
                """
                np.random.seed(42)
                n_x = 2   # entradas
                n_h = 4   # neuronas de la capa oculta
                n_y = 1
                w1 = np.random.randn(n_h, n_x)
                b1 = np.zeros((n_h, 1))
                w2 = np.random.randn(n_y, n_h)
                b2 = np.zeros((n_y, 1))
                a1, a2 = feedForward(X, w1, w2, b1, b2)
                print("costo inicial:", costoGlobal(a2, y))
                """,
                stdout("costo inicial: 0.7151029024602396\n"),
            ),
            code(
                """
                epocas = 10000
                lr = 0.5
                w1, b1, w2, b2, costos = entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2)
                """,
                stdout(
                    """
                    Época 0 costo: 0.7151029024602396
                    Época 1000 costo: 0.05032317294482006
                    Época 2000 costo: 0.01261929647378214
                    Época 3000 costo: 0.006755814537645937
                    Época 4000 costo: 0.004533411879503907
                    Época 5000 costo: 0.0033883825573809588
                    Época 6000 costo: 0.002696446364016365
                    Época 7000 costo: 0.0022352164245780935
                    Época 8000 costo: 0.0019066550250929131
                    Época 9000 costo: 0.0016611136810250082
                    """
                ),
            ),
            code(
                """
                plt.plot(costos)
                plt.xlabel("épocas")
                plt.ylabel("costo")
                plt.title("Costo durante el entrenamiento")
                plt.show()
                """,
                figure(*decay(0.715, 0.0017, rate=9.0)),
            ),
            code(
                """
                _, pred = feedForward(X, w1, w2, b1, b2)
                print("Predicciones:", np.round(pred, 3))
                print("Clases:", (pred > 0.5).astype(int))
                """,
                stdout("Predicciones: [[0.002 0.998 0.999 0.001]]\nClases: [[0 1 1 0]]\n"),
            ),
            md("La red aprende la XOR: las cuatro salidas quedan del lado correcto de 0.5."),
        ),
    )
)

NOTEBOOKS.append(
    NotebookSpec(
        "sofia_martinez.ipynb",
        "4.4",
        (
            md(
                """
                # Taller XOR
                Sofía Martínez

                Red neuronal 2-2-1 (2 entradas, 2 neuronas ocultas, 1 salida) entrenada con backpropagation.
                """
            ),
            code(
                """
                import numpy as np
                import matplotlib.pyplot as plt
                """
            ),
            code(
                """
                def sigmoid(z):
                    return 1/(1+np.exp(-z))

                def feedForward(X, w1, w2, b1, b2):
                    z1 = w1 @ X + b1
                    a1 = sigmoid(z1)
                    z2 = w2 @ a1 + b2
                    a2 = sigmoid(z2)
                    return a2, a1
                """
            ),
            code(
                """
                def costoGlobal(y_est, y):
                    return -np.mean(y*np.log(y_est) + (1-y)*np.log(1-y_est))
                """
            ),
            code(
                """
                def backProp(X, y, w1, w2, b1, b2, a2, a1):
                    m = X.shape[1]
                    dz2 = a2 - y
                    dw2 = dz2 @ a1.T / m
                    db2 = np.sum(dz2, axis=1, keepdims=True) / m
                    da1 = w2.T @ dz2
                    dz1 = da1 * a1 * (1 - a1)
                    dw1 = dz1 @ X.T / m
                    db1 = np.sum(dz1, axis=1, keepdims=True) / m
                    return dw1, db1, dw2, db2
                """
            ),
            code(
                """
                def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
                    costos = []
                    for i in range(epocas):
                        a2, a1 = feedForward(X, w1, w2, b1, b2)
                        costos.append(costoGlobal(a2, y))
                        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
                        w1 = w1 - lr*dw1
                        b1 = b1 - lr*db1
                        w2 = w2 - lr*dw2
                        b2 = b2 - lr*db2
                    return w1, b1, w2, b2, costos
                """
            ),
            code(
                """
                X = np.array([[0, 0, 1, 1],
                              [0, 1, 0, 1]])
                y = np.array([[0, 1, 1, 0]])

                np.random.seed(5)
                w1 = np.random.randn(2, 2)
                b1 = np.random.randn(2, 1)
                w2 = np.random.randn(1, 2)
                b2 = np.random.randn(1, 1)
                salida, oculta = feedForward(X, w1, w2, b1, b2)
                salida
                """,
                result("array([[0.31373853, 0.33517941, 0.2748241 , 0.29007857]])"),
            ),
            code(
                """
                w1, b1, w2, b2, costos = entrenarRed(15000, 0.5, X, y, w1, b1, w2, b2, oculta, salida)
                print(costos[0], costos[-1])
                """,
                stdout("0.7759527232906852 0.001302943800574552\n"),
            ),
            code(
                """
                plt.plot(costos)
                plt.show()
                """,
                figure(*decay(0.776, 0.0013, rate=7.0)),
            ),
            code(
                """
                salida, _ = feedForward(X, w1, w2, b1, b2)
                print(np.round(salida, 2))
                """,
                stdout("[[0. 1. 1. 0.]]\n"),
            ),
        ),
    )
)

NOTEBOOKS.append(
    NotebookSpec(
        "valentina_torres.ipynb",
        "4.5",
        (
            md(
                """
                # Taller 2 — XOR con una red neuronal
                *Valentina Torres*
                """
            ),
            code("import numpy as np"),
            md("### Datos de entrada (una instancia por columna)"),
            code(
                """
                X = np.array([[0., 0., 1., 1.],
                              [0., 1., 0., 1.]])
                y = np.array([[0., 1., 1., 0.]])
                """
            ),
            md("### Propagación hacia adelante"),
            code(
                """
                def sigmoide(z):
                    return 1.0 / (1.0 + np.exp(-z))


                def feedForward(X, w1, w2, b1, b2):
                    a1 = sigmoide(w1 @ X + b1)
                    a2 = sigmoide(w2 @ a1 + b2)
                    return a1, a2
                """
            ),
            md("### Costo"),
            code(
                """
                def costoGlobal(y_est, y):
                    # error cuadratico medio entre la salida de la red y lo esperado
                    return np.mean((y_est - y) ** 2)
                """
            ),
            md("### Backpropagation"),
            code(
                """
                def backProp(X, y, w1, w2, b1, b2, a2, a1):
                    m = y.shape[1]
                    dz2 = a2 - y
                    dw2 = dz2 @ a1.T / m
                    db2 = dz2.sum(axis=1, keepdims=True) / m
                    dz1 = (w2.T @ dz2) * a1 * (1 - a1)
                    dw1 = dz1 @ X.T / m
                    db1 = dz1.sum(axis=1, keepdims=True) / m
                    return dw1, db1, dw2, db2
                """
            ),
            code(
                """
                def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
                    for e in range(epocas):
                        a1, a2 = feedForward(X, w1, w2, b1, b2)
                        if e % 1000 == 0:
                            print(f"epoca {e:5d}   costo = {costoGlobal(a2, y):.4f}")
                        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
                        w1 = w1 - lr * dw1
                        b1 = b1 - lr * db1
                        w2 = w2 - lr * dw2
                        b2 = b2 - lr * db2
                    return w1, b1, w2, b2
                """
            ),
            md("### Entrenamiento"),
            code(
                """
                np.random.seed(8)
                w1 = np.random.randn(3, 2)
                b1 = np.zeros((3, 1))
                w2 = np.random.randn(1, 3)
                b2 = np.zeros((1, 1))
                a1, a2 = feedForward(X, w1, w2, b1, b2)

                w1, b1, w2, b2 = entrenarRed(10000, 1.0, X, y, w1, b1, w2, b2, a1, a2)
                """,
                stdout(
                    """
                    epoca     0   costo = 0.4078
                    epoca  1000   costo = 0.0005
                    epoca  2000   costo = 0.0001
                    epoca  3000   costo = 0.0000
                    epoca  4000   costo = 0.0000
                    epoca  5000   costo = 0.0000
                    epoca  6000   costo = 0.0000
                    epoca  7000   costo = 0.0000
                    epoca  8000   costo = 0.0000
                    epoca  9000   costo = 0.0000
                    """
                ),
            ),
            code(
                """
                a1, a2 = feedForward(X, w1, w2, b1, b2)
                for x, p in zip(X.T, a2[0]):
                    print(x, "->", round(p, 3))
                """,
                stdout("[0. 0.] -> 0.0\n[0. 1.] -> 0.999\n[1. 0.] -> 0.999\n[1. 1.] -> 0.002\n"),
            ),
        ),
    )
)

NOTEBOOKS.append(
    NotebookSpec(
        "isabel_jimenez.ipynb",
        "4.5",
        (
            md(
                """
                # Red neuronal XOR
                Isabel Jiménez — Taller 2
                """
            ),
            code("import numpy as np\nimport matplotlib.pyplot as plt"),
            code(
                """
                # Tabla de verdad XOR (cada columna es un ejemplo)
                X = np.array([[0, 0, 1, 1],
                              [0, 1, 0, 1]])
                y = np.array([[0, 1, 1, 0]])

                m = X.shape[1]     # numero de ejemplos
                n_x = X.shape[0]   # numero de entradas
                n_h = 2            # neuronas ocultas
                n_y = 1
                print("m =", m)
                """,
                stdout("m = 4\n"),
            ),
            code(
                """
                def sigmoide(z):
                    return 1/(1 + np.exp(-z))

                def feedForward(X, w1, w2, b1, b2):
                    Z1 = np.dot(w1, X) + b1
                    a1 = sigmoide(Z1)
                    Z2 = np.dot(w2, a1) + b2
                    a2 = sigmoide(Z2)
                    return a1, a2
                """
            ),
            code(
                """
                def costoGlobal(y_est, y):
                    costo = -(1/m) * np.sum(y*np.log(y_est) + (1 - y)*np.log(1 - y_est))
                    return costo
                """
            ),
            code(
                """
                def backProp(X, y, w1, w2, b1, b2, a2, a1):
                    dZ2 = a2 - y
                    dw2 = (1/m) * np.dot(dZ2, a1.T)
                    db2 = (1/m) * np.sum(dZ2, axis=1, keepdims=True)
                    dZ1 = np.dot(w2.T, dZ2) * (a1 * (1 - a1))
                    dw1 = (1/m) * np.dot(dZ1, X.T)
                    db1 = (1/m) * np.sum(dZ1, axis=1, keepdims=True)
                    return dw1, db1, dw2, db2
                """
            ),
            code(
                """
                def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
                    costos = []
                    for i in range(epocas):
                        a1, a2 = feedForward(X, w1, w2, b1, b2)
                        costos.append(costoGlobal(a2, y))
                        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
                        w1 = w1 - lr*dw1
                        b1 = b1 - lr*db1
                        w2 = w2 - lr*dw2
                        b2 = b2 - lr*db2
                    return w1, b1, w2, b2, costos
                """
            ),
            code(
                """
                np.random.seed(6)
                w1 = np.random.randn(n_h, n_x)
                b1 = np.zeros((n_h, 1))
                w2 = np.random.randn(n_y, n_h)
                b2 = np.zeros((n_y, 1))
                a1, a2 = feedForward(X, w1, w2, b1, b2)

                w1, b1, w2, b2, costos = entrenarRed(10000, 1.2, X, y, w1, b1, w2, b2, a1, a2)
                plt.plot(costos)
                plt.show()
                """,
                figure(*decay(0.70, 0.004, rate=5.0)),
            ),
            code(
                """
                a1, a2 = feedForward(X, w1, w2, b1, b2)
                a2
                """,
                result("array([[7.64621482e-04, 9.98945509e-01, 9.99288916e-01, 6.65304328e-04]])"),
            ),
        ),
    )
)

NOTEBOOKS.append(
    NotebookSpec(
        "gabriela_mendoza.ipynb",
        "4.4",
        (
            md("# Taller XOR - Gabriela Mendoza"),
            code("import numpy as np"),
            code(
                """
                X = np.array([[0, 0, 1, 1], [0, 1, 0, 1]])
                y = np.array([[0, 1, 1, 0]])
                """
            ),
            code(
                """
                def sigmoide(z):
                    return 1 / (1 + np.exp(-z))

                def feedForward(X, w1, w2, b1, b2):
                    a1 = sigmoide(w1 @ X + b1)
                    a2 = sigmoide(w2 @ a1 + b2)
                    return a1, a2
                """
            ),
            code(
                """
                def costoGlobal(y_est, y)
                    m = y.shape[1]
                    return -1/m * np.sum(y * np.log(y_est) + (1 - y) * np.log(1 - y_est))
                """,
                error("SyntaxError", "expected ':' (3164028191.py, line 1)"),
            ),
            code(
                """
                def backProp(X, y, w1, w2, b1, b2, a2, a1):
                    m = X.shape[1]
                    dz2 = a2 - y
                    dw2 = dz2 @ a1.T / m
                    db2 = np.sum(dz2, axis=1, keepdims=True) / m
                    dz1 = w2.T @ dz2 * a1 * (1 - a1)
                    dw1 = dz1 @ X.T / m
                    db1 = np.sum(dz1, axis=1, keepdims=True) / m
                    return dw1, db1, dw2, db2
                """
            ),
            code(
                """
                def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
                    for epoca in range(epocas):
                        a1, a2 = feedForward(X, w1, w2, b1, b2)
                        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
                        w1 = w1 - lr * dw1
                        b1 = b1 - lr * db1
                        w2 = w2 - lr * dw2
                        b2 = b2 - lr * db2
                        if epoca % 2500 == 0:
                            print("epoca", epoca, "error medio:", np.mean(np.abs(a2 - y)))
                    return w1, b1, w2, b2
                """
            ),
            code(
                """
                np.random.seed(4)
                w1 = np.random.randn(3, 2)
                b1 = np.random.randn(3, 1)
                w2 = np.random.randn(1, 3)
                b2 = np.random.randn(1, 1)
                a1, a2 = feedForward(X, w1, w2, b1, b2)
                w1, b1, w2, b2 = entrenarRed(10000, 0.5, X, y, w1, b1, w2, b2, a1, a2)
                """,
                stdout(
                    """
                    epoca 0 error medio: 0.5009169721138762
                    epoca 2500 error medio: 0.009583520986690535
                    epoca 5000 error medio: 0.003920356085883068
                    epoca 7500 error medio: 0.002426382958558585
                    """
                ),
            ),
            code(
                """
                a1, a2 = feedForward(X, w1, w2, b1, b2)
                print(a2)
                print(costoGlobal(a2, y))
                """,
                stdout("[[0.0018065  0.99819144 0.99818235 0.00154546]]\n"),
                error("NameError", "name 'costoGlobal' is not defined"),
            ),
        ),
    )
)

NOTEBOOKS.append(
    NotebookSpec(
        "maria_lopez/taller_xor.ipynb",
        "4.4",
        (
            md(
                """
                # Taller 2: XOR
                María López
                """
            ),
            code(
                """
                import numpy as np
                from matplotlib import pyplot as plt
                np.random.seed(10)
                """
            ),
            code(
                """
                def sigmoide(z):
                    return 1.0 / (1.0 + np.exp(-z))


                def derivada_sigmoide(a):
                    # la derivada de la sigmoide en terminos de su salida
                    return a * (1.0 - a)
                """
            ),
            code(
                """
                def feedForward(X, w1, w2, b1, b2):
                    a1 = sigmoide(w1 @ X + b1)
                    a2 = sigmoide(w2 @ a1 + b2)
                    return a1, a2


                def costoGlobal(y_est, y):
                    m = y.shape[-1]
                    perdidas = y * np.log(y_est) + (1 - y) * np.log(1 - y_est)
                    return -perdidas.sum() / m
                """
            ),
            code(
                """
                def backProp(X, y, w1, w2, b1, b2, a2, a1):
                    m = X.shape[1]
                    delta2 = a2 - y
                    delta1 = (w2.T @ delta2) * derivada_sigmoide(a1)
                    dw2 = delta2 @ a1.T / m
                    db2 = delta2.sum(axis=1, keepdims=True) / m
                    dw1 = delta1 @ X.T / m
                    db1 = delta1.sum(axis=1, keepdims=True) / m
                    return dw1, db1, dw2, db2


                def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
                    costos = np.zeros(epocas)
                    for epoca in range(epocas):
                        a1, a2 = feedForward(X, w1, w2, b1, b2)
                        costos[epoca] = costoGlobal(a2, y)
                        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
                        w1, b1 = w1 - lr * dw1, b1 - lr * db1
                        w2, b2 = w2 - lr * dw2, b2 - lr * db2
                    return w1, b1, w2, b2, costos
                """
            ),
            code(
                """
                X = np.array([[0, 0, 1, 1],
                              [0, 1, 0, 1]], dtype=float)
                y = np.array([[0, 1, 1, 0]], dtype=float)

                w1 = np.random.randn(4, 2)
                b1 = np.zeros((4, 1))
                w2 = np.random.randn(1, 4)
                b2 = np.zeros((1, 1))
                a1, a2 = feedForward(X, w1, w2, b1, b2)

                w1, b1, w2, b2, costos = entrenarRed(10000, 0.8, X, y, w1, b1, w2, b2, a1, a2)
                print("costo final:", costos[-1])
                """,
                stdout("costo final: 0.0013908407554426255\n"),
            ),
            code(
                """
                plt.plot(costos)
                plt.xlabel("epoca")
                plt.ylabel("J")
                plt.show()
                """,
                figure(*decay(0.72, 0.0014, rate=8.0)),
            ),
        ),
    )
)

NOTEBOOKS.append(
    NotebookSpec(
        "ricardo_flores.ipynb",
        "truncated",
        (
            md("# Taller XOR\nRicardo Flores"),
            code("import numpy as np\nimport matplotlib.pyplot as plt"),
            code(
                """
                def sigmoide(z):
                    return 1 / (1 + np.exp(-z))

                def feedForward(X, w1, w2, b1, b2):
                    a1 = sigmoide(np.dot(w1, X) + b1)
                    a2 = sigmoide(np.dot(w2, a1) + b2)
                    return a1, a2
                """
            ),
            code(
                """
                def costoGlobal(y_est, y):
                    m = y.shape[1]
                    return -np.sum(y * np.log(y_est) + (1 - y) * np.log(1 - y_est)) / m
                """
            ),
            code(
                """
                def backProp(X, y, w1, w2, b1, b2, a2, a1):
                    m = X.shape[1]
                    dz2 = a2 - y
                    dw2 = np.dot(dz2, a1.T) / m
                    db2 = np.sum(dz2, axis=1, keepdims=True) / m
                    dz1 = np.dot(w2.T, dz2) * a1 * (1 - a1)
                    dw1 = np.dot(dz1, X.T) / m
                    db1 = np.sum(dz1, axis=1, keepdims=True) / m
                    return dw1, db1, dw2, db2
                """
            ),
            code(
                """
                def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):
                    costos = []
                    for i in range(epocas):
                        a1, a2 = feedForward(X, w1, w2, b1, b2)
                        costos.append(costoGlobal(a2, y))
                        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)
                        w1 -= lr * dw1
                        b1 -= lr * db1
                        w2 -= lr * dw2
                        b2 -= lr * db2
                    return w1, b1, w2, b2, costos
                """
            ),
            code(
                """
                X = np.array([[0, 0, 1, 1], [0, 1, 0, 1]])
                y = np.array([[0, 1, 1, 0]])
                np.random.seed(1)
                w1 = np.random.randn(2, 2)
                b1 = np.zeros((2, 1))
                w2 = np.random.randn(1, 2)
                b2 = np.zeros((1, 1))
                a1, a2 = feedForward(X, w1, w2, b1, b2)
                w1, b1, w2, b2, costos = entrenarRed(10000, 0.5, X, y, w1, b1, w2, b2, a1, a2)
                plt.plot(costos)
                """,
                executed=False,
            ),
        ),
    )
)

NOTEBOOKS.append(NotebookSpec("natalia_reyes.ipynb", "empty", ()))

NOTEBOOKS.append(
    NotebookSpec(
        "andres_castro.ipynb",
        "4.4",
        (
            md(
                """
                # Taller 1 - Regresión lineal con descenso de gradiente
                Andrés Castro

                Precio de casas a partir del tamaño (pies²) y el número de habitaciones.
                """
            ),
            code("!pip install matplotlib", stdout(COLAB_PIP_OUTPUT)),
            code(
                """
                import numpy as np
                import matplotlib.pyplot as plt
                %matplotlib inline
                """
            ),
            code(
                """
                # tamaño, habitaciones, precio
                datos = [
                    [2104, 3, 399900],
                    [1600, 3, 329900],
                    [2400, 3, 369000],
                    [1416, 2, 232000],
                    [3000, 4, 539900],
                    [1985, 4, 299900],
                    [1534, 3, 314900],
                    [1427, 3, 198999],
                    [1380, 3, 212000],
                    [1494, 3, 242500],
                    [1940, 4, 239999],
                    [2000, 3, 347000],
                    [1890, 3, 329999],
                    [4478, 5, 699900],
                ]
                datos = np.array(datos, dtype=float)
                X_orig = datos[:, :2]
                y = datos[:, 2]
                m = len(y)
                print("m =", m)
                """,
                stdout("m = 14\n"),
            ),
            md("## Normalización de características"),
            code(
                """
                def normalizar(X):
                    mu = np.mean(X, axis=0)
                    sigma = np.std(X, axis=0)
                    X_norm = (X - mu) / sigma
                    return X_norm, mu, sigma
                """
            ),
            code(
                """
                X_norm, mu, sigma = normalizar(X_orig)
                X = np.c_[np.ones(m), X_norm]
                print(mu, sigma)
                """,
                stdout("[2046.28571429    3.28571429] [8.01080024e+02 6.99854212e-01]\n"),
            ),
            md("## Costo y gradiente"),
            code(
                """
                def calcularCosto(X, y, theta):
                    m = len(y)
                    h = X.dot(theta)
                    return (1 / (2 * m)) * np.sum((h - y) ** 2)
                """
            ),
            code(
                """
                def calcularGradiente(X, y, theta):
                    m = len(y)
                    return (1 / m) * X.T.dot(X.dot(theta) - y)
                """
            ),
            code(
                """
                def descensoGradiente(X, y, theta, alpha, iteraciones):
                    historial = []
                    for i in range(iteraciones):
                        theta = theta - alpha * calcularGradiente(X, y, theta)
                        historial.append(calcularCosto(X, y, theta))
                    return theta, historial
                """
            ),
            md("## Entrenamiento"),
            code(
                """
                alpha = float(input("Ingrese la tasa de aprendizaje alpha: "))
                """,
                stdout("Ingrese la tasa de aprendizaje alpha: 0.1\n"),
            ),
            code(
                """
                theta = np.zeros(3)
                theta, historial = descensoGradiente(X, y, theta, alpha, 400)
                print("theta:", theta)
                """,
                stdout("theta: [339706.92857143 146609.62615946 -26585.51888524]\n"),
            ),
            code(
                """
                plt.plot(historial)
                plt.xlabel("iteración")
                plt.ylabel("J")
                plt.title("alpha = " + str(alpha))
                """,
                result("Text(0.5, 1.0, 'alpha = 0.1')"),
                figure(*decay(2.1e10, 1.9e9, rate=7.0)),
            ),
            code(
                """
                casa = np.array([1650, 3])
                casa_norm = (casa - mu) / sigma
                precio = np.dot(np.concatenate(([1], casa_norm)), theta)
                print("Precio estimado para una casa de 1650 pies² y 3 habitaciones:", round(precio, 2))
                """,
                stdout("Precio estimado para una casa de 1650 pies² y 3 habitaciones: 278034.21\n"),
            ),
        ),
        COLAB_METADATA,
    )
)

NOTEBOOKS.append(
    NotebookSpec(
        "paula_rojas.ipynb",
        "4.5",
        (
            md(
                r"""
                # Regresión lineal multivariable
                **Paula Rojas**

                Regla de actualización (diapositivas):
                $$\theta_j := \theta_j - \frac{\alpha}{m} \sum_i (h_\theta(x^{(i)}) - y^{(i)})\, x_j^{(i)}$$
                """
            ),
            code("import numpy as np\nimport matplotlib.pyplot as plt"),
            code(
                """
                # consumo de combustible (km/l) segun peso (ton) y potencia (cientos de hp)
                datos = np.array([
                    [1.10, 0.90, 15.8],
                    [1.35, 1.20, 13.1],
                    [0.95, 0.75, 17.9],
                    [1.60, 1.50, 10.4],
                    [1.20, 1.10, 14.0],
                    [1.80, 2.10, 8.2],
                    [1.05, 0.95, 16.3],
                    [1.45, 1.30, 12.0],
                ])
                X = datos[:, :2]
                y = datos[:, 2]
                """
            ),
            code(
                """
                def normalizar(X):
                    mu = X.mean(axis=0)
                    sigma = X.std(axis=0)
                    X_norm = (X - mu) / sigma
                    return X_norm, mu, sigma


                def calcularCosto(X, y, theta):
                    m = len(y)
                    return np.sum((X @ theta - y) ** 2) / (2 * m)


                def calcularGradiente(X, y, theta):
                    m = len(y)
                    return X.T @ (X @ theta - y) / m
                """
            ),
            code(
                """
                def descensoGradiente(X, y, theta, alpha, iteraciones):
                    m = len(y)
                    theta = theta.copy()
                    n = len(theta)
                    J_historia = []
                    for it in range(iteraciones):
                        for j in range(n):
                            # actualizo cada theta_j con la formula de las diapositivas
                            theta[j] = theta[j] - alpha * (1 / m) * np.sum((X @ theta - y) * X[:, j])
                        J_historia.append(calcularCosto(X, y, theta))
                    return theta, J_historia
                """
            ),
            code(
                """
                X_norm, mu, sigma = normalizar(X)
                X_b = np.hstack([np.ones((len(y), 1)), X_norm])
                theta, J_historia = descensoGradiente(X_b, y, np.zeros(3), 0.05, 1000)
                print("theta =", theta)
                print("J final =", J_historia[-1])
                """,
                stdout("theta = [13.4625     -2.6842475  -0.32059084]\nJ final = 0.046812633444999356\n"),
            ),
            code(
                """
                plt.plot(J_historia)
                plt.xlabel("iteraciones")
                plt.ylabel("J")
                plt.show()
                """,
                figure(*decay(75.0, 0.047, rate=10.0)),
            ),
        ),
    )
)

NOTEBOOKS.append(
    NotebookSpec(
        "daniela_silva.ipynb",
        "3",
        (
            md(
                """
                Taller 1: regresión lineal
                ==========================
                Daniela Silva
                """
            ),
            code("%matplotlib inline\nimport numpy as np\nimport matplotlib.pyplot as plt"),
            code(
                """
                # poblacion de la ciudad (10.000 hab) y ganancia del local (10.000 $)
                x = np.array([6.1101, 5.5277, 8.5186, 7.0032, 5.8598, 8.3829, 7.4764, 8.5781, 6.4862, 5.0546])
                y = np.array([17.592, 9.1302, 13.662, 11.854, 6.8233, 11.886, 4.3483, 12.0, 6.5987, 3.8166])
                X = np.column_stack((np.ones(len(x)), x))
                """
            ),
            code(
                """
                def calcularCosto(X, y, theta):
                    m = len(y)
                    J = 0
                    for i in range(m):
                        J = J + (np.dot(X[i], theta) - y[i]) ** 2
                    return J / (2 * m)
                """
            ),
            code(
                """
                def calcularGradiente(X, y, theta):
                    m = len(y)
                    error = np.dot(X, theta) - y
                    return np.dot(X.T, error) / m
                """
            ),
            code(
                """
                def descensoGradiente(X, y, theta, alpha, iteraciones):
                    J_hist = []
                    for i in range(iteraciones):
                        grad = calcularGradiente(X, y, theta)
                        theta = theta + alpha * grad
                        J_hist.append(calcularCosto(X, y, theta))
                    return theta, J_hist
                """
            ),
            code(
                """
                def normalizar(X):
                    mu = np.mean(X, 0)
                    sigma = np.std(X, 0)
                    return (X - mu) / sigma, mu, sigma
                """
            ),
            code(
                """
                theta = np.zeros(2)
                print(calcularCosto(X, y, theta))
                """,
                stdout("56.44289925349999\n"),
            ),
            code(
                """
                theta, J_hist = descensoGradiente(X, y, theta, 0.01, 1500)
                print(theta)
                """,
                stderr(
                    """
                    -c:5: RuntimeWarning: overflow encountered in double_scalars
                    """
                ),
                stdout("[ -6.62169777e+263  -4.71124481e+264]\n"),
            ),
            code(
                """
                plt.plot(x, y, 'rx')
                plt.plot(x, np.dot(X, theta), '-')
                """,
                result("[<matplotlib.lines.Line2D at 0x7f3a2c0e1d10>]"),
                figure(3.8, 17.6, 4.0, 17.0, 5.0, 16.0),
            ),
        ),
    )
)

NOTEBOOKS.append(
    NotebookSpec(
        "felipe_navarro.ipynb",
        "4.5",
        (
            md(
                """
                # Taller de regresión lineal
                Felipe Navarro — predicción del arriendo mensual de departamentos
                """
            ),
            code(
                """
                import numpy as np
                import pandas as pd
                import seaborn as sns
                import matplotlib.pyplot as plt

                sns.set_theme(style="whitegrid")
                """
            ),
            code(
                """
                df = pd.DataFrame({
                    "superficie": [45, 60, 38, 75, 52, 90, 33, 68, 55, 80],
                    "dormitorios": [1, 2, 1, 3, 2, 3, 1, 2, 2, 3],
                    "arriendo": [420, 560, 360, 700, 480, 850, 330, 610, 500, 760],
                })
                df.head()
                """,
                result(
                    """
                       superficie  dormitorios  arriendo
                    0          45            1       420
                    1          60            2       560
                    2          38            1       360
                    3          75            3       700
                    4          52            2       480
                    """
                ),
            ),
            code(
                "sns.pairplot(df)",
                result("<seaborn.axisgrid.PairGrid at 0x7f8b3c2d5e50>"),
                figure(1.0, 2.0, 1.5, 3.0, 2.2, 2.8, 3.5),
            ),
            md("## Funciones del taller"),
            code(
                """
                def normalizar(X):
                    mu = np.mean(X, axis=0)
                    sigma = np.std(X, axis=0)
                    X_norm = (X - mu) / sigma
                    return X_norm, mu, sigma


                def calcularCosto(X, y, theta):
                    m = X.shape[0]
                    errores = np.dot(X, theta) - y
                    return np.sum(errores ** 2) / (2 * m)


                def calcularGradiente(X, y, theta):
                    m = X.shape[0]
                    return np.dot(X.T, np.dot(X, theta) - y) / m


                def descensoGradiente(X, y, theta, alpha, iteraciones):
                    historial = np.zeros(iteraciones)
                    for i in range(iteraciones):
                        theta = theta - alpha * calcularGradiente(X, y, theta)
                        historial[i] = calcularCosto(X, y, theta)
                    return theta, historial
                """
            ),
            code(
                """
                X = df[["superficie", "dormitorios"]].values.astype(float)
                y = df["arriendo"].values.astype(float)
                X_norm, mu, sigma = normalizar(X)
                X_b = np.hstack([np.ones((X.shape[0], 1)), X_norm])
                theta, historial = descensoGradiente(X_b, y, np.zeros(3), 0.1, 500)
                theta
                """,
                result("array([557.        , 152.79420582,  10.98188586])"),
            ),
            code(
                """
                sns.lineplot(x=range(len(historial)), y=historial)
                plt.title("Costo por iteración")
                plt.show()
                """,
                figure(*decay(160000.0, 120.0, rate=12.0)),
            ),
        ),
    )
)


# The logistic-regression workshop (rubrics/logistica).
NOTEBOOKS.extend(
    [
    NotebookSpec(
        "martina_acosta.ipynb",
        "4.5",
        (
            md(
                """
                # Taller 3: Clasificación con regresión logística
                **Martina Acosta** — Aprendizaje Supervisado

                Predecir si un aspirante es admitido (1) o no (0) a partir de sus notas en dos exámenes.
                La hipótesis es $h_\\theta(x) = \\sigma(\\theta^T x)$ y el costo es la entropía cruzada binaria:
                $$J(\\theta) = -\\frac{1}{m}\\sum_{i=1}^m \\left[y^{(i)}\\log h_\\theta(x^{(i)}) + (1-y^{(i)})\\log(1-h_\\theta(x^{(i)}))\\right]$$
                """
            ),
            code(
                """
                import numpy as np
                import matplotlib.pyplot as plt
                """
            ),
            md("## Datos"),
            code(
                """
                notas = np.array([
                    [34.6, 78.0], [30.3, 43.9], [35.8, 72.9], [60.2, 86.3], [79.0, 75.3],
                    [45.1, 56.3], [61.1, 96.5], [75.0, 46.6], [76.1, 87.4], [84.4, 43.5],
                    [95.9, 38.2], [75.0, 30.6], [82.3, 76.5], [69.4, 97.7], [39.5, 76.0],
                    [54.0, 89.2], [69.1, 52.7], [67.9, 46.7], [70.7, 92.9], [76.9, 47.6],
                ])
                admitido = np.array([0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0, 1, 1])

                mu, sigma = notas.mean(axis=0), notas.std(axis=0)
                X = np.hstack([np.ones((len(admitido), 1)), (notas - mu) / sigma])
                y = admitido
                print(X.shape, y.shape)
                """,
                stdout("(20, 3) (20,)\n"),
            ),
            md("## Funciones"),
            code(
                """
                def sigmoide(z):
                    return 1 / (1 + np.exp(-z))
                """
            ),
            code(
                """
                def calcularCostoLogistico(X, y, theta):
                    m = len(y)
                    h = sigmoide(X @ theta)
                    J = -(1 / m) * np.sum(y * np.log(h) + (1 - y) * np.log(1 - h))
                    return J


                def calcularGradienteLogistico(X, y, theta):
                    m = len(y)
                    h = sigmoide(X @ theta)
                    return (1 / m) * (X.T @ (h - y))
                """
            ),
            code(
                """
                theta0 = np.zeros(3)
                print("J(0) =", calcularCostoLogistico(X, y, theta0))
                print("grad(0) =", calcularGradienteLogistico(X, y, theta0))
                """,
                stdout("J(0) = 0.6931471805599454\ngrad(0) = [-0.1        -0.24560503 -0.21616411]\n"),
            ),
            code(
                """
                def descensoGradienteLogistico(X, y, theta, alpha, iteraciones):
                    historial = []
                    for i in range(iteraciones):
                        theta = theta - alpha * calcularGradienteLogistico(X, y, theta)
                        historial.append(calcularCostoLogistico(X, y, theta))
                    return theta, historial


                def predecir(X, theta):
                    return (sigmoide(X @ theta) >= 0.5).astype(int)
                """
            ),
            md("## Entrenamiento"),
            code(
                """
                theta, historial = descensoGradienteLogistico(X, y, theta0, 0.5, 3000)
                print("theta =", theta)
                print("costo final =", historial[-1])
                """,
                stdout("theta = [1.4712636  3.12257738 3.50820461]\ncosto final = 0.2691888981771177\n"),
            ),
            code(
                """
                plt.plot(historial)
                plt.xlabel("iteraciones")
                plt.ylabel("J(θ)")
                plt.show()
                """,
                figure(*decay(0.638, 0.269, rate=8.0)),
            ),
            code(
                """
                p = predecir(X, theta)
                print("exactitud en entrenamiento:", np.mean(p == y))
                """,
                stdout("exactitud en entrenamiento: 0.95\n"),
            ),
        ),
    ),
    NotebookSpec(
        "julian_ospina.ipynb",
        "4.4",
        (
            md(
                """
                # Taller Regresión Logística
                Julián Ospina
                """
            ),
            code("import numpy as np\nimport matplotlib.pyplot as plt\n%matplotlib inline"),
            code(
                """
                # datos de juguete: dos nubes de puntos
                np.random.seed(0)
                clase0 = np.random.randn(15, 2) + [-1.5, -1.0]
                clase1 = np.random.randn(15, 2) + [1.5, 1.0]
                X = np.vstack([clase0, clase1])
                X = np.c_[np.ones(30), X]
                y = np.r_[np.zeros(15), np.ones(15)]
                """
            ),
            code(
                """
                def sigmoide(z):
                  return 1 / (1 + np.exp(-z))

                def calcularCostoLogistico(X, y, theta):
                  m = X.shape[0]
                  h = sigmoide(np.dot(X, theta))
                  costo = -1/m * np.sum(y*np.log(h) + (1-y)*np.log(1-h))
                  return costo

                def calcularGradienteLogistico(X, y, theta):
                  m = X.shape[0]
                  h = sigmoide(np.dot(X, theta))
                  grad = 1/m * np.dot(X.T, (h - y))
                  return grad
                """
            ),
            code(
                """
                def descensoGradienteLogistico(X, y, theta, alpha, iteraciones):
                  historial = []
                  for i in range(iteraciones):
                    grad = calcularGradienteLogistico(X, y, theta)
                    theta = theta + alpha * grad
                    historial.append(calcularCostoLogistico(X, y, theta))
                  return theta, historial

                def predecir(X, theta):
                  return np.round(sigmoide(np.dot(X, theta)))
                """
            ),
            code(
                """
                theta, historial = descensoGradienteLogistico(X, y, np.zeros(3), 0.1, 400)
                plt.plot(historial)
                """,
                stderr(
                    """
                    <ipython-input-4-3d0c6a1e2b7f>:4: RuntimeWarning: divide by zero encountered in log
                      costo = -1/m * np.sum(y*np.log(h) + (1-y)*np.log(1-h))
                    """
                ),
                result("[<matplotlib.lines.Line2D at 0x7f2b1c3e5d90>]"),
                figure(*(0.69 + 0.02 * i for i in range(60))),
            ),
            md("no se porque el costo sube :( revisar"),
            code(
                """
                print(theta)
                print((predecir(X, theta) == y).mean())
                """,
                stdout("[ -0.49861232 -32.25874926 -39.47305553]\n0.13333333333333333\n"),
            ),
        ),
        metadata=COLAB_METADATA,
    ),
    ]
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "submissions", help="output folder")
    args = parser.parse_args()
    build_all(args.out)


if __name__ == "__main__":
    main()
