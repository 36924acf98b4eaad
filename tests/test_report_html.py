"""Tests for the HTML report: dashboard and student pages, escaping, links, scores, languages, page names."""

from __future__ import annotations

import base64
import hashlib
import itertools
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grader.location import Location
from grader.messages import Param, verbatim
from grader.messages import words as catalogue_words
from grader.report import OUTPUT_LIMIT, page_name, render_site
from grader.report.text import hint
from grader.results import (
    CheckResult,
    CheckStatus,
    RunInfo,
    SubmissionError,
    SubmissionResult,
    TaskResult,
    Visibility,
)

HOSTILE_ID = "<script>alert(1)</script>"
HOSTILE_MESSAGE = "<b>negrita</b> & <script>alert(3)</script>\nsegunda línea"
HOSTILE_OUTPUT = "</pre><script>alert(4)</script>"
DASHBOARD_SCRIPT = (
    Path(__file__).parent.parent / "grader" / "report" / "templates" / "dashboard.js"
).read_text(encoding="utf-8")

VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        if self.tag == "br":
            return "\n"
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self, tag: str | None = None) -> Iterator[Element]:
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter(tag)

    def find(self, tag: str, **attrs: str) -> Element:
        matches = [e for e in self.iter(tag) if all(e.attrs.get(k) == v for k, v in attrs.items())]
        assert len(matches) == 1, f"expected one <{tag} {attrs}>, found {len(matches)}"
        return matches[0]


