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
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from ..periods import period_label
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


#: What each label of the reading says in a sentence.
LABEL_WORDS = {
    "strength": "a strength",
    "weakness": "a weakness",
    "in line": "in line with the nation",
    "context": "context (size or structure, neither better nor worse)",
    "not assessed": "not assessed",
}


def comparison(
    value: float,
    benchmark: float,
    benchmark_name: str,
    unit: str,
    *,
    decimals: int = 1,
    material: bool | None = None,
    significant: bool | None = None,
) -> str:
    """How a value compares with a benchmark, in the words the rule allows.

    "12.5% below the UK (£39.70)" (percentage points for rates) only when the difference
    is material and, where an interval exists, significant; otherwise "similar to the UK
    (£39.70)". ``material`` None means the rule was not applied: the difference is said.
    """
    ref = format_value(benchmark, unit, decimals=decimals if unit != "%" else None, short=True)
    if material is False or (material and significant is False):
        return f"similar to {the(benchmark_name)} ({ref})"
    return f"{compare_phrase(value, benchmark, benchmark_name, unit)} ({ref})"


def indicator_sentence(
    *,
    name: str,
    area_name: str,
    value: float,
    unit: str,
    period: Any,
    decimals: int = 1,
    benchmark_value: float | None = None,
    benchmark_name: str = "the UK",
    label: str | None = None,
    material: bool | None = None,
    significant: bool | None = None,
    bottom_half: bool = False,
    peer_word: str = "areas",
) -> str:
    """The first sentence about an indicator: its value, how it compares with the national
    benchmark (by the rule: "higher"/"lower" only when material and significant, else
    "similar to") and its reading.

    "GVA per hour worked in Leicester and Leicestershire was £34.75 in 2022, 12.5% below
    the UK (£39.70): a weakness."

    Parameters
    ----------
    benchmark_value, benchmark_name : the national benchmark (None: not compared)
    label : the reading (strength, weakness, in line, ...; None: no reading)
    material, significant : as the rule found them
    bottom_half : a material lead the rule did not call a strength because the area ranks
        in the bottom half of its ``peer_word``
    """
    text = f"{name} in {area_name} was {_value(value, unit, decimals)} in {period_label(period)}"
    if benchmark_value is not None and not pd.isna(benchmark_value):
        text += ", " + comparison(
            value,
            benchmark_value,
            benchmark_name,
            unit,
            decimals=decimals,
            material=material,
            significant=significant,
        )
        if material and significant is False:
            text += ": the difference is not statistically significant"
        elif material and label == "in line" and bottom_half:
            text += (
                f", but it ranks in the bottom half of the {peer_word}, so this is not a strength"
            )
    if label in ("strength", "weakness"):
        text += f": {LABEL_WORDS[label]}"
    return text + "."


def size_sentence(
    *,
    name: str,
    area_name: str,
    value: float,
    unit: str,
    period: Any,
    decimals: int = 0,
    share: float | None = None,
    of_name: str = "the UK",
) -> str:
    """A size (GVA, jobs, hours, population): its value and, where the nation holds the
    area, its share of the nation's; never an index or a "% below".

    "Filled jobs in Leicester and Leicestershire were 540,142 jobs in 2022, 1.6% of the
    UK's."
    """
    text = f"{name} in {area_name} {'were' if name.endswith('s') else 'was'} {_value(value, unit, decimals)} in {period_label(period)}"
    if share is not None and not pd.isna(share):
        text += f", {share:.1f}% of {the(of_name)}'s"
    return text + "."


def context_sentence(
    *,
    name: str,
    area_name: str,
    value: float,
    unit: str,
    period: Any,
    decimals: int = 1,
    peers_median: float | None = None,
    peer_word: str = "areas",
    structure: bool = True,
) -> str:
    """An indicator that is not read as better or worse: its value, the peers' median for
    scale, and (for structure) that it is neither better nor worse.

    "Industrial specialisation (Krugman index) in Leicester and Leicestershire was 0.28
    in 2023; the median of 35 LSIP areas is 0.31. It describes the structure of the
    economy: neither better nor worse."
    """
    text = f"{name} in {area_name} was {_value(value, unit, decimals)} in {period_label(period)}"
    if peers_median is not None and not pd.isna(peers_median):
        text += f"; the median of the {peer_word} is {_value(peers_median, unit, decimals)}"
    text += "."
    if structure:
        text += " It describes the structure of the economy: neither better nor worse."
    return text


