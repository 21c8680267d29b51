"""ONS regional GVA (balanced) by industry, local authorities by ITL1 region: the real
April 2025 workbooks and hand-made fixtures in the same layout."""

from __future__ import annotations

import pytest

from lis_analysis.errors import InputError
from lis_analysis.sources import detect
from lis_analysis.sources._base import max_year
from lis_analysis.sources.gva_industry import SIC07_DESCRIPTIONS, GVAIndustryLAD, industry_parents
from tests.helpers import write_workbook

FOLDER = "gva_by_industry/regionalgrossvalueaddedbalancedbyindustrylocalauthorities"
REGIONS = [
    "tlcnortheast",
    "tldnorthwest",
    "tleyorkshireandthehumber",
    "tlfeastmidlands",
    "tlgwestmidlands",
    "tlheastofengland",
    "tlilondon",
    "tljsoutheast",
    "tlksouthwest",
]
LL = [
    "E06000016",
    "E07000129",
    "E07000130",
    "E07000131",
    "E07000132",
    "E07000133",
    "E07000134",
    "E07000135",
]


def cell(df, code, measure, year, industry="Total"):
    hit = df[
        (df.geography_code == code)
        & (df.measure == measure)
        & (df.year == year)
        & (df.industry == industry)
    ]
    assert len(hit) == 1, (code, measure, year, industry, len(hit))
    return hit.iloc[0]


@pytest.fixture(scope="module")
def em(public_file):
    path = public_file(f"{FOLDER}tlfeastmidlands.xlsx")
    return GVAIndustryLAD().parse(path)


@pytest.fixture(scope="module")
def sw(public_file):
    path = public_file(f"{FOLDER}tlksouthwest.xlsx")
    return GVAIndustryLAD().parse(path)


