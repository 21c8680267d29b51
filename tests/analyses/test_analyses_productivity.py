"""The productivity analyses (lis_analysis.analyses.productivity) on hand-made districts
worked by hand, and on the real published files against the publisher's cells."""

from __future__ import annotations

import numpy as np
import pytest

from lis_analysis.analyses import (
    WEEKS_A_YEAR,
    gap_trend,
    gva_per_head_decomposition,
    gva_per_head_inputs,
    productivity_gap,
)
from lis_analysis.errors import ConfigError, DataNotAvailable
from lis_analysis.methods import InsufficientData
from tests.analyses.economy import D1, D2, D3, D4, UK, X, make_context, rows


def productivity(years=(2021, 2022), uk_hours=True):
    """GVA per hour and weekly hours: D1 £30 on 100 h, D2 £40 on 300 h (the area: Σ GVA /
    Σ hours = (3,000 + 12,000) / 400 = £37.50); the UK prints £50 on 1,000 h."""
    gph = {(c, y): v for y in years for c, v in ((D1, 30), (D2, 40), (D3, 50), (D4, 60), (UK, 50))}
    hours = {(c, y): v for y in years for c, v in ((D1, 100), (D2, 300), (D3, 200), (D4, 400))}
    if uk_hours:
        hours |= {(UK, y): 1000 for y in years}
    return [
        rows("ons_productivity_lad", "gva_per_hour", gph),
        rows("ons_productivity_lad", "hours_weekly", hours),
    ]


def test_productivity_gap_is_the_gap_per_hour_times_a_years_hours():
    gap = productivity_gap(X, make_context(*productivity()))
    g = gap.iloc[0]
    assert len(gap) == 1 and g["year"] == 2022 and g["benchmark_code"] == UK
    assert g["productivity"] == pytest.approx(37.5)  # not the mean of the ratios, 35
    assert g["benchmark_productivity"] == 50.0 and g["gap_per_hour"] == pytest.approx(-12.5)
    assert g["weekly_hours"] == 400.0 and g["annual_hours"] == 400 * 52
    assert g["output_to_close"] == pytest.approx(12.5 * 400 * 52)  # £260,000 a year
    assert not g["closed"] and g["benchmark_name"] == "the UK"


def test_productivity_gap_takes_the_latest_year_both_have():
    frames = productivity(years=(2021,))
    frames.append(
        rows("ons_productivity_lad", "gva_per_hour", {(c, 2022): 45 for c in (D1, D2, UK)})
    )
    assert productivity_gap(X, make_context(*frames)).iloc[0]["year"] == 2021  # 2022 has no hours


def test_productivity_gap_without_a_benchmark_says_why():
    frames = [rows("ons_productivity_lad", "hours_weekly", {(D1, 2022): 1, (D2, 2022): 1})]
    with pytest.raises(DataNotAvailable, match="GVA per hour worked or hours worked per week"):
        productivity_gap(X, make_context(*frames))


def test_the_decomposition_converts_every_input_into_its_unit(monkeypatch):
    """£ million -> £, weekly hours -> a year, percentages -> fractions: the ratios use
    the converted inputs (here from a stand-in for the six indicators)."""
    from lis_analysis.analyses import productivity as mod

    values = {
        X.code: dict(gva_total=50.0, hours_worked=400.0, filled_jobs=1000.0,
                     employment_rate=75.0, working_age_share=60.0, population=2000.0),
        UK: dict(gva_total=200.0, hours_worked=1000.0, filled_jobs=4000.0,
                 employment_rate=80.0, working_age_share=62.5, population=8000.0),
    }  # fmt: skip
    ctx = make_context(*productivity())
    monkeypatch.setattr(mod, "benchmark_area", lambda area, ctx, needs: ctx.geo.area(UK))
    monkeypatch.setattr(mod, "latest_common", lambda ctx, ids, areas: (2022, values))
    inputs = gva_per_head_inputs(X, ctx)
    assert inputs.attrs["year"] == 2022 and list(inputs.index) == [X.code, UK]
    own = inputs.loc[X.code]
    assert own["gva"] == 50e6 and own["hours"] == 400 * WEEKS_A_YEAR
    assert own["working_age_population"] == pytest.approx(1200.0)  # 60% of 2,000
    assert own["employed_residents"] == pytest.approx(900.0)  # 75% of 1,200
    dec = gva_per_head_decomposition(X, ctx)
    rel = dec.set_index("factor")["relative"]
    # GVA per head: (50e6 / 2,000) / (200e6 / 8,000) = 1; productivity: 125,000/20,800 ÷ ...
    assert rel["gva_per_head"] == pytest.approx(1.0)
    assert rel["productivity"] == pytest.approx((50e6 / 20800) / (200e6 / 52000))
    assert rel["hours_per_job"] == pytest.approx((20800 / 1000) / (52000 / 4000))
    assert rel["jobs_per_employed_resident"] == pytest.approx((1000 / 900) / (4000 / 4000))
    assert rel["employment_rate"] == pytest.approx(0.75 / 0.80)
    assert rel["working_age_share"] == pytest.approx(0.60 / 0.625)
    assert np.prod(rel.drop("gva_per_head")) == pytest.approx(rel["gva_per_head"])


def test_a_unit_the_decomposition_does_not_know_is_an_error(monkeypatch):
    from dataclasses import replace

    ctx = make_context(*productivity())
    reg = dict(ctx.registry)
    reg["gva_total"] = replace(reg["gva_total"], unit="£ billion")
    ctx.registry = reg
    with pytest.raises(ConfigError, match="declared in '£ billion'"):
        gva_per_head_inputs(X, ctx)


def test_gap_trend_needs_five_years():
    frames = productivity(years=(2020, 2021, 2022))
    # ONS prints the UK's index (UKX = 100), as the real tables do
    frames.append(
        rows(
            "ons_productivity_lad", "gva_per_hour_index", {(UK, y): 100 for y in (2020, 2021, 2022)}
        )
    )
    with pytest.raises(InsufficientData):
        gap_trend(X, make_context(*frames), "gva_per_hour")
    years = tuple(range(2015, 2023))
    frames = productivity(years=years)
    # the area falls one index point a year against the UK's £50: 75, 74, ..., 68
    idx = {(c, y): v for y in years for c, v in ((X.code, 75 - (y - 2015)), (UK, 100))}
    frames.append(rows("ons_productivity_lad", "gva_per_hour_index", idx))
    series, t = gap_trend(X, make_context(*frames), "gva_per_hour")
    assert set(series["indicator_id"]) == {"gva_per_hour_index"}
    assert t.slope == pytest.approx(-1.0) and t.n == 8


@pytest.mark.shared
def test_productivity_gap_on_the_published_files(public_store):
    """L&L 2022: £34.745876 an hour (Σ A3 × hours / Σ hours over the eight districts) against
    the UK's £39.70 (row UKX), on 16,459,738 hours a week ('Productivity Hours'),
    labourproductivitylocalauthorities.xls, June 2024 (tests/reference)."""
    from lis_analysis.indicators.engine import Context

    obs, geo = public_store
    gap = productivity_gap(geo.area("E37000021"), Context(obs, geo)).iloc[0]
    assert gap["year"] == 2022
    assert gap["productivity"] == pytest.approx(34.745876, abs=5e-6)
    assert gap["benchmark_productivity"] == pytest.approx(39.70, abs=5e-3)
    assert gap["weekly_hours"] == pytest.approx(16459738, abs=0.5)
    expected = (39.70 - 34.745876) * 16459738 * 52  # £4.24 billion a year
    assert gap["output_to_close"] == pytest.approx(expected, rel=2e-4)
