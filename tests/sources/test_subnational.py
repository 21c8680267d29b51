"""ONS Subnational indicators explorer parser against the real ninth-release workbook and
hand-made workbooks in the same layout."""

from __future__ import annotations

import math

import pytest

from lis_analysis.errors import InputError
from lis_analysis.sources import detect
from lis_analysis.sources.subnational import (
    MEASURES,
    SHEETS,
    SubnationalExplorer,
    period_year,
    slug,
)
from tests.helpers import write_workbook

REAL = "indicators_subnational/subnatindicators.xlsx"


def one(df, sheet, code):
    hit = df[(df.sheet == sheet) & (df.geography_code == code)]
    assert len(hit) == 1, (sheet, code, len(hit))
    return hit.iloc[0]


@pytest.fixture(scope="module")
def sub(public_file):
    path = public_file(REAL)
    return detect(path).parse(path)


@pytest.mark.shared
class TestRealWorkbook:
    def test_detected_all_sheets_read(self, sub, public_file):
        assert isinstance(detect(public_file(REAL)), SubnationalExplorer)
        assert set(sub.sheet) == set(SHEETS)  # all 50 indicator sheets, no doc sheet
        assert sub.measure.nunique() == 50 and set(sub.dataset) == {"ons_subnational_explorer"}
        assert set(sub.release) == {"2024-03-21"}  # Notes sheet: Release date 21/03/2024

    # Values as printed (the cells hold more digits; the explorer shows these).
    @pytest.mark.parametrize(
        "sheet,code,expected,tol",
        [
            ("GVA per hour", "E06000016", 34.09, 0.005),  # 2021, £ per hour
            ("Employment rate", "E06000016", 65.5, 0.05),  # Oct 2022 - Sep 2023, %
            ("Level 3+ qualifications", "E06000016", 54.9, 0.05),  # 2021, NVQ3+ %
            ("Level 3+ qualifications", "E10000018", 62.4, 0.05),  # Leicestershire county
            ("Broadband availability", "E06000016", 95.8, 0.05),  # Sep 2023, gigabit %
            ("Weekly pay", "K02000001", 574.9, 0.05),  # 2023, £
            ("New enterprises", "K02000001", 336925, 0.5),  # 2022, count
            ("UK exports", "K02000001", 654014, 0.5),  # 2021, £ million
        ],
    )
    def test_printed_values(self, sub, sheet, code, expected, tol):
        assert one(sub, sheet, code).value == pytest.approx(expected, abs=tol)

    def test_confidence_intervals(self, sub):
        # Employment rate, Leicester: 65.5 (61.3 to 69.7).
        r = one(sub, "Employment rate", "E06000016")
        assert (r.ci_lower, r.ci_upper) == (
            pytest.approx(61.3, abs=0.05),
            pytest.approx(69.7, abs=0.05),
        )
        assert math.isnan(one(sub, "GVA per hour", "E06000016").ci_lower)  # no interval printed

    def test_period_and_year(self, sub):
        er = one(sub, "Employment rate", "E06000016")
        assert (er.period, er.year) == ("10/2022 - 09/2023", 2023)
        assert one(sub, "KS2 attainment", "E92000001").period == "2022/23"
        assert one(sub, "KS2 attainment", "E92000001").year == 2023
        gov = one(sub, "Goverment R&D", "E12000004")
        assert (gov.period, gov.year, gov.measure) == (
            "Financial year ending 2021",
            2021,
            "government_r_and_d",
        )

    def test_na_marker(self, sub):
        ex = sub[sub.sheet == "UK exports"]
        # 35 'na' values printed; one belongs to Aberdeen City Region (code 'na', left out).
        assert (ex.status == "na").sum() == 34 and ex[ex.status == "na"].value.isna().all()
        assert one(sub, "UK exports", "TLC1").status == "na"  # Tees Valley and Durham
        assert set(sub.status.dropna()) == {"na"}

    def test_hierarchical_names(self, sub):
        # Names sit in different columns by level; one name per row whichever column.
        assert one(sub, "Employment rate", "K02000001").geography_name == "United Kingdom"
        assert one(sub, "Employment rate", "E12000004").geography_name == "East Midlands"
        assert one(sub, "Employment rate", "E07000129").geography_name == "Blaby"
        assert one(sub, "Employment rate", "E06000016").geography_level == "lad"
        assert sub.geography_name.notna().all()

    def test_codeless_city_regions_left_out_with_warning(self, sub):
        assert not (sub.geography_code == "na").any()
        w = sub.attrs["warnings"]
        assert (
            "sheet 'UK exports': 3 areas with code 'na' left out (no GSS code): Aberdeen City Region, "
            "Edinburgh and South East Scotland City Region, Glasgow City Region"
        ) in w
        assert any(s.startswith("593 rows with obsolete area codes kept as published") for s in w)
        assert not any("does not match the declared unit" in s for s in w)  # dictionary agrees

    def test_dictionary_metadata(self, sub):
        meta = sub.attrs["metadata"]["ons_subnational_explorer"]["measures"]
        assert meta["gva_per_hour"]["dictionary"]["unit_text"] == "Pounds"
        assert meta["employment_rate_ni"]["dictionary"]["metric"].endswith("(Northern Ireland)")
        assert meta["uk_exports"]["dictionary"]["unit_text"] == "Pounds (million)"

    def test_no_footnotes_as_data(self, sub):
        assert sub.groupby("sheet").size()["GVA per hour"] == 388
        assert sub.groupby("sheet").size()["Devolution"] == 10
        assert len(sub) == 14411


