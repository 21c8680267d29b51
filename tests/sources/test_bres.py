"""Nomis BRES open access parser against the real combined-authority download and
hand-typed files in both Nomis layouts (industries as rows; areas as rows with codes)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lis_analysis.errors import InputError
from lis_analysis.sources import detect
from lis_analysis.sources.bres import COMBINED_AUTHORITIES, NomisBRES, industry_code
from tests.helpers import write_text

REAL = "bres/Business_Register_and_Employment_Survey.csv"


def one(df, code, industry, status, year):
    hit = df[
        (df.geography_code == code)
        & (df.industry == industry)
        & (df.breakdown == status)
        & (df.year == year)
    ]
    assert len(hit) == 1, (code, industry, status, year, len(hit))
    return hit.iloc[0]


@pytest.fixture(scope="module")
def bres(public_file):
    path = public_file(REAL)
    return detect(path).parse(path)


@pytest.mark.shared
class TestRealFile:
    def test_detected_and_shape(self, bres, public_file):
        assert isinstance(detect(public_file(REAL)), NomisBRES)
        # 40 blocks (2015-2024 x 4 statuses) x 127 industry lines x 15 areas
        assert len(bres) == 40 * 127 * 15
        assert set(bres.year.unique()) == set(range(2015, 2025))
        assert set(bres.breakdown.unique()) == {
            "Employees",
            "Full-time employees",
            "Part-time employees",
            "Employment",
        }
        assert set(bres.geography_code.unique()) == set(COMBINED_AUTHORITIES.values())
        assert set(bres.geography_level.unique()) == {"ca"} and set(bres.dataset.unique()) == {
            "nomis_bres"
        }
        assert set(bres.release.unique()) == {"2026-07-01"}  # "[from Nomis on 1 July 2026]"

    # Values as printed in the 2015 Employees block (rounded counts).
    @pytest.mark.parametrize(
        "area,industry,expected",
        [
            (
                "Cambridgeshire and Peterborough",
                "BIG01",
                4500,
            ),  # "1 : Agriculture, forestry & fishing (A)"
            ("Greater Manchester", "BIG03", 100000),  # "3 : Manufacturing (C)"
            ("West Midlands", "BIG03", 136000),
            ("East Midlands", "BIG10", 24000),  # "10 : Information & communication (J)"
            ("Greater Manchester", "51", 6000),  # "51 : Air transport"
            ("Cambridgeshire and Peterborough", "72", 16000),  # scientific R&D
            ("York and North Yorkshire", "B", 800),  # "B : Mining and quarrying"
        ],
    )
    def test_printed_values_2015_employees(self, bres, area, industry, expected):
        assert one(bres, COMBINED_AUTHORITIES[area], industry, "Employees", 2015).value == expected

    def test_broad_groups_do_not_collide_with_divisions(self, bres):
        # "10 : Information & communication (J)" (broad group) vs "10 : Manufacture of food products".
        labels = bres.attrs["metadata"]["nomis_bres"]["industries"]
        assert labels["BIG10"] == "10 : Information & communication (J)"
        assert labels["10"].startswith("10 : Manufacture of food products")
        assert labels["01"].startswith("01 : Crop and animal production")
        assert len(labels) == 127
        assert bres.groupby(["geography_code", "industry", "breakdown", "year"]).size().max() == 1

    def test_zero_is_a_value_and_flags_empty(self, bres):
        # "97 : Activities of households as employers ..." prints 0 for every area.
        r = one(bres, "E47000001", "97", "Employment", 2024)
        assert r.value == 0 and pd.isna(r.status)
        assert bres.status.isna().all()  # open access: rounding, no suppression
        assert bres.value.notna().all()

    def test_footnotes_are_not_data_but_warned(self, bres):
        w = bres.attrs["warnings"]
        assert len(w) == 1 and w[0].startswith(
            "Nomis footnote: ONS have identified a quality issue"
        )
        assert "Hillingdon and Hounslow" in w[0]
        meta = bres.attrs["metadata"]["nomis_bres"]
        assert meta["blocks"] == 40 and len(meta["footnotes"]) == 2  # two paragraphs, once each
        assert meta["footnotes"][0].endswith("https://www.nomisweb.co.uk/articles/1103.aspx")
        assert w[0].endswith("should be used with caution.")  # two sentences, not the whole note


@pytest.mark.parametrize(
    "label,code",
    [
        ("1 : Agriculture, forestry & fishing (A)", "BIG01"),
        ("2 : Mining, quarrying & utilities (B,D and E)", "BIG02"),
        ("5 : Motor trades (Part G)", "BIG05"),
        ("18 : Arts, entertainment, recreation & other services (R,S,T and U)", "BIG18"),
        ("10 : Manufacture of food products", "10"),
        ("01 : Crop and animal production, hunting and related service activities", "01"),
        ("C : Manufacturing", "C"),
        ("77 : Rental and leasing activities", "77"),
        ("Total", None),
        ("CC : Wood", None),
    ],
)
def test_industry_code(label, code):
    assert industry_code(label) == code


# --------------------------------------------------------------------------------------
# Hand-typed files in the Nomis layouts
# --------------------------------------------------------------------------------------


def block_by_industry(
    year="2023", status="Employees", areas=("Tees Valley", "West Midlands"), lines=None
):
    head = ",".join(f'"{a}",""' for a in areas)
    lines = lines or [
        '"3 : Manufacturing (C)",25000,,136000',
        '"C : Manufacturing",25000,,136000',
        '"10 : Manufacture of food products",3000,,20000',
    ]
    return (
        '"Business Register and Employment Survey : open access"\n'
        '"ONS Crown Copyright Reserved [from Nomis on 1 July 2026]"\n'
        '"Analysis   :","standard"\n'
        f'"Date       :","{year}"\n'
        f'"Employment status:","{status}"\n'
        '"measure    :","Count"\n'
        "\n"
        f'"Industry",{head}\n'
        "\n" + "\n".join(lines) + "\n\n\n"
        '"","The level of rounding applied varies by estimate. Please see article for"\n'
        '"",""\n\n'
    )


def block_by_area(year="2023", lines=None, header=None):
    header = header or (
        '"local authority: district / unitary (as of April 2023)","mnemonic",'
        '"C : Manufacturing","","10 : Manufacture of food products",""'
    )
    lines = lines or ['"Leicester","E06000016",21000,,5000,', '"Blaby","E07000129",7000,,900,']
    return (
        '"Business Register and Employment Survey : open access"\n'
        '"ONS Crown Copyright Reserved [from Nomis on 1 July 2026]"\n'
        '"Analysis   :","standard"\n'
        f'"Date       :","{year}"\n'
        '"Employment status:","Employment"\n'
        '"measure    :","Count"\n'
        "\n" + header + "\n\n" + "\n".join(lines) + "\n\n"
    )


def bres_file(tmp_path, text, name="nomis_2026_07_01_101010.csv"):
    return write_text(tmp_path / name, "\n" + text)


class TestFixtures:
    def test_industries_as_rows(self, tmp_path):
        path = bres_file(tmp_path, block_by_industry() + block_by_industry(status="Employment"))
        assert isinstance(detect(path), NomisBRES)
        df = NomisBRES().parse(path)
        assert len(df) == 2 * 3 * 2
        r = one(df, "E47000007", "BIG03", "Employees", 2023)
        assert (r.value, r.geography_name, r.row, r.col, r.period) == (
            136000,
            "West Midlands",
            10,
            3,
            "2023",
        )
        assert one(df, "E47000006", "10", "Employment", 2023).value == 3000
        assert set(df.release) == {"2026-07-01"}

    def test_areas_as_rows_with_mnemonic_codes(self, tmp_path):
        df = NomisBRES().parse(bres_file(tmp_path, block_by_area() + block_by_area(year="2024")))
        r = one(df, "E06000016", "C", "Employment", 2024)
        assert (r.value, r.geography_name, r.geography_level) == (21000, "Leicester", "lad")
        assert one(df, "E07000129", "10", "Employment", 2023).value == 900
        assert len(df) == 8

    def test_flag_and_blank_kept_as_status(self, tmp_path):
        lines = ['"Leicester","E06000016",,"!",5000,', '"Blaby","E07000129",,,900,']
        df = NomisBRES().parse(bres_file(tmp_path, block_by_area(lines=lines)))
        flagged = one(df, "E06000016", "C", "Employment", 2023)
        assert flagged.status == "!" and math.isnan(flagged.value)
        blank = one(df, "E07000129", "C", "Employment", 2023)
        assert blank.status == "blank" and math.isnan(blank.value)  # never a zero

    def test_marker_in_value_cell(self, tmp_path):
        lines = ['"Leicester","E06000016","*",,5000,', '"Blaby","E07000129",7000,,900,']
        df = NomisBRES().parse(bres_file(tmp_path, block_by_area(lines=lines)))
        assert one(df, "E06000016", "C", "Employment", 2023).status == "*"

    # ---- malformed input ----------------------------------------------------------------

    def test_empty_file(self, tmp_path):
        path = tmp_path / "bres.csv"
        path.write_bytes(b"")
        with pytest.raises(InputError, match=r"bres\.csv: the file is empty \(0 bytes\)"):
            NomisBRES().parse(path)

    def test_no_table(self, tmp_path):
        path = bres_file(tmp_path, '"Business Register and Employment Survey : open access"\n')
        with pytest.raises(InputError, match=r"no BRES table found"):
            NomisBRES().parse(path)

    def test_unknown_area_name_asks_for_codes(self, tmp_path):
        path = bres_file(tmp_path, block_by_industry(areas=("Tees Valley", "Leicester")))
        with pytest.raises(
            InputError,
            match=r"row 9, column 4 \('Leicester'\): area 'Leicester' has no code: Nomis prints names only when areas are columns; "
            r"download with areas as rows \(the 'mnemonic' column gives codes\)",
        ):
            NomisBRES().parse(path)

    def test_truncated_line(self, tmp_path):
        lines = ['"Leicester","E06000016",21000,,5000,', '"Blaby","E07000129",7000']
        with pytest.raises(
            InputError, match=r"row 12: 3 fields where the header has 6 \(truncated line\?\)"
        ):
            NomisBRES().parse(bres_file(tmp_path, block_by_area(lines=lines)))

    def test_non_numeric_cell(self, tmp_path):
        lines = ['"Leicester","E06000016",21000,,5k,', '"Blaby","E07000129",7000,,900,']
        with pytest.raises(
            InputError,
            match=r"row 11, column 5 \('10 : Manufacture of food products'\): non-numeric value '5k' is not a known marker",
        ):
            NomisBRES().parse(bres_file(tmp_path, block_by_area(lines=lines)))

    def test_unknown_flag(self, tmp_path):
        lines = ['"Leicester","E06000016",21000,"?",5000,']
        with pytest.raises(
            InputError, match=r"row 11, column 4: flag '\?' is not a known Nomis marker"
        ):
            NomisBRES().parse(bres_file(tmp_path, block_by_area(lines=lines)))

    def test_unknown_code(self, tmp_path):
        lines = ['"Leicester","LEIC",21000,,5000,']
        with pytest.raises(
            InputError, match=r"row 11, column 2 \('mnemonic'\): unknown geography code 'LEIC'"
        ):
            NomisBRES().parse(bres_file(tmp_path, block_by_area(lines=lines)))

    def test_missing_date_line(self, tmp_path):
        text = block_by_area().replace('"Date       :","2023"\n', "")
        with pytest.raises(
            InputError, match=r"row 8: table without a 'Date :' line above its header"
        ):
            NomisBRES().parse(bres_file(tmp_path, text))

    def test_date_not_a_year(self, tmp_path):
        with pytest.raises(InputError, match=r"row 5, column 2: Date 'Sep 2023' is not a year"):
            NomisBRES().parse(bres_file(tmp_path, block_by_area(year="Sep 2023")))

    def test_year_out_of_range(self, tmp_path):
        with pytest.raises(InputError, match=r"row 11, column 3: period '1955' is out of range"):
            NomisBRES().parse(bres_file(tmp_path, block_by_area(year="1955")))

    def test_percentage_measure_refused(self, tmp_path):
        text = block_by_area().replace(
            '"measure    :","Count"', '"measure    :","Industry percentage"'
        )
        with pytest.raises(
            InputError, match=r"row 7, column 2: measure 'Industry percentage' is not supported"
        ):
            NomisBRES().parse(bres_file(tmp_path, text))

    def test_duplicate_block(self, tmp_path):
        with pytest.raises(
            InputError,
            match=r"row 11, column 3: duplicate entry for E06000016 employment 2023 \(again at row 23\)",
        ):
            NomisBRES().parse(bres_file(tmp_path, block_by_area() + block_by_area()))

    def test_negative(self, tmp_path):
        lines = ['"Leicester","E06000016",-5,,5000,']
        with pytest.raises(InputError, match=r"row 11, column 3: negative value -5 for employment"):
            NomisBRES().parse(bres_file(tmp_path, block_by_area(lines=lines)))

    def test_not_an_industry_label(self, tmp_path):
        lines = ['"Manufacturing",25000,,136000']
        with pytest.raises(
            InputError, match=r"row 11, column 1: industry 'Manufacturing' is not a SIC section"
        ):
            NomisBRES().parse(bres_file(tmp_path, block_by_industry(lines=lines)))

    def test_flag_column_missing(self, tmp_path):
        header = '"local authority: district / unitary (as of April 2023)","mnemonic","C : Manufacturing","10 : Food"'
        with pytest.raises(
            InputError,
            match=r"row 9, column 4 \('10 : Food'\): column '10 : Food' where the flag column",
        ):
            NomisBRES().parse(bres_file(tmp_path, block_by_area(header=header)))

    def test_other_csv_not_claimed(self, tmp_path):
        path = write_text(tmp_path / "bres.csv", "code,name,value\nE06000016,Leicester,1\n")
        assert not NomisBRES().matches(path)
