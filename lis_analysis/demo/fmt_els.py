"""Write ONS Explore Local Statistics indicator CSVs (with their JSON metadata) from tidy
observations, in the layout :mod:`lis_analysis.sources.els` reads.

Any declared ELS family can be written (``lis_analysis/data/els_measures.yaml``): the
CSV prints each measure's unit the way the published file does (including the published
misprints, so the reader's warnings are exercised), and the JSON takes the published
file's shape: one block for a family of one indicator, a ``shared`` block plus one block
per indicator otherwise.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..sources._base import geography_level
from ..sources.els import FAMILIES, MEASURES, declaration, els_stem, indicator_label
from .world import LABEL

#: How ELS prints a unit in its ``measure`` column, by what it prints in ``unit``.
_MEASURE_COLUMN = {
    "%": "Percentage",
    "£": "Pounds",
    "£ million": "Pounds",
    "mins": "Minutes",
    "yrs": "Years",
    "Score out of 10": "Mean (Where 0 is 'not at all' and 10 is 'completely')",
    "Tonnes of CO2 equivalent": "Emissions (tCO2e) per capita",
    "kWh per meter point": "Consumption per meter point",
}
#: The suite's units as ELS prints them in its ``unit`` column.
_UNIT_COLUMN = {"percent": "%", "GBP": "£", "GBP million": "£ million"}

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
#: Per published family: (source date, experimentalStatistic, source organisation, the
#: JSON's prefix, suffix, subText and decimal places), as in the published JSON (format
#: only: the demonstrator's release is 'demonstrator' in the store).
_JSON = {
    "apprenticeships": ("27/11/2025", "F", "Department for Education", None, None, "per 100,000 population", 0),
    "average-travel-time": ("04/11/2021", "T", "Department for Transport", None, None, "minutes", 1),
    "business-demography": ("20/11/2025", "F", "Office for National Statistics", None, "%", None, 1),
    "children-in-relative-poverty": ("26/03/2026", "F", "Department for Work and Pensions", None, "%", None, 1),
    "claimant-count": ("20/01/2026", "T", "Office for National Statistics", None, "%", None, 1),
    "domestic-electricity-consumption": ("18/12/2025", "F", "Department for Energy Security and Net Zero", None, None, "kWh", 1),
    "early-years": ("27/11/2025", "F", "Department for Education", None, "%", None, 1),
    "employment-rate": ("16/04/2024", "T", "Office for National Statistics", None, "%", None, 1),
    "engagement-with-culture-and-heritage": ("24/07/2024", "F", "Department for Culture, Media and Sport", None, "%", None, 0),
    "first-time-buyer-mortgage-sales": ("11/06/2025", "F", "Office for National Statistics", None, None, "per 1,000 stock", 1),
    "foreign-direct-investment": ("12/05/2026", "T", "Office for National Statistics", "GBPSign", None, "in £ millions", 0),
    "further-education-and-skills-learner-achievements": ("27/11/2025", "F", "Department for Education", None, None, "per 100,000 population", 0),
    "further-education-and-skills-participation": ("27/11/2025", "F", "Department for Education", None, None, "per 100,000 population", 0),
    "gcses-in-english-and-maths": ("23/04/2026", "F", "Department for Education", None, "%", None, 1),
    "gigabit-capable-broadband": ("13/05/2026", "F", "Ofcom", None, "%", None, 1),
    "greenhouse-gas-emissions": ("03/07/2025", "F", "Department for Energy Security and Net Zero", None, None, "tCO2e per capita", 1),
    "gross-disposable-household-income-per-head": ("10/09/2025", "F", "Office for National Statistics", "GBPSign", None, None, 0),
    "gross-median-weekly-pay": ("23/10/2025", "F", "Office for National Statistics", "GBPSign", None, None, 0),
    "gross-value-added": ("19/06/2025", "T", "Office for National Statistics", "GBPSign", None, None, 1),
    "healthy-life-expectancy": ("19/02/2026", "T", "Office for National Statistics", None, None, "years", 1),
    "housing-affordability-ratio": ("26/03/2026", "F", "Office for National Statistics", None, None, "affordability ratio", 1),
    "modelled-unemployment": ("16/04/2024", "T", "Office for National Statistics", None, "%", None, 1),
    "motor-vehicle-flow": ("20/05/2026", "F", "Department for Transport", None, None, "annual average daily flow", 0),
    "net-additions-to-the-housing-stock": ("20/11/2025", "F", "Ministry of Housing, Communities and Local Government", None, None, "per 1,000 dwellings", 0),
    "network-coverage-4g": ("13/05/2026", "F", "Ofcom", None, "%", None, 1),
    "network-coverage-5g": ("13/05/2026", "F", "Ofcom", None, "%", None, 1),
    "persistent-absences-for-all-pupils": ("26/03/2026", "F", "Department for Education", None, "%", None, 1),
    "personal-wellbeing-estimates": ("07/11/2023", "F", "Office for National Statistics", None, None, "score out of 10", 1),
    "premises-below-30": ("13/05/2026", "F", "Ofcom", None, "%", None, 1),
    "public-electric-vehicle-chargers": ("21/05/2026", "T", "Department for Transport, sourced from Zapmap", None, None, "per 100,000 population", 1),
    "pupils-at-expected-standards-by-end-of-primary-school": ("11/12/2025", "F", "Department for Education", None, "%", None, 0),
    "qualifications-level-3-or-above": ("16/04/2024", "T", "Office for National Statistics", None, "%", None, 1),
    "qualifications-none-gb": ("16/04/2024", "T", "Office for National Statistics", None, "%", None, 1),
    "railway-station-walk": ("17/10/2024", "F", "Office for National Statistics", None, "%", None, 0),
    "research-and-development-business": ("28/11/2025", "F", "Office for National Statistics", "GBPSign", None, "in £ millions", 0),
    "research-and-development-public-funded": ("25/06/2024", "T", "Office for National Statistics", "GBPSign", None, "in £ millions", 0),
    "total-value-of-uk-exports": ("06/08/2025", "T", "Office for National Statistics", "GBPSign", None, "in £ millions", 0),
}  # fmt: skip
_DEFAULT_JSON = ("01/01/2026", "F", "Office for National Statistics", None, None, None, 1)

HEADER = ["areacd", "areanm", "geography", "indicator", "period", "observation", "measure", "unit",
          "lci_95", "uci_95", "status", "notes"]  # fmt: skip

#: measure id -> its family's dataset id
_DATASET_OF = {m: fam.id for fam in FAMILIES for m in fam.measures()}


def els_file_name(dataset: str) -> str:
    """The file name ONS uses for an ELS dataset id (``els_employment_rate`` -> ``employment-rate.csv``)."""
    return f"{els_stem(dataset)}.csv"


def printed_units(dataset: str, measure: str) -> tuple[str, str]:
    """What the published CSV prints in its ``measure`` and ``unit`` columns for a
    declared measure (the affordability ratio as ``Percentage``/``%``, as ONS does)."""
    decl = declaration(indicator_label(dataset, measure))
    assert decl is not None
    unit = _UNIT_COLUMN.get(decl.printed_unit, decl.printed_unit)
    return _MEASURE_COLUMN.get(unit, unit), unit


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
    obs : tidy observations with ``measure`` ids of one declared ELS dataset (``dataset``
        may be missing: it is found from the measures); ``period`` defaults to
        ``<year>-01-01/P1Y``; a missing value without a ``status`` is written as ``x``.
    path : the CSV path; the JSON is written beside it with the same stem (name the CSV
        with :func:`els_file_name` to match the published file).

    Returns
    -------
    Path
        the CSV written. Like most published ELS files it has a UTF-8 byte-order mark and
        CRLF line endings; the JSON says the data are synthetic, in one block for a family
        of one indicator and a ``shared`` block plus one per indicator otherwise.
    """
    path = Path(path)
    obs = obs.reset_index(drop=True)
    unknown = sorted(set(obs["measure"]) - set(MEASURES))
    if unknown:
        raise ValueError(f"not ELS measures: {', '.join(unknown)}")
    ds_ids = {_DATASET_OF[m] for m in set(obs["measure"])}
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
    printed = {mid: printed_units(dataset, mid) for mid in labels}
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
    path.with_suffix(".json").write_text(
        json.dumps(_metadata(stem, labels), indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return path


def _metadata(stem: str, labels: dict[str, str]) -> dict[str, object]:
    """The ``ess-beta-metadata`` document for a family, in the published shape."""
    source_date, experimental, org, prefix, suffix, subtext, dp = _JSON.get(stem, _DEFAULT_JSON)
    shared: dict[str, object] = {
        "prefix": prefix or "None",
        "suffix": suffix or "None",
        "subText": subtext or "None",
        "decimalPlaces": str(dp),
        "experimentalStatistic": experimental,
        "sourceDate": source_date,
        "sourceURL": "https://www.ons.gov.uk/explore-local-statistics/",
        "sourceOrg": f"{LABEL} (layout of {org} data in ONS Explore Local Statistics)",
        "standardised": "T",
    }

    def block(mid: str, label: str) -> dict[str, object]:
        m = MEASURES[mid]
        return {
            "label": label,
            "subtitle": m.description,
            "longDescription": f"{LABEL}: {m.description}.",
            "caveats": f"{LABEL}. Figures are generated by lis demo and describe no real place.",
        }

    if len(labels) == 1:  # one indicator: one block, as ONS publishes such families
        ((mid, label),) = labels.items()
        meta: dict[str, object] = {**block(mid, label), **shared}
    else:
        meta = {"shared": shared}
        meta.update({label: block(mid, label) for mid, label in labels.items()})
    return {"_note": f"{LABEL} - written by lis demo", "ess-beta-metadata": meta}
