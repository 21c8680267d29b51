"""ONS UK business: activity, size and location 2025 and hand-made fixtures."""

from __future__ import annotations

import pandas as pd
import pytest

from lis_analysis.errors import InputError
from lis_analysis.sources import detect
from lis_analysis.sources.business_counts import BROAD_GROUPS, UKBusinessCounts
from tests.helpers import write_workbook

FILE = "business/ukbusinessworkbook2025new.xlsx"


def one(df, code, measure, industry="Total", breakdown="All"):
    hit = df[
        (df.geography_code == code)
        & (df.measure == measure)
        & (df.industry == industry)
        & (df.breakdown == breakdown)
    ]
    assert len(hit) == 1, (code, measure, industry, breakdown, len(hit))
    return hit.iloc[0]


@pytest.fixture(scope="module")
def ub(public_file):
    return detect(public_file(FILE)).parse(public_file(FILE))


@pytest.mark.shared
class TestReal:
    def test_detected(self, public_file, ub):
        assert isinstance(detect(public_file(FILE)), UKBusinessCounts)
        assert set(ub.period) == {"2025"} and set(ub.release) == {"2025-09-24"}

    # Table 10 ("Table 10 " sheet), total enterprises 2025 (rounded to 5; integers).
    @pytest.mark.parametrize(
        "code,expected",
        [("E06000016", 13315), ("E07000129", 4070), ("E07000134", 4410), ("E10000018", 29750)],
    )
    def test_table10_totals(self, ub, code, expected):
        row = one(ub, code, "enterprises_by_employment")
        assert row.value == pytest.approx(expected, abs=0.5) and row.sheet == "Table 10 "

    def test_bands_and_groups(self, ub):
        # Table 10, Leicester: bands sum to the table's own total.
        lei = ub[(ub.geography_code == "E06000016") & (ub.measure == "enterprises_by_employment")]
        assert list(lei.breakdown) == [
            "0-4",
            "5-9",
            "10-19",
            "20-49",
            "50-99",
            "100-249",
            "250+",
            "All",
        ]
        assert lei[lei.breakdown != "All"].value.sum() == lei[lei.breakdown == "All"].value.iloc[0]
        # Table 1, Leicester: agriculture 25, production 1,045 (industry = SIC division range).
        assert one(ub, "E06000016", "enterprises", "01-03").value == pytest.approx(25, abs=0.5)
        assert one(ub, "E06000016", "enterprises", "05-39").value == pytest.approx(1045, abs=0.5)
        assert set(ub[ub.measure == "enterprises"].industry) == {*BROAD_GROUPS, "Total"}
        # Table 11 turnover bands; Table 16 and 22 local units (Leicester 15,215 in both).
        assert one(
            ub, "K02000001", "enterprises_by_turnover", breakdown="50000+"
        ).value == pytest.approx(11020, abs=0.5)
        assert one(ub, "E06000016", "local_units").value == pytest.approx(15215, abs=0.5)
        assert one(ub, "E06000016", "local_units_by_employment").value == pytest.approx(
            15215, abs=0.5
        )

    def test_tables_keep_their_own_totals(self, ub):
        # East Midlands: Table 1 total 265,795 vs Table 10 total 265,790 (independent rounding).
        assert one(ub, "E12000002", "enterprises").value == pytest.approx(265795, abs=0.5)
        assert one(ub, "E12000002", "enterprises_by_employment").value == pytest.approx(
            265790, abs=0.5
        )

    def test_area_cell_split(self, ub):
        row = one(ub, "E06000016", "enterprises")
        # "E06000016 : Leicester" is printed in A82; the Total is column S.
        assert row.geography_name == "Leicester" and (row.row, row.col) == (81, 18)
        assert ub.geography_code.str.fullmatch(r"[A-Z]\d{8}").all()
        assert ub.groupby("measure").geography_code.nunique().eq(406).all()
        assert ub.status.isna().all()  # no markers in this edition
        assert set(ub.geography_level) == {"uk", "gb", "ew", "country", "region", "county", "lad"}


