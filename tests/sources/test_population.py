"""Population estimates in three published layouts: the ONS 'Population data' table, a
Nomis CSV download and the ONS mid-2020 MYE workbook; real files and hand-made fixtures."""

from __future__ import annotations

import pytest

from lis_analysis.errors import InputError
from lis_analysis.sources import detect
from lis_analysis.sources.population import NomisPopulationLAD, PopulationLA, PopulationMYE
from tests.helpers import write_text, write_workbook

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


def cell(df, code, year, measure="population"):
    hit = df[(df.geography_code == code) & (df.year == year) & (df.measure == measure)]
    assert len(hit) == 1, (code, year, measure, len(hit))
    return hit.iloc[0]


@pytest.fixture(scope="module")
def la(public_file):
    return PopulationLA().parse(public_file("population/populationestimatesbylocalauthority.xlsx"))


@pytest.fixture(scope="module")
def nomis(public_file):
    return NomisPopulationLAD().parse(public_file("population/lad_pop.csv"))


@pytest.fixture(scope="module")
def mye(public_file):
    return PopulationMYE().parse(public_file("population/ukpopestimatesmid2020on2021geography.xls"))


@pytest.mark.shared
class TestRealPopulationTable:
    def test_detected(self, public_file):
        assert isinstance(
            detect(public_file("population/populationestimatesbylocalauthority.xlsx")), PopulationLA
        )

    # 'Population data' sheet, 2023 column (persons, whole numbers: +-0.5).
    @pytest.mark.parametrize(
        "code,expected",
        [("E06000016", 379780), ("E07000129", 105278), ("E07000133", 53237), ("E07000135", 59623)],
    )
    def test_values_2023(self, la, code, expected):
        assert cell(la, code, 2023).value == pytest.approx(expected, abs=0.5)

    def test_ll_sums(self, la):
        # Sums of the printed figures (PROVENANCE.md): 2023 1,113,795; 2022 1,095,435.
        s = la[la.geography_code.isin(LL)].groupby("year")["value"].sum()
        assert s[2023] == 1113795 and s[2022] == 1095435

    def test_ni_2023_marker(self, la):
        ni = la[la.geography_code.str.startswith("N09") & (la.year == 2023)]
        assert len(ni) == 11 and set(ni.status) == {"[u]"} and ni.value.isna().all()
        assert cell(la, "N09000007", 2022).value == 149915  # Lisburn and Castlereagh 2022
        assert any("11 cells marked [u] (2023; 11 areas)" in w for w in la.attrs["warnings"])

    def test_coverage_and_source_line(self, la):
        assert la.geography_code.nunique() == 361
        assert (
            set(la.geography_level) == {"lad"} and la.year.min() == 1998 and la.year.max() == 2023
        )
        assert not la.geography_code.str.startswith("Source").any()
        assert set(la.release) == {"2025-04"} and set(la.sheet) == {"Population data"}


@pytest.mark.shared
class TestRealNomis:
    def test_detected_not_confused(self, public_file):
        assert isinstance(detect(public_file("population/lad_pop.csv")), NomisPopulationLAD)
        assert not NomisPopulationLAD().matches(
            public_file("bres/Business_Register_and_Employment_Survey.csv")
        )

    def test_values(self, nomis):
        # lad_pop.csv (Nomis, 5 June 2024), whole persons.
        assert cell(nomis, "E06000016", 2022).value == 373399  # Leicester 2022
        assert cell(nomis, "E06000016", 1991).value == 281467  # Leicester 1991
        assert cell(nomis, "E07000129", 2021).value == 103271  # Blaby 2021
        assert cell(nomis, "E06000005", 1991).value == 99342  # Darlington, first data row
        row = cell(nomis, "E06000016", 2022)
        assert (row.row, row.col) == (81, 33)

    def test_missing_marker(self, nomis):
        aberdeen = cell(nomis, "S12000033", 2022)  # Scotland 2022 not yet available: '-'
        assert aberdeen.status == "-" and aberdeen.value != aberdeen.value
        assert cell(nomis, "N09000001", 1991).status == "-"
        assert (nomis.status == "-").sum() == 153

    def test_shape_release_footnotes(self, nomis):
        assert nomis.geography_code.nunique() == 374 and len(nomis) == 374 * 32
        assert set(nomis.release) == {"2024-06-05"} and set(nomis.breakdown) == {"All"}
        assert set(nomis.measure) == {"population"}
        assert not nomis.geography_name.str.contains("missing").any()


