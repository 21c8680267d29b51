"""Consultation feedback: agreement with the draft priorities (Wilson intervals, net
agreement), the themes of the comments, and how each point raised was considered.

The definitions (who counts as expressing a view, the interval, the consideration
statuses) are in the docstrings below and, in words, in ``docs/evidence.md``
("Consultation").
"""

from __future__ import annotations

import math
from pathlib import Path
from statistics import NormalDist
from typing import Any

import pandas as pd

from ..errors import LisError
from ..methods.uncertainty import wilson_interval
from .coding import _coded_only, code_responses, theme_counts
from .questions import (
    AGREEMENT_SCALE,
    DONT_KNOW,
    ORGANISATION_TYPE_LABELS,
    _ordered_values,
    _priorities,
)
from .readers import LOG_COLUMNS, IngestResult
from .taxonomy import Taxonomy, _taxonomy

#: Below this many respondents expressing a view, agreement figures are flagged.
SMALL_BASE = 30


def agreement(
    consultation: pd.DataFrame | IngestResult,
    priorities: pd.DataFrame | str | Path | None = None,
    *,
    by: str | None = None,
    z: float = 1.96,
) -> pd.DataFrame:
    """Agreement with each draft priority, with Wilson intervals and net agreement.

    Definitions (percentages of respondents *expressing a view*):

    - a view is any of the five scale points, including "Neither agree nor disagree";
      "Don't know" and no answer are counted and shown but are not views, so they are
      left out of every percentage;
    - ``agree_pct`` = (Strongly agree + Agree) / views, with its Wilson score interval
      (:func:`lis_analysis.methods.wilson_interval`, at the confidence level of the
      normal quantile ``z``: 1.96 for 95%);
    - ``net_agreement`` = (Strongly agree + Agree − Disagree − Strongly disagree) / views,
      in percentage points (−100 to +100);
    - ``small_base`` is True when fewer than :data:`SMALL_BASE` respondents expressed a view.

    Parameters
    ----------
    consultation : :func:`read_consultation` result or its ``data``
    priorities : as :func:`load_priorities` (default: the package's)
    by : a column to break down by (e.g. ``"organisation_type"``); the table then has a
        row per priority and group, plus "All respondents"

    Returns
    -------
    DataFrame: ``priority_id, priority, group, n_respondents`` and a count per scale point,
    ``dont_know, no_answer, n_view, n_agree, n_disagree, agree_pct, agree_lower_pct,
    agree_upper_pct, disagree_pct, net_agreement, small_base``.
    """
    if not z > 0:
        raise LisError(f"agreement: z must be positive, got {z}")
    level = 2 * NormalDist().cdf(z) - 1  # the confidence level whose normal quantile is z
    df = consultation.data if isinstance(consultation, IngestResult) else consultation
    pri = _priorities(priorities)
    groups: list[tuple[str, pd.DataFrame]] = [("All respondents", df)]
    if by is not None:
        if by not in df.columns:
            raise LisError(f"agreement: the consultation data has no {by!r} column")
        for g in _ordered_values(df[by]):
            label = ORGANISATION_TYPE_LABELS.get(g, g) if by == "organisation_type" else str(g)
            groups.append((label, df[df[by] == g]))
    keys = ["strongly_agree", "agree", "neither", "disagree", "strongly_disagree"]
    rows = []
    for pid, title in zip(pri["priority_id"], pri["title"], strict=True):
        if pid not in df.columns:
            raise LisError(f"agreement: the consultation data has no column for priority {pid!r}")
        for label, sub in groups:
            s = sub[pid].astype("object")
            counts = {
                k: int((s == lab).sum()) for k, lab in zip(keys, AGREEMENT_SCALE, strict=True)
            }
            dk = int((s == DONT_KNOW).sum())
            n_view = sum(counts.values())
            n_agree = counts["strongly_agree"] + counts["agree"]
            n_dis = counts["disagree"] + counts["strongly_disagree"]
            iv = wilson_interval(n_agree, n_view, level=level)  # NaN when n_view is 0

            def pct(x: int, n_view: int = n_view) -> float:
                return 100 * x / n_view if n_view else math.nan

            rows.append(
                {
                    "priority_id": pid,
                    "priority": title,
                    "group": label,
                    "n_respondents": len(sub),
                    **counts,
                    "dont_know": dk,
                    "no_answer": len(sub) - n_view - dk,
                    "n_view": n_view,
                    "n_agree": n_agree,
                    "n_disagree": n_dis,
                    "agree_pct": pct(n_agree),
                    "agree_lower_pct": 100 * iv.lower,
                    "agree_upper_pct": 100 * iv.upper,
                    "disagree_pct": pct(n_dis),
                    "net_agreement": pct(n_agree - n_dis),
                    "small_base": n_view < SMALL_BASE,
                }
            )
    return pd.DataFrame(rows)


