"""Tests for lis_analysis.evidence: ingest, coding, quotes, triangulation, consultation,
safety (redaction and escaping) and the synthetic demonstrator.

Fixtures are hand-written files in tests/fixtures/evidence/ (the layouts officers keep);
workbooks are written in the test from rows spelled out here (tests/helpers.py).
"""

from __future__ import annotations

import hashlib
import math
import time
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml

from lis_analysis import evidence as ev
from lis_analysis.demo.evidence import write_demo_evidence
from lis_analysis.errors import InputError, LisError
from tests.helpers import write_text, write_workbook

EVIDENCE = Path(__file__).resolve().parent / "fixtures" / "evidence"


def _messages(result: ev.IngestResult) -> list[str]:
    return list(result.issues["message"])


# ======================================================================================
# Package data: questions, priorities, taxonomy
# ======================================================================================


def test_questions_are_the_ten_covering_foundations_and_challenges():
    qs = ev.load_questions()
    assert list(qs["question_id"]) == [f"Q{i}" for i in range(1, 11)]
    tax = ev.load_taxonomy()
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
    pri = ev.load_priorities()
    tax = ev.load_taxonomy()
    assert list(pri["priority_id"]) == ["P1", "P2", "P3", "P4", "P5", "P6"]
    for themes in pri["themes"]:
        for t in themes.split(";"):
            assert t.strip() in tax.theme_ids


def test_every_theme_is_under_a_foundation_or_challenge_and_indicators_exist():
    tax = ev.load_taxonomy()
    registry_file = Path(ev.PACKAGE_DATA) / "indicators.yaml"
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
        ev.load_taxonomy(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)


# ======================================================================================
# Ingest: call for evidence
# ======================================================================================


def test_call_for_evidence_csv_counts_and_reasons():
    res = ev.read_call_for_evidence(EVIDENCE / "cfe_problems.csv")
    assert (res.n_read, res.n_kept, res.n_rejected) == (8, 4, 4)
    assert res.n_read == res.n_kept + res.n_rejected
    # headers are normalised ("Question ID" -> question_id), ids too (q4 -> Q4, 3 -> Q3)
    assert list(res.data["response_id"]) == ["P01:Q3", "P01:Q4", "P02:Q3", "P03:Q6"]
    # a synonym is mapped (Charity -> voluntary); an unknown type is kept with a warning
    assert list(res.data["organisation_type"]) == ["private", "private", "voluntary", "unknown"]
    f = str(EVIDENCE / "cfe_problems.csv")
    assert _messages(res) == [
        f"{f}, row 5, column 3 ('organisation_type'): unknown organisation type: 'Martian' is not "
        "one of public, private, voluntary, education, individual; counted as 'unknown'",
        f"{f}, row 6, column 6 ('question_id'): duplicate: P01 already answered Q3 "
        "(cfe_problems.csv row 2)",
        f"{f}, row 7, column 6 ('question_id'): unknown question id: 'Q11' is not a "
        "call-for-evidence question (expected Q1..Q10)",
        f"{f}, row 8, column 7 ('text'): empty text: the response of P05 to Q2 has no text",
        f"{f}, row 9, column 1 ('respondent_id'): missing respondent id: the respondent_id is blank",
    ]
    assert list(res.rejected["problem"]) == [
        "duplicate",
        "unknown question id",
        "empty text",
        "missing respondent id",
    ]
    assert list(res.warnings["problem"]) == ["unknown organisation type"]
    counts = res.counts().set_index("what")["n"]
    assert counts["rows read"] == 8 and counts["rows kept"] == 4 and counts["rows rejected"] == 4
    assert res.summary().startswith("call for evidence: 1 file(s), read 8, kept 4, rejected 4")


def test_call_for_evidence_strict_raises_first_problem():
    with pytest.raises(InputError) as err:
        ev.read_call_for_evidence(EVIDENCE / "cfe_problems.csv", strict=True)
    assert "row 5, column 3 ('organisation_type'): unknown organisation type" in str(err.value)


def test_call_for_evidence_missing_column_is_an_input_error():
    with pytest.raises(InputError) as err:
        ev.read_call_for_evidence(EVIDENCE / "cfe_missing_column.csv")
    assert str(err.value) == (
        f"{EVIDENCE / 'cfe_missing_column.csv'}, row 1: not a call-for-evidence table: missing "
        "column(s) 'sector' (found 'respondent_id', 'organisation', 'organisation_type', "
        "'location', 'question_id', 'text')"
    )


