"""Writes the notebook and module fixtures of tests/test_source.py and tests/test_definitions.py.

Run from anywhere with the project's interpreter: python tests/files/source/make_fixtures.py
The notebooks are built with nbformat's own API so that they are what Jupyter itself would save.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat import v3, v4

HERE = Path(__file__).resolve().parent

# The same small notebook in every format: markdown, code, markdown, code (cells 2 and 4 are code).
INTRO = "# Taller XOR\nEste cuaderno calcula la compuerta XOR."
SETUP = "import numpy as np\n\nX = np.array([[0, 0, 1, 1],\n              [0, 1, 0, 1]])"
TITLE = "Funciones"
SIGMOID = "def sigmoide(z):\n    return 1 / (1 + np.exp(-z))\n"


def write_text(name: str, text: str) -> None:
    (HERE / name).write_text(text, encoding="utf-8", newline="\n")


def v3_notebook() -> str:
    cells = [
        v3.new_text_cell("markdown", source=INTRO),
        v3.new_code_cell(input=SETUP),
        v3.new_heading_cell(TITLE, level=2),
        v3.new_code_cell(input=SIGMOID),
    ]
    return v3.writes_json(v3.new_notebook(worksheets=[v3.new_worksheet(cells=cells)]))


def v4_notebook(minor: int, *, with_ids: bool) -> str:
    cells = [
        v4.new_markdown_cell(INTRO),
        v4.new_code_cell(SETUP),
        v4.new_markdown_cell("## " + TITLE),
        v4.new_code_cell(SIGMOID),
    ]
    for number, cell in enumerate(cells, start=1):
        cell["id"] = f"celda-{number}"
    notebook = v4.new_notebook(cells=cells)
    notebook.nbformat_minor = minor
    if not with_ids:
        for cell in notebook.cells:
            del cell["id"]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if minor >= 5 and not with_ids:
        # nbformat.writes would validate (and complain about) a 4.5 notebook without ids: the bare JSON
        # writer leaves it as an older tool or a hand edit would.
        return v4.writes(notebook) + "\n"
    return nbformat.writes(notebook, version=4)


def magics_notebook() -> str:
    cells = [
        v4.new_code_cell(
            "%matplotlib inline\n"
            "import numpy as np\n"
            "!pip install -q seaborn\n"
            "archivos = !ls\n"
            "np.sum?\n"
            "x = np.arange(10)"
        ),
        v4.new_markdown_cell("Celdas con *magias* de IPython."),
        v4.new_code_cell("%%bash\necho hola\nls -la"),
        v4.new_code_cell("%%time\ntotal = x.sum()\nmedia = x.mean()"),
        v4.new_code_cell(
            "def resto(a, b):\n"
            "    return a % b  # el operador % no es una magia\n"
            "\n"
            'mensaje = "100% listo!"\n'
            "%timeit resto(7, 3)\n"
            "tiempo = %timeit -o resto(7, 3)\n"
            "for i in range(2):\n"
            "    !echo $i\n"
            'plantilla = """\n'
            "%d elementos\n"
            "!no es una orden\n"
            '"""'
        ),
        v4.new_code_cell("%%writefile ayuda.py\ndef ayuda():\n    return 1"),
        v4.new_raw_cell("texto sin formato"),
        v4.new_code_cell("??np.dot\nnp.dot??\nprint('¿listo?')  # ¿seguro?"),
        v4.new_code_cell("    y = 1\n    z = y + 1"),
        v4.new_code_cell("%%capture salida\nprint('oculto')"),
    ]
    for number, cell in enumerate(cells, start=1):
        cell["id"] = f"magia-{number}"
    return nbformat.writes(v4.new_notebook(cells=cells), version=4)


