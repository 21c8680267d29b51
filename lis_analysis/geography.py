"""Areas built from local authority districts, and the rules for aggregating to them.

An :class:`Area` is a set of districts (LADs): an ITL region, an English region, a
combined authority, an LSIP area, an LEP, or a user-defined set declared in YAML. Areas
come from the ingested lookups plus the package's own ``data/areas.yaml`` (the Leicester
and Leicestershire default) and any user YAML.

Aggregation obeys the measure's declaration (see ``lis_analysis.sources._base.Measure``):

- ``additive`` measures are summed over the districts;
- ``ratio`` measures are recomputed as Σ(value × denominator) / Σ denominator, i.e. summed
  numerator over summed denominator, never the mean of the districts' ratios;
- ``survey_rate`` measures pool the districts' rates weighted by their population base;
  the confidence interval of the pooled rate assumes independent samples and is
  labelled approximate;
- ``not_aggregable`` measures (medians, published indices, ranks) are refused unless the
  publisher prints a figure for that exact area, which is then used and labelled so.

A figure is never built from an incomplete set of districts: if any district's value is
suppressed or missing, the area's value is missing and its status says which districts.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .config import AreaSpec, package_areas, read_area_specs
from .errors import ConfigError, DataNotAvailable, NotAggregable

#: Relation names in the lookups store (see lis_analysis/sources/lookups.py).
RELATION_LEVELS = {
    "lad_to_itl1": "itl1",
    "lad_to_itl2": "itl2",
    "lad_to_itl3": "itl3",
    "lad_to_region": "region",
    "lad_to_ca": "ca",
    "lad_to_lsip": "lsip",
}
UK = "K02000001"
ENGLAND = "E92000001"
#: Codes publishers use for the same place (ONS productivity tables print UK as UKX,
#: England as TLB in ITL tables).
EQUIVALENT_CODES = {UK: ("UKX", "UK", "K02000001"), ENGLAND: ("E92000001", "TLB")}

LEVEL_LABELS = {
    "uk": "United Kingdom",
    "country": "country",
    "region": "region",
    "itl1": "ITL1 region",
    "itl2": "ITL2 region",
    "itl3": "ITL3 region",
    "ca": "combined authority",
    "lsip": "LSIP area",
    "lep": "LEP area",
    "county": "county",
    "lad": "local authority district",
    "custom": "custom area",
}


@dataclass(frozen=True)
class Area:
    """A place made of local authority districts.

    Attributes
    ----------
    code, name, level : as published (level: ``lad``, ``itl3``, ``region``, ``lsip``, ``lep`` ...)
    members : district codes that make up the area
    region : the English region holding all its districts (None if they straddle regions)
    source : where the definition came from (a lookup file or a YAML file)
    aliases : other codes for the same set of districts (an LEP and its LSIP)
    """

    code: str
    name: str
    level: str
    members: tuple[str, ...]
    region: str | None = None
    source: str = ""
    aliases: tuple[str, ...] = ()
    note: str = ""

    @property
    def codes(self) -> tuple[str, ...]:
        """This area's code, its aliases and the publishers' equivalent codes."""
        return tuple(
            dict.fromkeys((self.code, *self.aliases, *EQUIVALENT_CODES.get(self.code, ())))
        )

    def __repr__(self) -> str:
        return f"Area({self.code} {self.name!r}, {self.level}, {len(self.members)} districts)"


@dataclass
class Geography:
    """Every area the suite knows, with district names; built by :meth:`build`."""

    areas_by_code: dict[str, Area]
    names: dict[str, str]
    warnings: list[str] = field(default_factory=list)

    # ---------------------------------------------------------------- construction
    @classmethod
    def build(
        cls,
        lookups: pd.DataFrame,
        obs: pd.DataFrame | None = None,
        *,
        specs: dict[str, AreaSpec] | None = None,
        areas_file: str | Path | None = None,
    ) -> Geography:
        """Areas from lookup relations, plus YAML-declared areas (package and user)."""
        names: dict[str, str] = {}
        if obs is not None and len(obs):
            pairs = obs[["geography_code", "geography_name"]].drop_duplicates("geography_code")
            names.update(
                zip(
                    pairs["geography_code"].astype(str),
                    pairs["geography_name"].astype(str),
                    strict=True,
                )
            )
        members: dict[str, set[str]] = {}
        info: dict[str, tuple[str, str, str]] = {}
        lk = lookups if lookups is not None else pd.DataFrame()
        if len(lk):
            for rel, level in RELATION_LEVELS.items():
                sub = lk[lk["relation"] == rel]
                if sub.empty:
                    continue
                for child, cname, parent, pname, src in zip(
                    sub["child_code"],
                    sub["child_name"],
                    sub["parent_code"],
                    sub["parent_name"],
                    sub["source_file"],
                    strict=True,
                ):
                    if pd.isna(parent) or pd.isna(child):
                        continue
                    members.setdefault(parent, set()).add(child)
                    info[parent] = (str(pname), level, str(src))
                    if not pd.isna(cname):
                        names.setdefault(child, str(cname))
            for code, (pname, _, _) in info.items():
                names.setdefault(code, pname)
        # Current districts: those in the lookups. Districts seen only in the data (codes
        # that have since been replaced, kept by publishers for past years) get an area of
        # their own but are not members of England or the UK.
        # England and the UK are the districts of one lookup (district to ITL, else district
        # to region): lookups of different years use different codes for a few districts
        # (Barnsley and Sheffield changed code in 2025), and a union would count them twice.
        current: set[str] = set()
        if len(lk):
            for rel in ("lad_to_itl3", "lad_to_region"):
                kids = lk.loc[lk["relation"] == rel, "child_code"].dropna()
                if len(kids):
                    current = set(kids.astype(str))
                    break
        lads = {c for m in members.values() for c in m} | current
        if obs is not None and len(obs):
            lads |= set(obs.loc[obs["geography_level"] == "lad", "geography_code"].astype(str))
        if not current:
            current = set(lads)
        areas: dict[str, Area] = {}
        region_of = {}
        for parent, kids in members.items():
            if info[parent][1] == "region":
                for k in kids:
                    region_of[k] = parent
        for parent, kids in members.items():
            name, level, src = info[parent]
            regs = {region_of.get(k) for k in kids}
            areas[parent] = Area(
                code=parent,
                name=name,
                level=level,
                members=tuple(sorted(kids)),
                region=regs.pop() if len(regs) == 1 else None,
                source=src,
            )
        for code in sorted(lads):
            areas[code] = Area(
                code=code,
                name=names.get(code, code),
                level="lad",
                members=(code,),
                region=region_of.get(code),
                source="district",
            )
        english = tuple(sorted(c for c in current if c.startswith("E")))
        if english:
            areas[ENGLAND] = Area(ENGLAND, "England", "country", english, None, "all English districts")
            names.setdefault(ENGLAND, "England")
        if current:
            areas[UK] = Area(UK, "United Kingdom", "uk", tuple(sorted(current)), None, "all districts")
            names[UK] = names.get(UK, "United Kingdom")
        all_specs = dict(package_areas() if specs is None else specs)
        if areas_file:
            all_specs.update(read_area_specs(Path(areas_file)))
        warnings: list[str] = []
        for spec in all_specs.values():
            unknown = [m for m in spec.members if lads and m not in lads]
            if unknown:
                warnings.append(
                    f"area {spec.code} {spec.name}: districts {', '.join(unknown)} have no data"
                )
            area = Area(
                code=spec.code,
                name=spec.name,
                level=spec.level,
                members=tuple(spec.members),
                region=spec.region or _common({region_of.get(m) for m in spec.members}),
                source="areas YAML",
                aliases=spec.aliases,
                note=spec.note,
            )
            areas[spec.code] = area
            names[spec.code] = spec.name
            for alias in spec.aliases:
                if alias in areas and set(areas[alias].members) != set(spec.members):
                    warnings.append(
                        f"area {spec.code} and its alias {alias} have different districts; "
                        f"{alias} keeps the lookup's definition"
                    )
        return cls(areas_by_code=areas, names=names, warnings=warnings)

    # ---------------------------------------------------------------- queries
    def area(self, code: str) -> Area:
        """The area with this code (or alias); a clear error listing how to find codes."""
        code = str(code).strip()
        if code in self.areas_by_code:
            return self.areas_by_code[code]
        for a in self.areas_by_code.values():
            if code in a.aliases:
                return a
        raise ConfigError(
            f"unknown area '{code}' (run 'lis areas' to list the areas and their codes)"
        )

    def __contains__(self, code: str) -> bool:
        try:
            self.area(code)
        except ConfigError:
            return False
        return True

    def areas(self, level: str | None = None) -> list[Area]:
        """All areas, or those of one level, sorted by level then code."""
        out = [a for a in self.areas_by_code.values() if level is None or a.level == level]
        return sorted(out, key=lambda a: (a.level, a.code))

    def name(self, code: str) -> str:
        return self.names.get(code, code)

    def table(self, level: str | None = None) -> pd.DataFrame:
        """One row per area: code, name, level, number of districts, member codes, source."""
        rows = [
            {
                "code": a.code,
                "name": a.name,
                "level": a.level,
                "districts": len(a.members),
                "members": " ".join(a.members),
                "member_names": "; ".join(self.name(m) for m in a.members),
                "region": a.region or "",
                "source": a.source,
            }
            for a in self.areas(level)
        ]
        return pd.DataFrame(rows)

    def equivalents(self, area: Area) -> tuple[str, ...]:
        """Codes of other areas made of exactly the same districts (Leicester the district
        and ITL3 TLF21; an LEP and its LSIP), whose published figures are this area's."""
        if not hasattr(self, "_by_members"):
            index: dict[frozenset[str], list[str]] = {}
            for a in self.areas_by_code.values():
                index.setdefault(frozenset(a.members), []).append(a.code)
            self._by_members = index
        if area.level in ("uk", "country", "gb", "ew"):
            return ()  # a nation is never "the same" as a set of districts that happens to match
        same = self._by_members.get(frozenset(area.members), [])
        return tuple(
            c
            for c in same
            if c not in area.codes and self.areas_by_code[c].level not in ("uk", "country")
        )

    def peers(self, area: Area, level: str | None = None) -> list[Area]:
        """Areas of the same kind as ``area`` (LSIP areas for an LEP/LSIP), excluding it."""
        lvl = level or ("lsip" if area.level in ("lep", "lsip", "custom") else area.level)
        own = set(area.members)
        return [a for a in self.areas(lvl) if a.code not in area.codes and set(a.members) != own]


