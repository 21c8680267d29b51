"""ONS Explore Local Statistics (ELS): one reader for every indicator family, driven by
each file's own JSON metadata and, for what the metadata cannot say, by the declarations
in ``lis_analysis/data/els_measures.yaml``.

ONS publishes the data behind Explore Local Statistics as one long CSV per indicator
family (``employment-rate.csv``, ``apprenticeships.csv`` ...) in the GitHub repository
``ONSdigital/explore-local-statistics-data``, each with a same-stem JSON file of metadata.

Layout of the CSV: one header line naming ``areacd, areanm, geography, indicator, period,
observation, measure, unit, lci_95, uci_95, status, notes`` (columns found by name: one
family prints ``measure`` before ``observation``) and one line per published number.
Quirks:

- some files start with a UTF-8 byte-order mark, some use CRLF line endings;
- ``status`` is ``x`` (not available), ``u`` (low reliability) or ``c`` (confidential)
  and the ``observation`` is then empty;
- ``period`` is ISO 8601: an interval (``2023-01-01/P1Y``, ``2011-01-01/P3Y``) or a date
  (``2025-04-30`` for ASHE's April reference date, ``2026-01-01`` for Ofcom's snapshot);
- codes that no longer exist are kept, with a ``notes`` entry such as "Obsolete code
  since 2025 (replaced by E08000038 Barnsley)";
- some values without a marker carry the note "Estimate and confidence interval
  unreliable since the group sample size is small (3-9)" and have no interval;
- the ``geography`` column gives ONS's own label for the level ("County or Unitary
  Authority" for Leicester, "ITL Level 1" for ``TLB`` ...); the level stored is the one
  the code gives (:func:`~._base.geography_level`), the label is used only for
  ``K99000002`` "UK less Extra-Regio", which the code alone does not place;
- the ``unit`` column can misstate the figure (``housing-affordability-ratio.csv`` says
  ``%`` for a ratio; ``greenhouse-gas-emissions.csv`` says "Tonnes of CO2 equivalent" for
  tonnes per head): the declaration says so and a warning is given.

The JSON beside the CSV (``ess-beta-metadata``) comes in two shapes: one block for a
single-indicator family, or a ``shared`` block plus one block per indicator (keyed by the
CSV's ``indicator`` text). From it the reader takes each indicator's label, subtitle,
description, caveats, decimal places and prefix/suffix/sub-text, whether it is "official
statistics in development" (``experimentalStatistic``), the source organisations (the
publisher of the statistics), their URLs and the source date: ``release`` is that date
(``YYYY-MM-DD``, the latest when several are joined with ``|``). Without the JSON the file
still parses, with a warning and no release.

What the metadata cannot say - how a figure aggregates to an area built from districts (a
count or total is summed; a rate is re-weighted by its denominator; a median, index or
score is not aggregable), the measure id the indicator registry refers to, and the unit
where the CSV misprints it - is declared once per ELS indicator label in
``els_measures.yaml`` (:func:`load_declarations`). A family or label with no declaration
still ingests: its rows are stored (dataset ``els_<file stem>``, measure ids from the
labels, not aggregable, units as printed) with a warning that no indicator uses them.

Each file becomes one dataset, ``els_<published file stem with underscores>``; a declared
family is recognised from its indicator labels, so a renamed download keeps its id. The
metadata is returned in ``df.attrs["metadata"]`` keyed by dataset id (the store keeps it
in the manifest), with per-measure facts the pages cite: release, publisher, caveats,
"official statistics in development", how the measure aggregates and why. The source
organisation and the family's title are returned in ``df.attrs["publisher"]`` and
``df.attrs["title"]`` for the manifest's per-file publisher and table.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
import yaml

from .. import _yaml
from ..errors import ConfigError, InputError, printable
from ._base import (
    MARKERS,
    Aggregation,
    Coded,
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
#: The status of an observation printed empty without a marker.
BLANK = "blank"

#: The publisher of Explore Local Statistics itself (the statistics' own publishers are
#: the JSON's source organisations).
PUBLISHER = "Office for National Statistics"
TITLE = "Explore Local Statistics: indicator data (CSV with JSON metadata)"

#: The declarations file (what the metadata cannot say, per ELS indicator).
DECLARATIONS = Path(__file__).resolve().parents[1] / "data" / "els_measures.yaml"

#: What ELS prints in ``areacd`` for an area without a code.
NO_CODE = "na"

HEADER = ["areacd", "areanm", "geography", "indicator", "period", "observation", "measure", "unit",
          "lci_95", "uci_95", "status", "notes"]  # fmt: skip
REQUIRED = ["areacd", "areanm", "indicator", "period", "observation"]


# --------------------------------------------------------------------------------------
# Declarations (lis_analysis/data/els_measures.yaml)
# --------------------------------------------------------------------------------------


def dataset_id(stem: str) -> str:
    """The dataset id of an ELS file stem: ``employment-rate`` -> ``els_employment_rate``."""
    slug = re.sub(r"[^a-z0-9]+", "_", stem.lower()).strip("_")
    return "els_" + (slug or "unnamed")


@dataclass(frozen=True)
class ElsIndicator:
    """One declared ELS indicator: the label the CSV prints, its family (file stem), the
    :class:`~._base.Measure` it becomes, and what its CSV prints in the ``unit`` column."""

    family: str
    label: str
    measure: Measure
    #: the CSV's ``unit`` text when it differs from ``measure.unit`` ('' = the same)
    csv_unit: str = ""
    #: the CSV's unit column misstates the figure (a warning says so)
    unit_misprinted: bool = False

    @property
    def dataset(self) -> str:
        return dataset_id(self.family)

    @property
    def printed_unit(self) -> str:
        """What the CSV's ``unit`` column is expected to print."""
        return self.csv_unit or self.measure.unit


