"""An area's median from its parts: the bracket, and the mixture estimate.

A median cannot be built from the medians of an area's parts, but two things can be said
from what publishers print for the parts:

* the area's median lies between the smallest and the largest of its parts' medians
  (:func:`median_bracket`): at the smallest part median every part has at most half of
  its distribution below, so the mixture has at most half; at the largest, at least half;
* where each part's percentiles and its number of jobs are printed (ASHE Tables 7 and 8),
  the area's distribution is the jobs-weighted mixture of its parts' distributions;
  interpolating each part's cumulative distribution linearly through its published
  percentiles and solving ``Σ w_i F_i(x) = 0.5`` gives an estimate of the area's median
  (:func:`mixture_median`).

Pure functions on numpy/pandas inputs; see docs/methods.md.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ._common import InsufficientData, MethodError


def median_bracket(medians: Mapping[str, float] | pd.Series) -> tuple[float, float]:
    """The interval the median of an area made of these parts must lie in.

    Parameters
    ----------
    medians : the parts' medians (one per part; every part of the area)

    Returns
    -------
    (low, high) : the smallest and largest part median

    Examples
    --------
    >>> median_bracket({"Leicester": 529.8, "Leicestershire": 574.9})
    (529.8, 574.9)
    """
    v = pd.Series(medians, dtype=float)
    if v.empty:
        raise InsufficientData("median_bracket: no parts")
    if v.isna().any():
        raise MethodError(
            f"median_bracket: no median for {', '.join(map(str, v.index[v.isna()]))}; "
            "the bracket needs every part of the area"
        )
    return float(v.min()), float(v.max())


def _cdf_points(pcts: Mapping[float, float], part: str) -> tuple[np.ndarray, np.ndarray]:
    """(values, probabilities) of a part's published percentiles, sorted, missing dropped."""
    s = pd.Series({float(k): v for k, v in pcts.items()}, dtype=float).dropna().sort_index()
    if len(s) < 2:
        raise InsufficientData(f"mixture_median: {part} has fewer than two published percentiles")
    x = s.to_numpy()
    if np.any(np.diff(x) <= 0):
        raise MethodError(f"mixture_median: {part}'s percentiles are not increasing: {dict(s)}")
    return x, s.index.to_numpy() / 100.0


def mixture_median(
    percentiles: Mapping[str, Mapping[float, float]], weights: Mapping[str, float]
) -> float:
    """The median of the weighted mixture of the parts' distributions.

    Each part's cumulative distribution is interpolated linearly through its published
    percentiles (the median as the 50th); the mixture ``F(x) = Σ w_i F_i(x) / Σ w_i`` is
    then piecewise linear, and its 0.5 point is found exactly on the segment that crosses
    it. ``F`` is only known where every part's published percentiles cover ``x``.

    Parameters
    ----------
    percentiles : part -> {percentile (0-100): value}; missing values (suppressed
        percentiles) are left out, the rest must increase with the percentile
    weights : part -> weight (ASHE: the number of jobs); the same parts

    Returns
    -------
    float

    Raises
    ------
    MethodError
        Parts that differ between the two mappings, a negative or missing weight,
        percentiles that do not increase.
    InsufficientData
        A part with fewer than two percentiles, or no point where every part's
        published percentiles cover the crossing of 0.5.

    Examples
    --------
    Two parts of equal weight, uniform on [0, 100] and [50, 150]: at 75 the first has
    three quarters of its weight below, the second one quarter, so the median is 75.

    >>> a = {p: float(p) for p in (10, 50, 90)}
    >>> b = {p: 50.0 + p for p in (10, 50, 90)}
    >>> mixture_median({"a": a, "b": b}, {"a": 1, "b": 1})
    75.0
    """
    parts = list(percentiles)
    if set(parts) != set(weights):
        raise MethodError(
            f"mixture_median: parts with percentiles {sorted(parts)} and with weights "
            f"{sorted(weights)} differ"
        )
    if not parts:
        raise InsufficientData("mixture_median: no parts")
    w = np.array([float(weights[p]) for p in parts])
    if not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise MethodError(f"mixture_median: weights must be non-negative numbers: {dict(weights)}")
    w = w / w.sum()
    pts = [_cdf_points(percentiles[p], str(p)) for p in parts]
    lo = max(x[0] for x, _ in pts)
    hi = min(x[-1] for x, _ in pts)
    if lo >= hi:
        raise InsufficientData(
            "mixture_median: the parts' published percentiles have no common range"
        )
    grid = np.unique(np.concatenate([x[(x >= lo) & (x <= hi)] for x, _ in pts] + [[lo, hi]]))
    cdf = np.zeros(len(grid))
    for wi, (x, p) in zip(w, pts, strict=True):
        cdf += wi * np.interp(grid, x, p)
    if cdf[0] > 0.5 or cdf[-1] < 0.5:
        raise InsufficientData(
            "mixture_median: the half-way point lies outside the range every part's "
            f"published percentiles cover ({lo:g} to {hi:g})"
        )
    k = int(np.searchsorted(cdf, 0.5, side="left"))
    if cdf[k] == 0.5 or k == 0:
        return float(grid[k])
    x0, x1, f0, f1 = grid[k - 1], grid[k], cdf[k - 1], cdf[k]
    return float(x0 + (0.5 - f0) * (x1 - x0) / (f1 - f0))


__all__ = ["median_bracket", "mixture_median"]
