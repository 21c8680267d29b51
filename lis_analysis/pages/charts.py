"""House charts: the Analysis Function accessible palette and an alt text written from the data.

Every function here takes a plain long DataFrame, draws one chart in the house style and
returns a :class:`Chart`. A ``Chart`` is not a matplotlib figure: it holds the rendered
PNG, the chart's title and source, the data it shows, and an alt text generated from that
data (what the chart shows, the key values and the trend). In JupyterLab, and in the HTML
that nbconvert exports, it displays as **one** ``<img>`` whose ``alt`` attribute is that
text, inside a ``<figure>`` with a caption and a collapsed table of the data.

Why not a matplotlib figure: nbconvert gives plots the alt text "No description has been
provided for this image" (TOOLCHAIN.md), and the inline backend would display a pyplot
figure a second time. Charts are therefore drawn on :class:`matplotlib.figure.Figure`
objects that never enter pyplot's registry, rendered once to PNG and released, so memory
does not grow however many charts a notebook draws.

Colours follow the Government Analysis Function guidance "Data visualisation: colours"
(categorical palette, and the focus palette of one highlighted series against grey); see
:data:`PALETTE`. Colour never carries meaning alone: highlighted areas are also named in
bold, strengths and weaknesses are written in words, signs are printed with the numbers.

Input shapes (column names; extra columns are ignored):

* indicator table (``benchmark_bar``, ``rank_dot``): ``area_code, area_name,
  indicator_id, period, value, unit, ci_lower, ci_upper, benchmark_code,
  benchmark_value, significant, rank, n_peers, polarity`` (the columns of
  ``lis indicators``); optional ``indicator_name``, ``benchmark_name``.
* series (``trend``): ``area_name, period, value``; optional ``area_code, ci_lower,
  ci_upper, unit, indicator_name``.
* contributions (``waterfall``): ``component, contribution``.
* location quotients (``lq_bar``, ``lq_bubble``): ``industry, lq``; optional
  ``employment`` (sector size), ``growth`` (bubble x axis), ``area_name``, ``period``.
* readings (``strengths_chart``): ``indicator_name`` (or ``indicator_id``), ``gap``
  (positive = better) and ``materiality`` (or a ``score`` in thresholds); optional
  ``group``, ``classification``.
* sensitivity draws (``rank_distribution``): ``priority, draw, rank`` (1 = top).
"""

from __future__ import annotations

import base64
import html
import io
import logging
import math
import re
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import matplotlib as mpl
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..methods.position import classify_gap
from .prose import (
    compare_phrase,
    format_value,
    is_percent,
    list_words,
    lower_name,
    ordinal,
    signed,
    the,
)

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------
# Palette and style
# --------------------------------------------------------------------------------------

#: Analysis Function categorical palette, in the order the guidance uses it. Each colour
#: has at least 3:1 contrast with white and with its neighbours in this order.
PALETTE: dict[str, str] = {
    "dark_blue": "#12436D",
    "turquoise": "#28A197",
    "dark_pink": "#801650",
    "orange": "#F46A25",
    "dark_grey": "#3D3D3D",
    "light_purple": "#A285D1",
}
CATEGORICAL: tuple[str, ...] = tuple(PALETTE.values())
#: Focus palette: the series of interest against context series.
FOCUS = PALETTE["dark_blue"]
CONTEXT = "#BFBFBF"
#: Analysis Function sequential blues (dark to light).
SEQUENTIAL: tuple[str, ...] = ("#12436D", "#2073BC", "#6BACE6")
#: GOV.UK text colour and the greys used for axes and gridlines.
TEXT = "#0B0C0C"
SECONDARY_TEXT = "#505A5F"
GRID = "#D8D8D8"

#: Width of every chart in CSS pixels (legible in an 800px column) and the PNG density.
WIDTH_PX = 800
DPI = 160  # 1.6 device pixels per CSS pixel: sharp on high-density laptop screens, and a third fewer pixels to encode than 2x
_INCH_PX = 100  # CSS px per figure inch: figures are sized in inches = px / 100

HOUSE_RC: dict[str, Any] = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "font.family": "sans-serif",
    "font.sans-serif": ["Arial", "Helvetica", "Liberation Sans", "DejaVu Sans"],
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "text.color": TEXT,
    "axes.labelcolor": TEXT,
    "axes.edgecolor": SECONDARY_TEXT,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": GRID,
    "grid.linewidth": 0.8,
    "axes.axisbelow": True,
    "axes.prop_cycle": cycler(color=list(CATEGORICAL)),
    "lines.linewidth": 2.5,
    "lines.markersize": 6,
    "legend.frameon": False,
    "legend.fontsize": 11,
    "hatch.color": "white",
    "svg.fonttype": "none",
}


@contextmanager
def house_style() -> Iterator[None]:
    """Context manager: matplotlib drawing inside it uses the house style.

    >>> with house_style():
    ...     fig = Figure(); ax = fig.add_subplot()
    """
    with mpl.rc_context(cast(Any, HOUSE_RC)):
        yield


def apply_house_style() -> None:
    """Set the house style globally (for ad-hoc matplotlib plots in a notebook)."""
    mpl.rcParams.update(cast(Any, HOUSE_RC))


# --------------------------------------------------------------------------------------
# The Chart object
# --------------------------------------------------------------------------------------


class Chart:
    """A rendered chart with its alt text; displays in Jupyter as one accessible ``<img>``.

    Attributes
    ----------
    alt_text : str
        Generated from the data: what the chart shows, the key values and the trend.
    title : str
        Shown as the figure caption (HTML text, not pixels, so it is searchable).
    source : str or None
        Data source line for the caption.
    png : bytes
        The PNG image (2 device pixels per CSS pixel).
    width, height : int
        Display size in CSS pixels.
    data : pandas.DataFrame or None
        The numbers drawn, shown as a collapsed table under the image in HTML.

    Notes
    -----
    Only ``text/html`` and ``text/plain`` are offered to Jupyter (no ``image/png``): the
    notebook stores the image once and nbconvert writes exactly one ``<img>`` per chart,
    with this alt text. Use :meth:`save` or :attr:`png` for the image file itself.
    """

    def __init__(
        self,
        png: bytes,
        alt_text: str,
        *,
        title: str,
        width: int,
        height: int,
        source: str | None = None,
        note: str | None = None,
        data: pd.DataFrame | None = None,
    ) -> None:
        if not alt_text or not alt_text.strip():
            raise ValueError("a chart needs an alt text")
        self.png = png
        self.alt_text = " ".join(alt_text.split())
        self.title = title
        self.width = int(width)
        self.height = int(height)
        self.source = source
        self.note = note
        self.data = data

    # -- display ---------------------------------------------------------------------
    def data_uri(self) -> str:
        """The PNG as a ``data:image/png;base64,...`` URI (no network needed)."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")

    def to_html(self, *, data_table: bool = True) -> str:
        """``<figure>``: the image (alt = :attr:`alt_text`), a caption, and the data table."""
        esc = html.escape
        parts = [
            '<figure class="lis-chart">',
            f'<img src="{self.data_uri()}" alt="{esc(self.alt_text, quote=True)}" '
            f'width="{self.width}" height="{self.height}" class="lis-chart__img">',
            '<figcaption class="lis-chart__caption">',
            f'<span class="lis-chart__title">{esc(self.title)}</span>',
        ]
        if self.note:
            parts.append(f'<span class="lis-chart__note">{esc(self.note)}</span>')
        if self.source:
            parts.append(f'<span class="lis-chart__source">Source: {esc(self.source)}</span>')
        parts.append("</figcaption>")
        if data_table and self.data is not None and len(self.data):
            from .tables import table

            parts.append(
                '<details class="lis-chart__data"><summary>Show the data for this chart'
                "</summary>"
                + table(self.data, f"Data for the chart: {self.title}").to_html()
                + "</details>"
            )
        parts.append("</figure>")
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        # Deliberately no image/png: see the class notes.
        return {"text/html": self.to_html(), "text/plain": f"{self.title}\n{self.alt_text}"}

    def __repr__(self) -> str:
        return f"<Chart {self.title!r}: {self.alt_text[:80]}...>"

    def save(self, path: str | Path) -> Path:
        """Write the PNG atomically to ``path`` and return it."""
        from .._files import atomic_write

        return atomic_write(path, self.png)


def _figure(width_px: int = WIDTH_PX, height_px: int = 450) -> Figure:
    """A pyplot-free figure in the house style (call inside :func:`house_style`)."""
    fig = Figure(figsize=(width_px / _INCH_PX, height_px / _INCH_PX), dpi=_INCH_PX)
    FigureCanvasAgg(fig)  # a renderer, so label sizes can be measured before saving
    return fig


def _fit_x(fig: Figure, ax: Any, texts: Sequence[Any], pad_px: float = 8.0) -> None:
    """Widen the x limits until every label in ``texts`` lies inside the axes.

    Labels sit at data positions, so widening moves them too: iterate a few times.
    """
    for _ in range(4):
        fig.tight_layout()
        renderer = cast(FigureCanvasAgg, fig.canvas).get_renderer()
        box = ax.get_window_extent(renderer)
        x0, x1 = ax.get_xlim()
        scale = (x1 - x0) / max(box.width, 1.0)
        over_r = max(
            (t.get_window_extent(renderer).x1 - box.x1 + pad_px for t in texts), default=0.0
        )
        over_l = max(
            (box.x0 + pad_px - t.get_window_extent(renderer).x0 for t in texts), default=0.0
        )
        if over_r <= 0 and over_l <= 0:
            return
        ax.set_xlim(x0 - max(over_l, 0) * scale * 1.15, x1 + max(over_r, 0) * scale * 1.15)


#: white box behind value labels, so reference lines never run through the numbers
_LABEL_BOX = {"boxstyle": "square,pad=0.12", "facecolor": "white", "edgecolor": "none"}

#: palette colours dark enough (4.5:1 on white) to colour text; others label in black.
_DARK_TEXT_OK = {PALETTE["dark_blue"], PALETTE["dark_pink"], PALETTE["dark_grey"]}


def _format_axis(axis: Any, unit: Any) -> None:
    """Tick labels in the indicator's unit ('£30', '12%'), with only the decimals the step needs."""
    ticks = np.asarray(axis.get_major_locator()(), dtype=float)
    step = float(np.min(np.diff(ticks))) if len(ticks) > 1 else 1.0
    d = 0 if step >= 1 else 1 if step >= 0.1 else 2
    axis.set_major_formatter(
        mpl.ticker.FuncFormatter(lambda v, _: format_value(v, unit, short=True, decimals=d))
    )


