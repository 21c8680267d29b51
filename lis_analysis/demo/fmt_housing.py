"""Write an ONS house price to workplace-based earnings ratio workbook from tidy
observations, in the 2024-edition layout read by :mod:`lis_analysis.sources.housing`.

Sheets ``1a``-``1c`` / ``2a``-``2c`` (England and Wales, countries, regions), ``3a``-``4c``
(counties) and ``5a``-``6c`` (districts) are written for the measures and geography levels
present: ``a`` house price (headers "Year ending Sep <year>"), ``b`` earnings, ``c``
ratio with its ``5-year average`` column; median sheets odd, lower quartile even. The
district sheets print each district's region code and name first: pass ``regions``
(district code -> (region code, region name)); districts not in it get blank cells.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from . import _xlsx
from .world import LABEL

_LEVEL_SHEET = {"uk": 1, "ew": 1, "gb": 1, "country": 1, "region": 1, "county": 3, "lad": 5}
_GEO = {
    1: "country and region, England and Wales",
    3: "county, England",
    5: "local authority district, England and Wales",
}
_WHAT = {
    "house_price": "{stat} house price by {geo}, year ending September {y0} to {y1} (£)",
    "earnings": "{stat} gross annual workplace-based earnings by {geo}, {y0} to {y1} (£)",
    "affordability_ratio": "Ratio of {stat_l} house price to {stat_l} gross annual workplace-based earnings by {geo}, {y0} to {y1}",
}


#: The publisher's file name (the download is always named without a year).
FILE_NAME = "ratioofhousepricetoworkplacebasedearnings.xlsx"


def write_affordability(
    obs: pd.DataFrame, path: Path, *, regions: Mapping[str, tuple[str, str]] | None = None
) -> Path:
    """Write ``ons_housing_affordability`` observations as
    ``ratioofhousepricetoworkplacebasedearnings.xlsx``-style workbook."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    regions = regions or {}
    codes = obs["geography_code"].to_numpy(dtype=object)
    names = dict(zip(codes, obs["geography_name"].to_numpy(dtype=object), strict=True))
    levels = dict(zip(codes, obs["geography_level"].to_numpy(dtype=object), strict=True))
    status = obs["status"].astype(object).where(obs["status"].notna(), None).to_numpy()
    cells: dict[tuple[str, str, str], tuple[float, str | None]] = {}
    for c, m, p, v, s in zip(
        codes,
        obs["measure"].to_numpy(dtype=object),
        obs["period"].to_numpy(dtype=object),
        obs["value"].to_numpy(dtype=float, na_value=np.nan),
        status,
        strict=True,
    ):
        cells[(m, c, p)] = (v, s)
    by_measure: dict[str, list[tuple[str, str]]] = {}
    for m, c, p in cells:
        by_measure.setdefault(m, []).append((c, p))
    unknown = {levels[c] for c in names} - set(_LEVEL_SHEET)
    if unknown:
        raise ValueError(f"no affordability sheet for geography levels {sorted(unknown)}")
    book = _xlsx.workbook(path)
    book.add_worksheet("Contents").write(0, 0, f"Contents - {LABEL}")
    meta = book.add_worksheet("Metadata")
    meta.write(0, 0, "Metadata")
    meta.write(1, 0, f"Affordability ratios - {LABEL}")
    meta.write(2, 0, "Where the symbol [x] appears in the tables, no data are available.")
    for base in (1, 5, 3):
        for offset, stat in ((0, "median"), (1, "lower_quartile")):
            number = base + offset
            for letter, what in (
                ("a", "house_price"),
                ("b", "earnings"),
                ("c", "affordability_ratio"),
            ):
                measure = f"{what}_{stat}"
                keys = [
                    (c, p)
                    for c, p in by_measure.get(measure, [])
                    if _LEVEL_SHEET[levels[c]] == base
                ]
                area = sorted(
                    {c for c, _ in keys},
                    key=lambda c: (
                        not c.startswith("K"),
                        c[:3] not in ("E92", "W92"),
                        c[0] == "W",
                        c,
                    ),
                )
                if not area:
                    continue
                years = sorted({int(p) for _, p in keys if p.isdigit()})
                avg = f"{measure}_5yr_average"
                has_avg = letter == "c" and avg in by_measure
                ws = book.add_worksheet(f"{number}{letter}")
                label = "Median" if stat == "median" else "Lower quartile"
                title = _WHAT[what].format(
                    stat=label, stat_l=label.lower(), geo=_GEO[base], y0=years[0], y1=years[-1]
                )
                ws.write(0, 0, f"Table {number}{letter} - {title} - {LABEL}")
                lead = (
                    ["Region code", "Region name ", "Local authority code", "Local authority name"]
                    if base == 5
                    else ["Code", "Name"]
                )
                heads = [f"Year ending Sep {y}" if letter == "a" else str(y) for y in years]
                for c, h in enumerate(lead + heads + (["5-year average"] if has_avg else [])):
                    ws.write_string(1, c, h)
                k = len(lead)
                for r, code in enumerate(area, start=2):
                    if base == 5:
                        rc, rn = regions.get(code, ("", ""))
                        ws.write(r, 0, rc)
                        ws.write(r, 1, rn)
                    ws.write_string(r, k - 2, code)
                    ws.write_string(r, k - 1, names[code])
                    periods = [str(y) for y in years] + (
                        [f"{years[-1] - 4}-{years[-1]}"] if has_avg else []
                    )
                    for j, period in enumerate(periods):
                        mid = avg if j == len(years) else measure
                        v, s = cells.get((mid, code, period), (np.nan, "[x]"))
                        if s:
                            ws.write_string(r, k + j, s)
                        elif not np.isnan(v):
                            ws.write_number(r, k + j, float(v))
    book.close()
    return path
