"""Strengths and weaknesses, and a transparent scoring of emerging priorities.

1. :func:`assess` places every indicator of an area among its peers (robust z-score,
   oriented by polarity), tests the difference from the UK where intervals exist, fits
   the direction of travel (OLS with Newey-West errors) and classifies it strength /
   weakness / neutral by the rule in ``docs/methods.md`` (``methods.classify_position``).
2. :func:`foundation_scores` turns those into one score per group (each of the five
   Foundations of Productivity, and headline productivity): the weighted mean of its
   indicators' z-scores, with weights declared in ``data/weights.yaml``; a low score
   marks a group to address.
3. :func:`sector_scores` ranks industries as opportunities from location quotient,
   growth and productivity (each standardised across sectors, then weighted).
4. :func:`sensitivity` redraws the weights (Dirichlet around the declared ones) at least
   1,000 times and reports each item's rank distribution and a rank-stability figure, so
   a board can see which priorities survive reasonable disagreement about weights.

The method is written out in ``docs/priorities.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from . import _yaml
from .config import PACKAGE_DATA
from .errors import ConfigError, LisError, printable
from .geography import UK, Area
from .indicators.engine import Context
from .indicators.registry import FOUNDATIONS, GROUPS

#: Criteria of the sector score.
SECTOR_CRITERIA = ("lq", "growth", "productivity")


@dataclass(frozen=True)
class Weights:
    """Declared weights: groups (headline productivity and the five foundations),
    indicators within groups, sector criteria."""

    groups: dict[str, float]
    indicators: dict[str, float]
    sectors: dict[str, float]
    concentration: float
    draws: int
    seed: int
    source: str
    #: industries under this share of the area's GVA (%) are not scored as opportunities
    min_share: float = 1.0
    #: the share (%) at which an industry keeps half of its distance from the reference
    half_share: float = 2.0


def _positive(d: Mapping, where: str) -> dict[str, float]:
    out = {}
    for k, v in (d or {}).items():
        try:
            f = float(v)
        except (TypeError, ValueError):
            raise ConfigError(f"{where}: weight of {k} is not a number: {v!r}") from None
        if not np.isfinite(f) or f < 0:
            raise ConfigError(f"{where}: weight of {k} must be zero or positive, not {v!r}")
        out[str(k)] = f
    return out


@lru_cache(maxsize=4)
def load_weights(path: str | None = None) -> Weights:
    """Read the priority weights YAML (the package's ``data/weights.yaml`` by default)."""
    p = Path(path) if path else PACKAGE_DATA / "weights.yaml"
    try:
        doc = _yaml.load(p) or {}
    except OSError as exc:
        raise ConfigError(f"{printable(p)}: cannot read weights ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"{printable(p)}: cannot read weights ({printable(_yaml.describe(exc))})"
        ) from None
    allowed = {"groups", "indicators", "sectors", "sector_size", "sensitivity"}
    if (
        "foundations" in doc and "groups" not in doc
    ):  # older files: the same weights under their old name
        doc = {("groups" if k == "foundations" else k): v for k, v in doc.items()}
    unknown = set(doc) - allowed
    if unknown:
        raise ConfigError(
            f"{p}: unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(allowed))})"
        )
    f = _positive(doc.get("groups", {}), f"{p}: groups")
    bad = set(f) - set(GROUPS)
    if bad:
        raise ConfigError(
            f"{p}: unknown group(s) {', '.join(sorted(bad))} (use {', '.join(GROUPS)})"
        )
    s = _positive(doc.get("sectors", {}), f"{p}: sectors")
    bad = set(s) - set(SECTOR_CRITERIA)
    if bad:
        raise ConfigError(
            f"{p}: unknown sector criteria {', '.join(sorted(bad))} (use {', '.join(SECTOR_CRITERIA)})"
        )
    size = doc.get("sector_size", {}) or {}
    bad = set(size) - {"min_share", "half_share"}
    if bad:
        raise ConfigError(
            f"{p}: sector_size: unknown key(s) {', '.join(sorted(bad))} (use min_share, half_share)"
        )
    size_v = _positive(size, f"{p}: sector_size")
    sens = doc.get("sensitivity", {}) or {}
    draws = int(sens.get("draws", 1000))
    if draws < 1000:
        raise ConfigError(f"{p}: sensitivity draws must be at least 1000, not {draws}")
    return Weights(
        groups=f,
        indicators=_positive(doc.get("indicators", {}), f"{p}: indicators"),
        sectors=s or dict.fromkeys(SECTOR_CRITERIA, 1.0),
        concentration=float(sens.get("concentration", 50.0)),
        draws=draws,
        seed=int(sens.get("seed", 2019)),
        source=str(p),
        min_share=size_v.get("min_share", 1.0),
        half_share=size_v.get("half_share", 2.0) or 2.0,
    )


# --------------------------------------------------------------------------------------
# The thresholds of the reading (data/readings.yaml)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Readings:
    """The thresholds of the classification rule and of its tags (``data/readings.yaml``).

    Attributes
    ----------
    materiality : dict
        ``{"level": log points, "rate": percentage points, "growth": points a year}``.
    materiality_by_indicator : dict
        Overrides by indicator id (on the indicator's own scale).
    strength_needs_top_half : bool
        A lead over the nation is a strength only outside the bottom half of the peers.
    shared_with_most : float
        Share of peers materially on the area's side above which the tag "shared with
        most peers" is given.
    trend_years : int
        Years of the gap series the direction of travel is fitted on.
    worse_than_whole : float
        Thresholds by which a part must be worse than the whole to concentrate a shortfall.
    cap : float
        Largest shortfall (in thresholds) a weakness adds to its foundation's need.
    materiality_factors : tuple of float
        The thresholds' multipliers tried by the sensitivity analysis.
    source : str
        The file read.
    """

    materiality: dict[str, float]
    materiality_by_indicator: dict[str, float]
    strength_needs_top_half: bool
    shared_with_most: float
    trend_years: int
    worse_than_whole: float
    cap: float
    materiality_factors: tuple[float, ...]
    source: str

    def threshold(self, indicator_id: str, scale: str) -> float:
        """The materiality threshold of an indicator on its scale."""
        return float(self.materiality_by_indicator.get(indicator_id, self.materiality[scale]))


def _number(v: Any, where: str, *, positive: bool = True) -> float:
    try:
        f = float(v)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: not a number: {v!r}") from None
    if not np.isfinite(f) or (positive and f <= 0):
        raise ConfigError(f"{where}: must be a positive number, not {v!r}")
    return f


@lru_cache(maxsize=4)
def load_readings(path: str | None = None) -> Readings:
    """Read the thresholds of the reading (the package's ``data/readings.yaml`` by default)."""
    from .methods import GAP_SCALES

    p = Path(path) if path else PACKAGE_DATA / "readings.yaml"
    try:
        doc = _yaml.load(p) or {}
    except OSError as exc:
        raise ConfigError(
            f"{printable(p)}: cannot read the thresholds ({exc.strerror or exc})"
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"{printable(p)}: cannot read the thresholds ({printable(_yaml.describe(exc))})"
        ) from None
    allowed = {"materiality", "comparators", "trend", "concentration", "foundations", "sensitivity"}
    unknown = set(doc) - allowed
    if unknown:
        raise ConfigError(
            f"{p}: unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(allowed))})"
        )
    mat = dict(doc.get("materiality") or {})
    by_ind = {
        str(k): _number(v, f"{p}: materiality of {k}")
        for k, v in (mat.pop("indicators", None) or {}).items()
    }
    missing = set(GAP_SCALES) - set(mat)
    if missing:
        raise ConfigError(f"{p}: materiality needs {', '.join(sorted(missing))}")
    bad = set(mat) - set(GAP_SCALES)
    if bad:
        raise ConfigError(
            f"{p}: unknown materiality scale(s) {', '.join(sorted(bad))} (use {', '.join(GAP_SCALES)} and indicators)"
        )
    comp = doc.get("comparators") or {}
    shared = _number(comp.get("shared_with_most", 0.5), f"{p}: comparators: shared_with_most")
    if shared >= 1:
        raise ConfigError(f"{p}: comparators: shared_with_most is a share below 1, not {shared}")
    years = int(_number((doc.get("trend") or {}).get("years", 10), f"{p}: trend: years"))
    if years < 5:
        raise ConfigError(f"{p}: trend: years must be at least 5 (a trend needs five points)")
    factors = tuple(
        _number(f, f"{p}: sensitivity: materiality_factors")
        for f in (doc.get("sensitivity") or {}).get("materiality_factors", [1.0])
    )
    return Readings(
        materiality={k: _number(v, f"{p}: materiality: {k}") for k, v in mat.items()},
        materiality_by_indicator=by_ind,
        strength_needs_top_half=bool(comp.get("strength_needs_top_half", True)),
        shared_with_most=shared,
        trend_years=years,
        worse_than_whole=_number(
            (doc.get("concentration") or {}).get("worse_than_whole", 1.0),
            f"{p}: concentration: worse_than_whole",
        ),
        cap=_number((doc.get("foundations") or {}).get("cap", 3.0), f"{p}: foundations: cap"),
        materiality_factors=factors or (1.0,),
        source=str(p),
    )


# --------------------------------------------------------------------------------------
# Strengths and weaknesses
# --------------------------------------------------------------------------------------

#: Labels an assessment gives: the rule's (strength, weakness, in line, not assessed) and
#: "context" for indicators of size or structure, which are never better or worse.
CONTEXT = "context"

ASSESS_COLUMNS = [
    "indicator_id",
    "indicator_name",
    "group",
    "foundation",
    "kind",
    "polarity",
    "period",
    "year",
    "value",
    "unit",
    "benchmark_code",
    "benchmark_name",
    "benchmark_value",
    "scale",
    "gap",
    "gap_units",
    "materiality",
    "significant",
    "rank",
    "n",
    "quartile",
    "peers_share",
    "z",
    "trend_slope",
    "trend_ci_lower",
    "trend_ci_upper",
    "trend_significant",
    "trend_start",
    "trend_end",
    "trend_from",
    "trend_from_kind",
    "trend_change",
    "trend",
    "concentrated_in",
    "flagged",
    "tags",
    "classification",
    "reason",
    "uk_value",
    "index_uk",
    "significant_uk",
]


def is_size(ind) -> bool:
    """An indicator that measures the size of the economy (GVA, jobs, hours, population):
    no polarity, a plain measure, not a rate. Its value is compared with the nation as a
    share (1.6% of the UK's jobs), never as an index or a gap."""
    from .methods import gap_scale

    return ind.polarity == "neutral" and ind.kind == "measure" and gap_scale(ind.unit) == "level"


def _benchmark_row(
    rows: pd.DataFrame, ind, ctx: Context, year: int
) -> tuple[pd.Series | None, Area | None]:
    """The national benchmark of an indicator and the area it stands for: the UK's row
    of the indicator table, else England's; for an industry share (a share of GVA by
    industry) with neither, the nation less the districts whose industry cells are
    suppressed (``Context.section_benchmark``, named so); for a spread between districts,
    the median spread among the peer areas (a nation's spread, between hundreds of
    districts, is no comparison; the area is then None)."""
    if ind.kind == "spread":
        r = rows[(rows["benchmark_kind"] == "peers") & rows["benchmark_value"].notna()]
        return (r.iloc[0], None) if len(r) else (None, None)
    for k in ("uk", "england"):
        r = rows[(rows["benchmark_kind"] == k) & rows["benchmark_value"].notna()]
        if len(r):
            code = str(r.iloc[0]["benchmark_code"])
            return r.iloc[0], (ctx.geo.area(code) if code in ctx.geo else None)
    if ind.kind == "share" and ind.industries:
        b = ctx.section_benchmark(ind.numerator[0])
        if b is not None:
            v = ctx.indicator(ind, [b])
            v = v[(v["year"] == year) & v["value"].notna()]
            if len(v):
                row = pd.Series(
                    {
                        "benchmark_kind": "england" if b.code.startswith("E92") else "uk",
                        "benchmark_code": b.code,
                        "benchmark_name": b.name,
                        "benchmark_value": float(v["value"].iloc[0]),
                        "significant": pd.NA,
                    }
                )
                return row, b
    return None, None


def _benchmark_words(row: pd.Series) -> str:
    """The benchmark as a sentence names it: 'the UK', 'England', 'the median of 36
    peer areas'."""
    if row["benchmark_kind"] == "uk" and str(row["benchmark_code"]) == UK:
        return "the UK"
    name = str(row["benchmark_name"])
    return f"the {name}" if name.startswith("median of") else name


def _flagged(ctx: Context, ind, members: Sequence[str], year: int) -> list[str]:
    """Districts of the area whose figures for the indicator in ``year`` carry a
    publisher's flag explained in the caveats log (``markers:`` in caveats.yaml), by name."""
    from .analyses.declared import flag_markers

    markers = list(flag_markers())
    refs = (*ind.sources, *ind.numerator, *ind.denominator)
    if not members or not markers:
        return []
    hit: set[str] = set()
    for r in refs:
        sl = ctx.agg.measures.slice(r.dataset, r.measure)
        if sl.empty:
            continue
        st = sl["status"].astype(object)
        f = sl[st.isin(markers) & sl["geography_code"].isin(members)]
        f = f[f["year"] == year]
        hit |= set(f["geography_code"])
    return [ctx.geo.name(c) for c in members if c in hit]


def _gap_series(
    vals: pd.DataFrame, area_code: str, bench: str, ind, peer_codes: Sequence[str]
) -> pd.Series:
    """The area's oriented gap to its benchmark, by year (the benchmark's own value, or
    the peers' median for a spread)."""
    from .methods import gap_scale, relative_gap

    ok = vals[vals["value"].notna()]
    own = ok[ok["area_code"] == area_code].groupby("year")["value"].first()
    if bench == "peers":
        ref = ok[ok["area_code"].isin(peer_codes)].groupby("year")["value"].median()
    else:
        ref = ok[ok["area_code"] == bench].groupby("year")["value"].first()
    common = own.index.intersection(ref.index)
    if not len(common):
        return pd.Series(dtype="float64")
    g = relative_gap(
        own.loc[common].to_numpy(),
        ref.loc[common].to_numpy(),
        scale=gap_scale(ind.unit, ind.kind),
        higher_is_better=ind.higher_is_better is not False,
    )
    return pd.Series(g, index=common.astype(int)).dropna().sort_index()


def _trend_fields(gaps: pd.Series, years: int) -> dict[str, Any]:
    """The direction of travel from the last ``years`` years of the gap series: the
    Newey-West slope, its tag, and the change over a named period (since the best
    relative position when the gap is widening, since the worst when it narrows, over
    the whole window otherwise)."""
    from .methods import InsufficientData, trend, trend_tag

    out: dict[str, Any] = {
        "trend_slope": np.nan,
        "trend_ci_lower": np.nan,
        "trend_ci_upper": np.nan,
        "trend_significant": None,
        "trend_start": None,
        "trend_end": None,
        "trend_from": None,
        "trend_from_kind": None,
        "trend_change": np.nan,
        "trend": None,
    }
    if gaps.empty:
        return out
    last = int(gaps.index.max())
    window = gaps[gaps.index > last - years]
    try:
        tr = trend(window)
    except InsufficientData:
        return out
    tag = trend_tag(tr.slope, tr.significant, float(window.iloc[-1]))
    worsening = tag in ("gap widening", "lead shrinking")
    improving = tag in ("gap narrowing", "lead growing")
    # the change is named from the best (or worst) year of the whole series, so that
    # "widened by 3.6 points since its 2012 peak" names the turning point a reader sees
    before = gaps.iloc[:-1]
    if worsening:
        ref_year, kind = int(before.idxmax()), "best"
    elif improving:
        ref_year, kind = int(before.idxmin()), "worst"
    else:
        ref_year, kind = int(window.index.min()), "start"
    out.update(
        trend_slope=tr.slope,
        trend_ci_lower=tr.ci_lower,
        trend_ci_upper=tr.ci_upper,
        trend_significant=bool(tr.significant),
        trend_start=int(window.index.min()),
        trend_end=last,
        trend_from=ref_year,
        trend_from_kind=kind,
        trend_change=float(gaps.iloc[-1] - gaps.loc[ref_year]),
        trend=tag,
    )
    return out


def _part_gaps(
    vals: pd.DataFrame, members: Sequence[str], year: int, bench_row: pd.Series, ind, geo
) -> tuple[pd.Series, pd.Series]:
    """The oriented gap of each district of the area to the national benchmark in
    ``year`` (by district name) and whether each is significant (NA without intervals)."""
    from .methods import gap_scale, relative_gap, significance_of_difference
    from .methods.uncertainty import se_from_ci

    d = vals[vals["area_code"].isin(members) & (vals["year"] == year) & vals["value"].notna()]
    if d.empty:
        return pd.Series(dtype="float64"), pd.Series(dtype="object")
    names = [geo.name(c) for c in d["area_code"]]
    g = relative_gap(
        d["value"].to_numpy(dtype=float),
        float(bench_row["benchmark_value"]),
        scale=gap_scale(ind.unit, ind.kind),
        higher_is_better=ind.higher_is_better is not False,
    )
    se = se_from_ci(d["ci_lower"].to_numpy(dtype=float), d["ci_upper"].to_numpy(dtype=float))
    sig = significance_of_difference(
        d["value"].to_numpy(dtype=float), se, float(bench_row["benchmark_value"]), 0.0
    ).significant
    return (
        pd.Series(g, index=names),
        pd.Series(np.asarray(sig, dtype=object), index=names),
    )


def assess(
    area: Area,
    *,
    obs: pd.DataFrame,
    geo,
    table: pd.DataFrame | None = None,
    indicators: Sequence[str] | None = None,
    readings: Readings | None = None,
    ctx: Context | None = None,
    trend_years: int | None = None,
) -> pd.DataFrame:
    """Read every indicator of ``area`` against the nation (columns ASSESS_COLUMNS).

    For each indicator with a polarity: the gap to the national benchmark (the UK, else
    England; for a spread between districts, the peer areas' median spread), oriented so
    that positive is better (``methods.relative_gap``: log points for levels and ratios,
    percentage points for rates); the label by the one rule (``methods.classify_gap``:
    material and significant below is a weakness; material and significant above, and
    not in the bottom half of the peers, a strength; in line otherwise); and the tags:
    the peer quartile, whether most peers share the position, the direction of travel
    (the Newey-West trend of the gap over the last ``trend_years`` years, with the change
    over a named period) and the districts a shortfall is concentrated in.

    Indicators of size or structure (no polarity) are labelled ``context``; indicators
    the area has no figure for are ``not assessed``, with the reason. The rule and its
    thresholds (``data/readings.yaml``) are written out in ``docs/priorities.md``.
    """
    from .indicators.engine import table as indicator_table
    from .methods import (
        GAP_UNITS,
        QUARTILE_WORDS,
        classify_gap,
        concentrated_parts,
        gap_scale,
        index_gap,
        peer_quartile,
        relative_gap,
        robust_z_scores,
    )

    rd = readings or load_readings()
    years = trend_years or rd.trend_years
    ctx = ctx or Context(obs, geo)
    tab = (
        table
        if table is not None
        else indicator_table(area, obs=obs, geo=geo, indicators=indicators, ctx=ctx)
    )
    if tab.empty:
        raise LisError(f"no indicators could be computed for {area.name}")
    peers = [geo.area(c) for c in tab.attrs.get("peers", [])] or geo.peers(area)
    peer_codes = [p.code for p in peers]
    members = [m for m in area.members if m in geo] if len(area.members) > 1 else []
    rows = []
    for iid, grp in tab.groupby("indicator_id", sort=False):
        ind = ctx.registry[iid]
        first = grp.iloc[0]
        year = int(first["year"])
        scale = gap_scale(ind.unit, ind.kind)
        m = rd.threshold(iid, scale)
        ukrow = grp[grp["benchmark_kind"] == "uk"]
        uk_value = float(ukrow["benchmark_value"].iloc[0]) if len(ukrow) else np.nan
        uk_sig = ukrow["significant"].iloc[0] if len(ukrow) else pd.NA
        rec: dict[str, Any] = {
            "indicator_id": iid,
            "indicator_name": ind.name,
            "group": ind.group,
            "foundation": ind.foundation,
            "kind": ind.kind,
            "polarity": ind.polarity,
            "period": first["period"],
            "year": year,
            "value": float(first["value"]),
            "unit": ind.unit,
            "scale": scale,
            "gap_units": GAP_UNITS[scale],
            "materiality": m,
            "rank": first["rank"] if ind.polarity != "neutral" else pd.NA,
            "n": int(first["n_peers"]) + 1 if first["n_peers"] else np.nan,
            "tags": [],
            "concentrated_in": [],
            "flagged": [],
            "uk_value": uk_value,
            "index_uk": float(index_gap(first["value"], uk_value)[0][0]),
            "significant_uk": None if pd.isna(uk_sig) else bool(uk_sig),
        }
        rec.update(_trend_fields(pd.Series(dtype="float64"), years))
        if ind.polarity == "neutral":
            rec.update(
                classification=CONTEXT,
                reason="describes the size or structure of the economy: neither better nor worse",
            )
            rows.append(rec)
            continue
        bench, bench_area = _benchmark_row(grp, ind, ctx, year)
        if bench is None:
            rec.update(
                classification="not assessed",
                reason="no national figure to compare with in the same year",
            )
            rows.append(rec)
            continue
        hib = ind.higher_is_better is not False
        bcode = "peers" if bench_area is None else bench_area.code
        sig = None if pd.isna(bench["significant"]) else bool(bench["significant"])
        gap = float(
            relative_gap(
                first["value"], bench["benchmark_value"], scale=scale, higher_is_better=hib
            )[0]
        )
        n_all = rec["n"]
        rank = None if pd.isna(rec["rank"]) else int(rec["rank"])
        bottom = rank > n_all / 2 if rank is not None and rd.strength_needs_top_half else None
        r = classify_gap(
            gap,
            materiality=m,
            significant=sig,
            bottom_half=bottom,
            scale=scale,
            benchmark_name=_benchmark_words(bench),
        )
        rec.update(
            benchmark_code=bench["benchmark_code"],
            benchmark_name=_benchmark_words(bench),
            benchmark_value=float(bench["benchmark_value"]),
            gap=gap,
            significant=sig,
            classification=r.label,
            reason=r.reason,
        )
        # the area among its peers, and the tags
        vals = ctx.comparable(ind, [area, *([bench_area] if bench_area else []), *peers])
        cur = vals[(vals["year"] == year) & vals["value"].notna()].set_index("area_code")["value"]
        cur = cur[~cur.index.duplicated()]
        if area.code in cur.index and len(cur) >= 3:
            zs = robust_z_scores(
                cur.reindex([area.code, *peer_codes]).dropna(), higher_is_better=hib
            )
            rec["z"] = float(zs.loc[area.code, "z"])
        tags: list[str] = []
        q = peer_quartile(rank, n_all) if rank is not None else None
        rec["quartile"] = q
        if q is not None:
            tags.append(f"{QUARTILE_WORDS[q]} of {int(n_all)}")
        if ind.kind != "spread" and r.label in ("weakness", "strength"):
            pv = cur.reindex(peer_codes).dropna()
            if len(pv):
                pg = relative_gap(
                    pv.to_numpy(),
                    float(bench["benchmark_value"]),
                    scale=scale,
                    higher_is_better=hib,
                )
                share = float(np.mean(pg <= -m) if r.label == "weakness" else np.mean(pg >= m))
                rec["peers_share"] = share
                if share > rd.shared_with_most:
                    tags.append("shared with most peers")
        gaps = _gap_series(vals, area.code, bcode, ind, peer_codes)
        rec.update(_trend_fields(gaps, years))
        if rec["trend"]:
            tags.append(str(rec["trend"]))
        if members and ind.kind != "spread" and r.label != "strength":
            dvals = ctx.indicator(ind, [geo.area(c) for c in members])
            pgaps, psig = _part_gaps(dvals, members, year, bench, ind, geo)
            where = concentrated_parts(
                pgaps, gap, materiality=m, significant=psig, worse_by=m * rd.worse_than_whole
            )
            if where:
                rec["concentrated_in"] = where
                if r.label == "weakness":
                    tags.append(f"concentrated in {_names(where)}")
                else:
                    tags.append(f"much worse in {_names(where)}")
        flagged = _flagged(ctx, ind, members or [area.code], year)
        if flagged:
            rec["flagged"] = flagged
            tags.append(f"publisher flags {_names(flagged)}")
        rec["tags"] = tags
        rows.append(rec)
    missing = tab.attrs.get("missing", {})
    for iid, why in missing.items():
        if indicators is not None and iid not in indicators:
            continue
        ind = ctx.registry[iid]
        rows.append(
            {
                "indicator_id": iid,
                "indicator_name": ind.name,
                "group": ind.group,
                "foundation": ind.foundation,
                "kind": ind.kind,
                "polarity": ind.polarity,
                "unit": ind.unit,
                "tags": [],
                "concentrated_in": [],
                "flagged": [],
                "classification": CONTEXT if ind.polarity == "neutral" else "not assessed",
                "reason": str(why),
            }
        )
    out = pd.DataFrame(rows, columns=ASSESS_COLUMNS)
    order = {iid: k for k, iid in enumerate(ctx.registry)}
    out = out.sort_values("indicator_id", key=lambda s: s.map(order), kind="stable")
    out = out.reset_index(drop=True)
    out.attrs["missing"] = missing
    out.attrs["readings"] = rd.source
    return out


def _names(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --------------------------------------------------------------------------------------
# Foundations by need
# --------------------------------------------------------------------------------------

#: Labels that mean the indicator was read against the nation.
ASSESSED = ("strength", "weakness", "in line")


def _normalise(w: Mapping[str, float], keys: Sequence[str], default: float = 1.0) -> pd.Series:
    s = pd.Series({k: float(w.get(k, default)) for k in keys}, dtype="float64")
    tot = s.sum()
    if tot <= 0:
        raise LisError("the weights sum to zero")
    return s / tot


def _assessable(assessment: pd.DataFrame) -> pd.DataFrame:
    """The rows the need of the foundations is computed from: indicators of the five
    foundations read against the nation (a gap and a threshold)."""
    a = assessment[
        assessment["group"].isin(FOUNDATIONS)
        & assessment["classification"].isin(ASSESSED)
        & assessment["gap"].notna()
        & assessment["materiality"].notna()
    ]
    return a.reset_index(drop=True)


def _severity(a: pd.DataFrame, factor: float, cap: float) -> np.ndarray:
    """Each indicator's shortfall as a weakness, in thresholds (capped), when every
    threshold is multiplied by ``factor``; 0 for an indicator that is not then a weakness
    (the rule: material, and not shown to be insignificant)."""
    gap = a["gap"].to_numpy(dtype=float)
    m = a["materiality"].to_numpy(dtype=float)
    not_insignificant = ~a["significant"].eq(False).fillna(False).to_numpy(dtype=bool)
    weak = (gap <= -factor * m) & not_insignificant
    return np.where(weak, np.minimum(-gap / m, cap), 0.0)


def _need_matrix(
    a: pd.DataFrame,
    found: Sequence[str],
    ind_w: np.ndarray,
    grp_w: np.ndarray,
    severity: np.ndarray,
) -> np.ndarray:
    """Need of each foundation (columns) for each row of indicator weights ``ind_w``
    (draws × indicators; a zero weight leaves an indicator out) and group weights
    ``grp_w`` (draws × foundations): Σ w·severity / Σ w within each foundation, times its
    group weight; NaN where a foundation has no indicator left."""
    out = np.full((ind_w.shape[0], len(found)), np.nan)
    groups = a["group"].to_numpy(dtype=object)
    for j, f in enumerate(found):
        cols = groups == f
        w = ind_w[:, cols]
        tot = w.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, j] = np.where(tot > 0, (w * severity[cols]).sum(axis=1) / tot, np.nan)
        out[:, j] *= grp_w[:, j]
    return out


def _ranks(need: np.ndarray) -> np.ndarray:
    """Rank by need within each row (1 = most in need; ties share the best rank; a NaN
    foundation gets no rank)."""
    from scipy.stats import rankdata

    filled = np.where(np.isnan(need), -np.inf, need)
    r = rankdata(-filled, method="min", axis=1).astype(float)
    r[np.isnan(need)] = np.nan
    return r


def foundation_scores(
    assessment: pd.DataFrame,
    weights: Weights | None = None,
    readings: Readings | None = None,
    *,
    factor: float = 1.0,
) -> pd.DataFrame:
    """The five Foundations of Productivity ranked by need, from their weaknesses.

    Each indicator of a foundation read against the nation adds its shortfall as a
    weakness, in thresholds (``|gap| / materiality``, capped at ``readings.cap``; 0 if
    it is not a weakness); a foundation's need is the weighted mean over its assessed
    indicators (``weights.indicators``), times its own weight (``weights.groups``).
    Rank 1 is the foundation most in need. A foundation with no indicator read against
    the nation is ``not assessed``: no need and no rank, never "neutral".

    Headline productivity is not ranked: it is the outcome the foundations drive, so
    ranking it beside them would count the same shortfall twice, and it is not something
    a strategy acts on directly (its reading is shown above the ranking).

    Parameters
    ----------
    assessment : pandas.DataFrame
        :func:`assess`'s table.
    weights, readings : optional
        Default :func:`load_weights`, :func:`load_readings`.
    factor : float, default 1
        Every threshold multiplied by this (the sensitivity analysis varies it).

    Returns
    -------
    pandas.DataFrame
        One row per foundation: ``group, status`` ("assessed" / "not assessed"),
        ``n_assessed, n_weaknesses, weaknesses`` (names), ``worst`` (indicator id of the
        largest shortfall), ``need, weight, weighted_need, priority_rank``; assessed
        foundations first, by rank.
    """
    w = weights or load_weights()
    rd = readings or load_readings()
    a = _assessable(assessment)
    sev = _severity(a, factor, rd.cap)
    found = [f for f in FOUNDATIONS if (a["group"] == f).any()]
    ind_w = np.array([[float(w.indicators.get(i, 1.0)) for i in a["indicator_id"]]])
    grp_w = np.array([[float(w.groups.get(f, 1.0)) for f in found]])
    need = _need_matrix(a, found, ind_w, grp_w, sev)[0] if found else np.array([])
    ranks = _ranks(need[None, :])[0] if found else np.array([])
    rows = []
    for f in FOUNDATIONS:
        if f not in found or np.isnan(need[found.index(f)]):
            rows.append(
                {
                    "group": f,
                    "status": "not assessed",
                    "n_assessed": 0,
                    "n_weaknesses": 0,
                    "weaknesses": [],
                    "worst": None,
                    "need": np.nan,
                    "weight": float(w.groups.get(f, 1.0)),
                    "weighted_need": np.nan,
                    "priority_rank": pd.NA,
                }
            )
            continue
        j = found.index(f)
        cols = (a["group"] == f).to_numpy()
        sub, s_f = a[cols], sev[cols]
        wk = sub[s_f > 0]
        rows.append(
            {
                "group": f,
                "status": "assessed",
                "n_assessed": int(len(sub)),
                "n_weaknesses": int(len(wk)),
                "weaknesses": list(wk["indicator_name"]),
                "worst": sub["indicator_id"].iloc[int(np.argmax(s_f))] if len(wk) else None,
                "need": float(need[j] / grp_w[0, j]) if grp_w[0, j] else 0.0,
                "weight": float(grp_w[0, j]),
                "weighted_need": float(need[j]),
                "priority_rank": int(ranks[j]),
            }
        )
    out = pd.DataFrame(rows)
    out["priority_rank"] = out["priority_rank"].astype("Int64")
    out = out.sort_values(["priority_rank", "group"], na_position="last", kind="stable")
    out.attrs["factor"] = factor
    return out.reset_index(drop=True)


def sector_inputs(
    area: Area, *, obs: pd.DataFrame, geo, ctx: Context | None = None, years: int = 5
) -> pd.DataFrame:
    """The criteria of the sector opportunity score for each industry at the finest level
    published (:func:`lis_analysis.analyses.sectors.sector_profile`): ``industry, name,
    gva, share`` (% of GVA less imputed rent), ``lq`` (against the named nation),
    ``growth`` and ``national_growth`` (real, % a year over ``years`` years),
    ``productivity`` (GVA per job, nation's same industry = 100; NaN without BRES) and
    ``where`` (the districts it sits in). ``attrs`` as the profile's."""
    from .analyses.sectors import sector_profile

    ctx = ctx or Context(obs, geo)
    prof = sector_profile(area, ctx, growth_years=years)
    out = prof[
        [
            "industry",
            "name",
            "gva",
            "share",
            "lq",
            "growth",
            "national_growth",
            "productivity",
            "where",
        ]
    ].copy()
    out.attrs.update(prof.attrs)
    out.attrs["growth_years"] = prof.attrs["growth_period"]
    return out


def _zcols(df: pd.DataFrame, cols: Sequence[str]) -> pd.DataFrame:
    z = pd.DataFrame(index=df.index)
    for c in cols:
        x = df[c].astype(float)
        sd = x.std(ddof=1)
        z[c] = (x - x.mean()) / sd if sd and np.isfinite(sd) and sd > 0 else 0.0
    return z


def shrink(
    value: pd.Series, toward: pd.Series | float, share: pd.Series, half_share: float
) -> pd.Series:
    """Pull a small industry's figure toward its reference: ``toward + w (value −
    toward)`` with ``w = share / (share + half_share)``, so an industry of ``half_share``
    % of the area's GVA keeps half of its distance from the reference and a large one
    nearly all of it. A location quotient is pulled toward 1, a growth rate toward the
    same industry's national rate, a productivity index toward 100: a tiny industry
    cannot top the ranking on a volatile ratio alone."""
    w = share / (share + half_share)
    return toward + w * (value - toward)


def sector_scores(
    inputs: pd.DataFrame,
    weights: Weights | None = None,
    *,
    min_share: float | None = None,
    half_share: float | None = None,
) -> pd.DataFrame:
    """Score each industry as an opportunity: Σ_c w_c · z_c over the criteria (LQ, real
    growth, productivity) that have data for three or more industries, each shrunk toward
    its reference by the industry's size (:func:`shrink`: LQ toward 1, growth toward the
    same industry nationally, productivity toward 100) and z-scored across industries.
    Industries under ``min_share`` % of the area's GVA are left out (``weights.yaml``:
    ``sector_size``).

    Returns
    -------
    pandas.DataFrame
        the inputs plus ``<criterion>_shrunk``, ``z_<criterion>``, ``score`` and ``rank``
        (1 = strongest opportunity); ``attrs``: ``criteria``, ``weights``, ``min_share``,
        ``half_share``.
    """
    w = weights or load_weights()
    floor = w.min_share if min_share is None else min_share
    half = w.half_share if half_share is None else half_share
    d = inputs[inputs["share"] >= floor].reset_index(drop=True)
    crit = [c for c in SECTOR_CRITERIA if c in d and d[c].notna().sum() >= 3]
    if not crit:
        raise LisError("sector scores need at least one criterion with data for three industries")
    toward = {
        "lq": 1.0,
        "growth": d["national_growth"] if "national_growth" in d else d["growth"].median(),
        "productivity": 100.0,
    }
    for c in crit:
        d[f"{c}_shrunk"] = shrink(d[c].astype(float), toward[c], d["share"], half)
    z = _zcols(d, [f"{c}_shrunk" for c in crit]).fillna(0.0)
    z.columns = crit
    wv = _normalise(w.sectors, crit)
    d = d.assign(**{f"z_{c}": z[c] for c in crit})
    d["score"] = (z[crit] * wv).sum(axis=1)
    d["rank"] = d["score"].rank(ascending=False, method="min").astype(int)
    d.attrs.update(inputs.attrs)
    d.attrs.update(criteria=crit, weights=wv.to_dict(), min_share=floor, half_share=half)
    return d.sort_values("rank").reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Sensitivity
# --------------------------------------------------------------------------------------


def _rank_summary(
    items: list[str], ranks: np.ndarray, declared: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Summary and rank probabilities from a draws × items matrix of ranks."""
    n = len(items)
    probs = np.stack([(ranks == r).mean(axis=0) for r in range(1, n + 1)], axis=1)
    summary = (
        pd.DataFrame(
            {
                "item": items,
                "declared_rank": declared,
                "median_rank": np.median(ranks, axis=0),
                "p05_rank": np.percentile(ranks, 5, axis=0),
                "p95_rank": np.percentile(ranks, 95, axis=0),
                "top_share": (ranks <= min(3, n)).mean(axis=0),
                "stability": (ranks == declared).mean(axis=0),
                "stability_pm1": (np.abs(ranks - declared) <= 1).mean(axis=0),
            }
        )
        .sort_values("declared_rank")
        .reset_index(drop=True)
    )
    rp = pd.DataFrame(probs, index=items, columns=range(1, n + 1)).loc[summary["item"]]
    rp.index.name = "item"
    return summary, rp


@dataclass(frozen=True)
class Sensitivity:
    """Rank distributions of scored items under redrawn weights.

    Attributes
    ----------
    summary : DataFrame
        ``item, declared_rank, median_rank, p05_rank, p95_rank, top_share`` (share of draws
        in the top three) and ``stability`` (share of draws where the item keeps its declared
        rank exactly) and ``stability_pm1`` (within one place).
    rank_probabilities : DataFrame
        items × ranks: the share of draws giving each rank.
    draws : int
    concentration : float
        Dirichlet concentration κ: draws are Dirichlet(κ · declared weights).
    kendall_tau_median : float
        Median Kendall's τ between the declared ranking and each draw's (1 = identical).
    ranks : DataFrame
        draws × items: the rank of each item in each draw (for ``charts.rank_distribution``).
    """

    summary: pd.DataFrame
    rank_probabilities: pd.DataFrame
    draws: int
    concentration: float
    kendall_tau_median: float
    ranks: pd.DataFrame


def sensitivity(
    criteria: pd.DataFrame,
    weights: Mapping[str, float],
    *,
    draws: int = 1000,
    concentration: float = 50.0,
    seed: int = 2019,
    higher_is_better: bool = True,
) -> Sensitivity:
    """Redraw the weights ``draws`` times from Dirichlet(κ · w) and rank the items each time.

    Parameters
    ----------
    criteria : DataFrame
        items (index) × criteria (columns): the scores being weighted (e.g. z-scores).
    weights : mapping
        declared weight of each criterion (normalised here).
    draws : int, at least 1000
    concentration : float
        κ; larger means draws closer to the declared weights (κ = 50 gives each weight a
        coefficient of variation of about √((1 − w)/(51 w))).
    higher_is_better : bool
        rank 1 = highest score (True) or lowest (False, e.g. foundations by need).
    """
    from scipy.stats import kendalltau

    if draws < 1000:
        raise LisError(f"sensitivity needs at least 1000 draws, not {draws}")
    if criteria.empty:
        raise LisError("sensitivity: nothing to rank")
    cols = list(criteria.columns)
    w = _normalise(weights, cols).to_numpy()
    if (w <= 0).any():
        keep = w > 0
        cols = [c for c, k in zip(cols, keep, strict=True) if k]
        w = w[keep] / w[keep].sum()
    x = criteria[cols].fillna(0.0).to_numpy(dtype=float)
    rng = np.random.default_rng(seed)
    if len(cols) == 1:
        draws_w = np.ones((draws, 1))
    else:
        draws_w = rng.dirichlet(concentration * w, size=draws)
    scores = draws_w @ x.T  # draws × items
    sign = -1.0 if higher_is_better else 1.0
    ranks = (np.argsort(np.argsort(sign * scores, axis=1, kind="stable"), axis=1) + 1).astype(int)
    declared_scores = x @ w
    declared = (np.argsort(np.argsort(sign * declared_scores, kind="stable")) + 1).astype(int)
    n = x.shape[0]
    items = list(criteria.index)
    taus = [
        kendalltau(declared, ranks[i]).statistic if n > 1 else 1.0
        for i in range(0, draws, max(1, draws // 200))
    ]
    summary, rp = _rank_summary(items, ranks, declared)
    return Sensitivity(
        summary=summary,
        rank_probabilities=rp,
        draws=draws,
        concentration=concentration,
        kendall_tau_median=float(np.nanmedian(taus)),
        ranks=pd.DataFrame(ranks, columns=items),
    )


@dataclass(frozen=True)
class FoundationSensitivity:
    """How often each foundation keeps its rank when what the ranking rests on moves.

    Attributes
    ----------
    summary : DataFrame
        One row per assessed foundation: ``item, declared_rank``; the share of
        scenarios in which it keeps its declared rank when the **weights** are redrawn
        (``stability_weights``, Dirichlet draws), when every **threshold** is multiplied
        by each of ``readings.materiality_factors`` (``stability_thresholds``), when each
        assessable **indicator is left out** in turn (``stability_leave_one_out``), and
        when all three move at once (``stability``, with ``stability_pm1`` within one
        place, and the ``median_rank``, ``p05_rank``, ``p95_rank`` of those draws).
    scenarios : DataFrame
        The deterministic scenarios: ``scenario`` ("threshold × 0.5", "without <name>"
        ...), then each foundation's rank.
    ranks : DataFrame
        draws × foundations: ranks in the combined draws (for ``charts.rank_distribution``).
    draws : int
    factors : tuple of float
    left_out : list of str
        The indicators left out in turn (names).
    """

    summary: pd.DataFrame
    scenarios: pd.DataFrame
    ranks: pd.DataFrame
    draws: int
    factors: tuple[float, ...]
    left_out: list[str]


def foundation_sensitivity(
    assessment: pd.DataFrame,
    weights: Weights | None = None,
    readings: Readings | None = None,
) -> FoundationSensitivity:
    """Recompute the ranking of the foundations by need (:func:`foundation_scores`) when
    the weights, the thresholds and the set of indicators move, and report how often
    each foundation keeps its rank.

    * weights: ``weights.draws`` draws of the indicator weights within each foundation
      and of the foundations' own weights, each Dirichlet(κ · declared weights);
    * thresholds: every materiality threshold multiplied by each factor in
      ``readings.materiality_factors`` (which indicators are weaknesses moves);
    * indicator set: each assessable indicator left out in turn;
    * together: ``weights.draws`` draws, each with redrawn weights, a factor drawn from
      the list and one indicator (or none) left out at random.

    Draws are seeded (``weights.seed``), so a pack is reproducible.
    """
    w = weights or load_weights()
    rd = readings or load_readings()
    a = _assessable(assessment)
    found = [f for f in FOUNDATIONS if (a["group"] == f).any()]
    if not found:
        raise LisError("no foundation has an indicator read against the nation: nothing to rank")
    rng = np.random.default_rng(w.seed)
    groups = a["group"].to_numpy(dtype=object)
    base_w = np.array([float(w.indicators.get(i, 1.0)) for i in a["indicator_id"]])
    base_g = np.array([float(w.groups.get(f, 1.0)) for f in found])
    n_ind, n_draw = len(a), w.draws

    def draw_weights(k: int) -> tuple[np.ndarray, np.ndarray]:
        iw = np.tile(base_w, (k, 1))
        for f in found:
            cols = (groups == f) & (base_w > 0)
            if cols.sum() > 1:
                iw[:, cols] = rng.dirichlet(
                    w.concentration * base_w[cols] / base_w[cols].sum(), size=k
                )
        gw = np.tile(base_g, (k, 1))
        pos = base_g > 0
        if pos.sum() > 1:
            gw[:, pos] = (
                rng.dirichlet(w.concentration * base_g[pos] / base_g[pos].sum(), size=k) * pos.sum()
            )
        return iw, gw

    sev1 = _severity(a, 1.0, rd.cap)
    declared = _ranks(_need_matrix(a, found, base_w[None, :], base_g[None, :], sev1))[0]

    # weights alone
    iw, gw = draw_weights(n_draw)
    r_w = _ranks(_need_matrix(a, found, iw, gw, sev1))
    # thresholds alone
    scen_rows, r_t = [], []
    for fct in rd.materiality_factors:
        r = _ranks(
            _need_matrix(a, found, base_w[None, :], base_g[None, :], _severity(a, fct, rd.cap))
        )[0]
        r_t.append(r)
        scen_rows.append({"scenario": f"thresholds × {fct:g}", **dict(zip(found, r, strict=True))})
    # each indicator left out
    r_l = []
    for k in range(n_ind):
        wk = base_w.copy()
        wk[k] = 0.0
        r = _ranks(_need_matrix(a, found, wk[None, :], base_g[None, :], sev1))[0]
        r_l.append(r)
        scen_rows.append(
            {
                "scenario": f"without {a['indicator_name'].iloc[k]}",
                **dict(zip(found, r, strict=True)),
            }
        )
    # all together
    iw, gw = draw_weights(n_draw)
    factor_draw = rng.choice(np.asarray(rd.materiality_factors), size=n_draw)
    drop = rng.integers(-1, n_ind, size=n_draw)  # -1: leave none out
    iw[np.arange(n_draw)[drop >= 0], drop[drop >= 0]] = 0.0
    need = np.full((n_draw, len(found)), np.nan)
    for f_val in np.unique(factor_draw).tolist():
        rows_f = factor_draw == f_val
        need[rows_f] = _need_matrix(
            a, found, iw[rows_f], gw[rows_f], _severity(a, float(f_val), rd.cap)
        )
    r_all = _ranks(need)

    def keep(r: np.ndarray, tol: int = 0) -> np.ndarray:
        r = np.atleast_2d(r)
        with np.errstate(invalid="ignore"):
            return (np.abs(r - declared) <= tol).mean(axis=0)

    summary = (
        pd.DataFrame(
            {
                "item": found,
                "declared_rank": declared.astype(int),
                "stability_weights": keep(r_w),
                "stability_thresholds": keep(np.array(r_t)),
                "stability_leave_one_out": keep(np.array(r_l)) if r_l else np.nan,
                "stability": keep(r_all),
                "stability_pm1": keep(r_all, 1),
                "median_rank": np.nanmedian(r_all, axis=0),
                "p05_rank": np.nanpercentile(r_all, 5, axis=0),
                "p95_rank": np.nanpercentile(r_all, 95, axis=0),
            }
        )
        .sort_values(["declared_rank", "item"], kind="stable")
        .reset_index(drop=True)
    )
    return FoundationSensitivity(
        summary=summary,
        scenarios=pd.DataFrame(scen_rows),
        ranks=pd.DataFrame(r_all, columns=found),
        draws=n_draw,
        factors=tuple(rd.materiality_factors),
        left_out=list(a["indicator_name"]),
    )