def rank_sentence(
    rank: int | None, n_areas: int | None, peer_word: str, quartile: str | None = None
) -> str:
    """'It ranks 28th of 38 LSIP areas (third quartile; 1st is best).' ('' without a rank)."""
    if rank is None or not n_areas or pd.isna(rank):
        return ""
    q = f"{quartile}; " if quartile else ""
    return f"It ranks {ordinal(int(rank))} of {int(n_areas)} {peer_word} ({q}1st is best)."


def peers_share_sentence(
    label: str,
    share: float | None,
    peer_word: str,
    benchmark_name: str,
    polarity: str = "higher",
) -> str:
    """'Most LSIP areas (76%) are also materially below the UK.' when most of the peers
    share a weakness (above it, for a strength); '' otherwise. Below and above follow the
    indicator's polarity: a weakness of a lower-is-better rate (child poverty) is a figure
    above the nation. A weakness the peers share is still a weakness: this says how
    common it is."""
    if label not in ("weakness", "strength") or share is None or pd.isna(share) or share <= 0.5:
        return ""
    worse = "above" if polarity == "lower" else "below"
    better = "below" if polarity == "lower" else "above"
    side = worse if label == "weakness" else better
    return (
        f"Most {peer_word} ({100 * share:.0f}%) are also materially {side} {the(benchmark_name)}."
    )


def concentration_sentence(label: str, parts: Sequence[str], benchmark_name: str) -> str:
    """Where in the area a shortfall sits: 'The shortfall is concentrated in Leicester.'
    for a weakness; 'Leicester is much worse than the area as a whole, and materially
    worse than the UK.' otherwise (worse by the indicator's polarity: a higher child
    poverty rate is worse); '' without such parts."""
    parts = list(parts)
    if not parts:
        return ""
    names = list_words(parts)
    if label == "weakness":
        return f"The shortfall is concentrated in {names}."
    verb = "is" if len(parts) == 1 else "are"
    return (
        f"{names} {verb} much worse than the area as a whole, and materially worse than "
        f"{the(benchmark_name)}."
    )


def trend_sentence(
    *,
    tag: str | None,
    benchmark_name: str,
    start: int | None,
    end: int | None,
    change: float | None,
    from_year: int | None,
    slope: float | None,
    units: str,
    significant: bool | None,
) -> str:
    """The direction of travel against the benchmark over a named period, from the
    Newey-West trend of the gap (the same numbers as the reading's tag, so a page tells
    one story).

    "The gap to the UK has widened by 3.6 log points since 2012, when it was narrowest
    (Newey-West trend 2013-2022: -0.33 a year, statistically significant)."
    """
    if start is None or end is None or slope is None or pd.isna(slope):
        return ""
    b = the(benchmark_name)
    fit = f"Newey-West trend {int(start)}-{int(end)}: {slope:+.2f} a year, " + (
        "statistically significant" if significant else "not statistically significant"
    )
    ch = abs(float(change)) if change is not None and not pd.isna(change) else None
    amount = f" by {ch:.1f} {units}" if ch is not None else ""
    since = int(from_year) if from_year is not None and not pd.isna(from_year) else None
    if tag == "gap widening":
        return f"The gap to {b} has widened{amount} since {since}, when it was narrowest ({fit})."
    if tag == "gap narrowing":
        return f"The gap to {b} has narrowed{amount} since {since}, when it was widest ({fit})."
    if tag == "lead growing":
        return f"The lead over {b} has grown{amount} since {since}, when it was smallest ({fit})."
    if tag == "lead shrinking":
        return f"The lead over {b} has shrunk{amount} since {since}, when it was largest ({fit})."
    moved = (
        f" (it moved by {float(change):+.1f} {units} from {int(start)} to {int(end)})"
        if ch is not None and change is not None
        else ""
    )
    return (
        f"Against {b}, the position shows no significant trend over {int(start)}-{int(end)}{moved}."
    )


def gap_words(gap: float, units: str) -> str:
    """'−13.3 log points' / '+0.1 percentage points' (a gap in the reading's table)."""
    return f"{signed(gap)} {units}"


