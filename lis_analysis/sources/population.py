"""ONS mid-year population estimates by local authority, in three published layouts.

1. ``populationestimatesbylocalauthority.xlsx`` (dataset ``ons_population_la``): the
   "Population data" table published beside the regional GVA tables (regional accounts,
   April 2025): sheet ``Population data``, header on the first row ``ITL1 Region, LA code,
   LA name, 1998 ... 2023`` (years as numbers, the last as text), 361 UK districts, a blank
   row and a ``Source:`` line below. Northern Ireland 2023 cells hold ``[u]`` (the
   ``Notes`` sheet: not yet available). The file carries no date; its release is the known
   one for data to 2023 (April 2025) and is left empty for any other vintage.
2. A Nomis CSV download of "Population estimates - local authority based by single year of
   age" (dataset ``nomis_population_lad``, e.g. ``lad_pop.csv``): title and copyright lines
   (``[from Nomis on 5 June 2024]``, taken as the release: the date Nomis served the
   latest estimates), ``"Gender     :","Total"`` and ``"Age        :","All Ages"`` lines,
   a blank line, the header ``"local authority: ...","mnemonic","1991",...``, a blank line,
   the data, a blank line and footnotes. ``-`` = "These figures are missing". A download
   with several ages or sexes repeats the metadata/header/data block; each block's ``Age``
   line picks the measure (``All Ages`` -> ``population``, ``Aged 16 - 64`` ->
   ``population_16_64``, ``Aged 0 - 15``, ``Aged 65+``) and ``Gender``/``Sex`` the
   ``breakdown`` (``Total`` -> ``All``).
3. ``ukpopestimatesmid2020on2021geography.xls`` (dataset ``ons_population_mye``): the
   "Mid-Year Population Estimates, UK, June 2020" workbook. Sheet ``MYE2 - Persons``:
   seven boilerplate rows, header ``Code, Name, Geography, All ages, 0, 1, ..., 89, 90+``;
   countries, regions, counties and districts (420 rows). ``population`` is ``All ages``;
   ``population_0_15``, ``population_16_64`` and ``population_65_plus`` are sums of the
   single years (``row``/``col`` point at the first age summed). Sheet ``MYE4`` (optional)
   gives totals for mid-2001 to mid-2020 in **descending** year columns (``Mid-2020``,
   ``Mid-2019``, ... one header with a leading space); it supplies ``population`` for the
   years other than the MYE2 year and its MYE2-year column is checked against ``All ages``.
   Codes and names may carry non-breaking spaces (``'E06000061\\xa0'``), removed here.
   The year is read from the MYE2 title ("... mid-2020"); the release from the cover sheet
   ("Date published: 25th June 2021").

   **Caution:** estimates for mid-2020 and earlier in this workbook are on the pre-Census-
   2021 basis (not rebased; ONS revised mid-2012 to mid-2020 for England and Wales in
   2023). They differ from the rebased series in files 1 and 2 (Leicester mid-2020:
   354,036 here, 368,922 rebased) and must not be spliced into one time series. The
   parser says so in ``df.attrs["warnings"]``.
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
    check_row_widths,
    check_unlabelled_columns,
    clean_text,
    data_rows,
    date_in_text,
    find_row,
    is_geography_code,
    melt_wide,
    parse_block,
    read_csv_rows,
    require_columns,
    tidy,
    year_columns,
)
from ._guard import MB

#: Largest files read. The real 'Population data' workbook is 0.1 MB, the MYE workbook
#: 2.8 MB (a legacy .xls) and the Nomis CSV 90 KB; a download of every single year of
#: age and both sexes for all districts is about 4 MB.
MAX_WORKBOOK_BYTES = 16 * MB
MAX_CSV_BYTES = 64 * MB

_POPULATION = Measure(
    "population", "persons", "additive", "Usual resident population, all ages, at 30 June"
)
_AGE_MEASURES = [
    Measure(
        "population_0_15",
        "persons",
        "additive",
        "Usual resident population aged 0 to 15, at 30 June",
    ),
    Measure(
        "population_16_64",
        "persons",
        "additive",
        "Usual resident population aged 16 to 64 (working age), at 30 June",
    ),
    Measure(
        "population_65_plus",
        "persons",
        "additive",
        "Usual resident population aged 65 and over, at 30 June",
    ),
]
ALL_MEASURES = {m.id: m for m in [_POPULATION, *_AGE_MEASURES]}

#: Age bands summed from the MYE2 single years (inclusive; 90 is the '90+' column).
AGE_BANDS = {
    "population_0_15": (0, 15),
    "population_16_64": (16, 64),
    "population_65_plus": (65, 90),
}


_data_rows = data_rows  # shared with the other ONS workbook parsers (see _base)


def _status_warning(df: pd.DataFrame, notes: dict[str, str] | None = None) -> list[str]:
    """One line per marker found: how many cells, which years, and what it means."""
    out = []
    flagged = df[df["status"].notna()]
    for marker, grp in flagged.groupby("status", sort=True):
        years = sorted(set(grp["year"].dropna().astype(int)))
        span = f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"
        meaning = (notes or {}).get(str(marker)) or MARKERS.get(str(marker), "")
        meaning = meaning if len(meaning) <= 160 else meaning[:157] + "..."
        out.append(
            f"{len(grp):,} cells marked {marker} ({span}; {grp['geography_code'].nunique()} areas): {meaning}"
        )
    return out


# --------------------------------------------------------------------------------------
# 1. ONS 'Population data' table (regional accounts)
# --------------------------------------------------------------------------------------


#: Population series that predate the rebasing on Census 2021, in words a page prints
#: beside a figure weighted by them (issue 14: a measure that can only use the
#: un-rebased mid-2020 working-age population says so).
NOT_REBASED = {
    "ons_population_mye": "mid-2020 estimates on the pre-Census-2021 basis, not rebased",
}


class PopulationLA(Source):
    """ONS population estimates by local authority, 1998 onwards ('Population data' table)."""

    name = "ons_population_la"
    dataset = "ons_population_la"
    publisher = "Office for National Statistics"
    title = "Population estimates by local authority (regional accounts 'Population data' table)"
    patterns = ("populationestimatesbylocalauthority*.xls*",)
    measures = {"population": _POPULATION}
    #: The release known for the file whose latest year is the key (the file has no date).
    KNOWN_RELEASES = {2023: "2025-04"}

    def parse(self, path: Path) -> pd.DataFrame:
        """Tidy ``population`` observations, one per district and year."""
        path = Path(path)
        book = Workbook(path, max_bytes=MAX_WORKBOOK_BYTES)
        sheet = book.find_sheet("Population data")
        rows = book.rows(sheet)
        h = find_row(
            rows,
            lambda c: "la code" in (x.lower() for x in c),
            file=path,
            sheet=sheet,
            what="header row with 'LA code'",
            limit=10,
        )
        cols = require_columns(rows[h], ["LA code", "LA name"], file=path, sheet=sheet, row=h)
        first = max(cols.values()) + 1  # 'ITL1 Region', 'LA code', 'LA name', then years
        ycols = year_columns(rows[h], file=path, sheet=sheet, row=h, after=first)
        data = _data_rows(rows, h + 1, cols["LA code"], file=path, sheet=sheet)
        if not data:
            raise InputError(path, "no data rows under the header", sheet=sheet, row=h)
        codes = [clean_text(rows[r][cols["LA code"]]) for r in data]
        check_codes(codes, data, file=path, sheet=sheet, col=cols["LA code"], header="LA code")
        names = [clean_text(rows[r][cols["LA name"]]) for r in data]
        ci = [y.col for y in ycols]
        check_unlabelled_columns(rows, h, data, ci, first=first, file=path, sheet=sheet)
        values, status = parse_block(
            rows,
            data,
            ci,
            file=path,
            sheet=sheet,
            headers=[clean_text(rows[h][c]) for c in ci],
            col_status=[y.marker for y in ycols],
        )
        df = melt_wide(
            codes=codes,
            names=names,
            rows=data,
            years=[y.year for y in ycols],
            cols=ci,
            values=values,
            status=status,
            measure="population",
            sheet=sheet,
            industry="Total",
            breakdown="All",
        )
        latest = max(y.year for y in ycols)
        df["release"] = self.KNOWN_RELEASES.get(latest, np.nan)
        out = self.finish(df, path)
        notes = {}
        if book.has("Notes"):
            for row in book.rows("Notes"):
                if len(row) > 1 and clean_text(row[0]) in MARKERS:
                    notes[clean_text(row[0])] = clean_text(row[1])
        warnings = _status_warning(out, notes)
        if latest not in self.KNOWN_RELEASES:
            warnings.append(f"the file does not state its release; data run to {latest}")
        out.attrs["warnings"] = warnings
        return out


# --------------------------------------------------------------------------------------
# 2. Nomis CSV download
# --------------------------------------------------------------------------------------

#: Nomis 'Age' labels (spaces removed, lower case) -> measure.
NOMIS_AGES = {
    "allages": "population",
    "aged16-64": "population_16_64",
    "aged0-15": "population_0_15",
    "aged65+": "population_65_plus",
}
NOMIS_SEXES = {
    "total": "All",
    "allpersons": "All",
    "male": "Male",
    "males": "Male",
    "female": "Female",
    "females": "Female",
}


class NomisPopulationLAD(Source):
    """Nomis 'Population estimates - local authority based by single year of age' CSV."""

    name = "nomis_population_lad"
    dataset = "nomis_population_lad"
    publisher = "Office for National Statistics (via Nomis)"
    title = "Population estimates - local authority based by single year of age (Nomis)"
    patterns = ("*pop*.csv", "nomis*.csv")
    measures = ALL_MEASURES

    def sniff(self, path: Path) -> bool:
        try:
            with open(path, "rb") as fh:
                head = fh.read(4096).decode("utf-8", "ignore").lower()
        except OSError:
            return False
        return "population estimates - local authority based" in head and "mnemonic" in head

    def parse(self, path: Path) -> pd.DataFrame:
        """Tidy observations from every block (one per age/sex selection) of the download."""
        path = Path(path)
        rows = read_csv_rows(path, max_bytes=MAX_CSV_BYTES)
        if not any(any(c.strip() for c in r) for r in rows):
            raise InputError(path, "the file has no content (blank lines only)")
        cells = [[c.strip() for c in r] for r in rows]
        release = ""
        meta: dict[str, tuple[str, int]] = {}
        parts: list[pd.DataFrame] = []
        i = 0
        n = len(cells)
        while i < n:
            row = cells[i]
            nonblank = [c for c in row if c]
            if not nonblank:
                i += 1
                continue
            joined = " ".join(nonblank)
            m = re.search(r"\[from Nomis on ([^\]]+)\]", joined)
            if m and not release:
                release = date_in_text(m.group(1))
            if len(row) >= 2 and row[0].endswith(":"):
                meta[re.sub(r"\s+", " ", row[0][:-1]).strip().lower()] = (row[1], i)
                i += 1
                continue
            if any(c.lower() == "mnemonic" for c in row):
                df, i = self._block(cells, i, meta, path)
                parts.append(df)
                continue
            if len(row) > 1 and is_geography_code(row[1]):
                raise InputError(
                    path, "data row outside a table (no header line above it)", row=i, column=1
                )
            i += 1  # title, copyright and footnote lines
        if not parts:
            raise InputError(
                path, "no header line with 'mnemonic' found (not a Nomis table download?)"
            )
        out = self.finish(
            pd.concat(parts, ignore_index=True).assign(release=release or np.nan), path
        )
        out.attrs["warnings"] = _status_warning(out, {"-": "These figures are missing (Nomis)"})
        return out

    def _block(
        self, cells: list[list[str]], h: int, meta: dict[str, tuple[str, int]], path: Path
    ) -> tuple[pd.DataFrame, int]:
        """One table: header at row ``h``, optional blank line, data up to a blank line."""
        header = cells[h]
        age, age_row = meta.get("age", ("", None))
        measure = NOMIS_AGES.get(re.sub(r"\s+", "", age).lower())
        if measure is None:
            if age_row is None:
                raise InputError(
                    path,
                    "no 'Age :' line above the table, so the population measured is unknown",
                    row=h,
                )
            raise InputError(
                path,
                f"age {age!r} is not one this parser reads (known: All Ages, Aged 16 - 64, Aged 0 - 15, Aged 65+)",
                row=age_row,
                column=1,
            )
        sex, sex_row = meta.get("gender", meta.get("sex", ("Total", None)))
        breakdown = NOMIS_SEXES.get(re.sub(r"\s+", "", sex).lower())
        if breakdown is None:
            raise InputError(
                path, f"gender {sex!r} is not Total, Male or Female", row=sex_row, column=1
            )
        code_col = next(j for j, c in enumerate(header) if c.lower() == "mnemonic")
        name_col = 0 if code_col != 0 else 1
        first = max(code_col, name_col) + 1
        ycols = year_columns(header, file=path, sheet=None, row=h, after=first)
        r = h + 1
        while r < len(cells) and not any(cells[r]):
            r += 1
        data: list[int] = []
        while r < len(cells) and any(cells[r]):
            code = cells[r][code_col] if code_col < len(cells[r]) else ""
            if not code:
                raise InputError(
                    path,
                    "empty geography code in a data row",
                    row=r,
                    column=code_col,
                    header="mnemonic",
                )
            data.append(r)
            r += 1
        if not data:
            raise InputError(path, "no data rows under the header", row=h)
        codes = [cells[k][code_col] for k in data]
        check_codes(codes, data, file=path, sheet=None, col=code_col, header="mnemonic")
        names = [cells[k][name_col] for k in data]
        ci = [y.col for y in ycols]
        # A row longer than the header would shift every later year; a shorter one is cut.
        check_row_widths(cells, data, len(header), file=path)
        check_unlabelled_columns(cells, h, data, ci, first=first, file=path, sheet=None)
        values, status = parse_block(
            cells,
            data,
            ci,
            file=path,
            sheet=None,
            headers=[header[c] for c in ci],
            col_status=[y.marker for y in ycols],
        )
        df = melt_wide(
            codes=codes,
            names=names,
            rows=data,
            years=[y.year for y in ycols],
            cols=ci,
            values=values,
            status=status,
            measure=measure,
            industry="Total",
            breakdown=breakdown,
        )
        return df, r


# --------------------------------------------------------------------------------------
# 3. ONS mid-year estimates workbook (MYE2 single year of age, MYE4 totals)
# --------------------------------------------------------------------------------------


class PopulationMYE(Source):
    """ONS Mid-Year Population Estimates workbook: MYE2 - Persons (single year of age) and MYE4."""

    name = "ons_population_mye"
    dataset = "ons_population_mye"
    publisher = "Office for National Statistics"
    title = "Population estimates for the UK, England and Wales, Scotland and Northern Ireland (MYE tables)"
    patterns = ("ukpopestimatesmid*.xls*",)
    measures = ALL_MEASURES
    #: Workbooks for this mid-year or earlier predate the Census 2021 rebasing.
    LAST_UNREBASED_YEAR = 2020

    def _release(self, book: Workbook) -> str:
        for sheet in ("Cover sheet", "Cover"):
            if book.has(sheet):
                text = " ".join(clean_text(c) for row in book.rows(sheet) for c in row)
                m = re.search(r"date published:?\s*(.{0,40})", text, re.IGNORECASE) or re.search(
                    r"originally published[^.]*?(\d{1,2}\s+\w+\s+\d{4})", text, re.IGNORECASE
                )
                if m and date_in_text(m.group(1)):
                    return date_in_text(m.group(1))
        return ""

    def parse(self, path: Path) -> pd.DataFrame:
        """``population`` and age-band populations for the MYE2 year; ``population`` for
        the other MYE4 years."""
        path = Path(path)
        book = Workbook(path, max_bytes=MAX_WORKBOOK_BYTES)
        sheet = book.find_sheet("MYE2 - Persons", "MYE2 - All", "MYE2 Persons")
        rows = book.rows(sheet)
        title = clean_text(rows[0][0]) if rows and rows[0] else ""
        m = re.search(r"mid-(\d{4})", title, re.IGNORECASE)
        if not m:
            raise InputError(
                path,
                f"title {title[:80]!r} does not say which mid-year it is ('mid-YYYY')",
                sheet=sheet,
                row=0,
                column=0,
            )
        year = int(m.group(1))
        h = find_row(
            rows,
            lambda c: bool(c) and c[0].lower() == "code" and "all ages" in (x.lower() for x in c),
            file=path,
            sheet=sheet,
            what="header row with 'Code' and 'All ages'",
            limit=20,
        )
        header = rows[h]
        cols = require_columns(header, ["Code", "Name", "All ages"], file=path, sheet=sheet, row=h)
        labels = [clean_text(x) for x in header]
        age_col: dict[int, int] = {}
        for a in range(0, 91):
            label = "90+" if a == 90 else str(a)
            if label not in labels:
                raise InputError(
                    path,
                    f"expected age column {label!r} in the header row (single years 0..89 and '90+')",
                    sheet=sheet,
                    row=h,
                )
            age_col[a] = labels.index(label)
        data = _data_rows(rows, h + 1, cols["Code"], file=path, sheet=sheet)
        if not data:
            raise InputError(path, "no data rows under the header", sheet=sheet, row=h)
        codes = [clean_text(rows[r][cols["Code"]]) for r in data]
        check_codes(codes, data, file=path, sheet=sheet, col=cols["Code"], header="Code")
        names = [clean_text(rows[r][cols["Name"]]) for r in data]
        block_cols = [cols["All ages"], *(age_col[a] for a in range(91))]
        check_unlabelled_columns(
            rows, h, data, block_cols, first=cols["All ages"], file=path, sheet=sheet
        )
        values, status = parse_block(
            rows, data, block_cols, file=path, sheet=sheet, headers=[labels[c] for c in block_cols]
        )
        ages_v, ages_s = values[:, 1:], status[:, 1:]
        parts = [
            tidy(
                measure="population",
                geography_code=codes,
                geography_name=names,
                value=values[:, 0],
                status=status[:, 0],
                row=data,
                col=cols["All ages"],
            )
        ]
        for mid, (lo, hi) in AGE_BANDS.items():
            band_v = ages_v[:, lo : hi + 1]
            band_s = ages_s[:, lo : hi + 1]
            # A band with a marked (missing) single year is missing, with that marker.
            first_marker = [next((s for s in row if s is not None), None) for row in band_s]
            parts.append(
                tidy(
                    measure=mid,
                    geography_code=codes,
                    geography_name=names,
                    value=np.where([s is None for s in first_marker], band_v.sum(axis=1), np.nan),
                    status=first_marker,
                    row=data,
                    col=age_col[lo],
                )
            )
        warnings: list[str] = []
        ok = np.all([[s is None for s in r] for r in status], axis=1)
        diff = ok & (np.abs(ages_v.sum(axis=1) - values[:, 0]) > 0.5)
        if diff.any():
            k = int(np.flatnonzero(diff)[0])
            warnings.append(
                f"{int(diff.sum())} areas where single years of age do not sum to 'All ages' "
                f"(first: {codes[k]} at row {data[k] + 1})"
            )
        df = pd.concat(parts, ignore_index=True)
        df["sheet"] = sheet
        df["year"] = year
        df["period"] = str(year)
        # MYE4 (the earlier years) is read when present; when the workbook's Contents lists
        # it, it must be present (a renamed sheet must not drop twenty years silently).
        book.require_sheets(book.listed_in_contents(["MYE4"]), "(listed in the Contents sheet)")
        mye4_sheet = next((s for s in book.sheet_names if s.strip().lower() == "mye4"), None)
        if mye4_sheet is not None:
            mye4, w = self._mye4(
                book, mye4_sheet, year, dict(zip(codes, values[:, 0], strict=True)), path
            )
            df = pd.concat([df, mye4], ignore_index=True)
            warnings += w
        df["industry"] = "Total"
        df["breakdown"] = "All"
        df["release"] = self._release(book) or np.nan
        out = self.finish(df, path)
        if year <= self.LAST_UNREBASED_YEAR:
            # A workbook for mid-2020 or earlier was published before Census 2021: all its
            # years are on the old basis. (Later workbooks are Census-2021 based.)
            warnings.insert(
                0,
                f"mid-year estimates for {int(out['year'].min())}-{year} in this workbook are on the "
                "pre-Census-2021 basis (not rebased): they differ from the rebased series "
                "(ons_population_la, nomis_population_lad) and must not be spliced with them",
            )
        out.attrs["warnings"] = warnings
        return out

    def _mye4(
        self, book: Workbook, sheet: str, year: int, all_ages: dict[str, float], path: Path
    ) -> tuple[pd.DataFrame, list[str]]:
        """Totals for the MYE4 years other than ``year``; its ``year`` column checked."""
        rows = book.rows(sheet)
        h = find_row(
            rows,
            lambda c: bool(c) and c[0].lower() == "code",
            file=path,
            sheet=sheet,
            what="header row with 'Code'",
            limit=20,
        )
        cols = require_columns(rows[h], ["Code", "Name"], file=path, sheet=sheet, row=h)
        labels = [clean_text(c).lower() for c in rows[h]]
        # Code, Name and (in the published layout) Geography, then the Mid-YYYY columns
        first = max(*cols.values(), labels.index("geography") if "geography" in labels else 0) + 1
        ycols = year_columns(rows[h], prefix="Mid-", file=path, sheet=sheet, row=h, after=first)
        data = _data_rows(rows, h + 1, cols["Code"], file=path, sheet=sheet)
        codes = [clean_text(rows[r][cols["Code"]]) for r in data]
        check_codes(codes, data, file=path, sheet=sheet, col=cols["Code"], header="Code")
        names = [clean_text(rows[r][cols["Name"]]) for r in data]
        ci = [y.col for y in ycols]
        check_unlabelled_columns(rows, h, data, ci, first=first, file=path, sheet=sheet)
        values, status = parse_block(
            rows,
            data,
            ci,
            file=path,
            sheet=sheet,
            headers=[clean_text(rows[h][c]) for c in ci],
            col_status=[y.marker for y in ycols],
        )
        warnings = []
        years = [y.year for y in ycols]
        if year in years:
            j = years.index(year)
            bad = [
                c
                for c, v in zip(codes, values[:, j], strict=True)
                if c in all_ages and abs(all_ages[c] - v) > 0.5
            ]
            if bad:
                warnings.append(
                    f"MYE4 mid-{year} differs from MYE2 'All ages' for {len(bad)} areas (first: {bad[0]}); MYE2 kept"
                )
        keep = [j for j, y in enumerate(years) if y != year]
        df = melt_wide(
            codes=codes,
            names=names,
            rows=data,
            years=[years[j] for j in keep],
            cols=[ci[j] for j in keep],
            values=values[:, keep],
            status=status[:, keep],
            measure="population",
            sheet=sheet,
        )
        return df, warnings
