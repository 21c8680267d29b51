"""Productivity analyses of an area: the gap in pounds and output, GVA per head split into
five ratios, whether the gap is closing and whether peer areas converge.

Each function takes the area and an indicator :class:`~lis_analysis.indicators.Context`
and returns a pandas object an economist can use directly; the formulas are
:mod:`lis_analysis.methods` (one implementation each). The indicators an analysis reads
are declared in ``data/analyses.yaml``, not written here. When the data cannot support
an analysis the function raises :class:`~lis_analysis.errors.DataNotAvailable` with the
reason, and the page says so in a sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..errors import ConfigError, DataNotAvailable
from ..geography import UK, Area
from ..indicators.engine import Context
from ..indicators.registry import Indicator
from ..methods import (
    BetaConvergence,
    SigmaConvergence,
    TrendResult,
    beta_convergence,
    productivity_output_gap,
    sigma_convergence,
    trend,
)
from ..methods import gva_per_head_decomposition as _decompose
from .declared import analysis
from .series import benchmark_area, index_indicator, indicator_series, latest_common

#: Weeks in a year: ONS productivity hours are total hours worked in a week, and ONS
#: annualises them × 52 (see :func:`lis_analysis.methods.productivity_output_gap`).
WEEKS_A_YEAR = 52.0

#: Units the GVA-per-head inputs may be declared in (``unit`` in indicators.yaml) and the
#: factor that puts each in the decomposition's units: £, hours a year, people, and
#: fractions for rates. A unit not listed is an error, never a silent factor of 1.
_UNITS: dict[str, dict[str, float]] = {
    "gva": {"£ million": 1e6, "£": 1.0},
    "hours": {"hours": WEEKS_A_YEAR},  # weekly totals (checked by weekly_hours) -> a year
    "jobs": {"jobs": 1.0},
    "employment_rate": {"%": 0.01},
    "working_age_share": {"%": 0.01},
    "population": {"people": 1.0},
}


def _factor(role: str, ind: Indicator) -> float:
    """The factor that converts ``ind`` (declared for ``role``) into the decomposition's
    unit; a clear error when the registry declares a unit this analysis does not know."""
    known = _UNITS[role]
    if ind.unit not in known:
        raise ConfigError(
            f"gva_per_head_decomposition: the {role} input {ind.id} is declared in "
            f"{ind.unit!r}; the decomposition knows {', '.join(map(repr, known))}"
        )
    if role == "hours":
        weekly_hours(ind)
    return known[ind.unit]


def weekly_hours(ind: Indicator) -> None:
    """Check that ``ind`` is total hours worked per week: every published measure it is
    read from must be declared in "hours per week" by its parser."""
    from ..sources import measure

    units = {measure(r.dataset, r.measure).unit for r in ind.sources}
    if units != {"hours per week"}:
        raise ConfigError(
            f"{ind.id}: the productivity analyses need total hours worked per week; its "
            f"measures are declared in {', '.join(sorted(map(repr, units))) or 'no unit'}"
        )


def _bname(b: Area) -> str:
    return "the UK" if b.code == UK else b.name


# --------------------------------------------------------------------------------------
# The gap in pounds and output
# --------------------------------------------------------------------------------------


def productivity_gap(area: Area, ctx: Context) -> pd.DataFrame:
    """The area's GVA per hour against the UK (else England), and the output a year that
    closing the gap would add: gap per hour × the area's hours worked in the year.

    Parameters
    ----------
    area : the area
    ctx : the indicator context

    Returns
    -------
    pandas.DataFrame
        One row: ``year, area_code, benchmark_code, benchmark_name, productivity,
        benchmark_productivity`` (£ per hour), ``gap_per_hour`` (negative when behind),
        ``weekly_hours, annual_hours`` and ``output_to_close`` (£ a year; zero or less
        when the area is at or above the benchmark), ``closed``.

    Raises
    ------
    DataNotAvailable
        No year with GVA per hour and hours worked for both the area and a benchmark.
    """
    spec = analysis("productivity_gap")
    prod, hours = spec.indicator("productivity"), spec.indicator("hours")
    b = benchmark_area(area, ctx, [prod])
    y, v = latest_common(ctx, [prod, hours], [area, b]) if b else (None, {})
    if y is None or b is None:
        raise DataNotAvailable(
            f"{ctx.registry[prod].name} or {ctx.registry[hours].name.lower()} is missing "
            f"for {area.name} or the UK"
        )
    weekly_hours(ctx.registry[hours])  # the method annualises weekly hours
    own, ref = v[area.code], v[b.code]
    gap = productivity_output_gap(own[prod], ref[prod], weekly_hours=own[hours], weeks=WEEKS_A_YEAR)
    return pd.DataFrame(
        [
            {
                "year": y,
                "area_code": area.code,
                "benchmark_code": b.code,
                "benchmark_name": _bname(b),
                "productivity": gap.productivity,
                "benchmark_productivity": gap.benchmark_productivity,
                "gap_per_hour": gap.gap_per_hour,
                "weekly_hours": own[hours],
                "annual_hours": gap.annual_hours,
                "output_to_close": gap.output_to_close,
                "closed": gap.closed,
            }
        ]
    )


# --------------------------------------------------------------------------------------
# GVA per head in five ratios
# --------------------------------------------------------------------------------------


def gva_per_head_inputs(area: Area, ctx: Context) -> pd.DataFrame:
    """The six inputs of the GVA-per-head decomposition for the area and its benchmark
    (the UK, else England), in the latest year they all share, in explicit units.

    Returns
    -------
    pandas.DataFrame
        Indexed by area code (the area, then the benchmark): ``gva`` (£),
        ``hours`` (hours worked a year), ``jobs``, ``employed_residents``,
        ``working_age_population``, ``population``. ``attrs``: ``year``,
        ``benchmark_code``, ``benchmark_name``, and ``indicators`` (role -> registry id).
        The employed residents and the working-age population are built from the
        population, the working-age share and the employment rate of the same year.

    Raises
    ------
    DataNotAvailable
        An input missing for the area or the benchmark, or no year common to all.
    ConfigError
        An input declared in a unit the decomposition does not know.
    """
    spec = analysis("gva_per_head_decomposition")
    roles = dict(spec.indicators) if isinstance(spec.indicators, dict) else {}
    factor = {role: _factor(role, ctx.registry[iid]) for role, iid in roles.items()}
    b = benchmark_area(area, ctx, list(roles.values()))
    if b is None:
        raise DataNotAvailable("an input is missing for the area or the benchmark")
    y, v = latest_common(ctx, list(roles.values()), [area, b])
    if y is None:
        raise DataNotAvailable("the inputs have no year in common")
    rows = {}
    for a in (area, b):
        x = {role: v[a.code][iid] * factor[role] for role, iid in roles.items()}
        working_age = x["population"] * x["working_age_share"]
        rows[a.code] = {
            "gva": x["gva"],
            "hours": x["hours"],
            "jobs": x["jobs"],
            "employed_residents": working_age * x["employment_rate"],
            "working_age_population": working_age,
            "population": x["population"],
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "area_code"
    out.attrs.update(year=y, benchmark_code=b.code, benchmark_name=_bname(b), indicators=roles)
    return out


def gva_per_head_decomposition(area: Area, ctx: Context) -> pd.DataFrame:
    """GVA per head against the UK (else England) as productivity × hours per job × jobs
    per employed resident × employment rate × working-age share
    (:func:`lis_analysis.methods.gva_per_head_decomposition` on
    :func:`gva_per_head_inputs`).

    Returns
    -------
    pandas.DataFrame
        Six rows, the five factors then ``gva_per_head``: ``factor, label, area,
        benchmark, relative, log_contribution, share_of_log_gap``; ``attrs`` as
        :func:`gva_per_head_inputs` (``year``, ``benchmark_code``, ``benchmark_name``)
        plus ``inputs`` (that frame).

    Raises
    ------
    DataNotAvailable, ConfigError
        As :func:`gva_per_head_inputs`.
    """
    inputs = gva_per_head_inputs(area, ctx)
    b = inputs.attrs["benchmark_code"]
    out = _decompose(inputs.loc[area.code], inputs.loc[b])
    out.attrs.update({k: inputs.attrs[k] for k in ("year", "benchmark_code", "benchmark_name")})
    out.attrs["inputs"] = inputs
    return out


# --------------------------------------------------------------------------------------
# Is the gap closing? Are the peers converging?
# --------------------------------------------------------------------------------------


def gap_trend(
    area: Area,
    ctx: Context,
    indicator_id: str,
    *,
    start_year: int | None = None,
    end_year: int | None = None,
) -> tuple[pd.DataFrame, TrendResult]:
    """The indicator relative to the UK over time (its ``index`` indicator, UK = 100,
    where the registry declares one; else its level) and the trend of the area's series
    (OLS with Newey-West intervals).

    Returns
    -------
    (series, trend)
        ``series``: :func:`~lis_analysis.analyses.series.indicator_series` of the index for
        the area, the UK and its region; ``trend``: :class:`~lis_analysis.methods.TrendResult`
        of the area's values (index points a year).

    Raises
    ------
    InsufficientData
        Fewer than five years with a value.
    """
    idx_id = index_indicator(ctx, indicator_id) or indicator_id
    series = indicator_series(area, ctx, idx_id, start_year=start_year, end_year=end_year)
    own = series[series["area_code"] == area.code].set_index("year")["value"]
    return series, trend(own)


def convergence(
    area: Area, ctx: Context, indicator_id: str, peers: Sequence[Area]
) -> tuple[pd.DataFrame, BetaConvergence, SigmaConvergence] | None:
    """β- and σ-convergence of the indicator across the area and its peers, over the
    years every one of them has a value.

    Returns
    -------
    (levels, beta, sigma) or None
        ``levels``: one row per area, one column per year; None when fewer than five
        areas or five years are complete (too few to say anything).

    Raises
    ------
    InsufficientData
        From the methods, when the panel is too thin for them.
    """
    panel = ctx.comparable(indicator_id, [area, *peers])
    levels = panel.pivot_table(index="area_code", columns="year", values="value")
    levels = levels.dropna(axis=1, how="any")
    if levels.shape[1] < 5 or levels.shape[0] < 5:
        return None
    start, end = int(levels.columns.min()), int(levels.columns.max())
    return levels, beta_convergence(levels, start, end), sigma_convergence(levels)


__all__ = [
    "WEEKS_A_YEAR",
    "convergence",
    "gap_trend",
    "gva_per_head_decomposition",
    "gva_per_head_inputs",
    "productivity_gap",
    "weekly_hours",
]
