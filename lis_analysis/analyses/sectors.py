"""Sector specialisms at the finest industry level each source provides.

The regional GVA by industry tables publish, for every district, the SIC 2007 sections and
finer groups of divisions inside many of them (``CA-CB (10-15)``, ``41``, ``49-51``,
``58-60``, ``72-75`` ...). :func:`sector_profile` reads the area at the finest level that
partitions its GVA without overlap (:func:`lis_analysis.industries.finest_partition`, 36
industries; owner-occupiers' imputed rental left out): each industry's size and share,
its location quotient against a named nation (England less the districts whose cells are
suppressed, never called the UK), its real growth against the same industry nationally,
its productivity against the same industry nationally where employment by industry is
loaded (BRES), and where in the area it sits (each district's location quotient).

The formulas are :mod:`lis_analysis.methods` (location quotients, compound growth); the
measures read are declared in ``data/analyses.yaml`` (``sector_specialisms``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataNotAvailable
from ..geography import UK, Area
from ..indicators.engine import Context
from ..industries import (
    IMPUTED_RENT,
    fine_labels_or_sections,
    industry_name,
    regroup_divisions,
    section_of,
)
from ..methods import cagr_array, location_quotients
from .declared import analysis

#: Columns of :func:`sector_profile`.
PROFILE_COLUMNS = [
    "industry",
    "name",
    "section",
    "gva",
    "share",
    "benchmark_share",
    "lq",
    "growth",
    "national_growth",
    "growth_gap",
    "employment",
    "productivity",
    "district_lqs",
    "where",
]


def _bname(b: Area) -> str:
    return "the UK" if b.code == UK else b.name


def fine_industries(ctx: Context, dataset: str, measure: str) -> list[str]:
    """The finest non-overlapping industries a measure is published in (imputed rent
    left out; :func:`lis_analysis.industries.fine_labels_or_sections`); empty when the
    store lacks the measure."""
    s = ctx.agg.measures.slice(dataset, measure)
    return [] if s.empty else fine_labels_or_sections(s)


def _values(frame: pd.DataFrame, code: str, year: int) -> pd.Series:
    f = frame[(frame["area_code"] == code) & (frame["year"] == year)]
    return f.set_index("industry")["value"].astype(float)


def _where(
    district_lqs: dict[str, float], shares: dict[str, float], min_lq: float = 1.25, most: int = 3
) -> str:
    """Where a specialism sits: the (at most ``most``) districts with a location quotient
    of at least ``min_lq`` in it, most specialised first, with their LQ and their share of
    the area's GVA in the industry ('North West Leicestershire 9.45 (58%)')."""
    hits = sorted(
        ((d, lq) for d, lq in district_lqs.items() if np.isfinite(lq) and lq >= min_lq),
        key=lambda x: -x[1],
    )[:most]
    return "; ".join(f"{d} {lq:.2f} ({100 * shares.get(d, np.nan):.0f}%)" for d, lq in hits)


