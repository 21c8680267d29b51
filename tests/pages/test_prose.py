"""Every sentence form of lis_analysis.pages.prose, each on a small hand-made case.

The expected sentences are written out in full: a change of wording shows here as a
failing test, which is the point (the board reads these words).
"""

from __future__ import annotations

import math

import pytest

from lis_analysis.pages import prose

LL = "Leicester and Leicestershire"


# ---------------------------------------------------------------------------------- phrases


@pytest.mark.parametrize(
    "value, unit, kwargs, expected",
    [
        (35.2, "£ per hour", {}, "£35.20 per hour"),
        (35.2, "£ per hour", {"short": True}, "£35.20"),
        (1234.0, "£", {}, "£1,234"),
        (33342.0, "£ million", {}, "£33,342 million"),
        (12.345, "%", {}, "12.3%"),
        (81.0, "% of premises", {}, "81.0% of premises"),
        (540142.0, "jobs", {}, "540,142 jobs"),
        (-3.5, "index", {}, "-3.50"),
        (1.3, "highest ÷ lowest", {"decimals": 2}, "1.30 highest ÷ lowest"),
        (math.nan, "£", {}, "not available"),
        (None, "£", {}, "not available"),
    ],
)
def test_format_value(value, unit, kwargs, expected):
    assert prose.format_value(value, unit, **kwargs) == expected


def test_compare_phrase_levels_in_percent_rates_in_points_and_the_article():
    assert prose.compare_phrase(34.75, 39.70, "UK", "£") == "12.5% below the UK"
    assert prose.compare_phrase(74.0, 75.5, "England", "%") == "1.5 percentage points below England"
    assert prose.compare_phrase(39.70, 39.70, "UK", "£") == "the same as the UK"
    assert prose.compare_phrase(1.0, math.nan, "UK", "£") == "not comparable with the UK"
    assert (
        prose.compare_phrase(5.0, 0.0, "East Midlands", "jobs") == "5 jobs above the East Midlands"
    )


@pytest.mark.parametrize("n, word", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"),
                                     (11, "11th"), (12, "12th"), (13, "13th"), (22, "22nd"),
                                     (103, "103rd"), (111, "111th")])  # fmt: skip
def test_ordinal(n, word):
    assert prose.ordinal(n) == word


@pytest.mark.parametrize(
    "period, label",
    [
        ("2023-01-01/P1Y", "2023"),
        ("2023-04-01/P1Y", "Apr 2023 to Mar 2024"),
        ("2026-01-01", "January 2026"),
        ("2018-2023", "2018-2023"),
        (2023, "2023"),
    ],
)
def test_period_label(period, label):
    assert prose.period_label(period) == label


def test_names_inside_sentences_keep_acronyms():
    assert prose.lower_name("Employment rate (16-64)") == "employment rate (16-64)"
    assert prose.lower_name("GVA per head") == "GVA per head"
    assert prose.money(629.4) == "+£629" and prose.money(-5862.0) == "\u2212£5,862"
    assert prose.signed(-3.44) == "\u22123.4" and prose.signed(0.01) == "0.0"
    assert prose.list_words(["a", "b", "c"]) == "a, b and c" and prose.list_words([]) == ""


# ---------------------------------------------------------------------------------- opening


def test_header_names_the_area_its_districts_region_peers_and_data():
    md = prose.header_md(
        "Is the gap closing?",
        area_name=LL,
        area_code="E37000021",
        district_names=["Leicester", "Blaby"],
        region_name="East Midlands",
        n_peers=37,
        peer_word="LSIP areas",
        releases=["2024-06-19", "2025-04-17"],
    )
    assert md.splitlines() == [
        "**Question.** Is the gap closing?",
        "",
        f"**Area.** {LL} (E37000021), 2 districts: Leicester\\, Blaby.",
        "Region: East Midlands.",
        "Peers: the other 37 LSIP areas.",
        "",
        "**Data:** published files, releases 2024-06-19, 2025-04-17 (see Sources).",
    ]


def test_header_on_demonstrator_data_says_so_and_escapes_names():
    md = prose.header_md(
        "Q?", area_name="A_B *area*", area_code="X1", district_names=["One"], demo=True
    )
    assert "A\\_B \\*area\\*" in md and "1 district: One." in md
    assert "**Data: synthetic demonstrator data, not official statistics.**" in md
    assert "Peers" not in md and "Region" not in md


def test_demo_banner():
    assert prose.demo_banner_md().startswith("**Demonstrator data: synthetic figures")


# ---------------------------------------------------------------------------------- indicators


# One story per indicator, by the rule: "above"/"below" only when the difference is
# material (and significant where an interval exists), otherwise "similar to".