class TreeBuilder(HTMLParser):
    """Parses a page into `Element`s, failing on any end tag that does not close the open element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.doctype: str | None = None

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert tag not in VOID_ELEMENTS, f"end tag for void element <{tag}>"
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(page: str) -> Element:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.stack == [builder.root], f"unclosed: {[e.tag for e in builder.stack[1:]]}"
    assert builder.doctype is not None and builder.doctype.lower() == "doctype html"
    return builder.root


def check(
    id: str,
    status: CheckStatus,
    score: float,
    max_score: float,
    *,
    visibility: Visibility = "public",
    message: str = "",
    diagnoses: tuple[str, ...] = (),
) -> CheckResult:
    return CheckResult(id, status, score, max_score, visibility, verbatim(message), diagnoses=diagnoses)


def ana() -> SubmissionResult:
    return SubmissionResult(
        id="Ana María Pérez",
        source="entregas/Ana María Pérez/taller_xor.ipynb",
        status="graded",
        duration_s=4.25,
        notes=(verbatim("Se usó la convención de filas."),),
        output="época 0: costo 0.69\népoca 1000: costo 0.05\n",
        tasks=(
            TaskResult(
                "xor",
                "feedForward",
                "feed_forward",
                (check("shape", "pass", 1, 1), check("values", "pass", 2, 2, visibility="hidden")),
            ),
            TaskResult(
                "xor",
                "costoGlobal",
                "costo_global",
                (
                    check(
                        "value",
                        "fail",
                        0,
                        2,
                        message="esperado: 0.693147\nobtenido: 0.301030",
                        diagnoses=("log-base-10",),
                    ),
                    check("large-batch", "timeout", 0, 1, visibility="hidden", diagnoses=("log-base-10",)),
                ),
                notes=(verbatim("Devuelve un arreglo de forma (1, 1) en lugar de un float."),),
            ),
            TaskResult(
                "xor", "backProp", None, (check("gradients", "skipped", 0, 3, message="no encontrada"),)
            ),
        ),
    )


def luis() -> SubmissionResult:
    return SubmissionResult(
        id="luis",
        source="luis.py",
        status="graded",
        tasks=(
            TaskResult("linreg", "calcularCosto", "computeCost", (check("value", "pass", 2, 2),)),
            TaskResult(
                "linreg",
                "normalizar",
                "featureNormalize",
                (check("sigma", "error", 0, 2, message="ZeroDivisionError", diagnoses=("ddof",)),),
            ),
        ),
    )


def broken() -> SubmissionResult:
    return SubmissionResult(
        id="sin-cuaderno",
        source="sin-cuaderno.ipynb",
        status="error",
        error=SubmissionError(
            "invalid-notebook", verbatim("El archivo no es JSON válido:\nlínea 3 <columna 5>")
        ),
    )


def hostile() -> SubmissionResult:
    return SubmissionResult(
        id=HOSTILE_ID,
        source="../../<img src=x onerror=alert(2)>.ipynb",
        status="graded",
        notes=(verbatim("<em>nota</em>"),),
        output=HOSTILE_OUTPUT,
        tasks=(
            TaskResult(
                "xor",
                "feedForward",
                "<i>ff</i>",
                (check("shape", "fail", 0, 1, message=HOSTILE_MESSAGE, diagnoses=("<u>x</u>",)),),
                notes=(verbatim("<a href='javascript:alert(5)'>clic</a>"),),
            ),
        ),
    )


def submissions() -> tuple[SubmissionResult, ...]:
    return (ana(), luis(), broken(), hostile())


def run_info(*, hidden_cases: bool = True) -> dict[str, object]:
    info = RunInfo(
        grader_version="0.1.0",
        rubrics=("xor", "linreg"),
        hidden_cases=hidden_cases,
        sandbox=("subprocess", "rlimit"),
        extra={"started": "2024-05-02T10:00:00Z"},
    )
    return info.to_json()


def student_page(site: dict[str, str], submission_id: str) -> Element:
    return parse(site[f"students/{page_name(submission_id)}"])


def row_of(index: Element, submission_id: str) -> Element:
    table = index.find("table", id="students")
    rows = [tr for tr in table.iter("tr") if any(th.text() == submission_id for th in tr.iter("th"))]
    assert len(rows) == 1
    return rows[0]


def table_rows(page: Element, table_id: str) -> list[list[str]]:
    return [cells(tr) for tr in page.find("table", id=table_id).find("tbody").iter("tr")]


def cells(row: Element) -> list[str]:
    return [
        " ".join(c.text().split()) for c in row.children if isinstance(c, Element) and c.tag in ("th", "td")
    ]


@pytest.fixture(scope="module")
def site() -> dict[str, str]:
    return render_site(run_info(), submissions())


def test_site_is_an_index_and_one_page_per_student(site: dict[str, str]) -> None:
    expected = {"index.html"} | {f"students/{page_name(s.id)}" for s in submissions()}
    assert set(site) == expected


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_page_is_well_formed_and_accessible(lang: str) -> None:
    for name, page in render_site(run_info(), submissions(), lang=lang).items():
        root = parse(page)
        html = root.find("html")
        assert html.attrs["lang"] == lang, name
        for tag in ("head", "body", "main", "h1", "style"):
            root.find(tag)
        assert root.find("head").find("title").text().strip()
        assert root.find("meta", charset="utf-8")
        # Headings go down one level at a time, so the outline reads well in a screen reader.
        levels = [int(e.tag[1]) for e in root.iter() if re.fullmatch(r"h[1-6]", e.tag)]
        assert levels[0] == 1, name
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), (name, levels)
        for th in root.iter("th"):
            assert th.attrs.get("scope") in ("col", "row"), (name, th.text())
        for table in root.iter("table"):
            assert table.find("caption").text().strip(), name


def test_pages_are_self_contained(site: dict[str, str]) -> None:
    for name, page in site.items():
        root = parse(page)
        assert not list(root.iter("link")), name
        assert not [e for e in root.iter() if "src" in e.attrs], name
        assert "http://" not in page and "https://" not in page, name
        scripts = list(root.iter("script"))
        policy = root.find("meta", **{"http-equiv": "Content-Security-Policy"}).attrs["content"] or ""
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["default-src"] == "'none'", name
        if name == "index.html":
            # The dashboard runs exactly its own inline script, pinned by hash in the page's policy.
            (script,) = scripts
            digest = base64.b64encode(hashlib.sha256(script.text().encode()).digest()).decode()
            assert directives["script-src"] == f"'sha256-{digest}'"
        else:
            assert not scripts, name
            assert directives["script-src"] == "'none'", name


def test_links_resolve_to_generated_pages(site: dict[str, str]) -> None:
    index = parse(site["index.html"])
    targets = {a.attrs["href"] for a in index.iter("a") if not (a.attrs["href"] or "#").startswith("#")}
    assert targets == {f"students/{page_name(s.id)}" for s in submissions()}
    students = index.find("table", id="students")
    assert len([a for a in students.iter("a")]) == len(submissions())
    for name, page in site.items():
        for anchor in parse(page).iter("a"):
            href = anchor.attrs["href"]
            assert href is not None
            if href.startswith("#"):
                continue
            assert posixpath.normpath(posixpath.join(posixpath.dirname(name), href)) in site, (name, href)
    back = [a.attrs["href"] for a in student_page(site, "luis").iter("a")]
    assert "../index.html" in back


def test_index_shows_run_info_and_summary(site: dict[str, str]) -> None:
    facts = {
        dt.text(): dd.text()
        for dl in parse(site["index.html"]).iter("dl")
        for dt, dd in zip(list(dl.iter("dt")), list(dl.iter("dd")), strict=True)
    }
    assert facts["Versión del calificador"] == "0.1.0"
    assert facts["Rúbricas"] == "xor, linreg"
    assert facts["Casos ocultos"] == "ejecutados"
    assert facts["Capas de aislamiento"] == "subprocess, rlimit"
    assert facts["started"] == "2024-05-02T10:00:00Z"
    assert facts["Entregas"] == "4"
    assert facts["Calificadas"] == "3"
    assert facts["Con error"] == "1"
    assert facts["Con tiempo agotado"] == "1"
    # Scores are per workshop, never added across workshops. In xor the maxima differ (Ana's 9 points,
    # the hostile submission's 1), so its mean is of percentages: (33.33 + 0) / 2.
    assert table_rows(parse(site["index.html"]), "workshops") == [
        ["linreg", "1", "2 / 4 (50 %)", "50 %", "0"],
        ["xor", "2", "16.67 %", "16.67 %", "0"],
    ]


def test_hidden_cases_not_run_and_missing_run_facts() -> None:
    no_hidden = parse(render_site(run_info(hidden_cases=False), [luis()], lang="en")["index.html"])
    assert "Hidden cases\nnot run" in no_hidden.find("dl", **{"class": "facts"}).text()
    bare = parse(render_site({}, [luis()], lang="en")["index.html"])
    facts = {dt.text(): dd.text() for dt, dd in zip(bare.iter("dt"), bare.iter("dd"), strict=False)}
    assert facts["Hidden cases"] == "unknown"
    assert facts["Sandbox layers"] == "none"


def test_mean_score_with_a_common_maximum() -> None:
    other = SubmissionResult(
        "otra",
        "otra.py",
        "graded",
        tasks=(
            TaskResult(
                "linreg",
                "calcularCosto",
                "f",
                (
                    check("value", "pass", 1, 2),
                    check("shape", "fail", 0, 2),
                ),
            ),
        ),
    )
    index = parse(render_site(run_info(), [luis(), other, broken()])["index.html"])
    assert table_rows(index, "workshops") == [["linreg", "2", "1.5 / 4 (37.5 %)", "37.5 %", "0"]]


def test_index_table_has_a_column_per_workshop_with_its_functions_on_demand(site: dict[str, str]) -> None:
    index = parse(site["index.html"])
    table = index.find("table", id="students")
    header = [" ".join(th.text().split()) for th in table.find("thead").iter("th")]
    assert header == ["Estudiante", "Estado", "linreg", "xor", "Diagnósticos"]
    assert cells(row_of(index, "Ana María Pérez")) == [
        "Ana María Pérez",
        "✔ calificada",
        "— sin datos",
        "3 / 9 ◐ nota parcial feedForward 3 / 3 ✔ completa costoGlobal 0 / 3 ✘ sin puntos"
        " backProp 0 / 3 ∅ no encontrada",
        "log-base-10",
    ]
    assert cells(row_of(index, "luis")) == [
        "luis",
        "✔ calificada",
        "2 / 4 ◐ nota parcial calcularCosto 2 / 2 ✔ completa normalizar 0 / 2 ✘ sin puntos",
        "— sin datos",
        "ddof",
    ]
    # The functions are on demand: each workshop cell is a closed <details>, its summary the score.
    cell = next(td for td in row_of(index, "luis").iter("td") if td.attrs.get("data-label") == "linreg")
    details = cell.find("details")
    assert "open" not in details.attrs
    assert " ".join(details.find("summary").text().split()) == "2 / 4 ◐ nota parcial"


def test_error_submission_shows_kind_and_message(site: dict[str, str]) -> None:
    row = cells(row_of(parse(site["index.html"]), "sin-cuaderno"))
    assert row[:2] == ["sin-cuaderno", "⚠ error"]
    assert row[2] == "invalid-notebook: El archivo no es JSON válido: línea 3 <columna 5>"
    page = student_page(site, "sin-cuaderno")
    notice = page.find("section", **{"class": "card notice"})
    assert "invalid-notebook" in notice.text()
    assert "El archivo no es JSON válido:\nlínea 3 <columna 5>" in notice.text()


def test_student_page_shows_tasks_checks_and_output(site: dict[str, str]) -> None:
    page = student_page(site, "Ana María Pérez")
    assert page.find("h1").text() == "Entrega: Ana María Pérez"
    main = page.find("main").text()
    # The page goes back to the student: it names the file handed in, not the instructor's folders.
    assert "taller_xor.ipynb" in main and "entregas/" not in main
    assert "Se usó la convención de filas." in page.find("main").text()
    tasks = [s for s in page.iter("section") if s.attrs.get("class") == "card task"]
    assert [t.find("h3").text() for t in tasks] == [
        "feedForward — 3 / 3 ✔ completa",
        "costoGlobal — 0 / 3 ✘ sin puntos",
        "backProp — 0 / 3 ∅ no encontrada",
    ]
    cost = tasks[1]
    assert "costo_global" in cost.find("dl").text()
    assert "log-base-10" in cost.find("dl").text()
    assert "Devuelve un arreglo de forma (1, 1) en lugar de un float." in cost.text()
    assert [cells(tr) for tr in cost.find("tbody").iter("tr")] == [
        ["value", "pública", "✘ fallida", "0 / 2", "esperado: 0.693147 obtenido: 0.301030"],
        ["large-batch", "oculta", "⏱ tiempo agotado", "0 / 1", ""],
    ]
    # Multi-line messages keep their line breaks, and the stylesheet preserves them.
    message_cells = [td for td in cost.iter("td") if td.attrs.get("class") == "message"]
    assert message_cells[0].text() == "esperado: 0.693147\nobtenido: 0.301030"
    assert re.search(r"\.message[^{]*\{[^}]*white-space:\s*pre-wrap", page.find("style").text())
    assert "no encontrada" in tasks[2].find("dl").text()
    assert page.find("pre").text() == "\népoca 0: costo 0.69\népoca 1000: costo 0.05\n"


def test_every_check_status_and_visibility_has_words() -> None:
    statuses: tuple[CheckStatus, ...] = ("pass", "fail", "error", "timeout", "skipped")
    task = TaskResult(
        "xor",
        "feedForward",
        "feedForward",
        tuple(check(s, s, 0, 1, visibility="hidden" if s == "skipped" else "public") for s in statuses),
    )
    submission = SubmissionResult("s", "s.py", "graded", tasks=(task,))
    for lang, words in {
        "es": ["✔ superada", "✘ fallida", "⚠ error", "⏱ tiempo agotado", "– omitida"],
        "en": ["✔ passed", "✘ failed", "⚠ error", "⏱ timed out", "– skipped"],
    }.items():
        page = student_page(render_site(run_info(), [submission], lang=lang), "s")
        checks = page.find("section", id="task-1").find("tbody")
        assert [cells(tr)[2] for tr in checks.iter("tr")] == words
        visibilities = [cells(tr)[1] for tr in checks.iter("tr")]
        assert visibilities[-2:] == (["public", "hidden"] if lang == "en" else ["pública", "oculta"])


def test_hostile_content_is_escaped(site: dict[str, str]) -> None:
    index_html = site["index.html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index_html
    page_html = site[f"students/{page_name(HOSTILE_ID)}"]
    for name, html in (("index.html", index_html), ("student", page_html)):
        root = parse(html)
        # The dashboard's own script is the only one, and it is the same whatever the results hold.
        assert [s.text() for s in root.iter("script")] == ([DASHBOARD_SCRIPT] if name == "index.html" else [])
        for tag in ("b", "i", "u", "em", "img"):
            assert not list(root.iter(tag)), (name, tag)
        assert not [a for a in root.iter("a") if "javascript" in (a.attrs.get("href") or "")], name
    index = parse(index_html)
    assert row_of(index, HOSTILE_ID).find("a").text() == HOSTILE_ID
    page = parse(page_html)
    assert page.find("head").find("title").text().startswith(HOSTILE_ID)
    assert page.find("h1").text() == f"Entrega: {HOSTILE_ID}"
    text = page.find("main").text()
    for student_text in (
        "<img src=x onerror=alert(2)>.ipynb",
        "<em>nota</em>",
        "<i>ff</i>",
        "<u>x</u>",
        "<a href='javascript:alert(5)'>clic</a>",
        HOSTILE_MESSAGE,
    ):
        assert student_text in text
    assert page.find("pre").text() == "\n" + HOSTILE_OUTPUT


def test_output_is_truncated_with_a_note() -> None:
    long_output = "x" * (OUTPUT_LIMIT - 1) + "y" + "z" * 5_000
    submission = SubmissionResult("largo", "largo.py", "graded", output=long_output)
    page = student_page(render_site(run_info(), [submission]), "largo")
    shown = page.find("pre").text()
    assert shown == "\n" + long_output[:OUTPUT_LIMIT]
    assert shown.endswith("y")
    assert (
        "20\N{NARROW NO-BREAK SPACE}000 de 25\N{NARROW NO-BREAK SPACE}000 caracteres"
        in page.find("main").text()
    )
    short = student_page(render_site(run_info(), [luis()]), "luis")
    assert "truncada" not in short.find("main").text()
    assert "La entrega no imprimió nada." in short.find("main").text()


def test_output_drops_terminal_colour_codes_and_control_characters() -> None:
    submission = SubmissionResult("c", "c.py", "graded", output="\x1b[31mrojo\x1b[0m\x00fin")
    page = student_page(render_site(run_info(), [submission]), "c")
    assert page.find("pre").text() == "\nrojo\N{REPLACEMENT CHARACTER}fin"


def test_english_chrome() -> None:
    site = render_site(run_info(), submissions(), lang="en")
    index = parse(site["index.html"])
    assert index.find("h1").text() == "Grading report"
    assert [h.text() for h in index.iter("h2")] == [
        "Summary",
        "Scores by workshop",
        "Submissions with errors or time-outs",
        "Most frequent diagnoses",
        "Pass rate per check",
        "Results by student",
        "Run",
    ]
    assert cells(row_of(index, "luis"))[:2] == ["luis", "✔ graded"]
    assert cells(row_of(index, "luis"))[2].startswith("2 / 4 ◐ partial marks calcularCosto 2 / 2 ✔ complete")
    page = student_page(site, "Ana María Pérez")
    assert page.find("h1").text() == "Submission: Ana María Pérez"
    assert [h.text() for h in page.iter("h2")] == [
        "Score",
        "Breakdown by function",
        "Functions",
        "Submission notes",
        "Captured output",
    ]
    assert "Back to the index" in page.find("nav").text()
    spanish = student_page(render_site(run_info(), submissions()), "Ana María Pérez")
    assert [h.text() for h in spanish.iter("h2")] == [
        "Puntos",
        "Resumen por función",
        "Funciones",
        "Notas de la entrega",
        "Salida capturada",
    ]


def located(location: Location | str) -> SubmissionResult:
    source = "def feedForward(X):\n    return X"
    task = TaskResult("xor", "feedForward", "feedForward", (check("shape", "pass", 1, 1),), source=source)
    return SubmissionResult("ana", "ana", "graded", tasks=(replace(task, location=location),))


def source_summary(page: Element) -> str:
    (details,) = [d for d in page.iter("details") if d.attrs.get("class") == "source"]
    return details.find("summary").text()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_location_is_put_in_words_in_the_pages_language(lang: str) -> None:
    def t(key: str, **params: Param) -> str:
        return catalogue_words(key, lang, **params)

    in_cell = student_page(
        render_site(run_info(), [located(Location("cuadernos/ana.ipynb", 3, 2))], lang=lang), "ana"
    )
    your_code = {"es": "Tu código", "en": "Your code"}[lang]
    cell_words = t("where.notebook", file="cuadernos/ana.ipynb", cell=3, line=2)
    assert source_summary(in_cell) == f"{your_code} — {cell_words}"
    assert (
        cell_words
        == {
            "es": "cuadernos/ana.ipynb, celda 3, línea 2",
            "en": "cuadernos/ana.ipynb, cell 3, line 2",
        }[lang]
    )
    in_module = student_page(
        render_site(run_info(), [located(Location("taller.py", None, 12))], lang=lang), "ana"
    )
    assert source_summary(in_module).endswith(" — " + t("where.file", file="taller.py", line=12))
    assert source_summary(in_module).endswith({"es": "taller.py, línea 12", "en": "taller.py, line 12"}[lang])


def test_a_location_in_words_from_an_older_results_file_is_shown_as_it_is() -> None:
    page = student_page(render_site(run_info(), [located("ana.ipynb, celda 3, línea 2")], lang="en"), "ana")
    assert source_summary(page) == "Your code — ana.ipynb, celda 3, línea 2"


def test_unknown_language_is_rejected() -> None:
    with pytest.raises(ValueError, match="fr"):
        render_site(run_info(), submissions(), lang="fr")


def test_empty_run() -> None:
    site = render_site(run_info(), [])
    assert set(site) == {"index.html"}
    index = parse(site["index.html"])
    assert "No hay entregas." in index.find("main").text()
    assert "Ninguna entrega calificada todavía." in index.find("main").text()
    assert not list(index.iter("table"))
    assert not list(index.iter("svg"))


def test_duplicate_submission_ids_are_rejected() -> None:
    with pytest.raises(ValueError, match="duplicate submission id 'luis'"):
        render_site(run_info(), [luis(), luis()])


SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.html$")
TRICKY_IDS = [
    "Ana María Pérez",
    "ana maria perez",
    "ANA MARIA PEREZ",
    "ana-maria-perez",
    "ana_maria_perez",
    "../../etc/passwd",
    "..",
    "a/b",
    "a\\b",
    "",
    " ",
    "-",
    "CON",
    "nul",
    HOSTILE_ID,
    "<script>alert(2)</script>",
    "学生",
    "🙂",
    "x" * 500,
    "x" * 499 + "y",
]


def test_page_names_are_safe_and_distinct() -> None:
    names = [page_name(i) for i in TRICKY_IDS]
    for submission_id, name in zip(TRICKY_IDS, names, strict=True):
        assert SAFE_NAME.match(name), (submission_id, name)
        assert len(name) <= 64
    assert len(set(names)) == len(TRICKY_IDS)
    assert page_name("Ana María Pérez").startswith("ana-maria-perez-")
    assert page_name("Ana María Pérez") == page_name("Ana María Pérez")


@given(st.text(), st.text())
def test_page_name_is_safe_and_injective_on_arbitrary_ids(first: str, second: str) -> None:
    assert SAFE_NAME.match(page_name(first))
    assert (page_name(first) == page_name(second)) == (first == second)


# --- the dashboard ---------------------------------------------------------------------------------


def class_of_three() -> tuple[SubmissionResult, ...]:
    """Two xor students with a known diagnosis and a broken notebook, for the dashboard's figures."""

    def student(name: str, values: CheckStatus, codes: tuple[str, ...]) -> SubmissionResult:
        return SubmissionResult(
            name,
            f"{name}.py",
            "graded",
            tasks=(
                TaskResult(
                    "xor",
                    "backProp",
                    "backProp",
                    (
                        check("shapes", "pass", 1, 1),
                        check("gradients", values, 4 if values == "pass" else 0, 4, diagnoses=codes),
                    ),
                ),
            ),
        )

    return (
        student("bea", "pass", ()),
        student("carlos", "fail", ("missing_mean",)),
        student("dora", "fail", ("missing_mean", "sin-pista")),
        broken(),
    )


