"""The economist's face of the LIS Evidence Suite: what ``import lis_analysis as lis`` gives.

One import gives everything a notebook or a JupyterLab session uses::

    import lis_analysis as lis
    obs = lis.load(raw=["../shared/data/public"])   # these folders are now the session's data
    ll = lis.area("E37000021")                      # an Area: code, name, member districts
    tab = lis.indicators(ll)                        # the indicator table against benchmarks
    lis.indicator_series("gva_per_hour", [ll])      # one indicator, any areas, every year
    lis.aggregate(ll, "ons_gva_industry_lad", "gva_current")  # a published measure for an area
    lis.registry()                                  # every indicator, as declared
    pg = lis.page("E37000021")                      # the page object the notebooks use
    lis.methods.location_quotients(...)             # every method, documented with numpydoc
    lis.charts.benchmark_bar(tab, "gva_per_hour")   # a figure that carries its own alt text

This module alone holds session state: one :class:`Session` (which folders of published
files, their observations, the areas, and the aggregator that keeps the measures'
indexes), reached with :func:`session` (``lis_analysis.api.session()``; the package's own
commands use it, analysts need not). Everything else in the package takes what it needs
as arguments. ``lis.load(raw=...)`` makes those folders the session's data, and
every later call computes on them; a session never given folders uses ``data/raw``,
else the synthetic demonstrator, and then says once that its figures are invented.

Every function here has an example that runs as a doctest in ``make test``, on the
demonstrator.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import RunParams, load_params
from .geography import Aggregator, Area, Geography
from .workspace import Workspace, workspace

if TYPE_CHECKING:
    import pandas as pd

    from .indicators.engine import Context
    from .pages import Page
    from .pages.cache import ResultCache

log = logging.getLogger(__name__)

__all__ = [
    "Area",
    "RunParams",
    "Session",
    "aggregate",
    "area",
    "areas",
    "indicator_series",
    "indicators",
    "load",
    "page",
    "registry",
    "session",
]  # the face (lis_analysis.__all__) is these less Session and session

#: Printed once per session when the session's data is the synthetic demonstrator.
DEMO_NOTICE = (
    "lis: no published files were given or found in data/raw, so this session uses the "
    "synthetic demonstrator data: its figures are invented, not official statistics. "
    'Load published files with lis.load(raw=["path/to/files"]).'
)


class Session:
    """The data a Python session computes on, and what it has learnt about it.

    One exists per process (:func:`session`). It holds the chosen raw folders (a
    :class:`~lis_analysis.workspace.Workspace`), the observations read from their store,
    the areas those know (a :class:`~lis_analysis.geography.Geography`) and the
    :class:`~lis_analysis.geography.Aggregator` that keeps the measures' indexes, so that
    a second table on the same data costs a fraction of the first. All of it is
    rebuilt when the folders change or the store is re-ingested.

    Attributes
    ----------
    areas_file : str or Path or None
        The user's areas YAML, if one was given.
    """

    def __init__(self) -> None:
        self._ws: Workspace | None = None
        self.areas_file: str | Path | None = None
        self._obs: pd.DataFrame | None = None
        self._geo: Geography | None = None
        self._aggregator: Aggregator | None = None
        self._context: Context | None = None
        self._results: ResultCache | None = None
        self._announced = False

    # ------------------------------------------------------------------ choosing data
    def use(
        self,
        raw: Sequence[str | Path] | str | Path | None = None,
        *,
        areas_file: str | Path | None = None,
    ) -> Workspace:
        """Choose the raw folders (and an optional areas YAML); ingest what changed.

        With no ``raw`` the folders already chosen are kept; a session that never chose
        any takes ``data/raw``, else the demonstrator (and says once that it does).

        Parameters
        ----------
        raw : folder or sequence of folders, optional
        areas_file : str or Path, optional

        Returns
        -------
        Workspace
        """
        if not raw and self._ws is not None:
            ws = self._ws
            areas_file = areas_file if areas_file is not None else self.areas_file
        else:
            ws = workspace(raw)
        report = ws.ingest()
        same = self._ws == ws and self.areas_file == areas_file and not report.changed
        if not same:  # keep what is already loaded (a kernel forked from a warm template)
            self._ws, self.areas_file = ws, areas_file
            self._obs = self._geo = self._aggregator = self._context = None
            self._results = None
        if ws.demo and not self._announced:
            self._announced = True
            # Under ``lis run`` every exported page carries its own demonstrator banner.
            if not os.environ.get("LIS_RUN_RECORD"):
                print(DEMO_NOTICE, file=sys.stderr)
        return ws

    def reset(self) -> None:
        """Forget the chosen folders and everything computed from them."""
        self.__init__()  # type: ignore[misc]

    @property
    def chosen(self) -> bool:
        """Whether folders have been chosen (by :meth:`use` or a first computation)."""
        return self._ws is not None

    # ------------------------------------------------------------------ what it holds
    @property
    def workspace(self) -> Workspace:
        """The chosen raw folders and their store (the default ones if none was chosen)."""
        if self._ws is None:
            self.use(None)
        assert self._ws is not None
        return self._ws

    @property
    def demo(self) -> bool:
        """Whether the session's data is the synthetic demonstrator."""
        return self.workspace.demo

    def observations(self) -> pd.DataFrame:
        """The tidy observations of the session's folders (read once, kept until they change)."""
        if self._obs is None:
            self._obs = self.workspace.observations()
        return self._obs

    @property
    def geography(self) -> Geography:
        """Every area the session's data knows (lookups, the package's and the user's YAML)."""
        if self._geo is None:
            obs = self.observations()
            self._geo = Geography.build(self.workspace.lookups(), obs, areas_file=self.areas_file)
        return self._geo

    @property
    def aggregator(self) -> Aggregator:
        """The one published-or-built aggregation path on the session's data, with the
        indexes it has built (shared by every computation of the session)."""
        if self._aggregator is None:
            geo = self.geography
            self._aggregator = Aggregator(self.observations(), geo)
        return self._aggregator

    def context(self) -> Context:
        """A new indicator-engine context on the session's aggregator."""
        from .indicators.engine import Context

        return Context.on(self.aggregator)

    def shared_context(self) -> Context:
        """The session's own indicator context: the indicators computed so far, kept for
        the session so that pages and analyses share them."""
        if self._context is None:
            self._context = self.context()
        return self._context

    def results(self) -> ResultCache:
        """The session's cache of the results every page shares (an area's indicator
        table and assessment). Under ``lis run`` with spawned kernels the run names a
        folder (``LIS_RESULT_CACHE``) so that its kernels share them on disk."""
        if self._results is None:
            from .pages.cache import ENV_FOLDER, ResultCache

            self._results = ResultCache(os.environ.get(ENV_FOLDER) or None)
        return self._results

    def area(self, code: str | Area) -> Area:
        """The area with this code (an :class:`Area` is returned as it is)."""
        return code if isinstance(code, Area) else self.geography.area(code)

    def __repr__(self) -> str:
        if self._ws is None:
            return "Session(no data chosen yet)"
        what = "demonstrator" if self._ws.demo else "published files"
        dirs = ", ".join(str(d) for d in self._ws.raw_dirs)
        return f"Session({what}: {dirs})"