def test_call_for_evidence_xlsx_with_title_row(tmp_path):
    header = [
        "respondent_id",
        "organisation",
        "organisation_type",
        "sector",
        "location",
        "question_id",
        "text",
    ]
    path = write_workbook(
        tmp_path / "cfe.xlsx",
        {
            "responses": [
                ["Call for evidence responses (fixture)"],
                header,
                [
                    "X01",
                    "Demo Ltd (fixture)",
                    "private",
                    "Retail",
                    "Leicester",
                    "Q6",
                    "Empty shops everywhere.",
                ],
                [101, None, "individual", None, "Melton", 4.0, "Slow broadband."],
                ["X01", "Demo Ltd (fixture)", "private", "Retail", "Leicester", "Q6", "Again."],
            ]
        },
    )
    res = ev.read_call_for_evidence(path)
    # numbers typed into a workbook become ids: 101 -> '101', 4.0 -> 'Q4'
    assert list(res.data["response_id"]) == ["X01:Q6", "101:Q4"]
    assert list(res.data["source_row"]) == [3, 4]
    assert _messages(res) == [
        f"{path}, sheet 'responses', row 5, column F ('question_id'): duplicate: X01 already "
        "answered Q6 (cfe.xlsx sheet 'responses' row 3)"
    ]


def test_call_for_evidence_xlsx_missing_column_names_sheet_and_row(tmp_path):
    path = write_workbook(
        tmp_path / "cfe.xlsx",
        {"Sheet1": [["note"], ["respondent_id", "organisation_type", "question_id", "text"]]},
    )
    with pytest.raises(InputError) as err:
        ev.read_call_for_evidence(path)
    assert str(err.value).startswith(
        f"{path}, sheet 'Sheet1', row 2: not a call-for-evidence table: missing column(s) "
        "'organisation', 'sector', 'location'"
    )


def test_table_without_any_known_header(tmp_path):
    path = write_text(tmp_path / "other.csv", "a,b\n1,2\n")
    with pytest.raises(InputError) as err:
        ev.read_call_for_evidence(path)
    assert str(err.value) == (
        f"{path}: no header row with a 'respondent_id' column in the first 10 rows"
    )


def test_submissions_with_yaml_header_and_sections():
    res = ev.read_call_for_evidence(EVIDENCE / "submissions")
    # README.md is skipped; s_sections.md (CRLF) splits into Q2 and Q5 by its headings
    assert sorted(res.data["response_id"]) == ["S01:Q4", "S02:Q2", "S02:Q5"]
    row = res.data.set_index("response_id").loc["S02:Q5"]
    assert row["text"] == "Spin-outs struggle to find investors."
    assert row["organisation_type"] == "education"  # 'University' is a synonym
    assert row["organisation"] == "Demo University (fixture)"
    single = res.data.set_index("response_id").loc["S01:Q4"]
    assert single["text"].startswith("Mobile signal drops out") and "superfast" in single["text"]
    assert single["source_row"] == 9  # the first line after the header
    # the preamble is filed under the first heading, and that is reported
    assert res.data.set_index("response_id").loc["S02:Q2", "text"].startswith("Thank you")
    assert _messages(res) == [
        f"{EVIDENCE / 'submissions' / 's_sections.md'}, row 9: text before first question "
        "heading: filed under Q2, the first question heading"
    ]


def test_malformed_submissions_are_rejected_with_reasons():
    res = ev.read_call_for_evidence(EVIDENCE / "submissions_bad")
    assert (res.n_read, res.n_kept, res.n_rejected) == (4, 0, 4)
    d = EVIDENCE / "submissions_bad"
    assert _messages(res) == [
        f"{d / 'bad_yaml.md'}, row 4: bad YAML header: expected ',' or ']', but got ':'",
        f"{d / 'no_header.md'}, row 1: no YAML header: a submission starts with a '---' line, "
        "the header fields (respondent, organisation_type, question_id ...), and a closing "
        "'---' line",
        f"{d / 'no_respondent.md'}, row 2: missing respondent id: the header has no "
        "'respondent' field",
        f"{d / 'several_no_headings.md'}, row 6: several questions, no headings: the header "
        "lists Q3, Q4 but the text has no '## Q<n>' headings to say which text answers which "
        "question",
    ]


