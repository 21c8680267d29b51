"""Write an ONS Business Demography reference-table workbook from tidy observations, in
the 2024-edition layout read by :mod:`lis_analysis.sources.business_demography`.

Area tables only: births (Table 1.1x), deaths (2.1x), active (3.1x), survival by birth
cohort (5.1x), employer demography (6.1), high growth (7.1x) and active with 10+
employees (7.3x), for the measures present in the observations. Years are split over
sheets as ONS does (first year ``a``, second ``b``, the middle years together in ``c``,
the last ``d``); survival tables get one sheet per cohort. The publisher's quirks are
reproduced: a multi-year header with the first year as text and the others as numbers,
codes with a trailing space in the multi-year sheets, names of areas above district
level indented with spaces, ``:`` for survival years not yet reached.
"""

from __future__ import annotations

from pathlib import Path
from string import ascii_lowercase

import numpy as np
import pandas as pd

from . import _xlsx
from .world import LABEL

_TABLES = [
    (
        "1.1",
        "births",
        "Count Of Births Of New Enterprises For {years} District, Counties And Unitary Authorities Within Region And Country",
    ),
    (
        "2.1",
        "deaths",
        "Count Of Deaths Of Enterprises For {years} By District, Counties And Unitary Authorities Within Region And Country",
    ),
    (
        "3.1",
        "active",
        "Count Of Active Enterprises For {years} District, Counties And Unitary Authorities Within Region And Country",
    ),
    (
        "7.1",
        "high_growth",
        "Count Of High Growth Enterprises For {years} District, Counties And Unitary Authorities Within Region And Country",
    ),
    (
        "7.3",
        "active_10plus",
        "Count Of Active Enterprises With 10+ Employees For {years} District, Counties And Unitary Authorities Within Region And Country",
    ),
]
_UNITS = "Units: Counts (control rounded to base 5)"


def file_name(year: int) -> str:
    """The publisher's file name for the edition with data to ``year``."""
    return f"businessdemographyexceltables{year}.xlsx"


def _chunks(years: list[int]) -> list[list[int]]:
    """a: first year, b: second, c: the middle years, d: the last (as in the 2024 edition)."""
    if len(years) < 4:
        return [[y] for y in years]
    return [[years[0]], [years[1]], years[2:-1], [years[-1]]]


class _Cells:
    """(code, measure, year) -> (value, status) lookups over plain arrays (fast)."""

    def __init__(self, obs: pd.DataFrame) -> None:
        codes = obs["geography_code"].to_numpy(dtype=object)
        self.names = dict(zip(codes, obs["geography_name"].to_numpy(dtype=object), strict=True))
        self.levels = dict(zip(codes, obs["geography_level"].to_numpy(dtype=object), strict=True))
        status = obs["status"].astype(object).where(obs["status"].notna(), None).to_numpy()
        self.cells = {
            (c, m, int(y)): (v, s)
            for c, m, y, v, s in zip(
                codes,
                obs["measure"].to_numpy(dtype=object),
                obs["year"].to_numpy(dtype=float, na_value=np.nan),
                obs["value"].to_numpy(dtype=float, na_value=np.nan),
                status,
                strict=True,
            )
        }
        self.by_measure: dict[str, set[tuple[str, int]]] = {}
        for c, m, y in self.cells:
            self.by_measure.setdefault(m, set()).add((c, y))

    def order(self, codes: set[str]) -> list[str]:
        return sorted(
            codes,
            key=lambda c: (not c.startswith("K"), c[:3] not in ("E92", "W92", "S92", "N92"), c),
        )

    def name(self, code: str) -> str:
        # Areas above district level are indented, as in the published tables.
        indent = "" if self.levels.get(code) in ("lad", "uk", "gb", "ew", "country") else " "
        return indent + str(self.names[code])


def _put(ws, r: int, c: int, cell: tuple[float, str | None] | None) -> None:
    if cell is None:
        return
    v, s = cell
    if s:
        ws.write_string(r, c, s)
    elif not np.isnan(v):
        ws.write_number(r, c, float(v))


