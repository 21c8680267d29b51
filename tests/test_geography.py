"""Areas from districts and the aggregation rules of DESIGN.md, on hand-made rows and on
the real published files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lis_analysis.errors import ConfigError, NotAggregable
from lis_analysis.geography import Area, Geography, aggregate
from lis_analysis.sources._base import tidy

LL = (
    "E06000016",
    "E07000129",
    "E07000130",
    "E07000131",
    "E07000132",
    "E07000133",
    "E07000134",
    "E07000135",
)


def _obs(dataset, measure, rows, **kw):
    codes, values = zip(*rows, strict=True)
    return tidy(
        dataset=dataset,
        measure=measure,
        geography_code=list(codes),
        geography_name=list(codes),
        year=2022,
        period="2022",
        value=list(values),
        **{"industry": "Total", "breakdown": "All", **kw},
    )


AREA = Area("X", "Two districts", "custom", ("E07000129", "E07000130"))


class TestRules:
    def test_additive_sums(self):
        obs = _obs(
            "ons_productivity_lad", "hours_weekly", [("E07000129", 100.0), ("E07000130", 300.0)]
        )
        out = aggregate(obs, AREA, "ons_productivity_lad", "hours_weekly")
        assert out.value.tolist() == [400.0] and out.method.iloc[0] == "sum of 2 districts"

    def test_ratio_is_sum_over_sum_not_mean_of_ratios(self):
        # GVA per hour 30 on 100 hours and 40 on 300 hours: (3000 + 12000) / 400 = 37.5, not 35.
        obs = pd.concat(
            [
                _obs(
                    "ons_productivity_lad",
                    "gva_per_hour",
                    [("E07000129", 30.0), ("E07000130", 40.0)],
                ),
                _obs(
                    "ons_productivity_lad",
                    "hours_weekly",
                    [("E07000129", 100.0), ("E07000130", 300.0)],
                ),
            ]
        )
        out = aggregate(obs, AREA, "ons_productivity_lad", "gva_per_hour")
        assert out.value.iloc[0] == pytest.approx(37.5)
        assert out.value.iloc[0] != pytest.approx(35.0)

    def test_suppressed_district_gives_missing_not_zero(self):
        obs = _obs(
            "ons_productivity_lad",
            "hours_weekly",
            [("E07000129", 100.0), ("E07000130", np.nan)],
            status=[None, "x"],
        )
        out = aggregate(obs, AREA, "ons_productivity_lad", "hours_weekly")
        assert np.isnan(out.value.iloc[0])
        assert out.status.iloc[0] == "incomplete: 1 of 2 districts missing or suppressed"

    def test_survey_rate_pooled_with_approximate_interval(self):
        # rates 60% (base 100) and 80% (base 300): pooled 75%; SEs 2 and 1 from the CIs:
        # se = sqrt(0.25² · 2² + 0.75² · 1²) = sqrt(0.25 + 0.5625) = 0.9014
        rate = _obs(
            "els_employment_rate",
            "employment_rate_16_64",
            [("E07000129", 60.0), ("E07000130", 80.0)],
            ci_lower=[60 - 1.96 * 2, 80 - 1.96 * 1],
            ci_upper=[60 + 1.96 * 2, 80 + 1.96 * 1],
        )
        base = _obs(
            "ons_population_mye", "population_16_64", [("E07000129", 100.0), ("E07000130", 300.0)]
        )
        base["year"] = (
            base["year"].astype("Int16") - 2
        )  # a base from another year: nearest year used
        out = aggregate(
            pd.concat([rate, base]), AREA, "els_employment_rate", "employment_rate_16_64"
        )
        r = out.iloc[0]
        assert r.value == pytest.approx(75.0)
        assert (r.ci_upper - r.value) / 1.96 == pytest.approx(np.sqrt(0.8125), rel=1e-9)
        assert r.status == "approximate CI (pooled)"

    def test_median_refused(self):
        obs = _obs(
            "ons_ashe_workplace",
            "weekly_pay_gross_median",
            [("E07000129", 600.0), ("E07000130", 500.0)],
            breakdown="All",
        )
        with pytest.raises(
            NotAggregable, match="a median, and the publisher prints no figure for this exact area"
        ):
            aggregate(obs, AREA, "ons_ashe_workplace", "weekly_pay_gross_median")

    def test_published_figure_used_for_exact_area(self):
        obs = _obs(
            "ons_ashe_workplace",
            "weekly_pay_gross_median",
            [("E07000129", 600.0), ("E07000130", 500.0), ("X", 555.0)],
        )
        out = aggregate(obs, AREA, "ons_ashe_workplace", "weekly_pay_gross_median")
        assert out.value.tolist() == [555.0] and out.method.iloc[0] == "published"


class TestAreas:
    def test_unknown_area(self):
        geo = Geography.build(pd.DataFrame(columns=["relation"]), None)
        with pytest.raises(ConfigError, match="unknown area 'E37999999' \\(run 'lis areas'"):
            geo.area("E37999999")

    def test_ll_default_from_yaml_with_lsip_alias(self):
        geo = Geography.build(pd.DataFrame(columns=["relation"]), None)
        ll = geo.area("E37000021")
        assert ll.members == LL and geo.area("E69000020") is ll


@pytest.mark.shared
class TestRealFiles:
    def test_areas_from_lookups(self, public_store):
        _, geo = public_store
        tlf22 = geo.area("TLF22")
        assert set(tlf22.members) == set(LL[1:]) | {"E06000017"}  # the 7 districts plus Rutland
        assert geo.area("E12000004").level == "region"
        assert len(geo.areas("lsip")) == 38
        assert set(geo.area("E69000020").members) == set(LL)

    def test_itl3_productivity_reproduces_ons_from_districts(self, public_store):
        # ONS labourproductivityitls.xls (June 2024), table A3: TLF22 £34.3 per hour in 2022.
        # Built from the 8 districts' A3 values and hours: Σ(£/h × hours) / Σ hours.
        obs, geo = public_store
        built = aggregate(
            obs, geo.area("TLF22"), "ons_productivity_lad", "gva_per_hour", prefer_published=False
        )
        v = built[built.year == 2022].value.iloc[0]
        assert v == pytest.approx(34.3, abs=0.05)

    def test_ll_productivity_is_not_the_mean_of_district_ratios(self, public_store):
        # docs/assumptions.md A3: L&L 2022 = £34.7 (sum over sum); the mean of the eight
        # district figures (35.8, 36.0, 33.9, 33.0, 36.1, 35.0, 34.8, 25.7) is £33.8.
        obs, geo = public_store
        ll = geo.area("E37000021")
        v = aggregate(obs, ll, "ons_productivity_lad", "gva_per_hour")
        area_value = v[v.year == 2022].value.iloc[0]
        d = obs[
            (obs.measure == "gva_per_hour")
            & (obs.dataset == "ons_productivity_lad")
            & obs.geography_code.isin(LL)
            & (obs.year == 2022)
        ]
        assert d.value.mean() == pytest.approx(33.79, abs=0.005)
        assert area_value == pytest.approx(34.75, abs=0.01)
        assert area_value - d.value.mean() > 0.9

    def test_ll_gva_and_population_sums(self, public_store):
        # PROVENANCE.md: GVA Table 3 (current prices, £m), the 8 districts sum to 33,342 in
        # 2023 and 29,968 in 2022; ONS population estimates sum to 1,113,795 in 2023.
        obs, geo = public_store
        ll = geo.area("E37000021")
        gva = aggregate(obs, ll, "ons_gva_industry_lad", "gva_current")
        tot = gva[gva.industry == "Total"].set_index("year").value
        assert tot.loc[2023] == 33342 and tot.loc[2022] == 29968
        pop = aggregate(obs, ll, "ons_population_la", "population").set_index("year").value
        assert pop.loc[2023] == 1113795

    def test_median_pay_refused_for_ll(self, public_store):
        obs, geo = public_store
        with pytest.raises(NotAggregable):
            aggregate(obs, geo.area("E37000021"), "ons_ashe_workplace", "weekly_pay_gross_median")

    def test_england_is_one_vintage_of_districts(self, public_store):
        _, geo = public_store
        assert len(geo.area("E92000001").members) == 296
        assert len(geo.area("K02000001").members) == 361


class TestOnePath:
    """``aggregate`` is the path the indicator engine takes (``Aggregator``): these check
    the code production runs, not a copy of it."""

    def test_engine_and_aggregate_give_the_same_rows(self, demo_store):
        from lis_analysis.indicators import Context
        from lis_analysis.indicators.registry import Ref

        _, obs, geo = demo_store
        areas = [geo.area("E37000021"), geo.area("E06000016"), geo.area("E12000004")]
        ctx = Context(obs, geo)
        eng = ctx.aggregated(Ref("ons_gva_industry_lad", "gva_current"), areas)
        agg = aggregate(obs, areas, "ons_gva_industry_lad", "gva_current", geo=geo)
        assert len(eng) == len(agg) > 0
        for col in ("industry", "period", "value", "method", "status", "release"):
            a = eng[col].astype(object).where(eng[col].notna(), None).tolist()
            b = agg[col].astype(object).where(agg[col].notna(), None).tolist()
            assert a == b, col
        assert eng["area_code"].tolist() == agg["geography_code"].tolist()

    def test_a_figure_printed_for_the_same_districts_stands_for_the_area(self):
        # with the geography, Leicester the district is printed as ITL3 TLF21 too
        obs = _obs(
            "ons_ashe_workplace", "weekly_pay_gross_median", [("X2", 555.0), ("E07000129", 600.0)]
        )
        two = Area("Y", "Same as X2", "custom", ("E07000129", "E07000130"))
        x2 = Area("X2", "Printed area", "itl3", ("E07000129", "E07000130"))
        geo = Geography({"Y": two, "X2": x2}, {})
        out = aggregate(obs, two, "ons_ashe_workplace", "weekly_pay_gross_median", geo=geo)
        assert out.value.tolist() == [555.0]
        assert out.method.iloc[0] == "published for X2 (same districts)"
        with pytest.raises(NotAggregable):  # without the geography it cannot know
            aggregate(obs, two, "ons_ashe_workplace", "weekly_pay_gross_median")

    def test_pooled_rate_is_the_documented_method(self):
        from lis_analysis.methods import pooled_rate, se_from_ci

        rates, bases, se = [60.0, 80.0, 71.5], [100.0, 300.0, 250.0], [2.0, 1.0, 1.7]
        codes = ["E07000129", "E07000130", "E07000131"]
        rate = _obs(
            "els_employment_rate",
            "employment_rate_16_64",
            list(zip(codes, rates, strict=True)),
            ci_lower=[r - 1.96 * s for r, s in zip(rates, se, strict=True)],
            ci_upper=[r + 1.96 * s for r, s in zip(rates, se, strict=True)],
        )
        base = _obs("ons_population_mye", "population_16_64", list(zip(codes, bases, strict=True)))
        three = Area("Z", "Three districts", "custom", tuple(codes))
        got = aggregate(
            pd.concat([rate, base]), three, "els_employment_rate", "employment_rate_16_64"
        ).iloc[0]
        se_i = pd.Series(se_from_ci(rate["ci_lower"], rate["ci_upper"]), index=codes)
        ref = pooled_rate(pd.Series(rates, index=codes), pd.Series(bases, index=codes), se_i)
        assert got.value == pytest.approx(ref.rate, rel=1e-12)
        assert got.ci_lower == pytest.approx(ref.ci_lower, rel=1e-12)
        assert got.ci_upper == pytest.approx(ref.ci_upper, rel=1e-12)

    def test_a_shared_aggregator_gives_what_a_fresh_one_gives(self, demo_store):
        from lis_analysis.errors import LisError
        from lis_analysis.geography import Aggregator
        from lis_analysis.indicators import Context, panel

        _, obs, geo = demo_store
        areas = geo.areas("lsip")[:6]
        agg = Aggregator(obs, geo)
        first = panel(areas, obs=obs, geo=geo, ctx=Context.on(agg))
        again = panel(areas, obs=obs, geo=geo, ctx=Context.on(agg))
        fresh = panel(areas, obs=obs, geo=geo)
        pd.testing.assert_frame_equal(first, again)
        pd.testing.assert_frame_equal(first, fresh)
        with pytest.raises(LisError, match="same obs and geo"):
            Context(obs.copy(), geo, aggregator=agg)
