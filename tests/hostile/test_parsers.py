"""Hostile inputs to every parser family, run through ``lis ingest`` as a user would.

Each case writes a raw folder holding one small valid file and one hostile file (built
here, in the published layout, then broken the way a hostile or careless source would
break it), runs the command in a subprocess (a crash of the workbook reader then fails the
test instead of killing pytest) and asserts what the README promises for bad input: exit
code 2, one line on stderr naming the file (and sheet, row and column where they apply),
no traceback, the raw files byte-identical afterwards and the store unchanged.

Families: productivity, GVA by industry, population (the 'Population data' table, the
Nomis CSV, the MYE workbook), ASHE, business demography, business counts, deprivation
(IoD), housing affordability, ELS (CSV and JSON), the subnational explorer, BRES, the
Nomis API CSV, lookups, the raw folder itself, and the params and areas YAML files.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tests.helpers import write_text, write_workbook
from tests.sources.test_ashe import ashe_book, good_rows
from tests.sources.test_ashe import line as ashe_line
from tests.sources.test_bres import block_by_area, bres_file
from tests.sources.test_business_counts import band_sheet, ub_book
from tests.sources.test_business_demography import bd_book, year_sheet
from tests.sources.test_deprivation import dep_book
from tests.sources.test_els import els_file
from tests.sources.test_els import line as els_line
from tests.sources.test_gva_industry import (
    GOOD,
    HEADER,
    INFO,
    TITLE1,
    TITLE2,
    TITLE3,
    TITLE4,
)
from tests.sources.test_gva_industry import NAME as GVA_NAME
from tests.sources.test_gva_industry import book as gva_book
from tests.sources.test_housing import area_sheet, ha_book, lad_sheet
from tests.sources.test_population import (
    LA_HEADER,
    MYE_HEADER,
    MYE_NAME,
    MYE_TITLE,
    NOMIS_HEAD,
    la_book,
    mye_row,
    nomis_file,
)
from tests.sources.test_productivity import _lad_book
from tests.sources.test_subnational import book as subnat_book
from tests.sources.test_subnational import gva_sheet

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
MB = 1 << 20


# --------------------------------------------------------------------------------------
# Running the command and checking the promises
# --------------------------------------------------------------------------------------


def lis(*args: object, home: Path, timeout: float = 180) -> subprocess.CompletedProcess:
    """``lis ARGS`` in a fresh process, importing the package from this checkout."""
    env = {**os.environ, "LIS_HOME": str(home), "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "lis_analysis.cli", *map(str, args)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def one_line_error(proc: subprocess.CompletedProcess, verb: str = "ingest") -> str:
    """The single stderr line of a bad-input failure (exit 2, no traceback)."""
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, f"exit {proc.returncode} (expected 2): {out[-2000:]}"
    assert "Traceback" not in out, out[-2000:]
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}: {proc.stderr[:2000]}"
    assert lines[0].startswith(f"lis {verb}: error: "), lines[0]
    return lines[0]


def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (relative path -> digest), lock files left out:
    a lock names its latest holder, and is not part of the store."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


# --------------------------------------------------------------------------------------
# Breaking a workbook by hand (an .xlsx is a zip of XML parts)
# --------------------------------------------------------------------------------------


def _sheet_part(z: zipfile.ZipFile, sheet: str) -> str:
    ns = {
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "p": "http://schemas.openxmlformats.org/package/2006/relationships",
    }
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    book = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.findall("p:Relationship", ns)}
    for s in book.findall("m:sheets/m:sheet", ns):
        if s.get("name") == sheet:
            return "xl/" + target[s.get(rid)].lstrip("/").removeprefix("xl/")
    raise KeyError(sheet)


def edit_sheet(path: Path, sheet: str, change: Callable[[bytes], bytes]) -> Path:
    """Rewrite one sheet's XML part of an .xlsx with ``change``."""
    with zipfile.ZipFile(path) as z:
        part = _sheet_part(z, sheet)
        members = [(i, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in members:
            z.writestr(info.filename, change(data) if info.filename == part else data)
    return path


def far_cell(xml: bytes) -> bytes:
    """One value in XFD1048576: calamine would allocate 550 GB for the sheet."""
    return xml.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    )


def huge_dimension(xml: bytes) -> bytes:
    return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)