def sector_profile(
    area: Area, ctx: Context, *, year: int | None = None, growth_years: int = 5
) -> pd.DataFrame:
    """The area's industries at the finest level published: size, share, location
    quotient, real growth against the same industry nationally, productivity against the
    same industry nationally (where employment by industry is loaded) and the districts
    each is concentrated in.

    Parameters
    ----------
    area : the area
    ctx : the indicator context
    year : the year of the shares (default: the latest the area has)
    growth_years : years of the real growth (compound, chained-volume GVA)

    Returns
    -------
    pandas.DataFrame
        One row per industry (:data:`PROFILE_COLUMNS`): ``gva`` (£m, current prices),
        ``share`` and ``benchmark_share`` (% of GVA less imputed rent), ``lq``,
        ``growth`` and ``national_growth`` (% a year, real), ``growth_gap`` (points a
        year), ``employment`` and ``productivity`` (GVA per job, nation's same industry =
        100; NaN without BRES employment), ``district_lqs`` ({district: LQ}) and
        ``where`` (districts with an LQ of 1.25 or more, their LQ and share of the area's
        GVA in the industry). ``attrs``: ``year``, ``growth_period``, ``benchmark``,
        ``benchmark_name``, ``growth_benchmark_name``, ``level`` (how many industries, and
        whether finer than sections), ``excluded`` (imputed rent), ``employment_year``.

    Raises
    ------
    DataNotAvailable
        No GVA by industry for the area or for a nation.
    """
    spec = analysis("sector_specialisms")
    ref, real_ref, emp_ref = (
        spec.measure("gva"),
        spec.measure("real_gva"),
        spec.measure("employment"),
    )
    inds = fine_industries(ctx, ref.dataset, ref.measure)
    if not inds:
        raise DataNotAvailable("it needs GVA by industry, which is not in the data loaded")
    bench = ctx.section_benchmark(ref, industries=inds)
    if bench is None:
        raise DataNotAvailable(f"it needs {ref.label} by industry for the UK or England")
    members = (
        [ctx.geo.area(m) for m in area.members if m in ctx.geo] if len(area.members) > 1 else []
    )
    cur = ctx.aggregated(ref, [area, bench, *members], industries=inds)
    own = cur[(cur["area_code"] == area.code) & cur["value"].notna()]
    if own.empty:
        raise DataNotAvailable(f"it needs GVA by industry for {area.name}")
    y = int(own["year"].max()) if year is None else int(year)
    a, b = _values(cur, area.code, y), _values(cur, bench.code, y)
    lq = location_quotients(a, b).reindex(inds)
    share = 100 * a.reindex(inds) / a.sum()
    bshare = 100 * b.reindex(inds) / b.sum()

    # where in the area: each district's LQ against the same nation, and its share of
    # the area's GVA in the industry
    district_lqs: dict[str, dict[str, float]] = {i: {} for i in inds}
    district_share: dict[str, dict[str, float]] = {i: {} for i in inds}
    for m in members:
        dv = _values(cur, m.code, y)
        if dv.empty or dv.isna().any():
            continue
        dl = location_quotients(dv, b)["lq"]
        for i in inds:
            district_lqs[i][m.name] = float(dl.get(i, np.nan))
            district_share[i][m.name] = (
                float(dv.get(i, np.nan) / a.get(i, np.nan)) if a.get(i) else np.nan
            )

    # real growth against the same industry nationally (chained volume, summed over
    # districts: an approximation, A7)
    growth = pd.Series(np.nan, index=inds)
    national = pd.Series(np.nan, index=inds)
    gbench = ctx.section_benchmark(real_ref, industries=inds)
    start = y - growth_years
    if gbench is not None:
        real = ctx.aggregated(real_ref, [area, gbench], industries=inds)
        if len(real):
            for code, target in ((area.code, growth), (gbench.code, national)):
                v0, v1 = (
                    _values(real, code, start).reindex(inds),
                    _values(real, code, y).reindex(inds),
                )
                target[:] = cagr_array(v0.to_numpy(), v1.to_numpy(), growth_years) * 100

    # productivity against the same industry nationally, where employment is loaded
    emp = pd.Series(np.nan, index=inds)
    prod = pd.Series(np.nan, index=inds)
    emp_year = None
    e = ctx.aggregated(emp_ref, [area, bench])
    if len(e):
        e = e[e["breakdown"] == emp_ref.breakdown]
        years = set(e.loc[e["area_code"] == area.code, "year"].astype(int)) & set(
            cur.loc[cur["area_code"] == area.code, "year"].astype(int)
        )
        if years:
            emp_year = max(years)
            ea = regroup_divisions(_values(e, area.code, emp_year), inds)
            eb = regroup_divisions(_values(e, bench.code, emp_year), inds)
            ga, gb = _values(cur, area.code, emp_year), _values(cur, bench.code, emp_year)
            if len(ea) and len(eb):
                emp = ea.reindex(inds)
                with np.errstate(divide="ignore", invalid="ignore"):
                    prod = 100 * (ga / ea).reindex(inds) / (gb / eb).reindex(inds)

    out = pd.DataFrame(
        {
            "industry": inds,
            "name": [industry_name(i) for i in inds],
            "section": [section_of(i) for i in inds],
            "gva": a.reindex(inds).to_numpy(),
            "share": share.to_numpy(),
            "benchmark_share": bshare.to_numpy(),
            "lq": lq["lq"].to_numpy(),
            "growth": growth.to_numpy(),
            "national_growth": national.to_numpy(),
            "growth_gap": (growth - national).to_numpy(),
            "employment": emp.to_numpy(),
            "productivity": prod.replace([np.inf, -np.inf], np.nan).to_numpy(),
            "district_lqs": [district_lqs[i] for i in inds],
            "where": [_where(district_lqs[i], district_share[i]) for i in inds],
        },
        columns=PROFILE_COLUMNS,
    )
    finer = any(section_of(i) != i for i in inds)
    out.attrs.update(
        year=y,
        growth_period=f"{start}-{y}",
        benchmark=bench,
        benchmark_code=bench.code,
        benchmark_name=_bname(bench),
        growth_benchmark_name=_bname(gbench) if gbench is not None else None,
        level=(
            f"{len(inds)} industries: SIC sections and the finer groups of divisions ONS "
            "publishes for districts"
            if finer
            else f"{len(inds)} SIC sections"
        ),
        excluded=[IMPUTED_RENT],
        employment_year=emp_year,
    )
    return out


