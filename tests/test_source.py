"""Tests for loading handed-in notebooks and modules as code units."""

from __future__ import annotations

import json
import pickle
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.messages import SAY, render
from grader.source import CodeUnit, LoadedSource, SourceError, load_source

FILES = Path(__file__).parent / "files" / "source"
REPOSITORY = Path(__file__).parent.parent

SETUP = "import numpy as np\n\nX = np.array([[0, 0, 1, 1],\n              [0, 1, 0, 1]])"
SIGMOID = "def sigmoide(z):\n    return 1 / (1 + np.exp(-z))\n"


def _compiles(unit: CodeUnit) -> None:
    compile(unit.source, unit.filename, "exec")


def _notebook_cell_sources(name: str) -> list[str]:
    cells = json.loads((FILES / name).read_text(encoding="utf-8"))["cells"]
    return ["".join(cell["source"]) for cell in cells]


# --- notebooks ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "nb_v3.ipynb",
        "nb_v4_0.ipynb",
        "nb_v4_4.ipynb",
        "nb_v4_5.ipynb",
        "nb_v4_5_missing_ids.ipynb",
        "nb_bom.ipynb",
    ],
)
def test_every_supported_notebook_format_gives_its_code_cells_numbered_among_all_cells(name: str) -> None:
    loaded = load_source(FILES / name)

    assert loaded == LoadedSource(
        units=(
            CodeUnit(source=SETUP, filename=name, cell=2, first_line=1),
            CodeUnit(source=SIGMOID, filename=name, cell=4, first_line=1),
        ),
        notes=(),
    )


def test_display_name_replaces_the_file_name_in_units() -> None:
    loaded = load_source(FILES / "nb_v4_5.ipynb", display_name="grupo3/taller_xor.ipynb")

    assert {unit.filename for unit in loaded.units} == {"grupo3/taller_xor.ipynb"}


def test_notebook_without_code_cells_has_no_units_and_says_so() -> None:
    loaded = load_source(FILES / "markdown_only.ipynb")

    assert loaded.units == ()
    assert loaded.notes == (SAY("source.no_code_cells", file="markdown_only.ipynb"),)
    assert render(loaded.notes[0], "es") == "markdown_only.ipynb no tiene celdas de código."


def test_magics_notebook_units_are_neutralised_line_for_line() -> None:
    loaded = load_source(FILES / "magics.ipynb")

    assert {unit.cell: unit.source for unit in loaded.units} == {
        1: "pass\nimport numpy as np\npass\narchivos = None\npass\nx = np.arange(10)",
        3: "\n\n",
        4: "\ntotal = x.sum()\nmedia = x.mean()",
        5: (
            "def resto(a, b):\n"
            "    return a % b  # el operador % no es una magia\n"
            "\n"
            'mensaje = "100% listo!"\n'
            "pass\n"
            "tiempo = None\n"
            "for i in range(2):\n"
            "    pass\n"
            'plantilla = """\n'
            "%d elementos\n"
            "!no es una orden\n"
            '"""'
        ),
        6: "\n\n",
        8: "pass\npass\nprint('¿listo?')  # ¿seguro?",
        9: "y = 1\nz = y + 1",
        10: "\nprint('oculto')",
    }
    assert loaded.notes == (
        SAY("source.cell_magic", file="magics.ipynb", cell=3, magic="bash"),
        SAY("source.cell_magic", file="magics.ipynb", cell=6, magic="writefile"),
    )
    assert render(loaded.notes[0], "en") == "magics.ipynb, cell 3: the %%bash cell was skipped."
    assert render(loaded.notes[1], "es") == "magics.ipynb, celda 6: se omitió la celda %%writefile."


def test_magics_notebook_units_compile_and_keep_each_cells_line_count() -> None:
    originals = _notebook_cell_sources("magics.ipynb")

    for unit in load_source(FILES / "magics.ipynb").units:
        assert unit.cell is not None
        _compiles(unit)
        assert unit.source.count("\n") == originals[unit.cell - 1].count("\n")