@dataclass(frozen=True)
class ElsFamily:
    """One declared ELS family: its published stem and its indicators (label -> declaration)."""

    stem: str
    indicators: dict[str, ElsIndicator]

    @property
    def id(self) -> str:
        return dataset_id(self.stem)

    def measures(self) -> dict[str, Measure]:
        return {i.measure.id: i.measure for i in self.indicators.values()}


_FIELDS = {
    "measure", "unit", "csv_unit", "unit_misprinted", "aggregation", "denominator",
    "approximate", "base", "negative", "description", "why",
}  # fmt: skip
_REQUIRED_FIELDS = ("measure", "unit", "aggregation", "description", "why")
_AGGREGATIONS = ("additive", "ratio", "survey_rate", "not_aggregable")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_REF_RE = re.compile(r"^(?:[a-z][a-z0-9_]*:)?[a-z][a-z0-9_]*$")


def parse_declarations(doc: Any, source: str) -> tuple[ElsFamily, ...]:
    """The families of a declarations document (see ``els_measures.yaml``), checked: every
    field known, the required ones present, aggregation one of the four, a denominator
    exactly for ratios and survey rates, measure ids and labels unique across families.

    Raises
    ------
    ConfigError
        naming the file, the family and the label of the first bad entry.
    """
    where = printable(source)
    if not isinstance(doc, dict) or not isinstance(doc.get("families"), dict):
        raise ConfigError(f"{where}: expected a mapping 'families:' of ELS file stems")
    families: list[ElsFamily] = []
    ids: dict[str, str] = {}
    labels: dict[str, str] = {}
    for stem, body in doc["families"].items():
        stem = str(stem)
        if not re.match(r"^[a-z0-9][a-z0-9-]*$", stem):
            raise ConfigError(f"{where}: family {printable(stem)!r} is not a published file stem")
        if not isinstance(body, dict) or not body:
            raise ConfigError(f"{where}: family {stem}: expected a mapping of indicator labels")
        out: dict[str, ElsIndicator] = {}
        for label, e in body.items():
            label = str(label)
            at = f"{where}: {stem}: {printable(label)!r}"
            if not isinstance(e, dict):
                raise ConfigError(f"{at}: expected a mapping of fields")
            unknown = sorted(set(e) - _FIELDS)
            if unknown:
                raise ConfigError(
                    f"{at}: unknown field {unknown[0]!r} (fields: {', '.join(sorted(_FIELDS))})"
                )
            missing = [f for f in _REQUIRED_FIELDS if not e.get(f)]
            if missing:
                raise ConfigError(f"{at}: missing {missing[0]!r}")
            mid = str(e["measure"])
            if not _ID_RE.match(mid):
                raise ConfigError(f"{at}: measure id {mid!r} must be lower case, digits and _")
            agg = str(e["aggregation"])
            if agg not in _AGGREGATIONS:
                raise ConfigError(
                    f"{at}: aggregation {agg!r} is not one of {', '.join(_AGGREGATIONS)}"
                )
            den = e.get("denominator")
            if agg in ("ratio", "survey_rate") and not den:
                raise ConfigError(f"{at}: a {agg} needs a denominator (dataset:measure)")
            if den and agg not in ("ratio", "survey_rate"):
                raise ConfigError(f"{at}: only a ratio or survey_rate has a denominator")
            if den and not _REF_RE.match(str(den)):
                raise ConfigError(f"{at}: denominator {den!r} is not dataset:measure")
            for flag in ("unit_misprinted", "approximate", "negative"):
                if flag in e and not isinstance(e[flag], bool):
                    raise ConfigError(f"{at}: {flag} must be true or false")
            if e.get("approximate") and not den:
                raise ConfigError(f"{at}: approximate applies to a denominator, and there is none")
            if mid in ids:
                raise ConfigError(f"{at}: measure id {mid!r} is also declared for {ids[mid]}")
            if label in labels:
                raise ConfigError(f"{at}: the label is also declared for {labels[label]}")
            ids[mid] = labels[label] = stem
            measure = Measure(
                mid,
                str(e["unit"]),
                cast(Aggregation, agg),  # one of _AGGREGATIONS (checked above)
                str(e["description"]),
                denominator=str(den) if den else None,
                nonnegative=not e.get("negative", False),
                approximate=bool(e.get("approximate", False)),
                base=str(e.get("base") or ""),
                why=str(e["why"]),
            )
            out[label] = ElsIndicator(
                stem,
                label,
                measure,
                csv_unit=str(e.get("csv_unit") or ""),
                unit_misprinted=bool(e.get("unit_misprinted", False)),
            )
        families.append(ElsFamily(stem, out))
    return tuple(families)