def test_histogram_counts_graded_submissions_by_percentage() -> None:
    index = parse(render_site(run_info(), class_of_three(), lang="en")["index.html"])
    svg = index.find("svg", id="histogram-1")
    assert svg.attrs["role"] == "img"
    assert svg.attrs["data-rubric"] == "xor"
    bins = {g.find("title").text(): g.find("rect") for g in svg.iter("g")}
    assert len(bins) == 10
    # bea 5/5 = 100 % (last bin), carlos and dora 1/5 = 20 %; the broken notebook is not graded.
    assert bins["90–100 %: 1 submission"]
    full = float(bins["90–100 %: 1 submission"].attrs["height"] or 0)
    assert float(bins["20–30 %: 2 submissions"].attrs["height"] or 0) == pytest.approx(2 * full)
    assert float(bins["0–10 %: 0 submissions"].attrs["height"] or 0) == 0
    assert "20–30 %: 2 submissions" in svg.find("desc").text()


def test_pass_rate_of_every_check() -> None:
    index = parse(render_site(run_info(), class_of_three())["index.html"])
    assert table_rows(index, "check-rates") == [
        ["backProp", "shapes", "pública", "3 / 3", "100 %", "—"],
        ["backProp", "gradients", "pública", "1 / 3", "33 %", "2 fallidas"],
    ]


