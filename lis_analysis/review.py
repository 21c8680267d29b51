"""The evidence review a notebook presents: one object, everything a page shows.

A notebook stays thin (narrative, a parameters cell, calls): it opens a :class:`Review`
for its area and calls its methods, each of which *displays* a finished piece of the page
(headings, generated sentences, charts with alt text, accessible tables) and returns what
it computed, for economists who want the numbers::

    rv = lis.review.open(area, raw=raw, params_file=params_file)
    rv.header("How productive is the area, and is the gap closing?")
    rv.sources("Productivity")
    rv.findings("Productivity")
    rv.caveats(["A1", "A3"])
    rv.summary("Productivity")
    rv.provenance()

Every sentence is written from the numbers (value, benchmark, rank, significance,
direction of travel); nothing here is hand-typed per area.
"""

from __future__ import annotations

import logging
import re
from calendar import month_abbr, month_name
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from . import charts, report_html
from ._files import input_path
from .config import DEFAULT_AREA, RunParams, load_params, paths
from .errors import LisError
from .geography import ENGLAND, UK, Area, Geography
from .indicators.engine import Context
from .indicators.registry import Indicator
from .workspace import Workspace

log = logging.getLogger(__name__)

_ISO_YEAR = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:/P1Y)?$")


def period_label(period: Any, year: Any = None) -> str:
    """A period as a reader says it: '2023-01-01/P1Y' -> '2023'; '2026-01-01' ->
    'January 2026'; '2018-2023' and '2023' unchanged."""
    p = str(period)
    m = _ISO_YEAR.match(p)
    if m:
        y, mo, d = m.groups()
        if p.endswith("/P1Y"):
            return (
                y
                if (mo, d) == ("01", "01")
                else f"{month_abbr[int(mo)]} {y} to {month_abbr[(int(mo) - 2) % 12 + 1]} {int(y) + 1}"
            )
        return f"{month_name[int(mo)]} {y}"
    return p


def _md(text: str):
    from IPython.display import Markdown

    return Markdown(text)


def _show(*objs: Any) -> None:
    from IPython.display import display

    for o in objs:
        if o is not None:
            display(o)


def shows(method):
    """Mark a method that displays part of the page: it returns None (so a notebook cell
    prints nothing twice) and keeps what it computed in ``review.results[<method name>]``."""
    import functools

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        self.results[method.__name__] = method(self, *args, **kwargs)

    return wrapper


def _lower(name: str) -> str:
    """A name inside a sentence: first letter lower-cased unless the first word is an
    acronym ('GVA per head' stays, 'Employment rate' -> 'employment rate')."""
    first = name.split(" ", 1)[0]
    if len(first) > 1 and first[:2].isupper():
        return name
    return name[:1].lower() + name[1:]


def _money(x: float) -> str:
    """'+£629' / '−£5,862' (a real minus sign) for gaps and contributions."""
    return ("+" if x >= 0 else "\u2212") + f"£{abs(x):,.0f}"


def _esc(text: Any) -> str:
    """Text from data (area names) made safe inside Markdown."""
    from .safetext import escape_markdown

    return escape_markdown(str(text))


