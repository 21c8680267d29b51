"""The working session behind ``import lis_analysis as lis``: which data, which areas.

``lis.load(raw=...)`` makes those folders the session's data: ``lis.area``, ``lis.areas``,
``lis.indicators`` and the notebook page object (``lis.page``) then compute on them
without passing paths around. A later call with no ``raw`` keeps the session's folders;
only when no folder was ever given (and ``data/raw`` holds nothing) does the session use
the demonstrator, and then it says so once: its figures are synthetic.
Nothing here is needed by the pipeline, which passes everything explicitly.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pandas as pd

from .geography import Area, Geography
from .workspace import Workspace, workspace

if TYPE_CHECKING:
    from .indicators.engine import Context
    from .pages import Page, ResultCache

_state: dict[str, object] = {}
#: Printed once per session when the session's data is the synthetic demonstrator.
DEMO_NOTICE = (
    "lis: no published files were given or found in data/raw, so this session uses the "
    "synthetic demonstrator data: its figures are invented, not official statistics. "
    'Load published files with lis.load(raw=["path/to/files"]).'
)


def use(
    raw: Sequence[str | Path] | str | Path | None = None, *, areas_file: str | Path | None = None
) -> Workspace:
    """Choose the raw folders (and an optional user areas YAML) for this session; ingest
    what changed. Returns the :class:`~lis_analysis.workspace.Workspace`.

    With no ``raw`` the folders already chosen for the session are kept (so
    ``lis.page(area)`` after ``lis.load(raw=[...])`` computes on what was loaded);
    a session that never chose folders takes ``data/raw``, else the demonstrator.
    """
    chosen = _state.get("ws")
    if not raw and isinstance(chosen, Workspace):
        ws = chosen
        areas_file = areas_file if areas_file is not None else _state.get("areas_file")  # type: ignore[assignment]
    else:
        ws = workspace(raw)
    report = ws.ingest()
    same = _state.get("ws") == ws and _state.get("areas_file") == areas_file and not report.changed
    if not same:  # keep what is already loaded (a kernel forked from a warm template)
        announced = _state.get("announced")
        _state.clear()
        _state["ws"] = ws
        _state["areas_file"] = areas_file
        if announced:
            _state["announced"] = announced
    if ws.demo and not _state.get("announced"):
        _state["announced"] = True
        # Under ``lis run`` every exported page carries its own demonstrator banner.
        if not os.environ.get("LIS_RUN_RECORD"):
            print(DEMO_NOTICE, file=sys.stderr)
    return ws


def load(
    raw: Sequence[str | Path] | str | Path | None = None,
    *,
    areas_file: str | Path | None = None,
    quiet: bool = True,
) -> pd.DataFrame:
    """Make ``raw`` the session's data (ingesting whatever changed) and return its tidy
    observations.

    Parameters
    ----------
    raw : folders of published files; default: the session's folders, else ``data/raw``,
        else the demonstrator (and the session then says its figures are synthetic)
    areas_file : an optional YAML file of your own areas (see docs/areas.md)
    quiet : when False, print the ingest report (file, parser, rows, warnings)

    Returns
    -------
    pandas.DataFrame
        one row per published number (columns in ``lis_analysis.sources.TIDY_COLUMNS``).
    """
    ws = use(raw, areas_file=areas_file)
    if not quiet:
        print(ws.ingest().table())
    return observations()


def current() -> Workspace:
    """The session's workspace (the default raw folders if none was chosen)."""
    if "ws" not in _state:
        use(None)
    return _state["ws"]  # type: ignore[return-value]


def observations() -> pd.DataFrame:
    """The session's tidy observations (the store keeps them in memory until it changes)."""
    return current().observations()


def geography() -> Geography:
    """Every area the session's data knows (lookups + package and user YAML)."""
    if "geo" not in _state:
        ws = current()
        areas_file = cast("str | Path | None", _state.get("areas_file"))
        _state["geo"] = Geography.build(ws.lookups(), observations(), areas_file=areas_file)
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
    return indicators.table(a, obs=observations(), geo=geography(), **kwargs)


def context() -> Context:
    """The session's indicator context: its observations and areas, with the indicators
    computed so far (kept for the session, so pages and analyses share them)."""
    if "ctx" not in _state:
        from .indicators.engine import Context

        _state["ctx"] = Context(observations(), geography())
    return _state["ctx"]  # type: ignore[return-value]


def results() -> ResultCache:
    """The session's cache of the results every page shares (an area's indicator table
    and assessment). Under ``lis run`` with spawned kernels the pipeline names a folder
    for the run (``LIS_RESULT_CACHE``) so that kernels share them on disk."""
    if "results" not in _state:
        from .pages import ENV_FOLDER, ResultCache

        _state["results"] = ResultCache(os.environ.get(ENV_FOLDER) or None)
    return _state["results"]  # type: ignore[return-value]


def page(
    area: str | None = None,
    *,
    raw: Sequence[str] | None = None,
    params_file: str | None = None,
    areas_file: str | None = None,
    evidence: str | None = None,
) -> Page:
    """Open the evidence page of an area, as a notebook does.

    Validates the parameters, makes ``raw`` the session's data (ingesting what changed)
    and returns the :class:`~lis_analysis.pages.Page` whose methods show the page's
    parts and return what they showed. In JupyterLab on demonstrator data it first shows
    that the figures are synthetic.

    Parameters
    ----------
    area : the area code (default: the run parameters' area, Leicester and Leicestershire)
    raw : folders of published files (default: the session's, else ``data/raw``, else
        the demonstrator)
    params_file : run parameters YAML (years, benchmarks, neighbours, weights)
    areas_file : a YAML file of your own areas
    evidence : the call-for-evidence and consultation folder

    Returns
    -------
    Page

    Raises
    ------
    LisError
        one line, for an unknown area or bad parameters.
    """
    from .pages import Page

    return Page.open(**_page_parts(area, raw, params_file, areas_file, evidence))


def _page_parts(
    area: str | None,
    raw: Sequence[str] | None,
    params_file: str | None,
    areas_file: str | None,
    evidence: str | None,
) -> dict:
    """What a :class:`~lis_analysis.pages.Page` is built from, in this session."""
    from .config import evidence_folder, load_params

    params = load_params(
        params_file,
        **({"area": area} if area else {}),
        raw=list(raw) if raw else None,
        areas_file=areas_file,
        evidence=evidence,
    )
    ws = use(list(params.raw) or None, areas_file=params.areas_file)
    return {
        "area": geography().area(params.area),
        "params": params,
        "ctx": context(),
        "manifest": ws.manifest(),
        "demo": ws.demo,
        "cache": results(),
        "evidence_folder": evidence_folder(params.evidence, ws.raw_dirs, ws.paths),
    }


def warm_pages(raw: Sequence[str] = (), areas: Sequence[str] = ()) -> None:
    """Pipeline warm-up (``warm:`` in notebooks/pack.yaml): compute each area's indicator
    table and assessment in the kernel template, before it forks the notebooks' kernels,
    so that every kernel inherits them in the session's cache."""
    from .config import DEFAULT_AREA
    from .errors import LisError
    from .pages import Page

    for code in list(areas) or [DEFAULT_AREA]:
        try:
            pg = Page(**_page_parts(code, list(raw) or None, None, None, None))
        except LisError:
            continue  # the notebook reports it
        _ = (pg.table, pg.assessment)