def _fit_right_margin(fig: Figure, texts: Sequence[Any], pad_px: float = 10.0) -> None:
    """Make room at the right of the figure for labels drawn past the axes (line ends)."""
    fig.tight_layout()
    renderer = cast(FigureCanvasAgg, fig.canvas).get_renderer()
    fig_w = fig.get_size_inches()[0] * fig.dpi
    widest = max((t.get_window_extent(renderer).width for t in texts), default=0.0)
    fig.subplots_adjust(right=max(0.45, 1 - (widest + pad_px * 2.5) / fig_w))


def _render(
    fig: Figure,
    alt: str,
    *,
    title: str,
    source: str | None = None,
    note: str | None = None,
    data: pd.DataFrame | None = None,
) -> Chart:
    """Render ``fig`` to PNG, release it, and wrap it with its alt text."""
    buf = io.BytesIO()
    # No Software/date metadata, so the same data gives the same bytes (reproducible packs).
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    w_in, h_in = fig.get_size_inches()
    fig.clear()  # release the artists now; the Figure is not known to pyplot
    return Chart(
        buf.getvalue(),
        alt,
        title=title,
        width=round(w_in * _INCH_PX),
        height=round(h_in * _INCH_PX),
        source=source,
        note=note,
        data=data,
    )


# --------------------------------------------------------------------------------------
# Words and numbers
# --------------------------------------------------------------------------------------

#: Display names of common benchmark codes (used when the table does not name them).
BENCHMARK_NAMES: dict[str, str] = {
    "K02000001": "UK",
    "UKX": "UK (less Extra-Regio)",
    "K03000001": "Great Britain",
    "K04000001": "England and Wales",
    "E92000001": "England",
    "W92000004": "Wales",
    "S92000003": "Scotland",
    "N92000002": "Northern Ireland",
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
}


def _humanise(indicator_id: str) -> str:
    text = str(indicator_id).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def indicator_label(indicator_id: str, table: pd.DataFrame | None = None) -> str:
    """The indicator's display name: the table's ``indicator_name`` column, else the
    registry's name for the id, else the id made readable ('gva_per_hour' -> 'Gva per hour')."""
    if table is not None and "indicator_name" in table.columns:
        vals = table["indicator_name"].dropna()
        if len(vals):
            return str(vals.iloc[0])
    from ..indicators.registry import load_registry

    reg = load_registry()
    return reg[indicator_id].name if indicator_id in reg else _humanise(indicator_id)


def _first(df: pd.DataFrame, col: str, default: Any = None) -> Any:
    if col not in df.columns:
        return default
    vals = df[col].dropna()
    return vals.iloc[0] if len(vals) else default


