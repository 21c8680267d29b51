"""The one HTML table renderer of the board pages: accessible, escaped, one way of showing
a missing value.

:func:`table` is what a page (or an economist in JupyterLab) calls to show a DataFrame:

- a ``<table>`` with a ``<caption>`` (required), ``<th scope="col">`` headers and, when
  the first column is text, ``<th scope="row">`` row headers;
- numbers formatted (thousands separators, sensible decimals, a real minus sign) and
  right-aligned (class ``lis-num``); booleans as Yes/No; no index noise;
- **every** text cell, header, caption and note escaped (respondent text that holds
  markup renders as text), and, on request, personal data redacted
  (:func:`lis_analysis.safetext.redact`);
- a missing value shown as ``[x]`` (the GSS "not available" marker) with the footnote
  "[x] = not available." under the table: never ``nan``, never a blank, never 0.

The pages' stylesheet (``templates/board/lis.css``) styles the classes. :func:`quotes_table`
is :func:`table` with the columns of a quotes frame and redaction on.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import LisError
from ..safetext import escape, redact

#: How a missing value is printed, and its footnote.
MISSING = "[x]"
MISSING_NOTE = f"{MISSING} = not available."

_NO_SEPARATOR = re.compile(r"year|period|rank|code|id$", re.IGNORECASE)


class HTMLTable:
    """An accessible HTML table; displays itself in Jupyter and in exported pages.

    Attributes
    ----------
    markup : str
        The HTML (``str(table)`` gives it too).
    caption : str
    data : pandas.DataFrame
        The frame shown, as given (before formatting).
    """

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
    return isinstance(v, float | np.floating) and math.isnan(v)


def _column_decimals(s: pd.Series) -> int:
    vals = pd.to_numeric(s, errors="coerce").dropna()
    if vals.empty or (vals == vals.round(0)).all():
        return 0
    return 1 if vals.abs().max() >= 100 else 2


def table(
    df: pd.DataFrame | pd.Series,
    caption: str,
    *,
    columns: Mapping[str, str] | Sequence[str] | None = None,
    index: bool = False,
    decimals: int | Mapping[str, int] | None = None,
    formats: Mapping[str, str] | None = None,
    row_header: bool = True,
    notes: Sequence[str] | str | None = None,
    redact_personal: bool = False,
) -> HTMLTable:
    """An accessible HTML table of ``df`` for a page or the board pack.

    Parameters
    ----------
    df : the data; column names become the header cells, as written
    caption : what the table shows (required: screen readers announce it)
    columns : which columns to show, as a list or ``{column: header}``; default all
    index : include the index as the first column(s) (default: no index noise)
    decimals : decimals for numeric columns (one number, or per column); default:
        0 for whole numbers, 1 from 100 upwards, 2 below
    formats : per-column format strings, e.g. ``{"GVA (£m)": "£{:,.0f}"}``
    row_header : make the first column row headers (``<th scope="row">``) when it is text
    notes : footnotes printed under the table
    redact_personal : pass every text cell through :func:`lis_analysis.safetext.redact`
        (respondent text: email addresses, phone numbers, postcodes)

    Returns
    -------
    HTMLTable
        ``.to_html()`` gives the markup; Jupyter and nbconvert display it directly.

    Raises
    ------
    LisError
        No caption, or a column asked for that the frame does not have.
    """
    if isinstance(df, pd.Series):
        df = df.to_frame()
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"table() needs a DataFrame, got {type(df).__name__}")
    if not caption or not str(caption).strip():
        raise LisError("table(): a caption is required (it is what a screen reader announces)")
    data = df.reset_index() if index else df
    if columns is not None:
        wanted = dict(columns) if isinstance(columns, Mapping) else {c: str(c) for c in columns}
        absent = [c for c in wanted if c not in data.columns]
        if absent:
            raise LisError(f"table(): no column {absent[0]!r} in the table")
        data = data[list(wanted)].set_axis(list(wanted.values()), axis=1)
    data = data.copy()
    data.columns = [
        " ".join(map(str, c)).strip() if isinstance(c, tuple) else str(c) for c in data.columns
    ]
    formats = dict(formats or {})
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
            return MISSING
        if c in formats:
            return escape(formats[c].format(v))
        if isinstance(v, bool | np.bool_):
            return "Yes" if v else "No"
        if numeric[c]:
            d = col_dec.get(c, 0)
            if _NO_SEPARATOR.search(c) and d == 0:
                return f"{float(v):.0f}"
            text = f"{float(v):,.{d}f}"
            return text.replace("-", "\u2212") if text.startswith("-") else text
        return escape(redact(v) if redact_personal else str(v))

    first = data.columns[0] if len(data.columns) else None
    use_row_header = bool(row_header and first is not None and not numeric[first])
    out = [
        '<div class="lis-table-wrap">',
        '<table class="lis-table">',
        f"<caption>{escape(str(caption))}</caption>",
        "<thead><tr>",
    ]
    for c in data.columns:
        cls = ' class="lis-num"' if numeric[c] else ""
        out.append(f'<th scope="col"{cls}>{escape(c)}</th>')
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
        note_list.append(MISSING_NOTE)
    for n in note_list:
        out.append(f'<p class="lis-table-note">{escape(n)}</p>')
    out.append("</div>")
    return HTMLTable("".join(out), str(caption), df)


#: The columns of :func:`lis_analysis.consultation.select_quotes` a quotes table shows.
QUOTE_COLUMNS = {"theme_label": "Theme", "quote": "Quote", "attribution": "Respondent"}


def quotes_table(
    quotes: pd.DataFrame,
    caption: str = "Representative quotes by theme",
    *,
    columns: Mapping[str, str] | None = None,
    redact_personal: bool = True,
) -> HTMLTable:
    """The quotes of :func:`lis_analysis.consultation.select_quotes` as a :func:`table`:
    Theme, Quote, Respondent, every cell redacted (unless ``redact_personal`` is False)
    and escaped, so markup in a response renders as text."""
    return table(quotes, caption, columns=columns or QUOTE_COLUMNS, redact_personal=redact_personal)


__all__ = ["MISSING", "MISSING_NOTE", "QUOTE_COLUMNS", "HTMLTable", "quotes_table", "table"]
