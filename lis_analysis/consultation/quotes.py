"""Representative quotes for each theme, chosen by a stated rule, and who said them.

The rule is in :func:`select_quotes` and, in words, in ``docs/evidence.md`` ("The quote
rule"). Quotes are redacted and cut here; escaping is left to whatever displays them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..safetext import redact, truncate_at_sentence
from .coding import _coded_only
from .questions import ORGANISATION_TYPE_LABELS, UNKNOWN_TYPE
from .taxonomy import Taxonomy, _taxonomy


def attribution(row: Mapping[str, Any]) -> str:
    """Who said it, as a board page may show it: the organisation and its type, or
    "Individual respondent" (an individual's name is never shown)."""
    otype = str(row.get("organisation_type") or UNKNOWN_TYPE)
    label = ORGANISATION_TYPE_LABELS.get(otype, otype)
    if otype == "individual":
        return "Individual respondent"
    org = row.get("organisation")
    org = " ".join(str(org).split()) if isinstance(org, str) else ""
    return f"{org}, {label.lower()}" if org else label


def select_quotes(
    coded: pd.DataFrame,
    taxonomy: Taxonomy | str | Path | None = None,
    *,
    per_theme: int = 1,
    max_chars: int = 300,
    redact_personal: bool = True,
    text_column: str = "text",
    id_column: str = "response_id",
) -> pd.DataFrame:
    """Representative quotes for each theme, chosen by a stated rule.

    The rule, for each theme in taxonomy order:

    1. the candidates are the responses coded to the theme;
    2. they are ranked by the number of distinct theme terms and phrases they contain
       (most first), then by length (shortest first), then by response id;
    3. going down the ranking, a response is taken unless its organisation already gave a
       quote for this theme (individuals, and responses with no organisation, count by
       respondent id), until ``per_theme`` quotes are taken;
    4. the quote is the response with personal data redacted
       (:func:`~lis_analysis.safetext.redact`, unless
       ``redact_personal`` is False) and cut at a sentence boundary to at most
       ``max_chars`` characters (:func:`~lis_analysis.safetext.truncate_at_sentence`; a
       cut ends with ``…``).

    Returns
    -------
    DataFrame with ``theme, theme_label, under_label, response_id, respondent_id,
    organisation_type, attribution, n_terms, matched_terms, quote, truncated`` (and
    ``synthetic`` when the responses carry it). The text is not escaped: display it with
    :func:`lis_analysis.pages.tables.quotes_table` or
    :func:`lis_analysis.safetext.quote_markdown`.
    """
    tax = _taxonomy(taxonomy)
    themed = _coded_only(coded).copy()
    themed["_len"] = themed[text_column].str.len()
    rows = []
    for t in tax.themes:
        sub = themed[themed["theme"] == t.id].sort_values(
            ["n_terms", "_len", id_column], ascending=[False, True, True], kind="stable"
        )
        used: set[str] = set()
        taken = 0
        for rec in sub.to_dict("records"):
            if taken >= per_theme:
                break
            org = rec.get("organisation")
            org_key = " ".join(str(org).lower().split()) if isinstance(org, str) else ""
            if rec.get("organisation_type") == "individual" or not org_key:
                org_key = f"respondent:{rec.get('respondent_id', rec[id_column])}"
            if org_key in used:
                continue
            used.add(org_key)
            taken += 1
            text = redact(rec[text_column]) if redact_personal else rec[text_column]
            quote = truncate_at_sentence(text, max_chars)
            row = {
                "theme": t.id,
                "theme_label": t.label,
                "under_label": t.under_label,
                "response_id": rec[id_column],
                "respondent_id": rec.get("respondent_id"),
                "organisation_type": rec.get("organisation_type"),
                "attribution": attribution(rec),
                "n_terms": rec["n_terms"],
                "matched_terms": rec["matched_terms"],
                "quote": quote,
                "truncated": quote != " ".join(str(text).split()),
            }
            if "synthetic" in rec:
                row["synthetic"] = rec["synthetic"]
            rows.append(row)
    cols = [
        "theme",
        "theme_label",
        "under_label",
        "response_id",
        "respondent_id",
        "organisation_type",
        "attribution",
        "n_terms",
        "matched_terms",
        "quote",
        "truncated",
    ]
    if "synthetic" in coded.columns:
        cols.append("synthetic")
    return pd.DataFrame(rows, columns=cols)