def _require(df: pd.DataFrame, cols: Iterable[str], what: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{what} needs a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(
            f"{what}: the data has no column(s) {', '.join(missing)} "
            f"(it has: {', '.join(map(str, df.columns))})"
        )


def _wrap(label: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(str(label), width)) or str(label)


def _bar_height_px(n: int, per: int = 34, base: int = 140, lo: int = 260, hi: int = 1400) -> int:
    return int(min(hi, max(lo, base + per * n)))


def _ci_note(has_ci: bool) -> str | None:
    return "Lines through the bars show 95% confidence intervals." if has_ci else None


# --------------------------------------------------------------------------------------
# Indicator table charts
# --------------------------------------------------------------------------------------


#: An indicator's polarity as the registry declares it (indicators.yaml): which end is best.
_HIGHER_IS_BETTER = {"higher": True, "lower": False}


def _indicator_rows(table: pd.DataFrame, indicator_id: str, what: str) -> pd.DataFrame:
    _require(table, ["indicator_id", "area_name", "value"], what)
    rows = table[table["indicator_id"].astype(str) == str(indicator_id)]
    if rows.empty:
        known = ", ".join(sorted(map(str, table["indicator_id"].dropna().unique())))
        raise ValueError(f"{what}: no rows for indicator '{indicator_id}' (the table has: {known})")
    return rows


def _pick_area(rows: pd.DataFrame, area: str | None) -> tuple[str, str | None]:
    """(area name, area code) of the highlighted area: ``area`` given as a code or a name,
    else the first row's area."""
    if area is None:
        first = rows.iloc[0]
        return str(first["area_name"]), (str(first["area_code"]) if "area_code" in rows else None)
    for col in ("area_code", "area_name"):
        if col in rows.columns:
            hit = rows[rows[col].astype(str) == str(area)]
            if len(hit):
                code = str(hit.iloc[0]["area_code"]) if "area_code" in rows else None
                return str(hit.iloc[0]["area_name"]), code
    raise ValueError(f"area '{area}' is not in the data")


def _benchmarks(rows: pd.DataFrame) -> list[tuple[str, str, float]]:
    """Distinct (code, name, value) benchmarks named in the indicator rows."""
    if "benchmark_code" not in rows.columns or "benchmark_value" not in rows.columns:
        return []
    out: list[tuple[str, str, float]] = []
    seen: set[str] = set()
    area_names = {}
    if "area_code" in rows.columns:
        area_names = dict(
            zip(rows["area_code"].astype(str), rows["area_name"].astype(str), strict=False)
        )
    for _, r in rows.iterrows():
        code = r["benchmark_code"]
        if (
            code is None
            or (not isinstance(code, str) and pd.isna(code))
            or pd.isna(r["benchmark_value"])
        ):
            continue
        code = str(code)
        if code in seen:
            continue
        seen.add(code)
        name = None
        if "benchmark_name" in rows.columns and not pd.isna(r["benchmark_name"]):
            name = str(r["benchmark_name"])
        name = name or area_names.get(code) or BENCHMARK_NAMES.get(code) or code
        out.append((code, name, float(r["benchmark_value"])))
    return out


def _primary_benchmark(
    bms: list[tuple[str, str, float]], benchmark: str | None
) -> tuple[str, str, float] | None:
    if not bms:
        return None
    if benchmark is not None:
        for b in bms:
            if benchmark in (b[0], b[1]):
                return b
        raise ValueError(
            f"benchmark '{benchmark}' is not in the data ({', '.join(b[0] for b in bms)})"
        )
    for pref in ("K02000001", "UKX", "K03000001", "E92000001"):
        for b in bms:
            if b[0] == pref:
                return b
    return bms[0]


def _area_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per area (first row of each), with CI columns present."""
    key = "area_code" if "area_code" in rows.columns else "area_name"
    areas = rows.drop_duplicates(subset=[key]).copy()
    for col in ("ci_lower", "ci_upper"):
        if col not in areas.columns:
            areas[col] = np.nan
    areas["value"] = pd.to_numeric(areas["value"], errors="coerce")
    areas["ci_lower"] = pd.to_numeric(areas["ci_lower"], errors="coerce")
    areas["ci_upper"] = pd.to_numeric(areas["ci_upper"], errors="coerce")
    return areas


def benchmark_bar(
    table: pd.DataFrame,
    indicator_id: str,
    *,
    area: str | None = None,
    benchmark: str | None = None,
    indicator_name: str | None = None,
    title: str | None = None,
    source: str | None = None,
    reading: str | None = None,
) -> Chart:
    """Bar chart of one indicator: the area (highlighted), its peers and its benchmarks.

    Parameters
    ----------
    table : the indicator table (columns of ``lis indicators``: ``area_code, area_name,
        indicator_id, period, value, unit, ci_lower, ci_upper, benchmark_code,
        benchmark_value, significant, rank, n_peers, polarity, source``). Every distinct
        area among the indicator's rows becomes a bar; every benchmark (``benchmark_code``
        and ``benchmark_value``) that is not itself one of the rows becomes a bar too.
    indicator_id : the indicator to draw
    area : code or name of the area to highlight; default: the first row's area
    benchmark : code or name of the benchmark drawn as a dashed reference line;
        default: the UK if present, else the first benchmark
    indicator_name, title, source : override the names taken from the table
    reading : how the area compares with the national benchmark in the words of the
        reading (:func:`lis_analysis.pages.prose.comparison`: "similar to the UK (75.7%)"
        when the difference is not material); the alt text says it instead of its own
        comparison, so the chart and the page tell one story

    Returns
    -------
    Chart
        Alt text like "Bar chart of GVA per hour worked in 2022: Leicester and
        Leicestershire £35.20 (95% confidence interval £34.10 to £36.30); UK £39.10 ...
        Leicester and Leicestershire is 10.0% below the UK, a statistically significant
        difference. It ranks 3rd of 12 peer areas."
    """
    rows = _indicator_rows(table, indicator_id, "benchmark_bar")
    name = indicator_name or indicator_label(indicator_id, rows)
    area_name, area_code = _pick_area(rows, area)
    unit = _first(rows, "unit")
    period = _first(rows, "period")
    source = source or _first(rows, "source")
    areas = _area_frame(rows)
    bms = _benchmarks(rows)
    present = set(areas["area_code"].astype(str)) if "area_code" in areas.columns else set()
    present |= set(areas["area_name"].astype(str))

    bars = [
        {
            "label": str(r["area_name"]),
            "value": r["value"],
            "lo": r["ci_lower"],
            "hi": r["ci_upper"],
            "kind": "area" if str(r["area_name"]) == area_name else "peer",
        }
        for _, r in areas.iterrows()
    ]
    for code, bname, bval in bms:
        if code not in present and bname not in present:
            bars.append(
                {"label": bname, "value": bval, "lo": np.nan, "hi": np.nan, "kind": "benchmark"}
            )
    bars = [b for b in bars if not pd.isna(b["value"])]
    if not bars:
        raise ValueError(f"benchmark_bar: indicator '{indicator_id}' has no values to draw")
    bars.sort(key=lambda b: b["value"])  # barh draws bottom-up: largest at the top
    primary = _primary_benchmark(bms, benchmark)

    has_ci = any(not pd.isna(b["lo"]) and not pd.isna(b["hi"]) for b in bars)
    colours = {"area": FOCUS, "peer": CONTEXT, "benchmark": PALETTE["dark_grey"]}
    n = len(bars)
    with house_style():
        fig = _figure(height_px=_bar_height_px(n))
        ax = fig.add_subplot()
        y = np.arange(n)
        vals = np.array([b["value"] for b in bars], dtype=float)
        ax.barh(y, vals, color=[colours[b["kind"]] for b in bars], height=0.66, zorder=2)
        lo = np.array([b["lo"] for b in bars], dtype=float)
        hi = np.array([b["hi"] for b in bars], dtype=float)
        ok = ~np.isnan(lo) & ~np.isnan(hi)
        if ok.any():
            ax.errorbar(
                vals[ok],
                y[ok],
                xerr=[vals[ok] - lo[ok], hi[ok] - vals[ok]],
                fmt="none",
                ecolor=TEXT,
                elinewidth=1.5,
                capsize=4,
                zorder=3,
            )
        ax.set_yticks(y, [_wrap(b["label"], 30) for b in bars])
        for tick, b in zip(ax.get_yticklabels(), bars, strict=True):
            if b["kind"] == "area":
                tick.set_fontweight("bold")
        ends = np.where(ok, np.fmax(vals, hi), vals)
        starts = np.where(ok, np.fmin(vals, lo), vals)
        labels: list[Any] = []
        for yi, b, end, start in zip(y, bars, ends, starts, strict=True):
            neg = b["value"] < 0
            labels.append(
                ax.annotate(
                    format_value(b["value"], unit, short=True),
                    (start if neg else end, yi),
                    xytext=(-7 if neg else 7, 0),
                    textcoords="offset points",
                    bbox=_LABEL_BOX,
                    zorder=6,
                    va="center",
                    ha="right" if neg else "left",
                    fontsize=11,
                    fontweight="bold" if b["kind"] == "area" else "normal",
                    color=TEXT,
                )
            )
        if primary is not None:
            ax.axvline(primary[2], color=TEXT, linestyle=(0, (4, 3)), linewidth=1.4, zorder=4)
            labels.append(
                ax.text(
                    primary[2],
                    n - 0.35,
                    f" {primary[1]}: {format_value(primary[2], unit, short=True)}",
                    ha="left",
                    va="bottom",
                    fontsize=10.5,
                    color=TEXT,
                )
            )
        ax.set_ylim(-0.6, n - 0.05 + (0.45 if primary is not None else 0))
        ax.set_xlim(min(0.0, float(np.nanmin(starts))), max(0.0, float(np.nanmax(ends))))
        ax.margins(x=0)
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel(f"{name} ({unit})" if unit else name)
        _fit_x(fig, ax, labels)

        title = (
            title
            or f"{name}: {area_name} compared with {'peers and ' if len(areas) > 1 else ''}benchmarks"
            + (f", {period}" if period is not None else "")
        )
        alt = _benchmark_alt(rows, name, area_name, area_code, unit, period, areas, bms, primary)
        if reading:
            alt = _replace_comparison(alt, area_name, reading)
        data = pd.DataFrame(
            {
                "Area": [b["label"] for b in reversed(bars)],
                "Type": [
                    {"area": "Area", "peer": "Peer", "benchmark": "Benchmark"}[b["kind"]]
                    for b in reversed(bars)
                ],
                f"Value ({unit})" if unit else "Value": [b["value"] for b in reversed(bars)],
            }
        )
        if has_ci:
            data["95% CI lower"] = [b["lo"] for b in reversed(bars)]
            data["95% CI upper"] = [b["hi"] for b in reversed(bars)]
        return _render(fig, alt, title=title, source=source, note=_ci_note(has_ci), data=data)


def _replace_comparison(alt: str, area_name: str, reading: str) -> str:
    """The alt text with its sentence comparing the area with the primary benchmark
    replaced by the reading's words."""
    out, done = [], False
    for sent in re.split(r"(?<=\.) (?=[A-Z])", alt):
        if not done and sent.startswith(f"{area_name} is "):
            out.append(f"{area_name} is {reading}.")
            done = True
        else:
            out.append(sent)
    if not done:
        out.append(f"{area_name} is {reading}.")
    return " ".join(out)