def test_measure_ids():
    assert slug("Level 3+ qualifications (NI)") == "level_3_plus_qualifications_ni"
    assert slug("GVA per hour") == "gva_per_hour"
    assert SHEETS["Goverment R&D"].id == "government_r_and_d"
    assert SHEETS["4G area coverage"].id == "area_coverage_4g"
    assert len(MEASURES) == len(SHEETS) == 50
    assert SHEETS["Employment rate"].denominator == "ons_population_mye:population_16_64"


@pytest.mark.parametrize(
    "text,year",
    [("2021", 2021), ("10/2022 - 09/2023", 2023), ("2022/23", 2023), ("1999/00", 2000),
     ("Financial year ending 2021", 2021), ("2019 revised", 2019), ("As at 31 January 2024", 2024),
     ("16/11/2021 - 15/11/2022", 2022), ("2018 - 2020", 2020), ("latest", None)],
)  # fmt: skip
def test_period_year(text, year):
    assert period_year(text) == year


# --------------------------------------------------------------------------------------
# Hand-made workbooks in the explorer layout
# --------------------------------------------------------------------------------------

NAME = "subnatindicators.xlsx"


def top(metric, date):
    return [
        ["(Back to Data Dictionary)"],
        ["Metric:", metric],
        ["Date:", date],
        ["Coverage:", "UK"],
        ["Geography:", "Local Authority Districts and Unitary Authorities, 2022"],
        ["Regions"],
    ]


def gva_sheet(rows, date="2021"):
    head = ["Area Code", "ITL Level 1", "County or Unitary Authority", "Local Authority District",
            "Gross Value Added (GVA) per hour worked (£)", "Notes"]  # fmt: skip
    return (
        top("Gross Value Added per hour worked (Official Statistics in Development)", date)
        + [head]
        + rows
    )


def er_sheet(rows):
    head = ["Area Code", "Country", "Nation", "Region", "County or Unitary Authority", "Local Authority District",
            "Combined Authority or City Region", "Employment rate, aged 16 to 64 years (%)",
            "Lower 95% Confidence Interval", "Upper 95% Confidence Interval", "Notes"]  # fmt: skip
    return (
        top("Employment rate aged 16 to 64 years", "10/2022 - 09/2023")
        + [["Countries"], head]
        + rows
    )


GOOD_GVA = [
    ["TLF", "East Midlands", None, None, 33.2, None],
    ["E06000016", None, "Leicester", None, 34.09, None],
    ["E07000129", None, None, "Blaby", 35.9, None],
    [
        "E07000004",
        None,
        None,
        "Aylesbury Vale",
        37.0,
        "Obsolete code since 2020 (replaced by E06000060 Buckinghamshire)",
    ],
]
GOOD_ER = [
    ["K02000001", "United Kingdom", None, None, None, None, None, 75.7, 75.4, 76.0, None],
    ["E06000016", None, None, None, "Leicester", None, None, 65.5, 61.3, 69.7, None],
    ["E09000001", None, None, None, None, "City of London", None, "na", "na", "na", None],
    ["na", None, None, None, None, None, "Glasgow City Region", 70.0, 69.0, 71.0, None],
]


