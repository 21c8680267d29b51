"""An area's published parts: what a page shows where no single figure for the area exists.

DESIGN.md, "Figures for an area": where an area's figure can be neither built from its
districts nor taken from a figure the publisher prints for it (a median, a ratio of
medians, a coverage without its premises counts, a rank), the page shows the figures of
the fewest published geographies that exactly make up the area (Leicester and
Leicestershire: Leicester UA and Leicestershire county), beside the benchmarks and the
range of its districts. For a median it adds the bracket the area's median must lie in,
and where the publisher prints percentiles and numbers of jobs (ASHE), an estimate from
the jobs-weighted mixture of the parts' distributions. An indicator declared with
``parts: true`` (the IMD average score) shows its parts beside the area's own figure too.

:func:`parts_of` finds them for one indicator and area; :func:`parts_table` lays several
out as one long table (``lis indicators`` and the pages read it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..geography import COUNTY_SOURCE, Area
from ..methods import InsufficientData, MethodError
from ..methods.parts import median_bracket, mixture_median
from ..periods import period_label

if TYPE_CHECKING:
    from .engine import Context
    from .registry import Indicator

#: The percentiles ASHE prints beside the median (Tables 7 and 8).
ASHE_PERCENTILES = (10, 20, 25, 30, 40, 60, 70, 75, 80, 90)

#: How an area's figure was obtained, in the table's ``basis`` column.
BASIS_BUILT = "built from districts"
BASIS_PUBLISHED = "published for the area"
BASIS_PARTS = "published for its parts"
BASIS_ESTIMATE = "estimate"
BASIS_FROM_PARTS = "built from its parts"

PARTS_COLUMNS = [
    "indicator_id",
    "area_code",
    "role",
    "code",
    "name",
    "level",
    "year",
    "period",
    "value",
    "method",
    "release",
]


def basis_of(method: str) -> str:
    """The ``basis`` of a figure from its ``method`` text."""
    m = str(method)
    if m.startswith("estimate"):
        return BASIS_ESTIMATE
    if m.startswith(BASIS_FROM_PARTS):
        return BASIS_FROM_PARTS
    if m.startswith("published") or m.startswith("published index"):
        return BASIS_PUBLISHED
    return BASIS_BUILT


@dataclass(eq=False)
class Parts:
    """An area's published parts for one indicator in one year (see module docstring).

    Attributes
    ----------
    parts : DataFrame
        One row per part: ``code, name, level, value, method, release`` (fewest first:
        largest parts first).
    benchmarks : DataFrame
        ``kind, code, name, value`` for the UK, England and the region, same year.
    districts : DataFrame
        ``code, name, value`` of the area's districts with a value that year.
    bracket : (low, high) or None
        For a median: the interval the area's median lies in.
    estimate : float or None
        For an ASHE median: the jobs-weighted mixture estimate; ``estimate_note`` says
        how it was made, or why it could not be.
    worst : the part that does worst by the indicator's polarity (IMD: most deprived)
    counties_from : where the counties' districts come from, when a county is a part
    """

    indicator_id: str
    area_code: str
    area_name: str
    year: int
    period: str
    parts: pd.DataFrame
    benchmarks: pd.DataFrame
    districts: pd.DataFrame
    n_districts: int
    bracket: tuple[float, float] | None = None
    estimate: float | None = None
    estimate_note: str = ""
    area_value: float | None = None
    area_method: str = ""
    worst: dict | None = None
    counties_from: str = ""
    #: the datasets the parts' figures come from; whether they are the demonstrator's
    sources: frozenset = frozenset()
    demo: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def parts_are_districts(self) -> bool:
        """Whether the parts are the area's districts themselves (no larger part is
        published), when a range of the districts would repeat them."""
        return bool((self.parts["n_districts"] == 1).all())

    @property
    def release(self) -> str:
        return ", ".join(sorted({str(r) for r in self.parts["release"].dropna()}))

    def summary(self) -> str:
        """'Leicestershire County 88.5 and Leicester 97.6 (January 2026)'."""
        listed = [
            f"{r.name} {r.value:,.{2 if abs(r.value) < 100 else 1}f}"
            for r in self.parts.itertuples()
        ]
        text = ", ".join(listed[:-1]) + " and " + listed[-1] if len(listed) > 1 else "".join(listed)
        return f"{text} ({period_label(self.period)})"

    def frame(self) -> pd.DataFrame:
        """The display as long rows (``PARTS_COLUMNS``): each part, each benchmark, the
        lowest and highest district, the bracket's ends and the estimate."""
        rows = []

        def add(role, code, name, level, value, method="", release=""):
            rows.append(
                {
                    "indicator_id": self.indicator_id,
                    "area_code": self.area_code,
                    "role": role,
                    "code": code,
                    "name": name,
                    "level": level,
                    "year": self.year,
                    "period": self.period,
                    "value": value,
                    "method": method,
                    "release": release,
                }
            )

        if self.area_value is not None:
            add("area", self.area_code, self.area_name, "", self.area_value, self.area_method)
        for r in self.parts.itertuples():
            add("part", r.code, r.name, r.level, r.value, r.method, r.release)
        for r in self.benchmarks.itertuples():
            add(f"benchmark: {r.kind}", r.code, r.name, "", r.value)
        if len(self.districts) and not self.parts_are_districts:
            d = self.districts.sort_values("value")
            lo, hi = d.iloc[0], d.iloc[-1]
            add("lowest district", lo["code"], lo["name"], "lad", lo["value"])
            add("highest district", hi["code"], hi["name"], "lad", hi["value"])
        if self.bracket is not None:
            add("bracket: low", self.area_code, self.area_name, "", self.bracket[0])
            add("bracket: high", self.area_code, self.area_name, "", self.bracket[1])
        if self.estimate is not None:
            add("estimate", self.area_code, self.area_name, "", self.estimate, self.estimate_note)
        return pd.DataFrame(rows, columns=PARTS_COLUMNS)


