"""The board pack in a real browser: headless Chromium, offline, axe-core WCAG 2.2 A/AA.

A two-notebook pack is written with nbformat, executed with nbclient (a real kernel, so
charts and tables reach the page through Jupyter's own display machinery), exported in
both variants, and opened by tests/browser/browser_check.py. A deliberately bad page shows
that the check can fail.
"""

from __future__ import annotations

import html
import re
import struct
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from lis_analysis.pack.export import export_html
from tests.browser import browser_check

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

LL = "Leicester and Leicestershire"

SETUP = f'''import pandas as pd
from lis_analysis.pages import charts
from lis_analysis.pages.tables import table
area = "{LL}"
tab = pd.DataFrame({{
    "area_code": ["E37000021", "E37000021", "E37000001", "E37000002"],
    "area_name": [area, area, "Coast to Capital", "Black Country"],
    "indicator_id": ["gva_per_hour"] * 4,
    "indicator_name": ["GVA per hour worked"] * 4,
    "period": ["2022"] * 4,
    "value": [35.2, 35.2, 41.0, 31.5],
    "unit": ["£ per hour"] * 4,
    "ci_lower": [34.1, 34.1, 40.0, 30.4],
    "ci_upper": [36.3, 36.3, 42.0, 32.6],
    "benchmark_code": ["K02000001", "E12000004", "K02000001", "K02000001"],
    "benchmark_value": [39.1, 33.9, 39.1, 39.1],
    "significant": [True, False, True, True],
    "rank": [2, 2, 1, 3], "n_peers": [3] * 4, "polarity": ["higher"] * 4,
    "source": ["ONS Subregional productivity (synthetic test figures)"] * 4,
}})'''

NOTEBOOKS = {
    "00_overview": [
        new_markdown_cell(
            "# Productivity overview\n\nHow productive is the area compared with the UK?"
        ),
        new_code_cell(SETUP),
        new_markdown_cell(
            "## Findings\n\nGVA per hour worked was £35.20 in 2022, 10.0% below the UK."
        ),
        new_code_cell('charts.benchmark_bar(tab, "gva_per_hour")'),
        new_code_cell(
            'table(tab.drop_duplicates("area_name")[["area_name", "value", "rank"]]'
            '.rename(columns={"area_name": "Area", "value": "GVA per hour (£)", "rank": "Rank"}), '
            '"GVA per hour worked, 2022")'
        ),
        new_markdown_cell("## Caveats\n\nThese are synthetic figures for a test."),
    ],
    "11_people": [
        new_markdown_cell("Which skills does the area have?"),  # no h1: the template supplies it
        new_code_cell(SETUP),
        new_markdown_cell("## Strengths and weaknesses"),
        new_code_cell(
            'charts.strengths_chart(pd.DataFrame({"indicator_name": ["Level 4+ qualifications", '
            '"Employment rate", "Gigabit coverage"], "score": [-1.3, 0.2, 1.4], "area_name": area}))'
        ),
        new_markdown_cell("## Ranking among peers"),
        new_code_cell('charts.rank_dot(tab, "gva_per_hour")'),
        new_code_cell('import warnings; warnings.warn("stderr noise only analysts see")'),
    ],
}
NAV = [("Productivity overview", "00_overview.html"), ("People", "11_people.html")]


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("pack")
    reports = base / "reports"
    with pytest.MonkeyPatch.context() as mp:  # keep kernel and matplotlib state in the temp dir
        for var in ("MPLCONFIGDIR", "IPYTHONDIR", "JUPYTER_CONFIG_DIR"):
            (base / "cfg" / var.lower()).mkdir(parents=True)
            mp.setenv(var, str(base / "cfg" / var.lower()))
        mp.setenv("MPLBACKEND", "Agg")
        for name, cells in NOTEBOOKS.items():
            nb = new_notebook(cells=cells)
            nb.metadata["lis"] = {
                "demo": True,
                "title": "Productivity overview" if name.startswith("00") else "People",
                "pack_title": f"{LL}: evidence base (test)",
                "area": {"code": "E37000021", "name": LL},
                "run_id": "test-run",
                "git_commit": "0000000",
                "package_version": "0.0.0",
                "parameters": {"area": "E37000021"},
                "inputs": [
                    {"name": "demo/productivity.xlsx", "sha256": "0" * 64, "release": "test"}
                ],
            }
            NotebookClient(
                nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(base)}}
            ).execute()
            nbformat.write(nb, base / f"{name}.ipynb")
            export_html(nb, reports / f"{name}.html", variant="board", nav=NAV)
            export_html(
                nb,
                reports / f"{name}.analyst.html",
                variant="analyst",
                nav=NAV,
                current=f"{name}.html",
            )
    return reports


def test_every_page_passes_axe_offline_with_a_screenshot(pack):
    report = browser_check.check_reports(pack)
    assert [p.page for p in report.pages] == [
        "00_overview.analyst.html",
        "00_overview.html",
        "11_people.analyst.html",
        "11_people.html",
    ]
    assert report.ok, report.text()
    for page in report.pages:
        assert page.violations == [] and page.requests == [] and page.error is None, report.text()
        shot = pack / "_screenshots" / (Path(page.page).stem + ".png")
        head = shot.read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", head[16:24])
        assert (
            width == browser_check.VIEWPORT[0] and height > browser_check.VIEWPORT[1]
        )  # the full page


def test_the_exported_pages_carry_one_image_per_chart_with_its_alt_text(pack):
    board = (pack / "11_people.html").read_text(encoding="utf-8")
    alts = [html.unescape(a) for a in re.findall(r'<img\b[^>]*\balt="([^"]*)"', board)]
    assert len(re.findall(r"<img\b", board)) == len(alts) == 2
    assert alts[0].startswith(f"Bar chart of the gaps to the nation of 3 indicators in {LL}")
    assert "1 weakness: Level 4+ qualifications (\u22121.3)" in alts[0]
    assert alts[1].startswith("Dot plot of GVA per hour worked across 3 areas in 2022")
    overview = (pack / "00_overview.html").read_text(encoding="utf-8")
    (alt,) = re.findall(r'<img\b[^>]*\balt="([^"]*)"', overview)
    assert "GVA per hour worked" in alt and LL in alt and "£35.20" in alt
    assert "stderr noise" not in board and "stderr noise" in (
        pack / "11_people.analyst.html"
    ).read_text(encoding="utf-8")


def test_the_check_fails_on_violations_and_network_requests(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "page.html").write_text(
        "<!DOCTYPE html><html><head><title>Bad</title>"
        '<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"></script></head>'
        '<body><main><h1>Bad page</h1><p style="color:#bbb">faint text</p>'
        '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==">'
        "</main></body></html>",
        encoding="utf-8",
    )
    report = browser_check.check_reports(bad)
    assert not report.ok
    (page,) = report.pages
    assert {v.rule for v in page.violations} >= {"html-has-lang", "image-alt", "color-contrast"}
    assert page.requests == ["https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"]
    text = report.text()
    assert (
        "FAIL  page.html" in text
        and "[critical] image-alt" in text
        and "network request blocked" in text
    )
    assert browser_check.main([str(bad), "--no-install"]) == 1
