"""CAGR, HAC trends and convergence: hand-worked cases, an independent Newey-West
reference, edge cases and erroneous input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from lis_analysis.methods import (
    InsufficientData,
    MethodError,
    beta_convergence,
    cagr,
    cagr_between,
    newey_west_maxlags,
    sigma_convergence,
    trend,
)

TOL = 1e-9


# --------------------------------------------------------------------------------------
# CAGR
# --------------------------------------------------------------------------------------


class TestCagr:
    @pytest.mark.parametrize(
        "start,end,years,expected",
        [
            (100, 121, 2, 0.10),  # 1.1² = 1.21
            (200, 200, 7, 0.0),
            (100, 0, 3, -1.0),  # to zero: −100%
            (100, 50, 1, -0.5),
            (64, 1, 3, 0.25 - 1),  # (1/64)^(1/3) = 1/4
        ],
    )
    def test_cases(self, start, end, years, expected):
        assert cagr(start, end, years) == pytest.approx(expected, abs=TOL)

    @pytest.mark.parametrize(
        "start,end,years,message",
        [
            (0, 10, 2, "start value is 0"),
            (-5, 10, 2, "negative"),
            (np.nan, 10, 2, "start value is missing"),
            (None, 10, 2, "missing"),
            (10, np.nan, 2, "end value is missing"),
            (10, -1, 2, "end value -1 is negative"),
            (10, 12, 0, "positive"),
        ],
    )
    def test_erroneous_input(self, start, end, years, message):
        with pytest.raises(MethodError, match=message):
            cagr(start, end, years)

    def test_between_years_of_a_panel(self):
        panel = pd.DataFrame(
            {2015: [100.0, 200.0], 2016: [np.nan, 1.0], 2017: [121.0, 200.0]}, index=["A", "B"]
        )
        t = cagr_between(panel, 2015, 2017)
        assert list(t.index) == ["A", "B"]
        np.testing.assert_allclose(t["cagr"], [0.10, 0.0], atol=TOL)
        assert set(t["years"]) == {2}

    def test_between_years_of_a_series(self):
        s = pd.Series({2019: 100.0, 2020: 90.0, 2021: 121.0}, name="gva")
        t = cagr_between(s, 2019, 2021)
        assert t.index[0] == "gva" and t["cagr"].iloc[0] == pytest.approx(0.10, abs=TOL)

    def test_between_refuses_bad_rows_and_missing_years(self):
        panel = pd.DataFrame(
            {2015: [100.0, 0.0, np.nan], 2017: [121.0, 5.0, 3.0]}, index=["A", "B", "C"]
        )
        with pytest.raises(MethodError, match="'B', 'C'"):
            cagr_between(panel, 2015, 2017)
        with pytest.raises(MethodError, match="no year 2016"):
            cagr_between(panel, 2015, 2016)
        with pytest.raises(MethodError, match="after start"):
            cagr_between(panel, 2017, 2015)

    def test_agrees_with_scalar_on_random_data(self):
        rng = np.random.default_rng(20240601)
        panel = pd.DataFrame({2010: rng.uniform(1, 100, 30), 2022: rng.uniform(1, 100, 30)})
        t = cagr_between(panel, 2010, 2022)
        for i in range(30):
            assert t["cagr"].iloc[i] == pytest.approx(
                cagr(panel.iloc[i, 0], panel.iloc[i, 1], 12), abs=TOL
            )
        np.testing.assert_allclose(
            (1 + t["cagr"]) ** 12 * t["start_value"], t["end_value"], rtol=1e-12
        )


# --------------------------------------------------------------------------------------
# Trend with Newey-West standard errors, against an independent numpy sandwich
# --------------------------------------------------------------------------------------

YEARS = np.arange(2010, 2020)
SERIES = pd.Series([3.1, 3.5, 3.2, 4.0, 4.4, 4.1, 4.9, 5.3, 5.0, 5.6], index=YEARS)


def newey_west_reference(y: np.ndarray, x: np.ndarray, lags: int, alpha: float = 0.05):
    """Hand-coded OLS + Newey-West (Bartlett) covariance with the n/(n − k) factor.

    S = Σ_t u_t² x_t x_t' + Σ_{l=1..L} (1 − l/(L+1)) Σ_t u_t u_{t−l} (x_t x_{t−l}' + x_{t−l} x_t')
    V = (X'X)⁻¹ S (X'X)⁻¹ · n/(n − k);  t(n − k) for the CI and p-value.
    """
    X = np.column_stack([np.ones_like(x), x])
    n, k = X.shape
    xtx_inv = np.linalg.inv(X.T @ X)
    b = xtx_inv @ X.T @ y
    u = y - X @ b
    S = sum(u[t] ** 2 * np.outer(X[t], X[t]) for t in range(n))
    for lag in range(1, lags + 1):
        w = 1 - lag / (lags + 1)
        for t in range(lag, n):
            cross = u[t] * u[t - lag] * np.outer(X[t], X[t - lag])
            S = S + w * (cross + cross.T)
    V = xtx_inv @ S @ xtx_inv * n / (n - k)
    se = math.sqrt(V[1, 1])
    tcrit = stats.t.ppf(1 - alpha / 2, n - k)
    p = 2 * stats.t.sf(abs(b[1] / se), n - k)
    return b[1], se, b[1] - tcrit * se, b[1] + tcrit * se, p


class TestTrend:
    def test_lag_rule(self):
        # ⌊4 (10/100)^(2/9)⌋ = ⌊2.396⌋ = 2; 4 (27/100)^(2/9) = 2.988, 4 (28/100)^(2/9) = 3.003.
        assert newey_west_maxlags(10) == 2
        assert newey_west_maxlags(5) == 2
        assert newey_west_maxlags(27) == 2
        assert newey_west_maxlags(28) == 3

    @pytest.mark.parametrize("lags", [None, 0, 1, 3])
    def test_against_hand_coded_newey_west(self, lags):
        res = trend(SERIES, maxlags=lags)
        used = 2 if lags is None else lags
        slope, se, lo, hi, p = newey_west_reference(SERIES.to_numpy(), YEARS - 2010.0, used)
        assert res.maxlags == used
        assert res.n == 10
        assert res.slope == pytest.approx(slope, abs=TOL)
        assert res.se == pytest.approx(se, abs=TOL)
        assert (res.ci_lower, res.ci_upper) == pytest.approx((lo, hi), abs=TOL)
        assert res.p_value == pytest.approx(p, abs=TOL)

    def test_slope_is_the_ols_slope(self):
        # Σ(x − x̄)(y − ȳ) / Σ(x − x̄)², x̄ = 4.5: slope = 0.26 for this series.
        x = np.arange(10.0)
        y = SERIES.to_numpy()
        expected = ((x - 4.5) * (y - y.mean())).sum() / ((x - 4.5) ** 2).sum()
        res = trend(SERIES)
        assert res.slope == pytest.approx(expected, abs=TOL)
        assert res.significant and res.direction == 1
        fit = res.fitted
        assert list(fit.columns) == ["year", "value", "fitted"]
        np.testing.assert_allclose(fit["fitted"], res.intercept + res.slope * x, atol=TOL)

    def test_log_trend_of_exact_growth(self):
        s = pd.Series(100 * 1.05 ** np.arange(8), index=range(2015, 2023))
        res = trend(s, log=True)
        assert res.slope == pytest.approx(math.log(1.05), abs=TOL)
        assert res.annual_growth == pytest.approx(0.05, abs=TOL)
        np.testing.assert_allclose(res.fitted["fitted"], s.to_numpy(), rtol=1e-12)

    def test_missing_year_is_dropped_and_noted(self):
        s = SERIES.copy()
        s[2013] = np.nan
        res = trend(s)
        assert res.n == 9
        assert "unevenly spaced" in res.note
        assert trend(SERIES).note == ""

    def test_string_and_period_years(self):
        s = SERIES.copy()
        s.index = s.index.astype(str)
        assert trend(s).slope == pytest.approx(trend(SERIES).slope, abs=TOL)
        s.index = pd.PeriodIndex(s.index, freq="Y")
        assert trend(s).slope == pytest.approx(trend(SERIES).slope, abs=TOL)

    def test_flat_series_is_not_significant(self):
        res = trend(pd.Series(5.0, index=YEARS))
        assert res.slope == pytest.approx(0.0, abs=TOL)
        assert not res.significant and res.direction == 0

    @pytest.mark.parametrize(
        "values,kwargs,error,message",
        [
            (SERIES.iloc[:4], {}, InsufficientData, "4 non-missing point.*at least 5"),
            (SERIES.where(SERIES > 4.5), {}, InsufficientData, "4 non-missing"),
            (SERIES, {"min_points": 12}, InsufficientData, "at least 12"),
            (SERIES, {"maxlags": 10}, MethodError, "maxlags"),
            (SERIES, {"maxlags": -1}, MethodError, "maxlags"),
            (SERIES, {"alpha": 1.5}, MethodError, "alpha"),
            (SERIES - 4, {"log": True}, MethodError, "positive"),
            (SERIES.set_axis(list("abcdefghij")), {}, MethodError, "indexed by year"),
            (SERIES.set_axis([2010] * 10), {}, MethodError, "repeated years"),
            (SERIES.to_numpy(), {}, MethodError, "Series"),
        ],
    )
    def test_erroneous_input(self, values, kwargs, error, message):
        with pytest.raises(error, match=message):
            trend(values, **kwargs)


# --------------------------------------------------------------------------------------
# β-convergence
# --------------------------------------------------------------------------------------

LEVELS0 = np.array([10.0, 20.0, 30.0, 40.0, 50.0, 60.0])
AREAS = [f"A{i}" for i in range(6)]


def exact_panel(beta: float, alpha: float = 0.1, t: int = 10) -> pd.DataFrame:
    """Levels whose annualised log growth is exactly α + β ln y0."""
    g = alpha + beta * np.log(LEVELS0)
    return pd.DataFrame({2010: LEVELS0, 2010 + t: LEVELS0 * np.exp(t * g)}, index=AREAS)


class TestBetaConvergence:
    def test_hand_worked_exact(self):
        # β = −0.02, T = 10: λ = −ln(1 − 0.2)/10 = 0.0223144, half-life ln2/λ = 31.06 years.
        r = beta_convergence(exact_panel(-0.02), 2010, 2020)
        assert r.beta == pytest.approx(-0.02, abs=TOL)
        assert r.intercept == pytest.approx(0.1, abs=TOL)
        assert r.speed == pytest.approx(-math.log(0.8) / 10, abs=TOL)
        assert r.half_life == pytest.approx(math.log(2) / (-math.log(0.8) / 10), abs=1e-6)
        assert r.converging and r.n == 6 and r.years == 10
        assert r.interpretation.startswith("Convergence")
        assert r.data["growth"].to_numpy() == pytest.approx(0.1 - 0.02 * np.log(LEVELS0), abs=TOL)

    def test_against_numpy_least_squares_with_noise(self):
        rng = np.random.default_rng(20240601)
        panel = exact_panel(-0.015)
        panel[2020] *= np.exp(rng.normal(0, 0.05, 6))
        r = beta_convergence(panel, 2010, 2020, cov_type="nonrobust")
        x = np.log(panel[2010].to_numpy())
        g = np.log(panel[2020].to_numpy() / panel[2010].to_numpy()) / 10
        slope, intercept = np.polyfit(x, g, 1)
        assert r.beta == pytest.approx(slope, abs=TOL)
        resid = g - (intercept + slope * x)
        se = math.sqrt(resid @ resid / 4 / ((x - x.mean()) ** 2).sum())
        assert r.se == pytest.approx(se, abs=TOL)
        tcrit = stats.t.ppf(0.975, 4)
        assert (r.ci_lower, r.ci_upper) == pytest.approx(
            (slope - tcrit * se, slope + tcrit * se), abs=TOL
        )
        lo_speed, hi_speed = r.speed_ci
        assert lo_speed <= r.speed <= hi_speed or np.isnan(lo_speed)

    def test_divergence_has_no_half_life(self):
        r = beta_convergence(exact_panel(0.01), 2010, 2020)
        assert r.beta == pytest.approx(0.01, abs=TOL)
        assert r.half_life is None and not r.converging
        assert r.speed < 0
        assert r.interpretation.startswith("Divergence")

    def test_overshooting_has_no_speed(self):
        # β = −0.15, T = 10: 1 + βT = −0.5 ≤ 0.
        r = beta_convergence(exact_panel(-0.15), 2010, 2020)
        assert np.isnan(r.speed) and r.half_life is None
        assert "overshooting" in r.interpretation

    def test_areas_with_missing_levels_are_dropped_and_counted(self):
        panel = exact_panel(-0.02)
        panel.loc["Bad"] = [np.nan, 5.0]
        panel.loc["Zero"] = [0.0, 5.0]
        r = beta_convergence(panel, 2010, 2020)
        assert r.dropped == ("Bad", "Zero") and r.n == 6
        assert r.beta == pytest.approx(-0.02, abs=TOL)

    @pytest.mark.parametrize(
        "panel,start,end,error,message",
        [
            (exact_panel(-0.02).iloc[:4], 2010, 2020, InsufficientData, "4 usable"),
            (exact_panel(-0.02), 2010, 2021, MethodError, "no year 2021"),
            (exact_panel(-0.02), 2020, 2010, MethodError, "after start"),
            (
                pd.DataFrame({2010: [5.0] * 6, 2020: np.arange(1.0, 7)}),
                2010,
                2020,
                MethodError,
                "same 2010 level",
            ),
        ],
    )
    def test_erroneous_input(self, panel, start, end, error, message):
        with pytest.raises(error, match=message):
            beta_convergence(panel, start, end)


# --------------------------------------------------------------------------------------
# σ-convergence
# --------------------------------------------------------------------------------------


def sigma_panel(years: int = 8) -> pd.DataFrame:
    """ln y = 3 + d_i · s_t, d = (−1, 0, 1) so sd(d) = 1 and sd_log = s_t = 0.5 − 0.02 t."""
    d = np.array([-1.0, 0.0, 1.0])
    s = 0.5 - 0.02 * np.arange(years)
    return pd.DataFrame(
        {2010 + t: np.exp(3 + d * s[t]) for t in range(years)}, index=["X", "Y", "Z"]
    )


class TestSigmaConvergence:
    def test_hand_worked(self):
        r = sigma_convergence(sigma_panel())
        np.testing.assert_allclose(r.by_year["sd_log"], 0.5 - 0.02 * np.arange(8), atol=TOL)
        assert list(r.by_year["year"]) == list(range(2010, 2018))
        assert (r.by_year["n"] == 3).all()
        first = np.exp(3 + np.array([-0.5, 0.0, 0.5]))
        assert r.by_year["cv"].iloc[0] == pytest.approx(first.std(ddof=1) / first.mean(), abs=TOL)
        assert r.trend.slope == pytest.approx(-0.02, abs=TOL)
        assert r.converging is True

    def test_unbalanced_panel(self):
        panel = sigma_panel()
        panel.loc["W"] = 20.0
        panel.loc["W", 2012] = np.nan
        balanced = sigma_convergence(panel)
        assert balanced.dropped == ("W",)
        np.testing.assert_allclose(balanced.by_year["sd_log"], 0.5 - 0.02 * np.arange(8), atol=TOL)
        unbalanced = sigma_convergence(panel, balanced=False)
        assert unbalanced.dropped == ()
        assert list(unbalanced.by_year["n"]) == [4, 4, 3, 4, 4, 4, 4, 4]

    def test_too_few_years_for_a_trend(self):
        r = sigma_convergence(sigma_panel(3))
        assert r.trend is None and r.converging is None
        assert "too few" in r.note
        assert len(r.by_year) == 3

    def test_single_area_refused(self):
        with pytest.raises(InsufficientData, match="fewer than two areas"):
            sigma_convergence(sigma_panel().iloc[:1])