def _common(values: set[str | None]) -> str | None:
    values = {v for v in values if v}
    return values.pop() if len(values) == 1 else None


# --------------------------------------------------------------------------------------
# Aggregation
# --------------------------------------------------------------------------------------

GROUP = ["industry", "breakdown", "period", "year"]
OUT_COLUMNS = [
    "geography_code",
    "geography_name",
    "geography_level",
    "dataset",
    "measure",
    "industry",
    "breakdown",
    "period",
    "year",
    "value",
    "unit",
    "status",
    "ci_lower",
    "ci_upper",
    "n_members",
    "n_present",
    "method",
    "release",
    "source_file",
    "demo",
]


def _measure(dataset: str, measure: str):
    from .sources import measure as declared

    return declared(dataset, measure)


_SLICES: dict[int, tuple[weakref.ref, dict[tuple[str, str], pd.DataFrame]]] = {}


def measure_slice(obs: pd.DataFrame, dataset: str, measure: str) -> pd.DataFrame:
    """The rows of one measure. The observations are split by (dataset, measure) once and
    the pieces kept while the frame lives, so repeated look-ups (every indicator, every
    area) cost a dictionary access instead of a scan of millions of rows."""
    key = id(obs)
    hit = _SLICES.get(key)
    if hit is None or hit[0]() is not obs:
        pieces = {k: g for k, g in obs.groupby(["dataset", "measure"], observed=True, sort=False)}
        _SLICES[key] = (weakref.ref(obs, lambda _r, k=key: _SLICES.pop(k, None)), pieces)
        hit = _SLICES[key]
    piece = hit[1].get((dataset, measure))
    return piece if piece is not None else obs.iloc[0:0]