@pytest.mark.shared
class TestRealMYE:
    def test_detected(self, public_file):
        assert isinstance(
            detect(public_file("population/ukpopestimatesmid2020on2021geography.xls")),
            PopulationMYE,
        )

    def test_all_ages(self, mye):
        # MYE2 - Persons, 'All ages', mid-2020 (unrounded persons).
        assert cell(mye, "E06000016", 2020).value == 354036  # Leicester
        assert cell(mye, "E92000001", 2020).value == 56550138  # England
        assert cell(mye, "E12000004", 2020).value == 4865583  # East Midlands
        assert cell(mye, "E06000016", 2020).sheet == "MYE2 - Persons"

    def test_age_bands(self, mye):
        # UK 65+ = MYE1 rows '65 to 69' .. '90 and over' (3,355,381 + 3,363,906 + 2,403,759
        # + 1,726,223 + 1,049,866 + 609,503); UK 0-15 = MYE1 '0 to 4'..'10 to 14' + MYE2 age 15.
        assert cell(mye, "K02000001", 2020, "population_65_plus").value == 12508638
        assert cell(mye, "K02000001", 2020, "population_0_15").value == 11974857 + 752712
        assert (
            cell(mye, "K02000001", 2020, "population_16_64").value == 67081234 - 12727569 - 12508638
        )
        lei = {
            m: cell(mye, "E06000016", 2020, m).value
            for m in ("population_0_15", "population_16_64", "population_65_plus")
        }
        assert lei["population_16_64"] == 234562 and sum(lei.values()) == 354036
        row = cell(mye, "E06000016", 2020, "population_16_64")
        assert (row.row, row.col) == (97, 20)  # points at the age-16 column

    def test_mye4_years(self, mye):
        # MYE4, Leicester mid-2019 354,224; Blaby mid-2019 101,526; mid-2001 Leicester 282,757.
        assert cell(mye, "E06000016", 2019).value == 354224
        assert cell(mye, "E07000129", 2019).value == 101526
        assert cell(mye, "E06000016", 2001).sheet == "MYE4"
        assert sorted(set(mye.year)) == list(range(2001, 2021))  # 2020 once, from MYE2

    def test_levels_and_codes(self, mye):
        levels = mye.drop_duplicates("geography_code").geography_level.value_counts().to_dict()
        assert levels["county"] == 30 and levels["region"] == 9 and levels["uk"] == 1
        assert "E06000061" in set(mye.geography_code)  # printed 'E06000061\xa0' in MYE4
        assert not mye.geography_name.str.contains("\xa0").any()

    def test_release_and_unrebased_warning(self, mye):
        assert set(mye.release) == {"2021-06-25"}
        assert "pre-Census-2021 basis (not rebased)" in mye.attrs["warnings"][0]
        assert len(mye.attrs["warnings"]) == 1  # single years sum to All ages; MYE4 agrees


# ----------------------------------------------------------------------------- fixtures: table

LA_NAME = "populationestimatesbylocalauthority.xlsx"
LA_HEADER = ["ITL1 Region", "LA code", "LA name", 2022, "2023"]


def la_book(tmp_path, rows, header=LA_HEADER):
    body = [header, *rows, [], ["Source: ONS Population estimates"]]
    return write_workbook(
        tmp_path / LA_NAME,
        {"Population data": body, "Notes": [["[u]", "Suppressed due to uncertainty."]]},
    )