def test_most_frequent_diagnoses_with_counts_and_hints() -> None:
    for lang in ("es", "en"):
        index = parse(render_site(run_info(), class_of_three(), lang=lang)["index.html"])
        rows = table_rows(index, "diagnoses")
        assert rows[0] == ["missing_mean", catalogue_words("diag.missing_mean", lang), "2 (67 %)", "backProp"]
        # A code the catalogue does not know still counts, without an explanation.
        assert rows[1] == ["sin-pista", "—", "1 (33 %)", "backProp"]


def test_problems_list_errors_time_outs_and_exceptions(site: dict[str, str]) -> None:
    index = parse(site["index.html"])
    rows = {row[0]: row[1] for row in table_rows(index, "problems")}
    assert rows == {
        "Ana María Pérez": "Tiempo agotado en: costoGlobal",
        "luis": "Excepción en: normalizar",
        "sin-cuaderno": (
            "No se pudo calificar: invalid-notebook: El archivo no es JSON válido: línea 3 <columna 5>"
        ),
    }
    links = {a.text(): a.attrs["href"] for a in index.find("table", id="problems").iter("a")}
    assert links["luis"] == f"students/{page_name('luis')}"


def test_student_rows_carry_sort_keys_and_filter_tags(site: dict[str, str]) -> None:
    index = parse(site["index.html"])
    ana = row_of(index, "Ana María Pérez")
    assert ana.attrs["data-f"] == "graded partial problem"
    values = [c.attrs.get("data-v") for c in ana.children if isinstance(c, Element) and c.tag == "td"]
    # status, no linreg (blank), xor 3 of 9 = 33.33 %, diagnoses (sorted by their text)
    assert values == ["graded", "", "33.33", None]
    assert row_of(index, "sin-cuaderno").attrs["data-f"] == "error problem"
    assert row_of(index, HOSTILE_ID).attrs["data-f"] == "graded zero"
    sortable = [th.text() for th in index.find("table", id="students").iter("th") if "data-sort" in th.attrs]
    assert sortable == ["Estudiante", "Estado", "linreg", "xor", "Diagnósticos"]
    # The controls only make sense with the script, which reveals them; without it the table is all there.
    assert "hidden" in index.find("div", id="student-controls").attrs