XOR_CELLS = [
    ("markdown", "# Taller: red neuronal para XOR"),
    ("code", "import numpy as np\nimport matplotlib.pyplot as plt\n%matplotlib inline"),
    (
        "code",
        "X = np.array([[0, 0, 1, 1],\n"
        "              [0, 1, 0, 1]])\n"
        "y = np.array([[0, 1, 1, 0]])\n"
        "m = X.shape[1]\n"
        "np.random.seed(0)",
    ),
    (
        "code",
        "def sigmoide(z):\n"
        "    return 1 / (1 + np.exp(-z))\n"
        "\n"
        "def feedForward(X, w1, w2, b1, b2):\n"
        "    a1 = sigmoide(w1 @ X + b1)\n"
        "    a2 = sigmoide(w2 @ a1 + b2)\n"
        "    return a1, a2",
    ),
    (
        "code",
        "def costoGlobal(y_est, y):\n"
        "    return float(-np.mean(y * np.log(y_est) + (1 - y) * np.log(1 - y_est)))\n"
        "\n"
        "def backProp(X, y, w1, w2, b1, b2, a2, a1):\n"
        "    dz2 = a2 - y\n"
        "    dw2 = dz2 @ a1.T / m\n"
        "    db2 = dz2.sum(axis=1, keepdims=True) / m\n"
        "    dz1 = (w2.T @ dz2) * a1 * (1 - a1)\n"
        "    dw1 = dz1 @ X.T / m\n"
        "    db1 = dz1.sum(axis=1, keepdims=True) / m\n"
        "    return dw1, db1, dw2, db2",
    ),
    (
        "code",
        "def entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2):\n"
        "    costos = []\n"
        "    for _ in range(epocas):\n"
        "        a1, a2 = feedForward(X, w1, w2, b1, b2)\n"
        "        dw1, db1, dw2, db2 = backProp(X, y, w1, w2, b1, b2, a2, a1)\n"
        "        w1, b1 = w1 - lr * dw1, b1 - lr * db1\n"
        "        w2, b2 = w2 - lr * dw2, b2 - lr * db2\n"
        "        costos.append(costoGlobal(a2, y))\n"
        "    return w1, b1, w2, b2, costos",
    ),
    (
        "code",
        "epocas = 10000\n"
        "lr = 0.5\n"
        "w1 = np.random.randn(2, 2)\n"
        "b1 = np.zeros((2, 1))\n"
        "w2 = np.random.randn(1, 2)\n"
        "b2 = np.zeros((1, 1))\n"
        "a1, a2 = feedForward(X, w1, w2, b1, b2)",
    ),
    ("code", "w1, b1, w2, b2, costos = entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2)"),
    (
        "code",
        "plt.plot(costos)\n"
        "plt.xlabel('época')\n"
        "plt.show()\n"
        "ultimo = costos[-1]\n"
        "escala = 2.0\n"
        "b1_escalado = b1 * escala",
    ),
    (
        "code",
        "historial = []\n"
        "for epoca in range(epocas):\n"
        "    a1, a2 = feedForward(X, w1, w2, b1, b2)\n"
        "    historial.append(costoGlobal(a2, y))\n"
        "salida = a2.round()",
    ),
    (
        "code",
        "try:\n"
        "    import seaborn as sns\n"
        "except ImportError:\n"
        "    sns = None\n"
        "\n"
        "nombre = input('¿Cómo te llamas? ')\n"
        "fig, ax = plt.subplots()\n"
        "\n"
        "if __name__ == '__main__':\n"
        "    entrenarRed(epocas, lr, X, y, w1, b1, w2, b2, a1, a2)",
    ),
    ("code", "def predecir(X):\n    return feedForward(X, w1, w2, b1, b2)[1] > 0.5\n\nprint(predecir(X)"),
]


def xor_notebook() -> str:
    cells = []
    for number, (kind, source) in enumerate(XOR_CELLS, start=1):
        cell = v4.new_markdown_cell(source) if kind == "markdown" else v4.new_code_cell(source)
        cell["id"] = f"xor-{number}"
        cells.append(cell)
    return nbformat.writes(v4.new_notebook(cells=cells), version=4)


