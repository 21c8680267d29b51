"""Emerging priorities: foundation scores, sector scores and the Dirichlet sensitivity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lis_analysis.errors import ConfigError, LisError
from lis_analysis.priorities import (
    Z_CAP,
    Weights,
    assess,
    foundation_scores,
    foundation_sensitivity,
    load_weights,
    sector_scores,
    sensitivity,
)


def _weights(**kw):
    base = dict(
        groups={},
        indicators={},
        sectors={"lq": 1, "growth": 1, "productivity": 1},
        concentration=50.0,
        draws=1000,
        seed=1,
        source="test",
    )
    base.update(kw)
    return Weights(**base)


def _assessment(rows):
    return pd.DataFrame(rows, columns=["indicator_id", "group", "z", "polarity"])


def test_foundation_scores_hand_worked():
    # People: weights 2 and 1 on z = -1.5 and +0.3 -> (2·-1.5 + 1·0.3) / 3 = -0.9
    # Ideas: one indicator z = +0.4 -> 0.4. People is the higher need (rank 1).
    a = _assessment(
        [
            ("a", "People", -1.5, "higher"),
            ("b", "People", 0.3, "lower"),
            ("c", "Ideas", 0.4, "higher"),
            ("d", "Ideas", np.nan, "higher"),
        ]
    )
    fs = foundation_scores(a, _weights(indicators={"a": 2, "b": 1}))
    people = fs.set_index("group").loc["People"]
    assert people.score == pytest.approx(-0.9)
    assert people.weakest == "a" and people.n_indicators == 2
    assert fs.iloc[0].group == "People" and fs.iloc[0].priority_rank == 1
    assert fs.set_index("group").loc["Ideas", "score"] == pytest.approx(0.4)


def test_extreme_z_is_capped():
    a = _assessment([("a", "Places", -9.0, "higher"), ("b", "People", -2.0, "higher")])
    fs = foundation_scores(a, _weights()).set_index("group")
    assert fs.loc["Places", "score"] == -Z_CAP


def test_neutral_indicators_do_not_score():
    a = _assessment([("a", "People", -3.0, "neutral"), ("b", "People", 1.0, "higher")])
    fs = foundation_scores(a, _weights()).set_index("group")
    assert fs.loc["People", "score"] == 1.0 and fs.loc["People", "n_indicators"] == 1


def test_sensitivity_declared_ranking_and_stability():
    # Item A dominates on both criteria: rank 1 in every draw; B and C swap with the weights.
    crit = pd.DataFrame({"x": [3.0, 1.0, 0.0], "y": [3.0, 0.0, 1.0]}, index=["A", "B", "C"])
    s = sensitivity(crit, {"x": 1, "y": 1}, draws=2000, concentration=5, seed=7)
    summ = s.summary.set_index("item")
    assert summ.loc["A", "declared_rank"] == 1 and summ.loc["A", "stability"] == 1.0
    assert 0.2 < summ.loc["B", "stability"] < 0.8
    assert s.ranks.shape == (2000, 3)
    np.testing.assert_allclose(s.rank_probabilities.sum(axis=1), 1.0)
    np.testing.assert_allclose(s.rank_probabilities.sum(axis=0), 1.0)
    again = sensitivity(crit, {"x": 1, "y": 1}, draws=2000, concentration=5, seed=7)
    pd.testing.assert_frame_equal(s.summary, again.summary)  # deterministic


def test_sensitivity_needs_1000_draws():
    with pytest.raises(LisError, match="at least 1000 draws"):
        sensitivity(pd.DataFrame({"x": [1.0]}, index=["A"]), {"x": 1}, draws=10)


def test_higher_concentration_means_more_stable_ranks():
    crit = pd.DataFrame({"x": [2.0, 1.0, 0.0, 1.5], "y": [0.0, 1.5, 2.0, 0.5]}, index=list("ABCD"))
    loose = sensitivity(crit, {"x": 1, "y": 1}, concentration=2).summary.stability.mean()
    tight = sensitivity(crit, {"x": 1, "y": 1}, concentration=500).summary.stability.mean()
    assert tight > loose


def test_sector_scores():
    inputs = pd.DataFrame(
        {
            "industry": ["C", "F", "J", "T"],
            "name": ["Manufacturing", "Construction", "ICT", "Households"],
            "gva": [10.0, 5.0, 5.0, 0.1],
            "share": [40.0, 20.0, 20.0, 0.4],
            "lq": [1.8, 1.0, 0.6, 1.0],
            "growth": [2.0, 1.0, 3.0, 0.0],
            "productivity": [np.nan] * 4,
        }
    )
    sc = sector_scores(inputs, _weights())
    assert list(sc.name) == ["Manufacturing", "ICT", "Construction"]  # Households under 1% left out
    assert sc.attrs["criteria"] == ["lq", "growth"]  # productivity has no data


@pytest.mark.parametrize(
    "text,message",
    [
        ("groups: {Mars: 1}\n", "unknown group\\(s\\) Mars"),
        ("foundations: {Mars: 1}\n", "unknown group\\(s\\) Mars"),  # the old name, read the same
        ("sensitivity: {draws: 10}\n", "draws must be at least 1000"),
        ("sectors: {colour: 1}\n", "unknown sector criteria colour"),
        ("indicators: {gva_per_hour: -1}\n", "must be zero or positive"),
        ("colours: {}\n", "unknown key\\(s\\) colours"),
    ],
)
def test_weights_validation(tmp_path, text, message):
    p = tmp_path / "w.yaml"
    p.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_weights(str(p))


def test_assess_and_foundation_sensitivity_on_demo(demo_store):
    _, obs, geo = demo_store
    a = assess(geo.area("E37000021"), obs=obs, geo=geo)
    assert set(a.classification) <= {"strength", "weakness", "neutral"}
    assert (a.loc[a.polarity == "neutral", "classification"] == "neutral").all()
    emp = a.set_index("indicator_id").loc["employment_rate"]
    assert emp.significant_uk in (True, False) and np.isfinite(emp.z)
    s = foundation_sensitivity(a, load_weights())
    assert s.draws == 1000 and s.ranks.shape[0] == 1000
    assert set(s.summary["item"]) <= {
        "Productivity",
        "Ideas",
        "People",
        "Infrastructure",
        "Business Environment",
        "Places",
    }
