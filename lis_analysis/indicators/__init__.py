"""Indicators of the five Foundations of Productivity, declared once and computed generically.

``lis.indicators(area)`` gives the indicator table for an area against its benchmarks
(this module is callable); ``lis.indicators.compute(id, areas)`` one indicator for many
areas and years; ``lis.indicators.registry()`` the declarations.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterable, Sequence

import pandas as pd

from ..geography import Area, Geography
from .engine import TABLE_COLUMNS, TABLE_EXTRA, Context, benchmarks_for, neighbours, panel
from .engine import compute as _compute
from .engine import table as _table
from .registry import FOUNDATIONS, Indicator, Ref, get, load_registry

__all__ = [
    "FOUNDATIONS",
    "TABLE_COLUMNS",
    "TABLE_EXTRA",
    "Context",
    "Indicator",
    "Ref",
    "benchmarks_for",
    "compute",
    "get",
    "neighbours",
    "panel",
    "registry",
    "table",
]


def registry() -> pd.DataFrame:
    """The indicator registry as a table: id, name, foundation, kind, unit, polarity,
    sources, aggregation, caveat, origin."""
    rows = []
    for ind in load_registry().values():
        rows.append(
            {
                "id": ind.id,
                "name": ind.name,
                "foundation": ind.foundation,
                "kind": ind.kind,
                "unit": ind.unit,
                "polarity": ind.polarity,
                "datasets": ", ".join(ind.datasets),
                "aggregation": ind.aggregation,
                "caveat": ind.caveat,
                "origin": ind.origin,
            }
        )
    return pd.DataFrame(rows)


def _session(obs: pd.DataFrame | None, geo: Geography | None) -> tuple[pd.DataFrame, Geography]:
    if obs is None or geo is None:
        from .. import session

        obs = session.observations() if obs is None else obs
        geo = session.geography() if geo is None else geo
    return obs, geo


def table(
    area: Area | str,
    *,
    obs: pd.DataFrame | None = None,
    geo: Geography | None = None,
    indicators: Iterable[str] | None = None,
    benchmarks: Sequence[str] | str = "default",
    **kwargs,
) -> pd.DataFrame:
    """The indicator table for an area against its benchmarks (see :func:`.engine.table`).

    ``benchmarks="default"`` compares with the UK, England, the region, peers' median and
    statistical neighbours' median.
    """
    obs, geo = _session(obs, geo)
    a = geo.area(area) if isinstance(area, str) else area
    kinds = (
        ("uk", "england", "region", "peers", "neighbours")
        if benchmarks == "default"
        else tuple(benchmarks)
    )
    return _table(a, obs=obs, geo=geo, indicators=indicators, benchmarks=kinds, **kwargs)


def compute(
    indicator: str,
    areas: Area | str | Sequence[Area | str],
    *,
    obs: pd.DataFrame | None = None,
    geo: Geography | None = None,
) -> pd.DataFrame:
    """One indicator for one or many areas (codes or Areas), every year available."""
    obs, geo = _session(obs, geo)
    if isinstance(areas, (str, Area)):
        areas = [areas]
    resolved = [geo.area(a) if isinstance(a, str) else a for a in areas]
    return _compute(indicator, resolved, obs=obs, geo=geo)


class _CallableModule(types.ModuleType):
    """Lets ``lis.indicators(area)`` work while ``lis.indicators.compute`` etc. stay reachable."""

    def __call__(self, area: Area | str, **kwargs) -> pd.DataFrame:
        return table(area, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