def book(tmp_path, *, gva=None, er=None, extra=None, dictionary_unit="Pounds", name=NAME):
    sheets = {
        "Notes": [
            ["Subnational indicators explorer"],
            ["Ninth release"],
            ["Release date:"],
            ["21/03/2024"],
        ],
        "Data dictionary": [
            ["Metric data sources"],
            [],
            ["Metric", "Indicator", "Description", "Levelling Up category", "Measure"],
            ["Gross value added per hour worked", "GVA", "desc", "cat", dictionary_unit],
            [
                "Employment rate aged 16 to 64 years (Great Britain)",
                "ER",
                "desc",
                "cat",
                "Percentage",
            ],
        ],
        "GVA per hour": gva_sheet(GOOD_GVA if gva is None else gva),
        "Employment rate": er_sheet(GOOD_ER if er is None else er),
    }
    # Every other indicator sheet of the ninth release, with one figure for Leicester
    for sheet in SHEETS:
        if sheet not in sheets:
            sheets[sheet] = other_sheet(sheet)
    sheets.update(extra or {})
    return write_workbook(tmp_path / name, {k: v for k, v in sheets.items() if v is not None})


def other_sheet(sheet):
    head = ["Area Code", "Local Authority District", sheet, "Notes"]
    return top(sheet, "2021") + [head, ["E06000016", "Leicester", 1.0, None]]


