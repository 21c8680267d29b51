"""Tests for lis_analysis.safetext: redaction, HTML and Markdown escaping, quotes cut at a
sentence. Markdown output is rendered with markdown-it and with nbconvert's renderer and
checked to be inert."""

from __future__ import annotations

import subprocess
import sys

import pytest

from lis_analysis import safetext
from tests.inert_html import HOSTILE, assert_inert


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
    assert safetext.redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # e-mail addresses in another script, obfuscated, or spelled out (issue 13)
        ("write to j@münchen.de", "write to [email removed]"),
        ("jane(at)example(dot)com", "[email removed]"),
        ("jane [at] example [dot] com please", "[email removed] please"),
        ("jane {at} example {dot} co {dot} uk", "[email removed]"),
        ("jane at example dot com", "[email removed]"),
        ("jane@example(dot)com", "[email removed]"),
        # phone numbers with any dash or space, glued to a word, +44 (0)
        ("call 0116–496–0123", "call [phone removed]"),  # en dashes
        ("call 0116—496—0123", "call [phone removed]"),  # em dashes
        ("call 0116\u2212496\u22120123", "call [phone removed]"),  # minus signs
        ("call 0116\u00a0496\u00a00123", "call [phone removed]"),  # no-break spaces
        ("call 0116/496/0123", "call [phone removed]"),
        ("Tel07700900123", "Tel[phone removed]"),
        ("+44 (0)116 496 0123", "[phone removed]"),
        ("+44\u2011116\u2011496\u20110123", "[phone removed]"),  # no-break hyphens
        ("0044 116 496 0123", "[phone removed]"),
        # postcodes in any case, with or without the space
        ("LE1 7RH", "[postcode removed]"),
        ("le17rh", "[postcode removed]"),
        ("LE1\u00a07RH", "[postcode removed]"),
        ("le1-7rh", "[postcode removed]"),
        # not personal data: left alone
        ("look at example.com for more", "look at example.com for more"),
        ("mail me at jane@example", "mail me at jane@example"),
        ("districts E06000016 and E07000129", "districts E06000016 and E07000129"),
        ("in 2019-2023 we grew", "in 2019-2023 we grew"),
        ("ABLE1 7RH", "ABLE1 7RH"),
    ],
)
def test_redact_finds_disguised_personal_data(text, expected):
    assert safetext.redact(text) == expected


def test_redact_is_linear_on_hostile_text():
    import time

    for text in ("a" * 100_000, "a." * 50_000, "jane(at)" * 20_000, "0 " * 50_000):
        t0 = time.perf_counter()
        safetext.redact(text)
        assert time.perf_counter() - t0 < 2, text[:20]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTabbed", "'\tTabbed"),
        ("\rReturned", "'\rReturned"),
        ("-", "'-"),
        # numbers (and text that is only a number) stay as they are
        ("-1.5", "-1.5"),
        ("+3", "+3"),
        ("-1.2e-3", "-1.2e-3"),
        (-1.5, -1.5),
        (3, 3),
        (None, None),
        ("Leicester", "Leicester"),
        ("", ""),
    ],
)
def test_csv_cell_neutralises_formulas(value, expected):
    assert safetext.csv_cell(value) == expected


def test_escape():
    assert (
        safetext.escape("<b>\"x\" & 'y'</b>")
        == "&lt;b&gt;&quot;x&quot; &amp; &#x27;y&#x27;&lt;/b&gt;"
    )
    assert safetext.escape(None) == "" and safetext.escape(float("nan")) == ""


@pytest.mark.parametrize(
    "text",
    HOSTILE
    + ["`code` *em* # heading\n- item\n1. item\n> quote", "[a]: javascript:alert(1)\n\n[a]"],
)
def test_quote_markdown_is_inert_in_markdown_renderers(text):
    from markdown_it import MarkdownIt
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    md = safetext.quote_markdown(text, "Org <b>x</b> [link](javascript:alert(2))")
    assert "](javascript" not in md and "<" not in md
    rendered = [
        MarkdownIt("commonmark", {"html": True}).render(md),  # raw HTML allowed, as Jupyter does
        markdown2html_mistune(md),  # what nbconvert uses for Markdown outputs
    ]
    for html in rendered:
        p = assert_inert(html, {"blockquote", "p"}, set())
        shown = " ".join("".join(p.text).split())
        assert " ".join(text.split()) in shown  # the reader sees the text as written


def test_quote_markdown_redacts():
    md = safetext.quote_markdown("Ring 0116 496 0123 or write to LE1 9ZZ.", "Individual respondent")
    assert "0116" not in md and "9ZZ" not in md
    assert md.startswith("> Ring \\[phone removed\\]")
    assert md.endswith(">\n> \u2014 Individual respondent\n")


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
    out = safetext.truncate_at_sentence(text, limit)
    assert out == expected
    assert len(out) <= limit


def test_missing_values_give_empty_text():
    import pandas as pd

    for missing in (None, float("nan"), pd.NA):
        assert safetext.redact(missing) == ""
        assert safetext.escape(missing) == ""
        assert safetext.escape_markdown(missing) == ""


def test_imports_only_the_standard_library():
    # every layer imports it, so it must not pull pandas or numpy in
    code = (
        "import sys, lis_analysis.safetext; "
        "print(sorted(m for m in ('pandas', 'numpy', 'yaml') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
