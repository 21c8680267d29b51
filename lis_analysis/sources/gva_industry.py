"""ONS Regional gross value added (balanced) by industry: local authorities by ITL1 region.

One workbook per ITL1 region (``regionalgrossvalueaddedbalancedbyindustrylocalauthorities
tlfeastmidlands.xlsx`` ...), part of "Regional economic activity by gross domestic
product, UK" (release of 17 April 2025, data 1998-2023, 2023 provisional). Sheets
``Information``, ``Contents``, ``Notes`` and four tables with the same layout:

==========  =====================================================  ==================
sheet       table (title on row 1)                                 measure
==========  =====================================================  ==================
Table 1     chained volume measures (CVM) index, 2022 equals 100   ``gva_cvm_index``
Table 2     CVM in 2022 money value, pounds million [note 1]       ``gva_cvm``
Table 3     current prices, pounds million                         ``gva_current``
Table 4     implied deflator, 2022 equals 100 [note 2]             ``gva_deflator``
==========  =====================================================  ==================

Each table: title row, then the header ``ITL1 region, LA code, LA name, SIC07, SIC07
description, 1998 ... 2023``, then 49 industry rows per local authority (``Total`` first,
then ``A-E``, ``AB (1-9)``, ``C (10-33)``, sub-sections, some 2-digit divisions, ``68IMP``
imputed rent ... ``T (97-98)``). No footnotes below the data.

Quirks handled here:

- the year header cells are text (``'1998'``) in some files and numbers in others;
- the ``SIC07`` column mixes text (``'49-51'``, ``'AB (1-9)'``) and numbers (``41``,
  ``96``): numbers are kept as the code text (``'41'``, never ``'41.0'``);
- ``ITL1 region`` values carry trailing spaces (``'East '``); descriptions too
  (``'Activities of households '``);
- markers ``[c]`` (confidential, East and South West) and ``[u]`` (low reliability, South
  East and South West) are kept as ``status`` with no value;
- GVA in current prices can be negative for a small industry (South East, Southampton,
  ``AB (1-9)``, 2022: -1), so the money measures and the CVM index are not declared
  non-negative; the implied deflator is (ONS prints ``[u]`` where it would be unusual).

The table a sheet holds is read from its title, not assumed from the sheet name, and the
reference year of the CVM and deflator (``2022 equals 100``) is kept in ``unit``.
The release date is read from the ``Information`` sheet ("published on 17 April 2025").

The SIC07 descriptions of the codes are returned in ``df.attrs["industries"]`` (code ->
description, in published order) and, with each code's parent in the published
hierarchy, in ``df.attrs["metadata"]``; :data:`SIC07_DESCRIPTIONS` holds the published list.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ._base import (
    MARKERS,
    Measure,
    Source,
    Workbook,
    check_codes,
    check_unlabelled_columns,
    clean_text,
    data_rows,
    date_in_text,
    find_row,
    melt_wide,
    parse_block,
    require_columns,
    year_columns,
)
from ._guard import MB

#: Largest workbook read: the real regional workbooks are 0.45-2.2 MB (South East).
MAX_BYTES = 32 * MB

_MEASURES = [
    Measure(
        "gva_cvm_index",
        "index (reference year = 100)",
        "not_aggregable",
        "Balanced GVA, chained volume measure index (reference year = 100; 2022 in the April 2025 release)",
        nonnegative=False,
    ),
    Measure(
        "gva_cvm",
        "GBP million (reference year money value)",
        "additive",
        "Balanced GVA, chained volume measures in reference-year money (£m); chain-linked, so "
        "industries (and areas) do not sum exactly to totals",
        nonnegative=False,
    ),
    Measure(
        "gva_current",
        "GBP million",
        "additive",
        "Balanced GVA at current basic prices (£m), workplace basis",
        nonnegative=False,
    ),
    Measure(
        "gva_deflator",
        "index (reference year = 100)",
        "not_aggregable",
        "Implied GVA deflator (current prices / CVM, reference year = 100); not a regional price index",
    ),
]
MEASURES = {m.id: m for m in _MEASURES}

#: Words in a table's title -> the measure it holds (checked in this order).
TITLE_MEASURES = (
    ("chained volume measures index", "gva_cvm_index"),
    ("chained volume measures in", "gva_cvm"),
    ("current prices", "gva_current"),
    ("implied deflator", "gva_deflator"),
)
TABLE_SHEETS = ("Table 1", "Table 2", "Table 3", "Table 4")

#: The industry rows of each local authority in the April 2025 release, in published
#: order: SIC07 code as printed -> description (trailing spaces removed).
SIC07_DESCRIPTIONS: dict[str, str] = {
    "Total": "All industries",
    "A-E": "Production sector",
    "AB (1-9)": "Agriculture, forestry and fishing; mining and quarrying",
    "C (10-33)": "Manufacturing",
    "CA-CB (10-15)": "Manufacture of food, beverages, textiles and clothing",
    "CC (16-18)": "Manufacture of wood and paper products and printing",
    "CD-CG (19-23)": "Manufacture of petroleum, chemicals and other minerals",
    "CH (24-25)": "Manufacture of basic and fabricated metal products",
    "CI-CL (26-30)": "Manufacture of electrical products and machinery",
    "CM (31-33)": "Other manufacturing, repair and installation",
    "DE (35-39)": "Electricity, gas, water; sewerage and waste management",
    "F (41-43)": "Construction",
    "41": "Construction of buildings",
    "42": "Civil engineering",
    "43": "Specialised construction activities",
    "G-T": "Services sector",
    "G (45-47)": "Wholesale and retail trade; repair of motor vehicles",
    "45": "Motor trades",
    "46": "Wholesale trade",
    "47": "Retail trade",
    "H (49-53)": "Transportation and storage",
    "49-51": "Land, water and air transport",
    "52-53": "Warehousing, transport support, postal and courier activities",
    "I (55-56)": "Accommodation and food service activities",
    "J (58-63)": "Information and communication",
    "58-60": "Publishing; film and TV production and broadcasting",
    "61-63": "Telecommunications; information technology",
    "K (64-66)": "Financial and insurance activities",
    "L (68)": "Real estate activities",
    "68IMP": "Owner-occupiers' imputed rental",
    "68": "Real estate activities, excluding imputed rental",
    "M (69-75)": "Professional, scientific and technical activities",
    "69": "Legal and accounting activities",
    "70": "Head offices and management consultancy",
    "71": "Architectural and engineering activities",
    "72-75": "Other professional, scientific and technical activities",
    "N (77-82)": "Administrative and support service activities",
    "77": "Rental and leasing activities",
    "78-80": "Employment activities; tourism and security services",
    "81": "Services to buildings and landscape activities",
    "82": "Office administration and business support activities",
    "O (84)": "Public administration and defence",
    "P (85)": "Education",
    "Q (86-88)": "Human health and social work activities",
    "R (90-93)": "Arts, entertainment and recreation",
    "S (94-96)": "Other service activities",
    "94-95": "Membership organisations; repair of household goods",
    "96": "Other personal service activities",
    "T (97-98)": "Activities of households",
}


# SIC 2007 sections and the 2-digit divisions they span (for the industry hierarchy).
_SECTION_DIVISIONS = {
    "A": (1, 3), "B": (5, 9), "C": (10, 33), "D": (35, 35), "E": (36, 39), "F": (41, 43),
    "G": (45, 47), "H": (49, 53), "I": (55, 56), "J": (58, 63), "K": (64, 66), "L": (68, 68),
    "M": (69, 75), "N": (77, 82), "O": (84, 84), "P": (85, 85), "Q": (86, 88), "R": (90, 93),
    "S": (94, 96), "T": (97, 98), "U": (99, 99),
}  # fmt: skip


def _industry_span(code: str) -> tuple[int, int, int] | None:
    """(rank, first division, last division) of a published SIC07 code: rank 0 Total,
    1 sector (``A-E``), 2 section (``C (10-33)``), 3 sub-section (``CA-CB (10-15)``),
    4 division(s) (``41``, ``49-51``, ``68IMP``); None if the code is not recognised."""
    if code == "Total":
        return (0, 1, 99)
    m = re.fullmatch(r"([A-U])-([A-U])", code)
    if m:
        return (1, _SECTION_DIVISIONS[m.group(1)][0], _SECTION_DIVISIONS[m.group(2)][1])
    m = re.fullmatch(r"([A-U]{1,2}(?:-[A-U]{2})?) \((\d+)(?:-(\d+))?\)", code)
    if m:
        lo, hi = int(m.group(2)), int(m.group(3) or m.group(2))
        # A section (or run of whole sections: 'AB (1-9)') starts and ends on section
        # boundaries; a sub-section ('CH (24-25)', 'CA-CB (10-15)') does not.
        whole = any(lo == a for a, _ in _SECTION_DIVISIONS.values()) and any(
            hi == b for _, b in _SECTION_DIVISIONS.values()
        )
        return (2 if whole else 3, lo, hi)
    m = re.fullmatch(r"(\d{1,2})(?:-(\d{1,2}))?(IMP)?", code)
    if m:
        lo = int(m.group(1))
        return (4, lo, int(m.group(2) or lo))
    return None


def industry_parents(codes: list[str]) -> dict[str, str | None]:
    """Each published SIC07 code's parent among ``codes``: the code of lower rank whose
    division range contains it most tightly (``41`` -> ``F (41-43)``, ``C (10-33)`` ->
    ``A-E``, ``F (41-43)`` -> ``Total``). None for ``Total`` and unrecognised codes."""
    spans = {c: _industry_span(c) for c in codes}
    out: dict[str, str | None] = {}
    for c, s in spans.items():
        best = None
        if s is not None:
            for p, t in spans.items():
                if t is None or t[0] >= s[0] or not (t[1] <= s[1] and s[2] <= t[2]):
                    continue
                key = (t[2] - t[1], -t[0])
                if best is None or key < best[0]:
                    best = (key, p)
        out[c] = best[1] if best else None
    return out


def _release(book: Workbook) -> str:
    """'2025-04-17' from the Information sheet ("... dataset published on 17 April 2025")."""
    if not book.has("Information"):
        return ""
    text = " ".join(clean_text(c) for row in book.rows("Information") for c in row)
    return date_in_text(text, r"published on ")


_data_rows = data_rows  # shared with the other ONS workbook parsers (see _base)


class GVAIndustryLAD(Source):
    """Regional GVA (balanced) by industry, local authorities by ITL1 region (ONS)."""

    name = "ons_gva_industry_lad"
    dataset = "ons_gva_industry_lad"
    publisher = "Office for National Statistics"
    title = "Regional gross value added (balanced) by industry: local authorities by ITL1 region"
    patterns = ("regionalgrossvalueaddedbalancedbyindustrylocalauthorities*.xls*",)
    measures = MEASURES
    markers = MARKERS

    def _table(self, book: Workbook, sheet: str) -> tuple[pd.DataFrame, dict[str, str]]:
        rows = book.rows(sheet)
        path = book.path
        if not rows:
            raise InputError(path, "the sheet is empty", sheet=sheet)
        title = clean_text(rows[0][0]) if rows[0] else ""
        measure = next((mid for words, mid in TITLE_MEASURES if words in title.lower()), None)
        if measure is None:
            raise InputError(
                path,
                f"title {title[:80]!r} does not name a known table (expected one of: "
                + ", ".join(w for w, _ in TITLE_MEASURES)
                + ")",
                sheet=sheet,
                row=0,
                column=0,
            )
        unit = None
        if measure in ("gva_cvm_index", "gva_deflator"):
            m = re.search(r"(\d{4}) equals 100", title)
            unit = f"index ({m.group(1)}=100)" if m else None
        elif measure == "gva_cvm":
            m = re.search(r"(\d{4}) money value", title)
            unit = f"GBP million ({m.group(1)} money value)" if m else None
        h = find_row(
            rows,
            lambda cells: "la code" in (c.lower() for c in cells),
            file=path,
            sheet=sheet,
            what="header row with 'LA code'",
            limit=10,
        )
        header = rows[h]
        cols = require_columns(
            header,
            ["LA code", "LA name", "SIC07", "SIC07 description"],
            file=path,
            sheet=sheet,
            row=h,
        )
        code_col, name_col, sic_col, desc_col = (
            cols[k] for k in ("LA code", "LA name", "SIC07", "SIC07 description")
        )
        # The label columns (ITL1 region, LA code, LA name, SIC07, description) come
        # first; every header after them must be a year.
        labels_end = max(cols.values()) + 1
        ycols = year_columns(header, file=path, sheet=sheet, row=h, after=labels_end)
        data = _data_rows(rows, h + 1, code_col, file=path, sheet=sheet)
        if not data:
            raise InputError(path, "no data rows under the header", sheet=sheet, row=h)
        # Codes, names and industries repeat 49 and 35-64 times: clean each distinct cell once.
        cache: dict = {}

        def text(v) -> str:
            try:
                return cache[v]
            except KeyError:
                return cache.setdefault(v, clean_text(v))

        codes = [text(rows[r][code_col]) for r in data]
        first: dict[str, int] = {}  # code -> the row it first appears on
        for c, r in zip(codes, data, strict=True):
            first.setdefault(c, r)
        check_codes(
            list(first),
            list(first.values()),
            file=path,
            sheet=sheet,
            col=code_col,
            header="LA code",
        )
        names = [text(rows[r][name_col]) for r in data]
        industries: list[str] = []
        descriptions: dict[str, str] = {}
        for r in data:
            # clean_text turns the numeric codes (41.0) into '41' and strips spaces.
            code = text(rows[r][sic_col]) if sic_col < len(rows[r]) else ""
            if not code:
                raise InputError(
                    path, "empty SIC07 code", sheet=sheet, row=r, column=sic_col, header="SIC07"
                )
            industries.append(code)
            if code not in descriptions:
                descriptions[code] = text(rows[r][desc_col]) if desc_col < len(rows[r]) else ""
        ycol_idx = [y.col for y in ycols]
        check_unlabelled_columns(rows, h, data, ycol_idx, first=labels_end, file=path, sheet=sheet)
        values, status = parse_block(
            rows,
            data,
            ycol_idx,
            file=path,
            sheet=sheet,
            headers=[clean_text(header[c]) for c in ycol_idx],
            markers=self.markers,
            col_status=[y.marker for y in ycols],
        )
        df = melt_wide(
            codes=codes,
            names=names,
            rows=data,
            years=[y.year for y in ycols],
            cols=ycol_idx,
            values=values,
            status=status,
            industry=industries,
            measure=measure,
            unit=unit,
            sheet=sheet,
            breakdown="All",
        )
        return df, descriptions

    def parse(self, path: Path) -> pd.DataFrame:
        """Tidy observations from all four tables present in one regional workbook."""
        path = Path(path)
        book = Workbook(path, max_bytes=MAX_BYTES)
        # A renamed sheet ('Tabel 3') must be an error, not a workbook read without its
        # current-price GVA: ONS publishes these sheets only, and every table its Contents
        # sheet lists must be there.
        book.refuse_unknown_sheets(
            ("Information", "Contents", "Notes", *TABLE_SHEETS),
            "Information, Contents, Notes and " + ", ".join(TABLE_SHEETS),
        )
        book.require_sheets(book.listed_in_contents(TABLE_SHEETS), "(listed in the Contents sheet)")
        sheets = [s for s in book.sheet_names if s.strip() in TABLE_SHEETS]
        if not sheets:
            raise InputError(
                path,
                "no 'Table 1'..'Table 4' sheet (sheets: " + ", ".join(book.sheet_names) + ")",
            )
        parts: list[pd.DataFrame] = []
        industries: dict[str, str] = {}
        seen: dict[str, str] = {}
        for sheet in sheets:
            df, desc = self._table(book, sheet)
            measure = str(df["measure"].iloc[0])
            if measure in seen:
                raise InputError(
                    path,
                    f"sheets {seen[measure]!r} and {sheet!r} both hold {measure}",
                    sheet=sheet,
                    row=0,
                )
            seen[measure] = sheet
            parts.append(df)
            for k, v in desc.items():
                industries.setdefault(k, v)
        out = pd.concat(parts, ignore_index=True)
        out["release"] = _release(book) or np.nan
        out = self.finish(out, path)
        warnings: list[str] = []
        latest = int(out["year"].max())
        info = (
            " ".join(clean_text(c) for row in book.rows("Information") for c in row)
            if book.has("Information")
            else ""
        )
        if "provisional" in info.lower():
            warnings.append(
                f"{latest} figures are provisional (ONS: the latest year's data are provisional)"
            )
        # Markers without a value (a year header's 'p' or note stays on values it flags)
        flagged = out.loc[out["value"].isna(), "status"].dropna()
        if len(flagged):
            counts = flagged.value_counts()
            warnings.append(
                "suppressed cells: "
                + ", ".join(f"{n:,} {m} ({MARKERS.get(m, m)})" for m, n in counts.items())
            )
        title = clean_text(book.rows(sheets[0])[0][0])
        m = re.search(r"ITL1 region: (TL[A-Z]) ([^,]+),", title)
        out.attrs["industries"] = industries
        out.attrs["warnings"] = warnings
        out.attrs["metadata"] = {
            "industries": industries,
            "industry_parents": industry_parents(list(industries)),
            "itl1_code": m.group(1) if m else "",
            "itl1_name": m.group(2).strip() if m else "",
        }
        return out
