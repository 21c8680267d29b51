"""Write a Nomis BRES open access CSV (areas as rows, with the ``mnemonic`` code column)
from tidy observations, in the layout :mod:`lis_analysis.sources.bres` reads."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..sources.bres import BLANK
from .world import LABEL

#: SIC 2007 sections and ONS's broad industrial groups as Nomis labels them.
SECTION_NAMES = {
    "A": "Agriculture, forestry and fishing",
    "B": "Mining and quarrying",
    "C": "Manufacturing",
    "D": "Electricity, gas, steam and air conditioning supply",
    "E": "Water supply; sewerage, waste management and remediation activities",
    "F": "Construction",
    "G": "Wholesale and retail trade; repair of motor vehicles and motorcycles",
    "H": "Transportation and storage",
    "I": "Accommodation and food service activities",
    "J": "Information and communication",
    "K": "Financial and insurance activities",
    "L": "Real estate activities",
    "M": "Professional, scientific and technical activities",
    "N": "Administrative and support service activities",
    "O": "Public administration and defence; compulsory social security",
    "P": "Education",
    "Q": "Human health and social work activities",
    "R": "Arts, entertainment and recreation",
    "S": "Other service activities",
    "T": "Activities of households as employers; undifferentiated goods- and services-producing activities of households for own use",
    "U": "Activities of extraterritorial organisations and bodies",
}
BROAD_GROUP_NAMES = {
    1: "Agriculture, forestry & fishing (A)",
    2: "Mining, quarrying & utilities (B,D and E)",
    3: "Manufacturing (C)",
    4: "Construction (F)",
    5: "Motor trades (Part G)",
    6: "Wholesale (Part G)",
    7: "Retail (Part G)",
    8: "Transport & storage (inc postal) (H)",
    9: "Accommodation & food services (I)",
    10: "Information & communication (J)",
    11: "Financial & insurance (K)",
    12: "Property (L)",
    13: "Professional, scientific & technical (M)",
    14: "Business administration & support services (N)",
    15: "Public administration & defence (O)",
    16: "Education (P)",
    17: "Health (Q)",
    18: "Arts, entertainment, recreation & other services (R,S,T and U)",
}
GEOGRAPHY_HEADER = "local authority: district / unitary (as of April 2023)"
STATUS_ORDER = ["Employees", "Full-time employees", "Part-time employees", "Employment"]
FOOTNOTES = [
    "The level of rounding applied varies by estimate. Please see article for",
    "further information on how rounding is applied",
    "https://www.nomisweb.co.uk/articles/1103.aspx",
]


def industry_label(code: str, labels: dict[str, str] | None = None) -> str:
    """The Nomis label of an industry code the parser emits: ``C`` -> ``"C : Manufacturing"``,
    ``BIG03`` -> ``"3 : Manufacturing (C)"``, ``77`` -> ``"77 : <name>"`` (from ``labels``,
    else a placeholder name)."""
    if labels and code in labels:
        return labels[code]
    if code in SECTION_NAMES:
        return f"{code} : {SECTION_NAMES[code]}"
    if code.startswith("BIG"):
        return f"{int(code[3:])} : {BROAD_GROUP_NAMES[int(code[3:])]}"
    if code.isdigit() and len(code) == 2:
        return f"{code} : SIC 2007 division {code}"
    raise ValueError(f"industry {code!r} is not a BRES section, division or broad group code")


def _line(cells: list[str | int | float], *, quote_empty: bool = False) -> str:
    """One CSV line quoted as Nomis does: text in double quotes, numbers bare, empty data
    cells bare (header and footnote lines quote their empty cells)."""
    out = []
    for c in cells:
        if isinstance(c, str):
            out.append('"' + c.replace('"', '""') + '"' if (c or quote_empty) else "")
        else:
            out.append(repr(c) if isinstance(c, float) else str(c))
    return ",".join(out)


def _cell(v: float) -> str | int | float:
    if np.isnan(v):
        return ""
    return int(v) if float(v).is_integer() else float(v)


def write_bres(obs: pd.DataFrame, path: Path, *, labels: dict[str, str] | None = None) -> Path:
    """Write tidy BRES observations as a Nomis open-access bulk CSV with areas as rows.

    One block per (year, employment status): title lines (the second says the data are
    synthetic and carries the extract date Nomis prints), ``Analysis``/``Date``/
    ``Employment status``/``measure`` lines, the header
    ``"local authority: ...","mnemonic","<industry>","",...`` (a flag column after every
    industry), the area lines (name, GSS code, value, flag ...), then Nomis's rounding
    footnote. A missing value is written empty with its marker in the flag column (status
    ``blank``: empty, no flag).

    Parameters
    ----------
    obs : tidy rows of measure ``employment``: geography_code, geography_name, industry
        (``C``, ``01``, ``BIG03`` ...), breakdown (employment status), year, value, status.
    path : the CSV to write.
    labels : optional full Nomis labels by industry code (for 2-digit divisions).
    """
    path = Path(path)
    obs = obs.reset_index(drop=True)
    inds = list(dict.fromkeys(obs["industry"].astype(str)))
    # Nomis order: broad groups, sections, then divisions.
    inds.sort(key=lambda c: (0, c) if c.startswith("BIG") else ((1, c) if c.isalpha() else (2, c)))
    heads = [industry_label(c, labels) for c in inds]
    statuses = sorted(
        obs["breakdown"].astype(str).unique(), key=lambda s: (STATUS_ORDER + [s]).index(s)
    )
    value = pd.to_numeric(obs["value"], errors="coerce").to_numpy(dtype=float)
    status = (
        obs["status"].to_numpy(dtype=object)
        if "status" in obs
        else np.full(len(obs), None, dtype=object)
    )
    key = obs[["year", "breakdown", "geography_code", "industry"]].astype(str)
    index = {k: i for i, k in enumerate(key.itertuples(index=False, name=None))}
    areas = obs.drop_duplicates("geography_code").sort_values("geography_code")[
        ["geography_code", "geography_name"]
    ]
    out: list[str] = [""]
    for year in sorted(obs["year"].astype(int).unique()):
        for st in statuses:
            out += [
                _line(["Business Register and Employment Survey : open access"]),
                _line([f"{LABEL} - layout of a Nomis download [from Nomis on 1 July 2026]"]),
                _line(["Analysis   :", "standard"]),
                _line(["Date       :", str(year)]),
                _line(["Employment status:", st]),
                _line(["measure    :", "Count"]),
                "",
                _line(
                    [GEOGRAPHY_HEADER, "mnemonic", *[c for h in heads for c in (h, "")]],
                    quote_empty=True,
                ),
                "",
            ]
            for code, name in areas.itertuples(index=False, name=None):
                line: list[str | int | float] = [name, code]
                for ind in inds:
                    i = index.get((str(year), st, code, ind))
                    if i is None:
                        line += ["", "-"]  # not in the observations: Nomis's "missing"
                        continue
                    s = status[i]
                    s = "" if s is None or pd.isna(s) else str(s)
                    line += ["", s] if s and s != BLANK else [_cell(value[i]), ""]
                out.append(_line(line))
            out += ["", "", ""]
            out += [_line(["", f], quote_empty=True) for f in FOOTNOTES]
            out += [_line(["", ""], quote_empty=True), "", "", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path