@pytest.mark.parametrize(
    ("name", "kind", "message"),
    [
        ("empty.ipynb", "empty_file", "The file is empty."),
        (
            "truncated.ipynb",
            "truncated_notebook",
            "The notebook ends abruptly at line 26, column 17, so the file looks cut off "
            "(saved or uploaded incompletely).",
        ),
        ("not_json.ipynb", "not_json", "The file is not valid JSON: Expecting value at line 1, column 1."),
        ("list.ipynb", "not_a_notebook", "The file is JSON but not a Jupyter notebook: it holds a list."),
        (
            "no_nbformat.ipynb",
            "not_a_notebook",
            "The file is JSON but not a Jupyter notebook: it holds an object without an 'nbformat' field.",
        ),
        (
            "nbformat_5.ipynb",
            "unsupported_nbformat",
            "The notebook uses nbformat 5, but only nbformat 3 and 4 notebooks can be read.",
        ),
        (
            "tarea.txt",
            "unsupported_file_type",
            "Only Jupyter notebooks (.ipynb) and Python modules (.py) can be graded, not '.txt'.",
        ),
    ],
)
def test_unusable_files_raise_source_error_with_a_stable_kind(name: str, kind: str, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        load_source(FILES / name)

    assert caught.value.kind == kind
    assert caught.value.message == message
    assert str(caught.value) == message
    # What the student reads is the catalogue's sentence for the kind (saying where, when it can).
    assert caught.value.said.key.removesuffix(".at") == f"source.{kind}"


def test_every_cut_of_a_valid_notebook_is_reported_as_truncated(tmp_path: Path) -> None:
    text = (FILES / "nb_v4_5.ipynb").read_text(encoding="utf-8")
    path = tmp_path / "cortado.ipynb"
    # Cutting right after "{" and at every position covers cuts inside strings, escapes, literals, numbers
    # and between tokens.
    for end in range(1, len(text) - 2):
        path.write_text(text[:end], encoding="utf-8")
        with pytest.raises(SourceError) as caught:
            load_source(path)
        assert caught.value.kind == "truncated_notebook", repr(text[max(0, end - 20) : end])


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('{"nbformat": 4, "cells": []} sobra', "not_json"),
        ('{"nbformat" 4}', "not_json"),
        ('{"a": "\\q"}', "not_json"),
        ('[{"cell_type": "code"', "not_json"),
        ('{"a": "b\\u00', "truncated_notebook"),
        ('{"a": [1, 2.5e', "truncated_notebook"),
        ('{"a": fals', "truncated_notebook"),
        ('"texto"', "not_a_notebook"),
        ("12", "not_a_notebook"),
        ('{"nbformat": "4", "cells": []}', "not_a_notebook"),
        ('{"nbformat": 4, "nbformat_minor": 4, "metadata": {}}', "not_a_notebook"),
        ('{"nbformat": 2, "worksheets": []}', "unsupported_nbformat"),
    ],
)
def test_malformed_notebook_text_is_classified(tmp_path: Path, text: str, kind: str) -> None:
    path = tmp_path / "entrega.ipynb"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(SourceError) as caught:
        load_source(path)

    assert caught.value.kind == kind


@pytest.mark.parametrize("name", ["entrega.ipynb", "entrega.py"])
@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n\n"])
def test_blank_files_of_either_type_are_empty(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(SourceError) as caught:
        load_source(path)

    assert caught.value.kind == "empty_file"


def test_notebook_that_is_not_utf8_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "entrega.ipynb"
    path.write_bytes(b'{"cells": "a\xf1o"}')

    with pytest.raises(SourceError) as caught:
        load_source(path)

    assert caught.value.kind == "not_json"
    assert (
        caught.value.message == "The file is not valid JSON: it is not UTF-8 text (byte 0xf1 at offset 12)."
    )


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            '{"nbformat": 4,\n "cells": [] sobra}',
            "El notebook no es JSON válido: falla en la línea 2, columna 14.",
        ),
        (
            '{"nbformat": 4,\n "cells": [{"a": "b',
            "El notebook termina de golpe en la línea 2, columna 18: se guardó o se subió incompleto.",
        ),
    ],
    ids=["not json", "truncated"],
)
def test_broken_json_tells_the_student_where_it_breaks(tmp_path: Path, text: str, said: str) -> None:
    with pytest.raises(SourceError) as caught:
        load_source(_write_notebook(tmp_path, text))

    assert caught.value.said.key.endswith(".at")
    assert render(caught.value.said, "es") == said
    assert "line 2" in render(caught.value.said, "en")


