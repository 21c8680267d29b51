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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
            areas[ENGLAND] = Area(
                ENGLAND, "England", "country", english, None, "all English districts"
            )
            names.setdefault(ENGLAND, "England")
        if current:
            areas[UK] = Area(
                UK, "United Kingdom", "uk", tuple(sorted(current)), None, "all districts"
            )
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


#: Columns kept as categoricals in measure slices: few distinct values, many rows, and
#: every aggregation groups or filters on them.
_CATEGORICAL = [
    "dataset", "measure", "geography_code", "geography_name", "geography_level", "industry",
    "breakdown", "period", "status", "release", "source_file", "unit", "sheet",
]  # fmt: skip


def measure_slice(obs: pd.DataFrame, dataset: str, measure: str) -> pd.DataFrame:
    """The rows of one measure. The observations are split by (dataset, measure) once and
    the pieces kept while the frame lives, so repeated look-ups (every indicator, every
    area) cost a dictionary access instead of a scan of millions of rows. In the pieces
    the repeated text columns are categoricals (fast to group, filter and join)."""
    key = id(obs)
    hit = _SLICES.get(key)
    if hit is None or hit[0]() is not obs:
        small = obs.astype({c: "category" for c in _CATEGORICAL if c in obs.columns})
        pieces = {
            (str(k[0]), str(k[1])): g
            for k, g in small.groupby(["dataset", "measure"], observed=True, sort=False)
        }

        def _forget(_r: weakref.ref, k: int = key) -> None:
            _SLICES.pop(k, None)

        _SLICES[key] = (weakref.ref(obs, _forget), pieces)
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
    industries: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One measure for one or many areas, by the measure's aggregation rule.

    Parameters
    ----------
    obs : tidy observations
    areas : the area(s)
    dataset, measure : what to aggregate
    prefer_published : use the publisher's own figure for an area when it prints one
    industries : only these industries (default: every industry the measure has)

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
    area_list: list[Area] = [areas] if isinstance(areas, Area) else list(areas)
    decl = _measure(dataset, measure)
    s = _slice(obs, dataset, measure)
    if s.empty:
        raise DataNotAvailable(f"no data for {measure} ({dataset}) in the store")
    if industries is not None:  # only the industries asked for (most indicators need "Total")
        s = s[s["industry"].isin(list(industries))]
    out: list[pd.DataFrame] = []
    # Published figures for the areas, found in one pass: an area's own code first, then
    # its aliases and the publishers' equivalent codes (UKX for the UK).
    wanted = [a for a in area_list if prefer_published or len(a.members) == 1]
    prio: dict[str, tuple[int, int]] = {}
    for i, a in enumerate(wanted):
        for rank, c in enumerate(a.codes):
            prio.setdefault(c, (i, rank))
    done: set[str] = set()
    if prio:
        pub = s[s["geography_code"].isin(list(prio))]
        if len(pub):
            codes = pub["geography_code"].astype(object).to_numpy()
            owner = np.array([prio[c][0] for c in codes])
            ranks = np.array([prio[c][1] for c in codes])
            best = pd.Series(ranks).groupby(owner).transform("min").to_numpy()
            keep = ranks == best
            pub, owner = pub[keep], owner[keep]
            df = pub.copy()
            df["geography_code"] = np.array([wanted[i].code for i in owner], dtype=object)
            df["geography_name"] = np.array([wanted[i].name for i in owner], dtype=object)
            df["geography_level"] = np.array([wanted[i].level for i in owner], dtype=object)
            n = np.array([len(wanted[i].members) for i in owner])
            df["n_members"] = n
            df["n_present"] = n
            df["method"] = np.where(n == 1, "published (district)", "published")
            out.append(df.reindex(columns=OUT_COLUMNS))
            done = {wanted[i].code for i in np.unique(owner)}
    todo: list[Area] = [a for a in area_list if a.code not in done]
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


