"""Coverage on the real published files: how many indicators of each group Leicester and
Leicestershire has, with ``../shared/data/public`` and ``../shared/data/els`` loaded the
way an economist loads them (``lis.load(raw=[...])``, then ``lis.indicators``).

The floors are issue 14's: Productivity 8, Ideas 3, People 10, Infrastructure 7,
Business Environment 8, Places 6 indicators, each with a value or the parts display. An
indicator counts when the table has a value for L&L, or when the engine shows its
published parts instead (``table.attrs["parts"]``: Leicester and Leicestershire county,
side by side with the benchmark and the districts' range, where no single figure can
honestly be built: medians, and shares of pupils, premises or land whose bases are not
loaded).
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.shared]

LL = "E37000021"

#: group -> the least number of indicators with a figure for L&L (issue 14, item 4)
FLOORS = {
    "Productivity": 8,
    "Ideas": 3,
    "People": 10,
    "Infrastructure": 7,
    "Business Environment": 8,
    "Places": 6,
}


@pytest.fixture(scope="module")
def ll_table(public, shared_file, tmp_path_factory):
    """L&L's indicator table from the face, both folders loaded, in a project of its own
    (LIS_HOME: its store is written there); the face's session emptied around it."""
    import lis_analysis as lis
    from lis_analysis.api import session

    els = shared_file("els/claimant-count.csv").parent
    root = tmp_path_factory.mktemp("coverage_project")
    (root / "data" / "raw").mkdir(parents=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LIS_HOME", str(root))
        session().reset()
        try:
            lis.load(raw=[str(public), str(els)])
            yield lis.indicators(lis.area(LL))
        finally:
            session().reset()


def _with_value(table) -> dict[str, set[str]]:
    have = table[table["value"].notna()]
    return {g: set(have.loc[have["group"] == g, "indicator_id"]) for g in FLOORS}


def _with_parts(table) -> dict[str, set[str]]:
    from lis_analysis.indicators.registry import load_registry

    reg = load_registry()
    shown = table.attrs.get("parts", {})
    return {g: {i for i in shown if reg[i].group == g} for g in FLOORS}


@pytest.mark.parametrize("group", list(FLOORS))
def test_each_group_has_enough_indicators_for_ll(ll_table, group):
    values, parts = _with_value(ll_table)[group], _with_parts(ll_table)[group]
    got = values | parts
    assert len(got) >= FLOORS[group], (
        f"{group}: {len(values)} with a value, {len(parts - values)} shown by parts: {sorted(got)}"
    )


def test_the_parts_display_covers_what_cannot_be_built(ll_table):
    """Median pay and gigabit coverage have no single L&L figure: the parts display shows
    Leicester and Leicestershire county (two parts) for each."""
    shown = ll_table.attrs["parts"]
    for iid in ("median_pay_residence", "gigabit_coverage", "housing_affordability"):
        assert set(shown[iid].parts["code"]) == {"E06000016", "E10000018"}, iid


def test_the_new_families_reach_the_table(ll_table):
    """Indicators from both folders have L&L values: the business workbooks (public) and
    Explore Local Statistics (els), so neither folder is silently ignored."""
    have = set().union(*_with_value(ll_table).values())
    from_public = {
        "high_growth_rate",
        "turnover_1m_plus_share",
        "knowledge_intensive_enterprise_share",
    }
    from_els = {"claimant_rate", "apprenticeship_starts", "gdhi_per_head", "ev_chargers",
                "rail_station_walk", "ghg_emissions_per_head"}  # fmt: skip
    assert from_public <= have, from_public - have
    assert from_els <= have, from_els - have


def test_what_is_not_built_says_why(ll_table):
    """Every registered indicator is either in the table or in its 'missing' note, and a
    not-aggregable ELS indicator is refused with the reason, never given a made-up figure."""
    from lis_analysis.indicators.registry import load_registry

    shown = set(ll_table["indicator_id"])
    missing = ll_table.attrs["missing"]
    assert set(load_registry()) == shown | set(missing)
    for iid in ("gcse_english_maths_19", "coverage_4g", "travel_time_car", "life_satisfaction"):
        assert iid in missing and "cannot be built for Leicester and Leicestershire" in missing[iid]