def test_source_error_survives_pickling() -> None:
    error = SourceError("truncated_notebook", "The notebook ends abruptly.")
    at = SourceError(
        "truncated_notebook",
        "The notebook ends abruptly.",
        SAY("source.truncated_notebook.at", line=3, column=1),
    )

    copy = pickle.loads(pickle.dumps(error))

    assert (type(copy), copy.kind, copy.message, str(copy), copy.said) == (
        SourceError,
        "truncated_notebook",
        "The notebook ends abruptly.",
        "The notebook ends abruptly.",
        SAY("source.truncated_notebook"),
    )
    assert pickle.loads(pickle.dumps(at)).said == SAY("source.truncated_notebook.at", line=3, column=1)


def test_missing_file_and_directory_are_unreadable(tmp_path: Path) -> None:
    (tmp_path / "carpeta.ipynb").mkdir()

    for path in (tmp_path / "no_existe.py", tmp_path / "carpeta.ipynb"):
        with pytest.raises(SourceError) as caught:
            load_source(path)
        assert caught.value.kind == "unreadable_file"
        assert caught.value.message.startswith("The file could not be read: ")


def _write_notebook(directory: Path, text: str) -> Path:
    path = directory / "entrega.ipynb"
    path.write_text(text, encoding="utf-8")
    return path


def _notebook(cells: object, **fields: object) -> str:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells, **fields})


def _load_error(path: Path) -> SourceError:
    with pytest.raises(SourceError) as caught:
        load_source(path)
    return caught.value


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        (
            '{"nbformat": 4, "cells": ' + "[" * 100_000 + "]" * 100_000 + "}",
            "not_json",
            "The file is not valid JSON: it nests too deeply.",
        ),
        (
            '{"nbformat": 4, "cells": [], "metadata": ' + '{"a": ' * 100_000 + "1" + "}" * 100_001,
            "not_json",
            "The file is not valid JSON: it nests too deeply.",
        ),
        (
            '{"nbformat": ' + "4" * 5000 + ', "nbformat_minor": 5, "cells": []}',
            "not_json",
            "The file is not valid JSON: a number in it is too long.",
        ),
        (
            '{"nbformat": 4, "nbformat_minor": ' + "5" * 5000 + ', "cells": []}',
            "not_json",
            "The file is not valid JSON: a number in it is too long.",
        ),
        (
            '{"nbformat": 4, "nbformat_minor": 5, "cells": [], "metadata": {"n": -' + "1" * 1001 + "}}",
            "not_json",
            "The file is not valid JSON: a number in it is too long.",
        ),
        (
            '{"nbformat": ' + "9" * 1000 + ', "nbformat_minor": 0, "cells": []}',
            "unsupported_nbformat",
            "The notebook uses an nbformat version that large, "
            "but only nbformat 3 and 4 notebooks can be read.",
        ),
        (
            '{"nbformat": -3, "cells": []}',
            "unsupported_nbformat",
            "The notebook uses nbformat -3, but only nbformat 3 and 4 notebooks can be read.",
        ),
        (
            '{"nbformat": ' + "[" * 900 + "]" * 900 + ', "cells": []}',
            "not_a_notebook",
            "The notebook's 'nbformat' field is not a number: a list.",
        ),
        (
            '{"nbformat": "' + "4" * 100_000 + '", "cells": []}',
            "not_a_notebook",
            "The notebook's 'nbformat' field is not a number: '" + "4" * 40 + "…'.",
        ),
        (
            '{"nbformat": true, "cells": []}',
            "not_a_notebook",
            "The notebook's 'nbformat' field is not a number: True.",
        ),
        (
            '{"nbformat": 4.0, "cells": []}',
            "not_a_notebook",
            "The notebook's 'nbformat' field is not a number: 4.0.",
        ),
        ('{"nbformat": 4, "cells": {"0": {}}}', "not_a_notebook", "The notebook has no list of cells."),
        ('{"nbformat": 3, "worksheets": {}}', "not_a_notebook", "The notebook has no list of worksheets."),
        ('{"nbformat": 3}', "not_a_notebook", "The notebook has no list of worksheets."),
        (
            '{"nbformat": 3, "worksheets": [{"cells": []}, 5]}',
            "not_a_notebook",
            "The notebook's structure is broken: a worksheet has no list of cells.",
        ),
        (
            '{"nbformat": 3, "worksheets": [{"cells": null}]}',
            "not_a_notebook",
            "The notebook's structure is broken: a worksheet has no list of cells.",
        ),
    ],
)
def test_hostile_notebook_json_is_a_source_error(tmp_path: Path, text: str, kind: str, message: str) -> None:
    error = _load_error(_write_notebook(tmp_path, text))

    assert (error.kind, error.message) == (kind, message)


