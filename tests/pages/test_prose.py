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


def test_indicator_sentence_with_uk_significance_rank_and_trend():
    s = prose.indicator_sentence(
        name="Employment rate (16-64)",
        area_name=LL,
        value=70.84,
        unit="%",
        period="2023-01-01/P1Y",
        uk_value=74.41,
        significant=True,
        rank=10,
        n_areas=10,
        peer_word="LSIP areas",
        trend="worsening",
    )
    assert s == (
        f"Employment rate (16-64) in {LL} was 70.8% in 2023, 3.6 percentage points below the "
        "UK (74.4%); the difference is statistically significant. It ranks 10th of 10 LSIP "
        "areas (1st is best). Relative to the UK it has been worsening over the last ten "
        "years (a statistically significant trend)."
    )


def test_indicator_sentence_without_comparison_uses_declared_decimals():
    s = prose.indicator_sentence(
        name="Productivity spread between districts",
        area_name=LL,
        value=1.3247,
        unit="highest ÷ lowest",
        period="2022",
        decimals=2,
        trend="no significant trend",
    )
    assert s == f"Productivity spread between districts in {LL} was 1.32 highest ÷ lowest in 2022."


def test_indicator_sentence_not_significant():
    s = prose.indicator_sentence(
        name="GVA per hour worked", area_name=LL, value=34.75, unit="£", period="2022",
        decimals=2, uk_value=39.70, significant=False,
    )  # fmt: skip
    assert s == (
        f"GVA per hour worked in {LL} was £34.75 in 2022, 12.5% below the UK (£39.70); the "
        "difference is not statistically significant."
    )


def test_short_sentence():
    assert (
        prose.short_sentence(name="Employment rate (16-64)", value=70.84, unit="%",
                             period="2023", uk_value=74.41)
        == "Employment rate (16-64): 70.8% in 2023, 3.6 percentage points below the UK."
    )  # fmt: skip
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
        "No indicator in People stands out from the peer areas."
    )
    assert prose.nothing_stands_out() == "No indicator stands out from the peer areas."
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
        f"In 2022, GVA per head in {LL} was -11.5% against the UK. The chart splits that gap "
        "(in log points × 100, which add up) into its five parts; the largest is GVA per "
        "hour worked."
    )
    assert "product of the five ratios" in prose.DECOMPOSITION_NOTE


def test_gap_trend_sentence_and_no_trend():
    s = prose.gap_trend_sentence(
        start=2004, end=2022, area_name=LL, indicator_name="GVA per hour worked",
        slope=-0.0625, ci_lower=-0.09, ci_upper=-0.03, significant=True,
    )  # fmt: skip
    assert s == (
        f"From 2004 to 2022 {LL}'s GVA per hour worked relative to the UK moved by -0.06 "
        "index points a year (95% CI -0.09 to -0.03, Newey-West): the gap widened on "
        "average, a statistically significant trend."
    )
    s = prose.gap_trend_sentence(
        start=2004, end=2022, area_name=LL, indicator_name="Employment rate",
        slope=0.2, ci_lower=-0.1, ci_upper=0.5, significant=False,
    )  # fmt: skip
    assert "+0.20 index points" in s and "narrowed on average, not a statistically" in s
    assert prose.no_trend("trend: 3 non-missing point(s)") == (
        "No trend: trend: 3 non-missing point(s)."
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
        area_name=LL, start=2013, end=2023, benchmark_name="the UK", actual=1967.2,
        national=1561.0, mix=-5.8, competitive=411.0,
    )  # fmt: skip
    assert s == (
        f"Real GVA in {LL} changed by £1,967m from 2013 to 2023. Had it grown at the UK's "
        "rate it would have changed by £1,561m; its industry mix added £-6m and local "
        "performance added £411m."
    )
    assert "local performance subtracted £25m." in prose.shift_share_sentence(
        area_name=LL, start=1, end=2, benchmark_name="England", actual=0, national=12.5,
        mix=12.5, competitive=-25.0,
    )  # fmt: skip
    assert "(A7)" in prose.SHIFT_SHARE_NOTE


def test_sector_productivity_sentence():
    s = prose.sector_productivity_sentence(
        area_name=LL, year=2023, benchmark_name="the UK", gap=-5862.0, mix=-2956.0,
        within=-3534.0, interaction=629.0, mix_adjusted_index=95.23,
    )  # fmt: skip
    assert s == (
        f"GVA per job in {LL} in 2023 was \u2212£5,862 against the UK: industry mix accounts "
        "for \u2212£2,956, productivity within industries for \u2212£3,534 and their "
        "interaction for +£629. Allowing for industry mix, the area's productivity index is "
        "95.2 (the UK = 100)."
    )


# ---------------------------------------------------------------------------------- priorities


def test_foundation_priorities_sentence_plain_and_markdown():
    kw = dict(foundation="Places", score=-2.5, weakest="GVA per head spread between districts",
              stability=0.59, draws=1000)  # fmt: skip
    assert prose.foundation_priorities_sentence(**kw) == (
        "The foundation most in need of attention is Places (score -2.50; weakest indicator "
        "GVA per head spread between districts). It keeps first place in 59% of 1,000 "
        "redraws of the weights."
    )
    md = prose.foundation_priorities_sentence(**kw, markdown=True)
    assert md.startswith("The foundation most in need of attention is **Places** \\(score")


def test_sector_priorities_sentence_and_not_scored():
    s = prose.sector_priorities_sentence(
        area_name=LL, criteria=["lq", "growth"], draws=1000, kendall_tau=0.812,
        top=[("Manufacturing", 1.43, 0.6), ("Education", 1.22, math.nan)],
    )  # fmt: skip
    assert s == (
        f"On lq, growth together, the leading sector opportunities for {LL} are "
        "manufacturing (LQ 1.43, real growth +0.6% a year); education (LQ 1.22). Median "
        "Kendall's τ between the declared ranking and 1,000 redrawn ones: 0.81."
    )
    assert prose.not_scored("sector priorities", "no GVA by industry") == (
        "Sector priorities not scored: no GVA by industry."
    )


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
