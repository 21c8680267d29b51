"""Compute every registered indicator for any set of areas, and the indicator table.

:func:`compute` gives one indicator for many areas and all years (one vectorised pass
per published measure); :func:`panel` does it for many indicators; :func:`table` builds
the DESIGN.md indicator table for one area against its benchmarks (UK, England, its
region, its peers' median and its statistical neighbours' median) with index, gap,
significance and rank among peers.

Every value says how it was obtained (``method``: a published figure, a sum over 8
districts, a pooled survey rate ...) and from which dataset and release (``source``),
so that each number in a report can be traced to the published rows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataNotAvailable, LisError
from ..geography import BASE_OTHER_YEAR, ENGLAND, UK, Aggregator, Area, Geography, frame
from ..industries import GVA_SECTIONS
from ..methods.gaps import index_gap
from ..methods.structure import krugman_indices
from ..methods.trends import cagr_array
from .parts import Parts, basis_of, built_from_parts, parts_of, parts_table
from .registry import Indicator, Ref, load_registry

log = logging.getLogger(__name__)

SERIES_COLUMNS = [
    "area_code",
    "year",
    "period",
    "value",
    "ci_lower",
    "ci_upper",
    "status",
    "method",
    "source",
    "release",
    "demo",
]

TABLE_COLUMNS = [
    "area_code",
    "area_name",
    "indicator_id",
    "foundation",
    "period",
    "value",
    "unit",
    "ci_lower",
    "ci_upper",
    "benchmark_code",
    "benchmark_value",
    "index",
    "gap",
    "significant",
    "rank",
    "n_peers",
    "polarity",
    "source",
]
#: Columns after the DESIGN.md ones: what a reader needs to trust a row. ``foundation`` is
#: one of the five Foundations of Productivity (empty for headline productivity, which is
#: not one); ``group`` is what the pages show it under (``Productivity`` or the foundation).
TABLE_EXTRA = [
    "indicator_name",
    "group",
    "benchmark_name",
    "benchmark_kind",
    "year",
    "method",
    "status",
    "release",
    "demo",
    "basis",
]


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in SERIES_COLUMNS})


@dataclass
class Context:
    """Observations, geography and what one computation has found so far.

    A context keeps the measures it aggregated and the indicators it computed (so that
    an indicator built from others computes them once); make a new one for a new
    question. What stays valid while the data and the areas do (the measures' indexes,
    which published code stands for which areas) belongs to its ``aggregator``: pass the
    same :class:`~lis_analysis.geography.Aggregator` to every context on the same data
    (the face's session does) and only the first pays for it.
    """

    obs: pd.DataFrame
    geo: Geography
    registry: dict[str, Indicator] = field(default_factory=load_registry)
    notes: dict[tuple[str, str], str] = field(default_factory=dict)
    #: (refs' labels, area code) -> which newer file could not give the area its figure
    vintage: dict[tuple[tuple[str, ...], str], str] = field(default_factory=dict)
    aggregator: Aggregator | None = field(default=None, repr=False)
    _agg: dict = field(default_factory=dict, repr=False)
    _ind: dict = field(default_factory=dict, repr=False)
    _section_benchmarks: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.aggregator is None:
            self.aggregator = Aggregator(self.obs, self.geo)
        elif self.aggregator.obs is not self.obs or self.aggregator.geo is not self.geo:
            raise LisError("a Context's aggregator must be made from the same obs and geo")

    @classmethod
    def on(cls, aggregator: Aggregator, **kwargs: Any) -> Context:
        """A new context on an aggregator's observations and geography (sharing it)."""
        if aggregator.geo is None:
            raise LisError("the indicator engine needs an aggregator with a geography")
        return cls(aggregator.obs, aggregator.geo, aggregator=aggregator, **kwargs)

    @property
    def agg(self) -> Aggregator:
        assert self.aggregator is not None  # set in __post_init__
        return self.aggregator

    # ---------------------------------------------------------------- published measures
    def aggregated(
        self,
        ref: Ref,
        areas: Sequence[Area],
        industries: Sequence[str] | None = None,
        breakdowns: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Every industry/breakdown of ``ref``'s measure for the areas, or only
        ``industries`` and ``breakdowns`` (published figure where printed for the exact
        area, else built from its districts)."""
        key = (
            ref.dataset,
            ref.measure,
            tuple(a.code for a in areas),
            tuple(industries) if industries is not None else None,
            tuple(breakdowns) if breakdowns is not None else None,
        )
        if key not in self._agg:
            self._agg[key] = self._aggregate(ref, areas, industries, breakdowns)
        return self._agg[key]

    def _aggregate(
        self,
        ref: Ref,
        areas: Sequence[Area],
        industries: Sequence[str] | None,
        breakdowns: Sequence[str] | None,
    ) -> pd.DataFrame:
        res = self.agg.aggregate(
            ref.dataset, ref.measure, areas, industries=industries, breakdowns=breakdowns
        )
        for code, why in res.notes.items():
            self.notes.setdefault((ref.measure, code), why)
        if res.columns is None:
            return pd.DataFrame()
        cols: dict[str, Any] = dict(res.columns)
        cols["source"] = ref.dataset
        return frame(cols)

    def measure_series(
        self, refs: Sequence[Ref], areas: Sequence[Area], *, industry: str | None = None
    ) -> pd.DataFrame:
        """One value per area and year from one of ``refs`` (published figures preferred
        within each ref): for each area, the ref whose figures for it run to the latest
        year, the first listed among equals. Two files giving the same measure (ONS
        productivity, June 2024; ELS GVA, June 2025) thus give each area its newest figure
        the aggregation rules allow: a newer file that cannot make the area's figure (it
        prints GVA per hour but not the hours to weight it) is noted in ``vintage``."""
        got: list[tuple[Ref, pd.DataFrame, dict]] = []
        latest_any: list[dict[str, float]] = []
        for ref in refs:
            ind = ref.industry if industry is None else industry
            sub = self.aggregated(ref, list(areas), industries=[ind], breakdowns=[ref.breakdown])
            if sub.empty:
                got.append((ref, sub, {}))
                latest_any.append({})
                continue
            has = sub[sub["value"].notna()]
            # a year built with another year's base (ELS's 2023 GVA per hour weighted by
            # 2022 hours) does not make a file the newer for an area: like-for-like years first
            like = has[has["status"].astype(object) != BASE_OTHER_YEAR]
            latest = like.groupby(like["area_code"].astype(object))["year"].max()
            anyway = has.groupby(has["area_code"].astype(object))["year"].max()
            # (latest like-for-like year, else -inf and the latest year at all): the
            # second part only decides between files with no like-for-like year
            rank = {str(k): (-np.inf, float(v)) for k, v in anyway.items()}
            rank.update({str(k): (float(v), -np.inf) for k, v in latest.items()})
            got.append((ref, sub, rank))
            latest_any.append({str(k): float(v) for k, v in anyway.items()})
        best: dict[str, int] = {}
        for a in areas:
            choice, top = None, (-np.inf, -np.inf)
            for i, (_, _, latest) in enumerate(got):
                y = latest.get(a.code)
                if y is not None and y > top:
                    choice, top = i, y
            if choice is not None:
                best[a.code] = choice
        if len(refs) > 1:
            self._note_vintage(refs, areas, got, best, latest_any)
        parts: list[dict[str, np.ndarray]] = []
        for i, (ref, sub, _) in enumerate(got):
            mine = [c for c, j in best.items() if j == i]
            if not mine or sub.empty:
                continue
            keep = (
                sub["area_code"].isin(mine).to_numpy()
                & (sub["value"].notna() | sub["status"].notna()).to_numpy()
            )
            cols = {c: sub[c].to_numpy()[keep] for c in SERIES_COLUMNS if c in sub.columns}
            for c in ("value", "ci_lower", "ci_upper"):
                cols[c] = cols[c] * ref.scale
            parts.append(cols)
        if not parts:
            return _empty()
        return frame(
            {c: np.concatenate([p[c] for p in parts]) for c in SERIES_COLUMNS}, SERIES_COLUMNS
        )

    def _note_vintage(self, refs, areas, got, best, latest_any) -> None:
        """For each area, the files that run later than the one its figure came from but
        could not give it one (with the reason the aggregation path gave)."""
        runs_to: dict[int, tuple[float, str]] = {}
        for i, (ref, _, _) in enumerate(got):
            s = self.agg.measures.slice(ref.dataset, ref.measure)
            if len(s):
                ok = s[s["value"].notna()]
                rel = ", ".join(sorted({str(r) for r in ok["release"].dropna().unique()}))
                runs_to[i] = (float(ok["year"].max()) if len(ok) else -np.inf, rel)
        key = tuple(r.label for r in refs)
        for a in areas:
            j = best.get(a.code)
            if j is None:
                continue
            own_latest = latest_any[j][a.code]
            newer = []
            for i, (ref, _, latest) in enumerate(got):
                if i == j or i not in runs_to:
                    continue
                to, rel = runs_to[i]
                if to > own_latest:
                    if a.code in latest:
                        why = (
                            f"its figures for {a.name} after {int(own_latest)} could only be "
                            "built with a base (hours, jobs, population) of an earlier year"
                        )
                    else:
                        why = self.notes.get(
                            (ref.measure, a.code), "it has no figure for this area"
                        )
                    newer.append(
                        f"{ref.dataset} (release {rel or 'not stated'}, to {int(to)}) could not "
                        f"be used: {why}"
                    )
            if newer:
                used = got[j][0]
                self.vintage[(key, a.code)] = (
                    f"{a.name}'s figure comes from {used.dataset} (to {int(own_latest)}); "
                    + "; ".join(newer)
                )

    # ---------------------------------------------------------------- indicators
    def indicator(self, ind: Indicator | str, areas: Sequence[Area]) -> pd.DataFrame:
        """One indicator for the areas, all years (columns SERIES_COLUMNS + indicator_id)."""
        if isinstance(ind, str):
            ind = self.registry[ind]
        key = (ind.id, tuple(a.code for a in areas))
        if key not in self._ind:
            fn = getattr(self, f"_k_{ind.kind}")
            res = fn(ind, list(areas))
            if res.empty:
                res = _empty()
            res = res.reindex(columns=SERIES_COLUMNS)
            res["indicator_id"] = ind.id
            # by area then year: integer codes sort far faster than the code strings
            area_rank = pd.factorize(res["area_code"].to_numpy(dtype=object), sort=True)[0]
            year = res["year"].to_numpy(dtype=float, na_value=np.nan)
            period = pd.factorize(res["period"].astype(str).to_numpy(dtype=object), sort=True)[0]
            order = np.lexsort((period, year, area_rank))
            res = res.take(order).reset_index(drop=True)
            # Several snapshots in one year (DfT's quarterly EV charger counts): the
            # latest period of the year stands for the year, so each area has one
            # figure a year to compare (ISO periods sort in time order).
            res = res[~res.duplicated(["area_code", "year"], keep="last")].reset_index(drop=True)
            self._ind[key] = res
        return self._ind[key]

    def comparable(
        self, ind: Indicator | str, areas: Sequence[Area], *, like: Area | None = None
    ) -> pd.DataFrame:
        """The indicator for the areas, each taken where it can be from the same file as
        ``like``'s latest figure (default: the first area's): an area and its benchmarks
        compared like for like when two releases give the measure (L&L's GVA per hour from
        the June 2024 workbook against the UK's from the same workbook, not from ELS's
        revised June 2025 series). Other areas keep their own newest figures."""
        if isinstance(ind, str):
            ind = self.registry[ind]
        vals = self.indicator(ind, areas)
        if ind.kind != "measure" or len(ind.sources) < 2 or not len(areas):
            return vals
        subject = like or areas[0]
        own = self.indicator(ind, [subject])
        own = own[own["value"].notna()]
        if own.empty:
            return vals
        cur = own.sort_values("year").iloc[-1]
        return _same_source(self, ind, vals, cur, list(areas))

    def section_benchmark(self, ref: Ref, industries: Sequence[str] | None = None) -> Area | None:
        """The benchmark for industry shares (LQ, specialisation): the UK, else England,
        whose industry breakdown is complete. Where publishers suppress a few districts'
        cells (``[c]``), a nation's industries cannot be summed; the benchmark is then the
        nation without those districts, named so (shares barely move for 4 of 296).
        ``industries``: the industries the breakdown must be complete in (default: the
        SIC sections of GVA; finer industries are suppressed in more districts)."""
        from dataclasses import replace as _replace

        inds = tuple(industries) if industries is not None else GVA_SECTIONS
        key = (ref.dataset, ref.measure, inds)
        if key in self._section_benchmarks:
            return self._section_benchmarks[key]
        s = self.agg.measures.slice(ref.dataset, ref.measure)
        if s.empty:
            return None
        found = None
        secs = s[s["industry"].isin(inds)]
        for code in (UK, ENGLAND):
            if code not in self.geo or secs.empty:
                continue
            nation = self.geo.area(code)
            sub = secs[secs["geography_code"].isin(nation.members)]
            have = set(sub["geography_code"])
            if len(have) < 0.9 * len(nation.members):
                continue  # the data cover too little of this nation (e.g. England-only files for the UK)
            bad = set(sub.loc[sub["value"].isna(), "geography_code"])
            missing = set(nation.members) - have
            drop = bad | missing
            if not drop:
                found = nation
            else:
                # the code names the districts left out, so two benchmarks that leave out
                # different districts (sections, finer industries) are never confused
                found = _replace(
                    nation,
                    code=f"{nation.code}-complete"
                    + ("" if industries is None else f"-{len(drop)}"),
                    name=f"{nation.name} (excluding {len(drop)} districts with suppressed or missing cells)",
                    members=tuple(m for m in nation.members if m not in drop),
                )
            break
        self._section_benchmarks[key] = found
        return found

    def _k_measure(self, ind: Indicator, areas: list[Area]) -> pd.DataFrame:
        return self.measure_series(ind.sources, areas)

    def _k_ratio(self, ind: Indicator, areas: list[Area]) -> pd.DataFrame:
        # Numerator and denominator from the same release where they can be: a share of
        # the population must not divide one estimate's count by another estimate's total
        # (the mid-2020 16-64 count over a Census-rebased total moved L&L's working-age
        # share by 0.4 points). Listed pairs first, then any mix for the areas left.
        parts = []
        remaining = list(areas)
        if len(ind.numerator) == len(ind.denominator) > 1:
            for n_ref, d_ref in zip(ind.numerator, ind.denominator, strict=True):
                if not remaining:
                    break
                got = _divide(
                    self.measure_series([n_ref], remaining),
                    self.measure_series([d_ref], remaining),
                    ind.scale,
                    ind,
                )
                if got.empty:
                    continue
                have = set(got.loc[got["value"].notna(), "area_code"])
                if have:
                    parts.append(got[got["area_code"].isin(have)])
                    remaining = [a for a in remaining if a.code not in have]
        if remaining:
            num = self.measure_series(ind.numerator, remaining)
            den = self.measure_series(ind.denominator, remaining)
            parts.append(_divide(num, den, ind.scale, ind))
        parts = [p for p in parts if len(p)]
        if not parts:
            return _empty()
        return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)

    def _k_share(self, ind: Indicator, areas: list[Area]) -> pd.DataFrame:
        # the parts and the total as their own selections of the measure (the total is
        # the same aggregation as the measure's own indicator, and shared with it)
        ref = ind.numerator[0]
        if ind.industries:
            part = self.aggregated(
                ref, areas, industries=ind.industries, breakdowns=[ref.breakdown]
            )
            total = self.aggregated(
                ref, areas, industries=[ref.industry], breakdowns=[ref.breakdown]
            )
            need = len(ind.industries)
        else:
            part = self.aggregated(ref, areas, industries=[ref.industry], breakdowns=ind.breakdowns)
            total = self.aggregated(
                ref, areas, industries=[ref.industry], breakdowns=["Total", "All"]
            )
            need = len(ind.breakdowns)
        if part.empty or total.empty:
            return _empty()
        num = _sum_by_area_year(part, need)
        return _divide(num, total, 100.0, ind)

    def _k_difference(self, ind: Indicator, areas: list[Area]) -> pd.DataFrame:
        a = self.indicator(ind.of, areas)  # type: ignore[arg-type]
        b = self.indicator(ind.minus, areas)  # type: ignore[arg-type]
        m = a.merge(
            b[["area_code", "year", "value", "source", "release"]],
            on=["area_code", "year"],
            suffixes=("", "_b"),
        )
        m["value"] = m["value"] - m["value_b"]
        m["ci_lower"] = np.nan
        m["ci_upper"] = np.nan
        m["method"] = f"{ind.of} minus {ind.minus}"
        m["source"] = m["source"].astype(str) + ", " + m["source_b"].astype(str)
        return m

    def _k_index(self, ind: Indicator, areas: list[Area]) -> pd.DataFrame:
        # The publisher's own index where it prints one for the exact area.
        pub = []
        remaining = list(areas)
        for ref in ind.sources:
            if not remaining:
                continue
            found = self.agg.aggregate(ref.dataset, ref.measure, remaining, build=False)
            if found.columns is not None:
                cols: dict[str, Any] = dict(found.columns)
                cols["method"] = "published index"
                cols["source"] = ref.dataset
                hit = frame(cols).drop_duplicates(["area_code", "year"])
                pub.append(hit.reindex(columns=SERIES_COLUMNS))
                got = set(cols["area_code"])
                remaining = [a for a in remaining if a.code not in got]
        if remaining and UK in self.geo:
            uk = self.geo.area(UK)
            base = self.indicator(ind.of, [*remaining, uk])  # type: ignore[arg-type]
            ukv = base[base["area_code"] == UK].set_index("year")["value"]
            own = base[base["area_code"].isin([a.code for a in remaining if a.code != UK])].copy()
            if any(a.code == UK for a in remaining):
                own = pd.concat([own, base[base["area_code"] == UK]], ignore_index=True)
            uk_same_year = own["year"].map(ukv)
            of = self.registry[ind.of]  # type: ignore[index]
            if of.kind == "measure" and len(of.sources) > 1:
                # the UK from the same file as each area's figure (L&L's June 2024 GVA per
                # hour over the June 2024 UK, not over ELS's revised June 2025 UK)
                for ref in of.sources:
                    mine = (own["source"].astype(str) == ref.dataset).to_numpy()
                    if not mine.any():
                        continue
                    u = self.measure_series([ref], [uk])
                    u = u[u["value"].notna()].set_index("year")["value"]
                    same = own.loc[mine, "year"].map(u)
                    uk_same_year.loc[mine] = same.where(same.notna(), uk_same_year.loc[mine])
            for c in ("value", "ci_lower", "ci_upper"):
                own[c] = index_gap(own[c], uk_same_year)[0]
            own["method"] = own["method"].astype(str) + "; ÷ UK × 100"
            pub.append(own.reindex(columns=SERIES_COLUMNS))
        return pd.concat(pub, ignore_index=True) if pub else _empty()

    def _k_growth(self, ind: Indicator, areas: list[Area]) -> pd.DataFrame:
        base = (
            self.indicator(ind.of, areas)
            if ind.of in self.registry
            else self.measure_series(ind.sources, areas)
        )
        if base.empty:
            return _empty()
        n = ind.years
        b = base[["area_code", "year", "value"]].copy()
        b["year"] = b["year"].astype(int) + n
        m = base.merge(b, on=["area_code", "year"], how="inner", suffixes=("", "_start"))
        m["status"] = m["status"].astype(object)
        ok = m["value_start"] > 0
        m["value"] = cagr_array(m["value_start"], m["value"], n) * 100
        m.loc[~ok, "status"] = "start value zero or missing"
        m["ci_lower"] = np.nan
        m["ci_upper"] = np.nan
        m["period"] = (
            (m["year"].astype(int) - n).astype(str) + "-" + m["year"].astype(int).astype(str)
        )
        m["method"] = f"compound annual growth over {n} years of " + m["method"].astype(str)
        return m

    def _k_spread(self, ind: Indicator, areas: list[Area]) -> pd.DataFrame:
        multi = [a for a in areas if len(a.members) > 1]
        if not multi:
            return _empty()
        lads = sorted({m for a in multi for m in a.members})
        # the districts' values, computed with the areas asked for when they include
        # them (a national panel: the same computation, already done)
        have = {a.code for a in areas}
        pool = [*areas, *(self.geo.area(c) for c in lads if c in self.geo and c not in have)]
        vals = self.indicator(ind.of, pool)  # type: ignore[arg-type]
        vals = vals[vals["area_code"].isin(lads)]
        mem = pd.DataFrame(
            [(a.code, m) for a in multi for m in a.members], columns=["owner", "area_code"]
        )
        d = mem.merge(vals, on="area_code")
        g = d.groupby(["owner", "year"], observed=True)
        res = g.agg(hi=("value", "max"), lo=("value", "min"), n=("value", "count"), period=("period", "first"),
                    source=("source", "first"), release=("release", "first"), demo=("demo", "all")).reset_index()  # fmt: skip
        size = {a.code: len(a.members) for a in multi}
        res = res[res["n"] == res["owner"].map(size)]
        res["value"] = res["hi"] / res["lo"]
        res["method"] = "highest ÷ lowest of " + res["n"].astype(str) + " districts"
        return res.rename(columns={"owner": "area_code"})

    def _k_specialisation(self, ind: Indicator, areas: list[Area]) -> pd.DataFrame:
        ref = ind.numerator[0]
        base = self.section_benchmark(ref)
        if base is None:
            return _empty()
        sel = {"industries": list(GVA_SECTIONS), "breakdowns": [ref.breakdown]}
        sec = self.aggregated(ref, areas, **sel)
        if all(a.code != base.code for a in areas):
            sec = pd.concat([sec, self.aggregated(ref, [base], **sel)], ignore_index=True)
        if sec.empty:
            return _empty()
        # every area and year in one pass (18 sections x every area x every year)
        k = krugman_indices(
            sec["area_code"].to_numpy(dtype=object),
            sec["year"].to_numpy(dtype=float),
            sec["industry"].to_numpy(dtype=object),
            sec["value"].to_numpy(dtype=float),
            benchmark=base.code,
            complete=len(GVA_SECTIONS),
        )
        fr = k["first_row"].to_numpy()
        group = k.attrs["group"]
        has = group >= 0
        not_demo = np.bincount(
            group[has],
            weights=(~sec["demo"].to_numpy(dtype=bool))[has].astype(float),
            minlength=len(k),
        )
        res = frame(
            {
                "area_code": k["area"].to_numpy(dtype=object),
                "year": k["period"].to_numpy(),
                "value": k["krugman"].to_numpy(),
                "n": k["n_industries"].to_numpy(),
                "period": sec["period"].to_numpy(dtype=object)[fr],
                "source": sec["source"].to_numpy(dtype=object)[fr],
                "release": sec["release"].to_numpy(dtype=object)[fr],
                "demo": not_demo == 0,
            }
        )
        res["method"] = f"Σ |area share − {base.name} share| over 18 sections"
        return res[res["area_code"].isin([a.code for a in areas])]


def _sum_by_area_year(part: pd.DataFrame, need: int) -> pd.DataFrame:
    """Sum of ``value`` by area and year (missing unless all ``need`` parts are present),
    labels from each group's first row; on integer codes (pandas' groupby on text keys
    was the slowest step of the share indicators)."""
    if part.empty:
        return _empty()
    a_code, a_u = pd.factorize(part["area_code"].to_numpy(dtype=object))
    y_code, y_u = pd.factorize(part["year"].to_numpy(dtype=float))
    key = a_code * len(y_u) + y_code
    n_key = len(a_u) * len(y_u)
    v = part["value"].to_numpy(dtype=float)
    have = np.isfinite(v)
    total = np.bincount(key[have], weights=v[have], minlength=n_key)
    n = np.bincount(key[have], minlength=n_key)
    groups = np.unique(key)
    first = np.full(n_key, -1, dtype=np.int64)
    first[key[::-1]] = np.arange(len(key))[::-1]
    fr = first[groups]
    not_demo = np.bincount(
        key, weights=(~part["demo"].to_numpy(dtype=bool)).astype(float), minlength=n_key
    )
    cols = {
        "area_code": np.asarray(a_u, dtype=object)[groups // len(y_u)],
        "year": np.asarray(y_u)[groups % len(y_u)],
        "value": np.where(n[groups] < need, np.nan, total[groups]),
        "ci_lower": np.full(len(groups), np.nan),
        "ci_upper": np.full(len(groups), np.nan),
        "status": np.full(len(groups), None, dtype=object),
        "demo": not_demo[groups] == 0,
    }
    for c in ("period", "method", "source", "release"):
        cols[c] = part[c].to_numpy(dtype=object)[fr]
    return frame(cols, SERIES_COLUMNS)


def _text(values: Any) -> np.ndarray:
    """A writable object array of the values (None for missing)."""
    return np.array(pd.Series(values).to_numpy(dtype=object, na_value=None), dtype=object)


def _join(left: np.ndarray, sep: str, right: np.ndarray) -> np.ndarray:
    """Element-wise ``left + sep + right`` (``left`` alone where ``right`` is missing),
    computed once per distinct pair (a few per indicator, over many rows)."""
    lc, lu = pd.factorize(left, use_na_sentinel=False)
    rc, ru = pd.factorize(right, use_na_sentinel=False)
    pair = lc * len(ru) + rc
    up, inv = np.unique(pair, return_inverse=True)
    labels = np.array(
        [
            lu[p // len(ru)]
            if pd.isna(ru[p % len(ru)])
            else f"{lu[p // len(ru)]}{sep}{ru[p % len(ru)]}"
            for p in up
        ],
        dtype=object,
    )
    return labels[inv]


def _divide(num: pd.DataFrame, den: pd.DataFrame, scale: float, ind: Indicator) -> pd.DataFrame:
    """num / den × scale by area and year; the denominator's nearest year when it is
    published for fewer years (labelled in ``method``). Matched on integer keys."""
    if num.empty or den.empty:
        return _empty()
    d = den[den["value"].notna()]
    if d.empty:
        return _empty()
    n_area, d_area = _text(num["area_code"]), _text(d["area_code"])
    codes = pd.factorize(np.concatenate([n_area, d_area]))[0].astype(np.int64)
    ny = num["year"].to_numpy(dtype=float, na_value=np.nan)
    dy = d["year"].to_numpy(dtype=float, na_value=np.nan)
    nkey = codes[: len(n_area)] * 100_000 + np.nan_to_num(ny, nan=-1).astype(np.int64)
    dkey = codes[len(n_area) :] * 100_000 + np.nan_to_num(dy, nan=-1).astype(np.int64)
    ukey, first = np.unique(dkey, return_index=True)  # one denominator per area and year
    pos = np.searchsorted(ukey, nkey)
    pos = np.clip(pos, 0, max(len(ukey) - 1, 0))
    hit = (ukey[pos] == nkey) if len(ukey) else np.zeros(len(nkey), dtype=bool)
    drow = np.where(hit, first[pos] if len(first) else 0, -1)
    d_val = d["value"].to_numpy(dtype=float, na_value=np.nan)
    d_src = _text(d["source"])
    value_den = np.where(drow >= 0, d_val[drow], np.nan)
    src_den = np.empty(len(drow), dtype=object)  # None where no denominator
    src_den[drow >= 0] = d_src[drow[drow >= 0]]
    method = _text(num["method"])
    release = _text(num["release"])
    lacking = np.flatnonzero(drow < 0)
    if len(lacking) and len(d):
        # the denominator's nearest year, for each area (e.g. a base published for 2020 only)
        left = pd.DataFrame(
            {
                "i": lacking,
                "area_code": pd.Series(n_area[lacking], dtype=object),
                "year": np.nan_to_num(ny[lacking], nan=-1).astype("int64"),
            }
        )
        right = pd.DataFrame(
            {
                "j": np.arange(len(d)),
                "area_code": pd.Series(d_area, dtype=object),
                "year_den": np.nan_to_num(dy, nan=-1).astype("int64"),
            }
        )
        near = pd.merge_asof(
            left.sort_values("year"),
            right.sort_values("year_den"),
            left_on="year",
            right_on="year_den",
            by="area_code",
            direction="nearest",
        ).dropna(subset=["j"])
        if len(near):
            i = near["i"].to_numpy(dtype=np.int64)
            j = near["j"].to_numpy(dtype=np.int64)
            value_den[i] = d_val[j]
            src_den[i] = d_src[j]
            method[i] = _join(
                method[i],
                "; base of ",
                near["year_den"].astype(int).astype(str).to_numpy(dtype=object),
            )
    status = _text(num["status"])
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = value_den > 0
        value = np.where(
            ok, num["value"].to_numpy(dtype=float, na_value=np.nan) / value_den * scale, np.nan
        )
    status[~ok & np.isfinite(value_den)] = "zero denominator"
    nan = np.full(len(value), np.nan)
    return frame(
        {
            "area_code": n_area,
            "year": ny,
            "period": _text(num["period"]),
            "value": value,
            "ci_lower": nan,
            "ci_upper": nan,
            "status": status,
            "method": method,
            "source": _join(_text(num["source"]), " / ", src_den),
            "release": release,
            "demo": num["demo"].to_numpy(dtype=bool, na_value=False),
        }
    )


# --------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------


def compute(
    indicator: str | Indicator, areas: Area | Sequence[Area], *, obs: pd.DataFrame, geo: Geography
) -> pd.DataFrame:
    """One indicator for one or many areas, every year available.

    Returns
    -------
    pandas.DataFrame
        ``indicator_id, area_code, year, period, value, ci_lower, ci_upper, status,
        method, source, release, demo``.
    """
    ctx = Context(obs, geo)
    areas = [areas] if isinstance(areas, Area) else list(areas)
    return ctx.indicator(indicator, areas)


def panel(
    areas: Sequence[Area],
    *,
    obs: pd.DataFrame,
    geo: Geography,
    indicators: Iterable[str] | None = None,
    ctx: Context | None = None,
) -> pd.DataFrame:
    """Many indicators for many areas, all years, in one long frame (see :func:`compute`)."""
    ctx = ctx or Context(obs, geo)
    ids = list(indicators) if indicators is not None else list(ctx.registry)
    frames = [ctx.indicator(i, list(areas)) for i in ids]
    return pd.concat([f for f in frames if len(f)], ignore_index=True) if frames else _empty()


@dataclass
class Benchmarks:
    """The comparators of an area: named benchmark areas, peers and neighbours."""

    area: Area
    fixed: list[tuple[str, Area]]  # (kind, area): uk, england, region
    peers: list[Area]
    neighbours: list[Area]
    neighbour_table: pd.DataFrame | None = None


def benchmarks_for(
    area: Area,
    geo: Geography,
    kinds: Sequence[str] = ("uk", "england", "region", "peers", "neighbours"),
) -> Benchmarks:
    """UK, England, the area's region, its peers (other LSIP areas, or areas of its own
    level) and room for statistical neighbours (found by :func:`neighbours`)."""
    fixed: list[tuple[str, Area]] = []
    if "uk" in kinds and UK in geo and area.code != UK:
        fixed.append(("uk", geo.area(UK)))
    if (
        "england" in kinds
        and ENGLAND in geo
        and area.code not in (ENGLAND, UK)
        and all(m.startswith("E") for m in area.members)
    ):
        fixed.append(("england", geo.area(ENGLAND)))
    if "region" in kinds and area.region and area.region in geo and area.region != area.code:
        fixed.append(("region", geo.area(area.region)))
    peers = geo.peers(area) if ("peers" in kinds or "neighbours" in kinds) else []
    return Benchmarks(area=area, fixed=fixed, peers=peers, neighbours=[])


def neighbours(
    area: Area,
    *,
    obs: pd.DataFrame,
    geo: Geography,
    k: int = 5,
    characteristics: Sequence[str] | None = None,
    candidates: Sequence[Area] | None = None,
    ctx: Context | None = None,
):
    """The ``k`` statistical neighbours of ``area`` among ``candidates`` (its peers by
    default) on standardised characteristics (indicator ids; default: those flagged
    ``neighbour_characteristic`` in the registry), latest common year of each.

    Returns
    -------
    lis_analysis.methods.Neighbours
        ``.codes`` nearest first, ``.table`` with distances, ``.dropped`` candidates.
    """
    from ..methods import statistical_neighbours

    ctx = ctx or Context(obs, geo)
    cands = list(candidates) if candidates is not None else geo.peers(area)
    chars = (
        list(characteristics)
        if characteristics
        else [i.id for i in ctx.registry.values() if i.neighbour_characteristic]
    )
    cols = {}
    for cid in chars:
        vals = ctx.indicator(cid, [area, *cands])
        vals = vals.dropna(subset=["value"])
        if vals.empty:
            continue
        own = vals[vals["area_code"] == area.code]
        if own.empty:
            raise DataNotAvailable(f"statistical neighbours: {cid} has no value for {area.name}")
        year = own["year"].max()
        cols[cid] = vals[vals["year"] == year].set_index("area_code")["value"]
    if not cols:
        raise DataNotAvailable("statistical neighbours: none of the characteristics has data")
    frame = pd.DataFrame(cols)
    return statistical_neighbours(frame, area.code, k=min(k, max(1, len(frame) - 1)))


def table(
    area: Area,
    *,
    obs: pd.DataFrame,
    geo: Geography,
    indicators: Iterable[str] | None = None,
    benchmarks: Sequence[str] = ("uk", "england", "region", "peers", "neighbours"),
    year: int | None = None,
    start_year: int | None = None,
    neighbours_k: int = 5,
    characteristics: Sequence[str] | None = None,
    ctx: Context | None = None,
    series: bool = False,
) -> pd.DataFrame:
    """The indicator table for ``area`` against its benchmarks (DESIGN.md columns).

    One row per indicator and benchmark: the area's value in its latest year (up to
    ``year``), the benchmark's value for the same year, index (benchmark = 100), gap,
    whether the difference is statistically significant (where intervals exist; None
    otherwise), and the area's rank among its peers (1 = best by polarity).

    With ``series=True`` every year from ``start_year`` to ``year`` (each bound optional)
    gets its rows, in the same long table: the series behind a trend, each year against
    the benchmarks' values for that year.

    Indicators the area has no value for are left out; ``table.attrs["missing"]`` says
    why for each (not aggregable, not published at this geography, no data).
    """
    ctx = ctx or Context(obs, geo)
    reg = ctx.registry
    ids = list(indicators) if indicators is not None else list(reg)
    unknown = [i for i in ids if i not in reg]
    if unknown:
        raise LisError(f"unknown indicator(s) {', '.join(unknown)} (known: {', '.join(reg)})")
    bm = benchmarks_for(area, geo, benchmarks)
    neigh = None
    if "neighbours" in benchmarks and bm.peers:
        try:
            neigh = neighbours(
                area,
                obs=obs,
                geo=geo,
                k=neighbours_k,
                characteristics=characteristics,
                candidates=bm.peers,
                ctx=ctx,
            )
            bm.neighbours = [geo.area(c) for c in neigh.codes]
            bm.neighbour_table = neigh.table
        except LisError as exc:
            log.info("no statistical neighbours: %s", exc)
    all_areas = [area, *(a for _, a in bm.fixed), *bm.peers]
    rows = []
    missing: dict[str, str] = {}
    shown_parts: dict[str, Parts] = {}
    vintage: dict[str, str] = {}
    for iid in ids:
        ind = reg[iid]
        vals = ctx.indicator(ind, all_areas)
        own = vals[(vals["area_code"] == area.code) & vals["value"].notna()]
        if year is not None:
            own = own[own["year"] <= year]
        if start_year is not None:
            own = own[own["year"] >= start_year]
        if own.empty or ind.parts:
            # no figure for the area: its published parts (and, for an ASHE median, the
            # mixture estimate, which then stands as the area's figure, labelled so)
            p = parts_of(ctx, ind, area, bm.fixed, year=year)
            if p is not None and (start_year is None or p.year >= start_year):
                shown_parts[iid] = p
                if own.empty and p.estimate is not None:
                    own = pd.DataFrame([_estimate_row(p, vals)])
                elif own.empty:
                    built = built_from_parts(ctx, ind, p)
                    if built is not None:
                        own = pd.DataFrame([built])
        if own.empty:
            why = _why_missing(ctx, ind, area)
            if iid in shown_parts:
                why = f"{why.rstrip('.')}; no single figure, so its parts are shown: {shown_parts[iid].summary()}"
            missing[iid] = why
            continue
        own = own.sort_values("year")
        current = [r for _, r in own.iterrows()] if series else [own.iloc[-1]]
        key = (tuple(r.label for r in ind.sources), area.code)
        if ind.kind == "measure" and key in ctx.vintage:
            vintage[iid] = ctx.vintage[key]
        for cur in current:
            rows.extend(
                _table_rows(ind, area, bm, _same_source(ctx, ind, vals, cur, all_areas), cur)
            )
    out = pd.DataFrame(rows, columns=TABLE_COLUMNS + TABLE_EXTRA)
    out["basis"] = [basis_of(m) for m in out["method"]]
    out.attrs["parts"] = shown_parts
    out.attrs["vintage"] = vintage
    out.attrs["parts_table"] = parts_table(shown_parts)
    out["significant"] = out["significant"].astype("boolean")
    out["rank"] = out["rank"].astype("Int64")
    out.attrs["missing"] = missing
    out.attrs["neighbours"] = None if neigh is None else neigh.table
    out.attrs["peers"] = [p.code for p in bm.peers]
    return out


def _same_source(
    ctx: Context, ind: Indicator, vals: pd.DataFrame, cur: pd.Series, areas: Sequence[Area]
) -> pd.DataFrame:
    """The indicator's values with the benchmarks taken, where they can be, from the
    same file as the area's figure: when two releases give the measure (the area's GVA
    per hour from the June 2024 workbook, the UK's from ELS June 2025), the area is
    compared like for like, with the same release's revisions."""
    if ind.kind != "measure" or len(ind.sources) < 2:
        return vals
    ref = next((r for r in ind.sources if r.dataset == str(cur["source"])), None)
    if ref is None:
        return vals
    same = ctx.measure_series([ref], list(areas))
    same = same[same["value"].notna()]
    have = set(zip(same["area_code"], same["year"], strict=True))
    rest = vals[[(a, y) not in have for a, y in zip(vals["area_code"], vals["year"], strict=True)]]
    return pd.concat([same.assign(indicator_id=ind.id), rest], ignore_index=True)


