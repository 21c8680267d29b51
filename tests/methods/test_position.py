"""Robust z-scores and the strength/weakness rule: hand-worked cases, the rule's case
table, edge cases and erroneous input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lis_analysis.methods import MethodError, classify_position, robust_z_scores

TOL = 1e-9
MAD_K = 1.482602218505602  # 1/Φ⁻¹(0.75)
MEAN_K = math.sqrt(math.pi / 2)  # 1.2533


class TestRobustZ:
    # values 10 12 14 16 30: median 14; |x − 14| = 4 2 0 2 16 → MAD = 2; scale 1.4826 × 2
    VALUES = pd.Series({"A": 10.0, "B": 12.0, "C": 14.0, "D": 16.0, "E": 30.0})

    def test_hand_worked(self):
        t = robust_z_scores(self.VALUES)
        np.testing.assert_allclose(t["z"], np.array([-4, -2, 0, 2, 16]) / (MAD_K * 2), atol=TOL)
        assert t.loc["E", "z"] == pytest.approx(5.396, abs=1e-3)
        assert list(t["rank"]) == [5, 4, 3, 2, 1]
        assert set(t["scale_method"]) == {"MAD"}
        assert (t["n"] == 5).all() and (t["median"] == 14).all()

    def test_lower_is_better_flips_sign_and_rank(self):
        t = robust_z_scores(self.VALUES, higher_is_better=False)
        assert t.loc["A", "z"] == pytest.approx(4 / (MAD_K * 2), abs=TOL)
        assert t.loc["A", "rank"] == 1 and t.loc["E", "rank"] == 5

    def test_mad_zero_falls_back_to_mean_absolute_deviation(self):
        # 5 5 5 6 9: median 5, |x − 5| = 0 0 0 1 4, MAD 0; mean AD = 1 → scale 1.2533
        t = robust_z_scores(pd.Series({"A": 5.0, "B": 5.0, "C": 5.0, "D": 6.0, "E": 9.0}))
        assert t.loc["E", "z"] == pytest.approx(4 / MEAN_K, abs=TOL)
        assert t.loc["A", "z"] == 0.0
        assert set(t["scale_method"]) == {"mean absolute deviation"}

    def test_no_spread(self):
        t = robust_z_scores(pd.Series({"A": 3.0, "B": 3.0, "C": 3.0, "D": np.nan}))
        assert t["z"].iloc[:3].tolist() == [0.0, 0.0, 0.0] and np.isnan(t.loc["D", "z"])
        assert set(t["scale_method"]) == {"no spread"}

    def test_missing_value_is_left_out(self):
        v = self.VALUES.copy()
        v["F"] = np.nan
        t = robust_z_scores(v)
        assert np.isnan(t.loc["F", "z"]) and np.isnan(t.loc["F", "rank"])
        assert (t["n"] == 5).all()
        assert t.loc["E", "z"] == pytest.approx(16 / (MAD_K * 2), abs=TOL)

    @pytest.mark.parametrize("n", [1, 2])
    def test_too_few_peers(self, n):
        t = robust_z_scores(self.VALUES.iloc[:n])
        assert t["z"].isna().all() and set(t["scale_method"]) == {"too few peers"}

    def test_erroneous_input(self):
        with pytest.raises(MethodError, match="numeric"):
            robust_z_scores(pd.Series({"A": "c", "B": 1.0}))
        with pytest.raises(MethodError, match="duplicate"):
            robust_z_scores(pd.Series([1.0, 2.0, 3.0], index=["A", "A", "B"]))


class TestClassify:
    @pytest.mark.parametrize(
        "z,kwargs,label,benchmark",
        [
            # strong position among peers, no CI to test against the benchmark
            (1.2, {}, "strength", "unknown"),
            (1.0, {}, "strength", "unknown"),  # boundary counts
            # strong, but significantly worse than the benchmark: mixed → neutral
            (1.2, {"significant": True, "gap": -3.0}, "neutral", "worse"),
            # moderate and significantly better → strength; not significant → neutral
            (0.7, {"significant": True, "gap": 2.0}, "strength", "better"),
            (0.5, {"significant": True, "gap": 2.0}, "strength", "better"),
            (0.7, {"significant": False, "gap": 2.0}, "neutral", "not significantly different"),
            (0.7, {}, "neutral", "unknown"),
            (0.49, {"significant": True, "gap": 2.0}, "neutral", "better"),
            # weaknesses mirror
            (-1.5, {"significant": False, "gap": -1.0}, "weakness", "not significantly different"),
            (-0.6, {"significant": True, "gap": -1.0}, "weakness", "worse"),
            (-0.5, {"significant": True, "gap": -1.0}, "weakness", "worse"),
            (-1.2, {"significant": True, "gap": 1.0}, "neutral", "better"),
            # lower is better: a negative gap (value below benchmark) is better
            (
                -0.6,
                {"significant": True, "gap": -1.0, "higher_is_better": False},
                "neutral",
                "better",
            ),
            (
                0.6,
                {"significant": True, "gap": -1.0, "higher_is_better": False},
                "strength",
                "better",
            ),
            # z undefined
            (np.nan, {"significant": True, "gap": 1.0}, "neutral", "better"),
            (None, {}, "neutral", "unknown"),
            # thresholds can be changed
            (0.8, {"strong": 0.8}, "strength", "unknown"),
        ],
    )
    def test_rule(self, z, kwargs, label, benchmark):
        c = classify_position(z, **kwargs)
        assert c.label == label
        assert c.benchmark == benchmark
        assert c.reason.startswith(label + ":")
        assert "\n" not in c.reason

    @pytest.mark.parametrize(
        "slope,sig,higher_is_better,word",
        [
            (0.3, True, True, "improving"),
            (0.3, True, False, "worsening"),
            (-0.3, True, True, "worsening"),
            (0.3, False, True, "no significant trend"),
            (None, None, True, "unknown"),
            (0.3, None, True, "unknown"),
        ],
    )
    def test_trend_is_reported_not_decisive(self, slope, sig, higher_is_better, word):
        c = classify_position(
            1.5, trend_slope=slope, trend_significant=sig, higher_is_better=higher_is_better
        )
        assert c.trend == word
        assert c.label == "strength"
        assert (word in c.reason) == (word != "unknown")

    def test_reason_reads_as_a_sentence(self):
        c = classify_position(
            1.34, significant=True, gap=2.0, trend_slope=0.1, trend_significant=True
        )
        assert c.reason == (
            "strength: 1.3 robust SDs above the peer median; significantly better than the "
            "benchmark; improving"
        )

    def test_erroneous_input(self):
        with pytest.raises(MethodError, match="gap="):
            classify_position(1.0, significant=True)
        with pytest.raises(MethodError, match="thresholds"):
            classify_position(1.0, strong=0.4, moderate=0.5)
