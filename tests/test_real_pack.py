"""The whole board pack built on the real published files in ../shared/data/public, as a
user builds it with ``lis run --raw ../shared/data/public``: every notebook runs, no page
says it is the demonstrator, every page has its sections, and the headline sentences
carry the publishers' figures.

The figures asserted here are worked out by hand from the publisher's cells (see
tests/reference/ for the independent computation of each):
- GVA per hour worked, Leicester and Leicestershire, 2022: Σ(GVA per hour × hours) / Σ hours
  over the 8 districts of labourproductivitylocalauthorities.xls (June 2024), sheets A1
  (GVA per hour) and the hours sheet = £34.75; the UK (UKX row of the same workbook) £39.70;
  (34.75 / 39.70 − 1) = −12.5%.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from lis_analysis.cli import main

pytestmark = [pytest.mark.slow, pytest.mark.shared]

NAMES = [
    "00_overview", "10_ideas", "11_people", "12_infrastructure", "13_business_environment",
    "14_places", "20_call_for_evidence", "30_priorities", "40_consultation", "90_sources_and_methods",
]  # fmt: skip


@pytest.fixture(scope="module")
def real_pack(tmp_path_factory, public):
    reports = tmp_path_factory.mktemp("real_reports")
    code = main(["run", "--raw", str(public), "--reports", str(reports), "--jobs", "2"])
    assert code == 0, "lis run on the real published files failed"
    return reports


def _text(page: str) -> str:
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    body = body.replace("&nbsp;", " ").replace("&amp;", "&").replace("&#163;", "£")
    return re.sub(r"\s+", " ", body)


@pytest.mark.parametrize("name", NAMES)
def test_every_notebook_ran_on_published_data(real_pack: Path, name):
    nb = nbformat.read(real_pack / "_executed" / "E37000021" / f"{name}.ipynb", as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors[:1]
    assert nb.metadata["lis"]["demo"] is False
    page = (real_pack / "E37000021" / f"{name}.html").read_text(encoding="utf-8")
    text = _text(page)
    assert 'class="lis-demo-banner' not in page
    assert "generated demonstrator files" not in text
    assert "Demonstrator data: synthetic" not in text
    for section in ("The question", "Caveats", "Provenance"):
        assert section in text, (name, section)
    assert "sha256" in page.lower() or "checksum" in page.lower()


def test_headline_sentence_carries_the_publishers_figures(real_pack: Path):
    text = _text((real_pack / "E37000021" / "00_overview.html").read_text(encoding="utf-8"))
    assert (
        "GVA per hour worked in Leicester and Leicestershire was £34.75 in 2022, "
        "12.5% below the UK (£39.70)" in text
    )
    index = _text((real_pack / "E37000021" / "index.html").read_text(encoding="utf-8"))
    assert "£34.75 in 2022" in index and 'class="lis-demo-banner' not in index


def test_an_indicator_without_a_value_says_why(real_pack: Path):
    # ONS publishes business R&D for ITL1 regions only: the Ideas page must say so in
    # words, not leave a blank
    text = _text((real_pack / "E37000021" / "10_ideas.html").read_text(encoding="utf-8"))
    assert "Business R&D per head: not shown for Leicester and Leicestershire" in text
    assert "not published for Leicester and Leicestershire" in text


def test_sources_page_lists_published_files(real_pack: Path):
    text = _text(
        (real_pack / "E37000021" / "90_sources_and_methods.html").read_text(encoding="utf-8")
    )
    for name in (
        "labourproductivitylocalauthorities.xls",
        "businessdemographyexceltables2024.xlsx",
    ):
        assert name in text


@pytest.mark.parametrize("name", NAMES)
def test_a_file_with_no_row_for_the_area_is_never_listed_as_its_source(real_pack: Path, name):
    # the BRES file holds 15 combined authorities and nothing for Leicester and
    # Leicestershire, its districts, its region or the nations: no page of the area may
    # list it (in its sources table, its provenance or its footer)
    text = _text((real_pack / "E37000021" / f"{name}.html").read_text(encoding="utf-8"))
    assert "Business_Register_and_Employment_Survey.csv" not in text
    assert "Business Register and Employment Survey" not in text
