"""ONS subregional productivity parsers against the real June 2024 workbooks and
hand-made fixtures in the same layout."""

from __future__ import annotations

import pytest

from lis_analysis.errors import InputError
from lis_analysis.sources import detect
from lis_analysis.sources.productivity import ProductivityLAD
from tests.helpers import write_workbook

pytestmark = []


def value(df, code, measure, year):
    hit = df[(df.geography_code == code) & (df.measure == measure) & (df.year == year)]
    assert len(hit) == 1, (code, measure, year, len(hit))
    return float(hit.value.iloc[0])


@pytest.fixture(scope="module")
def lad(public_file):
    path = public_file("productivity/labourproductivitylocalauthorities.xls")
    return detect(path).parse(path)


@pytest.fixture(scope="module")
def itl(public_file):
    path = public_file("productivity/labourproductivityitls.xls")
    return detect(path).parse(path)


@pytest.mark.shared
class TestRealLAD:
    def test_detected_and_release(self, public_file):
        path = public_file("productivity/labourproductivitylocalauthorities.xls")
        assert isinstance(detect(path), ProductivityLAD)

    def test_release_read_from_contents(self, lad):
        assert set(lad.release) == {"2024-06"}

    @pytest.mark.parametrize(
        "name", ["labourproductivitylad1.xls", "labourproductivitylad1_2025-06-20.xls"]
    )
    def test_june_2025_name_as_xls(self, public_file, tmp_path, lad, name):
        """ONS renamed the district workbook in June 2025 (labourproductivitylad1.xls, same
        /current/ folder, same layout): the real .xls under that name, as published and as
        lis fetch saves it, is read by this parser with the same figures."""
        dst = tmp_path / name
        dst.write_bytes(
            public_file("productivity/labourproductivitylocalauthorities.xls").read_bytes()
        )
        assert isinstance(detect(dst), ProductivityLAD)
        got = detect(dst).parse(dst)
        assert len(got) == len(lad)
        assert value(got, "E06000016", "gva_per_hour", 2022) == pytest.approx(35.8, abs=0.05)

    # Expected values: ONS Subregional productivity June 2024,
    # labourproductivitylocalauthorities.xls, printed to 1 decimal place.
    @pytest.mark.parametrize(
        "code,measure,expected,table",
        [
            ("E06000016", "gva_per_hour_index", 90.1, "A1"),
            ("E06000016", "gva_per_hour", 35.8, "A3"),
            ("E07000129", "gva_per_hour", 36.0, "A3"),
            ("E07000135", "gva_per_hour_index", 64.8, "A1"),
            ("UKX", "gva_per_hour", 39.7, "A3"),
            ("E06000016", "gva_per_job_index", 85.7, "B1"),
            ("E07000134", "gva_per_job_index", 92.6, "B1"),
        ],
    )
    def test_printed_values_2022(self, lad, code, measure, expected, table):
        got = lad[(lad.geography_code == code) & (lad.measure == measure) & (lad.year == 2022)]
        assert set(got.sheet) == {table}
        assert value(lad, code, measure, 2022) == pytest.approx(expected, abs=0.05)

    def test_hours_are_weekly_totals(self, lad):
        # 'Productivity Hours' sheet, Leicester 2022: 5,285,550 hours a week.
        assert value(lad, "E06000016", "hours_weekly", 2022) == 5285550

    def test_every_row_has_level_and_location(self, lad):
        assert set(lad.geography_level) == {"uk", "lad"}
        assert lad[["sheet", "row", "col"]].notna().all().all()
        assert lad.status.isna().all()  # this workbook prints no markers

    def test_footnotes_not_read_as_data(self, lad):
        assert not lad.geography_code.str.startswith("Note").any()
        assert lad.geography_code.nunique() == 362  # 361 districts + UKX