def merge(ref: str) -> Callable[[bytes], bytes]:
    """A merged cell over ``ref`` (as Excel writes one: after the sheet data)."""
    return lambda xml: xml.replace(
        b"</sheetData>",
        b'</sheetData><mergeCells count="1"><mergeCell ref="' + ref.encode() + b'"/></mergeCells>',
    )


def number(old: str, new: str) -> Callable[[bytes], bytes]:
    """A numeric cell's stored value replaced (``<v>1E400</v>``, ``<v>NaN</v>``)."""

    def change(xml: bytes) -> bytes:
        assert f"<v>{old}</v>".encode() in xml
        return xml.replace(f"<v>{old}</v>".encode(), f"<v>{new}</v>".encode(), 1)

    return change


def padded(size: int) -> Callable[[bytes], bytes]:
    """Whitespace in the sheet's XML so that it unpacks to ``size`` bytes (a zip bomb
    compresses it to a few hundred kB)."""
    return lambda xml: xml.replace(b"</worksheet>", b" " * size + b"</worksheet>")


# --------------------------------------------------------------------------------------
# The cases: build(raw folder) -> (hostile file, texts the one-line error must contain)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    family: str
    build: Callable[[Path], tuple[Path, list[str]]]


CASES: list[Case] = []


def case(family: str) -> Callable:
    def register(fn: Callable[[Path], tuple[Path, list[str]]]) -> Callable:
        CASES.append(Case(fn.__name__, family, fn))
        return fn

    return register


LIMIT_CELLS = "above the limit of 10,000,000 cells"

# -- productivity --------------------------------------------------------------------


@case("productivity")
def productivity_value_in_xfd1048576(raw):
    path = edit_sheet(_lad_book(raw, [["E06000016", "Leicester", 35.8, 36.1]]), "A1", far_cell)
    return path, [path.name, "sheet 'A1'", "1,048,576 rows x 16,384 columns", LIMIT_CELLS]


@case("productivity")
def productivity_decimal_comma(raw):
    path = _lad_book(raw, [["E06000016", "Leicester", "35,8", 36.1]])
    return path, ["sheet 'A3', row 6, column C ('Pounds_2021')", "'35,8' has a comma out of place"]


@case("productivity")
def productivity_cell_holding_1e400(raw):
    path = _lad_book(raw, [["E06000016", "Leicester", 424242, 36.1]])
    edit_sheet(path, "A3", number("424242", "1E400"))
    return path, ["sheet 'A3', row 6, column C ('Pounds_2021')", "holds inf, not a finite number"]


# -- GVA by industry -------------------------------------------------------------------


def _gva_sheets(**tables):
    sheets = {"Information": INFO, "Table 1": [[TITLE1], HEADER, GOOD[0]]}
    sheets |= {"Table 2": [[TITLE2], HEADER, GOOD[0]], "Table 3": [[TITLE3], HEADER, *GOOD]}
    sheets |= {"Table 4": [[TITLE4], HEADER, GOOD[0]]}
    sheets |= tables
    return {k: v for k, v in sheets.items() if v is not None}


@case("gva_industry")
def gva_renamed_sheet(raw):
    sheets = _gva_sheets(**{"Table 3": None, "Tabel 3": [[TITLE3], HEADER, *GOOD]})
    path = write_workbook(raw / GVA_NAME, sheets)
    return path, [path.name, "sheet 'Tabel 3' is not one this parser reads"]


@case("gva_industry")
def gva_table_in_contents_missing(raw):
    contents = [["Contents"], ["Tab Name"], *[[f"Table {k}"] for k in (1, 2, 3, 4)]]
    path = write_workbook(raw / GVA_NAME, _gva_sheets(Contents=contents, **{"Table 3": None}))
    return path, [path.name, "'Table 3' (listed in the Contents sheet) not found"]