@pytest.mark.shared
class TestRealEastMidlands:
    def test_all_nine_files_detected(self, public_file):
        for region in REGIONS:
            assert isinstance(detect(public_file(f"{FOLDER}{region}.xlsx")), GVAIndustryLAD)

    # Table 3 (current prices, £ million), Total, 2023 (provisional); ONS 17 April 2025;
    # printed as whole £ million, so half a unit either side.
    @pytest.mark.parametrize(
        "code,expected",
        [
            ("E06000016", 10320),  # Leicester
            ("E07000129", 5047),  # Blaby
            ("E07000130", 4961),  # Charnwood
            ("E07000131", 2661),  # Harborough
            ("E07000132", 2944),  # Hinckley and Bosworth
            ("E07000133", 1493),  # Melton
            ("E07000134", 4907),  # North West Leicestershire
            ("E07000135", 1009),  # Oadby and Wigston
        ],
    )
    def test_current_prices_2023(self, em, code, expected):
        row = cell(em, code, "gva_current", 2023)
        assert row.value == pytest.approx(expected, abs=0.5)
        assert row.sheet == "Table 3" and row.unit == "GBP million"

    def test_ll_sums(self, em):
        # Sums of the printed Table 3 Totals (PROVENANCE.md): 2023 33,342; 2022 29,968; 2021 27,623.
        tot = em[
            (em.measure == "gva_current") & (em.industry == "Total") & em.geography_code.isin(LL)
        ]
        by_year = tot.groupby("year")["value"].sum()
        assert by_year[2023] == 33342 and by_year[2022] == 29968 and by_year[2021] == 27623

    def test_other_tables(self, em):
        # Derby (E06000015) Total, April 2025: Table 1 CVM index 1998 73.3 (1 dp) and 2022 100.0;
        # Table 2 CVM £m 1998 6,201 (whole £m); Table 4 deflator 2023 108.7 (1 dp).
        assert cell(em, "E06000015", "gva_cvm_index", 1998).value == pytest.approx(73.3, abs=0.05)
        assert cell(em, "E06000015", "gva_cvm_index", 2022).value == pytest.approx(100.0, abs=0.05)
        assert cell(em, "E06000015", "gva_cvm", 1998).value == pytest.approx(6201, abs=0.5)
        assert cell(em, "E06000015", "gva_deflator", 2023).value == pytest.approx(108.7, abs=0.05)
        units = em.drop_duplicates("measure").set_index("measure")["unit"].to_dict()
        assert units == {
            "gva_cvm_index": "index (2022=100)",
            "gva_cvm": "GBP million (2022 money value)",
            "gva_current": "GBP million",
            "gva_deflator": "index (2022=100)",
        }

    def test_industry_codes_as_published(self, em):
        codes = list(dict.fromkeys(em.industry))
        assert codes == list(SIC07_DESCRIPTIONS)  # 49 codes, published order
        assert "41" in codes and "41.0" not in codes and "96" in codes
        # West Lindsey (E07000142) 96 'Other personal service activities', Table 3 2023: 22 (£m).
        assert cell(em, "E07000142", "gva_current", 2023, "96").value == pytest.approx(22, abs=0.5)

    def test_total_row_first_for_each_district(self, em):
        t3 = em[(em.measure == "gva_current") & (em.year == 2023)]
        first = t3.sort_values("row").groupby("geography_code")["industry"].first()
        assert set(first) == {"Total"} and len(first) == 35

    def test_shape_and_levels(self, em):
        assert em.geography_code.nunique() == 35
        assert set(em.geography_level) == {"lad"}
        assert len(em) == 35 * 49 * 26 * 4
        assert em.status.isna().all() and em.value.notna().all()
        assert set(em.breakdown) == {"All"} and set(em.period) == {
            str(y) for y in range(1998, 2024)
        }

    def test_release_and_warnings(self, em):
        assert set(em.release) == {"2025-04-17"}
        assert any("2023 figures are provisional" in w for w in em.attrs["warnings"])

    def test_industry_metadata(self, em):
        assert (
            em.attrs["industries"]["T (97-98)"] == "Activities of households"
        )  # trailing space removed
        meta = em.attrs["metadata"]
        assert meta["itl1_code"] == "TLF" and meta["itl1_name"] == "East Midlands"
        assert meta["industry_parents"]["41"] == "F (41-43)"
        assert meta["industry_parents"]["CH (24-25)"] == "C (10-33)"
        assert meta["industry_parents"]["C (10-33)"] == "A-E"
        assert meta["industry_parents"]["Total"] is None


@pytest.mark.shared
class TestRealMarkers:
    def test_confidential_kept_as_status(self, sw):
        # South West, Cornwall AB (1-9), every year and table: [c] (note 3).
        row = cell(sw, "E06000052", "gva_current", 2023, "AB (1-9)")
        assert row.status == "[c]" and row.value != row.value
        counts = sw[sw.status == "[c]"].groupby("measure").size().to_dict()
        assert counts == {
            "gva_cvm_index": 1508,
            "gva_cvm": 1508,
            "gva_current": 1508,
            "gva_deflator": 1508,
        }

    def test_low_reliability_only_in_tables_1_and_4(self, sw):
        counts = sw[sw.status == "[u]"].groupby("measure").size().to_dict()
        assert counts == {"gva_cvm_index": 26, "gva_deflator": 26}
        assert not (sw.status.notna() & sw.value.notna()).any()
        assert any("[c]" in w for w in sw.attrs["warnings"])


@pytest.mark.shared
@pytest.mark.slow
def test_all_nine_files_cover_england(public_file):
    # Slow: parses all nine regional workbooks (about 1.5 million observations).
    codes = set()
    for region in REGIONS:
        df = GVAIndustryLAD().parse(public_file(f"{FOLDER}{region}.xlsx"))
        assert df.groupby("geography_code").industry.nunique().eq(49).all()
        assert set(df.release) == {"2025-04-17"}
        codes |= set(df.geography_code)
        if region == "tljsoutheast":
            # Southampton (E06000045) AB (1-9), Table 3, 2022: -1 (£m) is data, not an
            # error; the same cell is [u] in Tables 1, 2 and 4.
            assert cell(df, "E06000045", "gva_current", 2022, "AB (1-9)").value == -1
            assert cell(df, "E06000045", "gva_cvm", 2022, "AB (1-9)").status == "[u]"
    assert len(codes) == 296 and all(c.startswith("E") for c in codes)


