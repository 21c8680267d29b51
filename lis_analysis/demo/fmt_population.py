"""Write population estimates in three published layouts from tidy observations: the ONS
'Population data' table, a Nomis CSV download and the ONS mid-year estimates workbook
(MYE2 single year of age, MYE4 totals). All are read back by
:mod:`lis_analysis.sources.population`.

The MYE2 layout needs single years of age, which observations do not carry: the writer
spreads each age band (``population_0_15``, ``population_16_64``, ``population_65_plus``)
evenly over its single years in whole numbers, so the parser's band sums give back the
observations exactly. Where only ``population`` and ``population_16_64`` are given, the
rest is split between 0-15 and 65+ (``share_0_15`` of it to the young).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..sources._base import geography_level
from ..sources.population import AGE_BANDS
from . import _xlsx
from .world import LABEL

POPULATION_LA_FILE = "populationestimatesbylocalauthority-demo.xlsx"
NOMIS_FILE = "lad_pop-demo.csv"
MYE_FILE = "ukpopestimatesmid{year}-demo.xlsx"

#: Nomis 'Age' labels for each measure.
NOMIS_AGE_LABELS = {
    "population": "All Ages",
    "population_16_64": "Aged 16 - 64",
    "population_0_15": "Aged 0 - 15",
    "population_65_plus": "Aged 65+",
}
NOMIS_SEX_LABELS = {"All": "Total", "Male": "Male", "Female": "Female"}

#: The 'Geography' column of MYE2/MYE4 by code level/prefix.
_MYE_GEOGRAPHY = {
    "E06": "Unitary Authority",
    "E07": "Non-metropolitan District",
    "E08": "Metropolitan District",
    "E09": "London Borough",
    "W06": "Unitary Authority",
    "S12": "Council Area",
    "N09": "Local Government District",
    "E10": "County",
    "E11": "Metropolitan County",
    "E12": "Region",
}


def _wide(obs: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Rows (geography_code, geography_name) x year columns of the printed cell: the
    value, or the marker where ``status`` is set."""
    sub = obs[obs["measure"] == measure]
    cell = sub["status"].astype(object).where(sub["status"].notna(), sub["value"].astype(object))
    t = pd.DataFrame(
        {
            "code": sub["geography_code"].astype(str).to_numpy(),
            "name": sub["geography_name"].astype(str).to_numpy(),
            "year": sub["year"].astype(int).to_numpy(),
            "cell": cell.to_numpy(),
        }
    )
    return t.pivot(index=["code", "name"], columns="year", values="cell").sort_index(axis=1)


def _num(v: object) -> object:
    """Whole-number floats as ints (counts are printed without decimals)."""
    if isinstance(v, float) and v == v and v.is_integer():
        return int(v)
    return v


# --------------------------------------------------------------------------------------
# 1. ONS 'Population data' table
# --------------------------------------------------------------------------------------


