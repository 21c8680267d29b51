"""MHCLG English Indices of Deprivation, File 10 (IoD2019 and IoD2025), and fixtures."""

from __future__ import annotations

import pytest

from lis_analysis.errors import InputError
from lis_analysis.sources import detect, measure
from lis_analysis.sources.deprivation import Deprivation
from tests.helpers import write_workbook

F19 = "deprivation/File_10_-_IoD2019_Local_Authority_District_Summaries__lower-tier__.xlsx"
F25 = "deprivation/File_10_-_IoD2025_Local_Authority_District_Summaries__lower-tier__v2.xlsx"


def one(df, code, m):
    hit = df[(df.geography_code == code) & (df.measure == m)]
    assert len(hit) == 1, (code, m, len(hit))
    return hit.iloc[0]


@pytest.fixture(scope="module")
def d19(public_file):
    return detect(public_file(F19)).parse(public_file(F19))


@pytest.fixture(scope="module")
def d25(public_file):
    return detect(public_file(F25)).parse(public_file(F25))


@pytest.mark.shared
class TestReal:
    def test_detected(self, public_file):
        assert isinstance(detect(public_file(F19)), Deprivation)
        assert isinstance(detect(public_file(F25)), Deprivation)

    # IMD sheet, "IMD - Rank of average score" (integers; 1 = most deprived).
    @pytest.mark.parametrize(
        "code,r19,r25",
        [
            ("E06000016", 32, 16),  # Leicester
            ("E07000129", 282, 266),  # Blaby
            ("E07000131", 309, 284),  # Harborough
            ("E07000133", 249, 202),  # Melton
            ("E07000135", 242, 227),  # Oadby and Wigston
        ],
    )
    def test_rank_of_average_score(self, d19, d25, code, r19, r25):
        assert one(d19, code, "imd_rank_of_average_score").value == pytest.approx(r19, abs=0.5)
        assert one(d25, code, "imd_rank_of_average_score").value == pytest.approx(r25, abs=0.5)

    def test_other_columns(self, d19, d25):
        # IoD2019 IMD sheet, Hartlepool (first row): average rank 22,581.98 (2 dp), average
        # score 35.037 (3 dp), proportion in most deprived 10% 0.3621 (4 dp), extent 0.4973,
        # local concentration 32,560.44.
        assert one(d19, "E06000001", "imd_average_rank").value == pytest.approx(22581.98, abs=0.005)
        assert one(d19, "E06000001", "imd_average_score").value == pytest.approx(35.037, abs=0.0005)
        assert one(d19, "E06000001", "imd_most_deprived_10pc_share").value == pytest.approx(
            0.3621, abs=0.00005
        )
        assert one(d19, "E06000001", "imd_extent").value == pytest.approx(0.4973, abs=0.00005)
        assert one(d19, "E06000001", "imd_local_concentration").value == pytest.approx(
            32560.44, abs=0.005
        )
        # IoD2025 Income sheet, Hartlepool: income scale 33,507 people; rank 127.
        assert one(d25, "E06000001", "income_scale").value == pytest.approx(33507, abs=0.5)
        assert one(d25, "E06000001", "income_rank_of_scale").value == pytest.approx(127, abs=0.5)

    def test_negative_domain_scores_kept(self, d19):
        # Health and crime scores are standardised: Westminster's health score is -0.855.
        assert one(d19, "E09000033", "health_average_score").value == pytest.approx(
            -0.855, abs=0.0005
        )

    def test_editions(self, d19, d25):
        assert set(d19.period) == {"2019"} and set(d25.period) == {"2025"}
        assert set(d19.release) == {"2019-09-26"} and set(d25.release) == {
            "2025-11-17"
        }  # v2 reissue
        assert d19.geography_code.nunique() == 317 and d25.geography_code.nunique() == 296
        assert set(d19.geography_level) == {"lad"}
        assert d19.groupby("measure").size().eq(317).all()
        assert d25.attrs["warnings"] == [
            "IoD2025: ranks are out of 296 districts (1 = most deprived) and are not comparable across editions"
        ]

    def test_all_sheets_read(self, d25):
        prefixes = {m.split("_")[0] for m in d25.measure}
        assert prefixes == {
            "imd",
            "income",
            "employment",
            "education",
            "health",
            "crime",
            "barriers",
            "living",
            "idaci",
            "idaopi",
        }
        assert d25.status.isna().all()

    def test_declarations(self):
        assert measure("mhclg_imd", "imd_rank_of_average_score").aggregation == "not_aggregable"
        assert "1 = most deprived" in measure("mhclg_imd", "imd_rank_of_average_score").description
        assert measure("mhclg_imd", "income_scale").aggregation == "additive"


HEADER = [
    "Local Authority District code (2024)",
    "Local Authority District name (2024)",
    "IMD - Average rank ",
    "IMD - Rank of average rank ",
    "IMD - Average score ",
    "IMD - Rank of average score ",
    "IMD25 - Extent ",
]


def dep_book(
    tmp_path,
    header=None,
    rows=None,
    name="File_10_-_IoD2025_Local_Authority_District_Summaries__lower-tier__.xlsx",
    extra=None,
):
    rows = (
        rows
        if rows is not None
        else [
            ["E06000016", "Leicester", 21000.5, 14.0, 38.5, 16.0, 0.55],
            ["E07000129", "Blaby", 9000.25, 270.0, 9.1, 266.0, 0.0],
        ]
    )
    sheets = {"Notes": [], "IMD": [list(header or HEADER), *rows]}
    sheets.update(extra or {})
    return write_workbook(tmp_path / name, sheets)