# ----------------------------------------------------------------------------- fixtures

NAME = "regionalgrossvalueaddedbalancedbyindustrylocalauthoritiestlfeastmidlands.xlsx"
TITLE3 = (
    "Table 3: Regional gross value added (balanced) by industry: local authorities by ITL1 region: "
    "TLF East Midlands, current prices, pounds million"
)
TITLE4 = (
    "Table 4: Regional gross value added (balanced) by industry: local authorities by ITL1 region: "
    "TLF East Midlands, implied deflator, 2022 equals 100 [note 2]"
)
TITLE1 = (
    "Table 1: Regional gross value added (balanced) by industry: local authorities by ITL1 region: "
    "TLF East Midlands, chained volume measures index, 2022 equals 100"
)
TITLE2 = (
    "Table 2: Regional gross value added (balanced) by industry: local authorities by ITL1 region: "
    "TLF East Midlands, chained volume measures in 2022 money value, pounds million [note 1]"
)
HEADER = ["ITL1 region", "LA code", "LA name", "SIC07", "SIC07 description", 1998, "1999"]
INFO = [["Regional gross value added (balanced) by industry"], ["Publication date"],
        ["These tables are part of the Regional economic activity by gross domestic product dataset published on 17 April 2025."]]  # fmt: skip


def leicester(sic, desc, a, b):
    return ["East Midlands ", "E06000016", "Leicester", sic, desc, a, b]


GOOD = [
    leicester("Total", "All industries", 5000, 5200),
    leicester("F (41-43)", "Construction", 300, "[c]"),
    leicester(41, "Construction of buildings", 100, 110),
]


def book(tmp_path, rows=GOOD, *, header=HEADER, title=TITLE3, extra=None, name=NAME):
    """The four tables every regional workbook holds: Table 3 with ``rows`` under
    ``header``, the others with Leicester's total only (``extra`` replaces any)."""
    total = [leicester("Total", "All industries", 90, 95)]
    sheets = {
        "Information": INFO,
        "Table 1": [[TITLE1], HEADER, *total],
        "Table 2": [[TITLE2], HEADER, *total],
        "Table 3": [[title], header, *rows],
        "Table 4": [[TITLE4], HEADER, *total],
    }
    sheets.update(extra or {})
    return write_workbook(tmp_path / name, sheets)


ALL_MEASURES = {"gva_cvm_index", "gva_cvm", "gva_current", "gva_deflator"}


def error(path):
    with pytest.raises(InputError) as e:
        GVAIndustryLAD().parse(path)
    return str(e.value)