def _estimate_row(p: Parts, vals: pd.DataFrame) -> dict[str, Any]:
    """The area's series row for a mixture estimate (see :mod:`.parts`)."""
    same = vals[(vals["year"] == p.year) & vals["value"].notna()]
    return {
        "area_code": p.area_code,
        "year": p.year,
        "period": p.period,
        "value": p.estimate,
        "ci_lower": np.nan,
        "ci_upper": np.nan,
        "status": "estimate",
        "method": p.estimate_note,
        "source": str(same.iloc[0]["source"]) if len(same) else "",
        "release": p.release,
        "demo": bool(same["demo"].all()) if len(same) else False,
    }


def _table_rows(
    ind: Indicator, area: Area, bm: Benchmarks, vals: pd.DataFrame, cur: pd.Series
) -> list[dict[str, Any]]:
    """The table rows of one indicator in one year (``cur``: the area's value that year)
    against each benchmark's value for the same year."""
    from ..methods import significance_of_difference
    from ..methods.uncertainty import se_from_ci

    rows: list[dict[str, Any]] = []
    y = int(cur["year"])
    same = vals[(vals["year"] == y) & vals["value"].notna()].set_index("area_code")
    peer_codes = [p.code for p in bm.peers]
    peer_vals = same["value"].reindex([area.code, *peer_codes]).dropna()
    sign = {"higher": 1, "lower": -1}.get(ind.polarity, 1)
    rank = (
        int((sign * peer_vals).rank(ascending=False, method="min").get(area.code))
        if area.code in peer_vals
        else None
    )
    n_peers = int(len(peer_vals) - 1) if area.code in peer_vals else 0
    comparators: list[tuple[str, str, str, float, float, float, str]] = []
    # A spread between districts is compared only with areas of the same kind (the peers'
    # median): a nation's or a region's spread is between hundreds or dozens of districts
    # (England's GVA per head spread is the City of London's figure), no comparison.
    fixed = [] if ind.kind == "spread" else bm.fixed
    for kind, b in fixed:
        if b.code in same.index:
            r = same.loc[b.code]
            comparators.append(
                (
                    kind,
                    b.code,
                    b.name,
                    float(r["value"]),
                    r["ci_lower"],
                    r["ci_upper"],
                    str(r["method"]),
                )
            )
    if len(peer_vals) > 1:
        pv = peer_vals.drop(area.code, errors="ignore")
        comparators.append(
            (
                "peers",
                "peers",
                f"median of {len(pv)} peer areas",
                float(pv.median()),
                np.nan,
                np.nan,
                "median of peers",
            )
        )
    if bm.neighbours:
        nv = same["value"].reindex([n.code for n in bm.neighbours]).dropna()
        if len(nv):
            comparators.append(
                (
                    "neighbours",
                    "neighbours",
                    f"median of {len(nv)} statistical neighbours",
                    float(nv.median()),
                    np.nan,
                    np.nan,
                    "median of neighbours",
                )
            )
    if not comparators:
        comparators.append(("none", "", "", np.nan, np.nan, np.nan, ""))
    se = se_from_ci(cur["ci_lower"], cur["ci_upper"]) if pd.notna(cur["ci_lower"]) else np.nan
    index, gap = index_gap(cur["value"], [c[3] for c in comparators])
    for j, (kind, bcode, bname, bval, blo, bhi, _bmethod) in enumerate(comparators):
        bse = se_from_ci(blo, bhi) if pd.notna(blo) and pd.notna(bhi) else np.nan
        sig = None
        if pd.notna(se) and pd.notna(bval):
            sig = significance_of_difference(
                float(cur["value"]), float(se), bval, float(bse) if pd.notna(bse) else 0.0
            ).significant
        rows.append(
            {
                "area_code": area.code,
                "area_name": area.name,
                "indicator_id": ind.id,
                "foundation": ind.foundation,
                "period": str(cur["period"]),
                "value": float(cur["value"]),
                "unit": ind.unit,
                "ci_lower": cur["ci_lower"],
                "ci_upper": cur["ci_upper"],
                "benchmark_code": bcode,
                "benchmark_value": bval,
                "index": index[j],
                "gap": gap[j],
                "significant": sig,
                "rank": rank,
                "n_peers": n_peers,
                "polarity": ind.polarity,
                "source": str(cur["source"]),
                "indicator_name": ind.name,
                "group": ind.group,
                "benchmark_name": bname,
                "benchmark_kind": kind,
                "year": y,
                "method": str(cur["method"]),
                "status": None if pd.isna(cur["status"]) else str(cur["status"]),
                "release": None if pd.isna(cur["release"]) else str(cur["release"]),
                "demo": bool(cur["demo"]) if pd.notna(cur["demo"]) else False,
            }
        )
    return rows