_SESSION = Session()


def session() -> Session:
    """The session: which folders of published files this process computes on.

    Returns
    -------
    Session
        The one session of this process (its folders, observations, areas, aggregator).

    Examples
    --------
    >>> import lis_analysis as lis
    >>> from lis_analysis.api import session
    >>> obs = lis.load()                   # no folders given, data/raw empty: the demonstrator
    >>> session().demo
    True
    >>> session().workspace.raw_dirs[0].name
    'demo'
    """
    return _SESSION


# --------------------------------------------------------------------------------------
# Data and areas
# --------------------------------------------------------------------------------------


def load(
    raw: Sequence[str | Path] | str | Path | None = None,
    *,
    areas_file: str | Path | None = None,
    quiet: bool = True,
) -> pd.DataFrame:
    """Make ``raw`` the session's data (ingesting whatever changed) and return its
    tidy observations.

    Parameters
    ----------
    raw : folder or sequence of folders, optional
        Folders of published files, as published. Default: the session's folders; a
        session that never chose any takes ``data/raw``, else the demonstrator (and
        says once that its figures are synthetic).
    areas_file : str or Path, optional
        A YAML file of your own areas (see ``docs/areas.md``).
    quiet : bool, default True
        When False, print the ingest report (file, parser, rows, warnings).

    Returns
    -------
    pandas.DataFrame
        One row per published number (columns ``lis_analysis.sources.TIDY_COLUMNS``);
        a publisher's marker stays in ``status``, never a zero.

    Examples
    --------
    >>> import lis_analysis as lis
    >>> obs = lis.load()
    >>> obs[["dataset", "measure", "geography_code", "year", "value"]].columns.tolist()
    ['dataset', 'measure', 'geography_code', 'year', 'value']
    >>> bool(obs["demo"].all())            # every row is the demonstrator's
    True
    """
    s = _SESSION
    ws = s.use(raw, areas_file=areas_file)
    if not quiet:
        print(ws.ingest().table())
    return s.observations()