def _title(ws, text: str) -> None:
    ws.write(0, 0, f"{text} - {LABEL}")
    ws.write(1, 0, "This worksheet contains one table")
    ws.write(2, 0, _UNITS)


def write_business_demography(obs: pd.DataFrame, path: Path) -> Path:
    """Write ``ons_business_demography`` observations as ``businessdemographyexceltables<year>.xlsx``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    cells = _Cells(obs)
    book = _xlsx.workbook(path)
    cover = book.add_worksheet("Cover")
    cover.write(0, 0, "COVERSHEET")
    cover.write(1, 0, f"Business Demography - {LABEL}")
    book.add_worksheet("Contents").write(0, 0, f"Business Demography - {LABEL}")
    book.add_worksheet("Notes").write(0, 0, "Notes")

    for number, measure, title in _TABLES:
        keys = cells.by_measure.get(measure)
        if not keys:
            continue
        years = sorted({y for _, y in keys})
        for letter, chunk in zip(ascii_lowercase, _chunks(years), strict=False):
            ws = book.add_worksheet(f"Table {number}{letter}")
            span = (
                ", ".join(map(str, chunk[:-1])) + f" and {chunk[-1]}"
                if len(chunk) > 1
                else str(chunk[0])
            )
            _title(ws, f"Table {number}{letter} - " + title.format(years=span))
            for k, y in enumerate(chunk):
                if k == 0 and len(chunk) > 1:
                    ws.write_string(3, 2 + k, str(y))  # the publisher prints the first year as text
                else:
                    ws.write_number(3, 2 + k, y)
            codes = cells.order({c for c, y in keys if y in chunk})
            pad = " " if len(chunk) > 1 else ""  # trailing space on codes in the multi-year sheets
            for r, code in enumerate(codes, start=4):
                ws.write_string(r, 0, code + pad)
                ws.write_string(r, 1, cells.name(code))
                for k, y in enumerate(chunk):
                    _put(ws, r, 2 + k, cells.cells.get((code, measure, y)))

    cohorts = sorted({y for _, y in cells.by_measure.get("survival_1yr", set())})
    for letter, year in zip(ascii_lowercase, cohorts, strict=False):
        ws = book.add_worksheet(f"Table 5.1{letter}")
        _title(
            ws,
            f"Table 5.1{letter} - Survival Of Newly Born Enterprises District, Counties And Unitary Authorities "
            f"Within Region And Country By Births Of Units In {year} And Their Survival",
        )
        head = [f"{year} Births"]
        for k in range(1, 6):
            head += [f"{k}-year survival", f"{k}-year      per cent"]
        for c, h in enumerate(head, start=2):
            ws.write_string(3, c, h)
        codes = cells.order({c for c, y in cells.by_measure["survival_1yr"] if y == year})
        for r, code in enumerate(codes, start=4):
            ws.write_string(r, 0, code)
            ws.write_string(r, 1, cells.name(code))
            _put(ws, r, 2, cells.cells.get((code, "births", year), (np.nan, ":")))
            for k in range(1, 6):
                _put(ws, r, 1 + 2 * k, cells.cells.get((code, f"survival_{k}yr", year)))
                _put(ws, r, 2 + 2 * k, cells.cells.get((code, f"survival_rate_{k}yr", year)))

    emp = cells.by_measure.get("employer_births")
    if emp:
        year = max(y for _, y in emp)
        ws = book.add_worksheet("Table 6.1")
        _title(
            ws,
            f"Table 6.1 - Employer Demography: Counts Of Births, Deaths And Active For {year} District, "
            "Counties And Unitary Authorities Within Region And Country",
        )
        ws.write_string(3, 2, f"{year} Employer Demography")
        for c, h in enumerate(["Births", "Deaths", "Active"], start=2):
            ws.write_string(4, c, h)
        codes = cells.order({c for c, y in emp if y == year})
        for r, code in enumerate(codes, start=5):
            ws.write_string(r, 0, code)
            ws.write_string(r, 1, cells.name(code))
            for k, m in enumerate(["employer_births", "employer_deaths", "employer_active"]):
                _put(ws, r, 2 + k, cells.cells.get((code, m, year)))
    book.close()
    return path