def write_population_la(
    obs: pd.DataFrame, path: Path, *, itl1_names: Mapping[str, str] | None = None
) -> Path:
    """The 'Population data' sheet: header on the first row (``ITL1 Region, LA code, LA
    name, <years>``; the last year as text, as ONS prints it), one row per district, a
    blank row and a source line; a ``Notes`` sheet explaining ``[u]``.

    ``itl1_names`` maps district code -> ITL1 region name for the first column (blank
    where not given). A district-year with no observation is written ``[x]``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wide = _wide(obs, "population")
    years = list(wide.columns)
    book = _xlsx.workbook(path)
    ws = book.add_worksheet("Population data")
    ws.write_row(0, 0, ["ITL1 Region", "LA code", "LA name"])
    for j, y in enumerate(years):
        if j == len(years) - 1:
            ws.write_string(0, 3 + j, str(y))
        else:
            ws.write_number(0, 3 + j, y)
    names = itl1_names or {}
    for i, ((code, name), vals) in enumerate(wide.iterrows(), start=1):
        ws.write_row(i, 0, [names.get(code, ""), code, name])
        ws.write_row(
            i,
            3,
            ["[x]" if (isinstance(v, float) and v != v) or v is None else _num(v) for v in vals],
        )
    end = len(wide) + 2
    ws.write(end, 0, f"Source: {LABEL} (layout of the ONS population estimates table)")
    notes = book.add_worksheet("Notes")
    notes.write_row(0, 0, ["Notes", ""])
    notes.write_row(
        1,
        0,
        [
            "Note markers are presented throughout this dataset in square brackets, for example: [u]. ",
            "",
        ],
    )
    notes.write_row(2, 0, ["Note marker", "Note text"])
    notes.write_row(
        3,
        0,
        [
            "[u]",
            "Within this table some cells contain the letter [u]. This indicates a figure has been suppressed due to uncertainty.",
        ],
    )
    notes.write_row(4, 0, ["[x]", "Not available."])
    book.close()
    return path


# --------------------------------------------------------------------------------------
# 2. Nomis CSV download
# --------------------------------------------------------------------------------------


def write_nomis_population(obs: pd.DataFrame, path: Path) -> Path:
    """A Nomis 'Population estimates - local authority based by single year of age'
    download: one block (``Gender``/``Age`` lines, header, data) per measure and sex,
    then the footnote explaining ``-``. Missing cells are written ``-``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    buf.write("\n")
    w.writerow(["Population estimates - local authority based by single year of age"])
    w.writerow([f"{LABEL} (layout of a Nomis download)"])
    breakdown = (
        obs["breakdown"].fillna("All").astype(str)
        if "breakdown" in obs
        else pd.Series("All", index=obs.index)
    )
    for measure, label in NOMIS_AGE_LABELS.items():
        for sex_key, sex in NOMIS_SEX_LABELS.items():
            sub = obs[(obs["measure"] == measure) & (breakdown == sex_key)]
            if sub.empty:
                continue
            wide = _wide(sub, measure)
            w.writerow(["Gender     :", sex])
            w.writerow(["Age        :", label])
            buf.write("\n")
            w.writerow(
                [
                    "local authority: district / unitary (synthetic)",
                    "mnemonic",
                    *[str(y) for y in wide.columns],
                ]
            )
            buf.write("\n")
            for (code, name), vals in wide.iterrows():
                cells = [
                    "-" if (isinstance(v, float) and v != v) or v is None else _num(v) for v in vals
                ]
                w.writerow([name, code, *cells])
            buf.write("\n")
    w.writerow(["-", "These figures are missing."])
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    return path


# --------------------------------------------------------------------------------------
# 3. ONS mid-year estimates workbook (MYE2 - Persons, MYE4)
# --------------------------------------------------------------------------------------


def _spread(total: float, n: int) -> list[int]:
    """``total`` in ``n`` whole numbers that sum to it exactly (the remainder goes to the
    first years)."""
    t = int(round(total))
    base, rem = divmod(t, n)
    return [base + (1 if i < rem else 0) for i in range(n)]


def _mye_geography(code: str) -> str:
    level = geography_level(code)
    if level in ("uk", "gb", "ew", "country"):
        return "Country"
    return _MYE_GEOGRAPHY.get(code[:3], "Local Authority")


