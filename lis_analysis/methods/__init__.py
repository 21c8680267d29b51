"""Analytical methods: gaps, industrial structure, trends and convergence, survey
uncertainty, position among peers and statistical neighbours.

Pure functions on pandas/numpy inputs; no file I/O. Every identity a method states
(shift-share components summing to the change, decomposition terms summing to the gap)
holds to rounding (1e-9). Problems with the data raise :class:`MethodError` (a
:class:`~lis_analysis.errors.LisError` and a ``ValueError``). The formulas, their
sources and edge cases are in ``docs/methods.md``.

Shapes used throughout:

* one area, one year, by industry: a Series indexed by industry;
* by industry (or area) and year: a DataFrame with one row per industry (area) and one
  column per year, or long with columns ``<label>, year, value``;
* a time series: a Series indexed by year;
* peers: a Series (one indicator) or DataFrame (characteristics) indexed by area code.
"""

from __future__ import annotations

from ._common import TOTAL, InsufficientData, MethodError
from .gaps import (
    GVA_PER_HEAD_INPUTS,
    OutputGap,
    gva_per_head_decomposition,
    index_and_gap,
    index_gap,
    productivity_output_gap,
)
from .neighbours import Neighbours, statistical_neighbours
from .parts import median_bracket, mixture_median
from .position import (
    GAP_SCALES,
    GAP_UNITS,
    QUARTILE_WORDS,
    Reading,
    classify_gap,
    concentrated_parts,
    gap_scale,
    peer_quartile,
    relative_gap,
    robust_z_scores,
    trend_tag,
)
from .structure import (
    MixAdjustedIndex,
    ProductivityDecomposition,
    esteban_marquillas,
    krugman_index,
    krugman_indices,
    location_quotients,
    mix_adjusted_productivity_index,
    productivity_gap_decomposition,
    shift_share,
)
from .trends import (
    BetaConvergence,
    SigmaConvergence,
    TrendResult,
    beta_convergence,
    cagr,
    cagr_array,
    cagr_between,
    newey_west_maxlags,
    sigma_convergence,
    trend,
)
from .uncertainty import (
    Difference,
    Interval,
    PooledRate,
    ProportionCI,
    pooled_rate,
    proportion_ci,
    se_from_ci,
    significance_of_difference,
    wilson_interval,
    z_value,
)

__all__ = [
    # errors and labels
    "MethodError",
    "InsufficientData",
    "TOTAL",
    # gaps
    "index_and_gap",
    "index_gap",
    "productivity_output_gap",
    "OutputGap",
    "gva_per_head_decomposition",
    "GVA_PER_HEAD_INPUTS",
    # an area from its parts
    "median_bracket",
    "mixture_median",
    # structure
    "location_quotients",
    "krugman_index",
    "krugman_indices",
    "shift_share",
    "esteban_marquillas",
    "productivity_gap_decomposition",
    "ProductivityDecomposition",
    "mix_adjusted_productivity_index",
    "MixAdjustedIndex",
    # trends and convergence
    "cagr",
    "cagr_array",
    "cagr_between",
    "trend",
    "TrendResult",
    "newey_west_maxlags",
    "beta_convergence",
    "BetaConvergence",
    "sigma_convergence",
    "SigmaConvergence",
    # uncertainty
    "z_value",
    "se_from_ci",
    "wilson_interval",
    "Interval",
    "proportion_ci",
    "ProportionCI",
    "significance_of_difference",
    "Difference",
    "pooled_rate",
    "PooledRate",
    # position
    "robust_z_scores",
    "classify_gap",
    "concentrated_parts",
    "gap_scale",
    "peer_quartile",
    "relative_gap",
    "trend_tag",
    "GAP_SCALES",
    "GAP_UNITS",
    "QUARTILE_WORDS",
    "Reading",
    "statistical_neighbours",
    "Neighbours",
]
