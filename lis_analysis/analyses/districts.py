"""The districts of an area, side by side: what a reader can use where the area's own
figure cannot be built (a median, a published index), and how uneven the area is.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..geography import Area
from ..indicators.engine import Context
from .series import latest_values


def _members(area: Area, ctx: Context) -> list[Area]:
    return [ctx.geo.area(m) for m in area.members if m in ctx.geo]


def district_values(area: Area, ctx: Context, indicator_id: str) -> pd.DataFrame:
    """The indicator for each district of the area, in each district's latest year.

    Returns
    -------
    pandas.DataFrame
        One row per district with a value: the engine's series columns (``area_code,
        year, period, value, ci_lower, ci_upper, status, method, source, release, demo,
        indicator_id``) and ``area_name``; empty when no district has a value.
    """
    last = latest_values(ctx, indicator_id, _members(area, ctx))
    return last.assign(area_name=last["area_code"].map(ctx.geo.name))


def district_profile(area: Area, ctx: Context, indicators: Sequence[str]) -> pd.DataFrame:
    """One row per district of the area: the latest value of each indicator.

    Returns
    -------
    pandas.DataFrame
        Indexed by district code: ``District`` (its name), then one column per indicator
        named ``"<name> (<unit>)"`` as the registry declares them.
    """
    members = _members(area, ctx)
    cols: dict[str, pd.Series] = {}
    for iid in indicators:
        v = ctx.indicator(iid, members)
        v = (
            v[v["value"].notna()]
            .sort_values("year")
            .groupby("area_code")
            .tail(1)
            .set_index("area_code")
        )
        ind = ctx.registry[iid]
        cols[f"{ind.name} ({ind.unit})"] = v["value"]
    df = pd.DataFrame(cols)
    df.insert(0, "District", [ctx.geo.name(c) for c in df.index])
    return df


__all__ = ["district_profile", "district_values"]
