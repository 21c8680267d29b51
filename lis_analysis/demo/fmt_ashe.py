"""Write ONS ASHE Table 7 (workplace) and Table 8 (residence) workbooks from tidy
observations, in the layout read by :mod:`lis_analysis.sources.ashe`.

One workbook per table and year, as ONS publishes them: a ``Notes`` sheet and one sheet
per breakdown present in the observations (``All`` at least), each with the title row,
the 3-row split header, the coded rows, a "Not Classified" row, the footnotes and the
quality key to the right of the table. Values flagged ``cv_5_10``/``cv_10_20`` are shaded
like the key (the parser reads the shading back); markers are printed as text, and a row
whose every measure carries the same marker prints it once in the jobs column, as ONS
does. Written as .xlsx (Table 8 is published as .xls; calamine reads both).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..sources.ashe import ASHE_MARKERS, BREAKDOWNS, PERCENTILES, TABLES
from . import _xlsx
from .world import LABEL

_KEY = [
    ("Key", "Statistical robustness", None),
    ("CV <= 5%", "Estimates are considered precise", None),
    ("CV > 5% and <= 10%", "Estimates are considered reasonably precise", "cv_5_10"),
    ("CV > 10% and <= 20%", "Estimates are considered acceptable", "cv_10_20"),
    ("x = CV > 20%", "Estimates are considered unreliable for practical purposes", None),
    (".. = disclosive", "", None),
    (": = not applicable", "", None),
    ("- = nil or negligible", "", None),
]
_FOOT = [
    "a  Employees on adult rates whose pay for the survey pay-period was not affected by absence.",
    "b  Figures for Number of Jobs are for indicative purposes only and should not be considered an accurate estimate of employee job counts.",
    "KEY - The colour coding indicates the quality of each estimate;  jobs, median, mean and percentiles but not the annual percentage change.",
]


def file_name(family: str, stem: str, year: int) -> str:
    """The publisher's file name, e.g. ``PROV - Work Geography Table 7.1a   Weekly pay -
    Gross 2024.xlsx`` (runs of three spaces as published)."""
    sub = next(k for k, v in TABLES.items() if v[0] == stem)
    what = {
        1: "Weekly pay - Gross",
        2: "Weekly pay - Excluding overtime",
        5: "Hourly pay - Gross",
        6: "Hourly pay - Excluding overtime",
        7: "Annual pay - Gross",
    }[sub]
    geo = "Work" if family == "7" else "Home"
    return f"PROV - {geo} Geography Table {family}.{sub}a   {what} {year}.xlsx"


def _stem(obs: pd.DataFrame) -> str:
    stems = {m.rsplit("_", 1)[0] for m in obs["measure"].unique() if m.endswith("_median")}
    if len(stems) != 1:
        raise ValueError(
            f"one ASHE table per workbook: found measures for {sorted(stems) or 'none'}"
        )
    return stems.pop()


def _write(obs: pd.DataFrame, path: Path, family: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    stem = _stem(obs)
    sub = next(k for k, v in TABLES.items() if v[0] == stem)
    words = TABLES[sub][2]
    years = sorted(obs["year"].dropna().astype(int).unique().tolist())
    if len(years) != 1:
        raise ValueError(f"one year per ASHE workbook, found {years}")
    year = years[0]
    what = (
        words.replace("weekly", "Weekly")
        .replace("annual", "Annual")
        .replace("hourly", "Hourly")
        .replace("gross", "Gross")
    )
    what = what.replace("excluding", "Excluding")
    columns = [
        f"{stem}_jobs",
        f"{stem}_median",
        f"{stem}_median_change",
        f"{stem}_mean",
        f"{stem}_mean_change",
    ]
    columns += [f"{stem}_p{p}" for p in PERCENTILES]

    book = _xlsx.workbook(path)
    shade = {
        "cv_5_10": book.add_format({"pattern": 1, "bg_color": "#D9D9D9"}),
        "cv_10_20": book.add_format({"pattern": 1, "bg_color": "#FFCC99"}),
    }
    notes = book.add_worksheet("Notes")
    notes.write(
        0, 0, f"Guide to results from the Annual Survey of Hours and Earnings (ASHE) - {LABEL}"
    )
    for i, (label, meaning, band) in enumerate(_KEY, start=3):
        notes.write(i, 1, label, shade.get(band or ""))
        notes.write(i, 2, meaning)

    present = [b for b in BREAKDOWNS if b in set(obs["breakdown"].unique())]
    if "All" not in present:
        raise ValueError("ASHE workbooks need the 'All' breakdown")
    for sheet in present:
        sub_obs = obs[obs["breakdown"] == sheet]
        ws = book.add_worksheet(sheet)
        who = "all" if sheet == "All" else sheet.lower().replace("-time", "-time")
        if family == "7":
            ws.write(
                0,
                0,
                f"Table {family}.{sub}a   {what} (£) - For {who} employee jobsa: United Kingdom, {year} - {LABEL}",
            )
        else:  # Table 8 splits the title over columns A and C
            ws.write(0, 0, f"Table {family}.{sub}a {what}")
            ws.write(0, 2, f"For {who} employee jobs(a): United Kingdom, {year} - {LABEL}")
        head: list[list[str | int]] = [
            ["", "", "Number", "", "Annual", "", "Annual"],
            ["", "", "of jobsb", "", "percentage", "", "percentage", "Percentiles"],
            [
                "Description",
                "Code",
                "(thousand)",
                "Median",
                "change",
                "Mean",
                "change",
                *PERCENTILES,
            ],
        ]
        for r, line in enumerate(head, start=2):
            for c, v in enumerate(line):
                if v != "":
                    ws.write(r, c, v)
        # Plain object arrays: iterating Arrow-backed string columns is slow.
        codes = sub_obs["geography_code"].to_numpy(dtype=object)
        names = dict(zip(codes, sub_obs["geography_name"].to_numpy(dtype=object), strict=True))
        cells = {
            (c, m): (v, st)
            for c, m, v, st in zip(
                codes,
                sub_obs["measure"].to_numpy(dtype=object),
                sub_obs["value"].to_numpy(dtype=float, na_value=np.nan),
                sub_obs["status"].astype(object).where(sub_obs["status"].notna(), None).to_numpy(),
                strict=True,
            )
        }
        # UK, GB, E&W first, then England, then the rest in code order.
        order = sorted(names, key=lambda k: (not k.startswith("K"), not k.startswith("E92"), k))
        r = 5
        for code in order:
            ws.write(r, 0, names[code])
            ws.write(r, 1, code)
            got = [cells.get((code, m), (np.nan, None)) for m in columns]
            markers = [st for _, st in got if st in ASHE_MARKERS]
            if len(markers) == len(columns) and len(set(markers)) == 1:
                ws.write_string(r, 2, markers[0])  # the whole row suppressed: one marker
            else:
                for c, (v, st) in enumerate(got, start=2):
                    if st in ASHE_MARKERS:
                        ws.write_string(r, c, st)
                    elif not np.isnan(v):
                        ws.write_number(r, c, v, shade.get(st or ""))
                    # else: a blank cell (annual change not available)
            r += 1
        ws.write(r, 0, "Not Classified")
        ws.write_string(r, 2, ":")
        for i, text in enumerate(_FOOT, start=r + 1):
            ws.write(i, 0, text)
        ws.write(r + 1 + len(_FOOT), 0, f"Source: Annual Survey of Hours and Earnings - {LABEL}")
        for i, (label, meaning, band) in enumerate(_KEY, start=6):
            ws.write(i, 18, label, shade.get(band or ""))
            if meaning:
                ws.write(i, 19, meaning)
    book.close()
    return path


def write_ashe_table7(obs: pd.DataFrame, path: Path) -> Path:
    """ASHE Table 7 (place of work) workbook: ``ons_ashe_workplace`` observations for one
    table (e.g. weekly pay gross) and one year."""
    return _write(obs, path, "7")


def write_ashe_table8(obs: pd.DataFrame, path: Path) -> Path:
    """ASHE Table 8 (place of residence) workbook: ``ons_ashe_residence`` observations
    for one table and one year."""
    return _write(obs, path, "8")
