"""Industry structure, shift-share and the sector decomposition of productivity
(lis_analysis.analyses.structure) on hand-made districts worked by hand, and the
location quotients on the real published files against the publisher's cells."""

from __future__ import annotations

import pandas as pd
import pytest

from lis_analysis.analyses import industry_structure, sector_productivity, shift_share
from lis_analysis.errors import DataNotAvailable
from tests.analyses.economy import D1, D2, D3, D4, X, make_context, rows

C, G = "C (10-33)", "G (45-47)"


def gva(year=2023):
    """Current-price GVA (£m): the area (D1 + D2) C 60, G 40; the UK (all four) C 100,
    G 300."""
    cells = {
        (D1, year, C): 40, (D1, year, G): 10, (D2, year, C): 20, (D2, year, G): 30,
        (D3, year, C): 20, (D3, year, G): 130, (D4, year, C): 20, (D4, year, G): 130,
    }  # fmt: skip
    return rows("ons_gva_industry_lad", "gva_current", cells)


def test_location_quotients_are_area_share_over_nation_share():
    lq = industry_structure(X, make_context(gva())).set_index("industry")
    assert lq.attrs["year"] == 2023 and lq.attrs["benchmark_code"] == "K02000001"
    assert lq.loc[C, "area_share"] == pytest.approx(0.6) and lq.loc[C, "benchmark_share"] == 0.25
    assert lq.loc[C, "lq"] == pytest.approx(2.4)  # 0.6 / 0.25
    assert lq.loc[G, "lq"] == pytest.approx(0.4 / 0.75)
    assert lq.loc[C, "industry_name"] == "Manufacturing" and lq.loc[C, "area_value"] == 60


def test_location_quotients_use_the_latest_year_the_area_has():
    ctx = make_context(gva(2022), gva(2023), rows("ons_gva_industry_lad", "gva_current",
                       {(D1, 2024, C): float("nan"), (D2, 2024, C): float("nan")}))  # fmt: skip
    assert industry_structure(X, ctx).attrs["year"] == 2023
    assert industry_structure(X, ctx, year=2022).attrs["year"] == 2022


def test_no_gva_by_industry_says_why():
    ctx = make_context(rows("ons_productivity_lad", "hours_weekly", {(D1, 2022): 1}))
    with pytest.raises(DataNotAvailable, match="it needs ons_gva_industry_lad:gva_current"):
        industry_structure(X, ctx)


def test_sector_priorities_use_the_same_location_quotients():
    """One implementation: priorities.sector_inputs reads its LQs from industry_structure."""
    from lis_analysis.priorities import sector_inputs

    ctx = make_context(gva(), rows("ons_gva_industry_lad", "gva_cvm", {(D1, 2023, C): 1}))
    inputs = sector_inputs(X, obs=ctx.obs, geo=ctx.geo, ctx=ctx).set_index("industry")
    lq = industry_structure(X, ctx).set_index("industry")
    pd.testing.assert_series_equal(inputs["lq"], lq["lq"], check_names=False)
    assert inputs.attrs["year"] == 2023


def cvm():
    """Chained-volume GVA (£m), 2013 and 2023: the area C 50 -> 60, G 50 -> 40; the UK
    C 100 -> 150, G 300 -> 300."""
    cells = {}
    for code, c0, c1, g0, g1 in ((D1, 25, 30, 25, 20), (D2, 25, 30, 25, 20),
                                 (D3, 25, 45, 125, 130), (D4, 25, 45, 125, 130)):  # fmt: skip
        cells |= {
            (code, 2013, C): c0,
            (code, 2023, C): c1,
            (code, 2013, G): g0,
            (code, 2023, G): g1,
        }
    return rows("ons_gva_industry_lad", "gva_cvm", cells)


def test_shift_share_by_hand():
    """UK growth G = 450/400 - 1 = 12.5%; C grew 50%, G 0%. Manufacturing: 50 x 12.5% =
    6.25 national, 50 x (50% - 12.5%) = 18.75 mix, 10 - 50 x 50% = -15 competitive;
    retail: 6.25, -6.25, -10. The components sum to the change (0)."""
    ss = shift_share(X, make_context(cvm()), years=10)
    assert (ss.attrs["start"], ss.attrs["end"]) == (2013, 2023)
    assert ss.loc[C, ["national_share", "industry_mix", "competitive"]].tolist() == pytest.approx(
        [6.25, 18.75, -15.0]
    )
    assert ss.loc[G, ["national_share", "industry_mix", "competitive"]].tolist() == pytest.approx(
        [6.25, -6.25, -10.0]
    )
    total = ss.loc["Total"]
    assert total["actual_change"] == pytest.approx(0.0)
    assert [total["national_share"], total["industry_mix"], total["competitive"]] == pytest.approx(
        [12.5, 12.5, -25.0]
    )
    assert ss.loc[C, "industry_name"] == "Manufacturing"


