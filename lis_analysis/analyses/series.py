"""The figures an analysis starts from: an indicator over time, the benchmark that has it,
the latest year every input shares.

Each function takes the area and an indicator :class:`~lis_analysis.indicators.Context`
(the observations and the geography, with its cache of computed indicators) and returns
plain pandas objects.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..geography import ENGLAND, UK, Area
from ..indicators.engine import Context


def benchmark_area(area: Area, ctx: Context, needs: Sequence[str]) -> Area | None:
    """The UK if every indicator in ``needs`` has a value for it, else England, else None.

    Parameters
    ----------
    area : the area being compared (never its own benchmark)
    ctx : the indicator context
    needs : indicator ids the comparison reads

    Returns
    -------
    Area or None
    """
    for code in (UK, ENGLAND):
        if code not in ctx.geo or code == area.code:
            continue
        b = ctx.geo.area(code)
        if all(ctx.indicator(i, [b])["value"].notna().any() for i in needs):
            return b
    return None


def latest_common(
    ctx: Context, ids: Sequence[str], areas: Sequence[Area]
) -> tuple[int | None, dict[str, dict[str, float]]]:
    """The latest year in which every indicator of ``ids`` has a value for every area.

    Returns
    -------
    (year, values)
        ``values[area code][indicator id]`` in that year; ``(None, {})`` when no year is
        common to all.
    """
    vals = {i: ctx.comparable(i, list(areas)) for i in ids}
    years: set[int] | None = None
    for v in vals.values():
        ok = v[v["value"].notna()]
        ys = set.intersection(
            *[set(ok.loc[ok["area_code"] == a.code, "year"].astype(int)) for a in areas]
        )
        years = ys if years is None else years & ys
    if not years:
        return None, {}
    y = max(years)
    out = {
        a.code: {
            i: float(
                vals[i]
                .loc[(vals[i]["area_code"] == a.code) & (vals[i]["year"] == y), "value"]
                .iloc[0]
            )
            for i in ids
        }
        for a in areas
    }
    return y, out


def comparison_areas(area: Area, ctx: Context) -> list[Area]:
    """The area, then the UK and its region where the geography knows them."""
    return [area] + [
        ctx.geo.area(c) for c in (UK, area.region) if c and c in ctx.geo and c != area.code
    ]


def indicator_series(
    area: Area,
    ctx: Context,
    indicator_id: str,
    *,
    areas: Sequence[Area] | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
) -> pd.DataFrame:
    """An indicator over time for the area, the UK and its region (the input of
    :func:`lis_analysis.pages.charts.trend`).

    Parameters
    ----------
    area : the area
    ctx : the indicator context
    indicator_id : a registry id
    areas : the areas to include (default: :func:`comparison_areas`)
    start_year, end_year : keep only these years (inclusive; None = no bound)

    Returns
    -------
    pandas.DataFrame
        The engine's series columns (``area_code, year, period, value, ci_lower,
        ci_upper, status, method, source, release, demo, indicator_id``) for the years
        with a value, plus ``area_name`` ("UK" for the UK), ``unit`` and
        ``indicator_name``; ``period`` is the year as a number.
    """
    if areas is None:
        areas = comparison_areas(area, ctx)
    ind = ctx.registry[indicator_id]
    vals = ctx.comparable(indicator_id, list(areas), like=area)
    vals = vals[vals["value"].notna()].copy()
    if start_year:
        vals = vals[vals["year"] >= start_year]
    if end_year:
        vals = vals[vals["year"] <= end_year]
    names = {a.code: ("UK" if a.code == UK else a.name) for a in areas}
    vals["area_name"] = vals["area_code"].map(names)
    vals["period"] = vals["year"].astype(int)
    vals["unit"] = ind.unit
    vals["indicator_name"] = ind.name
    return vals


def latest_values(ctx: Context, indicator_id: str, areas: Sequence[Area]) -> pd.DataFrame:
    """Each area's latest value of the indicator (the engine's series columns, one row per
    area with a value; empty when none has one)."""
    vals = ctx.indicator(indicator_id, list(areas))
    vals = vals[vals["value"].notna()]
    if vals.empty:
        return vals
    return vals.sort_values("year").groupby("area_code").tail(1)


def index_indicator(ctx: Context, indicator_id: str) -> str | None:
    """The registry indicator that is ``indicator_id`` relative to the UK (kind ``index``
    of it), if one is declared."""
    for ind in ctx.registry.values():
        if ind.kind == "index" and ind.of == indicator_id:
            return ind.id
    return None


__all__ = [
    "benchmark_area",
    "comparison_areas",
    "index_indicator",
    "indicator_series",
    "latest_common",
    "latest_values",
]
