"""Synthetic series for the Explore Local Statistics families beyond the first ten: skills,
labour market, connectivity, transport, housing, environment, health, wellbeing, culture,
investment (issue 14), in the shape of the published files.

Each district series is a level, tilted by the district's relative productivity and by how
rural it is (smaller population), with persistent and yearly noise; Leicester has its own
level where the published figures show a young, deprived city apart from its county. The
benchmark rows are built the way the publishers build theirs: England, the UK (for UK-wide
families) and the regions, and Leicestershire county (E10000018, the seven districts
around Leicester, printed by ELS as a "County or Unitary Authority"), weighted by
population (a synthetic stand-in where the real figure is a median or a score). Money
totals (FDI positions, public R&D) are published above district level only, as ONS does.
Periods, markers and intervals follow each published file.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._tidy import _obs
from .world import ENGLAND, LEICESTERSHIRE, LEICESTERSHIRE_DISTRICTS, UK, World, rng

COUNTY, COUNTY_MEMBERS = LEICESTERSHIRE, LEICESTERSHIRE_DISTRICTS


def _periods(first: int, last: int, start: str = "01-01", span: str = "P1Y", skip=()) -> tuple:
    return tuple(f"{y}-{start}/{span}" for y in range(first, last + 1) if y not in skip)


@dataclass(frozen=True)
class Series:
    """How one synthetic ELS measure is drawn for every district."""

    measure: str
    periods: tuple[str, ...]
    level: float  # England-like level in the first period
    spread: float  # between districts (persistent)
    tilt: float = 0.0  # per unit of relative productivity above 0.95
    rural: float = 0.0  # per unit of -log(population / 150,000): smaller places are rural
    trend: float = 0.0  # per period
    leicester: float | None = None  # Leicester's level, where the city stands apart
    lo: float = 0.0
    hi: float = float("inf")
    decimals: int = 1
    ci: float = 0.0  # half-width of a 150,000-resident district's 95% interval (0: none)
    round_to: float | None = None  # published rounding (traffic flows: to the 100)
    uk: bool = False  # the published file covers the UK (else England only)
    suppress: bool = False  # the smallest district's first period is published as 'x'


_Y8 = "08-01"  # academic years starting in August
_Y9 = "09-01"  # school years as DfE prints them in ELS

#: dataset -> its series (the published file's indicators, in its order)
SERIES: dict[str, tuple[Series, ...]] = {
    "els_apprenticeships": (
        Series("apprenticeship_starts_per_100k", _periods(2019, 2024, _Y8), 640, 90, tilt=-350,
               trend=-8, leicester=720, decimals=0),
        Series("apprenticeship_achievements_per_100k", _periods(2019, 2024, _Y8), 300, 50,
               tilt=-150, trend=6, leicester=330, decimals=0),
    ),
    "els_further_education_and_skills_participation": (
        Series("fe_participation_per_100k", _periods(2019, 2024, _Y8), 5200, 700, tilt=-3000,
               trend=-60, leicester=6400, decimals=0),
    ),
    "els_further_education_and_skills_learner_achievements": (
        Series("fe_achievements_per_100k", _periods(2019, 2024, _Y8), 3600, 550, tilt=-2500,
               trend=-40, leicester=4850, decimals=0),
    ),
    "els_gcses_in_english_and_maths": (
        Series("gcse_english_maths_by_19", _periods(2019, 2024, _Y9), 72.5, 4, tilt=25, hi=95,
               leicester=70.2, decimals=1),
    ),
    "els_pupils_at_expected_standards_by_end_of_primary_school": (
        Series("ks2_expected_standard_rwm", _periods(2018, 2024, _Y9, skip=(2019, 2020)), 61, 4,
               tilt=20, hi=90, leicester=60, decimals=0),
    ),
    "els_early_years": (
        Series("eyfs_communication_language", _periods(2021, 2024, _Y9), 79, 3, tilt=12, hi=95,
               leicester=74.7),
        Series("eyfs_literacy", _periods(2021, 2024, _Y9), 70, 3.5, tilt=14, hi=95,
               leicester=64.9),
        Series("eyfs_maths", _periods(2021, 2024, _Y9), 77, 3, tilt=12, hi=95, leicester=72.8),
    ),
    "els_persistent_absences_for_all_pupils": (
        Series("persistent_absence_rate", _periods(2016, 2024, _Y8, skip=(2019,)), 14, 2.5,
               tilt=-15, trend=0.9, leicester=19.4),
    ),
    "els_claimant_count": (
        Series("claimant_rate_16_64", _periods(2010, 2025), 3.4, 0.8, tilt=-6, trend=-0.05,
               leicester=5.7, lo=0.3, uk=True),
    ),
    "els_modelled_unemployment": (
        Series("unemployment_rate_modelled", _periods(2015, 2023), 4.2, 0.8, tilt=-5,
               trend=-0.12, leicester=6.7, lo=0.8, ci=1.6, uk=True),
    ),
    "els_network_coverage_4g": (
        Series("coverage_4g_area", ("2026-01-01",), 99.2, 0.5, rural=-1.2, hi=100, leicester=100,
               decimals=2, uk=True),
    ),
    "els_network_coverage_5g": (
        Series("coverage_5g_area", ("2026-01-01",), 88, 6, rural=-12, hi=100, leicester=100,
               decimals=2, uk=True),
    ),
    "els_premises_below_30": (
        Series("premises_below_30mbps", ("2026-01-01",), 1.2, 0.5, rural=1.4, leicester=0.2,
               uk=True),
    ),
    "els_public_electric_vehicle_chargers": (
        Series("ev_chargers_per_100k", ("2026-01-01", "2026-04-01"), 118, 30, tilt=60, trend=6,
               leicester=91.7, uk=True),
    ),
    "els_average_travel_time": (
        Series("travel_time_employment_centre_car", _periods(2014, 2019, skip=(2018,)), 8.2, 0.8,
               rural=1.2, leicester=7.1, lo=4),
        Series("travel_time_employment_centre_cycle", _periods(2014, 2019, skip=(2018,)), 11.5,
               1.3, rural=2.2, leicester=9.6, lo=5),
        Series("travel_time_employment_centre_public_transport", _periods(2014, 2019, skip=(2018,)),
               13.5, 1.5, rural=3.0, leicester=10.9, lo=6),
    ),
    "els_railway_station_walk": (
        Series("rail_station_30min_walk", ("2024-06-15",), 24, 8, rural=-7, leicester=31, hi=90,
               decimals=0),
    ),
    "els_motor_vehicle_flow": (
        Series("motor_vehicle_flow_aadf", _periods(2015, 2025), 4400, 900, rural=-600, trend=25,
               leicester=5400, lo=800, decimals=0, round_to=100, uk=True),
    ),
    "els_net_additions_to_the_housing_stock": (
        Series("net_additional_dwellings_per_1000", _periods(2015, 2024, "04-01"), 8.5, 2.5,
               rural=0.8, leicester=5, lo=-20, decimals=0),
    ),
    "els_first_time_buyer_mortgage_sales": (
        Series("ftb_mortgage_sales_per_1000_dwellings", _periods(2016, 2024), 12, 2.2, tilt=4,
               trend=-0.2, leicester=8.2, uk=True),
    ),
    "els_greenhouse_gas_emissions": (
        Series("ghg_emissions_per_head", _periods(2015, 2023), 5.6, 1.2, rural=1.3, trend=-0.18,
               leicester=3.8, lo=1.5, decimals=2, uk=True),
    ),
    "els_domestic_electricity_consumption": (
        Series("domestic_electricity_median_kwh", _periods(2016, 2024, "02-01"), 2900, 180,
               rural=120, trend=-30, leicester=2400, decimals=2, uk=True),
    ),
    "els_gross_disposable_household_income_per_head": (
        Series("gdhi_per_head", _periods(2010, 2023), 17500, 1800, tilt=22000, trend=520,
               leicester=11400, decimals=0, uk=True),
    ),
    "els_children_in_relative_poverty": (
        Series("children_relative_poverty_bhc", _periods(2021, 2024, "04-01"), 21, 4, tilt=-35,
               trend=0.3, leicester=34.5, uk=True),
        Series("children_relative_poverty_ahc", _periods(2023, 2024, "04-01"), 28, 4.5,
               tilt=-40, leicester=42, uk=True),
    ),
    "els_healthy_life_expectancy": (
        Series("hle_male", _periods(2015, 2020, span="P3Y"), 62.5, 2.2, tilt=14, trend=-0.15,
               leicester=57.8, lo=45, hi=80, ci=3.0, uk=True),
        Series("hle_female", _periods(2015, 2020, span="P3Y"), 63.2, 2.4, tilt=14, trend=-0.2,
               leicester=57.5, lo=45, hi=80, ci=3.0, uk=True),
    ),
    "els_personal_wellbeing_estimates": (
        Series("wellbeing_life_satisfaction", _periods(2016, 2022, "04-01"), 7.6, 0.15, tilt=0.5,
               trend=-0.02, leicester=7.3, hi=10, decimals=2, ci=0.22, uk=True, suppress=True),
        Series("wellbeing_happiness", _periods(2016, 2022, "04-01"), 7.45, 0.18, tilt=0.4,
               trend=-0.02, leicester=7.2, hi=10, decimals=2, ci=0.28, uk=True, suppress=True),
        Series("wellbeing_worthwhile", _periods(2016, 2022, "04-01"), 7.8, 0.14, tilt=0.4,
               trend=-0.01, leicester=7.6, hi=10, decimals=2, ci=0.22, uk=True, suppress=True),
        Series("wellbeing_anxiety", _periods(2016, 2022, "04-01"), 3.0, 0.25, tilt=-0.5,
               trend=0.04, leicester=3.2, hi=10, decimals=2, ci=0.4, uk=True, suppress=True),
    ),
    "els_engagement_with_culture_and_heritage": (
        Series("arts_engagement", ("2023-04-01/P1Y",), 88, 3, tilt=12, leicester=80, hi=99,
               decimals=0, ci=3.5),
        Series("heritage_site_visits", ("2023-04-01/P1Y",), 63, 5, tilt=20, rural=2,
               leicester=50, hi=99, decimals=0, ci=4.5),
        Series("museum_gallery_visits", ("2023-04-01/P1Y",), 42, 5, tilt=25, leicester=36,
               hi=99, decimals=0, ci=4.5),
        Series("public_library_visits", ("2023-04-01/P1Y",), 27, 4, tilt=-5, leicester=33,
               hi=99, decimals=0, ci=4.0),
    ),
}  # fmt: skip


def _areas(w: World) -> tuple[list[tuple[str, str]], np.ndarray]:
    """(code, name) of every published area and a membership matrix (areas x districts):
    the districts themselves, Leicestershire county, the regions, England and the UK."""
    d = w.districts
    codes = d["code"].tolist()
    areas = list(zip(codes, d["name"], strict=True))
    rows = [np.eye(len(codes), dtype=bool)]
    groups = [(COUNTY, [c in COUNTY_MEMBERS for c in codes])]
    for (rc, rn), grp in d.groupby(["region_code", "region_name"]):
        groups.append(((rc, rn), d["code"].isin(grp["code"]).tolist()))
    groups += [(ENGLAND, [True] * len(codes)), (UK, [True] * len(codes))]
    for area, mask in groups:
        areas.append(area)
        rows.append(np.array([mask], dtype=bool))
    return areas, np.vstack(rows)


def _draw(w: World, s: Series, areas, member: np.ndarray) -> pd.DataFrame:
    """code, name, period, value, lo, hi, status for districts, county and benchmarks."""
    d = w.districts
    g = rng(f"els_{s.measure}")
    pop = w.population[w.population["year"] == max(w.years)].set_index("code")["population"]
    pop = pop.reindex(d["code"]).to_numpy(dtype=float)
    rel = d["relative_productivity"].to_numpy()
    base = (
        s.level
        + s.tilt * (rel - 0.95)
        + s.rural * -np.log(pop / 150_000)
        + g.normal(0, s.spread, len(d))
    )
    is_lei = (d["code"] == "E06000016").to_numpy()
    if s.leicester is not None:
        base[is_lei] = s.leicester
    n, k = len(d), len(s.periods)
    noise = g.normal(0, s.spread / 4, (n, k))
    noise[is_lei] *= 0.3  # keep the city near its published level
    v = np.clip(base[:, None] + s.trend * np.arange(k)[None, :] + noise, s.lo, s.hi)
    if s.lo < 0:  # a measure that can be negative shows it once (the smallest district)
        v[int(np.argmin(pop)), 0] = -1.0
    # areas: population-weighted means of their districts (each district is its own area)
    weight = member @ pop
    values = (member * pop) @ v / weight[:, None]
    keep = np.ones(len(areas), dtype=bool)
    if not s.uk:
        keep[[i for i, (c, _) in enumerate(areas) if c == UK[0]]] = False
    values, weight = values[keep], weight[keep]
    names = [a for a, k_ in zip(areas, keep, strict=True) if k_]
    m = len(names)
    out = pd.DataFrame(
        {
            "code": np.repeat([c for c, _ in names], k),
            "name": np.repeat([nm for _, nm in names], k),
            "period": np.tile(np.array(s.periods, dtype=object), m),
            "value": values.reshape(-1),
            "wt": np.repeat(weight, k),
        }
    )
    if s.ci:
        half = s.ci * np.sqrt(150_000 / out["wt"].to_numpy())
        out["lo"] = np.clip(out["value"] - half, s.lo, s.hi)
        out["hi"] = np.clip(out["value"] + half, s.lo, s.hi)
    if s.round_to:
        out["value"] = (out["value"] / s.round_to).round() * s.round_to
    out["value"] = out["value"].round(s.decimals)
    if s.ci:
        out["lo"], out["hi"] = out["lo"].round(s.decimals), out["hi"].round(s.decimals)
    out["status"] = None
    if s.suppress:
        smallest = d["code"].iloc[int(np.argmin(pop))]
        hit = (out["code"] == smallest) & (out["period"] == s.periods[0])
        out.loc[hit, ["value", "lo", "hi"]] = np.nan
        out.loc[hit, "status"] = "x"
    return out


def _frame(s_measure: str, f: pd.DataFrame, ci: bool) -> pd.DataFrame:
    from ..sources.els import period_year

    year_of = {p: period_year(p) for p in set(f["period"])}
    return _obs(
        s_measure,
        f["code"],
        f["name"],
        f["period"].map(year_of).to_numpy(),
        f["value"],
        period=f["period"].to_numpy(dtype=object),
        ci_lower=f["lo"].to_numpy() if ci else None,
        ci_upper=f["hi"].to_numpy() if ci else None,
        status=f["status"].to_numpy(dtype=object),
    )


def _money_above_districts(w: World) -> dict[str, pd.DataFrame]:
    """FDI positions (ITL1, ITL2, UK) and public-funded R&D (regions, England, UK), £m."""
    d = w.districts
    last = max(w.years)
    gva = w.labour.pivot_table(index="code", columns="year", values="gva_current", aggfunc="sum")

    def total(members, y: int) -> float:
        return float(gva.loc[members, min(y, last)].sum())

    g = rng("els_fdi")
    rows = []
    groups = [
        (code, nm, list(grp["code"]))
        for col, ncol in (("itl1", "itl1_name"), ("itl2", "itl2_name"))
        for (code, nm), grp in d.groupby([col, ncol])
    ]
    groups.append((UK[0], UK[1], list(d["code"])))
    for code, nm, members in groups:
        inward = float(np.clip(g.normal(0.85, 0.25), 0.2, 1.8))
        outward = float(np.clip(g.normal(0.6, 0.3), 0.05, 1.8))
        for y in range(2019, 2025):
            drift = 1 + 0.03 * (y - 2019) + g.normal(0, 0.05)
            rows.append(
                ("fdi_inward_position", code, nm, y, round(total(members, y) * inward * drift))
            )
            rows.append(
                ("fdi_outward_position", code, nm, y, round(total(members, y) * outward * drift))
            )
    fdi = pd.DataFrame(rows, columns=["measure", "code", "name", "year", "value"])
    fdi["status"] = None
    # one synthetic ITL2 region's latest outward position is confidential, as ONS prints 'c'
    small = fdi[(fdi["code"].str.len() == 4) & ~fdi["code"].str.startswith("TLF")]["code"].min()
    hit = (
        (fdi["code"] == small) & (fdi["year"] == 2024) & (fdi["measure"] == "fdi_outward_position")
    )
    fdi.loc[hit, "value"], fdi.loc[hit, "status"] = np.nan, "c"

    gr = rng("els_public_rd")
    rd = []
    regions = [
        (c, n, list(grp["code"])) for (c, n), grp in d.groupby(["region_code", "region_name"])
    ]
    shares = {c: float(np.clip(gr.normal(0.004, 0.0015), 0.0015, 0.009)) for c, _, _ in regions}
    for y in (2020, 2021):
        by_region = {c: round(total(m, y + 1) * shares[c]) for c, _, m in regions}
        for c, n, _ in regions:
            rd.append((c, n, y, by_region[c]))
        rd.append((ENGLAND[0], ENGLAND[1], y, sum(by_region.values())))
        rd.append((UK[0], UK[1], y, sum(by_region.values())))
    rdf = pd.DataFrame(rd, columns=["code", "name", "year", "value"])

    out = {
        "els_foreign_direct_investment": pd.concat(
            [
                _obs(
                    m,
                    grp["code"],
                    grp["name"],
                    grp["year"],
                    grp["value"],
                    period=np.array([f"{y}-01-01/P1Y" for y in grp["year"]], dtype=object),
                    status=grp["status"].to_numpy(dtype=object),
                )  # fmt: skip
                for m, grp in fdi.groupby("measure", sort=False)
            ],
            ignore_index=True,
        ),
        "els_research_and_development_public_funded": _obs(
            "public_rd_expenditure",
            rdf["code"],
            rdf["name"],
            rdf["year"] + 1,  # the financial year ending in March of the next year
            rdf["value"],
            period=np.array([f"{y}-04-01/P1Y" for y in rdf["year"]], dtype=object),
        ),
    }
    return out


def els_families_obs(w: World) -> dict[str, pd.DataFrame]:
    """Observations for every ELS family in :data:`SERIES`, plus FDI and public R&D."""
    out: dict[str, pd.DataFrame] = {}
    areas, member = _areas(w)
    for dataset, series in SERIES.items():
        out[dataset] = pd.concat(
            [_frame(s.measure, _draw(w, s, areas, member), ci=bool(s.ci)) for s in series],
            ignore_index=True,
        )
    out.update(_money_above_districts(w))
    return out
