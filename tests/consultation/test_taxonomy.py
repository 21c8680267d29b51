"""Tests for lis_analysis.consultation.taxonomy: the package taxonomy, its loader's errors,
and the matcher (stems, phrases, exact terms, excludes, min_matches)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lis_analysis import consultation
from lis_analysis.config import PACKAGE_DATA
from lis_analysis.errors import InputError
from tests.helpers import write_text


def test_every_theme_is_under_a_foundation_or_challenge_and_indicators_exist():
    tax = consultation.load_taxonomy()
    registry_file = Path(PACKAGE_DATA) / "indicators.yaml"
    doc = yaml.safe_load(registry_file.read_text(encoding="utf-8"))
    known = set((doc.get("indicators") or doc).keys())
    assert len(tax.themes) >= 20
    for t in tax.themes:
        assert t.under in {**tax.foundations, **tax.grand_challenges}
        assert t.stance in ("problem", "strength")
        assert t.claim
        assert set(t.indicators) <= known, (t.id, set(t.indicators) - known)
    themes = {t.id: t for t in tax.themes}
    assert themes["skills_shortages"].indicators == (
        "rqf3_plus_share",
        "no_qualifications_share",
        "employment_rate",
    )
    # the frame officers see lists every theme
    assert list(tax.frame()["theme"]) == tax.theme_ids


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "themes:\n  t1:\n    under: nowhere\n    terms: [a]\n",
            "theme 't1': 'under' is 'nowhere'; expected one of people",
        ),
        ("themes:\n  t1:\n    under: people\n", "theme 't1': no terms or phrases"),
        (
            "themes:\n  t1:\n    under: people\n    terms: [no, skills]\n",
            "theme 't1' terms: entry False is not text (put words like yes/no/on/off in quotes)",
        ),
        (
            "themes:\n  t1:\n    under: people\n    stance: maybe\n    terms: [a]\n",
            "theme 't1': 'stance' must be 'problem' or 'strength'",
        ),
        (
            "themes:\n  t1:\n    under: people\n    terms: ['--']\n",
            "theme 't1': entry '--' has no words",
        ),
        ("themes: [\n", "not valid YAML"),
    ],
)
def test_taxonomy_errors_name_file_and_theme(tmp_path, body, message):
    path = write_text(tmp_path / "taxonomy.yaml", "foundations:\n  people: People\n" + body)
    with pytest.raises(InputError) as err:
        consultation.load_taxonomy(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("Our products and production lines are new.", [], ["productivity_gap"]),  # '=productivity'
        ("Productivity is low.", ["productivity_gap"], []),
        ("We do all training in-house.", ["technical_education"], ["housing_supply"]),  # exclude
        ("Housing costs too much.", ["housing_supply"], []),
        ("Gaps in skills", [], ["skills_shortages"]),  # a phrase needs its words in order
        ("Mobile phones everywhere", [], ["future_of_mobility"]),
        (
            "Care homes need staff and social care is stretched.",
            ["ageing_society"],
            ["housing_supply"],
        ),
        ("", [], ["skills_shortages"]),
    ],
)
def test_stemming_phrases_exact_terms_and_excludes(text, present, absent):
    themes = {m.theme for m in consultation.load_taxonomy().code(text)}
    assert set(present) <= themes
    assert not (set(absent) & themes)


def test_edited_taxonomy_with_min_matches(tmp_path):
    path = write_text(
        tmp_path / "tax.yaml",
        "foundations:\n  people: People\nthemes:\n"
        "  skills:\n    under: people\n    terms: [skills, recruit]\n    min_matches: 2\n",
    )
    tax = consultation.load_taxonomy(path)
    assert tax.code("skills matter") == []
    assert [m.theme for m in tax.code("skills matter when we recruit")] == ["skills"]
