"""Write ONS regional GVA (balanced) by industry workbooks (local authorities by ITL1
region) from tidy observations, in the April 2025 layout read by
:mod:`lis_analysis.sources.gva_industry`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..sources.gva_industry import SIC07_DESCRIPTIONS
from . import _xlsx
from .world import LABEL

#: File name for a region's workbook: ONS's name plus ``-demo``.
FILE_NAME = "regionalgrossvalueaddedbalancedbyindustrylocalauthorities{slug}-demo.xlsx"

#: measure -> (table number, title words); ``{ref}`` is the reference year.
TABLES = {
    "gva_cvm_index": (1, "chained volume measures index, {ref} equals 100"),
    "gva_cvm": (2, "chained volume measures in {ref} money value, pounds million [note 1]"),
    "gva_current": (3, "current prices, pounds million"),
    "gva_deflator": (4, "implied deflator, {ref} equals 100 [note 2]"),
}
_NOTES = [
    (
        1,
        "Components will not sum to totals since chain-linking produces non-additive volume estimates.",
    ),
    (
        2,
        "Use of implied deflators duplicates the effect of chain-linking, though technically this results in constant price volume measures.",
    ),
    (
        3,
        "Within this table some cells contain the letter [c]. This indicates a figure has been suppressed to avoid identification of individual company information.",
    ),
    (
        4,
        "Within this table some cells contain the letter [u]. This indicates a figure has been suppressed due to low reliability.",
    ),
]
#: Written where the observations have no cell for a district, industry and year.
MISSING = "[x]"


def file_name(itl1_code: str, itl1_name: str) -> str:
    """``regionalgrossvalueaddedbalancedbyindustrylocalauthoritiestlfeastmidlands-demo.xlsx``."""
    return FILE_NAME.format(slug=(itl1_code + re.sub(r"[^a-z]", "", itl1_name.lower())).lower())


def _reference_year(obs: pd.DataFrame, default: int) -> int:
    """The CVM/deflator reference year from a unit such as ``index (2022=100)``."""
    for unit in obs.get("unit", pd.Series(dtype=str)).dropna().unique():
        m = re.search(r"(\d{4})", str(unit))
        if m:
            return int(m.group(1))
    return default


def _cell(v: str) -> str | int:
    """SIC07 codes that are whole numbers are printed as numbers ('41' -> 41), as ONS does."""
    return int(v) if v.isdigit() else v


def write_gva_industry(
    obs: pd.DataFrame,
    path: Path,
    *,
    itl1_code: str = "TLF",
    itl1_name: str = "East Midlands",
    descriptions: Mapping[str, str] | None = None,
    reference_year: int = 2022,
) -> Path:
    """Write one ITL1 region's workbook.

    Parameters
    ----------
    obs : tidy observations (measures ``gva_cvm_index``, ``gva_cvm``, ``gva_current``,
        ``gva_deflator``; any subset) for the region's districts. ``status`` is written
        where set (``[c]``, ``[u]``); a district-industry-year with no observation is
        written as ``[x]``.
    path : the file to write (see :func:`file_name` for the publisher's pattern)
    itl1_code, itl1_name : the region named in titles and the ``ITL1 region`` column
    descriptions : SIC07 code -> description (default: the published descriptions)
    reference_year : CVM and deflator reference year when ``unit`` does not give it

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    desc = {**SIC07_DESCRIPTIONS, **(descriptions or {})}
    book = _xlsx.workbook(path)
    ws = book.add_worksheet("Information")
    region = f"{itl1_code} {itl1_name}"
    ws.write(
        0,
        0,
        f"Regional gross value added (balanced) by industry: local authorities by International Territorial Level (ITL) 1 region: {region} - {LABEL}",
    )
    ws.write(
        1,
        0,
        f"{LABEL}. Invented figures in the layout of the ONS tables; they describe no real place.",
    )
    ws.write(2, 0, "Publication date")
    ws.write(
        3,
        0,
        "These tables are part of the Regional economic activity by gross domestic product dataset published on 17 April 2025 (layout only).",
    )
    ws.write(4, 0, "The latest year's data are provisional.")
    present = [m for m in TABLES if (obs["measure"] == m).any()]
    contents = book.add_worksheet("Contents")
    contents.write_row(0, 0, ["Contents", ""])
    contents.write_row(1, 0, ["Tab Name", "Table name"])
    notes = book.add_worksheet("Notes")
    notes.write_row(0, 0, ["Notes", ""])
    notes.write_row(
        1,
        0,
        [
            "Note markers are presented throughout this dataset in square brackets, for example: [note 1].",
            "",
        ],
    )
    notes.write_row(2, 0, ["Note number", "Note text"])
    for i, (n, text) in enumerate(_NOTES, start=3):
        notes.write_number(i, 0, n)
        notes.write(i, 1, text)
    for k, measure in enumerate(present):
        sub = obs[obs["measure"] == measure]
        number, words = TABLES[measure]
        ref = _reference_year(sub, reference_year)
        title = (
            f"Table {number}: Regional gross value added (balanced) by industry: local authorities by ITL1 region: "
            f"{region}, {words.format(ref=ref)} - {LABEL}"
        )
        contents.write_row(2 + k, 0, [f"Table {number}", title])
        _write_table(book.add_worksheet(f"Table {number}"), sub, title, itl1_name, desc)
    book.close()
    return path


def _write_table(
    ws, sub: pd.DataFrame, title: str, itl1_name: str, desc: Mapping[str, str]
) -> None:
    years = sorted(int(y) for y in sub["year"].dropna().unique())
    codes = sorted(sub["geography_code"].astype(str).unique())
    names = (
        sub.drop_duplicates("geography_code")
        .set_index("geography_code")["geography_name"]
        .astype(str)
    )
    seen = list(dict.fromkeys(sub["industry"].astype(str)))
    industries = [c for c in SIC07_DESCRIPTIONS if c in seen] + [
        c for c in seen if c not in SIC07_DESCRIPTIONS
    ]
    # One (code, industry) row per district and industry; values/markers in a year grid.
    ci = pd.MultiIndex.from_product([codes, industries])
    key = pd.MultiIndex.from_arrays(
        [sub["geography_code"].astype(str), sub["industry"].astype(str)]
    )
    r = ci.get_indexer(key)
    c = np.searchsorted(years, sub["year"].astype(int).to_numpy())
    grid: np.ndarray = np.full((len(ci), len(years)), MISSING, dtype=object)
    vals = sub["value"].to_numpy(dtype=float, na_value=np.nan)
    stat = sub["status"].to_numpy(dtype=object, na_value=None)
    grid[r, c] = [
        s if s is not None else (v if v == v else MISSING) for v, s in zip(vals, stat, strict=True)
    ]
    ws.write(0, 0, title)
    ws.write_row(1, 0, ["ITL1 region", "LA code", "LA name", "SIC07", "SIC07 description", *years])
    region = f"{itl1_name} "  # ONS prints the region with a trailing space
    # Typed writes (not ws.write's dispatch): xlsxwriter's cost is per cell.
    write_number, write_string = ws.write_number, ws.write_string
    for i, (code, ind) in enumerate(ci):
        row = 2 + i
        ws.write_row(row, 0, [region, code, names[code], _cell(ind), desc.get(ind, ind)])
        for j, v in enumerate(grid[i].tolist(), start=5):
            if isinstance(v, float):  # numpy floats too
                write_number(row, j, v)
            else:
                write_string(row, j, v)


def write_gva_industry_regions(
    obs: pd.DataFrame, folder: Path, regions: Mapping[str, tuple[str, str]], **kwargs
) -> list[Path]:
    """One workbook per ITL1 region, as ONS publishes them.

    ``regions`` maps each district code to ``(itl1_code, itl1_name)``; districts not in it
    are an error (every published district sits in one region's file).
    """
    codes = obs["geography_code"].astype(str)
    unknown = sorted(set(codes) - set(regions))
    if unknown:
        raise ValueError(f"districts with no ITL1 region: {', '.join(unknown[:5])}")
    uniq = codes.unique()
    keys = [
        codes.map({c: regions[c][0] for c in uniq}).to_numpy(),
        codes.map({c: regions[c][1] for c in uniq}).to_numpy(),
    ]
    out = []
    for (itl1_code, itl1_name), grp in obs.groupby(keys, sort=True):
        out.append(
            write_gva_industry(
                grp,
                Path(folder) / file_name(itl1_code, itl1_name),
                itl1_code=itl1_code,
                itl1_name=itl1_name,
                **kwargs,
            )
        )
    return out