def la_error(path):
    with pytest.raises(InputError) as e:
        PopulationLA().parse(path)
    return str(e.value)


class TestTableFixtures:
    def test_good_with_marker(self, tmp_path):
        df = PopulationLA().parse(
            la_book(tmp_path, [["East Midlands ", "E06000016", "Leicester", 373000, "[u]"]])
        )
        assert cell(df, "E06000016", 2022).value == 373000
        assert cell(df, "E06000016", 2023).status == "[u]"
        # Data to 2023: the known April 2025 release; the [u] note comes from the Notes sheet.
        assert set(df.release) == {"2025-04"}
        assert df.attrs["warnings"] == [
            "1 cells marked [u] (2023; 1 areas): Suppressed due to uncertainty."
        ]

    def test_unknown_vintage_has_no_release(self, tmp_path):
        header = ["ITL1 Region", "LA code", "LA name", 2023, "2024"]
        df = PopulationLA().parse(
            la_book(tmp_path, [["x", "E06000016", "Leicester", 1, 2]], header=header)
        )
        assert set(df.release) == {""}  # unknown, not guessed
        assert df.attrs["warnings"] == ["the file does not state its release; data run to 2024"]

    def test_header_not_found(self, tmp_path):
        path = la_book(
            tmp_path,
            [["x", "E06000016", "Leicester", 1, 2]],
            header=["Region", "Code", "Name", 2022, 2023],
        )
        assert la_error(path).endswith(
            "sheet 'Population data': header row with 'LA code' not found in the first 10 rows (header moved or renamed?)"
        )

    def test_non_numeric(self, tmp_path):
        path = la_book(tmp_path, [["x", "E06000016", "Leicester", "about 5", 2]])
        msg = la_error(path)
        assert msg.startswith(
            f"{path}, sheet 'Population data', row 2, column D ('2022'): non-numeric value 'about 5' is not a known marker (known: "
        )
        assert "[u]" in msg.split("known: ")[1]

    def test_negative(self, tmp_path):
        path = la_book(tmp_path, [["x", "E06000016", "Leicester", -5, 2]])
        assert la_error(path).endswith(
            "sheet 'Population data', row 2, column D: negative value -5 for population, which cannot be negative"
        )

    def test_duplicate_district(self, tmp_path):
        row = ["x", "E06000016", "Leicester", 1, 2]
        assert la_error(la_book(tmp_path, [row, row])).endswith(
            "row 2, column D: duplicate entry for E06000016 population 2022 (again at row 3)"
        )

    def test_gap(self, tmp_path):
        row = ["x", "E06000016", "Leicester", 1, 2]
        path = write_workbook(
            tmp_path / LA_NAME,
            {"Population data": [LA_HEADER, row, [], ["x", "E07000129", "Blaby", 1, 2]]},
        )
        assert la_error(path).endswith(
            "sheet 'Population data', row 4, column B: data row after the blank row 3 (the table has a gap; expected footnotes only)"
        )

    def test_wrong_sheet(self, tmp_path):
        path = write_workbook(tmp_path / LA_NAME, {"Data": [LA_HEADER]})
        assert la_error(path) == f"{path}: sheet 'Population data' not found (sheets: Data)"


# ----------------------------------------------------------------------------- fixtures: Nomis

NOMIS_HEAD = (
    "\n"
    '"Population estimates - local authority based by single year of age"\n'
    '"ONS Crown Copyright Reserved [from Nomis on 5 June 2024]"\n'
    '"Gender     :","Total"\n'
    '"Age        :","{age}"\n'
    "\n"
    '"local authority: district / unitary (as of April 2021)","mnemonic","2021","2022"\n'
    "\n"
)
NOMIS_ROWS = '"Leicester","E06000016",368922,373399\n"Blaby","E07000129",103271,-\n'
NOMIS_FOOT = '\n"-","These figures are missing."\n\n"","Mid-2022 estimates for Scotland are not yet available."\n'