def _benchmark_alt(
    rows: pd.DataFrame,
    name: str,
    area_name: str,
    area_code: str | None,
    unit: Any,
    period: Any,
    areas: pd.DataFrame,
    bms: list[tuple[str, str, float]],
    primary: tuple[str, str, float] | None,
) -> str:
    arow = areas[areas["area_name"].astype(str) == area_name].iloc[0]
    when = f" in {period}" if period is not None else ""
    parts = [f"Bar chart of {name}{when}."]
    v = arow["value"]
    first = f"{area_name}: {format_value(v, unit)}"
    if not pd.isna(arow["ci_lower"]) and not pd.isna(arow["ci_upper"]):
        first += (
            f" (95% confidence interval {format_value(arow['ci_lower'], unit, short=True)}"
            f" to {format_value(arow['ci_upper'], unit, short=True)})"
        )
    others = [f"{b[1]}: {format_value(b[2], unit)}" for b in bms if b[1] != area_name]
    parts.append("; ".join([first, *others]) + ".")
    peers = areas[areas["area_name"].astype(str) != area_name]
    if len(peers):
        top = areas.sort_values("value", ascending=False)
        parts.append(
            f"Among the {len(areas)} areas shown, the highest is {top.iloc[0]['area_name']} "
            f"({format_value(top.iloc[0]['value'], unit)}) and the lowest {top.iloc[-1]['area_name']} "
            f"({format_value(top.iloc[-1]['value'], unit)})."
        )
    if primary is not None and not pd.isna(v):
        sent = f"{area_name} is {compare_phrase(v, primary[2], primary[1], unit)}"
        sig_rows = rows
        if "benchmark_code" in rows.columns:
            sig_rows = rows[rows["benchmark_code"].astype(str) == primary[0]]
        if area_code is not None and "area_code" in sig_rows.columns:
            sig_rows = sig_rows[sig_rows["area_code"].astype(str) == area_code]
        sig = _first(sig_rows, "significant")
        if sig is not None and not pd.isna(sig) and "the same as" not in sent:
            sent += (
                ", a statistically significant difference"
                if bool(sig)
                else ", a difference that is not statistically significant"
            )
        parts.append(sent + ".")
    arows = rows[rows["area_name"].astype(str) == area_name]
    rank, n_peers = _first(arows, "rank"), _first(arows, "n_peers")
    if rank is not None and n_peers is not None and not pd.isna(rank) and not pd.isna(n_peers):
        hib = _HIGHER_IS_BETTER.get(str(_first(arows, "polarity")))
        best = " (1st is best)" if hib is not None else ""
        parts.append(f"It ranks {ordinal(int(rank))} of {int(n_peers)} peer areas{best}.")
    return " ".join(parts)