def test_duplicates_across_table_and_submission(tmp_path):
    write_text(
        tmp_path / "cfe.csv",
        "respondent_id,organisation,organisation_type,sector,location,question_id,text\n"
        "S01,Demo (fixture),public,Public,Melton,Q4,Roads are congested.\n",
    )
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "s.md").write_text(
        (EVIDENCE / "submissions" / "s_single.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    res = ev.read_call_for_evidence([tmp_path / "cfe.csv", tmp_path / "subs"])
    assert res.n_kept == 1 and res.n_rejected == 1
    assert "duplicate: S01 already answered Q4 (cfe.csv row 2)" in _messages(res)[0]


# ======================================================================================
# Ingest: consultation, consideration log, whole folder
# ======================================================================================


def test_consultation_values_counts_and_warnings():
    res = ev.read_consultation(EVIDENCE / "consultation_small.csv")
    assert (res.n_read, res.n_kept, res.n_rejected) == (16, 15, 1)
    f = str(EVIDENCE / "consultation_small.csv")
    assert _messages(res) == [
        f"{f}, row 1, column 10 ('P7'): column ignored: 'P7' looks like a draft priority but is "
        "not in consultation.yaml",
        f"{f}, row 6, column 5 ('P2'): bad agreement value: 'Agre' is not one of Strongly agree, "
        "Agree, Neither agree nor disagree, Disagree, Strongly disagree, Don't know; counted as "
        "no answer to P2",
        f"{f}, row 12, column 3 ('organisation_type'): unknown organisation type: 'martian' is "
        "not one of public, private, voluntary, education, individual; counted as 'unknown'",
        f"{f}, row 17, column 1 ('respondent_id'): duplicate: respondent R03 already responded "
        "(consultation_small.csv row 4)",
    ]
    d = res.data.set_index("respondent_id")
    # case, synonyms and a curly apostrophe are read; blank stays missing
    assert d.loc["R03", "P2"] == "Strongly agree"
    assert d.loc["R06", "P2"] == "Neither agree nor disagree"
    assert d.loc["R14", "P1"] == "Don't know"
    assert pd.isna(d.loc["R15", "P1"]) and pd.isna(d.loc["R05", "P2"])
    assert d.loc["R03", "comments"] == ""


def test_consultation_missing_priority_column():
    with pytest.raises(InputError) as err:
        ev.read_consultation(EVIDENCE / "consultation_missing_priority.csv")
    assert str(err.value).startswith(
        f"{EVIDENCE / 'consultation_missing_priority.csv'}, row 1: not a consultation table: "
        "missing column(s) 'P3'"
    )


def test_consideration_log_reading():
    res = ev.read_consideration_log(EVIDENCE / "consideration_log.csv")
    assert (res.n_read, res.n_kept, res.n_rejected) == (7, 5, 2)
    d = res.data.set_index("point_id")
    assert d.loc["PT3", "theme_or_priority"] == "town_centres"  # a label is read as its id
    assert str(d.loc["PT3", "date"]) == "2019-11-12"  # dd/mm/yyyy
    assert str(d.loc["PT1", "date"]) == "2019-11-04"
    f = str(EVIDENCE / "consideration_log.csv")
    assert _messages(res) == [
        f"{f}, row 5, column 2 ('theme_or_priority'): unknown theme or priority: 'unicorns' is "
        "not a theme in the taxonomy or a draft priority",
        f"{f}, row 6, column 1 ('point_id'): duplicate: point PT4 is already in the log "
        "(consideration_log.csv row 5)",
        f"{f}, row 7, column 7 ('date'): bad date: 'not a date' is not a date (use dd/mm/yyyy "
        "or yyyy-mm-dd)",
        f"{f}, row 7, column 6 ('officer'): response not signed off: a response is recorded "
        "without an officer and date",
        f"{f}, row 8, column 1 ('point_id'): missing point id: the point_id is blank",
    ]


def test_load_evidence_sorts_files_by_header(tmp_path):
    for name in ("labelled_responses.csv", "consultation_small.csv", "consideration_log.csv"):
        (tmp_path / name).write_bytes((EVIDENCE / name).read_bytes())
    (tmp_path / "subs").mkdir()
    for name in ("s_single.md", "s_sections.md", "README.md"):
        (tmp_path / "subs" / name).write_bytes((EVIDENCE / "submissions" / name).read_bytes())
    (tmp_path / "letter.pdf").write_bytes(b"%PDF-1.4")
    bundle = ev.load_evidence(tmp_path)
    assert bundle.call_for_evidence.n_kept == 43
    assert bundle.consultation.n_kept == 15
    assert bundle.consideration_log.n_kept == 5
    assert sorted(Path(p).name for p in bundle.skipped) == ["README.md", "letter.pdf"]
    s = bundle.summary().set_index("kind")
    assert s.loc["consultation", "rejected"] == 1


def test_load_evidence_errors(tmp_path):
    with pytest.raises(InputError, match="evidence folder not found"):
        ev.load_evidence(tmp_path / "nope")
    write_text(tmp_path / "odd.csv", "respondent_id,colour\nA,blue\n")
    with pytest.raises(InputError) as err:
        ev.load_evidence(tmp_path)
    assert str(err.value).startswith(
        f"{tmp_path / 'odd.csv'}, row 1: cannot tell what this table is"
    )


# ======================================================================================
# Coding
# ======================================================================================


def _precision_recall(
    coded: pd.DataFrame, data: pd.DataFrame
) -> tuple[float, float, int, int, int]:
    got: dict[str, set[str]] = {rid: set() for rid in data["response_id"]}
    for rid, theme in zip(coded["response_id"], coded["theme"], strict=True):
        if isinstance(theme, str):
            got[rid].add(theme)
    tp = fp = fn = 0
    for rid, expected in zip(data["response_id"], data["expected_themes"], strict=True):
        exp = {t for t in str(expected).split(";") if t and t != "nan"}
        tp += len(exp & got[rid])
        fp += len(got[rid] - exp)
        fn += len(exp - got[rid])
    return tp / (tp + fp), tp / (tp + fn), tp, fp, fn


def test_coding_precision_and_recall_against_hand_labels():
    """40 short responses labelled by hand (column expected_themes) before coding.

    Figures at the time of writing: 47 true positives, 9 false positives, 6 false
    negatives -> precision 0.84, recall 0.89 (micro-averaged over response x theme).
    The floors leave a little room for taxonomy edits; a drop below them is a regression.
    """
    res = ev.read_call_for_evidence(EVIDENCE / "labelled_responses.csv")
    assert res.n_kept == 40 and "expected_themes" in res.data.columns  # extra columns carried
    coded = ev.code_responses(res)
    precision, recall, tp, fp, fn = _precision_recall(coded, res.data)
    print(f"coding: precision {precision:.3f}, recall {recall:.3f} (tp={tp}, fp={fp}, fn={fn})")
    assert precision >= 0.80
    assert recall >= 0.85
    # the response with nothing to code is kept, with no theme
    none = coded[coded["response_id"] == "L31:Q1"]
    assert len(none) == 1 and pd.isna(none["theme"].iloc[0]) and none["n_terms"].iloc[0] == 0


def test_coding_records_why():
    coded = ev.code_responses(
        pd.DataFrame(
            {
                "response_id": ["a"],
                "text": [
                    "We keep RECRUITING, but the skill gaps in R&D teams and start-ups remain."
                ],
            }
        )
    )
    row = coded.set_index("theme").loc["skills_shortages"]
    # taxonomy entries in taxonomy order; entries with the same stems count once, under
    # the first spelling ("skills gap" stands for "skills gaps" and "skill gaps" too)
    assert row["matched_terms"] == "recruit; skills gap"
    assert row["matched_text"] == "RECRUITING; skill gaps"  # the words as written
    assert row["n_terms"] == 2
    assert coded.set_index("theme").loc["innovation_rd", "matched_text"] == "R&D"
    assert coded.set_index("theme").loc["start_ups_scale_ups", "matched_text"] == "start-ups"
    assert row["under_label"] == "People" and row["kind"] == "foundation"


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
    themes = {m.theme for m in ev.load_taxonomy().code(text)}
    assert set(present) <= themes
    assert not (set(absent) & themes)


def test_edited_taxonomy_with_min_matches(tmp_path):
    path = write_text(
        tmp_path / "tax.yaml",
        "foundations:\n  people: People\nthemes:\n"
        "  skills:\n    under: people\n    terms: [skills, recruit]\n    min_matches: 2\n",
    )
    tax = ev.load_taxonomy(path)
    assert tax.code("skills matter") == []
    assert [m.theme for m in tax.code("skills matter when we recruit")] == ["skills"]


def test_counts_by_foundation_and_type():
    responses = pd.DataFrame(
        {
            "response_id": ["a:Q1", "b:Q1", "b:Q3", "c:Q2", "d:Q1"],
            "respondent_id": ["a", "b", "b", "c", "d"],
            "organisation_type": ["private", "private", "private", "public", "individual"],
            "text": [
                "We cannot recruit and wages are low.",  # people (two themes: counted once)
                "Broadband is slow.",  # infrastructure
                "The skills gap hurts.",  # people
                "Nothing to say.",  # no theme
                "Congestion on the roads; charging points for electric vehicles.",
            ],
        }
    )
    coded = ev.code_responses(responses)
    t = ev.counts_by_foundation(coded)
    assert t.loc["People", "Private sector"] == 2 and t.loc["People", "All"] == 2
    assert t.loc["Infrastructure", "All"] == 2
    assert t.loc["Future of mobility", "Individual"] == 1
    assert t.loc["No theme found", "Public sector"] == 1
    assert t.loc["All responses", "All"] == 5
    r = ev.counts_by_foundation(coded, unit="respondents")
    assert (
        r.loc["People", "Private sector"] == 2 and r.loc["All respondents", "Private sector"] == 2
    )
    tc = ev.theme_counts(coded).set_index("theme")
    assert tc.loc["skills_shortages", "n_respondents"] == 2
    assert tc.loc["skills_shortages", "pct_respondents"] == pytest.approx(50.0)


# ======================================================================================
# Quotes
# ======================================================================================


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
    coded = ev.code_responses(responses)
    q = ev.select_quotes(coded, per_theme=3)
    s = q[q["theme"] == "skills_shortages"]
    # r2 (2 terms, shortest) first; r1 is skipped (same organisation, case and spaces
    # ignored); r3 next; then r4 (1 term)
    assert list(s["response_id"]) == ["r2", "r3", "r4"]
    assert list(s["attribution"]) == [
        "org a, private sector",
        "Org B, public sector",
        "Individual respondent",
    ]


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Short. Text.", 300, "Short. Text."),
        ("One two. Three four five six seven.", 20, "One two. …"),
        ("Aaaa bbbb cccc dddd eeee", 12, "Aaaa bbbb …"),
        ("Wait!  Yes?\nNo.", 300, "Wait! Yes? No."),
    ],
)
def test_truncate_at_sentence(text, limit, expected):
    out = ev.truncate_at_sentence(text, limit)
    assert out == expected
    assert len(out) <= limit