def load_declarations(path: str | Path | None = None) -> tuple[ElsFamily, ...]:
    """The ELS declarations (the package's ``data/els_measures.yaml`` unless ``path``)."""
    p = Path(path) if path else DECLARATIONS
    try:
        # read whenever the parsers load (each ingest worker): libyaml's parser where installed
        doc = _yaml.load(p, fast=True)
    except OSError as exc:
        raise ConfigError(
            f"{printable(p)}: cannot read the ELS declarations ({exc.strerror or exc})"
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"{printable(p)}: cannot read the ELS declarations ({printable(_yaml.describe(exc))})"
        ) from None
    return parse_declarations(doc, str(p))


#: Every declared family, in the order of the declarations file.
FAMILIES: tuple[ElsFamily, ...] = load_declarations()
#: indicator label -> its declaration
_BY_LABEL: dict[str, ElsIndicator] = {
    label: ind for fam in FAMILIES for label, ind in fam.indicators.items()
}
#: measure id -> declaration (ids are unique across families)
MEASURES: dict[str, Measure] = {m.id: m for fam in FAMILIES for m in fam.measures().values()}


def declaration(label: str) -> ElsIndicator | None:
    """The declaration of an ELS indicator label, or None when the suite has none."""
    return _BY_LABEL.get(label)


def els_stem(dataset: str) -> str:
    """The published file stem of a declared ELS dataset id (``els_employment_rate`` ->
    ``employment-rate``)."""
    for fam in FAMILIES:
        if fam.id == dataset:
            return fam.stem
    raise KeyError(f"{dataset!r} is not a declared ELS dataset")


