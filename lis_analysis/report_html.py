"""Accessible HTML tables for notebooks and the board pack.

:func:`table` is what a notebook calls to show a DataFrame to the board: a ``<table>``
with a ``<caption>``, ``<th scope="col">`` headers, ``<th scope="row">`` row headers,
numbers formatted and right-aligned, no index noise, missing values shown as ``[x]``
with a footnote (never as ``nan``, never as 0). The pages' stylesheet
(``lis_analysis/pack/templates/board/lis.css``) styles its classes; the pages themselves
are made by :mod:`lis_analysis.pack.export`.

:func:`html_table`, :func:`quotes_table` and :func:`safe_styler` are tables of respondent
text in which every cell is escaped (and, on request, redacted); a second renderer, kept
beside :func:`table` until the two are unified.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .errors import LisError
from .safetext import escape, redact

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


# --------------------------------------------------------------------------------------
# Escaped tables for respondent text
# --------------------------------------------------------------------------------------
# A second renderer, moved here from the consultation analysis so that the two sit side by
# side until they are one (issue 12). Unlike table(), html_table() returns a str (pages
# wrap it in Markdown), shows missing values as empty cells with no footnote, formats
# every float with one format ("{:,.1f}") and integers with str(), uses "<td>" for every
# cell (no row headers, no lis-num class, no wrapper div), escapes every cell (numbers
# too) and can redact every cell.


def _plain_cell(v: Any, float_format: str) -> str:
    """A cell of :func:`html_table` as text, before escaping (missing values: empty)."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, bool | np.bool_):
        return "Yes" if v else "No"
    if isinstance(v, float | np.floating):
        return float_format.format(v)
    return str(v)


def html_table(
    df: pd.DataFrame,
    caption: str,
    *,
    columns: Mapping[str, str] | Sequence[str] | None = None,
    float_format: str = "{:,.1f}",
    redact_personal: bool = False,
    table_class: str = "lis-table",
) -> str:
    """An accessible HTML table in which every header, cell and the caption are escaped.

    Parameters
    ----------
    df : the table
    caption : the table's caption (required: screen readers announce it)
    columns : which columns to show, as a list or ``{column: header}``; default all
    float_format : format for floats
    redact_personal : also pass every cell through :func:`lis_analysis.safetext.redact`

    Returns
    -------
    str: ``<table>`` with ``<caption>``, ``<thead>`` (``th scope="col"``) and ``<tbody>``.
    Missing values show as empty cells.
    """
    if not str(caption).strip():
        raise LisError("html_table: a caption is required (it is what a screen reader announces)")
    if columns is None:
        columns = {c: str(c) for c in df.columns}
    elif not isinstance(columns, Mapping):
        columns = {c: str(c) for c in columns}
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise LisError(f"html_table: no column {missing[0]!r} in the table")
    cls = re.sub(r"[^A-Za-z0-9_ -]", "", table_class)
    parts = [f'<table class="{cls}">', f"<caption>{escape(caption)}</caption>", "<thead><tr>"]
    parts += [f'<th scope="col">{escape(h)}</th>' for h in columns.values()]
    parts.append("</tr></thead><tbody>")
    for rec in df[list(columns)].itertuples(index=False, name=None):
        cells = []
        for v in rec:
            text = _plain_cell(v, float_format)
            cells.append(f"<td>{escape(redact(text) if redact_personal else text)}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
    return "\n".join(parts)


def quotes_table(
    quotes: pd.DataFrame,
    caption: str = "Representative quotes by theme",
    *,
    columns: Mapping[str, str] | None = None,
    redact_personal: bool = True,
) -> str:
    """The quotes of :func:`lis_analysis.consultation.select_quotes` as an escaped, redacted
    HTML table.

    Default columns: Theme, Quote, Respondent. Every cell is redacted (unless
    ``redact_personal`` is False) and escaped, so markup in a response renders as text.
    """
    columns = columns or {"theme_label": "Theme", "quote": "Quote", "attribution": "Respondent"}
    return html_table(quotes, caption, columns=columns, redact_personal=redact_personal)


def safe_styler(df: pd.DataFrame, caption: str, *, precision: int = 1) -> Any:
    """A pandas ``Styler`` for ``df`` that escapes every cell, index label and the caption
    (a plain ``df.style`` does not escape). Use it instead of ``df.style`` for any table
    holding respondent text."""
    return (
        df.style.format(escape="html", precision=precision, na_rep="")
        .format_index(escape="html", axis=0)
        .format_index(escape="html", axis=1)
        .set_caption(escape(caption))
    )


__all__ = ["HTMLTable", "table", "html_table", "quotes_table", "safe_styler"]
