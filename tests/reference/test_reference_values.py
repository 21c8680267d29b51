"""Reference values: every indicator with real data for Leicester and Leicestershire.

One row of ``REFERENCES`` per indicator that has a value for E37000021 on the real files
in ``../shared/data/public``: the headline year, L&L's value, one benchmark (the UK or
England; the East Midlands where neither can be built), an earlier year where the
indicator is a series, and the tolerance. Each figure is written down, statsmodels-style,
and worked out again here from the publisher's cells by the few lines of its formula
below (file, sheet, rows and columns beside them), by DESIGN.md's rules: additive
measures summed over the eight districts, ratios from summed numerators and
denominators, survey rates pooled with 16-64 population weights, published figures
where the publisher prints one for exactly the area (UKX, K02000001). The readers in
``published.py`` open the files with pandas and python-calamine; nothing here uses the
package's parsers, so the package is checked against an independent reading.

``tests/reference/README.md`` lists each value with its source cell (a test keeps it in
step with this table); the README's headline figures come from there.

The tests:

- ``test_reference_from_cells``: the formula, run on the published cells, gives the
  written-down figure (a new release of a file shows up here first);
- ``test_package`` (area, benchmark, earlier year): ``lis_analysis.indicators.table`` and
  ``panel`` on the ingested real files give the same figure as the formula, for the
  same year and benchmark code.

A disagreement that is the package's is marked ``xfail(strict=True)`` with its cause,
never absorbed into the expected value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.reference.published import (
    LL,
    TLF22,
    cells,
    els_cells,
    england_districts,
    gva_by_industry,
    gva_rows,
    num,
    region_districts,
    sheet,
    uk_districts,
)

pytestmark = [pytest.mark.shared, pytest.mark.slow]

Codes = Sequence[str]
LL_CODE = "E37000021"
UK, ENGLAND, EAST_MIDLANDS = "K02000001", "E92000001", "E12000004"

# ==================================================================================
# The formulas: each computes a figure for a set of published rows and a year.
# ==================================================================================

# ---- ONS Subregional productivity, June 2024, by local authority district ---------
# labourproductivitylocalauthorities.xls: title rows 0-3, header on row 4, one row per
# LAD_Code (UKX = UK less Extra-Regio), one column per year.
LAD_XLS = "productivity/labourproductivitylocalauthorities.xls"
ITL_XLS = "productivity/labourproductivityitls.xls"  # same layout, codes in ITL_code


def _lad(name: str) -> pd.DataFrame:
    return sheet(LAD_XLS, name, header=4)


def hours_worked(codes: Codes, year: int) -> float:
    # 'Productivity Hours' (weekly hours worked), column Hours_<year>, Σ over the rows
    return cells(_lad("Productivity Hours"), codes, f"Hours_{year}").sum()


def filled_jobs(codes: Codes, year: int) -> float:
    # 'Productivity Jobs', column Jobs_<year>, Σ over the rows
    return cells(_lad("Productivity Jobs"), codes, f"Jobs_{year}").sum()


def gva_per_hour(codes: Codes, year: int) -> float:
    # Σ GVA / Σ hours = Σ(A3 £ per hour × hours) / Σ hours
    pounds = cells(_lad("A3"), codes, f"Pounds_{year}")  # A3: smoothed CP GVA per hour, £
    weight = cells(_lad("Productivity Hours"), codes, f"Hours_{year}")
    return (pounds * weight).sum() / weight.sum()


def gva_per_hour_index(codes: Codes, year: int) -> float:
    # the area's GVA per hour ÷ row UKX of A3 × 100 (UKX prints 100 in A1)
    return gva_per_hour(codes, year) / gva_per_hour(["UKX"], year) * 100


def gva_per_job(codes: Codes, year: int) -> float:
    # Σ(B3 £ per filled job × 'Productivity Jobs' Jobs_<year>) / Σ jobs
    pounds = cells(_lad("B3"), codes, f"Pounds_{year}")
    weight = cells(_lad("Productivity Jobs"), codes, f"Jobs_{year}")
    return (pounds * weight).sum() / weight.sum()


def productivity_spread(codes: Codes, year: int) -> float:
    # districts' GVA per hour from the newest release that prints them: ELS
    # gross-value-added.csv (June 2025, to 2023), 'Gross value added per hour worked',
    # period '<year>-01-01/P1Y': highest district ÷ lowest
    pounds = els_cells("gross-value-added", "Gross value added per hour worked", year, codes)
    return pounds.max() / pounds.min()


# ---- ONS regional GVA (balanced) by industry, local authorities, 17 April 2025 ----
# The nine English workbooks, header row 1, rows (LA code, SIC07), one column per year.
# Table 3: current prices, £ million. Table 2: chained volume measures, £ million.
SECTIONS = ("AB (1-9)", "C (10-33)", "DE (35-39)", "F (41-43)", "G (45-47)", "H (49-53)",
            "I (55-56)", "J (58-63)", "K (64-66)", "L (68)", "M (69-75)", "N (77-82)",
            "O (84)", "P (85)", "Q (86-88)", "R (90-93)", "S (94-96)", "T (97-98)")  # fmt: skip


def gva_total(codes: Codes, year: int) -> float:
    # Table 3, SIC07 'Total', column <year>, Σ £ million
    return gva_rows("Table 3", "Total", year, codes).sum()


def real_gva_growth(codes: Codes, year: int) -> float:
    # Table 2 (CVM), SIC07 'Total': (Σ <year> / Σ <year - 5>) ^ (1/5) - 1, in % a year
    end = gva_rows("Table 2", "Total", year, codes).sum()
    start = gva_rows("Table 2", "Total", year - 5, codes).sum()
    return ((end / start) ** (1 / 5) - 1) * 100


def knowledge_intensive_share(codes: Codes, year: int) -> float:
    # Table 3: Σ rows 'J (58-63)', 'K (64-66)', 'M (69-75)' / Σ row 'Total', × 100
    jkm = sum(
        gva_rows("Table 3", s, year, codes).sum() for s in ("J (58-63)", "K (64-66)", "M (69-75)")
    )
    return jkm / gva_total(codes, year) * 100


def tech_manufacturing_share(codes: Codes, year: int) -> float:
    # Table 3: Σ row 'CI-CL (26-30)' / Σ row 'Total', × 100
    return gva_rows("Table 3", "CI-CL (26-30)", year, codes).sum() / gva_total(codes, year) * 100


def _section_shares(codes: Codes, year: int) -> pd.Series:
    # Table 3: each of the 18 section rows summed over the districts, ÷ their sum
    by_section = pd.Series({s: gva_rows("Table 3", s, year, codes).sum() for s in SECTIONS})
    return by_section / by_section.sum()


def _england_with_every_section(year: int) -> list[str]:
    # English districts whose 18 section cells in Table 3 are all printed for <year>
    # (Cornwall, Isles of Scilly, Broxbourne and Stevenage print [c])
    d = gva_by_industry("Table 3")
    d = d[d["SIC07"].isin(SECTIONS)]
    suppressed = set(d.index[num(d[str(year)]).isna()])
    return [c for c in england_districts() if c not in suppressed]


def industry_specialisation(codes: Codes, year: int) -> float:
    # Krugman index: Σ over the 18 sections |area share - England share|
    nation = _section_shares(_england_with_every_section(year), year)
    return (_section_shares(codes, year) - nation).abs().sum()


# ---- Population ------------------------------------------------------------------
# populationestimatesbylocalauthority.xlsx, sheet 'Population data', header row 0,
# codes in 'LA code', one column per year (the regional accounts' population table).
POP_XLSX = "population/populationestimatesbylocalauthority.xlsx"
# ukpopestimatesmid2020on2021geography.xls, 'MYE2 - Persons', header row 7: 'Code',
# 'All ages', then single years of age 0 ... 89, '90+' (mid-2020, pre-Census-2021 basis).
MYE_XLS = "population/ukpopestimatesmid2020on2021geography.xls"


def _residents(codes: Codes, year: int) -> pd.Series:
    return cells(sheet(POP_XLSX, "Population data", header=0, code_col="LA code"), codes, str(year))


def population(codes: Codes, year: int) -> float:
    # 'Population data', column <year>, Σ residents
    return _residents(codes, year).sum()


def gva_per_head(codes: Codes, year: int) -> float:
    # Σ Table 3 'Total' (£ million × 10^6) / Σ 'Population data' residents
    return gva_total(codes, year) * 1e6 / population(codes, year)


def gva_per_head_spread(codes: Codes, year: int) -> float:
    # each district's Table 3 'Total' × 10^6 / its residents; highest ÷ lowest
    per_head = gva_rows("Table 3", "Total", year, codes) * 1e6 / _residents(codes, year)
    return per_head.max() / per_head.min()


def _working_age(codes: Codes) -> pd.Series:
    # MYE2 - Persons: Σ of the columns 16 ... 64, per row
    d = sheet(MYE_XLS, "MYE2 - Persons", header=7, code_col="Code")
    return num(d.loc[list(codes), [str(age) for age in range(16, 65)]]).sum(axis=1)


def working_age_share(codes: Codes, year: int) -> float:
    # MYE2 - Persons: Σ ages 16-64 / Σ 'All ages', × 100; both from the one mid-2020 table
    assert year == 2020, "the single-year-of-age table is mid-2020 only"
    all_ages = cells(sheet(MYE_XLS, "MYE2 - Persons", header=7, code_col="Code"), codes, "All ages")
    return _working_age(codes).sum() / all_ages.sum() * 100


# ---- Annual Population Survey rates (ONS Explore Local Statistics CSVs) -----------
def _pooled(csv: str, indicator: str) -> Callable[[Codes, int], float]:
    # indicators_els/<csv>.csv, rows (areacd, indicator, period '<year>-01-01/P1Y'),
    # column 'observation'; pooled = Σ(rate × 16-64 population) / Σ 16-64 population,
    # the mid-2020 MYE2 base for every year (docs/assumptions.md A5)
    def of(codes: Codes, year: int) -> float:
        rate = els_cells(csv, indicator, year, codes)
        base = _working_age(codes)
        return (rate * base).sum() / base.sum()

    return of


def no_qualifications_share(codes: Codes, year: int) -> float:
    # indicators_els/qualifications-none-gb.csv 'No qualifications'. Two of L&L's
    # districts are suppressed (x), so L&L comes from its published parts: Leicester
    # E06000016 and Leicestershire E10000018 (the county's districts as ASHE prints them),
    # weighted by their MYE2 16-64 populations (the county's: Σ of its seven districts)
    csv, indicator = "qualifications-none-gb", "No qualifications"
    if tuple(codes) == LL:
        parts = {"E06000016": LL[:1], "E10000018": LL[1:]}
        rate = els_cells(csv, indicator, year, list(parts))
        base = pd.Series({p: _working_age(m).sum() for p, m in parts.items()})
        return (rate * base).sum() / base.sum()
    return _pooled(csv, indicator)(codes, year)


employment_rate = _pooled("employment-rate", "Employment rate")
economic_inactivity_rate = _pooled("employment-rate", "Economically inactive")
rqf3_plus_share = _pooled(
    "qualifications-level-3-or-above", "Level 3 or above qualifications (Great Britain)"
)

# ---- ASHE Table 7.1a 2024 (provisional), sheet All: header row 4, codes in 'Code' ----
# Jobs (thousand) in column C, the median in D, percentiles 10 ... 90 in H-Q (x: CV > 20%).
ASHE7 = "earnings/PROV - Work Geography Table 7.1a   Weekly pay - Gross 2024.xlsx"
ASHE_PCTS = ("10", "20", "25", "30", "40", "60", "70", "75", "80", "90")


def median_pay_workplace(codes: Codes, year: int) -> float:
    # No median is printed for L&L: the median of the jobs-weighted mixture of its parts'
    # distributions (Leicester UA E06000016, Leicestershire E10000018), each cumulative
    # distribution linear between its printed percentiles; solved on a fine grid (an
    # independent reading of methods.parts.mixture_median). Other rows: the printed median.
    assert year == 2024, "one year of ASHE stored"
    d = sheet(ASHE7, "All", header=4, code_col="Code")
    parts = ["E06000016", "E10000018"] if tuple(codes) == LL else list(codes)
    if len(parts) == 1:
        return float(cells(d, parts, "Median").iloc[0])
    jobs = num(d.loc[parts].iloc[:, 2]).astype(float)
    curves = []
    for c in parts:
        pts = {50.0: float(d.loc[c, "Median"])}
        pts |= {float(p): v for p, v in num(d.loc[c, list(ASHE_PCTS)]).items() if pd.notna(v)}
        xs = sorted(pts.values())
        curves.append((xs, [p / 100 for p in sorted(pts)]))
    lo, hi = max(x[0] for x, _ in curves), min(x[-1] for x, _ in curves)
    grid = np.linspace(lo, hi, 400_001)
    w = jobs / jobs.sum()
    mix = sum(wi * np.interp(grid, x, p) for wi, (x, p) in zip(w, curves, strict=True))
    return float(grid[np.argmin(np.abs(mix - 0.5))])


# ---- MHCLG English Indices of Deprivation, File 10 (lower-tier districts) ---------
# Sheet IMD, header row 0, codes in column 0, 'IMD - Average score' (column E).
IOD = {
    2019: "deprivation/File_10_-_IoD2019_Local_Authority_District_Summaries__lower-tier__.xlsx",
    2025: "deprivation/File_10_-_IoD2025_Local_Authority_District_Summaries__lower-tier__v2.xlsx",
}


def imd_score(codes: Codes, year: int) -> float:
    # Σ(district average score × residents) / Σ residents; residents from 'Population
    # data' in the year nearest the edition (2019 for IoD2019, 2023 for IoD2025)
    score = cells(sheet(IOD[year], "IMD", header=0), codes, "IMD - Average score")
    residents = _residents(codes, min(year, 2023))
    return (score * residents).sum() / residents.sum()


# ---- ONS Business Demography 2024 (20 November 2025) ------------------------------
# businessdemographyexceltables2024.xlsx: title rows 0-2, header on row 3, codes in
# column 0. Births 'Table 1.1a' (2019), 1.1b (2020), 1.1c (2021-23), 1.1d (2024);
# deaths 2.1a-d and active enterprises 3.1a-d likewise; survival of each year's births
# 5.1a (2019) ... 5.1e (2023).
BD_XLSX = "business/businessdemographyexceltables2024.xlsx"


def _count(table: str, codes: Codes, year: int) -> float:
    letter = {2019: "a", 2020: "b", 2021: "c", 2022: "c", 2023: "c", 2024: "d"}[year]
    return cells(sheet(BD_XLSX, f"Table {table}{letter}", header=3), codes, str(year)).sum()


def business_birth_rate(codes: Codes, year: int) -> float:
    # Σ births (1.1x) / Σ active enterprises (3.1x), column <year>, × 100
    return _count("1.1", codes, year) / _count("3.1", codes, year) * 100


def business_death_rate(codes: Codes, year: int) -> float:
    # Σ deaths (2.1x) / Σ active enterprises (3.1x), column <year>, × 100
    return _count("2.1", codes, year) / _count("3.1", codes, year) * 100


def survival_3yr(codes: Codes, year: int) -> float:
    # Table 5.1<a-e> of <year>'s births: Σ '3-year survival' / Σ '<year> Births', × 100
    d = sheet(BD_XLSX, "Table 5.1" + "abcde"[year - 2019], header=3)
    return cells(d, codes, "3-year survival").sum() / cells(d, codes, f"{year} Births").sum() * 100


def business_density(codes: Codes, year: int) -> float:
    # Σ active enterprises (3.1x) per 10,000 residents aged 16-64 (MYE2, mid-2020, the
    # only working-age base stored: used for every year, as the indicator's caveat says)
    return _count("3.1", codes, year) / _working_age(codes).sum() * 10_000


# ---- ONS UK business: activity, size and location 2025 (24 September 2025) --------
# ukbusinessworkbook2025new.xlsx, 'Table 10 ' (enterprises by employment size band),
# band labels on row 4, codes in column 0 printed as "E06000016 : Leicester".
UKBIZ_XLSX = "business/ukbusinessworkbook2025new.xlsx"


def large_business_share(codes: Codes, year: int) -> float:
    # Σ columns '50-99', '100-249', '250+' / Σ column 'Total', × 100
    assert year == 2025, "the workbook is the 2025 edition"
    d = sheet(UKBIZ_XLSX, "Table 10 ", header=4)
    large = sum(cells(d, codes, band).sum() for band in ("50-99", "100-249", "250+"))
    return large / cells(d, codes, "Total").sum() * 100


def high_growth_rate(codes: Codes, year: int) -> float:
    # Σ high-growth enterprises ('Table 7.1d', 2019: 7.1a) / Σ active enterprises with
    # 10+ employees ('Table 7.3d', 2019: 7.3a), column <year>, × 100
    return _count("7.1", codes, year) / _count("7.3", codes, year) * 100


def survival_5yr(codes: Codes, year: int) -> float:
    # Table 5.1a of 2019's births (the only cohort five years old): Σ '5-year survival' /
    # Σ '2019 Births', × 100
    d = sheet(BD_XLSX, "Table 5.1" + "abcde"[year - 2019], header=3)
    return cells(d, codes, "5-year survival").sum() / cells(d, codes, f"{year} Births").sum() * 100


def turnover_1m_plus_share(codes: Codes, year: int) -> float:
    # 'Table 11' (enterprises by turnover band, £ thousand), band labels on row 4:
    # Σ columns '1000-1999' ... '50000+' / Σ column 'Total', × 100
    assert year == 2025, "the workbook is the 2025 edition"
    d = sheet(UKBIZ_XLSX, "Table 11", header=4)
    bands = ("1000-1999", "2000-4999", "5000-9999", "10000-49999", "50000+")
    return sum(cells(d, codes, b).sum() for b in bands) / cells(d, codes, "Total").sum() * 100


def knowledge_intensive_enterprise_share(codes: Codes, year: int) -> float:
    # 'Table 1' (enterprises by broad industry group), labels on row 3: Σ columns
    # '58-63 : Information & communication', '64-66 : Finance & insurance' and
    # '69-75 : Professional, scientific & technical' / Σ column 'Total', × 100
    assert year == 2025, "the workbook is the 2025 edition"
    d = sheet(UKBIZ_XLSX, "Table 1", header=3)
    groups = [c for c in d.columns if c.split(" : ")[0] in ("58-63", "64-66", "69-75")]
    assert len(groups) == 3, groups
    return sum(cells(d, codes, c).sum() for c in groups) / cells(d, codes, "Total").sum() * 100


# ==================================================================================
# The table
# ==================================================================================
#: The published rows a benchmark is made of: a row the publisher prints for it, or its
#: districts (from the ONS lookups) where the rules build it.
ROWS: dict[str, Callable[[], Codes]] = {
    "UKX": lambda: ("UKX",),  # ONS productivity tables' UK less Extra-Regio
    UK: lambda: (UK,),
    "England districts": england_districts,
    "East Midlands districts": lambda: region_districts(EAST_MIDLANDS),
    "UK districts": uk_districts,
}


@dataclass(frozen=True)
class Ref:
    indicator: str
    formula: Callable[[Codes, int], float]
    year: int  # the headline (latest) year; for growth, the end of the period
    value: float  # Leicester and Leicestershire
    benchmark: str  # benchmark_code in the package's table
    bench_rows: str  # key of ROWS
    bench_value: float
    earlier: int | None  # an earlier year of the series (None: one year published)
    earlier_value: float | None
    tol: float  # absolute, in the indicator's unit
    source: str  # file, sheet, rows, columns (README.md)
    known: dict[str, str] = field(default_factory=dict)  # part -> package defect
    # False: the package deliberately prints no national benchmark (a spread is read
    # against the peers' median: England's spread is the City of London's; issue 15)
    package_benchmark: bool = True


REFERENCES: list[Ref] = [
    Ref("gva_per_hour", gva_per_hour, 2022, 34.745876, UK, "UKX", 39.7, 2017, 30.553114, 0.0005,
        "labourproductivitylocalauthorities.xls A3 Pounds_<year> × 'Productivity Hours' Hours_<year>, 8 LAD_Code rows; UK = row UKX"),
    Ref("gva_per_hour_index", gva_per_hour_index, 2022, 87.521099, UK, "UKX", 100.0, 2017, 89.076135, 0.0005,
        "as gva_per_hour, ÷ A3 row UKX × 100 (A1 prints UKX = 100)"),
    Ref("gva_per_job", gva_per_job, 2022, 53883.969, UK, "UKX", 61729.3, 2017, 49174.616, 0.05,
        "labourproductivitylocalauthorities.xls B3 Pounds_<year> × 'Productivity Jobs' Jobs_<year>; UK = row UKX"),
    Ref("hours_worked", hours_worked, 2022, 16459738, UK, "UKX", 1046084579, 2017, 15628676, 0.5,
        "labourproductivitylocalauthorities.xls 'Productivity Hours' Hours_<year>; UK = row UKX"),
    Ref("filled_jobs", filled_jobs, 2022, 540142, UK, "UKX", 34082047, 2017, 509633, 0.5,
        "labourproductivitylocalauthorities.xls 'Productivity Jobs' Jobs_<year>; UK = row UKX"),
    Ref("gva_total", gva_total, 2023, 33342, ENGLAND, "England districts", 2113330, 2018, 25829, 0.5,
        "regionalgrossvalueaddedbalancedbyindustrylocalauthorities*.xlsx 'Table 3' SIC07 'Total', column <year>"),
    Ref("gva_per_head", gva_per_head, 2023, 29935.491, ENGLAND, "England districts", 36632.313, 2018, 24316.879, 0.005,
        "GVA 'Table 3' 'Total' × 10^6 / populationestimatesbylocalauthority.xlsx 'Population data' <year>"),
    Ref("real_gva_growth", real_gva_growth, 2023, 1.0559865, ENGLAND, "England districts", 0.96166118, 2018, 1.8237981, 0.00005,
        "GVA 'Table 2' (CVM) 'Total', columns <year> and <year - 5>"),
    Ref("population", population, 2023, 1113795, ENGLAND, "England districts", 57690324, 2018, 1062184, 0.5,
        "populationestimatesbylocalauthority.xlsx 'Population data', column <year>"),
    Ref("knowledge_intensive_share", knowledge_intensive_share, 2023, 14.267291, EAST_MIDLANDS, "East Midlands districts", 12.363748, 2018, 13.496457, 0.00005,
        "GVA 'Table 3' rows 'J (58-63)' + 'K (64-66)' + 'M (69-75)' / 'Total'; England has [c] in J and K (Cornwall, Isles of Scilly), so the region"),
    Ref("tech_manufacturing_share", tech_manufacturing_share, 2023, 2.9812249, EAST_MIDLANDS, "East Midlands districts", 4.0279696, 2018, 4.2394208, 0.00005,
        "GVA 'Table 3' row 'CI-CL (26-30)' / 'Total'; the region, as for the knowledge-intensive share"),
    Ref("industry_specialisation", industry_specialisation, 2023, 0.27955128, EAST_MIDLANDS, "East Midlands districts", 0.28451427, 2018, 0.28804342, 0.000005,
        "GVA 'Table 3', the 18 section rows; shares against England without its 4 districts printing [c]"),
    Ref("gva_per_head_spread", gva_per_head_spread, 2023, 2.8328158, ENGLAND, "England districts", 583.36069, 2018, 2.7067407, 0.000005,
        "per district: GVA 'Table 3' 'Total' × 10^6 / 'Population data'; highest ÷ lowest",
        package_benchmark=False),
    Ref("productivity_spread", productivity_spread, 2023, 1.4756272, UK, "UK districts", 3.5408249, 2018, 1.5179678, 0.000005,
        "indicators_els/gross-value-added.csv 'Gross value added per hour worked' <year>-01-01/P1Y: highest ÷ lowest district (the newest release printing districts)",
        package_benchmark=False),
    Ref("employment_rate", employment_rate, 2023, 75.843160, UK, UK, 75.7, 2018, 73.571409, 0.00005,
        "indicators_els/employment-rate.csv 'Employment rate' <year>-01-01/P1Y, weights MYE2 ages 16-64; UK = row K02000001"),
    Ref("economic_inactivity_rate", economic_inactivity_rate, 2023, 20.480964, UK, UK, 21.3, 2018, 22.571454, 0.00005,
        "indicators_els/employment-rate.csv 'Economically inactive', weights MYE2 ages 16-64; UK = row K02000001"),
    Ref("rqf3_plus_share", rqf3_plus_share, 2023, 65.310392, UK, UK, 67.7, 2022, 64.562017, 0.00005,
        "indicators_els/qualifications-level-3-or-above.csv, weights MYE2 ages 16-64; UK = row K02000001"),
    Ref("working_age_share", working_age_share, 2020, 63.119834, UK, UK, 62.379632, None, None, 0.00005,
        "ukpopestimatesmid2020on2021geography.xls 'MYE2 - Persons': Σ columns 16..64 / Σ 'All ages'"),
    Ref("business_birth_rate", business_birth_rate, 2024, 10.822025, UK, UK, 11.101106, 2019, 12.990528, 0.00005,
        "businessdemographyexceltables2024.xlsx births 'Table 1.1d' / active 'Table 3.1d' (2019: 1.1a / 3.1a); UK = row K02000001"),
    Ref("business_death_rate", business_death_rate, 2024, 9.5884266, UK, UK, 9.8047410, 2019, 9.6752368, 0.00005,
        "businessdemographyexceltables2024.xlsx deaths 'Table 2.1d' / active 'Table 3.1d' (2019: 2.1a / 3.1a); UK = row K02000001"),
    Ref("survival_3yr", survival_3yr, 2021, 50.572687, UK, UK, 53.485625, 2019, 52.34375, 0.00005,
        "businessdemographyexceltables2024.xlsx 'Table 5.1c' (2019: 5.1a) '3-year survival' / '<year> Births'; UK = row K02000001"),
    Ref("business_density", business_density, 2024, 661.92572, UK, UK, 683.36316, 2019, 658.28836, 0.0005,
        "active 'Table 3.1d' (2019: 3.1a) × 10,000 / MYE2 ages 16-64 (mid-2020); UK = row K02000001"),
    Ref("large_business_share", large_business_share, 2025, 2.0434227, UK, UK, 2.0324616, None, None, 0.00005,
        "ukbusinessworkbook2025new.xlsx 'Table 10 ' columns '50-99' + '100-249' + '250+' / 'Total'; UK = row K02000001"),
    Ref("high_growth_rate", high_growth_rate, 2024, 4.4181034, UK, UK, 4.9054343, 2019, 4.3388430, 0.00005,
        "businessdemographyexceltables2024.xlsx high growth 'Table 7.1d' / active 10+ employees 'Table 7.3d' (2019: 7.1a / 7.3a); UK = row K02000001"),
    Ref("survival_5yr", survival_5yr, 2019, 36.631944, UK, UK, 38.437436, None, None, 0.00005,
        "businessdemographyexceltables2024.xlsx 'Table 5.1a' '5-year survival' / '2019 Births'; UK = row K02000001"),
    Ref("turnover_1m_plus_share", turnover_1m_plus_share, 2025, 11.401370, UK, UK, 11.486809, None, None, 0.00005,
        "ukbusinessworkbook2025new.xlsx 'Table 11' columns '1000-1999' ... '50000+' / 'Total'; UK = row K02000001"),
    Ref("knowledge_intensive_enterprise_share", knowledge_intensive_enterprise_share, 2025, 21.769418, UK, UK, 24.272155, None, None, 0.00005,
        "ukbusinessworkbook2025new.xlsx 'Table 1' columns '58-63', '64-66', '69-75' / 'Total'; UK = row K02000001"),
    # From its parts (issue 14): no single figure is published or can be built from the districts
    Ref("no_qualifications_share", no_qualifications_share, 2023, 8.1485230, UK, UK, 6.6, None, None, 0.00005,
        "indicators_els/qualifications-none-gb.csv 'No qualifications' 2023: Leicester and Leicestershire (county) rows, weights MYE2 ages 16-64; UK = row K02000001"),
    Ref("median_pay_workplace", median_pay_workplace, 2024, 563.22345, UK, UK, 613.3, None, None, 0.01,
        "ASHE 7.1a 2024 'All': jobs (C), median (D), percentiles (H-Q) of Leicester UA (row 83) and Leicestershire (row 97), jobs-weighted mixture; UK = D6"),
    Ref("imd_score", imd_score, 2025, 20.188649, ENGLAND, "England districts", 21.812683, 2019, 18.727623, 0.000005,
        "IoD File 10 (2019, 2025 v2) sheet IMD 'IMD - Average score' × 'Population data' residents (2019; 2023 for 2025)"),
]  # fmt: skip

BY_ID = {r.indicator: r for r in REFERENCES}


def _params(*, package: bool):
    """One case per indicator and part; the package's known defects as strict xfails."""
    out = []
    for r in REFERENCES:
        for part in ("area", "benchmark", "earlier"):
            if part == "earlier" and r.earlier is None:
                continue
            known = package and part in r.known
            marks = [pytest.mark.xfail(strict=True, reason=r.known[part])] if known else []
            out.append(pytest.param(r, part, id=f"{r.indicator}-{part}", marks=marks))
    return out