def test_comparison_says_higher_or_lower_only_when_material_and_significant():
    # GVA per hour: 13.3 log points below the UK, threshold 5: material, no interval
    assert prose.comparison(34.75, 39.70, "the UK", "£", decimals=2, material=True) == (
        "12.5% below the UK (£39.70)"
    )
    # employment 75.8% against 75.7%: within 2 points -> similar
    assert prose.comparison(75.84, 75.70, "the UK", "%", material=False) == (
        "similar to the UK (75.7%)"
    )
    # material but the survey cannot tell it from noise -> similar
    assert prose.comparison(65.3, 67.7, "the UK", "%", material=True, significant=False) == (
        "similar to the UK (67.7%)"
    )
    # material and significant
    assert prose.comparison(65.3, 67.7, "the UK", "%", material=True, significant=True) == (
        "2.4 percentage points below the UK (67.7%)"
    )
    # no rule applied (material None): the difference is said
    assert prose.comparison(1.0, 2.0, "England", "£", decimals=2, material=None) == (
        "50.0% below England (£2.00)"
    )
    # the reference in brackets is the number alone (the sentence has given the unit)
    assert prose.comparison(1.40, 1.48, "the median of 36 peer areas", "highest ÷ lowest",
                            decimals=2, material=True) == (
        "5.4% below the median of 36 peer areas (1.48)"
    )  # fmt: skip


def test_indicator_sentence_weakness():
    s = prose.indicator_sentence(
        name="GVA per hour worked", area_name=LL, value=34.75, unit="£", period="2022",
        decimals=2, benchmark_value=39.70, benchmark_name="the UK", label="weakness",
        material=True,
    )  # fmt: skip
    assert (
        s
        == f"GVA per hour worked in {LL} was £34.75 in 2022, 12.5% below the UK (£39.70): a weakness."
    )


def test_indicator_sentence_in_line_three_ways():
    base = dict(name="Employment rate (16-64)", area_name=LL, unit="%", period="2023-01-01/P1Y",
                benchmark_name="the UK", label="in line", peer_word="LSIP areas")  # fmt: skip
    # not material
    assert prose.indicator_sentence(**base, value=75.84, benchmark_value=75.7, material=False) == (
        f"Employment rate (16-64) in {LL} was 75.8% in 2023, similar to the UK (75.7%)."
    )
    # material, not significant
    assert prose.indicator_sentence(
        **base, value=65.3, benchmark_value=67.7, material=True, significant=False
    ) == (
        f"Employment rate (16-64) in {LL} was 65.3% in 2023, similar to the UK (67.7%): the "
        "difference is not statistically significant."
    )
    # a material lead from the bottom half of the peers
    assert prose.indicator_sentence(
        **base, value=80.0, benchmark_value=75.7, material=True, bottom_half=True
    ) == (
        f"Employment rate (16-64) in {LL} was 80.0% in 2023, 4.3 percentage points above the "
        "UK (75.7%), but it ranks in the bottom half of the LSIP areas, so this is not a strength."
    )


def test_indicator_sentence_strength_and_no_benchmark():
    s = prose.indicator_sentence(
        name="Productivity spread between districts", area_name=LL, value=1.4047,
        unit="highest ÷ lowest", period="2022", decimals=2, benchmark_value=1.4789,
        benchmark_name="the median of 36 peer areas", label="strength", material=True,
    )  # fmt: skip
    assert s == (
        f"Productivity spread between districts in {LL} was 1.40 highest ÷ lowest in 2022, "
        "5.0% below the median of 36 peer areas (1.48): a strength."
    )
    assert prose.indicator_sentence(name="X", area_name=LL, value=1.3247, unit="ratio",
                                    period="2022", decimals=2) == f"X in {LL} was 1.32 ratio in 2022."  # fmt: skip


def test_size_sentence_is_a_share_never_an_index():
    s = prose.size_sentence(
        name="Filled jobs", area_name=LL, value=540142.0, unit="jobs", period="2022",
        share=1.5848, of_name="UK",
    )  # fmt: skip
    assert s == f"Filled jobs in {LL} were 540,142 jobs in 2022, 1.6% of the UK's."
    assert "below" not in s and "index" not in s
    s = prose.size_sentence(name="Gross value added", area_name=LL, value=33342.0,
                            unit="£ million", period="2023", share=None)  # fmt: skip
    assert s == f"Gross value added in {LL} was £33,342 million in 2023."


def test_context_sentence():
    s = prose.context_sentence(
        name="Industrial specialisation (Krugman index)", area_name=LL, value=0.2796,
        unit="index (0-2)", period="2023", decimals=2, peers_median=0.3112,
        peer_word="LSIP areas",
    )  # fmt: skip
    assert s == (
        f"Industrial specialisation (Krugman index) in {LL} was 0.28 in 2023; the median of "
        "the LSIP areas is 0.31. It describes the structure of the economy: neither better "
        "nor worse."
    )
    s = prose.context_sentence(name="X", area_name=LL, value=2.0, unit="score", period="2023",
                               structure=False)  # fmt: skip
    assert s == f"X in {LL} was 2.0 score in 2023."


