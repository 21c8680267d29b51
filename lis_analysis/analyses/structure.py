"""Industry structure of an area: location quotients, shift-share of real growth, and its
productivity gap split into industry mix and productivity within industries.

Each function takes the area and an indicator :class:`~lis_analysis.indicators.Context`,
reads the published measures ``data/analyses.yaml`` declares for it (GVA by industry,
BRES employment), compares with the nation whose industry breakdown is complete
(:meth:`~lis_analysis.indicators.Context.section_benchmark`) and returns a DataFrame;
the formulas are :mod:`lis_analysis.methods`. Where the data cannot support the
analysis it raises :class:`~lis_analysis.errors.DataNotAvailable` with the reason.
"""

from __future__ import annotations

import pandas as pd

from ..errors import ConfigError, DataNotAvailable
from ..geography import UK, Area
from ..indicators.engine import Context
from ..indicators.registry import Ref
from ..industries import GVA_SECTIONS, gva_sections_from_letters, industry_name
from ..methods import location_quotients, productivity_gap_decomposition
from ..methods import shift_share as _shift_share
from .declared import analysis

#: Published units of GVA by industry and the factor to pounds.
_POUNDS = {"GBP million": 1e6}


def _bname(b: Area) -> str:
    return "the UK" if b.code == UK else b.name


def sections(ctx: Context, ref: Ref, areas: list[Area]) -> pd.DataFrame:
    """The measure ``ref`` for ``areas`` by the SIC sections ONS publishes GVA for (rows of
    other industry levels left out); empty when the store lacks the measure."""
    agg = ctx.aggregated(ref, areas)
    if agg.empty:
        return agg
    return agg[agg["industry"].isin(GVA_SECTIONS)]


def _benchmark(ctx: Context, ref: Ref) -> Area:
    b = ctx.section_benchmark(ref)
    if b is None:
        raise DataNotAvailable(f"it needs {ref.label} by industry for the UK or England")
    return b


def industry_structure(
    area: Area, ctx: Context, *, year: int | None = None, level: str = "finest"
) -> pd.DataFrame:
    """Location quotients of the area's GVA by industry against the UK, or the nation
    whose industry breakdown is complete, in the latest year the area has GVA by industry
    (or ``year``).

    ``level="finest"`` (the default) reads the finest industries the tables publish
    without overlap (sections, or their 2-digit groups where ONS publishes them; imputed
    rent left out: :func:`lis_analysis.analyses.sectors.sector_profile`);
    ``level="section"`` the 18 SIC sections.

    Returns
    -------
    pandas.DataFrame
        One row per industry: ``industry`` (as ONS prints it, e.g. ``C (10-33)`` or
        ``CA-CB (10-15)``), ``industry_name``, ``area_value`` (£m), ``area_share``,
        ``benchmark_value``, ``benchmark_share`` (fractions), ``lq``, ``note`` (why an LQ
        is missing). ``attrs``: ``year``, ``benchmark`` (the
        :class:`~lis_analysis.geography.Area`), ``benchmark_code``, ``benchmark_name``,
        ``level``.

    Raises
    ------
    DataNotAvailable
        No GVA by industry for a benchmark or for the area.
    """
    from ..industries import fine_labels_or_sections

    ref = analysis("industry_structure").measure("gva")
    inds = (
        list(GVA_SECTIONS)
        if level == "section"
        else fine_labels_or_sections(ctx.agg.measures.slice(ref.dataset, ref.measure))
    )
    b = ctx.section_benchmark(ref, industries=None if level == "section" else inds)
    if b is None:
        raise DataNotAvailable(f"it needs {ref.label} by industry for the UK or England")
    agg = ctx.aggregated(ref, [area, b])
    sec = agg[agg["industry"].isin(inds)] if len(agg) else agg
    own = sec[(sec["area_code"] == area.code) & sec["value"].notna()] if len(sec) else sec
    if own.empty:
        raise DataNotAvailable(f"it needs GVA by industry for {area.name}")
    y = int(own["year"].max()) if year is None else int(year)
    cur = sec[(sec["year"] == y) & sec["value"].notna()]
    a = cur[cur["area_code"] == area.code].set_index("industry")["value"].reindex(inds).dropna()
    bb = cur[cur["area_code"] == b.code].set_index("industry")["value"].reindex(inds).dropna()
    lq = location_quotients(a, bb).reset_index()
    lq.insert(1, "industry_name", lq["industry"].map(industry_name))
    lq.attrs.update(
        year=y,
        benchmark=b,
        benchmark_code=b.code,
        benchmark_name=_bname(b),
        level="sections" if level == "section" else f"{len(inds)} industries (finest published)",
    )
    return lq


