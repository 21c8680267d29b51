"""Change over time: compound annual growth, trend slopes with Newey-West standard
errors, and β- and σ-convergence across peer areas (statsmodels OLS).

Time series are Series indexed by year; panels are DataFrames with one row per area and
one column per year (or long with columns ``geography_code, year, value``). statsmodels
is imported when a regression is first run, so importing this module stays cheap.
Formulas, sources and edge cases: ``docs/methods.md``.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._common import (
    InsufficientData,
    MethodError,
    as_wide_panel,
    labels,
    year_column,
)

log = logging.getLogger(__name__)

__all__ = [
    "cagr",
    "cagr_array",
    "cagr_between",
    "newey_west_maxlags",
    "TrendResult",
    "trend",
    "BetaConvergence",
    "beta_convergence",
    "SigmaConvergence",
    "sigma_convergence",
]

#: Fewest points a trend or convergence regression accepts.
MIN_POINTS = 5


# --------------------------------------------------------------------------------------
# Growth
# --------------------------------------------------------------------------------------


def cagr_array(
    start_value: np.ndarray | pd.Series | float,
    end_value: np.ndarray | pd.Series | float,
    years: np.ndarray | pd.Series | float,
) -> np.ndarray:
    """Compound annual growth rate of many series at once: :func:`cagr` vectorised.

    ``(end / start) ** (1 / years) − 1`` element by element; NaN where :func:`cagr`
    would refuse (a start value missing, zero or negative, an end value missing or
    negative, or ``years <= 0``). The indicator engine and the sector scores use it.

    Parameters
    ----------
    start_value, end_value : array-like
        Levels at the start and end (same units and prices).
    years : array-like or float
        Years between them.

    Returns
    -------
    numpy.ndarray
        The rates as fractions a year (at least one-dimensional).

    Examples
    --------
    >>> cagr_array([100.0, 0.0, 100.0], [121.0, 50.0, 0.0], 2)
    array([ 0.1,  nan, -1. ])
    """
    s = np.atleast_1d(np.asarray(start_value, dtype="float64"))
    e = np.atleast_1d(np.asarray(end_value, dtype="float64"))
    n = np.asarray(years, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = (s > 0) & (e >= 0) & (n > 0)
        return np.where(ok, (e / s) ** (1.0 / n) - 1, np.nan)


def cagr(start_value: float, end_value: float, years: float) -> float:
    """Compound annual growth rate: ``(end / start) ** (1 / years) − 1``.

    Parameters
    ----------
    start_value, end_value : float
        Levels at the start and end (same units and prices).
    years : float
        Years between them (``end year − start year``), positive.

    Returns
    -------
    float
        The rate as a fraction a year (0.02 = 2% a year). ``end_value = 0`` gives −1.

    Raises
    ------
    MethodError
        A start value that is missing, zero or negative (growth from it is undefined),
        a negative or missing end value, or ``years <= 0``.

    Examples
    --------
    >>> round(cagr(29968.0, 33342.0, 1), 4)  # L&L GVA, 2022 to 2023 (current prices)
    0.1126
    """
    m = "cagr"
    for what, v in (("start value", start_value), ("end value", end_value)):
        if v is None or not np.isfinite(float(v)):
            raise MethodError(f"{m}: the {what} is missing ({v!r}); CAGR is undefined")
    s, e, n = float(start_value), float(end_value), float(years)
    if s == 0:
        raise MethodError(f"{m}: the start value is 0; growth from zero is undefined")
    if s < 0:
        raise MethodError(
            f"{m}: the start value {s:g} is negative; CAGR is undefined for negative "
            "levels (report the change instead)"
        )
    if e < 0:
        raise MethodError(f"{m}: the end value {e:g} is negative; CAGR is undefined")
    if not n > 0:
        raise MethodError(f"{m}: the number of years must be positive, got {years!r}")
    return float(cagr_array(s, e, n)[0])


def cagr_between(values: pd.Series | pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """CAGR between two years of a series (indexed by year) or of each row of a panel.

    Parameters
    ----------
    values : pandas.Series or pandas.DataFrame
        A Series indexed by year, or a DataFrame with one row per area (or industry)
        and one column per year, or long with columns ``<label>, year, value``.
    start, end : int
        The years compared; ``end > start``. The number of years is ``end − start``.

    Returns
    -------
    pandas.DataFrame
        One row per series (the Series' name, or the panel's row labels), columns
        ``start_year, end_year, years, start_value, end_value, cagr``.

    Raises
    ------
    MethodError
        A year absent, or any row whose CAGR is undefined (see :func:`cagr`); the
        message names the rows.

    Examples
    --------
    >>> cagr_between(pd.Series({2015: 100.0, 2020: 121.0}, name="L&L"), 2015, 2020)["cagr"].round(5)
    L&L    0.03886
    Name: cagr, dtype: float64
    """
    m = "cagr_between"
    if isinstance(values, pd.Series) and values.index.nlevels == 1:
        panel = as_wide_panel(values.to_frame().T, "values", m)
        panel.index = [values.name]
    else:
        panel = as_wide_panel(values, "values", m)
    if end <= start:
        raise MethodError(f"{m}: end year {end} must be after start year {start}")
    s = year_column(panel, start, "values", m)
    e = year_column(panel, end, "values", m)
    bad = panel.index[~(s > 0) | ~(e >= 0)]
    if len(bad):
        raise MethodError(
            f"{m}: CAGR {start}–{end} is undefined for {labels(bad)} (start value missing, "
            "zero or negative, or end value missing or negative)"
        )
    n = end - start
    out = pd.DataFrame(
        {
            "start_year": start,
            "end_year": end,
            "years": n,
            "start_value": s,
            "end_value": e,
            "cagr": cagr_array(s, e, n),
        },
        index=panel.index,
    )
    return out


# --------------------------------------------------------------------------------------
# Trend with Newey-West standard errors
# --------------------------------------------------------------------------------------


def newey_west_maxlags(n: int) -> int:
    """Newey and West's (1994) rule of thumb for the HAC lag length: ⌊4 (n/100)^(2/9)⌋.

    For 5-27 annual points it gives 2 (3 from n = 28).

    Examples
    --------
    >>> newey_west_maxlags(20), newey_west_maxlags(100)
    (2, 4)
    """
    return int(math.floor(4 * (n / 100) ** (2 / 9)))


def _years(index: pd.Index, what: str, m: str) -> np.ndarray:
    if isinstance(index, pd.PeriodIndex | pd.DatetimeIndex):
        index = pd.Index(index.year)
    try:
        years = pd.to_numeric(pd.Series(index), errors="raise").to_numpy(dtype="float64")
    except (TypeError, ValueError):
        raise MethodError(f"{m}: {what} must be indexed by year (numbers)") from None
    if len(np.unique(years)) != len(years):
        raise MethodError(f"{m}: {what} has repeated years")
    return years


def _ols(y: np.ndarray, x: np.ndarray, cov_type: str, cov_kwds: dict | None = None):
    from statsmodels.regression.linear_model import OLS  # lazy: 1 s to import

    exog = np.column_stack([np.ones_like(x), x])
    return OLS(y, exog).fit(cov_type=cov_type, cov_kwds=cov_kwds or {}, use_t=True)


@dataclass(frozen=True)
class TrendResult:
    """A linear trend with Newey-West (HAC) standard errors.

    Attributes
    ----------
    slope : float
        Change a year (in the series' units; with ``log=True``, in log points).
    se, ci_lower, ci_upper, p_value : float
        HAC standard error, confidence interval and two-sided p-value (t with n − 2
        degrees of freedom).
    n : int
        Points used (missing years dropped).
    maxlags : int
        HAC lag length used.
    alpha : float
        1 − confidence level.
    intercept : float
        Fitted value at the first year.
    log : bool
        Whether the series was logged first.
    fitted : pandas.DataFrame
        ``year, value, fitted`` (fitted in the series' own units).
    note : str
        Caveats (e.g. gaps in the years), ``""`` if none.
    """

    slope: float
    se: float
    ci_lower: float
    ci_upper: float
    p_value: float
    n: int
    maxlags: int
    alpha: float
    intercept: float
    log: bool
    fitted: pd.DataFrame = field(repr=False)
    note: str = ""

    @property
    def significant(self) -> bool:
        """True when the slope differs from zero at level ``alpha``."""
        return bool(self.p_value < self.alpha)

    @property
    def direction(self) -> int:
        """+1 significantly rising, −1 significantly falling, 0 otherwise."""
        if not self.significant:
            return 0
        return int(np.sign(self.slope))

    @property
    def annual_growth(self) -> float:
        """``exp(slope) − 1`` for a log trend (growth a year); NaN otherwise."""
        return float(np.expm1(self.slope)) if self.log else np.nan


def trend(
    values: pd.Series,
    *,
    log: bool = False,
    maxlags: int | None = None,
    alpha: float = 0.05,
    min_points: int = MIN_POINTS,
) -> TrendResult:
    """OLS trend ``value = a + b · year`` with Newey-West (HAC) standard errors.

    Parameters
    ----------
    values : pandas.Series
        Indexed by year (numbers, or strings that are numbers). Missing values are
        dropped.
    log : bool, default False
        Regress ``ln value`` instead (slope ≈ growth a year; values must be positive).
    maxlags : int, optional
        HAC lag length. Default :func:`newey_west_maxlags` ``(n) = ⌊4 (n/100)^(2/9)⌋``
        (Newey and West 1994), which is 2 for 5-27 points.
    alpha : float, default 0.05
        For the ``1 − alpha`` confidence interval and ``significant``.
    min_points : int, default 5
        Fewer non-missing points than this raise :class:`InsufficientData`.

    Returns
    -------
    TrendResult
        Slope, HAC standard error, CI, p-value, n, lag length and the fitted line.

    Raises
    ------
    InsufficientData
        Fewer than ``min_points`` points.
    MethodError
        Non-numeric years, repeated years, non-positive values with ``log=True``,
        ``maxlags`` negative or not below n.

    Notes
    -----
    Bartlett-kernel HAC covariance (statsmodels ``cov_type="HAC"``) with the small-sample
    factor n/(n − 2) (``use_correction=True``) and t(n − 2) inference. The kernel
    assumes equally spaced observations; when years are missing in the middle the
    points are treated as consecutive, and ``note`` says so.

    Examples
    --------
    >>> t = trend(pd.Series([30.1, 30.8, 31.2, 31.9, 32.5, 33.0, 33.8], index=range(2016, 2023)))
    >>> round(t.slope, 3), t.significant, t.maxlags
    (0.6, True, 2)
    """
    m = "trend"
    if not isinstance(values, pd.Series):
        raise MethodError(f"{m}: values must be a Series indexed by year")
    if not 0 < alpha < 1:
        raise MethodError(f"{m}: alpha must be between 0 and 1, got {alpha}")
    s = pd.to_numeric(values, errors="coerce").astype("float64")
    s = s[np.isfinite(s.to_numpy())]
    years = _years(s.index, "values", m)
    order = np.argsort(years)
    years, y = years[order], s.to_numpy()[order]
    n = len(y)
    if n < min_points:
        raise InsufficientData(
            f"{m}: {n} non-missing point(s); a trend needs at least {min_points}"
        )
    if log:
        if (y <= 0).any():
            raise MethodError(f"{m}: log=True needs positive values")
        y = np.log(y)
    lags = newey_west_maxlags(n) if maxlags is None else int(maxlags)
    if not 0 <= lags < n:
        raise MethodError(f"{m}: maxlags must be between 0 and n − 1 = {n - 1}, got {maxlags}")
    note = ""
    steps = np.diff(years)
    if len(steps) and not np.allclose(steps, steps[0]):
        note = "years are unevenly spaced; the HAC kernel treats points as consecutive"
    x = years - years[0]
    res = _ols(y, x, "HAC", {"maxlags": lags, "use_correction": True})
    ci = res.conf_int(alpha=alpha)
    fitted_y = res.fittedvalues
    fitted = pd.DataFrame(
        {
            "year": years,
            "value": np.exp(y) if log else y,
            "fitted": np.exp(fitted_y) if log else fitted_y,
        }
    )
    return TrendResult(
        slope=float(res.params[1]),
        se=float(res.bse[1]),
        ci_lower=float(ci[1, 0]),
        ci_upper=float(ci[1, 1]),
        p_value=float(res.pvalues[1]),
        n=n,
        maxlags=lags,
        alpha=alpha,
        intercept=float(res.params[0]),
        log=log,
        fitted=fitted,
        note=note,
    )


# --------------------------------------------------------------------------------------
# Convergence
# --------------------------------------------------------------------------------------


def _speed(beta: float, t: float) -> float:
    """λ = −ln(1 + βT)/T, NaN when 1 + βT ≤ 0."""
    inner = 1 + beta * t
    return -math.log(inner) / t if inner > 0 else np.nan


@dataclass(frozen=True)
class BetaConvergence:
    """β-convergence: annualised log growth regressed on the log initial level.

    Attributes
    ----------
    beta, se, ci_lower, ci_upper, p_value : float
        Slope on ``ln y0``, its standard error, CI and two-sided p-value.
    intercept, r_squared : float
    n : int
        Areas used.
    years : int
        T = end − start.
    speed : float
        Implied convergence speed ``λ = −ln(1 + βT)/T`` a year (negative when
        diverging; NaN when ``1 + βT ≤ 0``).
    speed_ci : tuple of float
        λ at the two CI ends of β (lower λ first); NaN where undefined.
    half_life : float or None
        ``ln 2 / λ`` years when λ > 0, else None (no convergence, no half-life).
    converging : bool
        β < 0 (point estimate).
    significant : bool
        p < alpha.
    interpretation : str
        One sentence in words.
    data : pandas.DataFrame
        Per area: ``initial, final, log_initial, growth, fitted``.
    dropped : tuple
        Areas left out (a missing, zero or negative level in either year).
    """

    beta: float
    se: float
    ci_lower: float
    ci_upper: float
    p_value: float
    intercept: float
    r_squared: float
    n: int
    years: int
    speed: float
    speed_ci: tuple[float, float]
    half_life: float | None
    converging: bool
    significant: bool
    interpretation: str
    data: pd.DataFrame = field(repr=False)
    dropped: tuple = ()


def beta_convergence(
    levels: pd.DataFrame,
    start: int,
    end: int,
    *,
    alpha: float = 0.05,
    cov_type: str = "HC1",
    min_areas: int = MIN_POINTS,
) -> BetaConvergence:
    """Absolute β-convergence across peer areas (Barro and Sala-i-Martin 1992).

    Regresses annualised log growth ``g_i = ln(y_iT / y_i0) / T`` on ``ln y_i0``:
    ``g_i = α + β ln y_i0 + ε_i``. β < 0 means lower-level areas grew faster. With
    ``1 + βT = e^{−λT}`` the implied speed is ``λ = −ln(1 + βT)/T`` and the half-life
    (years to close half the gap) ``ln 2 / λ``.

    Parameters
    ----------
    levels : pandas.DataFrame
        One row per area, one column per year (or long ``<label>, year, value``):
        levels such as GVA per hour.
    start, end : int
        First and last year (``end > start``).
    alpha : float, default 0.05
        For the CI and ``significant``.
    cov_type : str, default "HC1"
        statsmodels covariance for the cross-section ("HC1" heteroskedasticity-robust,
        or "nonrobust").
    min_areas : int, default 5
        Fewer usable areas raise :class:`InsufficientData`.

    Returns
    -------
    BetaConvergence

    Raises
    ------
    InsufficientData, MethodError

    Examples
    --------
    >>> levels = pd.DataFrame({y: [20 + 3 * i + (y - 2010) * (0.5 - 0.08 * i) for i in range(6)]
    ...                        for y in range(2010, 2021)}, index=list("ABCDEF"))
    >>> b = beta_convergence(levels, 2010, 2020)
    >>> b.converging, b.significant, round(b.half_life, 1)
    (True, True, 16.2)
    """
    m = "beta_convergence"
    if end <= start:
        raise MethodError(f"{m}: end year {end} must be after start year {start}")
    panel = as_wide_panel(levels, "levels", m)
    y0 = year_column(panel, start, "levels", m)
    y1 = year_column(panel, end, "levels", m)
    ok = (y0 > 0) & (y1 > 0)
    dropped = tuple(panel.index[~ok])
    if dropped:
        log.warning("%s: dropped %d area(s) with missing or non-positive levels: %s",
                    m, len(dropped), labels(dropped))  # fmt: skip
    y0, y1 = y0[ok], y1[ok]
    n = len(y0)
    if n < min_areas:
        raise InsufficientData(
            f"{m}: {n} usable area(s) (dropped {len(dropped)}); needs at least {min_areas}"
        )
    t = end - start
    x = np.log(y0.to_numpy())
    g = np.log(y1.to_numpy() / y0.to_numpy()) / t
    if np.ptp(x) == 0:
        raise MethodError(f"{m}: every area has the same {start} level; β is undefined")
    res = _ols(g, x, cov_type)
    ci = res.conf_int(alpha=alpha)
    beta, lo, hi = float(res.params[1]), float(ci[1, 0]), float(ci[1, 1])
    lam = _speed(beta, t)
    lam_ci = (_speed(hi, t), _speed(lo, t))  # λ falls as β rises
    half = math.log(2) / lam if lam > 0 else None
    p = float(res.pvalues[1])
    sig = p < alpha
    level = f"{100 * (1 - alpha):g}%"
    ci_txt = f"β = {beta:.4f} ({level} CI {lo:.4f} to {hi:.4f}), p = {p:.3f}"
    if beta >= 0:
        words = (
            f"Divergence: {ci_txt}; areas that started higher grew as fast or faster, "
            "so there is no convergence speed or half-life"
        )
    elif not np.isfinite(lam):
        words = (
            f"{ci_txt}: β < −1/T implies overshooting (1 + βT ≤ 0), so no convergence "
            "speed is defined"
        )
    else:
        words = (
            f"Convergence: {ci_txt}; implied speed {100 * lam:.2f}% a year, half-life "
            f"{half:.0f} years"
        )
    if not sig:
        words += f" (not significant at {level})"
    data = pd.DataFrame(
        {
            "initial": y0,
            "final": y1,
            "log_initial": x,
            "growth": g,
            "fitted": res.fittedvalues,
        },
        index=y0.index,
    )
    return BetaConvergence(
        beta=beta,
        se=float(res.bse[1]),
        ci_lower=lo,
        ci_upper=hi,
        p_value=p,
        intercept=float(res.params[0]),
        r_squared=float(res.rsquared),
        n=n,
        years=t,
        speed=lam,
        speed_ci=lam_ci,
        half_life=half,
        converging=beta < 0,
        significant=bool(sig),
        interpretation=words,
        data=data,
        dropped=dropped,
    )


@dataclass(frozen=True)
class SigmaConvergence:
    """σ-convergence: the dispersion of log levels across areas, year by year.

    Attributes
    ----------
    by_year : pandas.DataFrame
        ``year, n, mean, sd_log, cv``: areas used, mean level, standard deviation of
        ``ln level`` (ddof = 1) and coefficient of variation of the levels (sd/mean,
        ddof = 1).
    trend : TrendResult or None
        HAC trend of ``sd_log`` over the years; None with fewer than ``min_points`` years.
    converging : bool or None
        True when ``sd_log`` falls significantly, False when it does not, None with no
        trend.
    dropped : tuple
        Areas left out to keep the panel balanced.
    note : str
    """

    by_year: pd.DataFrame
    trend: TrendResult | None
    converging: bool | None
    dropped: tuple = ()
    note: str = ""


def sigma_convergence(
    levels: pd.DataFrame,
    *,
    balanced: bool = True,
    alpha: float = 0.05,
    maxlags: int | None = None,
    min_points: int = MIN_POINTS,
) -> SigmaConvergence:
    """σ-convergence: is the spread of (log) levels across areas narrowing?

    Parameters
    ----------
    levels : pandas.DataFrame
        One row per area, one column per year (or long ``<label>, year, value``).
    balanced : bool, default True
        Use only areas with a positive level in every year, so the spread is of the
        same areas each year (dropped areas are listed). With False, each year uses
        the areas it has.
    alpha, maxlags, min_points
        Passed to :func:`trend` for the test on ``sd_log``.

    Returns
    -------
    SigmaConvergence

    Raises
    ------
    InsufficientData
        Fewer than two areas in a year.

    Examples
    --------
    >>> levels = pd.DataFrame({y: [20 + 3 * i + (y - 2010) * (0.5 - 0.08 * i) for i in range(6)]
    ...                        for y in range(2010, 2021)}, index=list("ABCDEF"))
    >>> s = sigma_convergence(levels)
    >>> s.converging, s.by_year["sd_log"].round(3).iloc[[0, -1]].tolist()
    (True, [0.209, 0.136])
    """
    m = "sigma_convergence"
    panel = as_wide_panel(levels, "levels", m).sort_index(axis=1)
    valid = panel.where(panel > 0)
    dropped: tuple = ()
    if balanced:
        ok = valid.notna().all(axis=1)
        dropped = tuple(panel.index[~ok])
        valid = valid[ok]
    n = valid.notna().sum()
    if (n < 2).any():
        raise InsufficientData(
            f"{m}: fewer than two areas in {labels(n.index[n < 2])} "
            f"(dropped {len(dropped)} area(s) with missing or non-positive levels)"
        )
    by_year = pd.DataFrame(
        {
            "year": panel.columns,
            "n": n.to_numpy(),
            "mean": valid.mean().to_numpy(),
            "sd_log": np.log(valid).std(ddof=1).to_numpy(),
            "cv": (valid.std(ddof=1) / valid.mean()).to_numpy(),
        }
    )
    note = ""
    tr = None
    if len(by_year) >= min_points:
        tr = trend(
            pd.Series(by_year["sd_log"].to_numpy(), index=by_year["year"]),
            maxlags=maxlags,
            alpha=alpha,
            min_points=min_points,
        )
        converging = bool(tr.direction < 0)
    else:
        converging = None
        note = f"{len(by_year)} year(s): too few for a trend test (needs {min_points})"
    return SigmaConvergence(
        by_year=by_year, trend=tr, converging=converging, dropped=dropped, note=note
    )