def test_rank_peers_and_concentration_sentences():
    assert prose.rank_sentence(28, 38, "LSIP areas", "third quartile") == (
        "It ranks 28th of 38 LSIP areas (third quartile; 1st is best)."
    )
    assert prose.rank_sentence(None, 38, "LSIP areas") == ""
    assert prose.peers_share_sentence("weakness", 0.757, "LSIP areas", "the UK") == (
        "Most LSIP areas (76%) are also materially below the UK."
    )
    assert prose.peers_share_sentence("strength", 0.6, "LSIP areas", "England") == (
        "Most LSIP areas (60%) are also materially above England."
    )
    # lower is better (child poverty): a weakness shared with the peers is a figure above
    assert prose.peers_share_sentence("weakness", 0.7, "LSIP areas", "the UK", "lower") == (
        "Most LSIP areas (70%) are also materially above the UK."
    )
    assert prose.peers_share_sentence("strength", 0.7, "LSIP areas", "the UK", "lower") == (
        "Most LSIP areas (70%) are also materially below the UK."
    )
    assert prose.peers_share_sentence("weakness", 0.5, "LSIP areas", "the UK") == ""
    assert prose.peers_share_sentence("in line", 0.9, "LSIP areas", "the UK") == ""
    assert prose.concentration_sentence("weakness", ["Leicester"], "the UK") == (
        "The shortfall is concentrated in Leicester."
    )
    assert prose.concentration_sentence("in line", ["Leicester"], "the UK") == (
        "Leicester is much worse than the area as a whole, and materially worse than the UK."
    )
    assert prose.concentration_sentence("in line", ["Melton", "Blaby"], "England").startswith(
        "Melton and Blaby are much worse"
    )
    assert prose.concentration_sentence("weakness", [], "the UK") == ""


@pytest.mark.parametrize(
    "tag,change,expected",
    [
        ("gap widening", -3.63, "The gap to the UK has widened by 3.6 log points since 2012, when it was narrowest"),
        ("gap narrowing", 2.0, "The gap to the UK has narrowed by 2.0 log points since 2012, when it was widest"),
        ("lead growing", 1.5, "The lead over the UK has grown by 1.5 log points since 2012, when it was smallest"),
        ("lead shrinking", -1.5, "The lead over the UK has shrunk by 1.5 log points since 2012, when it was largest"),
    ],
)  # fmt: skip
def test_trend_sentence_names_the_change_over_a_named_period(tag, change, expected):
    s = prose.trend_sentence(
        tag=tag, benchmark_name="the UK", start=2013, end=2022, change=change, from_year=2012,
        slope=-0.3303, units="log points", significant=True,
    )  # fmt: skip
    assert s == expected + " (Newey-West trend 2013-2022: -0.33 a year, statistically significant)."


def test_trend_sentence_without_a_significant_trend_names_no_direction():
    s = prose.trend_sentence(
        tag=None, benchmark_name="the UK", start=2014, end=2023, change=-0.154,
        from_year=2014, slope=0.19, units="percentage points", significant=False,
    )  # fmt: skip
    assert s == (
        "Against the UK, the position shows no significant trend over 2014-2023 (it moved by "
        "-0.2 percentage points from 2014 to 2023)."
    )
    for word in ("widen", "narrow", "worsening", "improving"):
        assert word not in s
    assert prose.trend_sentence(tag=None, benchmark_name="the UK", start=None, end=None,
                                change=None, from_year=None, slope=None, units="",
                                significant=None) == ""  # fmt: skip


def test_trend_words_and_gap_words_in_tables():
    assert prose.trend_words("gap widening", -3.63, 2012, 2013, 2022, "log points") == (
        "gap widening: \u22123.6 log points since 2012"
    )
    assert prose.trend_words(None, 0.3, 2014, 2014, 2023, "log points") == (
        "no significant trend (2014-2023)"
    )
    assert prose.trend_words(None, None, None, None, None, "") == ""
    assert prose.gap_words(-13.329, "log points") == "\u221213.3 log points"
    assert prose.gap_words(0.14, "percentage points") == "+0.1 percentage points"
    assert "positive = better" in prose.READING_NOTE


def test_flag_sentence_carries_the_publishers_flag():
    assert prose.flag_sentence({"Leicester": [2021, 2020, 2023, 2022]}, "A17") == (
        "ONS flags Leicester's figures for 2020-2023: more than 500 businesses registered at "
        "a single postcode can distort births, deaths and survival (caveat A17)."
    )
    assert prose.flag_sentence(
        {"Leicester": [2020, 2021, 2022, 2023], "Charnwood": [2019]}, "A17"
    ).startswith("ONS flags Leicester's figures for 2020-2023 and Charnwood's for 2019:")
    assert "for 2019 and 2021" in prose.flag_sentence({"Melton": [2021, 2019]}, "A17")
    assert prose.flag_sentence({}, "A17") == "" and prose.flag_sentence({"X": []}, "A17") == ""