def _why_missing(ctx: Context, ind: Indicator, area: Area) -> str:
    refs = (*ind.sources, *ind.numerator, *ind.denominator)
    for r in refs:
        note = ctx.notes.get((r.measure, area.code))
        if note:
            return note
    # Built, but incomplete: say how many districts were suppressed.
    for key, agg in ctx._agg.items():
        if len(agg) and key[1] in {r.measure for r in refs} and "status" in agg:
            own = agg[
                (agg["area_code"] == area.code)
                & agg["status"].astype(str).str.startswith("incomplete")
            ]
            if len(own):
                last = own.sort_values("year").iloc[-1]
                return f"{ind.name}: {last['status']} in {last['period']} (a figure is never built from part of an area)"
    if ind.kind == "spread" and len(area.members) < 2:
        return f"{ind.name}: {area.name} is a single district, so there is no spread"
    absent = []
    for role, group in (
        ("", ind.sources),
        ("its numerator: ", ind.numerator),
        ("its denominator: ", ind.denominator),
    ):
        if group and not any(len(ctx.agg.measures.slice(r.dataset, r.measure)) for r in group):
            absent.append(role + ", ".join(sorted({r.dataset for r in group})))
    if absent:
        return f"{ind.name}: no data loaded for {'; '.join(absent)}"
    # built from other indicators: say which one has no value, and why
    for dep in (ind.of, ind.minus):
        if dep and dep in ctx.registry:
            got = ctx.indicator(dep, [area])
            if not got["value"].notna().any():
                return f"{ind.name}: needs {_why_missing(ctx, ctx.registry[dep], area)}"
    if ind.kind == "growth":
        return (
            f"{ind.name}: {area.name} has no pair of years {ind.years} apart with a value in both"
        )
    if ind.kind == "spread":
        return f"{ind.name}: not every district of {area.name} has a value in the same year"
    return (
        f"{ind.name}: no value for {area.name} ({ind.aggregation or 'not published for this area'})"
    )
