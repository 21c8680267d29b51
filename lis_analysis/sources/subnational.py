"""ONS Subnational indicators explorer: underlying publicly available datasets and metadata.

Published as ``subnatindicators.xlsx`` (ninth release, 21 March 2024; data correct as of
16 February 2024). One snapshot per indicator, taken from many publishers (ONS, DfE,
OHID, Ofcom, DfT, NISRA ...). Sheets ``Notes``, ``Voluntary TQV``, ``Data dictionary`` and
``Data inclusivity`` document the file; each of the 50 other sheets holds one indicator:

- row 0 "(Back to Data Dictionary)"; rows 1-4 ``Metric:``, ``Date:``, ``Coverage:``,
  ``Geography:`` with the text in column B, then further geography lines;
- a header row (row 5 to 11, varying by sheet) starting ``Area Code``;
- area names in **different columns by level** (``Country``, ``Nation``, ``Region``,
  ``County or Unitary Authority``, ``Local Authority District``, ``Combined Authority or
  City Region``, ``ITL Level 1``..``3``, ``Welsh Health Board``, ``Police Force Area``):
  a hierarchical indent, one name per row;
- the value column, then optionally ``Lower/Upper 95% Confidence Interval``,
  ``Observation Status`` (words, e.g. "Value suppressed ..."), ``Data accuracy`` and
  ``Notes`` (e.g. "Obsolete code since 2023 (replaced by E06000065 North Yorkshire)");
- ``na`` where a value or interval is not available;
- in ``UK exports``, ``Inward FDI`` and ``Outward FDI`` three Scottish city regions have
  the area code ``na``: they have no GSS code and are left out, with a warning.

``period`` is the ``Date:`` text as published ("10/2022 - 09/2023", "2022/23",
"Financial year ending 2021"); ``year`` is the year it ends in. ``release`` is the
release date on the ``Notes`` sheet (``2024-03-21``). Units are declared per sheet and
checked against the ``Measure`` column of the ``Data dictionary`` (a mismatch is a
warning); the dictionary entry for each sheet is kept in ``df.attrs["metadata"]``.
Obsolete codes are kept as published, with a warning.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

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
    geography_level,
    parse_block,
    tidy,
)
from ._guard import MB

#: Largest workbook read: the real ninth release is 0.64 MB.
MAX_BYTES = 32 * MB

DATASET = "ons_subnational_explorer"
POP_16_64 = "ons_population_mye:population_16_64"
POP_ALL = "ons_population_mye:population"

#: Columns that hold area names (one per level; a row fills exactly one of them).
NAME_HEADERS = {
    "country",
    "nation",
    "region",
    "county or unitary authority",
    "local authority district",
    "combined authority or city region",
    "itl level 1",
    "itl level 2",
    "itl level 3",
    "welsh health board",
    "police force area",
}
CI_LOWER = "lower 95% confidence interval"
CI_UPPER = "upper 95% confidence interval"
TEXT_HEADERS = {"observation status", "data accuracy", "notes"}
#: Sheets that document the workbook rather than hold an indicator.
DOC_SHEETS = ("Notes", "Voluntary TQV", "Data dictionary", "Data inclusivity")
#: Indicator sheets this parser leaves out on purpose: sheet -> reason (shown as a
#: warning). None at present: every sheet of the ninth release reads generically.
SKIPPED_SHEETS: dict[str, str] = {}
#: Markers printed in this workbook.
SUBNAT_MARKERS = ("na",)


def slug(text: str) -> str:
    """A measure id from a sheet name: lower case, ``&`` -> ``and``, ``+`` -> ``plus``,
    anything else not a letter or digit -> ``_`` (``Level 3+ qualifications (NI)`` ->
    ``level_3_plus_qualifications_ni``)."""
    s = text.lower().replace("&", " and ").replace("+", " plus ")
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")


#: Where the slug of the sheet name is not a good id (a typo; a leading digit).
_ID_OVERRIDES = {"Goverment R&D": "government_r_and_d", "4G area coverage": "area_coverage_4g"}

#: sheet -> (unit, aggregation, denominator, nonnegative, description). Units are ours;
#: the Data dictionary's wording is checked against them (_DICTIONARY_UNITS).
# fmt: off
_SHEETS: dict[str, tuple[str, str, str | None, bool, str]] = {
    "GVA per hour": ("GBP", "ratio", "ons_productivity_lad:hours_weekly", True, "GVA per hour worked (£), 2021"),
    "Weekly pay": ("GBP", "not_aggregable", None, True, "Gross median weekly pay, residence-based (£)"),
    "Employment rate": ("percent", "survey_rate", POP_16_64, True, "Employment rate aged 16-64 (APS, GB)"),
    "Employment rate (NI)": ("percent", "survey_rate", POP_16_64, True, "Employment rate aged 16-64 (LFS, NI)"),
    "Unemployment rate": ("percent", "not_aggregable", None, True, "Modelled unemployment rate aged 16+ (base: economically active, not published here)"),
    "GDHI per head": ("GBP", "ratio", POP_ALL, True, "Gross disposable household income per head (£)"),
    "New enterprises": ("enterprises", "additive", None, True, "Births of new enterprises (rounded to 5)"),
    "Deaths of enterprises": ("enterprises", "additive", None, True, "Deaths of enterprises (rounded to 5)"),
    "Active enterprises": ("enterprises", "additive", None, True, "Active enterprises (rounded to 5)"),
    "High growth enterprises": ("enterprises", "additive", None, True, "High growth enterprises (rounded to 5)"),
    "UK exports": ("GBP million", "additive", None, True, "Total value of exports of goods and services (£ million)"),
    "Inward FDI": ("GBP million", "additive", None, False, "Inward FDI international investment position (£ million; can be negative)"),
    "Outward FDI": ("GBP million", "additive", None, False, "Outward FDI international investment position (£ million; can be negative)"),
    "Goverment R&D": ("GBP million", "additive", None, True, "Public-funded gross regional expenditure on R&D (£ million)"),
    "Public transport to employer": ("minutes", "not_aggregable", None, True, "Average travel time to nearest employment centre (500-4999 jobs) by public transport/walking"),
    "Drive to employer": ("minutes", "not_aggregable", None, True, "Average travel time to nearest employment centre (500-4999 jobs) by car"),
    "Cycle to employer": ("minutes", "not_aggregable", None, True, "Average travel time to nearest employment centre (500-4999 jobs) by cycle"),
    "Broadband availability": ("percent", "not_aggregable", None, True, "Percentage of premises with gigabit-capable broadband (premises counts not published here)"),
    "4G area coverage": ("percent", "not_aggregable", None, True, "Percentage of area with 4G coverage from at least one operator"),
    "KS2 attainment": ("percent", "not_aggregable", None, True, "Pupils meeting expected standard in reading, writing and maths at KS2"),
    "GCSE by age 19": ("percent", "not_aggregable", None, True, "Young people achieving GCSEs in English and maths by age 19"),
    "Ofsted": ("percent", "not_aggregable", None, True, "State-funded schools rated good or outstanding"),
    "Persistent absences": ("percent", "not_aggregable", None, True, "Persistent absences, all pupils"),
    "Persistent absences FSM": ("percent", "not_aggregable", None, True, "Persistent absences, pupils eligible for FSM"),
    "Persistent absences CLA": ("percent", "not_aggregable", None, True, "Persistent absences, looked-after children"),
    "Early years comms": ("percent", "not_aggregable", None, True, "5-year-olds at expected level, communication and language"),
    "Early years literacy": ("percent", "not_aggregable", None, True, "5-year-olds at expected level, literacy"),
    "Early years maths": ("percent", "not_aggregable", None, True, "5-year-olds at expected level, maths"),
    "FE and skills achievements": ("achievements", "additive", None, True, "19+ further education and skills learner achievements (count)"),
    "Apprenticeship starts": ("per 100,000 population", "not_aggregable", None, True, "Apprenticeship starts, adults 16+, per 100,000 population"),
    "Apprenticeship achievements": ("per 100,000 population", "not_aggregable", None, True, "Apprenticeship achievements, adults 16+, per 100,000 population"),
    "Level 3+ qualifications": ("percent", "survey_rate", POP_16_64, True, "Aged 16-64 with NVQ3+ qualifications (APS, GB)"),
    "Level 3+ qualifications (NI)": ("percent", "survey_rate", POP_16_64, True, "Aged 16-64 with NVQ3+ qualifications (NI)"),
    "FE and skills participation": ("per 100,000 population", "not_aggregable", None, True, "19+ further education and skills participation per 100,000 population"),
    "Female HLE": ("years", "not_aggregable", None, True, "Female healthy life expectancy at birth"),
    "Male HLE": ("years", "not_aggregable", None, True, "Male healthy life expectancy at birth"),
    "Smokers": ("percent", "not_aggregable", None, True, "Adults who currently smoke cigarettes (APS 18+; base not published here)"),
    "Reception obesity": ("percent", "not_aggregable", None, True, "Obesity prevalence, reception year"),
    "Year 6 obesity": ("percent", "not_aggregable", None, True, "Obesity prevalence, year 6"),
    "Adult obesity": ("percent", "not_aggregable", None, True, "Obesity prevalence, adults 18+"),
    "Cancer diagnosis": ("percent", "not_aggregable", None, True, "Cancers diagnosed at stages 1 and 2"),
    "Under 75 mortality rate": ("per 100,000 population", "not_aggregable", None, True, "Under-75 mortality rate from preventable circulatory diseases (age-standardised)"),
    "Under 75 mortality rate (NI)": ("per 100,000 population", "not_aggregable", None, True, "Under-75 mortality rate from preventable circulatory diseases (NI)"),
    "Life satisfaction": ("score 0-10", "not_aggregable", None, True, "Mean life satisfaction (APS)"),
    "Worthwhile": ("score 0-10", "not_aggregable", None, True, "Mean feeling that things done in life are worthwhile (APS)"),
    "Happiness": ("score 0-10", "not_aggregable", None, True, "Mean happiness yesterday (APS)"),
    "Anxiety": ("score 0-10", "not_aggregable", None, True, "Mean anxiety yesterday (APS)"),
    "Net additions": ("per 1,000 dwellings", "not_aggregable", None, False, "Net additions to the housing stock per 1,000 dwellings (can be negative)"),
    "Homicide": ("per 1,000,000 population", "not_aggregable", None, True, "Homicide offences per million population"),
    "Devolution": ("percent", "not_aggregable", None, True, "Population living in an area with a devolution deal with a directly elected mayor"),
}
# fmt: on


def measure_id(sheet: str) -> str:
    """The measure id of an indicator sheet."""
    return _ID_OVERRIDES.get(sheet, slug(sheet))


SHEETS: dict[str, Measure] = {
    sheet: Measure(measure_id(sheet), unit, agg, desc, denominator=den, nonnegative=nonneg)  # type: ignore[arg-type]
    for sheet, (unit, agg, den, nonneg, desc) in _SHEETS.items()
}
MEASURES: dict[str, Measure] = {m.id: m for m in SHEETS.values()}

#: The Data dictionary's ``Measure`` wording -> our unit.
_DICTIONARY_UNITS = {
    "pounds": "GBP",
    "percentage": "percent",
    "number of enterprises": "enterprises",
    "pounds (million)": "GBP million",
    "minutes": "minutes",
    "achievements gained": "achievements",
    "rate per 100,000 population": "per 100,000 population",
    "years": "years",
    "net additional dwellings per 1,000 stock": "per 1,000 dwellings",
    "rate per 1,000,000 population": "per 1,000,000 population",
}


def _dictionary_unit(text: str) -> str | None:
    t = text.strip().lower()
    if t.startswith("mean (where 0 is"):
        return "score 0-10"
    return _DICTIONARY_UNITS.get(t)


def period_year(text: str) -> int | None:
    """The year a ``Date:`` text ends in: '2021' -> 2021, '10/2022 - 09/2023' -> 2023,
    '2022/23' -> 2023, 'Financial year ending 2021' -> 2021, 'As at 31 January 2024' ->
    2024; None when no year is printed."""
    t = clean_text(text)
    m = re.search(r"(\d{4})/(\d{2})\s*$", t)  # academic or financial year 2022/23
    if m:
        return int(m.group(1)[:2] + m.group(2)) if m.group(2) != "00" else int(m.group(1)) + 1
    years = re.findall(r"(?<!\d)(\d{4})(?!\d)", t)
    return int(years[-1]) if years else None


def _release_from_notes(book: Workbook) -> str:
    """'2024-03-21' from the Notes sheet ("Release date:" then 21/03/2024); '' if absent."""
    if not book.has("Notes"):
        return ""
    cells = [clean_text(c) for row in book.rows("Notes")[:12] for c in row if clean_text(c)]
    for i, c in enumerate(cells):
        if c.lower().startswith("release date"):
            rest = c.split(":", 1)[1].strip() if ":" in c else ""
            for cand in [rest, *(cells[i + 1 : i + 2])]:
                m = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", cand)
                if m:
                    return f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
    return ""


def _text(v: Any) -> str:
    """A label cell as text; the fast path for the plain strings most cells are."""
    if isinstance(v, str) and "  " not in v and "\n" not in v:
        return v.strip()
    return clean_text(v)


def _metric_key(text: str) -> str:
    t = clean_text(text).lower()
    return re.sub(r"\s*\(official statistics in development\)", "", t)


def _dictionary(book: Workbook) -> list[dict[str, str]]:
    """Data dictionary rows (metric, unit, description, sources, date, geography), in order."""
    if not book.has("Data dictionary"):
        return []
    rows = book.rows("Data dictionary")
    h = next(
        (i for i, r in enumerate(rows[:10]) if r and clean_text(r[0]).lower() == "metric"), None
    )
    if h is None:
        return []
    head = [clean_text(c).lower() for c in rows[h]]

    def get(r: list[Any], name: str) -> str:
        return clean_text(r[head.index(name)]) if name in head and head.index(name) < len(r) else ""

    out = []
    for r in rows[h + 1 :]:
        if not clean_text(r[0]):
            continue
        out.append(
            {
                "metric": clean_text(r[0]),
                "unit_text": get(r, "measure"),
                "description": get(r, "description"),
                "nations_covered": get(r, "nations covered"),
                "source_notes": get(r, "source notes and caveats"),
                "subject_date": get(r, "subject matter date"),
                "geography": get(r, "geography definition"),
            }
        )
    return out


class SubnationalExplorer(Source):
    """ONS Subnational indicators explorer workbook (one snapshot per indicator sheet)."""

    name = "ons_subnational_explorer"
    dataset = DATASET
    publisher = "Office for National Statistics"
    title = "Subnational indicators explorer: underlying publicly available datasets and metadata"
    patterns = ("subnatindicators*.xls*", "*subnational*indicator*.xls*")
    measures = MEASURES

    def parse(self, path: Path) -> pd.DataFrame:
        path = Path(path)
        book = Workbook(path, max_bytes=MAX_BYTES)
        declared = [s for s in SHEETS if book.has(s)]
        if not declared:
            raise InputError(
                path,
                "none of the explorer's indicator sheets found (is this subnatindicators.xlsx?); "
                f"sheets: {', '.join(book.sheet_names)}"[:400],
            )
        warnings: list[str] = []
        # Every declared indicator sheet must be there, and no other: a renamed sheet
        # ('GVA per hr') would otherwise drop its indicator with a warning only. A new
        # release that adds or drops an indicator is declared in _SHEETS first.
        book.refuse_unknown_sheets(
            lambda s: s in SHEETS or s in DOC_SHEETS or s in SKIPPED_SHEETS,
            "the documentation sheets and the indicator sheets declared in subnational.py",
        )
        book.require_sheets(
            [s for s in SHEETS if s not in SKIPPED_SHEETS],
            "(indicator sheets of the ninth release)",
        )
        for s in book.sheet_names:
            if s in SKIPPED_SHEETS:
                warnings.append(f"sheet {s!r} skipped: {SKIPPED_SHEETS[s]}")
        dictionary = _dictionary(book)
        used: set[int] = set()
        parts: list[dict[str, Any]] = []
        meta: dict[str, Any] = {}
        obsolete: Counter[str] = Counter()
        flagged: list[str] = []
        for sheet in book.sheet_names:
            if sheet not in SHEETS or sheet in SKIPPED_SHEETS:
                continue
            df, info = self._read_sheet(book, sheet)
            parts.append(df)
            # Match the sheet's Metric line to the next unused dictionary entry with the
            # same wording (the dictionary lists sheets in order; some metrics repeat).
            key = _metric_key(info["metric"])
            entry = None
            for k, d in enumerate(dictionary):
                dk = _metric_key(d["metric"])
                if k not in used and (key.startswith(dk) or dk.startswith(key)):
                    used.add(k)
                    entry = d
                    break
            m = SHEETS[sheet]
            if entry is None:
                warnings.append(
                    f"sheet {sheet!r}: no Data dictionary entry for metric {info['metric'][:60]!r}"
                )
            else:
                unit = _dictionary_unit(entry["unit_text"])
                if unit != m.unit:
                    warnings.append(
                        f"sheet {sheet!r}: Data dictionary measure {entry['unit_text'][:50]!r} does not match the declared unit {m.unit!r}"
                    )
            if info["obsolete"]:
                obsolete[sheet] = info["obsolete"]
            if info["flagged"]:
                flagged.append(f"{sheet} ({info['flagged']})")
            if info["no_code"]:
                warnings.append(
                    f"sheet {sheet!r}: {len(info['no_code'])} areas with code 'na' left out (no GSS code): "
                    + ", ".join(info["no_code"])
                )
            meta[m.id] = {
                "sheet": sheet,
                **{k: v for k, v in info.items() if k not in ("no_code",)},
                "dictionary": entry,
            }
        if obsolete:
            warnings.append(
                f"{sum(obsolete.values()):,} rows with obsolete area codes kept as published (Notes 'Obsolete code since ...') "
                f"in {len(obsolete)} sheets"
            )
        if flagged:
            warnings.append(
                "values carrying an 'Observation Status' remark (e.g. 'Value for Hackney and City of London combined'): "
                + ", ".join(flagged)
            )
        # One tidy() for all sheets (50 small frames cost more than the parsing).
        cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        levels = {c: geography_level(c) for c in set(cols["geography_code"])}
        cols["geography_level"] = np.array(
            [levels[c] for c in cols["geography_code"]], dtype=object
        )
        df = tidy(industry="Total", breakdown="All", **cols)
        release = _release_from_notes(book)
        if not release:
            warnings.append("release date not found on the Notes sheet")
        df["release"] = release or np.nan
        df = self.finish(df, path)
        df.attrs["warnings"] = warnings
        df.attrs["metadata"] = {DATASET: {"release": release, "measures": meta}}
        return df

    def _read_sheet(self, book: Workbook, sheet: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """One indicator sheet as tidy columns (arrays) and what it says about itself."""
        rows = book.rows(sheet)
        path = book.path
        info: dict[str, Any] = {}
        for key in ("metric", "date", "coverage", "geography"):
            r = next(
                (
                    i
                    for i, row in enumerate(rows[:8])
                    if row and clean_text(row[0]).lower() == f"{key}:"
                ),
                None,
            )
            if r is None:
                raise InputError(
                    path, f"'{key.title()}:' line not found in the first 8 rows", sheet=sheet
                )
            info[key] = clean_text(rows[r][1]) if len(rows[r]) > 1 else ""
        period = info["date"]
        year = period_year(period)
        if year is None:
            r = next(
                i for i, row in enumerate(rows[:8]) if row and clean_text(row[0]).lower() == "date:"
            )
            raise InputError(
                path, f"no year in the Date: text {period!r}", sheet=sheet, row=r, column=1
            )
        h = next(
            (
                i
                for i, row in enumerate(rows[:20])
                if row and clean_text(row[0]).lower() == "area code"
            ),
            None,
        )
        if h is None:
            raise InputError(
                path,
                "header row with 'Area Code' not found in the first 20 rows (header moved or renamed?)",
                sheet=sheet,
            )
        head = [clean_text(c) for c in rows[h]]
        low = [c.lower() for c in head]
        name_cols = []
        j = 1
        while j < len(low) and low[j] in NAME_HEADERS:
            name_cols.append(j)
            j += 1
        if not name_cols:
            raise InputError(
                path,
                f"no area name column after 'Area Code' (found {head[1] if len(head) > 1 else ''!r})",
                sheet=sheet,
                row=h,
                column=1,
            )
        if j >= len(low) or not low[j] or low[j] in TEXT_HEADERS or low[j] in (CI_LOWER, CI_UPPER):
            raise InputError(
                path, "no value column after the area name columns", sheet=sheet, row=h, column=j
            )
        vcol = j
        lo = low.index(CI_LOWER) if CI_LOWER in low else None
        hi = low.index(CI_UPPER) if CI_UPPER in low else None
        for k in range(vcol + 1, len(low)):
            if low[k] and low[k] not in TEXT_HEADERS and k not in (lo, hi):
                raise InputError(
                    path,
                    f"unexpected column {head[k]!r} after the value column",
                    sheet=sheet,
                    row=h,
                    column=k,
                    header=head[k],
                )
        status_col = low.index("observation status") if "observation status" in low else None
        notes_col = low.index("notes") if "notes" in low else None

        # Data rows: a code in column A; stop at the first blank code and check that only
        # blank rows or footnotes (no numbers) follow.
        data, no_code = [], []
        r = h + 1
        while r < len(rows) and _text(rows[r][0]):
            code = _text(rows[r][0])
            if code.lower() == "na":
                no_code.append(self._name(rows[r], name_cols) or f"row {r + 1}")
            else:
                data.append(r)
            r += 1
        for rr in range(r, len(rows)):
            cells = rows[rr]
            if any(isinstance(c, (int, float)) and not isinstance(c, bool) for c in cells[1:]):
                raise InputError(
                    path,
                    "numbers below the first row with a blank 'Area Code' (a data row without a code?)",
                    sheet=sheet,
                    row=rr,
                    column=0,
                )
        if not data:
            raise InputError(path, "no data rows under the header", sheet=sheet, row=h)
        codes = [_text(rows[i][0]) for i in data]
        names = []
        for i in data:
            nm = self._name(rows[i], name_cols)
            if not nm:
                raise InputError(
                    path,
                    "area code without a name in any name column",
                    sheet=sheet,
                    row=i,
                    column=name_cols[0],
                )
            names.append(nm)
        check_codes(codes, data, file=path, sheet=sheet, col=0, header="Area Code")
        cols = [vcol] + [c for c in (lo, hi) if c is not None]
        check_unlabelled_columns(rows, h, data, cols, first=vcol, file=path, sheet=sheet)
        values, status = parse_block(
            rows,
            data,
            cols,
            file=path,
            sheet=sheet,
            headers=[head[c] for c in cols],
            markers=SUBNAT_MARKERS,
        )

        def texts(c: int | None) -> list[str]:
            if c is None:
                return [""] * len(data)
            return [_text(rows[i][c]) if c < len(rows[i]) else "" for i in data]

        notes = texts(notes_col)
        remarks = texts(status_col)
        info["obsolete"] = sum(n.lower().startswith("obsolete code") for n in notes)
        info["flagged"] = sum(
            bool(t) and not np.isnan(v) for t, v in zip(remarks, values[:, 0], strict=True)
        )
        info["observation_status"] = dict(Counter(t for t in remarks if t))
        info["notes"] = dict(Counter(n for n in notes if n))
        info["no_code"] = no_code
        info["header_row"] = h
        info["value_header"] = head[vcol]
        n = len(data)
        nan = np.full(n, np.nan)
        part = {
            "measure": np.full(n, SHEETS[sheet].id, dtype=object),
            "geography_code": np.array(codes, dtype=object),
            "geography_name": np.array(names, dtype=object),
            "period": np.full(n, period, dtype=object),
            "year": np.full(n, year),
            "value": values[:, 0],
            "status": status[:, 0],
            "ci_lower": values[:, cols.index(lo)] if lo is not None else nan,
            "ci_upper": values[:, cols.index(hi)] if hi is not None else nan,
            "sheet": np.full(n, sheet, dtype=object),
            "row": np.array(data),
            "col": np.full(n, vcol),
        }
        return part, info

    @staticmethod
    def _name(row: list[Any], name_cols: list[int]) -> str:
        for c in name_cols:
            if c < len(row):
                v = _text(row[c])
                if v:
                    return v
        return ""