class TestFixtures:
    def test_good(self, tmp_path):
        path = book(tmp_path)
        assert isinstance(detect(path), GVAIndustryLAD)
        df = GVAIndustryLAD().parse(path)
        assert (df.measure == "gva_current").sum() == 6 and set(df.measure) == ALL_MEASURES
        assert cell(df, "E06000016", "gva_current", 1999).value == 5200  # header '1999' as text
        assert cell(df, "E06000016", "gva_current", 1998, "41").value == 100  # SIC07 41 (a number)
        c = cell(df, "E06000016", "gva_current", 1999, "F (41-43)")
        assert c.status == "[c]" and c.value != c.value
        assert (c.sheet, c.row, c.col) == ("Table 3", 3, 6)
        assert set(df.release) == {"2025-04-17"}

    def test_two_tables_and_unit_from_title(self, tmp_path):
        t4 = [[TITLE4], HEADER, leicester("Total", "All industries", 61.2, 62.0)]
        df = GVAIndustryLAD().parse(book(tmp_path, extra={"Table 4": t4}))
        assert cell(df, "E06000016", "gva_deflator", 1998).unit == "index (2022=100)"
        assert set(df.measure) == ALL_MEASURES

    def test_footnotes_below_blank_row_are_not_data(self, tmp_path):
        rows = [*GOOD, [], ["Source: Office for National Statistics"], ["Note 1: something"]]
        df = GVAIndustryLAD().parse(book(tmp_path, rows))
        assert (df.measure == "gva_current").sum() == 6

    def test_truncated(self, tmp_path):
        good = book(tmp_path)
        bad = tmp_path / "regionalgrossvalueaddedbalancedbyindustrylocalauthoritiestlx.xlsx"
        bad.write_bytes(good.read_bytes()[:700])
        assert "cannot read the workbook (truncated or not an Excel file)" in error(bad)

    def test_empty_file(self, tmp_path):
        bad = tmp_path / NAME
        bad.write_bytes(b"")
        assert error(bad) == f"{bad}: the file is empty (0 bytes)"

    def test_wrong_workbook(self, tmp_path):
        path = write_workbook(tmp_path / NAME, {"Sheet1": [["something else"]]})
        assert error(path) == (
            f"{path}: sheet 'Sheet1' is not one this parser reads (a renamed sheet? expected "
            "Information, Contents, Notes and Table 1, Table 2, Table 3, Table 4; sheets: Sheet1)"
        )

    def test_renamed_table_sheet_is_an_error(self, tmp_path):
        # 'Table 3' -> 'Tabel 3' used to drop every current-price row without a word
        t3 = [[TITLE3], HEADER, *GOOD]
        sheets = {"Information": INFO, "Table 1": [[TITLE1], HEADER, GOOD[0]]}
        sheets |= {"Table 2": [[TITLE2], HEADER, GOOD[0]], "Tabel 3": t3}
        sheets |= {"Table 4": [[TITLE4], HEADER, GOOD[0]]}
        path = write_workbook(tmp_path / NAME, sheets)
        assert error(path).startswith(
            f"{path}: sheet 'Tabel 3' is not one this parser reads (a renamed sheet?"
        )

    def test_table_listed_in_contents_must_be_present(self, tmp_path):
        contents = [["Contents"], ["Tab Name", "Description"]]
        contents += [[f"Table {k}", "..."] for k in (1, 2, 3, 4)]
        path = book(tmp_path, extra={"Contents": contents})
        assert (GVAIndustryLAD().parse(path).measure == "gva_current").any()
        sheets = {"Information": INFO, "Contents": contents}
        sheets |= {"Table 1": [[TITLE1], HEADER, GOOD[0]], "Table 2": [[TITLE2], HEADER, GOOD[0]]}
        sheets |= {"Table 4": [[TITLE4], HEADER, GOOD[0]]}
        path = write_workbook(tmp_path / NAME, sheets)
        assert error(path) == (
            f"{path}: expected sheet(s) 'Table 3' (listed in the Contents sheet) not found "
            "(sheets: Information, Contents, Table 1, Table 2, Table 4)"
        )

    def test_unknown_table_title(self, tmp_path):
        path = book(
            tmp_path, title="Table 3: Regional gross disposable household income, pounds million"
        )
        assert error(path).startswith(
            f"{path}, sheet 'Table 3', row 1, column A: title 'Table 3: Regional gross disposable household income, "
            "pounds million' does not name a known table"
        )

    def test_header_renamed(self, tmp_path):
        header = ["ITL1 region", "Area code", "LA name", "SIC07", "SIC07 description", 1998, 1999]
        msg = error(book(tmp_path, header=header))
        assert msg.endswith(
            "sheet 'Table 3': header row with 'LA code' not found in the first 10 rows (header moved or renamed?)"
        )

    def test_column_missing(self, tmp_path):
        header = ["ITL1 region", "LA code", "LA name", "SIC 2007", "SIC07 description", 1998, 1999]
        msg = error(book(tmp_path, header=header))
        assert (
            "sheet 'Table 3', row 2: expected column 'SIC07' in the header row, found: 'ITL1 region'"
            in msg
        )

    def test_non_numeric_cell(self, tmp_path):
        rows = [GOOD[0], leicester("F (41-43)", "Construction", "n/k", 1)]
        msg = error(book(tmp_path, rows))
        assert (
            "sheet 'Table 3', row 4, column F ('1998'): non-numeric value 'n/k' is not a known marker"
            in msg
        )

    def test_duplicate_row(self, tmp_path):
        msg = error(book(tmp_path, [GOOD[0], GOOD[0]]))
        assert msg.endswith(
            "sheet 'Table 3', row 3, column F: duplicate entry for E06000016 gva_current 1998 (again at row 4)"
        )

    def test_unknown_code(self, tmp_path):
        rows = [["East Midlands ", "LEICESTER", "Leicester", "Total", "All industries", 1, 2]]
        msg = error(book(tmp_path, rows))
        assert msg.endswith(
            "sheet 'Table 3', row 3, column B ('LA code'): unknown geography code 'LEICESTER'"
        )

    def test_year_out_of_range(self, tmp_path):
        header = ["ITL1 region", "LA code", "LA name", "SIC07", "SIC07 description", 1950, 1999]
        msg = error(book(tmp_path, header=header))
        assert msg.endswith(
            f"sheet 'Table 3', row 3, column F: period '1950' is out of range (1970-{max_year()})"
        )

    def test_negative_deflator(self, tmp_path):
        t4 = [[TITLE4], HEADER, leicester("Total", "All industries", -5, 62.0)]
        path = book(tmp_path, extra={"Table 4": t4})
        assert error(path).endswith(
            "sheet 'Table 4', row 3, column F: negative value -5 for gva_deflator, which cannot be negative"
        )

    def test_negative_gva_allowed(self, tmp_path):
        df = GVAIndustryLAD().parse(book(tmp_path, [leicester("AB (1-9)", "Agriculture", -1, 2)]))
        assert df.value.min() == -1

    def test_gap_in_table(self, tmp_path):
        rows = [GOOD[0], [], GOOD[2]]
        msg = error(book(tmp_path, rows))
        assert msg.endswith(
            "sheet 'Table 3', row 5, column B: data row after the blank row 4 (the table has a gap; expected footnotes only)"
        )

    def test_empty_industry_code(self, tmp_path):
        msg = error(book(tmp_path, [leicester(None, "All industries", 1, 2)]))
        assert msg.endswith("sheet 'Table 3', row 3, column D ('SIC07'): empty SIC07 code")

    def test_header_only(self, tmp_path):
        assert error(book(tmp_path, [])).endswith(
            "sheet 'Table 3', row 2: no data rows under the header"
        )

    def test_same_table_twice(self, tmp_path):
        path = book(tmp_path, extra={"Table 1": [[TITLE3], HEADER, *GOOD]})
        assert error(path).endswith(
            "sheet 'Table 3', row 1: sheets 'Table 1' and 'Table 3' both hold gva_current"
        )


def test_industry_parents_of_published_codes():
    parents = industry_parents(list(SIC07_DESCRIPTIONS))
    assert parents["68IMP"] == "L (68)" and parents["68"] == "L (68)"
    assert parents["49-51"] == "H (49-53)" and parents["AB (1-9)"] == "A-E"
    assert parents["F (41-43)"] == "Total" and parents["G-T"] == "Total"
    assert parents["T (97-98)"] == "G-T" and parents["DE (35-39)"] == "A-E"
    assert industry_parents(["Total", "XYZ"])["XYZ"] is None
