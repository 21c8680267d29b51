"""The page object (lis_analysis.pages.page) on the demonstrator: each method displays its
part and returns what it showed; the page gathers its caveats; it writes nothing."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from IPython.display import Markdown

from lis_analysis.analyses import productivity_gap
from lis_analysis.pages import prose
from lis_analysis.pages.display import ShownDict, ShownFrame
from lis_analysis.pages.tables import HTMLTable
from lis_analysis.safetext import escape_markdown

LL = "Leicester and Leicestershire"


def texts(shown) -> list[str]:
    return [o.data for o in shown if isinstance(o, Markdown)]


def test_finding_shows_heading_sentence_charts_and_table_and_returns_its_rows(page, shown):
    rows = page.finding("gva_per_hour")
    assert isinstance(rows, ShownFrame) and isinstance(rows, pd.DataFrame)
    assert set(rows["indicator_id"]) == {"gva_per_hour"} and len(rows) >= 4
    md = texts(shown)
    assert md[0] == "### GVA per hour worked"
    assert md[1] == escape_markdown(page.sentence("gva_per_hour"))
    assert page.sentence("gva_per_hour").startswith(f"GVA per hour worked in {LL} was £")
    kinds = [type(o).__name__ for o in shown]
    assert kinds.count("Chart") == 2 and kinds[-1] == "HTMLTable"  # benchmarks, trend, table
    table = shown[-1]
    assert table.caption.startswith(f"GVA per hour worked (£), {LL}, ")
    assert list(table.data.columns) == [
        "Compared with", "Area value", "Benchmark value", "Index (benchmark = 100)", "Gap",
        "Significant",
    ]  # fmt: skip
    assert page.indicators_shown == ["gva_per_hour"] and page.results["finding"] is not None


def test_a_median_is_shown_from_its_parts_with_bracket_and_estimate(page, shown):
    rows = page.finding("median_pay_residence")
    assert set(rows["basis"]) == {"estimate"}
    md = texts(shown)
    said = page.sentence("median_pay_residence")
    assert md[1] == escape_markdown(said)
    assert said.startswith(
        f"No single figure of median weekly pay (residence) exists for {LL}: none is "
        "published for the area, and a median cannot be built from its districts' figures."
    )
    assert "The area's median lies between its parts' medians" in said
    assert f"Median weekly pay (residence) in {LL} was an estimated £" in said
    tables = [o for o in shown if isinstance(o, HTMLTable)]
    parts = tables[-1]
    assert parts.caption.startswith(f"Median weekly pay (residence) (£): the parts of {LL}, ")
    roles = list(parts.data["Role"])
    # the demonstrator prints no counties: the fewest published parts are the 8 districts
    assert roles.count("part") == 8 and "estimate (mixture of the parts)" in roles
    assert "labelled an estimate, not a published figure" in parts.markup
    assert page.short("median_pay_residence").startswith(
        "Median weekly pay (residence): estimated £"
    )


def test_an_indicator_with_no_single_figure_shows_its_parts(page, shown):
    rows = page.finding("gigabit_coverage")
    assert rows.empty
    said = page.sentence("gigabit_coverage")
    assert said.startswith(
        f"No single figure of gigabit-capable broadband coverage exists for {LL}"
    )
    assert "Published for its parts in" in said and "[x]" not in said
    (table,) = [o for o in shown if isinstance(o, HTMLTable)]
    assert table.caption.startswith(
        f"Gigabit-capable broadband coverage (% of premises): the parts of {LL}"
    )
    assert page.short("gigabit_coverage").startswith(
        "Gigabit-capable broadband coverage: no single figure; for its parts, "
    )


def test_an_indicator_the_area_cannot_have_shows_why(page, shown):
    rows = page.finding("exports_per_head")
    assert rows.empty
    md = texts(shown)
    assert md[1].startswith("Exports per head\\: not shown for")


def test_the_analyses_return_the_frames_of_lis_analysis_analyses(page, shown):
    gap = page.productivity_gap()
    assert isinstance(gap, ShownFrame)
    expected = productivity_gap(page.area, page.ctx)
    pd.testing.assert_frame_equal(pd.DataFrame(gap), expected)
    (said,) = texts(shown)
    assert said == escape_markdown(
        prose.productivity_gap_sentence(
            area_name=LL,
            **{
                k: expected.iloc[0][k]
                for k in (
                    "year",
                    "benchmark_name",
                    "productivity",
                    "benchmark_productivity",
                    "annual_hours",
                    "output_to_close",
                    "closed",
                )
            },  # fmt: skip
        )
    )
    dec = page.gva_per_head_decomposition()
    assert list(dec["factor"])[-1] == "gva_per_head"
    lq = page.industry_structure()
    assert {"industry", "industry_name", "lq"} <= set(lq.columns) and lq.attrs["year"]
    ss = page.shift_share(years=5)
    assert ss.attrs["end"] - ss.attrs["start"] == 5
    sp = page.sector_productivity()
    assert sp.iloc[0]["gap"] == pytest.approx(
        sp.iloc[0]["mix"] + sp.iloc[0]["within"] + sp.iloc[0]["interaction"]
    )
    out = page.trend_and_convergence("gva_per_hour")
    assert isinstance(out, ShownDict) and {"series", "trend"} <= set(out)
    assert page.analyses_shown == [
        "productivity_gap", "gva_per_head_decomposition", "industry_structure",
        "shift_share", "sector_productivity", "trend_and_convergence",
    ]  # fmt: skip


def test_an_analysis_the_data_cannot_support_says_why_in_one_sentence(page, shown, monkeypatch):
    from lis_analysis import analyses
    from lis_analysis.errors import DataNotAvailable

    def missing(*a, **k):
        raise DataNotAvailable("it needs chained-volume GVA by industry")

    monkeypatch.setattr(analyses, "shift_share", missing)
    assert page.shift_share() is None
    assert texts(shown) == [
        escape_markdown(
            "The shift-share of real GVA growth could not be computed: it needs chained-volume "
            "GVA by industry."
        )
    ]


def test_caveats_are_those_of_what_the_page_showed(page, shown):
    page.finding("gva_per_hour")
    page.productivity_gap()
    page.strengths_and_weaknesses("Productivity")
    shown.clear()
    got = page.caveats()
    # findings A1 A12 A14; GVA per hour A3 A7 A8; the gap A3; strengths A15; demo A13
    assert list(got["id"]) == [
        "A1", "A3", "A7", "A8", "A12", "A13", "A14", "A15", "gva_per_hour",
    ]  # fmt: skip
    (md,) = texts(shown)
    assert md.startswith("- **A1 Areas are built from districts")
    assert md.splitlines()[-1].startswith("- **GVA per hour worked.** Current prices")


def test_a_page_that_showed_nothing_has_no_caveats_but_the_demonstrators(
    demo_parts, shared_results, shown
):
    from lis_analysis.pages import Page

    area, params, ctx, manifest = demo_parts
    pg = Page(area, params=params, ctx=ctx, manifest=manifest, cache=shared_results)
    assert pg.caveats().empty and texts(shown) == ["No caveats recorded."]
    pg = Page(area, params=params, ctx=ctx, cache=shared_results, demo=True)
    assert list(pg.caveats()["id"]) == ["A13"]


def test_summary_reports_the_headline_and_the_foundations_findings(page, shown):
    out = page.summary("Productivity", headline_indicator="gva_per_hour")
    assert isinstance(out, ShownDict)
    assert out["headline"] == page.sentence("gva_per_hour")
    a = page.assessment[page.assessment["group"] == "Productivity"]
    strengths = a.loc[a["classification"] == "strength", "indicator_id"]
    assert out["strengths"] == [page.short(i) for i in strengths]
    (payload,) = [o for o in shown if isinstance(o, dict)]
    assert payload["application/vnd.lis.summary+json"]["headline"] == out["headline"]


def test_a_page_without_indicators_reports_its_own_lead(page, shown):
    page.consultation()
    out = page.summary()
    # the consultation's own sentence, plain (no Markdown), not an indicator's
    assert re.match(
        r"\d+ people and organisations responded\. Support was strongest for [^*]", out["headline"]
    )
    assert out["strengths"] == out["weaknesses"] == out["neutral"] == []


def test_header_and_sources(page, shown):
    said = page.header("Is the gap closing?")
    assert said["area_name"] == LL and said["demo"] is True and len(said["district_names"]) == 8
    assert texts(shown)[0].startswith("**Question.** Is the gap closing?")
    src = page.sources("Productivity")
    assert isinstance(src, ShownFrame) and (src["Figures read"] > 0).all()
    # the files of the foundation's indicators, and of what those are built from
    assert "Subregional productivity" in " ".join(src["Table"])
    assert len(page.sources()) >= len(src)  # every file


def test_a_returned_frame_is_not_shown_twice_in_the_cell_that_made_it(page, shown, monkeypatch):
    from lis_analysis.pages import display

    monkeypatch.setattr(display, "_execution_count", lambda: 7)
    rows = page.finding("gva_per_hour")
    n = len(shown)
    rows._ipython_display_()  # the cell's value: already on the page
    assert len(shown) == n
    monkeypatch.setattr(display, "_execution_count", lambda: 8)
    rows._ipython_display_()  # a later cell: an ordinary DataFrame
    assert len(shown) == n + 1 and type(shown[-1]) is pd.DataFrame
    assert type(rows.head()) is pd.DataFrame  # what is derived from it is plain


def test_the_page_writes_nothing(page, shown, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    page.finding("employment_rate")
    page.caveats()
    assert not list(tmp_path.iterdir())
    assert page.cache.folder is None


# ---------------------------------------------------------------------------------- readings


def test_a_size_is_a_share_of_the_nation_never_an_index(page, shown):
    rows = page.finding("filled_jobs")
    s = page.sentence("filled_jobs")
    assert re.search(r"Filled jobs in .* were [\d,]+ jobs in \d{4}, \d+\.\d% of the UK's\.$", s)
    assert "below" not in s and "above" not in s
    (table,) = [o for o in shown if isinstance(o, HTMLTable)]
    assert "Area as % of benchmark" in table.data.columns
    assert "Index (benchmark = 100)" not in table.data.columns and "Gap" not in table.data.columns
    # no bar against benchmarks that hold the area
    assert [type(o).__name__ for o in shown].count("Chart") == 0
    assert len(rows)


def test_a_spread_is_compared_with_the_peers_median_only(page, shown):
    rows = page.finding("productivity_spread")
    assert set(rows["benchmark_kind"]) <= {"peers", "neighbours"}
    a = page.reading("productivity_spread")
    assert a["benchmark_code"] == "peers" and a["benchmark_name"].startswith("the median of")


def test_rates_are_compared_in_points_without_an_index(page, shown):
    page.finding("employment_rate")
    table = [o for o in shown if isinstance(o, HTMLTable)][-1]
    assert "Index (benchmark = 100)" not in table.data.columns
    assert "Gap (percentage points)" in table.data.columns


def test_the_sentence_follows_the_reading(page):
    """'above'/'below' only when the reading found the gap material (and significant);
    'similar to' otherwise; the label and the trend words are the reading's."""
    for iid in ("gva_per_hour", "employment_rate", "business_birth_rate", "survival_3yr"):
        a = page.reading(iid)
        if a is None or a["classification"] not in ("strength", "weakness", "in line"):
            continue
        s = page.sentence(iid)
        material = abs(a["gap"]) >= a["materiality"] and a["significant"] is not False
        assert ("similar to" in s) == (not material), (iid, s)
        if a["classification"] in ("strength", "weakness"):
            assert f": a {a['classification']}" in s
        if isinstance(a["trend"], str):
            verb = {"gap widening": "widened", "gap narrowing": "narrowed",
                    "lead growing": "grown", "lead shrinking": "shrunk"}[a["trend"]]  # fmt: skip
            assert verb in s and str(int(a["trend_from"])) in s
        for word in ("improving", "worsening"):
            assert word not in s


