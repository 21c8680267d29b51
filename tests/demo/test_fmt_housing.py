"""Round trip of the housing affordability demonstrator writer through its parser."""

from __future__ import annotations

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from lis_analysis.demo.fmt_housing import write_affordability
from lis_analysis.demo.world import LABEL
from lis_analysis.sources import detect
from lis_analysis.sources._base import geography_level, tidy
from lis_analysis.sources.housing import HousingAffordability

AREAS = [
    ("K04000001", "England and Wales"),
    ("E92000001", "England"),
    ("E12000004", "East Midlands"),
    ("E10000018", "Leicestershire"),
    ("E06000016", "Leicester"),
    ("E07000131", "Harborough"),
]
KEY = ["geography_code", "measure", "period"]


def obs():
    rows = []
    for k, (code, name) in enumerate(AREAS):
        for stat, f in (("median", 1.0), ("lower_quartile", 0.65)):
            ratios = []
            for y in range(2018, 2025):
                price = round(200000 * f + 5000 * k + 1000 * (y - 2018))
                earn = round(30000 * f + 300 * k + 500 * (y - 2018))
                ratio = round(price / earn, 2)
                missing = code == "E07000131" and y == 2018 and stat == "median"
                rows.append((f"house_price_{stat}", code, name, str(y), y, float(price), None))
                rows.append(
                    (
                        f"earnings_{stat}",
                        code,
                        name,
                        str(y),
                        y,
                        np.nan if missing else float(earn),
                        "[x]" if missing else None,
                    )
                )
                rows.append(
                    (
                        f"affordability_ratio_{stat}",
                        code,
                        name,
                        str(y),
                        y,
                        np.nan if missing else ratio,
                        "[x]" if missing else None,
                    )
                )
                if y >= 2020:
                    ratios.append(ratio)
            rows.append(
                (
                    f"affordability_ratio_{stat}_5yr_average",
                    code,
                    name,
                    "2020-2024",
                    2024,
                    round(sum(ratios) / 5, 2),
                    None,
                )
            )
    df = pd.DataFrame(
        rows,
        columns=[
            "measure",
            "geography_code",
            "geography_name",
            "period",
            "year",
            "value",
            "status",
        ],
    )
    return tidy(
        **{c: df[c].to_numpy() for c in df.columns},
        geography_level=df.geography_code.map(geography_level).to_numpy(),
        dataset="ons_housing_affordability",
    )


def norm(df):
    return (
        df[[*KEY, "geography_name", "value", "status", "year"]]
        .astype({"status": "object"})
        .sort_values(KEY)
        .reset_index(drop=True)
    )


def test_round_trip(tmp_path):
    before = obs()
    path = write_affordability(
        before,
        tmp_path / "ratioofhousepricetoworkplacebasedearnings-demo.xlsx",
        regions={
            "E06000016": ("E12000004", "East Midlands"),
            "E07000131": ("E12000004", "East Midlands"),
        },
    )
    assert isinstance(detect(path), HousingAffordability)
    after = detect(path).parse(path)
    a, b = norm(before), norm(after)
    pd.testing.assert_frame_equal(
        a.drop(columns="status"), b.drop(columns="status"), check_dtype=False
    )
    assert a.status.fillna("").tolist() == b.status.fillna("").tolist()


def test_layout(tmp_path):
    path = write_affordability(
        obs(),
        tmp_path / "ratioofhousepricetoworkplacebasedearnings.xlsx",
        regions={"E06000016": ("E12000004", "East Midlands")},
    )
    book = CalamineWorkbook.from_path(str(path))
    assert {"1a", "1c", "2c", "3c", "5a", "5c", "6c"} <= set(book.sheet_names)
    c5 = book.get_sheet_by_name("5c").to_python()
    assert c5[1][:5] == [
        "Region code",
        "Region name ",
        "Local authority code",
        "Local authority name",
        "2018",
    ]
    assert c5[1][-1] == "5-year average"
    assert c5[2][:4] == ["E12000004", "East Midlands", "E06000016", "Leicester"]
    assert c5[3][:2] == ["", ""]  # Harborough: no region given
    assert book.get_sheet_by_name("5a").to_python()[1][4] == "Year ending Sep 2018"
    assert LABEL in c5[0][0]
