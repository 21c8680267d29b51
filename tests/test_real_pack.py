"""The whole board pack built on the real published files in ../shared/data/public and
../shared/data/els, as a user builds it with ``lis run --raw ../shared/data/public --raw
../shared/data/els``: every notebook runs, no page says it is the demonstrator, every page
has its sections, and the headline sentences carry the publishers' figures. A page still
builds from ../shared/data/public alone (the ELS folder is optional).

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
def els(shared_file) -> Path:
    """The Explore Local Statistics families (../shared/data/els)."""
    return shared_file("els/claimant-count.csv").parent


@pytest.fixture(scope="module")
def real_pack(tmp_path_factory, public, els):
    reports = tmp_path_factory.mktemp("real_reports")
    code = main(
        ["run", "--raw", str(public), "--raw", str(els), "--reports", str(reports), "--jobs", "2"]
    )
    assert code == 0, "lis run on the real published files failed"
    return reports


def _text(page: str) -> str:
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    # cells of a table row read as "a | b | c"
    body = re.sub(r"</t([dh])>\s*<t[dh][^>]*>", " | ", body)
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


def test_sources_page_lists_published_files(real_pack: Path, els: Path):
    text = _text(
        (real_pack / "E37000021" / "90_sources_and_methods.html").read_text(encoding="utf-8")
    )
    for name in (
        "labourproductivitylocalauthorities.xls",
        "businessdemographyexceltables2024.xlsx",
        "ukbusinessworkbook2025new.xlsx",
        "employment-rate.csv",  # public/indicators_els
    ):
        assert name in text
    # every file of the ELS folder is read and listed
    for csv in sorted(p.name for p in els.glob("*.csv")):
        assert csv in text, csv


@pytest.mark.parametrize("name", NAMES)
def test_a_file_with_no_row_for_the_area_is_never_listed_as_its_source(real_pack: Path, name):
    # the BRES file holds 15 combined authorities and nothing for Leicester and
    # Leicestershire, its districts, its region or the nations: no page of the area may
    # list it (in its sources table, its provenance or its footer)
    text = _text((real_pack / "E37000021" / f"{name}.html").read_text(encoding="utf-8"))
    assert "Business_Register_and_Employment_Survey.csv" not in text
    assert "Business Register and Employment Survey" not in text


def test_priorities_page_reads_every_indicator_and_ranks_the_foundations(real_pack: Path):
    text = _text((real_pack / "E37000021" / "30_priorities.html").read_text(encoding="utf-8"))
    # the reading under the rule, with its tags and its named period
    assert "GVA per hour worked | Weakness | the UK | −13.3 log points" in text
    assert "gap widening: −3.6 log points since 2012" in text
    assert "Three-year business survival | Weakness" in text and "concentrated in Leicester" in text
    assert "Employment rate (16-64) | In line" in text and "much worse in Leicester" in text
    assert "Knowledge-intensive services' share of GVA | Weakness" in text
    assert "Neutral" not in text
    # foundations by need: with the ELS families, Infrastructure is read (EV chargers and
    # walking access to rail, both far below the nation) and comes first; never neutral
    assert (
        "The foundation most in need of attention is Infrastructure (need 3.00 thresholds; "
        "weaknesses: public electric vehicle chargers per 100,000 people and residents "
        "within a 30-minute walk of a railway station)" in text
    )
    assert "Infrastructure | not assessed" not in text
    assert (
        "Headline productivity, the outcome the foundations drive, is read but not ranked" in text
    )


def test_priorities_page_lists_specialisms_at_two_digits_and_the_is8_sectors(real_pack: Path):
    text = _text((real_pack / "E37000021" / "30_priorities.html").read_text(encoding="utf-8"))
    assert "Sector specialisms" in text and "Sector strengths for a Local Growth Plan" in text
    assert "Food, drink, textiles and clothing manufacturing | CA-CB (10-15)" in text
    assert "Warehousing, postal and courier | 52-53" in text
    assert "North West Leicestershire 9.45 (58%)" in text
    assert "England (excluding 4 districts with suppressed or missing cells)" in text
    assert (
        "Financial Services | growth-driving sector | well defined by SIC | under-represented"
        in text
    )
    for sector in ("Clean Energy Industries", "Defence", "Life Sciences"):
        assert (
            f"{sector} | growth-driving sector | not easily represented by SIC (no or partial coverage) | not measurable from SIC data"
            in text
        )
    assert "Sectors overlap and are never summed" in text


def test_no_page_tells_two_stories_about_one_indicator(real_pack: Path):
    # the gap of GVA per hour to the UK widened since 2012: no page says it narrowed, and
    # the old words (improving/worsening over ten years) are gone
    for name in NAMES:
        text = _text((real_pack / "E37000021" / f"{name}.html").read_text(encoding="utf-8"))
        assert "has been worsening" not in text and "has been improving" not in text
        assert "the gap narrowed on average" not in text
    over = _text((real_pack / "E37000021" / "00_overview.html").read_text(encoding="utf-8"))
    assert over.count("The gap to the UK has widened by 3.6 log points since 2012") == 2
    # totals are shares, never an index or a "% below"
    assert "540,142 jobs in 2022, 1.6% of the UK's" in over
    assert "98.4% below" not in over and "| 1.6 | −" not in over
    # the jobs-per-resident factor is not called commuting
    assert "(commuting)" not in over and "England's own is 1.08, with no net commuting" in over


def test_spreads_are_compared_with_the_peers_only_and_flags_are_carried(real_pack: Path):
    places = _text((real_pack / "E37000021" / "14_places.html").read_text(encoding="utf-8"))
    # England's GVA per head spread (the City of London's figure) is no comparison
    assert "England | Benchmark | 583.4" not in places and "583.4 highest ÷ lowest" not in places
    assert "United Kingdom | Benchmark | 3.33" not in places
    business = _text(
        (real_pack / "E37000021" / "13_business_environment.html").read_text(encoding="utf-8")
    )
    assert "ONS flags Leicester's figures for 2020-2023" in business
    assert "A17 Mass registrations at a single postcode" in business
    assert "more than 500 businesses at a single postcode contain an *" in business
    infra = _text((real_pack / "E37000021" / "index.html").read_text(encoding="utf-8"))
    assert "Not assessed No indicator of Infrastructure could be read" not in infra


def test_foundation_pages_show_the_new_indicators_with_their_sources(real_pack: Path):
    """Figures worked out from the publishers' cells in tests/reference/ (README there)."""
    places = _text((real_pack / "E37000021" / "14_places.html").read_text(encoding="utf-8"))
    assert (
        "Gross disposable household income per head in Leicester and Leicestershire was £20,785 in 2023"
        in places
    )
    assert "Explore Local Statistics: Gross disposable household income" in places
    business = _text(
        (real_pack / "E37000021" / "13_business_environment.html").read_text(encoding="utf-8")
    )
    assert "High-growth enterprises in Leicester and Leicestershire was 4.4%" in business
    assert (
        "Enterprises with turnover of £1 million or more in Leicester and Leicestershire was 11.4%"
        in business
    )
    people = _text((real_pack / "E37000021" / "11_people.html").read_text(encoding="utf-8"))
    assert "Claimant count rate (16-64) in Leicester and Leicestershire was 3.5%" in people
    assert "official statistics in development" in people
    # a share whose base is not loaded: its published parts, never a made-up total
    # (els/gcses-in-english-and-maths.csv, 2024-09-01/P1Y, column 6 'observation':
    # line 987 Leicestershire 75.323, line 857 Leicester 70.184)
    assert (
        "No single figure of GCSEs in English and maths by age 19 exists for Leicester and "
        "Leicestershire" in people
    )
    assert (
        "Published for its parts in Sep 2024 to Aug 2025: Leicestershire County 75.3% and Leicester 70.2%"
        in people
    )


def test_a_page_builds_from_the_public_folder_alone(tmp_path, public):
    """``lis run --raw ../shared/data/public`` without the ELS folder: the Infrastructure
    page still builds, and says which indicators have no data loaded."""
    code = main(
        ["run", "--raw", str(public), "--only", "12_infrastructure", "--reports", str(tmp_path)]
    )
    assert code == 0
    text = _text((tmp_path / "E37000021" / "12_infrastructure.html").read_text(encoding="utf-8"))
    assert "Gigabit-capable broadband coverage" in text
    assert (
        "Public electric vehicle chargers per 100,000 people: not shown for Leicester and Leicestershire"
        in text
    )
    assert "no data loaded for els_public_electric_vehicle_chargers" in text
