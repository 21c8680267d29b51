"""Accessible HTML tables for notebooks and the board pack.

:func:`table` is what a notebook calls to show a DataFrame to the board: a ``<table>``
with a ``<caption>``, ``<th scope="col">`` headers, ``<th scope="row">`` row headers,
numbers formatted and right-aligned, no index noise, missing values shown as ``[x]``
with a footnote (never as ``nan``, never as 0). The pages' stylesheet
(``lis_analysis/pack/templates/board/lis.css``) styles its classes; the pages themselves
are made by :mod:`lis_analysis.pack.export`.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

# --------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------

_NO_SEPARATOR = re.compile(r"year|period|rank|code|id$", re.IGNORECASE)


class HTMLTable:
    """An accessible HTML table; displays itself in Jupyter and in exported pages."""

    def __init__(self, markup: str, caption: str, data: pd.DataFrame) -> None:
        self.markup = markup
        self.caption = caption
        self.data = data

    def to_html(self) -> str:
        return self.markup

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return f"<HTMLTable {self.caption!r}: {len(self.data)} rows>"


def _is_missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    try:
        return bool(isinstance(v, float) and math.isnan(v))
    except TypeError:  # pragma: no cover
        return False


def _column_decimals(s: pd.Series) -> int:
    vals = pd.to_numeric(s, errors="coerce").dropna()
    if vals.empty or (vals == vals.round(0)).all():
        return 0
    return 1 if vals.abs().max() >= 100 else 2


def table(
    df: pd.DataFrame,
    caption: str,
    *,
    index: bool = False,
    decimals: int | Mapping[str, int] | None = None,
    formats: Mapping[str, str] | None = None,
    row_header: bool = True,
    na_rep: str = "[x]",
    notes: Sequence[str] | str | None = None,
) -> HTMLTable:
    """An accessible HTML table of ``df`` for a notebook or the board pack.

    Parameters
    ----------
    df : the data; column names become the header cells, as written
    caption : what the table shows (required: every table needs a caption)
    index : include the index as the first column(s) (default: no index noise)
    decimals : decimals for numeric columns (one number, or per column); default:
        0 for whole numbers, 1 from 100 upwards, 2 below
    formats : per-column format strings, e.g. ``{"GVA (£m)": "£{:,.0f}"}``
    row_header : make the first column row headers (``<th scope="row">``) when it is text
    na_rep : shown for missing values (``[x]``, GSS "not available"), with a footnote
    notes : footnotes printed under the table

    Returns
    -------
    HTMLTable
        ``.to_html()`` gives the markup; Jupyter and nbconvert display it directly.
    """
    if not isinstance(df, pd.DataFrame):
        if isinstance(df, pd.Series):
            df = df.to_frame()
        else:
            raise TypeError(f"table() needs a DataFrame, got {type(df).__name__}")
    if not caption or not str(caption).strip():
        raise ValueError("table() needs a caption that says what the table shows")
    data = df.reset_index() if index else df
    data = data.copy()
    data.columns = [
        " ".join(map(str, c)).strip() if isinstance(c, tuple) else str(c) for c in data.columns
    ]
    formats = dict(formats or {})
    esc = html.escape
    numeric = {
        c: pd.api.types.is_numeric_dtype(data[c]) and not pd.api.types.is_bool_dtype(data[c])
        for c in data.columns
    }
    col_dec: dict[str, int] = {}
    for c in data.columns:
        if isinstance(decimals, Mapping):
            col_dec[c] = decimals.get(c, _column_decimals(data[c]) if numeric[c] else 0)
        elif decimals is not None:
            col_dec[c] = decimals if not pd.api.types.is_integer_dtype(data[c]) else 0
        elif numeric[c]:
            col_dec[c] = _column_decimals(data[c])
    any_missing = False

    def cell(c: str, v: Any) -> str:
        nonlocal any_missing
        if _is_missing(v):
            any_missing = True
            return esc(na_rep)
        if c in formats:
            return esc(formats[c].format(v))
        if isinstance(v, bool):
            return "Yes" if v else "No"
        if numeric[c]:
            d = col_dec.get(c, 0)
            if _NO_SEPARATOR.search(c) and d == 0:
                return f"{float(v):.0f}"
            text = f"{float(v):,.{d}f}"
            return text.replace("-", "\u2212") if text.startswith("-") else text
        return esc(str(v))

    first = data.columns[0] if len(data.columns) else None
    use_row_header = bool(row_header and first is not None and not numeric[first])
    out = [
        '<div class="lis-table-wrap">',
        '<table class="lis-table">',
        f"<caption>{esc(str(caption))}</caption>",
    ]
    out.append("<thead><tr>")
    for c in data.columns:
        cls = ' class="lis-num"' if numeric[c] else ""
        out.append(f'<th scope="col"{cls}>{esc(c)}</th>')
    out.append("</tr></thead><tbody>")
    for row in data.itertuples(index=False, name=None):
        out.append("<tr>")
        for j, (c, v) in enumerate(zip(data.columns, row, strict=True)):
            text = cell(c, v)
            cls = ' class="lis-num"' if numeric[c] else ""
            if j == 0 and use_row_header:
                out.append(f'<th scope="row"{cls}>{text}</th>')
            else:
                out.append(f"<td{cls}>{text}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    note_list = [notes] if isinstance(notes, str) else list(notes or [])
    if any_missing:
        note_list.append(f"{na_rep} = not available.")
    for n in note_list:
        out.append(f'<p class="lis-table-note">{esc(n)}</p>')
    out.append("</div>")
    return HTMLTable("".join(out), str(caption), df)


__all__ = ["HTMLTable", "table"]