def test_short_sentence():
    assert prose.short_sentence(
        name="GVA per hour worked", value=34.75, unit="£", period="2022", benchmark_value=39.70,
        material=True, tags=["third quartile of 38", "gap widening"],
    ) == "GVA per hour worked: £34.75 in 2022, 12.5% below the UK; third quartile of 38; gap widening."  # fmt: skip
    assert prose.short_sentence(
        name="Employment rate (16-64)", value=75.84, unit="%", period="2023",
        benchmark_value=75.7, material=False,
    ) == "Employment rate (16-64): 75.8% in 2023, similar to the UK."  # fmt: skip
    assert prose.short_sentence(name="Spread", value=1.3, unit="x", period="2022") == (
        "Spread: 1.30 x in 2022."
    )
    assert prose.not_available_sentence("Spread", LL) == f"Spread: not available for {LL}."


def test_missing_sentence_capitalises_the_reason_and_ends_once():
    assert prose.missing_sentence("Median pay", LL, "a median cannot be built") == (
        f"Median pay: not shown for {LL}. A median cannot be built."
    )
    assert prose.missing_sentence("Median pay", LL, "no data.") == (
        f"Median pay: not shown for {LL}. No data."
    )


def test_notes_under_a_findings_table():
    assert prose.method_note("sum of 8 districts") == "How: sum of 8 districts."
    assert prose.interval_note(LL, 69.1, 72.6, "%", approximate=True) == (
        f"95% confidence interval for {LL}: 69.1% to 72.6% (approximate: pooled from districts)."
    )
    assert prose.interval_note("Blaby", 1.0, 2.0, "%") == (
        "95% confidence interval for Blaby: 1.0% to 2.0%."
    )


def test_district_sentences():
    assert prose.no_district_figures("Median weekly pay") == (
        "No district figures are available for median weekly pay."
    )
    # the aggregation text's own full stop is not doubled inside the brackets
    assert prose.not_combined_note("Exports per head", LL, "Σ exports / Σ population.") == (
        f"Exports per head cannot be combined into one figure for {LL} (Σ exports / Σ population)."
    )
    assert prose.not_combined_note("X", LL, "") == (
        f"X cannot be combined into one figure for {LL} (not aggregable)."
    )
    assert prose.uk_note(712.3, "£", "2024") == "UK: £712.30 (2024)."


def test_summary_fallbacks():
    assert prose.nothing_stands_out("People") == (
        "Every indicator of People read against the nation is in line with it: no strength "
        "or weakness."
    )
    assert prose.nothing_stands_out().startswith("Every indicator read against the nation")
    # nothing read: "not assessed", never "neutral"
    assert prose.nothing_assessed(LL, "Infrastructure") == (
        f"No indicator of Infrastructure could be read against the nation for {LL}: not "
        "assessed (the figures are not published for the area or cannot be built from its "
        "districts)."
    )
    assert "neutral" not in prose.nothing_assessed(LL).lower()
    assert prose.no_indicator(LL) == f"No indicator could be computed for {LL}."


# ---------------------------------------------------------------------------------- analyses


def test_not_computed():
    assert prose.not_computed("the productivity gap", "no hours for the UK.") == (
        "The productivity gap could not be computed: no hours for the UK."
    )


def test_productivity_gap_sentence_and_no_gap():
    s = prose.productivity_gap_sentence(
        year=2022, area_name=LL, benchmark_name="the UK", productivity=34.75,
        benchmark_productivity=39.70, annual_hours=855_906_376.0,
        output_to_close=4.95 * 855_906_376.0, closed=False,
    )  # fmt: skip
    assert s == (
        f"In 2022, {LL} produced £34.75 of GVA per hour worked, £4.95 less than the UK "
        "(£39.70). At the UK's productivity, the 856 million hours worked in the area that "
        "year would have produced about £4.2 billion more output."
    )
    s = prose.productivity_gap_sentence(
        year=2022, area_name="London", benchmark_name="the UK", productivity=52.0,
        benchmark_productivity=39.70, annual_hours=1.0, output_to_close=-12.3, closed=True,
    )  # fmt: skip
    assert s == (
        "In 2022, London's GVA per hour worked (£52.00) was at or above the UK's (£39.70): "
        "there is no gap to close."
    )


