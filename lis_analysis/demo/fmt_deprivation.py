"""Write an English Indices of Deprivation File 10 workbook (local authority district
summaries) from tidy observations, in the layout read by
:mod:`lis_analysis.sources.deprivation`.

One edition per workbook (``period`` 2019, 2025...). The ``Notes`` sheet (a text box in
the published file) carries the synthetic-data label; the ``IMD`` sheet and any domain
sheet whose measures are present follow, header on row 1 with the publisher's trailing
spaces, one row per district. Name the file like the publisher
(``File_10_-_IoD2025_Local_Authority_District_Summaries__lower-tier__.xlsx``): the
edition is read from the name.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..sources.deprivation import DOMAINS, SCALES, SUMMARIES
from . import _xlsx
from .world import LABEL


def file_name(year: int) -> str:
    return f"File_10_-_IoD{year}_Local_Authority_District_Summaries__lower-tier__.xlsx"


def _headers(prefix: str, printed: str, year: int) -> list[tuple[str, str]]:
    """(measure, header as printed) in the publisher's column order for one sheet."""
    out = []
    edition = f"IMD{year % 100}" if year >= 2025 else f"IMD {year}"
    for tail, (suffix, _, _) in SUMMARIES.items():
        mid = f"{prefix}_{suffix}"
        if suffix.endswith(("extent", "local_concentration")):
            if prefix != "imd":
                continue
            head = edition
        else:
            head = printed
        text = tail.replace("lsoas", "LSOAs").capitalize().replace("Lsoas", "LSOAs")
        out.append((mid, f"{head} - {text} "))
    for low, (mid, domain) in SCALES.items():
        if domain == prefix:
            label = (
                low.capitalize()
                if low.endswith("scale") and not low.startswith("rank")
                else "Rank of " + low[8:].title()
            )
            out.append((mid, label))
    return out


def write_imd_summaries(obs: pd.DataFrame, path: Path) -> Path:
    """Write ``mhclg_imd`` observations for one edition as a File 10 workbook."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    years = obs["year"].dropna().astype(int).unique().tolist()
    if len(years) != 1:
        raise ValueError(f"one edition per workbook, found {sorted(years)}")
    year = years[0]
    codes = obs["geography_code"].to_numpy(dtype=object)
    names = dict(zip(codes, obs["geography_name"].to_numpy(dtype=object), strict=True))
    status = obs["status"].astype(object).where(obs["status"].notna(), None).to_numpy()
    values = dict(
        zip(
            zip(codes, obs["measure"].to_numpy(dtype=object), strict=True),
            zip(obs["value"].to_numpy(dtype=float, na_value=np.nan), status, strict=True),
            strict=True,
        )
    )
    measures = set(obs["measure"].unique())
    boundary = 2019 if year < 2025 else year - 1  # IoD2025 is on 2024 district codes
    book = _xlsx.workbook(path)
    book.add_worksheet("Notes").write(
        0, 0, f"English Indices of Deprivation {year}: File 10 - {LABEL}"
    )
    for sheet, (prefix, printed, _) in DOMAINS.items():
        cols = [(m, h) for m, h in _headers(prefix, printed, year) if m in measures]
        if not cols:
            continue
        ws = book.add_worksheet(sheet)
        ws.write(0, 0, f"Local Authority District code ({boundary})")
        ws.write(0, 1, f"Local Authority District name ({boundary})")
        for c, (_, h) in enumerate(cols, start=2):
            ws.write(0, c, h)
        area = sorted({c for c, m in values if m in dict(cols)})
        for r, code in enumerate(area, start=1):
            ws.write_string(r, 0, code)
            ws.write_string(r, 1, names[code])
            for c, (m, _) in enumerate(cols, start=2):
                v, st = values.get((code, m), (np.nan, None))
                if st:
                    ws.write_string(r, c, st)
                elif not np.isnan(v):
                    ws.write_number(r, c, float(v))
    book.close()
    return path
