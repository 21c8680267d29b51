"""Claim -> indicator -> verdict: what respondents say, set beside the indicator table.

Each theme respondents raised makes a claim (a problem or a strength); the taxonomy names
the indicators that can check it, and the strengths-and-weaknesses classification of each
gives the verdict (:func:`verdict`). ``docs/evidence.md`` ("Triangulation") states the rule.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import LisError
from .coding import _coded_only
from .taxonomy import Taxonomy, _taxonomy

#: Triangulation verdicts (the rule is in :func:`triangulate`).
SUPPORTED = "supported by the data"
NOT_SUPPORTED = "not supported"
MIXED = "mixed/neutral"
NO_DATA = "no data"
NO_INDICATOR = "no linked indicator"


#: Indicator-table columns :func:`triangulate` carries into its output when present.
_CARRY = (
    "area_code",
    "indicator_name",
    "benchmark_code",
    "period",
    "value",
    "unit",
    "benchmark_value",
    "uk_value",
    "index",
    "index_uk",
    "significant",
    "significant_uk",
    "classification_reason",
)


def _period_key(p: Any) -> tuple[int, str]:
    s = "" if p is None or (isinstance(p, float) and math.isnan(p)) else str(p)
    years = re.findall(r"(?:19|20)\d\d", s)
    return (int(years[-1]) if years else -1, s)


def verdict(stance: str, classification: Any) -> tuple[str, str]:
    """The verdict on one claim against one indicator, and the reason in words.

    The rule: respondents raise a *problem* -> ``supported by the data`` when the
    indicator is a weakness, ``not supported`` when it is a strength; respondents claim a
    *strength* -> ``supported by the data`` when the indicator is a strength, ``not
    supported`` when it is a weakness; ``mixed/neutral`` when the indicator is in line with
    the nation, context, not assessed (or neutral, in older tables) or not classified;
    ``no data`` when the indicator is not in the table.
    """
    c = str(classification).strip().lower() if isinstance(classification, str) else ""
    if classification is None or (isinstance(classification, float) and math.isnan(classification)):
        c = ""
    raises = "raise a problem" if stance == "problem" else "claim a strength"
    if c not in ("strength", "weakness"):
        # the reading's other labels (in line, context, not assessed; "neutral" in older
        # tables) are named as they are; anything else is not classified
        what = c if c in ("neutral", "in line", "context", "not assessed") else "not classified"
        return MIXED, f"respondents {raises}; the indicator is {what}"
    agrees = (stance == "problem") == (c == "weakness")
    return (SUPPORTED if agrees else NOT_SUPPORTED), f"respondents {raises}; the indicator is a {c}"


def triangulate(
    coded: pd.DataFrame,
    indicators: pd.DataFrame,
    taxonomy: Taxonomy | str | Path | None = None,
    *,
    area_code: str | None = None,
    min_respondents: int = 1,
    latest_only: bool = True,
) -> pd.DataFrame:
    """Claim -> indicator -> verdict, for every theme respondents raised.

    Parameters
    ----------
    coded : output of :func:`code_responses`
    indicators : the indicator table; needs ``indicator_id`` and ``classification``
        (``strength``/``weakness``/``neutral``, as the classifier decided it, polarity
        already applied); ``value``, ``benchmark_value``, ``index``, ``significant``,
        ``period``, ``area_code``, ``benchmark_code`` (and ``uk_value``, ``index_uk``,
        ``significant_uk``, ``reason`` of ``priorities.assess``) are carried when present
    area_code : keep only this area's rows (when the table has ``area_code``)
    min_respondents : themes raised by fewer respondents are left out
    latest_only : keep each indicator's latest period only (the last year in ``period``)

    Returns
    -------
    DataFrame, one row per theme x linked indicator (x benchmark, when the table has
    several): ``theme, theme_label, under_label, stance, claim, n_respondents,
    indicator_id``, the carried columns present, ``classification, verdict, reason``. The verdict rule is in :func:`verdict`; a theme whose taxonomy entry
    names no indicator gets ``no linked indicator``, and an indicator missing from the
    table ``no data``.
    """
    tax = _taxonomy(taxonomy)
    missing = [c for c in ("indicator_id", "classification") if c not in indicators.columns]
    if missing:
        raise LisError(
            "triangulate: the indicator table has no "
            + ", ".join(repr(c) for c in missing)
            + " column"
        )
    ind = indicators.copy()
    if area_code is not None and "area_code" in ind.columns:
        ind = ind[ind["area_code"] == area_code]
    if "reason" in ind.columns:  # the classifier's own reason; ours is the verdict's
        ind = ind.rename(columns={"reason": "classification_reason"})
    carry = [c for c in _CARRY if c in ind.columns]
    if latest_only and "period" in ind.columns and len(ind):
        keys = [c for c in ("indicator_id", "area_code", "benchmark_code") if c in ind.columns]
        ind["_pk"] = ind["period"].map(_period_key)
        latest = ind.groupby(keys, dropna=False)["_pk"].transform("max")
        ind = ind[ind["_pk"] == latest].drop(columns="_pk")
    themed = _coded_only(coded)
    who = "respondent_id" if "respondent_id" in coded.columns else "response_id"
    rows = []
    for t in tax.themes:
        n = themed.loc[themed["theme"] == t.id, who].nunique()
        if n < min_respondents or n == 0:
            continue
        base = {
            "theme": t.id,
            "theme_label": t.label,
            "under_label": t.under_label,
            "stance": t.stance,
            "claim": t.claim,
            "n_respondents": n,
        }
        if not t.indicators:
            rows.append(
                {
                    **base,
                    "verdict": NO_INDICATOR,
                    "reason": "the taxonomy names no indicator for this theme",
                }
            )
            continue
        for iid in t.indicators:
            hits = ind[ind["indicator_id"] == iid]
            if hits.empty:
                rows.append(
                    {
                        **base,
                        "indicator_id": iid,
                        "verdict": NO_DATA,
                        "reason": "the indicator is not in the table",
                    }
                )
                continue
            for rec in hits.to_dict("records"):
                v, why = verdict(t.stance, rec.get("classification"))
                rows.append(
                    {
                        **base,
                        "indicator_id": iid,
                        **{c: rec.get(c) for c in carry},
                        "classification": rec.get("classification"),
                        "verdict": v,
                        "reason": why,
                    }
                )
    cols = [
        "theme",
        "theme_label",
        "under_label",
        "stance",
        "claim",
        "n_respondents",
        "indicator_id",
        *carry,
        "classification",
        "verdict",
        "reason",
    ]
    return pd.DataFrame(rows, columns=cols)


def theme_verdicts(triangulated: pd.DataFrame) -> pd.DataFrame:
    """One overall verdict per theme from :func:`triangulate` rows.

    The rule: ``supported by the data`` when at least one indicator supports the claim and
    none contradicts it; ``not supported`` when at least one contradicts it and none
    supports it; ``mixed/neutral`` when indicators point both ways or are all neutral;
    ``no data`` / ``no linked indicator`` when there is nothing to compare with.

    Returns
    -------
    DataFrame: ``theme, theme_label, under_label, stance, claim, n_respondents,
    n_supporting, n_contradicting, n_neutral, indicators, verdict``.
    """
    rows = []
    for theme, sub in triangulated.groupby("theme", sort=False):
        first = sub.iloc[0]
        vs = sub["verdict"]
        n_sup, n_con, n_mix = (
            int((vs == SUPPORTED).sum()),
            int((vs == NOT_SUPPORTED).sum()),
            int((vs == MIXED).sum()),
        )
        if n_sup and not n_con:
            overall = SUPPORTED
        elif n_con and not n_sup:
            overall = NOT_SUPPORTED
        elif n_sup or n_con or n_mix:
            overall = MIXED
        elif (vs == NO_INDICATOR).all():
            overall = NO_INDICATOR
        else:
            overall = NO_DATA
        rows.append(
            {
                "theme": theme,
                "theme_label": first["theme_label"],
                "under_label": first["under_label"],
                "stance": first["stance"],
                "claim": first["claim"],
                "n_respondents": first["n_respondents"],
                "n_supporting": n_sup,
                "n_contradicting": n_con,
                "n_neutral": n_mix,
                "indicators": "; ".join(dict.fromkeys(sub["indicator_id"].dropna().astype(str))),
                "verdict": overall,
            }
        )
    return pd.DataFrame(rows)
