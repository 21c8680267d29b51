"""Write ONS Explore Local Statistics indicator CSVs (with their JSON metadata) from tidy
observations, in the layout :mod:`lis_analysis.sources.els` reads."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..sources._base import geography_level
from ..sources.els import DATASETS, MEASURES, els_stem, indicator_label
from .world import LABEL

#: How ELS prints each of our units in its ``measure`` and ``unit`` columns. The
#: affordability ratio is printed as a percentage, as ONS does.
_PRINTED_UNITS = {
    "percent": ("Percentage", "%"),
    "GBP": ("Pounds", "£"),
    "GBP million": ("Pounds", "£ million"),
    "enterprises": ("Number of enterprises", "Number of enterprises"),
    "ratio": ("Percentage", "%"),
}
#: ELS's label for each level; unitary authorities (E06) are "County or Unitary Authority".
_LEVEL_LABELS = {
    "uk": "Country",
    "gb": "Country",
    "ew": "Country",
    "country": "Nation",
    "region": "Region",
    "county": "County or Unitary Authority",
    "lad": "Local Authority District",
    "ca": "Combined Authority or City Region",
    "itl1": "ITL Level 1",
    "itl2": "ITL Level 2",
    "itl3": "ITL Level 3",
}
#: Source dates of the published files (format only: the demonstrator's release is
#: 'demonstrator' in the store).
_SOURCE_DATES = {
    "gross-value-added": "19/06/2025",
    "employment-rate": "16/04/2024",
    "qualifications-level-3-or-above": "16/04/2024",
    "qualifications-none-gb": "16/04/2024",
    "gross-median-weekly-pay": "23/10/2025",
    "business-demography": "20/11/2025",
    "housing-affordability-ratio": "26/03/2026",
    "gigabit-capable-broadband": "13/05/2026",
    "research-and-development-business": "28/11/2025",
    "total-value-of-uk-exports": "06/08/2025",
}
HEADER = ["areacd", "areanm", "geography", "indicator", "period", "observation", "measure", "unit",
          "lci_95", "uci_95", "status", "notes"]  # fmt: skip


def els_file_name(dataset: str) -> str:
    """The file name ONS uses for an ELS dataset id (``els_employment_rate`` -> ``employment-rate.csv``)."""
    return f"{els_stem(dataset)}.csv"


def _level_label(code: str) -> str:
    if code[:3] == "E06":
        return "County or Unitary Authority"
    return _LEVEL_LABELS.get(geography_level(code), "Local Authority District")


def _num(v: float) -> str:
    return "" if v is None or (isinstance(v, float) and np.isnan(v)) else repr(float(v))


def write_els(obs: pd.DataFrame, path: Path) -> Path:
    """Write tidy observations of one ELS dataset as ``<stem>.csv`` plus ``<stem>.json``.

    Parameters
    ----------
    obs : tidy observations with ``measure`` ids of one ELS dataset (``dataset`` may be
        missing: it is found from the measures); ``period`` defaults to
        ``<year>-01-01/P1Y``; a missing value without a ``status`` is written as ``x``.
    path : the CSV path; the JSON is written beside it with the same stem (name the CSV
        with :func:`els_file_name` to match the published file).

    Returns
    -------
    Path
        the CSV written. Like most published ELS files it has a UTF-8 byte-order mark and
        CRLF line endings; the JSON says the data are synthetic.
    """
    path = Path(path)
    obs = obs.reset_index(drop=True)
    unknown = sorted(set(obs["measure"]) - set(MEASURES))
    if unknown:
        raise ValueError(f"not ELS measures: {', '.join(unknown)}")
    ds_ids = {
        ds.id for ds in DATASETS for m in ds.indicators.values() if m.id in set(obs["measure"])
    }
    if "dataset" in obs and obs["dataset"].notna().any():
        ds_ids |= set(obs["dataset"].dropna())
    if len(ds_ids) != 1:
        raise ValueError(f"one ELS dataset per file, got: {', '.join(sorted(ds_ids))}")
    dataset = ds_ids.pop()
    stem = els_stem(dataset)
    labels = {m: indicator_label(dataset, m) for m in obs["measure"].unique()}

    period = obs["period"] if "period" in obs else pd.Series([None] * len(obs))
    period = [
        p if isinstance(p, str) and p else f"{int(y)}-01-01/P1Y"
        for p, y in zip(period, obs["year"], strict=True)
    ]
    codes = obs["geography_code"].astype(str).to_numpy()
    names = obs["geography_name"].astype(str).to_numpy()
    measures = obs["measure"].astype(str).to_numpy()
    values = pd.to_numeric(obs["value"], errors="coerce").to_numpy(dtype=float)
    status = (
        obs["status"].to_numpy(dtype=object)
        if "status" in obs
        else np.full(len(obs), None, dtype=object)
    )
    lo = (
        pd.to_numeric(obs["ci_lower"], errors="coerce").to_numpy(dtype=float)
        if "ci_lower" in obs
        else np.full(len(obs), np.nan)
    )
    hi = (
        pd.to_numeric(obs["ci_upper"], errors="coerce").to_numpy(dtype=float)
        if "ci_upper" in obs
        else np.full(len(obs), np.nan)
    )
    printed = {
        mid: _PRINTED_UNITS.get(MEASURES[mid].unit, (MEASURES[mid].unit,) * 2) for mid in labels
    }
    order = np.lexsort((np.array(period, dtype=str), measures, codes))
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADER)
    for i in order:
        st = status[i]
        st = "" if st is None or pd.isna(st) else str(st)
        missing = np.isnan(values[i])
        if missing and not st:
            st = "x"
        w.writerow(
            [
                codes[i],
                names[i],
                _level_label(codes[i]),
                labels[measures[i]],
                period[i],
                "" if missing else _num(values[i]),
                *printed[measures[i]],
                "" if missing else _num(lo[i]),
                "" if missing else _num(hi[i]),
                st,
                "",
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))

    shared = {
        "prefix": None,
        "experimentalStatistic": "F",
        "sourceDate": _SOURCE_DATES.get(stem, "01/01/2026"),
        "sourceURL": "https://www.ons.gov.uk/explore-local-statistics/",
        "sourceOrg": f"{LABEL} (layout of Office for National Statistics Explore Local Statistics)",
        "caveats": f"{LABEL}. Figures are generated by lis demo and describe no real place.",
    }
    meta: dict[str, object] = {"shared": shared}
    for mid, label in labels.items():
        m = MEASURES[mid]
        meta[label] = {
            "label": label,
            "subtitle": m.description,
            "longDescription": f"{LABEL}: {m.description}.",
        }
    doc = {"_note": f"{LABEL} - written by lis demo", "ess-beta-metadata": meta}
    path.with_suffix(".json").write_text(
        json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return path
