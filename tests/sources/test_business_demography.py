"""ONS Business Demography reference tables (2024 edition) and hand-made fixtures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lis_analysis.errors import InputError
from lis_analysis.sources import detect
from lis_analysis.sources.business_demography import BusinessDemography, release_from_text
from tests.helpers import write_workbook

FILE = "business/businessdemographyexceltables2024.xlsx"
LL = {
    # Table 3.1d, active enterprises 2024 (counts rounded to 5, printed as integers).
    "E06000016": 14260,
    "E07000129": 4195,
    "E07000130": 7035,
    "E07000131": 5330,
    "E07000132": 4505,
    "E07000133": 2350,
    "E07000134": 4465,
    "E07000135": 2445,
}


def one(df, code, measure, year):
    hit = df[(df.geography_code == code) & (df.measure == measure) & (df.year == year)]
    assert len(hit) == 1, (code, measure, year, len(hit))
    return hit.iloc[0]


@pytest.fixture(scope="module")
def bd(public_file):
    return detect(public_file(FILE)).parse(public_file(FILE))


@pytest.mark.shared
class TestReal:
    def test_detected_and_release(self, public_file, bd):
        assert isinstance(detect(public_file(FILE)), BusinessDemography)
        assert set(bd.release) == {"2025-11-20"}  # Cover: "Date published: 20th November 2025"

    @pytest.mark.parametrize("code,expected", LL.items())
    def test_active_2024(self, bd, code, expected):
        row = one(bd, code, "active", 2024)
        assert row.value == pytest.approx(expected, abs=0.5) and row.sheet == "Table 3.1d"

    def test_other_tables(self, bd):
        # Leicester 2019 (Tables 1.1a, 2.1a, 7.1a, 7.3a; integers): births 2,125, deaths 1,485,
        # high growth 60, active with 10+ employees 1,690.
        assert one(bd, "E06000016", "births", 2019).value == pytest.approx(2125, abs=0.5)
        assert one(bd, "E06000016", "deaths", 2019).value == pytest.approx(1485, abs=0.5)
        assert one(bd, "E06000016", "high_growth", 2019).value == pytest.approx(60, abs=0.5)
        assert one(bd, "E06000016", "active_10plus", 2019).value == pytest.approx(1690, abs=0.5)
        # Table 6.1, UK employer births 2024: 294,485.
        assert one(bd, "K02000001", "employer_births", 2024).value == pytest.approx(294485, abs=0.5)
        # Table 1.1c prints 2021 as text and 2022 as a number in the same header: both read.
        assert one(bd, "K02000001", "births", 2021).value == pytest.approx(363995, abs=0.5)
        assert one(bd, "K02000001", "births", 2022).value == pytest.approx(336925, abs=0.5)

    def test_survival(self, bd):
        # Table 5.1a, Leicester's 2019 cohort: 2,010 alive after 1 year, 705 after 5; the per
        # cent cells hold unrounded formulas (2010 / 2125 * 100).
        assert one(bd, "E06000016", "survival_1yr", 2019).value == pytest.approx(2010, abs=0.5)
        assert one(bd, "E06000016", "survival_5yr", 2019).value == pytest.approx(705, abs=0.5)
        assert one(bd, "E06000016", "survival_rate_1yr", 2019).value == pytest.approx(
            2010 / 2125 * 100, abs=1e-9
        )
        # Table 5.1e (2023 cohort): 2- to 5-year survival not reached yet, printed ':'.
        r = one(bd, "E06000016", "survival_rate_2yr", 2023)
        assert np.isnan(r.value) and r.status == ":"
        assert bd[(bd.year == 2023) & (bd.measure == "survival_5yr")].status.eq(":").all()

    def test_star_flag(self, bd):
        # 'Leicester*' in Table 3.1c (note 13): the name loses the star, the warning keeps it.
        assert one(bd, "E06000016", "active", 2022).geography_name == "Leicester"
        warn = [w for w in bd.attrs["warnings"] if w.startswith("E06000016 Leicester:")]
        assert warn == [
            "E06000016 Leicester: flagged * in Tables 2.1c, 3.1b, 3.1c, 5.1b, 7.3b (note 13: more than 500 "
            "businesses registered at a single postcode; counts may be inflated)"
        ]

    def test_star_flag_stays_on_the_figures(self, bd):
        # The flag stays on the figures of the flagged rows as their status, the reference
        # of the Notes sheet's note on multiple registrations (note 13 in this edition);
        # a figure of a row without the star has none, and the values are untouched.
        for measure, year in (("active", 2020), ("active", 2023), ("deaths", 2021),
                              ("survival_3yr", 2020)):  # fmt: skip
            r = one(bd, "E06000016", measure, year)
            assert r.status == "[note 13]" and np.isfinite(r.value), (measure, year)
        assert one(bd, "E06000016", "active", 2024).status is None or pd.isna(
            one(bd, "E06000016", "active", 2024).status
        )
        assert pd.isna(one(bd, "E07000129", "active", 2022).status)  # Blaby: not flagged
        assert one(bd, "E06000016", "active", 2023).value == 14240

    def test_stray_numbers_reported(self, bd):
        assert (
            "Table 7.1d: rows 411-412 below the table hold numbers (0, 10) with no area code or name; not loaded"
            in bd.attrs["warnings"]
        )

    def test_coverage(self, bd):
        per = bd[bd.measure == "active"].groupby("year").geography_code.nunique()
        assert per[2019] == 432 and per[2024] == 406  # each year on its own geography
        assert set(bd.geography_level) == {"uk", "gb", "ew", "country", "region", "county", "lad"}
        # markers: ':' (not applicable) and the flag of note 13 on flagged rows' figures
        assert set(bd.status.dropna()) == {":", "[note 13]"}
        assert set(bd.measure) >= {"births", "deaths", "active", "high_growth", "survival_rate_5yr"}

    def test_trailing_space_codes(self, bd):
        # Table 1.1c codes carry a trailing space ('K02000001 '): stripped.
        assert bd.geography_code.str.fullmatch(r"[A-Z]\d{8}").all()


# --------------------------------------------------------------------------------------
# Hand-made fixtures
# --------------------------------------------------------------------------------------

T = ["This worksheet contains one table"], ["Units: Counts (control rounded to base 5)"]
AREAS = [
    ("K02000001", "UNITED KINGDOM"),
    ("E12000004", " EAST MIDLANDS"),
    ("E06000016 ", "Leicester*"),
    ("E07000129", "Blaby"),
]


def year_sheet(title, years, values):
    header = ["", "", *years]
    return [[title], *T, header, *[[c, n, *v] for (c, n), v in zip(AREAS, values, strict=True)]]


def survival_sheet(year, births, rows=None):
    head = ["", "", f"{year} Births"]
    for k in range(1, 6):
        head += [f"{k}-year survival", f"{k}-year      per cent"]
    body = rows or [
        [c, n, b, b - 5, (b - 5) / b * 100, *[":"] * 8]
        for (c, n), b in zip(AREAS, births, strict=True)
    ]
    title = f"Table 5.1a - Survival Of Newly Born Enterprises District By Births Of Units In {year} And Their Survival"
    return [[title], *T, head, *body]


def bd_book(tmp_path, **override):
    sheets = {
        "Cover": [
            ["COVERSHEET"],
            ["Business Demography 2024"],
            ["Date published: 20th November 2025"],
        ],
        "Table 1.1a": year_sheet(
            "Table 1.1a - Count Of Births Of New Enterprises For 2021, 2022",
            ["2021", 2022.0],
            [[360000, 330000], [15000, 14000], [2000, 1900], [400, 410]],
        ),
        "Table 2.1a": year_sheet(
            "Table 2.1a - Count Of Deaths Of Enterprises For 2021",
            [2021.0],
            [[300000], [12000], [1500], [300]],
        ),
        "Table 3.1a": year_sheet(
            "Table 3.1a - Count Of Active Enterprises For 2021",
            [2021.0],
            [[2900000], [190000], [16920], [4390]],
        ),
        "Table 5.1a": survival_sheet(2021, [360000, 15000, 2000, 400]),
    }
    sheets.update(override)
    sheets = {k: v for k, v in sheets.items() if v is not None}
    return write_workbook(tmp_path / "businessdemographyexceltables2024.xlsx", sheets)


class TestFixtures:
    def test_good_fixture(self, tmp_path):
        path = bd_book(tmp_path)
        df = detect(path).parse(path)
        assert one(df, "E06000016", "births", 2022).value == 1900
        assert one(df, "E06000016", "survival_rate_1yr", 2021).value == pytest.approx(
            1995 / 2000 * 100
        )
        assert one(df, "E12000004", "active", 2021).geography_name == "EAST MIDLANDS"
        assert set(df.release) == {"2025-11-20"}
        assert df.attrs["warnings"] == [
            "E06000016 Leicester: flagged * in Tables 1.1a, 2.1a, 3.1a, 5.1a (note 13: more than 500 businesses "
            "registered at a single postcode; counts may be inflated)"
        ]
        assert len(df) == 4 * (2 + 1 + 1 + 10)
        # no Notes sheet here: the flag is the 2024 edition's note reference
        flagged = df[df["geography_code"] == "E06000016"]
        assert set(flagged["status"].dropna()) <= {"[note 13]", ":"}
        assert flagged["status"].eq("[note 13]").any()

    def test_release_text(self):
        assert release_from_text("Date published: 1st March 2024") == "2024-03-01"
        assert release_from_text("no date here") == ""

    def test_stray_numbers_warn(self, tmp_path):
        sheet = year_sheet(
            "Table 3.1a - Count Of Active Enterprises For 2021", [2021.0], [[1], [2], [3], [4]]
        )
        sheet += [["", "", 0.0], ["", "", 10.0]]
        df = BusinessDemography().parse(bd_book(tmp_path, **{"Table 3.1a": sheet}))
        assert (
            "Table 3.1a: rows 9-10 below the table hold numbers (0, 10) with no area code or name; not loaded"
            in df.attrs["warnings"]
        )

    def test_cohort_mismatch_warns(self, tmp_path):
        df = BusinessDemography().parse(
            bd_book(tmp_path, **{"Table 5.1a": survival_sheet(2021, [360000, 15000, 2005, 400])})
        )
        assert df.attrs["warnings"][0] == (
            "survival tables: births of the cohort differ from the births tables for 1 area-years "
            "(e.g. E06000016 2021); survival rates are the publisher's own"
        )

    # -- malformed input ----------------------------------------------------------------

    def test_missing_tables(self, tmp_path):
        path = bd_book(tmp_path, **{"Table 2.1a": None, "Table 3.1a": None})
        with pytest.raises(InputError) as e:
            BusinessDemography().parse(path)
        assert str(e.value) == (
            f"{path}: no Table 2.1x (deaths), Table 3.1x (active) sheet(s): not the Business Demography workbook? "
            "(sheets: Cover, Table 1.1a, Table 5.1a...)"
        )

    def test_title_does_not_match(self, tmp_path):
        sheet = year_sheet(
            "Table 2.1a - Count Of Active Enterprises For 2021", [2021.0], [[1], [2], [3], [4]]
        )
        path = bd_book(tmp_path, **{"Table 2.1a": sheet})
        with pytest.raises(InputError) as e:
            BusinessDemography().parse(path)
        assert str(e.value) == (
            f"{path}, sheet 'Table 2.1a', row 1, column A: title 'Table 2.1a - Count Of Active Enterprises For 2021' "
            "does not mention 'deaths'"
        )

    def test_header_moved(self, tmp_path):
        sheet = year_sheet(
            "Table 3.1a - Count Of Active Enterprises", ["Year 2021"], [[1], [2], [3], [4]]
        )
        path = bd_book(tmp_path, **{"Table 3.1a": sheet})
        with pytest.raises(InputError) as e:
            BusinessDemography().parse(path)
        assert str(e.value) == (
            f"{path}, sheet 'Table 3.1a': year header row (two blank cells, then years) not found in the first 12 rows "
            "(header moved or renamed?)"
        )

    def test_non_numeric(self, tmp_path):
        sheet = year_sheet(
            "Table 3.1a - Count Of Active Enterprises", [2021.0], [[1], [2], ["n.a."], [4]]
        )
        path = bd_book(tmp_path, **{"Table 3.1a": sheet})
        with pytest.raises(InputError) as e:
            BusinessDemography().parse(path)
        assert str(e.value) == (
            f"{path}, sheet 'Table 3.1a', row 7, column C ('2021'): non-numeric value 'n.a.' is not a known marker (known: :)"
        )

    def test_unexpected_survival_column(self, tmp_path):
        sheet = survival_sheet(2021, [360000, 15000, 2000, 400])
        sheet[3][12] = "6-year per cent"
        path = bd_book(tmp_path, **{"Table 5.1a": sheet})
        with pytest.raises(InputError) as e:
            BusinessDemography().parse(path)
        assert str(e.value) == (
            f"{path}, sheet 'Table 5.1a', row 4, column M ('6-year per cent'): unexpected column header '6-year per cent'"
        )

    def test_duplicate(self, tmp_path):
        sheet = year_sheet(
            "Table 3.1a - Count Of Active Enterprises", [2021.0], [[1], [2], [3], [4]]
        )
        sheet[7][0] = "E06000016"
        path = bd_book(tmp_path, **{"Table 3.1a": sheet})
        with pytest.raises(InputError) as e:
            BusinessDemography().parse(path)
        assert str(e.value) == (
            f"{path}, sheet 'Table 3.1a', row 7, column C: duplicate entry for E06000016 active 2021 (again at row 8)"
        )

    def test_unknown_code(self, tmp_path):
        sheet = year_sheet(
            "Table 3.1a - Count Of Active Enterprises", [2021.0], [[1], [2], [3], [4]]
        )
        sheet[7][0] = "Blaby DC"
        path = bd_book(tmp_path, **{"Table 3.1a": sheet})
        with pytest.raises(InputError) as e:
            BusinessDemography().parse(path)
        assert (
            str(e.value)
            == f"{path}, sheet 'Table 3.1a', row 8, column A: unknown geography code 'Blaby DC'"
        )

    def test_named_row_without_code(self, tmp_path):
        sheet = year_sheet(
            "Table 3.1a - Count Of Active Enterprises", [2021.0], [[1], [2], [3], [4]]
        )
        sheet += [[], ["", "Rutland", 1500]]
        path = bd_book(tmp_path, **{"Table 3.1a": sheet})
        with pytest.raises(InputError) as e:
            BusinessDemography().parse(path)
        assert (
            str(e.value)
            == f"{path}, sheet 'Table 3.1a', row 10, column A: row 'Rutland' has numbers but no area code"
        )

    def test_negative(self, tmp_path):
        sheet = year_sheet(
            "Table 2.1a - Count Of Deaths Of Enterprises", [2021.0], [[1], [2], [-3], [4]]
        )
        path = bd_book(tmp_path, **{"Table 2.1a": sheet})
        with pytest.raises(InputError) as e:
            BusinessDemography().parse(path)
        assert str(e.value) == (
            f"{path}, sheet 'Table 2.1a', row 7, column C: negative value -3 for deaths, which cannot be negative"
        )

    def test_truncated_and_empty(self, tmp_path):
        good = bd_book(tmp_path)
        bad = tmp_path / "businessdemographyexceltables2023.xlsx"
        bad.write_bytes(good.read_bytes()[:1000])
        with pytest.raises(InputError, match="cannot read the workbook"):
            BusinessDemography().parse(bad)
        bad.write_bytes(b"")
        with pytest.raises(InputError) as e:
            BusinessDemography().parse(bad)
        assert str(e.value) == f"{bad}: the file is empty (0 bytes)"
