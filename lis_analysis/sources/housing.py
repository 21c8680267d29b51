"""ONS house price to workplace-based earnings ratio (housing affordability), England and Wales.

Published once a year as ``ratioofhousepricetoworkplacebasedearnings.xlsx`` (the copy
read in tests is ``aff1ratioofhousepricetoworkplacebasedearnings2024.xlsx``, data to 2024,
released 24 March 2025 with the bulletin "Housing affordability in England and Wales:
2024"). House prices are the House Price Statistics for Small Areas (HPSSA), **year
ending September**; earnings are ASHE gross annual earnings of **full-time** employees
by **workplace** (annualised weekly earnings where annual ones are not available).

Sheets (each: title on row 0, header on row 1, data from row 2, no footnotes):

=========  ===================================  ==========================================
sheets     geography                            measures (median ``a``/``b``/``c``,
                                                lower quartile in the next pair)
=========  ===================================  ==========================================
1a-1c      England and Wales, countries,        ``house_price_median``,
2a-2c      regions (``Code``, ``Name``)          ``earnings_median``, ``affordability_ratio_median``;
3a-3c      counties (England)                   ``house_price_lower_quartile``,
4a-4c                                           ``earnings_lower_quartile``,
5a-5c      local authority districts            ``affordability_ratio_lower_quartile``
6a-6c      (``Region code``, ``Region name ``,
           ``Local authority code``, ``Local authority name``)
=========  ===================================  ==========================================

Quirks: year headers are text (``'2024'``) or, in the price tables, "Year ending Sep
1997"; either may appear as numbers in other editions, which is accepted. The ratio
sheets end with a ``5-year average`` column, kept as its own measure
(``affordability_ratio_median_5yr_average``, the mean of the last five annual ratios,
period ``2020-2024``, year 2024). ``[x]`` = no data available (kept as status). Cells in
bold grey mark earnings that are annualised weekly earnings (mostly 1997-1998, and a few
districts in later years): that is formatting only and is not read; the Metadata sheet
says so and the documentation repeats it.

All measures are ``not_aggregable``: medians, lower quartiles and ratios of medians
cannot be combined across districts (an area's ratio is not the mean of its districts'
ratios). ``period`` is the year (house prices: year ending September of that year).
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
    parse_block,
    tidy,
    year_header,
)
from ._guard import MB

#: Largest workbook read: the real 2024 edition is 0.51 MB.
MAX_BYTES = 16 * MB

MARKERS = ("[x]",)

_M = [
    (
        "house_price_median",
        "GBP",
        "Median price paid for residential property, year ending September (HPSSA)",
    ),
    (
        "earnings_median",
        "GBP per year",
        "Median gross annual earnings of full-time employees, workplace-based (ASHE)",
    ),
    (
        "affordability_ratio_median",
        "ratio",
        "Ratio of median house price to median gross annual workplace-based earnings",
    ),
    (
        "house_price_lower_quartile",
        "GBP",
        "Lower quartile price paid for residential property, year ending September (HPSSA)",
    ),
    (
        "earnings_lower_quartile",
        "GBP per year",
        "Lower quartile gross annual earnings of full-time employees, workplace-based (ASHE)",
    ),
    (
        "affordability_ratio_lower_quartile",
        "ratio",
        "Ratio of lower quartile house price to lower quartile gross annual workplace-based earnings",
    ),
]
MEASURES = {m: Measure(m, unit, "not_aggregable", desc) for m, unit, desc in _M}
for _base_id in ("affordability_ratio_median", "affordability_ratio_lower_quartile"):
    MEASURES[f"{_base_id}_5yr_average"] = Measure(
        f"{_base_id}_5yr_average",
        "ratio",
        "not_aggregable",
        MEASURES[_base_id].description
        + ": average of the five years to the period's end year, as published",
    )

#: sheet letter -> measure; sheet number -> (median or lower quartile, layout)
LETTERS = {"a": "house_price", "b": "earnings", "c": "affordability_ratio"}
NUMBERS = {
    1: ("median", "area"),
    2: ("lower_quartile", "area"),
    3: ("median", "area"),
    4: ("lower_quartile", "area"),
    5: ("median", "lad"),
    6: ("lower_quartile", "lad"),
}
#: "Year ending Sep 2024" (the price tables) before the year itself.
_YEAR_ENDING_RE = re.compile(r"^year ending sep\w*\s+", re.IGNORECASE)
#: The workbook's front sheets (the tables are '1a' ... '6c').
_FRONT_SHEETS = ("Contents", "Metadata", "Terms and Conditions")


class HousingAffordability(Source):
    """House price to workplace-based earnings ratio (ONS housing affordability tables)."""

    name = "ons_housing_affordability"
    dataset = "ons_housing_affordability"
    publisher = "Office for National Statistics"
    title = "House price to workplace-based earnings ratio"
    patterns = ("*ratioofhousepricetoworkplacebasedearnings*.xls*",)
    measures = MEASURES

    #: Release of the edition by its latest data year (bulletin release dates).
    RELEASES = {2024: "2025-03-24"}

    def parse(self, path: Path) -> pd.DataFrame:
        path = Path(path)
        book = Workbook(path, max_bytes=MAX_BYTES)
        # A renamed sheet must be an error, not a table left out: the workbook holds its
        # front sheets and the tables 1a-6c only, and every table its Contents sheet lists
        # ("Table 5c (Median affordability ratio)") must be present.
        book.refuse_unknown_sheets(
            lambda s: (
                s.strip().lower() in {f.lower() for f in _FRONT_SHEETS}
                or bool(re.fullmatch(r"[1-6][abc]", s.strip()))
            ),
            "Contents, Metadata, Terms and Conditions and the tables 1a ... 6c",
        )
        book.require_sheets(self._listed(book), "(listed in the Contents sheet)")
        sheets = {}
        for s in book.sheet_names:
            m = re.fullmatch(r"([1-6])([abc])", s.strip())
            if m:
                sheets[s] = (int(m.group(1)), m.group(2))
        if not any(n in (1, 5) and x == "c" for n, x in sheets.values()):
            raise InputError(
                path,
                f"no ratio sheets '1c' or '5c' (sheets: {', '.join(book.sheet_names)}): not the housing affordability workbook?",
            )
        parts = [self._sheet(book, s, n, x) for s, (n, x) in sheets.items()]
        df = tidy(
            **{k: np.concatenate([p[k] for p in parts]) for k in parts[0]},
            industry="Total",
            breakdown="All",
        )
        latest = int(df["year"].max())
        df["release"] = self.RELEASES.get(latest)
        out = self.finish(df, path)
        out.attrs["warnings"] = []
        return out

    @staticmethod
    def _listed(book: Workbook) -> list[str]:
        """The tables the Contents sheet lists ('Table 1a (Median house price)' -> '1a')."""
        sheet = next((s for s in book.sheet_names if s.strip().lower() == "contents"), None)
        if sheet is None:
            return []
        out = []
        for row in book.rows(sheet):
            m = re.match(r"^table\s+([1-6][abc])\b", clean_text(row[0]) if row else "", re.I)
            if m:
                out.append(m.group(1).lower())
        return list(dict.fromkeys(out))

    def _sheet(self, book: Workbook, sheet: str, number: int, letter: str) -> dict[str, np.ndarray]:
        path = book.path
        rows = book.rows(sheet)
        stat, layout = NUMBERS[number]
        measure = f"{LETTERS[letter]}_{stat}"
        if len(rows) < 3:
            raise InputError(path, "the sheet has no header and data rows", sheet=sheet)
        header = [clean_text(c) for c in rows[1]]
        low = [h.lower() for h in header]
        if layout == "lad":
            need = ["region code", "region name", "local authority code", "local authority name"]
            code_col, name_col = 2, 3
        else:
            need = ["code", "name"]
            code_col, name_col = 0, 1
        if low[: len(need)] != need:
            raise InputError(
                path,
                f"expected header {', '.join(repr(n) for n in need)} on row 2, found {', '.join(repr(h) for h in header[: len(need)])}",
                sheet=sheet,
                row=1,
            )
        cols: list[int] = []
        years: list[int | None] = []
        markers: list[str | None] = []
        measures: list[str] = []
        for j in range(len(need), len(header)):
            h = header[j]
            if not h:
                continue
            try:
                found = year_header(_YEAR_ENDING_RE.sub("", h))
            except ValueError:
                raise InputError(
                    path,
                    f"year header {h[:40]!r} carries a marker this parser does not read "
                    "(read: (p), (provisional), (r), (revised), [note N])",
                    sheet=sheet,
                    row=1,
                    column=j,
                ) from None
            if found:
                cols.append(j)
                years.append(found[0])
                markers.append(found[1])
                measures.append(measure)
            elif h.lower() == "5-year average" and letter == "c":
                cols.append(j)
                years.append(None)  # the last year before it, set below
                markers.append(None)
                measures.append(f"{measure}_5yr_average")
            else:
                raise InputError(
                    path, f"unexpected column header {h!r}", sheet=sheet, row=1, column=j, header=h
                )
        if not any(y for y in years):
            raise InputError(path, "no year columns in the header row", sheet=sheet, row=1)
        dup = [y for y in years if y and years.count(y) > 1]
        if dup:
            raise InputError(
                path,
                f"year {dup[0]} is printed twice in the header row",
                sheet=sheet,
                row=1,
                column=cols[len(years) - 1 - years[::-1].index(dup[0])],
            )
        last = max(y for y in years if y)
        periods = [str(y) if y else f"{last - 4}-{last}" for y in years]
        years = [y or last for y in years]
        data_rows = []
        for r in range(2, len(rows)):
            line = rows[r]
            if not clean_text(line[code_col] if code_col < len(line) else ""):
                break
            data_rows.append(r)
        for k in range(data_rows[-1] + 1 if data_rows else 2, len(rows)):
            line = rows[k]
            if any(isinstance(line[c], (int, float)) for c in cols if c < len(line)):
                raise InputError(
                    path,
                    "numbers in a row without an area code",
                    sheet=sheet,
                    row=k,
                    column=code_col,
                )
        if not data_rows:
            raise InputError(path, "no data rows under the header", sheet=sheet, row=1)
        codes = [clean_text(rows[r][code_col]) for r in data_rows]
        names = [clean_text(rows[r][name_col]) for r in data_rows]
        check_codes(codes, data_rows, file=path, sheet=sheet, col=code_col, header=header[code_col])
        check_unlabelled_columns(rows, 1, data_rows, cols, first=len(need), file=path, sheet=sheet)
        values, status = parse_block(
            rows,
            data_rows,
            cols,
            file=path,
            sheet=sheet,
            headers=[header[c] for c in cols],
            markers=MARKERS,
            col_status=markers,
        )
        n, ncol = len(data_rows), len(cols)
        return {
            "geography_code": np.repeat(np.asarray(codes, dtype=object), ncol),
            "geography_name": np.repeat(np.asarray(names, dtype=object), ncol),
            "measure": np.tile(np.asarray(measures, dtype=object), n),
            "year": np.tile(np.asarray(years), n),
            "period": np.tile(np.asarray(periods, dtype=object), n),
            "value": values.reshape(-1),
            "status": status.reshape(-1),
            "row": np.repeat(np.asarray(data_rows), ncol),
            "col": np.tile(np.asarray(cols), n),
            "sheet": np.full(n * ncol, sheet, dtype=object),
        }
