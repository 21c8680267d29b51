"""Round trips of the ASHE demonstrator writers through the ASHE parsers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from lis_analysis.demo.fmt_ashe import file_name, write_ashe_table7, write_ashe_table8
from lis_analysis.demo.world import LABEL
from lis_analysis.sources import detect
from lis_analysis.sources._base import tidy
from lis_analysis.sources.ashe import PERCENTILES, AsheResidence, AsheWorkplace

AREAS = [
    ("K02000001", "United Kingdom"),
    ("E12000004", "East Midlands"),
    ("E06000016", "Leicester UA"),
    ("E07000129", "Blaby"),
]
KEY = ["geography_code", "measure", "breakdown", "period"]


def obs(dataset="ons_ashe_workplace", year=2024, stem="weekly_pay_gross"):
    rows = []
    for b, breakdown in enumerate(("All", "Female Part-Time")):
        for k, (code, name) in enumerate(AREAS):
            base = 500.0 + 10 * k - 200 * b
            vals = {
                "jobs": 100.0 + k,
                "median": base,
                "median_change": 5.5 - k,
                "mean": base * 1.15,
                "mean_change": -0.3,
            }
            vals.update({f"p{p}": round(base * p / 50, 1) for p in PERCENTILES})
            for m, v in vals.items():
                rows.append((f"{stem}_{m}", code, name, breakdown, v, None))
    df = pd.DataFrame(
        rows,
        columns=["measure", "geography_code", "geography_name", "breakdown", "value", "status"],
    )
    return tidy(
        **{c: df[c].to_numpy() for c in df.columns},
        dataset=dataset,
        period=str(year),
        year=year,
        industry="Total",
    )


def flag(df, code, measure, breakdown, status, keep_value=False):
    df = df.copy()
    hit = (df.geography_code == code) & (df.measure == measure) & (df.breakdown == breakdown)
    df.loc[hit, "status"] = status
    if not keep_value:
        df.loc[hit, "value"] = np.nan
    return df


def norm(df):
    cols = [*KEY, "geography_name", "value", "status"]
    return df[cols].astype({"status": "object"}).sort_values(KEY).reset_index(drop=True)


def check_round_trip(before, after):
    a, b = norm(before), norm(after)
    pd.testing.assert_frame_equal(
        a.drop(columns=["value", "status"]), b.drop(columns=["value", "status"])
    )
    assert np.allclose(a.value, b.value, equal_nan=True, rtol=0, atol=1e-9)
    assert a.status.fillna("").tolist() == b.status.fillna("").tolist()


def test_table7_round_trip_with_markers_and_cv_bands(tmp_path):
    before = obs()
    before = flag(before, "E07000129", "weekly_pay_gross_p90", "All", "x")
    before = flag(before, "E06000016", "weekly_pay_gross_p10", "All", "cv_10_20", keep_value=True)
    before = flag(before, "E06000016", "weekly_pay_gross_median", "All", "cv_5_10", keep_value=True)
    # A whole row disclosive ('..' printed once in the jobs column).
    for m in before[before.breakdown == "Female Part-Time"].measure.unique():
        before = flag(before, "E07000129", m, "Female Part-Time", "..")
    # A blank annual change: not published, not emitted.
    before = before[
        ~(
            (before.geography_code == "E06000016")
            & (before.measure == "weekly_pay_gross_mean_change")
            & (before.breakdown == "All")
        )
    ]
    path = write_ashe_table7(before, tmp_path / file_name("7", "weekly_pay_gross", 2024))
    assert path.name == "PROV - Work Geography Table 7.1a   Weekly pay - Gross 2024.xlsx"
    parser = detect(path)
    assert isinstance(parser, AsheWorkplace)
    after = parser.parse(path)
    check_round_trip(before, after)
    assert set(after.release) == {"2024-10-29"}


def test_table8_round_trip(tmp_path):
    before = flag(obs("ons_ashe_residence", 2023), "E12000004", "weekly_pay_gross_jobs", "All", "-")
    path = write_ashe_table8(before, tmp_path / file_name("8", "weekly_pay_gross", 2023))
    assert isinstance(detect(path), AsheResidence)
    after = detect(path).parse(path)
    check_round_trip(before, after)
    assert set(after.dataset) == {"ons_ashe_residence"} and set(after.period) == {"2023"}


def test_annual_pay_and_label(tmp_path):
    before = obs(stem="annual_pay_gross")
    path = write_ashe_table7(before, tmp_path / file_name("7", "annual_pay_gross", 2024))
    assert "Table 7.7a   Annual pay - Gross" in path.name
    check_round_trip(before, AsheWorkplace().parse(path))
    book = CalamineWorkbook.from_path(str(path))
    assert LABEL in book.get_sheet_by_name("All").to_python()[0][0]


def test_writer_refuses_mixed_input(tmp_path):
    two = pd.concat([obs(), obs(year=2023)], ignore_index=True)
    with pytest.raises(ValueError, match="one year per ASHE workbook"):
        write_ashe_table7(two, tmp_path / "x.xlsx")
    with pytest.raises(ValueError, match="one ASHE table per workbook"):
        write_ashe_table7(pd.concat([obs(), obs(stem="annual_pay_gross")]), tmp_path / "x.xlsx")
