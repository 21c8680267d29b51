"""Statistical neighbours: a hand-worked case, weights, ties, missing values and
erroneous input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lis_analysis.methods import InsufficientData, MethodError, statistical_neighbours

TOL = 1e-9

#        x    y
# T      2   10      x: mean 2, deviations 0 1 2 −2 −1, var = 10/4 = 2.5
# A      3   20      y: mean 10, deviations 0 10 0 0 −10, var = 200/4 = 50
# B      4   10
# C      0   10      squared distance from T = Δx²/2.5 + Δy²/50:
# D      1    0      A 0.4 + 2 = 2.4; B 1.6; C 1.6; D 0.4 + 2 = 2.4
CHARS = pd.DataFrame(
    {"x": [2.0, 3.0, 4.0, 0.0, 1.0], "y": [10.0, 20.0, 10.0, 10.0, 0.0]},
    index=["T", "A", "B", "C", "D"],
)


def test_hand_worked_with_ties_broken_by_code():
    r = statistical_neighbours(CHARS, "T", k=4)
    assert r.codes == ["B", "C", "A", "D"]
    np.testing.assert_allclose(r.table["distance"], np.sqrt([1.6, 1.6, 2.4, 2.4]), atol=TOL)
    assert list(r.table["rank"]) == [1, 2, 3, 4]
    assert r.table.loc["A", "z_y"] == pytest.approx(10 / math.sqrt(50), abs=TOL)
    assert r.n_candidates == 4 and r.n_dropped == 0 and r.note == ""


def test_k_limits_the_table():
    assert statistical_neighbours(CHARS, "T", k=2).codes == ["B", "C"]


def test_weights():
    # y weighted 0: squared distances A .4, B 1.6, C 1.6, D .4
    r = statistical_neighbours(CHARS, "T", k=4, weights={"y": 0})
    assert r.codes == ["A", "D", "B", "C"]
    assert r.table["distance"].iloc[0] == pytest.approx(math.sqrt(0.4), abs=TOL)
    # doubling every weight multiplies distances by √2
    r2 = statistical_neighbours(CHARS, "T", k=4, weights={"x": 2, "y": 2})
    base = statistical_neighbours(CHARS, "T", k=4)
    np.testing.assert_allclose(
        r2.table["distance"], base.table["distance"] * math.sqrt(2), atol=TOL
    )


def test_columns_subset():
    r = statistical_neighbours(CHARS, "T", k=1, columns=["y"])
    # on y alone B and C sit at T's value
    assert r.codes == ["B"] and r.table["distance"].iloc[0] == pytest.approx(0.0, abs=TOL)


def test_candidates_with_missing_values_are_dropped_and_counted():
    chars = pd.concat(
        [CHARS, pd.DataFrame({"x": [np.nan, 2.0], "y": [10.0, np.nan]}, index=["E", "F"])]
    )
    r = statistical_neighbours(chars, "T", k=4)
    assert r.dropped == ("E", "F") and r.n_dropped == 2
    # standardised on the complete rows only: the same answer as without E and F
    pd.testing.assert_frame_equal(r.table, statistical_neighbours(CHARS, "T", k=4).table)


def test_fewer_candidates_than_k():
    r = statistical_neighbours(CHARS, "T", k=10)
    assert len(r.table) == 4 and "only 4 candidate" in r.note


def test_characteristic_without_spread_is_ignored():
    chars = CHARS.assign(z=7.0)
    r = statistical_neighbours(chars, "T", k=4)
    assert "no spread in 'z'" in r.note
    np.testing.assert_allclose(
        r.table["distance"], statistical_neighbours(CHARS, "T", k=4).table["distance"], atol=TOL
    )


def test_single_candidate():
    r = statistical_neighbours(CHARS.loc[["T", "A"]], "T", k=3)
    assert r.codes == ["A"]


@pytest.mark.parametrize(
    "chars,target,kwargs,error,message",
    [
        (
            CHARS.assign(y=[np.nan, 1, 2, 3, 4]),
            "T",
            {},
            MethodError,
            "target 'T' has no value for 'y'",
        ),
        (CHARS, "Q", {}, MethodError, "not among the areas"),
        (CHARS, "T", {"columns": ["x", "w"]}, MethodError, "no characteristic"),
        (CHARS, "T", {"weights": {"w": 1}}, MethodError, "unknown"),
        (CHARS, "T", {"weights": {"x": -1}}, MethodError, "non-negative"),
        (CHARS, "T", {"k": 0}, MethodError, "at least 1"),
        (CHARS.assign(x="high"), "T", {}, MethodError, "numeric"),
        (CHARS.loc[["T"]], "T", {}, InsufficientData, "no candidate"),
        (
            CHARS.assign(y=[10.0, np.nan, np.nan, np.nan, np.nan]),
            "T",
            {},
            InsufficientData,
            "dropped 4",
        ),
        (pd.concat([CHARS, CHARS.loc[["A"]]]), "T", {}, MethodError, "repeated"),
    ],
)
def test_erroneous_input(chars, target, kwargs, error, message):
    with pytest.raises(error, match=message):
        statistical_neighbours(chars, target, **kwargs)
