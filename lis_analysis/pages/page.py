"""The page object a notebook uses: it arranges and displays, and returns what it showed.

A notebook opens the page of its area with the face (``pg = lis.page(area, raw=raw,
params_file=params_file)``) and calls its methods in the skeleton every evidence page
shares::

    pg.header("How productive is the area, and is the gap closing?")
    pg.sources("Productivity")
    pg.findings("Productivity")            # a sentence, a chart and a table per indicator
    pg.productivity_gap()                  # an analysis (lis_analysis.analyses)
    pg.strengths_and_weaknesses("Productivity")
    pg.caveats()                           # those of the indicators and analyses shown
    pg.provenance()
    pg.summary("Productivity", headline_indicator="gva_per_hour")

Each method *displays* a finished piece of the page and returns what it showed (the
rows of the indicator table, the analysis's frame, the sentences): in JupyterLab the
returned object does not display a second time in the same cell, and is an ordinary
DataFrame (or dict) afterwards. The numbers come from :mod:`lis_analysis.analyses`,
:mod:`lis_analysis.indicators` and :mod:`lis_analysis.priorities`; the sentences from
:mod:`.prose`; charts from :mod:`.charts`; tables from :func:`.tables.table`. What each
method reads is declared beside it (``@shows``), so that the pack can tell which
datasets a notebook reads (:mod:`.reads`) and the page which caveats apply.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from .. import analyses
from ..analyses.declared import analysis, caveat_ids_sorted, load_caveats
from ..config import RunParams
from ..errors import DataNotAvailable, LisError
from ..geography import LEVEL_LABELS, UK, Area
from ..indicators.engine import Context
from ..indicators.registry import Indicator
from ..methods import InsufficientData, MethodError
from ..safetext import escape_markdown
from . import charts, prose
from .cache import ResultCache
from .reads import MethodReads
from .tables import quotes_table, table

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

#: Set by the pipeline in every kernel it runs (see lis_analysis.notebook).
_ENV_RUN_RECORD = "LIS_RUN_RECORD"


# --------------------------------------------------------------------------------------
# What a method returns: shown once
# --------------------------------------------------------------------------------------


def _execution_count() -> int | None:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return None
    ip = get_ipython()
    return None if ip is None else int(ip.execution_count)


class ShownFrame(pd.DataFrame):
    """A DataFrame a page method has already displayed: it does not display again as the
    value of the cell that made it; anything derived from it is a plain DataFrame."""

    _metadata = ["_lis_cell"]

    @property
    def _constructor(self) -> type[pd.DataFrame]:
        return pd.DataFrame

    def _ipython_display_(self) -> None:
        if getattr(self, "_lis_cell", None) == _execution_count():
            return  # the page has just shown it
        from IPython.display import display

        display(pd.DataFrame(self))


class ShownDict(dict):
    """A dict a page method has already displayed (see :class:`ShownFrame`)."""

    _lis_cell: int | None = None

    def _ipython_display_(self) -> None:
        if self._lis_cell == _execution_count():
            return
        from IPython.display import display

        display(dict(self))


def _shown(value: Any) -> Any:
    """``value`` marked as shown in this cell (DataFrames and dicts; others as they are)."""
    if isinstance(value, pd.DataFrame) and not isinstance(value, ShownFrame):
        out = ShownFrame(value)
        out.attrs = dict(value.attrs)
        object.__setattr__(out, "_lis_cell", _execution_count())
        return out
    if isinstance(value, dict) and not isinstance(value, ShownDict):
        d = ShownDict(value)
        d._lis_cell = _execution_count()
        return d
    return value


def shows(
    analysis: str | None = None,
    *,
    indicators: Sequence[str] = (),
    given: str | None = None,
    foundation: str | None = None,
    all_when_none: bool = False,
    with_index: bool = False,
) -> Callable[[F], F]:
    """Mark a method that displays part of the page.

    The wrapped method records what it showed (``page.results[<method>]``, the analysis
    for the caveats) and returns it marked as shown. The arguments say what it reads, in
    terms of its own parameters (:class:`~lis_analysis.pages.reads.MethodReads`).
    """
    spec = MethodReads(
        analysis=analysis,
        indicators=tuple(indicators),
        given=given,
        foundation=foundation,
        all_when_none=all_when_none,
        with_index=with_index,
    )

    def decorate(method: F) -> F:
        @functools.wraps(method)
        def wrapper(self: Page, *args: Any, **kwargs: Any) -> Any:
            if spec.analysis:
                self.analyses_shown.append(spec.analysis)
            result = method(self, *args, **kwargs)
            self.results[method.__name__] = result
            return _shown(result)

        wrapper.reads = spec  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def _show(*objs: Any) -> None:
    from IPython.display import display

    for o in objs:
        if o is not None:
            display(o)


def _md(text: str) -> Any:
    from IPython.display import Markdown

    return Markdown(text)


def _say(sentence: str) -> None:
    """Display a plain-text sentence exactly as written (Markdown punctuation escaped)."""
    _show(_md(escape_markdown(sentence)))


# --------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------


class Page:
    """The evidence page of one area: its data, indicator table and assessment, and the
    methods that show them.

    Open it with ``lis.page(area, ...)``; build one directly for tests or other data.

    Parameters
    ----------
    area : the area
    params : the validated run parameters
    ctx : the indicator context (observations and geography)
    manifest : the store's manifest (the files read, their publishers and releases)
    demo : whether the data is the synthetic demonstrator
    cache : where the indicator table and assessment are kept (default: this page only)
    evidence_folder : the call-for-evidence and consultation folder
    """

    def __init__(
        self,
        area: Area,
        *,
        params: RunParams,
        ctx: Context,
        manifest: Mapping[str, Any] | None = None,
        demo: bool = False,
        cache: ResultCache | None = None,
        evidence_folder: str | Path | None = None,
    ) -> None:
        self.area = area
        self.params = params
        self.ctx = ctx
        self.manifest = dict(manifest or {})
        self.demo = demo
        self.cache = cache if cache is not None else ResultCache()
        self.evidence_folder = Path(evidence_folder) if evidence_folder else None
        #: indicator ids shown as findings, in order (their caveats are the page's)
        self.indicators_shown: list[str] = []
        #: analyses shown (names in data/analyses.yaml), in order
        self.analyses_shown: list[str] = []
        #: what each method showed, by method name (for analysts)
        self.results: dict[str, Any] = {}
        #: indicator ids whose strengths and weaknesses the page showed
        self.indicators_assessed: list[str] = []
        self._lead: str | None = None

    @classmethod
    def open(cls, area: Area, **kwargs: Any) -> Page:
        """A :class:`Page`; in JupyterLab on demonstrator data it shows the warning first."""
        page = cls(area, **kwargs)
        if page.demo and not os.environ.get(_ENV_RUN_RECORD):
            # under lis run the exported pages carry their own banner, on every page
            _show(_md(prose.demo_banner_md()))
        return page

    def __repr__(self) -> str:
        return f"<Page {self.area.code} {self.area.name}{' (demonstrator)' if self.demo else ''}>"

    # ------------------------------------------------------------------ computed once
    @property
    def geo(self):
        return self.ctx.geo

    @property
    def registry(self) -> dict[str, Indicator]:
        return self.ctx.registry

    def _cache_parts(self) -> dict[str, Any]:
        """What the table and assessment depend on: the input files, the area, the
        parameters (not the evidence folder)."""
        files = sorted(
            str(f.get("content_sha256") or f.get("sha256", ""))
            for f in self.manifest.get("files", [])
        )
        return {
            "files": files,
            "area": [self.area.code, list(self.area.members)],
            "params": {k: v for k, v in self.params.to_dict().items() if k != "evidence"},
        }

    @property
    def table(self) -> pd.DataFrame:
        """The indicator table (DESIGN.md columns) against UK, England, region, peers and
        statistical neighbours."""
        from ..indicators.engine import table

        return self.cache.get(
            "table",
            self._cache_parts(),
            lambda: table(
                self.area,
                obs=self.ctx.obs,
                geo=self.geo,
                benchmarks=self.params.benchmarks,
                year=self.params.end_year,
                neighbours_k=self.params.neighbours,
                characteristics=self.params.neighbour_characteristics,
                ctx=self.ctx,
            ),
        )

    @property
    def assessment(self) -> pd.DataFrame:
        """Strength / weakness / neutral for each indicator (:func:`lis_analysis.priorities.assess`)."""
        from ..priorities import assess

        return self.cache.get(
            "assessment",
            self._cache_parts(),
            lambda: assess(
                self.area, obs=self.ctx.obs, geo=self.geo, table=self.table, ctx=self.ctx
            ),
        )

    @cached_property
    def region(self) -> Area | None:
        r = self.area.region
        return self.geo.area(r) if r and r in self.geo else None

    def indicators_of(self, foundation: str) -> list[str]:
        """Indicator ids of a foundation, in registry order."""
        return [i.id for i in self.registry.values() if i.foundation == foundation]

    def peer_word(self) -> str:
        """What the peers are called: 'LSIP areas', 'ITL3 regions' ..."""
        peers = self.table.attrs.get("peers", [])
        if not peers:
            return "areas"
        level = self.geo.area(peers[0]).level
        label = LEVEL_LABELS.get(level, level)
        return label if label.endswith("s") else label + "s"

    def _rows(self, indicator_id: str) -> pd.DataFrame:
        return self.table[self.table["indicator_id"] == indicator_id]

    # ------------------------------------------------------------------ opening
    @shows()
    def header(self, question: str) -> dict[str, Any]:
        """The question the page answers, the area and its districts, and the data status."""
        releases = sorted(
            {f.get("release", "") for f in self.manifest.get("files", []) if f.get("release")}
        )
        shown = {
            "question": question,
            "area_name": self.area.name,
            "area_code": self.area.code,
            "district_names": [self.geo.name(m) for m in self.area.members],
            "region_name": self.region.name if self.region else None,
            "n_peers": len(self.table.attrs.get("peers", [])),
            "peer_word": self.peer_word(),
            "demo": self.demo,
            "releases": releases,
        }
        _show(_md(prose.header_md(**shown)))
        return shown

    def _datasets_of(self, ids: Iterable[str]) -> set[str]:
        from .reads import indicator_datasets

        return indicator_datasets(ids)

    @shows()
    def sources(
        self, foundation: str | None = None, datasets: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """A table of the published files behind the page: publisher, title, files,
        release, figures read; those of a foundation's indicators, or of ``datasets``,
        or every file."""
        wanted: set[str] | None = None
        if datasets is not None:
            wanted = set(datasets)
        elif foundation is not None:
            wanted = self._datasets_of(self.indicators_of(foundation))
        groups: dict[tuple[str, str], list[dict]] = {}
        for f in self.manifest.get("files", []):
            if f.get("kind") != "observations":
                continue
            if wanted is not None and not wanted & set(f.get("datasets", [])):
                continue
            groups.setdefault((f.get("publisher", ""), f.get("title", "")), []).append(f)
        df = pd.DataFrame(
            [
                {
                    "Publisher": pub,
                    "Table": title,
                    "Files": "; ".join(sorted(x["name"] for x in fs))
                    if len(fs) <= 2
                    else f"{len(fs)} files (listed under Provenance)",
                    "Release": ", ".join(sorted({x.get("release") or "not stated" for x in fs})),
                    "Figures read": sum(int(x.get("rows", 0)) for x in fs),
                }
                for (pub, title), fs in groups.items()
            ],
            columns=["Publisher", "Table", "Files", "Release", "Figures read"],
        )
        note = prose.DEMO_SOURCES_NOTE if self.demo else None
        _show(
            table(
                df, "Published files read for this page", notes=note, decimals={"Figures read": 0}
            )
        )
        return df

    # ------------------------------------------------------------------ sentences
    def sentence(self, indicator_id: str) -> str:
        """One sentence about an indicator, written from the numbers (not displayed)."""
        ind = self.registry[indicator_id]
        rows = self._rows(indicator_id)
        if rows.empty:
            return self.missing_reason(indicator_id)
        r = rows.iloc[0]
        uk = rows[rows["benchmark_kind"] == "uk"]
        compared = (
            len(uk)
            and pd.notna(uk.iloc[0]["benchmark_value"])
            and ind.kind
            not in (
                "spread",
                "specialisation",
            )
        )
        sig = uk.iloc[0]["significant"] if compared else None
        ranked = pd.notna(r["rank"]) and r["n_peers"] and ind.polarity != "neutral"
        a = self.assessment.set_index("indicator_id")
        return prose.indicator_sentence(
            name=ind.name,
            area_name=self.area.name,
            value=r["value"],
            unit=ind.unit,
            period=r["period"],
            decimals=ind.decimals,
            uk_value=float(uk.iloc[0]["benchmark_value"]) if compared else None,
            significant=None if sig is None or pd.isna(sig) else bool(sig),
            rank=int(r["rank"]) if ranked else None,
            n_areas=int(r["n_peers"]) + 1 if ranked else None,
            peer_word=self.peer_word(),
            trend=str(a.loc[indicator_id, "trend"]) if indicator_id in a.index else None,
        )

    def short(self, indicator_id: str) -> str:
        """'Employment rate (16-64): 70.8% in 2023, 3.6 percentage points below the UK.'"""
        ind = self.registry[indicator_id]
        rows = self._rows(indicator_id)
        if rows.empty:
            return prose.not_available_sentence(ind.name, self.area.name)
        r = rows.iloc[0]
        uk = rows[rows["benchmark_kind"] == "uk"]
        compared = (
            len(uk)
            and pd.notna(uk.iloc[0]["benchmark_value"])
            and ind.kind
            not in (
                "spread",
                "specialisation",
            )
        )
        return prose.short_sentence(
            name=ind.name,
            value=r["value"],
            unit=ind.unit,
            period=r["period"],
            uk_value=float(uk.iloc[0]["benchmark_value"]) if compared else None,
        )

    def missing_reason(self, indicator_id: str) -> str:
        """Why the indicator is not shown for the area (the engine's reason)."""
        why = self.table.attrs.get("missing", {}).get(indicator_id, "no data")
        return prose.missing_sentence(self.registry[indicator_id].name, self.area.name, why)

    def series(self, indicator_id: str, areas: Sequence[Area] | None = None) -> pd.DataFrame:
        """The indicator over time for the area, the UK and its region, in the years of
        the run parameters (:func:`lis_analysis.analyses.indicator_series`)."""
        return analyses.indicator_series(
            self.area,
            self.ctx,
            indicator_id,
            areas=areas,
            start_year=self.params.start_year,
            end_year=self.params.end_year,
        )

    def dataset_label(self, dataset: str) -> str:
        """'ONS, Regional GVA (balanced) by industry ... (release 2025-04-17)' for a dataset id."""
        files = [f for f in self.manifest.get("files", []) if dataset in f.get("datasets", [])]
        if not files:
            return dataset
        f = files[0]
        rel = sorted({x.get("release", "") for x in files if x.get("release")})
        pub = f.get("publisher", "").replace("Office for National Statistics", "ONS")
        return f"{pub}, {f.get('title', dataset)}" + (
            f" (release {', '.join(rel)})" if rel and not self.demo else ""
        )

    def _source_line(self, rows: pd.DataFrame) -> str:
        if rows.empty:
            return ""
        parts = [
            p.strip() for p in str(rows.iloc[0]["source"]).replace(",", "/").split("/") if p.strip()
        ]
        text = "; ".join(self.dataset_label(p) for p in dict.fromkeys(parts))
        return text + (" (synthetic demonstrator data)" if self.demo else "")

    # ------------------------------------------------------------------ findings
    @shows("findings", indicators=("indicator_id",))
    def finding(
        self, indicator_id: str, *, trend: bool = True, districts: bool = True
    ) -> pd.DataFrame:
        """One indicator: heading, sentence, chart against benchmarks, trend chart, table
        and method; for an indicator the area cannot have, the reason and the districts'
        own figures. Returns the indicator's rows of the table."""
        ind = self.registry[indicator_id]
        rows = self._rows(indicator_id)
        _show(_md(f"### {escape_markdown(ind.name)}"))
        _say(self.sentence(indicator_id))
        self.indicators_shown.append(indicator_id)
        source = self._source_line(rows)
        if rows.empty:
            if districts and len(self.area.members) > 1:
                self.districts(indicator_id)
            return rows
        labelled = rows.assign(period=[prose.period_label(p) for p in rows["period"]])
        _show(
            charts.benchmark_bar(
                labelled, indicator_id, area=self.area.code, indicator_name=ind.name, source=source
            )
        )
        # Trends for indicators that say how well the area does (not for sizes such as hours
        # or population, or for structure and spread measures, whose tables say enough).
        if (
            trend
            and not (ind.polarity == "neutral" and ind.id != "gva_total")
            and ind.kind not in ("spread", "specialisation")
        ):
            s = self.series(indicator_id)
            own = s[s["area_code"] == self.area.code]
            if own["year"].nunique() >= 3:
                _show(
                    charts.trend(
                        s,
                        area=self.area.name,
                        indicator_name=ind.name,
                        unit=ind.unit,
                        source=source,
                    )
                )
        show = pd.DataFrame(
            {
                "Compared with": rows["benchmark_name"],
                "Area value": rows["value"],
                "Benchmark value": rows["benchmark_value"],
                "Index (benchmark = 100)": rows["index"],
                "Gap": rows["gap"],
                "Significant": rows["significant"]
                .map({True: "yes", False: "no"})
                .fillna("no interval"),
            }
        )
        r0 = rows.iloc[0]
        notes = [prose.method_note(r0["method"])]
        if pd.notna(r0["ci_lower"]):
            notes.append(
                prose.interval_note(
                    self.area.name,
                    r0["ci_lower"],
                    r0["ci_upper"],
                    ind.unit,
                    approximate="approximate" in str(r0["status"] or ""),
                )
            )
        if ind.caveat:
            notes.append(ind.caveat)
        _show(
            table(
                show,
                f"{ind.name} ({ind.unit}), {self.area.name}, {prose.period_label(r0['period'])}, against benchmarks",
                decimals={
                    "Area value": ind.decimals,
                    "Benchmark value": ind.decimals,
                    "Index (benchmark = 100)": 1,
                    "Gap": ind.decimals,
                },
                notes=notes,
            )
        )
        return rows

    @shows("findings", given="indicators", foundation="foundation")
    def findings(self, foundation: str, indicators: Iterable[str] | None = None) -> pd.DataFrame:
        """:meth:`finding` for every indicator of a foundation (or the given ids); returns
        their rows of the table."""
        ids = list(indicators) if indicators else self.indicators_of(foundation)
        parts = [self.finding(iid) for iid in ids]
        parts = [pd.DataFrame(p) for p in parts if len(p)]
        return pd.concat(parts, ignore_index=True) if parts else self.table.iloc[0:0]

    @shows("districts", indicators=("indicator_id",))
    def districts(self, indicator_id: str) -> pd.DataFrame:
        """The indicator for each of the area's districts (latest year each), as a table:
        what a reader can use where the area's own figure cannot be built."""
        ind = self.registry[indicator_id]
        last = analyses.district_values(self.area, self.ctx, indicator_id)
        if last.empty:
            _say(prose.no_district_figures(ind.name))
            return last
        tab = pd.DataFrame(
            {
                "District": last["area_name"],
                "Period": [prose.period_label(p) for p in last["period"]],
                ind.name: last["value"],
            }
        ).sort_values(ind.name, ascending=ind.polarity == "lower")
        notes = [prose.not_combined_note(ind.name, self.area.name, ind.aggregation)]
        uk = (
            analyses.latest_values(self.ctx, indicator_id, [self.geo.area(UK)])
            if UK in self.geo
            else pd.DataFrame()
        )
        if len(uk):
            notes.append(prose.uk_note(uk.iloc[0]["value"], ind.unit, uk.iloc[0]["period"]))
        _show(
            table(
                tab,
                f"{ind.name} ({ind.unit}) in each district of {self.area.name}",
                decimals={ind.name: ind.decimals},
                notes=notes,
            )
        )
        return last

    @shows("district_profile", indicators=("indicators",))
    def district_profile(self, indicators: Sequence[str]) -> pd.DataFrame:
        """One row per district of the area: the latest value of each indicator."""
        df = analyses.district_profile(self.area, self.ctx, indicators)
        _show(
            table(
                df.reset_index(drop=True),
                f"Districts of {self.area.name}: latest value of each indicator",
                decimals=1,
            )
        )
        return df

    # ------------------------------------------------------------------ assessment
    @shows("strengths_and_weaknesses", foundation="foundation", all_when_none=True)
    def strengths_and_weaknesses(self, foundation: str | None = None) -> pd.DataFrame:
        """The classification of each indicator (optionally one foundation): a chart with
        the labels written in words, and a table with the reasons."""
        a = self.assessment
        if foundation:
            a = a[a["foundation"] == foundation]
        self.indicators_assessed += list(a["indicator_id"])
        scored = a[a["z"].notna()]
        if len(scored):
            _show(
                charts.strengths_chart(
                    scored.assign(area_name=self.area.name),
                    area_name=self.area.name,
                    title=f"Position among {self.peer_word()}: {foundation or 'all indicators'}",
                    source="Robust z-scores among peers; positive = better (see docs/methods.md)",
                )
            )
        tab = pd.DataFrame(
            {
                "Indicator": a["indicator_name"],
                "Assessment": a["classification"].str.capitalize(),
                "Why": a["reason"].str.replace(r"^(strength|weakness|neutral): ", "", regex=True),
                "Direction of travel": a["trend"].replace({"unknown": "too few years to tell"}),
            }
        )
        _show(
            table(
                tab,
                f"Strengths and weaknesses of {self.area.name}{': ' + foundation if foundation else ''}",
            )
        )
        return a

    @shows(indicators=("headline_indicator",), foundation="foundation")
    def summary(
        self, foundation: str | None = None, headline_indicator: str | None = None
    ) -> dict[str, Any]:
        """Report the page's headline and its strengths and weaknesses to the pipeline for
        the pack's index (:func:`lis_analysis.notebook.summary`); shows nothing.

        The headline is the sentence of ``headline_indicator``; else the lead sentence of
        the first analysis the page showed; else the first indicator of ``foundation``.
        The strengths and weaknesses are those of ``foundation``, or, without one, of the
        indicators the page assessed or showed.
        """
        from ..notebook import summary as report

        a = self.assessment
        if foundation:
            a = a[a["foundation"] == foundation]
        else:
            shown = set(self.indicators_assessed) | set(self.indicators_shown)
            a = a[a["indicator_id"].isin(shown)]
        if headline_indicator:
            headline = self.sentence(headline_indicator)
        elif self._lead:
            headline = self._lead
        elif foundation and len(a):
            headline = self.sentence(a["indicator_id"].iloc[0])
        else:
            headline = prose.no_indicator(self.area.name)
        out: dict[str, Any] = {
            "headline": headline,
            "strengths": [
                self.short(r.indicator_id) for r in a.itertuples() if r.classification == "strength"
            ],
            "weaknesses": [
                self.short(r.indicator_id) for r in a.itertuples() if r.classification == "weakness"
            ],
            "neutral": [],
        }
        if len(a) and not out["strengths"] and not out["weaknesses"]:
            out["neutral"] = [prose.nothing_stands_out(foundation)]
        report(**out)
        return out

    def _lead_sentence(self, text: str) -> None:
        """Show an analysis's first sentence and keep the page's first as its headline."""
        if self._lead is None:
            self._lead = text
        _say(text)

    # ------------------------------------------------------------------ analyses
    def _not_computed(self, name: str, exc: Exception) -> None:
        _say(prose.not_computed(analysis(name).title, str(exc)))

    @shows("productivity_gap")
    def productivity_gap(self) -> pd.DataFrame | None:
        """The £ per hour gap to the UK and the output a year that closing it would add."""
        try:
            gap = analyses.productivity_gap(self.area, self.ctx)
        except DataNotAvailable as exc:
            self._not_computed("productivity_gap", exc)
            return None
        g = gap.iloc[0]
        _say(
            prose.productivity_gap_sentence(
                year=int(g["year"]),
                area_name=self.area.name,
                benchmark_name=g["benchmark_name"],
                productivity=g["productivity"],
                benchmark_productivity=g["benchmark_productivity"],
                annual_hours=g["annual_hours"],
                output_to_close=g["output_to_close"],
                closed=bool(g["closed"]),
            )
        )
        return gap

    @shows("gva_per_head_decomposition")
    def gva_per_head_decomposition(self) -> pd.DataFrame | None:
        """GVA per head against the UK as productivity × hours per job × jobs per employed
        resident × employment rate × working-age share: a sentence, a waterfall of the
        log contributions and a table of the ratios."""
        try:
            dec = analyses.gva_per_head_decomposition(self.area, self.ctx)
        except DataNotAvailable as exc:
            self._not_computed("gva_per_head_decomposition", exc)
            return None
        y, bname = dec.attrs["year"], dec.attrs["benchmark_name"]
        parts = dec[dec["factor"] != "gva_per_head"]
        total = dec[dec["factor"] == "gva_per_head"].iloc[0]
        _say(
            prose.decomposition_sentence(
                year=y,
                area_name=self.area.name,
                benchmark_name=bname,
                relative=total["relative"],
                largest=parts.loc[parts["log_contribution"].abs().idxmax(), "label"],
            )
        )
        _show(
            charts.waterfall(
                pd.DataFrame(
                    {"component": parts["label"], "contribution": 100 * parts["log_contribution"]}
                ),
                title=f"Gap in GVA per head to {bname}, {y}: contributions",
                unit="log points × 100",
                total_label="GVA per head",
                source="GVA by industry, productivity hours and jobs, APS employment rate, population (approximate where vintages differ)",
            )
        )
        tab = parts[["label", "area", "benchmark", "relative"]].rename(
            columns={
                "label": "Factor",
                "area": self.area.name,
                "benchmark": "UK" if dec.attrs["benchmark_code"] == UK else bname,
                "relative": "Ratio (area ÷ benchmark)",
            }
        )
        _show(
            table(
                tab,
                f"GVA per head decomposition, {y}",
                decimals=3,
                notes=prose.DECOMPOSITION_NOTE,
            )
        )
        return dec

    @shows("trend_and_convergence", indicators=("indicator_id",), with_index=True)
    def trend_and_convergence(self, indicator_id: str = "gva_per_hour") -> dict[str, Any]:
        """Is the gap to the UK closing (trend of the index with Newey-West intervals), and
        are the peer areas converging (β and σ convergence)?"""
        ind = self.registry[indicator_id]
        out: dict[str, Any] = {}
        try:
            series, t = analyses.gap_trend(
                self.area,
                self.ctx,
                indicator_id,
                start_year=self.params.start_year,
                end_year=self.params.end_year,
            )
            own = series[series["area_code"] == self.area.code]
            out["series"], out["trend"] = series, t
            _say(
                prose.gap_trend_sentence(
                    start=int(own["year"].min()),
                    end=int(own["year"].max()),
                    area_name=self.area.name,
                    indicator_name=ind.name,
                    slope=t.slope,
                    ci_lower=t.ci_lower,
                    ci_upper=t.ci_upper,
                    significant=t.significant,
                )
            )
            _show(
                charts.trend(
                    series,
                    area=self.area.name,
                    indicator_name=f"{ind.name} (UK = 100)",
                    unit="UK = 100",
                    source="ONS subregional productivity",
                )
            )
        except InsufficientData as exc:
            _say(prose.no_trend(str(exc)))
        peers = [self.geo.area(c) for c in self.table.attrs.get("peers", [])]
        try:
            conv = analyses.convergence(self.area, self.ctx, indicator_id, peers)
        except InsufficientData as exc:
            _say(prose.no_convergence(str(exc)))
            conv = None
        if conv is not None:
            levels, b, sg = conv
            out["beta"], out["sigma"] = b, sg
            _say(
                prose.convergence_sentence(
                    n_areas=levels.shape[0],
                    peer_word=self.peer_word(),
                    start=int(levels.columns.min()),
                    end=int(levels.columns.max()),
                    interpretation=b.interpretation,
                    indicator_name=ind.name,
                    converging=sg.converging,
                    sd_start=float(sg.by_year["sd_log"].iloc[0]),
                    sd_end=float(sg.by_year["sd_log"].iloc[-1]),
                )
            )
        return out

    @shows("industry_structure")
    def industry_structure(self) -> pd.DataFrame | None:
        """Location quotients of GVA by section against the UK (or England), with sector size."""
        try:
            lq = analyses.industry_structure(self.area, self.ctx)
        except DataNotAvailable as exc:
            self._not_computed("industry_structure", exc)
            return None
        y, b, bname = lq.attrs["year"], lq.attrs["benchmark"], lq.attrs["benchmark_name"]
        if b.code.endswith("-complete"):
            _say(prose.industry_benchmark_note(b.name))
        top = lq.sort_values("lq", ascending=False).head(3)
        self._lead_sentence(
            prose.specialisation_sentence(
                year=y,
                area_name=self.area.name,
                benchmark_name=bname,
                top=[(r.industry_name, r.lq, r.area_share) for r in top.itertuples()],
            )
        )
        _show(
            charts.lq_bar(
                lq.assign(industry=lq["industry_name"], area_name=self.area.name, period=y),
                area_name=self.area.name,
                comparator=bname.replace("the ", "").split(" (")[0],
                title=f"Location quotients of GVA by industry, {self.area.name}, {y}",
                source="ONS regional GVA (balanced) by industry, current prices",
            )
        )
        tab = pd.DataFrame(
            {
                "Industry": lq["industry_name"],
                "GVA (£m)": lq["area_value"],
                "Share of area GVA (%)": lq["area_share"] * 100,
                f"Share of {bname} GVA (%)": lq["benchmark_share"] * 100,
                "Location quotient": lq["lq"],
            }
        )
        _show(
            table(
                tab.sort_values("Location quotient", ascending=False),
                f"GVA by industry and location quotients, {self.area.name}, {y}",
                decimals={"GVA (£m)": 0, "Location quotient": 2},
            )
        )
        return lq

    @shows("shift_share")
    def shift_share(self, years: int = 10) -> pd.DataFrame | None:
        """Shift-share of real GVA growth by section over ``years`` years: national growth,
        industry mix and the area's own (competitive) effect."""
        try:
            ss = analyses.shift_share(self.area, self.ctx, years=years)
        except (DataNotAvailable, MethodError) as exc:
            self._not_computed("shift_share", exc)
            return None
        tot, bname = ss.loc["Total"], ss.attrs["benchmark_name"]
        start, end = ss.attrs["start"], ss.attrs["end"]
        self._lead_sentence(
            prose.shift_share_sentence(
                area_name=self.area.name,
                start=start,
                end=end,
                benchmark_name=bname,
                actual=tot["actual_change"],
                national=tot["national_share"],
                mix=tot["industry_mix"],
                competitive=tot["competitive"],
            )
        )
        _show(
            charts.waterfall(
                pd.DataFrame(
                    {
                        "component": [
                            f"{bname.capitalize()} growth",
                            "Industry mix",
                            "Local (competitive) effect",
                        ],
                        "contribution": [
                            tot["national_share"],
                            tot["industry_mix"],
                            tot["competitive"],
                        ],
                    }
                ),
                title=f"Shift-share of real GVA change, {self.area.name}, {start}-{end}",
                unit="£m",
                total_label="Actual change",
                source="ONS regional GVA by industry, chained volume measures",
                decimals=0,
            )
        )
        body = ss.drop(index="Total")
        tab = pd.DataFrame(
            {
                "Industry": body["industry_name"],
                "Actual change (£m)": body["actual_change"],
                f"{bname.capitalize()} growth (£m)": body["national_share"],
                "Industry mix (£m)": body["industry_mix"],
                "Competitive (£m)": body["competitive"],
            }
        ).reset_index(drop=True)
        _show(
            table(
                tab,
                f"Shift-share by industry, {start}-{end} (chained volume £m)",
                decimals=0,
                notes=prose.SHIFT_SHARE_NOTE,
            )
        )
        return ss

    @shows("sector_productivity")
    def sector_productivity(self) -> pd.DataFrame | None:
        """The productivity gap split into industry mix, within-industry and interaction,
        and the industry-mix-adjusted index, from GVA and BRES employment by section."""
        try:
            dec = analyses.sector_productivity(self.area, self.ctx)
        except (DataNotAvailable, MethodError) as exc:
            self._not_computed("sector_productivity", exc)
            return None
        d = dec.iloc[0]
        bname = d["benchmark_name"]
        self._lead_sentence(
            prose.sector_productivity_sentence(
                area_name=self.area.name,
                year=int(d["year"]),
                benchmark_name=bname,
                gap=d["gap"],
                mix=d["mix"],
                within=d["within"],
                interaction=d["interaction"],
                mix_adjusted_index=d["mix_adjusted_index"],
            )
        )
        _show(
            charts.waterfall(
                pd.DataFrame(
                    {
                        "component": ["Industry mix", "Within industries", "Interaction"],
                        "contribution": [d["mix"], d["within"], d["interaction"]],
                    }
                ),
                title=f"Gap in GVA per job to {bname}, {int(d['year'])}: mix, within and interaction",
                unit="£ per job",
                total_label="Gap",
                source="ONS GVA by industry; BRES employment",
                decimals=0,
            )
        )
        return dec

    # ------------------------------------------------------------------ priorities
    @shows("foundation_priorities")
    def foundation_priorities(self) -> pd.DataFrame:
        """Foundations ranked by need (weighted mean z of their indicators) and how stable
        that ranking is under redraws of the weights."""
        from ..priorities import foundation_scores, foundation_sensitivity, load_weights

        w = load_weights(self.params.weights_file)
        fs = foundation_scores(self.assessment, w)
        sens = foundation_sensitivity(self.assessment, w)
        merged = fs.merge(sens.summary, left_on="foundation", right_on="item")
        top = merged.iloc[0]
        said = {
            "foundation": top["foundation"],
            "score": top["score"],
            "weakest": self.registry[top["weakest"]].name,
            "stability": top["stability"],
            "draws": sens.draws,
        }
        self._lead = self._lead or prose.foundation_priorities_sentence(**said)
        _show(_md(prose.foundation_priorities_sentence(**said, markdown=True)))
        draws = sens.ranks.melt(
            var_name="priority", value_name="rank", ignore_index=False
        ).reset_index(names="draw")
        _show(
            charts.rank_distribution(
                draws,
                title=f"Foundations ranked by need, {self.area.name}: {sens.draws:,} weight draws",
                source=f"Weights: {Path(w.source).name}; Dirichlet concentration {w.concentration:g}",
            )
        )
        tab = merged[
            [
                "priority_rank",
                "foundation",
                "score",
                "n_indicators",
                "median_rank",
                "p05_rank",
                "p95_rank",
                "stability",
            ]
        ].copy()
        tab["stability"] *= 100
        tab.columns = [
            "Rank",
            "Foundation",
            "Score (z)",
            "Indicators",
            "Median rank",
            "5th percentile rank",
            "95th percentile rank",
            "Rank stable in (% of draws)",
        ]
        _show(
            table(
                tab,
                "Foundations by need: declared weights and sensitivity",
                decimals={"Score (z)": 2, "Rank stable in (% of draws)": 0, "Median rank": 1},
            )
        )
        return merged

    @shows("sector_priorities")
    def sector_priorities(self) -> pd.DataFrame | None:
        """Sectors scored as opportunities (LQ × growth × productivity) with sensitivity."""
        from ..priorities import load_weights, sector_inputs, sector_scores, sensitivity

        w = load_weights(self.params.weights_file)
        try:
            inputs = sector_inputs(self.area, obs=self.ctx.obs, geo=self.geo, ctx=self.ctx)
            sc = sector_scores(inputs, w)
        except LisError as exc:
            _say(prose.not_scored("sector priorities", str(exc)))
            return None
        crit = sc.attrs["criteria"]
        sens = sensitivity(
            sc.set_index("name")[[f"z_{c}" for c in crit]].rename(columns=lambda c: c[2:]),
            {c: w.sectors.get(c, 1.0) for c in crit},
            draws=w.draws,
            concentration=w.concentration,
            seed=w.seed,
        )
        self._lead_sentence(
            prose.sector_priorities_sentence(
                area_name=self.area.name,
                criteria=crit,
                top=[(r.name, r.lq, r.growth) for r in sc.head(3).itertuples()],
                draws=sens.draws,
                kendall_tau=sens.kendall_tau_median,
            )
        )
        draws = sens.ranks.melt(
            var_name="priority", value_name="rank", ignore_index=False
        ).reset_index(names="draw")
        _show(
            charts.rank_distribution(
                draws,
                title=f"Sector opportunities, {self.area.name}: rank across {sens.draws:,} weight draws",
                source="LQ, real GVA growth and relative productivity by section",
            )
        )
        tab = sc[["rank", "name", "share", "lq", "growth", "productivity", "score"]].copy()
        tab.columns = [
            "Rank",
            "Industry",
            "Share of GVA (%)",
            "Location quotient",
            "Real growth (% a year)",
            "Productivity (UK = 100)",
            "Score",
        ]
        _show(
            table(
                tab,
                f"Sector opportunity scores, {self.area.name}",
                decimals={"Location quotient": 2, "Score": 2},
            )
        )
        return sc

    # ------------------------------------------------------------------ evidence
    @cached_property
    def _evidence(self) -> Any:
        from ..consultation import load_evidence

        folder = self.evidence_folder
        if folder is None or not folder.is_dir():
            return None
        return load_evidence(folder)

    def _evidence_status(self, kind: str) -> Any:
        bundle = self._evidence
        result = getattr(bundle, kind, None) if bundle is not None else None
        if result is None:
            _show(_md(prose.no_responses_md(kind, str(self.evidence_folder))))
            return None
        counts = pd.DataFrame(
            [
                {
                    "Files": len(result.files),
                    "Rows read": result.n_read,
                    "Kept": result.n_kept,
                    "Rejected": result.n_rejected,
                    "Warnings": len(result.warnings),
                }
            ]
        )
        notes = [str(m) for m in result.issues["message"].head(8)] if len(result.issues) else None
        _show(
            table(
                counts,
                f"{kind.replace('_', ' ').capitalize()}: responses read, kept and rejected",
                notes=notes,
            )
        )
        return result

    @shows("call_for_evidence")
    def call_for_evidence(self) -> dict[str, Any] | None:
        """What respondents said, coded to foundations and themes, with representative
        quotes (escaped, personal data removed) and each claim checked against the data."""
        from .. import consultation as ev

        result = self._evidence_status("call_for_evidence")
        if result is None or result.data.empty:
            return None
        coded = ev.code_responses(result)
        counts = ev.counts_by_foundation(coded)
        said = (int(coded["response_id"].nunique()), int(result.data["respondent_id"].nunique()))
        self._lead = self._lead or prose.call_for_evidence_sentence(*said)
        _show(_md(prose.call_for_evidence_sentence(*said, markdown=True)))
        _show(
            table(
                counts.reset_index(),
                "Responses raising each foundation or Grand Challenge, by type of organisation",
                decimals=1,
            )
        )
        themes = ev.theme_counts(coded)
        _show(table(themes.head(15), "The themes raised most often", decimals=1))
        quotes = ev.select_quotes(coded)
        _show(
            quotes_table(
                quotes, caption="Representative quotes by theme (personal details removed)"
            )
        )
        tri = ev.triangulate(coded, self.assessment.assign(area_code=self.area.code))
        verdicts = ev.theme_verdicts(tri)
        _show(
            table(
                verdicts,
                "What respondents claimed, and what the data says",
                columns=["theme_label", "claim", "n_respondents", "indicators", "verdict"],
                decimals=1,
            )
        )
        return {
            "coded": coded,
            "counts": counts,
            "themes": themes,
            "quotes": quotes,
            "triangulation": tri,
            "verdicts": verdicts,
        }

    @shows("consultation")
    def consultation(self) -> dict[str, Any] | None:
        """Agreement with each draft priority (Wilson intervals, net agreement), by type of
        respondent; the themes of the comments; how each point was considered."""
        from .. import consultation as ev

        result = self._evidence_status("consultation")
        if result is None or result.data.empty:
            return None
        agree = ev.agreement(result)
        by = ev.agreement(result, by="organisation_type")
        said = {
            "n_respondents": int(agree["n_respondents"].max()),
            "lead": agree.sort_values("net_agreement", ascending=False).iloc[0],
            "low": agree.sort_values("net_agreement").iloc[0],
        }
        self._lead = self._lead or prose.consultation_sentence(**said)
        _show(_md(prose.consultation_sentence(**said, markdown=True)))
        show = agree[
            [
                "priority",
                "n_view",
                "agree_pct",
                "agree_lower_pct",
                "agree_upper_pct",
                "net_agreement",
                "dont_know",
            ]
        ]
        show.columns = [
            "Draft priority",
            "Expressed a view",
            "Agree (%)",
            "95% interval: lower",
            "95% interval: upper",
            "Net agreement",
            "Don't know",
        ]
        _show(
            table(
                show,
                "Agreement with the draft priorities (Wilson 95% intervals)",
                decimals={
                    "Agree (%)": 0,
                    "95% interval: lower": 0,
                    "95% interval: upper": 0,
                    "Net agreement": 0,
                },
                notes=prose.AGREEMENT_NOTE,
            )
        )
        pivot = by[by["group"] != "All respondents"].pivot_table(
            index="priority", columns="group", values="net_agreement"
        )
        _show(
            table(
                pivot.reset_index().rename(columns={"priority": "Draft priority"}),
                "Net agreement by type of respondent",
                decimals=0,
            )
        )
        comments = ev.code_comments(result)
        themes = ev.theme_counts(comments)
        _show(table(themes.head(12), "Themes of the consultation comments", decimals=1))
        out: dict[str, Any] = {"agreement": agree, "by_type": by, "comments": comments}
        log_result = getattr(self._evidence, "consideration_log", None)
        if log_result is not None:
            rep = ev.consideration_report(log_result, comments)
            _show(
                _md(
                    prose.consideration_sentence(
                        len(rep) - int((rep["status"] == "not in the log").sum()),
                        int(rep["needs_attention"].sum()),
                        markdown=True,
                    )
                )
            )
            _show(
                table(
                    rep,
                    "How each point raised was considered",
                    columns=["point_id", "label", "n_comments", "status", "change_made"],
                    redact_personal=True,
                )
            )
            out["consideration"] = rep
        else:
            _say(prose.no_consideration_log())
        return out

    # ------------------------------------------------------------------ sources and methods
    @shows("registry_table")
    def registry_table(self) -> pd.DataFrame:
        """Every indicator: foundation, unit, polarity, datasets, how it aggregates, caveat."""
        from ..indicators import registry

        reg = registry()
        show = pd.DataFrame(
            {
                "Indicator": reg["name"],
                "Foundation": reg["foundation"],
                "Unit": reg["unit"],
                "Higher is": reg["polarity"].map(
                    {"higher": "better", "lower": "worse", "neutral": "neither"}
                ),
                "Datasets": reg["datasets"],
                "How it is built for an area": reg["aggregation"],
                "Caveat": reg["caveat"],
            }
        )
        _show(table(show, "The indicators, declared once in lis_analysis/data/indicators.yaml"))
        return reg

    @shows("markers")
    def markers(self) -> pd.DataFrame:
        """The publishers' markers and how many observations carry each."""
        from ..sources import MARKERS

        counts = self.ctx.obs["status"].value_counts()
        df = pd.DataFrame(
            [
                {"Marker": m, "Meaning": t, "Observations": int(counts.get(m, 0))}
                for m, t in MARKERS.items()
            ]
        )
        _show(
            table(
                df,
                "Publishers' markers kept in the data (a marker is never turned into a zero)",
                decimals={"Observations": 0},
            )
        )
        return df

    @shows("caveats_log")
    def caveats_log(self) -> dict[str, Any]:
        """Every entry of the assumptions and caveats log (``data/caveats.yaml``)."""
        log_ = load_caveats()
        _show(_md("\n".join(prose.caveat_md(c.id, c.title, c.text) for c in log_.values())))
        return {c.id: c for c in log_.values()}

    # ------------------------------------------------------------------ caveats and provenance
    def caveat_ids(self) -> list[str]:
        """The log entries that apply to what the page has shown so far: those of the
        analyses and of the indicators shown, and the demonstrator's, in the log's order."""
        ids: set[str] = set()
        for name in self.analyses_shown:
            ids |= set(analysis(name).caveats)
        for iid in self.indicators_shown:
            ids |= set(getattr(self.registry[iid], "caveats", ()))
        if self.demo:
            ids.add("A13")
        return caveat_ids_sorted(ids)

    @shows()
    def caveats(self) -> pd.DataFrame:
        """The assumptions and caveats the page relies on: the log entries of the
        indicators and analyses it showed (``data/caveats.yaml``), then each shown
        indicator's own caveat (``indicators.yaml``)."""
        log_ = load_caveats()
        rows = [
            {"id": cid, "title": log_[cid].title, "text": log_[cid].text}
            for cid in self.caveat_ids()
        ]
        for iid in dict.fromkeys(self.indicators_shown):
            ind = self.registry[iid]
            if ind.caveat:
                rows.append({"id": iid, "title": ind.name, "text": ind.caveat})
        items = [
            prose.caveat_md(r["id"], r["title"], r["text"])
            if r["id"] in log_
            else prose.indicator_caveat_md(r["title"], r["text"])
            for r in rows
        ]
        _show(_md(prose.caveats_md(items)))
        return pd.DataFrame(rows, columns=["id", "title", "text"])

    @shows()
    def provenance(self) -> dict[str, Any]:
        """The provenance footer: run id, git commit, package version, parameters and the
        sha256 of every input file read."""
        from ..notebook import provenance

        rec = provenance()
        files = rec.get("inputs") or [
            {"name": f["name"], "sha256": f["sha256"], "release": f.get("release", "")}
            for f in self.manifest.get("files", [])
        ]
        tab = pd.DataFrame(
            {
                "File": [f.get("name", "") for f in files],
                "Release": [f.get("release", "") for f in files],
                "sha256": [str(f.get("sha256", ""))[:16] + "…" for f in files],
            }
        )
        _show(
            _md(
                prose.provenance_md(
                    run_id=rec.get("run_id"),
                    generated=rec.get("generated"),
                    git_commit=rec.get("git_commit"),
                    package_version=rec.get("package_version"),
                    parameters=rec.get("parameters") or self.params.to_dict(),
                )
            ),
            table(tab, "Input files and their checksums (first 16 hex digits of sha256)"),
        )
        return rec


__all__ = ["Page", "ShownDict", "ShownFrame", "shows"]