def write_mye(
    obs: pd.DataFrame, path: Path, *, year: int | None = None, share_0_15: float = 0.5
) -> Path:
    """The mid-year estimates workbook: ``Cover sheet``, ``MYE2 - Persons`` for ``year``
    (default: the latest year with ``population_16_64``) and, when ``population`` is given
    for other years, ``MYE4`` with those years in descending columns.

    Each area needs ``population`` and ``population_16_64`` for ``year``;
    ``population_0_15`` and ``population_65_plus`` are used when given (otherwise the
    remainder is split ``share_0_15`` : ``1 - share_0_15``). A marker (``status``) on any
    of them is written in every cell of that area's row.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if year is None:
        ys = obs.loc[obs["measure"] == "population_16_64", "year"].dropna()
        if ys.empty:
            raise ValueError("write_mye needs population_16_64 observations")
        year = int(ys.max())
    this = obs[obs["year"] == year]
    codes = sorted(
        this.loc[this["measure"] == "population", "geography_code"].astype(str).unique(),
        key=_mye_order,
    )
    if not codes:
        raise ValueError(f"write_mye: no population observations for {year}")
    names = (
        this.drop_duplicates("geography_code")
        .set_index("geography_code")["geography_name"]
        .astype(str)
    )
    look = {
        (m, c): (v, s)
        for m, c, v, s in zip(
            this["measure"].astype(str),
            this["geography_code"].astype(str),
            this["value"].to_numpy(dtype=float, na_value=np.nan),
            this["status"].astype(object).where(this["status"].notna(), None),
            strict=True,
        )
    }
    book = _xlsx.workbook(path)
    cover = book.add_worksheet("Cover sheet")
    cover.write(0, 0, f"Mid-Year Population Estimates, UK, June {year} - {LABEL}")
    cover.write(
        1, 0, f"{LABEL}: invented figures in the layout of the ONS mid-year estimates tables."
    )
    cover.write(2, 0, "Date published: 25th June 2021 (layout only)")
    ws = book.add_worksheet("MYE2 - Persons")
    ws.write(
        0,
        0,
        f"MYE2: Persons by single year of age and sex for local authorities in the UK, mid-{year} - {LABEL}",
    )
    ws.write(1, 0, "This worksheet contains one table.")
    header = ["Code", "Name", "Geography", "All ages", *[str(a) for a in range(90)], "90+"]
    ws.write_row(7, 0, header)
    for i, code in enumerate(codes, start=8):
        total, s_total = look.get(("population", code), (np.nan, "[x]"))
        wa, s_wa = look.get(("population_16_64", code), (np.nan, "[x]"))
        young, s_young = look.get(("population_0_15", code), (None, None))
        old, s_old = look.get(("population_65_plus", code), (None, None))
        marker = next((s for s in (s_total, s_wa, s_young, s_old) if s is not None), None)
        ws.write_row(i, 0, [code, names[code], _mye_geography(code)])
        if marker is not None or total != total or wa != wa:
            ws.write_row(i, 3, [marker or "[x]"] * 92)
            continue
        rest = total - wa
        if young is None or young != young:
            young = round(rest * share_0_15) if old is None or old != old else rest - old
        if old is None or old != old:
            old = rest - young
        if min(young, wa, old) < 0 or abs(young + wa + old - total) > 0.5:
            raise ValueError(
                f"write_mye: age bands of {code} do not add up to population {total:g}"
            )
        ages = [0] * 91
        for band, amount in (
            ("population_0_15", young),
            ("population_16_64", wa),
            ("population_65_plus", old),
        ):
            lo, hi = AGE_BANDS[band]
            ages[lo : hi + 1] = _spread(amount, hi - lo + 1)
        ws.write_row(i, 3, [int(round(total)), *ages])
    others = obs[(obs["measure"] == "population") & (obs["year"] != year)]
    if len(others):
        wide = _wide(pd.concat([others, this[this["measure"] == "population"]]), "population")
        wide = wide[sorted(wide.columns, reverse=True)]
        m4 = book.add_worksheet("MYE4")
        m4.write(
            0,
            0,
            f"MYE4: Population estimates: Summary for the UK, mid-{min(wide.columns)} to mid-{year} - {LABEL}",
        )
        m4.write_row(7, 0, ["Code", "Name", "Geography", *[f"Mid-{y}" for y in wide.columns]])
        order = sorted(wide.index, key=lambda k: _mye_order(k[0]))
        for i, (code, name) in enumerate(order, start=8):
            vals = wide.loc[(code, name)]
            cells = [
                "[x]" if (isinstance(v, float) and v != v) or v is None else _num(v) for v in vals
            ]
            m4.write_row(i, 0, [code, name, _mye_geography(code), *cells])
    book.close()
    return path


def _mye_order(code: str) -> tuple[int, str]:
    """UK and countries first, then regions, counties, districts (as ONS orders them)."""
    rank = {"uk": 0, "gb": 1, "ew": 2, "country": 3, "region": 4, "county": 5}.get(
        geography_level(code), 6
    )
    return (rank, code)
