"""Industry structure of an area: location quotients, shift-share of real growth, and its
productivity gap split into industry mix and productivity within industries.

Each function takes the area and an indicator :class:`~lis_analysis.indicators.Context`,
reads the published measures ``data/analyses.yaml`` declares for it (GVA by industry,
BRES employment), compares with the nation whose industry breakdown is complete
(:meth:`~lis_analysis.indicators.Context.section_benchmark`) and returns a DataFrame;
the formulas are :mod:`lis_analysis.methods`. Where the data cannot support the
analysis it raises :class:`~lis_analysis.errors.DataNotAvailable` with the reason.
"""

from __future__ import annotations

import pandas as pd

from ..errors import ConfigError, DataNotAvailable
from ..geography import UK, Area
from ..indicators.engine import Context
from ..indicators.registry import Ref
from ..industries import GVA_SECTIONS, SECTION_NAMES, gva_sections_from_letters
from ..methods import location_quotients, productivity_gap_decomposition
from ..methods import shift_share as _shift_share
from .declared import analysis

#: Published units of GVA by industry and the factor to pounds.
_POUNDS = {"GBP million": 1e6}


def _bname(b: Area) -> str:
    return "the UK" if b.code == UK else b.name


def sections(ctx: Context, ref: Ref, areas: list[Area]) -> pd.DataFrame:
    """The measure ``ref`` for ``areas`` by the SIC sections ONS publishes GVA for (rows of
    other industry levels left out); empty when the store lacks the measure."""
    agg = ctx.aggregated(ref, areas)
    if agg.empty:
        return agg
    return agg[agg["industry"].isin(GVA_SECTIONS)]


def _benchmark(ctx: Context, ref: Ref) -> Area:
    b = ctx.section_benchmark(ref)
    if b is None:
        raise DataNotAvailable(f"it needs {ref.label} by industry for the UK or England")
    return b


def industry_structure(area: Area, ctx: Context, *, year: int | None = None) -> pd.DataFrame:
    """Location quotients of the area's GVA by industry (SIC section) against the UK, or
    the nation whose industry breakdown is complete, in the latest year the area has GVA
    by industry (or ``year``).

    This is the one computation of sector location quotients: the sector priorities
    (:func:`lis_analysis.priorities.sector_inputs`) call it too.

    Returns
    -------
    pandas.DataFrame
        One row per section: ``industry`` (as ONS prints it, e.g. ``C (10-33)``),
        ``industry_name``, ``area_value`` (£m), ``area_share``, ``benchmark_value``,
        ``benchmark_share`` (fractions), ``lq``, ``note`` (why an LQ is missing).
        ``attrs``: ``year``, ``benchmark`` (the :class:`~lis_analysis.geography.Area`),
        ``benchmark_code``, ``benchmark_name``.

    Raises
    ------
    DataNotAvailable
        No GVA by industry for a benchmark or for the area.
    """
    ref = analysis("industry_structure").measure("gva")
    b = _benchmark(ctx, ref)
    sec = sections(ctx, ref, [area, b])
    own = sec[(sec["area_code"] == area.code) & sec["value"].notna()] if len(sec) else sec
    if own.empty:
        raise DataNotAvailable(f"it needs GVA by industry for {area.name}")
    y = int(own["year"].max()) if year is None else int(year)
    cur = sec[(sec["year"] == y) & sec["value"].notna()]
    a = cur[cur["area_code"] == area.code].set_index("industry")["value"]
    bb = cur[cur["area_code"] == b.code].set_index("industry")["value"]
    lq = location_quotients(a, bb).reset_index()
    lq.insert(1, "industry_name", lq["industry"].map(lambda c: SECTION_NAMES.get(c, c)))
    lq.attrs.update(year=y, benchmark=b, benchmark_code=b.code, benchmark_name=_bname(b))
    return lq