def _expected(r: Ref, part: str) -> tuple[int, float, float]:
    """(year, written-down value, value worked out from the cells) of one part."""
    if part == "area":
        return r.year, r.value, r.formula(LL, r.year)
    if part == "benchmark":
        return r.year, r.bench_value, r.formula(ROWS[r.bench_rows](), r.year)
    assert r.earlier is not None
    return r.earlier, r.earlier_value, r.formula(LL, r.earlier)


# ==================================================================================
# The tests
# ==================================================================================
@pytest.mark.parametrize(("ref", "part"), _params(package=False))
def test_reference_from_cells(public, ref: Ref, part: str):
    """The written-down figure is what the publisher's cells give by the formula."""
    year, written, worked = _expected(ref, part)
    assert worked == pytest.approx(written, abs=ref.tol), f"{ref.indicator} {part} {year}"


@pytest.fixture(scope="module")
def ll_table(public_store):
    """The package's indicator table for L&L against the UK, England and its region."""
    from lis_analysis.indicators import table

    obs, geo = public_store
    return table(geo.area(LL_CODE), obs=obs, geo=geo, benchmarks=("uk", "england", "region"))


@pytest.fixture(scope="module")
def ll_series(public_store):
    """Every year of every indicator for L&L, from the package."""
    from lis_analysis.indicators import panel

    obs, geo = public_store
    return panel([geo.area(LL_CODE)], obs=obs, geo=geo, indicators=list(BY_ID))