def test_quotes_are_redacted_and_at_most_300_chars():
    long = "Skills gaps hold us back. " * 20 + "Email boss@example.com."
    first = "Call 0116 496 0123 as we cannot recruit. " + long
    coded = ev.code_responses(
        pd.DataFrame(
            {
                "response_id": ["x"],
                "respondent_id": ["x"],
                "organisation_type": ["individual"],
                "text": [first],
            }
        )
    )
    q = ev.select_quotes(coded).set_index("theme").loc["skills_shortages"]
    assert len(q["quote"]) <= 300 and q["quote"].endswith(". …") and q["truncated"]
    assert "0116" not in q["quote"] and "[phone removed]" in q["quote"]


# ======================================================================================
# Triangulation
# ======================================================================================


@pytest.mark.parametrize(
    ("stance", "classification", "expected"),
    [
        ("problem", "weakness", ev.SUPPORTED),
        ("problem", "strength", ev.NOT_SUPPORTED),
        ("problem", "neutral", ev.MIXED),
        ("problem", float("nan"), ev.MIXED),
        ("strength", "strength", ev.SUPPORTED),
        ("strength", "Weakness", ev.NOT_SUPPORTED),
        ("strength", None, ev.MIXED),
    ],
)
def test_verdict_rule(stance, classification, expected):
    assert ev.verdict(stance, classification)[0] == expected


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
    coded = ev.code_responses(responses)
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
    tri = ev.triangulate(coded, indicators, area_code="E37000021")
    t = tri.set_index(["theme", "indicator_id"])
    # the latest period wins (2023 over 2022)
    assert t.loc[("skills_shortages", "rqf3_plus_share"), "period"] == "Jan 2023-Dec 2023"
    assert t.loc[("skills_shortages", "rqf3_plus_share"), "verdict"] == ev.SUPPORTED
    assert t.loc[("skills_shortages", "employment_rate"), "verdict"] == ev.NOT_SUPPORTED
    assert t.loc[("skills_shortages", "no_qualifications_share"), "verdict"] == ev.NO_DATA
    assert t.loc[("digital_connectivity", "gigabit_coverage"), "verdict"] == ev.NOT_SUPPORTED
    assert t.loc[("manufacturing_engineering", "exports_per_head"), "verdict"] == ev.NOT_SUPPORTED
    assert tri.set_index("theme").loc["transport_congestion", "verdict"] == ev.NO_INDICATOR
    overall = ev.theme_verdicts(tri).set_index("theme")["verdict"]
    assert overall["skills_shortages"] == ev.MIXED
    assert overall["digital_connectivity"] == ev.NOT_SUPPORTED
    assert overall["transport_congestion"] == ev.NO_INDICATOR
    assert "innovation_rd" not in overall.index  # nobody raised it


