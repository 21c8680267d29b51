"""Statistical neighbours: the areas most like a target on chosen characteristics.

Formulas, sources and edge cases: ``docs/methods.md``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._common import InsufficientData, MethodError, labels

log = logging.getLogger(__name__)

__all__ = ["Neighbours", "statistical_neighbours"]


@dataclass(frozen=True)
class Neighbours:
    """The k nearest areas to a target.

    Attributes
    ----------
    target : str
    table : pandas.DataFrame
        Indexed by ``area`` (nearest first): ``rank, distance`` and the standardised
        characteristics (``z_<column>``).
    dropped : tuple
        Candidates left out because a characteristic was missing.
    n_candidates : int
        Candidates compared (after dropping).
    weights : pandas.Series
        Weight of each characteristic.
    standardised : pandas.DataFrame
        z-scores of every compared area (target included), for charts.
    note : str
    """

    target: str
    table: pd.DataFrame
    dropped: tuple
    n_candidates: int
    weights: pd.Series = field(repr=False)
    standardised: pd.DataFrame = field(repr=False)
    note: str = ""

    @property
    def codes(self) -> list[str]:
        """The neighbours' codes, nearest first."""
        return list(self.table.index)

    @property
    def n_dropped(self) -> int:
        """How many candidates were dropped for missing values."""
        return len(self.dropped)


def statistical_neighbours(
    characteristics: pd.DataFrame,
    target: str,
    *,
    k: int = 5,
    columns: Sequence[str] | None = None,
    weights: Mapping[str, float] | None = None,
) -> Neighbours:
    """Find the ``k`` areas nearest a target on standardised characteristics.

    Each characteristic is standardised across the compared areas (target and complete
    candidates): ``z = (x − mean) / sd`` (sd with ddof = 1). The distance of candidate
    *c* from target *t* is ``sqrt(Σ_j w_j (z_cj − z_tj)²)``.

    Parameters
    ----------
    characteristics : pandas.DataFrame
        One row per area (index = area code), one numeric column per characteristic
        (e.g. GVA per hour, share of jobs in manufacturing, population density).
    target : str
        The area whose neighbours are wanted; must be a row.
    k : int, default 5
        Neighbours to return (all candidates if fewer; ``note`` says so).
    columns : sequence of str, optional
        Characteristics to use; default all columns.
    weights : mapping, optional
        ``{column: weight}`` (non-negative); unnamed columns weigh 1.

    Returns
    -------
    Neighbours
        Ties are broken by area code, so the result is deterministic.

    Raises
    ------
    MethodError
        Target absent, a characteristic missing for the target, a column absent or not
        numeric, a negative weight or an unknown weight name, ``k < 1``.
    InsufficientData
        No candidate has every characteristic.

    Notes
    -----
    A characteristic with no spread among the compared areas gets z = 0 everywhere and
    so does not affect distances (logged; ``note`` names it). Candidates missing any
    characteristic are dropped, not imputed: the count is reported.

    Examples
    --------
    >>> chars = pd.DataFrame({"population": [1.1, 1.0, 0.3, 1.2, 0.9, 2.5],
    ...                       "gva_per_hour": [34.7, 33.0, 30.0, 36.0, 34.0, 45.0]},
    ...                      index=list("TABCDE"))
    >>> statistical_neighbours(chars, "T", k=2).codes
    ['C', 'D']
    """
    m = "statistical_neighbours"
    if not isinstance(characteristics, pd.DataFrame):
        raise MethodError(f"{m}: characteristics must be a DataFrame (areas × characteristics)")
    if k < 1:
        raise MethodError(f"{m}: k must be at least 1, got {k}")
    if characteristics.index.has_duplicates:
        raise MethodError(f"{m}: areas are repeated in the index")
    cols = list(characteristics.columns if columns is None else columns)
    absent = [c for c in cols if c not in characteristics.columns]
    if absent:
        raise MethodError(f"{m}: no characteristic(s) {labels(absent)}")
    if not cols:
        raise MethodError(f"{m}: no characteristics to compare on")
    if target not in characteristics.index:
        raise MethodError(f"{m}: target {target!r} is not among the areas")
    try:
        data = characteristics[cols].apply(pd.to_numeric, errors="raise").astype("float64")
    except (TypeError, ValueError) as exc:
        raise MethodError(f"{m}: characteristics must be numeric: {exc}") from None
    w = pd.Series(1.0, index=cols)
    if weights:
        unknown = [c for c in weights if c not in cols]
        if unknown:
            raise MethodError(f"{m}: weights name unknown characteristic(s) {labels(unknown)}")
        for c, v in weights.items():
            w[c] = float(v)
        if (w < 0).any() or not np.isfinite(w).all():
            raise MethodError(f"{m}: weights must be non-negative numbers")
    tgt = data.loc[target]
    missing = tgt.index[tgt.isna()]
    if len(missing):
        raise MethodError(
            f"{m}: the target {target!r} has no value for {labels(missing)}; fill it "
            "from a published figure or leave the characteristic out"
        )
    candidates = data.drop(index=target)
    complete = candidates.notna().all(axis=1)
    dropped = tuple(candidates.index[~complete])
    if dropped:
        log.info("%s: dropped %d candidate(s) with missing values", m, len(dropped))
    pool = pd.concat([data.loc[[target]], candidates[complete]])
    if len(pool) < 2:
        raise InsufficientData(
            f"{m}: no candidate has every characteristic (dropped {len(dropped)})"
        )
    sd = pool.std(ddof=1)
    flat = sd.index[~(sd > 0)]
    z = (pool - pool.mean()) / sd.where(sd > 0, 1.0)
    z[list(flat)] = 0.0
    notes = []
    if len(flat):
        notes.append(f"no spread in {labels(flat)}: ignored")
        log.info("%s: characteristic(s) %s have no spread", m, labels(flat))
    diff = z.drop(index=target) - z.loc[target]
    dist = np.sqrt((diff**2 * w).sum(axis=1))
    order = (
        pd.DataFrame({"distance": dist, "code": dist.index.astype(str)}, index=dist.index)
        .sort_values(["distance", "code"], kind="mergesort")
        .index
    )
    n_cand = len(dist)
    if n_cand < k:
        notes.append(f"only {n_cand} candidate(s) for k = {k}")
    chosen = order[:k]
    table = pd.DataFrame({"rank": np.arange(1, len(chosen) + 1), "distance": dist[chosen]})
    table = table.join(z.loc[chosen].add_prefix("z_"))
    table.index.name = "area"
    return Neighbours(
        target=target,
        table=table,
        dropped=dropped,
        n_candidates=n_cand,
        weights=w,
        standardised=z,
        note="; ".join(notes),
    )
