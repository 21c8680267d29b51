"""Code responses to themes (and so to foundations and Grand Challenges), and count them.

:func:`code_responses` applies a :class:`~lis_analysis.consultation.taxonomy.Taxonomy` to
every response and keeps why each theme was coded (the entries and the words matched);
:func:`counts_by_foundation` and :func:`theme_counts` count responses and respondents by
organisation type.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from ..errors import LisError
from .questions import ORGANISATION_TYPE_LABELS, _ordered_values
from .readers import IngestResult
from .taxonomy import Taxonomy, _taxonomy

#: Columns :func:`code_responses` adds to each response row.
CODE_COLUMNS = [
    "theme",
    "theme_label",
    "under",
    "under_label",
    "kind",
    "stance",
    "matched_terms",
    "matched_text",
    "n_terms",
]


def code_responses(
    responses: pd.DataFrame | IngestResult,
    taxonomy: Taxonomy | str | Path | None = None,
    *,
    text_column: str = "text",
    id_column: str = "response_id",
) -> pd.DataFrame:
    """Code each response to themes, and so to foundations and Grand Challenges.

    Parameters
    ----------
    responses : the ``data`` of :func:`read_call_for_evidence` (or the result itself), or
        any DataFrame with ``id_column`` and ``text_column``
    taxonomy : a :class:`Taxonomy`, a path to a taxonomy YAML, or None for the package's
    text_column, id_column : which columns hold the text and the response's unique id

    Returns
    -------
    DataFrame, long: one row per response and theme coded, with the response's own columns
    and ``theme, theme_label, under, under_label, kind, stance, matched_terms`` (the
    taxonomy entries that matched, ``"; "``-joined), ``matched_text`` (the words in the
    response that matched) and ``n_terms`` (distinct entries matched). A response with
    text but no theme appears once with ``theme`` missing, so it is counted, not lost.
    Responses with empty text are not coded (they are not responses).
    """
    tax = _taxonomy(taxonomy)
    df = responses.data if isinstance(responses, IngestResult) else responses
    for col in (id_column, text_column):
        if col not in df.columns:
            raise LisError(f"code_responses: the responses have no {col!r} column")
    by_id = {t.id: t for t in tax.themes}
    records = []
    for rec in df.to_dict("records"):
        text = rec.get(text_column)
        if not isinstance(text, str) or not text.strip():
            continue
        matches = tax.code(text)
        if not matches:
            records.append({**rec, **dict.fromkeys(CODE_COLUMNS, None), "n_terms": 0})
        for m in matches:
            t = by_id[m.theme]
            records.append(
                {
                    **rec,
                    "theme": t.id,
                    "theme_label": t.label,
                    "under": t.under,
                    "under_label": t.under_label,
                    "kind": t.kind,
                    "stance": t.stance,
                    "matched_terms": "; ".join(m.terms),
                    "matched_text": "; ".join(m.text),
                    "n_terms": len(m.terms),
                }
            )
    cols = [c for c in df.columns if c not in CODE_COLUMNS] + CODE_COLUMNS
    out = pd.DataFrame.from_records(records, columns=cols)
    out["n_terms"] = out["n_terms"].astype("int64")
    return out


def _coded_only(coded: pd.DataFrame) -> pd.DataFrame:
    return coded[coded["theme"].notna()]


def counts_by_foundation(
    coded: pd.DataFrame,
    *,
    by: str = "organisation_type",
    unit: str = "responses",
    id_column: str = "response_id",
    taxonomy: Taxonomy | str | Path | None = None,
) -> pd.DataFrame:
    """How many responses (or respondents) raise each foundation and Grand Challenge.

    Parameters
    ----------
    coded : output of :func:`code_responses`
    by : the column across the table (default: organisation type)
    unit : ``"responses"`` (a response coded to two themes under one foundation counts
        once) or ``"respondents"`` (distinct ``respondent_id``)
    id_column : the response id column

    Returns
    -------
    DataFrame indexed by foundation/challenge name (foundations first, in taxonomy order),
    a column per ``by`` value (organisation types in the standard order) and ``All``; the
    last rows are ``No theme found`` and ``All responses`` (or ``All respondents``), the
    distinct count. Rows do not sum to the total: one response can raise several.
    """
    tax = _taxonomy(taxonomy)
    if unit not in ("responses", "respondents"):
        raise LisError("counts_by_foundation: unit must be 'responses' or 'respondents'")
    key = id_column if unit == "responses" else "respondent_id"
    for col in (key, by):
        if col not in coded.columns:
            raise LisError(f"counts_by_foundation: the coded table has no {col!r} column")
    groups = _ordered_values(coded[by])
    order = [*tax.foundations, *tax.grand_challenges]
    labels = [tax.under_label(u) for u in order]
    themed = _coded_only(coded)
    table = pd.DataFrame(0, index=labels, columns=[*groups, "All"], dtype="int64")
    for u, label in zip(order, labels, strict=True):
        sub = themed[themed["under"] == u]
        for g in groups:
            table.loc[label, g] = sub.loc[sub[by] == g, key].nunique()
        table.loc[label, "All"] = sub[key].nunique()
    coded_keys = set(themed[key])
    uncoded = coded[~coded[key].isin(coded_keys)]
    total_label = f"All {unit}"
    table.loc["No theme found"] = [
        *(uncoded.loc[uncoded[by] == g, key].nunique() for g in groups),
        uncoded[key].nunique(),
    ]
    table.loc[total_label] = [
        *(coded.loc[coded[by] == g, key].nunique() for g in groups),
        coded[key].nunique(),
    ]
    table.columns = [
        ORGANISATION_TYPE_LABELS.get(c, c) if by == "organisation_type" else c
        for c in table.columns
    ]
    table.index.name = "Foundation or Grand Challenge"
    return table


def theme_counts(
    coded: pd.DataFrame,
    taxonomy: Taxonomy | str | Path | None = None,
    *,
    id_column: str = "response_id",
) -> pd.DataFrame:
    """Responses and respondents raising each theme, most raised first.

    Returns
    -------
    DataFrame with ``theme, theme_label, under_label, kind, stance, n_responses,
    n_respondents, pct_respondents`` (of all respondents in ``coded``) and one column per
    organisation type (respondents); themes nobody raised are included with zeros.
    """
    tax = _taxonomy(taxonomy)
    themed = _coded_only(coded)
    total = (
        coded["respondent_id"].nunique() if "respondent_id" in coded else coded[id_column].nunique()
    )
    who = "respondent_id" if "respondent_id" in coded else id_column
    types = _ordered_values(coded["organisation_type"]) if "organisation_type" in coded else []
    rows = []
    for t in tax.themes:
        sub = themed[themed["theme"] == t.id]
        row = {
            "theme": t.id,
            "theme_label": t.label,
            "under_label": t.under_label,
            "kind": t.kind,
            "stance": t.stance,
            "n_responses": sub[id_column].nunique(),
            "n_respondents": sub[who].nunique(),
        }
        row["pct_respondents"] = 100 * row["n_respondents"] / total if total else math.nan
        for g in types:
            row[ORGANISATION_TYPE_LABELS.get(g, g)] = sub.loc[
                sub["organisation_type"] == g, who
            ].nunique()
        rows.append(row)
    out = pd.DataFrame(rows)
    return out.sort_values(
        ["n_respondents", "n_responses"], ascending=False, kind="stable"
    ).reset_index(drop=True)
