"""Write the geography lookups in their published layouts from a lookup frame
(:data:`~lis_analysis.sources._base.LOOKUP_COLUMNS`), read back by
:mod:`lis_analysis.sources.lookups`: the ONS LAD to ITL, LAD to region and LAD to
combined authority CSVs, the ONS LEP names CSV and the DfE LSIP lookup workbook.

The CSV layouts have no title line, so the synthetic nature is in the file names
(``-demo``) and in the demonstrator folder's marker; the LSIP workbook carries an
``About`` sheet saying so.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from . import _xlsx
from .world import LABEL

LAD_ITL_FILE = (
    "LAD_(December_2024)_to_LAU1_to_ITL3_to_ITL2_to_ITL1_(January_2025)_Lookup_in_the_UK-demo.csv"
)
LAD_REGION_FILE = "LADs_to_region-demo.csv"
LAD_CA_FILE = "Local_Authority_District_to_Combined_Authority_(May_2025)_Lookup_in_EN-demo.csv"
LEP_NAMES_FILE = "Local_Enterprise_Partnerships_(April_2020)_Names_and_Codes_in_England-demo.csv"
LSIP_FILE = "LSIP_lookup-demo.xlsx"
LSIP_SHEET = "LA Districts to LSIPs"


def _relation(lookups: pd.DataFrame, relation: str) -> pd.DataFrame:
    sub = lookups[lookups["relation"] == relation]
    return sub.drop_duplicates(["child_code", "parent_code"])


def _one_parent(lookups: pd.DataFrame, relation: str) -> dict[str, tuple[str, str]]:
    """child code -> (parent code, parent name); a child with two parents is an error."""
    sub = _relation(lookups, relation)
    dup = sub["child_code"][sub["child_code"].duplicated()]
    if len(dup):
        raise ValueError(
            f"{relation}: {dup.iloc[0]} has more than one parent; this layout holds one"
        )
    return {
        c: (p, n)
        for c, p, n in zip(sub["child_code"], sub["parent_code"], sub["parent_name"], strict=True)
    }


def _write_csv(path: Path, rows: list[list[object]], *, bom: bool, crlf: bool) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n" if crlf else "\n").writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8"))
    return path


def write_lad_itl_lookup(
    lookups: pd.DataFrame, path: Path, *, lad_year: str = "24", itl_year: str = "25"
) -> Path:
    """ONS 'LAD to LAU1 to ITL3 to ITL2 to ITL1 Lookup in the UK' (BOM, CRLF; one row per
    district, LAU1 = the district, ``ObjectId`` last).

    Uses ``lad_to_itl3`` and, for each district, ``lad_to_itl2``/``lad_to_itl1`` or else
    ``itl3_to_itl2``/``itl2_to_itl1``.
    """
    l3 = _relation(lookups, "lad_to_itl3")
    if l3.empty:
        raise ValueError("write_lad_itl_lookup needs lad_to_itl3 relations")
    lad2, lad1 = _one_parent(lookups, "lad_to_itl2"), _one_parent(lookups, "lad_to_itl1")
    up2, up1 = _one_parent(lookups, "itl3_to_itl2"), _one_parent(lookups, "itl2_to_itl1")
    y, ly = itl_year, lad_year
    rows: list[list[object]] = [
        [f"ITL1{y}CD", f"ITL1{y}NM", f"ITL2{y}CD", f"ITL2{y}NM", f"ITL3{y}CD", f"ITL3{y}NM",
         f"LAU1{y}CD", f"LAU1{y}NM", f"LAD{ly}CD", f"LAD{ly}NM", "ObjectId"]
    ]  # fmt: skip
    if l3["child_code"].duplicated().any():
        raise ValueError(
            "write_lad_itl_lookup: a district with two ITL3 areas needs LAU1 codes, which a lookup frame lacks"
        )
    for k, (lad, lad_name, i3, i3n) in enumerate(
        zip(l3["child_code"], l3["child_name"], l3["parent_code"], l3["parent_name"], strict=True),
        start=1,
    ):
        try:
            i2, i2n = lad2.get(lad) or up2[i3]
            i1, i1n = lad1.get(lad) or up1[i2]
        except KeyError as e:
            raise ValueError(
                f"write_lad_itl_lookup: no ITL2/ITL1 for {lad} ({e.args[0]})"
            ) from None
        rows.append([i1, i1n, i2, i2n, i3, i3n, lad, lad_name, lad, lad_name, k])
    return _write_csv(path, rows, bom=True, crlf=True)


def _simple(lookups: pd.DataFrame, relation: str, child: str, parent: str) -> list[list[object]]:
    sub = _relation(lookups, relation)
    if sub.empty:
        raise ValueError(f"no {relation} relations to write")
    rows: list[list[object]] = [
        [f"{child}CD", f"{child}NM", f"{parent}CD", f"{parent}NM", "ObjectId"]
    ]
    for k, r in enumerate(
        sub[["child_code", "child_name", "parent_code", "parent_name"]].itertuples(index=False),
        start=1,
    ):
        rows.append([*r, k])
    return rows


def write_lad_region_lookup(lookups: pd.DataFrame, path: Path, *, year: str = "23") -> Path:
    """ONS LAD to region lookup (``LAD23CD, LAD23NM, RGN23CD, RGN23NM, ObjectId``; BOM, LF)."""
    return _write_csv(
        path, _simple(lookups, "lad_to_region", f"LAD{year}", f"RGN{year}"), bom=True, crlf=False
    )


def write_lad_ca_lookup(lookups: pd.DataFrame, path: Path, *, year: str = "25") -> Path:
    """ONS LAD to combined authority lookup (``LAD25CD, ..., CAUTH25NM, ObjectId``; BOM, CRLF)."""
    return _write_csv(
        path, _simple(lookups, "lad_to_ca", f"LAD{year}", f"CAUTH{year}"), bom=True, crlf=True
    )


def write_lep_names(lookups: pd.DataFrame, path: Path, *, year: str = "20") -> Path:
    """ONS LEP names and codes (``FID, LEP20CD, LEP20NM``; no BOM, LF) from ``lep_names``."""
    sub = lookups[lookups["relation"] == "lep_names"].drop_duplicates("child_code")
    if sub.empty:
        raise ValueError("no lep_names rows to write")
    rows: list[list[object]] = [["FID", f"LEP{year}CD", f"LEP{year}NM"]]
    rows += [
        [k, c, n]
        for k, (c, n) in enumerate(zip(sub["child_code"], sub["child_name"], strict=True), start=1)
    ]
    return _write_csv(path, rows, bom=False, crlf=False)


def write_lsip_lookup(
    lookups: pd.DataFrame,
    path: Path,
    *,
    year: str = "23",
    new_geography: Mapping[str, str] | None = None,
) -> Path:
    """DfE LSIP lookup workbook: sheet ``LA Districts to LSIPs`` (``LAD23CD, LAD23NM,
    LSIP23CD, LSIP23NM, NEW LSIP GEOGRAPHY (4 london areas)``; LSIP names padded with
    spaces as DfE prints them) and an ``About`` sheet saying the data are synthetic.
    ``new_geography`` maps district -> new LSIP area name (default: the current name)."""
    sub = _relation(lookups, "lad_to_lsip")
    if sub.empty:
        raise ValueError("no lad_to_lsip relations to write")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = _xlsx.workbook(path)
    ws = book.add_worksheet(LSIP_SHEET)
    ws.write_row(
        0,
        0,
        [
            f"LAD{year}CD",
            f"LAD{year}NM",
            f"LSIP{year}CD",
            f"LSIP{year}NM",
            "NEW LSIP GEOGRAPHY (4 london areas)",
        ],
    )
    new = new_geography or {}
    for i, (c, n, p, pn) in enumerate(
        zip(
            sub["child_code"],
            sub["child_name"],
            sub["parent_code"],
            sub["parent_name"],
            strict=True,
        ),
        start=1,
    ):
        ws.write_row(i, 0, [c, n, p, f" {pn} ", f"{new.get(c, pn)} "])
    about = book.add_worksheet("About")
    about.write(
        0,
        0,
        f"{LABEL}: districts and Local Skills Improvement Plan areas in the layout of the DfE lookup.",
    )
    book.close()
    return path