def trend_words(
    tag: str | None,
    change: float | None,
    from_year: Any,
    start: Any,
    end: Any,
    units: str,
) -> str:
    """The direction of travel in a table cell: 'gap widening: −3.6 log points since 2012'
    or 'no significant trend (2013-2022)'; '' without a trend."""
    if start is None or pd.isna(start) or end is None or pd.isna(end):
        return ""
    if tag:
        since = "" if from_year is None or pd.isna(from_year) else f" since {int(from_year)}"
        amount = "" if change is None or pd.isna(change) else f": {signed(float(change))} {units}"
        return f"{tag}{amount}{since}"
    return f"no significant trend ({int(start)}-{int(end)})"


#: Note under a table of readings.
READING_NOTE = (
    "Gap: to the UK (else England; a spread to the peer areas' median), positive = better; "
    "log points (100 × ln ratio, about a percentage) for levels, percentage points for "
    "rates. Weakness: a material gap below (and significant where an interval exists); "
    "strength: the same above, from the top half of the peer areas; in line otherwise "
    "(docs/priorities.md, thresholds in data/readings.yaml)."
)


def flag_sentence(
    flagged: Mapping[str, Sequence[int]], caveat_id: str, publisher: str = "ONS"
) -> str:
    """The publisher's flag on figures a page shows, district by district: 'ONS flags
    Leicester's figures for 2020-2023 and Charnwood's for 2019: more than 500 businesses
    registered at a single postcode can distort births, deaths and survival (caveat A17).'
    ('' when nothing is flagged). ``flagged``: {district: years flagged}."""

    def span(years: Sequence[int]) -> str:
        ys = sorted({int(y) for y in years})
        if len(ys) == 1:
            return str(ys[0])
        if ys == list(range(ys[0], ys[-1] + 1)):
            return f"{ys[0]}-{ys[-1]}"
        return list_words([str(y) for y in ys])

    items = [(d, ys) for d, ys in flagged.items() if len(ys)]
    if not items:
        return ""
    parts = [
        f"{d}'s figures for {span(ys)}" if k == 0 else f"{d}'s for {span(ys)}"
        for k, (d, ys) in enumerate(items)
    ]
    return (
        f"{publisher} flags {list_words(parts)}: more than 500 businesses registered at a "
        f"single postcode can distort births, deaths and survival (caveat {caveat_id})."
    )


def short_sentence(
    *,
    name: str,
    value: float,
    unit: str,
    period: Any,
    benchmark_value: float | None = None,
    benchmark_name: str = "the UK",
    material: bool | None = None,
    significant: bool | None = None,
    tags: Sequence[str] = (),
) -> str:
    """'GVA per hour worked: £34.75 in 2022, 12.5% below the UK; gap widening.' (the
    strengths and weaknesses listed on the pack's index; "similar to" by the rule)."""
    text = f"{name}: {format_value(value, unit)} in {period_label(period)}"
    if benchmark_value is not None and not pd.isna(benchmark_value):
        said = comparison(
            value, benchmark_value, benchmark_name, unit, material=material, significant=significant
        )
        text += ", " + said.rsplit(" (", 1)[0]
    tags = [t for t in tags if t]
    if tags:
        text += "; " + "; ".join(tags)
    return text + "."


def not_available_sentence(name: str, area_name: str) -> str:
    """'<Indicator>: not available for <area>.' (an indicator the table does not hold)."""
    return f"{name}: not available for {area_name}."


def missing_sentence(name: str, area_name: str, why: str) -> str:
    """Why an indicator is not shown for the area: '<Indicator>: not shown for <area>.
    <Reason>.'"""
    text = f"{name}: not shown for {area_name}. {_capital(why) if why else ''}".rstrip()
    return text + ("" if why.endswith(".") else ".")