def test_triangulate_needs_classification():
    coded = ev.code_responses(pd.DataFrame({"response_id": ["a"], "text": ["Broadband is slow."]}))
    with pytest.raises(LisError, match="no 'classification' column"):
        ev.triangulate(coded, pd.DataFrame({"indicator_id": ["gigabit_coverage"]}))


# ======================================================================================
# Consultation: Wilson intervals, agreement, comments, consideration log
# ======================================================================================


def test_wilson_interval_worked_example():
    # k = 81, n = 263, z = 1.96, by hand:
    #   p = 81/263 = 0.307985;  z² = 3.8416;  1 + z²/n = 1.014607
    #   centre = (0.307985 + 3.8416/526) / 1.014607 = 0.315288 / 1.014607 = 0.310749
    #   half   = 1.96 · sqrt(0.307985·0.692015/263 + 3.8416/(4·263²)) / 1.014607
    #          = 1.96 · sqrt(0.00081038 + 0.00001388) / 1.014607 = 0.055462
    #   interval = (0.255287, 0.366211)
    lo, hi = ev.wilson_interval(81, 263)
    assert lo == pytest.approx(0.255287, abs=1e-6)
    assert hi == pytest.approx(0.366211, abs=1e-6)


def test_wilson_interval_matches_statsmodels():
    from scipy.stats import norm
    from statsmodels.stats.proportion import proportion_confint

    from lis_analysis.methods.uncertainty import wilson_interval as methods_wilson

    z = norm.ppf(0.975)  # statsmodels uses the exact quantile, not 1.96
    for k, n in [(81, 263), (0, 10), (10, 10), (1, 1), (150, 300)]:
        expected = proportion_confint(k, n, alpha=0.05, method="wilson")
        assert ev.wilson_interval(k, n, z) == pytest.approx(expected, abs=1e-12)
        # the package's vectorised version (lis_analysis.methods) agrees
        other = methods_wilson(k, n, level=0.95)
        assert ev.wilson_interval(k, n, z) == pytest.approx((other.lower, other.upper), abs=1e-12)


