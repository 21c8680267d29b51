"""Every sentence the pages write, in one place: one function per sentence form.

An economist who wants a page to say something differently changes it here, and the
test of that form (``tests/pages/test_prose.py``, a small hand-made case each) says
what changed. Functions take plain values (numbers, names, labels), never the page or a
frame, so that each can be read and tested on its own.

Two kinds of output:

* **sentences** (plain text): what a page says about the numbers, reused as they are in
  the pack's index cards (:func:`indicator_sentence`, :func:`short_sentence` ...). The
  page displays them with :func:`lis_analysis.safetext.escape_markdown`, so a name with
  Markdown punctuation renders as written;
* **Markdown blocks** (functions whose name ends in ``_md``): text with emphasis or
  code, in which every value that comes from data is escaped here.

The phrase builders at the top (:func:`format_value`, :func:`compare_phrase`,
:func:`ordinal` ...) are shared with the charts' alt texts.
"""

from __future__ import annotations

import math
import re
from calendar import month_abbr, month_name
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from ..safetext import escape_markdown

# --------------------------------------------------------------------------------------
# Phrases: numbers with their units, comparisons, ordinals, periods
# --------------------------------------------------------------------------------------

_TAKES_ARTICLE = {
    "UK",
    "UK (less Extra-Regio)",
    "United Kingdom",
    "North East",
    "North West",
    "East Midlands",
    "West Midlands",
    "East of England",
    "South East",
    "South West",
}


def the(name: str) -> str:
    """'UK' -> 'the UK'; 'England' -> 'England' (for sentences)."""
    return f"the {name}" if name in _TAKES_ARTICLE else name


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


_PERCENT_UNITS = {"%", "percent", "per cent", "pct", "percentage", "% of population"}
_COUNT_UNITS = {"count", "number", "jobs", "people", "persons", "businesses", "enterprises"}


def is_percent(unit: str | None) -> bool:
    """Whether ``unit`` is a percentage ('%', '% of premises', 'per cent' ...)."""
    return bool(unit) and (str(unit).strip().lower() in _PERCENT_UNITS or str(unit).startswith("%"))


