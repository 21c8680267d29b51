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

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from .. import analyses
from ..analyses.declared import analysis as declared_analysis
from ..analyses.declared import caveat_ids_sorted, indicator_datasets, load_caveats
from ..geography import UK, Area
from ..safetext import escape_markdown
from . import charts, prose
from .display import ShownDict, ShownFrame, _md, _say, _show, shows
from .economy import EconomySections
from .strategy import StrategySections
from .tables import table


class Page(EconomySections, StrategySections):
    """The evidence page of one area: the methods a notebook calls, each showing a part of
    the page and returning what it showed.

    Open it with ``lis.page(area, ...)``; build one directly (``Page(area, params=...,
    ctx=...)``) for tests or other data. Its state is :class:`~.base.PageBase`; the
    economy sections are :class:`~.economy.EconomySections`, the priorities and
    respondents' sections :class:`~.strategy.StrategySections`.
    """

    # ------------------------------------------------------------------ opening
    @shows()
    def header(self, question: str) -> dict[str, Any]:
        """The question the page answers, the area and its districts, and the data status."""
        releases = sorted(
            {f.get("release", "") for f in self.manifest.get("files", []) if f.get("release")}
        )
        shown: dict[str, Any] = {
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
            and (ind.polarity != "neutral" or ind.id in declared_analysis("findings").trend_charts)
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
            a = a[a["group"] == foundation]
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
            a = a[a["group"] == foundation]
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
        if (foundation or len(a)) and not out["strengths"] and not out["weaknesses"]:
            out["neutral"] = [prose.nothing_stands_out(foundation)]
        report(**out)
        return out

    # ------------------------------------------------------------------ sources and methods
    @shows("registry_table")
    def registry_table(self) -> pd.DataFrame:
        """Every indicator: group (headline productivity or its foundation), unit, polarity, datasets, how it aggregates, caveat."""
        from ..indicators.registry import registry_table

        reg = registry_table()
        show = pd.DataFrame(
            {
                "Indicator": reg["name"],
                "Group": reg["group"],
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
            ids |= set(declared_analysis(name).caveats)
        for iid in self.indicators_shown:
            ids |= set(getattr(self.registry[iid], "caveats", ()))
        if self.demo:
            ids |= {c.id for c in load_caveats().values() if c.demonstrator}
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