# --------------------------------------------------------------------------------------
# Hand-made fixtures
# --------------------------------------------------------------------------------------

UNITS = [["This worksheet contains one table"], ["Units: Counts (control rounded to base 5)"]]
IND_HEAD = ["", "01-03 : Agriculture, forestry & fishing", "05-39 : Production", "Total"]
BAND_HEAD = ["", "0-4", "5-9", "10+", "Total"]


def ind_sheet(title, rows):
    return [[title], *UNITS, list(IND_HEAD), *rows]


def band_sheet(title, rows, head=BAND_HEAD):
    return [[title], *UNITS, ["", "Employment Size Band"], list(head), *rows]


def ub_book(tmp_path, **override):
    sheets = {
        "Cover sheet ": [
            ["COVERSHEET"],
            ["UK Business, activity, size and location, 2025"],
            ["Date published: 24th September 2025"],
        ],
        "Table 1": ind_sheet(
            "Table 1 - Number of VAT and/or PAYE based enterprises in districts by broad industry group",
            [
                ["K02000001 : UNITED KINGDOM", 140835, 147035, 287870],
                ["E06000016 : Leicester", 25, 1045, 1070],
            ],
        ),
        "Table 10 ": band_sheet(
            "Table 10 - Number of VAT and/or PAYE based enterprises in districts by employment sizebands",
            [
                ["K02000001 : UNITED KINGDOM", 100, 20, 5, 125],
                ["E06000016 : Leicester", 10, 0, 0, 10],
            ],
        ),
    }
    sheets.update(override)
    sheets = {k: v for k, v in sheets.items() if v is not None}
    return write_workbook(tmp_path / "ukbusinessworkbook2025new.xlsx", sheets)


