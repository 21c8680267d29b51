"""Write ONS subregional productivity (district) workbooks from tidy observations."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..sources.productivity import LAD_SHEETS
from . import _xlsx
from .world import LABEL

_TITLES = {
    "A1": "Table A1: Current Price (smoothed) GVA (B) per hour worked indices; Local Authority District (UK=100)",
    "A3": "Table A3: Current Price (smoothed) GVA (B) per hour worked (£); Local Authority District",
    "B1": "Table B1: Current Price (smoothed) GVA (B) per filled job indices; Local Authority District (UK=100)",
    "B3": "Table B3: Current Price (smoothed) GVA (B) per filled job (£); Local Authority District",
    "Productivity Hours": "Productivity Hours Worked per Week by Local Authority District (constrained to ITL1)",
    "Productivity Jobs": "Productivity Jobs by Local Authority District (constrained to ITL1)",
}


def write_productivity_lad(obs: pd.DataFrame, path: Path) -> Path:
    """The June 2024 layout: Contents, A1, A3, B1, B3, Productivity Hours/Jobs; 4 title
    rows, header ``LAD_Code, LAD_Name, <Prefix>_<year>``, UKX first, footnotes below."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = _xlsx.workbook(path)
    ws = book.add_worksheet("Contents")
    ws.write(0, 0, f"Subregional productivity: {LABEL}")
    ws.write(
        2,
        0,
        "Reference tables published with the ONS Subregional Productivity June 2024 release (format only)",
    )
    for sheet, (measure, prefix) in LAD_SHEETS.items():
        sub = obs[obs["measure"] == measure]
        if sub.empty:
            continue
        wide = sub.pivot_table(
            index=["geography_code", "geography_name"],
            columns="year",
            values="value",
            aggfunc="first",
        )
        # UKX first, then districts in code order, as ONS prints them.
        order = sorted(wide.index, key=lambda k: (k[0] != "UKX", k[0]))
        wide = wide.loc[order]
        ws = book.add_worksheet(sheet)
        ws.write(0, 0, f"{_TITLES[sheet]} - {LABEL}")
        ws.write(1, 0, "Including UK figures for comparison purposes")
        header = ["LAD_Code", "LAD_Name", *[f"{prefix}{y}" for y in wide.columns]]
        for c, h in enumerate(header):
            ws.write(4, c, h)
        for r, ((code, name), vals) in enumerate(wide.iterrows(), start=5):
            ws.write(r, 0, code)
            ws.write(r, 1, name)
            for c, v in enumerate(vals.to_numpy(), start=2):
                if pd.notna(v):
                    ws.write_number(r, c, float(v))
        end = 5 + len(wide) + 1
        ws.write(end, 0, "Note 1: Data are current price; ie, data are not adjusted for inflation.")
        ws.write(end + 2, 0, f"Source: {LABEL}")
    book.close()
    return path