@pytest.mark.shared
class TestRealITL:
    @pytest.mark.parametrize(
        "code,measure,expected",
        [
            ("TLF21", "gva_per_hour_index", 90.1),
            ("TLF22", "gva_per_hour_index", 86.2),
            ("TLF", "gva_per_hour_index", 86.3),
            ("TLF22", "gva_per_hour", 34.3),
            ("TLF", "gva_per_hour", 34.3),
            ("TLF22", "gva_per_job_index", 87.6),
        ],
    )
    def test_printed_values_2022(self, itl, code, measure, expected):
        # labourproductivityitls.xls (June 2024), tables A1, A3 and B1.
        assert value(itl, code, measure, 2022) == pytest.approx(expected, abs=0.05)

    def test_has_unsmoothed_and_cvm(self, itl):
        assert {"gva_per_hour_unsmoothed", "gva_per_hour_cvm_index"} <= set(itl.measure)
        # Chained volume index is 2019 = 100 by construction.
        assert value(itl, "TLF21", "gva_per_hour_cvm_index", 2019) == pytest.approx(100, abs=0.05)

    def test_levels(self, itl):
        levels = itl.drop_duplicates("geography_code").geography_level.value_counts()
        assert levels["itl1"] == 12 and levels["itl2"] == 41 and levels["itl3"] == 179
        assert itl.loc[itl.geography_code == "TLB", "geography_level"].iloc[0] == "country"


def _lad_book(
    tmp_path,
    a3_rows,
    name="labourproductivitylocalauthorities.xlsx",
    years=(2021, 2022),
    edition="June 2024",
):
    header = ["LAD_Code", "LAD_Name", *(f"Pounds_{y}" for y in years)]
    title = [["Table A3: Current Price (smoothed) GVA (B) per hour worked"], [], [], []]
    good = [
        title + [["LAD_Code", "LAD_Name", *(f"Index_{y}" for y in years)], ["UKX", "UK", 100, 100]],
    ][0]
    sheets = {
        "Contents": [
            [f"Reference tables published with the ONS Subregional Productivity {edition} release"]
        ],
        "A1": good,
        "A3": title + [header] + a3_rows + [[], ["Source: Office for National Statistics"]],
        "B1": title + [["LAD_Code", "LAD_Name", "Index_2022"], ["UKX", "UK", 100]],
        "B3": title + [["LAD_Code", "LAD_Name", "Pounds_2022"], ["UKX", "UK", 70000]],
        "Productivity Hours": title + [["LAD_Code", "LAD_Name", "Hours_2022"], ["UKX", "UK", 1e9]],
        "Productivity Jobs": title + [["LAD_Code", "LAD_Name", "Jobs_2022"], ["UKX", "UK", 3e7]],
    }
    return write_workbook(tmp_path / name, sheets)