def main() -> None:
    write_text("nb_v3.ipynb", v3_notebook())
    write_text("nb_v4_0.ipynb", v4_notebook(0, with_ids=False))
    write_text("nb_v4_4.ipynb", v4_notebook(4, with_ids=False))
    write_text("nb_v4_5.ipynb", v4_notebook(5, with_ids=True))
    write_text("nb_v4_5_missing_ids.ipynb", v4_notebook(5, with_ids=False))
    (HERE / "nb_bom.ipynb").write_bytes(b"\xef\xbb\xbf" + v4_notebook(4, with_ids=False).encode("utf-8"))
    write_text("magics.ipynb", magics_notebook())
    write_text("xor_student.ipynb", xor_notebook())

    complete = v4_notebook(5, with_ids=True)
    write_text("truncated.ipynb", complete[: len(complete) // 2])
    (HERE / "empty.ipynb").write_bytes(b"")
    write_text("not_json.ipynb", "import numpy as np\n\ndef sigmoide(z):\n    return 1 / (1 + np.exp(-z))\n")
    write_text("list.ipynb", json.dumps([{"cell_type": "code", "source": "x = 1"}], indent=1) + "\n")
    write_text("no_nbformat.ipynb", json.dumps({"cells": [], "metadata": {}}, indent=1) + "\n")
    nbformat_5 = json.loads(complete)
    nbformat_5["nbformat"] = 5
    write_text("nbformat_5.ipynb", json.dumps(nbformat_5, indent=1) + "\n")
    only_markdown = v4.new_notebook(cells=[v4.new_markdown_cell("Solo texto.")])
    only_markdown.cells[0]["id"] = "texto-1"
    write_text("markdown_only.ipynb", nbformat.writes(only_markdown, version=4))

    (HERE / "cp1252.py").write_bytes(
        (
            "# función de costo, año 2024\n"
            "import numpy as np\n"
            "\n"
            "def calcularCosto(X, y, theta):\n"
            "    # “J” es el costo: ½ del error cuadrático medio\n"
            '    mensaje = "función de costo, año"\n'
            "    m = len(y)\n"
            "    return float(((X @ theta - y) ** 2).sum() / (2 * m))\n"
        ).encode("cp1252")
    )
    (HERE / "latin1_cookie.py").write_bytes(
        (
            "# -*- coding: latin-1 -*-\n"
            "# normalización de características\n"
            "def normalizar(X):\n"
            '    """Devuelve X normalizada, la media (\x93mu\x94) y la desviación."""\n'
            "    mu = X.mean(axis=0)\n"
            "    sigma = X.std(axis=0)\n"
            "    return (X - mu) / sigma, mu, sigma\n"
        ).encode("latin-1")
    )
    (HERE / "undefined_in_cp1252.py").write_bytes(b"# byte \x81 sin significado en cp1252\nvalor = 'a\x81'\n")
    (HERE / "crlf.py").write_bytes(
        b"import numpy as np\r\n\r\ndef calcularGradiente(X, y, theta):\r\n"
        b"    m = len(y)\r\n    return X.T @ (X @ theta - y) / m\r\n\rlegacy = 1\r"
    )
    (HERE / "bom.py").write_bytes(b"\xef\xbb\xbf" + "alfa = 'ñ'\nbeta = 2\n".encode("utf-8"))
    write_text(
        "jupyter_export.py",
        "#!/usr/bin/env python\n"
        "# coding: utf-8\n"
        "\n"
        "# In[1]:\n"
        "\n"
        "\n"
        "import numpy as np\n"
        "get_ipython().run_line_magic('matplotlib', 'inline')\n"
        "\n"
        "\n"
        "# In[3]:\n"
        "\n"
        "\n"
        "def calcularCosto(X, y, theta):\n"
        "    return float(((X @ theta - y) ** 2).mean() / 2)\n"
        "\n"
        "\n"
        "# %%\n"
        "%time calcularCosto(np.ones((2, 2)), np.ones(2), np.zeros(2))\n"
        "!ls\n",
    )
    write_text("tarea.txt", "calcularCosto\n")


if __name__ == "__main__":
    main()
