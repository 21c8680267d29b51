"""Tests for the escaped tables of lis_analysis.report_html (html_table, quotes_table,
safe_styler): hostile respondent text is shown as written and never becomes markup."""

from __future__ import annotations

import pandas as pd
import pytest

from lis_analysis import report_html
from lis_analysis.errors import LisError
from tests.inert_html import HOSTILE, assert_inert


def test_html_table_escapes_every_cell_header_and_caption():
    df = pd.DataFrame({"<b>col</b>": HOSTILE, "n": range(len(HOSTILE))})
    html = report_html.html_table(df, "Caption <script>alert(1)</script>")
    p = assert_inert(
        html,
        {"table", "caption", "thead", "tbody", "tr", "th", "td"},
        {"class", "scope"},
    )
    text = "".join(p.text)
    for h in HOSTILE:
        assert h in text  # shown to the reader exactly as written
    with pytest.raises(LisError, match="caption is required"):
        report_html.html_table(df, " ")


def test_quotes_table_redacts_and_escapes():
    quotes = pd.DataFrame(
        {
            "theme_label": ["Skills <i>gaps</i>"],
            "quote": ["<script>alert(1)</script> Mail me: a@example.com or 07700 900123"],
            "attribution": ["<img src=x onerror=alert(1)>"],
        }
    )
    html = report_html.quotes_table(quotes)
    p = assert_inert(
        html, {"table", "caption", "thead", "tbody", "tr", "th", "td"}, {"class", "scope"}
    )
    text = "".join(p.text)
    assert "a@example.com" not in text and "07700" not in text
    assert "[email removed]" in text and "<script>alert(1)</script>" in text
    assert "<caption>Representative quotes by theme</caption>" in html


def test_safe_styler_escapes_cells_index_and_caption():
    df = pd.DataFrame({"<b>h</b>": HOSTILE}, index=[f"<i>{i}</i>" for i in range(len(HOSTILE))])
    html = report_html.safe_styler(df, "Cap <script>x</script>").to_html()
    p = assert_inert(
        html,
        {"style", "table", "caption", "thead", "tbody", "tr", "th", "td"},
        {"id", "class", "type"},
    )
    assert "<script>alert('x')</script>" in "".join(p.text)
