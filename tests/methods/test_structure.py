"""Location quotients, Krugman index, shift-share (classic and Esteban-Marquillas) and the
sector decomposition of a productivity gap: hand-worked cases, identities, edge cases and
erroneous input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lis_analysis.errors import LisError
from lis_analysis.methods import (
    TOTAL,
    MethodError,
    esteban_marquillas,
    krugman_index,
    location_quotients,
    mix_adjusted_productivity_index,
    productivity_gap_decomposition,
    shift_share,
)

TOL = 1e-9
RNG_SEED = 20240601


# --------------------------------------------------------------------------------------
# Location quotients
# --------------------------------------------------------------------------------------

# Area: 30 + 50 + 20 = 100 jobs; benchmark 1000 + 6000 + 3000 = 10000.
# Shares: area .3 .5 .2, benchmark .1 .6 .3.
# LQ = .3/.1 = 3, .5/.6 = 0.8333.., .2/.3 = 0.6666..
AREA = pd.Series({"Manufacturing": 30.0, "Retail": 50.0, "Finance": 20.0})
BENCH = pd.Series({"Manufacturing": 1000.0, "Retail": 6000.0, "Finance": 3000.0})


class TestLocationQuotients:
    def test_hand_worked(self):
        lq = location_quotients(AREA, BENCH)
        assert list(lq.index) == ["Manufacturing", "Retail", "Finance"]
        assert lq.index.name == "industry"
        np.testing.assert_allclose(lq["lq"], [3.0, 5 / 6, 2 / 3], atol=TOL)
        np.testing.assert_allclose(lq["area_share"], [0.3, 0.5, 0.2], atol=TOL)
        np.testing.assert_allclose(lq["benchmark_share"], [0.1, 0.6, 0.3], atol=TOL)
        assert list(lq["area_value"]) == [30.0, 50.0, 20.0]
        assert (lq["note"] == "").all()

    def test_mapping_input_same_as_series(self):
        lq = location_quotients(dict(AREA), dict(BENCH))
        np.testing.assert_allclose(lq["lq"], [3.0, 5 / 6, 2 / 3], atol=TOL)

    def test_suppressed_cell_with_published_total(self):
        # Finance suppressed; with the published total 100 the other LQs are unchanged.
        area = AREA.copy()
        area["Finance"] = np.nan
        lq = location_quotients(area, BENCH, area_total=100)
        assert lq.loc["Manufacturing", "lq"] == pytest.approx(3.0, abs=TOL)
        assert np.isnan(lq.loc["Finance", "lq"])
        assert lq.loc["Finance", "note"] == "area value missing"

    def test_suppressed_cell_without_total_overstates_shares(self):
        # Without the total, the area total is 80: Manufacturing share .375, LQ 3.75.
        area = AREA.copy()
        area["Finance"] = np.nan
        lq = location_quotients(area, BENCH)
        assert lq.loc["Manufacturing", "lq"] == pytest.approx(3.75, abs=TOL)

    def test_zero_cells(self):
        area = pd.concat([AREA, pd.Series({"Mining": 0.0, "Fishing": 5.0, "Energy": 0.0})])
        bench = pd.concat([BENCH, pd.Series({"Mining": 0.0, "Fishing": 0.0, "Energy": 40.0})])
        lq = location_quotients(area, bench)
        assert np.isnan(lq.loc["Mining", "lq"])
        assert lq.loc["Mining", "note"] == "neither area nor benchmark has this industry"
        assert np.isnan(lq.loc["Fishing", "lq"])
        assert lq.loc["Fishing", "note"] == "benchmark has none of this industry"
        assert lq.loc["Energy", "lq"] == 0.0  # area has none, benchmark some: LQ 0

    def test_industry_only_in_benchmark_is_missing_not_zero(self):
        bench = pd.concat([BENCH, pd.Series({"Mining": 100.0})])
        lq = location_quotients(AREA, bench)
        assert list(lq.index)[-1] == "Mining"
        assert np.isnan(lq.loc["Mining", "lq"])
        assert lq.loc["Mining", "note"] == "area value missing"

    @pytest.mark.parametrize(
        "area,bench,kwargs,message",
        [
            (AREA * 0, BENCH, {}, "positive total"),
            (AREA, BENCH, {"benchmark_total": 0}, "positive total"),
            (AREA, BENCH, {"area_total": np.nan}, "missing"),
            (AREA.astype(object).replace({20.0: "c"}), BENCH, {}, "numeric"),
            (pd.Series([1.0, 2.0], index=["A", "A"]), BENCH, {}, "duplicate"),
            ([1.0, 2.0], BENCH, {}, "Series"),
        ],
    )
    def test_erroneous_input(self, area, bench, kwargs, message):
        with pytest.raises(MethodError, match=message):
            location_quotients(area, bench, **kwargs)

    def test_error_is_lis_error_and_value_error(self):
        with pytest.raises(LisError):
            location_quotients(AREA * 0, BENCH)
        with pytest.raises(ValueError):
            location_quotients(AREA * 0, BENCH)


# --------------------------------------------------------------------------------------
# Krugman index
# --------------------------------------------------------------------------------------


class TestKrugman:
    def test_hand_worked(self):
        # |.3 − .1| + |.5 − .6| + |.2 − .3| = .2 + .1 + .1 = .4
        assert krugman_index(AREA, BENCH) == pytest.approx(0.4, abs=TOL)

    def test_same_structure_is_zero_and_disjoint_is_two(self):
        assert krugman_index(AREA, AREA * 7) == pytest.approx(0.0, abs=TOL)
        a = pd.Series({"A": 5.0, "B": 0.0})
        b = pd.Series({"A": 0.0, "B": 9.0})
        assert krugman_index(a, b) == pytest.approx(2.0, abs=TOL)

    def test_missing_industry_refused_unless_dropna(self):
        area = AREA.copy()
        area["Finance"] = np.nan
        with pytest.raises(MethodError, match="Finance"):
            krugman_index(area, BENCH)
        # Dropping Finance: area .375/.625, benchmark 1/7, 6/7.
        got = krugman_index(area, BENCH, dropna=True)
        assert got == pytest.approx(abs(0.375 - 1 / 7) + abs(0.625 - 6 / 7), abs=TOL)

    def test_negative_refused(self):
        with pytest.raises(MethodError, match="negative"):
            krugman_index(AREA * -1, BENCH)

    def test_random_range_and_agreement_with_lq_shares(self):
        rng = np.random.default_rng(RNG_SEED)
        for _ in range(20):
            idx = [f"i{j}" for j in range(15)]
            a = pd.Series(rng.gamma(2, 100, 15), index=idx)
            b = pd.Series(rng.gamma(2, 1000, 15), index=idx)
            k = krugman_index(a, b)
            lq = location_quotients(a, b)
            assert 0 <= k <= 2
            assert k == pytest.approx(
                (lq["area_share"] - lq["benchmark_share"]).abs().sum(), abs=TOL
            )


# --------------------------------------------------------------------------------------
# Shift-share: two regions (A, B), three industries; the benchmark (nation) is A + B.
# --------------------------------------------------------------------------------------
#
#               Region A        Region B        Nation (A + B)
#               2015   2020     2015   2020     2015   2020
# Manufacturing   40     36       60     54      100     90
# Services        50     60      250    290      300    350
# Public          10     14       90     96      100    110
# Total          100    110      400    440      500    550
#
# G   = 550/500 − 1 = 0.10
# g_M = 90/100 − 1 = −0.10, g_S = 350/300 − 1 = 1/6, g_P = 110/100 − 1 = 0.10
# r_M = 36/40 − 1 = −0.10,  r_S = 60/50 − 1 = 0.20,  r_P = 14/10 − 1 = 0.40
# national share NS = e0·G:        M 4,   S 5,        P 1   → 10
# industry mix  IM = e0(g − G):    M −8,  S 50/15,    P 0   → −14/3
# competitive   RC = e0(r − g):    M 0,   S 50/30,    P 3   → 14/3
# actual change:                   M −4,  S 10,       P 4   → 10 = 10 − 14/3 + 14/3
#
# Esteban-Marquillas: homothetic ê0 = 100 × (0.2, 0.6, 0.2) = (20, 60, 20)
# specialisation e0 − ê0 = (20, −10, −10); r − g = (0, 1/30, 0.3)
# homothetic competitive ê0(r − g) = (0, 2, 6)          → 8
# allocation (e0 − ê0)(r − g)      = (0, −1/3, −3)      → −10/3;   8 − 10/3 = 14/3 = RC

REGION_A = pd.DataFrame(
    {2015: [40.0, 50.0, 10.0], 2020: [36.0, 60.0, 14.0]},
    index=pd.Index(["Manufacturing", "Services", "Public"], name="industry"),
)
REGION_B = pd.DataFrame(
    {2015: [60.0, 250.0, 90.0], 2020: [54.0, 290.0, 96.0]}, index=REGION_A.index
)
NATION = REGION_A + REGION_B


def _identity(ss: pd.DataFrame, parts: list[str]) -> None:
    np.testing.assert_allclose(ss[parts].sum(axis=1), ss["actual_change"], atol=TOL, rtol=0)


class TestShiftShare:
    def test_hand_worked(self):
        ss = shift_share(REGION_A, NATION, 2015, 2020)
        assert list(ss.index) == ["Manufacturing", "Services", "Public", TOTAL]
        np.testing.assert_allclose(ss["national_share"], [4, 5, 1, 10], atol=TOL)
        np.testing.assert_allclose(ss["industry_mix"], [-8, 50 / 15, 0, -14 / 3], atol=TOL)
        np.testing.assert_allclose(ss["competitive"], [0, 50 / 30, 3, 14 / 3], atol=TOL)
        np.testing.assert_allclose(ss["actual_change"], [-4, 10, 4, 10], atol=TOL)
        np.testing.assert_allclose(ss["benchmark_growth"], 0.1, atol=TOL)
        np.testing.assert_allclose(
            ss["benchmark_industry_growth"], [-0.1, 1 / 6, 0.1, 0.1], atol=TOL
        )
        np.testing.assert_allclose(ss["area_growth"], [-0.1, 0.2, 0.4, 0.1], atol=TOL)
        _identity(ss, ["national_share", "industry_mix", "competitive"])

    def test_esteban_marquillas_hand_worked(self):
        em = esteban_marquillas(REGION_A, NATION, 2015, 2020)
        np.testing.assert_allclose(em["homothetic_start"], [20, 60, 20, 100], atol=TOL)
        np.testing.assert_allclose(em["specialisation"], [20, -10, -10, 0], atol=TOL)
        np.testing.assert_allclose(em["homothetic_competitive"], [0, 2, 6, 8], atol=TOL)
        np.testing.assert_allclose(em["allocation"], [0, -1 / 3, -3, -10 / 3], atol=TOL)
        np.testing.assert_allclose(
            em["homothetic_competitive"] + em["allocation"], em["competitive"], atol=TOL
        )
        _identity(em, ["national_share", "industry_mix", "homothetic_competitive", "allocation"])
        assert np.isnan(em.loc[TOTAL, "competitive_differential"])

    def test_long_and_multiindex_input_give_the_same_table(self):
        wide = shift_share(REGION_A, NATION, 2015, 2020)

        def long(df):
            return df.reset_index().melt(id_vars="industry", var_name="year", value_name="value")

        got = shift_share(long(REGION_A), long(NATION), 2015, 2020)
        pd.testing.assert_frame_equal(got, wide)
        series = NATION.stack()
        got = shift_share(REGION_A, series, 2015, 2020)
        pd.testing.assert_frame_equal(got, wide)

    def test_string_year_columns(self):
        got = shift_share(REGION_A.rename(columns=str), NATION.rename(columns=str), 2015, 2020)
        pd.testing.assert_frame_equal(got, shift_share(REGION_A, NATION, 2015, 2020))

    def test_missing_year(self):
        with pytest.raises(MethodError, match="no year 2019.*2015–2020"):
            shift_share(REGION_A, NATION, 2019, 2020)

    def test_suppressed_cell_refused_then_dropped(self):
        area = REGION_A.copy()
        area.loc["Public", 2020] = np.nan
        with pytest.raises(MethodError, match="'Public'"):
            shift_share(area, NATION, 2015, 2020)
        ss = shift_share(area, NATION, 2015, 2020, dropna=True)
        assert ss.attrs["dropped"] == ["Public"]
        assert list(ss.index) == ["Manufacturing", "Services", TOTAL]
        # The benchmark is now M + S only: G = 440/400 − 1 = 0.1, and NS_M = 40 × 0.1.
        assert ss.loc["Manufacturing", "national_share"] == pytest.approx(4.0, abs=TOL)
        _identity(ss, ["national_share", "industry_mix", "competitive"])

    def test_industry_new_to_the_area(self):
        # The area has no Public jobs in 2015 and 6 in 2020: classic puts it all in
        # the competitive effect; the Esteban-Marquillas split is undefined.
        area = REGION_A.copy()
        area.loc["Public"] = [0.0, 6.0]
        ss = shift_share(area, NATION, 2015, 2020)
        assert ss.loc["Public", "competitive"] == pytest.approx(6.0, abs=TOL)
        assert np.isnan(ss.loc["Public", "area_growth"])
        _identity(ss, ["national_share", "industry_mix", "competitive"])
        with pytest.raises(MethodError, match="Merge"):
            esteban_marquillas(area, NATION, 2015, 2020)

    def test_industry_absent_from_the_area_both_years(self):
        area = REGION_A.copy()
        area.loc["Public"] = [0.0, 0.0]
        em = esteban_marquillas(area, NATION + 0, 2015, 2020)
        # ê0_P = 90 × 0.2 = 18, but r − g is taken as 0: both terms 0.
        assert em.loc["Public", "homothetic_competitive"] == 0.0
        assert em.loc["Public", "allocation"] == 0.0
        _identity(em, ["national_share", "industry_mix", "homothetic_competitive", "allocation"])

    @pytest.mark.parametrize(
        "area,bench,start,end,message",
        [
            (REGION_A, NATION, 2020, 2015, "after start"),
            (REGION_A, NATION, 2015, 2015, "after start"),
            (REGION_A * -1, NATION, 2015, 2020, "negative"),
            (pd.concat([REGION_A, NATION.sum().to_frame(TOTAL).T]), NATION, 2015, 2020, "Total"),
            (REGION_A.rename(columns={2015: "first"}), NATION, 2015, 2020, "not a year"),
            (REGION_A, NATION.drop(index="Public"), 2015, 2020, "Public"),
            ([1, 2], NATION, 2015, 2020, "DataFrame"),
        ],
    )
    def test_erroneous_input(self, area, bench, start, end, message):
        with pytest.raises(MethodError, match=message):
            shift_share(area, bench, start, end)

    def test_benchmark_without_an_area_industry(self):
        bench = NATION.copy()
        bench.loc["Public", 2015] = 0.0
        with pytest.raises(MethodError, match="should contain the area"):
            shift_share(REGION_A, bench, 2015, 2020)

    def test_random_identities(self):
        rng = np.random.default_rng(RNG_SEED)
        for _ in range(12):
            n = int(rng.integers(2, 20))
            idx = [f"ind{j}" for j in range(n)]
            area = pd.DataFrame({2010: rng.gamma(2, 500, n), 2021: rng.gamma(2, 500, n)}, idx)
            rest = pd.DataFrame({2010: rng.gamma(2, 9e4, n), 2021: rng.gamma(2, 9e4, n)}, idx)
            em = esteban_marquillas(area, area + rest, 2010, 2021)
            _identity(em, ["national_share", "industry_mix", "competitive"])
            _identity(
                em, ["national_share", "industry_mix", "homothetic_competitive", "allocation"]
            )
            body = em.drop(index=TOTAL)
            for col in ("actual_change", "national_share", "industry_mix", "allocation"):
                assert body[col].sum() == pytest.approx(em.loc[TOTAL, col], abs=1e-6)
            assert em.loc[TOTAL, "specialisation"] == pytest.approx(0.0, abs=1e-6)


# --------------------------------------------------------------------------------------
# Productivity gap by sector
# --------------------------------------------------------------------------------------
#
#                 Area                       Benchmark
#                 GVA  hours  share  p       GVA   hours  share  p
# Manufacturing   600    10    .25   60      1500    20    .2    75
# Services       1200    30    .75   40      4000    80    .8    50
# Total          1800    40          45      5500   100          55      gap −10
#
# mix         = (.25 − .2)·75 + (.75 − .8)·50          = 3.75 − 2.5   =   1.25
# within      = .2·(60 − 75) + .8·(40 − 50)             = −3 − 8      = −11
# interaction = .05·(−15) + (−.05)·(−10)                = −.75 + .5   =  −0.25
# sum = 1.25 − 11 − 0.25 = −10 ✓
# expected (Beatty-Fothergill) = .25·75 + .75·50 = 56.25; index = 100 · 45/56.25 = 80
# unadjusted = 100 · 45/55 = 81.8181..; structure = 100 · 56.25/55 = 102.2727..

AY = pd.Series({"Manufacturing": 600.0, "Services": 1200.0})
AL = pd.Series({"Manufacturing": 10.0, "Services": 30.0})
BY = pd.Series({"Manufacturing": 1500.0, "Services": 4000.0})
BL = pd.Series({"Manufacturing": 20.0, "Services": 80.0})


class TestProductivityDecomposition:
    def test_hand_worked(self):
        d = productivity_gap_decomposition(AY, AL, BY, BL)
        assert d.area_productivity == pytest.approx(45.0, abs=TOL)
        assert d.benchmark_productivity == pytest.approx(55.0, abs=TOL)
        assert d.gap == pytest.approx(-10.0, abs=TOL)
        assert d.mix == pytest.approx(1.25, abs=TOL)
        assert d.within == pytest.approx(-11.0, abs=TOL)
        assert d.interaction == pytest.approx(-0.25, abs=TOL)
        assert d.expected_productivity == pytest.approx(56.25, abs=TOL)
        assert d.mix_adjusted_index == pytest.approx(80.0, abs=TOL)
        t = d.by_industry
        np.testing.assert_allclose(t["mix"], [3.75, -2.5, 1.25], atol=TOL)
        np.testing.assert_allclose(t["within"], [-3.0, -8.0, -11.0], atol=TOL)
        np.testing.assert_allclose(t["area_productivity"], [60, 40, 45], atol=TOL)
        assert list(t.index) == ["Manufacturing", "Services", TOTAL]
        s = d.summary()
        assert s["value"].iloc[:3].sum() == pytest.approx(s["value"].iloc[3], abs=TOL)

    def test_mix_adjusted_index_hand_worked(self):
        r = mix_adjusted_productivity_index(AY, AL, BY, BL)
        assert r.index == pytest.approx(80.0, abs=TOL)
        assert r.unadjusted_index == pytest.approx(100 * 45 / 55, abs=TOL)
        assert r.structure_index == pytest.approx(100 * 56.25 / 55, abs=TOL)
        assert r.unadjusted_index == pytest.approx(r.index * r.structure_index / 100, abs=TOL)

    def test_area_without_an_industry(self):
        # Area has no mining; benchmark has 10 hours producing 1000 (p = 100).
        ay, al = (
            pd.concat([AY, pd.Series({"Mining": 0.0})]),
            pd.concat([AL, pd.Series({"Mining": 0.0})]),
        )
        by, bl = (
            pd.concat([BY, pd.Series({"Mining": 1000.0})]),
            pd.concat([BL, pd.Series({"Mining": 10.0})]),
        )
        d = productivity_gap_decomposition(ay, al, by, bl)
        row = d.by_industry.loc["Mining"]
        assert row["within"] == 0.0 and row["interaction"] == 0.0
        assert row["mix"] == pytest.approx(-(10 / 110) * 100, abs=TOL)
        assert "area has no labour" in row["note"]
        assert np.isnan(row["area_productivity"])
        assert d.mix + d.within + d.interaction == pytest.approx(d.gap, abs=TOL)

    def test_output_without_labour_refused(self):
        al = AL.copy()
        al["Services"] = 0.0
        with pytest.raises(MethodError, match="output but no labour.*Services"):
            productivity_gap_decomposition(AY, al, BY, BL)

    def test_suppressed_refused_then_dropped(self):
        ay = AY.copy()
        ay["Services"] = np.nan
        with pytest.raises(MethodError, match="'Services'"):
            productivity_gap_decomposition(ay, AL, BY, BL)
        d = productivity_gap_decomposition(ay, AL, BY, BL, dropna=True)
        assert d.by_industry.attrs["dropped"] == ["Services"]
        assert d.gap == pytest.approx(60 - 75, abs=TOL)

    @pytest.mark.parametrize(
        "args,message",
        [
            ((AY, AL * 0, BY, BL), "output but no labour"),
            ((AY, AL * -1, BY, BL), "negative"),
            ((AY, pd.Series({"Manufacturing": 1.0, "Other": 1.0}), BY, BL), "missing"),
            ((pd.concat([AY, pd.Series({TOTAL: 1.0})]), AL, BY, BL), "Total"),
        ],
    )
    def test_erroneous_input(self, args, message):
        with pytest.raises(MethodError, match=message):
            productivity_gap_decomposition(*args)

    def test_random_identities(self):
        rng = np.random.default_rng(RNG_SEED)
        for _ in range(12):
            n = int(rng.integers(1, 25))
            idx = [f"s{j}" for j in range(n)]
            al = pd.Series(rng.gamma(2, 50, n), idx)
            bl = pd.Series(rng.gamma(2, 5000, n), idx)
            ay = al * rng.gamma(5, 8, n)
            by = bl * rng.gamma(5, 8, n)
            d = productivity_gap_decomposition(ay, al, by, bl)
            assert d.mix + d.within + d.interaction == pytest.approx(d.gap, abs=TOL)
            assert d.gap == pytest.approx(ay.sum() / al.sum() - by.sum() / bl.sum(), abs=TOL)
            t = d.by_industry.drop(index=TOTAL)
            np.testing.assert_allclose(
                t["contribution"],
                t["area_share"] * t["area_productivity"]
                - t["benchmark_share"] * t["benchmark_productivity"],
                atol=TOL,
            )
            r = mix_adjusted_productivity_index(ay, al, by, bl)
            assert r.unadjusted_index == pytest.approx(r.index * r.structure_index / 100, rel=1e-12)