def _slice(obs: pd.DataFrame, dataset: str, measure: str) -> pd.DataFrame:
    return measure_slice(obs, dataset, measure)


def published(obs: pd.DataFrame, area: Area, dataset: str, measure: str) -> pd.DataFrame:
    """Rows the publisher printed for this exact area (its code, an alias or an
    equivalent code such as UKX for the UK)."""
    s = _slice(obs, dataset, measure)
    hit = s[s["geography_code"].isin(area.codes)]
    if hit.empty:
        return hit
    # One code only (prefer the area's own code, then aliases in order).
    for c in area.codes:
        h = hit[hit["geography_code"] == c]
        if len(h):
            return h
    return hit


def aggregate(
    obs: pd.DataFrame,
    areas: Area | Sequence[Area],
    dataset: str,
    measure: str,
    *,
    prefer_published: bool = True,
) -> pd.DataFrame:
    """One measure for one or many areas, by the measure's aggregation rule.

    Parameters
    ----------
    obs : tidy observations
    areas : the area(s)
    dataset, measure : what to aggregate
    prefer_published : use the publisher's own figure for an area when it prints one

    Returns
    -------
    pandas.DataFrame
        columns ``OUT_COLUMNS``: one row per area, industry, breakdown and period; ``method``
        says how each value was obtained (``published``, ``sum of 8 districts`` ...),
        ``n_members``/``n_present`` how many districts it needed and had.

    Raises
    ------
    NotAggregable
        for a median, index or rank asked for an area the publisher does not print.
    DataNotAvailable
        when the store holds no rows of this measure.
    """
    many = not isinstance(areas, Area)
    area_list: list[Area] = list(areas) if many else [areas]  # type: ignore[list-item]
    decl = _measure(dataset, measure)
    s = _slice(obs, dataset, measure)
    if s.empty:
        raise DataNotAvailable(f"no data for {measure} ({dataset}) in the store")
    out: list[pd.DataFrame] = []
    todo: list[Area] = []
    for a in area_list:
        pub = (
            published(obs, a, dataset, measure)
            if (prefer_published or len(a.members) == 1)
            else s.iloc[0:0]
        )
        if len(pub):
            out.append(
                _as_out(
                    pub, a, method="published" if len(a.members) != 1 else "published (district)"
                )
            )
        else:
            todo.append(a)
    if todo:
        if decl.aggregation == "not_aggregable":
            if not many or len(todo) == len(area_list):
                names = ", ".join(a.name for a in todo[:3])
                raise NotAggregable(
                    f"{measure} ({decl.description or decl.unit}) cannot be built for {names} from its districts: "
                    f"it is {_kind_words(decl)}, and the publisher prints no figure for this exact area"
                )
        else:
            out.append(_build(obs, s, todo, decl, dataset))
    if not out:
        return pd.DataFrame(columns=OUT_COLUMNS)
    res = pd.concat(out, ignore_index=True)
    return res[OUT_COLUMNS]


