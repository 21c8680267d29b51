"""Index and gap, the output needed to close a productivity gap, and the GVA-per-head
decomposition: hand-worked cases, identities, edge cases and erroneous input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lis_analysis.methods import (
    GVA_PER_HEAD_INPUTS,
    MethodError,
    gva_per_head_decomposition,
    index_and_gap,
    productivity_output_gap,
)

TOL = 1e-9


class TestIndexAndGap:
    def test_hand_worked(self):
        # 45 against 60: index 100·45/60 = 75, gap −15, gap −25%.
        t = index_and_gap(45.0, 60.0)
        row = t.iloc[0]
        assert (row["index"], row["gap"], row["gap_pct"]) == pytest.approx((75, -15, -25), abs=TOL)
        assert row["note"] == ""

    def test_series_against_one_benchmark_keeps_the_index(self):
        v = pd.Series({"E06000016": 35.8, "E07000129": 36.0}, name="gva_per_hour")
        t = index_and_gap(v, 39.7)
        assert list(t.index) == ["E06000016", "E07000129"]
        np.testing.assert_allclose(t["index"], [100 * 35.8 / 39.7, 100 * 36 / 39.7], atol=TOL)

    def test_two_series_align(self):
        v = pd.Series({"a": 10.0, "b": 20.0})
        b = pd.Series({"b": 10.0, "a": 20.0, "c": 5.0})
        t = index_and_gap(v, b)
        assert t.loc["a", "index"] == pytest.approx(50, abs=TOL)
        assert t.loc["b", "index"] == pytest.approx(200, abs=TOL)
        assert np.isnan(t.loc["c", "gap"]) and t.loc["c", "note"] == "value missing"

    @pytest.mark.parametrize(
        "value,bench,note",
        [
            (5.0, 0.0, "benchmark is zero or negative: no index"),
            (5.0, -2.0, "benchmark is zero or negative: no index"),
            (np.nan, 10.0, "value missing"),
            (5.0, np.nan, "benchmark missing"),
        ],
    )
    def test_edges(self, value, bench, note):
        row = index_and_gap(value, bench).iloc[0]
        assert np.isnan(row["index"]) and np.isnan(row["gap_pct"])
        assert row["note"] == note


class TestOutputGap:
    def test_hand_worked_annual(self):
        # (60 − 45) £/hour × 2,000,000 hours a year = £30,000,000 a year.
        g = productivity_output_gap(45.0, 60.0, annual_hours=2_000_000)
        assert g.gap_per_hour == pytest.approx(-15.0, abs=TOL)
        assert g.output_to_close == pytest.approx(30_000_000.0, abs=1e-6)
        assert not g.closed

    def test_weekly_hours_are_annualised(self):
        # 50,000 hours a week × 52 = 2,600,000 a year; × £15 = £39,000,000.
        g = productivity_output_gap(45.0, 60.0, weekly_hours=50_000)
        assert g.annual_hours == 2_600_000
        assert g.output_to_close == pytest.approx(39_000_000.0, abs=1e-6)
        g = productivity_output_gap(45.0, 60.0, weekly_hours=50_000, weeks=52.14)
        assert g.annual_hours == pytest.approx(50_000 * 52.14, abs=1e-6)

    def test_area_ahead(self):
        g = productivity_output_gap(70.0, 60.0, annual_hours=100.0)
        assert g.closed and g.output_to_close == pytest.approx(-1000.0, abs=TOL)

    @pytest.mark.parametrize(
        "args,kwargs,message",
        [
            ((45, 60), {}, "exactly one"),
            ((45, 60), {"annual_hours": 1.0, "weekly_hours": 1.0}, "exactly one"),
            ((45, 60), {"annual_hours": -1.0}, "negative"),
            ((np.nan, 60), {"annual_hours": 1.0}, "productivity is missing"),
            ((45, "x"), {"annual_hours": 1.0}, "must be a number"),
            ((45, 60), {"weekly_hours": 1.0, "weeks": 0}, "weeks must be positive"),
        ],
    )
    def test_erroneous_input(self, args, kwargs, message):
        with pytest.raises(MethodError, match=message):
            productivity_output_gap(*args, **kwargs)

    @pytest.mark.shared
    def test_ons_gva_per_hour_uses_52_weeks(self, public_file):
        # ONS Subregional productivity, June 2024, labourproductivityitls.xls, 2022:
        # GVA = unsmoothed GVA per job × jobs; productivity_output_gap with weekly hours
        # and the default 52 weeks, from a benchmark of 0 £/hour, gives GVA per hour ×
        # weekly hours × 52, which must reproduce it (tolerance 0.5%: the published
        # ratios are rounded).
        from lis_analysis.sources import detect

        path = public_file("productivity/labourproductivityitls.xls")
        df = detect(path).parse(path)
        w = df[df.year == 2022].pivot_table(
            index="geography_code", columns="measure", values="value"
        )
        row = w.loc["UKX"]
        gva = row["gva_per_job_unsmoothed"] * row["jobs"]
        g = productivity_output_gap(
            0.0, row["gva_per_hour_unsmoothed"], weekly_hours=row["hours_weekly"]
        )
        assert g.output_to_close == pytest.approx(gva, rel=0.005)


# --------------------------------------------------------------------------------------
# GVA per head
# --------------------------------------------------------------------------------------
#
#                               Area            UK           relative
# GVA per hour                  30              40           0.75
# hours per job                 1600            1600         1
# jobs per employed resident    0.9             1.0          0.9
# employed / working age        0.75            0.8          0.9375
# working age / population      0.6             0.625        0.96
# product: 0.75 · 1 · 0.9 · 0.9375 · 0.96 = 0.6075
#
# Levels: area population 1,000,000, working age 600,000, employed 450,000,
# jobs 405,000, hours 405,000 × 1600 = 648,000,000, GVA 30 × 648e6 = 19.44e9
# (GVA per head 19,440); UK population 1,000,000, working age 625,000, employed
# 500,000, jobs 500,000, hours 800,000,000, GVA 32e9 (GVA per head 32,000).
# 19,440 / 32,000 = 0.6075 ✓

AREA = dict(
    gva=19.44e9,
    hours=648e6,
    jobs=405_000,
    employed_residents=450_000,
    working_age_population=600_000,
    population=1_000_000,
)
UK = dict(
    gva=32e9,
    hours=800e6,
    jobs=500_000,
    employed_residents=500_000,
    working_age_population=625_000,
    population=1_000_000,
)


class TestGvaPerHead:
    def test_hand_worked(self):
        t = gva_per_head_decomposition(AREA, UK)
        assert list(t["factor"]) == [
            "productivity",
            "hours_per_job",
            "jobs_per_employed_resident",
            "employment_rate",
            "working_age_share",
            "gva_per_head",
        ]
        np.testing.assert_allclose(t["relative"], [0.75, 1, 0.9, 0.9375, 0.96, 0.6075], atol=TOL)
        np.testing.assert_allclose(t["area"].iloc[[0, 1, 5]], [30, 1600, 19_440], atol=1e-6)
        assert np.prod(t["relative"].iloc[:5]) == pytest.approx(0.6075, abs=TOL)
        assert t["log_contribution"].iloc[:5].sum() == pytest.approx(np.log(0.6075), abs=TOL)
        assert t["log_contribution"].iloc[1] == pytest.approx(0.0, abs=TOL)
        assert t["share_of_log_gap"].iloc[:5].sum() == pytest.approx(1.0, abs=TOL)
        assert "period" not in t.columns

    def test_weekly_or_annual_hours_give_the_same_relative_factors(self):
        a = {**AREA, "hours": AREA["hours"] / 52}
        u = {**UK, "hours": UK["hours"] / 52}
        pd.testing.assert_series_equal(
            gva_per_head_decomposition(a, u)["relative"],
            gva_per_head_decomposition(AREA, UK)["relative"],
            atol=TOL,
            rtol=0,
        )

    def test_periods(self):
        area = pd.DataFrame([AREA, {**AREA, "gva": AREA["gva"] * 1.1}], index=[2021, 2022])
        uk = pd.DataFrame([UK, UK], index=[2021, 2022])
        t = gva_per_head_decomposition(area, uk)
        assert list(t["period"].unique()) == [2021, 2022]
        last = t[(t.period == 2022) & (t.factor == "gva_per_head")]["relative"].iloc[0]
        assert last == pytest.approx(0.6075 * 1.1, abs=TOL)
        for _, g in t.groupby("period"):
            assert np.prod(g["relative"].iloc[:5]) == pytest.approx(g["relative"].iloc[5], abs=TOL)

    def test_same_as_benchmark_has_no_log_gap(self):
        t = gva_per_head_decomposition(UK, UK)
        np.testing.assert_allclose(t["relative"], 1.0, atol=TOL)
        assert t["share_of_log_gap"].isna().all()

    @pytest.mark.parametrize(
        "area,bench,message",
        [
            ({**AREA, "jobs": 0}, UK, "positive values.*jobs"),
            ({**AREA, "population": np.nan}, UK, "population \\(missing\\)"),
            ({**AREA, "hours": -5}, UK, "positive"),
            ({k: v for k, v in AREA.items() if k != "hours"}, UK, "lacks 'hours'"),
            ([1, 2, 3], UK, "mapping"),
            (pd.DataFrame([AREA], index=[2021]), UK, "both"),
            (
                pd.DataFrame([AREA], index=[2021]),
                pd.DataFrame([UK], index=[2022]),
                "periods differ",
            ),
        ],
    )
    def test_erroneous_input(self, area, bench, message):
        with pytest.raises(MethodError, match=message):
            gva_per_head_decomposition(area, bench)

    def test_random_identities(self):
        rng = np.random.default_rng(20240601)
        for _ in range(20):
            a = dict(zip(GVA_PER_HEAD_INPUTS, rng.uniform(1, 1e9, 6), strict=True))
            u = dict(zip(GVA_PER_HEAD_INPUTS, rng.uniform(1, 1e9, 6), strict=True))
            t = gva_per_head_decomposition(a, u)
            ratio = (a["gva"] / a["population"]) / (u["gva"] / u["population"])
            assert np.prod(t["relative"].iloc[:5]) == pytest.approx(ratio, rel=1e-12)
            assert t["log_contribution"].iloc[:5].sum() == pytest.approx(np.log(ratio), abs=TOL)
