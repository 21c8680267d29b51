"""ONS Subregional productivity: labour productivity by local authority district and by ITL.

Published as ``labourproductivitylocalauthorities.xls`` and ``labourproductivityitls.xls``
(June 2024 release, data to 2022); ONS renames them each release: the June 2025 release
(data to 2023) is ``labourproductivitylad1.xls`` and ``labourproductivityitls1.xlsx`` in the
same ``/current/`` folders, earlier ones ``ladproductivity.xls(x)``. The layout is unchanged
(same sheets, header row and ``LAD_Code``/``Pounds_<year>`` columns). Four title rows, the
header on the fifth
(``LAD_Code, LAD_Name, Index_2004 ...`` or ``ITL_level, ITL_code, Region_name, ...``),
footnotes below the data. Hours are average weekly hours worked in total (not per
worker); jobs are filled jobs.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ._base import (
    MONTHS,
    Measure,
    Source,
    Workbook,
    check_codes,
    check_unlabelled_columns,
    clean_text,
    find_row,
    melt_wide,
    parse_block,
    year_columns,
)
from ._base import (
    data_rows as find_data_rows,
)
from ._guard import MB

#: measure id, printed unit, aggregation, denominator, what it is
_MEASURES = [
    Measure(
        "gva_per_hour_index",
        "index (UK=100)",
        "not_aggregable",
        "Current price smoothed GVA per hour worked, UK less Extra-Regio = 100",
    ),
    Measure(
        "gva_per_hour",
        "GBP",
        "ratio",
        "Current price smoothed GVA per hour worked (£)",
        denominator="hours_weekly",
    ),
    Measure(
        "gva_per_job_index",
        "index (UK=100)",
        "not_aggregable",
        "Current price smoothed GVA per filled job, UK less Extra-Regio = 100",
    ),
    Measure(
        "gva_per_job",
        "GBP",
        "ratio",
        "Current price smoothed GVA per filled job (£)",
        denominator="jobs",
    ),
    Measure(
        "gva_per_hour_index_unsmoothed",
        "index (UK=100)",
        "not_aggregable",
        "Current price unsmoothed GVA per hour worked, UK = 100",
    ),
    Measure(
        "gva_per_hour_unsmoothed",
        "GBP",
        "ratio",
        "Current price unsmoothed GVA per hour worked (£)",
        denominator="hours_weekly",
    ),
    Measure(
        "gva_per_hour_cvm_index",
        "index (2019=100)",
        "not_aggregable",
        "Chained volume GVA per hour worked, 2019 = 100",
    ),
    Measure(
        "gva_per_job_index_unsmoothed",
        "index (UK=100)",
        "not_aggregable",
        "Current price unsmoothed GVA per filled job, UK = 100",
    ),
    Measure(
        "gva_per_job_unsmoothed",
        "GBP",
        "ratio",
        "Current price unsmoothed GVA per filled job (£)",
        denominator="jobs",
    ),
    Measure(
        "gva_per_job_cvm_index",
        "index (2019=100)",
        "not_aggregable",
        "Chained volume GVA per filled job, 2019 = 100",
    ),
    Measure(
        "hours_weekly",
        "hours per week",
        "additive",
        "Total hours worked per week (productivity hours, constrained to ITL1)",
    ),
    Measure("jobs", "jobs", "additive", "Filled jobs (productivity jobs)"),
]
MEASURES = {m.id: m for m in _MEASURES}

#: Largest workbook read: the real ones are 0.77 MB (ITL) and 0.63 MB (districts).
MAX_BYTES = 16 * MB

#: sheet -> (measure, header prefix). The ITL workbook adds the unsmoothed and CVM tables.
LAD_SHEETS = {
    "A1": ("gva_per_hour_index", "Index_"),
    "A3": ("gva_per_hour", "Pounds_"),
    "B1": ("gva_per_job_index", "Index_"),
    "B3": ("gva_per_job", "Pounds_"),
    "Productivity Hours": ("hours_weekly", "Hours_"),
    "Productivity Jobs": ("jobs", "Jobs_"),
}
ITL_SHEETS = {
    **LAD_SHEETS,
    "A2": ("gva_per_hour_index_unsmoothed", "Index_"),
    "A4": ("gva_per_hour_unsmoothed", "Pounds_"),
    "A5": ("gva_per_hour_cvm_index", "Index_"),
    "B2": ("gva_per_job_index_unsmoothed", "Index_"),
    "B4": ("gva_per_job_unsmoothed", "Pounds_"),
    "B5": ("gva_per_job_cvm_index", "Index_"),
}


def _release_from_contents(book: Workbook) -> str:
    """'2024-06' from the Contents sheet's "published with the ONS Subregional
    Productivity June 2024 release"; empty if the sheet does not say."""
    if not book.has("Contents"):
        return ""
    months = list(MONTHS)
    text = " ".join(clean_text(c) for row in book.rows("Contents") for c in row)
    m = re.search(r"(" + "|".join(months) + r")\s+(\d{4})\s+release", text, re.IGNORECASE)
    if not m:
        return ""
    return f"{m.group(2)}-{months.index(m.group(1).lower()) + 1:02d}"


