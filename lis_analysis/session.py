"""The working session behind ``import lis_analysis as lis``: which data, which areas.

``lis.load(raw=...)`` (or ``lis.use(raw=...)``) chooses the raw folders; ``lis.area``,
``lis.areas`` and ``lis.indicators`` then work on them without passing paths around.
Nothing here is needed by the pipeline, which passes everything explicitly.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import cast

import pandas as pd

from .geography import Area, Geography
from .workspace import Workspace, workspace

_state: dict[str, object] = {}


def use(
    raw: Sequence[str | Path] | str | Path | None = None, *, areas_file: str | Path | None = None
) -> Workspace:
    """Choose the raw folders (and an optional user areas YAML) for this session; ingest
    what changed. Returns the :class:`~lis_analysis.workspace.Workspace`."""
    ws = workspace(raw)
    report = ws.ingest()
    same = _state.get("ws") == ws and _state.get("areas_file") == areas_file and not report.changed
    if not same:  # keep what is already loaded (a kernel forked from a warm template)
        _state.clear()
        _state["ws"] = ws
        _state["areas_file"] = areas_file
    return ws


def current() -> Workspace:
    """The session's workspace (the default raw folders if none was chosen)."""
    if "ws" not in _state:
        use(None)
    return _state["ws"]  # type: ignore[return-value]


def observations() -> pd.DataFrame:
    """The session's tidy observations."""
    return current().observations()


def geography() -> Geography:
    """Every area the session's data knows (lookups + package and user YAML)."""
    if "geo" not in _state:
        ws = current()
        areas_file = cast("str | Path | None", _state.get("areas_file"))
        _state["geo"] = Geography.build(ws.lookups(), ws.observations(), areas_file=areas_file)
    return _state["geo"]  # type: ignore[return-value]


def area(code: str) -> Area:
    """The area with this code: an LEP, LSIP, ITL region, region, district or user area."""
    return geography().area(code)


def areas(level: str | None = None) -> pd.DataFrame:
    """A table of the areas known: code, name, level, districts, members, source."""
    return geography().table(level)


def indicator_table(area_or_code: Area | str, **kwargs) -> pd.DataFrame:
    """The indicator table for an area against its benchmarks (see ``lis.indicators``)."""
    from . import indicators

    a = area_or_code if isinstance(area_or_code, Area) else area(area_or_code)
    ws = current()
    return indicators.table(a, obs=ws.observations(), geo=geography(), **kwargs)