@pytest.mark.parametrize(("ref", "part"), _params(package=True))
def test_package(ll_table, ll_series, ref: Ref, part: str):
    """The package's figure equals the one worked out from the cells, same year."""
    year, _, worked = _expected(ref, part)
    rows = ll_table[ll_table["indicator_id"] == ref.indicator]
    assert len(rows), f"{ref.indicator}: no row ({ll_table.attrs['missing'].get(ref.indicator)})"
    assert (rows["year"] == ref.year).all(), f"headline year {rows['year'].iloc[0]}"
    if part == "area":
        got = rows["value"].iloc[0]
    elif part == "benchmark" and not ref.package_benchmark:
        assert not (rows["benchmark_code"] == ref.benchmark).any(), (
            f"{ref.indicator}: compared with {ref.benchmark}'s spread"
        )
        return
    elif part == "benchmark":
        bench = rows[rows["benchmark_code"] == ref.benchmark]
        assert len(bench) == 1, f"no {ref.benchmark} benchmark: {list(rows['benchmark_code'])}"
        got = bench["benchmark_value"].iloc[0]
    else:
        s = ll_series[(ll_series["indicator_id"] == ref.indicator) & (ll_series["year"] == year)]
        assert len(s) == 1, f"{ref.indicator}: {len(s)} rows for {year}"
        got = s["value"].iloc[0]
    assert got == pytest.approx(worked, abs=ref.tol), f"{ref.indicator} {part} {year}"


