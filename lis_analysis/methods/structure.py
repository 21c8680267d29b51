"""Industrial structure: location quotients, Krugman specialisation, shift-share
(classic and Esteban-Marquillas), and the sector decomposition of a productivity gap.

Inputs are Series indexed by industry (one area, one year) or industry × year panels
(a DataFrame with one row per industry and one column per year, or the long form with
columns ``industry, year, value``). Industries are the rows the publisher prints; do not
include a total row. Tables come back indexed by ``industry``; shift-share and
decomposition tables end with a ``"Total"`` row whose additive columns are the sums.
Formulas, sources and edge cases: ``docs/methods.md``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from ._common import (
    TOTAL,
    MethodError,
    as_series,
    as_wide_panel,
    finite,
    labels,
    year_column,
)

log = logging.getLogger(__name__)

ArrayLike: TypeAlias = np.ndarray | pd.Series | list

__all__ = [
    "location_quotients",
    "krugman_index",
    "krugman_indices",
    "shift_share",
    "esteban_marquillas",
    "productivity_gap_decomposition",
    "ProductivityDecomposition",
    "mix_adjusted_productivity_index",
    "MixAdjustedIndex",
]


def _total(s: pd.Series, given: float | None, what: str, method: str) -> float:
    total = float(s.sum(skipna=True)) if given is None else finite(given, what, method)
    if not np.isfinite(total) or total <= 0:
        raise MethodError(
            f"{method}: {what} is {total:g}; shares need a positive total "
            "(is the Series empty or all missing?)"
        )
    return total


# --------------------------------------------------------------------------------------
# Location quotients and specialisation
# --------------------------------------------------------------------------------------


def location_quotients(
    area: pd.Series,
    benchmark: pd.Series,
    *,
    area_total: float | None = None,
    benchmark_total: float | None = None,
) -> pd.DataFrame:
    """Location quotients of an area against a benchmark, with each sector's size.

    ``LQ_i = (area_i / area_total) / (benchmark_i / benchmark_total)``: above 1 the area
    is more specialised in industry *i* than the benchmark.

    Parameters
    ----------
    area, benchmark : pandas.Series
        Employment (or GVA, or businesses) by industry, indexed by industry, same units
        and year. NaN marks a suppressed or missing cell.
    area_total, benchmark_total : float, optional
        The published totals. By default each total is the sum of the non-missing
        industries; pass the published total when cells are suppressed, so that the
        shares of the other industries are not overstated.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``industry`` (area's order, then industries only the benchmark has),
        columns ``area_value, area_share, benchmark_value, benchmark_share, lq, note``.
        Shares are fractions (0-1). ``lq`` is NaN, with the reason in ``note``, when
        the area or benchmark cell is missing or negative, or the benchmark has none of
        the industry; ``note`` is ``""`` otherwise.

    Raises
    ------
    MethodError
        A total is zero, negative or missing; an input has duplicate industries or text.

    Examples
    --------
    >>> lq = location_quotients(pd.Series({"Manufacturing": 30.0, "Services": 70.0}),
    ...                         pd.Series({"Manufacturing": 10.0, "Services": 90.0}))
    >>> lq["lq"].round(3).to_dict()
    {'Manufacturing': 3.0, 'Services': 0.778}
    """
    m = "location_quotients"
    a = as_series(area, "area", m)
    b = as_series(benchmark, "benchmark", m)
    at = _total(a, area_total, "the area total", m)
    bt = _total(b, benchmark_total, "the benchmark total", m)
    index = a.index.append(b.index.difference(a.index, sort=False))
    a, b = a.reindex(index), b.reindex(index)
    out = pd.DataFrame(
        {
            "area_value": a,
            "area_share": a / at,
            "benchmark_value": b,
            "benchmark_share": b / bt,
        },
        index=index,
    )
    out.index.name = "industry"
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = out["area_share"] / out["benchmark_share"]
    note = pd.Series("", index=index, dtype="object")
    note[b.eq(0) & a.eq(0)] = "neither area nor benchmark has this industry"
    note[b.eq(0) & a.gt(0)] = "benchmark has none of this industry"
    note[b.lt(0)] = "benchmark value negative"
    note[b.isna()] = "benchmark value missing"
    note[a.lt(0)] = "area value negative"
    note[a.isna()] = "area value missing"
    lq[note.ne("")] = np.nan
    out["lq"] = lq.astype("float64")
    out["note"] = note.astype("str")
    return out


def krugman_index(area: pd.Series, benchmark: pd.Series, *, dropna: bool = False) -> float:
    """Krugman specialisation index: ``K = Σ_i |s_ai − s_bi|``, from 0 to 2.

    ``s_ai`` and ``s_bi`` are industry shares of the area and the benchmark (each
    Series divided by its own sum). 0 means the same structure as the benchmark; 2
    means no industry in common.

    Parameters
    ----------
    area, benchmark : pandas.Series
        Employment (or GVA) by industry, indexed by industry.
    dropna : bool, default False
        An industry missing (NaN, or absent from one Series) makes the shares
        ill-defined, so by default it is an error. With ``dropna=True`` such industries
        are dropped from both sides before the shares are taken (logged).

    Returns
    -------
    float
        The index, in [0, 2].

    Raises
    ------
    MethodError
        Missing industries (unless ``dropna``), negative values, or a zero total.

    Examples
    --------
    >>> krugman_index(pd.Series({"x": 25.0, "y": 75.0}), pd.Series({"x": 50.0, "y": 50.0}))
    0.5
    """
    m = "krugman_index"
    a = as_series(area, "area", m)
    b = as_series(benchmark, "benchmark", m)
    index = a.index.union(b.index, sort=False)
    a, b = a.reindex(index), b.reindex(index)
    missing = index[a.isna() | b.isna()]
    if len(missing):
        if not dropna:
            raise MethodError(
                f"{m}: industries {labels(missing)} are missing on one side; aggregate "
                "them, fill the published figure, or pass dropna=True to drop them"
            )
        log.warning("krugman_index: dropped industries %s (missing)", labels(missing))
        keep = ~index.isin(missing)
        a, b = a[keep], b[keep]
    if (a < 0).any() or (b < 0).any():
        raise MethodError(f"{m}: values must not be negative")
    at = _total(a, None, "the area total", m)
    bt = _total(b, None, "the benchmark total", m)
    return float((a / at - b / bt).abs().sum())


def krugman_indices(
    area: ArrayLike,
    period: ArrayLike,
    industry: ArrayLike,
    value: ArrayLike,
    *,
    benchmark: Any,
    complete: int | None = None,
) -> pd.DataFrame:
    """Krugman specialisation index of many areas and periods at once (long input).

    The vectorised form of :func:`krugman_index`, for the indicator engine (every area
    and year of a national panel in one pass): for each (area, period),
    ``K = Σ_i |s_ai − s_bi|`` over the industries the benchmark has in that period, with
    shares taken within each (area, period). Where :func:`krugman_index` raises, this
    gives NaN: an industry missing on either side, or a zero total.

    Parameters
    ----------
    area, period, industry : array-like
        One entry per row: the area's label, the period (e.g. year) and the industry.
    value : array-like of float
        The row's employment or GVA (NaN for a suppressed cell).
    benchmark : label
        The ``area`` label of the benchmark's rows.
    complete : int, optional
        How many industries an index needs (e.g. all 18 sections); fewer counted gives
        NaN. Default: no minimum.

    Returns
    -------
    pandas.DataFrame
        One row per (area, period) that shares a (period, industry) with the benchmark,
        in order of first appearance: ``area, period, krugman, n_industries, first_row``
        (the position of the group's first row such an industry, for its labels).
        ``attrs["group"]`` gives each input row's position in this table (-1 for
        none), so that callers can summarise other columns by the same groups.

    Examples
    --------
    >>> k = krugman_indices(["A", "A", "UK", "UK"], [2022] * 4, ["x", "y", "x", "y"],
    ...                     [25.0, 75.0, 50.0, 50.0], benchmark="UK")
    >>> k[["area", "period", "krugman"]]
      area  period  krugman
    0    A    2022      0.5
    1   UK    2022      0.0
    >>> krugman_index(pd.Series({"x": 25.0, "y": 75.0}), pd.Series({"x": 50.0, "y": 50.0}))
    0.5
    """
    area = np.asarray(area, dtype=object)
    a_code, a_u = pd.factorize(area)
    y_code, y_u = pd.factorize(np.asarray(period))
    i_code, i_u = pd.factorize(np.asarray(industry, dtype=object))
    v = np.asarray(value, dtype=float)
    ay = a_code * len(y_u) + y_code
    n_ay = len(a_u) * len(y_u)
    tot = np.bincount(ay, weights=np.nan_to_num(v), minlength=n_ay)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = v / tot[ay]
    base_share = np.full((len(y_u), len(i_u)), np.nan)
    has_base = np.zeros((len(y_u), len(i_u)), dtype=bool)
    is_base = np.asarray(a_u == benchmark)[a_code]
    base_share[y_code[is_base], i_code[is_base]] = share[is_base]
    has_base[y_code[is_base], i_code[is_base]] = True
    keep = has_base[y_code, i_code]  # (period, industry) the benchmark has
    d = np.abs(share - base_share[y_code, i_code])
    counted = keep & np.isfinite(d)
    val = np.bincount(ay[counted], weights=d[counted], minlength=n_ay)
    n = np.bincount(ay[counted], minlength=n_ay)
    groups = np.unique(ay[keep])
    first = np.full(n_ay, -1, dtype=np.int64)
    rows = np.flatnonzero(keep)
    first[ay[rows[::-1]]] = rows[::-1]
    position = np.full(n_ay, -1, dtype=np.int64)
    position[groups] = np.arange(len(groups))
    out = pd.DataFrame(
        {
            "area": pd.Series(np.asarray(a_u, dtype=object)[groups // len(y_u)], dtype=object),
            "period": np.asarray(y_u)[groups % len(y_u)],
            "krugman": np.where(n[groups] < max(complete or 0, 1), np.nan, val[groups]),
            "n_industries": n[groups],
            "first_row": first[groups],
        }
    )
    out.attrs["group"] = position[ay]
    return out


# --------------------------------------------------------------------------------------
# Shift-share
# --------------------------------------------------------------------------------------


def _shift_share_inputs(
    area, benchmark, start: int, end: int, dropna: bool, m: str
) -> tuple[pd.DataFrame, list]:
    if end <= start:
        raise MethodError(f"{m}: end year {end} must be after start year {start}")
    ap = as_wide_panel(area, "area", m)
    bp = as_wide_panel(benchmark, "benchmark", m)
    if TOTAL in ap.index or TOTAL in bp.index:
        raise MethodError(f"{m}: remove the {TOTAL!r} row; totals are computed from the industries")
    frame = pd.DataFrame(
        {
            "area_start": year_column(ap, start, "area", m),
            "area_end": year_column(ap, end, "area", m),
        }
    )
    bstart = year_column(bp, start, "benchmark", m)
    bend = year_column(bp, end, "benchmark", m)
    index = frame.index.append(bp.index.difference(frame.index, sort=False))
    frame = frame.reindex(index)
    frame["benchmark_start"] = bstart.reindex(index)
    frame["benchmark_end"] = bend.reindex(index)
    frame.index.name = "industry"
    bad = frame.index[frame.isna().any(axis=1)]
    dropped: list = []
    if len(bad):
        if not dropna:
            raise MethodError(
                f"{m}: industries {labels(bad)} have a missing (suppressed?) value in "
                f"{start} or {end} for the area or the benchmark; aggregate them or pass "
                "dropna=True to leave them out (the totals then cover the rest only)"
            )
        dropped = list(bad)
        log.warning("%s: dropped industries %s (missing values)", m, labels(bad))
        frame = frame.drop(index=bad)
    if (frame < 0).any().any():
        raise MethodError(f"{m}: employment must not be negative")
    if frame.empty:
        raise MethodError(f"{m}: no industries left to analyse")
    orphan = frame.index[(frame["benchmark_start"] == 0) & (frame["area_start"] > 0)]
    if len(orphan):
        raise MethodError(
            f"{m}: the benchmark has no {start} employment in {labels(orphan)} where the "
            "area has some; the benchmark should contain the area (check codes and years)"
        )
    return frame, dropped


def shift_share(
    area: pd.DataFrame,
    benchmark: pd.DataFrame,
    start: int,
    end: int,
    *,
    dropna: bool = False,
) -> pd.DataFrame:
    """Classic shift-share of an area's change in employment between two years.

    For industry *i* with area employment ``e0, e1`` and benchmark employment
    ``B0, B1`` (benchmark totals ``ΣB0, ΣB1``)::

        G   = ΣB1/ΣB0 − 1                 benchmark growth, all industries
        g_i = B1_i/B0_i − 1               benchmark growth of industry i
        national_share = e0_i · G
        industry_mix   = e0_i · (g_i − G)
        competitive    = (e1_i − e0_i) − e0_i · g_i      (= e0_i (r_i − g_i))

    and ``national_share + industry_mix + competitive = e1_i − e0_i`` exactly.

    Parameters
    ----------
    area, benchmark : pandas.DataFrame
        Employment (or GVA) by industry and year: one row per industry and one column
        per year, or long with columns ``industry, year, value``. No total row.
    start, end : int
        The two years compared (``end > start``).
    dropna : bool, default False
        Industries with a missing value in either year, for either side, are an error
        by default; with ``True`` they are dropped from both (listed in
        ``result.attrs["dropped"]``) and the totals cover the remaining industries.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``industry`` with a final ``"Total"`` row. Columns:
        ``area_start, area_end, benchmark_start, benchmark_end`` (levels),
        ``area_growth`` (r_i), ``benchmark_industry_growth`` (g_i),
        ``benchmark_growth`` (G), ``actual_change``, ``national_share``,
        ``industry_mix``, ``competitive``. Growth rates are fractions over the whole
        period (not annualised); ``area_growth`` is NaN where ``area_start`` is 0.

    Raises
    ------
    MethodError
        A year is absent, a value is missing (without ``dropna``) or negative, the
        benchmark lacks an industry the area has, or ``end <= start``.

    Notes
    -----
    ``competitive`` is computed as the residual form, so an industry new to the area
    (``e0 = 0``) has its whole change there. Dunn (1960); Stevens and Moore (1980).

    Examples
    --------
    >>> area = pd.DataFrame({2015: [100.0, 200.0], 2020: [110.0, 260.0]}, index=["Mfg", "Services"])
    >>> uk = pd.DataFrame({2015: [1000.0, 3000.0], 2020: [1050.0, 3600.0]}, index=["Mfg", "Services"])
    >>> ss = shift_share(area, uk, 2015, 2020)
    >>> ss.loc["Total", ["national_share", "industry_mix", "competitive"]].round(2).tolist()
    [48.75, -3.75, 25.0]
    """
    m = "shift_share"
    f, dropped = _shift_share_inputs(area, benchmark, start, end, dropna, m)
    b0_total = f["benchmark_start"].sum()
    big_g = f["benchmark_end"].sum() / b0_total - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        g = f["benchmark_end"] / f["benchmark_start"] - 1
        r = f["area_end"] / f["area_start"] - 1
    # An industry the benchmark (and so the area) lacks at the start has no growth
    # rate; e0 = 0 there, so every term that uses g_i is 0.
    g_used = g.where(f["benchmark_start"] > 0, 0.0)
    out = f.copy()
    out["area_growth"] = r.where(f["area_start"] > 0)
    out["benchmark_industry_growth"] = g.where(f["benchmark_start"] > 0)
    out["benchmark_growth"] = big_g
    out["actual_change"] = f["area_end"] - f["area_start"]
    out["national_share"] = f["area_start"] * big_g
    out["industry_mix"] = f["area_start"] * (g_used - big_g)
    out["competitive"] = out["actual_change"] - f["area_start"] * g_used
    total = out[
        [
            "area_start",
            "area_end",
            "benchmark_start",
            "benchmark_end",
            "actual_change",
            "national_share",
            "industry_mix",
            "competitive",
        ]
    ].sum()
    total["area_growth"] = total["area_end"] / total["area_start"] - 1
    total["benchmark_industry_growth"] = big_g
    total["benchmark_growth"] = big_g
    out.loc[TOTAL] = total[out.columns]
    out = out.astype("float64")
    out.attrs["dropped"] = dropped
    out.attrs["start"], out.attrs["end"] = start, end
    return out


def esteban_marquillas(
    area: pd.DataFrame,
    benchmark: pd.DataFrame,
    start: int,
    end: int,
    *,
    dropna: bool = False,
) -> pd.DataFrame:
    """Shift-share with Esteban-Marquillas' split of the competitive effect.

    Homothetic employment is what the area would have in industry *i* with the
    benchmark's structure: ``ê0_i = (Σe0) · B0_i / ΣB0``. The classic competitive
    effect ``e0_i (r_i − g_i)`` then splits into::

        homothetic_competitive = ê0_i · (r_i − g_i)
        allocation             = (e0_i − ê0_i) · (r_i − g_i)

    so ``national_share + industry_mix + homothetic_competitive + allocation =
    actual_change`` exactly. A positive allocation effect means the area is
    specialised in industries where it is competitive (or under-represented where it
    is not).

    Parameters
    ----------
    area, benchmark, start, end, dropna
        As for :func:`shift_share`.

    Returns
    -------
    pandas.DataFrame
        The :func:`shift_share` table plus ``homothetic_start`` (ê0),
        ``specialisation`` (e0 − ê0), ``competitive_differential`` (r − g),
        ``homothetic_competitive`` and ``allocation``; the ``"Total"`` row sums the
        additive columns (``competitive_differential`` is NaN there).

    Raises
    ------
    MethodError
        As :func:`shift_share`, and for an industry the area gains from nothing
        (``e0 = 0 < e1``): its growth rate ``r`` is infinite and the split undefined;
        merge it into a neighbouring industry.

    Notes
    -----
    An industry the area has in neither year contributes 0 to both terms (``r`` is
    taken equal to ``g``). Esteban-Marquillas, J.M. (1972) "A reinterpretation of
    shift-share analysis", *Regional and Urban Economics* 2(3), 249-255.

    Examples
    --------
    >>> area = pd.DataFrame({2015: [100.0, 200.0], 2020: [110.0, 260.0]}, index=["Mfg", "Services"])
    >>> uk = pd.DataFrame({2015: [1000.0, 3000.0], 2020: [1050.0, 3600.0]}, index=["Mfg", "Services"])
    >>> em = esteban_marquillas(area, uk, 2015, 2020)
    >>> em.loc["Total", ["homothetic_competitive", "allocation"]].round(2).tolist()
    [26.25, -1.25]
    """
    m = "esteban_marquillas"
    ss = shift_share(area, benchmark, start, end, dropna=dropna)
    f = ss.drop(index=TOTAL)
    new = f.index[(f["area_start"] == 0) & (f["area_end"] > 0)]
    if len(new):
        raise MethodError(
            f"{m}: the area has no {start} employment in {labels(new)} but some in {end}; "
            "the growth rate is infinite and the competitive split undefined. Merge these "
            "industries into a neighbouring one, or use shift_share()"
        )
    e0_total = f["area_start"].sum()
    b0_total = f["benchmark_start"].sum()
    homothetic = e0_total * f["benchmark_start"] / b0_total
    g = f["benchmark_industry_growth"].fillna(0.0)
    # e0 = e1 = 0: no growth rate of its own; r = g makes both terms 0.
    diff = (f["area_growth"] - g).where(f["area_start"] > 0, 0.0)
    out = ss.copy()
    out["homothetic_start"] = homothetic
    out["specialisation"] = f["area_start"] - homothetic
    out["competitive_differential"] = diff
    out["homothetic_competitive"] = homothetic * diff
    out["allocation"] = (f["area_start"] - homothetic) * diff
    for col in ("homothetic_start", "specialisation", "homothetic_competitive", "allocation"):
        out.loc[TOTAL, col] = out.loc[f.index, col].sum()
    out.loc[TOTAL, "competitive_differential"] = np.nan
    out.attrs = dict(ss.attrs)
    return out


# --------------------------------------------------------------------------------------
# Productivity gap by sector
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductivityDecomposition:
    """Sector decomposition of an area's productivity gap with a benchmark.

    Attributes
    ----------
    area_productivity, benchmark_productivity : float
        ``Σ output / Σ labour`` of each.
    gap : float
        ``area_productivity − benchmark_productivity`` (= mix + within + interaction).
    mix, within, interaction : float
        The three terms (see :func:`productivity_gap_decomposition`).
    expected_productivity : float
        ``Σ s_ai p_bi``: the area's productivity at benchmark sector productivities.
    mix_adjusted_index : float
        ``100 · area_productivity / expected_productivity``.
    by_industry : pandas.DataFrame
        Per industry (and a ``"Total"`` row): levels, shares, productivities and the
        three terms; see :func:`productivity_gap_decomposition`.
    """

    area_productivity: float
    benchmark_productivity: float
    gap: float
    mix: float
    within: float
    interaction: float
    expected_productivity: float
    mix_adjusted_index: float
    by_industry: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        """The gap and its three terms as a small table (``term, value, share_of_gap``)."""
        terms = {
            "sector mix (between)": self.mix,
            "within sector": self.within,
            "interaction": self.interaction,
            "gap": self.gap,
        }
        out = pd.DataFrame({"term": list(terms), "value": list(terms.values())})
        out["share_of_gap"] = out["value"] / self.gap if self.gap != 0 else np.nan
        return out


def _productivity_frame(
    area_output, area_labour, benchmark_output, benchmark_labour, dropna: bool, m: str
) -> tuple[pd.DataFrame, list]:
    cols = {
        "area_output": as_series(area_output, "area_output", m),
        "area_labour": as_series(area_labour, "area_labour", m),
        "benchmark_output": as_series(benchmark_output, "benchmark_output", m),
        "benchmark_labour": as_series(benchmark_labour, "benchmark_labour", m),
    }
    index = cols["area_output"].index
    for s in cols.values():
        index = index.append(s.index.difference(index, sort=False))
    f = pd.DataFrame({k: v.reindex(index) for k, v in cols.items()}, index=index)
    f.index.name = "industry"
    if TOTAL in f.index:
        raise MethodError(f"{m}: remove the {TOTAL!r} row; totals come from the industries")
    bad = f.index[f.isna().any(axis=1)]
    if len(bad):
        if not dropna:
            raise MethodError(
                f"{m}: industries {labels(bad)} have a missing (suppressed?) output or "
                "labour value; aggregate them or pass dropna=True (the gap then covers "
                "the remaining industries only)"
            )
        log.warning("%s: dropped industries %s (missing values)", m, labels(bad))
        f = f.drop(index=bad)
    if f.empty:
        raise MethodError(f"{m}: no industries to analyse")
    if (f[["area_labour", "benchmark_labour"]] < 0).any().any():
        raise MethodError(f"{m}: labour input must not be negative")
    for side in ("area", "benchmark"):
        orphan = f.index[(f[f"{side}_labour"] == 0) & (f[f"{side}_output"] != 0)]
        if len(orphan):
            raise MethodError(
                f"{m}: {side} has output but no labour in {labels(orphan)}; productivity "
                "there is infinite (check that output and labour cover the same industries)"
            )
        if f[f"{side}_labour"].sum() <= 0:
            raise MethodError(f"{m}: {side} labour input sums to zero")
    return f, list(bad)


def productivity_gap_decomposition(
    area_output: pd.Series,
    area_labour: pd.Series,
    benchmark_output: pd.Series,
    benchmark_labour: pd.Series,
    *,
    dropna: bool = False,
) -> ProductivityDecomposition:
    """Split an area's productivity gap into sector mix, within-sector and interaction.

    With labour shares ``s_i = L_i / ΣL`` and sector productivity ``p_i = Y_i / L_i``,
    aggregate productivity is ``P = ΣY/ΣL = Σ s_i p_i``, and::

        P_a − P_b = Σ (s_ai − s_bi) p_bi              mix (between sectors)
                  + Σ s_bi (p_ai − p_bi)              within sectors
                  + Σ (s_ai − s_bi)(p_ai − p_bi)      interaction

    exactly. *Mix* is the gap the area would have with benchmark productivity in
    every sector; *within* the gap it would have with the benchmark's structure.

    Parameters
    ----------
    area_output, area_labour, benchmark_output, benchmark_labour : pandas.Series
        Indexed by industry: output (GVA) and labour input (hours or jobs), same year,
        units consistent between area and benchmark. Productivity is in output units
        per labour unit: GVA in £ and annual hours give £ per hour (ONS publishes
        *weekly* hours; ×52 gives annual, and the choice does not change the shares).
    dropna : bool, default False
        Industries with any missing value are an error unless ``dropna=True``, which
        drops them (logged; listed in ``by_industry.attrs["dropped"]``).

    Returns
    -------
    ProductivityDecomposition
        Totals, the Beatty-Fothergill style mix-adjusted index and ``by_industry``,
        indexed by ``industry`` with a ``"Total"`` row: ``area_output, area_labour,
        area_share, area_productivity, benchmark_output, benchmark_labour,
        benchmark_share, benchmark_productivity, mix, within, interaction,
        contribution`` (the sum of the three, ``s_ai p_ai − s_bi p_bi``) and ``note``.

    Raises
    ------
    MethodError
        Missing values (without ``dropna``), negative labour, output without labour, or
        zero total labour.

    Notes
    -----
    Where one side has no labour in an industry its productivity is undefined; it is
    set equal to the other side's, so within and interaction are 0 there and the
    industry contributes only through the mix term (``note`` says so). The identity
    holds regardless. This is the shift-share of productivity levels of Esteban, J.
    (2000) "Regional convergence in Europe and the industry mix: a shift-share
    analysis", *Regional Science and Urban Economics* 30(3), 353-364.

    Examples
    --------
    >>> d = productivity_gap_decomposition(
    ...     pd.Series({"Mfg": 60.0, "Services": 40.0}), pd.Series({"Mfg": 1.0, "Services": 1.0}),
    ...     pd.Series({"Mfg": 70.0, "Services": 90.0}), pd.Series({"Mfg": 1.0, "Services": 2.0}))
    >>> [round(x, 3) for x in (d.gap, d.mix, d.within, d.interaction)]
    [-3.333, 4.167, -6.667, -0.833]
    """
    m = "productivity_gap_decomposition"
    f, dropped = _productivity_frame(
        area_output, area_labour, benchmark_output, benchmark_labour, dropna, m
    )
    out = f[["area_output", "area_labour"]].copy()
    out["area_share"] = f["area_labour"] / f["area_labour"].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        pa = f["area_output"] / f["area_labour"]
        pb = f["benchmark_output"] / f["benchmark_labour"]
    note = pd.Series("", index=f.index, dtype="object")
    a_none, b_none = f["area_labour"] == 0, f["benchmark_labour"] == 0
    note[a_none] = "area has no labour here: productivity set to the benchmark's"
    note[b_none] = "benchmark has no labour here: productivity set to the area's"
    note[a_none & b_none] = "neither side has labour here"
    pa_used = pa.where(~a_none, pb).where(~(a_none & b_none), 0.0)
    pb_used = pb.where(~b_none, pa_used).where(~(a_none & b_none), 0.0)
    out["area_productivity"] = pa.where(~a_none)
    out["benchmark_output"] = f["benchmark_output"]
    out["benchmark_labour"] = f["benchmark_labour"]
    out["benchmark_share"] = f["benchmark_labour"] / f["benchmark_labour"].sum()
    out["benchmark_productivity"] = pb.where(~b_none)
    ds = out["area_share"] - out["benchmark_share"]
    dp = pa_used - pb_used
    out["mix"] = ds * pb_used
    out["within"] = out["benchmark_share"] * dp
    out["interaction"] = ds * dp
    out["contribution"] = out["mix"] + out["within"] + out["interaction"]
    expected = float((out["area_share"] * pb_used).sum())
    p_a = float(f["area_output"].sum() / f["area_labour"].sum())
    p_b = float(f["benchmark_output"].sum() / f["benchmark_labour"].sum())
    total = out.drop(columns=["area_productivity", "benchmark_productivity"]).sum()
    total["area_productivity"] = p_a
    total["benchmark_productivity"] = p_b
    out.loc[TOTAL] = total[out.columns]
    out = out.astype("float64")
    out["note"] = note.reindex(out.index, fill_value="").astype("str")
    out.attrs["dropped"] = dropped
    return ProductivityDecomposition(
        area_productivity=p_a,
        benchmark_productivity=p_b,
        gap=p_a - p_b,
        mix=float(out.loc[TOTAL, "mix"]),
        within=float(out.loc[TOTAL, "within"]),
        interaction=float(out.loc[TOTAL, "interaction"]),
        expected_productivity=expected,
        mix_adjusted_index=100 * p_a / expected if expected > 0 else np.nan,
        by_industry=out,
    )


@dataclass(frozen=True)
class MixAdjustedIndex:
    """An area's productivity adjusted for its industry mix.

    Attributes
    ----------
    actual : float
        Area productivity ``Σ Y_a / Σ L_a``.
    expected : float
        ``Σ s_ai p_bi``: what the area's productivity would be if each of its
        industries had the benchmark's productivity.
    benchmark : float
        Benchmark productivity.
    index : float
        Mix-adjusted index ``100 · actual / expected`` (benchmark-like sector
        productivity = 100).
    unadjusted_index : float
        ``100 · actual / benchmark``.
    structure_index : float
        ``100 · expected / benchmark``: what the industry mix alone implies. Always
        ``unadjusted_index = index · structure_index / 100``.
    """

    actual: float
    expected: float
    benchmark: float
    index: float
    unadjusted_index: float
    structure_index: float


def mix_adjusted_productivity_index(
    area_output: pd.Series,
    area_labour: pd.Series,
    benchmark_output: pd.Series,
    benchmark_labour: pd.Series,
    *,
    dropna: bool = False,
) -> MixAdjustedIndex:
    """Industry-mix-adjusted productivity index (Beatty and Fothergill style).

    ``index = 100 · P_a / Σ_i s_ai p_bi``: the area's actual productivity divided by
    the productivity it would have if each of its industries (in the area's labour
    shares ``s_ai``) worked at the benchmark's productivity ``p_bi``. 100 means the
    area's industries are as productive as the benchmark's; the gap left after
    allowing for industry mix.

    Parameters
    ----------
    area_output, area_labour, benchmark_output, benchmark_labour, dropna
        As :func:`productivity_gap_decomposition`.

    Returns
    -------
    MixAdjustedIndex
        ``actual, expected, benchmark, index, unadjusted_index, structure_index``.

    Raises
    ------
    MethodError
        As :func:`productivity_gap_decomposition`; also when ``expected`` is not
        positive.

    Notes
    -----
    Beatty, C. and Fothergill, S. (2020) *Productivity in the Sheffield City Region*,
    CRESR, Sheffield Hallam University, adjust GVA per job for industry mix (and also
    occupation and hours; only the industry adjustment is made here).

    Examples
    --------
    >>> m = mix_adjusted_productivity_index(
    ...     pd.Series({"Mfg": 60.0, "Services": 40.0}), pd.Series({"Mfg": 1.0, "Services": 1.0}),
    ...     pd.Series({"Mfg": 70.0, "Services": 90.0}), pd.Series({"Mfg": 1.0, "Services": 2.0}))
    >>> round(m.unadjusted_index, 2), round(m.index, 2), round(m.structure_index, 2)
    (93.75, 86.96, 107.81)
    """
    d = productivity_gap_decomposition(
        area_output, area_labour, benchmark_output, benchmark_labour, dropna=dropna
    )
    if not d.expected_productivity > 0:
        raise MethodError("mix_adjusted_productivity_index: expected productivity is not positive")
    return MixAdjustedIndex(
        actual=d.area_productivity,
        expected=d.expected_productivity,
        benchmark=d.benchmark_productivity,
        index=d.mix_adjusted_index,
        unadjusted_index=100 * d.area_productivity / d.benchmark_productivity,
        structure_index=100 * d.expected_productivity / d.benchmark_productivity,
    )