class _ProductivityBase(Source):
    publisher = "Office for National Statistics"
    measures = MEASURES
    sheets: dict[str, tuple[str, str]]
    code_header: str
    name_header: str

    def sniff(self, path: Path) -> bool:
        return True

    def _read_sheet(self, book: Workbook, sheet: str, measure: str, prefix: str) -> pd.DataFrame:
        rows = book.rows(sheet)
        code_key = self.code_header.lower()
        h = find_row(
            rows,
            lambda cells: code_key in (c.lower() for c in cells),
            file=book.path,
            sheet=sheet,
            what=f"header row with {self.code_header!r}",
        )
        header = rows[h]
        cleaned = [clean_text(c).lower() for c in header]
        code_col = cleaned.index(code_key)
        if self.name_header.lower() not in cleaned:
            raise InputError(book.path, f"expected column {self.name_header!r}", sheet=sheet, row=h)
        name_col = cleaned.index(self.name_header.lower())
        first = max(code_col, name_col) + 1  # the label columns end here
        ycols = year_columns(header, prefix=prefix, file=book.path, sheet=sheet, row=h, after=first)
        # Data rows: a code in the code column, up to the first blank one (footnotes follow).
        data_rows = find_data_rows(rows, h + 1, code_col, file=book.path, sheet=sheet)
        if not data_rows:
            raise InputError(book.path, "no data rows under the header", sheet=sheet, row=h)
        codes = [clean_text(rows[r][code_col]) for r in data_rows]
        names = [clean_text(rows[r][name_col]) for r in data_rows]
        check_codes(
            codes, data_rows, file=book.path, sheet=sheet, col=code_col, header=self.code_header
        )
        cols = [y.col for y in ycols]
        check_unlabelled_columns(rows, h, data_rows, cols, first=first, file=book.path, sheet=sheet)
        values, status = parse_block(
            rows,
            data_rows,
            cols,
            file=book.path,
            sheet=sheet,
            headers=[clean_text(header[c]) for c in cols],
            col_status=[y.marker for y in ycols],
        )
        return melt_wide(
            codes=codes,
            names=names,
            rows=data_rows,
            years=[y.year for y in ycols],
            cols=cols,
            values=values,
            status=status,
            measure=measure,
            sheet=sheet,
            industry="Total",
            breakdown="All",
        )

    def parse(self, path: Path) -> pd.DataFrame:
        book = Workbook(path, max_bytes=MAX_BYTES)
        # Every table is expected: a renamed sheet must not silently drop its measure.
        found = book.require_sheets(self.sheets)
        parts = [
            self._read_sheet(book, found[sheet], measure, prefix)
            for sheet, (measure, prefix) in self.sheets.items()
        ]
        df = pd.concat(parts, ignore_index=True)
        df["release"] = _release_from_contents(book) or np.nan
        return self.finish(df, path)


class ProductivityLAD(_ProductivityBase):
    """Subregional productivity: labour productivity indices by local authority district."""

    name = "ons_productivity_lad"
    dataset = "ons_productivity_lad"
    title = "Subregional productivity: labour productivity by local authority district"
    patterns = (
        "labourproductivitylocalauthorities*.xls*",
        "*productivity*local*authorit*.xls*",
        "ladproductivity*.xls*",
        "labourproductivitylad*.xls*",  # June 2025: labourproductivitylad1.xls
    )
    sheets = LAD_SHEETS
    code_header = "LAD_Code"
    name_header = "LAD_Name"


class ProductivityITL(_ProductivityBase):
    """Subregional productivity: labour productivity by ITL region (smoothed, unsmoothed, CVM)."""

    name = "ons_productivity_itl"
    dataset = "ons_productivity_itl"
    title = "Subregional productivity: labour productivity by ITL region"
    patterns = ("labourproductivityitls*.xls*", "*productivity*itl*.xls*")
    sheets = ITL_SHEETS
    code_header = "ITL_code"
    name_header = "Region_name"
