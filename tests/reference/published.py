"""Read the publishers' cells for the reference-value table, independently of the package.

Nothing here imports ``lis_analysis``: each reader opens one published file in
``../shared/data/public`` with pandas (python-calamine for Excel) and returns its cells
keyed by the publisher's own area codes, so that the expected figures in
``test_reference_values.py`` are worked out by hand from the files, never from the
package's parsers or output. Each sheet is read once per test session.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

#: The same folder as ``tests/conftest.py``'s ``public`` fixture; tests ask for that
#: fixture first, so a missing folder fails under CI and skips elsewhere.
PUBLIC = (Path(__file__).resolve().parents[3] / "shared" / "data" / "public").resolve()

#: Leicester and Leicestershire (LEP E37000021): Leicester UA and the seven districts of
#: Leicestershire county (DESIGN.md, "Default area and benchmarks").
LL = (
    "E06000016",  # Leicester
    "E07000129",  # Blaby
    "E07000130",  # Charnwood
    "E07000131",  # Harborough
    "E07000132",  # Hinckley and Bosworth
    "E07000133",  # Melton
    "E07000134",  # North West Leicestershire
    "E07000135",  # Oadby and Wigston
)
#: ITL3 TLF22 "Leicestershire CC and Rutland": the seven county districts plus Rutland.
TLF22 = (*LL[1:], "E06000017")


def path(rel: str) -> Path:
    p = PUBLIC / rel
    assert p.exists(), f"expected published file {rel} in {PUBLIC}"
    return p


@functools.cache
def sheet(rel: str, name: str, header: int, code_col: int | str = 0) -> pd.DataFrame:
    """One sheet with the row ``header`` (0-based, as pandas reads the file with no
    header) as column labels, indexed by the area code in ``code_col`` (a position or a
    label). Codes lose the trailing spaces ONS sometimes prints and the name of
    ``"E06000016 : Leicester"`` cells; rows without a code (titles, notes) are dropped.
    Year labels printed as numbers (2022.0) or text ('2022') both become '2022'. Cells
    stay as published: a marker such as ``[c]`` stays text (see :func:`num`)."""
    raw = pd.read_excel(path(rel), sheet_name=name, header=None, engine="calamine")
    body = raw.iloc[header + 1 :].set_axis([_label(v) for v in raw.iloc[header]], axis=1)
    pos = code_col if isinstance(code_col, int) else list(body.columns).index(code_col)
    codes = body.iloc[:, pos].astype(str).str.split(" : ").str[0].str.strip()
    keep = codes.str.fullmatch(r"[A-Z]{1,3}\d{0,8}") & body.iloc[:, pos].notna()
    return body[keep].set_axis(codes[keep], axis=0)


def _label(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def num(cells: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Published cells as numbers; a marker (``[c]``, ``x``, ``:``) becomes NaN, never 0."""
    if isinstance(cells, pd.DataFrame):
        return cells.apply(pd.to_numeric, errors="coerce")
    return pd.to_numeric(cells, errors="coerce")


def cells(frame: pd.DataFrame, codes, column: str) -> pd.Series:
    """The cells of ``column`` for exactly ``codes``; fails if a code is absent or a
    cell is a marker (an area is never built from part of its districts)."""
    codes = list(codes)
    missing = [c for c in codes if c not in frame.index]
    assert not missing, f"codes {missing} not in the sheet"
    values = num(frame.loc[codes, column]).astype(float)
    assert values.notna().all(), f"suppressed or empty cells in {column}: {values[values.isna()]}"
    return values


@functools.cache
def els(name: str) -> pd.DataFrame:
    """An Explore Local Statistics tidy CSV (``indicators_els/<name>.csv``), as published."""
    return pd.read_csv(path(f"indicators_els/{name}.csv"), encoding="utf-8-sig", dtype=str)