def nomis_file(tmp_path, text, name="lad_pop.csv", **kw):
    return write_text(tmp_path / name, text, **kw)


def nomis_error(path):
    with pytest.raises(InputError) as e:
        NomisPopulationLAD().parse(path)
    return str(e.value)


class TestNomisFixtures:
    def test_good_bom_crlf(self, tmp_path):
        path = nomis_file(
            tmp_path,
            NOMIS_HEAD.format(age="All Ages") + NOMIS_ROWS + NOMIS_FOOT,
            bom=True,
            crlf=True,
        )
        assert isinstance(detect(path), NomisPopulationLAD)
        df = NomisPopulationLAD().parse(path)
        assert cell(df, "E06000016", 2022).value == 373399
        assert cell(df, "E07000129", 2022).status == "-"
        assert len(df) == 4 and set(df.release) == {"2024-06-05"}

    def test_two_blocks(self, tmp_path):
        second = NOMIS_HEAD.format(age="Aged 16 - 64").lstrip("\n").split("\n", 2)[2]
        text = (
            NOMIS_HEAD.format(age="All Ages")
            + NOMIS_ROWS
            + "\n"
            + second
            + '"Leicester","E06000016",250000,252000\n'
            + NOMIS_FOOT
        )
        df = NomisPopulationLAD().parse(nomis_file(tmp_path, text))
        assert cell(df, "E06000016", 2022, "population_16_64").value == 252000
        assert cell(df, "E06000016", 2022, "population").value == 373399

    def test_unknown_age(self, tmp_path):
        path = nomis_file(tmp_path, NOMIS_HEAD.format(age="Aged 18 - 24") + NOMIS_ROWS)
        assert nomis_error(path) == (
            f"{path}, row 5, column 2: age 'Aged 18 - 24' is not one this parser reads "
            "(known: All Ages, Aged 16 - 64, Aged 0 - 15, Aged 65+)"
        )

    def test_no_header(self, tmp_path):
        path = nomis_file(
            tmp_path, '"Population estimates - local authority based"\n"Age :","All Ages"\n'
        )
        assert (
            nomis_error(path)
            == f"{path}: no header line with 'mnemonic' found (not a Nomis table download?)"
        )

    def test_truncated_line(self, tmp_path):
        path = nomis_file(
            tmp_path, NOMIS_HEAD.format(age="All Ages") + '"Leicester","E06000016",368922\n'
        )
        assert (
            nomis_error(path)
            == f"{path}, row 9: row has 3 fields, the header 4 (truncated or malformed line)"
        )

    def test_row_outside_table(self, tmp_path):
        text = (
            NOMIS_HEAD.format(age="All Ages") + NOMIS_ROWS + '\n"Melton","E07000133",51000,52000\n'
        )
        path = nomis_file(tmp_path, text)
        assert (
            nomis_error(path)
            == f"{path}, row 12, column 2: data row outside a table (no header line above it)"
        )

    def test_bad_code(self, tmp_path):
        path = nomis_file(tmp_path, NOMIS_HEAD.format(age="All Ages") + '"Leicester","LEIC",1,2\n')
        assert (
            nomis_error(path)
            == f"{path}, row 9, column 2 ('mnemonic'): unknown geography code 'LEIC'"
        )

    def test_blank_and_empty(self, tmp_path):
        blank = nomis_file(tmp_path, "\n\n", name="blank_pop.csv")
        assert nomis_error(blank) == f"{blank}: the file has no content (blank lines only)"
        empty = nomis_file(tmp_path, "", name="empty_pop.csv")
        assert nomis_error(empty) == f"{empty}: the file is empty (0 bytes)"

    def test_other_csv_not_claimed(self, tmp_path):
        path = nomis_file(tmp_path, "area,population\nE06000016,1\n", name="population.csv")
        assert not NomisPopulationLAD().matches(path)


# ----------------------------------------------------------------------------- fixtures: MYE