def shift_share(area: Area, ctx: Context, *, years: int = 10) -> pd.DataFrame:
    """Shift-share of the change in the area's real GVA (chained volume) by section over
    the last ``years`` years: growth at the nation's rate, industry mix, and the area's
    own (competitive) effect (:func:`lis_analysis.methods.shift_share`, sections with a
    missing value in either year left out).

    Returns
    -------
    pandas.DataFrame
        As :func:`lis_analysis.methods.shift_share` (indexed by section, a ``Total``
        row; £m), plus ``industry_name``; ``attrs``: ``start``, ``end``, ``dropped``,
        ``benchmark_code``, ``benchmark_name``.

    Raises
    ------
    DataNotAvailable
        No chained-volume GVA by industry.
    MethodError
        The two years cannot be compared (from the method).
    """
    ref = analysis("shift_share").measure("gva")
    b = _benchmark(ctx, ref)
    sec = sections(ctx, ref, [area, b])
    if sec.empty or not (sec["area_code"] == area.code).any():
        raise DataNotAvailable("it needs chained-volume GVA by industry")
    end = int(sec.loc[sec["area_code"] == area.code, "year"].max())
    start = end - years
    long = sec[sec["year"].isin([start, end])][["area_code", "industry", "year", "value"]]
    a = long[long["area_code"] == area.code].drop(columns="area_code")
    bb = long[long["area_code"] == b.code].drop(columns="area_code")
    ss = _shift_share(a, bb, start, end, dropna=True)
    ss.insert(0, "industry_name", [SECTION_NAMES.get(c, c) for c in ss.index])
    ss.attrs.update(benchmark_code=b.code, benchmark_name=_bname(b))
    return ss


def sector_productivity(area: Area, ctx: Context) -> pd.DataFrame:
    """The area's gap in GVA per job with the nation, split into industry mix,
    productivity within industries and their interaction, and the industry-mix-adjusted
    productivity index (:func:`lis_analysis.methods.productivity_gap_decomposition` on
    GVA by section and BRES employment, in the latest year both have).

    Returns
    -------
    pandas.DataFrame
        One row: ``year, benchmark_code, benchmark_name``, then in £ per job
        ``area_productivity, benchmark_productivity, expected_productivity, gap, mix,
        within, interaction``, and ``mix_adjusted_index`` (benchmark = 100).
        ``attrs["by_industry"]``: the method's table by section (£ million per job).

    Raises
    ------
    DataNotAvailable
        No GVA by industry for a benchmark, no BRES employment for the area's districts,
        or no year the two share.
    MethodError
        From the method (e.g. no section with both output and employment).
    """
    spec = analysis("sector_productivity")
    gva_ref, emp_ref = spec.measure("gva"), spec.measure("employment")
    b = _benchmark(ctx, gva_ref)
    emp = ctx.aggregated(emp_ref, [area, b])
    if emp.empty or not (emp["area_code"] == area.code).any():
        raise DataNotAvailable(
            "it needs employment by industry for the area's districts (BRES at district "
            "level), which is not in the data loaded"
        )
    emp = emp[emp["breakdown"] == emp_ref.breakdown]
    sec = sections(ctx, gva_ref, [area, b])
    years = set(emp["year"].astype(int)) & set(sec["year"].astype(int))
    if not years:
        raise DataNotAvailable("GVA by industry and BRES employment have no year in common")
    y = max(years)

    def series(frame: pd.DataFrame, code: str) -> pd.Series:
        f = frame[(frame["area_code"] == code) & (frame["year"] == y)]
        return f.set_index("industry")["value"]

    from ..sources import measure

    unit = measure(gva_ref.dataset, gva_ref.measure).unit
    if unit not in _POUNDS:
        raise ConfigError(f"{gva_ref.label} is declared in {unit!r}; expected GBP million")
    dec = productivity_gap_decomposition(
        series(sec, area.code),
        gva_sections_from_letters(series(emp, area.code)),
        series(sec, b.code),
        gva_sections_from_letters(series(emp, b.code)),
        dropna=True,
    )
    k = _POUNDS[unit]
    out = pd.DataFrame(
        [
            {
                "year": y,
                "benchmark_code": b.code,
                "benchmark_name": _bname(b),
                "area_productivity": dec.area_productivity * k,
                "benchmark_productivity": dec.benchmark_productivity * k,
                "expected_productivity": dec.expected_productivity * k,
                "gap": dec.gap * k,
                "mix": dec.mix * k,
                "within": dec.within * k,
                "interaction": dec.interaction * k,
                "mix_adjusted_index": dec.mix_adjusted_index,
            }
        ]
    )
    out.attrs["by_industry"] = dec.by_industry
    return out


__all__ = ["industry_structure", "sections", "sector_productivity", "shift_share"]