def code_comments(
    consultation: pd.DataFrame | IngestResult,
    taxonomy: Taxonomy | str | Path | None = None,
) -> pd.DataFrame:
    """Code the consultation comments with the same taxonomy (see :func:`code_responses`);
    the response id is the respondent id. Respondents who left no comment are not rows."""
    df = consultation.data if isinstance(consultation, IngestResult) else consultation
    return code_responses(df, taxonomy, text_column="comments", id_column="response_id")


def priority_comments(
    coded_comments: pd.DataFrame,
    priorities: pd.DataFrame | str | Path | None = None,
    taxonomy: Taxonomy | str | Path | None = None,
) -> pd.DataFrame:
    """For each draft priority, the comments coded to one of its themes (``themes`` in
    ``consultation.yaml``): ``priority_id, priority, n_comments, themes`` (each theme
    with its number of comments, most first)."""
    tax = _taxonomy(taxonomy)
    pri = _priorities(priorities)
    themed = _coded_only(coded_comments)
    rows = []
    for rec in pri.to_dict("records"):
        ids = [t.strip() for t in str(rec["themes"]).split(";") if t.strip()]
        sub = themed[themed["theme"].isin(ids)]
        per = (
            sub.groupby("theme")["response_id"]
            .nunique()
            .sort_values(ascending=False, kind="stable")
        )
        rows.append(
            {
                "priority_id": rec["priority_id"],
                "priority": rec["title"],
                "n_comments": sub["response_id"].nunique(),
                "themes": "; ".join(
                    f"{tax.theme(t).label} ({n})" for t, n in per.items() if t in tax.theme_ids
                ),
            }
        )
    return pd.DataFrame(rows)


def draft_consideration_log(
    coded_comments: pd.DataFrame,
    taxonomy: Taxonomy | str | Path | None = None,
) -> pd.DataFrame:
    """A starting consideration log for officers: one point per theme raised in the
    comments (most raised first), with ``response``, ``change_made``, ``officer`` and
    ``date`` blank. Save it as CSV or XLSX, fill it in, and read it back with
    :func:`read_consideration_log`."""
    counts = theme_counts(coded_comments, taxonomy)
    counts = counts[counts["n_responses"] > 0]
    return pd.DataFrame(
        {
            "point_id": [f"C{i + 1:03d}" for i in range(len(counts))],
            "theme_or_priority": counts["theme"].to_list(),
            "point": [
                f"{n} comment{'s' if n != 1 else ''} on {lab.lower()}"
                for n, lab in zip(counts["n_responses"], counts["theme_label"], strict=True)
            ],
            "response": "",
            "change_made": "",
            "officer": "",
            "date": "",
        },
        columns=list(LOG_COLUMNS),
    )


_NO_CHANGE = {"", "no", "none", "n/a", "na", "no change", "-", "nil"}