def test_decomposition_sentence():
    s = prose.decomposition_sentence(
        year=2022, area_name=LL, benchmark_name="the UK", relative=0.885,
        largest="GVA per hour worked",
    )  # fmt: skip
    assert s == (
        f"In 2022, GVA per head in {LL} was 11.5% below the UK. The chart splits that gap "
        "(in log points × 100, which add up) into its five parts; the largest is GVA per "
        "hour worked."
    )
    assert "product of the five ratios" in prose.DECOMPOSITION_NOTE


def test_no_trend():
    assert prose.no_trend("trend: 3 non-missing point(s)") == (
        "No trend: trend: 3 non-missing point(s)."
    )


def test_jobs_per_resident_note_is_not_commuting():
    s = prose.jobs_per_resident_note(
        area_name=LL, benchmark_name="England", area_ratio=0.996, benchmark_ratio=1.083
    )
    assert s == (
        "Filled jobs per employed resident aged 16-64 is not a commuting ratio: England's own "
        "is 1.08, with no net commuting, because filled jobs count second jobs and people "
        f"working under 16 or over 64. Read {LL}'s 1.00 against 1.08: the difference is net "
        "commuting out of the area together with differences in second jobs and in workers "
        "outside 16-64."
    )
    assert "net commuting into the area" in prose.jobs_per_resident_note(
        area_name="Blaby", benchmark_name="England", area_ratio=1.4, benchmark_ratio=1.08
    )


def test_convergence_sentence():
    s = prose.convergence_sentence(
        n_areas=38, peer_word="LSIP areas", start=2004, end=2022,
        interpretation="Convergence: β = -0.0029.", indicator_name="GVA per hour worked",
        converging=False, sd_start=0.1172, sd_end=0.1109,
    )  # fmt: skip
    assert s == (
        "Across 38 LSIP areas, 2004-2022: Convergence: β = -0.0029. σ-convergence: the "
        "spread of log GVA per hour worked did not fall significantly (standard deviation "
        "0.117 in 2004, 0.111 in 2022)."
    )
    assert "spread of log employment rate fell" in prose.convergence_sentence(
        n_areas=5, peer_word="areas", start=1, end=2, interpretation="",
        indicator_name="Employment rate", converging=True, sd_start=1, sd_end=0.5,
    )  # fmt: skip
    assert prose.no_convergence("too few areas") == "Convergence not estimated: too few areas."


def test_industry_sentences():
    assert prose.industry_benchmark_note("England (excluding 2 districts)").startswith(
        "The benchmark is England (excluding 2 districts): their industry figures are suppressed"
    )
    s = prose.specialisation_sentence(
        year=2023, area_name=LL, benchmark_name="the UK",
        top=[("Manufacturing", 1.4321, 0.1224), ("Public administration", 1.46, 0.067)],
    )  # fmt: skip
    assert s == (
        f"In 2023 {LL} was most specialised, relative to the UK, in manufacturing (LQ 1.43, "
        "12.2% of GVA), public administration (LQ 1.46, 6.7% of GVA)."
    )


def test_shift_share_sentence_says_added_or_subtracted():
    s = prose.shift_share_sentence(
        area_name=LL, start=2013, end=2023, benchmark_name="England", actual=4096.0,
        national=3744.2, mix=-186.1, competitive=-89.1, not_additive=627.0,
    )  # fmt: skip
    assert s == (
        f"Real GVA in {LL} changed by £4,096m from 2013 to 2023 (the published total). Had "
        "every industry grown at England's overall rate it would have changed by £3,744m; "
        "its industry mix subtracted £186m and local performance subtracted £89m; the other "
        "£627m is the published total's change that its industries' chained-volume changes "
        "do not add up to."
    )
    s = prose.shift_share_sentence(
        area_name=LL, start=1, end=2, benchmark_name="the UK", actual=25.0, national=12.5,
        mix=12.5, competitive=0.0,
    )  # fmt: skip
    assert s.endswith("its industry mix added £12m and local performance added £0m.")
    assert "(A7)" in prose.SHIFT_SHARE_NOTE and "published total" in prose.SHIFT_SHARE_NOTE
    assert prose.capital("the UK") == "The UK"


def test_sector_productivity_sentence():
    s = prose.sector_productivity_sentence(
        area_name=LL, year=2023, benchmark_name="the UK", gap=-5862.0, mix=-2956.0,
        within=-3534.0, interaction=629.0, mix_adjusted_index=95.23,
    )  # fmt: skip
    assert s == (
        f"GVA per job in {LL} in 2023 was £5,862 below the UK: industry mix accounts "
        "for \u2212£2,956, productivity within industries for \u2212£3,534 and their "
        "interaction for +£629. Allowing for industry mix, the area's productivity index is "
        "95.2 (the UK = 100)."
    )


# ---------------------------------------------------------------------------------- priorities