@dataclass
class Review:
    """An evidence review of one area: the data, the indicator table and the assessment.

    Build it with :func:`open`. Attributes are computed on first use.
    """

    area: Area
    params: RunParams
    ws: Workspace
    geo: Geography
    ctx: Context
    displayed: list[str] = field(default_factory=list)
    #: what each display method computed, by method name (for analysts)
    results: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ computed once
    @cached_property
    def _cache_key(self) -> str:
        """What the table and assessment depend on: the inputs (their checksums), the area,
        the parameters and the package code. Every page of a pack shares them."""
        import hashlib
        import json

        from ._files import code_hash

        files = sorted(
            (f.get("content_sha256") or f.get("sha256", ""))
            for f in self.ws.manifest().get("files", [])
        )
        doc = {
            "files": files,
            "area": [self.area.code, list(self.area.members)],
            "params": {k: v for k, v in self.params.to_dict().items() if k != "evidence"},
            "code": code_hash(),
        }
        return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()[
            :24
        ]

    def _cached(self, name: str, build):
        """A result shared by every page of the pack: computed by the first notebook that
        needs it (a lock keeps the others waiting), read from disk by the rest."""
        import pickle

        from ._files import atomic_write_bytes, locked

        folder = self.ws.processed / "cache"
        path = folder / f"{name}-{self._cache_key}.pkl"
        if path.exists():
            try:
                return pickle.loads(path.read_bytes())
            except Exception:  # a stale or foreign file: rebuild it
                pass
        with locked(folder, f".{name}.lock", wait=600):
            if path.exists():
                try:
                    return pickle.loads(path.read_bytes())
                except Exception:
                    pass
            value = build()
            atomic_write_bytes(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            return value

    @cached_property
    def table(self) -> pd.DataFrame:
        """The indicator table (DESIGN.md columns) against UK, England, region, peers, neighbours."""
        from .indicators.engine import table

        return self._cached(
            "table",
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

    @cached_property
    def assessment(self) -> pd.DataFrame:
        """Strength / weakness / neutral for each indicator (see lis_analysis.priorities)."""
        from .priorities import assess

        return self._cached(
            "assessment",
            lambda: assess(
                self.area, obs=self.ctx.obs, geo=self.geo, table=self.table, ctx=self.ctx
            ),
        )

    @property
    def registry(self) -> dict[str, Indicator]:
        return self.ctx.registry

    @property
    def demo(self) -> bool:
        return self.ws.demo

    @cached_property
    def region(self) -> Area | None:
        return (
            self.geo.area(self.area.region)
            if self.area.region and self.area.region in self.geo
            else None
        )

    def indicators_of(self, foundation: str) -> list[str]:
        """Indicator ids of a foundation, in registry order."""
        return [i.id for i in self.registry.values() if i.foundation == foundation]

    # ------------------------------------------------------------------ page pieces
    @shows
    def header(self, question: str) -> None:
        """The question the page answers, the area and its districts, and the data status."""
        a = self.area
        names = ", ".join(self.geo.name(m) for m in a.members)
        lines = [
            f"**Question.** {question}",
            "",
            f"**Area.** {_esc(a.name)} ({a.code}), {len(a.members)} district{'s' if len(a.members) != 1 else ''}: {_esc(names)}.",
        ]
        if self.region:
            lines.append(f"Region: {_esc(self.region.name)}.")
        peers = self.table.attrs.get("peers", [])
        if peers:
            lines.append(f"Peers: the other {len(peers)} {self._peer_word()}.")
        if self.demo:
            lines += [
                "",
                "**Data: synthetic demonstrator data, not official statistics.** Do not quote these figures.",
            ]
        else:
            releases = sorted(
                {
                    f.get("release", "")
                    for f in self.ws.manifest().get("files", [])
                    if f.get("release")
                }
            )
            lines += [
                "",
                f"**Data:** published files, releases {', '.join(releases[-6:])} (see Sources).",
            ]
        _show(_md("\n".join(lines)))

    def _peer_word(self) -> str:
        from .geography import LEVEL_LABELS

        peers = self.table.attrs.get("peers", [])
        if not peers:
            return "areas"
        level = self.geo.area(peers[0]).level
        return (
            LEVEL_LABELS.get(level, level) + "s"
            if not LEVEL_LABELS.get(level, level).endswith("s")
            else LEVEL_LABELS.get(level, level)
        )

    @shows
    def sources(
        self, foundation: str | None = None, datasets: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """A table of the published files behind the page: publisher, title, file, release, rows."""
        wanted: set[str] | None = None
        if datasets is not None:
            wanted = set(datasets)
        elif foundation is not None:
            wanted = {d for i in self.indicators_of(foundation) for d in self.registry[i].datasets}
        rows = []
        for f in self.ws.manifest().get("files", []):
            if f.get("kind") != "observations":
                continue
            if wanted is not None and not wanted & set(f.get("datasets", [])):
                continue
            rows.append(f)
        groups: dict[tuple[str, str], list[dict]] = {}
        for f in rows:
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
        note = "Demonstrator files: synthetic, in the publishers' formats." if self.demo else None
        _show(
            report_html.table(
                df, "Published files read for this page", notes=note, decimals={"Figures read": 0}
            )
        )
        return df

    # ------------------------------------------------------------------ findings
    def sentence(self, indicator_id: str) -> str:
        """One sentence about an indicator, written from the numbers."""
        ind = self.registry[indicator_id]
        rows = self.table[self.table["indicator_id"] == indicator_id]
        if rows.empty:
            return self.missing_reason(indicator_id)
        r = rows.iloc[0]
        name = ind.name[0].lower() + ind.name[1:] if not ind.name[:3].isupper() else ind.name
        value = charts.format_value(
            r["value"], ind.unit, decimals=ind.decimals if ind.unit not in ("%",) else None
        )
        text = f"{ind.name} in {self.area.name} was {value} in {period_label(r['period'])}"
        uk = rows[rows["benchmark_kind"] == "uk"]
        if (
            len(uk)
            and pd.notna(uk.iloc[0]["benchmark_value"])
            and ind.kind not in ("spread", "specialisation")
        ):
            b = uk.iloc[0]
            text += f", {charts.compare_phrase(r['value'], b['benchmark_value'], 'UK', ind.unit)} ({charts.format_value(b['benchmark_value'], ind.unit, decimals=ind.decimals if ind.unit != '%' else None)})"
            if pd.notna(b["significant"]):
                text += (
                    "; the difference is statistically significant"
                    if bool(b["significant"])
                    else "; the difference is not statistically significant"
                )
        text += "."
        if pd.notna(r["rank"]) and r["n_peers"] and ind.polarity != "neutral":
            text += f" It ranks {charts.ordinal(int(r['rank']))} of {int(r['n_peers']) + 1} {self._peer_word()} (1st is best)."
        a = self.assessment.set_index("indicator_id")
        if indicator_id in a.index:
            t = a.loc[indicator_id, "trend"]
            if t in ("improving", "worsening", "rising", "falling"):
                text += f" Relative to the UK it has been {t} over the last ten years (a statistically significant trend)."
        del name
        return text

    def short(self, indicator_id: str) -> str:
        """'Employment rate (16-64): 70.8% in 2023, 3.6 percentage points below the UK.'"""
        ind = self.registry[indicator_id]
        rows = self.table[self.table["indicator_id"] == indicator_id]
        if rows.empty:
            return f"{ind.name}: not available for {self.area.name}."
        r = rows.iloc[0]
        text = f"{ind.name}: {charts.format_value(r['value'], ind.unit)} in {period_label(r['period'])}"
        uk = rows[rows["benchmark_kind"] == "uk"]
        if (
            len(uk)
            and pd.notna(uk.iloc[0]["benchmark_value"])
            and ind.kind not in ("spread", "specialisation")
        ):
            text += ", " + charts.compare_phrase(
                r["value"], uk.iloc[0]["benchmark_value"], "UK", ind.unit
            )
        return text + "."

    def missing_reason(self, indicator_id: str) -> str:
        ind = self.registry[indicator_id]
        why = self.table.attrs.get("missing", {}).get(indicator_id, "no data")
        return (
            f"{ind.name}: not shown for {self.area.name}. {why[0].upper() + why[1:] if why else ''}".rstrip()
            + ("" if why.endswith(".") else ".")
        )

    def series(self, indicator_id: str, areas: Sequence[Area] | None = None) -> pd.DataFrame:
        """The indicator over time for the area, the UK and the region (``charts.trend`` input)."""
        if areas is None:
            areas = [self.area] + [
                self.geo.area(c)
                for c in (UK, self.area.region)
                if c and c in self.geo and c != self.area.code
            ]
        vals = self.ctx.indicator(indicator_id, list(areas))
        vals = vals[vals["value"].notna()].copy()
        if self.params.start_year:
            vals = vals[vals["year"] >= self.params.start_year]
        if self.params.end_year:
            vals = vals[vals["year"] <= self.params.end_year]
        names = {a.code: ("UK" if a.code == UK else a.name) for a in areas}
        vals["area_name"] = vals["area_code"].map(names)
        vals["period"] = vals["year"].astype(int)
        vals["unit"] = self.registry[indicator_id].unit
        vals["indicator_name"] = self.registry[indicator_id].name
        return vals

    @shows
    def finding(
        self, indicator_id: str, *, trend: bool = True, districts: bool = True
    ) -> pd.DataFrame:
        """Display one indicator: heading, sentence, chart against benchmarks, trend chart,
        table and method; for an indicator the area cannot have, the reason and the
        districts' own figures. Returns the indicator's rows of the table."""
        ind = self.registry[indicator_id]
        rows = self.table[self.table["indicator_id"] == indicator_id]
        _show(_md(f"### {ind.name}"))
        _show(_md(self.sentence(indicator_id)))
        self.displayed.append(indicator_id)
        source = self._source_line(rows)
        if rows.empty:
            if districts and len(self.area.members) > 1:
                self.districts(indicator_id)
            return rows
        labelled = rows.assign(period=[period_label(p) for p in rows["period"]])
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
        show = rows[["benchmark_name", "benchmark_value", "index", "gap", "significant"]].copy()
        show.insert(0, "Area value", rows["value"])
        show.columns = [
            "Area value",
            "Compared with",
            "Benchmark value",
            "Index (benchmark = 100)",
            "Gap",
            "Significant",
        ]
        show["Significant"] = (
            show["Significant"].map({True: "yes", False: "no"}).fillna("no interval")
        )
        show = show[
            [
                "Compared with",
                "Area value",
                "Benchmark value",
                "Index (benchmark = 100)",
                "Gap",
                "Significant",
            ]
        ]
        r0 = rows.iloc[0]
        notes = [f"How: {r0['method']}."]
        if pd.notna(r0["ci_lower"]):
            notes.append(
                f"95% confidence interval for {self.area.name}: {charts.format_value(r0['ci_lower'], ind.unit)} to {charts.format_value(r0['ci_upper'], ind.unit)}"
                + (
                    " (approximate: pooled from districts)."
                    if "approximate" in str(r0["status"] or "")
                    else "."
                )
            )
        if ind.caveat:
            notes.append(ind.caveat)
        _show(
            report_html.table(
                show,
                f"{ind.name} ({ind.unit}), {self.area.name}, {period_label(r0['period'])}, against benchmarks",
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

    def dataset_label(self, dataset: str) -> str:
        """'ONS, Regional GVA (balanced) by industry ... (release 2025-04-17)' for a dataset id."""
        files = [f for f in self.ws.manifest().get("files", []) if dataset in f.get("datasets", [])]
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

    @shows
    def findings(self, foundation: str, indicators: Iterable[str] | None = None) -> None:
        """:meth:`finding` for every indicator of a foundation (or the given ids)."""
        for iid in indicators or self.indicators_of(foundation):
            self.finding(iid)

    @shows
    def districts(self, indicator_id: str) -> pd.DataFrame:
        """The indicator for each of the area's districts (latest year each), as a table and
        a chart: what a reader can use where the area's own figure cannot be built."""
        ind = self.registry[indicator_id]
        members = [self.geo.area(m) for m in self.area.members if m in self.geo]
        vals = self.ctx.indicator(indicator_id, members)
        vals = vals[vals["value"].notna()]
        if vals.empty:
            _show(_md(f"No district figures are available for {ind.name.lower()}."))
            return vals
        last = vals.sort_values("year").groupby("area_code").tail(1)
        last = last.assign(area_name=last["area_code"].map(self.geo.name))
        uk = (
            self.ctx.indicator(indicator_id, [self.geo.area(UK)])
            if UK in self.geo
            else pd.DataFrame()
        )
        tab = pd.DataFrame(
            {
                "District": last["area_name"],
                "Period": [period_label(p) for p in last["period"]],
                ind.name: last["value"],
            }
        ).sort_values(ind.name, ascending=ind.polarity == "lower")
        notes = [
            f"{ind.name} cannot be combined into one figure for {self.area.name} ({ind.aggregation or 'not aggregable'})."
        ]
        if len(uk) and uk["value"].notna().any():
            u = uk[uk["value"].notna()].sort_values("year").iloc[-1]
            notes.append(
                f"UK: {charts.format_value(u['value'], ind.unit)} ({period_label(u['period'])})."
            )
        _show(
            report_html.table(
                tab,
                f"{ind.name} ({ind.unit}) in each district of {self.area.name}",
                decimals={ind.name: ind.decimals},
                notes=notes,
            )
        )
        return last

    # ------------------------------------------------------------------ assessment
    @shows
    def strengths_and_weaknesses(self, foundation: str | None = None) -> pd.DataFrame:
        """The classification of each indicator (optionally one foundation), as a chart with
        the labels written in words and a table with the reasons."""
        a = self.assessment
        if foundation:
            a = a[a["foundation"] == foundation]
        scored = a[a["z"].notna()]
        if len(scored):
            _show(
                charts.strengths_chart(
                    scored.assign(area_name=self.area.name),
                    area_name=self.area.name,
                    title=f"Position among {self._peer_word()}: {foundation or 'all indicators'}",
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
            report_html.table(
                tab,
                f"Strengths and weaknesses of {self.area.name}{': ' + foundation if foundation else ''}",
            )
        )
        return a

    @shows
    def summary(
        self, foundation: str | None = None, headline_indicator: str | None = None
    ) -> dict[str, Any]:
        """Report the page's headline and its strengths and weaknesses to the pipeline
        (``lis.notebook.summary``); returns what was reported."""
        from .notebook import summary as report

        a = self.assessment
        if foundation:
            a = a[a["foundation"] == foundation]
        head_id = headline_indicator or (a["indicator_id"].iloc[0] if len(a) else None)
        headline = (
            self.sentence(head_id)
            if head_id
            else f"No indicator could be computed for {self.area.name}."
        )
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
        if not out["strengths"] and not out["weaknesses"]:
            out["neutral"] = [
                f"No indicator{' in ' + foundation if foundation else ''} stands out from the peer areas."
            ]
        report(**out)
        return out

    # ------------------------------------------------------------------ analyses
    def _benchmark_area(self, needs: Sequence[str]) -> Area | None:
        """The UK if every indicator in ``needs`` has a value for it, else England."""
        for code in (UK, ENGLAND):
            if code not in self.geo or code == self.area.code:
                continue
            b = self.geo.area(code)
            if all(self.ctx.indicator(i, [b])["value"].notna().any() for i in needs):
                return b
        return None

    def _latest_common(
        self, ids: Sequence[str], areas: Sequence[Area]
    ) -> tuple[int | None, dict[str, dict[str, float]]]:
        """The latest year every indicator has a value for every area, and the values."""
        vals = {i: self.ctx.indicator(i, list(areas)) for i in ids}
        years = None
        for v in vals.values():
            ok = v[v["value"].notna()]
            ys = set.intersection(
                *[set(ok.loc[ok["area_code"] == a.code, "year"].astype(int)) for a in areas]
            )
            years = ys if years is None else years & ys
        if not years:
            return None, {}
        y = max(years)
        out = {
            a.code: {
                i: float(
                    vals[i]
                    .loc[(vals[i]["area_code"] == a.code) & (vals[i]["year"] == y), "value"]
                    .iloc[0]
                )
                for i in ids
            }
            for a in areas
        }
        return y, out

    @shows
    def productivity_gap(self) -> dict[str, Any] | None:
        """The £ per hour gap to the UK and the output needed to close it (gap × hours)."""
        from .methods import productivity_output_gap

        b = self._benchmark_area(["gva_per_hour"])
        y, v = (
            self._latest_common(["gva_per_hour", "hours_worked"], [self.area, b])
            if b
            else (None, {})
        )
        if y is None:
            _show(
                _md(
                    "The productivity gap cannot be computed: GVA per hour or hours worked is missing for the area or the UK."
                )
            )
            return None
        assert b is not None  # y is None whenever there is no benchmark area
        own, ref = v[self.area.code], v[b.code]
        gap = productivity_output_gap(
            own["gva_per_hour"], ref["gva_per_hour"], weekly_hours=own["hours_worked"]
        )
        bname = "the UK" if b.code == UK else b.name
        if not gap.closed:
            text = (
                f"In {y}, {self.area.name} produced {charts.format_value(own['gva_per_hour'], '£')} of GVA per hour worked, "
                f"{charts.format_value(-gap.gap_per_hour, '£')} less than {bname} ({charts.format_value(ref['gva_per_hour'], '£')}). "
                f"At {bname}'s productivity, the {own['hours_worked'] * 52 / 1e6:,.0f} million hours worked in the area that year "
                f"would have produced about £{gap.output_to_close / 1e9:,.1f} billion more output."
            )
        else:
            text = f"In {y}, {self.area.name}'s GVA per hour worked ({charts.format_value(own['gva_per_hour'], '£')}) was at or above {bname}'s ({charts.format_value(ref['gva_per_hour'], '£')}): there is no gap to close."
        _show(_md(text))
        return {
            "year": y,
            "area": own,
            "benchmark": ref,
            "benchmark_code": b.code,
            "gap_per_hour": gap.gap_per_hour,
            "output_to_close": gap.output_to_close,
        }

    @shows
    def gva_per_head_decomposition(self) -> pd.DataFrame | None:
        """GVA per head against the UK as productivity × hours per job × jobs per employed
        resident × employment rate × working-age share; waterfall of log contributions."""
        from .methods import gva_per_head_decomposition

        need = [
            "gva_total",
            "hours_worked",
            "filled_jobs",
            "employment_rate",
            "working_age_share",
            "population",
        ]
        b = self._benchmark_area(need)
        if b is None:
            _show(
                _md(
                    "GVA per head cannot be decomposed: an input is missing for the area or the benchmark."
                )
            )
            return None
        y, v = self._latest_common(need, [self.area, b])
        if y is None:
            _show(_md("GVA per head cannot be decomposed: the inputs have no year in common."))
            return None

        def inputs(x: dict[str, float]) -> dict[str, float]:
            wa = x["population"] * x["working_age_share"] / 100
            return {
                "gva": x["gva_total"] * 1e6,  # £
                "hours": x["hours_worked"] * 52,  # hours a year (ONS hours are weekly)
                "jobs": x["filled_jobs"],
                "employed_residents": wa * x["employment_rate"] / 100,
                "working_age_population": wa,
                "population": x["population"],
            }

        dec = gva_per_head_decomposition(inputs(v[self.area.code]), inputs(v[b.code]))
        parts = dec[dec["factor"] != "gva_per_head"]
        total = dec[dec["factor"] == "gva_per_head"].iloc[0]
        bname = "the UK" if b.code == UK else b.name
        comp = pd.DataFrame(
            {"component": parts["label"], "contribution": 100 * parts["log_contribution"]}
        )
        _show(
            _md(
                f"In {y}, GVA per head in {self.area.name} was {100 * (total['relative'] - 1):+.1f}% against {bname}. "
                f"The chart splits that gap (in log points × 100, which add up) into its five parts; "
                f"the largest is {_lower(parts.loc[parts['log_contribution'].abs().idxmax(), 'label'])}."
            )
        )
        _show(
            charts.waterfall(
                comp,
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
                "benchmark": "UK" if b.code == UK else b.name,
                "relative": "Ratio (area ÷ benchmark)",
            }
        )
        _show(
            report_html.table(
                tab,
                f"GVA per head decomposition, {y}",
                decimals=3,
                notes="GVA per hour in £; hours per job a year. The product of the five ratios equals the GVA per head ratio.",
            )
        )
        return dec

    @shows
    def trend_and_convergence(self, indicator_id: str = "gva_per_hour") -> dict[str, Any]:
        """Is the gap to the UK closing (trend of the index with Newey-West intervals), and
        are the peer areas converging (β and σ convergence)?"""
        from .methods import InsufficientData, beta_convergence, sigma_convergence, trend

        ind = self.registry[indicator_id]
        out: dict[str, Any] = {}
        idx = (
            self.series(f"{indicator_id}_index")
            if f"{indicator_id}_index" in self.registry
            else self.series(indicator_id)
        )
        own = idx[idx["area_code"] == self.area.code].set_index("year")["value"]
        try:
            t = trend(own)
            out["trend"] = t
            word = "narrowed" if t.slope > 0 else "widened"
            sig = (
                "a statistically significant trend"
                if t.significant
                else "not a statistically significant trend"
            )
            _show(
                _md(
                    f"From {int(own.index.min())} to {int(own.index.max())} {self.area.name}'s {_lower(ind.name)} relative to the UK "
                    f"moved by {t.slope:+.2f} index points a year (95% CI {t.ci_lower:+.2f} to {t.ci_upper:+.2f}, Newey-West): "
                    f"the gap {word} on average, {sig}."
                )
            )
            _show(
                charts.trend(
                    idx,
                    area=self.area.name,
                    indicator_name=f"{ind.name} (UK = 100)",
                    unit="UK = 100",
                    source="ONS subregional productivity",
                )
            )
        except InsufficientData as exc:
            _show(_md(f"No trend: {exc}."))
        peers = [self.area, *[self.geo.area(c) for c in self.table.attrs.get("peers", [])]]
        panel = self.ctx.indicator(indicator_id, peers)
        levels = panel.pivot_table(index="area_code", columns="year", values="value")
        levels = levels.dropna(axis=1, how="any")
        if levels.shape[1] >= 5 and levels.shape[0] >= 5:
            start, end = int(levels.columns.min()), int(levels.columns.max())
            try:
                b = beta_convergence(levels, start, end)
                sg = sigma_convergence(levels)
                out["beta"], out["sigma"] = b, sg
                hl = f"; half-life {b.half_life:.0f} years" if b.half_life else ""
                del hl
                _show(
                    _md(
                        f"Across {levels.shape[0]} {self._peer_word()}, {start}-{end}: {b.interpretation} "
                        f"σ-convergence: the spread of log {_lower(ind.name)} {'fell' if sg.converging else 'did not fall significantly'} "
                        f"(standard deviation {sg.by_year['sd_log'].iloc[0]:.3f} in {start}, {sg.by_year['sd_log'].iloc[-1]:.3f} in {end})."
                    )
                )
            except InsufficientData as exc:
                _show(_md(f"Convergence not estimated: {exc}."))
        return out

    def _sections(
        self, ref_measure: str, areas: Sequence[Area], dataset: str = "ons_gva_industry_lad"
    ) -> pd.DataFrame:
        from .indicators.registry import Ref
        from .industries import GVA_SECTIONS

        agg = self.ctx.aggregated(Ref(dataset, ref_measure), list(areas))
        if agg.empty:
            return agg
        return agg[agg["industry"].isin(GVA_SECTIONS)]

    @shows
    def industry_structure(self) -> pd.DataFrame | None:
        """Location quotients of GVA by section against the UK (or England), with sector size."""
        from .indicators.registry import Ref
        from .industries import SECTION_NAMES
        from .methods import location_quotients

        b = self.ctx.section_benchmark(Ref("ons_gva_industry_lad", "gva_current"))
        if b is None:
            _show(_md("Industry structure needs GVA by industry for the area and a benchmark."))
            return None
        sec = self._sections("gva_current", [self.area, b])
        y = int(sec.loc[sec["area_code"] == self.area.code, "year"].max())
        a = sec[(sec["area_code"] == self.area.code) & (sec["year"] == y)].set_index("industry")[
            "value"
        ]
        bb = sec[(sec["area_code"] == b.code) & (sec["year"] == y)].set_index("industry")["value"]
        lq = location_quotients(a, bb).reset_index()
        lq["industry_code"] = lq["industry"]
        lq["industry"] = lq["industry_code"].map(SECTION_NAMES)
        bname = "the UK" if b.code == UK else b.name
        if b.code.endswith("-complete"):
            _show(
                _md(
                    f"The benchmark is {b.name}: their industry figures are suppressed in the publisher's table, so the nation's industry shares are taken from the other districts."
                )
            )
        top = lq.sort_values("lq", ascending=False).head(3)
        _show(
            _md(
                f"In {y} {self.area.name} was most specialised, relative to {bname}, in "
                + ", ".join(
                    f"{_lower(r.industry)} (LQ {r.lq:.2f}, {100 * r.area_share:.1f}% of GVA)"
                    for r in top.itertuples()
                )
                + "."
            )
        )
        _show(
            charts.lq_bar(
                lq.assign(area_name=self.area.name, period=y),
                area_name=self.area.name,
                comparator=bname.replace("the ", "").split(" (")[0],
                title=f"Location quotients of GVA by industry, {self.area.name}, {y}",
                source="ONS regional GVA (balanced) by industry, current prices",
            )
        )
        tab = lq[["industry", "area_value", "area_share", "benchmark_share", "lq"]].copy()
        tab["area_share"] *= 100
        tab["benchmark_share"] *= 100
        tab.columns = [
            "Industry",
            "GVA (£m)",
            "Share of area GVA (%)",
            f"Share of {bname} GVA (%)",
            "Location quotient",
        ]
        _show(
            report_html.table(
                tab.sort_values("Location quotient", ascending=False),
                f"GVA by industry and location quotients, {self.area.name}, {y}",
                decimals={"GVA (£m)": 0, "Location quotient": 2},
            )
        )
        return lq

    @shows
    def shift_share(self, years: int = 10, measure: str = "gva_cvm") -> pd.DataFrame | None:
        """Shift-share of real GVA growth by section over ``years`` years: national growth,
        industry mix and the area's own (competitive) effect, with Esteban-Marquillas."""
        from .indicators.registry import Ref
        from .industries import SECTION_NAMES
        from .methods import MethodError, shift_share

        b = self.ctx.section_benchmark(Ref("ons_gva_industry_lad", measure))
        if b is None:
            return None
        sec = self._sections(measure, [self.area, b])
        if sec.empty:
            _show(_md("Shift-share needs chained-volume GVA by industry."))
            return None
        end = int(sec.loc[sec["area_code"] == self.area.code, "year"].max())
        start = end - years
        long = sec[sec["year"].isin([start, end])][["area_code", "industry", "year", "value"]]
        a = long[long["area_code"] == self.area.code].drop(columns="area_code")
        bb = long[long["area_code"] == b.code].drop(columns="area_code")
        try:
            ss = shift_share(a, bb, start, end, dropna=True)
        except MethodError as exc:
            _show(_md(f"Shift-share not computed: {exc}"))
            return None
        tot = ss.loc["Total"]
        bname = "the UK" if b.code == UK else b.name
        comp = pd.DataFrame(
            {
                "component": [
                    f"{bname.capitalize()} growth",
                    "Industry mix",
                    "Local (competitive) effect",
                ],
                "contribution": [tot["national_share"], tot["industry_mix"], tot["competitive"]],
            }
        )
        _show(
            _md(
                f"Real GVA in {self.area.name} changed by £{tot['actual_change']:,.0f}m from {start} to {end}. Had it grown at {bname}'s rate it would have "
                f"changed by £{tot['national_share']:,.0f}m; its industry mix added £{tot['industry_mix']:,.0f}m and local performance "
                f"{'added' if tot['competitive'] >= 0 else 'subtracted'} £{abs(tot['competitive']):,.0f}m."
            )
        )
        _show(
            charts.waterfall(
                comp,
                title=f"Shift-share of real GVA change, {self.area.name}, {start}-{end}",
                unit="£m",
                total_label="Actual change",
                source="ONS regional GVA by industry, chained volume measures",
                decimals=0,
            )
        )
        body = ss.drop(index="Total").reset_index()
        body["industry"] = body["industry"].map(lambda c: SECTION_NAMES.get(c, c))
        tab = body[["industry", "actual_change", "national_share", "industry_mix", "competitive"]]
        tab.columns = [
            "Industry",
            "Actual change (£m)",
            f"{bname.capitalize()} growth (£m)",
            "Industry mix (£m)",
            "Competitive (£m)",
        ]
        _show(
            report_html.table(
                tab,
                f"Shift-share by industry, {start}-{end} (chained volume £m)",
                decimals=0,
                notes="Components sum to the actual change. Chained-volume components are not strictly additive (A7).",
            )
        )
        return ss

    @shows
    def sector_productivity(self) -> Any:
        """Productivity gap split into industry mix, within-industry and interaction, and the
        industry-mix-adjusted index, from GVA and BRES employment by section."""
        from .indicators.registry import Ref
        from .industries import gva_sections_from_letters
        from .methods import MethodError, productivity_gap_decomposition

        b = self.ctx.section_benchmark(Ref("ons_gva_industry_lad", "gva_current"))
        if b is None:
            return None
        emp = self.ctx.aggregated(
            Ref("nomis_bres", "employment", breakdown="Employment"), [self.area, b]
        )
        if emp.empty or not (emp["area_code"] == self.area.code).any():
            _show(
                _md(
                    "The sector decomposition needs employment by industry for the area's districts (BRES at district level), which is not in the data loaded."
                )
            )
            return None
        emp = emp[emp["breakdown"] == "Employment"]
        sec = self._sections("gva_current", [self.area, b])
        years = set(emp["year"].astype(int)) & set(sec["year"].astype(int))
        if not years:
            return None
        y = max(years)

        def series(frame: pd.DataFrame, code: str) -> pd.Series:
            f = frame[(frame["area_code"] == code) & (frame["year"] == y)]
            return f.set_index("industry")["value"]

        try:
            dec = productivity_gap_decomposition(
                series(sec, self.area.code),
                gva_sections_from_letters(series(emp, self.area.code)),
                series(sec, b.code),
                gva_sections_from_letters(series(emp, b.code)),
                dropna=True,
            )
        except MethodError as exc:
            _show(_md(f"Sector decomposition not computed: {exc}"))
            return None
        bname = "the UK" if b.code == UK else b.name
        comp = pd.DataFrame(
            {
                "component": ["Industry mix", "Within industries", "Interaction"],
                "contribution": [dec.mix * 1e6, dec.within * 1e6, dec.interaction * 1e6],
            }
        )
        _show(
            _md(
                f"GVA per job in {self.area.name} in {y} was {_money(dec.gap * 1e6)} against {bname}: industry mix accounts for {_money(dec.mix * 1e6)}, "
                f"productivity within industries for {_money(dec.within * 1e6)} and their interaction for {_money(dec.interaction * 1e6)}. "
                f"Allowing for industry mix, the area's productivity index is {dec.mix_adjusted_index:.1f} ({bname} = 100)."
            )
        )
        _show(
            charts.waterfall(
                comp,
                title=f"Gap in GVA per job to {bname}, {y}: mix, within and interaction",
                unit="£ per job",
                total_label="Gap",
                source="ONS GVA by industry; BRES employment",
                decimals=0,
            )
        )
        return dec

    @shows
    def district_profile(self, indicators: Sequence[str]) -> pd.DataFrame:
        """One row per district of the area: the latest value of each indicator."""
        members = [self.geo.area(m) for m in self.area.members if m in self.geo]
        cols: dict[str, pd.Series] = {}
        for iid in indicators:
            v = self.ctx.indicator(iid, members)
            v = (
                v[v["value"].notna()]
                .sort_values("year")
                .groupby("area_code")
                .tail(1)
                .set_index("area_code")
            )
            ind = self.registry[iid]
            cols[f"{ind.name} ({ind.unit})"] = v["value"]
        df = pd.DataFrame(cols)
        df.insert(0, "District", [self.geo.name(c) for c in df.index])
        _show(
            report_html.table(
                df.reset_index(drop=True),
                f"Districts of {self.area.name}: latest value of each indicator",
                decimals=1,
            )
        )
        return df

    # ------------------------------------------------------------------ priorities
    @shows
    def foundation_priorities(self) -> pd.DataFrame:
        """Foundations ranked by need (weighted mean z of their indicators) and how stable
        that ranking is under 1,000 redraws of the weights."""
        from .priorities import foundation_scores, foundation_sensitivity, load_weights

        w = load_weights(self.params.weights_file)
        fs = foundation_scores(self.assessment, w)
        sens = foundation_sensitivity(self.assessment, w)
        merged = fs.merge(sens.summary, left_on="foundation", right_on="item")
        top = merged.iloc[0]
        _show(
            _md(
                f"The foundation most in need of attention is **{top['foundation']}** (score {top['score']:+.2f}; weakest indicator "
                f"{_lower(self.registry[top['weakest']].name)}). It keeps first place in {100 * top['stability']:.0f}% of "
                f"{sens.draws:,} redraws of the weights."
            )
        )
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
            report_html.table(
                tab,
                "Foundations by need: declared weights and sensitivity",
                decimals={"Score (z)": 2, "Rank stable in (% of draws)": 0, "Median rank": 1},
            )
        )
        return merged

    @shows
    def sector_priorities(self) -> pd.DataFrame | None:
        """Sectors scored as opportunities (LQ × growth × productivity) with sensitivity."""
        from .priorities import load_weights, sector_inputs, sector_scores, sensitivity

        w = load_weights(self.params.weights_file)
        try:
            inputs = sector_inputs(self.area, obs=self.ctx.obs, geo=self.geo, ctx=self.ctx)
            sc = sector_scores(inputs, w)
        except LisError as exc:
            _show(_md(f"Sector priorities not scored: {exc}"))
            return None
        crit = sc.attrs["criteria"]
        sens = sensitivity(
            sc.set_index("name")[[f"z_{c}" for c in crit]].rename(columns=lambda c: c[2:]),
            {c: w.sectors.get(c, 1.0) for c in crit},
            draws=w.draws,
            concentration=w.concentration,
            seed=w.seed,
        )
        top = sc.head(3)
        _show(
            _md(
                f"On {', '.join(crit)} together, the leading sector opportunities for {self.area.name} are "
                + "; ".join(
                    f"{_lower(r.name)} (LQ {r.lq:.2f}{'' if pd.isna(r.growth) else f', real growth {r.growth:+.1f}% a year'})"
                    for r in top.itertuples()
                )
                + f". Median Kendall's τ between the declared ranking and {sens.draws:,} redrawn ones: {sens.kendall_tau_median:.2f}."
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
            report_html.table(
                tab,
                f"Sector opportunity scores, {self.area.name}",
                decimals={"Location quotient": 2, "Score": 2},
            )
        )
        return sc

    # ------------------------------------------------------------------ evidence
    def evidence_folder(self, evidence: str | None = None) -> Path:
        """The call-for-evidence and consultation folder: the parameter, else
        ``data/raw/evidence``, else the demonstrator's ``evidence`` folder."""
        given = evidence or self.params.evidence
        default = paths().evidence
        if given and (Path(given).is_dir() or Path(given).resolve() != default.resolve()):
            return Path(given)  # what the user asked for (a missing folder is reported as such)
        for d in self.ws.raw_dirs:
            if (d / "evidence").is_dir():
                return d / "evidence"
        return default

    @cached_property
    def _evidence(self):
        from .consultation import load_evidence

        folder = self.evidence_folder()
        local = input_path(folder)  # a Dask worker reads its copy of the folder ...
        if not local.is_dir():
            return None
        if local == folder:
            return load_evidence(folder)
        return _as_named(load_evidence, local, folder)  # ... and names the client's files

    def _evidence_status(self, kind: str) -> Any:
        bundle = self._evidence
        result = getattr(bundle, kind, None) if bundle is not None else None
        if result is None:
            where = self.evidence_folder()
            _show(
                _md(
                    f"No {kind.replace('_', ' ')} responses were found in `{where}`. Put the responses there "
                    "(CSV or XLSX, or Markdown submissions; see docs/evidence.md) and run `lis run` again."
                )
            )
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
            report_html.table(
                counts,
                f"{kind.replace('_', ' ').capitalize()}: responses read, kept and rejected",
                notes=notes,
            )
        )
        return result

    @shows
    def call_for_evidence(self) -> dict[str, Any] | None:
        """What respondents said, coded to foundations and themes, with representative
        quotes (escaped, personal data removed) and each claim checked against the data."""
        from . import consultation as ev

        result = self._evidence_status("call_for_evidence")
        if result is None or result.data.empty:
            return None
        coded = ev.code_responses(result)
        counts = ev.counts_by_foundation(coded)
        n = int(coded["response_id"].nunique())
        _show(
            _md(
                f"{n} responses from {result.data['respondent_id'].nunique()} respondents were coded to the Foundations of Productivity and the Grand Challenges by the taxonomy in `lis_analysis/data/taxonomy.yaml`."
            )
        )
        _show(
            _md(
                report_html.html_table(
                    counts.reset_index(),
                    "Responses raising each foundation or Grand Challenge, by type of organisation",
                )
            )
        )
        themes = ev.theme_counts(coded)
        _show(_md(report_html.html_table(themes.head(15), "The themes raised most often")))
        quotes = ev.select_quotes(coded)
        _show(
            _md(
                report_html.quotes_table(
                    quotes, caption="Representative quotes by theme (personal details removed)"
                )
            )
        )
        tri = ev.triangulate(coded, self.assessment.assign(area_code=self.area.code))
        verdicts = ev.theme_verdicts(tri)
        _show(
            _md(
                report_html.html_table(
                    verdicts[["theme_label", "claim", "n_respondents", "indicators", "verdict"]],
                    "What respondents claimed, and what the data says",
                )
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

    @shows
    def consultation(self) -> dict[str, Any] | None:
        """Agreement with each draft priority (Wilson intervals, net agreement), by type of
        respondent; the themes of the comments; how each point was considered."""
        from . import consultation as ev

        result = self._evidence_status("consultation")
        if result is None or result.data.empty:
            return None
        agree = ev.agreement(result)
        by = ev.agreement(result, by="organisation_type")
        lead = agree.sort_values("net_agreement", ascending=False).iloc[0]
        low = agree.sort_values("net_agreement").iloc[0]
        _show(
            _md(
                f"{int(agree['n_respondents'].max())} people and organisations responded. Support was strongest for "
                f"**{lead['priority']}** ({lead['agree_pct']:.0f}% agreed, 95% interval {lead['agree_lower_pct']:.0f}-{lead['agree_upper_pct']:.0f}%; "
                f"net agreement {lead['net_agreement']:+.0f}) and weakest for **{low['priority']}** "
                f"({low['agree_pct']:.0f}% agreed; net {low['net_agreement']:+.0f})."
            )
        )
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
            report_html.table(
                show,
                "Agreement with the draft priorities (Wilson 95% intervals)",
                decimals={
                    "Agree (%)": 0,
                    "95% interval: lower": 0,
                    "95% interval: upper": 0,
                    "Net agreement": 0,
                },
                notes="Percentages of those expressing a view; 'don't know' and no answer are left out (A16).",
            )
        )
        pivot = by[by["group"] != "All respondents"].pivot_table(
            index="priority", columns="group", values="net_agreement"
        )
        _show(
            report_html.table(
                pivot.reset_index().rename(columns={"priority": "Draft priority"}),
                "Net agreement by type of respondent",
                decimals=0,
            )
        )
        comments = ev.code_comments(result)
        themes = ev.theme_counts(comments)
        _show(_md(report_html.html_table(themes.head(12), "Themes of the consultation comments")))
        out: dict[str, Any] = {"agreement": agree, "by_type": by, "comments": comments}
        log_result = getattr(self._evidence, "consideration_log", None)
        if log_result is not None:
            rep = ev.consideration_report(log_result, comments)
            pending = int(rep["needs_attention"].sum())
            _show(
                _md(
                    f"The consideration log covers {len(rep) - int((rep['status'] == 'not in the log').sum())} points; **{pending} need attention** (no response yet, or raised but not in the log)."
                )
            )
            _show(
                _md(
                    report_html.html_table(
                        rep[["point_id", "label", "n_comments", "status", "change_made"]],
                        "How each point raised was considered",
                        redact_personal=True,
                    )
                )
            )
            out["consideration"] = rep
        else:
            _show(
                _md(
                    "No consideration log was found: record how each point was considered in a CSV or XLSX (see docs/evidence.md)."
                )
            )
        return out

    @shows
    def registry_table(self) -> pd.DataFrame:
        """Every indicator: foundation, unit, polarity, sources, how it aggregates, caveat."""
        from .indicators import registry

        reg = registry()
        show = reg[["name", "foundation", "unit", "polarity", "datasets", "aggregation", "caveat"]]
        show.columns = [
            "Indicator",
            "Foundation",
            "Unit",
            "Higher is",
            "Datasets",
            "How it is built for an area",
            "Caveat",
        ]
        show = show.assign(
            **{
                "Higher is": show["Higher is"].map(
                    {"higher": "better", "lower": "worse", "neutral": "neither"}
                )
            }
        )
        _show(
            report_html.table(
                show, "The indicators, declared once in lis_analysis/data/indicators.yaml"
            )
        )
        return reg

    @shows
    def assumptions_list(self) -> dict[str, tuple[str, str]]:
        """Every entry of the assumptions and caveats log."""
        text = assumptions()
        _show(_md("\n".join(f"- **{k} {t}.** {b}" for k, (t, b) in text.items())))
        return text

    @shows
    def markers(self) -> pd.DataFrame:
        """The publishers' markers and how many observations carry each."""
        from .sources import MARKERS

        counts = self.ctx.obs["status"].value_counts()
        df = pd.DataFrame(
            [
                {"Marker": m, "Meaning": t, "Observations": int(counts.get(m, 0))}
                for m, t in MARKERS.items()
            ]
        )
        _show(
            report_html.table(
                df,
                "Publishers' markers kept in the data (a marker is never turned into a zero)",
                decimals={"Observations": 0},
            )
        )
        return df

    # ------------------------------------------------------------------ caveats and provenance
    @shows
    def caveats(self, ids: Sequence[str] = (), indicators: Iterable[str] | None = None) -> None:
        """The assumptions and caveats this page relies on (from docs/assumptions.md), and
        the caveats of the indicators shown."""
        text = assumptions()
        lines = []
        for i in ids:
            if i not in text:
                raise LisError(f"caveat {i} is not in docs/assumptions.md")
            title, body = text[i]
            lines.append(f"- **{i} {title}.** {body}")
        if self.demo and "A13" not in ids:
            title, body = text.get("A13", ("The demonstrator is synthetic", ""))
            lines.append(f"- **A13 {title}.** {body}")
        shown = list(indicators) if indicators is not None else list(dict.fromkeys(self.displayed))
        for iid in shown:
            ind = self.registry[iid]
            if ind.caveat:
                lines.append(f"- **{ind.name}.** {ind.caveat}")
        _show(_md("\n".join(lines) if lines else "No caveats recorded."))

    @shows
    def provenance(self) -> dict[str, Any]:
        """The provenance footer: run id, git commit, package version, parameters and the
        sha256 of every input file read."""
        from .notebook import provenance

        rec = provenance()
        files = rec.get("inputs") or [
            {"name": f["name"], "sha256": f["sha256"], "release": f.get("release", "")}
            for f in self.ws.manifest().get("files", [])
        ]
        lines = [
            f"Run {rec.get('run_id') or '(interactive session)'}, {rec.get('generated')}; "
            f"code {str(rec.get('git_commit') or 'not a git checkout')[:12]}, lis_analysis {rec.get('package_version')}.",
            "",
            "Parameters: "
            + ", ".join(
                f"{k} = {v!r}" for k, v in (rec.get("parameters") or self.params.to_dict()).items()
            )
            + ".",
        ]
        tab = pd.DataFrame(
            {
                "File": [f.get("name", "") for f in files],
                "Release": [f.get("release", "") for f in files],
                "sha256": [str(f.get("sha256", ""))[:16] + "…" for f in files],
            }
        )
        _show(
            _md("\n".join(lines)),
            report_html.table(
                tab, "Input files and their checksums (first 16 hex digits of sha256)"
            ),
        )
        return rec


def _as_named(load, local: Path, folder: Path):
    """``load(local)`` for a copy of ``folder`` (shipped to a Dask worker), with every
    file name it reports and logs given as under ``folder``: the pages name the files as
    the client has them, whichever machine read them."""
    import dataclasses
    import logging

    src, dst = str(local), str(folder)

    def fix(value: Any) -> Any:
        return value.replace(src, dst) if isinstance(value, str) else value

    class _Rename(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            record.msg, record.args = fix(record.getMessage()), ()
            return True

    logger = logging.getLogger("lis_analysis.consultation.readers")
    rename = _Rename()
    logger.addFilter(rename)
    try:
        bundle = load(local)
    finally:
        logger.removeFilter(rename)

    def frame(df: pd.DataFrame) -> pd.DataFrame:
        df = df.copy()
        for col in ("file", "message", "source_file"):
            if col in df.columns:
                df[col] = df[col].map(fix).astype(df[col].dtype)
        return df

    def result(r: Any) -> Any:
        if r is None:
            return None
        return dataclasses.replace(
            r, data=frame(r.data), issues=frame(r.issues), files=tuple(map(fix, r.files))
        )

    return dataclasses.replace(
        bundle,
        call_for_evidence=result(bundle.call_for_evidence),
        consultation=result(bundle.consultation),
        consideration_log=result(bundle.consideration_log),
        skipped=tuple(map(fix, bundle.skipped)),
    )


_ASSUMPTIONS: dict[str, tuple[str, str]] | None = None


def assumptions() -> dict[str, tuple[str, str]]:
    """``{id: (title, text)}`` from docs/assumptions.md (written once, cited by id)."""
    global _ASSUMPTIONS
    if _ASSUMPTIONS is None:
        path = input_path(paths().docs / "assumptions.md")  # (a Dask worker's copy)
        if not path.exists():
            path = Path(__file__).resolve().parents[1] / "docs" / "assumptions.md"
        out: dict[str, tuple[str, str]] = {}
        cur = None
        for line in path.read_text(encoding="utf-8").splitlines():
            m = re.match(r"^## (A\d+) (.*)$", line)
            if m:
                cur = m.group(1)
                out[cur] = (m.group(2).strip(), "")
            elif cur and line.strip():
                t, b = out[cur]
                out[cur] = (t, (b + " " + line.strip()).strip())
        _ASSUMPTIONS = out
    return _ASSUMPTIONS


def warm(raw: Sequence[str] = (), areas: Sequence[str] = ()) -> None:
    """Pipeline warm-up (``warm:`` in notebooks/pack.yaml): load the data and compute each
    area's indicator table and assessment once, before the notebooks' kernels start, so
    that every page reads them from the shared cache instead of racing to build them."""
    codes: Sequence[str | None] = areas or [None]
    for code in codes:
        try:
            rv = open(code or DEFAULT_AREA, raw=list(raw) or None)
        except LisError:
            continue  # the notebook reports it
        _ = (rv.table, rv.assessment)  # computing them fills the shared cache


def open(
    area: str,
    *,
    raw: Sequence[str] | None = None,
    params_file: str | None = None,
    areas_file: str | None = None,
    evidence: str | None = None,
) -> Review:
    """Open the review of ``area``: validate the parameters, load (ingesting what changed)
    the data, build the areas. Raises a one-line :class:`LisError` for an unknown area or
    bad parameters."""
    from . import session

    params = load_params(
        params_file,
        area=area,
        raw=list(raw) if raw else None,
        areas_file=areas_file,
        evidence=evidence,
    )
    ws = session.use(list(params.raw) or None, areas_file=params.areas_file)
    geo = session.geography()
    a = geo.area(params.area)
    ctx = Context(ws.observations(), geo)
    return Review(area=a, params=params, ws=ws, geo=geo, ctx=ctx)


__all__ = ["Review", "open", "period_label", "assumptions"]