def test_shift_share_without_chained_volume_gva_says_why():
    with pytest.raises(DataNotAvailable, match="it needs ons_gva_industry_lad:gva_cvm by industry"):
        shift_share(X, make_context(gva()))


def bres():
    """Employment by SIC letter: the area C 300, G 400; the UK C 500, G 3,500."""
    cells = {(D1, 2023, "C"): 150, (D2, 2023, "C"): 150, (D1, 2023, "G"): 200, (D2, 2023, "G"): 200,
             (D3, 2023, "C"): 100, (D4, 2023, "C"): 100, (D3, 2023, "G"): 1550, (D4, 2023, "G"): 1550}  # fmt: skip
    return rows("nomis_bres", "employment", cells, breakdown="Employment")


def test_sector_productivity_by_hand_in_pounds_per_job():
    """GVA per job: the area 100/700 = £0.142857m, the UK 400/4,000 = £0.1m. Shares of jobs
    3/7, 4/7 against 1/8, 7/8; sector productivity C 0.2 both, G 0.1 against 0.3/3.5.
    mix = Σ(s_a - s_b) p_b, within = Σ s_b (p_a - p_b), interaction = the rest."""
    d = sector_productivity(X, make_context(gva(), bres())).iloc[0]
    ds = 3 / 7 - 1 / 8
    mix = ds * 0.2 - ds * (300 / 3500)
    within = 7 / 8 * (0.1 - 300 / 3500)
    inter = -ds * (0.1 - 300 / 3500)
    assert d["year"] == 2023
    assert d["area_productivity"] == pytest.approx(1e6 * 100 / 700)
    assert d["benchmark_productivity"] == pytest.approx(1e5)
    assert d["mix"] == pytest.approx(1e6 * mix)
    assert d["within"] == pytest.approx(1e6 * within) and d["within"] == pytest.approx(12500)
    assert d["interaction"] == pytest.approx(1e6 * inter)
    assert d["gap"] == pytest.approx(d["mix"] + d["within"] + d["interaction"])
    assert "by_industry" in sector_productivity(X, make_context(gva(), bres())).attrs


def test_sector_productivity_without_district_employment_says_why():
    with pytest.raises(DataNotAvailable, match="BRES at district level"):
        sector_productivity(X, make_context(gva()))


@pytest.mark.shared
def test_location_quotients_on_the_published_files(public_store):
    """L&L's manufacturing LQ in 2023, from the cells of 'Table 3' (current prices, £m) of
    the nine English regional workbooks (ONS, 17 April 2025): L&L's SIC07 'C (10-33)' over
    its 18 sections, against England's districts that print every section (two print [c]
    in J and K, so the nation is England without them, named so)."""
    from lis_analysis.indicators.engine import Context
    from lis_analysis.industries import GVA_SECTIONS
    from tests.reference.published import LL, england_districts, gva_by_industry, num

    obs, geo = public_store
    lq = industry_structure(geo.area("E37000021"), Context(obs, geo))
    assert lq.attrs["year"] == 2023
    assert lq.attrs["benchmark_code"] == "E92000001-complete"
    t3 = gva_by_industry("Table 3")
    t3 = t3[t3["SIC07"].isin(GVA_SECTIONS)]
    cells = num(t3["2023"]).groupby([t3.index, t3["SIC07"]]).sum(min_count=1).unstack()
    complete = [c for c in england_districts() if c in cells.index and cells.loc[c].notna().all()]
    assert len(complete) < len(england_districts())  # some districts print [c]
    area = cells.loc[list(LL)].sum()
    nation = cells.loc[complete].sum()
    expected = (area[C] / area.sum()) / (nation[C] / nation.sum())
    got = lq.set_index("industry").loc[C, "lq"]
    assert got == pytest.approx(expected, rel=1e-9)
    assert 1.2 < got < 1.6  # L&L is specialised in manufacturing
