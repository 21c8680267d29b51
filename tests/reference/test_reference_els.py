"""Reference values for indicators from Explore Local Statistics (``../shared/data/els``).

Each figure is worked out from the published CSV cells (file, ``indicator`` text and
``period`` beside it) and the ONS population tables in ``../shared/data/public``, read
with pandas by ``published.py`` (nothing here uses the package's parsers), then the
package's table for Leicester and Leicestershire, built from both folders, is checked
against it. L&L is not an ELS area: a rate is built from its eight districts weighted by
the population the declaration names (``lis_analysis/data/els_measures.yaml``), and an
indicator whose figure cannot be built (a share whose base is not loaded) has no L&L value.
"""

from __future__ import annotations

import pytest

from tests.reference.published import LL, cells, els_period_cells, num, sheet

pytestmark = [pytest.mark.shared, pytest.mark.slow]

LL_CODE = "E37000021"
POP_XLSX = "population/populationestimatesbylocalauthority.xlsx"
MYE_XLS = "population/ukpopestimatesmid2020on2021geography.xls"


def _residents(codes, year: int):
    # populationestimatesbylocalauthority.xlsx 'Population data', column <year>
    return cells(sheet(POP_XLSX, "Population data", header=0, code_col="LA code"), codes, str(year))


def _ages(codes, low: int, high: int):
    # ukpopestimatesmid2020on2021geography.xls 'MYE2 - Persons' (header row 7): Σ columns low..high
    d = sheet(MYE_XLS, "MYE2 - Persons", header=7, code_col="Code")
    return num(d.loc[list(codes), [str(a) for a in range(low, high + 1)]]).sum(axis=1)


def _weighted(rate, weight) -> float:
    return float((rate * weight).sum() / weight.sum())


def gdhi_per_head() -> float:
    # gross-disposable-household-income-per-head.csv, 'Gross disposable household income',
    # 2023-01-01/P1Y, 8 districts, weighted by 'Population data' 2023 (total GDHI / people)
    rate = els_period_cells(
        "gross-disposable-household-income-per-head",
        "Gross disposable household income",
        "2023-01-01/P1Y",
        LL,
    )
    return _weighted(rate, _residents(LL, 2023))


def ghg_emissions_per_head() -> float:
    # greenhouse-gas-emissions.csv, 'Greenhouse gas emissions' (tonnes per head),
    # 2023-01-01/P1Y, weighted by 'Population data' 2023 (total emissions / people)
    rate = els_period_cells(
        "greenhouse-gas-emissions", "Greenhouse gas emissions", "2023-01-01/P1Y", LL
    )
    return _weighted(rate, _residents(LL, 2023))


def claimant_rate() -> float:
    # claimant-count.csv, 'Claimant Count', 2025-01-01/P1Y, weighted by MYE2 ages 16-64
    # (mid-2020, the working-age base the suite loads; ONS's own base is mid-2023)
    rate = els_period_cells("claimant-count", "Claimant Count", "2025-01-01/P1Y", LL)
    return _weighted(rate, _ages(LL, 16, 64))


def child_poverty_bhc() -> float:
    # children-in-relative-poverty.csv, 'Children in relative poverty before housing
    # costs', 2024-04-01/P1Y (FYE 2025), weighted by MYE2 ages 0-15 (mid-2020)
    rate = els_period_cells(
        "children-in-relative-poverty",
        "Children in relative poverty before housing costs",
        "2024-04-01/P1Y",
        LL,
    )
    return _weighted(rate, _ages(LL, 0, 15))


#: indicator id -> (formula, year in the table, the figure worked out by hand, tolerance)
REFERENCES = {
    "gdhi_per_head": (gdhi_per_head, 2023, 20785.12, 0.01),
    "ghg_emissions_per_head": (ghg_emissions_per_head, 2023, 4.989592, 0.000001),
    "claimant_rate": (claimant_rate, 2025, 3.486102, 0.000001),
    "child_poverty_bhc": (child_poverty_bhc, 2025, 22.41113, 0.00001),  # FYE 2025
}


@pytest.fixture(scope="module")
def els_store(tmp_path_factory, public, shared_file):
    """The real files of both folders ingested: (observations, geography)."""
    from lis_analysis.geography import Geography
    from lis_analysis.store import ingest, read_lookups, read_observations

    els = shared_file("els/claimant-count.csv").parent
    processed = tmp_path_factory.mktemp("els_store")
    ingest([public, els], processed, jobs=2)
    obs = read_observations(processed)
    return obs, Geography.build(read_lookups(processed), obs)


@pytest.fixture(scope="module")
def ll_table(els_store):
    from lis_analysis.indicators import table

    obs, geo = els_store
    return table(geo.area(LL_CODE), obs=obs, geo=geo, benchmarks=("uk", "england", "region"))


@pytest.mark.parametrize("iid", sorted(REFERENCES))
def test_reference_from_cells(public, shared_file, iid):
    """The written-down figure is what the published cells give by the formula."""
    shared_file("els/claimant-count.csv")
    formula, _, written, tol = REFERENCES[iid]
    assert formula() == pytest.approx(written, abs=tol)


@pytest.mark.parametrize("iid", sorted(REFERENCES))
def test_package(ll_table, iid):
    """The package's L&L figure is the one worked out from the cells, for the same year."""
    formula, year, _, tol = REFERENCES[iid]
    rows = ll_table[ll_table["indicator_id"] == iid]
    assert len(rows), f"{iid}: no row ({ll_table.attrs['missing'].get(iid)})"
    assert (rows["year"] == year).all(), f"{iid}: headline year {rows['year'].iloc[0]}"
    assert rows["value"].iloc[0] == pytest.approx(formula(), abs=tol)


def test_a_district_shows_the_publishers_own_figure(els_store, shared_file):
    """Melton (E07000133) is an ELS area: its 5G coverage is the published cell, not a
    figure built from anything (network-coverage-5g.csv, row E07000133, period
    2026-01-01, observation 94.48)."""
    from lis_analysis.indicators import compute

    d = els_period_cells_any("network-coverage-5g", "5G coverage", "E07000133")
    assert d == ("2026-01-01", 94.48)
    obs, geo = els_store
    got = compute("coverage_5g", [geo.area("E07000133")], obs=obs, geo=geo)
    got = got[got["value"].notna()]
    assert got["period"].iloc[-1] == d[0]
    assert got["value"].iloc[-1] == pytest.approx(d[1], abs=1e-9)


def els_period_cells_any(stem: str, indicator: str, code: str) -> tuple[str, float]:
    # the latest printed (period, observation) of ``code`` in <stem>.csv
    from tests.reference.published import els_family

    d = els_family(stem)
    d = d[(d["indicator"] == indicator) & (d["areacd"] == code)].sort_values("period")
    return str(d["period"].iloc[-1]), float(d["observation"].iloc[-1])


def test_a_share_without_its_base_is_not_built(ll_table):
    """GCSE English and maths: pupils' cohort sizes are not loaded, so no L&L figure is
    made up from the districts' percentages; the table says why."""
    assert "gcse_english_maths_19" not in set(ll_table["indicator_id"])
    why = ll_table.attrs["missing"]["gcse_english_maths_19"]
    assert "cannot be built for Leicester and Leicestershire" in why
