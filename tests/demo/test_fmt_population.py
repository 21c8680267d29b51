"""Round trips of the population demonstrator writers through their parsers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lis_analysis.demo.fmt_population import (
    MYE_FILE,
    NOMIS_FILE,
    POPULATION_LA_FILE,
    write_mye,
    write_nomis_population,
    write_population_la,
)
from lis_analysis.sources import detect
from lis_analysis.sources._base import tidy
from lis_analysis.sources.population import NomisPopulationLAD, PopulationLA, PopulationMYE

COLS = ["measure", "geography_code", "geography_name", "breakdown", "period", "value", "status"]
AREAS = [("E06000016", "Leicester"), ("E07000129", "Blaby"), ("E12000004", "East Midlands")]


def obs(measures=("population", "population_16_64"), years=(2021, 2022, 2023)):
    rows = []
    for k, (code, name) in enumerate(AREAS):
        for y in years:
            pop = 100_000 * (k + 1) + 1_000 * (y - 2021) + 7
            vals = {
                "population": pop,
                "population_16_64": round(pop * 0.63),
                "population_0_15": round(pop * 0.18),
                "population_65_plus": pop - round(pop * 0.63) - round(pop * 0.18),
            }
            for m in measures:
                rows.append((m, code, name, y, float(vals[m])))
    df = pd.DataFrame(
        rows, columns=["measure", "geography_code", "geography_name", "year", "value"]
    )
    out = tidy(
        **{c: df[c].to_numpy() for c in df.columns},
        period=df.year.astype(str).to_numpy(),
        breakdown="All",
    )
    return out


def norm(df):
    return df[COLS].sort_values(COLS[:5]).reset_index(drop=True)


def with_marker(df, code, year, measure, marker):
    df = df.copy()
    hit = (df.geography_code == code) & (df.year == year) & (df.measure == measure)
    df.loc[hit, "value"] = np.nan
    df.loc[hit, "status"] = marker
    return df


def test_population_table(tmp_path):
    src = with_marker(obs(("population",)), "E07000129", 2023, "population", "[u]")
    path = write_population_la(
        src, tmp_path / POPULATION_LA_FILE, itl1_names={"E06000016": "East Midlands"}
    )
    assert isinstance(detect(path), PopulationLA)
    back = PopulationLA().parse(path)
    pd.testing.assert_frame_equal(norm(back), norm(src))
    assert back.attrs["warnings"][0].startswith("1 cells marked [u] (2023; 1 areas)")


def test_nomis_blocks(tmp_path):
    src = with_marker(
        obs(("population", "population_16_64", "population_65_plus")),
        "E06000016",
        2021,
        "population",
        "-",
    )
    path = write_nomis_population(src, tmp_path / NOMIS_FILE)
    assert isinstance(detect(path), NomisPopulationLAD)
    text = path.read_text()
    assert "SYNTHETIC DEMONSTRATOR DATA" in text and '"Age        :","Aged 16 - 64"' in text
    back = NomisPopulationLAD().parse(path)
    pd.testing.assert_frame_equal(norm(back), norm(src))


def test_nomis_by_sex(tmp_path):
    src = obs(("population",), years=(2023,))
    male = src.assign(breakdown="Male", value=src.value // 2)
    both = pd.concat([src, male], ignore_index=True)
    back = NomisPopulationLAD().parse(write_nomis_population(both, tmp_path / NOMIS_FILE))
    pd.testing.assert_frame_equal(norm(back), norm(both))


def test_mye_all_bands_and_mye4(tmp_path):
    src = obs(
        ("population", "population_16_64", "population_0_15", "population_65_plus"), years=(2023,)
    )
    history = obs(("population",), years=(2021, 2022))
    both = pd.concat([src, history], ignore_index=True)
    path = write_mye(both, tmp_path / MYE_FILE.format(year=2023))
    assert isinstance(detect(path), PopulationMYE)
    back = PopulationMYE().parse(path)
    pd.testing.assert_frame_equal(norm(back), norm(both))
    assert set(back[back.year < 2023].sheet) == {"MYE4"}
    assert len(back.attrs["warnings"]) == 0  # 2023: not an unrebased year; single years add up


def test_mye_total_and_working_age_only(tmp_path):
    src = obs(("population", "population_16_64"), years=(2020,))
    back = PopulationMYE().parse(write_mye(src, tmp_path / MYE_FILE.format(year=2020)))
    got = back[back.measure.isin(["population", "population_16_64"])]
    pd.testing.assert_frame_equal(norm(got), norm(src))
    # The rest is split evenly between 0-15 and 65+ (whole numbers, summing to the total).
    lei = back[back.geography_code == "E06000016"].set_index("measure").value
    assert (
        lei["population_0_15"] + lei["population_65_plus"]
        == lei["population"] - lei["population_16_64"]
    )
    assert "pre-Census-2021 basis" in back.attrs["warnings"][0]


def test_mye_marker_and_errors(tmp_path):
    src = with_marker(obs(years=(2020,)), "E07000129", 2020, "population_16_64", "[x]")
    back = PopulationMYE().parse(write_mye(src, tmp_path / MYE_FILE.format(year=2020)))
    blaby = back[back.geography_code == "E07000129"]
    assert set(blaby.status) == {"[x]"} and blaby.value.isna().all()
    bad = obs(years=(2020,))
    bad.loc[bad.measure == "population_16_64", "value"] = 10**9
    with pytest.raises(ValueError, match="age bands of E12000004 do not add up"):
        write_mye(bad, tmp_path / "x.xlsx")
    with pytest.raises(ValueError, match="needs population_16_64"):
        write_mye(obs(("population",)), tmp_path / "y.xlsx")
