"""The indicator registry and engine: the DESIGN.md table, benchmarks, ranks, the rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lis_analysis.errors import ConfigError, LisError
from lis_analysis.indicators import TABLE_COLUMNS, compute, load_registry, registry_table, table
from lis_analysis.indicators.registry import FOUNDATIONS, GROUPS, parse_registry

DESIGN_COLUMNS = [
    "area_code",
    "area_name",
    "indicator_id",
    "foundation",
    "period",
    "value",
    "unit",
    "ci_lower",
    "ci_upper",
    "benchmark_code",
    "benchmark_value",
    "index",
    "gap",
    "significant",
    "rank",
    "n_peers",
    "polarity",
    "source",
]


def test_table_columns_are_the_design_contract():
    assert TABLE_COLUMNS == DESIGN_COLUMNS


def test_registry_declares_every_foundation():
    reg = load_registry()
    # the five Foundations of Productivity; headline productivity is a group, not a sixth
    assert FOUNDATIONS == ("Ideas", "People", "Infrastructure", "Business Environment", "Places")
    assert ("Productivity", *FOUNDATIONS) == GROUPS
    assert {i.foundation for i in reg.values()} == {*FOUNDATIONS, None}
    assert [g for g in GROUPS if any(i.group == g for i in reg.values())] == list(GROUPS)
    for i in reg.values():
        assert i.group == (i.foundation or "Productivity")
    assert reg["gva_per_hour"].group == "Productivity" and reg["gva_per_hour"].foundation is None
    for required in (
        "gva_per_hour", "gva_per_hour_index", "gva_per_job", "gva_per_head", "gva_total", "real_gva_growth",
        "berd_per_head", "knowledge_intensive_share", "employment_rate", "economic_inactivity_rate",
        "rqf3_plus_share", "no_qualifications_share", "median_pay_workplace", "median_pay_residence",
        "pay_gap_workplace_residence", "working_age_share", "gigabit_coverage", "housing_affordability",
        "business_birth_rate", "business_death_rate", "survival_3yr", "business_density",
        "large_business_share", "exports_per_head", "industry_specialisation", "imd_score", "imd_rank",
        "productivity_spread", "gva_per_head_spread",
    ):  # fmt: skip
        assert required in reg, required
    assert set(registry_table().columns) >= {
        "id",
        "name",
        "group",
        "foundation",
        "unit",
        "polarity",
        "aggregation",
        "caveat",
    }


@pytest.mark.parametrize(
    "body,message",
    [
        (
            {
                "x": {
                    "name": "X",
                    "foundation": "Mars",
                    "kind": "measure",
                    "unit": "£",
                    "polarity": "higher",
                }
            },
            "foundation must be one of",
        ),
        (
            {
                "x": {
                    "name": "X",
                    "foundation": "Productivity",
                    "kind": "measure",
                    "unit": "£",
                    "polarity": "higher",
                }
            },
            "Productivity is not a foundation: say 'group: Productivity'",
        ),
        (
            {"x": {"name": "X", "kind": "measure", "unit": "£", "polarity": "higher"}},
            "missing 'foundation'",
        ),
        (
            {
                "x": {
                    "name": "X",
                    "foundation": "Ideas",
                    "kind": "guess",
                    "unit": "£",
                    "polarity": "higher",
                }
            },
            "kind must be one of",
        ),
        (
            {
                "x": {
                    "name": "X",
                    "foundation": "Ideas",
                    "kind": "measure",
                    "unit": "£",
                    "polarity": "higher",
                }
            },
            "kind 'measure' is missing what it is computed from",
        ),
        (
            {
                "x": {
                    "name": "X",
                    "foundation": "Ideas",
                    "kind": "index",
                    "unit": "£",
                    "polarity": "higher",
                    "of": "nope",
                }
            },
            "refers to unknown indicator 'nope'",
        ),
        (
            {"x": {"foundation": "Ideas", "kind": "measure", "unit": "£", "polarity": "higher"}},
            "missing 'name'",
        ),
    ],
)
def test_registry_validation(body, message):
    with pytest.raises(ConfigError, match=message):
        parse_registry({"indicators": body}, "test.yaml")


@pytest.fixture(scope="module")
def demo_table(demo_store):
    _, obs, geo = demo_store
    return table(geo.area("E37000021"), obs=obs, geo=geo), obs, geo


class TestDemo:
    def test_gva_per_hour_is_total_gva_over_total_hours(self, demo_table):
        tab, obs, geo = demo_table
        row = tab[(tab.indicator_id == "gva_per_hour") & (tab.benchmark_kind == "uk")].iloc[0]
        ll = geo.area("E37000021")
        y = row.year
        d = obs[
            (obs.dataset == "ons_productivity_lad")
            & obs.geography_code.isin(ll.members)
            & (obs.year == y)
        ]
        p = d.pivot_table(index="geography_code", columns="measure", values="value")
        expected = (p.gva_per_hour * p.hours_weekly).sum() / p.hours_weekly.sum()
        assert row.value == pytest.approx(expected, rel=1e-12)
        assert abs(row.value - p.gva_per_hour.mean()) > 1e-3

    def test_index_gap_and_rank(self, demo_table):
        tab, obs, geo = demo_table
        r = tab[(tab.indicator_id == "gva_per_hour") & (tab.benchmark_kind == "uk")].iloc[0]
        assert r["index"] == pytest.approx(100 * r.value / r.benchmark_value)
        assert r.gap == pytest.approx(r.value - r.benchmark_value)
        peers = geo.peers(geo.area("E37000021"))
        assert r.n_peers == len(peers) == 9
        vals = compute("gva_per_hour", [geo.area("E37000021"), *peers], obs=obs, geo=geo)
        last = vals[vals.year == r.year].set_index("area_code").value
        assert r["rank"] == int((last > r.value).sum()) + 1

    def test_benchmarks_present(self, demo_table):
        tab, _, _ = demo_table
        kinds = set(tab[tab.indicator_id == "gva_per_hour"].benchmark_kind)
        assert kinds == {"uk", "england", "region", "peers", "neighbours"}
        assert set(tab[tab.benchmark_kind == "region"].benchmark_code) == {"E12000004"}

    def test_survey_rate_has_approximate_interval_and_significance(self, demo_table):
        tab, _, _ = demo_table
        r = tab[(tab.indicator_id == "employment_rate") & (tab.benchmark_kind == "uk")].iloc[0]
        assert r.ci_lower < r.value < r.ci_upper
        assert r.status == "approximate CI (pooled)"
        assert r.significant in (True, False)

    def test_medians_shown_from_their_parts(self, demo_table):
        """A median cannot be built: the area's row is the mixture estimate, labelled so,
        and the parts display holds Leicester and Leicestershire county with the bracket."""
        tab, _, geo = demo_table
        rows = tab[tab.indicator_id == "median_pay_workplace"]
        assert len(rows) and set(rows["basis"]) == {"estimate"}
        assert rows["method"].iloc[0].startswith("estimate: median of the jobs-weighted mixture")
        p = tab.attrs["parts"]["median_pay_workplace"]
        # the demonstrator prints no counties: the parts are the eight districts
        assert sorted(p.parts["code"]) == sorted(geo.area("E37000021").members)
        lo, hi = p.bracket
        assert lo <= rows["value"].iloc[0] <= hi
        assert "median_pay_workplace" not in tab.attrs["missing"]
        assert not tab.value.isna().any()  # never a table full of NaN

    def test_neighbours_listed_with_distances(self, demo_table):
        tab, _, _ = demo_table
        nb = tab.attrs["neighbours"]
        assert len(nb) == 5 and (nb["distance"].diff().dropna() >= 0).all()

    def test_single_district_has_no_spread(self, demo_store):
        _, obs, geo = demo_store
        tab = table(
            geo.area("E06000016"),
            obs=obs,
            geo=geo,
            indicators=["productivity_spread", "gva_per_hour"],
        )
        assert "single district" in tab.attrs["missing"]["productivity_spread"]

    def test_unknown_indicator(self, demo_store):
        _, obs, geo = demo_store
        with pytest.raises(LisError, match="unknown indicator\\(s\\) nope"):
            table(geo.area("E37000021"), obs=obs, geo=geo, indicators=["nope"])


@pytest.mark.shared
class TestReal:
    def test_published_district_values_reproduced(self, public_store):
        # labourproductivitylocalauthorities.xls (June 2024), A1 and A3, 2022, 1 d.p.
        obs, geo = public_store
        tab = table(
            geo.area("E06000016"),
            obs=obs,
            geo=geo,
            indicators=["gva_per_hour", "gva_per_hour_index"],
            benchmarks=("uk",),
        )
        v = tab.set_index("indicator_id").value
        assert v["gva_per_hour_index"] == pytest.approx(90.1, abs=0.05)
        # GVA per hour: the newest release the district is printed in, ELS June 2025
        # (gross-value-added.csv, Leicester 2023: 35.47; UK less Extra-Regio K99000002
        # 2023: 41.87), against the UK from the same file
        r = tab.set_index("indicator_id").loc["gva_per_hour"]
        assert (r["value"], r["year"], r["release"]) == (35.47, 2023, "2025-06-19")
        assert r["benchmark_value"] == pytest.approx(41.87)
        # the June 2024 workbook's own figures are still read (A1 and A3, 2022)
        from lis_analysis.indicators.engine import Context
        from lis_analysis.indicators.registry import Ref

        ctx = Context(obs, geo)
        old = ctx.measure_series(
            [Ref("ons_productivity_lad", "gva_per_hour")],
            [geo.area("E06000016"), geo.area("K02000001")],
        )
        old = old[old["year"] == 2022].set_index("area_code")["value"]
        assert old["E06000016"] == pytest.approx(35.8, abs=0.05)
        assert old["K02000001"] == pytest.approx(39.7, abs=0.05)

    def test_ll_on_real_data(self, public_store):
        obs, geo = public_store
        tab = table(geo.area("E37000021"), obs=obs, geo=geo)
        first = tab.drop_duplicates("indicator_id").set_index("indicator_id")
        assert first.loc["gva_per_hour", "value"] == pytest.approx(34.7459, abs=1e-3)
        assert first.loc["gva_total", "value"] == 33342  # 2023, Table 3 sum (PROVENANCE.md)
        assert first.loc["population", "value"] == 1113795
        assert first.loc["gva_per_hour", "n_peers"] == 37  # the other LSIP areas
        # employment rate: pooled over districts with 16-64 weights; Leicester 65.1 ... (ELS 2023)
        emp = first.loc["employment_rate"]
        assert 65.1 < emp.value < 85.3 and emp.ci_lower < emp.value < emp.ci_upper
        # no qualifications: two districts suppressed, so built from its published parts
        # (Leicester and Leicestershire county; tests/indicators/test_engine_parts.py)
        assert first.loc["no_qualifications_share", "basis"] == "built from its parts"
        assert np.isfinite(first.loc["industry_specialisation", "value"])

    def test_an_area_gets_the_same_figures_alone_or_in_a_batch(self, public_store):
        # ITL1 North West (TLD) is the same districts as the region E12000002, for which
        # the business demography tables print a figure. Asked for together (as in a
        # national panel), each must still use that published figure: results must not
        # depend on which other areas are in the batch.
        # Buckinghamshire (E06000060) is also ITL3 TLJ13 and LSIP E69000002: the published
        # district index must stay the district's own in a batch with the other two.
        obs, geo = public_store
        batches = {
            ("business_birth_rate", "median_pay_residence", "gva_per_hour"): [
                geo.area("TLD"), geo.area("E12000002"), geo.area("E37000021"),
            ],
            ("gva_per_hour_index",): [
                geo.area("E06000060"), geo.area("TLJ13"), geo.area("E69000002"),
            ],
        }  # fmt: skip
        for indicators, batch in batches.items():
            for ind in indicators:
                together = compute(ind, batch, obs=obs, geo=geo)
                for a in batch:
                    alone = compute(ind, a, obs=obs, geo=geo)
                    mine = together[together["area_code"] == a.code].reset_index(drop=True)
                    pd.testing.assert_frame_equal(
                        mine[["year", "value", "method", "source"]],
                        alone[["year", "value", "method", "source"]],
                        check_dtype=False,  # an empty result has no dtype to agree on
                    )
        tld = compute("business_birth_rate", batch, obs=obs, geo=geo)
        assert (
            tld.loc[tld["area_code"] == "TLD", "method"]
            .str.startswith("published for E12000002")
            .all()
        )
