"""House charts: palette, alt text written from the data, one accessible <img> per chart."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from lis_analysis.pages import charts

LL = "Leicester and Leicestershire"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def indicator_table(values=(35.2, 41.0, 31.5, 33.0, 34.1), polarity="higher") -> pd.DataFrame:
    """A hand-written indicator table: L&L against UK/England/East Midlands, and 4 peers."""
    names = [LL, "Coast to Capital", "Black Country", "Greater Lincolnshire", "D2N2"]
    codes = ["E37000021", "E37000001", "E37000002", "E37000003", "E37000004"]
    rows = []
    for code, name, v in zip(codes, names, values, strict=True):
        bms = (
            [("K02000001", 39.1), ("E92000001", 40.0), ("E12000004", 33.9)]
            if code == "E37000021"
            else [("K02000001", 39.1)]
        )
        for bcode, bval in bms:
            rows.append(
                {
                    "area_code": code,
                    "area_name": name,
                    "indicator_id": "gva_per_hour",
                    "indicator_name": "GVA per hour worked",
                    "foundation": "Business environment",
                    "period": "2022",
                    "value": v,
                    "unit": "£ per hour",
                    "ci_lower": v - 1.1,
                    "ci_upper": v + 1.1,
                    "benchmark_code": bcode,
                    "benchmark_value": bval,
                    "index": 100 * v / bval,
                    "gap": v - bval,
                    "significant": True,
                    "rank": 3,
                    "n_peers": 5,
                    "polarity": polarity,
                    "source": "ONS Subregional productivity, June 2024",
                }
            )
    return pd.DataFrame(rows)


class _Imgs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.imgs: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.imgs.append(dict(attrs))


def imgs(markup: str) -> list[dict[str, str | None]]:
    p = _Imgs()
    p.feed(markup)
    return p.imgs


def test_palette_is_the_analysis_function_categorical_palette():
    assert charts.CATEGORICAL == ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
    assert charts.FOCUS == "#12436D"


def test_benchmark_bar_alt_text_names_indicator_area_values_and_comparison():
    c = charts.benchmark_bar(indicator_table(), "gva_per_hour")
    alt = c.alt_text
    assert "GVA per hour worked" in alt
    assert LL in alt
    assert "£35.20" in alt and "£39.10" in alt
    assert "10.0% below the UK" in alt  # 35.2 / 39.1 - 1 = -9.97%
    assert "statistically significant" in alt
    assert "95% confidence interval £34.10 to £36.30" in alt
    assert "ranks 3rd of 5" in alt
    assert c.png.startswith(PNG_SIGNATURE)
    assert c.width == 800 and c.height > 200
    assert "Image" not in alt.split()  # never a generic word


def test_alt_text_follows_the_data():
    a = charts.benchmark_bar(indicator_table(), "gva_per_hour").alt_text
    b = charts.benchmark_bar(
        indicator_table(values=(45.0, 41.0, 31.5, 33.0, 34.1)), "gva_per_hour"
    ).alt_text
    assert a != b
    assert "£45.00" in b and "above the UK" in b


def test_benchmark_bar_highlights_the_named_area_and_draws_benchmarks_as_bars():
    c = charts.benchmark_bar(indicator_table(), "gva_per_hour", area="E37000004")
    assert c.alt_text.split(".")[1].strip().startswith("D2N2")
    kinds = dict(zip(c.data["Area"], c.data["Type"], strict=True))
    assert kinds["D2N2"] == "Area" and kinds[LL] == "Peer"
    assert kinds["UK"] == kinds["England"] == kinds["East Midlands"] == "Benchmark"


def test_unknown_indicator_and_missing_columns_are_clear_errors():
    with pytest.raises(ValueError, match="no rows for indicator 'nope'.*gva_per_hour"):
        charts.benchmark_bar(indicator_table(), "nope")
    with pytest.raises(ValueError, match="no column\\(s\\) value"):
        charts.benchmark_bar(indicator_table().drop(columns="value"), "gva_per_hour")
    with pytest.raises(ValueError, match="area 'E99' is not in the data"):
        charts.benchmark_bar(indicator_table(), "gva_per_hour", area="E99")


def test_rank_dot_respects_polarity():
    higher = charts.rank_dot(indicator_table(), "gva_per_hour")
    assert f"{LL} ranks 2nd of 5" in higher.alt_text  # 41.0 > 35.2 > ...
    lower = charts.rank_dot(indicator_table(polarity="lower"), "gva_per_hour")
    assert f"{LL} ranks 4th of 5" in lower.alt_text
    assert "1st is the lowest and best" in lower.alt_text
    assert list(lower.data["Area"])[0] == "Black Country"


def series() -> pd.DataFrame:
    rows = []
    for area, start, growth in [(LL, 28.0, 0.03), ("UK", 31.0, 0.02)]:
        for i, year in enumerate(range(2012, 2023)):
            v = start * (1 + growth) ** i
            rows.append(
                {
                    "area_name": area,
                    "period": year,
                    "value": v,
                    "unit": "£ per hour",
                    "ci_lower": v - 1 if area == LL else np.nan,
                    "ci_upper": v + 1 if area == LL else np.nan,
                    "indicator_name": "GVA per hour worked",
                }
            )
    return pd.DataFrame(rows)


def test_trend_alt_text_describes_the_change_and_the_gap():
    c = charts.trend(series())
    alt = c.alt_text
    assert alt.startswith("Line chart of GVA per hour worked from 2012 to 2022.")
    assert f"{LL} rose from £28.00 per hour to £37.63 per hour (+34.4%)" in alt
    assert "The UK rose from £31.00 per hour" in alt
    assert "the gap narrowed" in alt
    assert c.note and "confidence" in c.note
    assert list(c.data.columns) == ["Period", LL, "UK"]


def test_trend_rejects_more_series_than_the_palette():
    df = pd.DataFrame({"area_name": [f"A{i}" for i in range(7)], "period": 2020, "value": 1.0})
    with pytest.raises(ValueError, match="at most 6 series"):
        charts.trend(df)


def test_waterfall_alt_text_lists_signed_contributions_and_total():
    comp = pd.DataFrame(
        {
            "component": ["Productivity", "Hours per worker", "Employment rate"],
            "contribution": [-8.1, 0.4, -2.0],
        }
    )
    c = charts.waterfall(comp, title="Gap in GVA per head to the UK, 2022")
    alt = c.alt_text
    assert "Gap in GVA per head to the UK, 2022" in alt
    assert "\u22129.7 percentage points" in alt
    assert "Productivity \u22128.1" in alt and "Hours per worker +0.4" in alt
    assert "largest contribution is Productivity" in alt
    assert list(c.data["Component"]) == [
        "Productivity",
        "Hours per worker",
        "Employment rate",
        "Total",
    ]


def lq_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "industry": ["Manufacturing", "Logistics", "Finance", "Health"],
            "lq": [1.85, 1.30, 0.55, 0.98],
            "employment": [61000, 42000, 9000, 60000],
            "growth": [1.5, 6.2, 0.4, -3.1],
            "area_name": LL,
            "period": 2023,
        }
    )


def test_lq_charts_name_the_specialisms_with_sizes():
    bar = charts.lq_bar(lq_frame())
    assert "Manufacturing 1.85 (61,000 jobs)" in bar.alt_text
    assert "2 of 4 industries have a location quotient above 1" in bar.alt_text
    bubble = charts.lq_bubble(lq_frame())
    assert "2 industries are both specialised" in bubble.alt_text
    assert "Manufacturing (LQ 1.85, 61,000 jobs)" in bubble.alt_text


def test_strengths_are_labelled_in_words():
    scores = pd.DataFrame(
        {
            "indicator_name": ["Gigabit coverage", "GVA per hour worked", "Employment rate"],
            "z": [1.5, -1.4, 0.2],
            "area_name": LL,
        }
    )
    c = charts.strengths_chart(scores)
    assert "1 strength: Gigabit coverage (+1.5)" in c.alt_text
    assert "1 weakness: GVA per hour worked (\u22121.4)" in c.alt_text
    assert dict(zip(c.data["Indicator"], c.data["Classification"], strict=True)) == {
        "Gigabit coverage": "Strength",
        "GVA per hour worked": "Weakness",
        "Employment rate": "Neutral",
    }


def test_strengths_chart_uses_the_one_rule_not_a_copy(monkeypatch):
    """Without a classification column each score is classified by
    methods.classify_position (the rule of docs/methods.md), with the chart's threshold
    as the rule's strong threshold; with one, the given labels are drawn as they are."""
    from lis_analysis.methods import classify_position

    zs = [1.0, 0.99, -1.0, -0.99, 0.5, -0.5]
    scores = pd.DataFrame({"indicator_name": [f"i{k}" for k in range(6)], "z": zs})
    got = charts.strengths_chart(scores).data.set_index("Indicator")["Classification"]
    assert [got[f"i{k}"] for k in range(6)] == [classify_position(z).label.capitalize() for z in zs]
    got = charts.strengths_chart(scores, threshold=2.0).data.set_index("Indicator")
    assert set(got["Classification"]) == {"Neutral"}
    # the assessment's own labels (z 0.7 with a significant benchmark difference) win
    given = pd.DataFrame({"indicator_name": ["a"], "z": [0.7], "classification": ["strength"]})
    assert charts.strengths_chart(given).data["Classification"].tolist() == ["Strength"]
    calls = []
    import lis_analysis.pages.charts as mod

    monkeypatch.setattr(
        mod, "classify_position", lambda z, **kw: calls.append(z) or classify_position(z, **kw)
    )
    charts.strengths_chart(scores)
    assert sorted(calls) == sorted(zs)