def consideration_report(
    log: pd.DataFrame | IngestResult,
    coded_comments: pd.DataFrame,
    taxonomy: Taxonomy | str | Path | None = None,
    priorities: pd.DataFrame | str | Path | None = None,
) -> pd.DataFrame:
    """How each point raised in the consultation was considered, with gaps flagged.

    Each log point is joined to the comments it covers: for a theme, the comments coded to
    it; for a draft priority, the comments coded to any of its themes. Status:

    - ``no response yet`` (flagged) when ``response`` is blank;
    - ``considered: change made`` when ``change_made`` says what changed (anything but
      blank, "no", "none", "n/a", "no change");
    - ``considered: no change`` otherwise;
    - ``not in the log`` (flagged): a theme raised in at least one comment that no log point
      covers (a point on a priority covers that priority's themes).

    Returns
    -------
    DataFrame: ``point_id, theme_or_priority, label, point, n_comments, respondent_ids``
    (up to ten), ``response, change_made, officer, date, status, needs_attention``; log
    points first in log order, then themes not in the log, most raised first.
    """
    tax = _taxonomy(taxonomy)
    pri = _priorities(priorities)
    entries = log.data if isinstance(log, IngestResult) else log
    themed = _coded_only(coded_comments)
    pri_themes = {
        r["priority_id"]: [t.strip() for t in str(r["themes"]).split(";") if t.strip()]
        for r in pri.to_dict("records")
    }
    pri_titles = dict(zip(pri["priority_id"], pri["title"], strict=True))
    covered: set[str] = set()
    rows = []
    for rec in entries.to_dict("records"):
        key = str(rec.get("theme_or_priority") or "")
        if key in pri_themes:
            theme_ids, label = pri_themes[key], pri_titles[key]
        elif key in tax.theme_ids:
            theme_ids, label = [key], tax.theme(key).label
        else:
            theme_ids, label = [], "(not a theme or priority)"
        covered.update(theme_ids)
        ids = sorted(
            themed.loc[themed["theme"].isin(theme_ids), "response_id"].astype(str).unique()
        )
        response = _blank_to_empty(rec.get("response"))
        change = _blank_to_empty(rec.get("change_made"))
        if not response:
            status = "no response yet"
        elif change.lower() in _NO_CHANGE:
            status = "considered: no change"
        else:
            status = "considered: change made"
        rows.append(
            {
                "point_id": rec.get("point_id"),
                "theme_or_priority": key,
                "label": label,
                "point": _blank_to_empty(rec.get("point")),
                "n_comments": len(ids),
                "respondent_ids": "; ".join(ids[:10]) + (" …" if len(ids) > 10 else ""),
                "response": response,
                "change_made": change,
                "officer": _blank_to_empty(rec.get("officer")),
                "date": rec.get("date"),
                "status": status,
                "needs_attention": status == "no response yet",
            }
        )
    counts = theme_counts(coded_comments, tax)
    for rec in counts[counts["n_responses"] > 0].to_dict("records"):
        if rec["theme"] in covered:
            continue
        ids = sorted(
            themed.loc[themed["theme"] == rec["theme"], "response_id"].astype(str).unique()
        )
        rows.append(
            {
                "point_id": None,
                "theme_or_priority": rec["theme"],
                "label": rec["theme_label"],
                "point": "",
                "n_comments": len(ids),
                "respondent_ids": "; ".join(ids[:10]) + (" …" if len(ids) > 10 else ""),
                "response": "",
                "change_made": "",
                "officer": "",
                "date": None,
                "status": "not in the log",
                "needs_attention": True,
            }
        )
    cols = [
        "point_id",
        "theme_or_priority",
        "label",
        "point",
        "n_comments",
        "respondent_ids",
        "response",
        "change_made",
        "officer",
        "date",
        "status",
        "needs_attention",
    ]
    return pd.DataFrame(rows, columns=cols)


def _blank_to_empty(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return ""
    return str(v).strip()
