"""ONS UK business: activity, size and location: enterprises and local units by area.

Published once a year as ``ukbusinessworkbook<year>.xlsx`` (the 2025 edition is
``ukbusinessworkbook2025new.xlsx``, published 24 September 2025): counts of VAT and/or
PAYE based enterprises and local units on the Inter-Departmental Business Register,
snapshot of March of the year, control-rounded to base 5 (note 7: a zero may not be a
true zero, and totals may differ by a few units between tables).

Tables read (districts, counties, regions and countries; 406 coded rows):

============  ===============================================  ======================
sheet         what                                             measure / breakdown
============  ===============================================  ======================
Table 1       enterprises by broad industry group               ``enterprises``
Table 10      enterprises by employment size band               ``enterprises_by_employment``
Table 11      enterprises by turnover size band (£ thousand)    ``enterprises_by_turnover``
Table 16      local units by broad industry group               ``local_units``
Table 22      local units by employment size band               ``local_units_by_employment``
============  ===============================================  ======================

Each table has its own total, rounded independently, so the tables are separate measures
(their totals differ by up to a few units: Table 1's East Midlands total need not equal
Table 10's). In the industry tables ``industry`` is the SIC 2007 division range printed
before the colon of the column header (``01-03``, ``45``, ``69-75``; see
:data:`BROAD_GROUPS` for the labels) or ``Total``, and ``breakdown`` is ``All``. In the
size-band tables ``industry`` is ``Total`` and ``breakdown`` is the band as printed
(``0-4`` ... ``250+``; turnover ``0-49`` ... ``50000+``, in £ thousand), with the
table's total as ``All``.

Layout: rows 0-2 title / "This worksheet contains one table" / units; the header on row
3 (industry tables) or rows 3-4 ("Employment Size Band" over the band labels); data from
the next row. The area is one cell, code and name together: ``"E06000016 : Leicester"``.
Sheet names carry stray spaces (``"Table 10 "``), matched ignoring them. No markers are
printed. ``period`` is the year of the edition (``2025``), read from the cover sheet
title; ``release`` from its "Date published" line.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ._base import (
    Measure,
    Source,
    Workbook,
    check_codes,
    check_unlabelled_columns,
    clean_text,
    find_row,
    parse_block,
    tidy,
)
from ._guard import MB
from .business_demography import release_from_text

#: Largest workbook read: the real 2025 edition is 1.1 MB.
MAX_BYTES = 32 * MB
#: The workbook's front sheets (the tables are 'Table <n>').
_FRONT_SHEETS = {"cover sheet", "cover", "contents", "notes", "industry definition"}

_COUNT_E = "enterprises"
_COUNT_L = "local units"
MEASURES = {
    m.id: m
    for m in [
        Measure(
            "enterprises",
            _COUNT_E,
            "additive",
            "VAT and/or PAYE based enterprises by broad industry group (Table 1; count, rounded to 5)",
        ),
        Measure(
            "enterprises_by_employment",
            _COUNT_E,
            "additive",
            "VAT and/or PAYE based enterprises by employment size band (Table 10; count, rounded to 5)",
        ),
        Measure(
            "enterprises_by_turnover",
            _COUNT_E,
            "additive",
            "VAT and/or PAYE based enterprises by turnover size band, £ thousand (Table 11; count, rounded to 5)",
        ),
        Measure(
            "local_units",
            _COUNT_L,
            "additive",
            "VAT and/or PAYE based local units (sites) by broad industry group (Table 16; count, rounded to 5)",
        ),
        Measure(
            "local_units_by_employment",
            _COUNT_L,
            "additive",
            "VAT and/or PAYE based local units by employment size band (Table 22; count, rounded to 5)",
        ),
    ]
}

#: sheet number -> (measure, kind, words the title must contain)
TABLES: dict[int, tuple[str, str, str]] = {
    1: ("enterprises", "industry", "enterprises"),
    10: ("enterprises_by_employment", "band", "enterprises"),
    11: ("enterprises_by_turnover", "band", "enterprises"),
    16: ("local_units", "industry", "local units"),
    22: ("local_units_by_employment", "band", "local units"),
}
#: Tables that must be present (the others are read when present).
REQUIRED = (1, 10)
#: The broad industry groups (SIC 2007 divisions) as labelled in Table 1.
BROAD_GROUPS = {
    "01-03": "Agriculture, forestry & fishing",
    "05-39": "Production",
    "41-43": "Construction",
    "45": "Motor trades",
    "46": "Wholesale",
    "47": "Retail",
    "49-53": "Transport & Storage (inc postal)",
    "55-56": "Accommodation & food services",
    "58-63": "Information & communication",
    "64-66": "Finance & insurance",
    "68": "Property",
    "69-75": "Professional, scientific & technical",
    "77-82": "Business administration & support services",
    "84": "Public administration & defence",
    "85": "Education",
    "86-88": "Health",
    "90-99": "Arts, entertainment, recreation & other services",
}
#: "E06000016 : Leicester": the code is whatever precedes the colon (checked afterwards).
_AREA_RE = re.compile(r"^\s*([^\s:]+)\s*:\s*(.*?)\s*$")
_GROUP_RE = re.compile(r"^(\d{2}(?:-\d{2})?)\s*:\s*(.+)$")
_BAND_RE = re.compile(r"^\d+(?:-\d+|\+)$")


class UKBusinessCounts(Source):
    """UK business: activity, size and location (enterprises and local units by area)."""

    name = "ons_uk_business"
    dataset = "ons_uk_business"
    publisher = "Office for National Statistics"
    title = "UK business: activity, size and location"
    patterns = ("ukbusinessworkbook*.xls*",)
    measures = MEASURES

    def parse(self, path: Path) -> pd.DataFrame:
        path = Path(path)
        book = Workbook(path, max_bytes=MAX_BYTES)
        # A renamed sheet must be an error, not a table left out: the workbook holds its
        # front sheets and 'Table <n>' sheets only, and every table read that its Contents
        # sheet lists must be present.
        book.refuse_unknown_sheets(
            lambda s: (
                s.strip().lower() in _FRONT_SHEETS
                or bool(re.fullmatch(r"table\s+\d+", s.strip(), re.IGNORECASE))
            ),
            "Cover sheet, Contents, Notes, Industry Definition and 'Table <n>' sheets",
        )
        book.require_sheets(
            book.listed_in_contents(f"Table {n}" for n in TABLES), "(listed in the Contents sheet)"
        )
        year, release = self._edition(book)
        parts = []
        for number, (measure, kind, words) in TABLES.items():
            if number not in REQUIRED and not any(
                s.strip() == f"Table {number}" for s in book.sheet_names
            ):
                continue  # an optional table (the demonstrator may leave it out)
            sheet = book.find_sheet(f"Table {number}")
            rows = book.rows(sheet)
            title = clean_text(rows[0][0]) if rows and rows[0] else ""
            if not title.lower().startswith(f"table {number} ") or words not in title.lower():
                raise InputError(
                    path,
                    f"title {title[:90]!r} is not Table {number} of {words}",
                    sheet=sheet,
                    row=0,
                    column=0,
                )
            parts.append(self._table(rows, path, sheet, measure, kind))
        df = tidy(
            **{k: np.concatenate([p[k] for p in parts]) for k in parts[0]},
            period=str(year),
            year=year,
            release=release or None,
        )
        out = self.finish(df, path)
        out.attrs["warnings"] = []
        return out

    def _edition(self, book: Workbook) -> tuple[int, str]:
        """(year, release) from the cover sheet: 'UK Business, activity, size and
        location, 2025' and 'Date published: 24th September 2025'."""
        sheet = book.find_sheet("Cover sheet", "Cover", "Contents")
        text = " ".join(clean_text(c) for row in book.rows(sheet)[:40] for c in row)
        m = re.search(r"activity, size and location,?\s*((?:19|20)\d{2})", text, re.IGNORECASE)
        if not m:
            m = re.search(r"ukbusinessworkbook((?:19|20)\d{2})", book.path.name.lower())
        if not m:
            raise InputError(
                book.path,
                "no edition year on the cover ('UK Business, activity, size and location, 2025') or in the file name",
                sheet=sheet,
            )
        return int(m.group(1)), release_from_text(text)

    def _table(
        self, rows, path: Path, sheet: str, measure: str, kind: str
    ) -> dict[str, np.ndarray]:
        h = find_row(
            rows,
            lambda c: len(c) > 2 and not c[0] and [x for x in c if x][-1:] == ["Total"],
            file=path,
            sheet=sheet,
            what="header row ending 'Total'",
            limit=12,
        )
        header = [clean_text(c) for c in rows[h]]
        cols: list[int] = []
        labels: list[str] = []
        for j in range(1, len(header)):
            text = header[j]
            if text == "Total":
                cols.append(j)
                labels.append("Total")
                break
            if kind == "industry":
                m = _GROUP_RE.match(text)
                if not m:
                    raise InputError(
                        path,
                        f"unexpected industry group header {text!r}",
                        sheet=sheet,
                        row=h,
                        column=j,
                        header=text,
                    )
                labels.append(m.group(1))
            else:
                if not _BAND_RE.match(text):
                    raise InputError(
                        path,
                        f"unexpected size band header {text!r}",
                        sheet=sheet,
                        row=h,
                        column=j,
                        header=text,
                    )
                labels.append(text)
            cols.append(j)
        if len(cols) < 2:
            raise InputError(
                path, "no industry or size band columns before 'Total'", sheet=sheet, row=h
            )
        data_rows: list[int] = []
        codes: list[str] = []
        names: list[str] = []
        r = h + 1
        while r < len(rows) and clean_text(rows[r][0] if rows[r] else ""):
            cell = clean_text(rows[r][0])
            m = _AREA_RE.match(cell)
            if not m:
                raise InputError(
                    path, f"area cell {cell!r} is not 'CODE : Name'", sheet=sheet, row=r, column=0
                )
            data_rows.append(r)
            codes.append(m.group(1))
            names.append(m.group(2))
            r += 1
        if not data_rows:
            raise InputError(path, "no data rows under the header", sheet=sheet, row=h)
        # Columns after 'Total' are not read: they must hold no figures.
        check_unlabelled_columns(rows, h, data_rows, cols, first=1, file=path, sheet=sheet)
        for k in range(r, len(rows)):  # only blank or footnote rows may follow
            line = rows[k]
            nums = [
                c
                for c in cols
                if c < len(line) and isinstance(line[c], (int, float)) and line[c] == line[c]
            ]
            if nums:
                raise InputError(
                    path,
                    "numbers in a row without an area below the table",
                    sheet=sheet,
                    row=k,
                    column=nums[0],
                )
        check_codes(codes, data_rows, file=path, sheet=sheet, col=0)
        # No markers are printed in the 2025 edition; a standard one would be kept as status.
        values, status = parse_block(
            rows, data_rows, cols, file=path, sheet=sheet, headers=[header[c] for c in cols]
        )
        n, ncol = len(data_rows), len(cols)
        if kind == "industry":
            industry = np.tile(np.asarray(labels, dtype=object), n)
            breakdown = np.full(n * ncol, "All", dtype=object)
        else:
            industry = np.full(n * ncol, "Total", dtype=object)
            breakdown = np.tile(
                np.asarray(["All" if x == "Total" else x for x in labels], dtype=object), n
            )
        return {
            "geography_code": np.repeat(np.asarray(codes, dtype=object), ncol),
            "geography_name": np.repeat(np.asarray(names, dtype=object), ncol),
            "measure": np.full(n * ncol, measure, dtype=object),
            "industry": industry,
            "breakdown": breakdown,
            "value": values.reshape(-1),
            "status": status.reshape(-1),
            "row": np.repeat(np.asarray(data_rows), ncol),
            "col": np.tile(np.asarray(cols), n),
            "sheet": np.full(n * ncol, sheet, dtype=object),
        }
