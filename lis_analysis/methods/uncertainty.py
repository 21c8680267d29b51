"""Survey uncertainty: standard errors from published confidence intervals, Wilson
intervals, the significance of a difference, and pooled rates for custom areas.

The functions are vectorised like numpy: give floats and get floats, give arrays (or
Series, or DataFrame columns) and get arrays in the same order. The ``z`` of a level is
the normal quantile (1.959964 for 95%, the "1.96" of the publishers' intervals).
Formulas, sources and edge cases: ``docs/methods.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pandas as pd

from ._common import MethodError, as_series, labels

__all__ = [
    "z_value",
    "se_from_ci",
    "Interval",
    "wilson_interval",
    "ProportionCI",
    "proportion_ci",
    "Difference",
    "significance_of_difference",
    "PooledRate",
    "pooled_rate",
]

ArrayLike: TypeAlias = float | np.ndarray | pd.Series


def _out(x: np.ndarray, scalar: bool):
    return float(x.reshape(-1)[0]) if scalar else x


def _is_scalar(*xs) -> bool:
    return all(np.ndim(x) == 0 for x in xs if x is not None)


#: Φ⁻¹(0.5 + level/2) for the levels publishers print, to the last digit scipy gives
#: (``scipy.stats.norm.ppf``): importing scipy.stats costs about 2 s, more than the rest of
#: ``lis indicators``. Other levels use the standard library's inverse normal.
_Z = {0.90: 1.6448536269514722, 0.95: 1.959963984540054, 0.99: 2.5758293035489004}


def z_value(level: float = 0.95) -> float:
    """Two-sided normal critical value for a confidence level (0.95 → 1.959964).

    Parameters
    ----------
    level : float, default 0.95

    Returns
    -------
    float
        Φ⁻¹(0.5 + level/2).

    Examples
    --------
    >>> round(z_value(0.95), 6), round(z_value(0.90), 6)
    (1.959964, 1.644854)
    """
    if not 0 < level < 1:
        raise MethodError(f"confidence level must be between 0 and 1, got {level}")
    if level in _Z:
        return _Z[level]
    from statistics import NormalDist

    return float(NormalDist().inv_cdf(0.5 + level / 2))


def se_from_ci(lower: ArrayLike, upper: ArrayLike, *, level: float = 0.95) -> ArrayLike:
    """Standard error from a published confidence interval: ``(upper − lower) / (2z)``.

    Parameters
    ----------
    lower, upper : float or array-like
        The published bounds (NaN where the publisher gives none).
    level : float, default 0.95
        The interval's confidence level.

    Returns
    -------
    float or numpy.ndarray
        The standard error (NaN where a bound is missing). For an asymmetric interval
        (e.g. a published Wilson interval) this is the average half-width over z, an
        approximation.

    Raises
    ------
    MethodError
        ``upper < lower`` anywhere.

    Examples
    --------
    >>> round(se_from_ci(70.2, 74.1), 4)          # an APS rate published as 72.1 (70.2 to 74.1)
    0.9949
    """
    scalar = _is_scalar(lower, upper)
    lo = np.atleast_1d(np.asarray(lower, dtype="float64"))
    hi = np.atleast_1d(np.asarray(upper, dtype="float64"))
    if np.any(hi < lo):
        raise MethodError("se_from_ci: an upper bound is below its lower bound")
    return _out((hi - lo) / (2 * z_value(level)), scalar)


@dataclass(frozen=True)
class Interval:
    """A proportion with its confidence interval (floats, or arrays for array input)."""

    estimate: ArrayLike
    lower: ArrayLike
    upper: ArrayLike
    level: float
    method: str

    def to_frame(self) -> pd.DataFrame:
        """``estimate, lower, upper`` as columns (one row per element)."""
        return pd.DataFrame(
            {
                "estimate": np.atleast_1d(self.estimate),
                "lower": np.atleast_1d(self.lower),
                "upper": np.atleast_1d(self.upper),
            }
        )


def wilson_interval(k: ArrayLike, n: ArrayLike, *, level: float = 0.95) -> Interval:
    """Wilson score interval for ``k`` of ``n`` (e.g. respondents agreeing).

    With ``p = k/n`` and ``z`` the critical value::

        centre = (p + z²/2n) / (1 + z²/n)
        half   = z / (1 + z²/n) · sqrt(p(1 − p)/n + z²/4n²)

    Parameters
    ----------
    k, n : float or array-like
        Successes and trials. ``k`` may be non-integer (a weighted count).
    level : float, default 0.95

    Returns
    -------
    Interval
        ``estimate = k/n``, ``lower``, ``upper`` as fractions (0-1), ``method =
        "wilson"``. NaN where ``n`` is 0 or missing.

    Raises
    ------
    MethodError
        ``k < 0``, ``n < 0`` or ``k > n``.

    Notes
    -----
    Wilson, E.B. (1927) "Probable inference, the law of succession, and statistical
    inference", JASA 22, 209-212. Unlike the normal (Wald) interval it stays inside
    [0, 1] and behaves at k = 0 and k = n.

    Examples
    --------
    >>> w = wilson_interval(45, 60)
    >>> round(w.estimate, 2), round(w.lower, 3), round(w.upper, 3)
    (0.75, 0.628, 0.842)
    """
    scalar = _is_scalar(k, n)
    kk = np.atleast_1d(np.asarray(k, dtype="float64"))
    nn = np.atleast_1d(np.asarray(n, dtype="float64"))
    kk, nn = np.broadcast_arrays(kk, nn)
    if np.any(kk < 0) or np.any(nn < 0):
        raise MethodError("wilson_interval: k and n must not be negative")
    if np.any(kk > nn):
        raise MethodError("wilson_interval: k must not exceed n")
    z = z_value(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        nn = np.where(nn > 0, nn, np.nan)
        p = kk / nn
        denom = 1 + z**2 / nn
        centre = (p + z**2 / (2 * nn)) / denom
        half = z / denom * np.sqrt(p * (1 - p) / nn + z**2 / (4 * nn**2))
    return Interval(
        estimate=_out(p, scalar),
        lower=_out(np.clip(centre - half, 0, 1), scalar),
        upper=_out(np.clip(centre + half, 0, 1), scalar),
        level=level,
        method="wilson",
    )


@dataclass(frozen=True)
class ProportionCI:
    """A proportion with standard error and interval, and how they were obtained.

    ``method`` is ``"published"`` (SE from the publisher's interval, which is kept) or
    ``"wilson"`` (interval computed from the sample size).
    """

    estimate: ArrayLike
    se: ArrayLike
    lower: ArrayLike
    upper: ArrayLike
    level: float
    method: str


def proportion_ci(
    p: ArrayLike,
    *,
    ci_lower: ArrayLike | None = None,
    ci_upper: ArrayLike | None = None,
    n: ArrayLike | None = None,
    level: float = 0.95,
    percent: bool = False,
) -> ProportionCI:
    """Standard error and interval of a survey proportion, from what is published.

    With a published interval the SE is ``(ci_upper − ci_lower) / (2z)`` and the
    interval is kept. With only a sample size the interval is Wilson's and the SE
    ``sqrt(p(1 − p)/n)``.

    Parameters
    ----------
    p : float or array-like
        The proportion: a fraction, or a percentage with ``percent=True``.
    ci_lower, ci_upper : float or array-like, optional
        The publisher's interval, in the same units as ``p``.
    n : float or array-like, optional
        The (unweighted) sample size, used only when no interval is given.
    level : float, default 0.95
    percent : bool, default False
        ``p`` (and the interval) are percentages; results are percentages too.

    Returns
    -------
    ProportionCI

    Raises
    ------
    MethodError
        Neither an interval nor ``n``; only one bound; a proportion outside [0, 1]
        (or [0, 100]).

    Notes
    -----
    A Wilson interval from the unweighted sample size ignores the survey's design
    effect and so understates the uncertainty of weighted estimates such as the APS.

    Examples
    --------
    >>> p = proportion_ci(72.1, ci_lower=70.2, ci_upper=74.1, percent=True)
    >>> p.method, round(p.se, 4)
    ('published', 0.9949)
    """
    m = "proportion_ci"
    if (ci_lower is None) != (ci_upper is None):
        raise MethodError(f"{m}: give both ci_lower and ci_upper, or neither")
    scalar = _is_scalar(p, ci_lower, ci_upper, n)
    scale = 100.0 if percent else 1.0
    pp = np.atleast_1d(np.asarray(p, dtype="float64"))
    if np.any((pp < 0) | (pp > scale)):
        raise MethodError(f"{m}: proportions must lie in [0, {scale:g}]")
    if ci_lower is not None:
        lo = np.atleast_1d(np.asarray(ci_lower, dtype="float64"))
        hi = np.atleast_1d(np.asarray(ci_upper, dtype="float64"))
        pp, lo, hi = np.broadcast_arrays(pp, lo, hi)
        se = np.atleast_1d(se_from_ci(lo, hi, level=level))
        return ProportionCI(
            estimate=_out(pp, scalar),
            se=_out(se, scalar),
            lower=_out(lo, scalar),
            upper=_out(hi, scalar),
            level=level,
            method="published",
        )
    if n is None:
        raise MethodError(
            f"{m}: give the published interval (ci_lower, ci_upper) or the sample size n"
        )
    nn = np.atleast_1d(np.asarray(n, dtype="float64"))
    pp, nn = np.broadcast_arrays(pp, nn)
    w = wilson_interval(pp / scale * nn, nn, level=level)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt((pp / scale) * (1 - pp / scale) / np.where(nn > 0, nn, np.nan))
    return ProportionCI(
        estimate=_out(pp, scalar),
        se=_out(se * scale, scalar),
        lower=_out(np.asarray(w.lower) * scale, scalar),
        upper=_out(np.asarray(w.upper) * scale, scalar),
        level=level,
        method="wilson",
    )


@dataclass(frozen=True)
class Difference:
    """A difference between two estimates and whether it is significant.

    ``significant`` is True/False, or None (scalar) / ``pd.NA`` (array) where a
    standard error is missing and the test cannot be made.
    """

    difference: ArrayLike
    se: ArrayLike
    z: ArrayLike
    significant: bool | None | pd.arrays.BooleanArray
    level: float

    def to_frame(self) -> pd.DataFrame:
        """``difference, se, z, significant`` as columns (nullable boolean)."""
        sig = self.significant
        return pd.DataFrame(
            {
                "difference": np.atleast_1d(self.difference),
                "se": np.atleast_1d(self.se),
                "z": np.atleast_1d(self.z),
                "significant": pd.array(
                    [sig] if not isinstance(sig, pd.arrays.BooleanArray) else sig,
                    dtype="boolean",
                ),
            }
        )


def significance_of_difference(
    value: ArrayLike,
    se: ArrayLike | None,
    benchmark_value: ArrayLike,
    benchmark_se: ArrayLike | None = 0.0,
    *,
    level: float = 0.95,
) -> Difference:
    """Is an estimate significantly different from a benchmark?

    ``difference = value − benchmark_value``, ``se = sqrt(se² + benchmark_se²)``,
    ``z = difference / se``, significant when ``|difference| > z_crit · se`` (1.96 at
    95%).

    Parameters
    ----------
    value, se : float or array-like
        The estimate and its standard error (None or NaN where no CI is published).
    benchmark_value, benchmark_se : float or array-like
        The benchmark and its standard error (default 0: a benchmark known without
        sampling error, e.g. an administrative total).
    level : float, default 0.95

    Returns
    -------
    Difference
        ``significant`` is None / ``pd.NA`` where a standard error is missing.

    Notes
    -----
    Assumes independent samples. An area inside its benchmark (L&L within England)
    shares respondents with it; the positive covariance ignored here makes the test
    conservative (fewer differences called significant).

    Examples
    --------
    >>> d = significance_of_difference(72.1, 1.0, 75.0, 0.2)
    >>> round(d.difference, 2), round(d.z, 2), d.significant
    (-2.9, -2.84, True)
    """
    if se is None:
        se = np.nan
    if benchmark_se is None:
        benchmark_se = np.nan
    scalar = _is_scalar(value, se, benchmark_value, benchmark_se)
    v, s, b, bs = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(x, dtype="float64")) for x in (value, se, benchmark_value, benchmark_se))
    )  # fmt: skip
    if np.any(s < 0) or np.any(bs < 0):
        raise MethodError("significance_of_difference: standard errors must not be negative")
    diff = v - b
    sed = np.sqrt(s**2 + bs**2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = diff / sed
    known = np.isfinite(sed) & np.isfinite(diff)
    sig = np.abs(diff) > z_value(level) * sed
    if scalar:
        significant: bool | None | pd.arrays.BooleanArray = bool(sig[0]) if known[0] else None
    else:
        flags = pd.array(np.where(known, sig, False), dtype="boolean")
        flags[~known] = pd.NA
        significant = flags
    return Difference(
        difference=_out(diff, scalar),
        se=_out(sed, scalar),
        z=_out(z, scalar),
        significant=significant,
        level=level,
    )


@dataclass(frozen=True)
class PooledRate:
    """A rate pooled over component areas, with its approximate interval.

    Attributes
    ----------
    rate : float
        ``Σ w_i p_i`` with ``w_i = base_i / Σ base``.
    se, ci_lower, ci_upper : float
        ``sqrt(Σ w_i² SE_i²)`` and ``rate ± z·se``; NaN without component SEs.
    level : float
    weights : pandas.Series
        ``w_i`` by component.
    approximate : bool
        Always True: the interval assumes independent component samples.
    label : str
        ``"approximate"``: print it beside the interval.
    """

    rate: float
    se: float
    ci_lower: float
    ci_upper: float
    level: float
    weights: pd.Series
    approximate: bool = True
    label: str = "approximate"


def pooled_rate(
    rates: pd.Series,
    bases: pd.Series,
    se: pd.Series | None = None,
    *,
    level: float = 0.95,
) -> PooledRate:
    """Pool survey rates of component areas (districts) into one for a custom area.

    ``rate = Σ w_i p_i`` with ``w_i = base_i / Σ base`` (the same as pooling
    numerators ``p_i · base_i`` over denominators), and, assuming independent
    samples, ``se = sqrt(Σ w_i² se_i²)``. The interval is labelled approximate.

    Parameters
    ----------
    rates : pandas.Series
        Component rates, indexed by component (e.g. district code).
    bases : pandas.Series
        The population each rate is of (e.g. residents aged 16-64), same index.
    se : pandas.Series, optional
        Component standard errors (see :func:`se_from_ci`), same index.
    level : float, default 0.95

    Returns
    -------
    PooledRate

    Raises
    ------
    MethodError
        A component's rate or base missing (a suppressed district cannot be pooled: use
        a published figure for the area), a negative base, mismatched components, or
        bases summing to zero.

    Examples
    --------
    >>> p = pooled_rate(pd.Series({"A": 60.0, "B": 80.0}), pd.Series({"A": 100.0, "B": 300.0}),
    ...                 pd.Series({"A": 2.0, "B": 1.0}))
    >>> p.rate, round(p.se, 4), p.label
    (75.0, 0.9014, 'approximate')
    """
    m = "pooled_rate"
    r = as_series(rates, "rates", m)
    b = as_series(bases, "bases", m)
    if set(r.index) != set(b.index):
        raise MethodError(
            f"{m}: rates and bases cover different components: "
            f"{labels(set(r.index) ^ set(b.index))}"
        )
    b = b.reindex(r.index)
    missing = r.index[r.isna() | b.isna()]
    if len(missing):
        raise MethodError(
            f"{m}: components {labels(missing)} have a missing rate or base (suppressed?); "
            "a pooled rate without them would misstate the area"
        )
    if (b < 0).any():
        raise MethodError(f"{m}: bases must not be negative")
    total = b.sum()
    if total <= 0:
        raise MethodError(f"{m}: bases sum to zero")
    w = b / total
    rate = float((w * r).sum())
    if se is None:
        pse = np.nan
    else:
        s = as_series(se, "se", m)
        if set(s.index) != set(r.index):
            raise MethodError(f"{m}: se covers different components from rates")
        s = s.reindex(r.index)
        if (s < 0).any():
            raise MethodError(f"{m}: standard errors must not be negative")
        pse = float(np.sqrt((w**2 * s**2).sum(skipna=False)))
    z = z_value(level)
    w.name = "weight"
    return PooledRate(
        rate=rate,
        se=pse,
        ci_lower=rate - z * pse,
        ci_upper=rate + z * pse,
        level=level,
        weights=w,
    )