def is_median(measure: str) -> bool:
    """A median itself (``weekly_pay_gross_median``), not a ratio of medians."""
    return (measure.endswith("_median") or measure.startswith("median_")) and "ratio" not in measure


def _inside(ctx: Context, area: Area) -> list[Area]:
    """Every known area wholly inside ``area`` (districts, counties, ...), not the area
    itself nor another name for it."""
    own = frozenset(area.members)
    out = []
    for a in ctx.geo.areas_by_code.values():
        if a.level in ("uk", "country") or a.code in area.codes:
            continue
        m = frozenset(a.members)
        if m and m < own:
            out.append(a)
    return out


def parts_of(
    ctx: Context,
    ind: Indicator,
    area: Area,
    benchmarks: Sequence[tuple[str, Area]] = (),
    *,
    year: int | None = None,
) -> Parts | None:
    """The published parts of ``area`` for indicator ``ind`` (see :class:`Parts`).

    The year is the area's own latest (when it has a figure) or the latest in which
    the figures of some set of areas inside it exactly make it up. None when the area is
    a single district, or no year's figures make it up.
    """
    if len(area.members) < 2 or ind.kind == "spread":
        return None
    inside = _inside(ctx, area)
    if not inside:
        return None
    vals = ctx.indicator(ind, inside)
    vals = vals[vals["value"].notna()]
    own = ctx.indicator(ind, [area])
    own = own[own["value"].notna()]
    if year is not None:
        vals = vals[vals["year"] <= year]
        own = own[own["year"] <= year]
    if vals.empty:
        return None
    years = sorted({int(y) for y in vals["year"]}, reverse=True)
    if len(own):
        years = [int(own["year"].max())]
    for y in years:
        vy = vals[vals["year"] == y].drop_duplicates("area_code")
        found = ctx.geo.parts(area, list(vy["area_code"]))
        if found is None:
            continue
        return _display(ctx, ind, area, benchmarks, vy, found, own, y)
    return None