def _and(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def parts_value(value: float, unit: str, decimals: int | None = None) -> str:
    """A part's figure in a list: with its unit where it is money or a percentage
    ('£574.9', '88.5%'), bare otherwise (a ratio, a score, a rank: '8.0', '34.4', '16')."""
    u = str(unit or "").strip()
    if u.startswith(("£", "%")) or is_percent(u):
        return format_value(value, u, decimals=decimals, short=True)
    d = 1 if decimals is None else decimals
    return f"{float(value):,.{d}f}"


def parts_sentence(
    *,
    name: str,
    area_name: str,
    unit: str,
    period: Any,
    parts: Sequence[tuple[str, float]],
    decimals: int | None = None,
    has_value: bool = False,
    published: bool = True,
    bracket: tuple[float, float] | None = None,
    estimate: float | None = None,
    no_estimate: str = "",
    benchmark: tuple[str, float] | None = None,
    lowest: tuple[str, float] | None = None,
    highest: tuple[str, float] | None = None,
    n_districts: int = 0,
    worst: tuple[str, float] | None = None,
    worst_word: str = "",
    built: bool = False,
    n_members: int = 0,
) -> str:
    """What a page says where an area's figure comes from its parts, or sits beside them.

    With no figure for the area: 'No single figure of median weekly pay (workplace) exists
    for Leicester and Leicestershire: none is published for the area, and a median cannot
    be built from its districts' figures. Published for its parts in 2024: Leicestershire
    County £574.9 and Leicester £529.8; the UK's figure: £613.3. The area's median lies
    between its parts' medians, £529.8 to £574.9; estimated from the mixture of the
    parts' published distributions, weighted by their numbers of jobs: £563.2. Its 8
    districts range from £451.1 (Oadby and Wigston) to £614.5 (Blaby).' With a figure
    (``has_value``): 'Its parts in 2025: ... The most deprived part is Leicester (34.4).'
    ``published``: False where the parts' figures are computed from published ones (a
    difference of two medians).
    """

    def f(v: float) -> str:
        return parts_value(v, unit, decimals)

    listed = _and([f"{n} {f(v)}" for n, v in parts])
    when = period_label(period)
    if has_value:
        text = f"Its parts in {when}: {listed}."
    elif built:
        text = (
            f"Its districts' figures cannot all be used, so the figure is built from its "
            f"parts as published in {when}: {listed}."
        )
    else:
        kind = "a median" if bracket is not None else "it"
        # 'median weekly pay', but 'Index of Multiple Deprivation', 'GVA per hour'
        # ('Premises without broadband above 30 Mbit/s': a unit is not a proper name)
        proper = (
            any(w[:1].isupper() and "/" not in w for w in name.split()[1:]) or name[1:2].isupper()
        )
        what = name if proper else name[:1].lower() + name[1:]
        text = (
            f"No single figure of {what} exists for {area_name}: none "
            f"is published for the area, and {kind} cannot be built from its districts' "
            f"figures. {'Published for' if published else 'For'} its parts in {when}: {listed}"
        )
        text += f"; {benchmark[0]}'s figure: {f(benchmark[1])}." if benchmark is not None else "."
        if bracket is not None:
            text += (
                f" The area's median lies between its parts' medians, {f(bracket[0])} to "
                f"{f(bracket[1])}"
            )
            if estimate is not None:
                text += (
                    "; estimated from the mixture of the parts' published distributions, "
                    f"weighted by their numbers of jobs: {f(estimate)}."
                )
            else:
                text += f" (no estimate: {no_estimate.rstrip('.')})." if no_estimate else "."
    if worst is not None and worst_word:
        text += f" The {worst_word} part is {worst[0]} ({f(worst[1])})."
    if lowest is not None and highest is not None and n_districts > 1:
        if n_members > n_districts:
            text += (
                f" {n_districts} of its {n_members} districts have a figure, from "
                f"{f(lowest[1])} ({lowest[0]}) to {f(highest[1])} ({highest[0]})."
            )
        else:
            text += (
                f" Its {n_districts} districts range from {f(lowest[1])} ({lowest[0]}) to "
                f"{f(highest[1])} ({highest[0]})."
            )
    return text


def short_parts_sentence(
    name: str,
    parts: Sequence[tuple[str, float]],
    unit: str,
    period: Any,
    *,
    decimals: int | None = None,
) -> str:
    """'Median weekly pay (workplace): no single figure; for its parts, Leicestershire
    County £574.9 and Leicester £529.8 (2024).'"""
    listed = _and([f"{n} {parts_value(v, unit, decimals)}" for n, v in parts])
    return f"{name}: no single figure; for its parts, {listed} ({period_label(period)})."


def parts_note(*, counties_from: str = "", estimate_how: str = "", vintage: str = "") -> list[str]:
    """Notes under a parts table: where the counties' districts come from, how the
    estimate was made, which release was used."""
    out = []
    if counties_from:
        out.append(
            f"Parts: the fewest published areas that exactly make up the area; {counties_from}."
        )
    else:
        out.append("Parts: the fewest published areas that exactly make up the area.")
    if estimate_how:
        out.append(
            _capital(estimate_how.removeprefix("estimate: "))
            + "; labelled an estimate, not a published figure."
        )
    if vintage:
        out.append(vintage_note(vintage))
    return out


def vintage_note(text: str) -> str:
    """'Release: <which file the area's figure comes from, and which newer one could not
    be used, and why>.'"""
    return f"Release: {text.rstrip('.')}."


def method_note(method: str) -> str:
    """'How: <how the figure was obtained>.' under an indicator's table."""
    return f"How: {method}."


def interval_note(
    area_name: str,
    lower: float,
    upper: float,
    unit: str,
    *,
    approximate: bool = False,
    pooled_from: str = "districts",
) -> str:
    """The area's 95% confidence interval, labelled approximate when pooled from districts
    (or from its published parts: ``pooled_from="its parts"``)."""
    return (
        f"95% confidence interval for {area_name}: {format_value(lower, unit)} to "
        f"{format_value(upper, unit)}"
        + (f" (approximate: pooled from {pooled_from})." if approximate else ".")
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
    """The index card's line when every indicator read against the nation is in line."""
    return (
        f"Every indicator{' of ' + foundation if foundation else ''} read against the nation "
        "is in line with it: no strength or weakness."
    )


def nothing_assessed(area_name: str, foundation: str | None = None) -> str:
    """The index card's line when no indicator could be read against the nation (none
    published for the area, or none with a national figure): never "neutral"."""
    what = f"No indicator of {foundation}" if foundation else "No indicator"
    return (
        f"{what} could be read against the nation for {area_name}: not assessed (the "
        "figures are not published for the area or cannot be built from its districts)."
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
        f"In {year}, GVA per head in {area_name} was {abs(100 * (relative - 1)):.1f}% "
        f"{'below' if relative < 1 else 'above'} {benchmark_name}. The chart splits that gap (in log points × 100, which add up) "
        f"into its five parts; the largest is {lower_name(largest)}."
    )


def jobs_per_resident_note(
    *, area_name: str, benchmark_name: str, area_ratio: float, benchmark_ratio: float
) -> str:
    """Why filled jobs per employed resident aged 16-64 is not a commuting ratio, and the
    benchmark to read it against."""
    return (
        f"Filled jobs per employed resident aged 16-64 is not a commuting ratio: "
        f"{benchmark_name}'s own is {benchmark_ratio:.2f}, with no net commuting, because "
        "filled jobs count second jobs and people working under 16 or over 64. Read "
        f"{area_name}'s {area_ratio:.2f} against {benchmark_ratio:.2f}: the difference is "
        f"net commuting {'out of' if area_ratio < benchmark_ratio else 'into'} the area "
        "together with differences in second jobs and in workers outside 16-64."
    )


#: Note under the GVA-per-head decomposition table.
DECOMPOSITION_NOTE = (
    "GVA per hour in £; hours per job a year. The product of the five ratios equals the "
    "GVA per head ratio."
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


def capital(text: str) -> str:
    """The text with its first letter capitalised ('the UK' -> 'The UK')."""
    return _capital(text)


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
    not_additive: float = 0.0,
) -> str:
    """The change in real GVA (the published total) split into the nation's growth,
    industry mix, local performance and the part its industries' chained-volume changes
    do not add up to (£m)."""
    text = (
        f"Real GVA in {area_name} changed by £{actual:,.0f}m from {start} to {end} (the "
        f"published total). Had every industry grown at {benchmark_name}'s overall rate it "
        f"would have changed by £{national:,.0f}m; its industry mix "
        f"{'added' if mix >= 0 else 'subtracted'} £{abs(mix):,.0f}m and local performance "
        f"{'added' if competitive >= 0 else 'subtracted'} £{abs(competitive):,.0f}m"
    )
    if round(not_additive):
        text += (
            f"; the other £{not_additive:,.0f}m is the published total's change that its "
            "industries' chained-volume changes do not add up to"
        )
    return text + "."


#: Note under the shift-share table.
SHIFT_SHARE_NOTE = (
    "Every industry is included, owner-occupiers' imputed rental too; with the row "
    "'Not additive (chained volume)' the rows sum to the published total change. "
    "Chained-volume figures are not additive (A7)."
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
        f"GVA per job in {area_name} in {year} was £{abs(gap):,.0f} "
        f"{'below' if gap < 0 else 'above'} {benchmark_name}: "
        f"industry mix accounts for {money(mix)}, productivity within industries for "
        f"{money(within)} and their interaction for {money(interaction)}. Allowing for "
        f"industry mix, the area's productivity index is {mix_adjusted_index:.1f} "
        f"({benchmark_name} = 100)."
    )


# --------------------------------------------------------------------------------------
# Priorities
# --------------------------------------------------------------------------------------


def headline_sentence(items: Sequence[tuple[str, str, Sequence[str]]]) -> str:
    """Headline productivity above the ranking of the foundations: each indicator's
    reading with its tags; ``items`` holds (name, label, tags).

    "Headline productivity, the outcome the foundations drive, is read but not ranked
    beside them: GVA per hour worked is a weakness (third quartile of 38; gap widening);
    real GVA growth is in line with the nation."
    """
    said = []
    for name, label, tags in items:
        t = [x for x in tags if x]
        said.append(
            f"{lower_name(name)} is {LABEL_WORDS.get(label, label)}"
            + (f" ({'; '.join(t)})" if t else "")
        )
    return (
        "Headline productivity, the outcome the foundations drive, is read but not ranked "
        f"beside them: {'; '.join(said)}."
    )


def foundation_priorities_sentence(
    *,
    foundation: str,
    need: float,
    weaknesses: Sequence[str],
    stability: float | None,
    stability_thresholds: float | None,
    stability_leave_one_out: float | None,
    draws: int,
    markdown: bool = False,
) -> str:
    """The foundation most in need (in bold, as Markdown), its weaknesses, and how often
    it keeps first place when the thresholds, the indicator set and the weights move."""
    parts: list[str | tuple[str, str]] = [
        "The foundation most in need of attention is ",
        ("strong", foundation),
        f" (need {need:.2f} thresholds; weaknesses: {list_words([lower_name(w) for w in weaknesses])}).",
    ]
    kept = []
    if stability_thresholds is not None:
        kept.append(f"{100 * stability_thresholds:.0f}% of the threshold settings")
    if stability_leave_one_out is not None:
        kept.append(f"{100 * stability_leave_one_out:.0f}% of the runs leaving one indicator out")
    if stability is not None and draws:
        kept.append(
            f"{100 * stability:.0f}% of {draws:,} draws moving weights, thresholds and indicators together"
        )
    if kept:
        parts.append(f" It keeps first place in {list_words(kept)}.")
    return _render(parts, markdown)


def no_foundation_in_need(area_name: str) -> str:
    """When no foundation has a weakness."""
    return (
        f"No foundation has a weakness against the nation for {area_name}: none is ranked by need."
    )


def foundation_reading(status: str, n_assessed: int, weaknesses: Sequence[str]) -> str:
    """A foundation's reading in the ranking table: its weaknesses, 'no weakness' or
    'not assessed' (never 'neutral')."""
    if status != "assessed":
        return "not assessed: no indicator could be read against the nation"
    if weaknesses:
        return f"weakness{'es' if len(weaknesses) > 1 else ''}: {list_words(list(weaknesses))} (of {n_assessed} read)"
    return f"no weakness ({n_assessed} indicator{'s' if n_assessed != 1 else ''} read)"


def foundation_need_note(*, draws: int, factors: Sequence[float]) -> str:
    """Note under the ranking of the foundations."""
    return (
        "Need: the weighted mean, over the foundation's indicators read against the nation, "
        "of each weakness's shortfall in thresholds (capped at 3; 0 for an indicator that is "
        "not a weakness). Keeps its rank: the share of runs giving the same rank when the "
        f"weights are redrawn ({draws:,} draws), when every threshold is multiplied by "
        f"{list_words([f'{f:g}' for f in factors])}, when each indicator is left out in turn, "
        "and all three together. Headline productivity is the outcome, not ranked."
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
    words = {"lq": "specialisation", "growth": "real growth", "productivity": "productivity"}
    return (
        f"On {list_words([words.get(c, c) for c in criteria])} together, each shrunk toward "
        f"the national figure for small industries, the leading sector opportunities for "
        f"{area_name} are "
        + "; ".join(
            f"{lower_name(name)} (LQ {lq:.2f}"
            + ("" if pd.isna(growth) else f", real growth {growth:+.1f}% a year")
            + ")"
            for name, lq, growth in top
        )
        + f". Median Kendall's τ between the declared ranking and {draws:,} redrawn ones: "
        f"{kendall_tau:.2f}."
    )


def sector_score_note(*, min_share: float, half_share: float) -> str:
    """Note under the sector opportunity scores."""
    return (
        f"Industries under {min_share:g}% of the area's GVA are not scored. Each criterion "
        "is shrunk toward its reference by the industry's size before it is standardised "
        f"(share ÷ (share + {half_share:g}%) of its distance is kept: LQ toward 1, growth "
        "toward the same industry nationally, productivity toward 100), so a very small "
        "industry cannot lead on a volatile ratio alone (docs/priorities.md)."
    )


def specialisms_sentence(
    *,
    area_name: str,
    year: int,
    level: str,
    benchmark_name: str,
    top: Iterable[tuple[str, str, float, float, str | None]],
) -> str:
    """The area's largest specialisms at the finest level published: ``top`` holds (name,
    SIC label, LQ, share of GVA %, the most specialised district or None)."""
    items = [
        f"{lower_name(name)} (SIC {code}; LQ {lq:.2f}, {share:.1f}% of GVA"
        + (f"; most specialised in {where}" if where else "")
        + ")"
        for name, code, lq, share, where in top
    ]
    if not items:
        return (
            f"At the finest industry level published ({level}), {area_name} has no "
            f"industry with a location quotient of 1.25 or more and 1% of its GVA in {year}."
        )
    return (
        f"At the finest industry level published ({level}), {area_name}'s largest "
        f"specialisms in {year}, against {benchmark_name}, are {list_words(items)}."
    )


def specialisms_note(
    *, benchmark_name: str, growth_period: str, growth_benchmark: str | None, employment: bool
) -> str:
    """Note under the specialisms table."""
    text = (
        f"Location quotient: the industry's share of the area's GVA over its share of "
        f"{benchmark_name}'s (current prices; owner-occupiers' imputed rental left out). "
        f"Real growth: compound annual growth of chained-volume GVA, {growth_period}, "
        f"against the same industry in {growth_benchmark or 'the nation'}. Districts listed "
        "where their own LQ is 1.25 or more."
    )
    if not employment:
        text += (
            " Productivity by industry needs employment by industry for the area's districts "
            "(BRES), which is not in the data loaded."
        )
    return text


def is8_sentence(
    *,
    area_name: str,
    year: int,
    measured: Sequence[tuple[str, str, float, float, bool]],
    not_measurable: Sequence[str],
) -> str:
    """The Industrial Strategy's sectors in one sentence: ``measured`` holds (sector,
    reading, LQ, share %, exact); ``not_measurable`` the sectors SIC data cannot measure
    here."""
    parts = [
        f"{name}: {reading}"
        + (
            ""
            if reading.startswith("partly")
            else f" ({'exact' if exact else 'approximate'}; LQ {lq:.2f}, {share:.1f}% of GVA)"
        )
        for name, reading, lq, share, exact in measured
    ]
    text = f"In {year}, measured from the industry groups published for its districts: " + (
        "; ".join(parts) if parts else "none of the sectors"
    )
    text += "."
    if not_measurable:
        text += (
            f" {list_words(list(not_measurable))} cannot be measured from these SIC data "
            "(no SIC code captures them, or their codes are small parts of larger groups): "
            "this says nothing about their strength in " + area_name + "."
        )
    return text


def is8_notes(
    *,
    benchmark_name: str,
    overlaps: Mapping[str, Sequence[str]],
    edition: str,
    published: str,
    growth_period: str,
) -> list[str]:
    """Notes under the IS-8 table."""
    notes = [
        f"Sectors as defined by DBT's Industrial Strategy Sector Definitions List "
        f"({published}), {edition} codes; each measured by the published industry groups "
        "at least half of whose divisions are in its definition ('Measured as' says what "
        f"they add and leave out). Location quotients against {benchmark_name}; real "
        f"growth {growth_period}.",
        "Sectors overlap and are never summed: no total is given.",
    ]
    for group, names in overlaps.items():
        notes.append(f"{group} counts in {list_words(list(names))}.")
    return notes


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