def test_wilson_interval_edges():
    assert all(math.isnan(x) for x in ev.wilson_interval(0, 0))
    lo, hi = ev.wilson_interval(0, 20)
    assert lo == 0.0 and 0 < hi < 0.2
    for k, n in [(5, 4), (-1, 4), (1.5, 4)]:
        with pytest.raises(LisError):
            ev.wilson_interval(k, n)


def test_agreement_net_and_intervals():
    res = ev.read_consultation(EVIDENCE / "consultation_small.csv")
    a = ev.agreement(res).set_index("priority_id")
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
    lo, hi = ev.wilson_interval(8, 12)
    assert (p1["agree_lower_pct"], p1["agree_upper_pct"]) == pytest.approx((100 * lo, 100 * hi))
    assert p1["small_base"]
    # P2: 'Agre' counted as no answer, not dropped
    assert a.loc["P2", "no_answer"] == 1 and a.loc["P2", "n_view"] == 14
    by = ev.agreement(res, by="organisation_type")
    p1_by = by[by["priority_id"] == "P1"].set_index("group")
    assert p1_by.loc["All respondents", "n_view"] == 12
    assert p1_by.loc["Private sector", "n_agree"] == 2
    assert p1_by.loc["Individual", "n_view"] == 5  # R03, R05, R08, R10, R12 (R13-R15 no view)
    assert "Type not given" in p1_by.index


def test_comment_themes_and_consideration_report():
    res = ev.read_consultation(EVIDENCE / "consultation_small.csv")
    log = ev.read_consideration_log(EVIDENCE / "consideration_log.csv")
    cc = ev.code_comments(res)
    assert set(cc["response_id"]) == {"R01", "R02", "R04", "R05", "R06", "R08", "R10", "R12"}
    pc = ev.priority_comments(cc).set_index("priority_id")
    assert pc.loc["P3", "n_comments"] == 3  # R01, R06, R08
    rep = ev.consideration_report(log, cc)
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
    draft = ev.draft_consideration_log(cc)
    assert list(draft.columns) == list(ev.LOG_COLUMNS)
    assert (draft["response"] == "").all()