def test_indicator_label_is_the_table_name_else_the_registry_name():
    assert charts.indicator_label("gva_per_hour") == "GVA per hour worked"
    assert charts.indicator_label("x", pd.DataFrame({"indicator_name": ["Named"]})) == "Named"
    assert charts.indicator_label("not_an_indicator") == "Not an indicator"


def test_rank_distribution_reports_median_and_top_share():
    draws = pd.DataFrame(
        [
            {"priority": "Advanced manufacturing", "draw": d, "rank": 1 if d % 10 else 2}
            for d in range(100)
        ]
        + [{"priority": "Logistics", "draw": d, "rank": 2 if d % 10 else 1} for d in range(100)]
        + [{"priority": "Space", "draw": d, "rank": 3 + d % 2} for d in range(100)]
    )
    c = charts.rank_distribution(draws, top=1)
    assert "3 candidate priorities across 100 sensitivity draws" in c.alt_text
    assert "Advanced manufacturing: median rank 1, in the top 1 in 90% of draws" in c.alt_text
    assert (
        c.alt_text.index("Advanced manufacturing")
        < c.alt_text.index("Logistics")
        < c.alt_text.index("Space")
    )


def test_display_offers_one_image_whose_alt_is_the_alt_text():
    from IPython.core.formatters import DisplayFormatter

    c = charts.benchmark_bar(indicator_table(), "gva_per_hour")
    data, _meta = DisplayFormatter().format(c)
    # no image/png: the notebook stores the picture once, nbconvert writes one <img>
    assert set(data) == {"text/html", "text/plain"}
    found = imgs(data["text/html"])
    assert len(found) == 1
    assert found[0]["alt"] == c.alt_text
    assert found[0]["src"].startswith("data:image/png;base64,")
    assert (found[0]["width"], found[0]["height"]) == (str(c.width), str(c.height))
    assert "<figcaption" in data["text/html"] and "<caption>" in data["text/html"]
    assert c.alt_text in data["text/plain"]