def format_value(
    value: float | None,
    unit: str | None = None,
    *,
    decimals: int | None = None,
    short: bool = False,
) -> str:
    """Format a number with its unit, as a sentence would: '£35.20 per hour', '12.3%'.

    Parameters
    ----------
    value : the number; missing values give 'not available'
    unit : the indicator's unit ('£', '£ per hour', '£m', '%', 'index', 'jobs', ...)
    decimals : fixed decimals; default depends on the unit and size
    short : drop a trailing 'per ...' phrase (for labels on bars)
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return "not available"
    v = float(value)
    unit = str(unit).strip() if unit is not None and not pd.isna(unit) else ""
    sign = "-" if v < 0 else ""
    a = abs(v)

    def num(d: int) -> str:
        return f"{a:,.{d}f}"

    if is_percent(unit):
        d = 1 if decimals is None else decimals
        rest = unit[1:].strip() if unit.startswith("%") else ""
        text = f"{sign}{num(d)}%"
        return text if short or not rest else f"{text} {rest}"
    if unit.startswith("£"):
        rest = unit[1:].strip()
        if decimals is not None:
            d = decimals
        elif rest.lower() in {"m", "bn", "k", "million", "billion"}:
            d = 0 if a >= 100 else 1
        else:
            d = 0 if a >= 1000 else 2
        text = f"{sign}£{num(d)}"
        if rest.lower() in {"m", "bn", "k"}:
            return text + rest
        if rest and not short:
            return f"{text} {rest}"
        return text
    if unit.lower() in _COUNT_UNITS:
        d = 0 if decimals is None else decimals
        text = f"{sign}{num(d)}"
        return text if short or unit.lower() in {"count", "number"} else f"{text} {unit}"
    if decimals is not None:
        d = decimals
    elif a >= 1000 or float(a).is_integer():
        d = 0 if a >= 1000 else 1
    else:
        d = 1 if a >= 10 else 2
    text = f"{sign}{num(d)}"
    if not unit or short or unit.lower().startswith("index"):
        return text
    return f"{text} {unit}"


def signed(value: float, decimals: int = 1) -> str:
    """'+2.1' or '−3.4' (a real minus sign) for chart labels."""
    if abs(value) < 0.5 * 10 ** (-decimals):
        return f"{0:.{decimals}f}"
    return f"+{value:,.{decimals}f}" if value > 0 else f"\u2212{abs(value):,.{decimals}f}"


def compare_phrase(value: float, benchmark: float, benchmark_name: str, unit: str | None) -> str:
    """'10.2% below the UK' (rates: '2.1 percentage points above England')."""
    if pd.isna(value) or pd.isna(benchmark):
        return f"not comparable with {the(benchmark_name)}"
    if is_percent(unit):
        diff = value - benchmark
        if abs(diff) < 0.05:
            return f"the same as {the(benchmark_name)}"
        word = "above" if diff > 0 else "below"
        return f"{abs(diff):.1f} percentage points {word} {the(benchmark_name)}"
    if benchmark == 0:
        diff = value - benchmark
        word = "above" if diff > 0 else "below"
        return f"{format_value(abs(diff), unit)} {word} {the(benchmark_name)}"
    pct = (value / benchmark - 1.0) * 100.0
    if abs(pct) < 0.05:
        return f"the same as {the(benchmark_name)}"
    word = "above" if pct > 0 else "below"
    return f"{abs(pct):.1f}% {word} {the(benchmark_name)}"


def list_words(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


_ISO_YEAR = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:/P1Y)?$")


def period_label(period: Any) -> str:
    """A period as a reader says it: '2023-01-01/P1Y' -> '2023'; '2023-04-01/P1Y' ->
    'Apr 2023 to Mar 2024'; '2026-01-01' -> 'January 2026'; '2018-2023' and '2023'
    unchanged."""
    p = str(period)
    m = _ISO_YEAR.match(p)
    if m:
        y, mo, d = m.groups()
        if p.endswith("/P1Y"):
            return (
                y
                if (mo, d) == ("01", "01")
                else f"{month_abbr[int(mo)]} {y} to {month_abbr[(int(mo) - 2) % 12 + 1]} {int(y) + 1}"
            )
        return f"{month_name[int(mo)]} {y}"
    return p


def lower_name(name: str) -> str:
    """A name inside a sentence: first letter lower-cased unless the first word is an
    acronym ('GVA per head' stays, 'Employment rate' -> 'employment rate')."""
    first = name.split(" ", 1)[0]
    if len(first) > 1 and first[:2].isupper():
        return name
    return name[:1].lower() + name[1:]


def money(x: float) -> str:
    """'+£629' / '−£5,862' (a real minus sign) for gaps and contributions."""
    return ("+" if x >= 0 else "\u2212") + f"£{abs(x):,.0f}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _end(text: str) -> str:
    """``text`` as the end of a sentence: one full stop."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _value(value: float, unit: str, decimals: int) -> str:
    """An indicator's value in a sentence: its declared decimals, except for plain
    percentages, which always take one."""
    return format_value(value, unit, decimals=decimals if unit not in ("%",) else None)


def _render(parts: Sequence[str | tuple[str, str]], markdown: bool) -> str:
    """A sentence from its parts: plain text, or Markdown with every part escaped and the
    parts marked ``("strong", text)`` in bold, ``("code", text)`` as code."""
    out = []
    for part in parts:
        kind, text = ("text", part) if isinstance(part, str) else part
        if not markdown:
            out.append(text)
            continue
        # escape_markdown trims; the spaces between parts belong to the sentence
        lead = " " if text[:1].isspace() else ""
        tail = " " if text[-1:].isspace() else ""
        if kind == "strong":
            body = f"**{escape_markdown(text)}**"
        elif kind == "code":
            body = f"`{text.strip()}`"
        else:
            body = escape_markdown(text)
        out.append(lead + body + tail)
    return "".join(out)


# --------------------------------------------------------------------------------------
# The page's opening
# --------------------------------------------------------------------------------------


def header_md(
    question: str,
    *,
    area_name: str,
    area_code: str,
    district_names: Sequence[str],
    region_name: str | None = None,
    n_peers: int = 0,
    peer_word: str = "areas",
    demo: bool = False,
    releases: Sequence[str] = (),
) -> str:
    """The question the page answers, the area and its districts, and the data status.

    Returns Markdown: a "Question." line, an "Area." line naming the districts, the
    region and the peers, then "Data:" (the demonstrator warning, or the latest six
    releases of the published files).
    """
    n = len(district_names)
    lines = [
        f"**Question.** {question}",
        "",
        f"**Area.** {escape_markdown(area_name)} ({escape_markdown(area_code)}), {n} "
        f"district{'s' if n != 1 else ''}: {escape_markdown(', '.join(district_names))}.",
    ]
    if region_name:
        lines.append(f"Region: {escape_markdown(region_name)}.")
    if n_peers:
        lines.append(f"Peers: the other {n_peers} {peer_word}.")
    if demo:
        lines += [
            "",
            "**Data: synthetic demonstrator data, not official statistics.** Do not quote these figures.",
        ]
    else:
        lines += [
            "",
            f"**Data:** published files, releases {', '.join(list(releases)[-6:])} (see Sources).",
        ]
    return "\n".join(lines)