def shift_share(area: Area, ctx: Context, *, years: int = 10) -> pd.DataFrame:
    """Shift-share of the change in the area's real GVA (chained volume) over the last
    ``years`` years, by industry at the finest level published, every industry included
    (imputed rent too: it is part of the total): growth at the nation's rate, industry
    mix, and the area's own (competitive) effect
    (:func:`lis_analysis.methods.shift_share`).

    Chained-volume GVA is not additive: the published total's change (the sum of the
    districts' ``Total`` rows) differs from the sum of its industries' changes. The
    difference is its own row, ``Not additive (chained volume)``, so that the table sums
    to the published total change: the ``Total`` row's ``actual_change`` is the published
    change, and ``national_share + industry_mix + competitive + not_additive`` equals it.
    An industry with a suppressed cell in either year is left out of the components and
    its change falls in that row too (listed in ``attrs["dropped"]``).

    Returns
    -------
    pandas.DataFrame
        As :func:`lis_analysis.methods.shift_share` (indexed by industry; £m) plus
        ``industry_name`` and ``not_additive``, with the ``Not additive (chained volume)``
        row and a ``Total`` row; ``attrs``: ``start``, ``end``, ``dropped``,
        ``benchmark_code``, ``benchmark_name``, ``published_change``.

    Raises
    ------
    DataNotAvailable
        No chained-volume GVA by industry.
    MethodError
        The two years cannot be compared (from the method).
    """
    from ..industries import IMPUTED_RENT, fine_labels_or_sections

    ref = analysis("shift_share").measure("gva")
    inds = fine_labels_or_sections(ctx.agg.measures.slice(ref.dataset, ref.measure))
    full = (
        [*inds, IMPUTED_RENT]
        if IMPUTED_RENT
        in set(ctx.agg.measures.slice(ref.dataset, ref.measure)["industry"].astype(object))
        and "68" in inds
        else inds
    )
    b = ctx.section_benchmark(ref, industries=full)
    if b is None:
        raise DataNotAvailable(f"it needs {ref.label} by industry for the UK or England")
    agg = ctx.aggregated(ref, [area, b])
    if agg.empty or not (agg["area_code"] == area.code).any():
        raise DataNotAvailable("it needs chained-volume GVA by industry")
    sec = agg[agg["industry"].isin(full)]
    end = int(sec.loc[(sec["area_code"] == area.code) & sec["value"].notna(), "year"].max())
    start = end - years
    long = sec[sec["year"].isin([start, end])][["area_code", "industry", "year", "value"]]
    a = long[long["area_code"] == area.code].drop(columns="area_code")
    bb = long[long["area_code"] == b.code].drop(columns="area_code")
    ss = _shift_share(a, bb, start, end, dropna=True)
    tot = agg[(agg["area_code"] == area.code) & (agg["industry"] == "Total")]
    t = tot.set_index("year")["value"]
    if start not in t.index or end not in t.index or t[[start, end]].isna().any():
        raise DataNotAvailable(f"it needs the published total for {area.name} in {start} and {end}")
    published = float(t[end] - t[start])
    body = ss.drop(index="Total")
    body = body.reindex([i for i in full if i in body.index])  # the partition's order
    residual = published - float(body["actual_change"].sum())
    body = body.copy()
    body["not_additive"] = 0.0
    extra = pd.DataFrame({c: [float("nan")] for c in body.columns}, index=[NOT_ADDITIVE])
    extra["actual_change"] = residual
    extra["not_additive"] = residual
    extra[["national_share", "industry_mix", "competitive"]] = 0.0
    total = ss.loc[["Total"]].copy()
    total["area_start"], total["area_end"] = float(t[start]), float(t[end])
    total["actual_change"] = published
    total["not_additive"] = residual
    out = pd.concat([body, extra, total])
    out.insert(
        0, "industry_name", [industry_name(c) if c != NOT_ADDITIVE else c for c in out.index]
    )
    out.attrs.update(ss.attrs)
    out.attrs.update(
        benchmark_code=b.code,
        benchmark_name=_bname(b),
        published_change=published,
        start=start,
        end=end,
    )
    return out