def test_alt_text_is_escaped_in_html():
    t = indicator_table()
    t.loc[t["area_code"] == "E37000021", "area_name"] = 'Brighton & "Hove" <East>'
    c = charts.benchmark_bar(t, "gva_per_hour", area="E37000021")
    assert 'Brighton & "Hove" <East>' in c.alt_text
    assert html.escape('Brighton & "Hove" <East>', quote=True) in c.to_html()
    assert imgs(c.to_html())[0]["alt"] == c.alt_text


def test_charts_do_not_leave_figures_open_and_render_reproducibly():
    import matplotlib.pyplot as plt

    before = len(plt.get_fignums())
    first = [charts.benchmark_bar(indicator_table(), "gva_per_hour") for _ in range(5)]
    assert len(plt.get_fignums()) == before
    assert len({c.png for c in first}) == 1  # same data, same bytes


def test_save_writes_the_png(tmp_path):
    c = charts.lq_bar(lq_frame())
    out = c.save(tmp_path / "figs" / "lq.png")
    assert out.read_bytes() == c.png
    assert [p.name for p in out.parent.iterdir()] == ["lq.png"]


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (35.2, "£ per hour", "£35.20 per hour"),
        (28400, "£", "£28,400"),
        (1234.5, "£m", "£1,234m"),
        (-3.25, "%", "-3.2%"),
        (12.0, "percent", "12.0%"),
        (61000, "jobs", "61,000 jobs"),
        (104.9, "index (UK=100)", "104.9"),
        (float("nan"), "%", "not available"),
        (None, "£", "not available"),
    ],
)
def test_format_value(value, unit, expected):
    assert charts.format_value(value, unit) == expected


def test_compare_phrase_uses_percentage_points_for_rates():
    assert (
        charts.compare_phrase(74.0, 75.5, "England", "%") == "1.5 percentage points below England"
    )
    assert charts.compare_phrase(110.0, 100.0, "UK", "£") == "10.0% above the UK"
    assert (
        charts.ordinal(11) == "11th"
        and charts.ordinal(22) == "22nd"
        and charts.ordinal(103) == "103rd"
    )