def test_a_huge_nbformat_minor_is_never_looked_at(tmp_path: Path) -> None:
    for major in (3, 4):
        document = json.loads(_notebook([{"cell_type": "code", "source": "x = 1"}]))
        if major == 3:
            del document["cells"]
            document["worksheets"] = [{"cells": [{"cell_type": "code", "input": "x = 1"}]}]
        text = json.dumps({**document, "nbformat": major, "nbformat_minor": -(10**900)})

        (unit,) = load_source(_write_notebook(tmp_path, text)).units

        assert unit.source == "x = 1"


def test_cells_of_odd_types_are_passed_over_or_left_out_with_a_note(tmp_path: Path) -> None:
    cells = [
        5,
        None,
        "x = 1",
        ["x = 1"],
        {"cell_type": ["code"], "source": "x = 1"},
        {"cell_type": "code", "source": "a = 1", "metadata": 5, "outputs": "none", "id": [None]},
        {"cell_type": "code", "source": 5},
        {"cell_type": "code", "source": ["b = 1\n", 2]},
        {"cell_type": "code", "source": {"text": "c = 1"}},
        {"cell_type": "code"},
        {"cell_type": "code", "source": None},
        {"cell_type": "code", "source": ["d = (\n", "  1)"]},
        {"cell_type": "markdown", "source": 5},
    ]

    loaded = load_source(_write_notebook(tmp_path, _notebook(cells)))

    assert [(unit.cell, unit.source) for unit in loaded.units] == [
        (6, "a = 1"),
        (10, ""),
        (11, ""),
        (12, "d = (\n  1)"),
    ]
    assert loaded.notes == tuple(
        SAY("source.cell_not_text", file="entrega.ipynb", cell=cell) for cell in (7, 8, 9)
    )
    assert render(loaded.notes[0], "en") == "entrega.ipynb, cell 7: left out, its source is not text."


def test_nbformat_3_worksheets_are_read_one_after_the_other(tmp_path: Path) -> None:
    worksheets = [
        {
            "cells": [
                {"cell_type": "heading", "source": "T"},
                {"cell_type": "code", "input": ["a = 1\n", "b = 2"]},
            ]
        },
        {
            "cells": [
                5,
                {"cell_type": "code", "input": "%%bash\nls"},
                {"cell_type": "code", "source": "c = 3"},
            ]
        },
    ]
    text = json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": worksheets})

    loaded = load_source(_write_notebook(tmp_path, text))

    # nbformat 3 keeps a code cell's source in "input": a "source" field there is not the code.
    assert [(unit.cell, unit.source) for unit in loaded.units] == [(2, "a = 1\nb = 2"), (4, "\n"), (5, "")]
    assert loaded.notes == (SAY("source.cell_magic", file="entrega.ipynb", cell=4, magic="bash"),)


