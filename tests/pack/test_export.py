"""Board-pack pages: offline, accessible, metadata-driven banner and footer, atomic.

Notebooks are built here with nbformat and given the outputs IPython's own display
formatter produces for a chart and a table, so the export is tested without a kernel
(tests/browser/ executes real notebooks and opens them in Chromium).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nbformat
import pandas as pd
import pytest
from IPython.core.formatters import DisplayFormatter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from lis_analysis import charts
from lis_analysis.errors import ConfigError
from lis_analysis.pack.export import (
    DEMO_BANNER,
    export_html,
    external_references,
    page_metadata,
    render_html,
)
from lis_analysis.pages.tables import table

LL = "Leicester and Leicestershire"
SETUP_CODE = "tab = lis.indicator_table(area)  # the setup cell"
PROMPT = re.compile("In(?:\u00a0|&nbsp;)\\[\\d+\\]:")


class Page(HTMLParser):
    """The bits of a page the tests look at."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.imgs: list[dict] = []
        self.headings: list[tuple[int, str]] = []
        self.html_lang = None
        self.links: list[dict] = []
        self._h: int | None = None
        self._text = ""
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.imgs.append(a)
        elif tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "a":
            self.links.append(a)
        elif re.fullmatch(r"h[1-6]", tag):
            self._h, self._text = int(tag[1]), ""

    def handle_data(self, data):
        if self._h is not None:
            self._text += data

    def handle_endtag(self, tag):
        if self._h is not None and tag == f"h{self._h}":
            self.headings.append((self._h, self._text.replace("\u00b6", "").strip()))
            self._h = None


def bundle(obj) -> dict:
    data, meta = DisplayFormatter().format(obj)
    return {"data": data, "metadata": meta}


def gva_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": ["E37000021", "E37000021"],
            "area_name": [LL, LL],
            "indicator_id": ["gva_per_hour"] * 2,
            "indicator_name": ["GVA per hour worked"] * 2,
            "period": ["2022"] * 2,
            "value": [35.2, 35.2],
            "unit": ["£ per hour"] * 2,
            "ci_lower": [34.1, 34.1],
            "ci_upper": [36.3, 36.3],
            "benchmark_code": ["K02000001", "E12000004"],
            "benchmark_value": [39.1, 33.9],
            "significant": [True, False],
            "rank": [3, 3],
            "n_peers": [12, 12],
            "polarity": ["higher"] * 2,
        }
    )


@pytest.fixture(scope="module")
def chart():
    return charts.benchmark_bar(gva_table(), "gva_per_hour")


def make_notebook(chart, *, demo: bool | None = True, own_h1: bool = True, extra_meta=None):
    tbl = table(
        pd.DataFrame({"Area": [LL, "UK"], "GVA per hour (£)": [35.2, 39.1]}),
        "GVA per hour worked, 2022",
    )
    cells = []
    if own_h1:
        cells.append(new_markdown_cell("# Productivity overview\n\nHow productive is the area?"))
    else:
        cells.append(new_markdown_cell("How productive is the area?"))
    setup = new_code_cell(SETUP_CODE, execution_count=1)
    setup.outputs = [new_output("stream", name="stderr", text="UserWarning: noisy warning\n")]
    cells.append(setup)
    cells.append(new_markdown_cell("## Findings\n\nGVA per hour worked was £35.20 in 2022."))
    c = new_code_cell('charts.benchmark_bar(tab, "gva_per_hour")', execution_count=2)
    c.outputs = [new_output("execute_result", execution_count=2, **bundle(chart))]
    cells.append(c)
    t = new_code_cell("table(tab, 'GVA per hour worked, 2022')", execution_count=3)
    t.outputs = [new_output("execute_result", execution_count=3, **bundle(tbl))]
    cells.append(t)
    cells.append(new_markdown_cell("## Caveats\n\nSmall samples."))
    hidden = new_code_cell(
        "print('analyst detail')", execution_count=4, metadata={"tags": ["analyst-only"]}
    )
    hidden.outputs = [new_output("stream", name="stdout", text="analyst detail\n")]
    cells.append(hidden)
    cells.append(new_code_cell("secret = 1", metadata={"tags": ["remove-cell"]}))
    nb = new_notebook(cells=cells)
    meta = {
        "title": "Productivity overview",
        "pack_title": f"{LL}: evidence base",
        "area": {"code": "E37000021", "name": LL},
        "run_id": "run-42",
        "generated": "2026-11-24T18:15:00Z",
        "git_commit": "bf7ee79",
        "package_version": "0.1.0",
        "parameters": {"area": "E37000021", "years": [2012, 2022]},
        "inputs": [{"name": "productivity/itl.xls", "sha256": "ab" * 32, "release": "2024-06-19"}],
        "index_href": "index.html",
    }
    if demo is not None:
        meta["demo"] = demo
    meta.update(extra_meta or {})
    nb.metadata["lis"] = meta
    return nb


NAV = [
    ("Overview", "index.html"),
    ("Productivity", "00_overview.html"),
    ("People", "11_people.html"),
]