def _kind_words(decl) -> str:
    unit = decl.unit.lower()
    if "index" in unit:
        return "a published index"
    if "rank" in unit or "rank" in decl.id:
        return "a rank"
    if "median" in decl.id or "median" in decl.description.lower():
        return "a median"
    return "not additive (a median, index, score or ratio of medians)"


def _as_out(rows: pd.DataFrame, area: Area, *, method: str) -> pd.DataFrame:
    df = rows.copy()
    df["geography_code"] = area.code
    df["geography_name"] = area.name
    df["geography_level"] = area.level
    df["n_members"] = len(area.members)
    df["n_present"] = len(area.members)
    df["method"] = method
    return df.reindex(columns=OUT_COLUMNS)


def _membership(areas: Iterable[Area]) -> pd.DataFrame:
    rows = [(a.code, m) for a in areas for m in a.members]
    return pd.DataFrame(rows, columns=["area_code", "geography_code"]).astype("string")


def _denominator(obs: pd.DataFrame, decl, dataset: str) -> tuple[str, str]:
    ref = decl.denominator
    if ":" in ref:
        ds, m = ref.split(":", 1)
    else:
        ds, m = dataset, ref
    return ds, m


def _build(
    obs: pd.DataFrame, s: pd.DataFrame, areas: list[Area], decl, dataset: str
) -> pd.DataFrame:
    mem = _membership(areas)
    n_members = mem.groupby("area_code").size()
    cols = [
        "geography_code",
        *GROUP,
        "value",
        "status",
        "ci_lower",
        "ci_upper",
        "release",
        "source_file",
        "demo",
    ]
    d = mem.merge(s[cols], on="geography_code", how="inner")
    if d.empty:
        raise DataNotAvailable(
            f"no district data for {decl.id} ({dataset}) in {', '.join(a.name for a in areas[:3])}"
        )
    kind = decl.aggregation
    method_label = ""
    if kind == "additive":
        d["num"] = d["value"]
        d["den"] = 1.0
        method_label = "sum of {n} districts"
    else:
        dds, dm = _denominator(obs, decl, dataset)
        den = _slice(obs, dds, dm)
        if den.empty:
            raise DataNotAvailable(
                f"{decl.id} is aggregated with {dm} ({dds}) as its base, which is not in the store"
            )
        den = den[den["geography_code"].isin(mem["geography_code"])]
        d = _attach_denominator(d, den, same_dataset=(dds == dataset))
        d["num"] = d["value"] * d["den"]
        if kind == "ratio":
            method_label = f"Σ(value × {dm}) / Σ {dm} over {{n}} districts"
        else:
            method_label = f"pooled survey rate weighted by {dm}, {{n}} districts (approximate CI)"
    d["ok"] = d["num"].notna() & d["den"].notna()
    keys = ["area_code", *GROUP]
    g = d.groupby(keys, dropna=False, observed=True, sort=False)
    agg = g.agg(
        num=("num", "sum"),
        den=("den", "sum"),
        n_present=("ok", "sum"),
        release=("release", "first"),
        demo=("demo", "all"),
    ).reset_index()
    # The files an area's figures come from (per area, not per row: cheap and enough to trace).
    files = (
        d[["area_code", "source_file"]]
        .drop_duplicates()
        .astype({"source_file": "string"})
        .sort_values("source_file")
        .groupby("area_code", observed=True)["source_file"]
        .agg(lambda x: ", ".join(x.dropna()))
    )
    agg["source_file"] = agg["area_code"].map(files)
    agg["n_members"] = agg["area_code"].map(n_members).astype(int)
    complete = agg["n_present"] == agg["n_members"]
    if kind == "additive":
        agg["value"] = np.where(complete, agg["num"], np.nan)
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            agg["value"] = np.where(complete & (agg["den"] > 0), agg["num"] / agg["den"], np.nan)
    agg["status"] = pd.Series(pd.NA, index=agg.index, dtype="string")
    absent = agg["n_present"] < agg["n_members"]
    agg.loc[absent, "status"] = (
        "incomplete: "
        + (agg["n_members"] - agg["n_present"]).astype(str)
        + " of "
        + agg["n_members"].astype(str)
        + " districts missing or suppressed"
    )
    zero = complete & (agg["den"] <= 0) & (kind != "additive")
    agg.loc[zero, "status"] = "zero denominator"
    agg["ci_lower"] = np.nan
    agg["ci_upper"] = np.nan
    if kind == "survey_rate":
        ci = _pooled_ci(d, keys)
        agg = agg.merge(ci, on=keys, how="left", suffixes=("", "_p"))
        agg["ci_lower"] = np.where(agg["value"].notna(), agg["value"] - 1.96 * agg["se"], np.nan)
        agg["ci_upper"] = np.where(agg["value"].notna(), agg["value"] + 1.96 * agg["se"], np.nan)
        ok = agg["value"].notna()
        agg.loc[ok & agg["se"].notna(), "status"] = "approximate CI (pooled)"
        agg.loc[ok & agg["se"].isna(), "status"] = "no CI (a district has none)"
    by_code = {a.code: a for a in areas}
    agg["geography_code"] = agg["area_code"]
    agg["geography_name"] = agg["area_code"].map(lambda c: by_code[c].name)
    agg["geography_level"] = agg["area_code"].map(lambda c: by_code[c].level)
    agg["dataset"] = dataset
    agg["measure"] = decl.id
    agg["unit"] = decl.unit
    agg["method"] = [method_label.format(n=n) for n in agg["n_members"]]
    return agg.reindex(columns=OUT_COLUMNS)