def test_dashboard_without_any_diagnosis_or_problem() -> None:
    index = parse(render_site(run_info(), [class_of_three()[0]], lang="en")["index.html"])
    text = index.find("main").text()
    assert "No typical mistake was recognised." in text
    assert "Every submission was graded without errors or time-outs." in text


def test_student_page_breakdown_and_diagnoses_with_hints() -> None:
    site = render_site(run_info(), class_of_three(), lang="en")
    page = student_page(site, "dora")
    assert table_rows(page, "breakdown") == [["backProp", "1 / 5", "◐ partial"]]
    assert page.find("table", id="breakdown").find("a").attrs["href"] == "#task-1"
    items = [li.text() for li in page.find("ul", **{"class": "diagnoses"}).iter("li")]
    assert items == [f"missing_mean — {catalogue_words('diag.missing_mean', 'en')}", "sin-pista"]
    assert "20 %" in page.find("main").text()


def test_two_thousand_students_render_compactly() -> None:
    many = [
        SubmissionResult(
            f"estudiante_{i:04d}",
            f"entregas/estudiante_{i:04d}.ipynb",
            "graded",
            tasks=tuple(
                TaskResult(
                    "xor",
                    task,
                    task,
                    tuple(
                        check(
                            f"check_{j}",
                            "pass" if (i + j) % 3 else "fail",
                            1 if (i + j) % 3 else 0,
                            1,
                            message="caso público 1: a1 tiene forma (1, 8); se esperaba (4, 8).",
                            diagnoses=() if (i + j) % 3 else ("missing_mean",),
                        )
                        for j in range(5)
                    ),
                )
                for task in ("feedForward", "costoGlobal", "backProp", "entrenarRed")
            ),
        )
        for i in range(2000)
    ]
    # How long it takes is bench/report_render.py's to say.
    site = render_site(run_info(), many)
    assert len(site) == 2001
    index = site["index.html"]
    assert len(index.encode()) < 3_000_000
    table = parse(index).find("table", id="students")
    assert len(list(table.find("tbody").iter("tr"))) == 2000


