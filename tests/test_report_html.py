"""Accessible HTML tables: captions, header cells, formatted numbers, missing values as [x]."""

from __future__ import annotations

import pandas as pd
import pytest

from lis_analysis.report_html import table


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


def test_table_needs_a_caption_and_hides_the_index():
    df = pd.DataFrame({"x": [1.5]}, index=["row label"])
    with pytest.raises(ValueError, match="caption"):
        table(df, " ")
    assert "row label" not in table(df, "x").to_html()
    assert "row label" in table(df, "x", index=True).to_html()
