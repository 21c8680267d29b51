"""Tests for lis_analysis.consultation.agreement: agreement with the draft priorities
(counts, net agreement, Wilson intervals from lis_analysis.methods), comment themes and the
consideration report."""

from __future__ import annotations

from pathlib import Path
from statistics import NormalDist

import pandas as pd
import pytest

from lis_analysis import consultation
from lis_analysis.errors import LisError
from lis_analysis.methods import wilson_interval

EVIDENCE = Path(__file__).resolve().parents[1] / "fixtures" / "evidence"


def test_agreement_net_and_intervals():
    res = consultation.read_consultation(EVIDENCE / "consultation_small.csv")
    a = consultation.agreement(res).set_index("priority_id")
    p1 = a.loc["P1"]
    # P1: 3 strongly agree, 5 agree, 2 neither, 1 disagree, 1 strongly disagree,
    # 2 don't know, 1 blank -> 12 views; agree 8/12; net (8 - 2)/12 = +50 points
    assert (
        p1["strongly_agree"],
        p1["agree"],
        p1["neither"],
        p1["disagree"],
        p1["strongly_disagree"],
    ) == (3, 5, 2, 1, 1)
    assert (p1["dont_know"], p1["no_answer"], p1["n_view"], p1["n_respondents"]) == (2, 1, 12, 15)
    assert p1["agree_pct"] == pytest.approx(100 * 8 / 12)
    assert p1["net_agreement"] == pytest.approx(50.0)
    # the interval is the one of lis_analysis.methods, at the level whose normal quantile is 1.96
    iv = wilson_interval(8, 12, level=2 * NormalDist().cdf(1.96) - 1)
    assert (p1["agree_lower_pct"], p1["agree_upper_pct"]) == pytest.approx(
        (100 * iv.lower, 100 * iv.upper), abs=1e-12
    )
    assert p1["small_base"]
    # P2: 'Agre' counted as no answer, not dropped
    assert a.loc["P2", "no_answer"] == 1 and a.loc["P2", "n_view"] == 14
    by = consultation.agreement(res, by="organisation_type")
    p1_by = by[by["priority_id"] == "P1"].set_index("group")
    assert p1_by.loc["All respondents", "n_view"] == 12
    assert p1_by.loc["Private sector", "n_agree"] == 2
    assert p1_by.loc["Individual", "n_view"] == 5  # R03, R05, R08, R10, R12 (R13-R15 no view)
    assert "Type not given" in p1_by.index


def test_comment_themes_and_consideration_report():
    res = consultation.read_consultation(EVIDENCE / "consultation_small.csv")
    log = consultation.read_consideration_log(EVIDENCE / "consideration_log.csv")
    cc = consultation.code_comments(res)
    assert set(cc["response_id"]) == {"R01", "R02", "R04", "R05", "R06", "R08", "R10", "R12"}
    pc = consultation.priority_comments(cc).set_index("priority_id")
    assert pc.loc["P3", "n_comments"] == 3  # R01, R06, R08
    rep = consultation.consideration_report(log, cc)
    r = rep.set_index("point_id")
    assert r.loc["PT1", "status"] == "considered: change made"
    assert r.loc["PT1", "n_comments"] == 3
    assert r.loc["PT2", "status"] == "no response yet" and r.loc["PT2", "needs_attention"]
    assert r.loc["PT2", "respondent_ids"] == "R01; R08"
    assert r.loc["PT3", "status"] == "considered: no change"
    assert r.loc["PT4", "label"] == "(not a theme or priority)"
    missing = rep[rep["status"] == "not in the log"]
    # digital connectivity (R05) is raised but no point covers it (P4 is not in the log)
    assert "digital_connectivity" in set(missing["theme_or_priority"])
    assert missing["needs_attention"].all()
    # skills_shortages is covered by PT2 and by P3's point, so it is not listed as missing
    assert "skills_shortages" not in set(missing["theme_or_priority"])
    draft = consultation.draft_consideration_log(cc)
    assert list(draft.columns) == list(consultation.LOG_COLUMNS)
    assert (draft["response"] == "").all()


def test_agreement_wilson_interval_worked_example():
    # 81 of 263 agree, z = 1.96, by hand:
    #   p = 81/263 = 0.307985;  z² = 3.8416;  1 + z²/n = 1.014607
    #   centre = (0.307985 + 3.8416/526) / 1.014607 = 0.315288 / 1.014607 = 0.310749
    #   half   = 1.96 · sqrt(0.307985·0.692015/263 + 3.8416/(4·263²)) / 1.014607
    #          = 1.96 · sqrt(0.00081038 + 0.00001388) / 1.014607 = 0.055462
    #   interval = (0.255287, 0.366211): the 25.5% to 36.6% of docs/evidence.md
    answers = ["Agree"] * 81 + ["Disagree"] * 182 + ["Don't know"] * 7
    responses = pd.DataFrame(
        {"respondent_id": [f"R{i}" for i in range(len(answers))], "P1": answers}
    )
    priorities = pd.DataFrame({"priority_id": ["P1"], "title": ["A priority"]})
    row = consultation.agreement(responses, priorities).iloc[0]
    assert (row["n_view"], row["n_agree"], row["dont_know"]) == (263, 81, 7)
    assert row["agree_pct"] == pytest.approx(100 * 81 / 263)
    assert row["agree_lower_pct"] == pytest.approx(25.5287, abs=1e-4)
    assert row["agree_upper_pct"] == pytest.approx(36.6211, abs=1e-4)
    assert not row["small_base"]


def test_agreement_with_no_views_has_no_interval():
    responses = pd.DataFrame({"respondent_id": ["R1", "R2"], "P1": ["Don't know", None]})
    priorities = pd.DataFrame({"priority_id": ["P1"], "title": ["A priority"]})
    row = consultation.agreement(responses, priorities).iloc[0]
    assert row["n_view"] == 0 and row["small_base"]
    assert pd.isna(row["agree_pct"]) and pd.isna(row["agree_lower_pct"])
    assert pd.isna(row["agree_upper_pct"]) and pd.isna(row["net_agreement"])


def test_agreement_needs_a_positive_z():
    responses = pd.DataFrame({"respondent_id": ["R1"], "P1": ["Agree"]})
    priorities = pd.DataFrame({"priority_id": ["P1"], "title": ["A priority"]})
    with pytest.raises(LisError, match="z must be positive"):
        consultation.agreement(responses, priorities, z=0)
