"""Survey uncertainty: SE from a published CI, Wilson intervals, significance of a
difference and pooled rates: hand-worked cases, edge cases and erroneous input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lis_analysis.methods import (
    MethodError,
    pooled_rate,
    proportion_ci,
    se_from_ci,
    significance_of_difference,
    wilson_interval,
    z_value,
)

TOL = 1e-9
Z = 1.959963984540054  # Φ⁻¹(0.975), the "1.96" of published 95% intervals


def test_z_value():
    assert z_value(0.95) == pytest.approx(Z, abs=1e-12)
    assert z_value(0.90) == pytest.approx(1.6448536269514722, abs=1e-12)
    with pytest.raises(MethodError, match="between 0 and 1"):
        z_value(95)


class TestSeFromCi:
    def test_hand_worked(self):
        # 70% ± 1.96 × 2: SE = (u − l)/(2 × 1.96) = 2.
        assert se_from_ci(70 - Z * 2, 70 + Z * 2) == pytest.approx(2.0, abs=TOL)
        # Nomis prints 66.1 to 73.9: SE = 7.8/3.919928 = 1.98983.
        assert se_from_ci(66.1, 73.9) == pytest.approx(7.8 / (2 * Z), abs=TOL)

    def test_vectorised_with_missing(self):
        got = se_from_ci(np.array([1.0, np.nan]), pd.Series([5.0, 3.0]))
        assert got[0] == pytest.approx(4 / (2 * Z), abs=TOL) and np.isnan(got[1])

    def test_upper_below_lower(self):
        with pytest.raises(MethodError, match="below"):
            se_from_ci(5.0, 4.0)


def wilson_by_hand(k, n, z=Z):
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


class TestWilson:
    @pytest.mark.parametrize(
        "k,n,lower,upper",
        [
            # Newcombe, R.G. (1998) "Two-sided confidence intervals for the single
            # proportion", Statistics in Medicine 17, 857-872, Table I (method 3, Wilson),
            # printed to 4 dp:
            (81, 263, 0.2553, 0.3662),
            (15, 148, 0.0624, 0.1605),
            (0, 20, 0.0, 0.1611),
            (1, 29, 0.0061, 0.1718),
            # and the ends of the range, by the formula: 0/10 and 10/10.
            (0, 10, 0.0, 0.2775),
            (10, 10, 0.7225, 1.0),
        ],
    )
    def test_known_values(self, k, n, lower, upper):
        w = wilson_interval(k, n)
        assert (w.lower, w.upper) == pytest.approx((lower, upper), abs=5e-5)
        assert (w.lower, w.upper) == pytest.approx(wilson_by_hand(k, n), abs=TOL)
        assert w.estimate == pytest.approx(k / n, abs=TOL) and w.method == "wilson"

    def test_vectorised_and_zero_n(self):
        w = wilson_interval(np.array([8, 0, 3]), np.array([10, 0, 3]))
        assert w.lower[0] == pytest.approx(wilson_by_hand(8, 10)[0], abs=TOL)
        assert np.isnan(w.estimate[1]) and np.isnan(w.lower[1])
        assert w.upper[2] == pytest.approx(1.0, abs=TOL)
        assert list(w.to_frame().columns) == ["estimate", "lower", "upper"]

    @pytest.mark.parametrize("k,n", [(11, 10), (-1, 10), (1, -10)])
    def test_erroneous_input(self, k, n):
        with pytest.raises(MethodError):
            wilson_interval(k, n)


class TestProportionCi:
    def test_published_interval(self):
        r = proportion_ci(75.0, ci_lower=72.0, ci_upper=78.0, percent=True)
        assert r.method == "published"
        assert r.se == pytest.approx(6 / (2 * Z), abs=TOL)
        assert (r.lower, r.upper) == (72.0, 78.0)

    def test_wilson_from_n_in_percent(self):
        r = proportion_ci(80.0, n=10, percent=True)
        lo, hi = wilson_by_hand(8, 10)
        assert r.method == "wilson"
        assert (r.lower, r.upper) == pytest.approx((100 * lo, 100 * hi), abs=TOL)
        assert r.se == pytest.approx(100 * math.sqrt(0.8 * 0.2 / 10), abs=TOL)

    @pytest.mark.parametrize(
        "kwargs,message",
        [
            ({"p": 0.5}, "published interval"),
            ({"p": 0.5, "ci_lower": 0.4}, "both"),
            ({"p": 75.0, "n": 10}, r"\[0, 1\]"),
            ({"p": 0.5, "ci_lower": 0.6, "ci_upper": 0.4}, "below"),
        ],
    )
    def test_erroneous_input(self, kwargs, message):
        with pytest.raises(MethodError, match=message):
            proportion_ci(**kwargs)


class TestSignificance:
    @pytest.mark.parametrize(
        "p1,se1,p2,se2,z,significant",
        [
            # 0.75 vs 0.70: diff .05, SE √(.02² + .01²) = √.0005 = .0223607, z = 2.236 > 1.96
            (0.75, 0.02, 0.70, 0.01, 0.05 / math.sqrt(0.0005), True),
            # 0.75 vs 0.72: diff .03, z = 1.342 < 1.96
            (0.75, 0.02, 0.72, 0.01, 0.03 / math.sqrt(0.0005), False),
            # benchmark without sampling error: z = −0.05/0.02 = −2.5
            (0.65, 0.02, 0.70, 0.0, -2.5, True),
            # exactly at the boundary |diff| = 1.96 SE is not significant (strict >)
            (Z * 0.01, 0.01, 0.0, 0.0, Z, False),
        ],
    )
    def test_cases(self, p1, se1, p2, se2, z, significant):
        d = significance_of_difference(p1, se1, p2, se2)
        assert d.z == pytest.approx(z, abs=TOL)
        assert d.significant is significant
        assert d.difference == pytest.approx(p1 - p2, abs=TOL)

    def test_no_ci_gives_none(self):
        assert significance_of_difference(0.7, None, 0.6, 0.01).significant is None
        assert significance_of_difference(0.7, np.nan, 0.6).significant is None

    def test_vectorised_with_missing(self):
        d = significance_of_difference(
            np.array([0.75, 0.75, 0.70]), np.array([0.02, 0.02, np.nan]), 0.70, 0.01
        )
        assert list(d.significant[:2]) == [True, True] and d.significant[2] is pd.NA
        frame = d.to_frame()
        assert str(frame["significant"].dtype) == "boolean"
        assert frame["significant"].isna().tolist() == [False, False, True]

    def test_negative_se(self):
        with pytest.raises(MethodError, match="negative"):
            significance_of_difference(0.7, -0.01, 0.6, 0.01)


class TestPooledRate:
    # rates .70 .80 .60 on bases 100 300 100: w = .2 .6 .2
    # rate = .14 + .48 + .12 = .74 (= (70 + 240 + 60)/500)
    # SE = √(.2²·.02² + .6²·.01² + .2²·.03²) = √(.000016 + .000036 + .000036) = √.000088
    RATES = pd.Series({"E06000016": 0.70, "E07000129": 0.80, "E07000130": 0.60})
    BASES = pd.Series({"E06000016": 100.0, "E07000129": 300.0, "E07000130": 100.0})
    SE = pd.Series({"E06000016": 0.02, "E07000129": 0.01, "E07000130": 0.03})

    def test_hand_worked(self):
        r = pooled_rate(self.RATES, self.BASES, self.SE)
        assert r.rate == pytest.approx(0.74, abs=TOL)
        assert r.se == pytest.approx(math.sqrt(0.000088), abs=TOL)
        assert (r.ci_lower, r.ci_upper) == pytest.approx(
            (0.74 - Z * math.sqrt(0.000088), 0.74 + Z * math.sqrt(0.000088)), abs=TOL
        )
        assert r.approximate and r.label == "approximate"
        assert r.weights.to_dict() == pytest.approx(
            {"E06000016": 0.2, "E07000129": 0.6, "E07000130": 0.2}
        )

    def test_same_as_pooling_numerators(self):
        rng = np.random.default_rng(20240601)
        rates = pd.Series(rng.uniform(0, 1, 8))
        bases = pd.Series(rng.uniform(1e3, 1e5, 8))
        r = pooled_rate(rates, bases)
        assert r.rate == pytest.approx((rates * bases).sum() / bases.sum(), abs=TOL)
        assert np.isnan(r.se) and r.label == "approximate"

    def test_order_of_components_does_not_matter(self):
        r = pooled_rate(self.RATES, self.BASES.iloc[::-1], self.SE.iloc[::-1])
        assert r.rate == pytest.approx(0.74, abs=TOL)
        assert r.se == pytest.approx(math.sqrt(0.000088), abs=TOL)

    @pytest.mark.parametrize(
        "rates,bases,se,message",
        [
            (RATES.where(RATES > 0.65), BASES, None, "'E07000130'.*suppressed"),
            (RATES, BASES.drop("E07000130"), None, "different components"),
            (RATES, BASES * -1, None, "negative"),
            (RATES, BASES * 0, None, "sum to zero"),
            (RATES, BASES, SE.drop("E07000130"), "se covers"),
            (RATES, BASES, SE * -1, "negative"),
        ],
    )
    def test_erroneous_input(self, rates, bases, se, message):
        with pytest.raises(MethodError, match=message):
            pooled_rate(rates, bases, se)


@pytest.mark.parametrize("level", [0.5, 0.8, 0.9, 0.95, 0.975, 0.99, 0.999])
def test_z_value_is_the_normal_quantile(level):
    from scipy import stats

    from lis_analysis.methods.uncertainty import z_value

    assert z_value(level) == pytest.approx(stats.norm.ppf(0.5 + level / 2), rel=1e-14)
