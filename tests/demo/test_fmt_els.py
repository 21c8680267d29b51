"""Round trips of the Explore Local Statistics demonstrator writer through its parser."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from lis_analysis.demo.fmt_els import els_file_name, write_els
from lis_analysis.demo.world import LABEL
from lis_analysis.sources import detect
from lis_analysis.sources._base import tidy
from lis_analysis.sources.els import ExploreLocalStatistics

COLS = [
    "dataset",
    "measure",
    "geography_code",
    "geography_name",
    "period",
    "year",
    "value",
    "status",
    "ci_lower",
    "ci_upper",
]
AREAS = [
    ("E06000016", "Leicester"),
    ("E07000129", "Blaby"),
    ("E07999001", "Quillmarsh"),
    ("E92000001", "England"),
]


def obs(measures, years=(2022, 2023), ci=False, period=None, dataset=None):
    rows = []
    for k, (code, name) in enumerate(AREAS):
        for y in years:
            for j, m in enumerate(measures):
                v = round(50 + 7.3 * k + 1.1 * (y - 2022) + 3 * j, 1)
                rows.append(
                    (m, code, name, y, v, v - 2.5 if ci else np.nan, v + 2.5 if ci else np.nan)
                )
    df = pd.DataFrame(
        rows,
        columns=[
            "measure",
            "geography_code",
            "geography_name",
            "year",
            "value",
            "ci_lower",
            "ci_upper",
        ],
    )
    per = [period or f"{y}-01-01/P1Y" for y in df.year]
    return tidy(**{c: df[c].to_numpy() for c in df.columns}, period=per, dataset=dataset)


def norm(df):
    return (
        df[COLS]
        .astype({"year": "int64"})
        .sort_values(["measure", "geography_code", "period"])
        .reset_index(drop=True)
    )


def test_employment_round_trip_with_markers(tmp_path):
    src = obs(
        ["employment_rate_16_64", "economic_inactivity_rate_16_64"],
        ci=True,
        dataset="els_employment_rate",
    )
    hit = (
        (src.geography_code == "E07000129")
        & (src.year == 2023)
        & (src.measure == "employment_rate_16_64")
    )
    src.loc[hit, ["value", "ci_lower", "ci_upper"]] = np.nan
    src.loc[hit, "status"] = "x"
    path = write_els(src, tmp_path / els_file_name("els_employment_rate"))
    assert path.name == "employment-rate.csv"
    assert (
        path.read_bytes()[:3] == b"\xef\xbb\xbf" and b"\r\n" in path.read_bytes()
    )  # as ONS publishes
    assert isinstance(detect(path), ExploreLocalStatistics)
    back = ExploreLocalStatistics().parse(path)
    pd.testing.assert_frame_equal(norm(back), norm(src))
    assert back.attrs["warnings"] == []
    assert back.loc[back.geography_code == "E06000016", "geography_level"].iloc[0] == "lad"


def test_json_says_synthetic(tmp_path):
    path = write_els(
        obs(["gigabit_coverage"], years=(2026,), period="2026-01-01"),
        tmp_path / "gigabit-capable-broadband.csv",
    )
    doc = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert LABEL in doc["_note"] and LABEL in doc["ess-beta-metadata"]["shared"]["sourceOrg"]
    back = ExploreLocalStatistics().parse(path)
    assert set(back.period) == {"2026-01-01"} and set(back.dataset) == {
        "els_gigabit_capable_broadband"
    }
    meta = back.attrs["metadata"]["els_gigabit_capable_broadband"]
    assert LABEL in meta["note"]


def test_business_demography_counts_and_rates(tmp_path):
    src = obs(["active_businesses", "business_birth_rate", "one_year_survival_rate"])
    src.loc[src.measure == "active_businesses", "value"] = [
        14260.0,
        14500.0,
        3105.0,
        3120.0,
        2200.0,
        2250.0,
        2.6e6,
        2.7e6,
    ]
    path = write_els(src, tmp_path / els_file_name("els_business_demography"))
    back = ExploreLocalStatistics().parse(path)
    src = src.assign(dataset=pd.array(["els_business_demography"] * len(src), dtype="string"))
    pd.testing.assert_frame_equal(norm(back), norm(src))


def test_affordability_printed_as_percentage(tmp_path):
    src = obs(["housing_affordability_ratio_residence"], period=None)
    path = write_els(src, tmp_path / els_file_name("els_housing_affordability_ratio"))
    assert ",Percentage,%," in path.read_text(encoding="utf-8-sig")  # ONS's misprint, reproduced
    back = ExploreLocalStatistics().parse(path)
    assert set(back.unit) == {"ratio"} and len(back.attrs["warnings"]) == 1


def test_one_dataset_per_file(tmp_path):
    with pytest.raises(ValueError, match="one ELS dataset per file"):
        write_els(obs(["employment_rate_16_64", "gva_per_hour"]), tmp_path / "x.csv")
    with pytest.raises(ValueError, match="not ELS measures: population"):
        write_els(obs(["population"]), tmp_path / "x.csv")
