"""Which datasets a notebook reads, worked out from the indicators and analyses its page
shows (lis_analysis.pages.reads): on hand-written notebooks, and on the pack's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from lis_analysis.indicators import load_registry
from lis_analysis.pages.reads import (
    EVERYTHING,
    datasets_read,
    indicator_datasets,
    notebook_datasets,
    notebook_reads,
)
from lis_analysis.sources import measure

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
OPEN = "import lis_analysis as lis\npg = lis.page(area, raw=raw)\n"


def test_one_indicator_reads_its_measures_and_what_they_are_pooled_with():
    # GVA per hour: ONS district and ITL tables and ELS; the ELS figure is pooled with
    # the ONS district hours (its parser declares the denominator), which the ONS
    # district table holds anyway
    assert indicator_datasets(["gva_per_hour"]) == {
        "ons_productivity_lad",
        "ons_productivity_itl",
        "els_gross_value_added",
    }
    # the APS employment rate is pooled with mid-year 16-64 populations
    assert indicator_datasets(["employment_rate"]) == {"els_employment_rate", "ons_population_mye"}
    # a difference reads both indicators it is built from
    assert indicator_datasets(["pay_gap_workplace_residence"]) == indicator_datasets(
        ["median_pay_workplace", "median_pay_residence"]
    )


def test_a_finding_reads_its_indicator_and_the_neighbours_characteristics():
    r = notebook_reads(OPEN + 'pg.finding("employment_rate")\npg.caveats()\npg.provenance()\n')
    assert r.indicators == {"employment_rate"} and r.analyses == {"findings"}
    chars = [i.id for i in load_registry().values() if i.neighbour_characteristic]
    assert set(datasets_read(r)) == indicator_datasets(["employment_rate", *chars])


def test_a_foundation_reads_its_indicators_and_given_ids_replace_it():
    reg = load_registry()
    r = notebook_reads(OPEN + 'pg.strengths_and_weaknesses("People")\n')
    assert r.indicators == {i for i, ind in reg.items() if ind.foundation == "People"}
    r = notebook_reads(OPEN + 'pg.findings("Productivity", ["gva_per_job"])\n')
    assert r.indicators == {"gva_per_job"}


def test_an_analysis_reads_what_analyses_yaml_declares():
    r = notebook_reads(OPEN + "pg.shift_share(years=5)\n")
    assert r.analyses == {"shift_share"} and not r.indicators
    assert datasets_read(r) == ("ons_gva_industry_lad",)
    r = notebook_reads(OPEN + "pg.sector_productivity()\n")
    assert datasets_read(r) == ("nomis_bres", "ons_gva_industry_lad")
    # a trend reads the indicator, and its index against the UK
    r = notebook_reads(OPEN + 'pg.trend_and_convergence("gva_per_hour")\n')
    assert r.indicators == {"gva_per_hour", "gva_per_hour_index"}


def test_what_cannot_be_read_means_everything():
    assert datasets_read(notebook_reads(OPEN + "pg.strengths_and_weaknesses()\n")) == (EVERYTHING,)
    assert datasets_read(notebook_reads(OPEN + "pg.markers()\n")) == (EVERYTHING,)
    r = notebook_reads(OPEN + 'ids = ["gva_per_hour"]\npg.district_profile(ids)\n')
    assert r.unreadable and datasets_read(r) == (EVERYTHING,)
    r = notebook_reads(OPEN + "pg.not_a_method()\n")
    assert r.unreadable and datasets_read(r) == (EVERYTHING,)
    r = notebook_reads(OPEN + 'pg.finding("no_such_indicator")\n')
    assert "unknown indicator" in r.unreadable[0]
    # a page that reads no data (only the consultation folder)
    assert datasets_read(notebook_reads(OPEN + "pg.header('Q')\npg.consultation()\n")) == ()


#: What each page of the pack shows, written out by hand: its foundations and the other
#: indicators it draws on (an independent account of the derivation below).
SHOWS = {
    "00_overview": (["Productivity"], ["employment_rate", "working_age_share", "population"]),
    "10_ideas": (["Ideas"], ["gva_total"]),
    "11_people": (["People"], []),
    "12_infrastructure": (["Infrastructure"], []),
    "13_business_environment": (["Business Environment"], ["gva_total"]),
    "14_places": (
        ["Places"],
        [
            "gva_per_hour",
            "gva_per_head",
            "employment_rate",
            "median_pay_residence",
            "imd_score",
            "population",
        ],
    ),
}


def _by_hand(indicator_ids):
    """Datasets of the indicators, followed by hand through the registry and the parsers'
    declared denominators (the account the pack.yaml lists were once checked against)."""
    reg = load_registry()
    out = set()
    todo = list(indicator_ids)
    while todo:
        ind = reg[todo.pop()]
        for ref in (*ind.sources, *ind.numerator, *ind.denominator):
            out.add(ref.dataset)
            den = measure(ref.dataset, ref.measure).denominator
            if den:
                out.add(den.split(":", 1)[0] if ":" in den else ref.dataset)
        todo += [i for i in (ind.of, ind.minus) if i]
    return out


@pytest.mark.parametrize("name", sorted(SHOWS))
def test_the_packs_pages_read_every_dataset_they_show(name):
    """A changed file must re-run every page it affects."""
    reg = load_registry()
    foundations, extra = SHOWS[name]
    ids = [i for i, ind in reg.items() if ind.foundation in foundations] + extra
    ids += [i for i, ind in reg.items() if ind.neighbour_characteristic]
    derived = notebook_datasets(NOTEBOOKS / f"{name}.py")
    assert EVERYTHING not in derived
    missing = _by_hand(ids) - set(derived)
    assert not missing, f"{name} does not read {sorted(missing)}"


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.py")), ids=lambda p: p.stem)
def test_every_call_in_the_packs_notebooks_is_understood(path):
    assert notebook_reads(path).unreadable == ()


def test_the_pack_reads_each_notebooks_datasets_from_the_derivation(tmp_path):
    from lis_analysis.pack.catalogue import load_catalogue

    cat = load_catalogue(NOTEBOOKS / "pack.yaml", cache_dir=tmp_path)
    got = {s.name: s.datasets for s in cat.notebooks}
    assert got["11_people"] == notebook_datasets(NOTEBOOKS / "11_people.py")
    assert got["40_consultation"] == () and got["90_sources_and_methods"] == (EVERYTHING,)
    assert list(tmp_path.glob("reads-*.json"))  # kept for the next run
    again = load_catalogue(NOTEBOOKS / "pack.yaml", cache_dir=tmp_path)
    assert {s.name: s.datasets for s in again.notebooks} == got