#: The shift-share row that holds the published total's change less its industries'.
NOT_ADDITIVE = "Not additive (chained volume)"


def sector_productivity(area: Area, ctx: Context) -> pd.DataFrame:
    """The area's gap in GVA per job with the nation, split into industry mix,
    productivity within industries and their interaction, and the industry-mix-adjusted
    productivity index (:func:`lis_analysis.methods.productivity_gap_decomposition` on
    GVA by section and BRES employment, in the latest year both have).

    Returns
    -------
    pandas.DataFrame
        One row: ``year, benchmark_code, benchmark_name``, then in £ per job
        ``area_productivity, benchmark_productivity, expected_productivity, gap, mix,
        within, interaction``, and ``mix_adjusted_index`` (benchmark = 100).
        ``attrs["by_industry"]``: the method's table by section (£ million per job).

    Raises
    ------
    DataNotAvailable
        No GVA by industry for a benchmark, no BRES employment for the area's districts,
        or no year the two share.
    MethodError
        From the method (e.g. no section with both output and employment).
    """
    spec = analysis("sector_productivity")
    gva_ref, emp_ref = spec.measure("gva"), spec.measure("employment")
    b = _benchmark(ctx, gva_ref)
    emp = ctx.aggregated(emp_ref, [area, b])
    if emp.empty or not (emp["area_code"] == area.code).any():
        raise DataNotAvailable(
            "it needs employment by industry for the area's districts (BRES at district "
            "level), which is not in the data loaded"
        )
    emp = emp[emp["breakdown"] == emp_ref.breakdown]
    sec = sections(ctx, gva_ref, [area, b])
    years = set(emp["year"].astype(int)) & set(sec["year"].astype(int))
    if not years:
        raise DataNotAvailable("GVA by industry and BRES employment have no year in common")
    y = max(years)

    def series(frame: pd.DataFrame, code: str) -> pd.Series:
        f = frame[(frame["area_code"] == code) & (frame["year"] == y)]
        return f.set_index("industry")["value"]

    from ..sources import measure

    unit = measure(gva_ref.dataset, gva_ref.measure).unit
    if unit not in _POUNDS:
        raise ConfigError(f"{gva_ref.label} is declared in {unit!r}; expected GBP million")
    dec = productivity_gap_decomposition(
        series(sec, area.code),
        gva_sections_from_letters(series(emp, area.code)),
        series(sec, b.code),
        gva_sections_from_letters(series(emp, b.code)),
        dropna=True,
    )
    k = _POUNDS[unit]
    out = pd.DataFrame(
        [
            {
                "year": y,
                "benchmark_code": b.code,
                "benchmark_name": _bname(b),
                "area_productivity": dec.area_productivity * k,
                "benchmark_productivity": dec.benchmark_productivity * k,
                "expected_productivity": dec.expected_productivity * k,
                "gap": dec.gap * k,
                "mix": dec.mix * k,
                "within": dec.within * k,
                "interaction": dec.interaction * k,
                "mix_adjusted_index": dec.mix_adjusted_index,
            }
        ]
    )
    out.attrs["by_industry"] = dec.by_industry
    return out


__all__ = ["NOT_ADDITIVE", "industry_structure", "sections", "sector_productivity", "shift_share"]
