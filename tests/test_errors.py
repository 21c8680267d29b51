"""Errors stay on one line: names from files are shown escaped (errors.printable)."""

from __future__ import annotations

import pytest

from lis_analysis.errors import InputError, printable


@pytest.mark.parametrize(
    "text,shown",
    [
        ("lad_pop.csv", "lad_pop.csv"),
        ("lad\npop.csv", "lad\\npop.csv"),
        ("a\r\tb", "a\\r\\tb"),
        ("esc\x1b[31mred", "esc\\x1b[31mred"),
        ("rtl\u202eevil", "rtl\\u202eevil"),
        ("line\u2028sep", "line\\u2028sep"),
        ("Café Münster £ data.xlsx", "Café Münster £ data.xlsx"),
        ("a\\b", "a\\b"),  # a Windows path keeps its backslashes
    ],
)
def test_printable(text, shown):
    assert printable(text) == shown


def test_input_error_escapes_every_part():
    e = InputError("raw/x\nlis ingest: done.csv", "bad\nvalue", sheet="S\n1", header="2023\r")
    assert "\n" not in str(e) and "\r" not in str(e)
    assert str(e) == ("raw/x\\nlis ingest: done.csv, sheet 'S\\n1', column '2023\\r': bad\\nvalue")
    assert e.file == "raw/x\nlis ingest: done.csv"  # the attribute keeps the real name