def test_strengths_and_weaknesses_table_reads_every_indicator_of_the_group(page, shown):
    a = page.strengths_and_weaknesses("Productivity")
    assert set(a["group"]) == {"Productivity"} and len(a)
    table = [o for o in shown if isinstance(o, HTMLTable)][-1]
    assert list(table.data.columns) == [
        "Indicator", "Reading", "Compared with", "Gap", "Tags", "Direction of travel", "Why",
    ]  # fmt: skip
    assert set(table.data["Reading"]) <= {
        "Strength",
        "Weakness",
        "In line",
        "Context",
        "Not assessed",
    }
    assert "Neutral" not in set(table.data["Reading"])


def test_a_group_with_nothing_read_is_not_assessed_never_neutral(page, shown, monkeypatch):
    from lis_analysis import notebook

    got = {}
    monkeypatch.setattr(notebook, "summary", lambda **kw: got.update(kw))
    a = page.assessment.copy()
    a.loc[a["group"] == "Infrastructure", "classification"] = "not assessed"
    monkeypatch.setattr(type(page), "assessment", property(lambda self: a))
    out = page.summary("Infrastructure")
    assert out["neutral"] == [] and out["strengths"] == [] and out["weaknesses"] == []
    assert out["not_assessed"] == [prose.nothing_assessed(page.area.name, "Infrastructure")]
    assert got["not_assessed"] == out["not_assessed"]


def test_the_trend_of_the_gap_is_said_once_in_the_readings_words(page, shown):
    out = page.trend_and_convergence("gva_per_hour")
    a = page.reading("gva_per_hour")
    said = [o.data for o in shown if isinstance(o, Markdown)]
    if pd.notna(a["trend_start"]):
        assert said[0] == escape_markdown(page.sentence("gva_per_hour").split(". ")[-1]) or (
            str(int(a["trend_start"])) in said[0]
        )
    assert "trend" in out


def test_findings_follow_the_registry_leaving_out_what_is_shown_elsewhere(page, shown):
    """The overview's other headline indicators: every Productivity indicator of the
    registry but the two shown above them, so a new one appears without a notebook edit."""
    from lis_analysis.indicators.registry import load_registry

    rows = page.findings("Productivity", exclude=["gva_per_hour", "gva_per_hour_index"])
    expected = [
        i.id
        for i in load_registry().values()
        if i.group == "Productivity" and i.id not in {"gva_per_hour", "gva_per_hour_index"}
    ]
    assert page.indicators_shown == expected
    assert set(rows["indicator_id"]) <= set(expected) and "gva_per_hour" not in set(
        rows["indicator_id"]
    )
