"""Tests for lis_analysis.consultation.triangulation: the verdict rule and claim ->
indicator -> verdict on a small indicator table."""

from __future__ import annotations

import pandas as pd
import pytest

from lis_analysis import consultation
from lis_analysis.errors import LisError


@pytest.mark.parametrize(
    ("stance", "classification", "expected"),
    [
        ("problem", "weakness", consultation.SUPPORTED),
        ("problem", "strength", consultation.NOT_SUPPORTED),
        ("problem", "neutral", consultation.MIXED),
        ("problem", float("nan"), consultation.MIXED),
        ("strength", "strength", consultation.SUPPORTED),
        ("strength", "Weakness", consultation.NOT_SUPPORTED),
        ("strength", None, consultation.MIXED),
    ],
)
def test_verdict_rule(stance, classification, expected):
    assert consultation.verdict(stance, classification)[0] == expected


@pytest.mark.parametrize("label", ["in line", "context", "not assessed"])
def test_the_readings_other_labels_are_named_not_unclassified(label):
    v, why = consultation.verdict("problem", label)
    assert (
        v == consultation.MIXED and why == f"respondents raise a problem; the indicator is {label}"
    )


def test_triangulate_claim_indicator_verdict():
    responses = pd.DataFrame(
        {
            "response_id": ["a", "b", "c", "d"],
            "respondent_id": ["a", "b", "c", "d"],
            "text": [
                "We cannot recruit skilled staff.",
                "Broadband is too slow.",
                "Advanced manufacturing is our strength.",
                "Congestion on the roads.",
            ],
        }
    )
    coded = consultation.code_responses(responses)
    indicators = pd.DataFrame(
        {
            "area_code": ["E37000021"] * 5 + ["E06000016"],
            "indicator_id": [
                "rqf3_plus_share",
                "rqf3_plus_share",
                "employment_rate",
                "gigabit_coverage",
                "exports_per_head",
                "gigabit_coverage",
            ],
            "period": ["2022", "Jan 2023-Dec 2023", "2023", "2024", "2021", "2024"],
            "value": [55.0, 56.0, 77.0, 88.0, 9000.0, 40.0],
            "benchmark_value": [60.0, 61.0, 75.0, 80.0, 7000.0, 80.0],
            "classification": [
                "strength",
                "weakness",
                "strength",
                "strength",
                "weakness",
                "weakness",
            ],
        }
    )
    tri = consultation.triangulate(coded, indicators, area_code="E37000021")
    t = tri.set_index(["theme", "indicator_id"])
    # the latest period wins (2023 over 2022)
    assert t.loc[("skills_shortages", "rqf3_plus_share"), "period"] == "Jan 2023-Dec 2023"
    assert t.loc[("skills_shortages", "rqf3_plus_share"), "verdict"] == consultation.SUPPORTED
    assert t.loc[("skills_shortages", "employment_rate"), "verdict"] == consultation.NOT_SUPPORTED
    assert t.loc[("skills_shortages", "no_qualifications_share"), "verdict"] == consultation.NO_DATA
    assert (
        t.loc[("digital_connectivity", "gigabit_coverage"), "verdict"] == consultation.NOT_SUPPORTED
    )
    assert (
        t.loc[("manufacturing_engineering", "exports_per_head"), "verdict"]
        == consultation.NOT_SUPPORTED
    )
    assert (
        tri.set_index("theme").loc["transport_congestion", "verdict"] == consultation.NO_INDICATOR
    )
    overall = consultation.theme_verdicts(tri).set_index("theme")["verdict"]
    assert overall["skills_shortages"] == consultation.MIXED
    assert overall["digital_connectivity"] == consultation.NOT_SUPPORTED
    assert overall["transport_congestion"] == consultation.NO_INDICATOR
    assert "innovation_rd" not in overall.index  # nobody raised it


def test_triangulate_needs_classification():
    coded = consultation.code_responses(
        pd.DataFrame({"response_id": ["a"], "text": ["Broadband is slow."]})
    )
    with pytest.raises(LisError, match="no 'classification' column"):
        consultation.triangulate(coded, pd.DataFrame({"indicator_id": ["gigabit_coverage"]}))