# ======================================================================================
# Safety: redaction and escaping
# ======================================================================================


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Email jo.bloggs+lis@mail.example.co.uk now", "Email [email removed] now"),
        ("Call 0116 496 0123.", "Call [phone removed]."),
        ("Call (0116) 4960123 today", "Call [phone removed] today"),
        ("Tel: +44 (0)116 496 0123", "Tel: [phone removed]"),
        ("mobile 07700 900123", "mobile [phone removed]"),
        ("+447700900123", "[phone removed]"),
        ("London 020 7946 0000", "London [phone removed]"),
        ("12 Demo Street, Leicester LE1 9ZZ", "12 Demo Street, Leicester [postcode removed]"),
        ("post code le19 1zz.", "post code [postcode removed]."),
        ("EC1A 1BB", "[postcode removed]"),
        ("LE17RH", "[postcode removed]"),
        # not personal data: left alone
        ("Jobs rose 2018 2019 2020 in LE1", "Jobs rose 2018 2019 2020 in LE1"),
        ("The A46 and M1 junction 21", "The A46 and M1 junction 21"),
        ("£1,250,000 over 0.5 per cent", "£1,250,000 over 0.5 per cent"),
        ("Q3 2019: 1,234 jobs; code 0116", "Q3 2019: 1,234 jobs; code 0116"),
        (None, ""),
    ],
)
def test_redact(text, expected):
    assert ev.redact(text) == expected


HOSTILE = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "<javascript:alert(1)>",
    "<iframe src=//evil.example></iframe>",
    "&lt;script&gt; already escaped",
    "</td></tr></table><script>x()</script>",
]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    p.close()
    return p


def _assert_inert(html: str, allowed_tags: set[str], allowed_attrs: set[str]) -> _Tags:
    p = _parse(html)
    assert set(p.tags) <= allowed_tags, set(p.tags) - allowed_tags
    for name, value in p.attrs:
        assert name in allowed_attrs, name
        assert "javascript" not in (value or "").lower()
    return p


def test_escape():
    assert ev.escape("<b>\"x\" & 'y'</b>") == "&lt;b&gt;&quot;x&quot; &amp; &#x27;y&#x27;&lt;/b&gt;"
    assert ev.escape(None) == "" and ev.escape(float("nan")) == ""


def test_html_table_escapes_every_cell_header_and_caption():
    df = pd.DataFrame({"<b>col</b>": HOSTILE, "n": range(len(HOSTILE))})
    html = ev.html_table(df, "Caption <script>alert(1)</script>")
    p = _assert_inert(
        html,
        {"table", "caption", "thead", "tbody", "tr", "th", "td"},
        {"class", "scope"},
    )
    text = "".join(p.text)
    for h in HOSTILE:
        assert h in text  # shown to the reader exactly as written
    with pytest.raises(LisError, match="caption is required"):
        ev.html_table(df, " ")


def test_quotes_table_redacts_and_escapes():
    quotes = pd.DataFrame(
        {
            "theme_label": ["Skills <i>gaps</i>"],
            "quote": ["<script>alert(1)</script> Mail me: a@example.com or 07700 900123"],
            "attribution": ["<img src=x onerror=alert(1)>"],
        }
    )
    html = ev.quotes_table(quotes)
    p = _assert_inert(
        html, {"table", "caption", "thead", "tbody", "tr", "th", "td"}, {"class", "scope"}
    )
    text = "".join(p.text)
    assert "a@example.com" not in text and "07700" not in text
    assert "[email removed]" in text and "<script>alert(1)</script>" in text
    assert "<caption>Representative quotes by theme</caption>" in html


def test_safe_styler_escapes_cells_index_and_caption():
    df = pd.DataFrame({"<b>h</b>": HOSTILE}, index=[f"<i>{i}</i>" for i in range(len(HOSTILE))])
    html = ev.safe_styler(df, "Cap <script>x</script>").to_html()
    p = _assert_inert(
        html,
        {"style", "table", "caption", "thead", "tbody", "tr", "th", "td"},
        {"id", "class", "type"},
    )
    assert "<script>alert('x')</script>" in "".join(p.text)


@pytest.mark.parametrize(
    "text",
    HOSTILE
    + ["`code` *em* # heading\n- item\n1. item\n> quote", "[a]: javascript:alert(1)\n\n[a]"],
)
def test_quote_markdown_is_inert_in_markdown_renderers(text):
    from markdown_it import MarkdownIt
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    md = ev.quote_markdown(text, "Org <b>x</b> [link](javascript:alert(2))")
    assert "](javascript" not in md and "<" not in md
    rendered = [
        MarkdownIt("commonmark", {"html": True}).render(md),  # raw HTML allowed, as Jupyter does
        markdown2html_mistune(md),  # what nbconvert uses for Markdown outputs
    ]
    for html in rendered:
        p = _assert_inert(html, {"blockquote", "p"}, set())
        shown = " ".join("".join(p.text).split())
        assert " ".join(text.split()) in shown  # the reader sees the text as written


