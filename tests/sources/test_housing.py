"""ONS house price to workplace-based earnings ratio (2024 edition) and fixtures."""

from __future__ import annotations

import numpy as np
import pytest

from lis_analysis.errors import InputError
from lis_analysis.sources import detect, measure
from lis_analysis.sources.housing import HousingAffordability
from tests.helpers import write_workbook

FILE = "housing/aff1ratioofhousepricetoworkplacebasedearnings2024.xlsx"


def one(df, code, m, period):
    hit = df[(df.geography_code == code) & (df.measure == m) & (df.period == period)]
    assert len(hit) == 1, (code, m, period, len(hit))
    return hit.iloc[0]


@pytest.fixture(scope="module")
def ha(public_file):
    return detect(public_file(FILE)).parse(public_file(FILE))


@pytest.mark.shared
class TestReal:
    def test_detected(self, public_file, ha):
        assert isinstance(detect(public_file(FILE)), HousingAffordability)
        assert set(ha.release) == {"2025-03-24"}

    # Table 5c (district) and 1c (England), median ratio 2024, 2 decimal places.
    @pytest.mark.parametrize(
        "code,expected,sheet",
        [
            ("E06000016", 7.35, "5c"),
            ("E07000129", 7.36, "5c"),
            ("E07000131", 10.19, "5c"),
            ("E07000133", 8.42, "5c"),
            ("E07000135", 9.32, "5c"),
            ("E92000001", 7.71, "1c"),
        ],
    )
    def test_ratio_2024(self, ha, code, expected, sheet):
        row = one(ha, code, "affordability_ratio_median", "2024")
        assert row.value == pytest.approx(expected, abs=0.005) and row.sheet == sheet

    def test_prices_earnings_and_lower_quartile(self, ha):
        # Table 1a/1b, England 2024: median price £289,995 ("Year ending Sep 2024"), earnings £37,630.
        assert one(ha, "E92000001", "house_price_median", "2024").value == pytest.approx(
            289995, abs=0.5
        )
        assert one(ha, "E92000001", "earnings_median", "2024").value == pytest.approx(
            37630, abs=0.5
        )
        # Table 6c, Hartlepool 1997 lower-quartile ratio 2.07 (2 dp).
        assert one(
            ha, "E06000001", "affordability_ratio_lower_quartile", "1997"
        ).value == pytest.approx(2.07, abs=0.005)
        # Table 3c, Leicestershire county 2024 median ratio 8.01.
        assert one(ha, "E10000018", "affordability_ratio_median", "2024").value == pytest.approx(
            8.01, abs=0.005
        )

    def test_five_year_average(self, ha):
        # 5c '5-year average', Harborough 10.58 and Hartlepool 4.63 (the mean of 2020-2024).
        row = one(ha, "E07000131", "affordability_ratio_median_5yr_average", "2020-2024")
        assert row.value == pytest.approx(10.58, abs=0.005) and row.year == 2024
        years = ha[
            (ha.geography_code == "E06000001")
            & (ha.measure == "affordability_ratio_median")
            & ha.year.between(2020, 2024)
        ]
        assert years.value.mean() == pytest.approx(
            one(ha, "E06000001", "affordability_ratio_median_5yr_average", "2020-2024").value,
            abs=0.005,
        )

    def test_no_data_marker(self, ha):
        x = ha[ha.status.notna()]
        assert set(x.status) == {"[x]"} and x.value.isna().all()
        assert set(x.measure) <= {
            "earnings_median",
            "affordability_ratio_median",
            "earnings_lower_quartile",
            "affordability_ratio_lower_quartile",
            "affordability_ratio_median_5yr_average",
            "affordability_ratio_lower_quartile_5yr_average",
        }

    def test_coverage(self, ha):
        lad = ha[ha.sheet == "5c"]
        assert (
            lad.geography_code.nunique() == 318
            and lad.year.min() == 1997
            and lad.year.max() == 2024
        )
        assert set(ha[ha.sheet == "1c"].geography_level) == {"ew", "country", "region"}
        assert ha[ha.sheet == "3a"].geography_level.eq("county").all()

    def test_not_aggregable(self):
        assert (
            measure("ons_housing_affordability", "affordability_ratio_median").aggregation
            == "not_aggregable"
        )


def lad_sheet(title, years, rows, avg=False):
    header = ["Region code", "Region name ", "Local authority code", "Local authority name", *years]
    if avg:
        header.append("5-year average")
    return [[title], header, *rows]


def area_sheet(title, years, rows):
    return [[title], ["Code", "Name", *years], *rows]


def ha_book(tmp_path, **override):
    sheets = {
        "Contents": [["Contents"]],
        "1c": area_sheet(
            "Table 1c - Ratio", ["2023", "2024"], [["E92000001", "England", 8.4, 7.71]]
        ),
        "5a": lad_sheet(
            "Table 5a - Median house price",
            ["Year ending Sep 2023", "Year ending Sep 2024"],
            [["E12000004", "East Midlands", "E06000016", "Leicester", 230000, 235000]],
        ),
        "5c": lad_sheet(
            "Table 5c - Ratio",
            [2023.0, "2024"],
            [
                ["E12000004", "East Midlands", "E06000016", "Leicester", 7.6, 7.35, 7.4],
                ["E12000004", "East Midlands", "E07000131", "Harborough", "[x]", 10.19, 10.58],
            ],
            avg=True,
        ),
    }
    sheets.update(override)
    sheets = {k: v for k, v in sheets.items() if v is not None}
    return write_workbook(tmp_path / "ratioofhousepricetoworkplacebasedearnings.xlsx", sheets)


