"""What every parser shares (sources/_base.py): strict numbers, year headers with markers,
figures under empty headers, and the year markers reaching ``status`` in each family."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lis_analysis.errors import InputError
from lis_analysis.sources._base import (
    check_unlabelled_columns,
    number_from_text,
    numbers_from_texts,
    parse_number,
    year_columns,
    year_header,
)
from tests.helpers import write_workbook

# -- numbers, in one place -----------------------------------------------------------

NUMBERS = [
    # (text, value or None, why) -- None: not a number as the publishers print one
    ("12345", 12345.0, "plain"),
    ("12,345", 12345.0, "thousands separator"),
    ("1,234,567.8", 1234567.8, "two separators and a decimal part"),
    ("-1,234", -1234.0, "negative"),
    ("+3", 3.0, "explicit plus"),
    (".5", 0.5, "no integer part"),
    ("5.", 5.0, "no decimal digits"),
    ("1.5E-05", 1.5e-05, "exponent"),
    ("12,5", None, "a decimal comma is not a thousands separator"),
    ("1,2,3", None, "a list"),
    ("0,500", None, "a group cannot start with 0 (European 0.5)"),
    ("12,3456", None, "groups are three digits"),
    ("1,234e5", None, "no exponent with separators"),
    ("1 234", None, "no spaces inside"),
    ("12\u00a0345", None, "nor non-breaking ones"),
    ("\u0661\u0662\u0663", None, "ASCII digits only (Python's float would read 123)"),
    ("inf", None, "not finite"),
    ("-inf", None, "not finite"),
    ("Infinity", None, "not finite"),
    ("nan", None, "not a number"),
    ("1e400", None, "overflows to infinity"),
    ("", None, "blank"),
]


@pytest.mark.parametrize("text,value,why", NUMBERS, ids=[n[0] or "blank" for n in NUMBERS])
def test_number_from_text(text, value, why):
    assert number_from_text(text) == value, why


def test_numbers_from_texts_follows_the_same_rule():
    texts = np.array([[t for t, _, _ in NUMBERS]], dtype=object)
    got = numbers_from_texts(texts)
    want = np.array([[np.nan if v is None else v for _, v, _ in NUMBERS]])
    assert got.shape == texts.shape
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize(
    "cell,message",
    [
        ("12,5", "'12,5' has a comma out of place"),
        ("1,2,3", "'1,2,3' has a comma out of place"),
        ("inf", "'inf' is not a finite number"),
        ("nan", "'nan' is not a finite number"),
        ("1e400", "'1e400' is too large"),
        (float("inf"), "the cell holds inf, not a finite number"),
        (float("nan"), "the cell holds nan, not a finite number"),
        ("n/k", "non-numeric value 'n/k' is not a known marker"),
    ],
)
def test_parse_number_names_the_cell_and_the_reason(cell, message):
    with pytest.raises(InputError) as e:
        parse_number(cell, file="f.xlsx", sheet="S", row=4, col=2, header="2023")
    assert str(e.value).startswith("f.xlsx, sheet 'S', row 5, column C ('2023'): ")
    assert message in str(e.value)


# -- year headers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,prefix,expected",
    [
        ("2023", "", (2023, None)),
        (2023.0, "", (2023, None)),
        ("2023.0", "", (2023, None)),
        ("2023 [note 5]", "", (2023, "[note 5]")),
        ("2023 (p)", "", (2023, "p")),
        ("2023 (provisional)", "", (2023, "p")),
        ("2023p", "", (2023, "p")),
        ("2023 [P]", "", (2023, "p")),
        ("2023 revised", "", (2023, "r")),
        ("2023 (r) [Note 12]", "", (2023, "r [note 12]")),
        ("Index_2023 (p)", "Index_", (2023, "p")),
        ("Mid-2019", "Mid-", (2019, None)),
        ("LA code", "", None),
        ("20234", "", None),
        ("Index_2023", "", None),
    ],
)
def test_year_header(text, prefix, expected):
    assert year_header(text, prefix) == expected


@pytest.mark.parametrize("text", ["2023 (e)", "2023 Births", "2023 prices", "2023*"])
def test_year_header_with_an_unknown_marker_is_refused(text):
    with pytest.raises(ValueError):
        year_header(text)


def test_year_columns_label_columns_then_only_years():
    header = ["Code", "Name", 2021, "2022 [note 5]", "2023 (p)"]
    got = year_columns(header, file="f", sheet="S", row=0, after=2)
    assert [(y.col, y.year, y.marker) for y in got] == [
        (2, 2021, None),
        (3, 2022, "[note 5]"),
        (4, 2023, "p"),
    ]
    with pytest.raises(InputError, match=r"row 1, column E \('2O23'\): unexpected column header"):
        year_columns(["Code", "Name", 2021, 2022, "2O23"], file="f", sheet="S", row=0, after=2)
    with pytest.raises(InputError, match="year 2022 is printed twice in the header row"):
        year_columns(["Code", 2022, "2022 (p)"], file="f", sheet="S", row=0, after=1)
    with pytest.raises(InputError, match="year header '2023 \\(e\\)' carries a marker"):
        year_columns(["Code", "2023 (e)"], file="f", sheet="S", row=0, after=1)


def test_figures_under_an_empty_header_are_an_error():
    rows = [["Code", 2022, ""], ["E06000016", 1.0, 2.0]]
    with pytest.raises(InputError, match=r"row 2, column C: numbers under an empty header cell"):
        check_unlabelled_columns(rows, 0, [1], [1], first=1, file="f", sheet="S")
    rows[1][2] = "a note"  # text under no header is not a figure
    check_unlabelled_columns(rows, 0, [1], [1], first=1, file="f", sheet="S")


# -- the marker of a year header reaches status, in every family that reads year headers --


def _status(df, **where):
    sel = np.ones(len(df), dtype=bool)
    for k, v in where.items():
        sel &= (df[k] == v).to_numpy()
    hit = df[sel]
    assert len(hit) == 1, (where, len(hit))
    return hit.iloc[0]


@pytest.mark.parametrize(
    "printed,status",
    [
        ("1999 [note 5]", "[note 5]"),
        ("1999 (p)", "p"),
        ("1999 (provisional)", "p"),
        ("1999p", "p"),
        ("1999 revised", "r"),
    ],
)
def test_gva_year_header_marker_kept_in_status(tmp_path, printed, status):
    from lis_analysis.sources.gva_industry import GVAIndustryLAD
    from tests.sources.test_gva_industry import book

    header = ["ITL1 region", "LA code", "LA name", "SIC07", "SIC07 description", 1998, printed]
    df = GVAIndustryLAD().parse(book(tmp_path, header=header))
    total = _status(df, measure="gva_current", year=1999, industry="Total")
    assert total.value == 5200 and total.status == status and total.period == "1999"
    # a cell's own marker wins over its column's: the value is missing either way
    assert _status(df, measure="gva_current", year=1999, industry="F (41-43)").status == "[c]"
    assert pd.isna(_status(df, measure="gva_current", year=1998, industry="Total").status)


def test_population_year_markers(tmp_path):
    from lis_analysis.sources.population import NomisPopulationLAD, PopulationLA
    from tests.sources.test_population import NOMIS_HEAD, la_book, nomis_file

    path = la_book(
        tmp_path,
        [["East Midlands", "E06000016", "Leicester", 368922, 373399]],
        ["ITL1 Region", "LA code", "LA name", 2022, "2023 (p)"],
    )
    df = PopulationLA().parse(path)
    assert _status(df, year=2023).status == "p" and _status(df, year=2023).value == 373399
    text = NOMIS_HEAD.format(age="All Ages").replace('"2022"', '"2022 [note 2]"')
    df = NomisPopulationLAD().parse(nomis_file(tmp_path, text + '"Leicester","E06000016",1,2\n'))
    assert _status(df, year=2022).status == "[note 2]" and _status(df, year=2021).value == 1


def test_business_demography_and_housing_year_markers(tmp_path):
    from lis_analysis.sources.business_demography import BusinessDemography
    from lis_analysis.sources.housing import HousingAffordability
    from tests.sources.test_business_demography import bd_book, year_sheet
    from tests.sources.test_housing import ha_book, lad_sheet

    sheet = year_sheet("Table 2.1a - Count Of Deaths", ["2021 (r)"], [[1], [2], [3], [4]])
    df = BusinessDemography().parse(bd_book(tmp_path, **{"Table 2.1a": sheet}))
    row = _status(df, measure="deaths", geography_code="E07000129", year=2021)
    assert row.status == "r" and row.value == 4
    prices = lad_sheet(
        "Table 5a - Median house price",
        ["Year ending Sep 2023", "Year ending Sep 2024 (p)"],
        [["E12000004", "East Midlands", "E06000016", "Leicester", 230000, 235000]],
    )
    df = HousingAffordability().parse(ha_book(tmp_path, **{"5a": prices}))
    row = _status(df, measure="house_price_median", year=2024)
    assert row.status == "p" and row.value == 235000


def test_productivity_year_marker(tmp_path):
    from lis_analysis.sources.productivity import ProductivityLAD

    title = [["Table A3"], [], [], []]
    sheets = {
        "Contents": [["published with the ONS Subregional Productivity June 2024 release"]],
        "A1": title + [["LAD_Code", "LAD_Name", "Index_2022"], ["UKX", "UK", 100]],
        "A3": title
        + [["LAD_Code", "LAD_Name", "Pounds_2021", "Pounds_2022 (p)"]]
        + [["E06000016", "Leicester", 35.8, 36.1]],
        "B1": title + [["LAD_Code", "LAD_Name", "Index_2022"], ["UKX", "UK", 100]],
        "B3": title + [["LAD_Code", "LAD_Name", "Pounds_2022"], ["UKX", "UK", 70000]],
        "Productivity Hours": title + [["LAD_Code", "LAD_Name", "Hours_2022"], ["UKX", "UK", 1e9]],
        "Productivity Jobs": title + [["LAD_Code", "LAD_Name", "Jobs_2022"], ["UKX", "UK", 3e7]],
    }
    path = write_workbook(tmp_path / "labourproductivitylocalauthorities.xlsx", sheets)
    df = ProductivityLAD().parse(path)
    row = _status(df, measure="gva_per_hour", geography_code="E06000016", year=2022)
    assert row.status == "p" and math.isclose(row.value, 36.1)