def test_headline_sentence_reads_the_outcome_without_ranking_it():
    s = prose.headline_sentence(
        [("GVA per hour worked", "weakness", ["third quartile of 38", "gap widening"]),
         ("Real GVA growth (5-year average)", "in line", [])]
    )  # fmt: skip
    assert s == (
        "Headline productivity, the outcome the foundations drive, is read but not ranked "
        "beside them: GVA per hour worked is a weakness (third quartile of 38; gap widening); "
        "real GVA growth (5-year average) is in line with the nation."
    )


def test_foundation_priorities_sentence_plain_and_markdown():
    kw = dict(foundation="Ideas", need=3.0, weaknesses=["Knowledge-intensive services' share of GVA"],
              stability=0.903, stability_thresholds=1.0, stability_leave_one_out=0.909,
              draws=1000)  # fmt: skip
    assert prose.foundation_priorities_sentence(**kw) == (
        "The foundation most in need of attention is Ideas (need 3.00 thresholds; weaknesses: "
        "knowledge-intensive services' share of GVA). It keeps first place in 100% of the "
        "threshold settings, 91% of the runs leaving one indicator out and 90% of 1,000 draws "
        "moving weights, thresholds and indicators together."
    )
    md = prose.foundation_priorities_sentence(**kw, markdown=True)
    assert md.startswith("The foundation most in need of attention is **Ideas** \\(need")
    bare = prose.foundation_priorities_sentence(
        foundation="People", need=1.2, weaknesses=["A", "B"], stability=None,
        stability_thresholds=None, stability_leave_one_out=None, draws=0,
    )  # fmt: skip
    assert bare.endswith("(need 1.20 thresholds; weaknesses: a and b).")
    assert prose.no_foundation_in_need(LL) == (
        f"No foundation has a weakness against the nation for {LL}: none is ranked by need."
    )


def test_foundation_reading_is_never_neutral():
    assert prose.foundation_reading("not assessed", 0, []) == (
        "not assessed: no indicator could be read against the nation"
    )
    assert prose.foundation_reading("assessed", 4, []) == "no weakness (4 indicators read)"
    assert prose.foundation_reading("assessed", 5, ["Three-year business survival"]) == (
        "weakness: Three-year business survival (of 5 read)"
    )
    assert prose.foundation_reading("assessed", 1, ["A", "B"]).startswith("weaknesses: A and B")
    note = prose.foundation_need_note(draws=1000, factors=(0.5, 1.0, 2.0))
    assert "0.5, 1 and 2" in note and "1,000 draws" in note and "not ranked" in note


def test_sector_priorities_sentence_and_not_scored():
    s = prose.sector_priorities_sentence(
        area_name=LL, criteria=["lq", "growth"], draws=1000, kendall_tau=0.812,
        top=[("Warehousing, postal and courier", 2.45, 4.79), ("Education", 1.22, math.nan)],
    )  # fmt: skip
    assert s == (
        "On specialisation and real growth together, each shrunk toward the national figure "
        f"for small industries, the leading sector opportunities for {LL} are warehousing, "
        "postal and courier (LQ 2.45, real growth +4.8% a year); education (LQ 1.22). Median "
        "Kendall's τ between the declared ranking and 1,000 redrawn ones: 0.81."
    )
    assert prose.not_scored("sector priorities", "no GVA by industry") == (
        "Sector priorities not scored: no GVA by industry."
    )
    note = prose.sector_score_note(min_share=1.0, half_share=2.0)
    assert "under 1% of the area's GVA are not scored" in note and "share + 2%" in note


def test_specialisms_sentence_and_note():
    s = prose.specialisms_sentence(
        area_name=LL, year=2023, level="36 industries", benchmark_name="England (excluding 4 districts)",
        top=[("Food, drink, textiles and clothing manufacturing", "CA-CB (10-15)", 3.211, 5.56, "Melton"),
             ("Warehousing, postal and courier", "52-53", 2.45, 4.88, None)],
    )  # fmt: skip
    assert s == (
        f"At the finest industry level published (36 industries), {LL}'s largest specialisms "
        "in 2023, against England (excluding 4 districts), are food, drink, textiles and "
        "clothing manufacturing (SIC CA-CB (10-15); LQ 3.21, 5.6% of GVA; most specialised in "
        "Melton) and warehousing, postal and courier (SIC 52-53; LQ 2.45, 4.9% of GVA)."
    )
    none = prose.specialisms_sentence(area_name=LL, year=2023, level="18 SIC sections",
                                      benchmark_name="the UK", top=[])  # fmt: skip
    assert none.endswith(
        "has no industry with a location quotient of 1.25 or more and 1% of its GVA in 2023."
    )
    note = prose.specialisms_note(benchmark_name="England (excluding 4 districts)",
                                  growth_period="2018-2023", growth_benchmark="England (excluding 5 districts)",
                                  employment=False)  # fmt: skip
    assert "imputed rental left out" in note and "2018-2023" in note and "(BRES)" in note
    assert "(BRES)" not in prose.specialisms_note(benchmark_name="the UK", growth_period="x",
                                                  growth_benchmark=None, employment=True)  # fmt: skip


