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
from pathlib import Path
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
        or every file; never a file with no row for the area, its districts, its region
        or the nations."""
        wanted: set[str] | None = None
        if datasets is not None:
            wanted = set(datasets)
        elif foundation is not None:
            wanted = self._datasets_of(self.indicators_of(foundation))
        groups: dict[tuple[str, str], list[dict]] = {}
        have = self.files_with_rows
        for f in self.manifest.get("files", []):
            if f.get("kind") != "observations":
                continue
            if wanted is not None and not wanted & set(f.get("datasets", [])):
                continue
            if Path(str(f.get("name", ""))).name not in have:
                continue  # no row for this area, its districts, region or nation
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
    def _size_share(self, rows: pd.DataFrame) -> tuple[float | None, str]:
        """A size's share of the nation holding the area (UK, else England), in %."""
        for kind in ("uk", "england"):
            r = rows[(rows["benchmark_kind"] == kind) & rows["benchmark_value"].notna()]
            if len(r) and float(r.iloc[0]["benchmark_value"]) > 0:
                name = "UK" if kind == "uk" else str(r.iloc[0]["benchmark_name"])
                return 100 * float(r.iloc[0]["value"]) / float(r.iloc[0]["benchmark_value"]), name
        return None, ""

    def sentence(self, indicator_id: str) -> str:
        """What the page says about an indicator, written from the numbers and its reading
        (not displayed): value and comparison with the nation ("higher"/"lower" only when
        the rule finds the difference material and significant, else "similar to"), the
        reading, the rank among peers, whether the peers share it, where in the area a
        shortfall sits, the direction of travel over a named period and the publisher's
        flags. Where the area's figure comes from its parts (or sits beside them), what
        its parts show too."""
        rows = self._rows(indicator_id)
        if rows.empty:
            if self.parts_of(indicator_id) is not None:
                return self.parts_sentence(indicator_id)
            return self.missing_reason(indicator_id)
        text = self._sentence(indicator_id, rows)
        if self.parts_of(indicator_id) is not None:
            if str(rows.iloc[0]["basis"]) == "estimate":
                text = text.replace(" was ", " was an estimated ", 1)
                return f"{self.parts_sentence(indicator_id)} {text}"
            return f"{text} {self.parts_sentence(indicator_id)}"
        return text

    def parts_of(self, indicator_id: str):
        """The area's parts display for the indicator (:class:`~lis_analysis.indicators.parts.Parts`),
        or None."""
        return self.table.attrs.get("parts", {}).get(indicator_id)

    def parts_sentence(self, indicator_id: str) -> str:
        """What the page says about the area's published parts for an indicator."""
        ind = self.registry[indicator_id]
        p = self.parts_of(indicator_id)
        if p is None:
            return ""
        d = p.districts.sort_values("value")
        rows = self._rows(indicator_id)
        basis = str(rows.iloc[0]["basis"]) if len(rows) else ""
        worst_word = ""
        if p.worst is not None and p.area_value is not None:
            worst_word = "most deprived" if ind.id.startswith("imd") else "weakest"
        return prose.parts_sentence(
            name=ind.name,
            area_name=self.area.name,
            unit=ind.unit,
            period=p.period,
            parts=[(r.name, r.value) for r in p.parts.itertuples()],
            decimals=ind.decimals,
            has_value=p.area_value is not None or basis == "built from districts",
            built=basis == "built from its parts",
            n_members=p.n_districts,
            bracket=p.bracket,
            estimate=p.estimate,
            lowest=(d.iloc[0]["name"], d.iloc[0]["value"])
            if len(d) > 1 and not p.parts_are_districts
            else None,
            highest=(d.iloc[-1]["name"], d.iloc[-1]["value"])
            if len(d) > 1 and not p.parts_are_districts
            else None,
            n_districts=len(d),
            worst=(p.worst["name"], p.worst["value"]) if worst_word else None,
            worst_word=worst_word,
            published=all(str(m).startswith("published") for m in p.parts["method"]),
            no_estimate=self._named(indicator_id, p.estimate_note) if p.estimate is None else "",
            benchmark=(
                (
                    "the UK"
                    if p.benchmarks.iloc[0]["kind"] == "uk"
                    else p.benchmarks.iloc[0]["name"],
                    float(p.benchmarks.iloc[0]["value"]),
                )
                if len(p.benchmarks)
                else None
            ),
        )

    def _sentence(self, indicator_id: str, rows: pd.DataFrame) -> str:
        from ..methods import QUARTILE_WORDS
        from ..priorities import is_size

        ind = self.registry[indicator_id]
        r = rows.iloc[0]
        a = self.reading(indicator_id)
        if is_size(ind):
            share, of = self._size_share(rows)
            return prose.size_sentence(
                name=ind.name,
                area_name=self.area.name,
                value=r["value"],
                unit=ind.unit,
                period=r["period"],
                decimals=ind.decimals,
                share=share,
                of_name=of,
            )
        if a is None or a["classification"] in ("context", "not assessed"):
            peers = rows[rows["benchmark_kind"] == "peers"]
            return prose.context_sentence(
                name=ind.name,
                area_name=self.area.name,
                value=r["value"],
                unit=ind.unit,
                period=r["period"],
                decimals=ind.decimals,
                peers_median=float(peers.iloc[0]["benchmark_value"]) if len(peers) else None,
                peer_word=self.peer_word(),
                structure=a is not None and a["classification"] == "context",
            )
        label = str(a["classification"])
        material = bool(abs(a["gap"]) >= a["materiality"])
        sig = None if pd.isna(a["significant"]) else bool(a["significant"])
        rank = None if pd.isna(a["rank"]) else int(a["rank"])
        n = None if pd.isna(a["n"]) else int(a["n"])
        q = a["quartile"]
        parts = [
            prose.indicator_sentence(
                name=ind.name,
                area_name=self.area.name,
                value=r["value"],
                unit=ind.unit,
                period=r["period"],
                decimals=ind.decimals,
                benchmark_value=a["benchmark_value"],
                benchmark_name=a["benchmark_name"],
                label=label,
                material=material,
                significant=sig,
                bottom_half=rank is not None and n is not None and rank > n / 2,
                peer_word=self.peer_word(),
            ),
            prose.rank_sentence(
                rank, n, self.peer_word(), QUARTILE_WORDS.get(q) if pd.notna(q) else None
            ),
            prose.peers_share_sentence(
                label, a["peers_share"], self.peer_word(), a["benchmark_name"], ind.polarity
            ),
            prose.concentration_sentence(label, a["concentrated_in"], a["benchmark_name"]),
            prose.trend_sentence(
                tag=a["trend"] if isinstance(a["trend"], str) else None,
                benchmark_name=a["benchmark_name"],
                start=None if pd.isna(a["trend_start"]) else int(a["trend_start"]),
                end=None if pd.isna(a["trend_end"]) else int(a["trend_end"]),
                change=a["trend_change"],
                from_year=None if pd.isna(a["trend_from"]) else int(a["trend_from"]),
                slope=None if pd.isna(a["trend_slope"]) else float(a["trend_slope"]),
                units=str(a["gap_units"]),
                significant=a["trend_significant"],
            ),
        ]
        return " ".join(p for p in parts if p)

    def short(self, indicator_id: str) -> str:
        """'GVA per hour worked: £34.75 in 2022, 12.5% below the UK; third quartile of 38;
        gap widening.' (by the same rule as :meth:`sentence`)."""
        ind = self.registry[indicator_id]
        rows = self._rows(indicator_id)
        p = self.parts_of(indicator_id)
        if rows.empty and p is not None:
            return prose.short_parts_sentence(
                ind.name,
                [(r.name, r.value) for r in p.parts.itertuples()],
                ind.unit,
                p.period,
                decimals=ind.decimals,
            )
        if rows.empty:
            return prose.not_available_sentence(ind.name, self.area.name)
        if str(rows.iloc[0]["basis"]) == "estimate":
            return self._short(indicator_id, rows).replace(": ", ": estimated ", 1)
        return self._short(indicator_id, rows)

    def _short(self, indicator_id: str, rows: pd.DataFrame) -> str:
        ind = self.registry[indicator_id]
        r = rows.iloc[0]
        a = self.reading(indicator_id)
        if a is None or a["classification"] not in ("strength", "weakness", "in line"):
            return prose.short_sentence(
                name=ind.name, value=r["value"], unit=ind.unit, period=r["period"]
            )
        return prose.short_sentence(
            name=ind.name,
            value=r["value"],
            unit=ind.unit,
            period=r["period"],
            benchmark_value=a["benchmark_value"],
            benchmark_name=a["benchmark_name"],
            material=bool(abs(a["gap"]) >= a["materiality"]),
            significant=None if pd.isna(a["significant"]) else bool(a["significant"]),
            tags=list(a["tags"]),
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
    def _flags(self, indicator_id: str, years: Sequence[int] | None = None) -> list[str]:
        """Sentences naming the districts whose figures for the indicator carry a
        publisher's flag the caveats log explains (``markers:``), in ``years`` (default:
        every year): each with the caveat it cites, which the page then prints."""
        from ..analyses.declared import flag_markers

        markers = flag_markers()
        ind = self.registry[indicator_id]
        members = list(self.area.members) or [self.area.code]
        found: dict[str, dict[str, set[int]]] = {}
        for r in (*ind.sources, *ind.numerator, *ind.denominator):
            sl = self.ctx.agg.measures.slice(r.dataset, r.measure)
            if sl.empty:
                continue
            st = sl["status"].astype(object)
            f = sl[st.isin(list(markers)) & sl["geography_code"].isin(members)]
            if years is not None:
                f = f[f["year"].isin(list(years))]
            for (marker, code), g in f.groupby(
                [f["status"].astype(object), f["geography_code"].astype(object)]
            ):
                years_of = found.setdefault(markers[str(marker)], {}).setdefault(str(code), set())
                years_of |= {int(y) for y in g["year"]}
        out = []
        for cid, by_code in found.items():
            self.flag_caveats.add(cid)
            ordered = {self.geo.name(c): sorted(by_code[c]) for c in members if c in by_code}
            out.append(prose.flag_sentence(ordered, cid))
        return out

    @shows("findings", indicators=("indicator_id",))
    def finding(
        self, indicator_id: str, *, trend: bool = True, districts: bool = True
    ) -> pd.DataFrame:
        """One indicator: heading, sentence, chart against benchmarks, trend chart, table
        and method; for an indicator the area cannot have, the reason and the districts'
        own figures. A size (GVA, jobs, population) is shown as a share of the nation,
        never as an index or a "% below". Returns the indicator's rows of the table."""
        from ..priorities import is_size

        ind = self.registry[indicator_id]
        rows = self._rows(indicator_id)
        _show(_md(f"### {escape_markdown(ind.name)}"))
        _say(self.sentence(indicator_id))
        self.indicators_shown.append(indicator_id)
        source = self._source_line(rows)
        if rows.empty:
            if self.parts_of(indicator_id) is not None:
                self.parts(indicator_id)
            elif districts and len(self.area.members) > 1:
                self.districts(indicator_id)
            return rows
        size = is_size(ind)
        a = self.reading(indicator_id)
        shown = rows
        if (
            a is not None
            and pd.notna(a["benchmark_code"])
            and a["benchmark_code"] != "peers"
            and a["benchmark_code"] not in set(rows["benchmark_code"])
        ):
            # the reading's benchmark where the table has none (England less the districts
            # whose industry cells are suppressed, for a share of GVA by industry)
            extra = rows.iloc[[0]].assign(
                benchmark_code=a["benchmark_code"],
                benchmark_name=a["benchmark_name"],
                benchmark_value=a["benchmark_value"],
                benchmark_kind="england",
                index=100 * rows.iloc[0]["value"] / a["benchmark_value"],
                gap=rows.iloc[0]["value"] - a["benchmark_value"],
                significant=pd.NA,
            )
            # (without the table's attrs, whose frames pandas cannot compare)
            plain = rows.copy()
            plain.attrs, extra.attrs = {}, {}
            shown = pd.concat([extra, plain], ignore_index=True)
        labelled = shown.assign(period=[prose.period_label(p) for p in shown["period"]])
        reading = None
        if a is not None and a["classification"] in ("strength", "weakness", "in line"):
            reading = prose.comparison(
                rows.iloc[0]["value"],
                a["benchmark_value"],
                a["benchmark_name"],
                ind.unit,
                decimals=ind.decimals,
                material=bool(abs(a["gap"]) >= a["materiality"]),
                significant=None if pd.isna(a["significant"]) else bool(a["significant"]),
            )
        if not size:
            _show(
                charts.benchmark_bar(
                    labelled,
                    indicator_id,
                    area=self.area.code,
                    indicator_name=ind.name,
                    source=source,
                    reading=reading,
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
            if size:
                # a size against the nation holding it says nothing ("76% below the
                # region"): the area's own line only
                s = own
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
        if size:
            share = 100 * shown["value"] / shown["benchmark_value"]
            show = pd.DataFrame(
                {
                    "Compared with": shown["benchmark_name"],
                    "Area value": shown["value"],
                    "Benchmark value": shown["benchmark_value"],
                    "Area as % of benchmark": share,
                }
            )
            decimals = {
                "Area value": ind.decimals,
                "Benchmark value": ind.decimals,
                "Area as % of benchmark": 1,
            }
        else:
            from ..methods import gap_scale

            level = gap_scale(ind.unit, ind.kind) == "level"
            show = pd.DataFrame(
                {
                    "Compared with": shown["benchmark_name"],
                    "Area value": shown["value"],
                    "Benchmark value": shown["benchmark_value"],
                    # an index of a rate (a growth rate 158% of the region's) misleads:
                    # rates are compared in points, in the gap
                    "Index (benchmark = 100)": shown["index"] if level else float("nan"),
                    "Gap": shown["gap"],
                    "Significant": shown["significant"]
                    .map({True: "yes", False: "no"})
                    .fillna("no interval"),
                }
            )
            decimals = {
                "Area value": ind.decimals,
                "Benchmark value": ind.decimals,
                "Index (benchmark = 100)": 1,
                "Gap": ind.decimals,
            }
            if not level:
                show = show.drop(columns="Index (benchmark = 100)")
                show = show.rename(columns={"Gap": "Gap (percentage points)"})
                decimals["Gap (percentage points)"] = decimals.pop("Gap")
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
                    pooled_from="its parts"
                    if str(r0["basis"]) == "built from its parts"
                    else "districts",
                )
            )
        if ind.caveat:
            notes.append(ind.caveat)
        notes += self._flags(indicator_id)
        vintage = self._vintage(indicator_id)
        if vintage:
            notes.append(prose.vintage_note(vintage))
        _show(
            table(
                show,
                f"{ind.name} ({ind.unit}), {self.area.name}, {prose.period_label(r0['period'])}, against benchmarks",
                decimals=decimals,
                notes=notes,
            )
        )
        if self.parts_of(indicator_id) is not None:
            self.parts(indicator_id)
        return rows

    def _vintage(self, indicator_id: str) -> str:
        """The table's note on which release gave the area's figure, with the files named
        as the sources table names them."""
        return self._named(indicator_id, self.table.attrs.get("vintage", {}).get(indicator_id, ""))

    def _named(self, indicator_id: str, text: str) -> str:
        """``text`` with the indicator's dataset ids replaced by the files' titles."""
        for ds in sorted(self.registry[indicator_id].datasets, key=len, reverse=True):
            if ds in text:
                text = text.replace(ds, self.dataset_label(ds).split(" (release")[0])
        return text

    @shows("districts", indicators=("indicator_id",))
    def parts(self, indicator_id: str) -> pd.DataFrame:
        """The area's published parts for an indicator, beside the benchmarks and the range
        of its districts (and, for a median, the bracket and the mixture estimate): what
        the page shows where no single figure for the area is published or can be built,
        or beside the area's figure (IMD). Returns the long parts table."""
        ind = self.registry[indicator_id]
        p = self.parts_of(indicator_id)
        if p is None:
            return pd.DataFrame()
        long = p.frame()
        what = {
            "area": f"{self.area.name} (the area)",
            "part": "part",
            "benchmark: uk": "benchmark",
            "benchmark: england": "benchmark",
            "benchmark: region": "benchmark",
            "lowest district": "lowest district",
            "highest district": "highest district",
            "bracket: low": "median of the whole: at least",
            "bracket: high": "median of the whole: at most",
            "estimate": "estimate (mixture of the parts)",
        }
        show = pd.DataFrame(
            {
                "Area": long["name"],
                "Role": [what.get(r, r) for r in long["role"]],
                ind.name: long["value"],
                "How": [
                    "" if not m else ("estimate" if str(m).startswith("estimate") else str(m))
                    for m in long["method"]
                ],
            }
        )
        show = show[show["Role"] != f"{self.area.name} (the area)"].reset_index(drop=True)
        vintage = self._vintage(indicator_id)
        _show(
            table(
                show,
                f"{ind.name} ({ind.unit}): the parts of {self.area.name}, "
                f"{prose.period_label(p.period)}",
                decimals={ind.name: ind.decimals},
                notes=prose.parts_note(
                    counties_from=p.counties_from,
                    estimate_how=p.estimate_note if p.estimate is not None else "",
                    vintage=vintage,
                ),
            )
        )
        return long

    @shows("findings", given="indicators", foundation="foundation")
    def findings(
        self,
        foundation: str,
        indicators: Iterable[str] | None = None,
        *,
        exclude: Iterable[str] = (),
    ) -> pd.DataFrame:
        """:meth:`finding` for every indicator of a foundation (or the given ids), in the
        registry's order, leaving out ``exclude`` (those the page shows elsewhere); returns
        their rows of the table. A new indicator of the group appears without a notebook edit."""
        ids = list(indicators) if indicators else self.indicators_of(foundation)
        skip = set(exclude)
        ids = [i for i in ids if i not in skip]
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
        """The reading of every indicator of a group (headline productivity or a
        foundation; all without one) against the nation: a chart of the gaps in
        thresholds, and a table with the reading, the gap, the tags, the direction of
        travel and why. Sizes and structure are listed as context; indicators the area
        has no figure for as not assessed, with the reason."""
        a = self.assessment
        if foundation:
            a = a[a["group"] == foundation]
        self.indicators_assessed += list(a["indicator_id"])
        read = a[a["classification"].isin(("strength", "weakness", "in line"))]
        read = read[[not self.repeats(i) for i in read["indicator_id"]]]
        if len(read):
            _show(
                charts.strengths_chart(
                    read.assign(area_name=self.area.name),
                    area_name=self.area.name,
                    title=f"Gaps to the nation, {self.area.name}: {foundation or 'all indicators'}",
                    source="Gap to the UK (else England) in thresholds of data/readings.yaml; see docs/priorities.md",
                )
            )
        elif foundation:
            _say(prose.nothing_assessed(self.area.name, foundation))
        tab = pd.DataFrame(
            {
                "Indicator": a["indicator_name"],
                "Reading": a["classification"].str.capitalize(),
                "Compared with": a["benchmark_name"].fillna(""),
                "Gap": [
                    prose.gap_words(g, u) if pd.notna(g) else ""
                    for g, u in zip(a["gap"], a["gap_units"], strict=True)
                ],
                "Tags": ["; ".join(t) for t in a["tags"]],
                "Direction of travel": [
                    prose.trend_words(
                        r.trend if isinstance(r.trend, str) else None,
                        r.trend_change,
                        r.trend_from,
                        r.trend_start,
                        r.trend_end,
                        r.gap_units,
                    )
                    for r in a.itertuples()
                ],
                "Why": a["reason"],
            }
        )
        _show(
            table(
                tab,
                f"Strengths and weaknesses of {self.area.name}{': ' + foundation if foundation else ''}",
                notes=prose.READING_NOTE,
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
        indicators the page assessed or showed. With none, the card says whether every
        indicator read is in line with the nation, or that none could be read (not
        assessed), never "neutral".
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
        listed = a[[not self.repeats(i) for i in a["indicator_id"]]]
        out: dict[str, Any] = {
            "headline": headline,
            "strengths": [
                self.short(r.indicator_id)
                for r in listed.itertuples()
                if r.classification == "strength"
            ],
            "weaknesses": [
                self.short(r.indicator_id)
                for r in listed.itertuples()
                if r.classification == "weakness"
            ],
            "neutral": [],
            "not_assessed": [],
        }
        if (foundation or len(a)) and not out["strengths"] and not out["weaknesses"]:
            if a["classification"].eq("in line").any():
                out["neutral"] = [prose.nothing_stands_out(foundation)]
            else:
                out["not_assessed"] = [prose.nothing_assessed(self.area.name, foundation)]
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
        ids |= self.flag_caveats
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