_NOTEBOOK_KINDS = {"not_json", "truncated_notebook", "not_a_notebook", "unsupported_nbformat"}
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["cell_type", "source", "input", "cells", "metadata", "outputs"])
            | st.text(max_size=3),
            children,
            max_size=3,
        )
    ),
    max_leaves=20,
)
_CELLS = st.lists(
    st.fixed_dictionaries(
        {"cell_type": st.sampled_from(["code", "markdown"]) | _JSON},
        optional={"source": _JSON | st.text(max_size=10), "input": _JSON, "metadata": _JSON},
    )
    | _JSON,
    max_size=5,
)


@settings(max_examples=200, deadline=None)
@given(
    major=st.sampled_from([3, 4]) | _JSON,
    minor=_JSON,
    cells=_CELLS | _JSON,
    metadata=_JSON,
)
def test_any_notebook_structure_loads_or_is_a_source_error(
    major: object, minor: object, cells: object, metadata: object
) -> None:
    document: dict[str, object] = {"nbformat": major, "nbformat_minor": minor, "metadata": metadata}
    if major == 3:
        document["worksheets"] = [{"cells": cells}] if isinstance(cells, list) else cells
    else:
        document["cells"] = cells
    with tempfile.TemporaryDirectory() as directory:
        path = _write_notebook(Path(directory), json.dumps(document))
        try:
            loaded = load_source(path)
        except SourceError as error:
            assert error.kind in _NOTEBOOK_KINDS
            return
    assert all(isinstance(unit.source, str) for unit in loaded.units)


# --- modules -----------------------------------------------------------------------------------------


def test_cp1252_module_is_decoded_as_cp1252_and_noted() -> None:
    loaded = load_source(FILES / "cp1252.py")

    (unit,) = loaded.units
    assert loaded.notes == (SAY("source.decoded_as", file="cp1252.py", encoding="cp1252"),)
    assert render(loaded.notes[0], "es") == (
        "cp1252.py no está en UTF-8: se leyó como cp1252; revisa que los acentos se vean bien."
    )
    assert unit.cell is None and unit.first_line == 1 and unit.filename == "cp1252.py"
    assert unit.source.startswith("# función de costo, año 2024\n")
    assert '    mensaje = "función de costo, año"\n' in unit.source
    assert "# “J” es el costo: ½ del error cuadrático medio" in unit.source
    _compiles(unit)


def test_latin1_module_honours_its_coding_cookie_over_cp1252() -> None:
    loaded = load_source(FILES / "latin1_cookie.py")

    (unit,) = loaded.units
    assert loaded.notes == (SAY("source.decoded_as", file="latin1_cookie.py", encoding="iso-8859-1"),)
    # cp1252 would have read bytes 0x93/0x94 as curly quotes.
    assert '"""Devuelve X normalizada, la media (\x93mu\x94) y la desviación."""' in unit.source
    assert "# normalización de características" in unit.source
    _compiles(unit)


def test_module_undecodable_as_cp1252_falls_back_to_latin1() -> None:
    loaded = load_source(FILES / "undefined_in_cp1252.py")

    assert loaded.notes == (SAY("source.decoded_as", file="undefined_in_cp1252.py", encoding="latin-1"),)
    assert loaded.units[0].source == "# byte \x81 sin significado en cp1252\nvalor = 'a\x81'\n"


def test_utf8_bom_is_dropped_without_a_note() -> None:
    loaded = load_source(FILES / "bom.py")

    assert loaded == LoadedSource(
        units=(CodeUnit(source="alfa = 'ñ'\nbeta = 2\n", filename="bom.py", cell=None, first_line=1),),
        notes=(),
    )


def test_crlf_and_cr_newlines_become_lf_with_the_same_line_count() -> None:
    raw = (FILES / "crlf.py").read_bytes()

    (unit,) = load_source(FILES / "crlf.py").units

    assert "\r" not in unit.source
    assert unit.source.count("\n") == raw.count(b"\n") + raw.replace(b"\r\n", b"").count(b"\r")
    assert unit.source.endswith("\n\nlegacy = 1\n")
    _compiles(unit)