def area(code: str) -> Area:
    """The area with this code: an LEP, LSIP, ITL region, region, combined authority,
    district, the UK, England or one of your own areas.

    Parameters
    ----------
    code : str
        A GSS or ITL code (or a code from your areas YAML). ``lis.areas()`` lists them.

    Returns
    -------
    Area
        ``code``, ``name``, ``level``, ``members`` (district codes), ``region``.

    Raises
    ------
    lis_analysis.errors.ConfigError
        For an unknown code (one line, saying how to list the codes).

    Examples
    --------
    >>> import lis_analysis as lis
    >>> ll = lis.area("E37000021")
    >>> ll.name, ll.level, len(ll.members)
    ('Leicester and Leicestershire', 'lep', 8)
    >>> lis.area("E69000020").members == ll.members   # its LSIP: the same districts
    True
    """
    return _SESSION.geography.area(code)


def areas(level: str | None = None) -> pd.DataFrame:
    """The areas the session's data knows.

    Parameters
    ----------
    level : str, optional
        Only areas of this level: ``lad``, ``itl1``, ``itl2``, ``itl3``, ``region``,
        ``ca``, ``lsip``, ``lep``, ``country``, ``uk`` or ``custom``.

    Returns
    -------
    pandas.DataFrame
        One row per area: ``code, name, level, districts, members, member_names,
        region, source``.

    Examples
    --------
    >>> import lis_analysis as lis
    >>> lsips = lis.areas("lsip")
    >>> lsips.columns.tolist()[:4]
    ['code', 'name', 'level', 'districts']
    >>> "E69000020" in set(lsips["code"])
    True
    """
    return _SESSION.geography.table(level)


# --------------------------------------------------------------------------------------
# Indicators and measures
# --------------------------------------------------------------------------------------


