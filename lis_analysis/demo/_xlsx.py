"""One way to open a demonstrator workbook: reproducible bytes, marked synthetic."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import xlsxwriter

from .world import LABEL

#: Every demonstrator workbook says it was created at this instant, so that writing the
#: demonstrator twice gives byte-identical files (xlsxwriter stamps the time otherwise).
CREATED = datetime(2019, 3, 15, tzinfo=UTC)


def workbook(path: str | Path) -> xlsxwriter.Workbook:
    """An xlsxwriter workbook whose document properties say the data are synthetic."""
    book = xlsxwriter.Workbook(str(path))
    book.set_properties(
        {"created": CREATED, "title": LABEL, "comments": LABEL, "author": "lis demo"}
    )
    return book
