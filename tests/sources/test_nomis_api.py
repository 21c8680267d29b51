"""Nomis API CSV parsers (BRES NM_189_1, population NM_2002_1) against hand-written
extracts in the API layout (tests/fixtures/nomis_api/) and malformed variants of them."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from lis_analysis.errors import InputError
from lis_analysis.sources import all_measures, detect
from lis_analysis.sources._base import max_year
from lis_analysis.sources.bres import NomisBRES
from lis_analysis.sources.nomis_api import NomisApiBRES, NomisApiPopulation
from tests.helpers import write_text

SECTIONS = "nomis_bres_sections_2026-10-08.csv"
DIVISIONS = "nomis_bres_divisions_2026-10-08.csv"
POPULATION = "nomis_population_lad_2026-07-29.csv"


def one(df, code, industry, breakdown, year, measure="employment"):
    hit = df[
        (df.geography_code == code)
        & (df.industry == industry)
        & (df.breakdown == breakdown)
        & (df.year == year)
        & (df.measure == measure)
    ]
    assert len(hit) == 1, (code, industry, breakdown, year, len(hit))
    return hit.iloc[0]


@pytest.fixture(scope="module")
def sections(fixtures):
    path = fixtures / "nomis_api" / SECTIONS
    return detect(path).parse(path)


@pytest.fixture(scope="module")
def population(fixtures):
    path = fixtures / "nomis_api" / POPULATION
    return detect(path).parse(path)


class TestBRES:
    def test_detected_by_name_and_header(self, fixtures):
        for name in (SECTIONS, DIVISIONS):
            assert isinstance(detect(fixtures / "nomis_api" / name), NomisApiBRES)

    def test_same_dataset_and_measure_as_the_table_download(self, sections):
        assert set(sections.dataset) == {"nomis_bres"}
        assert set(sections.measure) == {"employment"}
        assert all_measures()[("nomis_bres", "employment")].aggregation == "additive"

    def test_values_industries_and_statuses(self, sections):
        # Hand-typed values of the fixture (counts as Nomis prints them).
        assert one(sections, "E06000016", "C", "Employment", 2024).value == 21000
        assert one(sections, "E07000129", "Q", "Employment", 2024).value == 3500
        assert one(sections, "E06000016", "A", "Employees", 2024).value == 10
        assert set(sections.industry) == {"A", "C", "Q"}
        assert set(sections.breakdown) == {"Employment", "Employees"}

    def test_zero_is_a_value(self, sections):
        r = one(sections, "E07000129", "A", "Employees", 2024)
        assert r.value == 0 and pd.isna(r.status)

    def test_suppressed_value_keeps_marker_never_zero(self, sections):
        r = one(sections, "E07000129", "A", "Employment", 2024)
        assert math.isnan(r.value) and r.status == "Q"

    def test_flagged_value_kept_with_its_status(self, sections):
        r = one(sections, "E07000129", "Q", "Employees", 2024)
        assert r.value == 3250 and r.status == "P"
        assert any("'P' (provisional value)" in w for w in sections.attrs["warnings"])

    def test_release_from_the_file_name_and_where_printed(self, sections):
        assert set(sections.release) == {"2026-10-08"}
        r = one(sections, "E06000016", "C", "Employment", 2024)
        assert (int(r.row), int(r.col)) == (2, 9)
        assert set(sections.geography_level) == {"lad"}

    def test_divisions_keep_two_digits(self, fixtures):
        df = NomisApiBRES().parse(fixtures / "nomis_api" / DIVISIONS)
        assert set(df.industry) == {"10", "47"}
        assert one(df, "E06000016", "47", "Employment", 2019).value == 12000
        assert sorted(set(df.period)) == ["2019", "2024"]


class TestPopulation:
    def test_detected(self, fixtures):
        assert isinstance(detect(fixtures / "nomis_api" / POPULATION), NomisApiPopulation)

    def test_measures_as_the_population_parser(self, population):
        assert set(population.dataset) == {"nomis_population_lad"}
        assert set(population.measure) == {"population", "population_16_64"}
        assert set(population.breakdown) == {"All"} and set(population.industry) == {"Total"}

    def test_values(self, population):
        assert one(population, "E06000016", "Total", "All", 2023, "population").value == 379780
        assert one(population, "E07000129", "Total", "All", 2024, "population_16_64").value == 64500

    def test_missing_value_keeps_status(self, population):
        r = one(population, "E07000129", "Total", "All", 2024, "population")
        assert math.isnan(r.value) and r.status == "Q"


# --------------------------------------------------------------------------------------
# Malformed inputs: each gives one line naming the file, row and column
# --------------------------------------------------------------------------------------


def variant(fixtures, tmp_path, old: str, new: str, *, source=SECTIONS, name=SECTIONS) -> Path:
    text = (fixtures / "nomis_api" / source).read_text(encoding="utf-8")
    assert old in text, old
    return write_text(tmp_path / name, text.replace(old, new, 1))


def error(path: Path, parser=None) -> str:
    with pytest.raises(InputError) as e:
        (parser or NomisApiBRES()).parse(path)
    return str(e.value)


LINE3 = '"2024","Leicester","E06000016","Q : Human health and social work activities","Q","SIC 2007 section","Employment","Count","Value","27000"'


class TestMalformed:
    def test_empty_file(self, tmp_path):
        path = write_text(tmp_path / SECTIONS, "")
        assert error(path) == f"{path}: the file is empty (0 bytes)"

    def test_header_only(self, fixtures, tmp_path):
        head = (fixtures / "nomis_api" / SECTIONS).read_text().splitlines()[0]
        path = write_text(tmp_path / SECTIONS, head + "\n")
        assert error(path) == f"{path}, row 1: no data lines under the header line"

    def test_renamed_column(self, fixtures, tmp_path):
        path = variant(fixtures, tmp_path, '"OBS_VALUE"', '"VALUE"')
        msg = error(path)
        assert msg.startswith(
            f"{path}, row 1: expected column 'OBS_VALUE' in the Nomis API header line, found: 'DATE_NAME'"
        )

    def test_truncated_line(self, fixtures, tmp_path):
        path = variant(fixtures, tmp_path, LINE3 + ',"A","Normal Value","2","12"', LINE3)
        assert error(path) == (
            f"{path}, row 4: row has 10 fields, the header 14 (truncated or malformed line)"
        )

    def test_non_numeric_value(self, fixtures, tmp_path):
        path = variant(fixtures, tmp_path, '"Value","21000"', '"Value","21,000x"')
        assert (
            error(path)
            == f"{path}, row 3, column 10 ('OBS_VALUE'): OBS_VALUE '21,000x' is not a number"
        )

    def test_unknown_status(self, fixtures, tmp_path):
        path = variant(fixtures, tmp_path, '"21000","A"', '"21000","Z"')
        assert error(path) == (
            f"{path}, row 3, column 11 ('OBS_STATUS'): OBS_STATUS 'Z' is not a known observation status "
            "(known: A, B, D, E, F, G, I, K, L, M, N, O, P, Q, S, U, V, W)"
        )

    def test_duplicate_key(self, fixtures, tmp_path):
        path = variant(
            fixtures,
            tmp_path,
            LINE3,
            LINE3.replace(
                '"Q : Human health and social work activities","Q"', '"C : Manufacturing","C"'
            ),
        )
        assert error(path) == (
            f"{path}, row 3, column 10: duplicate entry for E06000016 employment 2024 (again at row 4)"
        )

    def test_unknown_geography_code(self, fixtures, tmp_path):
        path = variant(fixtures, tmp_path, '"Blaby","E07000129"', '"Blaby","Blaby DC"')
        assert error(path) == (
            f"{path}, row 5, column 3 ('GEOGRAPHY_CODE'): unknown geography code 'Blaby DC'"
        )

    def test_period_out_of_range(self, fixtures, tmp_path):
        path = variant(fixtures, tmp_path, '"2024","Leicester"', '"1901","Leicester"')
        assert error(path) == (
            f"{path}, row 2, column 10: period '1901' is out of range (1970-{max_year()})"
        )

    def test_date_not_a_year(self, fixtures, tmp_path):
        path = variant(fixtures, tmp_path, '"2024","Leicester"', '"2024-Q1","Leicester"')
        assert error(path) == (
            f"{path}, row 2, column 1 ('DATE_NAME'): date '2024-Q1' is not a year (expected e.g. '2024')"
        )

    def test_negative_count(self, fixtures, tmp_path):
        path = variant(fixtures, tmp_path, '"Value","21000"', '"Value","-5"')
        assert error(path) == (
            f"{path}, row 3, column 10: negative value -5 for employment, which cannot be negative"
        )

    def test_percentage_measure_refused(self, fixtures, tmp_path):
        path = variant(
            fixtures, tmp_path, '"Count","Value","21000"', '"Industry percentage","Value","21000"'
        )
        assert error(path) == (
            f"{path}, row 3, column 8 ('MEASURE_NAME'): MEASURE_NAME 'Industry percentage' is not read "
            "(download measures=20100 'Value' and measure=1 'Count')"
        )

    def test_industry_type_contradicts_label(self, fixtures, tmp_path):
        path = variant(
            fixtures, tmp_path, '"C","SIC 2007 section"', '"C","SIC 2007 division (2 digit)"'
        )
        assert error(path) == (
            f"{path}, row 3, column 4 ('INDUSTRY_NAME'): industry 'C : Manufacturing' is coded C "
            "but INDUSTRY_TYPE says 'SIC 2007 division (2 digit)'"
        )

    def test_unknown_industry_label(self, fixtures, tmp_path):
        path = variant(fixtures, tmp_path, '"C : Manufacturing","C"', '"Manufacturing","C2"')
        assert error(path) == (
            f"{path}, row 3, column 4 ('INDUSTRY_NAME'): industry 'Manufacturing' is not a SIC "
            "section, division or broad industrial group label ('C : ...')"
        )

    def test_blank_line_inside_the_data(self, fixtures, tmp_path):
        path = variant(fixtures, tmp_path, "\n" + LINE3, "\n\n" + LINE3)
        assert error(path) == f"{path}, row 4: blank line inside the data"

    def test_unknown_age(self, fixtures, tmp_path):
        path = variant(
            fixtures, tmp_path, '"Aged 16 - 64"', '"Aged 0 - 4"', source=POPULATION, name=POPULATION
        )
        assert error(path, NomisApiPopulation()) == (
            f"{path}, row 3, column 5 ('C_AGE_NAME'): age 'Aged 0 - 4' is not one this parser reads "
            "(known: All Ages, Aged 16 - 64, Aged 0 - 15, Aged 65+)"
        )

    def test_table_download_named_like_an_api_extract_goes_to_its_own_parser(self, tmp_path):
        # A Nomis *table* download (title lines) saved as nomis_*.csv is the bulk parser's.
        path = write_text(
            tmp_path / "nomis_2026_07_01_101010.csv",
            '"Business Register and Employment Survey : open access"\n"ONS Crown Copyright Reserved [from Nomis on 1 July 2026]"\n',
        )
        assert isinstance(detect(path), NomisBRES)

    def test_no_release_in_the_name_is_a_warning(self, fixtures, tmp_path):
        path = tmp_path / "nomis_bres_sections.csv"
        path.write_bytes((fixtures / "nomis_api" / SECTIONS).read_bytes())
        df = NomisApiBRES().parse(path)
        assert set(df.release) == {""}
        assert any("no release date in the file name" in w for w in df.attrs["warnings"])