def indicators(
    area: Area | str,
    *,
    indicators: Sequence[str] | None = None,
    benchmarks: Sequence[str] | str = "default",
    year: int | None = None,
    start_year: int | None = None,
    series: bool = False,
    neighbours_k: int = 5,
    characteristics: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The indicator table of an area against its benchmarks, on the session's data.

    One row per indicator and benchmark: the area's value in its latest year (up to
    ``year``), the benchmark's value for the same year, the index (benchmark = 100),
    the gap, whether the difference is statistically significant (where intervals
    exist), and the area's rank among its peers. Every value says how it was obtained
    (``method``), from which dataset and release.

    Parameters
    ----------
    area : Area or str
        The area, or its code.
    indicators : sequence of str, optional
        Indicator ids (default: every indicator in the registry, ``lis.registry()``).
    benchmarks : sequence of str or "default"
        Some of ``uk, england, region, peers, neighbours``; ``"default"`` is all five
        (peers' and statistical neighbours' medians).
    year : int, optional
        The latest year to use (default: the latest available).
    start_year : int, optional
        With ``series=True``, the first year to show.
    series : bool, default False
        Every year from ``start_year`` to ``year``, each against the benchmarks' values
        for that year, in the same long table.
    neighbours_k : int, default 5
        How many statistical neighbours to find.
    characteristics : sequence of str, optional
        The indicator ids neighbours are found on (default: those the registry flags).

    Returns
    -------
    pandas.DataFrame
        The DESIGN.md columns (``area_code, area_name, indicator_id, foundation,
        period, value, unit, ci_lower, ci_upper, benchmark_code, benchmark_value,
        index, gap, significant, rank, n_peers, polarity, source``) then
        ``indicator_name, group, benchmark_name, benchmark_kind, year, method, status,
        release, demo``. ``attrs["missing"]`` says why any indicator has no value.

    Examples
    --------
    >>> import lis_analysis as lis
    >>> tab = lis.indicators("E37000021", indicators=["gva_per_hour"], benchmarks=["uk"])
    >>> tab[["indicator_id", "benchmark_code", "group", "demo"]].values.tolist()
    [['gva_per_hour', 'K02000001', 'Productivity', True]]
    >>> row = tab.iloc[0]
    >>> bool(round(row["index"], 9) == round(100 * row["value"] / row["benchmark_value"], 9))
    True
    """
    from .indicators.engine import table

    s = _SESSION
    a = s.area(area)
    kinds = (
        ("uk", "england", "region", "peers", "neighbours")
        if benchmarks == "default"
        else tuple(benchmarks)
    )
    return table(
        a,
        obs=s.observations(),
        geo=s.geography,
        indicators=indicators,
        benchmarks=kinds,
        year=year,
        start_year=start_year,
        neighbours_k=neighbours_k,
        characteristics=characteristics,
        series=series,
        ctx=s.context(),
    )


def indicator_series(indicator: str, areas: Area | str | Sequence[Area | str]) -> pd.DataFrame:
    """One indicator for one or many areas, every year available (no benchmarks).

    Parameters
    ----------
    indicator : str
        An indicator id (``lis.registry()`` lists them).
    areas : Area, str or sequence of them
        Areas or their codes.

    Returns
    -------
    pandas.DataFrame
        ``area_code, year, period, value, ci_lower, ci_upper, status, method, source,
        release, demo, indicator_id``, by area then year.

    Examples
    --------
    >>> import lis_analysis as lis
    >>> s = lis.indicator_series("population", ["E37000021", "E06000016"])
    >>> sorted(s["area_code"].unique())
    ['E06000016', 'E37000021']
    >>> s.loc[s["area_code"] == "E37000021", "method"].iloc[-1]
    'sum of 8 districts'
    """
    s = _SESSION
    if isinstance(areas, (str, Area)):
        areas = [areas]
    return s.context().indicator(indicator, [s.area(a) for a in areas])


def registry(path: str | Path | None = None) -> pd.DataFrame:
    """Every indicator as declared in the registry (``data/indicators.yaml``).

    Parameters
    ----------
    path : str or Path, optional
        Another registry file in the same format (to check one before proposing it);
        default: the package's.

    Returns
    -------
    pandas.DataFrame
        One row per indicator: ``id, name, group, foundation, kind, unit, polarity,
        datasets, aggregation, caveat, origin``. ``group`` is headline productivity or
        one of the five Foundations of Productivity (``foundation``, empty for the
        headline).

    Examples
    --------
    >>> import lis_analysis as lis
    >>> reg = lis.registry()
    >>> sorted(reg["group"].unique())
    ['Business Environment', 'Ideas', 'Infrastructure', 'People', 'Places', 'Productivity']
    >>> reg.set_index("id").loc["gva_per_hour", ["unit", "polarity"]].tolist()
    ['£', 'higher']
    """
    from .indicators.registry import registry_table

    return registry_table(str(path) if path is not None else None)


def aggregate(
    areas: Area | str | Sequence[Area | str],
    dataset: str,
    measure: str,
    *,
    industries: Sequence[str] | None = None,
    breakdowns: Sequence[str] | None = None,
    prefer_published: bool = True,
) -> pd.DataFrame:
    """A published measure for one or many areas: the publisher's figure for the exact
    area where one is printed, else built from its districts by the measure's rule
    (summed, Σ numerator / Σ denominator, or a pooled survey rate), never from part of
    an area. The same path every indicator takes.

    Parameters
    ----------
    areas : Area, str or sequence of them
    dataset, measure : str
        The published measure (e.g. ``"ons_gva_industry_lad"``, ``"gva_current"``).
    industries, breakdowns : sequence of str, optional
        Only these (default: every industry and breakdown published).
    prefer_published : bool, default True
        False builds every area of several districts from its districts, even where the
        publisher prints its figure (to check one against the other).

    Returns
    -------
    pandas.DataFrame
        One row per area, industry, breakdown and period (``OUT_COLUMNS`` of
        :mod:`lis_analysis.geography`); ``method`` says how each value was obtained.

    Raises
    ------
    lis_analysis.errors.NotAggregable
        A median, index or rank asked for an area the publisher prints no figure for.
    lis_analysis.errors.DataNotAvailable
        The measure is not in the session's data.

    Examples
    --------
    >>> import lis_analysis as lis
    >>> pop = lis.aggregate("E37000021", "ons_population_la", "population")
    >>> pop["method"].iloc[-1], int(pop["n_present"].iloc[-1])
    ('sum of 8 districts', 8)
    """
    s = _SESSION
    if isinstance(areas, (str, Area)):
        which: Area | list[Area] = s.area(areas)
    else:
        which = [s.area(a) for a in areas]
    return s.aggregator.table(
        dataset,
        measure,
        which,
        industries=industries,
        breakdowns=breakdowns,
        prefer_published=prefer_published,
    )


# --------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------


def page(
    area: str | None = None,
    *,
    raw: Sequence[str] | None = None,
    params_file: str | None = None,
    areas_file: str | None = None,
    evidence: str | None = None,
    banner: bool = True,
) -> Page:
    """Open the page of an area: the object every notebook of the board pack calls
    (header, findings, charts, strengths and weaknesses, caveats, provenance).

    Parameters
    ----------
    area : str, optional
        The area's code; default: the run parameters' area (Leicester and Leicestershire).
    raw : sequence of str, optional
        Folders of published files; default: those of ``params_file``, else the
        session's (``lis.load``), else ``data/raw`` or the demonstrator.
    params_file : str, optional
        Run parameters YAML (years, benchmarks, neighbours ...); see
        :class:`RunParams`.
    areas_file : str, optional
        Your own areas YAML; default: the session's.
    evidence : str, optional
        Folder of call-for-evidence and consultation responses.
    banner : bool, default True
        In JupyterLab on demonstrator data, first show that the figures are synthetic
        (under ``lis run`` the exported pages carry their own banner).

    Returns
    -------
    Page
        The page object (:class:`lis_analysis.pages.Page`). Each of its methods shows
        its part and returns what it showed.

    Raises
    ------
    lis_analysis.errors.LisError
        One line, for an unknown area or bad parameters.

    Examples
    --------
    >>> import lis_analysis as lis
    >>> pg = lis.page("E37000021", banner=False)  # (the banner would show in JupyterLab)
    >>> pg.area.name, pg.demo
    ('Leicester and Leicestershire', True)
    """
    from .config import evidence_folder
    from .pages import Page

    s = _SESSION
    if not raw and s.chosen:
        from_file = load_params(params_file).raw if params_file else ()
        if not from_file:  # the session's folders, as lis.load chose them
            raw = [str(d) for d in s.workspace.raw_dirs]
    if areas_file is None and s.areas_file is not None:
        areas_file = str(s.areas_file)
    params = load_params(
        params_file,
        **({"area": area} if area else {}),
        raw=list(raw) if raw else None,
        areas_file=areas_file,
        evidence=evidence,
    )
    ws = s.use(list(params.raw) or None, areas_file=params.areas_file)
    return (Page.open if banner else Page)(
        s.area(params.area),
        params=params,
        ctx=s.shared_context(),
        manifest=ws.manifest(),
        demo=ws.demo,
        cache=s.results(),
        evidence_folder=evidence_folder(params.evidence, ws.raw_dirs, ws.paths),
    )


def __getattr__(name: str) -> Any:
    # ``lis.methods``, ``lis.charts`` and ``lis.analyses`` are modules of the face,
    # imported on first use
    modules = {"methods": "methods", "charts": "pages.charts", "analyses": "analyses"}
    if name in modules:
        import importlib

        return importlib.import_module(f"lis_analysis.{modules[name]}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