def test_quote_markdown_redacts():
    md = ev.quote_markdown("Ring 0116 496 0123 or write to LE1 9ZZ.", "Individual respondent")
    assert "0116" not in md and "9ZZ" not in md
    assert md.startswith("> Ring \\[phone removed\\]")
    assert md.endswith(">\n> \u2014 Individual respondent\n")


# ======================================================================================
# Demonstrator
# ======================================================================================


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("evidence_demo")
    write_demo_evidence(out)
    return out


def test_demo_is_deterministic_fast_and_marked(tmp_path, demo_dir):
    t0 = time.perf_counter()
    files = write_demo_evidence(tmp_path / "again")
    elapsed = time.perf_counter() - t0
    assert elapsed < 1.5, f"demo evidence took {elapsed:.2f} s"
    names = sorted(p.relative_to(tmp_path / "again").as_posix() for p in files)
    assert names == sorted(
        p.relative_to(demo_dir).as_posix() for p in demo_dir.rglob("*") if p.is_file()
    )
    for p in files:
        twin = demo_dir / p.relative_to(tmp_path / "again")
        assert (
            hashlib.sha256(p.read_bytes()).digest() == hashlib.sha256(twin.read_bytes()).digest()
        ), p.name
        if p.suffix in (".csv", ".md"):
            assert "synthetic" in p.read_text(encoding="utf-8").lower(), p.name
    other = write_demo_evidence(tmp_path / "other", seed=1)
    assert other[1].read_bytes() != files[1].read_bytes()


def test_demo_volumes_and_ingest_report(demo_dir):
    bundle = ev.load_evidence(demo_dir)
    cfe, con, log = bundle.call_for_evidence, bundle.consultation, bundle.consideration_log
    assert cfe.data["respondent_id"].nunique() >= 60
    assert cfe.data["source_file"].str.endswith(".md").any()
    assert con.n_kept >= 300
    assert cfe.data["synthetic"].all() and con.data["synthetic"].all()
    orgs = pd.concat([cfe.data["organisation"], con.data["organisation"]])
    assert orgs[orgs != ""].str.endswith("(synthetic)").all()
    # flawed rows are reported, never dropped silently
    assert sorted(cfe.rejected["problem"]) == ["duplicate", "empty text", "unknown question id"]
    assert sorted(con.warnings["problem"]) == ["bad agreement value", "unknown organisation type"]
    rep = ev.consideration_report(log, ev.code_comments(con))
    assert (rep["status"] == "no response yet").any() and rep["status"].str.startswith(
        "considered"
    ).any()


def test_demo_hostile_texts_are_escaped_and_redacted(demo_dir):
    bundle = ev.load_evidence(demo_dir)
    texts = pd.concat([bundle.call_for_evidence.data["text"], bundle.consultation.data["comments"]])
    joined = "\n".join(texts)
    for needle in ("<script>", "onerror=", "javascript:", "@example.", "0116 496 0123", "LE1 9ZZ"):
        assert needle in joined  # the demo carries each hostile case
    table = pd.DataFrame({"text": texts})
    html = ev.html_table(table, "All demo responses", redact_personal=True)
    p = _assert_inert(
        html, {"table", "caption", "thead", "tbody", "tr", "th", "td"}, {"class", "scope"}
    )
    shown = "".join(p.text)
    assert "<script>" in shown  # as text
    assert "@example." not in shown and "0116 496 0123" not in shown and "LE1 9ZZ" not in shown
    for t in texts:
        assert "<" not in ev.quote_markdown(t)


def test_demo_end_to_end_is_quick(demo_dir):
    t0 = time.perf_counter()
    bundle = ev.load_evidence(demo_dir)
    coded = ev.code_responses(bundle.call_for_evidence)
    ev.counts_by_foundation(coded)
    quotes = ev.select_quotes(coded)
    ev.quotes_table(quotes)
    ev.agreement(bundle.consultation, by="organisation_type")
    assert time.perf_counter() - t0 < 5
    assert (
        len(quotes)
        == len(ev.load_taxonomy().themes) - (ev.theme_counts(coded)["n_responses"] == 0).sum()
    )
