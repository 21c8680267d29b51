"""Tests for lis_analysis.consultation.readers: call-for-evidence tables and submissions,
consultation responses, the consideration log and a whole evidence folder.

Fixtures are hand-written files in tests/fixtures/evidence/ (the layouts officers keep);
workbooks are written in the test from rows spelled out here (tests/helpers.py). Every
problem must be reported with file, sheet, row and column, never dropped silently.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lis_analysis import consultation
from lis_analysis.errors import InputError
from tests.helpers import write_text, write_workbook

EVIDENCE = Path(__file__).resolve().parents[1] / "fixtures" / "evidence"


def _messages(result: consultation.IngestResult) -> list[str]:
    return list(result.issues["message"])


def test_call_for_evidence_csv_counts_and_reasons():
    res = consultation.read_call_for_evidence(EVIDENCE / "cfe_problems.csv")
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
        consultation.read_call_for_evidence(EVIDENCE / "cfe_problems.csv", strict=True)
    assert "row 5, column 3 ('organisation_type'): unknown organisation type" in str(err.value)


def test_call_for_evidence_missing_column_is_an_input_error():
    with pytest.raises(InputError) as err:
        consultation.read_call_for_evidence(EVIDENCE / "cfe_missing_column.csv")
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
    res = consultation.read_call_for_evidence(path)
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
        consultation.read_call_for_evidence(path)
    assert str(err.value).startswith(
        f"{path}, sheet 'Sheet1', row 2: not a call-for-evidence table: missing column(s) "
        "'organisation', 'sector', 'location'"
    )


def test_table_without_any_known_header(tmp_path):
    path = write_text(tmp_path / "other.csv", "a,b\n1,2\n")
    with pytest.raises(InputError) as err:
        consultation.read_call_for_evidence(path)
    assert str(err.value) == (
        f"{path}: no header row with a 'respondent_id' column in the first 10 rows"
    )


def test_submissions_with_yaml_header_and_sections():
    res = consultation.read_call_for_evidence(EVIDENCE / "submissions")
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
    res = consultation.read_call_for_evidence(EVIDENCE / "submissions_bad")
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
    res = consultation.read_call_for_evidence([tmp_path / "cfe.csv", tmp_path / "subs"])
    assert res.n_kept == 1 and res.n_rejected == 1
    assert "duplicate: S01 already answered Q4 (cfe.csv row 2)" in _messages(res)[0]


def test_consultation_values_counts_and_warnings():
    res = consultation.read_consultation(EVIDENCE / "consultation_small.csv")
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
        consultation.read_consultation(EVIDENCE / "consultation_missing_priority.csv")
    assert str(err.value).startswith(
        f"{EVIDENCE / 'consultation_missing_priority.csv'}, row 1: not a consultation table: "
        "missing column(s) 'P3'"
    )


def test_consideration_log_reading():
    res = consultation.read_consideration_log(EVIDENCE / "consideration_log.csv")
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
    bundle = consultation.load_evidence(tmp_path)
    assert bundle.call_for_evidence.n_kept == 43
    assert bundle.consultation.n_kept == 15
    assert bundle.consideration_log.n_kept == 5
    assert sorted(Path(p).name for p in bundle.skipped) == ["README.md", "letter.pdf"]
    s = bundle.summary().set_index("kind")
    assert s.loc["consultation", "rejected"] == 1


def test_load_evidence_errors(tmp_path):
    with pytest.raises(InputError, match="evidence folder not found"):
        consultation.load_evidence(tmp_path / "nope")
    write_text(tmp_path / "odd.csv", "respondent_id,colour\nA,blue\n")
    with pytest.raises(InputError) as err:
        consultation.load_evidence(tmp_path)
    assert str(err.value).startswith(
        f"{tmp_path / 'odd.csv'}, row 1: cannot tell what this table is"
    )


def test_a_missing_file_or_folder_is_named(tmp_path):
    for read in (
        consultation.read_call_for_evidence,
        consultation.read_consultation,
        consultation.read_consideration_log,
    ):
        for missing in (tmp_path / "responses.csv", tmp_path / "submissions"):
            with pytest.raises(InputError) as err:
                read(missing)
            assert str(err.value) == f"{missing}: file or folder not found"
