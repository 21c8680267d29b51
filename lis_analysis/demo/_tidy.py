"""Observations in the tidy contract's columns, shared by the demonstrator's builders
(:mod:`.build` and :mod:`.els_families`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..sources._base import TIDY_COLUMNS, geography_level


def _obs(measure: str, codes, names, years, values, **extra) -> pd.DataFrame:
    """Observations in the tidy contract's columns, for a writer. Plain object and float
    columns: the writers only read them, and the parsers give the contract's dtypes when
    the files are read back."""
    years = np.asarray(years)
    codes = np.asarray(codes, dtype=object)
    n = len(codes)
    levels = {c: geography_level(c) for c in set(codes)}
    period = extra.pop("period", None)
    data: dict[str, object] = {col: np.full(n, None, dtype=object) for col in TIDY_COLUMNS}
    data.update(
        measure=np.full(n, measure, dtype=object),
        geography_code=codes,
        geography_level=np.array([levels[c] for c in codes], dtype=object),
        geography_name=np.asarray(names, dtype=object),
        year=years.astype(np.int64),
        period=np.asarray(period, dtype=object)
        if period is not None
        else np.array([str(int(y)) for y in years], dtype=object),
        value=np.asarray(values, dtype=float),
        industry=np.full(n, "Total", dtype=object),
        breakdown=np.full(n, "All", dtype=object),
        ci_lower=np.full(n, np.nan),
        ci_upper=np.full(n, np.nan),
        demo=np.ones(n, dtype=bool),
    )
    for k, v in extra.items():
        if v is None:
            continue
        data[k] = (
            np.full(n, v, dtype=object)
            if np.isscalar(v)
            else (
                np.asarray(v, dtype=float)
                if k in ("ci_lower", "ci_upper")
                else np.asarray(v, dtype=object)
            )
        )
    return pd.DataFrame(
        {
            k: pd.Series(v, dtype=v.dtype if isinstance(v, np.ndarray) else object)
            for k, v in data.items()
        }
    )