def test_is8_sentence_never_calls_an_unmeasurable_sector_weak():
    s = prose.is8_sentence(
        area_name=LL, year=2023,
        measured=[("Financial Services", "under-represented", 0.441, 4.5, True),
                  ("Professional and Business Services", "about the national share", 0.83, 10.7, False),
                  ("Creative Industries", "partly measured: too little of the definition to judge", 0.11, 0.19, False)],
        not_measurable=["Clean Energy Industries", "Defence"],
    )  # fmt: skip
    assert s == (
        "In 2023, measured from the industry groups published for its districts: Financial "
        "Services: under-represented (exact; LQ 0.44, 4.5% of GVA); Professional and Business "
        "Services: about the national share (approximate; LQ 0.83, 10.7% of GVA); Creative "
        "Industries: partly measured: too little of the definition to judge. Clean Energy Industries and Defence "
        "cannot be measured from these SIC data (no SIC code captures them, or their codes "
        f"are small parts of larger groups): this says nothing about their strength in {LL}."
    )
    assert "weak" not in s
    notes = prose.is8_notes(benchmark_name="England", overlaps={"58-60": ["Creative Industries",
                            "Digital and Technologies"]}, edition="SIC 2007", published="2025-06-23",
                            growth_period="2018-2023")  # fmt: skip
    assert notes[1] == "Sectors overlap and are never summed: no total is given."
    assert notes[2] == "58-60 counts in Creative Industries and Digital and Technologies."
    assert "SIC 2007" in notes[0] and "2025-06-23" in notes[0]


# ---------------------------------------------------------------------------------- evidence


def test_evidence_sentences():
    assert prose.no_responses_sentence("call_for_evidence", "data/raw/evidence") == (
        "No call for evidence responses were found in data/raw/evidence. Put the responses "
        "there (CSV or XLSX, or Markdown submissions; see docs/evidence.md) and run lis run again."
    )
    assert prose.no_responses_headline("call_for_evidence") == (
        "No call for evidence responses were found."
    )
    assert prose.no_responses_sentence("consultation", "a_b", markdown=True).startswith(
        "No consultation responses were found in `a_b`\\. Put the responses there"
    )
    assert prose.call_for_evidence_sentence(145, 70) == (
        "145 responses from 70 respondents were coded to the Foundations of Productivity and "
        "the Grand Challenges by the taxonomy in lis_analysis/data/taxonomy.yaml."
    )
    assert prose.call_for_evidence_sentence(1, 1, markdown=True).endswith(
        "by the taxonomy in `lis_analysis/data/taxonomy.yaml`\\."
    )


def test_consultation_sentence_escapes_priority_names_in_markdown():
    lead = {"priority": "Skills <b>now</b>", "agree_pct": 81.2, "agree_lower_pct": 76.0,
            "agree_upper_pct": 85.4, "net_agreement": 75.3}  # fmt: skip
    low = {"priority": "Clean growth", "agree_pct": 59.0, "net_agreement": 35.0}
    plain = prose.consultation_sentence(n_respondents=300, lead=lead, low=low)
    assert plain == (
        "300 people and organisations responded. Support was strongest for Skills <b>now</b> "
        "(81% agreed, 95% interval 76-85%; net agreement +75) and weakest for Clean growth "
        "(59% agreed; net +35)."
    )
    md = prose.consultation_sentence(n_respondents=300, lead=lead, low=low, markdown=True)
    assert "**Skills &lt;b&gt;now&lt;\\/b&gt;** \\(81\\%" in md and "<b>" not in md
    assert "**AGREEMENT" not in md and "(A16)" in prose.AGREEMENT_NOTE


def test_consideration_sentences():
    assert prose.consideration_sentence(7, 3) == (
        "The consideration log covers 7 points; 3 need attention (no response yet, or raised "
        "but not in the log)."
    )
    assert "; **3 need attention** \\(" in prose.consideration_sentence(7, 3, markdown=True)
    assert prose.no_consideration_log().startswith("No consideration log was found")


# ---------------------------------------------------------------------------------- caveats


def test_caveat_items_escape_the_text():
    assert prose.caveat_md("A7", "Current prices include inflation", "GVA *per* hour.") == (
        "- **A7 Current prices include inflation.** GVA \\*per\\* hour\\."
    )
    assert prose.indicator_caveat_md("GVA per hour worked", "Smoothed.") == (
        "- **GVA per hour worked.** Smoothed\\."
    )
    assert prose.caveats_md([]) == "No caveats recorded."
    assert prose.caveats_md(["- a", "- b"]) == "- a\n- b"


