"""Every real Explore Local Statistics file ingests through the one ELS reader, with
reference values read from the files' own cells.

Files: the 27 families in ``../shared/data/els/`` and the 10 in
``../shared/data/public/indicators_els/`` (snapshot of ONSdigital/explore-local-statistics-data
at 4972c588, June 2026; see each folder's PROVENANCE.md). Each reference is the published
cell: the editor's line number in the CSV (the header is line 1) and the column holding
the ``observation`` (6, or 7 in personal-wellbeing-estimates.csv, which prints ``measure``
first); the parsed row must point back at that line.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import pytest

from lis_analysis.sources import all_measures, detect
from lis_analysis.sources.els import ExploreLocalStatistics


class Ref(NamedTuple):
    """A published figure: where it is and what it says."""

    line: int  # editor line number in the CSV
    column: int  # 1-based column of 'observation'
    code: str
    measure: str
    period: str
    value: float
    ci: tuple[float, float] | None = None


class ElsFile(NamedTuple):
    path: str  # relative to ../shared/data
    rows: int  # observations stored (= data lines, less the exceptions noted)
    release: str  # the JSON's sourceDate
    publisher: str  # the JSON's sourceOrg
    in_development: bool  # the JSON's experimentalStatistic
    refs: tuple[Ref, ...]


E = "els/"
P = "public/indicators_els/"
LEI, LCC = "E06000016", "E10000018"  # Leicester UA, Leicestershire county

FILES = [
    ElsFile(E + "apprenticeships.csv", 4168, "2025-11-27", "Department for Education", False, (
        Ref(501, 6, LEI, "apprenticeship_starts_per_100k", "2024-08-01/P1Y", 719),
        Ref(2662, 6, LCC, "apprenticeship_achievements_per_100k", "2024-08-01/P1Y", 571))),
    ElsFile(E + "average-travel-time.csv", 5565, "2021-11-04", "Department for Transport", True, (
        Ref(433, 6, LEI, "travel_time_employment_centre_car", "2019-01-01/P1Y", 7.08590154858352),
        Ref(4202, 6, LCC, "travel_time_employment_centre_public_transport", "2019-01-01/P1Y", 12.4674707449103))),
    ElsFile(E + "children-in-relative-poverty.csv", 2472, "2026-03-26", "Department for Work and Pensions", False, (
        Ref(333, 6, LEI, "children_relative_poverty_bhc", "2024-04-01/P1Y", 34.48966891),
        Ref(1842, 6, LCC, "children_relative_poverty_ahc", "2024-04-01/P1Y", 19.64240436))),
    ElsFile(E + "claimant-count.csv", 10325, "2026-01-20", "Office for National Statistics", True, (
        Ref(2088, 6, LEI, "claimant_rate_16_64", "2025-01-01/P1Y", 5.7),
        Ref(2436, 6, LCC, "claimant_rate_16_64", "2025-01-01/P1Y", 2.3))),
    ElsFile(E + "domestic-electricity-consumption.csv", 4959, "2025-12-18",
            "Department for Energy Security and Net Zero (Great Britain); "
            "Department for Energy Security and Net Zero (Northern Ireland)", False, (
        Ref(939, 6, LEI, "domestic_electricity_median_kwh", "2024-02-01/P1Y", 2399.45),
        Ref(1154, 6, "E07000133", "domestic_electricity_median_kwh", "2024-02-01/P1Y", 2586.177699))),
    ElsFile(E + "early-years.csv", 4257, "2025-11-27", "Department for Education", False, (
        Ref(355, 6, LEI, "eyfs_communication_language", "2024-09-01/P1Y", 74.7),
        Ref(3249, 6, LCC, "eyfs_maths", "2024-09-01/P1Y", 79.6))),
    # 1,396 lines less 20 repeats (five combined authorities printed again as ITL2 regions)
    ElsFile(E + "engagement-with-culture-and-heritage.csv", 1376, "2024-07-24",
            "Department for Culture, Media and Sport", False, (
        Ref(73, 6, LEI, "arts_engagement", "2023-04-01/P1Y", 80, (76, 83)),
        Ref(1137, 6, "E07000133", "public_library_visits", "2023-04-01/P1Y", 19, (16, 24)),
        Ref(26, 6, "E47000001", "arts_engagement", "2023-04-01/P1Y", 88, (87, 89)))),
    ElsFile(E + "first-time-buyer-mortgage-sales.csv", 4980, "2025-06-11", "Office for National Statistics", False, (
        Ref(1022, 6, LEI, "ftb_mortgage_sales_per_1000_dwellings", "2024-01-01/P1Y", 8.246823956442832),
        Ref(1195, 6, LCC, "ftb_mortgage_sales_per_1000_dwellings", "2024-01-01/P1Y", 12.00602807881619))),
    # 1,580 lines less 60 for three Scottish city regions printed with areacd 'na'
    ElsFile(E + "foreign-direct-investment.csv", 1520, "2026-05-12", "Office for National Statistics", True, (
        Ref(21, 6, "E47000002", "fdi_inward_position", "2024-01-01/P1Y", 17155),
        Ref(1053, 6, "TLF", "fdi_outward_position", "2024-01-01/P1Y", 30009))),
    ElsFile(E + "further-education-and-skills-learner-achievements.csv", 2084, "2025-11-27",
            "Department for Education", False, (
        Ref(501, 6, LEI, "fe_achievements_per_100k", "2024-08-01/P1Y", 4868),
        Ref(578, 6, LCC, "fe_achievements_per_100k", "2024-08-01/P1Y", 3136))),
    ElsFile(E + "further-education-and-skills-participation.csv", 2084, "2025-11-27",
            "Department for Education", False, (
        Ref(501, 6, LEI, "fe_participation_per_100k", "2024-08-01/P1Y", 6398),
        Ref(578, 6, LCC, "fe_participation_per_100k", "2024-08-01/P1Y", 4737))),
    ElsFile(E + "gcses-in-english-and-maths.csv", 3387, "2026-04-23", "Department for Education", False, (
        Ref(857, 6, LEI, "gcse_english_maths_by_19", "2024-09-01/P1Y", 70.184),
        Ref(987, 6, LCC, "gcse_english_maths_by_19", "2024-09-01/P1Y", 75.323))),
    ElsFile(E + "greenhouse-gas-emissions.csv", 7885, "2025-07-03",
            "Department for Energy Security and Net Zero", False, (
        Ref(1618, 6, LEI, "ghg_emissions_per_head", "2023-01-01/P1Y", 3.23),
        Ref(1892, 6, LCC, "ghg_emissions_per_head", "2023-01-01/P1Y", 5.9))),
    ElsFile(E + "gross-disposable-household-income-per-head.csv", 17442, "2025-09-10",
            "Office for National Statistics", False, (
        Ref(2009, 6, LEI, "gdhi_per_head", "2023-01-01/P1Y", 16067),
        Ref(2387, 6, LCC, "gdhi_per_head", "2023-01-01/P1Y", 23226))),
    ElsFile(E + "healthy-life-expectancy.csv", 5814, "2026-02-19", "Office for National Statistics", True, (
        Ref(830, 6, LEI, "hle_male", "2022-01-01/P3Y", 57.8, (54.7, 60.8)),
        Ref(3809, 6, LCC, "hle_female", "2022-01-01/P3Y", 61.4, (58.6, 64.2)))),
    ElsFile(E + "modelled-unemployment.csv", 7580, "2024-04-16", "Office for National Statistics", True, (
        Ref(1623, 6, LEI, "unemployment_rate_modelled", "2023-01-01/P1Y", 6.7, (4.9, 8.5)),
        Ref(1963, 6, "E07000133", "unemployment_rate_modelled", "2023-01-01/P1Y", 3.9, (1.8, 6)))),
    ElsFile(E + "motor-vehicle-flow.csv", 7623, "2026-05-20", "Department for Transport", False, (
        Ref(2129, 6, LEI, "motor_vehicle_flow_aadf", "2025-01-01/P1Y", 5400),
        Ref(2327, 6, LCC, "motor_vehicle_flow_aadf", "2025-01-01/P1Y", 5000))),
    ElsFile(E + "net-additions-to-the-housing-stock.csv", 8621, "2025-11-20",
            "Ministry of Housing, Communities and Local Government", False, (
        Ref(2009, 6, LEI, "net_additional_dwellings_per_1000", "2024-04-01/P1Y", 5),
        Ref(2300, 6, LCC, "net_additional_dwellings_per_1000", "2024-04-01/P1Y", 10))),
    ElsFile(E + "network-coverage-4g.csv", 413, "2026-05-13", "Ofcom", False, (
        Ref(85, 6, LEI, "coverage_4g_area", "2026-01-01", 100.0),
        Ref(99, 6, LCC, "coverage_4g_area", "2026-01-01", 99.95))),
    ElsFile(E + "network-coverage-5g.csv", 413, "2026-05-13", "Ofcom", False, (
        Ref(85, 6, LEI, "coverage_5g_area", "2026-01-01", 100.0),
        Ref(99, 6, LCC, "coverage_5g_area", "2026-01-01", 97.14))),
    ElsFile(E + "persistent-absences-for-all-pupils.csv", 2909, "2026-03-26", "Department for Education", False, (
        Ref(1009, 6, LEI, "persistent_absence_rate", "2024-08-01/P1Y", 19.403660000000002),
        Ref(1092, 6, LCC, "persistent_absence_rate", "2024-08-01/P1Y", 15.39396))),
    ElsFile(E + "personal-wellbeing-estimates.csv", 20112, "2023-11-07", "Office for National Statistics", False, (
        Ref(1048, 7, LEI, "wellbeing_anxiety", "2022-04-01/P1Y", 3.21, (2.83, 3.58)),
        Ref(16298, 7, LCC, "wellbeing_life_satisfaction", "2022-04-01/P1Y", 7.38, (7.19, 7.56)))),
    ElsFile(E + "premises-below-30.csv", 413, "2026-05-13", "Ofcom", False, (
        Ref(85, 6, LEI, "premises_below_30mbps", "2026-01-01", 0.2),
        Ref(99, 6, LCC, "premises_below_30mbps", "2026-01-01", 1.3))),
    ElsFile(E + "public-electric-vehicle-chargers.csv", 826, "2026-05-21",
            "Department for Transport, sourced from Zapmap", True, (
        Ref(168, 6, LEI, "ev_chargers_per_100k", "2026-04-01", 91.67035751439431),
        Ref(197, 6, LCC, "ev_chargers_per_100k", "2026-04-01", 122.18790111766386))),
    ElsFile(E + "pupils-at-expected-standards-by-end-of-primary-school.csv", 1795, "2025-12-11",
            "Department for Education", False, (
        Ref(445, 6, LEI, "ks2_expected_standard_rwm", "2024-09-01/P1Y", 60),
        Ref(515, 6, LCC, "ks2_expected_standard_rwm", "2024-09-01/P1Y", 63.0))),
    ElsFile(E + "railway-station-walk.csv", 362, "2024-10-17", "Office for National Statistics", False, (
        Ref(80, 6, LEI, "rail_station_30min_walk", "2024-06-15", 31.0),
        Ref(94, 6, LCC, "rail_station_30min_walk", "2024-06-15", 25.0))),
    ElsFile(E + "research-and-development-public-funded.csv", 28, "2024-06-25",
            "Office for National Statistics", True, (
        Ref(13, 6, "E12000004", "public_rd_expenditure", "2021-04-01/P1Y", 648),
        Ref(12, 6, "E12000004", "public_rd_expenditure", "2020-04-01/P1Y", 651))),
    ElsFile(P + "business-demography.csv", 16532, "2025-11-20", "Office for National Statistics", False, (
        Ref(525, 6, LEI, "business_birth_rate", "2024-01-01/P1Y", 13.32398316970547),
        Ref(11667, 6, LCC, "two_year_survival_rate", "2022-01-01/P1Y", 69.86301369863014))),
    ElsFile(P + "employment-rate.csv", 16080, "2024-04-16", "Office for National Statistics", True, (
        Ref(1669, 6, LEI, "employment_rate_16_64", "2023-01-01/P1Y", 65.1, (60.599999999999994, 69.6)),
        Ref(9991, 6, LCC, "economic_inactivity_rate_16_64", "2023-01-01/P1Y", 16.4, (13.7, 19.099999999999998)))),
    ElsFile(P + "gigabit-capable-broadband.csv", 413, "2026-05-13", "Ofcom", False, (
        Ref(85, 6, LEI, "gigabit_coverage", "2026-01-01", 97.6),
        Ref(99, 6, LCC, "gigabit_coverage", "2026-01-01", 88.5))),
    ElsFile(P + "gross-median-weekly-pay.csv", 7109, "2025-10-23",
            "Office for National Statistics; Northern Ireland Statistics and Research Agency", False, (
        Ref(1324, 6, LEI, "median_weekly_pay_residence", "2025-04-30", 557.6, (529.184704, 586.015296)),
        Ref(1574, 6, LCC, "median_weekly_pay_residence", "2025-04-30", 629.8, (596.4709839999999, 663.129016)))),
    ElsFile(P + "gross-value-added.csv", 16402, "2025-06-19", "Office for National Statistics", True, (
        Ref(1491, 6, LEI, "gva_per_hour", "2023-01-01/P1Y", 35.47),
        Ref(9813, 6, "E07000133", "gva_per_job", "2023-01-01/P1Y", 56903))),
    ElsFile(P + "housing-affordability-ratio.csv", 8424, "2026-03-26", "Office for National Statistics", False, (
        Ref(1691, 6, LEI, "housing_affordability_ratio_residence", "2025-04-01", 7.59),
        Ref(2026, 6, LCC, "housing_affordability_ratio_residence", "2025-04-01", 7.29))),
    ElsFile(P + "qualifications-level-3-or-above.csv", 803, "2024-04-16", "Office for National Statistics", True, (
        Ref(168, 6, LEI, "level_3_plus_16_64", "2023-01-01/P1Y", 51.5, (46.7, 56.3)),
        Ref(197, 6, LCC, "level_3_plus_16_64", "2023-01-01/P1Y", 72.6, (69.3, 75.89999999999999)))),
    ElsFile(P + "qualifications-none-gb.csv", 804, "2024-04-16", "Office for National Statistics", True, (
        Ref(168, 6, LEI, "no_qualifications_16_64", "2023-01-01/P1Y", 16.1, (12.600000000000001, 19.6)),
        Ref(197, 6, LCC, "no_qualifications_16_64", "2023-01-01/P1Y", 3.9, (2.5, 5.3)))),
    ElsFile(P + "research-and-development-business.csv", 42, "2025-11-28", "Office for National Statistics", False, (
        Ref(17, 6, "E12000004", "berd", "2024-01-01/P1Y", 2183.0),)),
    ElsFile(P + "total-value-of-uk-exports.csv", 1241, "2025-08-06", "Office for National Statistics", True, (
        Ref(333, 6, "TLF", "exports_total", "2023-01-01/P1Y", 42354.0),)),
]  # fmt: skip


def _id(f: ElsFile) -> str:
    return f.path.rsplit("/", 1)[-1][:-4]


@pytest.mark.shared
@pytest.mark.parametrize("f", FILES, ids=_id)
def test_file_ingests_with_its_published_values(f, shared_file):
    path = shared_file(f.path)
    parser = detect(path)
    assert isinstance(parser, ExploreLocalStatistics)
    df = parser.parse(path)
    stem = _id(f)
    dataset = "els_" + stem.replace("-", "_")
    assert set(df.dataset) == {dataset}
    assert len(df) == f.rows
    # declared: every measure of the file is in the declarations, under this dataset
    declared = all_measures()
    assert all((dataset, m) in declared for m in set(df.measure)), set(df.measure)
    assert not [w for w in df.attrs["warnings"] if "not used by any indicator" in w]
    assert set(df.release) == {f.release}
    assert df.attrs["publisher"] == f.publisher
    meta = df.attrs["metadata"][dataset]
    assert meta["release"] == f.release and meta["declared"]
    assert meta["official_statistics_in_development"] is f.in_development
    for ref in f.refs:
        hit = df[
            (df.geography_code == ref.code)
            & (df.measure == ref.measure)
            & (df.period == ref.period)
        ]
        assert len(hit) == 1, ref
        r = hit.iloc[0]
        assert r.value == pytest.approx(ref.value, rel=1e-12), ref
        assert (int(r.row) + 1, int(r.col) + 1) == (ref.line, ref.column), ref
        if ref.ci is None:
            assert math.isnan(r.ci_lower) and math.isnan(r.ci_upper)
        else:
            assert (r.ci_lower, r.ci_upper) == pytest.approx(ref.ci, rel=1e-12)
        m = meta["measures"][ref.measure]
        assert m["release"] == f.release and m["publisher"] == f.publisher
        assert r.unit == m["unit"] == declared[(dataset, ref.measure)].unit


def test_every_declared_family_has_a_real_file():
    """The table above covers every family declared in els_measures.yaml, and nothing else."""
    from lis_analysis.sources.els import FAMILIES

    assert sorted(fam.stem for fam in FAMILIES) == sorted(_id(f) for f in FILES)


@pytest.mark.shared
def test_both_folders_ingest_together(shared_file, tmp_path, capsys, monkeypatch):
    """``lis ingest --raw <public ELS folder> --raw <els folder>``: every file is stored,
    and the manifest names each file's own publisher, table and release (what the Sources
    page lists), with the per-measure facts the pages cite."""
    from lis_analysis.cli import main
    from lis_analysis.store import read_manifest, read_observations

    monkeypatch.setenv("LIS_HOME", str(tmp_path / "home"))
    public = shared_file("public/indicators_els/employment-rate.csv").parent
    els = shared_file("els/apprenticeships.csv").parent
    processed = tmp_path / "processed"
    args = ["ingest", "--raw", str(public), "--raw", str(els), "--processed", str(processed)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert f"37 files, {sum(f.rows for f in FILES):,} observations of published data" in out
    files = {f["name"]: f for f in read_manifest(processed)["files"]}
    assert len(files) == 37
    for f in FILES:
        rec = files[f.path.rsplit("/", 1)[-1]]
        assert (rec["publisher"], rec["release"], rec["rows"]) == (f.publisher, f.release, f.rows)
        assert rec["title"].startswith("Explore Local Statistics: ")
    assert files["apprenticeships.csv"]["title"] == "Explore Local Statistics: Apprenticeships"
    assert files["claimant-count.csv"]["title"] == "Explore Local Statistics: Claimant Count"
    cc = files["claimant-count.csv"]["metadata"]["els_claimant_count"]["measures"][
        "claimant_rate_16_64"
    ]
    assert cc["official_statistics_in_development"] and cc["approximate"]
    assert cc["caveats"].startswith("Proportions of people claiming are the number of claimants")
    obs = read_observations(processed)
    assert obs.dataset.nunique() == 37 and len(obs) == sum(f.rows for f in FILES)