def test_module_exported_from_jupyter_is_one_unit_with_magics_neutralised() -> None:
    original = (FILES / "jupyter_export.py").read_text(encoding="utf-8")

    loaded = load_source(FILES / "jupyter_export.py")

    (unit,) = loaded.units
    assert unit.cell is None
    assert unit.source.count("\n") == original.count("\n")
    assert unit.source.endswith("# %%\npass\npass\n")
    assert "get_ipython().run_line_magic('matplotlib', 'inline')\n" in unit.source
    _compiles(unit)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("%matplotlib inline", "pass"),
        ("%%timeit", "pass"),
        ("!pip install numpy", "pass"),
        ("    !ls", "    pass"),
        ("\t%time f()", "\tpass"),
        ("np.sum?", "pass"),
        ("np.sum??  ", "pass"),
        ("?np.sum", "pass"),
        ("archivos = !ls -la", "archivos = None"),
        ("t = %timeit -o f()", "t = None"),
        ("self.t =%time f()", "self.t = None"),
        ("salida, errores = !make", "salida, errores = None, None"),
        ("año = !date", "año = None"),
        ("r = a % b", "r = a % b"),
        ("r %= 3", "r %= 3"),
        ("ok = a != b", "ok = a != b"),
        ("mensaje = '¿qué?'", "mensaje = '¿qué?'"),
        ("x = 1  # ¿por qué?", "x = 1  # ¿por qué?"),
        (
            "x = get_ipython().run_line_magic('time', 'f()')",
            "x = get_ipython().run_line_magic('time', 'f()')",
        ),
    ],
)
def test_ipython_syntax_at_statement_start_is_neutralised(tmp_path: Path, line: str, expected: str) -> None:
    path = tmp_path / "modulo.py"
    path.write_text(f"def f():\n    return 1\n\n{line}\nz = 0\n", encoding="utf-8")

    (unit,) = load_source(path).units

    assert unit.source == f"def f():\n    return 1\n\n{expected}\nz = 0\n"


@pytest.mark.parametrize(
    "source",
    [
        "total = (1\n    % 2)\n",
        "total = 1 \\\n    % 2\n",
        "texto = '''\n%d elementos\n!no\nnp.sum?\n'''\n",
        'texto = """uno \\""" \n!dos"""\n',
        "datos = {\n    'a': 1,\n}\n!echo hola\n",
    ],
)
def test_lines_inside_brackets_strings_or_continuations_are_not_touched(tmp_path: Path, source: str) -> None:
    path = tmp_path / "modulo.py"
    path.write_text(source, encoding="utf-8")

    (unit,) = load_source(path).units

    expected = source.replace("!echo hola", "pass")
    assert unit.source == expected
    compile(unit.source, "modulo.py", "exec")


def test_shell_escape_continued_with_a_backslash_is_blanked_whole(tmp_path: Path) -> None:
    path = tmp_path / "modulo.py"
    path.write_text("!pip install \\\n    numpy \\\n    scipy\nx = 1\n", encoding="utf-8")

    (unit,) = load_source(path).units

    assert unit.source == "pass\n\n\nx = 1\n"


def test_valid_python_modules_of_this_repository_load_unchanged() -> None:
    modules = sorted((REPOSITORY / "grader").rglob("*.py")) + sorted((REPOSITORY / "reference").rglob("*.py"))
    assert modules

    for module in modules:
        if not module.read_bytes().strip():
            continue
        (unit,) = load_source(module).units
        assert unit.source == module.read_text(encoding="utf-8"), module


_FRAGMENTS = st.sampled_from(
    ["x = 1", "%time f()", "!ls", "y = (", ")", "'''", '"', "'", "a % b", "np.sum?", "# ¿?", "\\", " ", "\t"]
)


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.lists(_FRAGMENTS, max_size=4).map("".join), min_size=1, max_size=12))
def test_any_module_text_keeps_its_line_count(lines: list[str]) -> None:
    text = "\r\n".join(lines) + "\n\nfin = 1"
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "modulo.py"
        path.write_bytes(text.encode("utf-8"))

        (unit,) = load_source(path).units

    assert unit.source.count("\n") == text.count("\n")
    assert unit.source.endswith("\n\nfin = 1")