# --- workshops, conventions and the cost plot --------------------------------------------------------


XOR_CONVENTIONS = {"xor": {"columns": None, "rows": "rows_as_instances"}, "linreg": {"flat": None}}


def xor_student(name: str, *codes: str, score: float = 2) -> SubmissionResult:
    task = TaskResult(
        "xor", "feedForward", "feedForward", (check("values", "pass", score, 2, diagnoses=codes),)
    )
    return SubmissionResult(name, f"{name}.py", "graded", tasks=(task,))


def test_a_student_doing_two_workshops_gets_a_score_in_each_and_no_sum() -> None:
    both = SubmissionResult(
        "maria",
        "maria",
        "graded",
        tasks=(*xor_student("x", score=2).tasks, *luis().tasks),
    )
    site = render_site(run_info(), [both, xor_student("ana", score=1)])
    index = parse(site["index.html"])
    row = cells(row_of(index, "maria"))
    assert row[2].startswith("2 / 4 ◐ nota parcial")  # linreg
    assert row[3].startswith("2 / 2 ✔ nota completa")  # xor
    # Nowhere on the dashboard are the two workshops added together (4 / 6).
    assert "4 / 6" not in index.find("main").text()
    assert table_rows(index, "workshops") == [
        ["linreg", "1", "2 / 4 (50 %)", "50 %", "0"],
        ["xor", "2", "1.5 / 2 (75 %)", "75 %", "1"],
    ]
    assert [svg.attrs["data-rubric"] for svg in index.iter("svg")] == ["linreg", "xor"]
    # Full marks in one workshop and not in the other is partial marks for the filter.
    assert row_of(index, "maria").attrs["data-f"] == "graded partial problem"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_accepted_conventions_are_not_listed_as_mistakes(lang: str) -> None:
    run = {**run_info(), "conventions": XOR_CONVENTIONS}
    class_ = [
        xor_student("ana", "rows_as_instances"),
        xor_student("beto", "rows_as_instances", "missing_mean"),
    ]
    index = parse(render_site(run, class_, lang=lang)["index.html"])
    assert [row[0] for row in table_rows(index, "diagnoses")] == ["missing_mean"]
    (convention,) = table_rows(index, "conventions")
    assert convention[0] == "rows_as_instances"
    assert convention[1] == hint("rows_as_instances", lang)
    assert convention[2:] == ["2 (100 %)", "xor"]
    heading = {"es": "Convenciones aceptadas", "en": "Accepted conventions"}[lang]
    assert heading in [h.text() for h in index.iter("h2")]
    # The students' table lists mistakes only.
    assert cells(row_of(index, "ana"))[-1] == "—"
    assert cells(row_of(index, "beto"))[-1] == "missing_mean"
    # The run section says which conventions each rubric accepts.
    run_facts = index.find("section", **{"aria-labelledby": "run-heading"}).text()
    assert "xor: columns, rows (rows_as_instances); linreg: flat" in run_facts