class TestFixtures:
    def test_good_fixture(self, tmp_path):
        path = ub_book(tmp_path)
        df = detect(path).parse(path)
        assert one(df, "E06000016", "enterprises", "05-39").value == 1045
        assert one(df, "E06000016", "enterprises_by_employment", breakdown="0-4").value == 10
        # A published zero stays a number (note 7: it may be a rounded-down small count).
        z = one(df, "E06000016", "enterprises_by_employment", breakdown="5-9")
        assert z.value == 0 and pd.isna(z.status)
        assert set(df.measure) == {
            "enterprises",
            "enterprises_by_employment",
        }  # 11, 16, 22 optional
        assert set(df.release) == {"2025-09-24"} and set(df.period) == {"2025"}

    def test_year_from_file_name_when_cover_silent(self, tmp_path):
        path = ub_book(tmp_path, **{"Cover sheet ": [["COVERSHEET"]]})
        assert set(UKBusinessCounts().parse(path).period) == {"2025"}

    # -- malformed input ----------------------------------------------------------------

    def test_area_cell_without_colon(self, tmp_path):
        rows = [["K02000001 : UNITED KINGDOM", 1, 2, 3], ["E06000016 Leicester", 1, 2, 3]]
        path = ub_book(tmp_path, **{"Table 1": ind_sheet("Table 1 - Number of enterprises", rows)})
        with pytest.raises(InputError) as e:
            UKBusinessCounts().parse(path)
        assert (
            str(e.value)
            == f"{path}, sheet 'Table 1', row 6, column A: area cell 'E06000016 Leicester' is not 'CODE : Name'"
        )

    def test_unknown_code(self, tmp_path):
        rows = [["K02000001 : UNITED KINGDOM", 1, 2, 3], ["LEIC : Leicester", 1, 2, 3]]
        path = ub_book(tmp_path, **{"Table 1": ind_sheet("Table 1 - Number of enterprises", rows)})
        with pytest.raises(InputError) as e:
            UKBusinessCounts().parse(path)
        assert (
            str(e.value)
            == f"{path}, sheet 'Table 1', row 6, column A: unknown geography code 'LEIC'"
        )

    def test_bad_industry_header(self, tmp_path):
        sheet = ind_sheet("Table 1 - Number of enterprises", [["E06000016 : Leicester", 1, 2, 3]])
        sheet[3][2] = "Production"
        path = ub_book(tmp_path, **{"Table 1": sheet})
        with pytest.raises(InputError) as e:
            UKBusinessCounts().parse(path)
        assert str(e.value) == (
            f"{path}, sheet 'Table 1', row 4, column C ('Production'): unexpected industry group header 'Production'"
        )

    def test_header_not_found(self, tmp_path):
        sheet = band_sheet(
            "Table 10 - Number of enterprises",
            [["E06000016 : Leicester", 1, 2, 3, 6]],
            head=["", "0-4", "5-9", "10+", "All"],
        )
        path = ub_book(tmp_path, **{"Table 10 ": sheet})
        with pytest.raises(InputError) as e:
            UKBusinessCounts().parse(path)
        assert str(e.value) == (
            f"{path}, sheet 'Table 10 ': header row ending 'Total' not found in the first 12 rows (header moved or renamed?)"
        )

    def test_missing_table(self, tmp_path):
        path = ub_book(tmp_path, **{"Table 10 ": None})
        with pytest.raises(InputError) as e:
            UKBusinessCounts().parse(path)
        assert str(e.value) == f"{path}: sheet 'Table 10' not found (sheets: Cover sheet , Table 1)"

    def test_wrong_title(self, tmp_path):
        sheet = ind_sheet(
            "Table 1 - Number of VAT and/or PAYE based local units by broad industry group",
            [["E06000016 : Leicester", 1, 2, 3]],
        )
        path = ub_book(tmp_path, **{"Table 1": sheet})
        with pytest.raises(InputError) as e:
            UKBusinessCounts().parse(path)
        assert str(e.value) == (
            f"{path}, sheet 'Table 1', row 1, column A: title 'Table 1 - Number of VAT and/or PAYE based local units by "
            "broad industry group' is not Table 1 of enterprises"
        )

    def test_non_numeric(self, tmp_path):
        rows = [["E06000016 : Leicester", 1, "lots", 3]]
        path = ub_book(tmp_path, **{"Table 1": ind_sheet("Table 1 - Number of enterprises", rows)})
        with pytest.raises(
            InputError,
            match=r"sheet 'Table 1', row 5, column C \('05-39 : Production'\): non-numeric value 'lots'",
        ):
            UKBusinessCounts().parse(path)

    def test_duplicate(self, tmp_path):
        rows = [["E06000016 : Leicester", 1, 2, 3], ["E06000016 : Leicester", 1, 2, 3]]
        path = ub_book(tmp_path, **{"Table 1": ind_sheet("Table 1 - Number of enterprises", rows)})
        with pytest.raises(InputError) as e:
            UKBusinessCounts().parse(path)
        assert str(e.value) == (
            f"{path}, sheet 'Table 1', row 5, column B: duplicate entry for E06000016 enterprises 2025 (again at row 6)"
        )

    def test_numbers_below_table(self, tmp_path):
        rows = [["E06000016 : Leicester", 1, 2, 3], [], ["", 4, 5, 9]]
        path = ub_book(tmp_path, **{"Table 1": ind_sheet("Table 1 - Number of enterprises", rows)})
        with pytest.raises(InputError) as e:
            UKBusinessCounts().parse(path)
        assert (
            str(e.value)
            == f"{path}, sheet 'Table 1', row 7, column B: numbers in a row without an area below the table"
        )

    def test_negative(self, tmp_path):
        rows = [["E06000016 : Leicester", 1, -2, 3]]
        path = ub_book(tmp_path, **{"Table 1": ind_sheet("Table 1 - Number of enterprises", rows)})
        with pytest.raises(
            InputError, match="negative value -2 for enterprises, which cannot be negative"
        ):
            UKBusinessCounts().parse(path)

    def test_empty(self, tmp_path):
        bad = tmp_path / "ukbusinessworkbook2025.xlsx"
        bad.write_bytes(b"")
        with pytest.raises(InputError) as e:
            UKBusinessCounts().parse(bad)
        assert str(e.value) == f"{bad}: the file is empty (0 bytes)"