def specialisms(
    profile: pd.DataFrame, *, min_lq: float = 1.25, min_share: float = 1.0
) -> pd.DataFrame:
    """The area's specialisms: industries with a location quotient of at least
    ``min_lq`` and at least ``min_share`` % of its GVA (a large LQ on a tiny industry is
    not a specialism a strategy builds on), most specialised first."""
    s = profile[(profile["lq"] >= min_lq) & (profile["share"] >= min_share)]
    out = s.sort_values("lq", ascending=False).reset_index(drop=True)
    out.attrs.update(profile.attrs)
    out.attrs.update(min_lq=min_lq, min_share=min_share)
    return out


#: Columns of :func:`is8_profile`.
IS8_COLUMNS = [
    "sector",
    "tier",
    "coverage",
    "status",
    "groups",
    "exact",
    "approximation",
    "gva",
    "share",
    "lq",
    "growth",
    "national_growth",
    "productivity",
    "reading",
]

#: What an IS-8 row says when SIC cannot measure it (never "weak").
NOT_MEASURABLE = "not measurable from SIC data"
NOT_AT_THIS_LEVEL = "not measurable from the industry groups loaded"
#: What an IS-8 row says when the groups that stand for it leave out most of its codes.
PARTLY = "partly measured: too little of the definition to judge"


def _approximation(m, groups_words: str) -> str:
    """The approximation of a measured definition, in words."""
    if m.exact:
        return f"exact: {groups_words}"
    parts = [f"approximate: {groups_words}"]
    if m.wider:
        parts.append(
            f"which also hold division{'s' if len(m.wider) > 1 else ''} "
            + ", ".join(str(x) for x in m.wider)
            + ", outside the definition"
        )
    if m.left_out:
        shown = ", ".join(m.left_out[:8]) + (" ..." if len(m.left_out) > 8 else "")
        parts.append(f"the definition's codes {shown} sit inside larger groups and are left out")
    return "; ".join(parts)


