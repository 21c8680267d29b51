"""Parts displays and built figures for Leicester and Leicestershire on the real files.

Every expected figure is a publisher's cell (file, sheet, cell beside it) or worked from
such cells in the test itself, never the package's own output.
"""

from __future__ import annotations

import pytest

from lis_analysis.indicators.engine import Context, table
from lis_analysis.indicators.parts import parts_of

ASHE7 = "earnings/PROV - Work Geography Table 7.1a   Weekly pay - Gross 2024.xlsx"
IOD25 = "deprivation/File_10_-_IoD2025_Local_Authority_District_Summaries__lower-tier__v2.xlsx"
POP = "population/populationestimatesbylocalauthority.xlsx"


@pytest.fixture(scope="module")
def ll_table(public_store):
    obs, geo = public_store
    ids = [
        "median_pay_workplace",
        "gigabit_coverage",
        "housing_affordability",
        "imd_score",
        "imd_rank",
        "exports_per_head",
    ]
    return table(geo.area("E37000021"), obs=obs, geo=geo, indicators=ids), geo


def _parts(tab, iid):
    return tab.attrs["parts"][iid].parts.set_index("code")["value"]


@pytest.mark.shared
class TestLeicesterAndLeicestershire:
    def test_median_pay_parts_bracket_and_estimate(self, ll_table):
        tab, _ = ll_table
        p = tab.attrs["parts"]["median_pay_workplace"]
        # ASHE Table 7.1a 2024, sheet All: Leicestershire D97 574.9, Leicester UA D83 529.8
        assert _parts(tab, "median_pay_workplace").to_dict() == {
            "E10000018": 574.9,
            "E06000016": 529.8,
        }
        assert p.bracket == (529.8, 574.9)
        assert p.counties_from  # the county's districts are said to come from ASHE's hierarchy
        row = tab[(tab.indicator_id == "median_pay_workplace")].iloc[0]
        assert row["basis"] == "estimate" and row["status"] == "estimate"
        assert 529.8 < row["value"] < 574.9
        # East Midlands D81 565.1 is the region benchmark, same file
        bm = p.benchmarks.set_index("kind")["value"]
        assert bm["region"] == 565.1 and bm["uk"] == 613.3  # D6: United Kingdom

    def test_gigabit_and_affordability_from_their_parts(self, ll_table):
        tab, _ = ll_table
        # ELS gigabit-capable-broadband.csv lines 85 (Leicester 97.6) and 99 (Leicestershire 88.5)
        assert _parts(tab, "gigabit_coverage").to_dict() == {"E10000018": 88.5, "E06000016": 97.6}
        # aff1 ... 2024.xlsx: sheet 3c AD13 (Leicestershire 8.01), sheet 5c AF66 (Leicester 7.35)
        assert _parts(tab, "housing_affordability").to_dict() == {
            "E10000018": 8.01,
            "E06000016": 7.35,
        }
        for iid in ("gigabit_coverage", "housing_affordability"):
            assert iid not in set(tab.indicator_id)  # no single figure, and no estimate
            assert iid in tab.attrs["missing"]
            assert tab.attrs["parts"][iid].bracket is None  # not a median itself
        d = tab.attrs["parts"]["gigabit_coverage"].districts.set_index("code")["value"]
        assert len(d) == 8

    def test_imd_score_population_weighted_beside_its_most_deprived_part(
        self, ll_table, public_file
    ):
        import python_calamine as pc

        tab, geo = ll_table
        members = geo.area("E37000021").members
        imd = pc.CalamineWorkbook.from_path(str(public_file(IOD25))).get_sheet_by_name("IMD")
        score = {str(r[0]).strip(): float(r[4]) for r in imd.to_python()[1:] if r[0] in members}
        pop_rows = (
            pc.CalamineWorkbook.from_path(str(public_file(POP)))
            .get_sheet_by_name("Population data")
            .to_python()
        )
        col = [str(c).strip() for c in pop_rows[0]].index("2023")  # nearest year to 2025
        pop = {str(r[1]).strip(): float(r[col]) for r in pop_rows[1:] if str(r[1]) in members}
        want = sum(score[m] * pop[m] for m in members) / sum(pop[m] for m in members)
        row = tab[tab.indicator_id == "imd_score"].iloc[0]
        assert row["year"] == 2025 and row["value"] == pytest.approx(want, abs=1e-9)
        assert row["basis"] == "built from districts" and "approximate" in row["method"]
        p = tab.attrs["parts"]["imd_score"]
        assert p.worst["code"] == "E06000016" and p.worst["value"] == score["E06000016"]
        # the county, built the same way from its seven districts
        county = [m for m in members if m != "E06000016"]
        want_c = sum(score[m] * pop[m] for m in county) / sum(pop[m] for m in county)
        assert _parts(tab, "imd_score")["E10000018"] == pytest.approx(want_c, abs=1e-9)

    def test_imd_rank_shows_the_districts(self, ll_table):
        tab, _ = ll_table
        ranks = _parts(tab, "imd_rank")
        assert len(ranks) == 8 and ranks["E06000016"] == 16  # IoD2025 File 10, IMD sheet, F
        assert "imd_rank" not in set(tab.indicator_id)

    def test_what_has_no_parts_keeps_its_reason(self, ll_table):
        tab, _ = ll_table
        assert "exports_per_head" not in tab.attrs["parts"]
        assert "exports_per_head" in tab.attrs["missing"]

    def test_parts_table_is_long_and_labelled(self, ll_table):
        tab, _ = ll_table
        pt = tab.attrs["parts_table"]
        roles = set(pt[pt.indicator_id == "median_pay_workplace"]["role"])
        assert {"part", "benchmark: uk", "bracket: low", "bracket: high", "estimate"} <= roles


