"""ONS Annual Survey of Hours and Earnings (ASHE): earnings by local authority.

Two publications with the same layout, read by two parsers:

* **Table 7** "PROV - Work Geography Table 7.1a   Weekly pay - Gross 2024.xlsx":
  earnings of jobs by **place of work** (dataset ``ons_ashe_workplace``);
* **Table 8** "PROV - Home Geography Table 8.1a   Weekly pay - Gross 2023.xls":
  earnings of employees by **place of residence** (dataset ``ons_ashe_residence``).

The two are separate datasets with the *same measure ids*, so that the indicator engine
can ask for ``ons_ashe_workplace:weekly_pay_gross_median`` and
``ons_ashe_residence:weekly_pay_gross_median`` and take their gap (commuting: residents
of a district may earn more or less than the jobs located in it). The number of jobs
differs in meaning too (jobs located in the area vs jobs held by its residents), which is
one more reason not to put both bases in one dataset.

Each workbook holds one table (x.1a weekly pay gross, x.7a annual pay gross, ...) for one
year: a ``Notes`` sheet and nine breakdown sheets ``All``, ``Male``, ``Female``,
``Full-Time``, ``Part-Time``, ``Male Full-Time``, ``Male Part-Time``, ``Female Full-Time``,
``Female Part-Time`` (kept as ``breakdown``, as published). Layout of a breakdown sheet:

* row 0: title, e.g. "Table 7.1a   Weekly pay - Gross (£) - For all employee jobsa:
  United Kingdom, 2024" (Table 8 prints no year in the title: it is read from the file
  name);
* rows 2-4: a **3-row split header**: "Number / of jobsb / (thousand)", "Median",
  "Annual / percentage / change", "Mean", "Annual / percentage / change", "Percentiles"
  over 10, 20, 25, 30, 40, 60, 70, 75, 80, 90 (numbers in the .xlsx, text in the .xls);
  ``Description`` and ``Code`` on the last header row;
* data from row 5: UK, GB, England and Wales, England, regions, counties, metropolitan
  counties and every district (395 coded rows; Leicester is "Leicester UA"; names carry
  leading spaces as an indent); then a "Not Classified" row without a code (jobs or
  residents not assigned to an area) and footnotes a, b, KEY, Source;
* a quality key (CV bands) printed to the right of the table in columns S-T.

Markers (from the sheet's key): ``x`` CV > 20% (unreliable, suppressed), ``..``
disclosive, ``:`` not applicable, ``-`` nil or negligible. A row that is suppressed as a
whole prints one marker in the jobs column and leaves the rest blank: the marker is given
to every measure of that row. Annual percentage changes are left blank where either
year's estimate is unavailable: a blank change is not a published number and is not
emitted (a blank anywhere else is an error).

**Quality shading.** Jobs, median, mean and percentiles are shaded by the coefficient of
variation (CV) of the estimate: no shading for CV <= 5%, a light grey pattern for
5% < CV <= 10%, a solid colour for 10% < CV <= 20%. python-calamine cannot see colours,
so for .xlsx workbooks the parser reads the fill of every cell from the workbook XML
(:mod:`._xlsx_styles`, about 0.1 s per workbook), matches it against the fills of the key
cells printed beside the table, and records ``cv_5_10`` or ``cv_10_20`` in ``status`` for
values that are shown but flagged (the value is kept). In a legacy .xls workbook (Table 8
2023) the colours cannot be read without a further dependency, so the quality band is
lost; the file's ``x`` markers (CV > 20%) are kept as usual.

``release``: ASHE's provisional tables (file names starting "PROV") are published in the
autumn of the reference year, revised ones a year later; the release date is taken from
:data:`RELEASES` (the known ONS publication dates) when the year is listed there, else
left empty.
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
    check_finite,
    check_unlabelled_columns,
    clean_text,
    find_row,
    parse_number,
    tidy,
)
from ._guard import MB
from ._xlsx_styles import cell_fills

#: Largest workbook read: the real ones are 0.45-0.82 MB.
MAX_BYTES = 16 * MB

#: ASHE's own markers (the key printed in every sheet). Anything else is an error.
ASHE_MARKERS = ("x", "..", ":", "-")

#: The breakdown sheets, as published (sheet name = ``breakdown``).
BREAKDOWNS = (
    "All",
    "Male",
    "Female",
    "Full-Time",
    "Part-Time",
    "Male Full-Time",
    "Male Part-Time",
    "Female Full-Time",
    "Female Part-Time",
)

#: ASHE table sub-number -> (measure stem, unit, words the title must contain, what it is)
TABLES: dict[int, tuple[str, str, str, str]] = {
    1: ("weekly_pay_gross", "GBP per week", "weekly pay - gross", "Gross weekly pay"),
    2: (
        "weekly_pay_excl_overtime",
        "GBP per week",
        "weekly pay - excluding overtime",
        "Weekly pay excluding overtime",
    ),
    5: ("hourly_pay_gross", "GBP per hour", "hourly pay - gross", "Gross hourly pay"),
    6: (
        "hourly_pay_excl_overtime",
        "GBP per hour",
        "hourly pay - excluding overtime",
        "Hourly pay excluding overtime",
    ),
    7: ("annual_pay_gross", "GBP per year", "annual pay - gross", "Gross annual pay"),
}
PERCENTILES = (10, 20, 25, 30, 40, 60, 70, 75, 80, 90)

#: Publication dates of the ASHE provisional tables by reference year (ONS bulletins
#: "Employee earnings in the UK: <year>"). Revised tables for year Y appear with the
#: provisional tables of Y + 1.
RELEASES = {2023: "2023-11-01", 2024: "2024-10-29"}

#: The quality key's labels -> the status recorded for a value shaded that way.
CV_BANDS = {
    "cv > 5% and <= 10%": "cv_5_10",
    "cv > 10% and <= 20%": "cv_10_20",
}


def _measures() -> dict[str, Measure]:
    out: list[Measure] = []
    for stem, unit, _, what in TABLES.values():
        jobs = f"{stem}_jobs"
        out += [
            Measure(
                jobs,
                "thousand jobs",
                "additive",
                f"Number of jobs in the {what.lower()} estimates (thousand); ONS: indicative only, not an accurate job count",
            ),
            Measure(f"{stem}_median", unit, "not_aggregable", f"{what}, median (£)"),
            Measure(
                f"{stem}_median_change",
                "percent",
                "not_aggregable",
                f"{what}, median: annual percentage change (not adjusted for changes in the composition of jobs)",
                nonnegative=False,
            ),
            Measure(
                f"{stem}_mean",
                unit,
                "ratio",
                f"{what}, mean (£); pooled over districts weighted by the indicative number of jobs (approximate)",
                denominator=jobs,
            ),
            Measure(
                f"{stem}_mean_change",
                "percent",
                "not_aggregable",
                f"{what}, mean: annual percentage change",
                nonnegative=False,
            ),
        ]
        out += [
            Measure(f"{stem}_p{p}", unit, "not_aggregable", f"{what}, {p}th percentile (£)")
            for p in PERCENTILES
        ]
    return {m.id: m for m in out}


MEASURES = _measures()


def _release(year: int, provisional: bool) -> str:
    return RELEASES.get(year if provisional else year + 1, "")


class _AsheBase(Source):
    """Shared reader for ASHE Tables 7 (workplace) and 8 (residence)."""

    publisher = "Office for National Statistics"
    measures = MEASURES
    #: "7" or "8": the table family this parser reads.
    family: str
    basis: str

    # -- identifying the table ---------------------------------------------------------

    def _table(self, book: Workbook, sheet: str) -> tuple[int, str]:
        """(table sub-number, title) from the sheet title, else from the file name."""
        rows = book.rows(sheet)
        # Table 8 puts "For all employee jobs(a): United Kingdom" in column C.
        title = " ".join(clean_text(c) for c in (rows[0] if rows else []) if clean_text(c))
        for text in (title, clean_text(book.path.name)):
            m = re.search(r"Table\s+(\d+)\.(\d+)a\b", text, re.IGNORECASE)
            if m:
                if m.group(1) != self.family:
                    raise InputError(
                        book.path,
                        f"this is ASHE Table {m.group(1)}.{m.group(2)}a, not a Table {self.family} ({self.basis}) workbook",
                        sheet=sheet,
                        row=0,
                    )
                sub = int(m.group(2))
                if sub not in TABLES:
                    known = ", ".join(f"{self.family}.{k}a" for k in TABLES)
                    raise InputError(
                        book.path,
                        f"ASHE Table {self.family}.{sub}a is not supported (supported: {known})",
                        sheet=sheet,
                        row=0,
                    )
                words = TABLES[sub][2]
                if words not in re.sub(r"\s+", " ", text.lower()):
                    raise InputError(
                        book.path,
                        f"title {text[:80]!r} does not say {words!r} (expected for Table {self.family}.{sub}a)",
                        sheet=sheet,
                        row=0,
                    )
                return sub, title
        raise InputError(
            book.path,
            f"title row does not name an ASHE table ('Table {self.family}.<n>a ...'): {title[:80]!r}",
            sheet=sheet,
            row=0,
        )

    def _year(self, book: Workbook, title: str, sheet: str) -> int:
        # `lis fetch` adds the download date (_YYYY-MM-DD) to the name: not the reference year
        stem = re.sub(r"_\d{4}-\d{2}-\d{2}$", "", book.path.stem)
        m = re.search(r"United Kingdom,\s*((?:19|20)\d{2})\b", title) or re.search(
            r"((?:19|20)\d{2})(?!.*(?:19|20)\d{2})", stem
        )
        if not m:
            raise InputError(
                book.path,
                "no reference year in the title ('..., United Kingdom, 2024') or the file name",
                sheet=sheet,
                row=0,
            )
        return int(m.group(1))

    # -- one breakdown sheet -----------------------------------------------------------

    def _columns(
        self, rows: list[list], h: int, book: Workbook, sheet: str, stem: str
    ) -> list[tuple[int, str]]:
        """(column index, measure id) from the 3-row split header ending on row ``h``."""
        out: list[tuple[int, str]] = []
        level = None
        width = len(rows[h])
        for j in range(2, width):
            bottom = clean_text(rows[h][j]).lower()
            label = " ".join(
                clean_text(rows[r][j]) for r in range(max(0, h - 2), h + 1) if j < len(rows[r])
            ).strip()
            if not bottom:
                break  # the key to the right of the table is separated by an empty column
            if bottom == "(thousand)" or "jobs" in label.lower():
                out.append((j, f"{stem}_jobs"))
            elif bottom in ("median", "mean"):
                level = bottom
                out.append((j, f"{stem}_{bottom}"))
            elif bottom == "change" and "annual" in label.lower():
                if level is None:
                    raise InputError(
                        book.path,
                        "an 'Annual percentage change' column before any Median/Mean column",
                        sheet=sheet,
                        row=h,
                        column=j,
                    )
                out.append((j, f"{stem}_{level}_change"))
            elif re.fullmatch(r"\d+", bottom) and int(bottom) in PERCENTILES:
                out.append((j, f"{stem}_p{int(bottom)}"))
            else:
                raise InputError(
                    book.path,
                    f"unexpected column header {label!r}",
                    sheet=sheet,
                    row=h,
                    column=j,
                    header=label,
                )
        found = {m for _, m in out}
        # Every column of the published table is expected: one left out (a renamed or
        # merged header cell) must not silently drop its figures.
        for need, text in (
            ("jobs", "Number of jobs (thousand)"),
            ("median", "Median"),
            ("median_change", "Annual percentage change (of the median)"),
            ("mean", "Mean"),
            ("mean_change", "Annual percentage change (of the mean)"),
            *((f"p{p}", f"Percentiles {p}") for p in PERCENTILES),
        ):
            if f"{stem}_{need}" not in found:
                raise InputError(
                    book.path,
                    f"expected column {text!r} in the 3-row header (rows {h - 1}-{h + 1})",
                    sheet=sheet,
                    row=h,
                )
        if len(found) != len(out):
            dup = next(m for m in found if sum(1 for _, x in out if x == m) > 1)
            raise InputError(
                book.path, f"column {dup!r} appears twice in the header", sheet=sheet, row=h
            )
        return out

    def _legend(
        self, book: Workbook, sheet: str, fills: dict[tuple[int, int], str]
    ) -> dict[str, str]:
        """fill key -> CV band, from the quality key printed in the sheet."""
        out: dict[str, str] = {}
        for i, row in enumerate(book.rows(sheet)[:60]):
            for j, v in enumerate(row):
                if isinstance(v, str):
                    band = CV_BANDS.get(clean_text(v).lower())
                    if band and (i, j) in fills:
                        out[fills[(i, j)]] = band
        return out

    def _read_sheet(
        self,
        book: Workbook,
        sheet: str,
        stem: str,
        fills: dict[tuple[int, int], str] | None,
        legend: dict[str, str],
        unclassified: list[str],
    ) -> dict[str, np.ndarray]:
        """The sheet's cells as flat arrays (one entry per published cell). Appends the
        sheet name to ``unclassified`` when its 'Not Classified' row holds numbers."""
        rows = book.rows(sheet)
        path = book.path
        h = find_row(
            rows,
            lambda c: len(c) > 1 and c[0].lower() == "description" and c[1].lower() == "code",
            file=path,
            sheet=sheet,
            what="header row with 'Description' and 'Code'",
        )
        columns = self._columns(rows, h, book, sheet, stem)
        cols = [c for c, _ in columns]
        measures = [m for _, m in columns]
        data_rows: list[int] = []
        for r in range(h + 1, len(rows)):
            if not clean_text(rows[r][1] if len(rows[r]) > 1 else ""):
                break
            data_rows.append(r)
        if not data_rows:
            raise InputError(path, "no data rows under the header", sheet=sheet, row=h)
        check_unlabelled_columns(rows, h, data_rows, cols, first=2, file=path, sheet=sheet)
        if self._check_tail(rows, data_rows[-1] + 1, cols, path, sheet):
            unclassified.append(sheet)
        codes = [clean_text(rows[r][1]) for r in data_rows]
        names = [clean_text(rows[r][0]) for r in data_rows]
        check_codes(codes, data_rows, file=path, sheet=sheet, col=1, header="Code")

        n, m = len(data_rows), len(cols)
        values = np.full((n, m), np.nan)
        status = np.full((n, m), None, dtype=object)
        keep = np.ones((n, m), dtype=bool)
        is_change = np.array([mid.endswith("_change") for mid in measures])
        headers = [
            " ".join(clean_text(rows[k][c]) for k in range(max(0, h - 2), h + 1)).strip()
            for c in cols
        ]
        for i, r in enumerate(data_rows):
            line = rows[r]
            cells = [line[c] if c < len(line) else "" for c in cols]
            first = clean_text(cells[0])
            if first in ASHE_MARKERS and all(clean_text(v) == "" for v in cells[1:]):
                # The whole row is suppressed: one marker printed in the jobs column.
                status[i, :] = first
                continue
            for j, v in enumerate(cells):
                if type(v) is float and v == v:
                    values[i, j] = v
                    continue
                if v in ASHE_MARKERS:  # fast path for the thousands of 'x' cells
                    status[i, j] = v
                    continue
                if v == "" and is_change[j]:
                    keep[i, j] = False  # blank annual change: nothing was published
                    continue
                blank = "" if is_change[j] else None
                values[i, j], status[i, j] = parse_number(
                    v,
                    file=path,
                    sheet=sheet,
                    row=r,
                    col=cols[j],
                    header=headers[j],
                    markers=ASHE_MARKERS,
                    blank=blank,
                )
                if status[i, j] == "":
                    keep[i, j] = False  # blank annual change: nothing was published
        check_finite(values, data_rows, cols, file=path, sheet=sheet, headers=headers)
        if fills and legend:
            for i, r in enumerate(data_rows):
                for j, c in enumerate(cols):
                    if status[i, j] is None and not is_change[j]:
                        band = legend.get(fills.get((r, c), ""))
                        if band:
                            status[i, j] = band
        flat = keep.reshape(-1)
        return {
            "geography_code": np.repeat(np.asarray(codes, dtype=object), m)[flat],
            "geography_name": np.repeat(np.asarray(names, dtype=object), m)[flat],
            "measure": np.tile(np.asarray(measures, dtype=object), n)[flat],
            "value": values.reshape(-1)[flat],
            "status": status.reshape(-1)[flat],
            "row": np.repeat(np.asarray(data_rows), m)[flat],
            "col": np.tile(np.asarray(cols), n)[flat],
            "breakdown": np.full(int(flat.sum()), sheet.strip(), dtype=object),
            "sheet": np.full(int(flat.sum()), sheet, dtype=object),
        }

    def _check_tail(self, rows, start: int, cols: list[int], path: Path, sheet: str) -> bool:
        """Below the coded rows only the 'Not Classified' row and footnotes may follow.
        True when the 'Not Classified' row holds numbers (it is not loaded: no code)."""
        unclassified = False
        for r in range(start, len(rows)):
            line = rows[r]
            code = clean_text(line[1]) if len(line) > 1 else ""
            name = clean_text(line[0]) if line else ""
            numbers = [
                c
                for c in cols
                if c < len(line) and isinstance(line[c], (int, float)) and line[c] == line[c]
            ]
            if code:
                raise InputError(
                    path,
                    f"area code {code!r} below the blank row that ends the table (a gap in the data?)",
                    sheet=sheet,
                    row=r,
                    column=1,
                    header="Code",
                )
            if name.lower() == "not classified":
                unclassified = bool(numbers)
                continue
            if numbers:
                raise InputError(
                    path,
                    "numbers in a row without an area code below the table",
                    sheet=sheet,
                    row=r,
                    column=numbers[0],
                )
        return unclassified

    # -- the workbook ------------------------------------------------------------------

    def parse(self, path: Path) -> pd.DataFrame:
        path = Path(path)
        book = Workbook(path, max_bytes=MAX_BYTES)
        if not book.has("All"):
            raise InputError(
                path,
                f"sheet 'All' not found (sheets: {', '.join(book.sheet_names)}); is this an ASHE Table {self.family} workbook?",
            )
        # ONS publishes 'Notes' and the nine breakdown sheets only: any other sheet is a
        # renamed breakdown ('Mael'), whose figures must not be left out without a word.
        book.refuse_unknown_sheets(
            ("Notes", *BREAKDOWNS), "'Notes' and the breakdowns " + ", ".join(BREAKDOWNS)
        )
        sheets = [s for s in book.sheet_names if s.strip() in BREAKDOWNS]
        warnings: list[str] = []
        unclassified: list[str] = []
        sub, title = self._table(book, "All")
        stem = TABLES[sub][0]
        year = self._year(book, title, "All")
        provisional = path.name.upper().startswith("PROV")
        xlsx = path.suffix.lower() == ".xlsx"
        fills = cell_fills(path, [*sheets, "Notes"]) if xlsx else {}
        # The key is printed beside every table and again in Notes (used as a fallback).
        notes_legend = self._legend(book, "Notes", fills["Notes"]) if fills.get("Notes") else {}
        parts = []
        for sheet in sheets:
            sheet_fills = fills.get(sheet) if fills else None
            legend = self._legend(book, sheet, sheet_fills) if sheet_fills else {}
            parts.append(
                self._read_sheet(
                    book, sheet, stem, sheet_fills, legend or notes_legend, unclassified
                )
            )
        if unclassified:
            warnings.append(
                "the 'Not Classified' row (employees not assigned to an area) has numbers but no area code and is not loaded"
                + (
                    ""
                    if len(unclassified) == len(sheets)
                    else f" (sheets {', '.join(unclassified)})"
                )
            )
        if not xlsx:
            warnings.append(
                "legacy .xls workbook: the CV quality shading (5-10%, 10-20%) cannot be read; only the 'x' markers (CV > 20%) are kept"
            )
        if provisional:
            warnings.append(
                f"ASHE {year} estimates are provisional (revised figures are published a year later)"
            )
        # One frame for the whole workbook (building one per sheet costs more than parsing).
        df = tidy(
            **{k: np.concatenate([p[k] for p in parts]) for k in parts[0]},
            period=str(year),
            year=year,
            industry="Total",
            release=_release(year, provisional) or None,
        )
        out = self.finish(df, path)
        out.attrs["warnings"] = warnings
        return out


class AsheWorkplace(_AsheBase):
    """ASHE Table 7: earnings by place of work, local authority (one table per workbook)."""

    name = "ons_ashe_workplace"
    dataset = "ons_ashe_workplace"
    title = "Earnings and hours worked, place of work by local authority: ASHE Table 7"
    patterns = ("*geography table 7.*a *.xls*",)
    family = "7"
    basis = "workplace"


class AsheResidence(_AsheBase):
    """ASHE Table 8: earnings by place of residence, local authority (one table per workbook)."""

    name = "ons_ashe_residence"
    dataset = "ons_ashe_residence"
    title = "Earnings and hours worked, place of residence by local authority: ASHE Table 8"
    patterns = ("*geography table 8.*a *.xls*",)
    family = "8"
    basis = "residence"
