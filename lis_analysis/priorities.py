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

import numpy as np
import pandas as pd
import yaml

from . import _yaml
from .config import PACKAGE_DATA
from .errors import ConfigError, LisError, printable
from .geography import UK, Area
from .indicators.engine import Context
from .indicators.registry import GROUPS

#: Criteria of the sector score.
SECTOR_CRITERIA = ("lq", "growth", "productivity")
#: z-scores are capped at ±Z_CAP in composite scores, so that one extreme indicator (a
#: robust z of −6 when peers are tightly bunched) cannot decide a foundation on its own.
Z_CAP = 3.0


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
    allowed = {"groups", "indicators", "sectors", "sensitivity"}
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
    )


# --------------------------------------------------------------------------------------
# Strengths and weaknesses
# --------------------------------------------------------------------------------------

ASSESS_COLUMNS = [
    "indicator_id",
    "indicator_name",
    "group",
    "foundation",
    "period",
    "value",
    "unit",
    "uk_value",
    "index_uk",
    "significant_uk",
    "peer_median",
    "z",
    "rank",
    "n",
    "trend_slope",
    "trend_significant",
    "trend",
    "classification",
    "reason",
    "polarity",
]


def assess(
    area: Area,
    *,
    obs: pd.DataFrame,
    geo,
    table: pd.DataFrame | None = None,
    indicators: Sequence[str] | None = None,
    trend_years: int = 10,
    ctx: Context | None = None,
) -> pd.DataFrame:
    """Strength / weakness / neutral for each indicator of ``area`` (columns ASSESS_COLUMNS).

    The z-score places the area among its peers (robust: median and MAD; positive =
    better by polarity); significance is against the UK where intervals exist; the trend
    is the OLS slope (Newey-West errors) over the last ``trend_years`` years. Indicators
    with no polarity (size, structure) are reported but always neutral.
    """
    from .indicators.engine import table as indicator_table
    from .methods import InsufficientData, classify_position, index_gap, robust_z_scores, trend

    ctx = ctx or Context(obs, geo)
    tab = (
        table
        if table is not None
        else indicator_table(area, obs=obs, geo=geo, indicators=indicators, ctx=ctx)
    )
    if tab.empty:
        raise LisError(f"no indicators could be computed for {area.name}")
    peers = [geo.area(c) for c in tab.attrs.get("peers", [])] or geo.peers(area)
    rows = []
    for iid, grp in tab.groupby("indicator_id", sort=False):
        ind = ctx.registry[iid]
        first = grp.iloc[0]
        year = int(first["year"])
        vals = ctx.indicator(ind, [area, *peers])
        cur = vals[(vals["year"] == year) & vals["value"].notna()].set_index("area_code")["value"]
        hib = ind.higher_is_better
        z = rank = n = med = np.nan
        if area.code in cur.index and len(cur) >= 2:
            zs = robust_z_scores(cur, higher_is_better=True if hib is None else hib)
            z, rank, n, med = zs.loc[area.code, ["z", "rank", "n", "median"]]
        ukrow = grp[grp["benchmark_code"] == UK]
        uk_value = float(ukrow["benchmark_value"].iloc[0]) if len(ukrow) else np.nan
        sig = ukrow["significant"].iloc[0] if len(ukrow) else pd.NA
        sig = None if pd.isna(sig) else bool(sig)
        own = vals[(vals["area_code"] == area.code) & vals["value"].notna()]
        own = own[own["year"] > year - trend_years].set_index("year")["value"]
        # Direction of travel is judged relative to the UK (gaining or losing ground), so
        # that inflation or national trends do not count as local improvement.
        if area.code != UK and UK in geo:
            ukv = ctx.indicator(ind, [geo.area(UK)])
            ukv = ukv[ukv["value"].notna()].set_index("year")["value"]
            common = own.index.intersection(ukv.index)
            if len(common) >= 5:
                if ind.unit.startswith("%"):
                    own = own.loc[common] - ukv.loc[common]
                else:
                    rel = index_gap(own.loc[common], ukv.loc[common])[0]
                    own = pd.Series(rel, index=common).dropna()
        slope = tsig = None
        direction = "unknown"
        try:
            tr = trend(own)
            slope, tsig = tr.slope, tr.significant
            oriented = slope if hib is not False else -slope
            direction = (
                ("improving" if oriented > 0 else "worsening") if tsig else "no significant trend"
            )
            if hib is None:
                direction = (
                    ("rising" if slope > 0 else "falling") if tsig else "no significant trend"
                )
        except InsufficientData:
            pass
        if hib is None:
            label, reason = "neutral", "describes the economy; neither better nor worse when higher"
        else:
            c = classify_position(
                None if pd.isna(z) else float(z),
                significant=sig,
                gap=None if pd.isna(uk_value) else float(first["value"] - uk_value),
                higher_is_better=hib,
                trend_slope=slope,
                trend_significant=tsig,
            )
            label, reason = c.label, c.reason
        rows.append(
            {
                "indicator_id": iid,
                "indicator_name": ind.name,
                "group": ind.group,
                "foundation": ind.foundation,
                "period": first["period"],
                "value": float(first["value"]),
                "unit": ind.unit,
                "uk_value": uk_value,
                "index_uk": float(index_gap(first["value"], uk_value)[0][0]),
                "significant_uk": sig,
                "peer_median": med,
                "z": z,
                "rank": rank,
                "n": n,
                "trend_slope": slope,
                "trend_significant": tsig,
                "trend": direction,
                "classification": label,
                "reason": reason,
                "polarity": ind.polarity,
            }
        )
    out = pd.DataFrame(rows, columns=ASSESS_COLUMNS)
    out.attrs["missing"] = tab.attrs.get("missing", {})
    return out