def demo_banner_md() -> str:
    """The warning a notebook shows in JupyterLab when its data is the demonstrator."""
    return (
        "**Demonstrator data: synthetic figures, not official statistics.** "
        "Every number in this notebook comes from generated files; do not quote it."
    )


#: Note under the sources table when the files are the demonstrator's.
DEMO_SOURCES_NOTE = "Demonstrator files: synthetic, in the publishers' formats."


# --------------------------------------------------------------------------------------
# Indicators
# --------------------------------------------------------------------------------------


def indicator_sentence(
    *,
    name: str,
    area_name: str,
    value: float,
    unit: str,
    period: Any,
    decimals: int = 1,
    uk_value: float | None = None,
    significant: bool | None = None,
    rank: int | None = None,
    n_areas: int | None = None,
    peer_word: str = "areas",
    trend: str | None = None,
) -> str:
    """One sentence about an indicator, from the numbers.

    "GVA per hour worked in Leicester and Leicestershire was £34.82 in 2023, 9.8% below
    the UK (£38.60); the difference is statistically significant. It ranks 9th of 10
    LSIP areas (1st is best). Relative to the UK it has been improving over the last
    ten years (a statistically significant trend)."

    Parameters
    ----------
    uk_value : the UK's value in the same period; None when the indicator is not compared
        (sizes and spreads say nothing by comparison)
    significant : whether the difference from the UK is significant; None without intervals
    rank, n_areas : the area's rank among ``n_areas`` areas (itself and its peers), when
        the indicator has a polarity
    trend : the direction of travel relative to the UK; named only when significant
        (``improving``, ``worsening``, ``rising``, ``falling``)
    """
    text = f"{name} in {area_name} was {_value(value, unit, decimals)} in {period_label(period)}"
    if uk_value is not None and not pd.isna(uk_value):
        text += (
            f", {compare_phrase(value, uk_value, 'UK', unit)} ({_value(uk_value, unit, decimals)})"
        )
        if significant is not None:
            text += (
                "; the difference is statistically significant"
                if significant
                else "; the difference is not statistically significant"
            )
    text += "."
    if rank is not None and n_areas:
        text += f" It ranks {ordinal(rank)} of {n_areas} {peer_word} (1st is best)."
    if trend in ("improving", "worsening", "rising", "falling"):
        text += (
            f" Relative to the UK it has been {trend} over the last ten years "
            "(a statistically significant trend)."
        )
    return text


def short_sentence(
    *, name: str, value: float, unit: str, period: Any, uk_value: float | None = None
) -> str:
    """'Employment rate (16-64): 70.8% in 2023, 3.6 percentage points below the UK.' (the
    strengths and weaknesses listed on the pack's index)."""
    text = f"{name}: {format_value(value, unit)} in {period_label(period)}"
    if uk_value is not None and not pd.isna(uk_value):
        text += ", " + compare_phrase(value, uk_value, "UK", unit)
    return text + "."


def not_available_sentence(name: str, area_name: str) -> str:
    """'<Indicator>: not available for <area>.' (an indicator the table does not hold)."""
    return f"{name}: not available for {area_name}."


def missing_sentence(name: str, area_name: str, why: str) -> str:
    """Why an indicator is not shown for the area: '<Indicator>: not shown for <area>.
    <Reason>.'"""
    text = f"{name}: not shown for {area_name}. {_capital(why) if why else ''}".rstrip()
    return text + ("" if why.endswith(".") else ".")


def method_note(method: str) -> str:
    """'How: <how the figure was obtained>.' under an indicator's table."""
    return f"How: {method}."


def interval_note(
    area_name: str, lower: float, upper: float, unit: str, *, approximate: bool = False
) -> str:
    """The area's 95% confidence interval, labelled approximate when pooled from districts."""
    return (
        f"95% confidence interval for {area_name}: {format_value(lower, unit)} to "
        f"{format_value(upper, unit)}"
        + (" (approximate: pooled from districts)." if approximate else ".")
    )