class TestFixtures:
    def test_good(self, tmp_path):
        path = ha_book(tmp_path)
        df = detect(path).parse(path)
        assert one(df, "E06000016", "affordability_ratio_median", "2024").value == 7.35
        assert (
            one(df, "E06000016", "affordability_ratio_median", "2023").value == 7.6
        )  # numeric header
        assert one(df, "E06000016", "house_price_median", "2024").value == 235000
        avg = one(df, "E07000131", "affordability_ratio_median_5yr_average", "2020-2024")
        assert avg.value == 10.58 and avg.year == 2024
        x = one(df, "E07000131", "affordability_ratio_median", "2023")
        assert np.isnan(x.value) and x.status == "[x]"
        assert set(df.release) == {"2025-03-24"}

    # -- malformed input ----------------------------------------------------------------

    def test_not_the_workbook(self, tmp_path):
        path = ha_book(tmp_path, **{"1c": None, "5c": None})
        with pytest.raises(InputError) as e:
            HousingAffordability().parse(path)
        assert str(e.value) == (
            f"{path}: no ratio sheets '1c' or '5c' (sheets: Contents, 5a): not the housing affordability workbook?"
        )

    def test_header_renamed(self, tmp_path):
        sheet = [
            ["Table 5c"],
            ["Region", "Region name", "LA code", "LA name", "2024"],
            ["E12000004", "EM", "E06000016", "Leicester", 7.35],
        ]
        path = ha_book(tmp_path, **{"5c": sheet})
        with pytest.raises(InputError) as e:
            HousingAffordability().parse(path)
        assert str(e.value) == (
            f"{path}, sheet '5c', row 2: expected header 'region code', 'region name', 'local authority code', "
            "'local authority name' on row 2, found 'Region', 'Region name', 'LA code', 'LA name'"
        )

    def test_unexpected_column(self, tmp_path):
        sheet = area_sheet(
            "Table 1c", ["2024", "10-year average"], [["E92000001", "England", 7.71, 8.0]]
        )
        path = ha_book(tmp_path, **{"1c": sheet})
        with pytest.raises(InputError) as e:
            HousingAffordability().parse(path)
        assert (
            str(e.value)
            == f"{path}, sheet '1c', row 2, column D ('10-year average'): unexpected column header '10-year average'"
        )

    def test_unknown_marker(self, tmp_path):
        sheet = area_sheet("Table 1c", ["2024"], [["E92000001", "England", "[c]"]])
        path = ha_book(tmp_path, **{"1c": sheet})
        with pytest.raises(InputError) as e:
            HousingAffordability().parse(path)
        assert str(e.value) == (
            f"{path}, sheet '1c', row 3, column C ('2024'): non-numeric value '[c]' is not a known marker (known: [x])"
        )

    def test_unknown_code(self, tmp_path):
        sheet = area_sheet("Table 1c", ["2024"], [["ENG", "England", 7.71]])
        path = ha_book(tmp_path, **{"1c": sheet})
        with pytest.raises(InputError) as e:
            HousingAffordability().parse(path)
        assert (
            str(e.value)
            == f"{path}, sheet '1c', row 3, column A ('Code'): unknown geography code 'ENG'"
        )

    def test_duplicate(self, tmp_path):
        sheet = area_sheet(
            "Table 1c", ["2024"], [["E92000001", "England", 7.71], ["E92000001", "England", 7.71]]
        )
        path = ha_book(tmp_path, **{"1c": sheet})
        with pytest.raises(
            InputError,
            match=r"sheet '1c', row 3, column C: duplicate entry for E92000001 affordability_ratio_median 2024 \(again at row 4\)",
        ):
            HousingAffordability().parse(path)

    def test_period_out_of_range(self, tmp_path):
        sheet = area_sheet("Table 1c", ["1950"], [["E92000001", "England", 3.0]])
        path = ha_book(tmp_path, **{"1c": sheet})
        with pytest.raises(
            InputError, match=r"sheet '1c', row 3, column C: period '1950' is out of range \(1970-"
        ):
            HousingAffordability().parse(path)

    def test_numbers_without_code(self, tmp_path):
        sheet = area_sheet(
            "Table 1c", ["2024"], [["E92000001", "England", 7.71], [], ["", "Wales", 5.9]]
        )
        path = ha_book(tmp_path, **{"1c": sheet})
        with pytest.raises(InputError) as e:
            HousingAffordability().parse(path)
        assert (
            str(e.value)
            == f"{path}, sheet '1c', row 5, column A: numbers in a row without an area code"
        )

    def test_empty(self, tmp_path):
        bad = tmp_path / "ratioofhousepricetoworkplacebasedearnings.xlsx"
        bad.write_bytes(b"")
        with pytest.raises(InputError, match="the file is empty"):
            HousingAffordability().parse(bad)