def is8_profile(
    area: Area,
    ctx: Context,
    *,
    edition: str = "SIC 2007",
    year: int | None = None,
    growth_years: int = 5,
    specialism_lq: float = 1.25,
    under_lq: float = 0.8,
) -> pd.DataFrame:
    """The area's profile in the Industrial Strategy's eight growth-driving sectors (and
    the foundational industries), from the finest industry data loaded.

    Each sector's core SIC codes (``data/is8_sectors.yaml``, the edition's mapping) are
    matched to the industry groups the GVA tables publish
    (:func:`lis_analysis.industries.measure_codes`): a group stands for the sector when at
    least half of its divisions are whole divisions of the definition; the
    ``approximation`` says which groups, what they hold beyond the definition and which
    of the definition's 3- to 5-digit codes they cannot isolate. Size, share, LQ (against
    the same nation as :func:`sector_profile`), real growth against the same groups
    nationally and productivity (where BRES employment is loaded) are those of the
    groups' sum. Sectors overlap (58-60 counts in Creative Industries and in Digital and
    Technologies): the rows are never summed. A sector SIC cannot measure (no SIC code,
    or DBT grades it "not easily represented" and no group stands for it) is
    ``not measurable from SIC data``, never weak.

    Returns
    -------
    pandas.DataFrame
        One row per sector then per foundational industry (:data:`IS8_COLUMNS`):
        ``tier`` ("growth-driving sector" / "foundational"), ``coverage`` (DBT's grade),
        ``status`` ("measured" or why not), ``groups``, ``exact``, ``approximation``,
        ``gva`` (£m), ``share`` (% of GVA less imputed rent), ``lq``, ``growth`` and
        ``national_growth`` (% a year), ``productivity`` (nation = 100) and ``reading``
        ("specialism" at an LQ of ``specialism_lq`` or more and 1% of GVA,
        "under-represented" at ``under_lq`` or less, "about the national share"
        otherwise, with ``exact`` saying whether the groups are exactly the definition;
        when the groups leave out more of the definition's codes than they hold, no
        reading: :data:`PARTLY`). ``attrs``: ``edition``, ``published``, ``year``, ``growth_period``,
        ``benchmark_name``, ``overlaps`` (groups counted in more than one sector),
        ``frontier`` (a table of the frontier industries and whether each is measurable).
    """
    from ..industries import IS8_COVERAGE, load_is8, measure_codes

    mapping = load_is8(edition)
    spec = analysis("sector_specialisms")
    ref, real_ref, emp_ref = (
        spec.measure("gva"),
        spec.measure("real_gva"),
        spec.measure("employment"),
    )
    inds = fine_industries(ctx, ref.dataset, ref.measure)
    if not inds:
        raise DataNotAvailable("it needs GVA by industry, which is not in the data loaded")
    bench = ctx.section_benchmark(ref, industries=inds)
    if bench is None:
        raise DataNotAvailable(f"it needs {ref.label} by industry for the UK or England")
    cur = ctx.aggregated(ref, [area, bench], industries=inds)
    own = cur[(cur["area_code"] == area.code) & cur["value"].notna()]
    if own.empty:
        raise DataNotAvailable(f"it needs GVA by industry for {area.name}")
    y = int(own["year"].max()) if year is None else int(year)
    a, b = _values(cur, area.code, y).reindex(inds), _values(cur, bench.code, y).reindex(inds)
    gbench = ctx.section_benchmark(real_ref, industries=inds)
    real = (
        ctx.aggregated(real_ref, [area, gbench], industries=inds)
        if gbench is not None
        else pd.DataFrame()
    )
    start = y - growth_years
    emp = ctx.aggregated(emp_ref, [area, bench])
    if len(emp):
        emp = emp[emp["breakdown"] == emp_ref.breakdown]

    def measured(groups: tuple[str, ...]) -> dict[str, float]:
        g = list(groups)
        out = {"gva": float(a[g].sum()), "share": 100 * float(a[g].sum() / a.sum())}
        out["lq"] = (a[g].sum() / a.sum()) / (b[g].sum() / b.sum())
        out["growth"] = out["national_growth"] = out["productivity"] = np.nan
        if len(real) and gbench is not None:
            for code, key in ((area.code, "growth"), (gbench.code, "national_growth")):
                v0 = _values(real, code, start).reindex(g)
                v1 = _values(real, code, y).reindex(g)
                if v0.notna().all() and v1.notna().all():
                    out[key] = float(cagr_array(v0.sum(), v1.sum(), growth_years)[0] * 100)
        if len(emp):
            ye = set(emp.loc[emp["area_code"] == area.code, "year"].astype(int))
            if y in ye:
                ea = regroup_divisions(_values(emp, area.code, y), g)
                eb = regroup_divisions(_values(emp, bench.code, y), g)
                if len(ea) == len(g) and len(eb) == len(g) and ea.sum() > 0 and eb.sum() > 0:
                    out["productivity"] = 100 * (a[g].sum() / ea.sum()) / (b[g].sum() / eb.sum())
        return out

    rows = []
    used_by: dict[str, list[str]] = {}
    items: list[tuple[str, str, str | None, tuple[str, ...]]] = [
        (s.name, "growth-driving sector", s.coverage, tuple(s.core)) for s in mapping.sectors
    ]
    items += [(n, "foundational", None, c) for n, c in mapping.foundational.items()]
    for name, tier, cov, codes in items:
        rec: dict = dict.fromkeys(IS8_COLUMNS, np.nan)
        rec.update(sector=name, tier=tier, coverage=IS8_COVERAGE.get(cov, "") if cov else "")
        m = measure_codes(codes, inds)
        rec.update(groups=", ".join(m.groups), exact=m.exact)
        if not codes:
            rec.update(
                status=NOT_MEASURABLE,
                approximation="no SIC code captures it",
                reading=NOT_MEASURABLE,
            )
        elif not m.groups:
            why = NOT_MEASURABLE if cov == "not easily represented" else NOT_AT_THIS_LEVEL
            rec.update(
                status=why,
                approximation=(
                    f"its codes ({', '.join(codes[:8])}{' ...' if len(codes) > 8 else ''}) are "
                    "small parts of larger published groups"
                ),
                reading=why,
            )
        else:
            for g in m.groups:
                used_by.setdefault(g, []).append(name)
            rec.update(measured(m.groups))
            rec.update(status="measured", approximation=_approximation(m, ", ".join(m.groups)))
            lq = rec["lq"]
            captured = len(codes) - len(m.left_out)
            if not m.exact and len(m.left_out) > captured:
                # the groups hold less of the definition than they leave out: their
                # figures are shown, but they cannot say whether the sector is strong
                rec["reading"] = PARTLY
            else:
                rec["reading"] = (
                    "specialism"
                    if lq >= specialism_lq and rec["share"] >= 1.0
                    else "under-represented"
                    if lq <= under_lq
                    else "about the national share"
                )
        rows.append(rec)
    out = pd.DataFrame(rows, columns=IS8_COLUMNS)
    frontier = []
    for s in mapping.sectors:
        for fname, codes in s.frontier.items():
            fm = measure_codes(codes, inds)
            frontier.append(
                {
                    "sector": s.name,
                    "frontier industry": fname,
                    "SIC codes": ", ".join(codes) if codes else "none",
                    "measurable here": (
                        NOT_MEASURABLE
                        if not codes
                        else f"yes: {', '.join(fm.groups)}"
                        if fm.groups
                        else NOT_AT_THIS_LEVEL
                    ),
                }
            )
    out.attrs.update(
        edition=mapping.edition,
        published=mapping.published,
        year=y,
        growth_period=f"{start}-{y}",
        benchmark_name=_bname(bench),
        overlaps={g: names for g, names in used_by.items() if len(names) > 1},
        frontier=pd.DataFrame(frontier),
    )
    return out


__all__ = [
    "IS8_COLUMNS",
    "NOT_AT_THIS_LEVEL",
    "NOT_MEASURABLE",
    "PARTLY",
    "PROFILE_COLUMNS",
    "fine_industries",
    "is8_profile",
    "sector_profile",
    "specialisms",
]
