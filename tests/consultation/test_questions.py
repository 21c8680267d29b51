"""Tests for lis_analysis.consultation.questions: the package's questions and draft
priorities, and how they fit the taxonomy."""

from __future__ import annotations

from lis_analysis import consultation


def test_questions_are_the_ten_covering_foundations_and_challenges():
    qs = consultation.load_questions()
    assert list(qs["question_id"]) == [f"Q{i}" for i in range(1, 11)]
    tax = consultation.load_taxonomy()
    addressed = {a.strip() for s in qs["addresses"] for a in s.split(";")}
    assert addressed == set(tax.foundations) | set(tax.grand_challenges)
    assert set(tax.foundations) == {
        "ideas",
        "people",
        "infrastructure",
        "business_environment",
        "places",
    }
    assert set(tax.grand_challenges) == {
        "ai_data",
        "ageing_society",
        "clean_growth",
        "future_of_mobility",
    }


def test_priorities_name_known_themes():
    pri = consultation.load_priorities()
    tax = consultation.load_taxonomy()
    assert list(pri["priority_id"]) == ["P1", "P2", "P3", "P4", "P5", "P6"]
    for themes in pri["themes"]:
        for t in themes.split(";"):
            assert t.strip() in tax.theme_ids
