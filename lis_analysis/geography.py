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

A figure the publisher prints for exactly the area comes first. :class:`Aggregator` is
the one path that does all this; :func:`aggregate`, the indicator engine and
``lis.aggregate`` call it. It works on :class:`Measures` (the observations split by
measure and indexed), which whoever loaded the observations owns and passes on.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import _yaml
from .config import (
    PACKAGE_DATA,
    AreaSpec,
    package_areas,
    read_area_specs,
    refuse_redefinitions,
)
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
EQUIVALENT_CODES = {
    UK: ("UKX", "UK", "K02000001", "K99000002"),
    ENGLAND: ("E92000001", "TLB"),
}

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


#: Status of a figure built with its base's nearest year (the base is not published for
#: the figure's own year).
BASE_OTHER_YEAR = "base of another year"

#: Where the counties' districts come from (printed with a parts display).
COUNTY_SOURCE = (
    "counties' districts as printed in the hierarchy of ONS ASHE Table 7.1a 2024 "
    "(lis_analysis/data/counties.yaml)"
)


@functools.lru_cache(maxsize=1)
def package_counties() -> dict[str, tuple[str, tuple[str, ...]]]:
    """County (E10) and metropolitan county (E11) code -> (name, district codes), from
    ``data/counties.yaml`` (written from ASHE's printed hierarchy by
    ``tools/counties_from_ashe.py``)."""
    path = PACKAGE_DATA / "counties.yaml"
    doc = _yaml.load(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("counties"), dict):
        raise ConfigError(f"{path}: expected a top-level 'counties:' mapping")
    out = {}
    for code, body in doc["counties"].items():
        if not isinstance(body, dict) or not isinstance(body.get("members"), list):
            raise ConfigError(f"{path}: county {code} needs a name and a list of members")
        out[str(code)] = (str(body.get("name", code)), tuple(str(m) for m in body["members"]))
    return out