# --------------------------------------------------------------------------------------
# Composite scores
# --------------------------------------------------------------------------------------


def _normalise(w: Mapping[str, float], keys: Sequence[str], default: float = 1.0) -> pd.Series:
    s = pd.Series({k: float(w.get(k, default)) for k in keys}, dtype="float64")
    tot = s.sum()
    if tot <= 0:
        raise LisError("the weights sum to zero")
    return s / tot


def foundation_scores(assessment: pd.DataFrame, weights: Weights | None = None) -> pd.DataFrame:
    """One score per group (headline productivity and each Foundation of Productivity):
    the weighted mean of its indicators' oriented z-scores.

    Indicators without a z-score (no peers) or without polarity are left out, and the
    weights of the rest renormalised. ``priority_rank`` 1 is the group most in need
    (lowest score); ``weight`` is the group's declared weight.

    Parameters
    ----------
    assessment : pandas.DataFrame
        :func:`assess`'s table (``indicator_id, group, z, polarity`` are used).
    weights : Weights, optional
        Default: :func:`load_weights`.

    Returns
    -------
    pandas.DataFrame
        ``group, score, n_indicators, weakest, strongest, weight, weighted_need,
        priority_rank``.
    """
    w = weights or load_weights()
    a = assessment[assessment["z"].notna() & (assessment["polarity"] != "neutral")]
    rows = []
    for f in GROUPS:
        sub = a[a["group"] == f]
        if sub.empty:
            continue
        wi = _normalise(w.indicators, list(sub["indicator_id"]))
        z = sub.set_index("indicator_id")["z"].clip(-Z_CAP, Z_CAP)
        score = float((wi * z).sum())
        rows.append(
            {
                "group": f,
                "score": score,
                "n_indicators": len(sub),
                "weakest": z.idxmin(),
                "strongest": z.idxmax(),
                "weight": float(w.groups.get(f, 1.0)),
            }
        )
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    # Need = how far below the peers' median (positive when weak), times the weight.
    out["weighted_need"] = -out["score"] * out["weight"]
    out["priority_rank"] = out["weighted_need"].rank(ascending=False, method="min").astype(int)
    return out.sort_values("priority_rank").reset_index(drop=True)


def sector_inputs(
    area: Area, *, obs: pd.DataFrame, geo, ctx: Context | None = None, years: int = 5
) -> pd.DataFrame:
    """For each SIC section: GVA share, location quotient against the UK (GVA), real GVA
    growth over ``years`` years (chained volume, % a year) and productivity (GVA per
    filled job in the sector relative to the UK's sector, when employment is known; else
    GVA share growth). Columns: industry, name, gva, share, lq, growth, productivity."""
    from .analyses import industry_structure
    from .indicators.registry import Ref
    from .industries import GVA_SECTIONS, SECTION_NAMES
    from .methods import cagr_array, index_gap

    ctx = ctx or Context(obs, geo)
    # the one computation of sector location quotients (GVA by section against the nation)
    structure = industry_structure(area, ctx)
    uk, last = structure.attrs["benchmark"], structure.attrs["year"]
    lq = structure.set_index("industry")
    a, b = lq["area_value"].dropna(), lq["benchmark_value"].dropna()
    cvm = ctx.aggregated(Ref("ons_gva_industry_lad", "gva_cvm"), [area])
    g = cvm[cvm["industry"].isin(GVA_SECTIONS)].pivot_table(
        index="industry", columns="year", values="value"
    )
    growth = pd.Series(np.nan, index=lq.index)
    if last in g.columns and (last - years) in g.columns:
        growth = pd.Series(cagr_array(g[last - years], g[last], years) * 100, index=g.index)
    # Sector productivity relative to the UK's same sector, from BRES employment if loaded.
    prod = pd.Series(np.nan, index=lq.index)
    e = ctx.aggregated(Ref("nomis_bres", "employment", breakdown="Employment"), [area, uk])
    if len(e):
        from .industries import gva_sections_from_letters

        e = e[(e["breakdown"] == "Employment") & (e["year"] == e["year"].max())]
        ea = gva_sections_from_letters(
            e[e["area_code"] == area.code].set_index("industry")["value"]
        )
        eb = gva_sections_from_letters(e[e["area_code"] == uk.code].set_index("industry")["value"])
        with np.errstate(divide="ignore", invalid="ignore"):
            own_per_job, uk_per_job = (a / ea).align(b / eb)
            prod = pd.Series(
                index_gap(own_per_job, uk_per_job)[0], index=own_per_job.index
            ).reindex(lq.index)
    out = pd.DataFrame(
        {
            "industry": lq.index,
            "name": [SECTION_NAMES.get(i, i) for i in lq.index],
            "gva": lq["area_value"].to_numpy(),
            "share": lq["area_share"].to_numpy() * 100,
            "lq": lq["lq"].to_numpy(),
            "growth": growth.reindex(lq.index).to_numpy(),
            "productivity": prod.reindex(lq.index).to_numpy(),
        }
    )
    out.attrs["year"] = last
    out.attrs["growth_years"] = f"{last - years}-{last}"
    return out


