"""Robust z-scores and the strength/weakness rule: hand-worked cases, the rule's case
table, edge cases and erroneous input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lis_analysis.methods import (
    MethodError,
    classify_gap,
    concentrated_parts,
    gap_scale,
    peer_quartile,
    relative_gap,
    robust_z_scores,
    trend_tag,
)

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


class TestRelativeGap:
    def test_levels_are_log_points(self):
        # L&L GVA per hour 2022 £34.75 against the UK £39.70: 100 ln(34.75/39.70) = -13.32
        assert relative_gap(34.75, 39.70)[0] == pytest.approx(100 * math.log(34.75 / 39.70))
        assert relative_gap(34.75, 39.70)[0] == pytest.approx(-13.317, abs=1e-3)
        # symmetric: above and below by the same factor are the same distance
        assert relative_gap(2.0, 1.0)[0] == pytest.approx(-relative_gap(1.0, 2.0)[0])

    def test_rates_are_percentage_points_signed_by_polarity(self):
        # employment 65.1 vs 76.0 (higher better): -10.9; inactivity 28.1 vs 21.0 (lower
        # better): 7.1 points worse -> -7.1
        assert relative_gap(65.1, 76.0, scale="rate")[0] == pytest.approx(-10.9)
        assert relative_gap(28.1, 21.0, scale="rate", higher_is_better=False)[0] == pytest.approx(
            -7.1
        )
        assert relative_gap(1.06, 0.96, scale="growth")[0] == pytest.approx(0.10)

    def test_edges(self):
        g = relative_gap([0.0, -1.0, np.nan, 5.0], [1.0, 1.0, 1.0, 0.0])
        assert np.isnan(g).all()  # no log of a zero, a negative or a missing side
        with pytest.raises(MethodError, match="scale"):
            relative_gap(1.0, 1.0, scale="index")

    @pytest.mark.parametrize(
        "unit,kind,scale",
        [("%", "measure", "rate"), ("% of premises", "measure", "rate"), ("% a year", "growth", "growth"),
         ("£", "ratio", "level"), ("UK = 100", "index", "level"), (None, None, "level")],
    )  # fmt: skip
    def test_scale_of_an_indicator(self, unit, kind, scale):
        assert gap_scale(unit, kind) == scale


class TestClassifyGap:
    """Each branch of the rule, worked by hand (docs/priorities.md)."""

    @pytest.mark.parametrize(
        "gap,kwargs,label",
        [
            # weakness: material below; significant or no interval
            (-13.3, {}, "weakness"),
            (-5.0, {}, "weakness"),  # the threshold itself is material
            (-6.0, {"significant": True}, "weakness"),
            # a weakness the comparators share is still a weakness
            (-6.0, {"bottom_half": True}, "weakness"),
            # in line: not material
            (-4.99, {}, "in line"),
            (4.99, {"significant": True}, "in line"),
            (0.0, {}, "in line"),
            # in line: material but the survey cannot tell it from noise
            (-6.0, {"significant": False}, "in line"),
            (6.0, {"significant": False}, "in line"),
            # strength: material above, not in the bottom half of the comparators
            (6.0, {}, "strength"),
            (6.0, {"bottom_half": False, "significant": True}, "strength"),
            # a lead over the nation that most comparable areas beat is not a strength
            (6.0, {"bottom_half": True}, "in line"),
            # not assessed
            (np.nan, {}, "not assessed"),
            (None, {}, "not assessed"),
        ],
    )
    def test_branches(self, gap, kwargs, label):
        r = classify_gap(gap, materiality=5.0, **kwargs)
        assert r.label == label
        assert "\n" not in r.reason

    def test_reason_reads_as_words(self):
        r = classify_gap(-13.317, materiality=5, benchmark_name="the UK")
        assert r.reason == "13.3 log points below the UK (threshold 5)"
        r = classify_gap(
            -10.9, materiality=2, significant=True, scale="rate", benchmark_name="England"
        )
        assert r.reason == "10.9 percentage points below England (threshold 2); significant"
        r = classify_gap(1.2, materiality=2, scale="rate", benchmark_name="England")
        assert (
            r.reason
            == "1.2 percentage points above England, within the threshold of 2 percentage points"
        )
        assert r.material is False
        r = classify_gap(6.0, materiality=5, bottom_half=True)
        assert r.reason.endswith("but in the bottom half of the comparable areas")
        r = classify_gap(-3.0, materiality=2, significant=False, scale="rate")
        assert "not statistically significant" in r.reason

    def test_erroneous_input(self):
        for m in (0.0, -1.0, np.nan):
            with pytest.raises(MethodError, match="materiality"):
                classify_gap(1.0, materiality=m)


class TestTags:
    @pytest.mark.parametrize(
        "rank,n,q",
        [(1, 38, 1), (9, 38, 1), (10, 38, 2), (19, 38, 2), (20, 38, 3), (28, 38, 3),
         (29, 38, 4), (38, 38, 4), (1, 4, 1), (4, 4, 4), (2, 3, None), (None, 38, None)],
    )  # fmt: skip
    def test_quartile(self, rank, n, q):
        assert peer_quartile(rank, n) == q

    def test_quartile_refuses_a_rank_outside_n(self):
        with pytest.raises(MethodError, match="between 1 and 10"):
            peer_quartile(11, 10)

    @pytest.mark.parametrize(
        "slope,sig,gap,tag",
        [
            (-0.3, True, -12.0, "gap widening"),
            (0.3, True, -12.0, "gap narrowing"),
            (0.3, True, 4.0, "lead growing"),
            (-0.3, True, 4.0, "lead shrinking"),
            (0.3, True, 0.0, "lead growing"),  # level with the benchmark: no gap to narrow
            (-0.3, False, -12.0, None),  # not significant: no direction named
            (None, None, -12.0, None),
            (0.0, True, -12.0, None),
        ],
    )
    def test_trend_tag(self, slope, sig, gap, tag):
        assert trend_tag(slope, sig, gap) == tag

    def test_concentration_hand_worked(self):
        # Employment rate (pp against England): the area is 1.2 below; Leicester 10.9
        # below (worse than the whole by 9.7 >= 2), the others above: concentrated.
        gaps = pd.Series({"Leicester": -10.9, "Blaby": 9.3, "Melton": 2.1})
        assert concentrated_parts(gaps, -1.2, materiality=2) == ["Leicester"]
        # a part below the nation but not much worse than the whole does not count
        assert concentrated_parts(pd.Series({"A": -6.0, "B": -4.0}), -5.0, materiality=2) == []
        # every part qualifies (a median outside its parts, say): not concentrated
        assert concentrated_parts(pd.Series({"A": -9.0, "B": -8.0}), -1.0, materiality=2) == []
        # widespread: one part far worse, but the others are materially below too (GVA
        # per hour: every district of L&L is 10-20 log points below the UK)
        wide = pd.Series({"O&W": -43.0, "Harborough": -18.5, "Leicester": -10.4, "Blaby": -9.8})
        assert concentrated_parts(wide, -13.3, materiality=5) == []
        # half of the parts is not a minority (unless it is the one part of two)
        half = pd.Series({"A": -9.0, "B": -9.0, "C": 3.0, "D": 4.0})
        assert concentrated_parts(half, -2.0, materiality=2) == []
        two = pd.Series({"Leicester UA": -11.0, "Leicestershire": 5.0})
        assert concentrated_parts(two, -1.5, materiality=2) == ["Leicester UA"]
        # worse_by: how much worse than the whole a part must be
        assert concentrated_parts(gaps, -1.2, materiality=2, worse_by=10.0) == []
        # a part whose shortfall is not significant does not count; one without an interval does
        sig = pd.Series({"Leicester": False, "Melton": pd.NA, "Blaby": True})
        gaps = pd.Series({"Leicester": -10.9, "Melton": -8.0, "Blaby": 9.3})
        assert concentrated_parts(gaps, -1.2, materiality=2, significant=sig) == ["Melton"]
        assert concentrated_parts(pd.Series(dtype=float), -1.0, materiality=2) == []
        assert concentrated_parts(gaps, np.nan, materiality=2) == []
