"""The vectorised forms the indicator engine runs (``index_gap``, ``krugman_indices``,
``cagr_array``) against the documented scalar forms, case by case: the same figure where
the scalar form gives one, NaN where it refuses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lis_analysis.methods import (
    MethodError,
    cagr,
    cagr_array,
    cagr_between,
    index_and_gap,
    index_gap,
    krugman_index,
    krugman_indices,
)

TOL = 1e-12


# --------------------------------------------------------------------------------------
# index and gap
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,benchmark",
    [(34.75, 39.70), (45.0, 60.0), (60.0, 45.0), (0.0, 10.0), (-3.0, 2.0), (5.0, 5.0)],
)
def test_index_gap_is_index_and_gap(value, benchmark):
    idx, gap = index_gap(value, benchmark)
    t = index_and_gap(value, benchmark).iloc[0]
    assert idx[0] == t["index"] and gap[0] == t["gap"]
    assert idx[0] == pytest.approx(100 * value / benchmark, rel=TOL)


@pytest.mark.parametrize(
    "value,benchmark,why",
    [(5.0, 0.0, "zero"), (5.0, -2.0, "negative"), (5.0, np.nan, "missing"), (np.nan, 5.0, "")],
)
def test_index_gap_edges_match_the_table(value, benchmark, why):
    idx, gap = index_gap(value, benchmark)
    t = index_and_gap(value, benchmark).iloc[0]
    assert np.isnan(idx[0]) and np.isnan(t["index"])
    assert (np.isnan(gap[0]) and np.isnan(t["gap"])) or gap[0] == t["gap"]


def test_index_gap_broadcasts_like_the_engine_uses_it():
    # one area value against several benchmarks (UK, England, region, peers' median)
    idx, gap = index_gap(34.75, [39.70, 38.9, np.nan, 0.0])
    assert idx[:2] == pytest.approx([100 * 34.75 / 39.70, 100 * 34.75 / 38.9], rel=TOL)
    assert np.isnan(idx[2:]).all() and gap[3] == 34.75 and np.isnan(gap[2])


# --------------------------------------------------------------------------------------
# Krugman
# --------------------------------------------------------------------------------------

SECTIONS = list("ABCDE")


def _long(table: dict[tuple[str, int], list[float]]) -> pd.DataFrame:
    rows = [
        (area, year, ind, v)
        for (area, year), values in table.items()
        for ind, v in zip(SECTIONS, values, strict=True)
    ]
    return pd.DataFrame(rows, columns=["area", "year", "industry", "value"])


CASES = {
    ("UK", 2021): [10.0, 20.0, 30.0, 25.0, 15.0],
    ("UK", 2022): [12.0, 18.0, 30.0, 25.0, 15.0],
    ("A", 2021): [40.0, 5.0, 5.0, 45.0, 5.0],
    ("A", 2022): [30.0, 10.0, 10.0, 40.0, 10.0],
    ("B", 2021): [1.0, 2.0, 3.0, 2.5, 1.5],  # the UK's structure: 0
    ("C", 2022): [0.0, 0.0, 0.0, 0.0, 100.0],
}


def test_krugman_indices_equal_the_scalar_index_for_every_area_and_year():
    d = _long(CASES)
    k = krugman_indices(
        d["area"], d["year"], d["industry"], d["value"], benchmark="UK", complete=5
    ).set_index(["area", "period"])
    for (area, year), values in CASES.items():
        expected = krugman_index(
            pd.Series(values, index=SECTIONS), pd.Series(CASES[("UK", year)], index=SECTIONS)
        )
        assert k.loc[(area, year), "krugman"] == pytest.approx(expected, abs=TOL), (area, year)
        assert k.loc[(area, year), "n_industries"] == 5
    assert k.loc[("B", 2021), "krugman"] == pytest.approx(0.0, abs=TOL)


def test_krugman_indices_give_nan_where_the_scalar_index_refuses():
    cases = dict(CASES)
    cases[("A", 2022)] = [30.0, np.nan, 10.0, 40.0, 10.0]  # a suppressed section
    cases[("D", 2022)] = [0.0, 0.0, 0.0, 0.0, 0.0]  # a zero total
    d = _long(cases)
    k = krugman_indices(
        d["area"], d["year"], d["industry"], d["value"], benchmark="UK", complete=5
    ).set_index(["area", "period"])
    with pytest.raises(MethodError):
        krugman_index(
            pd.Series(cases[("A", 2022)], index=SECTIONS),
            pd.Series(CASES[("UK", 2022)], index=SECTIONS),
        )
    with pytest.raises(MethodError):
        krugman_index(
            pd.Series(cases[("D", 2022)], index=SECTIONS),
            pd.Series(CASES[("UK", 2022)], index=SECTIONS),
        )
    assert np.isnan(k.loc[("A", 2022), "krugman"]) and np.isnan(k.loc[("D", 2022), "krugman"])
    assert k.loc[("A", 2021), "krugman"] == pytest.approx(
        krugman_index(
            pd.Series(CASES[("A", 2021)], index=SECTIONS),
            pd.Series(CASES[("UK", 2021)], index=SECTIONS),
        )
    )


def test_krugman_indices_skip_periods_the_benchmark_lacks_and_say_which_rows_belong():
    d = _long(
        {
            ("UK", 2021): CASES[("UK", 2021)],
            ("A", 2021): CASES[("A", 2021)],
            ("A", 2020): CASES[("A", 2021)],
        }
    )
    k = krugman_indices(d["area"], d["year"], d["industry"], d["value"], benchmark="UK")
    assert set(zip(k["area"], k["period"], strict=True)) == {("A", 2021), ("UK", 2021)}
    group = k.attrs["group"]
    assert (group[d["year"].to_numpy() == 2020] == -1).all()
    assert len(group) == len(d) and set(group[group >= 0]) == {0, 1}


# --------------------------------------------------------------------------------------
# CAGR
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start,end,years",
    [(100.0, 121.0, 2), (29968.0, 33342.0, 1), (50.0, 25.0, 5), (100.0, 0.0, 3), (1.0, 1.0, 7)],
)
def test_cagr_array_is_cagr(start, end, years):
    assert cagr_array(start, end, years)[0] == pytest.approx(cagr(start, end, years), abs=TOL)


@pytest.mark.parametrize(
    "start,end,years",
    [
        (0.0, 5.0, 2),
        (-1.0, 5.0, 2),
        (5.0, -1.0, 2),
        (np.nan, 5.0, 2),
        (5.0, np.nan, 2),
        (5.0, 6.0, 0),
    ],
)
def test_cagr_array_is_nan_where_cagr_refuses(start, end, years):
    with pytest.raises(MethodError):
        cagr(start, end, years)
    assert np.isnan(cagr_array(start, end, years)[0])


def test_cagr_array_over_a_panel_matches_cagr_between():
    panel = pd.DataFrame({2015: [100.0, 50.0], 2020: [130.0, 40.0]}, index=["A", "B"])
    t = cagr_between(panel, 2015, 2020)
    got = cagr_array(panel[2015], panel[2020], 5)
    assert got == pytest.approx(t["cagr"].to_numpy(), abs=TOL)