def rank_dot(
    table: pd.DataFrame,
    indicator_id: str,
    *,
    area: str | None = None,
    benchmark: str | None = None,
    indicator_name: str | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """Dot plot of one indicator across peer areas, best at the top, the area highlighted.

    Parameters
    ----------
    table : the indicator table (see :func:`benchmark_bar`), with one row per peer area
        (``area_code, area_name, value``; ``ci_lower``/``ci_upper`` drawn when present;
        ``polarity`` decides which end is best: 'higher'/'+' or 'lower'/'-')
    indicator_id : the indicator to draw
    area : code or name of the area to highlight; default: the first row's area
    benchmark : benchmark drawn as a reference line (default the UK if present)

    Returns
    -------
    Chart
        Alt text like "Dot plot of GVA per hour worked across 12 areas in 2022 ...
        Leicester and Leicestershire ranks 9th of 12 (1st is best) at £35.20; the highest
        is ... the median is ...".
    """
    rows = _indicator_rows(table, indicator_id, "rank_dot")
    name = indicator_name or indicator_label(indicator_id, rows)
    area_name, _ = _pick_area(rows, area)
    unit = _first(rows, "unit")
    period = _first(rows, "period")
    source = source or _first(rows, "source")
    hib = _HIGHER_IS_BETTER.get(str(_first(rows, "polarity")))
    areas = _area_frame(rows).dropna(subset=["value"])
    if areas.empty:
        raise ValueError(f"rank_dot: indicator '{indicator_id}' has no values to draw")
    # order: best first (higher-is-better or neutral: descending); drawn bottom-up
    best_first = areas.sort_values("value", ascending=(hib is False), kind="stable").reset_index(
        drop=True
    )
    order = best_first.iloc[::-1].reset_index(drop=True)
    n = len(order)
    pos = int(best_first.index[best_first["area_name"].astype(str) == area_name][0]) + 1
    primary = _primary_benchmark(_benchmarks(rows), benchmark)
    with house_style():
        fig = _figure(height_px=_bar_height_px(n, per=26, base=150))
        ax = fig.add_subplot()
        y = np.arange(n)
        is_area = (order["area_name"].astype(str) == area_name).to_numpy()
        lo, hi, vals = (
            order["ci_lower"].to_numpy(float),
            order["ci_upper"].to_numpy(float),
            order["value"].to_numpy(float),
        )
        ok = ~np.isnan(lo) & ~np.isnan(hi)
        for yi in y[ok]:
            ax.plot(
                [lo[yi], hi[yi]],
                [yi, yi],
                color=FOCUS if is_area[yi] else SECONDARY_TEXT,
                linewidth=1.6,
                zorder=2,
            )
        ax.scatter(
            vals[~is_area],
            y[~is_area],
            s=55,
            color="white",
            edgecolor=SECONDARY_TEXT,
            linewidth=1.8,
            zorder=3,
        )
        ax.scatter(
            vals[is_area], y[is_area], s=130, color=FOCUS, edgecolor=FOCUS, zorder=4, marker="D"
        )
        ax.set_yticks(y, [_wrap(a, 34) for a in order["area_name"].astype(str)])
        for tick, hl in zip(ax.get_yticklabels(), is_area, strict=True):
            if hl:
                tick.set_fontweight("bold")
        ai = int(np.flatnonzero(is_area)[0])
        xmin, xmax = np.nanmin(np.where(ok, lo, vals)), np.nanmax(np.where(ok, hi, vals))
        pad = (xmax - xmin) * 0.04 or 1.0
        labels: list[Any] = [
            ax.annotate(
                f"{format_value(vals[ai], unit, short=True)} ({ordinal(pos)} of {n})",
                (np.nanmax([vals[ai], hi[ai]]) if ok[ai] else vals[ai], ai),
                xytext=(10, 0),
                textcoords="offset points",
                bbox=_LABEL_BOX,
                zorder=6,
                va="center",
                fontsize=11,
                fontweight="bold",
                color=FOCUS,
            )
        ]
        if primary is not None:
            ax.axvline(primary[2], color=TEXT, linestyle=(0, (4, 3)), linewidth=1.3, zorder=1)
            labels.append(
                ax.text(
                    primary[2],
                    n - 0.4,
                    f" {primary[1]}: {format_value(primary[2], unit, short=True)}",
                    fontsize=10.5,
                    va="bottom",
                    ha="left",
                )
            )
            xmin, xmax = min(xmin, primary[2]), max(xmax, primary[2])
        ax.set_xlim(xmin - pad, xmax + pad)
        ax.set_ylim(-0.7, n - 0.1 + (0.5 if primary is not None else 0))
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel(f"{name} ({unit})" if unit else name)
        _fit_x(fig, ax, labels)

        when = f" in {period}" if period is not None else ""
        best_word = {
            True: "1st is the highest and best",
            False: "1st is the lowest and best",
            None: "1st is the highest",
        }[hib]
        med = float(np.median(vals))
        alt = (
            f"Dot plot of {name} across {n} areas{when}, ordered with the best at the top. "
            f"{area_name} ranks {ordinal(pos)} of {n} ({best_word}) at {format_value(vals[ai], unit)}. "
            f"The highest is {best_first['area_name'].iloc[0] if hib is not False else best_first['area_name'].iloc[-1]} "
            f"({format_value(areas['value'].max(), unit)}) and the lowest is "
            f"{best_first['area_name'].iloc[-1] if hib is not False else best_first['area_name'].iloc[0]} "
            f"({format_value(areas['value'].min(), unit)}); the median is {format_value(med, unit)}."
        )
        if primary is not None:
            alt += f" {area_name} is {compare_phrase(vals[ai], primary[2], primary[1], unit)}."
        title = title or f"{name}: {area_name} among {n} areas" + (
            f", {period}" if period is not None else ""
        )
        data = pd.DataFrame(
            {
                "Rank": range(1, n + 1),
                "Area": best_first["area_name"].astype(str),
                f"Value ({unit})" if unit else "Value": best_first["value"],
            }
        )
        return _render(
            fig, alt, title=title, source=source, note=_ci_note(bool(ok.any())), data=data
        )


# --------------------------------------------------------------------------------------
# Trends
# --------------------------------------------------------------------------------------

_MARKERS = ("o", "s", "^", "D", "v", "P", "X")


def _period_positions(periods: Sequence[Any]) -> tuple[np.ndarray, list[str], bool]:
    """Ordered unique periods -> x positions, labels, and whether they are numeric years."""
    uniq = list(dict.fromkeys(periods))
    try:
        nums = [float(p) for p in uniq]
        order = np.argsort(nums, kind="stable")
        labels = [str(uniq[i]) for i in order]
        labels = [lab[:-2] if lab.endswith(".0") else lab for lab in labels]
        return np.array(sorted(nums)), labels, True
    except (TypeError, ValueError):
        labels = sorted(map(str, uniq))
        return np.arange(len(labels), dtype=float), labels, False


def _trend_word(first: float, last: float, unit: Any) -> str:
    if pd.isna(first) or pd.isna(last):
        return "has gaps"
    if is_percent(unit):
        d = last - first
        if abs(d) < 0.1:
            return f"was little changed ({format_value(first, unit)} to {format_value(last, unit)})"
        return f"{'rose' if d > 0 else 'fell'} from {format_value(first, unit)} to {format_value(last, unit)} ({signed(d)} percentage points)"
    if first == 0:
        return f"went from {format_value(first, unit)} to {format_value(last, unit)}"
    pct = (last / first - 1) * 100
    if abs(pct) < 1:
        return f"was little changed ({format_value(first, unit)} to {format_value(last, unit)})"
    return f"{'rose' if pct > 0 else 'fell'} from {format_value(first, unit)} to {format_value(last, unit)} ({signed(pct)}%)"


def trend(
    series: pd.DataFrame,
    *,
    area: str | None = None,
    indicator_name: str | None = None,
    unit: str | None = None,
    title: str | None = None,
    source: str | None = None,
    y_from_zero: bool | None = None,
) -> Chart:
    """Line chart of an indicator over time: the area (highlighted) against its benchmarks.

    Parameters
    ----------
    series : long DataFrame, one row per area and period: ``area_name, period, value``;
        optional ``area_code``, ``ci_lower``/``ci_upper`` (drawn as shaded bands),
        ``unit``, ``indicator_name``. Periods may be years (numbers) or labels that sort
        in time order ('2021/22').
    area : code or name of the highlighted area; default: the first area in ``series``
    indicator_name, unit, title, source : override what the frame says
    y_from_zero : start the y axis at zero (default: yes, unless the unit is an index
        or values are far from zero)

    Returns
    -------
    Chart
        Lines are labelled directly at their ends (no legend); each series also has its
        own marker shape. Alt text like "Line chart of GVA per hour worked from 2012 to
        2022. Leicester and Leicestershire rose from £28.10 to £35.20 (+25.3%); the UK
        rose from ... In 2022 Leicester and Leicestershire was 10.0% below the UK,
        compared with 12.1% below in 2012: the gap narrowed."
    """
    _require(series, ["area_name", "period", "value"], "trend")
    df = series.copy()
    df["value"] = pd.to_numeric(df["value"], errors="coerce")
    for col in ("ci_lower", "ci_upper"):
        df[col] = pd.to_numeric(df[col], errors="coerce") if col in df.columns else np.nan
    if df["value"].notna().sum() == 0:
        raise ValueError("trend: the series has no values to draw")
    name = indicator_name or (indicator_label(str(_first(df, "indicator_id", "indicator")), df))
    unit = unit if unit is not None else _first(df, "unit")
    source = source or _first(df, "source")
    area_name, _ = _pick_area(df, area)
    xs, labels, numeric = _period_positions(df["period"].tolist())
    xmap = dict(zip(labels, xs, strict=True))
    df["_x"] = [xmap[(str(p)[:-2] if str(p).endswith(".0") else str(p))] for p in df["period"]]
    names = [area_name] + [a for a in dict.fromkeys(df["area_name"].astype(str)) if a != area_name]
    if len(names) > len(CATEGORICAL):
        raise ValueError(f"trend: at most {len(CATEGORICAL)} series are legible; got {len(names)}")
    colours = dict(zip(names, CATEGORICAL, strict=False))

    with house_style():
        fig = _figure(height_px=460)
        ax = fig.add_subplot()
        ends: list[tuple[float, str, str]] = []
        for i, a in enumerate(names):
            s = df[df["area_name"].astype(str) == a].sort_values("_x")
            hl = a == area_name
            band = s.dropna(subset=["ci_lower", "ci_upper"])
            if len(band):
                ax.fill_between(
                    band["_x"],
                    band["ci_lower"],
                    band["ci_upper"],
                    color=colours[a],
                    alpha=0.18 if hl else 0.12,
                    linewidth=0,
                    zorder=1,
                )
            ax.plot(
                s["_x"],
                s["value"],
                color=colours[a],
                linewidth=3.2 if hl else 2.2,
                marker=_MARKERS[i % len(_MARKERS)],
                markersize=6 if hl else 5,
                zorder=3 if hl else 2,
            )
            last = s.dropna(subset=["value"]).iloc[-1]
            ends.append((float(last["value"]), a, colours[a]))
        # direct labels at the line ends, nudged apart so they never overlap
        lo_y, hi_y = (
            np.nanmin(df[["value", "ci_lower"]].min()),
            np.nanmax(df[["value", "ci_upper"]].max()),
        )
        zero = (
            y_from_zero
            if y_from_zero is not None
            else (
                lo_y >= 0 and not str(unit or "").lower().startswith("index") and lo_y < 0.6 * hi_y
            )
        )
        ymin = 0.0 if zero else lo_y - (hi_y - lo_y) * 0.08
        ymax = hi_y + (hi_y - ymin) * 0.08
        ax.set_ylim(ymin, ymax)
        min_gap = (ymax - ymin) * 0.075
        placed: list[float] = []
        end_labels = []
        for yv, a, c in sorted(ends):
            y_lab = max(yv, placed[-1] + min_gap) if placed else yv
            placed.append(y_lab)
            end_labels.append(
                ax.annotate(
                    f"{a}",
                    xy=(xs[-1], yv),
                    xytext=(10, y_lab),
                    textcoords=("offset points", "data"),
                    va="center",
                    ha="left",
                    fontsize=11,
                    color=c if c in _DARK_TEXT_OK else TEXT,
                    fontweight="bold" if a == area_name else "normal",
                    annotation_clip=False,
                )
            )
        step = max(1, math.ceil(len(labels) / 10))
        ax.set_xticks(xs[::step], labels[::step])
        ax.set_xlim(
            xs[0] - 0.3 * (xs[1] - xs[0] if len(xs) > 1 else 1),
            xs[-1] + 0.3 * (xs[1] - xs[0] if len(xs) > 1 else 1),
        )
        ax.grid(axis="x", visible=False)
        ax.set_ylabel(f"{unit}" if unit else "")
        _format_axis(ax.yaxis, unit)
        _fit_right_margin(fig, end_labels)

        alt = _trend_alt(df, names, name, unit, labels)
        title = title or f"{name}, {labels[0]} to {labels[-1]}: {area_name} and benchmarks"
        wide = df.pivot_table(
            index="period", columns="area_name", values="value", aggfunc="first", sort=False
        )
        wide = wide.reindex(columns=names)
        wide.index = wide.index.map(str)
        wide = wide.reindex(
            sorted(wide.index, key=lambda p: labels.index(p[:-2] if p.endswith(".0") else p))
        )
        data = wide.reset_index().rename(columns={"period": "Period"})
        has_ci = bool(df[["ci_lower", "ci_upper"]].notna().all(axis=1).any())
        note = "Shaded bands show 95% confidence intervals." if has_ci else None
        return _render(fig, alt, title=title, source=source, note=note, data=data)


def _trend_alt(df: pd.DataFrame, names: list[str], name: str, unit: Any, labels: list[str]) -> str:
    area = names[0]
    parts = [f"Line chart of {name} from {labels[0]} to {labels[-1]}."]
    series = {}
    for a in names:
        s = df[df["area_name"].astype(str) == a].dropna(subset=["value"]).sort_values("_x")
        series[a] = s
        if len(s) == 0:
            continue
        f, lst = s.iloc[0], s.iloc[-1]
        span = (
            f" between {f['period']} and {lst['period']}"
            if (str(f["period"]), str(lst["period"])) != (labels[0], labels[-1])
            else ""
        )
        parts.append(
            f"{the(a)[:1].upper() + the(a)[1:]} {_trend_word(f['value'], lst['value'], unit)}{span}."
        )
    if len(names) > 1:
        bench = next(
            (b for b in names[1:] if b in {"UK", "United Kingdom", "UK (less Extra-Regio)"}),
            names[1],
        )
        a, b = series[area].set_index("_x")["value"], series[bench].set_index("_x")["value"]
        both = pd.concat([a, b], axis=1, keys=["a", "b"]).dropna().sort_index()
        if len(both):
            lx = both.index[-1]
            lp = df.loc[df["_x"] == lx, "period"].iloc[0]
            last_phrase = compare_phrase(both["a"].iloc[-1], both["b"].iloc[-1], bench, unit)
            sent = f"In {lp} {area} was {last_phrase}"
            if len(both) > 1:
                fx = both.index[0]
                fp = df.loc[df["_x"] == fx, "period"].iloc[0]
                first_phrase = compare_phrase(both["a"].iloc[0], both["b"].iloc[0], bench, unit)
                # the facts at both ends, no verdict: whether the gap is widening is the
                # reading's (a Newey-West trend over a named period), said once on the page
                sent += f", compared with {first_phrase} in {fp}"
            parts.append(sent + ".")
    return " ".join(parts)


# --------------------------------------------------------------------------------------
# Decompositions
# --------------------------------------------------------------------------------------


def waterfall(
    components: pd.DataFrame,
    *,
    title: str,
    unit: str = "percentage points",
    start: float | None = None,
    start_label: str | None = None,
    total_label: str = "Total",
    source: str | None = None,
    decimals: int = 1,
) -> Chart:
    """Waterfall chart of contributions to a total (e.g. the GVA-per-head gap to the UK).

    Parameters
    ----------
    components : DataFrame with columns ``component`` (label) and ``contribution``
        (signed number), in the order they should be drawn
    title : what the total is, e.g. "Gap in GVA per head to the UK, 2022"
    unit : unit of the contributions, used in labels and the alt text
    start, start_label : optional starting level (e.g. the UK value); contributions then
        step from it and the last bar is ``start + sum``
    total_label : label of the last bar

    Returns
    -------
    Chart
        Each contribution is labelled with its sign ('+0.4', '−8.1'), so increases and
        decreases do not depend on colour. Alt text like "Waterfall chart of Gap in GVA
        per head to the UK, 2022: the total of −12.3 percentage points is made up of
        productivity −8.1, ... The largest contribution is productivity (−8.1)."
    """
    _require(components, ["component", "contribution"], "waterfall")
    comp = components[["component", "contribution"]].copy()
    comp["contribution"] = pd.to_numeric(comp["contribution"], errors="coerce")
    if comp["contribution"].isna().any():
        bad = comp.loc[comp["contribution"].isna(), "component"].tolist()
        raise ValueError(f"waterfall: contributions missing for {', '.join(map(str, bad))}")
    labels, bottoms, heights, kinds = [], [], [], []
    level = 0.0
    if start is not None:
        labels.append(start_label or "Start")
        bottoms.append(0.0)
        heights.append(float(start))
        kinds.append("total")
        level = float(start)
    for _, r in comp.iterrows():
        c = float(r["contribution"])
        labels.append(str(r["component"]))
        bottoms.append(level)
        heights.append(c)
        kinds.append("up" if c >= 0 else "down")
        level += c
    labels.append(total_label)
    bottoms.append(0.0)
    heights.append(level)
    kinds.append("total")
    total = level
    colour = {"up": PALETTE["turquoise"], "down": PALETTE["orange"], "total": FOCUS}
    n = len(labels)
    with house_style():
        fig = _figure(height_px=480)
        ax = fig.add_subplot()
        x = np.arange(n)
        ax.bar(
            x,
            heights,
            bottom=bottoms,
            color=[colour[k] for k in kinds],
            width=0.62,
            zorder=2,
            edgecolor=[colour[k] for k in kinds],
        )
        tops = [b + h for b, h in zip(bottoms, heights, strict=True)]
        for i in range(n - 1):  # connectors
            ax.plot(
                [i + 0.31, i + 0.69],
                [tops[i], tops[i]] if kinds[i] != "total" or i == 0 else [heights[i]] * 2,
                color=SECONDARY_TEXT,
                linewidth=1,
                zorder=1,
            )
        lo = min(0.0, *bottoms, *tops)
        hi = max(0.0, *bottoms, *tops)
        pad = (hi - lo) * 0.06 or 1.0
        for i, (b, h, k) in enumerate(zip(bottoms, heights, kinds, strict=True)):
            txt = (
                f"{h:,.{decimals}f}".replace("-", "\u2212") if k == "total" else signed(h, decimals)
            )
            y_top, y_bot = max(b, b + h), min(b, b + h)
            if h >= 0:
                ax.text(
                    i,
                    y_top + pad * 0.25,
                    txt,
                    ha="center",
                    va="bottom",
                    fontsize=11,
                    fontweight="bold",
                )
            else:
                ax.text(
                    i,
                    y_bot - pad * 0.25,
                    txt,
                    ha="center",
                    va="top",
                    fontsize=11,
                    fontweight="bold",
                )
        ax.axhline(0, color=TEXT, linewidth=1)
        ax.set_ylim(lo - pad * 1.6, hi + pad * 1.6)
        ax.set_xticks(x, [_wrap(lab, 14) for lab in labels])
        ax.grid(axis="x", visible=False)
        ax.tick_params(axis="x", length=0)
        ax.set_ylabel(unit)
        fig.tight_layout()

        def v(x: float) -> str:
            return f"{x:,.{decimals}f}".replace("-", "\u2212")

        items = [
            f"{lab} {signed(h, decimals)}"
            for lab, h, k in zip(labels, heights, kinds, strict=True)
            if k != "total"
        ]
        biggest = comp.iloc[comp["contribution"].abs().argmax()]
        alt = f"Waterfall chart of {title}: "
        if start is not None:
            alt += f"starting from {start_label or 'the start'} at {v(start)} {unit}, "
        alt += (
            f"the {lower_name(total_label)} of {v(total)} {unit} is made up of "
            f"{list_words(items)}. The largest contribution is {biggest['component']} "
            f"({signed(float(biggest['contribution']), decimals)})."
        )
        ups = comp[comp["contribution"] > 0]
        downs = comp[comp["contribution"] < 0]
        if len(ups) and len(downs):
            alt += f" {list_words(list(ups['component'].astype(str)))} added to it; {list_words(list(downs['component'].astype(str)))} took away from it."
        data = pd.DataFrame({"Component": labels, f"Contribution ({unit})": heights})
        return _render(
            fig,
            alt,
            title=title,
            source=source,
            note="Bars above the line add to the total; bars below it subtract. Signs are printed on each bar.",
            data=data,
        )


# --------------------------------------------------------------------------------------
# Location quotients
# --------------------------------------------------------------------------------------


def _lq_frame(lq: pd.DataFrame, what: str) -> pd.DataFrame:
    _require(lq, ["industry", "lq"], what)
    df = lq.copy()
    df["lq"] = pd.to_numeric(df["lq"], errors="coerce")
    df = df.dropna(subset=["lq"])
    if df.empty:
        raise ValueError(f"{what}: no location quotients to draw")
    if "employment" in df.columns:
        df["employment"] = pd.to_numeric(df["employment"], errors="coerce")
    return df


def lq_bar(
    lq: pd.DataFrame,
    *,
    area_name: str | None = None,
    comparator: str = "Great Britain",
    top: int = 15,
    threshold: float = 1.25,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """Horizontal bars of location quotients (LQ), largest first, with sector size labelled.

    Parameters
    ----------
    lq : DataFrame with ``industry`` and ``lq``; optional ``employment`` (jobs, printed
        beside each bar), ``area_name``, ``period``
    area_name : the area (default from the frame)
    comparator : what an LQ of 1 means ("the same share as Great Britain")
    top : draw the ``top`` industries with the highest LQ
    threshold : LQ at or above which an industry is labelled "specialised" in words

    Returns
    -------
    Chart
        Alt text like "Bar chart of location quotients for the 15 most specialised of
        40 industries in Leicester and Leicestershire, 2023: Manufacturing 1.85 (61,000
        jobs), ... 9 of 40 industries have an LQ above 1."
    """
    df = _lq_frame(lq, "lq_bar")
    area_name = area_name or _first(df, "area_name", "the area")
    period = _first(df, "period")
    source = source or _first(df, "source")
    n_all = len(df)
    df = df.sort_values("lq", ascending=False).head(top)
    order = df.iloc[::-1]
    n = len(order)
    has_emp = "employment" in order.columns and order["employment"].notna().any()
    with house_style():
        fig = _figure(height_px=_bar_height_px(n, per=32))
        ax = fig.add_subplot()
        y = np.arange(n)
        spec = (order["lq"] >= threshold).to_numpy()
        ax.barh(y, order["lq"], color=np.where(spec, FOCUS, CONTEXT), height=0.66, zorder=2)
        ax.axvline(1.0, color=TEXT, linestyle=(0, (4, 3)), linewidth=1.4, zorder=3)
        labels: list[Any] = [
            ax.text(1.0, n - 0.35, f" 1 = same share as {comparator}", fontsize=10.5, va="bottom")
        ]
        xmax = float(order["lq"].max())
        for yi, (_, r), s in zip(y, order.iterrows(), spec, strict=True):
            lab = f"{r['lq']:.2f}"
            if has_emp and not pd.isna(r.get("employment")):
                lab += f" ({r['employment']:,.0f} jobs)"
            if s:
                lab += " specialised"
            labels.append(
                ax.annotate(
                    lab,
                    (r["lq"], yi),
                    xytext=(6, 0),
                    textcoords="offset points",
                    bbox=_LABEL_BOX,
                    zorder=6,
                    va="center",
                    fontsize=10.5,
                    fontweight="bold" if s else "normal",
                )
            )
        ax.set_yticks(y, [_wrap(i, 34) for i in order["industry"].astype(str)])
        ax.set_xlim(0, max(xmax, 1.0) * 1.02)
        ax.set_ylim(-0.6, n + 0.4)
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel(f"Location quotient (1 = same share of employment as {comparator})")
        _fit_x(fig, ax, labels)

        when = f", {period}" if period is not None else ""
        items = []
        for _, r in df.head(5).iterrows():
            t = f"{r['industry']} {r['lq']:.2f}"
            if has_emp and not pd.isna(r.get("employment")):
                t += f" ({r['employment']:,.0f} jobs)"
            items.append(t)
        above = int((lq["lq"].astype(float) > 1).sum()) if "lq" in lq else 0
        alt = (
            f"Bar chart of location quotients for the {n} most specialised of {n_all} industries in "
            f"{area_name}{when}, against {comparator}. Highest: {list_words(items)}. "
            f"{above} of {n_all} industries have a location quotient above 1; "
            f"{int((df['lq'] >= threshold).sum())} of those shown are at or above {threshold:g}, labelled specialised."
        )
        title = title or f"Industry specialisation (location quotients), {area_name}{when}"
        cols = ["industry", "lq"] + (["employment"] if has_emp else [])
        data = df[cols].rename(
            columns={
                "industry": "Industry",
                "lq": "Location quotient",
                "employment": "Employment (jobs)",
            }
        )
        return _render(fig, alt, title=title, source=source, data=data)


def lq_bubble(
    lq: pd.DataFrame,
    *,
    x: str = "growth",
    x_label: str = "Employment growth (%)",
    area_name: str | None = None,
    comparator: str = "Great Britain",
    label_top: int = 8,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """Bubble chart: location quotient (y) against growth (x), bubble area = employment.

    Parameters
    ----------
    lq : DataFrame with ``industry``, ``lq``, ``employment`` and the ``x`` column
        (default ``growth``, e.g. employment change in %)
    x, x_label : the horizontal measure and its axis label
    label_top : label the ``label_top`` largest industries by name, directly

    Returns
    -------
    Chart
        Quadrants are named in words on the chart ("specialised and growing", ...). Alt
        text names the industries that are specialised and growing.
    """
    df = _lq_frame(lq, "lq_bubble")
    _require(df, [x, "employment"], "lq_bubble")
    df[x] = pd.to_numeric(df[x], errors="coerce")
    df = df.dropna(subset=[x, "employment"])
    area_name = area_name or _first(df, "area_name", "the area")
    period = _first(df, "period")
    source = source or _first(df, "source")
    with house_style():
        fig = _figure(height_px=560)
        ax = fig.add_subplot()
        size = 2400 * df["employment"] / df["employment"].max()
        spec_grow = (df["lq"] > 1) & (df[x] > 0)
        ax.scatter(
            df[x],
            df["lq"],
            s=size.clip(lower=25),
            color=np.where(spec_grow, FOCUS, CONTEXT),
            alpha=0.75,
            edgecolor="white",
            linewidth=1,
            zorder=3,
        )
        ax.axhline(1.0, color=TEXT, linewidth=1.2, linestyle=(0, (4, 3)))
        ax.axvline(0.0, color=TEXT, linewidth=1.2, linestyle=(0, (4, 3)))
        for _, r in df.nlargest(label_top, "employment").iterrows():
            ax.annotate(
                _wrap(r["industry"], 22),
                (r[x], r["lq"]),
                xytext=(8, 6),
                textcoords="offset points",
                fontsize=10,
                color=TEXT,
            )
        xl, xh = df[x].min(), df[x].max()
        yl, yh = df["lq"].min(), df["lq"].max()
        xp, yp = (xh - xl) * 0.15 or 1, (yh - yl) * 0.18 or 0.2
        ax.set_xlim(min(xl - xp, -xp), max(xh + xp, xp))
        ax.set_ylim(max(0, min(yl - yp, 1 - yp)), max(yh + yp, 1 + yp))
        for hx, hy, ha, va, txt in (
            (0.99, 0.99, "right", "top", "specialised and growing"),
            (0.01, 0.99, "left", "top", "specialised, shrinking"),
            (0.99, 0.01, "right", "bottom", "less specialised, growing"),
            (0.01, 0.01, "left", "bottom", "less specialised, shrinking"),
        ):
            ax.text(
                hx,
                hy,
                txt,
                transform=ax.transAxes,
                ha=ha,
                va=va,
                fontsize=10.5,
                color=SECONDARY_TEXT,
                style="italic",
            )
        ax.set_xlabel(x_label)
        ax.set_ylabel(f"Location quotient (1 = {comparator})")
        fig.tight_layout()
        when = f", {period}" if period is not None else ""
        sg = df[spec_grow].sort_values("employment", ascending=False)
        alt = (
            f"Bubble chart of {len(df)} industries in {area_name}{when}: location quotient against "
            f"{x_label.lower()}, bubble size showing employment. {len(sg)} industries are both specialised "
            f"(location quotient above 1) and growing"
            + (
                f", the largest being {list_words([f'{r.industry} (LQ {r.lq:.2f}, {r.employment:,.0f} jobs)' for r in sg.head(4).itertuples()])}"
                if len(sg)
                else ""
            )
            + "."
        )
        big = df.nlargest(1, "employment").iloc[0]
        alt += f" The largest industry is {big['industry']} ({big['employment']:,.0f} jobs, LQ {big['lq']:.2f})."
        title = title or f"Specialisation and growth by industry, {area_name}{when}"
        data = df[["industry", "lq", x, "employment"]].rename(
            columns={
                "industry": "Industry",
                "lq": "Location quotient",
                x: x_label,
                "employment": "Employment (jobs)",
            }
        )
        return _render(
            fig,
            alt,
            title=title,
            source=source,
            note="Bubble area shows employment. Dark blue bubbles are specialised and growing.",
            data=data,
        )


# --------------------------------------------------------------------------------------
# Strengths, weaknesses and priorities
# --------------------------------------------------------------------------------------


def strengths_chart(
    scores: pd.DataFrame,
    *,
    area_name: str | None = None,
    threshold: float = 1.0,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """Diverging bars of each indicator's gap to the nation, in materiality thresholds,
    each labelled Strength / Weakness / In line.

    Parameters
    ----------
    scores : DataFrame with ``indicator_name`` (or ``indicator_id``) and either ``gap``
        and ``materiality`` (the gap as :func:`lis_analysis.priorities.assess` gives it,
        positive = better, and its threshold: the bar is ``gap / materiality``) or a
        ready ``score`` in thresholds; optional ``group`` (shown after the name) and
        ``classification`` (the reading; without it each score is read by the one rule,
        :func:`lis_analysis.methods.classify_gap`, on the score alone, with no
        significance test and no peers)
    area_name : the area (default from the frame's ``area_name``)
    threshold : where the band ends, in thresholds (1: the materiality threshold)

    Returns
    -------
    Chart
        The reading is printed in words at every bar, so it never depends on colour. Alt
        text lists the strengths and the weaknesses with their gaps.
    """
    df = scores.copy()
    ncol = next(
        (c for c in ("indicator_name", "indicator", "indicator_id") if c in df.columns), None
    )
    if "gap" in df.columns and "materiality" in df.columns:
        df["_z"] = pd.to_numeric(df["gap"], errors="coerce") / pd.to_numeric(
            df["materiality"], errors="coerce"
        )
    elif "score" in df.columns:
        df["_z"] = pd.to_numeric(df["score"], errors="coerce")
    else:
        df["_z"] = np.nan if ncol else None
    if ncol is None or ("gap" not in df.columns and "score" not in df.columns):
        raise ValueError(
            "strengths_chart: the data needs an indicator column (indicator_name or indicator_id) "
            f"and gap with materiality (or score); it has {', '.join(map(str, df.columns))}"
        )
    df = df.dropna(subset=["_z"])
    if df.empty:
        raise ValueError("strengths_chart: no gaps to draw")
    names = df[ncol].astype(str)
    if ncol == "indicator_id":
        names = names.map(_humanise)
    if "group" in df.columns:  # headline productivity or the foundation
        names = names + " (" + df["group"].astype(str) + ")"
    df["_name"] = names
    if "classification" in df.columns:
        df["_class"] = df["classification"].astype(str).str.strip().str.capitalize()
    else:
        # the one rule, on the score alone (no significance test, no peers)
        df["_class"] = [classify_gap(z, materiality=threshold).label.capitalize() for z in df["_z"]]
    df = df.sort_values("_z", kind="stable")
    area_name = area_name or _first(df, "area_name", "the area")
    n = len(df)
    col = {"Strength": FOCUS, "Weakness": PALETTE["orange"]}
    with house_style():
        fig = _figure(height_px=_bar_height_px(n, per=32))
        ax = fig.add_subplot()
        y = np.arange(n)
        zs = df["_z"].to_numpy(float)
        ax.axvspan(-threshold, threshold, color="#F3F2F1", zorder=0)
        ax.barh(
            y,
            zs,
            color=[col.get(c, CONTEXT) for c in df["_class"]],
            height=0.64,
            zorder=2,
            hatch=["//" if c == "Weakness" else None for c in df["_class"]],
        )
        ax.axvline(0, color=TEXT, linewidth=1.2, zorder=3)
        lim = max(abs(zs).max(), threshold) * 1.0
        labels: list[Any] = []
        for yi, z, c in zip(y, zs, df["_class"], strict=True):
            txt = f"{c} ({signed(z)})"
            labels.append(
                ax.annotate(
                    txt,
                    (z, yi),
                    xytext=(6 if z >= 0 else -6, 0),
                    textcoords="offset points",
                    bbox=_LABEL_BOX,
                    zorder=6,
                    va="center",
                    ha="left" if z >= 0 else "right",
                    fontsize=10.5,
                    fontweight="bold" if c in ("Strength", "Weakness") else "normal",
                )
            )
        ax.set_xlim(-lim * 1.08, lim * 1.08)
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_yticks(y, [_wrap(s, 36) for s in df["_name"]])
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel("Gap to the nation, in materiality thresholds (positive = better)")
        for _ in range(3):  # widening one side, then centring zero, can push a label out
            _fit_x(fig, ax, labels)
            x0, x1 = ax.get_xlim()
            ax.set_xlim(-max(-x0, x1), max(-x0, x1))  # keep zero in the middle

        def listed(cls: str) -> str:
            sub = df[df["_class"] == cls].sort_values("_z", ascending=(cls == "Weakness"))
            return (
                list_words(
                    [f"{nm} ({signed(z)})" for nm, z in zip(sub["_name"], sub["_z"], strict=True)]
                )
                or "none"
            )

        n_s = int((df["_class"] == "Strength").sum())
        n_w = int((df["_class"] == "Weakness").sum())
        alt = (
            f"Bar chart of the gaps to the nation of {n} indicators in {area_name}, in "
            "materiality thresholds, positive meaning better than the nation. "
            f"{n_s} {'strength' if n_s == 1 else 'strengths'}: {listed('Strength')}. "
            f"{n_w} {'weakness' if n_w == 1 else 'weaknesses'}: {listed('Weakness')}. "
            f"{n - n_s - n_w} in line with the nation."
        )
        title = title or f"Strengths and weaknesses, {area_name}"
        data = df.iloc[::-1][["_name", "_z", "_class"]].rename(
            columns={
                "_name": "Indicator",
                "_z": "Gap (thresholds)",
                "_class": "Reading",
            }
        )
        return _render(
            fig,
            alt,
            title=title,
            source=source,
            note=(
                f"Shaded band: a gap smaller than {threshold:g} threshold (in line with the "
                "nation). A material gap is also in line when the survey cannot tell it "
                "from noise, or (above the nation) when most peer areas do better."
            ),
            data=data,
        )


def rank_distribution(
    draws: pd.DataFrame,
    *,
    top: int = 3,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """Where each candidate priority ranks across sensitivity draws (1 = top priority).

    Parameters
    ----------
    draws : long DataFrame with ``priority`` (name), ``draw`` (draw id) and ``rank``
        (1 = top), one row per priority per draw
    top : report the share of draws in which each priority is in the top ``top``

    Returns
    -------
    Chart
        For each priority: the median rank (dot), the middle 50% of draws (thick bar)
        and 90% of draws (thin line), and "top 3 in 85% of draws" written beside it.
        The alt text gives the same figures for the leading priorities.
    """
    _require(draws, ["priority", "draw", "rank"], "rank_distribution")
    df = draws.copy()
    df["rank"] = pd.to_numeric(df["rank"], errors="coerce")
    df = df.dropna(subset=["rank"])
    if df.empty:
        raise ValueError("rank_distribution: no ranks to draw")
    n_draws = df["draw"].nunique()
    g = df.groupby("priority", sort=False)["rank"]
    stats = pd.DataFrame(
        {
            "median": g.median(),
            "p5": g.quantile(0.05),
            "p25": g.quantile(0.25),
            "p75": g.quantile(0.75),
            "p95": g.quantile(0.95),
            "top_share": g.apply(lambda s: float((s <= top).mean() * 100)),
            "mean": g.mean(),
        }
    ).sort_values(["median", "mean"])
    n = len(stats)
    order = stats.iloc[::-1]
    max_rank = int(df["rank"].max())
    with house_style():
        fig = _figure(height_px=_bar_height_px(n, per=34))
        ax = fig.add_subplot()
        y = np.arange(n)
        ax.hlines(y, order["p5"], order["p95"], color=SECONDARY_TEXT, linewidth=1.6, zorder=2)
        ax.hlines(y, order["p25"], order["p75"], color=FOCUS, linewidth=8, zorder=3)
        ax.scatter(
            order["median"], y, s=70, color="white", edgecolor=FOCUS, linewidth=2.2, zorder=4
        )
        labels: list[Any] = []
        for yi, (_, r) in zip(y, order.iterrows(), strict=True):
            labels.append(
                ax.annotate(
                    f"top {top} in {r['top_share']:.0f}% of draws",
                    (max_rank + 0.5, yi),
                    xytext=(8, 0),
                    textcoords="offset points",
                    bbox=_LABEL_BOX,
                    zorder=6,
                    va="center",
                    fontsize=10.5,
                )
            )
        ax.set_yticks(y, [_wrap(p, 32) for p in order.index.astype(str)])
        ax.set_xlim(0.5, max_rank + 0.5)
        ax.set_xticks(range(1, max_rank + 1, max(1, math.ceil(max_rank / 12))))
        ax.set_ylim(-0.6, n - 0.4)
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel("Rank (1 = top priority)")
        _fit_x(fig, ax, labels)
        lead = [
            f"{p}: median rank {r['median']:g}, in the top {top} in {r['top_share']:.0f}% of draws"
            f" (90% of draws between {r['p5']:g} and {r['p95']:g})"
            for p, r in stats.head(5).iterrows()
        ]
        alt = (
            f"Chart of the ranks of {n} candidate priorities across {n_draws:,} sensitivity draws, 1 being the top "
            f"priority. {'; '.join(lead)}."
        )
        if n > 5:
            alt += f" The other {n - 5} have median ranks from {stats['median'].iloc[5]:g} to {stats['median'].iloc[-1]:g}."
        title = title or f"How stable are the priority rankings? {n_draws:,} sensitivity draws"
        data = stats.reset_index().rename(
            columns={
                "priority": "Priority",
                "median": "Median rank",
                "p5": "5th percentile",
                "p95": "95th percentile",
                "top_share": f"% of draws in top {top}",
            }
        )[
            [
                "Priority",
                "Median rank",
                "5th percentile",
                "95th percentile",
                f"% of draws in top {top}",
            ]
        ]
        return _render(
            fig,
            alt,
            title=title,
            source=source,
            note="Dot: median rank. Thick bar: middle half of draws. Thin line: 90% of draws.",
            data=data,
        )


#: Short alias used in the design notes (``lis.charts.benchmark(tab, "gva_per_hour")``).
benchmark = benchmark_bar

__all__ = [
    "BENCHMARK_NAMES",
    "CATEGORICAL",
    "CONTEXT",
    "FOCUS",
    "PALETTE",
    "SEQUENTIAL",
    "Chart",
    "apply_house_style",
    "benchmark",
    "benchmark_bar",
    "compare_phrase",
    "format_value",
    "house_style",
    "indicator_label",
    "lq_bar",
    "lq_bubble",
    "ordinal",
    "rank_distribution",
    "rank_dot",
    "strengths_chart",
    "trend",
    "waterfall",
]