def test_board_page_is_offline_accessible_and_has_no_code(chart, tmp_path):
    out = export_html(make_notebook(chart), tmp_path / "00_overview.html", nav=NAV)
    page = out.read_text(encoding="utf-8")
    p = Page(page)
    assert p.html_lang == "en-GB"
    assert external_references(page, include_links=True) == []
    assert not re.search(r"<script\b[^>]*\bsrc=", page, re.IGNORECASE)
    assert not re.search(r"require\.js|mathjax|mermaid", page, re.IGNORECASE)
    # one image per chart, carrying the chart's own alt text
    assert len(p.imgs) == 1
    assert p.imgs[0]["alt"] == chart.alt_text
    # skip link to the main landmark
    assert p.links[0]["href"] == "#main-content" and "Skip to main content" in page
    assert re.search(r'<main\b[^>]*\bid="main-content"', page)
    # one h1 (the notebook's), headings in order, a contents list of the h2s
    levels = [lvl for lvl, _ in p.headings]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert re.search(
        r'<nav class="lis-contents".*href="#Findings".*href="#Caveats"', page, re.DOTALL
    )
    assert page.index("</h1>") < page.index('class="lis-contents"') < page.index(">Findings<")
    # navigation with the current page marked
    assert [a["href"] for a in p.links if a.get("aria-current") == "page"] == ["00_overview.html"]
    # no code, no prompts, no stderr, no analyst-only or removed cells
    assert "indicator_table" not in page and not PROMPT.search(page) and "noisy warning" not in page
    assert "analyst detail" not in page and "secret" not in page
    # the table keeps its caption and header cells
    assert "<caption>GVA per hour worked, 2022</caption>" in page and '<th scope="col"' in page
    # provenance footer from the metadata
    for text in ("run-42", "bf7ee79", "0.1.0", "ab" * 32, "2024-06-19", "2012, 2022", "E37000021"):
        assert text in page
    assert DEMO_BANNER in page


def test_analyst_page_shows_code_and_keeps_the_same_rules(chart, tmp_path):
    out = export_html(
        make_notebook(chart),
        tmp_path / "00_overview.analyst.html",
        variant="analyst",
        nav=NAV,
        current="00_overview.html",
    )
    page = out.read_text(encoding="utf-8")
    p = Page(page)
    assert "indicator_table" in page and PROMPT.search(page)
    assert "noisy warning" in page and "analyst detail" in page and "secret" not in page
    assert p.html_lang == "en-GB"
    assert external_references(page, include_links=True) == []
    assert [i["alt"] for i in p.imgs] == [chart.alt_text]
    assert [a["href"] for a in p.links if a.get("aria-current") == "page"] == ["00_overview.html"]


@pytest.mark.parametrize(("demo", "shown"), [(True, True), (False, False), (None, False)])
def test_demo_banner_follows_the_metadata(chart, demo, shown):
    page = render_html(make_notebook(chart, demo=demo))
    assert (DEMO_BANNER in page) is shown
    assert ('class="lis-demo-banner"' in page) is shown


def test_template_supplies_the_h1_when_the_notebook_has_none(chart):
    page = render_html(make_notebook(chart, own_h1=False))
    p = Page(page)
    assert p.headings[0] == (1, "Productivity overview")
    assert [lvl for lvl, _ in p.headings].count(1) == 1
    assert page.index('class="lis-title"') < page.index('class="lis-contents"')


def test_export_is_atomic_and_keeps_the_old_page_on_error(chart, tmp_path):
    out = tmp_path / "page.html"
    out.write_text("previous good page", encoding="utf-8")
    bad = make_notebook(chart, extra_meta={"demo": "yes"})
    with pytest.raises(ConfigError, match="'demo' must be true or false"):
        export_html(bad, out)
    assert out.read_text(encoding="utf-8") == "previous good page"
    export_html(make_notebook(chart), out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]


def test_export_reads_a_notebook_file(chart, tmp_path):
    src = tmp_path / "11_people.ipynb"
    nbformat.write(make_notebook(chart), src)
    out = export_html(src, tmp_path / "reports" / "11_people.html")
    assert Page(out.read_text(encoding="utf-8")).imgs[0]["alt"] == chart.alt_text


def test_metadata_is_validated():
    with pytest.raises(ConfigError, match="inputs\\[0\\]"):
        page_metadata({"inputs": [{"name": "x"}]})
    with pytest.raises(ConfigError, match="'parameters' must be a mapping"):
        page_metadata({"parameters": ["area"]})
    with pytest.raises(ConfigError, match="relative link"):
        page_metadata({"nav": [{"title": "ONS", "href": "https://www.ons.gov.uk"}]})
    meta = page_metadata({"demo": True, "nav": [("A", "a.html")], "parameters": {"years": [1, 2]}})
    assert (
        meta["demo"] is True
        and meta["nav"][0].href == "a.html"
        and meta["parameters"] == [("years", "1, 2")]
    )
    with pytest.raises(ConfigError, match="variant"):
        render_html(new_notebook(), variant="pdf")


def test_external_references_finds_what_a_browser_would_fetch():
    page = """<script src="https://cdn.jsdelivr.net/x.js"></script>
    <link rel="stylesheet" href="//fonts.googleapis.com/css">
    <style>@import url("https://a.example/b.css"); .x { background: url(http://c.example/i.png) }</style>
    <img src="data:image/png;base64,AAAA" alt="a"> <a href="https://www.ons.gov.uk">ONS</a>"""
    assert external_references(page) == [
        "//fonts.googleapis.com/css",
        "http://c.example/i.png",
        "https://a.example/b.css",
        "https://cdn.jsdelivr.net/x.js",
    ]
    assert "https://www.ons.gov.uk" in external_references(page, include_links=True)
