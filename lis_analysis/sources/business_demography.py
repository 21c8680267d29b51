"""ONS Business Demography, UK: enterprise births, deaths, actives, survival and high growth.

Published once a year as ``businessdemographyexceltables<year>.xlsx`` (the 2024 edition,
published 20 November 2025, covers 2019-2024). Counts come from the Inter-Departmental
Business Register and are control-rounded to base 5. This parser reads the area tables
(districts, counties, regions, countries):

=================  ==========================================  =====================
sheets             what                                        measures
=================  ==========================================  =====================
Table 1.1a-d       births of new enterprises                   ``births``
Table 2.1a-d       deaths of enterprises                       ``deaths``
Table 3.1a-d       active enterprises                          ``active``
Table 5.1a-e       survival of the enterprises born in a year  ``survival_<k>yr``,
                   (1- to 5-year counts and per cent)          ``survival_rate_<k>yr``
Table 6.1          employer births, deaths, active (latest)    ``employer_*``
Table 7.1a-d       high-growth enterprises                     ``high_growth``
Table 7.3a-d       active enterprises with 10+ employees       ``active_10plus``
=================  ==========================================  =====================

The SIC tables (x.2), the regional survival tables (4.1, 4.2), revisions (8) and
reactivations (9) are not read.

Layout of an area table: rows 0-2 title / "This worksheet contains one table" / units;
row 3 the header: two blank cells then years (``2021`` as text, ``2022.0`` as numbers, in
the same row) or, in the survival tables, "2019 Births", "1-year survival",
"1-year      per cent" (runs of spaces inside), ...; Table 6.1 has a second header row
("Births", "Deaths", "Active") under "2024 Employer Demography". Data from the next row:
column A the area code (often with a trailing space), column B the name (leading spaces
as an indent; a trailing ``*`` flags districts with more than 500 businesses registered
at a single postcode, note 13). Each table is on the geography of its year, so the
2019 table lists districts abolished since.

Quirks handled:

* ``:`` = not applicable (survival years not yet reached) is kept as a status.
* Names ending ``*`` (note 13) lose the star (``Source.finish``); the flag stays on the
  figures as their status, the note's reference as printed (``[note 13]``), and each
  flagged area is listed in ``df.attrs["warnings"]`` with the tables that flag it: its
  counts may be distorted by mass registrations at one address (Leicester is flagged in
  2020-2023). Pages carry the flag with the note's words (caveat A17).
* Table 7.1d (2024) has two stray numbers below the table, with neither code nor name;
  they are reported as a warning and not loaded.
* The births column of the survival tables repeats the births table of the same year;
  it is not emitted again (the survival rates name ``births`` as their denominator), but
  the two are compared and any difference is a warning.

``period`` is the reference year; for survival it is the **birth year of the cohort**
(``survival_3yr`` for period 2019 = enterprises born in 2019 still active three years
later). ``release`` is read from the "Date published" line of the Cover or Contents sheet.
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
    date_in_text,
    find_row,
    parse_block,
    tidy,
    year_columns,
    year_header,
)
from ._guard import MB

#: Largest workbook read: the real 2024 edition is 0.94 MB.
MAX_BYTES = 32 * MB

#: Markers printed in these tables (``:`` = not applicable).
BD_MARKERS = (":",)
#: The status of a figure whose row ONS flags with a trailing ``*`` (the note on multiple
#: registrations at a single postcode, note 13 in the 2024 edition; read from the Notes
#: sheet, this when the sheet does not say).
FLAG_MARKER = "[note 13]"
_COUNT = "enterprises"


def _measures() -> dict[str, Measure]:
    out = [
        Measure(
            "births",
            _COUNT,
            "additive",
            "Births of new enterprises in the year (count, rounded to 5)",
        ),
        Measure(
            "deaths",
            _COUNT,
            "additive",
            "Deaths of enterprises in the year (count, rounded to 5); latest years adjusted for reactivations",
        ),
        Measure(
            "active",
            _COUNT,
            "additive",
            "Active enterprises in the year (turnover or employment at any time; count, rounded to 5)",
        ),
        Measure(
            "high_growth",
            _COUNT,
            "additive",
            "High-growth enterprises (10+ employees, >20% a year employment growth over 3 years; count)",
        ),
        Measure(
            "active_10plus",
            _COUNT,
            "additive",
            "Active enterprises with 10+ employees (the base of the high-growth rate; count)",
        ),
        Measure(
            "employer_births",
            _COUNT,
            "additive",
            "Employer enterprise births (at least one employee; count)",
        ),
        Measure("employer_deaths", _COUNT, "additive", "Employer enterprise deaths (count)"),
        Measure("employer_active", _COUNT, "additive", "Active employer enterprises (count)"),
    ]
    for k in range(1, 6):
        out.append(
            Measure(
                f"survival_{k}yr",
                _COUNT,
                "additive",
                f"Enterprises born in the period year still active {k} year(s) later (count; each horizon rounded independently)",
            )
        )
        out.append(
            Measure(
                f"survival_rate_{k}yr",
                "percent",
                "ratio",
                f"{k}-year survival rate of the enterprises born in the period year (% of that year's births)",
                denominator="births",
            )
        )
    return {m.id: m for m in out}


MEASURES = _measures()

#: (table, sub-table) -> (kind, measure or None, words the title must contain)
SHEETS: dict[tuple[int, int], tuple[str, str | None, str]] = {
    (1, 1): ("years", "births", "births"),
    (2, 1): ("years", "deaths", "deaths"),
    (3, 1): ("years", "active", "active enterprises"),
    (5, 1): ("survival", None, "survival"),
    (6, 1): ("employer", None, "employer demography"),
    (7, 1): ("years", "high_growth", "high growth"),
    (7, 3): ("years", "active_10plus", "10+ employees"),
}
_SHEET_RE = re.compile(r"^table\s+(\d+)\.(\d+)([a-z]?)$", re.IGNORECASE)
#: Every sheet name of the published workbook: its front sheets and 'Table <n>[.<m>][x]'.
_FRONT_SHEETS = {"cover", "contents", "notes", "industry definition"}
_ANY_TABLE_RE = re.compile(r"^table\s+\d+(?:\.\d+)?[a-z]?$", re.IGNORECASE)


def _is_year(text: str) -> bool:
    """A header cell that is a year (``2021``, ``2023 (p)``, ``2023 [note 5]``)."""
    try:
        return year_header(text) is not None
    except ValueError:
        return True  # a year with an unread marker: year_columns names it in its error


def release_from_text(text: str) -> str:
    """'2025-11-20' from 'Date published: 20th November 2025'; '' when absent."""
    return date_in_text(text, r"date published:?\s*")


def data_rows_below(
    rows: list[list],
    start: int,
    *,
    path: Path,
    sheet: str,
    value_cols: list[int],
    warnings: list[str],
) -> list[int]:
    """Rows from ``start`` while column A holds a code; what follows the first blank code
    must be footnotes or empty. A coded row further down, or a named row with numbers,
    is an error (data would otherwise be skipped); bare numbers with neither code nor
    name are reported as a warning and not loaded."""
    out: list[int] = []
    r = start
    while r < len(rows) and clean_text(rows[r][0] if rows[r] else ""):
        out.append(r)
        r += 1
    stray: list[str] = []
    stray_rows: list[int] = []
    for k in range(r, len(rows)):
        line = rows[k]
        code = clean_text(line[0]) if line else ""
        name = clean_text(line[1]) if len(line) > 1 else ""
        nums = [
            c
            for c in value_cols
            if c < len(line) and isinstance(line[c], (int, float)) and line[c] == line[c]
        ]
        if code:
            raise InputError(
                path,
                f"area code {code!r} below the blank row that ends the table (a gap in the data?)",
                sheet=sheet,
                row=k,
                column=0,
            )
        if nums and name:
            raise InputError(
                path, f"row {name!r} has numbers but no area code", sheet=sheet, row=k, column=0
            )
        if nums:
            stray_rows.append(k)
            stray += [clean_text(line[c]) for c in nums]
    if stray_rows:
        where = (
            f"row {stray_rows[0] + 1}"
            if len(stray_rows) == 1
            else f"rows {stray_rows[0] + 1}-{stray_rows[-1] + 1}"
        )
        warnings.append(
            f"{sheet}: {where} below the table hold numbers ({', '.join(stray)}) with no area code or name; not loaded"
        )
    return out


class BusinessDemography(Source):
    """ONS Business Demography reference tables: area tables (births, deaths, actives,
    survival, employer demography, high growth)."""

    name = "ons_business_demography"
    dataset = "ons_business_demography"
    publisher = "Office for National Statistics"
    title = "Business demography, UK: reference tables"
    patterns = ("businessdemographyexceltables*.xls*", "businessdemography*reference*.xls*")
    measures = MEASURES

    def parse(self, path: Path) -> pd.DataFrame:
        path = Path(path)
        book = Workbook(path, max_bytes=MAX_BYTES)
        # A renamed sheet must be an error, not a table left out: the workbook holds its
        # front sheets and 'Table ...' sheets only, and every area table its Contents
        # sheet lists must be present.
        book.refuse_unknown_sheets(
            lambda s: s.strip().lower() in _FRONT_SHEETS or bool(_ANY_TABLE_RE.match(s.strip())),
            "Cover, Contents, Notes, Industry Definition and 'Table <n>.<m><letter>' sheets",
        )
        listed = [
            n
            for n in book.listed_in_contents(
                f"Table {t}.{k}{x}" for (t, k) in SHEETS for x in ("", *"abcdefghij")
            )
        ]
        book.require_sheets(listed, "(listed in the Contents sheet)")
        found: dict[str, tuple[str, str | None, str]] = {}
        for s in book.sheet_names:
            m = _SHEET_RE.match(s.strip())
            if m and (int(m.group(1)), int(m.group(2))) in SHEETS:
                found[s] = SHEETS[(int(m.group(1)), int(m.group(2)))]
        kinds = {meas for kind, meas, _ in found.values()}
        missing = [
            f"Table {t}.1x ({m})"
            for t, m in ((1, "births"), (2, "deaths"), (3, "active"))
            if m not in kinds
        ]
        if missing:
            raise InputError(
                path,
                f"no {', '.join(missing)} sheet(s): not the Business Demography workbook? (sheets: {', '.join(book.sheet_names[:12])}...)",
            )
        warnings: list[str] = []
        parts: list[dict[str, np.ndarray]] = []
        cohort: dict[tuple[str, int], tuple[float, str, int]] = {}
        for sheet, (kind, measure, words) in found.items():
            rows = book.rows(sheet)
            title = clean_text(rows[0][0]) if rows and rows[0] else ""
            if words not in title.lower():
                raise InputError(
                    path,
                    f"title {title[:90]!r} does not mention {words!r}",
                    sheet=sheet,
                    row=0,
                    column=0,
                )
            if kind == "years":
                assert measure is not None  # every "years" entry in SHEETS names its measure
                parts.append(self._years(rows, path, sheet, measure, warnings))
            elif kind == "survival":
                parts.append(self._survival(rows, path, sheet, warnings, cohort))
            else:
                parts.append(self._employer(rows, path, sheet, warnings))
        df = tidy(
            **{k: np.concatenate([p[k] for p in parts]) for k in parts[0]},
            industry="Total",
            breakdown="All",
            release=self.release_of(book) or None,
        )
        warnings += self._check_cohorts(df, cohort)
        warnings += self._flagged(df)
        df = self._mark_flagged(df, self._flag_note(book))
        out = self.finish(df, path)
        out.attrs["warnings"] = warnings
        return out

    # -- sheet readers -----------------------------------------------------------------

    @staticmethod
    def _frame(
        codes, names, data_rows, cols, measures, years, values, status, sheet
    ) -> dict[str, np.ndarray]:
        """Flat arrays for a block of (rows x columns), each column its own measure/year."""
        n, m = len(data_rows), len(cols)
        years = np.asarray(years)
        return {
            "geography_code": np.repeat(np.asarray(codes, dtype=object), m),
            "geography_name": np.repeat(np.asarray(names, dtype=object), m),
            "measure": np.tile(np.asarray(measures, dtype=object), n),
            "year": np.tile(years, n),
            "period": np.tile(years.astype(str).astype(object), n),
            "value": values.reshape(-1),
            "status": status.reshape(-1),
            "row": np.repeat(np.asarray(data_rows), m),
            "col": np.tile(np.asarray(cols), n),
            "sheet": np.full(n * m, sheet, dtype=object),
        }

    def _block(
        self,
        rows,
        h: int,
        cols: list[int],
        path: Path,
        sheet: str,
        warnings: list[str],
        headers: list[str],
        col_status: list[str | None] | None = None,
    ):
        data_rows = data_rows_below(
            rows, h + 1, path=path, sheet=sheet, value_cols=cols, warnings=warnings
        )
        if not data_rows:
            raise InputError(path, "no data rows under the header", sheet=sheet, row=h)
        check_unlabelled_columns(rows, h, data_rows, cols, first=2, file=path, sheet=sheet)
        codes = [clean_text(rows[r][0]) for r in data_rows]
        names = [str(rows[r][1]).strip() if len(rows[r]) > 1 else "" for r in data_rows]
        check_codes(codes, data_rows, file=path, sheet=sheet, col=0)
        values, status = parse_block(
            rows,
            data_rows,
            cols,
            file=path,
            sheet=sheet,
            headers=headers,
            markers=BD_MARKERS,
            col_status=col_status,
        )
        return data_rows, codes, names, values, status

    def _years(
        self, rows, path: Path, sheet: str, measure: str, warnings: list[str]
    ) -> dict[str, np.ndarray]:
        h = find_row(
            rows,
            lambda c: len(c) > 2 and not c[0] and not c[1] and _is_year(c[2]),
            file=path,
            sheet=sheet,
            what="year header row (two blank cells, then years)",
            limit=12,
        )
        ycols = year_columns(rows[h], file=path, sheet=sheet, row=h, after=2)
        cols = [y.col for y in ycols]
        data_rows, codes, names, values, status = self._block(
            rows,
            h,
            cols,
            path,
            sheet,
            warnings,
            [clean_text(rows[h][c]) for c in cols],
            col_status=[y.marker for y in ycols],
        )
        return self._frame(
            codes,
            names,
            data_rows,
            cols,
            [measure] * len(cols),
            [y.year for y in ycols],
            values,
            status,
            sheet,
        )

    def _survival(
        self, rows, path: Path, sheet: str, warnings: list[str], cohort: dict
    ) -> dict[str, np.ndarray]:
        h = find_row(
            rows,
            lambda c: len(c) > 2 and bool(re.fullmatch(r"\d{4} births", c[2].lower())),
            file=path,
            sheet=sheet,
            what="survival header row ('2019 Births', '1-year survival', ...)",
            limit=12,
        )
        header = [clean_text(c) for c in rows[h]]
        year = int(header[2][:4])
        cols, measures = [], []
        for j in range(3, len(header)):
            label = header[j].lower()
            if not label:
                continue
            m = re.fullmatch(r"([1-5])-year (survival|per cent)", label)
            if not m:
                raise InputError(
                    path,
                    f"unexpected column header {header[j]!r}",
                    sheet=sheet,
                    row=h,
                    column=j,
                    header=header[j],
                )
            cols.append(j)
            measures.append(
                f"survival_{m.group(1)}yr"
                if m.group(2) == "survival"
                else f"survival_rate_{m.group(1)}yr"
            )
        if len(set(measures)) != 10:
            raise InputError(
                path,
                "expected 1- to 5-year survival counts and per cent (10 columns)",
                sheet=sheet,
                row=h,
            )
        data_rows, codes, names, values, status = self._block(
            rows, h, [2, *cols], path, sheet, warnings, [header[2]] + [header[c] for c in cols]
        )
        for i, r in enumerate(data_rows):
            cohort[(codes[i], year)] = (values[i, 0], sheet, r)
        return self._frame(
            codes,
            names,
            data_rows,
            cols,
            measures,
            [year] * len(cols),
            values[:, 1:],
            status[:, 1:],
            sheet,
        )

    def _employer(self, rows, path: Path, sheet: str, warnings: list[str]) -> dict[str, np.ndarray]:
        h = find_row(
            rows,
            lambda c: len(c) > 4 and [x.lower() for x in c[2:5]] == ["births", "deaths", "active"],
            file=path,
            sheet=sheet,
            what="header row 'Births', 'Deaths', 'Active'",
            limit=12,
        )
        above = clean_text(rows[h - 1][2]) if h > 0 and len(rows[h - 1]) > 2 else ""
        m = re.match(r"^(\d{4}) employer demography$", above.lower())
        if not m:
            raise InputError(
                path,
                f"expected '<year> Employer Demography' above the header, found {above!r}",
                sheet=sheet,
                row=h - 1,
                column=2,
            )
        year = int(m.group(1))
        cols = [2, 3, 4]
        data_rows, codes, names, values, status = self._block(
            rows, h, cols, path, sheet, warnings, ["Births", "Deaths", "Active"]
        )
        measures = ["employer_births", "employer_deaths", "employer_active"]
        return self._frame(
            codes, names, data_rows, cols, measures, [year] * 3, values, status, sheet
        )

    # -- checks and notes ----------------------------------------------------------------

    @staticmethod
    def _check_cohorts(df: pd.DataFrame, cohort: dict) -> list[str]:
        """The survival tables' births column should equal the births tables."""
        births = df[df["measure"] == "births"]
        keys = zip(births["geography_code"], births["year"].astype(int), strict=True)
        known = dict(zip(keys, births["value"], strict=True))
        diff = [
            f"{code} {year}"
            for (code, year), (v, _, _) in cohort.items()
            if (code, year) in known
            and not (np.isnan(v) and np.isnan(known[(code, year)]))
            and v != known[(code, year)]
        ]
        if not diff:
            return []
        return [
            f"survival tables: births of the cohort differ from the births tables for {len(diff)} area-years "
            f"(e.g. {', '.join(diff[:3])}); survival rates are the publisher's own"
        ]

    @staticmethod
    def _flag_note(book: Workbook) -> str:
        """The marker flagged figures carry: the reference of the Notes sheet's note on
        multiple registrations (``[note 13]`` in the 2024 edition), as ONS writes note
        references in its newer tables."""
        if book.has("Notes"):
            rows = book.rows("Notes")
            for k, row in enumerate(rows):
                text = " ".join(clean_text(c) for c in row).lower()
                if "multiple registrations" in text or "single postcode" in text:
                    for back in range(k, max(-1, k - 3), -1):
                        first = clean_text(rows[back][0]) if rows[back] else ""
                        if first.isdigit():
                            return f"[note {first}]"
        return FLAG_MARKER

    @staticmethod
    def _mark_flagged(df: pd.DataFrame, marker: str) -> pd.DataFrame:
        """Keep the publisher's flag on the figures it applies to: a figure of a row whose
        name carries the trailing ``*`` (and no other marker) gets ``marker`` as its
        status, so that pages can say which districts and years ONS flags."""
        star = df["geography_name"].astype(str).str.rstrip().str.endswith("*")
        if star.any():
            df = df.copy()
            status = df["status"].astype(object)
            status[star & status.isna()] = marker
            df["status"] = status
        return df

    @staticmethod
    def _flagged(df: pd.DataFrame) -> list[str]:
        """One warning per area whose name carries note 13's '*' in some table."""
        star = df[df["geography_name"].str.rstrip().str.endswith("*")]
        if star.empty:
            return []
        out = []
        for code, g in star.groupby("geography_code", sort=True):
            name = g["geography_name"].iloc[0].strip().rstrip("*").strip()
            tables = ", ".join(sorted({s.replace("Table ", "") for s in g["sheet"]}))
            out.append(
                f"{code} {name}: flagged * in Tables {tables} (note 13: more than 500 businesses registered at a single postcode; counts may be inflated)"
            )
        return out

    def release_of(self, book: Workbook) -> str:
        for sheet in ("Cover", "Contents"):
            if book.has(sheet):
                text = " ".join(clean_text(c) for row in book.rows(sheet)[:40] for c in row)
                found = release_from_text(text)
                if found:
                    return found
        return ""
