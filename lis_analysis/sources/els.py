"""ONS Explore Local Statistics (ELS): tidy indicator CSVs with their JSON metadata.

ONS publishes the data behind Explore Local Statistics as one long CSV per indicator
family (``employment-rate.csv``, ``gross-value-added.csv`` ...) in the GitHub repository
``ONSdigital/explore-local-statistics-data``, each with a same-stem JSON file of metadata.

Layout of the CSV: one header line ``areacd, areanm, geography, indicator, period,
observation, measure, unit, lci_95, uci_95, status, notes`` and one line per published
number. Quirks:

- some files start with a UTF-8 byte-order mark, some use CRLF line endings;
- ``status`` is ``x`` (not available), ``u`` (low reliability) or ``c`` (confidential)
  and the ``observation`` is then empty;
- ``period`` is ISO 8601: an interval (``2023-01-01/P1Y``) or a date (``2025-04-30`` for
  ASHE's April reference date, ``2026-01-01`` for Ofcom's January snapshot);
- codes that no longer exist are kept, with a ``notes`` entry such as "Obsolete code
  since 2025 (replaced by E08000038 Barnsley)";
- some values without a marker carry the note "Estimate and confidence interval
  unreliable since the group sample size is small (3-9)" and have no interval;
- the ``geography`` column gives ONS's own label for the level ("County or Unitary
  Authority" for Leicester, "ITL Level 1" for ``TLB`` ...); the level stored is the one
  the code gives (:func:`~._base.geography_level`), the label is used only for
  ``K99000002`` "UK less Extra-Regio", which the code alone does not place;
- ``housing-affordability-ratio.csv`` says ``Percentage``/``%`` in its unit columns,
  although the figure is a ratio of median house price to median earnings.

The JSON beside the CSV (``ess-beta-metadata``) names the source organisation, the source
date (the release of the underlying statistics), URLs and caveats, either once for the
file or per indicator under a ``shared`` block. ``release`` is that source date
(``YYYY-MM-DD``); without the JSON the file still parses, with a warning and no release.
The metadata is returned in ``df.attrs["metadata"]`` keyed by dataset id.

Each file becomes one dataset, ``els_<published file stem with underscores>``; which one
is recognised from the indicators the file holds (so a renamed download keeps its id).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ._base import (
    MARKERS,
    Measure,
    Source,
    check_row_widths,
    geography_level,
    is_geography_code,
    number_problem,
    numbers_from_texts,
    read_csv_rows,
    read_text,
    tidy,
)
from ._guard import MAX_JSON_BYTES, MB

#: Largest CSV read: the real ones are 3.6 MB at most (personal-wellbeing-estimates.csv)
#: and take about 20 times their size in memory while parsed (see _guard.MAX_CSV_BYTES).
MAX_BYTES = 64 * MB

#: Markers ELS prints in ``status`` (the value is then empty).
ELS_MARKERS = {"x": MARKERS["x"], "u": MARKERS["u"], "c": MARKERS["c"]}

PUBLISHER = "Office for National Statistics"
POP_16_64 = "ons_population_mye:population_16_64"


@dataclass(frozen=True)
class ElsDataset:
    """One ELS file: its published stem and the indicators it holds (label -> Measure)."""

    stem: str
    indicators: dict[str, Measure]
    #: (measure, unit) as the CSV prints them, per indicator, when they differ from
    #: what the figure is (a warning is given).
    misprinted_units: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return "els_" + self.stem.replace("-", "_")


def _survival(n: str) -> Measure:
    # The period is the birth year; the base is that year's births, which ELS does not
    # publish but the ONS business demography tables do.
    return Measure(
        f"{n}_year_survival_rate",
        "percent",
        "ratio",
        f"Percentage of enterprises born in the period year still active {n} year(s) later",
        denominator="ons_business_demography:births",
    )


#: Every ELS file this parser knows. Aggregation choices are documented in
#: docs/sources/els.md: APS percentages pool as survey rates over the 16-64 population;
#: business rates are ratios over the base ONS defines (active enterprises, those with
#: 10+ employees, the cohort's births); shares whose base no parser reads (premises),
#: medians and the affordability ratio are not aggregable; counts and £ million are additive.
DATASETS: tuple[ElsDataset, ...] = (
    ElsDataset(
        "gross-value-added",
        {
            "Gross value added per hour worked": Measure(
                "gva_per_hour",
                "GBP",
                "ratio",
                "GVA (balanced, current prices) per hour worked, £; ONS subregional productivity",
                denominator="ons_productivity_lad:hours_weekly",
            ),
            "Gross value added per filled job": Measure(
                "gva_per_job",
                "GBP",
                "ratio",
                "GVA (balanced, current prices) per filled job, £; ONS subregional productivity",
                denominator="ons_productivity_lad:jobs",
            ),
        },
    ),
    ElsDataset(
        "employment-rate",
        {
            "Employment rate": Measure(
                "employment_rate_16_64",
                "percent",
                "survey_rate",
                "Employment rate, people aged 16 to 64 (APS, GB)",
                denominator=POP_16_64,
            ),
            "Economically inactive": Measure(
                "economic_inactivity_rate_16_64",
                "percent",
                "survey_rate",
                "Economic inactivity rate, people aged 16 to 64 (APS, GB)",
                denominator=POP_16_64,
            ),
        },
    ),
    ElsDataset(
        "qualifications-level-3-or-above",
        {
            "Level 3 or above qualifications (Great Britain)": Measure(
                "level_3_plus_16_64",
                "percent",
                "survey_rate",
                "Percentage of people aged 16 to 64 with RQF level 3 or above qualifications (APS, GB)",
                denominator=POP_16_64,
            )
        },
    ),
    ElsDataset(
        "qualifications-none-gb",
        {
            "No qualifications": Measure(
                "no_qualifications_16_64",
                "percent",
                "survey_rate",
                "Percentage of people aged 16 to 64 with no qualifications (APS, GB)",
                denominator=POP_16_64,
            )
        },
    ),
    ElsDataset(
        "gross-median-weekly-pay",
        {
            "Gross median weekly pay": Measure(
                "median_weekly_pay_residence",
                "GBP",
                "not_aggregable",
                "Gross median weekly pay of employees living in the area (ASHE, residence-based), £",
            )
        },
    ),
    ElsDataset(
        "business-demography",
        {
            "Active businesses": Measure(
                "active_businesses",
                "enterprises",
                "additive",
                "Active enterprises (turnover or employment in the year)",
            ),
            "Business births": Measure(
                "business_birth_rate",
                "percent",
                "ratio",
                "Enterprise births as a percentage of active enterprises",
                denominator="active_businesses",
            ),
            "Business deaths": Measure(
                "business_death_rate",
                "percent",
                "ratio",
                "Enterprise deaths as a percentage of active enterprises",
                denominator="active_businesses",
            ),
            "High growth businesses": Measure(
                "high_growth_rate",
                "percent",
                "ratio",
                "High-growth enterprises as a percentage of active enterprises with 10 or more employees",
                denominator="ons_business_demography:active_10plus",
            ),
            "One-year survival rate": _survival("one"),
            "Two-year survival rate": _survival("two"),
            "Three-year survival rate": _survival("three"),
            "Four-year survival rate": _survival("four"),
            "Five-year survival rate": _survival("five"),
        },
    ),
    ElsDataset(
        "housing-affordability-ratio",
        {
            "Housing affordability ratio (residence-based)": Measure(
                "housing_affordability_ratio_residence",
                "ratio",
                "not_aggregable",
                "Median house price divided by median gross annual residence-based earnings (full-time)",
            )
        },
        misprinted_units=("Housing affordability ratio (residence-based)",),
    ),
    ElsDataset(
        "gigabit-capable-broadband",
        {
            "Gigabit capable broadband": Measure(
                "gigabit_coverage",
                "percent",
                "not_aggregable",
                "Percentage of premises with gigabit-capable broadband coverage (Ofcom); premises counts are not published here",
            )
        },
    ),
    ElsDataset(
        "research-and-development-business",
        {
            "Business expenditure on research and development": Measure(
                "berd",
                "GBP million",
                "additive",
                "Business enterprise expenditure on R&D performed in the area, £ million",
            )
        },
    ),
    ElsDataset(
        "total-value-of-uk-exports",
        {
            "Value of UK exports": Measure(
                "exports_total",
                "GBP million",
                "additive",
                "Value of exports of goods and services, £ million",
            )
        },
    ),
)

#: indicator label -> its dataset
_BY_INDICATOR = {label: ds for ds in DATASETS for label in ds.indicators}
MEASURES: dict[str, Measure] = {m.id: m for ds in DATASETS for m in ds.indicators.values()}
assert len(MEASURES) == len(_BY_INDICATOR), "ELS measure ids must be unique across files"

HEADER = ["areacd", "areanm", "geography", "indicator", "period", "observation", "measure", "unit",
          "lci_95", "uci_95", "status", "notes"]  # fmt: skip
REQUIRED = ["areacd", "areanm", "indicator", "period", "observation"]

_PERIOD_RE = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?(?:T[\d:.]+Z?)?(?:/P(?P<n>\d+)(?P<u>[YMWD]))?$"
)


def period_year(period: str) -> int | None:
    """The year an ISO 8601 ELS period ends in: ``2023-01-01/P1Y`` -> 2023,
    ``2022-04-01/P1Y`` -> 2023 (ends March 2023), ``2025-04-30`` -> 2025; None if the text
    is not one of these forms."""
    m = _PERIOD_RE.match(period.strip())
    if not m:
        return None
    y, mo, d = int(m["y"]), int(m["m"] or 1), int(m["d"] or 1)
    try:
        start = date(y, mo, d)
    except ValueError:
        return None
    if not m["n"]:
        return y
    n, unit = int(m["n"]), m["u"]
    if unit == "Y":
        months = 12 * n
    elif unit == "M":
        months = n
    else:  # weeks or days: the year of the last day
        days = n * (7 if unit == "W" else 1)
        return (pd.Timestamp(start) + pd.Timedelta(days=days - 1)).year
    end_month = start.month - 1 + months  # months after January of the start year
    end = date(start.year + end_month // 12, end_month % 12 + 1, 1)
    # The interval ends the day before ``end`` (same day of month as the start).
    last = pd.Timestamp(end.replace(day=min(start.day, 28))) - pd.Timedelta(days=1)
    return last.year


def _iso_date(text: str) -> str:
    """'19/06/2025' -> '2025-06-19'; '' if the text is not a d/m/Y date."""
    m = re.match(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$", text)
    if not m:
        return ""
    try:
        return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
    except ValueError:
        return ""


def _split(v: Any) -> list[str]:
    """ELS joins several sources with '|' ('Office for National Statistics|Northern Ireland ...')."""
    if v is None:
        return []
    return [p.strip() for p in str(v).split("|") if p.strip()]


def read_metadata(json_path: Path, indicators: list[str]) -> dict[str, Any]:
    """The ELS JSON as a metadata record: source organisations, source dates, URLs, the
    file's ``_note`` and, per indicator, label, subtitle, description and caveats.

    Two shapes are published: one block for the whole file, or a ``shared`` block plus
    one block per indicator (keyed by the CSV's ``indicator`` text).
    """
    try:
        raw = json.loads(read_text(json_path, max_bytes=MAX_JSON_BYTES))
    except json.JSONDecodeError as exc:
        raise InputError(
            json_path,
            f"the metadata JSON is not valid JSON ({exc.msg} at line {exc.lineno}); fix or remove it",
        ) from None
    except RecursionError:
        raise InputError(
            json_path, "the metadata JSON is nested too deeply to read; fix or remove it"
        ) from None
    meta = raw.get("ess-beta-metadata") if isinstance(raw, dict) else None
    if not isinstance(meta, dict):
        raise InputError(json_path, "the metadata JSON has no 'ess-beta-metadata' object")
    per_indicator = {k: v for k, v in meta.items() if isinstance(v, dict) and k != "shared"}
    shared = meta.get("shared") if isinstance(meta.get("shared"), dict) else None
    if shared is None and not per_indicator:
        shared, per_indicator = meta, {}
    shared = shared or {}

    def block(ind: str) -> dict[str, Any]:
        own = per_indicator.get(ind)
        if own is None and not per_indicator:
            own = {}
        merged = {**shared, **(own or {})}
        return {
            "label": merged.get("label"),
            "subtitle": merged.get("subtitle"),
            "description": merged.get("longDescription"),
            "caveats": merged.get("caveats"),
            "decimal_places": merged.get("decimalPlaces"),
            "official_statistics_in_development": merged.get("experimentalStatistic") == "T",
            "in_json": own is not None,
        }

    dates = [_iso_date(d) for d in _split(shared.get("sourceDate"))]
    return {
        "json_file": json_path.name,
        "note": raw.get("_note"),
        "source_organisations": _split(shared.get("sourceOrg")),
        "source_dates": [d for d in dates if d],
        "source_date_text": shared.get("sourceDate"),
        "source_urls": _split(shared.get("sourceURL")),
        "indicators": {ind: block(ind) for ind in indicators},
    }


class ExploreLocalStatistics(Source):
    """ONS Explore Local Statistics indicator CSVs (one dataset per file)."""

    name = "ons_explore_local_statistics"
    dataset = DATASETS[0].id
    extra_datasets = tuple(ds.id for ds in DATASETS[1:])
    publisher = PUBLISHER
    title = "Explore Local Statistics: indicator data (CSV with JSON metadata)"
    # ELS file names are plain words (employment-rate.csv), so any CSV is a candidate and
    # the header line decides (sniff).
    patterns = ("*.csv",)
    measures = MEASURES

    def sniff(self, path: Path) -> bool:
        try:
            with open(path, "rb") as fh:
                head = fh.read(512)
        except OSError:
            return False
        text = head.decode("utf-8-sig", errors="replace").lstrip("\ufeff")
        first = text.splitlines()[0] if text else ""
        cells = [c.strip().strip('"').lower() for c in first.split(",")]
        return cells[:5] == HEADER[:5]

    def parse(self, path: Path) -> pd.DataFrame:
        path = Path(path)
        rows = read_csv_rows(path, max_bytes=MAX_BYTES)
        if not rows or not any(c.strip() for c in rows[0]):
            raise InputError(path, "the file is empty (no header line)")
        header = [c.strip().lower() for c in rows[0]]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InputError(
                path,
                f"expected column {missing[0]!r} in the header line, found: "
                + ", ".join(repr(h) for h in header)[:300],
                row=0,
            )
        col = {h: header.index(h) for h in HEADER if h in header}
        width = len(header)
        body = rows[1:]
        # Blank lines at the end are harmless; anything else must be a full record.
        while body and not any(c.strip() for c in body[-1]):
            body.pop()
        if not body:
            raise InputError(path, "no data rows under the header line", row=0)
        for i, r in enumerate(body, start=1):
            if len(r) != width and not any(c.strip() for c in r):
                raise InputError(path, "blank line inside the data", row=i)
        # A longer line would shift its later fields (a value read as its unit ...).
        check_row_widths(rows, range(1, len(body) + 1), width, file=path)
        arr = np.array(body, dtype=object)
        nrow = len(body)
        line = np.arange(1, nrow + 1)

        def column(name: str) -> np.ndarray:
            if name not in col:
                return np.full(nrow, "", dtype=object)
            return np.array([s.strip() for s in arr[:, col[name]]], dtype=object)

        codes, names, indicators = column("areacd"), column("areanm"), column("indicator")
        periods, obs, status = column("period"), column("observation"), column("status")
        notes = column("notes")

        # Which dataset: every indicator must be a known one, and all of the same file.
        found = list(dict.fromkeys(indicators))
        for ind in found:
            if ind not in _BY_INDICATOR:
                i = int(np.flatnonzero(indicators == ind)[0])
                known = "; ".join(sorted(_BY_INDICATOR))
                raise InputError(
                    path,
                    f"indicator {ind!r} is not one the ELS parser knows (add it to els.DATASETS); known: {known}"[
                        :400
                    ],
                    row=i + 1,
                    column=col["indicator"],
                    header="indicator",
                )
        datasets = {_BY_INDICATOR[ind].id for ind in found}
        if len(datasets) > 1:
            raise InputError(
                path,
                f"the file mixes indicators of several ELS datasets ({', '.join(sorted(datasets))})",
            )
        ds = _BY_INDICATOR[found[0]]

        # Codes
        bad_codes = {c for c in set(codes) if not is_geography_code(c)}
        if bad_codes:
            k = int(np.flatnonzero([c in bad_codes for c in codes])[0])
            raise InputError(
                path,
                f"unknown geography code {codes[k]!r}",
                row=k + 1,
                column=col["areacd"],
                header="areacd",
            )

        # Values: a number (read strictly, see _base.number_from_text), or empty with a
        # marker in status.
        value = numbers_from_texts(obs)
        for k in map(int, np.flatnonzero(np.isnan(value) & (obs != ""))):
            s = obs[k]
            if s.lower() in ELS_MARKERS and status[k] in ("", s.lower()):
                # A marker printed in the value column instead of 'status': keep it as status.
                status[k] = s.lower()
                obs[k] = ""
                continue
            why = number_problem(s)
            raise InputError(
                path,
                f"not a number: {why}"
                if why
                else f"non-numeric value {s[:60]!r} in 'observation' is not a marker (known: {', '.join(ELS_MARKERS)})",
                row=k + 1,
                column=col["observation"],
                header="observation",
            )
        status_out = np.array([st or None for st in status], dtype=object)
        unknown = [s for s in set(status) if s and s not in ELS_MARKERS]
        if unknown:
            i = int(np.flatnonzero(status == sorted(unknown)[0])[0])
            raise InputError(
                path,
                f"status {status[i]!r} is not a known marker (known: {', '.join(ELS_MARKERS)})",
                row=i + 1,
                column=col["status"],
                header="status",
            )
        empty = np.flatnonzero((obs == "") & (status == ""))
        if empty.size:
            i = int(empty[0])
            raise InputError(
                path,
                "empty observation with no status marker (a missing value must say why)",
                row=i + 1,
                column=col["observation"],
                header="observation",
            )
        ci = {}
        for name in ("lci_95", "uci_95"):
            raw = column(name)
            v = numbers_from_texts(raw)
            badc = np.flatnonzero(np.isnan(v) & (raw != ""))
            if badc.size:
                i = int(badc[0])
                why = number_problem(raw[i])
                raise InputError(
                    path,
                    f"not a number: {why}"
                    if why
                    else f"non-numeric confidence limit {raw[i][:60]!r}",
                    row=i + 1,
                    column=col[name],
                    header=name,
                )
            ci[name] = v

        # Periods
        uniq = {p: period_year(p) for p in set(periods)}
        for p, y in uniq.items():
            if y is None:
                i = int(np.flatnonzero(periods == p)[0])
                raise InputError(
                    path,
                    f"period {p!r} is not an ISO 8601 date or interval (e.g. 2023-01-01/P1Y)",
                    row=i + 1,
                    column=col["period"],
                    header="period",
                )
        years = np.array([uniq[p] for p in periods])

        measure_ids = np.array([ds.indicators[i].id for i in indicators], dtype=object)
        # 'UK less Extra-Regio' has a K99 code the code-based level cannot place; ONS
        # labels it an ITL1-level total, i.e. the UK benchmark of the productivity tables.
        levels = {c: ("uk" if c == "K99000002" else geography_level(c)) for c in set(codes)}
        level = np.array([levels[c] for c in codes], dtype=object)

        df = tidy(
            dataset=ds.id,
            measure=measure_ids,
            geography_code=codes,
            geography_name=names,
            geography_level=level,
            industry="Total",
            breakdown="All",
            period=periods,
            year=years,
            value=value,
            status=status_out,
            ci_lower=ci["lci_95"],
            ci_upper=ci["uci_95"],
            row=line,
            col=col["observation"],
        )

        warnings = self._warnings(ds, codes, value, notes, indicators, arr, col)
        json_path = path.with_suffix(".json")
        metadata: dict[str, Any] = {"publisher": PUBLISHER, "csv_file": path.name, "stem": ds.stem}
        if json_path.exists():
            metadata.update(read_metadata(json_path, found))
            release = max(metadata["source_dates"], default="")
            if not release:
                warnings.append(
                    f"{json_path.name}: sourceDate {metadata['source_date_text']!r} is not a dd/mm/yyyy date; release unknown"
                )
        else:
            release = ""
            warnings.append(
                f"no metadata file {json_path.name} beside the CSV: release, source and caveats unknown"
            )
        metadata["measures"] = {ds.indicators[i].id: i for i in found}
        metadata["notes"] = dict(Counter(n for n in notes if n))
        df["release"] = release or np.nan
        df = self.finish(df, path)
        df.attrs["warnings"] = warnings
        df.attrs["metadata"] = {ds.id: metadata}
        return df

    def _warnings(
        self,
        ds: ElsDataset,
        codes: np.ndarray,
        value: np.ndarray,
        notes: np.ndarray,
        indicators: np.ndarray,
        arr: np.ndarray,
        col: dict[str, int],
    ) -> list[str]:
        """One-line warnings: obsolete codes kept, unreliable values kept, misprinted units,
        other notes attached to values."""
        out: list[str] = []
        obsolete = np.array([n.lower().startswith("obsolete code") for n in notes])
        if obsolete.any():
            oc = sorted(set(codes[obsolete]))
            shown = ", ".join(oc[:6]) + (" ..." if len(oc) > 6 else "")
            out.append(
                f"{int(obsolete.sum()):,} rows for {len(oc)} obsolete area codes kept as published "
                f"(notes 'Obsolete code since ...'; not part of current districts): {shown}"
            )
        unreliable = np.array(["unreliable" in n.lower() for n in notes]) & ~np.isnan(value)
        if unreliable.any():
            out.append(
                f"{int(unreliable.sum()):,} values kept although ONS notes them as unreliable "
                "(small sample, no confidence interval published)"
            )
        other = (
            ~obsolete
            & ~np.array(["unreliable" in n.lower() for n in notes])
            & (notes != "")
            & ~np.isnan(value)
        )
        for text, n in Counter(notes[other]).most_common():
            out.append(f"{n:,} values noted: {text[:160]!r}")
        for ind in ds.misprinted_units:
            sel = indicators == ind
            if sel.any() and "unit" in col:
                printed = arr[np.flatnonzero(sel)[0], col["unit"]]
                m = ds.indicators[ind]
                out.append(
                    f"{ind}: the unit column says {printed!r} but the figure is a {m.unit}; stored with unit {m.unit!r}"
                )
        return out


def els_stem(dataset: str) -> str:
    """The published file stem of an ELS dataset id (``els_employment_rate`` -> ``employment-rate``)."""
    for ds in DATASETS:
        if ds.id == dataset:
            return ds.stem
    raise KeyError(f"{dataset!r} is not an ELS dataset")


def indicator_label(dataset: str, measure: str) -> str:
    """The ELS ``indicator`` text for a measure id of a dataset."""
    for ds in DATASETS:
        if ds.id == dataset:
            for label, m in ds.indicators.items():
                if m.id == measure:
                    return label
    raise KeyError(f"measure {measure!r} is not an indicator of {dataset!r}")
