"""Write an ONS "UK business: activity, size and location" workbook from tidy
observations, in the 2025-edition layout read by :mod:`lis_analysis.sources.business_counts`.

Tables 1 (enterprises by broad industry group) and 10 (enterprises by employment size
band) are always written; 11 (turnover bands), 16 (local units by industry) and 22
(local units by size band) when their measures are present. The area is one cell,
``"E06000016 : Leicester"``; the Table 10 sheet name keeps the publisher's trailing space.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..sources.business_counts import BROAD_GROUPS
from . import _xlsx
from .world import LABEL

_SHEETS = [
    # (sheet name, measure, kind, title, band header)
    (
        "Table 1",
        "enterprises",
        "industry",
        "Table 1 - Number of VAT and/or PAYE based enterprises in districts, counties and unitary authorities within region and country by broad industry group",
        None,
    ),
    (
        "Table 10 ",
        "enterprises_by_employment",
        "band",
        "Table 10 - Number of VAT and/or PAYE based enterprises in districts, counties and unitary authorities within region and country by employment sizebands",
        "Employment Size Band",
    ),
    (
        "Table 11",
        "enterprises_by_turnover",
        "band",
        "Table 11 - Number of VAT and/or PAYE based enterprises in districts, counties and unitary authorities within region and country by turnover sizebands (£000's)",
        "Turnover Size Band (£000's)",
    ),
    (
        "Table 16",
        "local_units",
        "industry",
        "Table 16 - Number of VAT and/or PAYE based local units in districts, counties and unitary authorities within region and country by broad industry group",
        None,
    ),
    (
        "Table 22",
        "local_units_by_employment",
        "band",
        "Table 22 - Number of VAT and/or PAYE based local units in districts, counties and unitary authorities within region and country by employment sizebands",
        "Employment Size Band",
    ),
]
_REQUIRED = {"enterprises", "enterprises_by_employment"}


def file_name(year: int) -> str:
    """The publisher's file name for an edition (2025 was published as ``...2025new.xlsx``)."""
    return f"ukbusinessworkbook{year}.xlsx"


def _band_key(band: str) -> tuple[int, int]:
    """Sort '0-4' < '5-9' < ... < '250+' by their lower bound."""
    if band == "All":
        return (1, 0)
    return (0, int(band.rstrip("+").split("-")[0]))


def write_uk_business(obs: pd.DataFrame, path: Path) -> Path:
    """Write ``ons_uk_business`` observations as ``ukbusinessworkbook<year>.xlsx``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    missing = _REQUIRED - set(obs["measure"].unique())
    if missing:
        raise ValueError(f"Tables 1 and 10 need measures {sorted(missing)}")
    years = obs["year"].dropna().astype(int).unique().tolist()
    if len(years) != 1:
        raise ValueError(f"one edition (year) per workbook, found {sorted(years)}")
    year = years[0]
    codes = obs["geography_code"].to_numpy(dtype=object)
    names = dict(zip(codes, obs["geography_name"].to_numpy(dtype=object), strict=True))
    status = obs["status"].astype(object).where(obs["status"].notna(), None).to_numpy()
    cells = {
        (m, c, i, b): (v, s)
        for m, c, i, b, v, s in zip(
            obs["measure"].to_numpy(dtype=object),
            codes,
            obs["industry"].to_numpy(dtype=object),
            obs["breakdown"].to_numpy(dtype=object),
            obs["value"].to_numpy(dtype=float, na_value=np.nan),
            status,
            strict=True,
        )
    }
    book = _xlsx.workbook(path)
    cover = book.add_worksheet("Cover sheet ")
    cover.write(0, 0, "COVERSHEET")
    cover.write(1, 0, f"UK Business, activity, size and location, {year} - {LABEL}")
    book.add_worksheet("Notes").write(0, 0, "Notes")
    for sheet, measure, kind, title, band_header in _SHEETS:
        keys = [k for k in cells if k[0] == measure]
        if not keys:
            continue
        ws = book.add_worksheet(sheet)
        ws.write(0, 0, f"{title} - {LABEL}")
        ws.write(1, 0, "This worksheet contains one table")
        ws.write(2, 0, "Units: Counts (control rounded to base 5)")
        if kind == "industry":
            present = {k[2] for k in keys} - {"Total"}
            unknown = present - set(BROAD_GROUPS)
            if unknown:
                raise ValueError(
                    f"{measure}: industries {sorted(unknown)} are not broad industry groups"
                )
            groups = [g for g in BROAD_GROUPS if g in present]
            header = [f"{g} : {BROAD_GROUPS[g]}" for g in groups] + ["Total"]
            columns = [(g, "All") for g in groups] + [("Total", "All")]
            h = 3
        else:
            bands = sorted({k[3] for k in keys if k[3] != "All"}, key=_band_key)
            header = [*bands, "Total"]
            columns = [("Total", b) for b in bands] + [("Total", "All")]
            ws.write(3, 1, band_header)
            h = 4
        for c, text in enumerate(header, start=1):
            ws.write_string(h, c, text)
        area_codes = sorted(
            {k[1] for k in keys},
            key=lambda c: (not c.startswith("K"), c[:3] not in ("E92", "W92", "S92", "N92"), c),
        )
        for r, code in enumerate(area_codes, start=h + 1):
            ws.write_string(r, 0, f"{code} : {names[code]}")
            for c, (ind, br) in enumerate(columns, start=1):
                v, s = cells.get((measure, code, ind, br), (np.nan, None))
                if s:
                    ws.write_string(r, c, s)
                elif not np.isnan(v):
                    ws.write_number(r, c, float(v))
    book.close()
    return path
