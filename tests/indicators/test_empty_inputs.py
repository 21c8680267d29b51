"""Every indicator kind on empty or partial inputs: no row and a stated reason, never an
exception.

The real pack once failed in all ten notebooks because a share's UK denominator had rows
but no values (the UK has no figure for a share built from English districts only). Each
case below is hand-made: two districts with the published measures an indicator needs,
minus the piece under test (an empty numerator, a denominator with only markers, a
missing benchmark, a missing year).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lis_analysis.geography import Area, Geography
from lis_analysis.indicators import compute, table
from lis_analysis.sources._base import tidy

D1, D2 = "E07000129", "E07000130"
AREA = Area("X01", "Two districts", "custom", (D1, D2))


def _rows(dataset, measure, values, *, year=2022, industry="Total", status=None):
    codes = list(values)
    return tidy(
        dataset=dataset,
        measure=measure,
        geography_code=codes,
        geography_name=codes,
        year=year,
        period=str(year),
        value=[values[c] for c in codes],
        industry=industry,
        breakdown="All",
        status=status,
    )


def _geo(obs: pd.DataFrame) -> Geography:
    return Geography.build(pd.DataFrame(), obs, specs={})


def _check_empty(indicator: str, obs: pd.DataFrame, reason: str) -> None:
    geo = _geo(obs)
    res = compute(indicator, [AREA], obs=obs, geo=geo)
    assert res.empty, res
    tab = table(AREA, obs=obs, geo=geo, indicators=[indicator], benchmarks=("uk",))
    assert indicator not in set(tab["indicator_id"])
    why = tab.attrs["missing"][indicator]
    assert isinstance(why, str) and reason in why, why


GVA = "ons_gva_industry_lad"
POP = "ons_population_la"
PROD = "ons_productivity_lad"


def test_measure_without_its_measure():
    # hours are published but GVA per hour is not
    obs = _rows(PROD, "hours_weekly", {D1: 100.0, D2: 300.0})
    _check_empty(
        "gva_per_hour",
        obs,
        "no data loaded for els_gross_value_added, ons_productivity_itl, ons_productivity_lad",
    )


def test_ratio_with_an_empty_numerator():
    obs = _rows(POP, "population", {D1: 1000.0, D2: 3000.0})
    _check_empty("gva_per_head", obs, "no data loaded for its numerator: ons_gva_industry_lad")


def test_ratio_whose_denominator_has_only_markers():
    obs = pd.concat(
        [
            _rows(GVA, "gva_current", {D1: 10.0, D2: 30.0}),
            _rows(POP, "population", {D1: np.nan, D2: np.nan}, status=["x", "x"]),
        ]
    )
    _check_empty("gva_per_head", obs, "incomplete")


def test_share_whose_total_has_no_values():
    # every knowledge-intensive section published, the total suppressed
    parts = [
        _rows(GVA, "gva_current", {D1: 1.0, D2: 2.0}, industry=i)
        for i in ("J (58-63)", "K (64-66)", "M (69-75)")
    ]
    total = _rows(GVA, "gva_current", {D1: np.nan, D2: np.nan}, status=["c", "c"])
    _check_empty("knowledge_intensive_share", pd.concat([*parts, total]), "incomplete")


def test_share_without_its_sections():
    obs = _rows(GVA, "gva_current", {D1: 10.0, D2: 30.0})
    geo = _geo(obs)
    assert compute("knowledge_intensive_share", [AREA], obs=obs, geo=geo).empty


def test_difference_with_one_side_missing():
    obs = _rows("els_gross_median_weekly_pay", "median_weekly_pay_workplace", {AREA.code: 600.0})
    geo = _geo(obs)
    assert compute("pay_gap_workplace_residence", [AREA], obs=obs, geo=geo).empty


def test_index_without_a_uk_figure():
    # district figures but nothing for the UK benchmark the index divides by: the UK is
    # built from the lookups' districts, and here the data cover only two of them
    obs = pd.concat(
        [
            _rows(PROD, "gva_per_hour", {D1: 30.0, D2: 40.0}),
            _rows(PROD, "hours_weekly", {D1: 100.0, D2: 300.0}),
        ]
    )
    geo = Geography.build(
        pd.DataFrame(
            {
                "relation": ["lad_to_region"] * 3,
                "child_code": [D1, D2, "E07000131"],
                "child_name": ["Blaby", "Charnwood", "Harborough"],
                "parent_code": ["E12000004"] * 3,
                "parent_name": ["East Midlands"] * 3,
                "source_file": ["lookup.csv"] * 3,
            }
        ),
        obs,
        specs={},
    )
    res = compute("gva_per_hour_index", [AREA], obs=obs, geo=geo)
    assert res["value"].isna().all()


def test_growth_without_its_start_year():
    obs = _rows(GVA, "gva_cvm", {D1: 10.0, D2: 30.0}, year=2022)
    _check_empty("real_gva_growth", obs, "Real GVA growth")


def test_spread_with_a_district_missing():
    obs = pd.concat(
        [
            _rows(PROD, "gva_per_hour", {D1: 30.0}),
            _rows(PROD, "hours_weekly", {D1: 100.0}),
        ]
    )
    geo = _geo(obs)
    assert compute("productivity_spread", [AREA], obs=obs, geo=geo).empty


def test_specialisation_without_a_benchmark():
    # sections for the area's districts but no nation to compare them with
    obs = _rows(GVA, "gva_current", {D1: 10.0, D2: 30.0}, industry="C (10-33)")
    geo = Geography(
        areas_by_code={
            AREA.code: AREA,
            D1: Area(D1, D1, "lad", (D1,)),
            D2: Area(D2, D2, "lad", (D2,)),
        },
        names={},
    )
    assert compute("industry_specialisation", [AREA], obs=obs, geo=geo).empty


@pytest.mark.parametrize(
    "indicator",
    ["gva_per_hour", "gva_per_head", "knowledge_intensive_share", "real_gva_growth",
     "gva_per_hour_index", "productivity_spread", "industry_specialisation",
     "pay_gap_workplace_residence"],
)  # fmt: skip
def test_no_observations_at_all(indicator):
    obs = _rows(GVA, "gva_current", {D1: 1.0, D2: 2.0}).iloc[0:0]
    geo = Geography(areas_by_code={AREA.code: AREA}, names={})
    assert compute(indicator, [AREA], obs=obs, geo=geo).empty
