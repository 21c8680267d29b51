"""Helpers for hand-made fixtures: tests write small workbooks from rows written out in
the test itself (in the published layout), so no binary fixture is committed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter


def write_workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """Write ``{sheet name: rows}`` to an .xlsx file; ``None`` cells stay empty."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is not None:
                    ws.write(r, c, v)
    book.close()
    return path


def write_text(path: Path, text: str, *, bom: bool = False, crlf: bool = False) -> Path:
    """Write a text fixture with the publisher's byte-level quirks (BOM, CRLF)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if crlf:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    data = text.encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    return path