@pytest.mark.shared
def test_a_user_area_of_two_counties_parts(public_store):
    """Any set of districts: Leicestershire's and Derbyshire's districts together are made
    of exactly the two counties (ASHE 7.1a 2024, All: D88 553.5, D97 574.9)."""
    from lis_analysis.geography import Area, package_counties

    obs, geo = public_store
    kids = package_counties()["E10000018"][1] + package_counties()["E10000007"][1]
    two = Area("X2", "Two counties", "custom", tuple(sorted(kids)))
    ctx = Context(obs, geo)
    p = parts_of(ctx, ctx.registry["median_pay_workplace"], two)
    assert p.parts.set_index("code")["value"].to_dict() == {"E10000007": 553.5, "E10000018": 574.9}
    assert p.bracket == (553.5, 574.9)


@pytest.mark.shared
def test_a_rate_suppressed_in_districts_is_pooled_from_its_parts(ll_table, public_store):
    """APS no qualifications, 2023: Melton and another district are suppressed, but ELS
    qualifications-none-gb.csv prints Leicester (line 168: 16.1, CI 12.6-19.6) and
    Leicestershire (line 197: 3.9, CI 2.5-5.3). The area's rate is theirs pooled by their
    16-64 populations (mid-2020, the only 16-64 series loaded, not rebased), and the
    interval pools their standard errors."""
    obs, geo = public_store
    tab = table(geo.area("E37000021"), obs=obs, geo=geo, indicators=["no_qualifications_share"])
    r = tab.iloc[0]
    assert r["basis"] == "built from its parts" and "not rebased" in r["method"]
    pop = obs[
        (obs["dataset"] == "ons_population_mye")
        & (obs["measure"] == "population_16_64")
        & (obs["year"] == 2020)
    ]
    leic = float(pop.loc[pop["geography_code"] == "E06000016", "value"].iloc[0])
    county = float(
        pop.loc[pop["geography_code"].isin(geo.area("E10000018").members), "value"].sum()
    )
    w = leic / (leic + county)
    assert r["value"] == pytest.approx(w * 16.1 + (1 - w) * 3.9, abs=1e-9)
    se = ((w * (19.6 - 12.6)) ** 2 + ((1 - w) * (5.3 - 2.5)) ** 2) ** 0.5 / (2 * 1.959964)
    assert r["ci_upper"] - r["value"] == pytest.approx(1.959964 * se, rel=1e-6)


@pytest.mark.shared
def test_the_engine_rebuilds_a_published_regional_median_from_its_parts(public_store):
    """The production path (parser, parts finder, mixture): an area of East Midlands'
    districts, asked for its parts, is its four counties and six unitaries, and their
    mixture gives the region's published median, £565.1 (ASHE 7.1a 2024, All, D81), to
    within 0.5%."""
    from lis_analysis.geography import Area

    obs, geo = public_store
    em = geo.area("E12000004")
    same = Area("XEM", "East Midlands districts", "custom", em.members)
    ctx = Context(obs, geo)
    p = parts_of(ctx, ctx.registry["median_pay_workplace"], same)
    assert sorted(p.parts["code"]) == sorted(
        ["E06000015", "E06000016", "E06000017", "E06000018", "E06000061", "E06000062",
         "E10000007", "E10000018", "E10000019", "E10000024"]
    )  # fmt: skip
    assert abs(p.estimate / 565.1 - 1) < 0.005
    assert p.bracket == (529.8, 649.7)  # Leicester UA D83, Derby UA D82
