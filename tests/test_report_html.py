"""Tests for the HTML report: site layout, escaping, links, scores, languages and page names."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grader.report import OUTPUT_LIMIT, page_name, render_site
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
    return CheckResult(id, status, score, max_score, visibility, message, diagnoses)


def ana() -> SubmissionResult:
    return SubmissionResult(
        id="Ana María Pérez",
        source="entregas/Ana María Pérez/taller_xor.ipynb",
        status="graded",
        duration_s=4.25,
        notes=("Se usó la convención de filas.",),
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
                notes=("Devuelve un arreglo de forma (1, 1) en lugar de un float.",),
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
        error=SubmissionError("invalid-notebook", "El archivo no es JSON válido:\nlínea 3 <columna 5>"),
    )


def hostile() -> SubmissionResult:
    return SubmissionResult(
        id=HOSTILE_ID,
        source="../../<img src=x onerror=alert(2)>.ipynb",
        status="graded",
        notes=("<em>nota</em>",),
        output=HOSTILE_OUTPUT,
        tasks=(
            TaskResult(
                "xor",
                "feedForward",
                "<i>ff</i>",
                (check("shape", "fail", 0, 1, message=HOSTILE_MESSAGE, diagnoses=("<u>x</u>",)),),
                notes=("<a href='javascript:alert(5)'>clic</a>",),
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
    rows = [tr for tr in index.iter("tr") if any(th.text() == submission_id for th in tr.iter("th"))]
    assert len(rows) == 1
    return rows[0]


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
        for tag in ("head", "title", "body", "main", "h1", "style"):
            root.find(tag)
        assert root.find("meta", charset="utf-8")
        for th in root.iter("th"):
            assert th.attrs.get("scope") in ("col", "row"), (name, th.text())
        for table in root.iter("table"):
            assert table.find("caption").text().strip(), name


def test_pages_are_self_contained(site: dict[str, str]) -> None:
    for name, page in site.items():
        root = parse(page)
        assert not list(root.iter("script")), name
        assert not list(root.iter("link")), name
        assert not [e for e in root.iter() if "src" in e.attrs], name
        assert "http://" not in page and "https://" not in page, name


def test_links_resolve_to_generated_pages(site: dict[str, str]) -> None:
    index = parse(site["index.html"])
    targets = [a.attrs["href"] for a in index.iter("a") if not (a.attrs["href"] or "#").startswith("#")]
    assert sorted(t for t in targets if t) == sorted(f"students/{page_name(s.id)}" for s in submissions())
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
    # Maxima differ (9, 4 and 1 points), so the mean is of percentages: (33.33 + 50 + 0) / 3.
    assert facts["Nota media (entregas calificadas)"] == "27.78 %"


def test_hidden_cases_not_run_and_missing_run_facts() -> None:
    no_hidden = parse(render_site(run_info(hidden_cases=False), [luis()], lang="en")["index.html"])
    assert "Hidden cases\nnot run" in next(no_hidden.iter("dl")).text()
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
    assert "1.5 / 4 (37.5 %)" in [dd.text() for dd in index.iter("dd")]


def test_index_table_has_a_column_per_task_with_scores_and_status(site: dict[str, str]) -> None:
    index = parse(site["index.html"])
    header = [" ".join(th.text().split()) for th in index.find("thead").iter("th")]
    assert header == [
        "Estudiante",
        "Estado",
        "Puntos",
        "feedForward xor",
        "costoGlobal xor",
        "backProp xor",
        "calcularCosto linreg",
        "normalizar linreg",
        "Diagnósticos",
    ]
    assert cells(row_of(index, "Ana María Pérez")) == [
        "Ana María Pérez",
        "✔ calificada",
        "3 / 9",
        "3 / 3 ✔ completa",
        "0 / 3 ✘ sin puntos",
        "0 / 3 ∅ no encontrada",
        "— sin datos",
        "— sin datos",
        "log-base-10",
    ]
    assert cells(row_of(index, "luis")) == [
        "luis",
        "✔ calificada",
        "2 / 4",
        "— sin datos",
        "— sin datos",
        "— sin datos",
        "2 / 2 ✔ completa",
        "0 / 2 ✘ sin puntos",
        "ddof",
    ]


def test_error_submission_shows_kind_and_message(site: dict[str, str]) -> None:
    row = cells(row_of(parse(site["index.html"]), "sin-cuaderno"))
    assert row[:3] == ["sin-cuaderno", "⚠ error", "—"]
    assert row[3] == "invalid-notebook: El archivo no es JSON válido: línea 3 <columna 5>"
    page = student_page(site, "sin-cuaderno")
    notice = page.find("section", **{"class": "notice"})
    assert "invalid-notebook" in notice.text()
    assert "El archivo no es JSON válido:\nlínea 3 <columna 5>" in notice.text()


def test_student_page_shows_tasks_checks_and_output(site: dict[str, str]) -> None:
    page = student_page(site, "Ana María Pérez")
    assert page.find("h1").text() == "Entrega: Ana María Pérez"
    assert "entregas/Ana María Pérez/taller_xor.ipynb" in page.find("main").text()
    assert "Se usó la convención de filas." in page.find("main").text()
    tasks = [s for s in page.iter("section") if s.attrs.get("class") == "task"]
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
        assert [cells(tr)[2] for tr in page.find("tbody").iter("tr")] == words
        visibilities = [cells(tr)[1] for tr in page.find("tbody").iter("tr")]
        assert visibilities[-2:] == (["public", "hidden"] if lang == "en" else ["pública", "oculta"])


def test_hostile_content_is_escaped(site: dict[str, str]) -> None:
    index_html = site["index.html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index_html
    page_html = site[f"students/{page_name(HOSTILE_ID)}"]
    for name, html in (("index.html", index_html), ("student", page_html)):
        root = parse(html)
        assert not list(root.iter("script")), name
        for tag in ("b", "i", "u", "em", "img"):
            assert not list(root.iter(tag)), (name, tag)
        assert not [a for a in root.iter("a") if "javascript" in (a.attrs.get("href") or "")], name
    index = parse(index_html)
    assert row_of(index, HOSTILE_ID).find("a").text() == HOSTILE_ID
    page = parse(page_html)
    assert page.find("title").text().startswith(HOSTILE_ID)
    assert page.find("h1").text() == f"Entrega: {HOSTILE_ID}"
    text = page.find("main").text()
    for student_text in (
        "../../<img src=x onerror=alert(2)>.ipynb",
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
    assert [h.text() for h in index.iter("h2")] == ["Run", "Summary", "Results by student"]
    assert cells(row_of(index, "luis"))[:3] == ["luis", "✔ graded", "2 / 4"]
    page = student_page(site, "Ana María Pérez")
    assert page.find("h1").text() == "Submission: Ana María Pérez"
    assert [h.text() for h in page.iter("h2")] == ["Submission notes", "Functions", "Captured output"]
    assert "Back to the index" in page.find("nav").text()
    spanish = student_page(render_site(run_info(), submissions()), "Ana María Pérez")
    assert [h.text() for h in spanish.iter("h2")] == ["Notas de la entrega", "Funciones", "Salida capturada"]


def test_unknown_language_is_rejected() -> None:
    with pytest.raises(ValueError, match="fr"):
        render_site(run_info(), submissions(), lang="fr")


def test_empty_run() -> None:
    site = render_site(run_info(), [])
    assert set(site) == {"index.html"}
    index = parse(site["index.html"])
    assert "No hay entregas." in index.find("main").text()
    assert not list(index.iter("table"))


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