def _display(ctx, ind, area, benchmarks, vy, found, own, y) -> Parts:
    by = vy.set_index("area_code")
    parts = pd.DataFrame(
        [
            {
                "code": a.code,
                "name": ctx.geo.name(a.code),
                "level": a.level,
                "n_districts": len(a.members),
                "value": float(by.loc[a.code, "value"]),
                "method": str(by.loc[a.code, "method"]),
                "release": by.loc[a.code, "release"],
                "ci_lower": by.loc[a.code, "ci_lower"],
                "ci_upper": by.loc[a.code, "ci_upper"],
            }
            for a in found
        ]
    )
    districts = pd.DataFrame(
        [
            {"code": m, "name": ctx.geo.name(m), "value": float(by.loc[m, "value"])}
            for m in area.members
            if m in by.index
        ],
        columns=["code", "name", "value"],
    )
    bench = []
    for kind, b in benchmarks:
        bv = ctx.indicator(ind, [b])
        bv = bv[(bv["year"] == y) & bv["value"].notna()]
        if len(bv):
            bench.append(
                {"kind": kind, "code": b.code, "name": b.name, "value": float(bv.iloc[0]["value"])}
            )
    period = str(vy.iloc[0]["period"])
    res = Parts(
        indicator_id=ind.id,
        area_code=area.code,
        area_name=area.name,
        year=y,
        period=period,
        parts=parts,
        benchmarks=pd.DataFrame(bench, columns=["kind", "code", "name", "value"]),
        districts=districts,
        n_districts=len(area.members),
        sources=frozenset(str(x) for x in vy.loc[vy["area_code"].isin(parts["code"]), "source"]),
        demo=bool(vy.loc[vy["area_code"].isin(parts["code"]), "demo"].fillna(False).all()),
    )
    oy = own[own["year"] == y]
    if len(oy):
        res.area_value = float(oy.iloc[0]["value"])
        res.area_method = str(oy.iloc[0]["method"])
    if any(a.level == "county" and a.source == COUNTY_SOURCE for a in found):
        res.counties_from = COUNTY_SOURCE
    if ind.polarity in ("higher", "lower") and len(parts) > 1:
        worst = parts.sort_values("value", ascending=ind.polarity == "higher").iloc[0]
        res.worst = worst.to_dict()
    ref = ind.sources[0] if ind.kind == "measure" and ind.sources else None
    if ref is not None and is_median(ref.measure) and len(parts) > 1:
        res.bracket = median_bracket(parts.set_index("name")["value"])
        if ref.measure.endswith("_median"):
            res.estimate, res.estimate_note = _mixture(ctx, ind, found, y, vy)
    return res


def _mixture(ctx, ind, found, y, vy) -> tuple[float | None, str]:
    """The jobs-weighted mixture estimate of the area's median from its parts' published
    percentiles (ASHE), from the dataset that gave the parts' medians; (None, why not)."""
    src = {str(s) for s in vy.loc[vy["area_code"].isin([a.code for a in found]), "source"]}
    ref = next((r for r in ind.sources if r.dataset in src), None)
    if ref is None or len(src) != 1:
        return None, "the parts' medians come from different files"
    stem = ref.measure[: -len("_median")]
    codes = [a.code for a in found]

    def values(measure: str) -> pd.Series:
        s = ctx.agg.measures.slice(ref.dataset, measure)
        if s.empty:
            return pd.Series(np.nan, index=codes)
        s = s[
            (s["year"] == y)
            & (s["breakdown"].astype(object) == ref.breakdown)
            & (s["industry"].astype(object) == ref.industry)
        ]
        s = s.drop_duplicates("geography_code")
        got = pd.Series(
            s["value"].to_numpy(dtype=float), index=s["geography_code"].astype(object).to_numpy()
        )
        return got.reindex(codes)

    jobs = values(f"{stem}_jobs")
    if jobs.isna().all():
        return None, f"{ref.dataset} prints no numbers of jobs or percentiles"
    if jobs.isna().any():
        lacking = ", ".join(ctx.geo.name(c) for c in jobs.index[jobs.isna()])
        return None, f"the number of jobs is not published for {lacking}"
    med = values(ref.measure)
    pct = {c: {50.0: med[c]} for c in codes}
    for p in ASHE_PERCENTILES:
        v = values(f"{stem}_p{p}")
        for c in codes:
            pct[c][float(p)] = v[c]
    try:
        est = mixture_median(pct, jobs.to_dict())
    except (MethodError, InsufficientData) as exc:
        return None, str(exc)
    names = (
        " and ".join(ctx.geo.name(c) for c in codes)
        if len(codes) == 2
        else ", ".join(ctx.geo.name(c) for c in codes)
    )
    return est, (
        f"estimate: median of the jobs-weighted mixture of the published distributions of "
        f"{names} (each interpolated through its published percentiles; {ref.dataset})"
    )


