"""Tests for lis_analysis.consultation.quotes: the quote rule and attribution."""

from __future__ import annotations

import pandas as pd

from lis_analysis import consultation


def test_quote_rule_terms_then_length_then_one_per_organisation():
    responses = pd.DataFrame(
        {
            "response_id": ["r1", "r2", "r3", "r4"],
            "respondent_id": ["1", "2", "3", "4"],
            "organisation": ["Org A", "org  a", "Org B", ""],
            "organisation_type": ["private", "private", "public", "individual"],
            "text": [
                "We cannot recruit staff and the skills gap grows every year, badly.",  # 2 terms, longer
                "We cannot recruit; the skills gap grows.",  # 2 terms, shorter, same org as r1
                "The skills gap grows and we cannot recruit engineers.",  # 2 terms
                "We cannot recruit.",  # 1 term
            ],
        }
    )
    coded = consultation.code_responses(responses)
    q = consultation.select_quotes(coded, per_theme=3)
    s = q[q["theme"] == "skills_shortages"]
    # r2 (2 terms, shortest) first; r1 is skipped (same organisation, case and spaces
    # ignored); r3 next; then r4 (1 term)
    assert list(s["response_id"]) == ["r2", "r3", "r4"]
    assert list(s["attribution"]) == [
        "org a, private sector",
        "Org B, public sector",
        "Individual respondent",
    ]


def test_quotes_are_redacted_and_at_most_300_chars():
    long = "Skills gaps hold us back. " * 20 + "Email boss@example.com."
    first = "Call 0116 496 0123 as we cannot recruit. " + long
    coded = consultation.code_responses(
        pd.DataFrame(
            {
                "response_id": ["x"],
                "respondent_id": ["x"],
                "organisation_type": ["individual"],
                "text": [first],
            }
        )
    )
    q = consultation.select_quotes(coded).set_index("theme").loc["skills_shortages"]
    assert len(q["quote"]) <= 300 and q["quote"].endswith(". …") and q["truncated"]
    assert "0116" not in q["quote"] and "[phone removed]" in q["quote"]