MYE_NAME = "ukpopestimatesmid2020on2021geography.xlsx"
MYE_TITLE = "MYE2: Persons by single year of age and sex for local authorities in the UK, mid-2020"
MYE_HEADER = ["Code", "Name", "Geography", "All ages", *[str(a) for a in range(90)], "90+"]


def mye_row(code, name, geo, per_age=10, total=None):
    ages = [per_age] * 91
    return [code, name, geo, total if total is not None else per_age * 91, *ages]


def mye_book(tmp_path, rows, *, title=MYE_TITLE, header=MYE_HEADER, mye4=None):
    sheets = {
        "Cover sheet": [
            ["Mid-Year Population Estimates, UK, June 2020"],
            ["Date published: 25th June 2021"],
        ],
        "MYE2 - Persons": [[title], *[[""]] * 6, header, *rows],
    }
    if mye4:
        sheets["MYE4"] = mye4
    return write_workbook(tmp_path / MYE_NAME, sheets)


def mye_error(path):
    with pytest.raises(InputError) as e:
        PopulationMYE().parse(path)
    return str(e.value)


class TestMYEFixtures:
    def test_good(self, tmp_path):
        mye4 = [["MYE4"], *[[""]] * 6, ["Code", "Name", "Geography", "Mid-2020", " Mid-2019"],
                ["E06000016", "Leicester", "Unitary Authority", 910, 900]]  # fmt: skip
        path = mye_book(
            tmp_path, [mye_row("E06000016", "Leicester", "Unitary Authority")], mye4=mye4
        )
        df = PopulationMYE().parse(path)
        assert cell(df, "E06000016", 2020).value == 910
        assert cell(df, "E06000016", 2020, "population_16_64").value == 490  # 49 ages x 10
        assert cell(df, "E06000016", 2020, "population_0_15").value == 160
        assert cell(df, "E06000016", 2020, "population_65_plus").value == 260  # 65..89 and 90+
        assert cell(df, "E06000016", 2019).value == 900
        assert set(df.release) == {"2021-06-25"}

    def test_marker_in_one_age(self, tmp_path):
        row = mye_row("E06000016", "Leicester", "Unitary Authority")
        row[4 + 30] = "[x]"  # age 30
        df = PopulationMYE().parse(mye_book(tmp_path, [row]))
        wa = cell(df, "E06000016", 2020, "population_16_64")
        assert wa.status == "[x]" and wa.value != wa.value
        assert cell(df, "E06000016", 2020, "population_0_15").value == 160

    def test_ages_not_summing_is_a_warning(self, tmp_path):
        df = PopulationMYE().parse(
            mye_book(tmp_path, [mye_row("E06000016", "Leicester", "UA", total=999)])
        )
        assert (
            "1 areas where single years of age do not sum to 'All ages' (first: E06000016 at row 9)"
            in df.attrs["warnings"]
        )

    def test_missing_age_column(self, tmp_path):
        header = [h for h in MYE_HEADER if h != "47"]
        path = mye_book(tmp_path, [mye_row("E06000016", "Leicester", "UA")[:-1]], header=header)
        assert mye_error(path).endswith(
            "sheet 'MYE2 - Persons', row 8: expected age column '47' in the header row (single years 0..89 and '90+')"
        )

    def test_title_without_year(self, tmp_path):
        path = mye_book(
            tmp_path,
            [mye_row("E06000016", "Leicester", "UA")],
            title="MYE2: Persons by single year of age",
        )
        assert mye_error(path).endswith(
            "sheet 'MYE2 - Persons', row 1, column A: title 'MYE2: Persons by single year of age' does not say which "
            "mid-year it is ('mid-YYYY')"
        )

    def test_unknown_code(self, tmp_path):
        path = mye_book(tmp_path, [mye_row("XX0000001", "Nowhere", "UA")])
        assert mye_error(path).endswith(
            "sheet 'MYE2 - Persons', row 9, column A ('Code'): unknown geography code 'XX0000001'"
        )