def fewest_parts(
    members: Sequence[str], candidates: dict[str, frozenset[str]] | dict[str, set[str]]
) -> tuple[str, ...] | None:
    """The fewest candidates whose district sets exactly partition ``members``.

    Parameters
    ----------
    members : the area's districts
    candidates : code -> its districts (published geographies: districts, unitaries,
        counties, combined authorities ...); those not wholly inside the area are ignored

    Returns
    -------
    tuple of str or None
        The codes chosen (largest first, then by code), or None when no exact partition
        exists (a district with no published figure and no published geography holding
        it inside the area).

    Examples
    --------
    >>> fewest_parts(["a", "b", "c"], {"a": {"a"}, "b": {"b"}, "c": {"c"}, "K": {"b", "c"}})
    ('K', 'a')
    >>> fewest_parts(["a", "b"], {"a": {"a"}}) is None
    True
    """
    want = frozenset(members)
    inside = {c: frozenset(s) for c, s in candidates.items() if s and frozenset(s) <= want}
    # exact cover, smallest number of sets: depth-first on the first uncovered district
    # (in code order), trying the largest candidates holding it first, with a bound
    by_member: dict[str, list[str]] = {}
    for c, s in sorted(inside.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        for m in s:
            by_member.setdefault(m, []).append(c)
    order = sorted(want)
    best: list[tuple[str, ...] | None] = [None]

    def search(covered: frozenset[str], chosen: tuple[str, ...]) -> None:
        if best[0] is not None and len(chosen) >= len(best[0]):
            return
        left = [m for m in order if m not in covered]
        if not left:
            best[0] = chosen
            return
        for c in by_member.get(left[0], []):
            s = inside[c]
            if not s & covered:
                search(covered | s, (*chosen, c))

    search(frozenset(), ())
    if best[0] is None:
        return None
    return tuple(sorted(best[0], key=lambda c: (-len(inside[c]), c)))


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
    note : a remark printed with the area (from the YAML)

    Examples
    --------
    >>> a = Area("MYAREA01", "Charnwood and Melton", "custom", ("E07000130", "E07000133"))
    >>> a
    Area(MYAREA01 'Charnwood and Melton', custom, 2 districts)
    >>> a.codes
    ('MYAREA01',)
    """

    code: str
    name: str
    level: str
    members: tuple[str, ...]
    region: str | None = None
    source: str = ""
    aliases: tuple[str, ...] = ()
    note: str = ""

    @functools.cached_property
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
    #: areas by their set of districts, and each area's equivalents (see :meth:`equivalents`)
    _by_members: dict[frozenset[str], list[str]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _equiv: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

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
            # first name of each code, found on integer codes: the store's text columns
            # are categoricals, and iterating millions of Arrow strings in Python took 3 s
            codes, code_u = pd.factorize(obs["geography_code"])
            first = np.full(len(code_u), -1, dtype=np.int64)
            first[codes[::-1]] = np.arange(len(codes))[::-1]
            first = first[first >= 0]
            gname = obs["geography_name"].take(first)
            names.update(
                (str(c), str(n))
                for c, n in zip(obs["geography_code"].take(first), gname, strict=True)
                if not (pd.isna(c) or pd.isna(n))
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
            in_lads = obs.loc[obs["geography_level"] == "lad", "geography_code"]
            lads |= {str(c) for c in pd.unique(in_lads) if not pd.isna(c)}
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
        # Counties and metropolitan counties: no county lookup is among the published
        # files read, so their districts come from the hierarchy ASHE prints (package
        # data, checked against the workbook by tests/test_counties.py). A county is
        # added only when every one of its districts is a current district.
        for ccode, (cname, kids) in package_counties().items():
            if ccode in areas or not current or not set(kids) <= current:
                continue
            areas[ccode] = Area(
                code=ccode,
                name=names.get(ccode, cname),
                level="county",
                members=tuple(sorted(kids)),
                region=_common({region_of.get(k) for k in kids}),
                source=COUNTY_SOURCE,
            )
            names.setdefault(ccode, cname)
        all_specs = dict(package_areas() if specs is None else specs)
        if areas_file:
            user = read_area_specs(Path(areas_file))
            # a published code (a lookup's, the package's) changes meaning only on purpose
            refuse_redefinitions(user, [*areas, *all_specs], areas_file)
            all_specs.update(user)
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
        if self._by_members is None:
            index: dict[frozenset[str], list[str]] = {}
            for a in self.areas_by_code.values():
                index.setdefault(frozenset(a.members), []).append(a.code)
            self._by_members = index
        if area.level in ("uk", "country", "gb", "ew"):
            return ()  # a nation is never "the same" as a set of districts that happens to match
        key = (area.code, area.members)
        hit = self._equiv.get(key)
        if hit is None:
            same = self._by_members.get(frozenset(area.members), [])
            hit = self._equiv[key] = tuple(
                c
                for c in same
                if c not in area.codes and self.areas_by_code[c].level not in ("uk", "country")
            )
        return hit

    def parts(self, area: Area, published: Sequence[str]) -> tuple[Area, ...] | None:
        """The fewest published geographies that exactly make up ``area``.

        ``published``: the codes a dataset prints a figure for. Each known area among
        them (a district, a unitary, a county, a combined authority ...) whose districts
        all lie inside ``area`` is a candidate; :func:`fewest_parts` chooses. None when
        the published figures cannot make up the area exactly.
        """
        # one code per set of districts, the plainest kind first (Leicester the
        # district, not ITL3 TLF21 of the same district)
        rank = {"lad": 0, "county": 1}
        by_set: dict[frozenset[str], Area] = {}
        for code in dict.fromkeys(published):
            a = self.areas_by_code.get(code)
            if a is None or a.level in ("uk", "country") or code in area.codes:
                continue
            key = frozenset(a.members)
            if key == frozenset(area.members):
                continue  # published for the area itself, not for a part of it
            old = by_set.get(key)
            if old is None or rank.get(a.level, 2) < rank.get(old.level, 2):
                by_set[key] = a
        cands = {a.code: key for key, a in by_set.items()}
        got = fewest_parts(area.members, cands)
        return None if got is None else tuple(self.areas_by_code[c] for c in got)

    def peers(self, area: Area, level: str | None = None) -> list[Area]:
        """Areas of the same kind as ``area`` (LSIP areas for an LEP/LSIP), excluding it."""
        lvl = level or ("lsip" if area.level in ("lep", "lsip", "custom") else area.level)
        own = set(area.members)
        return [a for a in self.areas(lvl) if a.code not in area.codes and set(a.members) != own]


def _common(values: set[str | None]) -> str | None:
    values = {v for v in values if v}
    return values.pop() if len(values) == 1 else None


# --------------------------------------------------------------------------------------
# Aggregation: the one published-or-built path
# --------------------------------------------------------------------------------------

#: Columns of :func:`aggregate`'s table (a tidy row per area, industry, breakdown, period).
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
#: Columns of :meth:`Aggregator.aggregate`'s arrays (the engine's aggregated measures).
AGG_COLUMNS = [
    "area_code", "industry", "breakdown", "period", "year", "value", "ci_lower", "ci_upper",
    "status", "method", "release", "demo", "n_members", "n_present", "source_file",
]  # fmt: skip


def _measure(dataset: str, measure: str):
    from .sources import measure as declared

    return declared(dataset, measure)


#: Columns kept as categoricals in measure slices: few distinct values, many rows, and
#: every aggregation groups or filters on them.
_CATEGORICAL = [
    "dataset", "measure", "geography_code", "geography_name", "geography_level", "industry",
    "breakdown", "period", "status", "release", "source_file", "unit", "sheet",
]  # fmt: skip


class Measures:
    """Tidy observations split by (dataset, measure), each piece with its integer index.

    Every aggregation of a measure starts from its rows; splitting millions of rows costs
    about a second, so it is done once per loaded set of observations and the pieces kept
    here, with each measure's :class:`MeasureIndex` (built on first use). The owner of
    the observations owns this object and passes it on (the face's session, a command,
    a page); nothing is cached anywhere else, and nothing here depends on a geography.

    Parameters
    ----------
    obs : pandas.DataFrame
        Tidy observations (``lis_analysis.sources.TIDY_COLUMNS``).
    """

    def __init__(self, obs: pd.DataFrame) -> None:
        self.obs = obs
        self._pieces: dict[tuple[str, str], pd.DataFrame] | None = None
        self._indexes: dict[tuple[str, str], MeasureIndex] = {}

    def slice(self, dataset: str, measure: str) -> pd.DataFrame:
        """The rows of one measure (repeated text columns as categoricals: fast to group,
        filter and join); an empty frame when there are none."""
        if self._pieces is None:
            obs = self.obs
            small = obs.astype({c: "category" for c in _CATEGORICAL if c in obs.columns})
            self._pieces = {
                (str(k[0]), str(k[1])): g
                for k, g in small.groupby(["dataset", "measure"], observed=True, sort=False)
            }
        piece = self._pieces.get((dataset, measure))
        return piece if piece is not None else self.obs.iloc[0:0]

    def index(self, dataset: str, measure: str) -> MeasureIndex | None:
        """The :class:`MeasureIndex` of one measure (None when there are no rows of it)."""
        ix = self._indexes.get((dataset, measure))
        if ix is None:
            s = self.slice(dataset, measure)
            if s.empty:
                return None
            ix = self._indexes[(dataset, measure)] = MeasureIndex.of(s)
        return ix


@dataclass(eq=False)
class MeasureIndex:
    """One measure's rows as integer-coded numpy arrays, sorted access by district: what
    every aggregation needs, built once per measure by :class:`Measures` (an index, as a
    database keeps one; no aggregated value is kept here).

    Text columns are codes into ``*_u`` arrays (object; a missing value has the last
    code, whose label is ``None``)."""

    slice: pd.DataFrame
    geo: np.ndarray
    geo_u: np.ndarray
    code_index: dict[str, int]
    order: np.ndarray  # row positions sorted by district code
    sorted_geo: np.ndarray
    ind: np.ndarray
    ind_u: np.ndarray
    brk: np.ndarray
    brk_u: np.ndarray
    per: np.ndarray
    per_u: np.ndarray
    status: np.ndarray
    status_u: np.ndarray
    release: np.ndarray
    release_u: np.ndarray
    file: np.ndarray
    file_u: np.ndarray
    year: np.ndarray
    value: np.ndarray
    ci_lower: np.ndarray
    ci_upper: np.ndarray
    demo: np.ndarray
    group: np.ndarray  # (industry, breakdown, period) group of each row
    n_group: int
    group_first: np.ndarray  # first row of each group
    denominators: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    #: for each denominator: whether each row's base is of the row's own year
    base_same_year: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    selections: dict[tuple, Selection] = field(default_factory=dict)
    #: areas' district codes as code indices and a sparse membership matrix, by areas
    memberships: dict[tuple, tuple[list[np.ndarray], Any, np.ndarray, np.ndarray]] = field(
        default_factory=dict
    )

    @classmethod
    def of(cls, s: pd.DataFrame) -> MeasureIndex:
        geo, geo_u = _codes(s["geography_code"])
        ind, ind_u = _codes(s["industry"])
        brk, brk_u = _codes(s["breakdown"])
        per, per_u = _codes(s["period"])
        grp_raw = (ind * len(brk_u) + brk) * len(per_u) + per
        grp_idx, grp_inv = np.unique(grp_raw, return_inverse=True)
        first = np.zeros(len(grp_idx), dtype=np.int64)
        first[grp_inv[::-1]] = np.arange(len(grp_inv))[::-1]
        order = np.argsort(geo, kind="stable")
        status, status_u = _codes(s["status"])
        release, release_u = _codes(s["release"])
        file, file_u = _codes(s["source_file"])

        def num(c: str) -> np.ndarray:
            return s[c].to_numpy(dtype=float, na_value=np.nan)

        return cls(
            slice=s, geo=geo, geo_u=geo_u,
            code_index={c: i for i, c in enumerate(geo_u) if c is not None},
            order=order, sorted_geo=geo[order],
            ind=ind, ind_u=ind_u, brk=brk, brk_u=brk_u, per=per, per_u=per_u,
            status=status, status_u=status_u, release=release, release_u=release_u,
            file=file, file_u=file_u,
            year=num("year"), value=num("value"), ci_lower=num("ci_lower"), ci_upper=num("ci_upper"),
            demo=s["demo"].to_numpy(dtype=bool),
            group=grp_inv.astype(np.int64), n_group=len(grp_idx), group_first=first,
        )  # fmt: skip

    def __len__(self) -> int:
        return len(self.geo)

    def industry_mask(
        self, industries: Sequence[str] | None, breakdowns: Sequence[str] | None = None
    ) -> np.ndarray | None:
        """Rows of these industries and breakdowns (None: every row)."""
        mask = None
        for wanted, codes, uniques in (
            (industries, self.ind, self.ind_u),
            (breakdowns, self.brk, self.brk_u),
        ):
            if wanted is None:
                continue
            w = set(wanted)
            ok = np.array([u in w for u in uniques], dtype=bool)[codes]
            mask = ok if mask is None else mask & ok
        return mask

    def selection(
        self, industries: Sequence[str] | None = None, breakdowns: Sequence[str] | None = None
    ) -> Selection:
        """The rows of some industries and breakdowns, sorted by district (kept: every
        area asks for the same few selections, e.g. each measure's total)."""
        key = (
            tuple(industries) if industries is not None else None,
            tuple(breakdowns) if breakdowns is not None else None,
        )
        sel = self.selections.get(key)
        if sel is None:
            mask = self.industry_mask(industries, breakdowns)
            order = self.order if mask is None else self.order[mask[self.order]]
            sel = Selection(
                order=order,
                sorted_geo=self.geo[order],
                per_code=np.bincount(self.geo[order], minlength=len(self.geo_u)),
            )
            self.selections[key] = sel
        return sel

    def rows_of(
        self, member_idx: list[np.ndarray], sel: Selection | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(position of the area, row) for the selected rows of each area's district codes."""
        sel = sel or self.selection()
        return _rows_for_members(sel.order, sel.sorted_geo, member_idx)


@dataclass(frozen=True, eq=False)
class Selection:
    """Selected rows of a :class:`MeasureIndex`, sorted by district, and rows per district."""

    order: np.ndarray
    sorted_geo: np.ndarray
    per_code: np.ndarray


def frame(columns: dict[str, Any], order: Sequence[str] | None = None) -> pd.DataFrame:
    """A DataFrame from numpy columns, text kept as plain object columns (pandas would
    otherwise convert every object array to its Arrow-backed string type, which cost
    the indicator engine more than its arithmetic)."""
    names = list(order or columns)
    n = next(len(v) for v in columns.values() if isinstance(v, np.ndarray))
    out = {}
    for c in names:
        v = columns[c]
        if isinstance(v, np.ndarray) and v.dtype == object:
            out[c] = pd.Series(v, dtype=object, copy=False)
        elif isinstance(v, str):  # one value for every row: a one-category categorical
            out[c] = pd.Categorical.from_codes(
                np.zeros(n, dtype=np.int8), categories=pd.Index([v], dtype=object)
            )
        else:
            out[c] = v
    return pd.DataFrame(out)


@dataclass(frozen=True, eq=False)
class Aggregate:
    """One measure for a set of areas, as :meth:`Aggregator.aggregate` found it.

    Attributes
    ----------
    columns : dict of numpy arrays, or None
        ``AGG_COLUMNS``: one entry per area, industry, breakdown and period, the
        publisher's figures first (``method`` names the code printed), then the figures
        built from districts; None when nothing was found.
    notes : dict
        area code -> why that area has no figure (not aggregable and not published, or
        no district data), in words a page can print.
    refused : tuple of Area
        areas the measure cannot be built for (a median, an index, a rank) and for which
        the publisher prints no figure.
    problem : str
        why nothing, or not every area, could be built (empty when all went well).
    decl : the measure's declaration (``lis_analysis.sources.measure``), if it was needed.
    """

    columns: dict[str, np.ndarray] | None
    notes: dict[str, str] = field(default_factory=dict)
    refused: tuple[Area, ...] = ()
    problem: str = ""
    decl: Any = None


class Aggregator:
    """The one published-or-built aggregation path (DESIGN.md, "Figures for an area").

    For each area: the publisher's own figure when one is printed for that exact area
    (its code, an alias, the publishers' equivalent codes such as ``UKX``, or the code
    of another area made of exactly the same districts); otherwise the figure built
    from its districts by the measure's declared rule (see the module docstring); never
    a figure built from part of an area. :func:`aggregate`, the indicator engine and
    ``lis.aggregate`` all come here.

    The aggregator keeps what it learns about the observations and the geography (the
    measures' indexes, which published code stands for which set of areas), so one
    aggregator serves every computation on the same data: the face's session, a command
    and a page each own one, and pass it on.

    Parameters
    ----------
    obs : pandas.DataFrame or Measures
        The tidy observations (or their :class:`Measures`, to share its indexes).
    geo : Geography, optional
        The areas known; with it, a figure printed for another area of exactly the same
        districts (Leicester the district and ITL3 TLF21) stands for the area.
    """

    def __init__(self, obs: pd.DataFrame | Measures, geo: Geography | None = None) -> None:
        self.measures = obs if isinstance(obs, Measures) else Measures(obs)
        self.geo = geo
        #: which published codes stand for a batch of areas, by measure, selection and areas
        self._published: dict[tuple, tuple[list[tuple[int, int]], list[str], list[int]]] = {}

    @property
    def obs(self) -> pd.DataFrame:
        return self.measures.obs

    def aggregate(
        self,
        dataset: str,
        measure: str,
        areas: Sequence[Area],
        *,
        industries: Sequence[str] | None = None,
        breakdowns: Sequence[str] | None = None,
        prefer_published: bool = True,
        build: bool = True,
    ) -> Aggregate:
        """One measure for many areas at once, as numpy columns (see :class:`Aggregate`).

        Parameters
        ----------
        dataset, measure : str
            The published measure.
        areas : sequence of Area
        industries, breakdowns : sequence of str, optional
            Only these industries and breakdowns (default: all the measure has).
        prefer_published : bool, default True
            Use the publisher's figure for an area made of several districts when one is
            printed (False: build every such area from its districts).
        build : bool, default True
            Build the areas with no published figure from their districts (False: the
            published figures only).

        Returns
        -------
        Aggregate
        """
        ix = self.measures.index(dataset, measure)
        if ix is None:
            return Aggregate(None, problem=f"no data for {measure} ({dataset}) in the store")
        sel = ix.selection(industries, breakdowns)
        if not len(sel.order):
            return Aggregate(
                None, problem=f"no data for {measure} ({dataset}) in the industries asked for"
            )
        sel_key = (
            tuple(industries) if industries is not None else None,
            tuple(breakdowns) if breakdowns is not None else None,
        )
        chosen, labels, todo = self._published_codes(
            dataset, measure, ix, sel, sel_key, areas, prefer_published
        )
        parts: list[dict[str, np.ndarray]] = []
        if chosen:
            parts.append(_published_rows(ix, sel, areas, chosen, labels))
        notes: dict[str, str] = {}
        refused: tuple[Area, ...] = ()
        problem = ""
        decl = None
        if todo and build:
            decl = _measure(dataset, measure)
            what = decl.description or measure
            if decl.aggregation == "not_aggregable":
                refused = tuple(todo)
                kind = _kind_words(decl)
                problem = f"{measure} is {kind}"
                for a in todo:
                    notes.setdefault(
                        a.code,
                        f"{what} is {kind}: it cannot be built for {a.name} from its districts, "
                        "and the publisher prints no figure for this area",
                    )
            else:
                try:
                    built = _build(self.measures, ix, todo, decl, dataset, sel)
                    built["area_code"] = built.pop("geography_code")
                    parts.append(built)
                except DataNotAvailable as exc:
                    problem = str(exc)
                    for a in todo:
                        notes.setdefault(
                            a.code,
                            f"{what} is not published for {a.name} or for its districts",
                        )
        if not parts:
            cols = None
        elif len(parts) == 1:
            cols = {c: parts[0][c] for c in AGG_COLUMNS}
        else:
            cols = {c: np.concatenate([p[c] for p in parts]) for c in AGG_COLUMNS}
        return Aggregate(cols, notes=notes, refused=refused, problem=problem, decl=decl)

    def table(
        self,
        dataset: str,
        measure: str,
        areas: Area | Sequence[Area],
        *,
        industries: Sequence[str] | None = None,
        breakdowns: Sequence[str] | None = None,
        prefer_published: bool = True,
    ) -> pd.DataFrame:
        """:meth:`aggregate` as a tidy table (``OUT_COLUMNS``), with errors instead of
        notes; see :func:`aggregate`."""
        many = not isinstance(areas, Area)
        area_list: list[Area] = [areas] if isinstance(areas, Area) else list(areas)
        res = self.aggregate(
            dataset,
            measure,
            area_list,
            industries=industries,
            breakdowns=breakdowns,
            prefer_published=prefer_published,
        )
        if res.refused and (not many or len(res.refused) == len(area_list)):
            decl = res.decl
            names = ", ".join(a.name for a in res.refused[:3])
            raise NotAggregable(
                f"{measure} ({decl.description or decl.unit}) cannot be built for {names} from its districts: "
                f"it is {_kind_words(decl)}, and the publisher prints no figure for this exact area"
            )
        if res.problem and not res.refused:  # no rows, or no district rows to build from
            raise DataNotAvailable(res.problem)
        if res.columns is None:
            return pd.DataFrame(columns=OUT_COLUMNS)
        cols = res.columns
        by_code = {a.code: a for a in area_list}
        codes, uniques = pd.factorize(cols["area_code"])
        names = np.array([by_code[c].name for c in uniques], dtype=object)[codes]
        levels = np.array([by_code[c].level for c in uniques], dtype=object)[codes]
        unit = (res.decl or _measure(dataset, measure)).unit
        return frame(
            {
                **cols,
                "geography_code": cols["area_code"],
                "geography_name": names,
                "geography_level": levels,
                "dataset": dataset,
                "measure": measure,
                "unit": unit,
            },
            OUT_COLUMNS,
        )

    def _published_codes(
        self,
        dataset: str,
        measure: str,
        ix: MeasureIndex,
        sel: Selection,
        sel_key: tuple,
        areas: Sequence[Area],
        prefer_published: bool,
    ) -> tuple[list[tuple[int, int]], list[str], list[Area]]:
        """For each area, the code whose published rows stand for it: its own code first,
        then its aliases, then codes of areas made of exactly the same districts; or none
        (the area is built from its districts). Returns (area position, code index) pairs,
        their labels, and the areas to build. Kept for this measure, selection and set of
        areas (every computation on the same data asks the same question again)."""
        key = (
            dataset,
            measure,
            sel_key,
            prefer_published,
            tuple((a.code, a.members) for a in areas),
        )
        hit = self._published.get(key)
        if hit is not None:
            return hit[0], hit[1], [areas[i] for i in hit[2]]
        present = sel.per_code
        chosen: list[tuple[int, int]] = []
        labels: list[str] = []
        todo: list[int] = []
        geo = self.geo
        for i, a in enumerate(areas):
            if not prefer_published and len(a.members) > 1:
                todo.append(i)
                continue
            for c in (*a.codes, *geo.equivalents(a)) if geo is not None else a.codes:
                gi = ix.code_index.get(c)
                if gi is not None and present[gi]:
                    chosen.append((i, gi))
                    labels.append(
                        "published" if c == a.code else f"published for {c} (same districts)"
                    )
                    break
            else:
                todo.append(i)
        self._published[key] = (chosen, labels, todo)
        return chosen, labels, [areas[i] for i in todo]


def _published_rows(
    ix: MeasureIndex,
    sel: Selection,
    areas: Sequence[Area],
    chosen: list[tuple[int, int]],
    labels: list[str],
) -> dict[str, np.ndarray]:
    """The selected rows printed for each chosen (area position, code index), as the
    AGG_COLUMNS arrays of those areas (see ``Aggregator._published_codes``)."""
    pos, rows = ix.rows_of([np.array([gi]) for _, gi in chosen], sel)
    owner = np.array([i for i, _ in chosen])[pos]
    nan = np.full(len(rows), np.nan)
    return {
        "area_code": np.array([a.code for a in areas], dtype=object)[owner],
        "industry": ix.ind_u[ix.ind[rows]],
        "breakdown": ix.brk_u[ix.brk[rows]],
        "period": ix.per_u[ix.per[rows]],
        "year": ix.year[rows],
        "value": ix.value[rows],
        "ci_lower": ix.ci_lower[rows],
        "ci_upper": ix.ci_upper[rows],
        "status": ix.status_u[ix.status[rows]],
        "method": np.array(labels, dtype=object)[pos],
        "release": ix.release_u[ix.release[rows]],
        "demo": ix.demo[rows],
        "n_members": nan,
        "n_present": nan.copy(),
        "source_file": ix.file_u[ix.file[rows]],
    }


def aggregate(
    obs: pd.DataFrame | Measures,
    areas: Area | Sequence[Area],
    dataset: str,
    measure: str,
    *,
    prefer_published: bool = True,
    industries: Sequence[str] | None = None,
    breakdowns: Sequence[str] | None = None,
    geo: Geography | None = None,
) -> pd.DataFrame:
    """One measure for one or many areas, by the measure's aggregation rule.

    The same path the indicator engine takes (:class:`Aggregator`); this function makes
    a new aggregator each time: to share one, call :meth:`Aggregator.table`.

    Parameters
    ----------
    obs : pandas.DataFrame or Measures
        Tidy observations.
    areas : Area or sequence of Area
    dataset, measure : str
        What to aggregate.
    prefer_published : bool, default True
        Use the publisher's own figure for an area when it prints one.
    industries, breakdowns : sequence of str, optional
        Only these industries and breakdowns (default: every one the measure has).
    geo : Geography, optional
        With it, a figure printed for another area of exactly the same districts is used.

    Returns
    -------
    pandas.DataFrame
        Columns ``OUT_COLUMNS``: one row per area, industry, breakdown and period;
        ``method`` says how each value was obtained (``published``, ``sum of 8
        districts`` ...), ``n_members``/``n_present`` how many districts a built figure
        needed and had.

    Raises
    ------
    NotAggregable
        For a median, index or rank asked for an area the publisher does not print.
    DataNotAvailable
        When the store holds no rows of this measure, or none for the areas' districts.

    Examples
    --------
    >>> import pandas as pd
    >>> from lis_analysis.sources._base import tidy
    >>> obs = tidy(dataset="ons_productivity_lad", measure="hours_weekly",
    ...            geography_code=["E07000129", "E07000130"], geography_name=["Blaby", "Charnwood"],
    ...            year=2022, period="2022", value=[100.0, 300.0])
    >>> two = Area("X1", "Blaby and Charnwood", "custom", ("E07000129", "E07000130"))
    >>> aggregate(obs, two, "ons_productivity_lad", "hours_weekly")[["value", "method"]]
       value              method
    0  400.0  sum of 2 districts
    """
    return Aggregator(obs, geo).table(
        dataset,
        measure,
        areas,
        industries=industries,
        breakdowns=breakdowns,
        prefer_published=prefer_published,
    )


def _kind_words(decl) -> str:
    unit = decl.unit.lower()
    if "index" in unit:
        return "a published index"
    if "rank" in unit or "rank" in decl.id:
        return "a rank"
    if "median" in decl.id or "median" in decl.description.lower():
        return "a median"
    # what is left: shares of pupils, premises or land, survey means, modelled estimates
    # and scores, whose weights the suite does not load
    return (
        "not additive (a share, average, score or modelled estimate whose weights are not loaded)"
    )


def _denominator(decl, dataset: str) -> tuple[str, str]:
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
    uniques = np.array([None if u is None or u != u else u for u in uniques], dtype=object)
    return codes.astype(np.int64), uniques


def _rows_for_members(
    order: np.ndarray, sorted_codes: np.ndarray, member_idx: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """For each area (a list of code indices), the positions of the rows of its districts,
    given the rows sorted by code (``order``, ``sorted_codes``): returns (area position
    per selected row, row index)."""
    lens = np.array([len(m) for m in member_idx], dtype=np.int64)
    if lens.sum() == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    members = np.concatenate([np.asarray(m, dtype=np.int64) for m in member_idx])
    owner = np.repeat(np.arange(len(member_idx), dtype=np.int64), lens)
    lo = np.searchsorted(sorted_codes, members, side="left")
    counts = np.searchsorted(sorted_codes, members, side="right") - lo
    # concatenate the ranges [lo, hi) without a Python loop over districts
    starts = np.repeat(lo - (np.cumsum(counts) - counts), counts)
    idx = np.arange(int(counts.sum())) + starts
    return np.repeat(owner, counts), order[idx]


def _build(
    measures: Measures,
    ix: MeasureIndex,
    areas: list[Area],
    decl,
    dataset: str,
    sel: Selection | None = None,
) -> dict[str, Any]:
    """Aggregate one measure to many areas at once.

    The selected rows are laid out as district x group matrices (group: industry,
    breakdown and period), and each area's sums are a sparse membership matrix times
    them (areas x districts, one 1 per member): a national set of areas costs a few
    sparse products instead of gathering millions of district-rows. Returns the
    OUT_COLUMNS as numpy arrays (text as object arrays)."""
    from scipy import sparse

    sel = sel or ix.selection()
    rows = sel.order
    n_areas, n_codes = len(areas), len(ix.geo_u)
    member_key = tuple((a.code, a.members) for a in areas)
    if member_key not in ix.memberships:
        lookup = ix.code_index
        idx = [
            np.array([lookup[m] for m in a.members if m in lookup], dtype=np.int64) for a in areas
        ]
        lens = np.array([len(m) for m in idx], dtype=np.int64)
        cols_m = np.concatenate(idx) if lens.sum() else np.empty(0, dtype=np.int64)
        owner_m = np.repeat(np.arange(n_areas), lens)
        ix.memberships[member_key] = (
            idx,
            sparse.csr_matrix((np.ones(len(cols_m)), (owner_m, cols_m)), shape=(n_areas, n_codes)),
            owner_m,
            cols_m,
        )
    member_idx, member, owner_m, cols_m = ix.memberships[member_key]
    if len(rows) == 0 or not (member @ sel.per_code.astype(float)).any():
        raise DataNotAvailable(
            f"no district data for {decl.id} ({dataset}) in {', '.join(a.name for a in areas[:3])}"
        )
    kind = decl.aggregation
    value = ix.value[rows]
    if kind == "additive":
        den = np.ones(len(rows))
        method_label = "sum of {n} districts"
    else:
        dds, dm = _denominator(decl, dataset)
        if (dds, dm) not in ix.denominators:
            den_s = measures.slice(dds, dm)
            if den_s.empty:
                raise DataNotAvailable(
                    f"{decl.id} is aggregated with {dm} ({dds}) as its base, which is not in the store"
                )
            vals, same_year = _denominator_values(ix.slice, den_s, same_dataset=(dds == dataset))
            ix.denominators[(dds, dm)] = vals
            ix.base_same_year[(dds, dm)] = same_year
        den = ix.denominators[(dds, dm)][rows]
        # another dataset's base: say which one and which release (a population's vintage)
        base = dm
        if dds != dataset:
            from .sources.population import NOT_REBASED

            rel = sorted({str(r) for r in measures.slice(dds, dm)["release"].dropna().unique()})
            base = f"{dm} ({dds}{', release ' + ', '.join(rel) if rel else ''}, nearest year"
            base += f"; {NOT_REBASED[dds]})" if dds in NOT_REBASED else ")"
        if kind == "ratio":
            method_label = f"Σ(value × {base}) / Σ {dm} over {{n}} districts"
        else:
            method_label = (
                f"pooled survey rate weighted by {base}, {{n}} districts (approximate CI)"
            )
        if decl.approximate:
            method_label += (
                f"; approximate: {dm} stands in for {decl.base or 'the publisher’s own base'}"
            )
    ok = np.isfinite(value) & np.isfinite(den)
    # the groups the selection has, numbered 0..G-1
    grp = ix.group[rows]
    used = np.zeros(ix.n_group, dtype=bool)
    used[grp] = True
    g_global = np.flatnonzero(used)
    g_local = np.cumsum(used) - 1
    n_g = len(g_global)
    cell = ix.geo[rows] * n_g + g_local[grp]

    def by_cell(weights: np.ndarray | None = None) -> np.ndarray:
        """Per (area, group): the sum of ``weights`` (or the count) over its districts."""
        m = np.bincount(cell, weights=weights, minlength=n_codes * n_g).reshape(n_codes, n_g)
        return np.asarray(member @ m)

    has_rows = by_cell() > 0
    num_m = by_cell(np.where(ok, value * den, 0.0))
    den_m = by_cell(np.where(ok, den, 0.0))
    ok_m = by_cell(ok.astype(float))
    keys = np.flatnonzero(has_rows.ravel())
    a_of_key, gl_of_key = keys // n_g, keys % n_g
    g_of_key = g_global[gl_of_key]
    nk = len(keys)
    num_sum = num_m.ravel()[keys]
    den_sum = den_m.ravel()[keys]
    present = np.rint(ok_m.ravel()[keys]).astype(int)
    n_members = np.array([len(a.members) for a in areas])[a_of_key]
    complete = present == n_members
    with np.errstate(invalid="ignore", divide="ignore"):
        if kind == "additive":
            val = np.where(complete, num_sum, np.nan)
        else:
            val = np.where(complete & (den_sum > 0), num_sum / den_sum, np.nan)
    status = np.empty(nk, dtype=object)  # None
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
        # a base of another year (the nearest published) stands in: say so, so that a
        # figure a newer file could give only this way is not taken for a like-for-like one
        other_year = ~ix.base_same_year[(dds, dm)][rows]
        if other_year.any():
            n_other = by_cell(other_year.astype(float)).ravel()[keys] > 0
            flag = complete & n_other & (status == None)  # noqa: E711 (object array)
            status[flag] = BASE_OTHER_YEAR
    ci_lo = np.full(nk, np.nan)
    ci_hi = np.full(nk, np.nan)
    if kind == "survey_rate":
        se = (ix.ci_upper[rows] - ix.ci_lower[rows]) / (2 * 1.96)
        has_se = np.isfinite(se) & ok
        var_num = by_cell(np.where(has_se, (den * np.nan_to_num(se)) ** 2, 0.0)).ravel()[keys]
        n_se = np.rint(by_cell(has_se.astype(float)).ravel()[keys]).astype(int)
        with np.errstate(invalid="ignore", divide="ignore"):
            sd = np.sqrt(var_num) / den_sum
        full = np.isfinite(val) & (n_se == n_members)
        ci_lo = np.where(full, val - 1.96 * sd, np.nan)
        ci_hi = np.where(full, val + 1.96 * sd, np.nan)
        status[full] = "approximate CI (pooled)"
        status[np.isfinite(val) & ~full] = "no CI (a district has none)"
    # the group's labels, from its first row
    fr = ix.group_first[g_of_key]
    # the files, release and demonstrator flag of an area's figures: per area (cheap and
    # enough to trace): files in code order, the release of its first district's first row
    n_files = len(ix.file_u)
    code_file = np.bincount(
        ix.geo[rows] * n_files + ix.file[rows], minlength=n_codes * n_files
    ).reshape(n_codes, n_files)
    area_file = np.asarray(member @ code_file) > 0
    patterns, pattern_of = np.unique(area_file, axis=0, return_inverse=True)
    area_files = np.array(
        [", ".join(str(ix.file_u[f]) for f in np.flatnonzero(p) if ix.file_u[f]) for p in patterns],
        dtype=object,
    )[np.ravel(pattern_of)]
    # the first member (in the area's order) with rows, and that district's first row
    first_pos = np.searchsorted(sel.sorted_geo, np.arange(n_codes))
    with_rows = np.flatnonzero(sel.per_code[cols_m] > 0)
    areas_with, first = np.unique(owner_m[with_rows], return_index=True)
    area_release = np.empty(n_areas, dtype=object)
    area_release[areas_with] = ix.release_u[ix.release[rows[first_pos[cols_m[with_rows[first]]]]]]
    not_demo = np.asarray(
        member
        @ np.bincount(ix.geo[rows], weights=(~ix.demo[rows]).astype(float), minlength=n_codes)
    )

    def per_area(values: Sequence[Any] | np.ndarray) -> np.ndarray:
        return np.asarray(values, dtype=object)[a_of_key]

    return {
        "geography_code": per_area([a.code for a in areas]),
        "geography_name": per_area([a.name for a in areas]),
        "geography_level": per_area([a.level for a in areas]),
        "industry": ix.ind_u[ix.ind[fr]],
        "breakdown": ix.brk_u[ix.brk[fr]],
        "period": ix.per_u[ix.per[fr]],
        "year": ix.year[fr],
        "value": val,
        "status": status,
        "ci_lower": ci_lo,
        "ci_upper": ci_hi,
        "n_members": n_members,
        "n_present": present,
        "method": per_area([method_label.format(n=len(a.members)) for a in areas]),
        "release": _group_release(ix, rows, cell, by_cell, keys, area_release[a_of_key]),
        "source_file": per_area(area_files),
        "demo": (not_demo == 0)[a_of_key],
    }


def _group_release(ix, rows, cell, by_cell, keys, fallback: np.ndarray) -> np.ndarray:
    """The release of each built figure: the one release its districts' rows share in
    that period (two editions of a dataset in one store, IoD2019 and IoD2025, have
    different releases by period), else ``fallback`` (the area's first district's)."""
    rel = ix.release[rows].astype(float) + 1.0
    n = by_cell().ravel()[keys]
    s1 = by_cell(rel).ravel()[keys]
    s2 = by_cell(rel * rel).ravel()[keys]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s1 / n
        same = (n > 0) & np.isclose(s2 / n, mean * mean)
    out = np.array(fallback, dtype=object)
    idx = np.rint(mean[same]).astype(np.int64) - 1
    out[same] = ix.release_u[idx]
    return out


def _denominator_values(
    s: pd.DataFrame, den: pd.DataFrame, *, same_dataset: bool
) -> tuple[np.ndarray, np.ndarray]:
    """The denominator for each row of ``s``: the same district, industry, breakdown and
    year where the denominator has them; else its Total/All figure for that district and
    year; for another dataset (a population base published for fewer years) the nearest
    year's. Also returns, per row, whether the base is of the row's own year."""
    key_cols = ["geography_code", "industry", "breakdown", "year"]
    if same_dataset:
        exact = s[key_cols].merge(
            den[[*key_cols, "value"]].drop_duplicates(key_cols), on=key_cols, how="left"
        )["value"]
        vals = exact.to_numpy(dtype=float, na_value=np.nan)
        if np.isfinite(vals).any() or den["industry"].nunique() > 1:
            return vals, np.ones(len(vals), dtype=bool)
    tot = den.sort_values("industry").drop_duplicates(["geography_code", "year"])
    tot = tot[["geography_code", "year", "value"]].dropna(subset=["year"])
    if tot.empty:
        return np.full(len(s), np.nan), np.ones(len(s), dtype=bool)
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
    return lookup.reindex(keys).to_numpy(dtype=float), nearest == want