def indicator_label(dataset: str, measure: str) -> str:
    """The ELS ``indicator`` text for a measure id of a declared dataset."""
    for fam in FAMILIES:
        if fam.id == dataset:
            for label, ind in fam.indicators.items():
                if ind.measure.id == measure:
                    return label
    raise KeyError(f"measure {measure!r} is not a declared indicator of {dataset!r}")


# --------------------------------------------------------------------------------------
# Periods, dates, units
# --------------------------------------------------------------------------------------

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


#: How ELS prints the units the suite names differently.
_UNIT_WORDS = {"%": "percent", "percentage": "percent", "£": "GBP", "£ million": "GBP million"}


def unit_from_csv(text: str) -> str:
    """The suite's name for a unit as the CSV prints it: ``%`` -> ``percent``, ``£`` ->
    ``GBP``, ``£ million`` -> ``GBP million``; anything else as printed (stripped)."""
    t = re.sub(r"\s+", " ", text).strip()
    return _UNIT_WORDS.get(t.lower(), t)


def _slug(label: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    return s if s and s[0].isalpha() else f"m_{s}"


# --------------------------------------------------------------------------------------
# The JSON metadata
# --------------------------------------------------------------------------------------


def _text(v: Any) -> str | None:
    """A metadata text: ELS writes the string 'None' (and '') for no value."""
    if v is None:
        return None
    s = str(v).strip()
    return None if s in ("", "None", "null") else s


def _int(v: Any) -> int | None:
    s = _text(v)
    return int(s) if s is not None and s.isdigit() else None


def read_metadata(json_path: Path, indicators: list[str]) -> dict[str, Any]:
    """The ELS JSON as a metadata record: source organisations, source dates, URLs, the
    file's ``_note`` and, per indicator of the CSV, its label, subtitle, description,
    caveats, decimal places, prefix/suffix/sub-text and whether it is "official statistics
    in development" (``in_json`` False when the JSON has no block for it).

    Two shapes are published: one block for the whole file, or a ``shared`` block plus
    one block per indicator (keyed by the CSV's ``indicator`` text); ``shape`` says which.
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
    shape = "shared"
    if shared is None and not per_indicator:
        shared, per_indicator, shape = meta, {}, "single"
    shared = shared or {}

    def block(ind: str) -> dict[str, Any]:
        own = per_indicator.get(ind)
        if own is None and not per_indicator:
            own = {}
        merged = {**shared, **(own or {})}
        return {
            "label": _text(merged.get("label")),
            "subtitle": _text(merged.get("subtitle")),
            "description": _text(merged.get("longDescription")),
            "caveats": _text(merged.get("caveats")),
            "decimal_places": _int(merged.get("decimalPlaces")),
            "prefix": {"GBPSign": "£"}.get(str(merged.get("prefix")), _text(merged.get("prefix"))),
            "suffix": _text(merged.get("suffix")),
            "subtext": _text(merged.get("subText")),
            "official_statistics_in_development": str(merged.get("experimentalStatistic", ""))
            .strip()
            .upper()
            == "T",
            "in_json": own is not None,
        }

    dates = [_iso_date(d) for d in _split(shared.get("sourceDate"))]
    note = raw.get("_note")
    return {
        "json_file": json_path.name,
        "json_shape": shape,
        "note": str(note) if note is not None else None,
        "source_organisations": list(dict.fromkeys(_split(shared.get("sourceOrg")))),
        "source_dates": [d for d in dates if d],
        "source_date_text": shared.get("sourceDate"),
        "source_urls": list(dict.fromkeys(_split(shared.get("sourceURL")))),
        "indicators": {ind: block(ind) for ind in indicators},
    }


# --------------------------------------------------------------------------------------
# The reader
# --------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _declared_by_dataset() -> dict[str, dict[str, Measure]]:
    return {fam.id: fam.measures() for fam in FAMILIES}


class ExploreLocalStatistics(Source):
    """ONS Explore Local Statistics indicator CSVs, any family (one dataset per file)."""

    name = "ons_explore_local_statistics"
    dataset = FAMILIES[0].id
    extra_datasets = tuple(fam.id for fam in FAMILIES[1:])
    publisher = PUBLISHER
    title = TITLE
    # ELS file names are plain words (employment-rate.csv), so any CSV is a candidate and
    # the header line decides (sniff).
    patterns = ("*.csv",)
    measures = MEASURES

    def declared(self) -> dict[str, dict[str, Measure]]:
        """Each declared family's measures under its own dataset id only."""
        return {ds: dict(m) for ds, m in _declared_by_dataset().items()}

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
        nrow = len(body)
        line = np.arange(1, nrow + 1)
        # Each column as integer codes into its distinct texts, stripped: the files repeat a
        # few codes, names, periods and labels thousands of times, so each text is handled
        # once (and handed to the tidy frame as a dictionary).
        by_column = list(zip(*body, strict=True))
        coded = {
            name: _coded(by_column[col[name]]) if name in col else Coded(np.zeros(nrow, int), [""])
            for name in HEADER
            if name != "measure"
        }

        def column(name: str) -> np.ndarray:
            c = coded[name]
            return np.asarray(c.uniques, dtype=object)[c.codes]

        # Texts are materialised only where each row is needed (values and markers); the
        # other columns stay codes.
        obs, status = column("observation"), column("status")
        area = coded["areacd"]

        # Which family: the declared labels name it (all of one family); a file with no
        # declared label is a family the suite does not use yet, named after the file.
        ind_codes, found = coded["indicator"].codes, [str(x) for x in coded["indicator"].uniques]
        if "" in found:
            i = int(np.flatnonzero(ind_codes == found.index(""))[0])
            raise InputError(
                path,
                "empty indicator name",
                row=i + 1,
                column=col["indicator"],
                header="indicator",
            )
        known = {label: _BY_LABEL[label] for label in found if label in _BY_LABEL}
        stems = sorted({d.family for d in known.values()})
        if len(stems) > 1:
            raise InputError(
                path,
                "the file mixes indicators of several ELS datasets "
                f"({', '.join(dataset_id(s) for s in stems)})",
            )
        stem = stems[0] if stems else path.stem
        dataset = dataset_id(stem)

        # The JSON: labels, caveats, release, publisher ...
        warnings: list[str] = []
        json_path = path.with_suffix(".json")
        meta_json: dict[str, Any] = {}
        if json_path.exists():
            meta_json = read_metadata(json_path, found)
            release = max(meta_json["source_dates"], default="")
            if not release:
                warnings.append(
                    f"{json_path.name}: sourceDate {meta_json['source_date_text']!r} is not a "
                    "dd/mm/yyyy date; release unknown"
                )
            absent = [
                label
                for label, b in meta_json["indicators"].items()
                if not b["in_json"] and meta_json["json_shape"] == "shared"
            ]
            if absent:
                warnings.append(
                    f"{json_path.name} has no block for indicator(s) "
                    + "; ".join(repr(a) for a in absent)
                    + ": their label, caveats and 'in development' flag are unknown"
                )
        else:
            release = ""
            warnings.append(
                f"no metadata file {json_path.name} beside the CSV: release, source and caveats unknown"
            )
        blocks: dict[str, dict[str, Any]] = meta_json.get("indicators", {})

        # What the unit column prints for each label: {label: {text: rows}}.
        printed_units = _printed_by_label(ind_codes, found, coded["unit"])

        # One measure per label: the declaration, or one made from what the files say.
        measures: dict[str, Measure] = {}
        label_measure: dict[str, Measure] = {}
        taken = {d.measure.id for d in known.values()}
        for label in found:
            decl = known.get(label)
            if decl is not None:
                m = decl.measure
            else:
                printed = printed_units.get(label) or {"": 0}
                unit = unit_from_csv(max(printed, key=lambda t: printed[t]))
                mid = base = _slug(label)
                n = 2
                while mid in taken:
                    mid, n = f"{base}_{n}", n + 1
                taken.add(mid)
                b = blocks.get(label, {})
                m = Measure(
                    mid,
                    unit or "as printed",
                    "not_aggregable",
                    b.get("subtitle") or b.get("label") or label,
                    nonnegative=False,
                    why="Not declared in lis_analysis/data/els_measures.yaml: stored as "
                    "published and treated as not aggregable; no indicator uses it.",
                )
            measures[m.id] = m
            label_measure[label] = m
        undeclared = [label for label in found if label not in known]
        if undeclared:
            shown = "; ".join(f"{label!r} -> {label_measure[label].id}" for label in undeclared)
            if known:
                warnings.append(
                    f"indicator(s) not declared for {stem} in els_measures.yaml, stored as "
                    f"{dataset} (not aggregable, unit as printed) and not used by any "
                    f"indicator: {shown}"
                )
            else:
                warnings.append(
                    f"ELS family {stem!r} is not declared in els_measures.yaml: its "
                    f"{len(undeclared)} indicator(s) are stored as dataset {dataset} (not "
                    f"aggregable, units as printed) but not used by any indicator: {shown}"
                )

        # Rows to leave out, each with a warning: areas printed without a code ('na', the
        # Scottish city regions of the FDI file: areas are matched by code), and the same
        # figure printed twice for one area under two geography labels (Greater Manchester
        # as a combined authority and as an ITL2 region).
        keep = np.ones(nrow, dtype=bool)
        no_code = np.isin(area.codes, [i for i, u in enumerate(area.uniques) if u == NO_CODE])
        if no_code.any():
            keep &= ~no_code
            nm = sorted(set(column("areanm")[no_code]))
            warnings.append(
                f"{int(no_code.sum()):,} rows for {len(nm)} areas printed without a code "
                f"(areacd {NO_CODE!r}) left out, as areas are matched by code: "
                + "; ".join(nm[:6])
                + (" ..." if len(nm) > 6 else "")
            )
        key = pd.DataFrame({"c": area.codes, "i": ind_codes, "p": coded["period"].codes})
        dup = key.duplicated(keep=False).to_numpy() & keep
        if dup.any():
            geo = column("geography")
            same = pd.DataFrame(
                {"o": obs, "l": column("lci_95"), "u": column("uci_95"), "s": status, "g": geo}
            )
            groups = pd.concat([key, same], axis=1)[dup]
            figures = ["c", "i", "p", "o", "l", "u", "s"]
            if not (
                groups.drop_duplicates(figures).duplicated(["c", "i", "p"]).any()
                or groups.duplicated(["c", "i", "p", "g"]).any()
            ):
                # every repeat is its first printing's figure under another geography
                # label (a line printed twice as it is stays a duplicate error): keep one
                again = key[dup].duplicated(keep="first").to_numpy()
                drop = np.flatnonzero(dup)[again]
                keep[drop] = False
                labels = sorted(set(geo[dup]))
                warnings.append(
                    f"{len(drop):,} figures printed twice with the same value for the same "
                    f"area under different geography labels ({' and '.join(labels)}; "
                    f"{', '.join(sorted(set(column('areacd')[drop]))[:6])}) kept once"
                )
        if not keep.all():
            sel = np.flatnonzero(keep)
            if not sel.size:
                raise InputError(path, "no rows with an area code (every areacd is 'na')")
            coded = {name: Coded(c.codes[sel], c.uniques) for name, c in coded.items()}
            obs, status = column("observation"), column("status")
            area = coded["areacd"]
            ind_codes, line = ind_codes[sel], line[sel]
            nrow = len(sel)

        # Codes
        bad_codes = [i for i in np.unique(area.codes) if not is_geography_code(area.uniques[i])]
        if bad_codes:
            codes = column("areacd")
            k = int(np.flatnonzero(np.isin(area.codes, bad_codes))[0])
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
        status_out = status.copy()
        status_out[status == ""] = None
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
        # An empty observation with no marker (first-time buyer sales, Isles of Scilly):
        # kept as missing with the status 'blank' (the publisher printed no figure), never 0.
        empty = (obs == "") & (status == "")
        if empty.any():
            status_out[empty] = BLANK
            nm = sorted(set(column("areanm")[empty]))
            warnings.append(
                f"{int(empty.sum()):,} observations printed empty with no status marker, "
                f"kept as missing with status {BLANK!r}: "
                + "; ".join(nm[:6])
                + (" ..." if len(nm) > 6 else "")
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
        period_codes = coded["period"]
        uniq = {p: period_year(p) for p in period_codes.uniques}
        for p, y in uniq.items():
            if y is None and (column("period") == p).any():
                i = int(np.flatnonzero(column("period") == p)[0])
                raise InputError(
                    path,
                    f"period {p!r} is not an ISO 8601 date or interval (e.g. 2023-01-01/P1Y)",
                    row=i + 1,
                    column=col["period"],
                    header="period",
                )
        years = np.array(
            [uniq[p] if uniq[p] is not None else -1 for p in period_codes.uniques], dtype=np.int64
        )[period_codes.codes]

        # 'UK less Extra-Regio' has a K99 code the code-based level cannot place; ONS
        # labels it an ITL1-level total, i.e. the UK benchmark of the productivity tables.
        level = Coded(
            area.codes,
            ["uk" if c == "K99000002" else geography_level(c) for c in area.uniques],
        )

        df = tidy(
            dataset=dataset,
            measure=Coded(ind_codes, [label_measure[x].id for x in found]),
            unit=Coded(ind_codes, [label_measure[x].unit for x in found]),
            geography_code=area,
            geography_name=coded["areanm"],
            geography_level=level,
            industry="Total",
            breakdown="All",
            period=period_codes,
            year=years,
            value=value,
            status=status_out,
            ci_lower=ci["lci_95"],
            ci_upper=ci["uci_95"],
            row=line,
            col=col["observation"],
        )
        warnings += _note_warnings(area, value, coded["notes"])
        warnings += _unit_warnings(known, found, printed_units, "unit" in col)

        publishers = meta_json.get("source_organisations") or [PUBLISHER]
        title = _family_title(stem, meta_json, found)
        metadata: dict[str, Any] = {
            "publisher": "; ".join(publishers),
            "title": title,
            "csv_file": path.name,
            "stem": stem,
            "declared": bool(known),
            "release": release,
            **{k: v for k, v in meta_json.items() if k != "indicators"},
        }
        metadata["indicators"] = {}
        metadata["measures"] = {}
        for label in found:
            m = label_measure[label]
            b = dict(blocks.get(label) or {"in_json": False})
            b.update(measure=m.id, declared=label in known)
            metadata["indicators"][label] = b
            metadata["measures"][m.id] = {
                "indicator": label,
                "label": b.get("label") or label,
                "unit": m.unit,
                "aggregation": m.aggregation,
                "denominator": m.denominator,
                "approximate": m.approximate,
                "base": m.base,
                "why": m.why,
                "declared": label in known,
                "release": release,
                "publisher": "; ".join(publishers),
                "caveats": b.get("caveats"),
                "decimal_places": b.get("decimal_places"),
                "official_statistics_in_development": bool(
                    b.get("official_statistics_in_development")
                ),
            }
        metadata["official_statistics_in_development"] = any(
            r["official_statistics_in_development"] for r in metadata["measures"].values()
        )
        note_counts = np.bincount(coded["notes"].codes, minlength=len(coded["notes"].uniques))
        metadata["notes"] = {
            str(t): int(n)
            for t, n in zip(coded["notes"].uniques, note_counts, strict=True)
            if t and n
        }
        df["release"] = release or np.nan
        df = self.finish(df, path, measures=measures)
        df.attrs["warnings"] = warnings
        df.attrs["metadata"] = {dataset: metadata}
        df.attrs["publisher"] = metadata["publisher"]
        df.attrs["title"] = title
        return df


def _coded(values: tuple[str, ...]) -> Coded:
    """A CSV column as integer codes into its distinct values, each stripped of surrounding
    whitespace (two values that differ only in spaces become one)."""
    raw_codes, raw = pd.factorize(np.asarray(values, dtype=object))
    codes, uniques = pd.factorize(np.array([str(u).strip() for u in raw] or [""], dtype=object))
    return Coded(codes[raw_codes] if len(raw_codes) else raw_codes, list(uniques))


def _family_title(stem: str, meta: dict[str, Any], labels: list[str]) -> str:
    """'Explore Local Statistics: Claimant Count' (the JSON's label of a one-indicator
    family, else the stem in words)."""
    blocks = meta.get("indicators") or {}
    name = None
    if meta.get("json_shape") == "single" and len(labels) == 1:
        name = (blocks.get(labels[0]) or {}).get("label")
    if not name:
        words = stem.replace("-", " ").replace("_", " ").strip()
        name = words[:1].upper() + words[1:] if words else "indicator data"
    return f"Explore Local Statistics: {name}"


def _note_warnings(area: Coded, value: np.ndarray, notes: Coded) -> list[str]:
    """One-line warnings: obsolete codes kept, unreliable values kept, other notes attached
    to values (each distinct note text classified once)."""
    out: list[str] = []
    low = [str(t).lower() for t in notes.uniques]
    obsolete = np.array([t.startswith("obsolete code") for t in low])[notes.codes]
    if obsolete.any():
        oc = sorted({str(area.uniques[i]) for i in np.unique(area.codes[obsolete])})
        shown = ", ".join(oc[:6]) + (" ..." if len(oc) > 6 else "")
        out.append(
            f"{int(obsolete.sum()):,} rows for {len(oc)} obsolete area codes kept as published "
            f"(notes 'Obsolete code since ...'; not part of current districts): {shown}"
        )
    unreliable_note = np.array(["unreliable" in t for t in low])[notes.codes]
    unreliable = unreliable_note & ~np.isnan(value)
    if unreliable.any():
        out.append(
            f"{int(unreliable.sum()):,} values kept although ONS notes them as unreliable "
            "(small sample, no confidence interval published)"
        )
    blank = np.array([t == "" for t in low])[notes.codes]
    other = ~obsolete & ~unreliable_note & ~blank & ~np.isnan(value)
    if other.any():
        counts = np.bincount(notes.codes[other], minlength=len(notes.uniques))
        for k in sorted(map(int, np.flatnonzero(counts)), key=lambda k: (-counts[k], k)):
            out.append(f"{int(counts[k]):,} values noted: {str(notes.uniques[k])[:160]!r}")
    return out


def _printed_by_label(
    ind_codes: np.ndarray, labels: list[str], units: Coded
) -> dict[str, dict[str, int]]:
    """{indicator label: {unit text as printed: rows}}."""
    m = max(len(units.uniques), 1)
    combo, counts = np.unique(ind_codes.astype(np.int64) * m + units.codes, return_counts=True)
    out: dict[str, dict[str, int]] = {}
    for c, n in zip(combo, counts, strict=True):
        out.setdefault(labels[int(c) // m], {})[str(units.uniques[int(c) % m])] = int(n)
    return out


def _unit_warnings(
    known: dict[str, ElsIndicator],
    found: list[str],
    printed_units: dict[str, dict[str, int]],
    has_unit_column: bool,
) -> list[str]:
    """A declared unit the CSV misprints (as declared), or a printed unit that is not the
    one declared (the family may have changed what it measures)."""
    out: list[str] = []
    if not has_unit_column:
        return out
    for label in found:
        decl = known.get(label)
        if decl is None or label not in printed_units:
            continue
        printed = sorted(printed_units[label])
        m = decl.measure
        if decl.unit_misprinted:
            out.append(
                f"{label}: the unit column says {printed[0]!r}, which misstates the figure; "
                f"stored with unit {m.unit!r}"
            )
        expected = unit_from_csv(decl.printed_unit).lower()
        other = [p for p in printed if unit_from_csv(p).lower() != expected]
        if other:
            out.append(
                f"{label}: the unit column says {other[0]!r} where els_measures.yaml expects "
                f"{decl.printed_unit!r} (has the family changed its unit?); stored with unit "
                f"{m.unit!r}"
            )
    return out
