"""The districts side by side (lis_analysis.analyses.districts), on hand-made districts."""

from __future__ import annotations

import pytest

from lis_analysis.analyses import district_profile, district_values, latest_values
from tests.analyses.economy import D1, D2, X, make_context, rows


def pay():
    """Median weekly pay (a median: never combined): D1 £600 (2023), £620 (2024); D2 £650
    (2023 only)."""
    cells = {(D1, 2023): 600, (D1, 2024): 620, (D2, 2023): 650}
    return rows("ons_ashe_residence", "weekly_pay_gross_median", cells)


def test_each_district_in_its_own_latest_year():
    got = district_values(X, make_context(pay()), "median_pay_residence").set_index("area_code")
    assert got.loc[D1, "year"] == 2024 and got.loc[D1, "value"] == 620
    assert got.loc[D2, "year"] == 2023 and got.loc[D2, "value"] == 650
    assert got.loc[D1, "area_name"] == "One" and got.loc[D2, "area_name"] == "Two"


def test_no_district_value_gives_an_empty_frame():
    got = district_values(X, make_context(pay()), "employment_rate")
    assert got.empty and "area_name" in got.columns


def test_profile_is_one_row_per_district_one_column_per_indicator():
    ctx = make_context(pay())
    df = district_profile(X, ctx, ["median_pay_residence"])
    assert list(df.columns) == ["District", "Median weekly pay (residence) (£)"]
    assert (
        df.loc[D1, "Median weekly pay (residence) (£)"] == 620 and df.loc[D1, "District"] == "One"
    )
    assert latest_values(ctx, "median_pay_residence", [X]).empty  # a median is never built


@pytest.mark.parametrize("missing", ["employment_rate"])
def test_profile_of_an_indicator_no_district_has(missing):
    df = district_profile(X, make_context(pay()), ["median_pay_residence", missing])
    assert df[df.columns[-1]].isna().all()