def no_district_figures(name: str) -> str:
    """'No district figures are available for <indicator>.'"""
    return f"No district figures are available for {name.lower()}."


def not_combined_note(name: str, area_name: str, aggregation: str) -> str:
    """Why the districts are shown instead: the indicator cannot be combined for the area."""
    how = aggregation.strip().rstrip(".") or "not aggregable"
    return f"{name} cannot be combined into one figure for {area_name} ({how})."


def uk_note(value: float, unit: str, period: Any) -> str:
    """'UK: £712 (2024).' beside the districts' own figures."""
    return f"UK: {format_value(value, unit)} ({period_label(period)})."


def nothing_stands_out(foundation: str | None = None) -> str:
    """The index card's line when no indicator is a strength or a weakness."""
    return (
        f"No indicator{' in ' + foundation if foundation else ''} stands out from the peer areas."
    )


def no_indicator(area_name: str) -> str:
    """The index card's headline when the page could compute no indicator."""
    return f"No indicator could be computed for {area_name}."


# --------------------------------------------------------------------------------------
# Analyses
# --------------------------------------------------------------------------------------


def not_computed(what: str, reason: str) -> str:
    """'<What> could not be computed: <reason>.' (an analysis the data cannot support;
    ``what`` is its title in ``data/analyses.yaml``)."""
    return _end(f"{_capital(what)} could not be computed: {reason.rstrip('.')}")


def productivity_gap_sentence(
    *,
    year: int,
    area_name: str,
    benchmark_name: str,
    productivity: float,
    benchmark_productivity: float,
    annual_hours: float,
    output_to_close: float,
    closed: bool,
) -> str:
    """The £ per hour gap and the output a year that closing it would add (or that there
    is no gap to close)."""
    own = format_value(productivity, "£")
    ref = format_value(benchmark_productivity, "£")
    if closed:
        return (
            f"In {year}, {area_name}'s GVA per hour worked ({own}) was at or above "
            f"{benchmark_name}'s ({ref}): there is no gap to close."
        )
    return (
        f"In {year}, {area_name} produced {own} of GVA per hour worked, "
        f"{format_value(benchmark_productivity - productivity, '£')} less than {benchmark_name} ({ref}). "
        f"At {benchmark_name}'s productivity, the {annual_hours / 1e6:,.0f} million hours worked in "
        f"the area that year would have produced about £{output_to_close / 1e9:,.1f} billion more output."
    )


def decomposition_sentence(
    *, year: int, area_name: str, benchmark_name: str, relative: float, largest: str
) -> str:
    """GVA per head against the benchmark, and the largest of its five parts."""
    return (
        f"In {year}, GVA per head in {area_name} was {100 * (relative - 1):+.1f}% against "
        f"{benchmark_name}. The chart splits that gap (in log points × 100, which add up) "
        f"into its five parts; the largest is {lower_name(largest)}."
    )


#: Note under the GVA-per-head decomposition table.
DECOMPOSITION_NOTE = (
    "GVA per hour in £; hours per job a year. The product of the five ratios equals the "
    "GVA per head ratio."
)


def gap_trend_sentence(
    *,
    start: int,
    end: int,
    area_name: str,
    indicator_name: str,
    slope: float,
    ci_lower: float,
    ci_upper: float,
    significant: bool,
) -> str:
    """How fast the index against the UK moved a year, and whether the trend is significant."""
    word = "narrowed" if slope > 0 else "widened"
    sig = (
        "a statistically significant trend"
        if significant
        else "not a statistically significant trend"
    )
    return (
        f"From {start} to {end} {area_name}'s {lower_name(indicator_name)} relative to the UK "
        f"moved by {slope:+.2f} index points a year (95% CI {ci_lower:+.2f} to {ci_upper:+.2f}, "
        f"Newey-West): the gap {word} on average, {sig}."
    )


def no_trend(reason: str) -> str:
    """'No trend: <reason>.'"""
    return f"No trend: {reason}."


def convergence_sentence(
    *,
    n_areas: int,
    peer_word: str,
    start: int,
    end: int,
    interpretation: str,
    indicator_name: str,
    converging: bool | None,
    sd_start: float,
    sd_end: float,
) -> str:
    """β-convergence in words (the method's own sentence) and σ-convergence."""
    return (
        f"Across {n_areas} {peer_word}, {start}-{end}: {interpretation} "
        f"σ-convergence: the spread of log {lower_name(indicator_name)} "
        f"{'fell' if converging else 'did not fall significantly'} "
        f"(standard deviation {sd_start:.3f} in {start}, {sd_end:.3f} in {end})."
    )