class TestFixtures:
    def test_good_workbook(self, tmp_path):
        path = book(tmp_path)
        assert isinstance(detect(path), SubnationalExplorer)
        df = SubnationalExplorer().parse(path)
        r = one(df, "Employment rate", "E06000016")
        got = (r.value, r.ci_lower, r.ci_upper, r.period, r.year, r.row, r.col)
        assert got == (65.5, 61.3, 69.7, "10/2022 - 09/2023", 2023, 9, 7)
        city = one(df, "Employment rate", "E09000001")
        assert (
            city.status == "na"
            and math.isnan(city.value)
            and city.geography_name == "City of London"
        )
        assert one(df, "GVA per hour", "E07000129").geography_name == "Blaby"
        assert set(df.release) == {"2024-03-21"}
        w = df.attrs["warnings"]
        assert (
            "sheet 'Employment rate': 1 areas with code 'na' left out (no GSS code): Glasgow City Region"
            in w
        )
        assert (
            "1 rows with obsolete area codes kept as published (Notes 'Obsolete code since ...') in 1 sheets"
            in w
        )
        assert set(df.sheet) == set(SHEETS)

    def test_undeclared_sheet_is_an_error(self, tmp_path):
        # a sheet the parser does not know (a renamed one) used to be skipped with a warning
        path = book(tmp_path, extra={"Rainfall": gva_sheet(GOOD_GVA)})
        with pytest.raises(InputError) as e:
            SubnationalExplorer().parse(path)
        assert str(e.value).startswith(
            f"{path}: sheet 'Rainfall' is not one this parser reads (a renamed sheet?"
        )

    def test_missing_indicator_sheet_is_an_error(self, tmp_path):
        path = book(tmp_path, extra={"Smokers": None})
        with pytest.raises(InputError) as e:
            SubnationalExplorer().parse(path)
        assert str(e.value).startswith(
            f"{path}: expected sheet(s) 'Smokers' (indicator sheets of the ninth release) not found"
        )

    def test_dictionary_unit_mismatch_warns(self, tmp_path):
        df = SubnationalExplorer().parse(book(tmp_path, dictionary_unit="Percentage"))
        assert (
            "sheet 'GVA per hour': Data dictionary measure 'Percentage' does not match the declared unit 'GBP'"
            in df.attrs["warnings"]
        )

    # ---- malformed input ----------------------------------------------------------------

    def test_empty_file(self, tmp_path):
        path = tmp_path / NAME
        path.write_bytes(b"")
        with pytest.raises(
            InputError, match=r"subnatindicators\.xlsx: the file is empty \(0 bytes\)"
        ):
            SubnationalExplorer().parse(path)

    def test_truncated(self, tmp_path):
        good = book(tmp_path)
        bad = tmp_path / "subnatindicators_cut.xlsx"
        bad.write_bytes(good.read_bytes()[:700])
        with pytest.raises(InputError, match="cannot read the workbook"):
            SubnationalExplorer().parse(bad)

    def test_wrong_workbook(self, tmp_path):
        path = write_workbook(tmp_path / NAME, {"Sheet1": [["hello"]]})
        with pytest.raises(
            InputError,
            match=r"none of the explorer's indicator sheets found \(is this subnatindicators\.xlsx\?\); sheets: Sheet1",
        ):
            SubnationalExplorer().parse(path)

    def test_header_moved(self, tmp_path):
        sheet = gva_sheet(GOOD_GVA)
        sheet[6][0] = "Code"
        with pytest.raises(
            InputError,
            match=r"sheet 'GVA per hour': header row with 'Area Code' not found in the first 20 rows",
        ):
            SubnationalExplorer().parse(book(tmp_path, extra={"GVA per hour": sheet}))

    def test_unexpected_column(self, tmp_path):
        sheet = gva_sheet(GOOD_GVA)
        sheet[6][5] = "Rank"
        with pytest.raises(
            InputError,
            match=r"sheet 'GVA per hour', row 7, column F \('Rank'\): unexpected column 'Rank' after the value column",
        ):
            SubnationalExplorer().parse(book(tmp_path, extra={"GVA per hour": sheet}))

    def test_non_numeric_cell(self, tmp_path):
        rows = [["E06000016", None, "Leicester", None, "34,09p", None]]
        with pytest.raises(
            InputError,
            match=r"sheet 'GVA per hour', row 8, column E \('Gross Value Added \(GVA\) per hour worked \(£\)'\): non-numeric value '34,09p' is not a known marker \(known: na\)",
        ):
            SubnationalExplorer().parse(book(tmp_path, gva=rows))

    def test_unknown_code(self, tmp_path):
        rows = [["Leics", None, "Leicester", None, 34.09, None]]
        with pytest.raises(
            InputError,
            match=r"sheet 'GVA per hour', row 8, column A \('Area Code'\): unknown geography code 'Leics'",
        ):
            SubnationalExplorer().parse(book(tmp_path, gva=rows))

    def test_duplicate_code(self, tmp_path):
        rows = [GOOD_GVA[1], GOOD_GVA[2], GOOD_GVA[1]]
        with pytest.raises(
            InputError,
            match=r"sheet 'GVA per hour', row 8, column E: duplicate entry for E06000016 gva_per_hour 2021 \(again at row 10\)",
        ):
            SubnationalExplorer().parse(book(tmp_path, gva=rows))

    def test_negative(self, tmp_path):
        rows = [["E06000016", None, "Leicester", None, -4.0, None]]
        with pytest.raises(
            InputError,
            match=r"sheet 'GVA per hour', row 8, column E: negative value -4 for gva_per_hour",
        ):
            SubnationalExplorer().parse(book(tmp_path, gva=rows))

    def test_period_out_of_range(self, tmp_path):
        sheet = gva_sheet(GOOD_GVA, date="1850")
        with pytest.raises(
            InputError,
            match=r"sheet 'GVA per hour', row 8, column E: period '1850' is out of range",
        ):
            SubnationalExplorer().parse(book(tmp_path, extra={"GVA per hour": sheet}))

    def test_no_year_in_date(self, tmp_path):
        sheet = gva_sheet(GOOD_GVA, date="latest")
        with pytest.raises(
            InputError,
            match=r"sheet 'GVA per hour', row 3, column B: no year in the Date: text 'latest'",
        ):
            SubnationalExplorer().parse(book(tmp_path, extra={"GVA per hour": sheet}))

    def test_data_row_without_code(self, tmp_path):
        rows = [GOOD_GVA[1], [None, None, None, "Blaby", 35.9, None]]
        with pytest.raises(
            InputError,
            match=r"sheet 'GVA per hour', row 9, column A: numbers below the first row with a blank 'Area Code'",
        ):
            SubnationalExplorer().parse(book(tmp_path, gva=rows))

    def test_code_without_name(self, tmp_path):
        rows = [["E06000016", None, None, None, 34.0, None]]
        with pytest.raises(
            InputError,
            match=r"sheet 'GVA per hour', row 8, column B: area code without a name in any name column",
        ):
            SubnationalExplorer().parse(book(tmp_path, gva=rows))
