"""Where an area stands: its gap to a benchmark, the one rule that calls an indicator a
strength, a weakness or in line, the tags beside it (peer quartile, direction of travel,
concentration within the area), and robust z-scores among peers.

Formulas, the classification rule, sources and edge cases: ``docs/methods.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._common import MethodError, as_series

__all__ = [
    "GAP_SCALES",
    "GAP_UNITS",
    "LABELS",
    "MAD_SCALE",
    "MEAN_AD_SCALE",
    "QUARTILE_WORDS",
    "Reading",
    "classify_gap",
    "concentrated_parts",
    "gap_scale",
    "peer_quartile",
    "relative_gap",
    "robust_z_scores",
    "trend_tag",
]

#: 1 / Φ⁻¹(0.75) ≈ 1.4826: makes the median absolute deviation estimate σ for normal data.
MAD_SCALE = 1.482602218505602  # 1 / Φ⁻¹(0.75), scipy.stats.norm.ppf(0.75) = 0.6744897501960817
#: sqrt(π/2) ≈ 1.2533: makes the mean absolute deviation estimate σ for normal data.
MEAN_AD_SCALE = math.sqrt(math.pi / 2)
#: Fewest non-missing values for a z-score to mean anything.
MIN_PEERS = 3


def robust_z_scores(
    values: pd.Series,
    *,
    higher_is_better: bool = True,
    min_peers: int = MIN_PEERS,
) -> pd.DataFrame:
    """Robust z-scores of areas among their peers, oriented so positive is better.

    ``z = s · (x − median) / scale`` with ``s = +1`` if higher is better, else −1, and
    ``scale = 1.4826 · MAD`` (MAD = median |x − median|). When MAD is 0 (more than half
    the peers share one value) ``scale = 1.2533 · mean |x − median|``; when that is 0
    too, every value equals the median and z is 0.

    Parameters
    ----------
    values : pandas.Series
        One indicator, one period: the area and its peers, indexed by area code. The
        median and scale are taken over all non-missing values (the area included).
    higher_is_better : bool, default True
        The indicator's polarity; False flips the sign (e.g. unemployment).
    min_peers : int, default 3
        With fewer non-missing values z is undefined (NaN, ``scale_method = "too few
        peers"``).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``values``: ``value, z, rank, n, median, scale, scale_method``.
        ``rank`` is 1 for the best (by polarity; ties share the lowest rank), ``n`` the
        number of non-missing values; ``scale_method`` is ``"MAD"``,
        ``"mean absolute deviation"``, ``"no spread"`` or ``"too few peers"``. Missing
        values have NaN z and rank.

    Notes
    -----
    Iglewicz, B. and Hoaglin, D. (1993) *How to Detect and Handle Outliers*, ASQC
    Quality Press (the MAD-based modified z-score). The fallback to 1.2533 × mean
    absolute deviation when MAD = 0 is the rule in IBM Cognos Analytics' "Modified z
    score" (documentation 11.1.0).

    Examples
    --------
    >>> z = robust_z_scores(pd.Series({"A": 30.0, "B": 32.0, "C": 34.0, "D": 35.0, "E": 40.0}))
    >>> z["z"].round(2).to_dict()
    {'A': -1.35, 'B': -0.67, 'C': 0.0, 'D': 0.34, 'E': 2.02}
    """
    m = "robust_z_scores"
    x = as_series(values, "values", m)
    ok = x.dropna()
    n = len(ok)
    sign = 1.0 if higher_is_better else -1.0
    med = float(ok.median()) if n else np.nan
    if n < min_peers:
        scale, how = np.nan, "too few peers"
    else:
        mad = float((ok - med).abs().median())
        mean_ad = float((ok - med).abs().mean())
        if mad > 0:
            scale, how = MAD_SCALE * mad, "MAD"
        elif mean_ad > 0:
            scale, how = MEAN_AD_SCALE * mean_ad, "mean absolute deviation"
        else:
            scale, how = 0.0, "no spread"
    # "no spread": every value is the median, so z = 0 (and NaN stays NaN).
    z = (x - med) * 0.0 if how == "no spread" else sign * (x - med) / scale
    return pd.DataFrame(
        {
            "value": x,
            "z": z.astype("float64"),
            "rank": (sign * x).rank(ascending=False, method="min"),
            "n": n,
            "median": med,
            "scale": scale,
            "scale_method": how,
        },
        index=x.index,
    )


#: The three scales a gap to a benchmark is measured on (see :func:`gap_scale`).
GAP_SCALES = ("level", "rate", "growth")
#: Units of a gap on each scale, as a sentence says them.
GAP_UNITS = {
    "level": "log points",
    "rate": "percentage points",
    "growth": "percentage points a year",
}
#: The labels of the one classification rule (:func:`classify_gap`).
LABELS = ("strength", "weakness", "in line", "not assessed")


def gap_scale(unit: str | None, kind: str | None = None) -> str:
    """The scale an indicator's gap to a benchmark is measured on.

    ``"growth"`` for growth rates (``kind == "growth"``: the gap is in percentage points
    a year), ``"rate"`` for percentages (a unit starting with ``%``: percentage points),
    ``"level"`` for everything else (levels, ratios, indices: log points).

    Examples
    --------
    >>> gap_scale("%"), gap_scale("% of active"), gap_scale("% a year", "growth"), gap_scale("£")
    ('rate', 'rate', 'growth', 'level')
    """
    if kind == "growth":
        return "growth"
    if unit is not None and str(unit).strip().startswith("%"):
        return "rate"
    return "level"


def relative_gap(
    value: float | np.ndarray | pd.Series,
    benchmark: float | np.ndarray | pd.Series,
    *,
    scale: str = "level",
    higher_is_better: bool = True,
) -> np.ndarray:
    """The gap of a value to its benchmark, signed so that positive is better.

    * levels and ratios (``scale="level"``): ``100 · ln(value / benchmark)``, log points
      (about the percentage difference for small gaps, and symmetric: 10 log points
      above and below are the same distance);
    * rates and growth rates (``"rate"``, ``"growth"``): ``value − benchmark``, percentage
      points.

    The sign is flipped when lower is better (``higher_is_better=False``), so a gap below
    zero is always a shortfall.

    Parameters
    ----------
    value, benchmark : float or array-like
        The area's value and the benchmark's, same units (aligned element by element).
    scale : {"level", "rate", "growth"}
        From :func:`gap_scale`.
    higher_is_better : bool, default True
        The indicator's polarity.

    Returns
    -------
    numpy.ndarray
        The oriented gaps (at least one-dimensional); NaN where a side is missing, or for
        a level where either side is zero or negative (no log).

    Raises
    ------
    MethodError
        An unknown scale.

    Examples
    --------
    >>> relative_gap(34.75, 39.70).round(1)
    array([-13.3])
    >>> relative_gap([28.1, 9.0], [21.0, 8.0], scale="rate", higher_is_better=False).round(1)
    array([-7.1, -1. ])
    """
    if scale not in GAP_SCALES:
        raise MethodError(f"relative_gap: scale must be one of {', '.join(GAP_SCALES)}")
    v = np.atleast_1d(np.asarray(value, dtype="float64"))
    b = np.atleast_1d(np.asarray(benchmark, dtype="float64"))
    with np.errstate(divide="ignore", invalid="ignore"):
        if scale == "level":
            ok = (v > 0) & (b > 0)
            g = np.where(ok, 100.0 * np.log(np.where(ok, v, 1.0) / np.where(ok, b, 1.0)), np.nan)
        else:
            g = v - b
    return g if higher_is_better else -g


@dataclass(frozen=True)
class Reading:
    """An indicator read against its benchmark by :func:`classify_gap`.

    Attributes
    ----------
    label : str
        ``"strength"``, ``"weakness"``, ``"in line"`` or ``"not assessed"``.
    reason : str
        One line in words, e.g. "13.3 log points below the UK (threshold 5)".
    gap : float
        The oriented gap (positive = better), NaN when not assessed.
    material : bool or None
        ``|gap| ≥ materiality`` (None when not assessed).
    significant : bool or None
        As given: the difference is statistically significant (None: no interval).
    """

    label: str
    reason: str
    gap: float
    material: bool | None
    significant: bool | None


def classify_gap(
    gap: float | None,
    *,
    materiality: float,
    significant: bool | None = None,
    bottom_half: bool | None = None,
    scale: str = "level",
    benchmark_name: str = "the benchmark",
) -> Reading:
    """Strength, weakness or in line: the one classification rule (``docs/priorities.md``).

    With ``g`` the gap to the national benchmark oriented so that positive is better
    (:func:`relative_gap`) and ``m`` the materiality threshold on the same scale:

    * **weakness**: ``g ≤ −m`` (material) and not shown to be insignificant (where an
      interval exists, the difference is significant);
    * **strength**: ``g ≥ m``, not shown to be insignificant, and the area is not in the
      bottom half of its comparators (a lead over the nation that most comparable areas
      beat is not a strength of this area);
    * **in line**: everything else: a gap smaller than ``m``, a material gap the survey
      cannot tell from noise, or a material lead from the bottom half of the comparators;
    * **not assessed**: no gap (a side missing).

    Parameters
    ----------
    gap : float or None
        Oriented gap (positive = better).
    materiality : float
        Threshold ``m > 0`` on the gap's scale (log points, percentage points ...).
    significant : bool or None
        Whether the difference is statistically significant; None when no confidence
        interval exists (the test is then not part of the rule).
    bottom_half : bool or None
        Whether the area ranks in the bottom half of its comparators (None: unknown).
    scale : str
        The gap's scale (:data:`GAP_SCALES`), for the units in the reason.
    benchmark_name : str
        For the reason ("the UK").

    Returns
    -------
    Reading

    Raises
    ------
    MethodError
        ``materiality`` not positive.

    Examples
    --------
    >>> classify_gap(-13.3, materiality=5, benchmark_name="the UK").label
    'weakness'
    >>> classify_gap(-3.1, materiality=2, significant=False, scale="rate").label
    'in line'
    >>> classify_gap(8.0, materiality=5, bottom_half=True).label
    'in line'
    """
    if not (np.isfinite(materiality) and materiality > 0):
        raise MethodError("classify_gap: materiality must be a positive number")
    units = GAP_UNITS.get(scale, "points")
    if gap is None or not np.isfinite(gap):
        return Reading("not assessed", "no figure to compare", np.nan, None, significant)
    g = float(gap)
    side = "above" if g > 0 else "below"
    where = (
        f"{abs(g):.1f} {units} {side} {benchmark_name}"
        if round(abs(g), 1)
        else f"level with {benchmark_name}"
    )
    material = abs(g) >= materiality
    if not material:
        return Reading(
            "in line",
            f"{where}, within the threshold of {materiality:g} {units}",
            g,
            False,
            significant,
        )
    if significant is False:
        return Reading(
            "in line",
            f"{where}, but not statistically significant (the survey cannot tell it from noise)",
            g,
            True,
            significant,
        )
    test = "; significant" if significant else ""
    if g < 0:
        return Reading(
            "weakness", f"{where} (threshold {materiality:g}){test}", g, True, significant
        )
    if bottom_half:
        return Reading(
            "in line",
            f"{where}, but in the bottom half of the comparable areas",
            g,
            True,
            significant,
        )
    return Reading("strength", f"{where} (threshold {materiality:g}){test}", g, True, significant)


def peer_quartile(rank: float | None, n: float | None) -> int | None:
    """The quartile of a rank among ``n`` areas (rank 1 = best): 1 = top, 4 = bottom.

    ``q = ceil(4 · rank / n)``; None when the rank or ``n`` is missing, or ``n < 4`` (a
    quartile of fewer than four areas says nothing).

    Examples
    --------
    >>> [peer_quartile(r, 38) for r in (1, 9, 10, 19, 20, 28, 29, 38)]
    [1, 1, 2, 2, 3, 3, 4, 4]
    """
    if rank is None or n is None or pd.isna(rank) or pd.isna(n) or n < 4:
        return None
    r, m = int(rank), int(n)
    if not 1 <= r <= m:
        raise MethodError(f"peer_quartile: rank {r} is not between 1 and {m}")
    return min(4, math.ceil(4 * r / m))


#: Quartile tags as a page prints them.
QUARTILE_WORDS = {
    1: "top quartile",
    2: "second quartile",
    3: "third quartile",
    4: "bottom quartile",
}


def trend_tag(
    slope: float | None, significant: bool | None, latest_gap: float | None
) -> str | None:
    """The direction of travel against the benchmark, in words, from the trend of the
    oriented gap series (positive slope = improving relative to the benchmark).

    Below the benchmark (``latest_gap < 0``): ``"gap narrowing"`` (improving) or
    ``"gap widening"``; at or above it: ``"lead growing"`` or ``"lead shrinking"``.
    None when the slope is missing, zero or not significant: the page then says the gap
    has no significant trend rather than naming a direction.

    Examples
    --------
    >>> trend_tag(-0.3, True, -12.0), trend_tag(0.4, True, -3.0), trend_tag(0.4, False, -3.0)
    ('gap widening', 'gap narrowing', None)
    """
    if slope is None or not significant or not np.isfinite(slope) or slope == 0:
        return None
    below = latest_gap is not None and np.isfinite(latest_gap) and latest_gap < 0
    if below:
        return "gap narrowing" if slope > 0 else "gap widening"
    return "lead growing" if slope > 0 else "lead shrinking"


def concentrated_parts(
    part_gaps: pd.Series,
    whole_gap: float,
    *,
    materiality: float,
    significant: pd.Series | None = None,
    worse_by: float | None = None,
) -> list[str]:
    """The parts of an area (districts, a unitary) that are much worse than the whole.

    A part qualifies when it is itself materially below the benchmark (its oriented gap
    ``≤ −materiality``; a part whose ``significant`` is False does not qualify, one
    without an interval does) and it is worse than the whole by at least ``worse_by``
    (default ``materiality``): ``part gap − whole gap ≤ −worse_by``. The shortfall is
    concentrated only when the qualifying parts are a minority (fewer than half of the
    parts, or a single one) and the median of the other parts is not itself materially
    below the benchmark; otherwise it is widespread and the list is empty.

    Parameters
    ----------
    part_gaps : pandas.Series
        Oriented gaps of the parts to the same benchmark, indexed by part (name or code).
    whole_gap : float
        The area's oriented gap.
    materiality : float
        The threshold on the gaps' scale.
    significant : pandas.Series, optional
        Per part, whether its difference from the benchmark is significant (None/NA: no
        interval).
    worse_by : float, optional
        How much worse than the whole a part must be (default ``materiality``).

    Returns
    -------
    list of str
        The qualifying parts, worst first.

    Examples
    --------
    >>> gaps = pd.Series({"Leicester": -10.9, "Blaby": 9.3, "Melton": 2.1})
    >>> concentrated_parts(gaps, -1.2, materiality=2)
    ['Leicester']
    """
    g = part_gaps.astype(float).dropna()
    if g.empty or whole_gap is None or not np.isfinite(whole_gap):
        return []
    by = materiality if worse_by is None else worse_by
    ok = (g <= -materiality) & (g - whole_gap <= -by)
    if significant is not None:
        sig = significant.reindex(g.index)
        ok &= ~sig.eq(False).fillna(False).astype(bool)
    # concentrated: a minority of the parts (or the one part of two), while the other
    # parts are typically not materially below the benchmark
    n_ok = int(ok.sum())
    if n_ok == 0 or not (n_ok < len(g) / 2 or n_ok == 1) or n_ok == len(g):
        return []
    if float(g[~ok].median()) <= -materiality:
        return []
    return list(g[ok].sort_values().index)
