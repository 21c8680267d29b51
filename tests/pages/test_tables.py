"""The one HTML table renderer (lis_analysis.pages.tables): accessible, every text cell
escaped, one way of showing a missing value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lis_analysis.errors import LisError
from lis_analysis.pages.tables import MISSING_NOTE, quotes_table, table
from tests.inert_html import HOSTILE, assert_inert

TABLE_TAGS = {"div", "table", "caption", "thead", "tbody", "tr", "th", "td", "p"}
TABLE_ATTRS = {"class", "scope"}


def test_table_is_accessible_and_formats_numbers():
    df = pd.DataFrame(
        {
            "Area": ["A & B", "C"],
            "Jobs": [1234567, 89],
            "Rate (%)": [12.345, None],
            "Significant": [True, False],
            "Year": [2022, 2023],
        }
    )
    markup = table(df, "Jobs and rates, 2022", notes="Source: ONS.").to_html()
    assert "<caption>Jobs and rates, 2022</caption>" in markup
    assert markup.count('<th scope="col"') == 5
    assert '<th scope="row">A &amp; B</th>' in markup
    assert ">1,234,567<" in markup and ">12.35<" in markup and ">2022<" in markup
    assert ">[x]<" in markup and "[x] = not available." in markup and "nan" not in markup.lower()
    assert ">Yes<" in markup and ">No<" in markup
    assert "Source: ONS." in markup
    assert "<td>0</td>" not in markup  # a missing value is never shown as zero
    assert '<th scope="col" class="lis-num">Jobs</th>' in markup
    assert '<td class="lis-num">\u221212' not in markup  # no stray minus
    assert table(pd.DataFrame({"x": [-1.25]}), "n").to_html().count("\u22121.25") == 1


def test_table_needs_a_caption_and_hides_the_index():
    df = pd.DataFrame({"x": [1.5]}, index=["row label"])
    with pytest.raises(LisError, match="caption is required"):
        table(df, " ")
    assert "row label" not in table(df, "x").to_html()
    assert "row label" in table(df, "x", index=True).to_html()


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA, pd.NaT])
def test_a_missing_value_is_printed_one_way_with_its_footnote(missing):
    """Text, number or date: a missing cell is [x] with the footnote, once."""
    df = pd.DataFrame({"Theme": ["Skills", "Transport"], "Claim": ["x", missing]}, dtype=object)
    markup = table(df, "Claims").to_html()
    assert "<td>[x]</td>" in markup and markup.count(MISSING_NOTE) == 1
    assert MISSING_NOTE not in table(pd.DataFrame({"a": ["", "b"]}), "Blank").to_html()


@pytest.mark.parametrize(
    "values",
    [[1.5, np.nan], pd.array([1.5, pd.NA], dtype="Float64"), pd.array([1, pd.NA], dtype="Int64")],
)
def test_a_missing_number_is_printed_the_same_way(values):
    markup = table(pd.DataFrame({"Area": ["A", "B"], "Value": values}), "Values").to_html()
    assert '<td class="lis-num">[x]</td>' in markup and markup.count(MISSING_NOTE) == 1


def test_every_text_cell_header_caption_and_note_is_escaped():
    df = pd.DataFrame({"<b>col</b>": HOSTILE, "n": range(len(HOSTILE))})
    markup = table(df, "Caption <script>alert(1)</script>", notes=["<i>note</i>"]).to_html()
    p = assert_inert(markup, TABLE_TAGS, TABLE_ATTRS)
    text = "".join(p.text)
    for h in HOSTILE:
        assert h in text  # shown to the reader exactly as written
    assert "<i>note</i>" in text and "<b>col</b>" in text


def test_columns_select_and_rename_and_an_unknown_column_is_named():
    df = pd.DataFrame({"theme_label": ["Skills"], "n": [3], "hidden": ["no"]})
    markup = table(df, "Themes", columns={"theme_label": "Theme", "n": "Responses"}).to_html()
    assert ">Theme<" in markup and ">Responses<" in markup and "hidden" not in markup
    assert ">Theme<" in table(df, "Themes", columns=["theme_label"]).to_html().replace(
        "theme_label", "Theme"
    )
    with pytest.raises(LisError, match="no column 'nope'"):
        table(df, "Themes", columns=["nope"])


def test_redaction_removes_personal_data_from_text_cells():
    df = pd.DataFrame({"Point": ["P1"], "Comment": ["Mail me: a@example.com or 07700 900123"]})
    markup = table(df, "Comments", redact_personal=True).to_html()
    assert "a@example.com" not in markup and "07700" not in markup
    assert "[email removed]" in markup
    assert "a@example.com" in table(df, "Comments").to_html()  # only on request


def test_quotes_table_redacts_and_escapes():
    quotes = pd.DataFrame(
        {
            "theme_label": ["Skills <i>gaps</i>"],
            "quote": ["<script>alert(1)</script> Mail me: a@example.com or 07700 900123"],
            "attribution": ["<img src=x onerror=alert(1)>"],
            "response_id": ["R1"],
        }
    )
    markup = quotes_table(quotes).to_html()
    p = assert_inert(markup, TABLE_TAGS, TABLE_ATTRS)
    text = "".join(p.text)
    assert "a@example.com" not in text and "07700" not in text
    assert "[email removed]" in text and "<script>alert(1)</script>" in text
    assert "<caption>Representative quotes by theme</caption>" in markup
    assert "R1" not in text  # only Theme, Quote, Respondent
    assert '<th scope="row">Skills &lt;i&gt;gaps&lt;/i&gt;</th>' in markup


def test_the_table_displays_itself_in_jupyter_as_html():
    t = table(pd.DataFrame({"a": [1]}), "One")
    assert t._repr_html_() == t.to_html() == str(t)
    assert repr(t) == "<HTMLTable 'One': 1 rows>"
    assert t.data.equals(pd.DataFrame({"a": [1]}))
