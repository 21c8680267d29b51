"""Where an area stands among its peers: robust z-scores, and the rule that calls an
indicator a strength, a weakness or neutral.

Formulas, the classification rule, sources and edge cases: ``docs/methods.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._common import MethodError, as_series

__all__ = [
    "MAD_SCALE",
    "MEAN_AD_SCALE",
    "robust_z_scores",
    "Classification",
    "classify_position",
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


@dataclass(frozen=True)
class Classification:
    """Strength, weakness or neutral, with the reason in words.

    Attributes
    ----------
    label : str
        ``"strength"``, ``"weakness"`` or ``"neutral"``.
    reason : str
        One line, e.g. "strength: 1.3 robust SDs above the peer median; significantly
        better than the benchmark; improving".
    z : float
        The oriented robust z-score used.
    benchmark : str
        ``"better"``, ``"worse"`` (both significant), ``"not significantly different"``
        or ``"unknown"`` (no CI).
    trend : str
        ``"improving"``, ``"worsening"`` (significant trends), ``"no significant
        trend"`` or ``"unknown"``.
    """

    label: str
    reason: str
    z: float
    benchmark: str
    trend: str


def _orient(x: float | None, higher_is_better: bool) -> float | None:
    if x is None or not np.isfinite(x):
        return None
    return x if higher_is_better else -x


def classify_position(
    z: float | None,
    *,
    significant: bool | None = None,
    gap: float | None = None,
    higher_is_better: bool = True,
    trend_slope: float | None = None,
    trend_significant: bool | None = None,
    strong: float = 1.0,
    moderate: float = 0.5,
) -> Classification:
    """Classify an indicator as a strength, weakness or neutral for an area.

    The rule (``strong = 1``, ``moderate = 0.5``):

    * **strength** if ``z ≥ 1`` and the area is not significantly *worse* than the
      benchmark, or ``0.5 ≤ z < 1`` and it is significantly *better*;
    * **weakness** if ``z ≤ −1`` and the area is not significantly *better* than the
      benchmark, or ``−1 < z ≤ −0.5`` and it is significantly *worse*;
    * **neutral** otherwise, including when z is undefined and when peers and the
      benchmark disagree (``|z| ≥ 1`` against a significant difference the other way).

    The direction of travel does not change the label; it is reported in the reason
    and in ``trend`` (for priority scoring, which may weigh it).

    Parameters
    ----------
    z : float or None
        Robust z-score among peers, already oriented so positive is better (the ``z``
        of :func:`robust_z_scores`).
    significant : bool or None
        Whether the difference from the benchmark is significant (None: no CI).
    gap : float or None
        ``value − benchmark`` in the indicator's units (not oriented); its sign says
        better or worse. Needed when ``significant`` is True.
    higher_is_better : bool, default True
        Polarity, used to orient ``gap`` and ``trend_slope``.
    trend_slope : float or None
        Trend slope (e.g. :attr:`TrendResult.slope`), not oriented.
    trend_significant : bool or None
        Whether the slope is significant (e.g. :attr:`TrendResult.significant`).
    strong, moderate : float
        The z thresholds.

    Returns
    -------
    Classification

    Raises
    ------
    MethodError
        ``significant=True`` without a ``gap``, or thresholds not ``0 < moderate <=
        strong``.

    Examples
    --------
    >>> classify_position(1.4, significant=True, gap=3.2).label
    'strength'
    >>> classify_position(-0.2, significant=False, gap=-0.4).label
    'neutral'
    """
    if not 0 < moderate <= strong:
        raise MethodError("classify_position: thresholds need 0 < moderate <= strong")
    zf = None if z is None or not np.isfinite(z) else float(z)
    g = _orient(gap, higher_is_better)
    if significant and g is None:
        raise MethodError(
            "classify_position: significant=True needs gap= (value − benchmark) to say "
            "better or worse"
        )
    if significant is None:
        bench = "unknown"
    elif significant and g is not None and g != 0:
        bench = "better" if g > 0 else "worse"
    else:
        bench = "not significantly different"
    t = _orient(trend_slope, higher_is_better)
    if t is None or trend_significant is None:
        trend_word = "unknown"
    elif trend_significant and t != 0:
        trend_word = "improving" if t > 0 else "worsening"
    else:
        trend_word = "no significant trend"

    if zf is None:
        label, why = "neutral", "no robust z-score (too few peers or missing value)"
    else:
        side = "above" if zf >= 0 else "below"
        where = f"{abs(zf):.1f} robust SDs {side} the peer median"
        is_strength = (zf >= strong and bench != "worse") or (
            moderate <= zf < strong and bench == "better"
        )
        is_weakness = (zf <= -strong and bench != "better") or (
            -strong < zf <= -moderate and bench == "worse"
        )
        if is_strength:
            label, why = "strength", where
        elif is_weakness:
            label, why = "weakness", where
        elif abs(zf) >= strong:
            label, why = "neutral", f"mixed: {where} but significantly {bench} than the benchmark"
        else:
            label = "neutral"
            why = (
                f"{where} (needs |z| ≥ {strong:g}, or ≥ {moderate:g} with a significant "
                "benchmark difference the same way)"
            )
    parts = [f"{label}: {why}"]
    if bench in ("better", "worse") and not why.startswith("mixed"):
        parts.append(f"significantly {bench} than the benchmark")
    elif bench == "not significantly different":
        parts.append("not significantly different from the benchmark")
    elif bench == "unknown":
        parts.append("no confidence interval to test the benchmark difference")
    if trend_word != "unknown":
        parts.append(trend_word)
    return Classification(
        label=label,
        reason="; ".join(parts),
        z=np.nan if zf is None else zf,
        benchmark=bench,
        trend=trend_word,
    )