class TestFixtures:
    def test_good(self, tmp_path):
        path = dep_book(tmp_path)
        df = detect(path).parse(path)
        assert one(df, "E06000016", "imd_rank_of_average_score").value == 16
        assert one(df, "E06000016", "imd_extent").value == 0.55
        assert set(df.period) == {"2025"} and set(df.release) == {"2025-10-30"}

    def test_domain_sheet(self, tmp_path):
        crime = [
            [
                "Local Authority District code (2024)",
                "Local Authority District name (2024)",
                "Crime - Average score ",
                "Crime - Rank of average score ",
            ],
            ["E06000016", "Leicester", -0.5, 120.0],
        ]
        df = Deprivation().parse(dep_book(tmp_path, extra={"Crime": crime}))
        assert one(df, "E06000016", "crime_average_score").value == -0.5

    # -- malformed input ----------------------------------------------------------------

    def test_unexpected_header(self, tmp_path):
        header = list(HEADER)
        header[4] = "IMD - Mean score "
        path = dep_book(tmp_path, header=header)
        with pytest.raises(InputError) as e:
            Deprivation().parse(path)
        assert (
            str(e.value)
            == f"{path}, sheet 'IMD', row 1, column E ('IMD - Mean score'): unexpected column header 'IMD - Mean score'"
        )

    def test_code_column_renamed(self, tmp_path):
        header = list(HEADER)
        header[0] = "LAD code"
        path = dep_book(tmp_path, header=header)
        with pytest.raises(InputError) as e:
            Deprivation().parse(path)
        assert str(e.value) == (
            f"{path}, sheet 'IMD', row 1: expected 'Local Authority District code (<year>)' and '... name (<year>)' "
            "in columns A-B of row 1, found 'LAD code', 'Local Authority District name (2024)'"
        )

    def test_missing_score_columns(self, tmp_path):
        header = HEADER[:4]
        path = dep_book(tmp_path, header=header, rows=[["E06000016", "Leicester", 21000.5, 14.0]])
        with pytest.raises(InputError) as e:
            Deprivation().parse(path)
        assert str(e.value) == (
            f"{path}, sheet 'IMD', row 1: expected columns 'IMD - Average score' and 'IMD - Rank of average score'"
        )

    def test_no_imd_sheet(self, tmp_path):
        path = write_workbook(
            tmp_path / "File_10_-_IoD2025_Local_Authority_District_Summaries__lower-tier__.xlsx",
            {"Income": [["x"]]},
        )
        with pytest.raises(InputError) as e:
            Deprivation().parse(path)
        assert str(e.value) == f"{path}: sheet 'IMD' not found (sheets: Income)"

    def test_non_numeric(self, tmp_path):
        rows = [["E06000016", "Leicester", 21000.5, "n/k", 38.5, 16.0, 0.55]]
        path = dep_book(tmp_path, rows=rows)
        with pytest.raises(
            InputError,
            match=r"sheet 'IMD', row 2, column D \('IMD - Rank of average rank'\): non-numeric value 'n/k'",
        ):
            Deprivation().parse(path)

    def test_unknown_code_and_duplicate(self, tmp_path):
        rows = [
            ["E06000016", "Leicester", 1.0, 1.0, 1.0, 1.0, 0.1],
            ["Leicestershire", "Leics", 1.0, 1.0, 1.0, 1.0, 0.1],
        ]
        path = dep_book(tmp_path, rows=rows)
        with pytest.raises(InputError) as e:
            Deprivation().parse(path)
        assert str(e.value) == (
            f"{path}, sheet 'IMD', row 3, column A ('Local Authority District code (2024)'): unknown geography code 'Leicestershire'"
        )
        rows[1][0] = "E06000016"
        path = dep_book(tmp_path, rows=rows)
        with pytest.raises(
            InputError,
            match=r"row 2, column C: duplicate entry for E06000016 imd_average_rank 2025 \(again at row 3\)",
        ):
            Deprivation().parse(path)

    def test_negative_rank(self, tmp_path):
        rows = [["E06000016", "Leicester", 21000.5, -14.0, 38.5, 16.0, 0.55]]
        path = dep_book(tmp_path, rows=rows)
        with pytest.raises(
            InputError, match="row 2, column D: negative value -14 for imd_rank_of_average_rank"
        ):
            Deprivation().parse(path)

    def test_numbers_after_blank(self, tmp_path):
        rows = [["E06000016", "Leicester", 21000.5, 14.0, 38.5, 16.0, 0.55], [], ["", "", 1.0]]
        path = dep_book(tmp_path, rows=rows)
        with pytest.raises(InputError) as e:
            Deprivation().parse(path)
        assert (
            str(e.value)
            == f"{path}, sheet 'IMD', row 4, column A: numbers in a row without a district code"
        )

    def test_edition_from_header_or_error(self, tmp_path):
        path = dep_book(
            tmp_path,
            name="File_10_LAD_summaries_iod20xx_local_authority_district_summaries_lower.xlsx",
        )
        assert set(Deprivation().parse(path).period) == {"2025"}  # 'IMD25 - Extent'
        header = HEADER[:6]
        rows = [["E06000016", "Leicester", 21000.5, 14.0, 38.5, 16.0]]
        path = dep_book(tmp_path, header=header, rows=rows, name="lad_summaries.xlsx")
        with pytest.raises(InputError) as e:
            Deprivation().parse(path)
        assert str(e.value) == (
            f"{path}, sheet 'IMD', row 1: cannot tell the edition (IoD2019, IoD2025...) from the file name or the IMD header"
        )

    def test_truncated(self, tmp_path):
        good = dep_book(tmp_path)
        bad = tmp_path / "File_10_-_IoD2019_Local_Authority_District_Summaries__lower-tier__.xlsx"
        bad.write_bytes(good.read_bytes()[:300])
        with pytest.raises(InputError, match="cannot read the workbook"):
            Deprivation().parse(bad)