def test_without_the_rubrics_conventions_every_code_is_a_diagnosis() -> None:
    # An older results.json recorded no conventions: nothing is hidden from the instructor.
    index = parse(render_site(run_info(), [xor_student("ana", "rows_as_instances")])["index.html"])
    assert [row[0] for row in table_rows(index, "diagnoses")] == ["rows_as_instances"]
    assert not [t for t in index.iter("table") if t.attrs.get("id") == "conventions"]


def test_a_diagnosis_share_counts_the_submissions_that_do_its_workshop() -> None:
    class_ = [xor_student("ana", "missing_mean"), xor_student("beto"), luis()]
    index = parse(render_site(run_info(), class_)["index.html"])
    rows = {row[0]: row[2] for row in table_rows(index, "diagnoses")}
    assert rows == {"missing_mean": "1 (50 %)", "ddof": "1 (100 %)"}


def trained(curve: dict[str, tuple[float, ...]]) -> SubmissionResult:
    task = TaskResult(
        "xor", "entrenarRed", "entrenarRed", (check("cost_decreases", "pass", 1, 1),), curve=curve
    )
    return SubmissionResult("ana", "ana.py", "graded", tasks=(task,))


COSTS = (0.8572, 0.8439, 0.8318, 0.8207, 0.8107)