@case("gva_industry")
def gva_merged_year_header(raw):
    header = ["ITL1 region", "LA code", "LA name", "SIC07", "SIC07 description", 1998, None]
    path = gva_book(raw, header=header)
    edit_sheet(path, "Table 3", merge("F2:G2"))  # '1998' merged over the 1999 column
    return path, ["sheet 'Table 3', row 3, column G", "numbers under an empty header cell"]


@case("gva_industry")
def gva_year_with_unknown_marker(raw):
    header = ["ITL1 region", "LA code", "LA name", "SIC07", "SIC07 description", 1998, "1999 (e)"]
    path = gva_book(raw, header=header)
    return path, ["sheet 'Table 3', row 2, column G", "year header '1999 (e)' carries a marker"]


@case("gva_industry")
def gva_sheet_xml_bomb(raw):
    path = edit_sheet(gva_book(raw), "Table 3", padded(129 * MB))
    assert path.stat().st_size < 2 * MB
    return path, [path.name, "unpacks to 129 MB, above the limit of 128 MB"]


@case("gva_industry")
def gva_declared_dimension_huge(raw):
    path = edit_sheet(gva_book(raw), "Table 3", huge_dimension)
    return path, ["sheet 'Table 3'", "declares a used range of A1:XFD1048576", LIMIT_CELLS]


# -- population: 'Population data', Nomis CSV, MYE workbook ------------------------------


@case("population_la")
def population_la_value_in_xfd1048576(raw):
    path = la_book(raw, [["East Midlands", "E06000016", "Leicester", 368922, 373399]])
    edit_sheet(path, "Population data", far_cell)
    return path, ["sheet 'Population data'", LIMIT_CELLS]


@case("population_la")
def population_la_list_of_numbers(raw):
    path = la_book(raw, [["East Midlands", "E06000016", "Leicester", 368922, "1,2,3"]])
    return path, ["sheet 'Population data', row 2, column E ('2023')", "'1,2,3' has a comma"]


@case("population_la")
def population_la_misprinted_year(raw):
    header = [*LA_HEADER[:4], "2O23"]
    path = la_book(raw, [["East Midlands", "E06000016", "Leicester", 368922, 373399]], header)
    return path, ["sheet 'Population data', row 1, column E", "unexpected column header '2O23'"]


@case("population_nomis")
def population_nomis_row_one_cell_too_long(raw):
    # an unquoted thousands separator adds a field and shifts every later year
    text = NOMIS_HEAD.format(age="All Ages") + '"Leicester","E06000016",368922,373,399\n'
    path = nomis_file(raw, text)
    return path, [f"{path.name}, row 9, column 5", "row has 5 fields, the header 4"]


@case("population_nomis")
def population_nomis_decimal_comma(raw):
    text = NOMIS_HEAD.format(age="All Ages") + '"Leicester","E06000016","12,5",373399\n'
    path = nomis_file(raw, text)
    return path, [f"{path.name}, row 9, column 3 ('2021')", "'12,5' has a comma out of place"]