def _denominator(obs: pd.DataFrame, decl, dataset: str) -> tuple[str, str]:
    ref = decl.denominator
    if ":" in ref:
        ds, m = ref.split(":", 1)
    else:
        ds, m = dataset, ref
    return ds, m


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and uniques of a column (missing values get their own code)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy().astype(np.int64)
        uniques = np.asarray(values.cat.categories.astype(object), dtype=object)
        if (codes < 0).any():
            codes = np.where(codes < 0, len(uniques), codes)
            uniques = np.append(uniques, np.array([None], dtype=object))
        return codes, uniques
    codes, uniques = pd.factorize(
        values.to_numpy(dtype=object, na_value=None), use_na_sentinel=False
    )
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def _rows_for_members(
    code_idx: np.ndarray, member_idx: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """For each area (a list of code indices), the positions of the rows of its districts:
    returns (area position per selected row, row index)."""
    order = np.argsort(code_idx, kind="stable")
    sorted_codes = code_idx[order]
    area_pos, rows = [], []
    for i, members in enumerate(member_idx):
        if len(members) == 0:
            continue
        lo = np.searchsorted(sorted_codes, members, side="left")
        hi = np.searchsorted(sorted_codes, members, side="right")
        counts = hi - lo
        total = int(counts.sum())
        if total == 0:
            continue
        # concatenate the ranges [lo, hi) without a Python loop over districts
        starts = np.repeat(lo - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
        idx = np.arange(total) + starts
        rows.append(order[idx])
        area_pos.append(np.full(total, i, dtype=np.int64))
    if not rows:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(area_pos), np.concatenate(rows)


def _build(
    obs: pd.DataFrame, s: pd.DataFrame, areas: list[Area], decl, dataset: str
) -> pd.DataFrame:
    """Aggregate one measure to many areas with integer keys and numpy sums (a national
    set of areas means millions of district-rows; pandas merges were the bottleneck)."""
    code_idx, code_uniques = _codes(s["geography_code"])
    lookup = {c: i for i, c in enumerate(code_uniques)}
    member_idx = [
        np.array([lookup[m] for m in a.members if m in lookup], dtype=np.int64) for a in areas
    ]
    area_pos, rows = _rows_for_members(code_idx, member_idx)
    if len(rows) == 0:
        raise DataNotAvailable(
            f"no district data for {decl.id} ({dataset}) in {', '.join(a.name for a in areas[:3])}"
        )
    value = s["value"].to_numpy(dtype=float, na_value=np.nan)
    kind = decl.aggregation
    if kind == "additive":
        den = np.ones(len(s))
        method_label = "sum of {n} districts"
    else:
        dds, dm = _denominator(obs, decl, dataset)
        den_s = _slice(obs, dds, dm)
        if den_s.empty:
            raise DataNotAvailable(
                f"{decl.id} is aggregated with {dm} ({dds}) as its base, which is not in the store"
            )
        den = _denominator_values(s, den_s, same_dataset=(dds == dataset))
        if kind == "ratio":
            method_label = f"Σ(value × {dm}) / Σ {dm} over {{n}} districts"
        else:
            method_label = f"pooled survey rate weighted by {dm}, {{n}} districts (approximate CI)"
    ok = np.isfinite(value) & np.isfinite(den)
    num = np.where(ok, value * den, 0.0)
    den0 = np.where(ok, den, 0.0)
    # group = (industry, breakdown, period, year) of the row
    g_ind, u_ind = _codes(s["industry"])
    g_brk, u_brk = _codes(s["breakdown"])
    g_per, u_per = _codes(s["period"])
    grp_raw = (g_ind * len(u_brk) + g_brk) * len(u_per) + g_per
    grp_idx, grp_inv = np.unique(grp_raw, return_inverse=True)
    n_grp = len(grp_idx)
    key = area_pos * n_grp + grp_inv[rows]
    uniq_keys, kinv = np.unique(key, return_inverse=True)
    nk = len(uniq_keys)
    num_sum = np.bincount(kinv, weights=num[rows], minlength=nk)
    den_sum = np.bincount(kinv, weights=den0[rows], minlength=nk)
    present = np.bincount(kinv, weights=ok[rows].astype(float), minlength=nk).astype(int)
    a_of_key = uniq_keys // n_grp
    g_of_key = uniq_keys % n_grp
    n_members = np.array([len(a.members) for a in areas])[a_of_key]
    complete = present == n_members
    with np.errstate(invalid="ignore", divide="ignore"):
        if kind == "additive":
            val = np.where(complete, num_sum, np.nan)
        else:
            val = np.where(complete & (den_sum > 0), num_sum / den_sum, np.nan)
    status = np.full(nk, None, dtype=object)
    incomplete = present < n_members
    if incomplete.any():
        miss = n_members[incomplete] - present[incomplete]
        status[incomplete] = [
            f"incomplete: {m} of {n} districts missing or suppressed"
            for m, n in zip(miss, n_members[incomplete], strict=True)
        ]
    if kind != "additive":
        zero = complete & (den_sum <= 0)
        status[zero] = "zero denominator"
    ci_lo = np.full(nk, np.nan)
    ci_hi = np.full(nk, np.nan)
    if kind == "survey_rate":
        lo = s["ci_lower"].to_numpy(dtype=float, na_value=np.nan)
        hi = s["ci_upper"].to_numpy(dtype=float, na_value=np.nan)
        se = (hi - lo) / (2 * 1.96)
        has_se = np.isfinite(se) & ok
        w2se2 = np.where(has_se, (den0 * np.nan_to_num(se)) ** 2, 0.0)
        var_num = np.bincount(kinv, weights=w2se2[rows], minlength=nk)
        n_se = np.bincount(kinv, weights=has_se[rows].astype(float), minlength=nk).astype(int)
        with np.errstate(invalid="ignore", divide="ignore"):
            sd = np.sqrt(var_num) / den_sum
        full = np.isfinite(val) & (n_se == n_members)
        ci_lo = np.where(full, val - 1.96 * sd, np.nan)
        ci_hi = np.where(full, val + 1.96 * sd, np.nan)
        status[full] = "approximate CI (pooled)"
        status[np.isfinite(val) & ~full] = "no CI (a district has none)"
    # the group's labels, from its first row
    first_row = np.zeros(n_grp, dtype=np.int64)
    first_row[grp_inv[::-1]] = np.arange(len(grp_inv))[::-1]
    fr = first_row[g_of_key]
    year = s["year"].to_numpy(dtype=float, na_value=np.nan)
    # the release and files an area's figures come from: per area (cheap and enough to trace)
    f_idx, f_uni = _codes(s["source_file"])
    r_idx, r_uni = _codes(s["release"])
    demo = s["demo"].to_numpy(dtype=bool)
    n_areas = len(areas)
    area_files = [""] * n_areas
    pairs = np.unique(area_pos * (len(f_uni) + 1) + f_idx[rows])
    for p in pairs:
        a, f = divmod(int(p), len(f_uni) + 1)
        if f_uni[f]:
            area_files[a] = f"{area_files[a]}, {f_uni[f]}" if area_files[a] else str(f_uni[f])
    first_of_area = np.full(n_areas, -1, dtype=np.int64)
    first_of_area[area_pos[::-1]] = rows[::-1]
    area_release = np.array(
        [r_uni[r_idx[r]] if r >= 0 else None for r in first_of_area], dtype=object
    )
    not_demo = np.bincount(area_pos, weights=(~demo[rows]).astype(float), minlength=n_areas)
    area_demo = not_demo == 0
    labels = np.array([method_label.format(n=len(a.members)) for a in areas], dtype=object)

    # Categorical columns built from integer codes: no per-row Python strings (a national
    # set of areas gives a million rows per measure).
    def cat(values: Sequence[Any] | np.ndarray, idx: np.ndarray) -> pd.Categorical:
        uniq, inv = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)
        return pd.Categorical.from_codes(inv[idx], categories=pd.Index(uniq, dtype=object))

    def cat_none(values: np.ndarray, idx: np.ndarray) -> pd.Categorical:
        vals = np.asarray(values, dtype=object)
        mask = np.array([v is None or v != v for v in vals])
        filled = np.where(mask, "", vals).astype(str)
        uniq, inv = np.unique(filled, return_inverse=True)
        codes = np.where(mask, -1, inv)[idx]
        return pd.Categorical.from_codes(codes, categories=pd.Index(uniq, dtype=object))

    out = pd.DataFrame(
        {
            "geography_code": cat([a.code for a in areas], a_of_key),
            "geography_name": cat([a.name for a in areas], a_of_key),
            "geography_level": cat([a.level for a in areas], a_of_key),
            "dataset": dataset,
            "measure": decl.id,
            "industry": cat_none(u_ind, g_ind[fr]),
            "breakdown": cat_none(u_brk, g_brk[fr]),
            "period": cat_none(u_per, g_per[fr]),
            "year": year[fr],
            "value": val,
            "unit": decl.unit,
            "status": status,
            "ci_lower": ci_lo,
            "ci_upper": ci_hi,
            "n_members": n_members,
            "n_present": present,
            "method": cat(labels, a_of_key),
            "release": cat_none(area_release, a_of_key),
            "source_file": cat(area_files, a_of_key),
            "demo": area_demo[a_of_key],
        }
    )
    return out.reindex(columns=OUT_COLUMNS)


def _denominator_values(s: pd.DataFrame, den: pd.DataFrame, *, same_dataset: bool) -> np.ndarray:
    """The denominator for each row of ``s``: the same district, industry, breakdown and
    year where the denominator has them; else its Total/All figure for that district and
    year; for another dataset (a population base published for fewer years) the nearest
    year's."""
    key_cols = ["geography_code", "industry", "breakdown", "year"]
    if same_dataset:
        exact = s[key_cols].merge(
            den[[*key_cols, "value"]].drop_duplicates(key_cols), on=key_cols, how="left"
        )["value"]
        vals = exact.to_numpy(dtype=float, na_value=np.nan)
        if np.isfinite(vals).any() or den["industry"].nunique() > 1:
            return vals
    tot = den.sort_values("industry").drop_duplicates(["geography_code", "year"])
    tot = tot[["geography_code", "year", "value"]].dropna(subset=["year"])
    if tot.empty:
        return np.full(len(s), np.nan)
    years = np.sort(tot["year"].astype(int).unique())
    want = s["year"].to_numpy(dtype=float, na_value=np.nan)
    idx = np.clip(np.searchsorted(years, want), 0, len(years) - 1)
    lo = np.clip(idx - 1, 0, len(years) - 1)
    nearest = np.where(np.abs(years[lo] - want) <= np.abs(years[idx] - want), years[lo], years[idx])
    lookup = pd.Series(
        tot["value"].to_numpy(dtype=float, na_value=np.nan),
        index=pd.MultiIndex.from_arrays(
            [tot["geography_code"].to_numpy(dtype=object), tot["year"].astype(int).to_numpy()]
        ),
    )
    lookup = lookup[~lookup.index.duplicated()]
    keys = pd.MultiIndex.from_arrays(
        [s["geography_code"].to_numpy(dtype=object), nearest.astype(int)]
    )
    return lookup.reindex(keys).to_numpy(dtype=float)