@pytest.mark.parametrize(("lang", "epoch", "cost"), [("es", "época", "costo"), ("en", "epoch", "cost")])
def test_cost_plot_has_axis_titles_a_legend_and_the_reference_over_the_student(
    lang: str, epoch: str, cost: str
) -> None:
    page = student_page(
        render_site(run_info(), [trained({"student": COSTS, "reference": COSTS})], lang=lang), "ana"
    )
    svg = page.find("svg", **{"class": "chart cost-plot"})
    width = float((svg.attrs["viewbox"] or "").split()[2])
    assert width >= 500
    titles = {
        t.attrs["class"]: t.text() for t in svg.iter("text") if "axis-title" in (t.attrs.get("class") or "")
    }
    assert titles == {"axis-title x-title": epoch, "axis-title y-title": cost}
    # The student's line is drawn first and the reference's over it, so identical curves show both.
    plotted = [
        g
        for g in svg.iter("g")
        if (g.attrs.get("class") or "").startswith("line ") and list(g.iter("polyline"))
    ]
    assert [g.attrs["class"] for g in plotted] == ["line you", "line ref"]
    you, ref = plotted
    assert you.find("polyline").attrs["points"] == ref.find("polyline").attrs["points"]
    # Every epoch is a point; the x axis counts the epochs 0 to 4.
    assert len(list(you.iter("circle"))) == len(COSTS) == len(list(ref.iter("circle")))
    x_ticks = [
        t.text()
        for t in svg.iter("text")
        if t.attrs.get("text-anchor") == "middle" and "tick" in (t.attrs.get("class") or "")
    ]
    assert x_ticks == ["0", "1", "2", "3", "4"]
    # Round cost ticks that cover every cost.
    y_ticks = [float(t.text()) for t in svg.iter("text") if t.attrs.get("text-anchor") == "end"]
    assert y_ticks[0] <= min(COSTS) and y_ticks[-1] >= max(COSTS)
    assert y_ticks == sorted(y_ticks) and len(set(y_ticks)) == len(y_ticks) >= 3
    legend = svg.find("g", **{"class": "legend"}).text()
    labels = {"es": ("tu función", "referencia"), "en": ("your function", "reference")}[lang]
    assert all(label in legend for label in labels)
    # The reference's line is dashed, the student's solid and wider.
    style = page.find("style").text()
    assert re.search(r"\.ref polyline[^{]*\{[^}]*stroke-dasharray", style)
    assert not re.search(r"\.you polyline[^{]*\{[^}]*stroke-dasharray", style)
    caption = page.find("figure", **{"class": "curve"}).find("figcaption").text()
    assert "0.8107" in caption


def test_a_cost_that_blows_up_breaks_the_line() -> None:
    nan = float("nan")
    page = student_page(
        render_site(run_info(), [trained({"student": (1.0, 4.0, nan, nan, 9.0), "reference": COSTS})]), "ana"
    )
    svg = page.find("svg", **{"class": "chart cost-plot"})
    you = next(g for g in svg.iter("g") if g.attrs.get("class") == "line you" and list(g.iter("polyline")))
    # Two finite points, a gap, one more: one line for the first two, a lone point for the last.
    assert len(list(you.iter("polyline"))) == 1
    assert len(list(you.iter("circle"))) == 3
    assert "tu función: 1 al inicio, 9 tras la época 4" in page.find("figure", **{"class": "curve"}).text()


def test_cost_ticks_are_written_exactly() -> None:
    page = student_page(
        render_site(run_info(), [trained({"student": (0.646, 0.62, 0.6, 0.58, 0.5655)})], lang="en"), "ana"
    )
    svg = page.find("svg", **{"class": "chart cost-plot"})
    labels = [t.text() for t in svg.iter("text") if t.attrs.get("text-anchor") == "end"]
    # Steps of 0.025 keep their third decimal: 0.625 is not rounded to 0.62.
    assert labels == ["0.550", "0.575", "0.600", "0.625", "0.650"]
