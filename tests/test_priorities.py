"""Emerging priorities: foundation scores, sector scores and the Dirichlet sensitivity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lis_analysis.errors import ConfigError, LisError
from lis_analysis.priorities import (
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


def _readings(**kw):
    from lis_analysis.priorities import load_readings

    base = load_readings()
    return base if not kw else __import__("dataclasses").replace(base, **kw)


def _assessment(rows):
    """(indicator_id, group, gap, materiality, significant, classification) rows."""
    df = pd.DataFrame(
        rows,
        columns=["indicator_id", "group", "gap", "materiality", "significant", "classification"],
    )
    df["indicator_name"] = df["indicator_id"].str.upper()
    return df


# Hand-worked need: People has a (gap -6 log points, threshold 5: a weakness of 1.2
# thresholds, weight 2) and b (gap -1.5 pp, threshold 2: in line, 0; weight 1):
# need = (2 * 1.2 + 1 * 0) / 3 = 0.8. Ideas has c (gap -10 pp, threshold 2: 5 thresholds,
# capped at 3): need 3. Places has d in line: need 0. Infrastructure has nothing read: not
# assessed. Headline productivity is not ranked.
ROWS = [
    ("a", "People", -6.0, 5.0, None, "weakness"),
    ("b", "People", -1.5, 2.0, None, "in line"),
    ("c", "Ideas", -10.0, 2.0, True, "weakness"),
    ("d", "Places", 1.0, 5.0, None, "in line"),
    ("e", "Infrastructure", np.nan, np.nan, None, "not assessed"),
    ("f", "Places", np.nan, np.nan, None, "context"),
    ("g", "Productivity", -13.3, 5.0, None, "weakness"),
]


def test_foundation_scores_hand_worked():
    fs = foundation_scores(_assessment(ROWS), _weights(indicators={"a": 2, "b": 1}), _readings())
    by = fs.set_index("group")
    assert by.loc["People", "need"] == pytest.approx(0.8)
    assert by.loc["People", "n_assessed"] == 2 and by.loc["People", "n_weaknesses"] == 1
    assert by.loc["People", "weaknesses"] == ["A"] and by.loc["People", "worst"] == "a"
    assert by.loc["Ideas", "need"] == pytest.approx(3.0)  # 5 thresholds, capped at 3
    assert by.loc["Places", "need"] == 0.0
    assert list(fs["group"][:3]) == ["Ideas", "People", "Places"]
    assert list(fs["priority_rank"][:3]) == [1, 2, 3]
    # nothing read: not assessed, no need, no rank (never "neutral")
    assert by.loc["Infrastructure", "status"] == "not assessed"
    assert pd.isna(by.loc["Infrastructure", "need"]) and pd.isna(
        by.loc["Infrastructure", "priority_rank"]
    )
    assert by.loc["Business Environment", "status"] == "not assessed"
    # the headline is the outcome, not ranked beside the foundations
    assert "Productivity" not in set(fs["group"])


def test_foundation_weights_and_threshold_factor():
    a = _assessment(ROWS)
    # a group weight of 4 on People: need 0.8 x 4 = 3.2 > Ideas' 3
    fs = foundation_scores(
        a, _weights(indicators={"a": 2, "b": 1}, groups={"People": 4}), _readings()
    )
    assert fs.iloc[0].group == "People" and fs.iloc[0].weighted_need == pytest.approx(3.2)
    # thresholds doubled: a (-6 against 10) is no longer a weakness; c (-10 against 4) is,
    # and its shortfall is still counted in the declared thresholds (5, capped at 3)
    fs2 = foundation_scores(a, _weights(), _readings(), factor=2.0).set_index("group")
    assert fs2.loc["People", "need"] == 0.0 and fs2.loc["Ideas", "need"] == pytest.approx(3.0)


def test_a_material_gap_the_survey_cannot_confirm_is_not_a_weakness():
    a = _assessment(
        [("a", "People", -6.0, 2.0, False, "in line"), ("b", "Ideas", -3.0, 2.0, None, "weakness")]
    )
    by = foundation_scores(a, _weights(), _readings()).set_index("group")
    assert by.loc["People", "need"] == 0.0 and by.loc["Ideas", "need"] == pytest.approx(1.5)


def test_foundation_sensitivity_reports_each_source_of_movement():
    a = _assessment(ROWS)
    s = foundation_sensitivity(a, _weights(indicators={"a": 2, "b": 1}), _readings())
    summ = s.summary.set_index("item")
    assert list(summ.index) == ["Ideas", "People", "Places"]
    assert summ.loc["Ideas", "declared_rank"] == 1
    # thresholds x 0.5 ... x 2: Ideas (5 thresholds short) stays first at every factor
    assert summ.loc["Ideas", "stability_thresholds"] == 1.0
    # People: at x 1.5 and x 2, a (-6 against 7.5, 10) is no longer a weakness and People
    # ties with Places at need 0, sharing rank 2: kept in all 5 settings
    assert summ.loc["People", "stability_thresholds"] == 1.0
    # leaving each of the 4 read indicators (a, b, c, d) out in turn: without c, Ideas has
    # nothing left to read (no rank) -> Ideas keeps rank 1 in 3 of 4 runs
    assert summ.loc["Ideas", "stability_leave_one_out"] == pytest.approx(3 / 4)
    scen = s.scenarios.set_index("scenario")
    assert pd.isna(scen.loc["without C", "Ideas"]) and scen.loc["without C", "People"] == 1
    assert len(s.scenarios) == len(_readings().materiality_factors) + 4
    assert s.ranks.shape == (1000, 3) and 0 <= summ.loc["People", "stability"] <= 1
    again = foundation_sensitivity(a, _weights(indicators={"a": 2, "b": 1}), _readings())
    pd.testing.assert_frame_equal(s.summary, again.summary)  # seeded


def test_foundation_sensitivity_needs_something_read():
    a = _assessment([("e", "Infrastructure", np.nan, np.nan, None, "not assessed")])
    with pytest.raises(LisError, match="nothing to rank"):
        foundation_sensitivity(a, _weights(), _readings())


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


@pytest.mark.parametrize(
    "text,message",
    [
        ("materiality: {level: 5, rate: 2}\n", "materiality needs growth"),
        ("materiality: {level: 5, rate: 2, growth: 0.5, index: 1}\n", "unknown materiality scale"),
        ("materiality: {level: 0, rate: 2, growth: 0.5}\n", "positive number"),
        ("materiality: {level: 5, rate: 2, growth: 0.5, indicators: {x: -1}}\n", "positive number"),
        ("materiality: {level: 5, rate: 2, growth: 0.5}\ntrend: {years: 3}\n", "at least 5"),
        ("materiality: {level: 5, rate: 2, growth: 0.5}\ncomparators: {shared_with_most: 1.5}\n", "share below 1"),
        ("colours: {}\n", "unknown key"),
    ],
)  # fmt: skip
def test_readings_validation(tmp_path, text, message):
    from lis_analysis.priorities import load_readings

    p = tmp_path / "r.yaml"
    p.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_readings(str(p))


def test_readings_as_shipped():
    from lis_analysis.priorities import load_readings

    rd = load_readings()
    assert rd.materiality == {"level": 5.0, "rate": 2.0, "growth": 0.5}
    assert rd.threshold("business_birth_rate", "rate") == 1.0
    assert rd.threshold("employment_rate", "rate") == 2.0
    assert 1.0 in rd.materiality_factors


def test_assess_and_foundation_sensitivity_on_demo(demo_store):
    from lis_analysis.indicators.registry import load_registry
    from lis_analysis.priorities import is_size

    _, obs, geo = demo_store
    a = assess(geo.area("E37000021"), obs=obs, geo=geo)
    assert set(a.classification) <= {"strength", "weakness", "in line", "context", "not assessed"}
    reg = load_registry()
    # sizes and structure are context, never strengths or weaknesses
    neutral = a[a.polarity == "neutral"]
    assert (neutral.classification == "context").all() and len(neutral)
    assert all(is_size(reg[i]) or reg[i].polarity == "neutral" for i in neutral.indicator_id)
    read = a[a.classification.isin(["strength", "weakness", "in line"])].set_index("indicator_id")
    # every reading has its gap, threshold and benchmark; the label follows the gap
    assert read["gap"].notna().all() and read["materiality"].gt(0).all()
    assert (
        read.loc[read.classification == "weakness", "gap"]
        <= -read.loc[read.classification == "weakness", "materiality"]
    ).all()
    # a spread is read against the peers' median, never a nation's spread
    spread = a[a.kind == "spread"]
    assert spread["benchmark_code"].dropna().isin(["peers"]).all()
    emp = read.loc["employment_rate"]
    assert emp.significant in (True, False) and emp.benchmark_name == "the UK"
    s = foundation_sensitivity(a, load_weights())
    assert s.draws == 1000 and s.ranks.shape[0] == 1000
    assert set(s.summary["item"]) <= {
        "Ideas",
        "People",
        "Infrastructure",
        "Business Environment",
        "Places",
    }
