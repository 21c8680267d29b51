"""Gaps with a benchmark: index (benchmark = 100), £ and % gaps, the output needed to
close a productivity gap, and the decomposition of a GVA-per-head gap into five ratios.

Formulas, sources and edge cases: ``docs/methods.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._common import MethodError, finite, labels

__all__ = [
    "index_gap",
    "index_and_gap",
    "OutputGap",
    "productivity_output_gap",
    "GVA_PER_HEAD_INPUTS",
    "gva_per_head_decomposition",
]


def index_gap(
    value: float | np.ndarray | pd.Series, benchmark: float | np.ndarray | pd.Series
) -> tuple[np.ndarray, np.ndarray]:
    """Index (benchmark = 100) and gap as arrays: the formula of :func:`index_and_gap`,
    without the table (the indicator engine calls it for every row it writes).

    ``index = 100 · value / benchmark`` where the benchmark is positive (else NaN),
    ``gap = value − benchmark`` (NaN where either is missing). Inputs broadcast.

    Parameters
    ----------
    value, benchmark : float or array-like

    Returns
    -------
    tuple of numpy.ndarray
        ``(index, gap)``, at least one-dimensional.

    Examples
    --------
    >>> index_gap(34.75, [39.70, 0.0])
    (array([87.53148615,         nan]), array([-4.95, 34.75]))
    """
    v = np.atleast_1d(np.asarray(value, dtype="float64"))
    b = np.atleast_1d(np.asarray(benchmark, dtype="float64"))
    v, b = np.broadcast_arrays(v, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        idx = np.where(b > 0, v / b * 100, np.nan)
    return idx, v - b


def index_and_gap(
    value: float | np.ndarray | pd.Series,
    benchmark: float | np.ndarray | pd.Series,
) -> pd.DataFrame:
    """Index (benchmark = 100), absolute gap and percentage gap.

    ``index = 100 · value / benchmark``, ``gap = value − benchmark`` (in the
    indicator's units, negative when the area is below), ``gap_pct = index − 100``.

    Parameters
    ----------
    value, benchmark : float, array-like or pandas.Series
        Broadcast against each other (a Series of areas against one benchmark value,
        or two aligned Series). Two Series are aligned on their index.

    Returns
    -------
    pandas.DataFrame
        Columns ``value, benchmark, index, gap, gap_pct, note``; one row per value
        (the Series' index is kept). ``index`` and ``gap_pct`` are NaN when the
        benchmark is zero or negative (a ratio to it means nothing), ``gap`` is NaN
        when either side is missing; ``note`` says why, ``""`` otherwise.

    Examples
    --------
    >>> t = index_and_gap(pd.Series({"L&L": 34.75, "Leicester": 26.0}), 39.70)
    >>> t[["index", "gap", "gap_pct"]].round(2)
               index    gap  gap_pct
    L&L        87.53  -4.95   -12.47
    Leicester  65.49 -13.70   -34.51
    """
    if isinstance(value, pd.Series) and isinstance(benchmark, pd.Series):
        value, benchmark = value.align(benchmark, join="outer")
        index = value.index
    elif isinstance(value, pd.Series):
        index = value.index
    elif isinstance(benchmark, pd.Series):
        index = benchmark.index
    else:
        index = None
    idx, gap = index_gap(value, benchmark)
    v, b = np.broadcast_arrays(
        np.atleast_1d(np.asarray(value, dtype="float64")),
        np.atleast_1d(np.asarray(benchmark, dtype="float64")),
    )
    note = np.full(v.shape, "", dtype=object)
    note[b <= 0] = "benchmark is zero or negative: no index"
    note[np.isnan(b)] = "benchmark missing"
    note[np.isnan(v)] = "value missing"
    out = pd.DataFrame(
        {
            "value": v,
            "benchmark": b,
            "index": idx,
            "gap": gap,
            "gap_pct": idx - 100,
            "note": note.astype(str),
        },
        index=index,
    )
    return out


@dataclass(frozen=True)
class OutputGap:
    """The output that would close a productivity gap.

    Attributes
    ----------
    productivity, benchmark_productivity : float
        Output per hour of the area and the benchmark (e.g. £ per hour).
    gap_per_hour : float
        ``productivity − benchmark_productivity`` (negative when the area is behind).
    annual_hours : float
        Hours worked in the area in the year.
    output_to_close : float
        ``(benchmark_productivity − productivity) · annual_hours``: the extra output
        a year (£ per hour × hours per year = £ per year) the area would produce at the
        benchmark's productivity with its own hours. Zero or negative when the area is
        already at or above the benchmark.
    """

    productivity: float
    benchmark_productivity: float
    gap_per_hour: float
    annual_hours: float
    output_to_close: float

    @property
    def closed(self) -> bool:
        """True when the area is at or above the benchmark (nothing to close)."""
        return self.output_to_close <= 0


def productivity_output_gap(
    productivity: float,
    benchmark_productivity: float,
    *,
    annual_hours: float | None = None,
    weekly_hours: float | None = None,
    weeks: float = 52.0,
) -> OutputGap:
    """The output needed to close a productivity gap: gap per hour × hours worked.

    ``output_to_close = (benchmark_productivity − productivity) × annual_hours``.
    With productivity in £ per hour and hours per year the result is £ a year; keep the
    units consistent (GVA per hour in £ with hours in thousands gives £ thousand).

    Parameters
    ----------
    productivity, benchmark_productivity : float
        Output per hour worked, same year and prices.
    annual_hours : float, optional
        Total hours worked in the area in that year.
    weekly_hours : float, optional
        Total hours worked *per week*, as ONS subregional productivity publishes them
        ("Productivity Hours"); annualised as ``weekly_hours × weeks``. Give exactly
        one of ``annual_hours`` and ``weekly_hours``.
    weeks : float, default 52
        Weeks a year used to annualise ``weekly_hours``. ONS GVA per hour is GVA
        divided by weekly hours × 52 (checked on the June 2024 ITL tables: the ratio of
        unsmoothed GVA per job × jobs to unsmoothed GVA per hour × weekly hours is
        52.00 across the 234 areas in 2022).

    Returns
    -------
    OutputGap

    Raises
    ------
    MethodError
        Neither or both hours given; a missing or negative input.

    Examples
    --------
    >>> g = productivity_output_gap(34.75, 39.70, weekly_hours=32.0)
    >>> round(g.gap_per_hour, 2), g.annual_hours, round(g.output_to_close, 1)
    (-4.95, 1664.0, 8236.8)
    """
    m = "productivity_output_gap"
    p = finite(productivity, "productivity", m)
    pb = finite(benchmark_productivity, "benchmark_productivity", m)
    if (annual_hours is None) == (weekly_hours is None):
        raise MethodError(f"{m}: give exactly one of annual_hours= and weekly_hours=")
    if annual_hours is not None:
        hours = finite(annual_hours, "annual_hours", m)
    else:
        assert weekly_hours is not None  # checked above; for the type checker
        hours = finite(weekly_hours, "weekly_hours", m) * finite(weeks, "weeks", m)
        if weeks <= 0:
            raise MethodError(f"{m}: weeks must be positive, got {weeks}")
    if hours < 0:
        raise MethodError(f"{m}: hours worked must not be negative, got {hours:g}")
    return OutputGap(
        productivity=p,
        benchmark_productivity=pb,
        gap_per_hour=p - pb,
        annual_hours=hours,
        output_to_close=(pb - p) * hours,
    )


#: Inputs of :func:`gva_per_head_decomposition`, in the order the ratios chain.
GVA_PER_HEAD_INPUTS = (
    "gva",
    "hours",
    "jobs",
    "employed_residents",
    "working_age_population",
    "population",
)

#: factor id, numerator, denominator, label
_FACTORS = [
    ("productivity", "gva", "hours", "GVA per hour worked"),
    ("hours_per_job", "hours", "jobs", "hours worked per job"),
    ("jobs_per_employed_resident", "jobs", "employed_residents", "jobs per employed resident (commuting)"),
    ("employment_rate", "employed_residents", "working_age_population", "employed residents per working-age resident"),
    ("working_age_share", "working_age_population", "population", "working-age share of the population"),
]  # fmt: skip


def _gva_inputs(x, what: str, m: str) -> pd.DataFrame:
    if isinstance(x, pd.DataFrame):
        frame = x.copy()
    elif isinstance(x, pd.Series | Mapping):
        frame = pd.DataFrame([dict(x)])
        frame.index = [None]
    else:
        raise MethodError(
            f"{m}: {what} must be a mapping/Series of {GVA_PER_HEAD_INPUTS} or a DataFrame "
            "with those columns, one row per period"
        )
    missing = [c for c in GVA_PER_HEAD_INPUTS if c not in frame.columns]
    if missing:
        raise MethodError(f"{m}: {what} lacks {labels(missing)}")
    frame = frame[list(GVA_PER_HEAD_INPUTS)].apply(pd.to_numeric, errors="coerce")
    bad = frame.isna() | (frame <= 0)
    if bad.any().any():
        where = [
            f"{c} ({'missing' if pd.isna(frame.at[i, c]) else frame.at[i, c]})"
            + ("" if i is None else f" in {i}")
            for i in frame.index
            for c in frame.columns
            if bad.at[i, c]
        ]
        raise MethodError(
            f"{m}: {what} needs positive values; got {labels(where, 4)}. Ratios and their "
            "logs are undefined otherwise"
        )
    return frame.astype("float64")


def gva_per_head_decomposition(
    area: Mapping[str, float] | pd.Series | pd.DataFrame,
    benchmark: Mapping[str, float] | pd.Series | pd.DataFrame,
) -> pd.DataFrame:
    """Decompose GVA per head relative to a benchmark into five ratios.

    ::

        GVA/pop = GVA/hours × hours/jobs × jobs/employed residents
                  × employed residents/working-age pop × working-age pop/pop

    Each factor is taken relative to the benchmark (area factor / benchmark factor),
    so the product of the five ``relative`` values equals the GVA-per-head ratio, and
    their logs (``log_contribution``) sum to its log: the bars of a waterfall chart.

    Parameters
    ----------
    area, benchmark : mapping, pandas.Series or pandas.DataFrame
        The six inputs :data:`GVA_PER_HEAD_INPUTS` (``gva, hours, jobs,
        employed_residents, working_age_population, population``) for one period, or a
        DataFrame with those columns and one row per period (index = period; area and
        benchmark must have the same periods). Units need only match between area and
        benchmark: weekly or annual hours, £ or £m, give the same relative factors.

    Returns
    -------
    pandas.DataFrame
        Six rows per period: the five factors then ``gva_per_head``. Columns:
        ``period`` (only for DataFrame input), ``factor``, ``label``, ``area``,
        ``benchmark`` (the ratios), ``relative`` (area / benchmark),
        ``log_contribution`` (``ln relative``) and ``share_of_log_gap``
        (``log_contribution / ln(GVA-per-head ratio)``, NaN when that is 0). For the
        ``gva_per_head`` row the share is 1.

    Raises
    ------
    MethodError
        An input missing, zero or negative; mismatched periods.

    Notes
    -----
    Jobs are workplace-based and residents residence-based, so
    ``jobs_per_employed_resident`` carries net commuting. Employed residents may
    include people outside the working-age band; the "employment rate" factor is then
    a ratio, not the published rate. The identity holds whatever the definitions.

    Examples
    --------
    >>> area = {"gva": 30e9, "hours": 1.0e9, "jobs": 0.6e6, "employed_residents": 0.55e6,
    ...         "working_age_population": 0.7e6, "population": 1.1e6}
    >>> uk = {"gva": 2200e9, "hours": 55e9, "jobs": 35e6, "employed_residents": 33e6,
    ...       "working_age_population": 42e6, "population": 67e6}
    >>> d = gva_per_head_decomposition(area, uk)
    >>> d["factor"].tolist()[:2], round(float(d["share_of_log_gap"].iloc[0]), 2)
    (['productivity', 'hours_per_job'], 1.55)
    >>> c = d["log_contribution"]
    >>> bool(abs(c.iloc[:-1].sum() - c.iloc[-1]) < 1e-9)  # the five terms add up to the gap
    True
    """
    m = "gva_per_head_decomposition"
    periods = isinstance(area, pd.DataFrame) or isinstance(benchmark, pd.DataFrame)
    a = _gva_inputs(area, "area", m)
    b = _gva_inputs(benchmark, "benchmark", m)
    if periods:
        if not isinstance(area, pd.DataFrame) or not isinstance(benchmark, pd.DataFrame):
            raise MethodError(f"{m}: give both area and benchmark as DataFrames, or neither")
        if set(a.index) != set(b.index):
            diff = set(a.index) ^ set(b.index)
            raise MethodError(f"{m}: periods differ between area and benchmark: {labels(diff)}")
        b = b.loc[a.index]
    rows = []
    for period in a.index:
        ar, br = a.loc[period], b.loc[period]
        gph_rel = (ar["gva"] / ar["population"]) / (br["gva"] / br["population"])
        log_gap = np.log(gph_rel)
        for fid, num, den, label in _FACTORS:
            af, bf = ar[num] / ar[den], br[num] / br[den]
            rows.append((period, fid, label, af, bf, af / bf, np.log(af / bf)))
        rows.append(
            (
                period,
                "gva_per_head",
                "GVA per head",
                ar["gva"] / ar["population"],
                br["gva"] / br["population"],
                gph_rel,
                log_gap,
            )
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "period",
            "factor",
            "label",
            "area",
            "benchmark",
            "relative",
            "log_contribution",
        ],
    )
    total = out.groupby("period", sort=False, dropna=False)["log_contribution"].transform("last")
    out["share_of_log_gap"] = np.where(total != 0, out["log_contribution"] / total, np.nan)
    if not periods:
        out = out.drop(columns="period")
    return out