def no_convergence(reason: str) -> str:
    """'Convergence not estimated: <reason>.'"""
    return f"Convergence not estimated: {reason}."


def industry_benchmark_note(benchmark_name: str) -> str:
    """Why the benchmark of the industry shares is a nation less a few districts."""
    return (
        f"The benchmark is {benchmark_name}: their industry figures are suppressed in the "
        "publisher's table, so the nation's industry shares are taken from the other districts."
    )


def specialisation_sentence(
    *,
    year: int,
    area_name: str,
    benchmark_name: str,
    top: Iterable[tuple[str, float, float]],
) -> str:
    """The industries the area is most specialised in: ``top`` holds (name, LQ, share of
    the area's GVA as a fraction)."""
    return (
        f"In {year} {area_name} was most specialised, relative to {benchmark_name}, in "
        + ", ".join(
            f"{lower_name(name)} (LQ {lq:.2f}, {100 * share:.1f}% of GVA)"
            for name, lq, share in top
        )
        + "."
    )


def shift_share_sentence(
    *,
    area_name: str,
    start: int,
    end: int,
    benchmark_name: str,
    actual: float,
    national: float,
    mix: float,
    competitive: float,
) -> str:
    """The change in real GVA split into the nation's growth, industry mix and local
    performance (£m)."""
    return (
        f"Real GVA in {area_name} changed by £{actual:,.0f}m from {start} to {end}. Had it "
        f"grown at {benchmark_name}'s rate it would have changed by £{national:,.0f}m; its "
        f"industry mix added £{mix:,.0f}m and local performance "
        f"{'added' if competitive >= 0 else 'subtracted'} £{abs(competitive):,.0f}m."
    )


#: Note under the shift-share table.
SHIFT_SHARE_NOTE = (
    "Components sum to the actual change. Chained-volume components are not strictly additive (A7)."
)


def sector_productivity_sentence(
    *,
    area_name: str,
    year: int,
    benchmark_name: str,
    gap: float,
    mix: float,
    within: float,
    interaction: float,
    mix_adjusted_index: float,
) -> str:
    """The gap in GVA per job (£) split into industry mix, within industries and their
    interaction, and the mix-adjusted index."""
    return (
        f"GVA per job in {area_name} in {year} was {money(gap)} against {benchmark_name}: "
        f"industry mix accounts for {money(mix)}, productivity within industries for "
        f"{money(within)} and their interaction for {money(interaction)}. Allowing for "
        f"industry mix, the area's productivity index is {mix_adjusted_index:.1f} "
        f"({benchmark_name} = 100)."
    )


# --------------------------------------------------------------------------------------
# Priorities
# --------------------------------------------------------------------------------------


def foundation_priorities_sentence(
    *,
    foundation: str,
    score: float,
    weakest: str,
    stability: float,
    draws: int,
    markdown: bool = False,
) -> str:
    """The foundation most in need of attention (in bold, as Markdown) and how stable that
    is under redraws of the weights."""
    return _render(
        [
            "The foundation most in need of attention is ",
            ("strong", foundation),
            f" (score {score:+.2f}; weakest indicator {lower_name(weakest)}). "
            f"It keeps first place in {100 * stability:.0f}% of {draws:,} redraws of the weights.",
        ],
        markdown,
    )


def sector_priorities_sentence(
    *,
    area_name: str,
    criteria: Sequence[str],
    top: Iterable[tuple[str, float, float]],
    draws: int,
    kendall_tau: float,
) -> str:
    """The leading sector opportunities: ``top`` holds (name, LQ, real growth % a year or NaN)."""
    return (
        f"On {', '.join(criteria)} together, the leading sector opportunities for {area_name} are "
        + "; ".join(
            f"{lower_name(name)} (LQ {lq:.2f}"
            + ("" if pd.isna(growth) else f", real growth {growth:+.1f}% a year")
            + ")"
            for name, lq, growth in top
        )
        + f". Median Kendall's τ between the declared ranking and {draws:,} redrawn ones: "
        f"{kendall_tau:.2f}."
    )


