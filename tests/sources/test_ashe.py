"""ASHE Tables 7 (workplace) and 8 (residence) against the real provisional workbooks and
hand-made fixtures in the same layout."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lis_analysis.errors import InputError
from lis_analysis.sources import detect
from lis_analysis.sources._base import max_year
from lis_analysis.sources.ashe import AsheResidence, AsheWorkplace
from tests.helpers import write_workbook

T71 = "earnings/PROV - Work Geography Table 7.1a   Weekly pay - Gross 2024.xlsx"
T77 = "earnings/PROV - Work Geography Table 7.7a   Annual pay - Gross 2024.xlsx"
T81 = "earnings/PROV - Home Geography Table 8.1a   Weekly pay - Gross 2023.xls"


def one(df, code, measure, breakdown="All"):
    hit = df[(df.geography_code == code) & (df.measure == measure) & (df.breakdown == breakdown)]
    assert len(hit) == 1, (code, measure, breakdown, len(hit))
    return hit.iloc[0]


@pytest.fixture(scope="module")
def t71(public_file):
    return detect(public_file(T71)).parse(public_file(T71))


@pytest.fixture(scope="module")
def t77(public_file):
    return detect(public_file(T77)).parse(public_file(T77))


@pytest.fixture(scope="module")
def t81(public_file):
    return detect(public_file(T81)).parse(public_file(T81))


@pytest.mark.shared
class TestRealWorkplace:
    def test_detected(self, public_file):
        assert isinstance(detect(public_file(T71)), AsheWorkplace)
        assert isinstance(detect(public_file(T77)), AsheWorkplace)
        assert isinstance(detect(public_file(T81)), AsheResidence)

    # ASHE 2024 provisional, Table 7.1a, sheet All, median gross weekly pay (£), 1 decimal place.
    @pytest.mark.parametrize(
        "code,expected",
        [
            ("K02000001", 613.3),
            ("E92000001", 619.5),
            ("E12000004", 565.1),
            ("E06000016", 529.8),  # printed "Leicester UA"
            ("E07000129", 614.5),
            ("E07000130", 564.2),
            ("E07000133", 492.9),
            ("E07000135", 451.1),
        ],
    )
    def test_median_weekly_pay(self, t71, code, expected):
        assert one(t71, code, "weekly_pay_gross_median").value == pytest.approx(expected, abs=0.05)

    def test_other_columns(self, t71):
        # Table 7.1a All, UK: jobs 27,882 thousand (integer), mean 715.5, p90 1,249.3 (1 dp).
        assert one(t71, "K02000001", "weekly_pay_gross_jobs").value == pytest.approx(27882, abs=0.5)
        assert one(t71, "K02000001", "weekly_pay_gross_mean").value == pytest.approx(
            715.5, abs=0.05
        )
        assert one(t71, "K02000001", "weekly_pay_gross_p90").value == pytest.approx(
            1249.3, abs=0.05
        )
        # Leicester's median grew 8.3% on the year (1 dp).
        assert one(t71, "E06000016", "weekly_pay_gross_median_change").value == pytest.approx(
            8.3, abs=0.05
        )

    def test_negative_change_kept(self, t71):
        # Shetland Islands, mean annual % change -0.2 (Table 7.1a All, 1 dp): a change may be negative.
        assert one(t71, "S12000027", "weekly_pay_gross_mean_change").value == pytest.approx(
            -0.2, abs=0.05
        )

    def test_annual_pay_table(self, t77):
        # Table 7.7a All, median gross annual pay (£, whole pounds).
        assert one(t77, "K02000001", "annual_pay_gross_median").value == pytest.approx(
            31602, abs=0.5
        )
        assert one(t77, "E06000016", "annual_pay_gross_median").value == pytest.approx(
            27695, abs=0.5
        )
        assert not t77.measure.str.startswith("weekly").any()

    def test_names_and_breakdowns(self, t71):
        assert one(t71, "E06000016", "weekly_pay_gross_median").geography_name == "Leicester UA"
        # '  Gateshead' is indented in the file; the name is stripped.
        assert one(t71, "E08000037", "weekly_pay_gross_median").geography_name == "Gateshead"
        assert set(t71.breakdown) == {
            "All",
            "Male",
            "Female",
            "Full-Time",
            "Part-Time",
            "Male Full-Time",
            "Male Part-Time",
            "Female Full-Time",
            "Female Part-Time",
        }

    def test_markers_survive(self, t71):
        # Darlington p90 printed 'x' (CV > 20%).
        x = one(t71, "E06000005", "weekly_pay_gross_p90")
        assert np.isnan(x.value) and x.status == "x" and (x.row, x.col) == (10, 16)
        # Isles of Scilly, Female Part-Time: the row prints ':' once, in the jobs column;
        # every measure of the row gets it.
        row = t71[(t71.geography_code == "E06000053") & (t71.breakdown == "Female Part-Time")]
        assert len(row) == 15 and set(row.status) == {":"} and row.value.isna().all()

    def test_blank_change_not_emitted(self, t71):
        # Isles of Scilly, All: median 'x' and both annual changes blank.
        got = set(t71[(t71.geography_code == "E06000053") & (t71.breakdown == "All")].measure)
        assert "weekly_pay_gross_median" in got
        assert (
            "weekly_pay_gross_median_change" not in got
            and "weekly_pay_gross_mean_change" not in got
        )

    def test_cv_bands_from_shading(self, t71):
        assert pd.isna(one(t71, "K02000001", "weekly_pay_gross_median").status)
        assert one(t71, "E07000129", "weekly_pay_gross_median").status == "cv_5_10"
        assert one(t71, "E07000135", "weekly_pay_gross_median").status == "cv_10_20"
        hp = one(t71, "E06000001", "weekly_pay_gross_p10")
        assert hp.status == "cv_10_20" and hp.value == pytest.approx(171.6, abs=0.05)  # value kept
        # Annual changes are never shaded (the key says so): only markers, if anything.
        assert (
            t71[t71.measure.str.endswith("_change")]
            .status.dropna()
            .isin(["x", "..", ":", "-"])
            .all()
        )

    def test_coverage_and_levels(self, t71):
        assert t71.groupby("breakdown").geography_code.nunique().eq(395).all()
        lads = t71[t71.geography_level == "lad"].geography_code.unique()
        assert sum(c[:3] in ("E06", "E07", "E08", "E09") for c in lads) == 296
        assert set(t71.geography_level) == {"uk", "gb", "ew", "country", "region", "county", "lad"}
        assert set(t71.period) == {"2024"} and set(t71.release) == {"2024-10-29"}

    def test_footnotes_not_data(self, t71):
        assert not t71.geography_name.str.contains("Not Classified|Source|Employees on adult").any()
        assert t71.row.max() == 399  # Northern Ireland, the last coded row


@pytest.mark.shared
class TestRealResidence:
    # ASHE 2023 provisional, Table 8.1a, sheet All, median gross weekly pay (£, 1 dp).
    @pytest.mark.parametrize(
        "code,expected",
        [
            ("K02000001", 574.9),
            ("E92000001", 576.9),
            ("E06000016", 459.0),
            ("E07000129", 583.4),
            ("E07000133", 487.3),
        ],
    )
    def test_median(self, t81, code, expected):
        assert one(t81, code, "weekly_pay_gross_median").value == pytest.approx(expected, abs=0.05)

    def test_year_from_file_name_and_release(self, t81):
        assert set(t81.dataset) == {"ons_ashe_residence"}
        assert set(t81.period) == {"2023"} and set(t81.release) == {"2023-11-01"}

    def test_disclosive_row(self, t81):
        # City of London, Part-Time: '..' (disclosive) for the whole row.
        row = t81[(t81.geography_code == "E09000001") & (t81.breakdown == "Part-Time")]
        assert set(row.status) == {".."} and row.value.isna().all()

    def test_xls_loses_shading(self, t81):
        assert not t81.status.isin(["cv_5_10", "cv_10_20"]).any()
        assert any("legacy .xls" in w for w in t81.attrs["warnings"])
        assert any("'Not Classified' row" in w for w in t81.attrs["warnings"])


# --------------------------------------------------------------------------------------
# Hand-made fixtures in the published layout
# --------------------------------------------------------------------------------------

HEAD = [
    ["", "", "Number", "", "Annual", "", "Annual"],
    ["", "", "of jobsb", "", "percentage", "", "percentage", "Percentiles"],
    [
        "Description",
        "Code",
        "(thousand)",
        "Median",
        "change",
        "Mean",
        "change",
        10,
        20,
        25,
        30,
        40,
        60,
        70,
        75,
        80,
        90,
    ],
]
PCT = [150.0, 260.0, 310.0, 360.0, 450.0, 600.0, 680.0, 720.0, 790.0, 1010.0]
FOOT = [
    ["Not Classified", "", ":"],
    [
        "a  Employees on adult rates whose pay for the survey pay-period was not affected by absence."
    ],
    ["Source: Annual Survey of Hours and Earnings, Office for National Statistics."],
]


def line(name, code, jobs=120.0, median=529.8, change=8.3, mean=580.7, mchange=7.8, pct=PCT):
    return [name, code, jobs, median, change, mean, mchange, *pct]


def good_rows():
    return [
        line("United Kingdom ", "K02000001", 27882.0, 613.3, 6.7, 715.5, 6.8),
        line("Leicester UA", "E06000016"),
        line("Blaby", "E07000129", 45.0, 614.5, -1.5, 640.2, ""),
    ]


def ashe_book(
    tmp_path, rows, *, title=None, head=HEAD, foot=FOOT, name=None, family="7", sheets=("All",)
):
    title = (
        title
        or f"Table {family}.1a   Weekly pay - Gross (£) - For all employee jobsa: United Kingdom, 2024"
    )
    geo = "Work" if family == "7" else "Home"
    name = name or f"PROV - {geo} Geography Table {family}.1a   Weekly pay - Gross 2024.xlsx"
    body = [[title], []] + [list(h) for h in head] + rows + foot
    book = {"Notes": [["Guide to results from the Annual Survey of Hours and Earnings (ASHE)"]]}
    for s in sheets:
        book[s] = body
    return write_workbook(tmp_path / name, book)


class TestFixtures:
    def test_good_fixture(self, tmp_path):
        path = ashe_book(tmp_path, good_rows(), sheets=("All", "Male"))
        assert isinstance(detect(path), AsheWorkplace)
        df = AsheWorkplace().parse(path)
        assert one(df, "E06000016", "weekly_pay_gross_median").value == 529.8
        assert one(df, "E07000129", "weekly_pay_gross_median_change", "Male").value == -1.5
        assert set(df.breakdown) == {"All", "Male"} and set(df.period) == {"2024"}
        # Blaby's blank mean change is not a published number.
        assert df[
            (df.geography_code == "E07000129") & (df.measure == "weekly_pay_gross_mean_change")
        ].empty
        assert df.status.isna().all()  # no shading in this fixture: no CV band is invented
        assert len(df) == 2 * (15 + 15 + 14)

    def test_markers_and_row_marker(self, tmp_path):
        rows = good_rows()
        rows[1] = line("Leicester UA", "E06000016", pct=["x", "x", *PCT[2:9], "-"])
        rows.append(["Rutland UA", "E06000017", ".."])
        df = AsheWorkplace().parse(ashe_book(tmp_path, rows))
        assert one(df, "E06000016", "weekly_pay_gross_p10").status == "x"
        assert one(df, "E06000016", "weekly_pay_gross_p90").status == "-"
        rut = df[df.geography_code == "E06000017"]
        assert len(rut) == 15 and set(rut.status) == {".."} and rut.value.isna().all()

    def test_residence_year_from_file_name(self, tmp_path):
        path = ashe_book(
            tmp_path,
            good_rows(),
            family="8",
            title="Table 8.1a Weekly pay - Gross",
            name="PROV - Home Geography Table 8.1a   Weekly pay - Gross 2023.xlsx",
        )
        df = detect(path).parse(path)
        assert set(df.dataset) == {"ons_ashe_residence"} and set(df.period) == {"2023"}
        assert set(df.release) == {"2023-11-01"}

    def test_not_classified_with_numbers_is_a_warning(self, tmp_path):
        foot = [line("Not Classified", ""), *FOOT[1:]]
        df = AsheWorkplace().parse(ashe_book(tmp_path, good_rows(), foot=foot))
        assert df.attrs["warnings"][0].startswith(
            "the 'Not Classified' row (employees not assigned to an area) has numbers"
        )

    # -- malformed input: each names file, sheet, row, column ---------------------------

    def test_non_numeric_cell(self, tmp_path):
        rows = good_rows()
        rows[1][3] = "c"
        path = ashe_book(tmp_path, rows)
        with pytest.raises(InputError) as e:
            AsheWorkplace().parse(path)
        assert str(e.value) == (
            f"{path}, sheet 'All', row 7, column D ('Median'): non-numeric value 'c' is not a known marker "
            "(known: -, .., :, x)"
        )

    def test_blank_level_cell(self, tmp_path):
        rows = good_rows()
        rows[1][5] = ""
        path = ashe_book(tmp_path, rows)
        with pytest.raises(InputError) as e:
            AsheWorkplace().parse(path)
        assert (
            str(e.value)
            == f"{path}, sheet 'All', row 7, column F ('Mean'): empty cell where a number was expected"
        )

    def test_renamed_column(self, tmp_path):
        head = [list(h) for h in HEAD]
        head[2][3] = "Middle"
        path = ashe_book(tmp_path, good_rows(), head=head)
        with pytest.raises(InputError) as e:
            AsheWorkplace().parse(path)
        assert (
            str(e.value)
            == f"{path}, sheet 'All', row 5, column D ('Middle'): unexpected column header 'Middle'"
        )

    def test_header_not_found(self, tmp_path):
        head = [list(h) for h in HEAD]
        head[2][0] = "Area"
        path = ashe_book(tmp_path, good_rows(), head=head)
        with pytest.raises(InputError) as e:
            AsheWorkplace().parse(path)
        assert str(e.value) == (
            f"{path}, sheet 'All': header row with 'Description' and 'Code' not found in the first 40 rows "
            "(header moved or renamed?)"
        )

    def test_missing_required_column(self, tmp_path):
        head = [h[:5] for h in HEAD]  # jobs, median, change only: no Mean
        rows = [r[:5] for r in good_rows()]
        path = ashe_book(tmp_path, rows, head=head)
        with pytest.raises(InputError) as e:
            AsheWorkplace().parse(path)
        assert (
            str(e.value)
            == f"{path}, sheet 'All', row 5: expected column 'Mean' in the 3-row header (rows 3-5)"
        )

    def test_unknown_code(self, tmp_path):
        rows = good_rows()
        rows[1][1] = "LEIC"
        path = ashe_book(tmp_path, rows)
        with pytest.raises(InputError) as e:
            AsheWorkplace().parse(path)
        assert (
            str(e.value)
            == f"{path}, sheet 'All', row 7, column B ('Code'): unknown geography code 'LEIC'"
        )

    def test_duplicate_key(self, tmp_path):
        rows = good_rows()
        rows.append(line("Leicester UA", "E06000016"))
        path = ashe_book(tmp_path, rows)
        with pytest.raises(InputError) as e:
            AsheWorkplace().parse(path)
        assert str(e.value) == (
            f"{path}, sheet 'All', row 7, column C: duplicate entry for E06000016 weekly_pay_gross_jobs 2024 (again at row 9)"
        )

    def test_negative_median(self, tmp_path):
        rows = good_rows()
        rows[1][3] = -5.0
        path = ashe_book(tmp_path, rows)
        with pytest.raises(InputError) as e:
            AsheWorkplace().parse(path)
        assert str(e.value) == (
            f"{path}, sheet 'All', row 7, column D: negative value -5 for weekly_pay_gross_median, which cannot be negative"
        )

    def test_period_out_of_range(self, tmp_path):
        year = max_year() + 5
        path = ashe_book(
            tmp_path,
            good_rows(),
            title=f"Table 7.1a   Weekly pay - Gross (£) - For all employee jobsa: United Kingdom, {year}",
        )
        with pytest.raises(InputError) as e:
            AsheWorkplace().parse(path)
        assert (
            str(e.value)
            == f"{path}, sheet 'All', row 6, column C: period '{year}' is out of range (1970-{max_year()})"
        )

    def test_code_below_the_gap(self, tmp_path):
        rows = good_rows()
        rows.insert(2, [])
        path = ashe_book(tmp_path, rows)
        with pytest.raises(InputError) as e:
            AsheWorkplace().parse(path)
        assert str(e.value) == (
            f"{path}, sheet 'All', row 9, column B ('Code'): area code 'E07000129' below the blank row that ends "
            "the table (a gap in the data?)"
        )

    def test_wrong_table_family(self, tmp_path):
        path = ashe_book(
            tmp_path,
            good_rows(),
            family="8",
            name="PROV - Work Geography Table 7.1a   Weekly pay - Gross 2024.xlsx",
            title="Table 8.1a Weekly pay - Gross",
        )
        with pytest.raises(InputError) as e:
            AsheWorkplace().parse(path)
        assert (
            str(e.value)
            == f"{path}, sheet 'All', row 1: this is ASHE Table 8.1a, not a Table 7 (workplace) workbook"
        )

    def test_unsupported_table(self, tmp_path):
        path = ashe_book(
            tmp_path,
            good_rows(),
            title="Table 7.9a   Paid hours worked - Total - For all employee jobsa: United Kingdom, 2024",
        )
        with pytest.raises(InputError) as e:
            AsheWorkplace().parse(path)
        assert str(e.value) == (
            f"{path}, sheet 'All', row 1: ASHE Table 7.9a is not supported (supported: 7.1a, 7.2a, 7.5a, 7.6a, 7.7a)"
        )

    def test_wrong_workbook(self, tmp_path):
        path = write_workbook(
            tmp_path / "PROV - Work Geography Table 7.1a   Weekly pay - Gross 2024.xlsx",
            {"Sheet1": [["x"]]},
        )
        with pytest.raises(InputError) as e:
            AsheWorkplace().parse(path)
        assert (
            str(e.value)
            == f"{path}: sheet 'All' not found (sheets: Sheet1); is this an ASHE Table 7 workbook?"
        )

    def test_truncated(self, tmp_path):
        good = ashe_book(tmp_path, good_rows())
        bad = tmp_path / "PROV - Work Geography Table 7.1a   Weekly pay - Gross 2025.xlsx"
        bad.write_bytes(good.read_bytes()[:700])
        with pytest.raises(
            InputError, match="cannot read the workbook \\(truncated or not an Excel file\\)"
        ):
            AsheWorkplace().parse(bad)

    def test_empty_file(self, tmp_path):
        bad = tmp_path / "PROV - Home Geography Table 8.1a   Weekly pay - Gross 2023.xls"
        bad.write_bytes(b"")
        with pytest.raises(InputError) as e:
            AsheResidence().parse(bad)
        assert str(e.value) == f"{bad}: the file is empty (0 bytes)"
