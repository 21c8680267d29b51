"""A hand-made economy for the analysis tests: four districts, one area of two of them,
the UK as all four; observations written row by row in the tidy layout the parsers give."""

from __future__ import annotations

import pandas as pd

from lis_analysis.geography import Area, Geography
from lis_analysis.indicators.engine import Context
from lis_analysis.sources._base import tidy

D1, D2, D3, D4 = "E07000129", "E07000130", "E07000131", "E07000132"
UK = "K02000001"
X = Area("X00000001", "Two districts", "custom", (D1, D2))
NATION = Area(UK, "United Kingdom", "uk", (D1, D2, D3, D4))


def rows(dataset: str, measure: str, cells: dict, **kw) -> pd.DataFrame:
    """``cells``: {(code, year[, industry]): value} -> tidy observations."""
    keys = list(cells)
    return tidy(
        dataset=dataset,
        measure=measure,
        geography_code=[k[0] for k in keys],
        geography_name=[k[0] for k in keys],
        year=[k[1] for k in keys],
        period=[str(k[1]) for k in keys],
        industry=[k[2] if len(k) > 2 else "Total" for k in keys],
        value=[float(v) for v in cells.values()],
        **{"breakdown": "All", **kw},
    )


def make_context(*frames: pd.DataFrame) -> Context:
    obs = pd.concat(frames, ignore_index=True)
    names = {D1: "One", D2: "Two", D3: "Three", D4: "Four"}
    districts = {c: Area(c, n, "lad", (c,)) for c, n in names.items()}
    geo = Geography(
        areas_by_code={X.code: X, UK: NATION, **districts},
        names={**names, UK: "United Kingdom"},
    )
    return Context(obs, geo)
