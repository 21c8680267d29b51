"""What the methods share: their errors, the label of total rows, input checks.

Errors: every problem with the *data* a method is given (a zero start value, a suppressed
cell it cannot do without, too few peers) raises :class:`MethodError`, a
:class:`~lis_analysis.errors.LisError` that is also a ``ValueError``, so a notebook can
catch either. Its message names the method, the offending labels and what to do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import LisError

#: Label of the row that sums the industries in shift-share and decomposition tables.
TOTAL = "Total"


class MethodError(LisError, ValueError):
    """The inputs cannot support this method (missing, zero, negative or mismatched values)."""


class InsufficientData(MethodError):
    """Too few observations (years, areas, peers) for the method to say anything."""


def labels(items: Iterable[Any], limit: int = 6) -> str:
    """``'A', 'B', 'C' and 4 more`` for an error message."""
    items = [str(i) for i in items]
    shown = ", ".join(repr(i) for i in items[:limit])
    more = len(items) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def as_series(x: pd.Series | Mapping[Any, float], what: str, method: str) -> pd.Series:
    """A float Series from a Series or a mapping; refuses duplicate labels and text."""
    if isinstance(x, Mapping):
        x = pd.Series(dict(x), dtype="float64")
    if not isinstance(x, pd.Series):
        raise MethodError(
            f"{method}: {what} must be a pandas Series (or a mapping) indexed by label, "
            f"got {type(x).__name__}"
        )
    if x.index.has_duplicates:
        dup = x.index[x.index.duplicated()].unique()
        raise MethodError(f"{method}: {what} has duplicate labels {labels(dup)}")
    try:
        out = pd.to_numeric(x, errors="raise").astype("float64")
    except (TypeError, ValueError) as exc:
        raise MethodError(
            f"{method}: {what} must be numeric (publisher markers such as 'c' or '..' "
            f"should be missing values, NaN): {exc}"
        ) from None
    return out


def as_wide_panel(x: pd.DataFrame | pd.Series, what: str, method: str) -> pd.DataFrame:
    """A rows × years float table with integer year columns.

    Accepts a wide DataFrame (one row per industry or area, one column per year), a
    long DataFrame with columns ``year`` and ``value`` and one other label column
    (``industry``, ``geography_code``, ...), or a Series with a two-level (label, year)
    index.
    """
    if isinstance(x, pd.Series):
        if x.index.nlevels != 2:
            raise MethodError(f"{method}: {what} as a Series needs a (label, year) index")
        order = x.index.get_level_values(0).unique()
        x = x.unstack(level=-1).reindex(order)  # keep the order rows first appear in
    elif not isinstance(x, pd.DataFrame):
        raise MethodError(f"{method}: {what} must be a DataFrame, got {type(x).__name__}")
    elif {"year", "value"} <= set(x.columns):
        keys = [c for c in x.columns if c not in ("year", "value")]
        if len(keys) != 1:
            raise MethodError(
                f"{method}: {what} in long form needs exactly one label column besides "
                f"'year' and 'value', got {keys}"
            )
        if x.duplicated(subset=[keys[0], "year"]).any():
            raise MethodError(f"{method}: {what} has more than one value per {keys[0]} and year")
        order = x[keys[0]].unique()
        x = x.pivot(index=keys[0], columns="year", values="value").reindex(order)
    years = []
    for c in x.columns:
        try:
            years.append(int(c))
        except (TypeError, ValueError):
            raise MethodError(
                f"{method}: {what} column {c!r} is not a year; pass rows × years"
            ) from None
    out = x.copy()
    out.columns = years
    if out.index.has_duplicates:
        dup = out.index[out.index.duplicated()].unique()
        raise MethodError(f"{method}: {what} has duplicate rows {labels(dup)}")
    try:
        out = out.apply(pd.to_numeric, errors="raise").astype("float64")
    except (TypeError, ValueError) as exc:
        raise MethodError(f"{method}: {what} must be numeric: {exc}") from None
    return out


def year_column(panel: pd.DataFrame, year: int, what: str, method: str) -> pd.Series:
    """One year of a rows × years panel, or a clear error naming the years there are."""
    if year not in panel.columns:
        have = sorted(panel.columns)
        span = f"{have[0]}–{have[-1]}" if have else "none"
        raise MethodError(f"{method}: {what} has no year {year} (years present: {span})")
    return panel[year]


def finite(x: float, what: str, method: str) -> float:
    """A finite float, or a MethodError naming the input."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise MethodError(f"{method}: {what} must be a number, got {x!r}") from None
    if not np.isfinite(v):
        raise MethodError(f"{method}: {what} is missing or not finite ({x!r})")
    return v