def test_every_indicator_with_a_value_has_a_reference(ll_table):
    """A new indicator with a real L&L value needs its row here (and the reverse)."""
    assert set(ll_table["indicator_id"]) == set(BY_ID)


def test_the_rule_reproduces_an_ons_itl3_figure(public):
    """Σ(£ per hour × hours) / Σ hours over TLF22's eight districts (Leicestershire's
    seven and Rutland) gives ONS's own TLF22 figure, printed to one decimal place
    (labourproductivityitls.xls A3, row TLF22, Pounds_2022 = 34.3)."""
    published = cells(sheet(ITL_XLS, "A3", header=4, code_col="ITL_code"), ["TLF22"], "Pounds_2022")
    assert gva_per_hour(TLF22, 2022) == pytest.approx(34.290929, abs=5e-7)
    assert gva_per_hour(TLF22, 2022) == pytest.approx(published.iloc[0], abs=0.05)


def test_readme_lists_the_reference_values():
    """tests/reference/README.md shows each value of this table, as rounded there."""
    text = (Path(__file__).parent / "README.md").read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        m = re.match(r"\|\s*`(\w+)`\s*\|\s*(?:\d{4}-)?(\d{4})\s*\|\s*([-\d.,]+)\s*\|", line)
        if m:
            rows[m.group(1)] = (int(m.group(2)), m.group(3).replace(",", ""))
    assert set(rows) == set(BY_ID)
    for iid, (year, shown) in rows.items():
        r = BY_ID[iid]
        decimals = len(shown.split(".")[1]) if "." in shown else 0
        assert year == r.year, iid
        assert float(shown) == pytest.approx(r.value, abs=0.51 * 10**-decimals), iid