def built_from_parts(ctx: Context, ind: Indicator, p: Parts) -> dict | None:
    """The area's figure built from its published parts where the measure's rule allows
    it (a sum; a rate re-weighted by its denominator, published or built for each part):
    for an area whose districts' figures are suppressed but whose parts are printed (the
    APS publishes Leicestershire county where it suppresses Melton). Returns the engine's
    series row, or None (not a published measure; a median, index or rank; a part's
    denominator missing)."""
    from ..methods import pooled_rate
    from ..sources import measure as declared
    from .registry import Ref

    if ind.kind != "measure" or len(p.parts) < 2:
        return None
    ref = next((r for r in ind.sources if r.dataset in p.sources), None)
    if ref is None or len(p.sources) != 1:
        return None
    try:
        decl = declared(ref.dataset, ref.measure)
    except KeyError:
        return None
    if decl.aggregation not in ("additive", "ratio", "survey_rate"):
        return None
    codes = list(p.parts["code"])
    vals = p.parts.set_index("code")["value"]
    names = " and ".join(p.parts["name"]) if len(codes) == 2 else ", ".join(p.parts["name"])
    row: dict = {
        "area_code": p.area_code,
        "year": p.year,
        "period": p.period,
        "ci_lower": np.nan,
        "ci_upper": np.nan,
        "status": None,
        "source": ref.dataset,
        "release": p.release,
        "demo": bool(p.demo),
    }
    if decl.aggregation == "additive":
        row["value"] = float(vals.sum())
        row["method"] = f"{BASIS_FROM_PARTS}: sum of {names} as published"
        return row
    if not decl.denominator:
        return None
    dds, _, dm = (
        decl.denominator.partition(":")
        if ":" in decl.denominator
        else (ref.dataset, "", decl.denominator)
    )
    areas = [ctx.geo.area(c) for c in codes]
    den = ctx.aggregated(Ref(dds, dm), areas)
    if den.empty:
        return None
    den = den[den["value"].notna()].copy()
    den["gap"] = (den["year"] - p.year).abs()
    den = den.sort_values(["gap", "year"]).drop_duplicates("area_code").set_index("area_code")
    if not set(codes) <= set(den.index):
        return None
    bases = den.loc[codes, "value"].astype(float)
    se = None
    ci = p.parts.set_index("code")[["ci_lower", "ci_upper"]].astype(float)
    if decl.aggregation == "survey_rate" and ci.notna().all().all():
        se = (ci["ci_upper"] - ci["ci_lower"]) / (2 * 1.959964)
    try:
        pooled = pooled_rate(vals.astype(float), bases, se)
    except (MethodError, InsufficientData):
        return None
    years = sorted({int(y) for y in den.loc[codes, "year"]})
    base_year = ", ".join(str(y) for y in years)
    row["value"] = pooled.rate
    if se is not None:
        row["ci_lower"], row["ci_upper"] = pooled.ci_lower, pooled.ci_upper
        row["status"] = "approximate CI (pooled)"
    how = "pooled rate" if decl.aggregation == "survey_rate" else "Σ(value × base) / Σ base"
    from ..sources.population import NOT_REBASED

    row["method"] = (
        f"{BASIS_FROM_PARTS}: {how} of {names} as published, weighted by {dm} ({dds}, "
        f"{base_year}{'' if years == [p.year] else ', nearest year'}"
        + (f"; {NOT_REBASED[dds]})" if dds in NOT_REBASED else ")")
        + ("; approximate" if decl.approximate or se is not None else "")
    )
    return row


def parts_table(displays: dict[str, Parts]) -> pd.DataFrame:
    """Several displays as one long table (``PARTS_COLUMNS``)."""
    frames = [p.frame() for p in displays.values()]
    if not frames:
        return pd.DataFrame(columns=PARTS_COLUMNS)
    return pd.concat(frames, ignore_index=True)


__all__ = [
    "BASIS_BUILT",
    "BASIS_ESTIMATE",
    "BASIS_FROM_PARTS",
    "BASIS_PARTS",
    "BASIS_PUBLISHED",
    "PARTS_COLUMNS",
    "Parts",
    "basis_of",
    "built_from_parts",
    "is_median",
    "parts_of",
    "parts_table",
]