def els_cells(name: str, indicator: str, year: int, codes) -> pd.Series:
    """``observation`` of ``indicator`` for ``year`` (period ``<year>-01-01/P1Y``) and
    exactly ``codes`` (one row per code: the file repeats a few rows verbatim)."""
    d = els(name)
    d = d[(d["indicator"] == indicator) & (d["period"] == f"{year}-01-01/P1Y")]
    d = d.drop_duplicates().set_index("areacd")
    codes = list(codes)
    assert d.index.is_unique and set(codes) <= set(d.index), f"{name}: {indicator} {year}"
    values = pd.to_numeric(d.loc[codes, "observation"])
    assert values.notna().all(), f"{name}: suppressed cells {values[values.isna()]}"
    return values


@functools.cache
def england_districts() -> tuple[str, ...]:
    """The 296 English districts (ONS LAD 2023 to region lookup, ``LAD23CD``)."""
    d = pd.read_csv(path("lookups/LADs_to_region.csv"), encoding="utf-8-sig", dtype=str)
    return tuple(d["LAD23CD"])


@functools.cache
def region_districts(region: str) -> tuple[str, ...]:
    """The districts of an English region (same lookup, ``RGN23CD``)."""
    d = pd.read_csv(path("lookups/LADs_to_region.csv"), encoding="utf-8-sig", dtype=str)
    return tuple(d.loc[d["RGN23CD"] == region, "LAD23CD"])


@functools.cache
def gva_by_industry(table: str) -> pd.DataFrame:
    """ONS regional GVA (balanced) by industry, local authorities, April 2025: ``table``
    ('Table 2' chained volume £m, 'Table 3' current prices £m) of the nine English
    regional workbooks stacked; index = LA code, columns ``SIC07`` (as text) and years."""
    folder = PUBLIC / "gva_by_industry"
    frames = []
    for f in sorted(folder.glob("regionalgrossvalueaddedbalancedbyindustrylocalauthorities*.xlsx")):
        rel = f"gva_by_industry/{f.name}"
        frames.append(sheet(rel, table, header=1, code_col="LA code"))
    out = pd.concat(frames)
    out["SIC07"] = out["SIC07"].astype(str).str.strip()
    return out


def gva_rows(table: str, sic: str, year: int, codes) -> pd.Series:
    """``year`` cells of the ``SIC07 == sic`` row of each of ``codes``."""
    d = gva_by_industry(table)
    return cells(d[d["SIC07"] == sic], codes, str(year))


@functools.cache
def uk_districts() -> tuple[str, ...]:
    """The 361 UK districts (ONS LAD (December 2024) to ITL lookup, ``LAD24CD``)."""
    name = "LAD_(December_2024)_to_LAU1_to_ITL3_to_ITL2_to_ITL1_(January_2025)_Lookup_in_the_UK.csv"
    d = pd.read_csv(path(f"lookups/{name}"), encoding="utf-8-sig", dtype=str)
    return tuple(dict.fromkeys(d["LAD24CD"]))


#: The Explore Local Statistics family files beside ``public/`` (``../shared/data/els``).
ELS = PUBLIC.parent / "els"


@functools.cache
def els_family(stem: str) -> pd.DataFrame:
    """An Explore Local Statistics CSV of ``../shared/data/els`` (``<stem>.csv``), as published."""
    p = ELS / f"{stem}.csv"
    assert p.exists(), f"expected published file {stem}.csv in {ELS}"
    return pd.read_csv(p, encoding="utf-8-sig", dtype=str)


def els_period_cells(stem: str, indicator: str, period: str, codes) -> pd.Series:
    """``observation`` of ``indicator`` for the ISO ``period`` as printed (``2024-04-01/P1Y``)
    and exactly ``codes``, one row per code; fails on a marker or a missing code."""
    d = els_family(stem)
    d = d[(d["indicator"] == indicator) & (d["period"] == period)]
    d = d.drop_duplicates().set_index("areacd")
    codes = list(codes)
    assert d.index.is_unique and set(codes) <= set(d.index), f"{stem}: {indicator} {period}"
    values = pd.to_numeric(d.loc[codes, "observation"])
    assert values.notna().all(), f"{stem}: suppressed cells {values[values.isna()]}"
    return values