def _zcols(df: pd.DataFrame, cols: Sequence[str]) -> pd.DataFrame:
    z = pd.DataFrame(index=df.index)
    for c in cols:
        x = df[c].astype(float)
        sd = x.std(ddof=1)
        z[c] = (x - x.mean()) / sd if sd and np.isfinite(sd) and sd > 0 else 0.0
    return z


def sector_scores(
    inputs: pd.DataFrame, weights: Weights | None = None, *, min_share: float = 1.0
) -> pd.DataFrame:
    """Score each sector as an opportunity: Σ_c w_c · z_c over the criteria (LQ, growth,
    productivity) that have data, each z-scored across sectors. Sectors under
    ``min_share`` % of the area's GVA are left out (too small to be a priority).

    Returns
    -------
    pandas.DataFrame
        the inputs plus ``z_<criterion>``, ``score`` and ``rank`` (1 = strongest opportunity).
    """
    w = weights or load_weights()
    d = inputs[inputs["share"] >= min_share].reset_index(drop=True)
    crit = [c for c in SECTOR_CRITERIA if d[c].notna().sum() >= 3]
    if not crit:
        raise LisError("sector scores need at least one criterion with data for three sectors")
    z = _zcols(d, crit).fillna(0.0)
    wv = _normalise(w.sectors, crit)
    d = d.assign(**{f"z_{c}": z[c] for c in crit})
    d["score"] = (z[crit] * wv).sum(axis=1)
    d["rank"] = d["score"].rank(ascending=False, method="min").astype(int)
    d.attrs.update(inputs.attrs)
    d.attrs["criteria"] = crit
    d.attrs["weights"] = wv.to_dict()
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


def foundation_sensitivity(assessment: pd.DataFrame, weights: Weights | None = None) -> Sensitivity:
    """Sensitivity of the ranking of groups (headline productivity and the foundations,
    by need) to the indicator weights: items are groups, criteria are indicators (each
    group's score is a weighted mean of its own indicators' z, so the indicator weights
    are redrawn within groups)."""
    w = weights or load_weights()
    a = assessment[assessment["z"].notna() & (assessment["polarity"] != "neutral")]
    if a.empty:
        raise LisError("no indicator has a z-score: sensitivity needs peers")
    found = [f for f in GROUPS if (a["group"] == f).any()]
    rng = np.random.default_rng(w.seed)
    declared = (
        foundation_scores(assessment, w).set_index("group").loc[found, "weighted_need"].to_numpy()
    )
    need = np.empty((w.draws, len(found)))
    for j, f in enumerate(found):
        sub = a[a["group"] == f]
        base = _normalise(w.indicators, list(sub["indicator_id"])).to_numpy()
        z = sub["z"].clip(-Z_CAP, Z_CAP).to_numpy(dtype=float)
        pos = base > 0
        if pos.sum() > 1:
            wi = rng.dirichlet(w.concentration * base[pos], size=w.draws)
        else:
            wi = np.ones((w.draws, max(1, int(pos.sum()))))
        need[:, j] = -(wi @ z[pos]) * float(w.groups.get(f, 1.0))
    ranks = np.argsort(np.argsort(-need, axis=1, kind="stable"), axis=1) + 1
    dec_rank = np.argsort(np.argsort(-declared, kind="stable")) + 1
    summary, rp = _rank_summary(found, ranks, dec_rank)
    return Sensitivity(
        summary=summary,
        rank_probabilities=rp,
        draws=w.draws,
        concentration=w.concentration,
        kendall_tau_median=np.nan,
        ranks=pd.DataFrame(ranks, columns=found),
    )
