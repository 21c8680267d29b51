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
    # one indicator: one block, as ONS publishes such a family
    assert LABEL in doc["_note"] and LABEL in doc["ess-beta-metadata"]["sourceOrg"]
    assert "shared" not in doc["ess-beta-metadata"]
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


# --------------------------------------------------------------------------------------
# Every family the demonstrator writes (the first ten and the 27 of issue 14)
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_els():
    """dataset -> the demonstrator's observations of that ELS family."""
    from lis_analysis.demo.build import els_obs
    from lis_analysis.demo.world import world

    return els_obs(world())


def test_the_demonstrator_writes_every_declared_family(demo_els):
    from lis_analysis.sources.els import FAMILIES

    written = set(demo_els)
    assert written <= {fam.id for fam in FAMILIES}
    # the first ten carried what the indicators used; every family added since is written
    added = {fam.id for fam in FAMILIES} - {
        "els_gross_value_added", "els_gross_median_weekly_pay", "els_business_demography",
        "els_housing_affordability_ratio",
    }  # fmt: skip
    assert added <= written, sorted(added - written)
    assert len(written) == 33


def test_every_demonstrator_family_parses_back(demo_els, tmp_path):
    from lis_analysis.sources.els import FAMILIES

    by_id = {fam.id: fam for fam in FAMILIES}
    shapes = set()
    for ds, src in demo_els.items():
        path = write_els(src, tmp_path / els_file_name(ds))
        back = ExploreLocalStatistics().parse(path)
        assert set(back.dataset) == {ds}
        assert len(back) == len(src), ds
        assert set(back.measure) == set(src.measure) <= set(by_id[ds].measures()), ds
        # values, markers and intervals as written (the writer prints full precision)
        got = back.set_index(["measure", "geography_code", "period"]).sort_index()
        want = (
            src.assign(period=src["period"].astype(str))
            .set_index(["measure", "geography_code", "period"])
            .sort_index()
        )
        np.testing.assert_allclose(got.value, want.value.astype(float), equal_nan=True)
        np.testing.assert_allclose(got.ci_lower, want.ci_lower.astype(float), equal_nan=True)
        assert (got.status.isna() == want.status.isna()).all(), ds
        # no warning other than the misprinted unit ONS itself prints
        assert not [w for w in back.attrs["warnings"] if "misstates" not in w], ds
        meta = back.attrs["metadata"][ds]
        assert meta["declared"] and LABEL in meta["publisher"]
        shapes.add(meta["json_shape"])
        # Leicestershire county is printed beside its districts where ELS prints it
        if ds not in ("els_foreign_direct_investment", "els_research_and_development_public_funded",
                      "els_research_and_development_business", "els_total_value_of_uk_exports"):  # fmt: skip
            assert "E10000018" in set(back.geography_code), ds
    assert shapes == {"single", "shared"}  # both JSON shapes are represented


def test_demonstrator_values_are_plausible(demo_els):
    """A few checks that the synthetic figures look like the published ones."""

    def latest(ds, measure, code):
        f = demo_els[ds]
        f = f[(f.measure == measure) & (f.geography_code == code)]
        return float(f.sort_values("period").value.iloc[-1])

    lei, county, eng = "E06000016", "E10000018", "E92000001"
    assert (
        0
        < latest("els_claimant_count", "claimant_rate_16_64", county)
        < latest("els_claimant_count", "claimant_rate_16_64", lei)
        < 10
    )
    assert 40 < latest("els_healthy_life_expectancy", "hle_male", lei) < 75
    assert 0 <= latest("els_personal_wellbeing_estimates", "wellbeing_anxiety", eng) <= 10
    assert (
        10_000
        < latest("els_gross_disposable_household_income_per_head", "gdhi_per_head", eng)
        < 40_000
    )
    f = demo_els["els_net_additions_to_the_housing_stock"]
    assert (f.value < 0).sum() == 1  # net additions can be negative, as published
    fdi = demo_els["els_foreign_direct_investment"]
    assert set(fdi.status.dropna()) == {"c"} and fdi.geography_code.str.startswith("TL").any()
    assert not fdi.geography_code.isin([lei, county]).any()  # published above districts only