@case("population_mye")
def population_mye_file_too_large(raw):
    path = raw / "ukpopestimatesmid2020on2021geography.xls"
    with open(path, "wb") as fh:  # an OLE2 header, then 17 MB (sparse: nothing to write)
        fh.write(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
        fh.truncate(17 * MB)
    return path, [path.name, "the file is 17 MB, above the limit of 16 MB"]


@case("population_mye")
def population_mye_sheet_in_contents_missing(raw):
    sheets = {
        "Cover sheet": [["Mid-Year Population Estimates"], ["Date published: 25th June 2021"]],
        "Contents": [["MYE2 - Persons", "Persons"], ["MYE4", "Summary, mid-1971 to mid-2020"]],
        "MYE2 - Persons": [[MYE_TITLE], *[[""]] * 6, MYE_HEADER, mye_row("E06000016", "L", "UA")],
        "MYE 4": [["renamed"]],
    }
    path = write_workbook(raw / MYE_NAME, sheets)
    return path, [path.name, "'MYE4' (listed in the Contents sheet) not found"]


@case("population_mye")
def population_mye_cell_holding_nan(raw):
    rows = [mye_row("E06000016", "Leicester", "Unitary Authority", total=424242)]
    sheets = {
        "Cover sheet": [["Mid-Year Population Estimates"], ["Date published: 25th June 2021"]],
        "MYE2 - Persons": [[MYE_TITLE], *[[""]] * 6, MYE_HEADER, *rows],
    }
    path = write_workbook(raw / MYE_NAME, sheets)
    edit_sheet(path, "MYE2 - Persons", number("424242", "NaN"))
    return path, ["sheet 'MYE2 - Persons', row 9, column D ('All ages')", "not a finite number"]


# -- ASHE ------------------------------------------------------------------------------


@case("ashe")
def ashe_renamed_breakdown_sheet(raw):
    path = ashe_book(raw, good_rows(), sheets=("All", "Mael"))
    return path, [path.name, "sheet 'Mael' is not one this parser reads"]


@case("ashe")
def ashe_infinity_as_text(raw):
    rows = [ashe_line("Leicester UA", "E06000016", median="inf")]
    path = ashe_book(raw, rows)
    return path, ["sheet 'All', row 6, column D ('Median')", "'inf' is not a finite number"]


@case("ashe")
def ashe_value_in_xfd1048576(raw):
    path = edit_sheet(ashe_book(raw, good_rows()), "All", far_cell)
    return path, ["sheet 'All'", LIMIT_CELLS]


# -- business demography -----------------------------------------------------------------


@case("business_demography")
def business_demography_table_in_contents_missing(raw):
    listed = [["Table 1.1a"], ["Table 2.1a"], ["Table 3.1a"], ["Table 5.1a"], ["Table 7.1a"]]
    path = bd_book(raw, Contents=listed)
    return path, [path.name, "'Table 7.1a' (listed in the Contents sheet) not found"]


@case("business_demography")
def business_demography_nan_as_text(raw):
    sheet = year_sheet("Table 2.1a - Count Of Deaths", [2021.0], [[1], ["nan"], [3], [4]])
    path = bd_book(raw, **{"Table 2.1a": sheet})
    return path, ["sheet 'Table 2.1a', row 6, column C ('2021')", "'nan' is not a finite number"]


@case("business_demography")
def business_demography_year_with_unknown_marker(raw):
    sheet = year_sheet("Table 2.1a - Count Of Deaths", ["2021 (e)"], [[1], [2], [3], [4]])
    path = bd_book(raw, **{"Table 2.1a": sheet})
    return path, ["sheet 'Table 2.1a', row 4, column C", "'2021 (e)' carries a marker"]


# -- business counts ---------------------------------------------------------------------


@case("business_counts")
def business_counts_renamed_sheet(raw):
    renamed = band_sheet(
        "Table 10 - Number of VAT and/or PAYE based enterprises by employment sizebands",
        [["E06000016 : Leicester", 10, 0, 0, 10]],
    )
    path = ub_book(raw, **{"Table 10 ": None, "Tabel 10": renamed})
    return path, [path.name, "sheet 'Tabel 10' is not one this parser reads"]


@case("business_counts")
def business_counts_misplaced_separator(raw):
    t10 = band_sheet(
        "Table 10 - Number of VAT and/or PAYE based enterprises by employment sizebands",
        [["E06000016 : Leicester", "1,0450", 0, 0, 10]],
    )
    path = ub_book(raw, **{"Table 10 ": t10})
    return path, ["sheet 'Table 10 ', row 6, column B ('0-4')", "'1,0450' has a comma"]


# -- deprivation (IoD) -------------------------------------------------------------------


@case("deprivation")
def deprivation_renamed_domain_sheet(raw):
    path = dep_book(raw, extra={"Incme": [["Local Authority District code (2024)"]]})
    return path, [path.name, "sheet 'Incme' is not one this parser reads"]


@case("deprivation")
def deprivation_overflowing_number(raw):
    rows = [["E06000016", "Leicester", 21000.5, 14.0, "1e400", 16.0, 0.55]]
    path = dep_book(raw, rows=rows)
    return path, ["sheet 'IMD', row 2, column E", "'1e400' is too large"]


# -- housing affordability ---------------------------------------------------------------


@case("housing")
def housing_merged_year_header(raw):
    sheet = area_sheet("Table 1c - Ratio", ["2023", None], [["E92000001", "England", 8.4, 7.71]])
    path = edit_sheet(ha_book(raw, **{"1c": sheet}), "1c", merge("C2:D2"))
    return path, ["sheet '1c', row 3, column D", "numbers under an empty header cell"]


@case("housing")
def housing_decimal_comma(raw):
    rows = [["E12000004", "East Midlands", "E06000016", "Leicester", 7.6, "7,35", 7.4]]
    sheet = lad_sheet("Table 5c - Ratio", [2023.0, "2024"], rows, avg=True)
    path = ha_book(raw, **{"5c": sheet})
    return path, ["sheet '5c', row 3, column F ('2024')", "'7,35' has a comma out of place"]


# -- ELS (CSV and its JSON) ---------------------------------------------------------------


@case("els")
def els_decimal_comma(raw):
    path = els_file(raw, els_line(obs='"65,1"'))
    return path, [f"{path.name}, row 2, column 6 ('observation')", "'65,1' has a comma"]


@case("els")
def els_infinity(raw):
    path = els_file(raw, els_line(obs="-inf"))
    return path, [f"{path.name}, row 2, column 6 ('observation')", "not a finite number"]


@case("els")
def els_confidence_limit_overflows(raw):
    path = els_file(raw, els_line(lci="1e400"))
    return path, [f"{path.name}, row 2, column 9 ('lci_95')", "'1e400' is too large"]


@case("els")
def els_row_one_cell_too_long(raw):
    path = els_file(raw, els_line() + els_line(period="2022-01-01/P1Y", notes="a,b"))
    return path, [f"{path.name}, row 3, column 13", "row has 13 fields, the header 12"]


@case("els")
def els_json_nested_too_deeply(raw):
    path = els_file(raw, els_line(), json="[" * 200_000 + "]" * 200_000)
    return path.with_suffix(".json"), ["employment-rate.json", "nested too deeply"]


@case("els")
def els_csv_too_large(raw):
    path = els_file(raw, els_line())
    with open(path, "r+b") as fh:  # 65 MB (sparse: nothing to write)
        fh.truncate(65 * MB)
    return path, [path.name, "the file is 65 MB, above the limit of 64 MB"]


# -- subnational explorer -----------------------------------------------------------------


@case("subnational")
def subnational_renamed_sheet(raw):
    path = subnat_book(raw, extra={"Smokers": None, "Smokrs": gva_sheet([])})
    return path, [path.name, "sheet 'Smokrs' is not one this parser reads"]


@case("subnational")
def subnational_infinity(raw):
    path = subnat_book(raw, gva=[["E06000016", None, "Leicester", None, "Infinity", None]])
    return path, ["sheet 'GVA per hour', row 8, column E", "'Infinity' is not a finite number"]


# -- BRES (Nomis table download) -----------------------------------------------------------


@case("bres")
def bres_row_one_cell_too_long(raw):
    lines = ['"Leicester","E06000016",21000,,5,000,', '"Blaby","E07000129",7000,,900,']
    path = bres_file(raw, block_by_area(lines=lines))
    return path, [f"{path.name}, row 11, column 7", "row has 7 fields, the header 6"]


@case("bres")
def bres_list_of_numbers(raw):
    lines = ['"Leicester","E06000016","2,1,0",,5000,', '"Blaby","E07000129",7000,,900,']
    path = bres_file(raw, block_by_area(lines=lines))
    return path, [f"{path.name}, row 11, column 3", "'2,1,0' has a comma out of place"]


# -- Nomis API CSV ------------------------------------------------------------------------


def _api(raw, old: str, new: str) -> Path:
    name = "nomis_population_lad_2026-07-29.csv"
    text = (FIXTURES / "nomis_api" / name).read_text(encoding="utf-8")
    assert old in text
    return write_text(raw / name, text.replace(old, new, 1))


@case("nomis_api")
def nomis_api_row_one_cell_too_long(raw):
    path = _api(raw, '"379780","A"', '"379780","1","A"')
    return path, [f"{path.name}, row 2, column 12", "row has 12 fields, the header 11"]


@case("nomis_api")
def nomis_api_infinity(raw):
    path = _api(raw, '"379780"', '"inf"')
    return path, [f"{path.name}, row 2, column 7 ('OBS_VALUE')", "'inf' is not a finite number"]


# -- lookups ------------------------------------------------------------------------------


@case("lookups")
def lookup_row_one_cell_too_long(raw):
    text = (
        "LAD23CD,LAD23NM,RGN23CD,RGN23NM,ObjectId\nE06000016,Leicester,E12000004,East,Midlands,1\n"
    )
    path = write_text(raw / "LADs_to_region.csv", text)
    return path, [f"{path.name}, row 2, column 6", "row has 6 fields, the header 5"]


@case("lookups")
def lookup_workbook_value_in_xfd1048576(raw):
    head = ["LAD23CD", "LAD23NM", "LSIP23CD", "LSIP23NM"]
    rows = [head, ["E06000016", "Leicester", "E69000020", "Leicester and Leicestershire"]]
    path = write_workbook(raw / "LSIP_lookup.xlsx", {"LA Districts to LSIPs": rows})
    edit_sheet(path, "LA Districts to LSIPs", far_cell)
    return path, ["sheet 'LA Districts to LSIPs'", LIMIT_CELLS]


# -- the raw folder ---------------------------------------------------------------------


@case("raw_folder")
def raw_broken_link(raw):
    path = raw / "lad_pop.csv"
    try:
        path.symlink_to(raw / "gone" / "lad_pop.csv")
    except (OSError, NotImplementedError):  # Windows without the privilege
        pytest.skip("this system cannot make a symbolic link")
    return path, [str(path), "not a regular file"]


@case("raw_folder")
def raw_named_pipe(raw):
    path = raw / "population" / "lad_pop.csv"
    path.parent.mkdir()
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    os.mkfifo(path)  # listing it silently skipped it; reading it would block forever
    return path, [str(path), "not a regular file"]


@case("raw_folder")
def raw_file_name_with_newline(raw):
    # A name with a newline must not split the one-line error into a second line that
    # reads like a message from the tool.
    text = NOMIS_HEAD.format(age="All Ages") + '"Leicester","E06000016",1,2,3\n'
    try:
        path = nomis_file(raw, text, name="lad_pop\nlis ingest: all good.csv")
    except OSError:  # Windows allows neither a newline nor a colon in a name
        pytest.skip("this system does not allow such a file name")
    return path, ["lad_pop\\nlis ingest: all good.csv", "row 9, column 5"]


# --------------------------------------------------------------------------------------
# The test: one subprocess per case
# --------------------------------------------------------------------------------------

#: The small valid file every raw folder starts with (so that the store exists before).
LEP_NAMES = "FID,LEP20CD,LEP20NM\n1,E37000021,Leicester and Leicestershire\n"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A raw folder with one valid file and the store ingested from it."""
    root = tmp_path_factory.mktemp("hostile_base")
    raw = root / "raw"
    raw.mkdir()
    write_text(raw / "Local_Enterprise_Partnerships_(April_2020)_Names_and_Codes.csv", LEP_NAMES)
    proc = lis("ingest", "--raw", raw, "--processed", root / "processed", home=root / "home")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return raw, root / "processed"


def test_at_least_thirty_cases_across_every_family():
    families = {c.family for c in CASES}
    assert len(CASES) >= 30
    assert families >= {
        "productivity", "gva_industry", "population_la", "population_nomis", "population_mye",
        "ashe", "business_demography", "business_counts", "deprivation", "housing", "els",
        "subnational", "bres", "nomis_api", "lookups", "raw_folder",
    }  # fmt: skip


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_hostile_input_is_one_line_exit_2(c, base, tmp_path):
    raw0, processed0 = base
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    shutil.copytree(raw0, raw)
    shutil.copytree(processed0, processed)
    hostile, expected = c.build(raw)
    assert hostile.exists() or hostile.is_symlink()
    raw_before = snapshot(raw) if c.id != "raw_named_pipe" else None
    store_before = snapshot(processed)

    proc = lis("ingest", "--raw", raw, "--processed", processed, home=tmp_path / "home")

    line = one_line_error(proc)
    for text in expected:
        assert text in line, f"{text!r} not in {line!r}"
    if raw_before is not None:
        assert snapshot(raw) == raw_before, "a raw file was modified"
    assert snapshot(processed) == store_before, "the store changed"


# --------------------------------------------------------------------------------------
# An unreadable sub-folder (root reads everything, so the refusal is simulated)
# --------------------------------------------------------------------------------------


def test_unreadable_sub_folder_is_an_error(base, tmp_path, monkeypatch, capsys):
    from lis_analysis.cli import main

    raw0, processed0 = base
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    shutil.copytree(raw0, raw)
    shutil.copytree(processed0, processed)
    locked = raw / "earnings"
    locked.mkdir()
    write_text(locked / "lad_pop.csv", NOMIS_HEAD.format(age="All Ages"))
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setenv("LIS_HOME", str(tmp_path / "home"))
    before = snapshot(processed)
    assert main(["ingest", "--raw", str(raw), "--processed", str(processed)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"lis ingest: error: {locked}: cannot read this folder (Permission denied); "
        "fix its permissions or move it out of the raw folder"
    ]
    assert snapshot(processed) == before


# --------------------------------------------------------------------------------------
# Params and areas YAML: alias bombs and other hostile YAML fail fast, in one line
# --------------------------------------------------------------------------------------

#: A few hundred bytes that expand to 9**9 (387 million) strings when anything walks them.
ALIAS_BOMB = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
)
#: The same under ``raw:`` of a params file (turning the list into folder names hung the
#: command).
PARAMS_BOMB = "area: E37000021\nraw:\n" + "".join(
    "- " + line.split(": ", 1)[1] + "\n" for line in ALIAS_BOMB.splitlines()
)


@pytest.mark.parametrize(
    "text,expected",
    [
        (PARAMS_BOMB, "line 4: YAML aliases (*a) are not allowed"),
        ("area: " + "[" * 5000 + "]" * 5000 + "\n", "nested more than 32 levels deep"),
        (b"\x00\xff\xfe binary \x9c", "not a UTF-8 text file"),
    ],
    ids=["params_alias_bomb", "params_nested_deep", "params_binary"],
)
def test_hostile_params_file(text, expected, tmp_path):
    params = tmp_path / "params.yaml"
    params.write_bytes(text if isinstance(text, bytes) else text.encode())
    before = params.read_bytes()
    t0 = time.perf_counter()
    proc = lis("indicators", "--params", params, home=tmp_path / "home", timeout=60)
    line = one_line_error(proc, "indicators")
    assert time.perf_counter() - t0 < 30  # fails fast (it hung before)
    assert line.startswith(f"lis indicators: error: {params}: ") and expected in line, line
    assert params.read_bytes() == before
    assert snapshot(tmp_path / "home") == {}  # nothing was read or written before the check


def test_hostile_areas_file(base, tmp_path):
    raw0, _ = base
    raw = tmp_path / "raw"
    shutil.copytree(raw0, raw)
    home = tmp_path / "home"
    assert lis("ingest", "--raw", raw, home=home).returncode == 0
    areas = tmp_path / "my_areas.yaml"
    areas.write_text(
        ALIAS_BOMB + "areas: {MYAREA01: {name: *i, level: lad, members: [E06000016]}}\n"
    )
    raw_before, store_before = snapshot(raw), snapshot(home / "data")
    t0 = time.perf_counter()
    proc = lis("areas", "--raw", raw, "--areas-file", areas, home=home, timeout=60)
    line = one_line_error(proc, "areas")
    assert time.perf_counter() - t0 < 30
    assert line == (
        f"lis areas: error: {areas}: cannot read areas file: line 2: YAML aliases (*a) are "
        "not allowed: write the value out in full"
    )
    assert snapshot(raw) == raw_before and snapshot(home / "data") == store_before