class TestFixtures:
    def test_june_2025_edition(self, tmp_path):
        """The June 2025 layout (data to 2023) under its published name: A3 header
        LAD_Code, LAD_Name, Pounds_2004..Pounds_2023 on the fifth row, UKX "United Kingdom
        less Extra-Regio" first; the release is read from the Contents sheet."""
        path = _lad_book(
            tmp_path,
            [
                ["UKX", "United Kingdom less Extra-Regio", 39.7, 41.0],
                ["E06000016", "Leicester", 35.05, 35.47],
            ],
            name="labourproductivitylad1.xlsx",
            years=(2022, 2023),
            edition="June 2025",
        )
        assert isinstance(detect(path), ProductivityLAD)
        df = ProductivityLAD().parse(path)
        assert value(df, "E06000016", "gva_per_hour", 2023) == 35.47
        assert set(df.release) == {"2025-06"}

    def test_good_fixture(self, tmp_path):
        path = _lad_book(
            tmp_path, [["UKX", "UK", 38.1, 39.7], ["E06000016", "Leicester", 35.1, 35.8]]
        )
        df = ProductivityLAD().parse(path)
        assert value(df, "E06000016", "gva_per_hour", 2022) == 35.8
        assert set(df.release) == {"2024-06"}

    def test_marker_kept_not_zero(self, tmp_path):
        path = _lad_book(tmp_path, [["E06000016", "Leicester", "x", 35.8]])
        df = ProductivityLAD().parse(path)
        row = df[(df.measure == "gva_per_hour") & (df.year == 2021)]
        assert row.value.isna().all() and list(row.status) == ["x"]

    def test_bad_cell_names_sheet_row_column(self, tmp_path):
        path = _lad_book(tmp_path, [["E06000016", "Leicester", "abc", 35.8]])
        with pytest.raises(InputError) as e:
            ProductivityLAD().parse(path)
        msg = str(e.value)
        assert "sheet 'A3', row 6, column C ('Pounds_2021')" in msg
        assert "'abc' is not a known marker" in msg

    def test_missing_sheet(self, tmp_path):
        path = write_workbook(tmp_path / "labourproductivitylocalauthorities.xlsx", {"A1": [["x"]]})
        with pytest.raises(
            InputError,
            match="sheet\\(s\\) 'A3', 'B1', 'B3', 'Productivity Hours', 'Productivity Jobs' not found",
        ):
            ProductivityLAD().parse(path)

    def test_renamed_header(self, tmp_path):
        path = _lad_book(tmp_path, [])
        sheets = {
            "A3": [
                ["t"],
                [],
                [],
                [],
                ["Area code", "LAD_Name", "Pounds_2022"],
                ["E06000016", "L", 1],
            ]
        }
        for s in ("A1", "B1", "B3", "Productivity Hours", "Productivity Jobs"):
            sheets[s] = [
                ["t"],
                [],
                [],
                [],
                ["LAD_Code", "LAD_Name", "Index_2022"],
                ["UKX", "UK", 100],
            ]
        path = write_workbook(
            tmp_path / "labourproductivitylocalauthorities.xlsx",
            {
                "A1": sheets["A1"],
                "A3": sheets["A3"],
                "B1": sheets["B1"],
                "B3": sheets["B3"],
                "Productivity Hours": sheets["Productivity Hours"],
                "Productivity Jobs": sheets["Productivity Jobs"],
            },
        )
        with pytest.raises(InputError, match="sheet 'A3': header row with 'LAD_Code' not found"):
            ProductivityLAD().parse(path)

    def test_unknown_code(self, tmp_path):
        path = _lad_book(tmp_path, [["LEICS", "Leicester", 1.0, 2.0]])
        with pytest.raises(
            InputError, match="row 6, column A \\('LAD_Code'\\): unknown geography code 'LEICS'"
        ):
            ProductivityLAD().parse(path)

    def test_duplicate_key(self, tmp_path):
        path = _lad_book(
            tmp_path, [["E06000016", "Leicester", 1.0, 2.0], ["E06000016", "Leicester", 1.0, 2.0]]
        )
        with pytest.raises(
            InputError, match="duplicate entry for E06000016 gva_per_hour 2021 \\(again at row 7\\)"
        ):
            ProductivityLAD().parse(path)

    def test_negative(self, tmp_path):
        path = _lad_book(tmp_path, [["E06000016", "Leicester", -3.0, 2.0]])
        with pytest.raises(InputError, match="negative value -3 for gva_per_hour"):
            ProductivityLAD().parse(path)

    def test_truncated(self, tmp_path):
        good = _lad_book(tmp_path, [["E06000016", "Leicester", 1.0, 2.0]])
        bad = tmp_path / "labourproductivitylocalauthorities_trunc.xlsx"
        bad.write_bytes(good.read_bytes()[:500])
        with pytest.raises(InputError, match="cannot read the workbook"):
            ProductivityLAD().parse(bad)

    def test_empty_file(self, tmp_path):
        bad = tmp_path / "labourproductivitylocalauthorities.xls"
        bad.write_bytes(b"")
        with pytest.raises(InputError, match="the file is empty"):
            ProductivityLAD().parse(bad)
