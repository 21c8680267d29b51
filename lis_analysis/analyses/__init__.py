"""Analyses of an area beyond its indicator table: tested functions returning DataFrames.

Each takes the area and an indicator :class:`~lis_analysis.indicators.Context` (the
observations and the geography) and returns what a page shows, as pandas objects an
economist can reuse in JupyterLab; the formulas are :mod:`lis_analysis.methods`, the
indicators and published measures each analysis reads are declared in
``data/analyses.yaml`` with the caveats it relies on (``data/caveats.yaml``)::

    ctx = lis.indicators.Context(obs, geo)
    gap = lis.analyses.productivity_gap(ll, ctx)        # one row: £ per hour, £ a year
    lq = lis.analyses.industry_structure(ll, ctx)        # location quotients by section

- :mod:`.productivity`: :func:`productivity_gap`, :func:`gva_per_head_inputs`,
  :func:`gva_per_head_decomposition`, :func:`gap_trend`, :func:`convergence`;
- :mod:`.structure`: :func:`industry_structure` (the one computation of sector
  location quotients), :func:`shift_share`, :func:`sector_productivity`;
- :mod:`.districts`: :func:`district_values`, :func:`district_profile`;
- :mod:`.series`: an indicator over time, the benchmark that has it, the latest common year;
- :mod:`.declared`: the declarations (``analyses.yaml``) and the caveats log (``caveats.yaml``).
"""

from __future__ import annotations

from .declared import Analysis, Caveat, analysis, load_analyses, load_caveats
from .districts import district_profile, district_values
from .productivity import (
    WEEKS_A_YEAR,
    convergence,
    gap_trend,
    gva_per_head_decomposition,
    gva_per_head_inputs,
    productivity_gap,
)
from .series import (
    benchmark_area,
    comparison_areas,
    index_indicator,
    indicator_series,
    latest_common,
    latest_values,
)
from .structure import industry_structure, sector_productivity, shift_share

__all__ = [
    "WEEKS_A_YEAR",
    "Analysis",
    "Caveat",
    "analysis",
    "benchmark_area",
    "comparison_areas",
    "convergence",
    "district_profile",
    "district_values",
    "gap_trend",
    "gva_per_head_decomposition",
    "gva_per_head_inputs",
    "index_indicator",
    "indicator_series",
    "industry_structure",
    "latest_common",
    "latest_values",
    "load_analyses",
    "load_caveats",
    "productivity_gap",
    "sector_productivity",
    "shift_share",
]
