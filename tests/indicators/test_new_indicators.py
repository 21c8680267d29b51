"""The indicators added from Explore Local Statistics and the business workbooks (issue
14): hand-worked cases for the kinds they use, what is refused, and the registry's
"official statistics in development" flag against the publisher's own metadata."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml

from lis_analysis.errors import ConfigError
from lis_analysis.geography import Area, Geography
from lis_analysis.indicators import compute, load_registry, table
from lis_analysis.indicators.registry import parse_registry
from lis_analysis.sources._base import tidy

D1, D2 = "E07000129", "E07000130"
AREA = Area("X01", "Two districts", "custom", (D1, D2))


def _rows(dataset, measure, values, *, year=2024, period=None, breakdown="All", industry="Total"):
    codes = list(values)
    return tidy(
        dataset=dataset,
        measure=measure,
        geography_code=codes,
        geography_name=codes,
        year=year,
        period=period or str(year),
        value=[values[c] for c in codes],
        industry=industry,
        breakdown=breakdown,
    )


def _geo(obs: pd.DataFrame) -> Geography:
    return Geography.build(pd.DataFrame(), obs, specs={})


def test_high_growth_rate_is_a_ratio_of_summed_counts():
    # D1: 5 of 100 enterprises with 10+ employees; D2: 15 of 300 -> 20 / 400 = 5%
    # (the mean of the districts' rates, 5% and 5%, agrees only by construction: change D2)
    obs = pd.concat(
        [
            _rows("ons_business_demography", "high_growth", {D1: 5.0, D2: 45.0}),
            _rows("ons_business_demography", "active_10plus", {D1: 100.0, D2: 300.0}),
        ]
    )
    res = compute("high_growth_rate", [AREA], obs=obs, geo=_geo(obs))
    # 50 / 400 = 12.5%, not the mean of 5% and 15% (10%)
    assert res["value"].tolist() == pytest.approx([12.5])


def test_turnover_share_sums_the_bands_from_one_million():
    bands = ("1000-1999", "2000-4999", "5000-9999", "10000-49999", "50000+")
    d1 = dict(zip(bands, (10.0, 0.0, 0.0, 0.0, 5.0), strict=True))
    d2 = dict(zip(bands, (0.0, 20.0, 0.0, 0.0, 0.0), strict=True))
    parts = [
        _rows("ons_uk_business", "enterprises_by_turnover", {D1: d1[b], D2: d2[b]}, breakdown=b)
        for b in bands
    ]
    small = _rows(
        "ons_uk_business", "enterprises_by_turnover", {D1: 85.0, D2: 180.0}, breakdown="0-49"
    )
    total = _rows("ons_uk_business", "enterprises_by_turnover", {D1: 100.0, D2: 200.0})
    obs = pd.concat([*parts, small, total])
    res = compute("turnover_1m_plus_share", [AREA], obs=obs, geo=_geo(obs))
    assert res["value"].tolist() == pytest.approx([35 / 300 * 100])  # 11.67%


def test_several_snapshots_in_a_year_the_latest_stands_for_the_year():
    # DfT prints EV chargers per 100,000 people each quarter. January: D1 10, D2 30;
    # April: D1 20, D2 40; 1,000 and 3,000 residents. April's built rate is
    # (20 x 1,000 + 40 x 3,000) / 4,000 = 35 (January's would be 25).
    ev = "els_public_electric_vehicle_chargers"
    obs = pd.concat(
        [
            _rows(ev, "ev_chargers_per_100k", {D1: 10.0, D2: 30.0}, year=2026, period="2026-01-01"),
            _rows(ev, "ev_chargers_per_100k", {D1: 20.0, D2: 40.0}, year=2026, period="2026-04-01"),
            _rows("ons_population_la", "population", {D1: 1000.0, D2: 3000.0}, year=2026),
        ]
    )
    res = compute("ev_chargers", [AREA], obs=obs, geo=_geo(obs))
    assert len(res) == 1
    assert res["period"].iloc[0] == "2026-04-01"
    assert res["value"].iloc[0] == pytest.approx(35.0)
    blaby = Area(D1, "Blaby", "lad", (D1,))
    district = compute("ev_chargers", [blaby], obs=obs, geo=_geo(obs))
    assert district["value"].tolist() == pytest.approx([20.0])  # the published figure


def test_a_share_whose_base_is_not_loaded_is_refused_with_its_reason():
    # GCSE English and maths by 19: percentages of cohorts whose sizes are not loaded;
    # the two districts' figures are published, the area's is never made up from them
    obs = _rows("els_gcses_in_english_and_maths", "gcse_english_maths_by_19", {D1: 70.0, D2: 60.0})
    geo = _geo(obs)
    assert compute("gcse_english_maths_19", [AREA], obs=obs, geo=geo)["value"].isna().all()
    tab = table(AREA, obs=obs, geo=geo, indicators=["gcse_english_maths_19"], benchmarks=("uk",))
    assert "gcse_english_maths_19" not in set(tab["indicator_id"])
    assert "cannot be built for Two districts" in tab.attrs["missing"]["gcse_english_maths_19"]


@pytest.mark.parametrize("flag", ["yes", "true", 1, None])
def test_in_development_must_be_true_or_false(flag):
    body = {"name": "X", "foundation": "People", "kind": "measure", "unit": "%",
            "polarity": "higher", "sources": [{"dataset": "d", "measure": "m"}],
            "in_development": flag}  # fmt: skip
    with pytest.raises(ConfigError, match="indicator x: 'in_development' must be true or false"):
        parse_registry({"indicators": {"x": body}}, "test.yaml")


def test_in_development_is_said_in_the_caveats_too():
    """A page prints caveats, not registry fields: each indicator flagged in development
    cites A21 and says so in its own caveat, and no other indicator does."""
    for ind in load_registry().values():
        says = "official statistics in development" in ind.caveat.lower()
        assert ("A21" in ind.caveats) == ind.in_development == says, ind.id


# ---------------------------------------------------------------- the publisher's flag
def _els_flag(path, label: str) -> bool:
    """``experimentalStatistic`` of ``label`` in an ELS JSON: the indicator's own block
    where it has one, else the shared block (or the single block)."""
    meta = json.loads(path.read_text(encoding="utf-8"))["ess-beta-metadata"]
    own = meta.get(label, {}) if isinstance(meta.get(label), dict) else {}
    shared = meta.get("shared", meta)
    value = own.get("experimentalStatistic", shared.get("experimentalStatistic"))
    assert value in ("T", "F"), f"{path.name}: experimentalStatistic {value!r} for {label!r}"
    return value == "T"


@pytest.mark.shared
def test_in_development_agrees_with_the_publishers_metadata(shared_file):
    """Every indicator read from an ELS family carries the family's experimentalStatistic
    (the JSON beside the CSV in ../shared/data/els or public/indicators_els)."""
    from lis_analysis.sources.els import DECLARATIONS

    declared = yaml.safe_load(DECLARATIONS.read_text(encoding="utf-8"))["families"]
    label_of = {
        (stem, body["measure"]): label
        for stem, labels in declared.items()
        for label, body in labels.items()
    }
    # the data root beside the clone: each family's JSON is in els/ or public/indicators_els/
    root = shared_file("els/claimant-count.json").parents[1]
    checked = 0
    for ind in load_registry().values():
        # the flag describes the indicator's first (preferred) source; an ELS fall-back
        # behind an ONS workbook (GVA per hour) does not make the indicator's figures
        # statistics in development
        first = (ind.sources or ind.numerator)[:1]
        refs = [r for r in first if r.dataset.startswith("els_")]
        if not refs:
            continue
        flags = set()
        for r in refs:
            stem = r.dataset.removeprefix("els_").replace("_", "-")
            where = [
                root / "els" / f"{stem}.json",
                root / "public" / "indicators_els" / f"{stem}.json",
            ]
            path = next((p for p in where if p.exists()), None)
            assert path is not None, (
                f"{ind.id}: no {stem}.json in {root}/els or public/indicators_els"
            )
            flags.add(_els_flag(path, label_of[(stem, r.measure)]))
        assert flags == {ind.in_development}, (ind.id, flags)
        checked += 1
    assert checked >= 30


# ---------------------------------------------------------------- the demonstrator
def test_the_demonstrator_carries_every_indicators_data(demo_store):
    """Every dataset an indicator reads is in the demonstrator, written in the published
    layout and read back by the same parser (demo_store ingests the written files)."""
    _, obs, _ = demo_store
    have = set(zip(obs["dataset"].astype(str), obs["measure"].astype(str), strict=True))
    for ind in load_registry().values():
        for r in (*ind.sources, *ind.numerator, *ind.denominator):
            if ind.sources and r in ind.sources[1:]:
                continue  # a fall-back source need not be there
            assert (r.dataset, r.measure) in have, (ind.id, r.label)


def test_the_demonstrators_business_environment_shows_the_new_business_indicators(demo_store):
    """High growth (Tables 7.1/7.3) and turnover bands (Table 11) reach L&L's table."""
    _, obs, geo = demo_store
    tab = table(geo.area("E37000021"), obs=obs, geo=geo, benchmarks=("uk",))
    own = tab.drop_duplicates("indicator_id").set_index("indicator_id")
    for iid in (
        "high_growth_rate",
        "turnover_1m_plus_share",
        "knowledge_intensive_enterprise_share",
    ):
        assert iid in own.index, tab.attrs["missing"].get(iid)
        assert 0 < own.loc[iid, "value"] < 100
    assert own.loc["turnover_1m_plus_share", "year"] == 2025