def test_provenance_lines():
    md = prose.provenance_md(
        run_id=None, generated="2026-12-01T10:00:00Z", git_commit="0123456789abcdef",
        package_version="0.1.0", parameters={"area": "E37000021", "years": [2004, 2022]},
    )  # fmt: skip
    assert md.splitlines() == [
        "Run (interactive session), 2026-12-01T10:00:00Z; code 0123456789ab, lis_analysis 0.1.0.",
        "",
        "Parameters: area = 'E37000021', years = [2004, 2022].",
    ]
    assert "code not a git checkout, lis_analysis v.\n\nParameters: none." in prose.provenance_md(
        run_id="r1", generated="t", git_commit=None, package_version="v", parameters={}
    )


class TestPartsSentences:
    """The sentences of an area shown from its parts (issue 14), one per form."""

    def test_a_median_with_bracket_and_estimate(self):
        said = prose.parts_sentence(
            name="Median weekly pay (workplace)",
            area_name="Leicester and Leicestershire",
            unit="£",
            period="2024",
            parts=[("Leicestershire County", 574.9), ("Leicester", 529.8)],
            bracket=(529.8, 574.9),
            estimate=563.22,
            benchmark=("the UK", 613.3),
            lowest=("Oadby and Wigston", 451.1),
            highest=("Blaby", 614.5),
            n_districts=8,
        )
        assert said == (
            "No single figure of median weekly pay (workplace) exists for Leicester and "
            "Leicestershire: none is published for the area, and a median cannot be built "
            "from its districts' figures. Published for its parts in 2024: Leicestershire "
            "County £574.90 and Leicester £529.80; the UK's figure: £613.30. The area's median "
            "lies between its parts' medians, £529.80 to £574.90; estimated from the mixture "
            "of the parts' published distributions, weighted by their numbers of jobs: "
            "£563.22. Its 8 districts range from £451.10 (Oadby and Wigston) to £614.50 (Blaby)."
        )

    def test_a_median_without_an_estimate_says_why(self):
        said = prose.parts_sentence(
            name="Median weekly pay (residence)", area_name="X", unit="£", period="2025",
            parts=[("A", 1.0), ("B", 2.0)], decimals=1, bracket=(1.0, 2.0),
            no_estimate="the file prints no percentiles",
        )  # fmt: skip
        assert said.endswith("£1.0 to £2.0 (no estimate: the file prints no percentiles).")

    def test_beside_the_area_figure_with_its_most_deprived_part(self):
        said = prose.parts_sentence(
            name="Index of Multiple Deprivation, average score", area_name="X", unit="score",
            period="2025", parts=[("Leicestershire County", 12.81), ("Leicester", 34.449)],
            has_value=True, worst=("Leicester", 34.449), worst_word="most deprived",
        )  # fmt: skip
        assert said == (
            "Its parts in 2025: Leicestershire County 12.8 and Leicester 34.4. "
            "The most deprived part is Leicester (34.4)."
        )

    def test_figures_computed_from_published_ones_are_not_called_published(self):
        said = prose.parts_sentence(
            name="Workplace minus residence median pay", area_name="X", unit="£",
            period="2024", parts=[("A", -27.7), ("B", 12.3)], decimals=1, published=False,
        )  # fmt: skip
        assert "For its parts in 2024: A -£27.7 and B £12.3." in said
        assert "Published" not in said

    def test_proper_names_keep_their_capitals(self):
        said = prose.parts_sentence(
            name="GVA per hour", area_name="X", unit="£", period="2023", parts=[("A", 1.0)]
        )
        assert said.startswith("No single figure of GVA per hour exists for X")
        said = prose.parts_sentence(
            name="Index of Multiple Deprivation, average score", area_name="X", unit="",
            period="2025", parts=[("A", 1.0)],
        )  # fmt: skip
        assert said.startswith("No single figure of Index of Multiple Deprivation")

    def test_a_unit_is_not_a_proper_name(self):
        said = prose.parts_sentence(
            name="Premises without broadband above 30 Mbit/s", area_name="X", unit="%",
            period="2026-01-01", parts=[("A", 1.3)],
        )  # fmt: skip
        assert said.startswith("No single figure of premises without broadband above 30 Mbit/s")

    def test_short_and_values(self):
        assert prose.parts_value(8.01, "ratio", 2) == "8.01"
        assert prose.parts_value(88.5, "% of premises", 1) == "88.5%"
        assert prose.short_parts_sentence(
            "Gigabit", [("A", 88.5), ("B", 97.6)], "%", "2026-01-01"
        ) == ("Gigabit: no single figure; for its parts, A 88.5% and B 97.6% (January 2026).")
        assert prose.vintage_note("from A; B could not be used.") == (
            "Release: from A; B could not be used."
        )