def _attach_denominator(d: pd.DataFrame, den: pd.DataFrame, *, same_dataset: bool) -> pd.DataFrame:
    """Join each district-row to its denominator: same industry/breakdown/period where the
    denominator has them, else its Total/All figure; for another dataset (e.g. a
    population base published for fewer years), the nearest year."""
    den = den[["geography_code", "industry", "breakdown", "year", "value"]].rename(
        columns={"value": "den"}
    )
    if same_dataset:
        exact = d.merge(den, on=["geography_code", "industry", "breakdown", "year"], how="left")
        if exact["den"].notna().any() or den["industry"].nunique() > 1:
            return exact
    tot = den.sort_values("industry").drop_duplicates(["geography_code", "year"])
    tot = tot[["geography_code", "year", "den"]]
    years = np.sort(tot["year"].dropna().unique().astype(int))
    if len(years) == 0:
        d["den"] = np.nan
        return d
    want = d["year"].astype("float").to_numpy()
    idx = np.clip(np.searchsorted(years, want), 0, len(years) - 1)
    lo = np.clip(idx - 1, 0, len(years) - 1)
    nearest = np.where(np.abs(years[lo] - want) <= np.abs(years[idx] - want), years[lo], years[idx])
    d = d.assign(_wy=nearest)
    tot = tot.rename(columns={"year": "_wy"})
    tot["_wy"] = tot["_wy"].astype(int)
    d["_wy"] = d["_wy"].astype(int)
    return d.merge(tot, on=["geography_code", "_wy"], how="left").drop(columns="_wy")


def _pooled_ci(d: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Approximate standard error of a pooled rate: sqrt(Σ w_i² SE_i²), w_i = base_i / Σ base,
    SE_i from the published 95% interval, (upper - lower) / (2 × 1.96)."""
    x = d.copy()
    x["se_i"] = (x["ci_upper"] - x["ci_lower"]) / (2 * 1.96)
    tot = x.groupby(keys, dropna=False, observed=True)["den"].transform("sum")
    x["w2se2"] = (x["den"] / tot) ** 2 * x["se_i"] ** 2
    g = x.groupby(keys, dropna=False, observed=True)
    res = g.agg(v=("w2se2", "sum"), nse=("se_i", "count"), n=("se_i", "size")).reset_index()
    res["se"] = np.where(res["nse"] == res["n"], np.sqrt(res["v"]), np.nan)
    return res[[*keys, "se"]]