def not_scored(what: str, reason: str) -> str:
    """'<What> not scored: <reason>' (the sector priorities when the data cannot rank them)."""
    return _end(f"{_capital(what)} not scored: {reason}")


# --------------------------------------------------------------------------------------
# Call for evidence and consultation
# --------------------------------------------------------------------------------------


def no_responses_sentence(kind: str, folder: str, *, markdown: bool = False) -> str:
    """Where to put responses when none were found (the folder as code in Markdown)."""
    return _render(
        [
            f"No {kind.replace('_', ' ')} responses were found in ",
            ("code", folder),
            ". Put the responses there (CSV or XLSX, or Markdown submissions; see "
            "docs/evidence.md) and run ",
            ("code", "lis run"),
            " again.",
        ],
        markdown,
    )


def no_responses_headline(kind: str) -> str:
    """The index card's headline of a page that found no responses."""
    return f"No {kind.replace('_', ' ')} responses were found."


def call_for_evidence_sentence(
    n_responses: int, n_respondents: int, *, markdown: bool = False
) -> str:
    """How many responses were coded, and by what (the taxonomy file as code in Markdown)."""
    return _render(
        [
            f"{n_responses} responses from {n_respondents} respondents were coded to the "
            "Foundations of Productivity and the Grand Challenges by the taxonomy in ",
            ("code", "lis_analysis/data/taxonomy.yaml"),
            ".",
        ],
        markdown,
    )


def consultation_sentence(
    *,
    n_respondents: int,
    lead: Mapping[str, Any],
    low: Mapping[str, Any],
    markdown: bool = False,
) -> str:
    """Support for the draft priorities: the strongest and the weakest (in bold, as
    Markdown). ``lead`` and ``low`` are rows of :func:`lis_analysis.consultation.agreement`."""
    return _render(
        [
            f"{n_respondents} people and organisations responded. Support was strongest for ",
            ("strong", str(lead["priority"])),
            f" ({lead['agree_pct']:.0f}% agreed, 95% interval "
            f"{lead['agree_lower_pct']:.0f}-{lead['agree_upper_pct']:.0f}%; net agreement "
            f"{lead['net_agreement']:+.0f}) and weakest for ",
            ("strong", str(low["priority"])),
            f" ({low['agree_pct']:.0f}% agreed; net {low['net_agreement']:+.0f}).",
        ],
        markdown,
    )


#: Note under the agreement table.
AGREEMENT_NOTE = (
    "Percentages of those expressing a view; 'don't know' and no answer are left out (A16)."
)


def consideration_sentence(n_points: int, pending: int, *, markdown: bool = False) -> str:
    """How many points the consideration log covers and how many need attention (in bold,
    as Markdown)."""
    return _render(
        [
            f"The consideration log covers {n_points} points; ",
            ("strong", f"{pending} need attention"),
            " (no response yet, or raised but not in the log).",
        ],
        markdown,
    )


def no_consideration_log() -> str:
    """What to do when no consideration log was found."""
    return (
        "No consideration log was found: record how each point was considered in a CSV or "
        "XLSX (see docs/evidence.md)."
    )


# --------------------------------------------------------------------------------------
# Caveats and provenance
# --------------------------------------------------------------------------------------


def caveat_md(caveat_id: str, title: str, text: str) -> str:
    """One entry of the caveats log as a list item: '- **A7 Title.** Text'."""
    return f"- **{caveat_id} {escape_markdown(title)}.** {escape_markdown(text)}"


def indicator_caveat_md(name: str, text: str) -> str:
    """An indicator's own caveat as a list item: '- **<Indicator>.** Text'."""
    return f"- **{escape_markdown(name)}.** {escape_markdown(text)}"


def caveats_md(items: Sequence[str]) -> str:
    """The caveats section: the list items, or 'No caveats recorded.'"""
    return "\n".join(items) if items else "No caveats recorded."


def provenance_md(
    *,
    run_id: str | None,
    generated: str | None,
    git_commit: str | None,
    package_version: str | None,
    parameters: Mapping[str, Any],
) -> str:
    """The provenance footer's lines: the run, the code, the parameters (Markdown)."""
    code = str(git_commit)[:12] if git_commit else "not a git checkout"
    return "\n".join(
        [
            f"Run {run_id or '(interactive session)'}, {generated}; "
            f"code {code}, lis_analysis {package_version}.",
            "",
            "Parameters: "
            + (", ".join(f"{k} = {v!r}" for k, v in parameters.items()) or "none")
            + ".",
        ]
    )
