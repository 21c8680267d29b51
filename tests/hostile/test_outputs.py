"""Outputs pointed at inputs, and outputs a spreadsheet would run, through ``lis``.

No output may be, or lie inside, a raw folder (given with ``--raw``, the default
``data/raw``, the demonstrator's ``data/demo``) or the evidence folder, and ``--out`` never
replaces an input file (a published file, the parameters, the areas file): each is one line
on stderr, exit code 2, and every input byte-identical afterwards. ``--out`` naming a
folder, or a place that cannot be written, is one line too. CSV outputs neutralise
formula prefixes (``=``, ``+``, ``-``, ``@``, tab, CR) and leave numbers as numbers.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from tests.helpers import write_text
from tests.hostile.helpers import lis, one_line_error, snapshot

LEP_NAMES = "FID,LEP20CD,LEP20NM\n1,E37000021,Leicester and Leicestershire\n"


@pytest.fixture
def raw(tmp_path) -> Path:
    """A raw folder holding one small published file."""
    folder = tmp_path / "raw"
    write_text(folder / "Local_Enterprise_Partnerships_(April_2020)_Names_and_Codes.csv", LEP_NAMES)
    return folder


# --------------------------------------------------------------------------------------
# --processed and --reports: never a raw folder, never inside one
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["same", "inside"], ids=["equal_to_raw", "inside_raw"])
def test_processed_in_a_raw_folder_is_refused(where, raw, tmp_path):
    target = raw if where == "same" else raw / "store"
    before = snapshot(raw)
    proc = lis("ingest", "--raw", raw, "--processed", target, home=tmp_path / "home")
    line = one_line_error(proc, "ingest")
    what = "is the input folder" if where == "same" else "is inside the input folder"
    assert line == (
        f"lis ingest: error: --processed {target}: {what} {raw}; outputs are never written "
        "among the published files: choose another place"
    )
    assert snapshot(raw) == before and not (raw / "store").exists()


def test_processed_inside_the_default_raw_folder_is_refused(raw, tmp_path):
    home = tmp_path / "home"
    (home / "data" / "raw").mkdir(parents=True)
    target = home / "data" / "raw" / "store"
    proc = lis("ingest", "--raw", raw, "--processed", target, home=home)
    line = one_line_error(proc, "ingest")
    assert f"is inside the input folder {home / 'data' / 'raw'}" in line
    assert not target.exists()


def test_processed_through_a_link_into_a_raw_folder_is_refused(raw, tmp_path):
    link = tmp_path / "store"
    try:
        link.symlink_to(raw, target_is_directory=True)
    except (OSError, NotImplementedError):
        pytest.skip("this system cannot make a symbolic link")
    before = snapshot(raw)
    line = one_line_error(lis("ingest", "--raw", raw, "--processed", link, home=tmp_path / "h"))
    assert f"--processed {link}: is the input folder {raw}" in line
    assert snapshot(raw) == before


@pytest.mark.parametrize("where", ["same", "inside"], ids=["equal_to_raw", "inside_raw"])
def test_reports_in_a_raw_folder_is_refused(where, raw, tmp_path):
    target = raw if where == "same" else raw / "reports"
    before = snapshot(raw)
    home = tmp_path / "home"
    line = one_line_error(lis("run", "--raw", raw, "--reports", target, home=home), "run")
    assert f"--reports {target}: is " in line and f"the input folder {raw}" in line, line
    assert snapshot(raw) == before and snapshot(home) == {}


def test_reports_inside_the_evidence_folder_is_refused(raw, tmp_path):
    evidence = tmp_path / "evidence"
    write_text(evidence / "responses.csv", "respondent_id,comments\nR1,Fine.\n")
    before = snapshot(evidence)
    proc = lis(
        "run", "--raw", raw, "--evidence", evidence, "--reports", evidence / "out",
        home=tmp_path / "home",
    )  # fmt: skip
    line = one_line_error(proc, "run")
    assert f"--reports {evidence / 'out'}: is inside the input folder {evidence}" in line
    assert snapshot(evidence) == before


# --------------------------------------------------------------------------------------
# lis indicators --out: never an input, never a folder, a place that can be written
# --------------------------------------------------------------------------------------


def test_out_onto_a_published_file_is_refused(raw, tmp_path):
    target = next(raw.iterdir())
    before = snapshot(raw)
    proc = lis("indicators", "--raw", raw, "--out", target, home=tmp_path / "home")
    line = one_line_error(proc, "indicators")
    assert f"--out {target}: is inside the input folder {raw}" in line, line
    assert snapshot(raw) == before


def test_out_to_a_new_file_inside_a_raw_folder_is_refused(raw, tmp_path):
    target = raw / "outputs" / "ll.csv"
    proc = lis("indicators", "--raw", raw, "--out", target, home=tmp_path / "home")
    assert "is inside the input folder" in one_line_error(proc, "indicators")
    assert not (raw / "outputs").exists()


def test_out_through_a_link_to_a_published_file_is_refused(raw, tmp_path):
    target = next(raw.iterdir())
    link = tmp_path / "ll.csv"
    try:
        link.symlink_to(target)
    except (OSError, NotImplementedError):
        pytest.skip("this system cannot make a symbolic link")
    before = snapshot(raw)
    proc = lis("indicators", "--raw", raw, "--out", link, home=tmp_path / "home")
    assert "is inside the input folder" in one_line_error(proc, "indicators")
    assert snapshot(raw) == before


@pytest.mark.parametrize("which", ["params", "areas"], ids=["params_file", "areas_file"])
def test_out_onto_the_parameters_or_areas_file_is_refused(which, raw, tmp_path):
    areas = tmp_path / "my_areas.yaml"
    areas.write_text(
        "areas:\n  MYAREA01:\n    name: Mine\n    level: custom\n    members: [E07000130]\n"
    )
    params = tmp_path / "params.yaml"
    params.write_text(f"raw: [{raw}]\nareas_file: {areas}\n")
    target = params if which == "params" else areas
    before = target.read_bytes()
    proc = lis("indicators", "--params", params, "--out", target, home=tmp_path / "home")
    line = one_line_error(proc, "indicators")
    assert f"--out {target}: is the input file {target}; choose another name" in line, line
    assert target.read_bytes() == before


@pytest.mark.parametrize("form", ["existing", "slash"], ids=["existing_folder", "trailing_slash"])
def test_out_naming_a_folder_is_refused(form, raw, tmp_path):
    target = str(tmp_path / "out") + ("/" if form == "slash" else "")
    if form == "existing":
        (tmp_path / "out").mkdir()
    home = tmp_path / "home"
    line = one_line_error(lis("indicators", "--raw", raw, "--out", target, home=home), "indicators")
    assert line == (
        f"lis indicators: error: --out {target}: is a folder; give the name of a file to write"
    )
    assert snapshot(home) == {}  # refused before any data was read


def test_out_under_a_file_is_refused(raw, tmp_path):
    plain = tmp_path / "notes.txt"
    plain.write_text("not a folder")
    target = plain / "ll.csv"
    home = tmp_path / "home"
    line = one_line_error(lis("indicators", "--raw", raw, "--out", target, home=home), "indicators")
    assert line == f"lis indicators: error: --out {target}: {plain} is not a folder"
    assert plain.read_text() == "not a folder" and snapshot(home) == {}


def test_out_where_nothing_can_be_written_is_one_line(demo_home, tmp_path):
    target = Path("/proc/lis-indicators.csv")  # even root cannot create a file there
    if not Path("/proc/self").exists():
        pytest.skip("no /proc on this system")
    proc = lis("indicators", "--out", target, home=demo_home)
    # (the session says once that its data is the demonstrator's; then the one error)
    proc.stderr = "".join(
        line for line in proc.stderr.splitlines(True) if not line.startswith("lis: no published")
    )
    line = one_line_error(proc, "indicators")
    assert line.startswith(f"lis indicators: error: --out {target}: cannot write the file ("), line
    assert not target.exists()


# --------------------------------------------------------------------------------------
# CSV outputs a spreadsheet opens: formulas neutralised, numbers kept
# --------------------------------------------------------------------------------------

HOSTILE_NAMES = {
    "MYAREA01": '=HYPERLINK("http://evil.example","Click")',
    "MYAREA02": "+1+cmd|' /C calc'!A0",
    "MYAREA03": "-2+3",
    "MYAREA04": "@SUM(1,2)",
    "MYAREA05": "\tTabbed",
    "MYAREA06": "\rReturned",
}


def _hostile_areas(tmp_path: Path) -> Path:
    body = "".join(  # JSON strings are YAML double-quoted strings (\t and \r escaped)
        f"  {code}:\n    name: {json.dumps(name)}\n    level: custom\n"
        "    members: [E07000130, E07000133]\n"
        for code, name in HOSTILE_NAMES.items()
    )
    path = tmp_path / "my_areas.yaml"
    path.write_text("areas:\n" + body, encoding="utf-8")
    return path


def test_areas_csv_neutralises_formulas(demo_home, tmp_path):
    areas = _hostile_areas(tmp_path)
    proc = lis("areas", "--areas-file", areas, "--format", "csv", home=demo_home)
    assert proc.returncode == 0, proc.stderr
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(proc.stdout, newline=""))}
    assert set(HOSTILE_NAMES) <= set(rows)  # no row forged or lost
    for code, name in HOSTILE_NAMES.items():
        assert rows[code]["name"] == "'" + name.replace("\r", "\n"), rows[code]
    assert rows["MYAREA01"]["districts"] == "2"  # numbers stay numbers


def test_indicators_csv_neutralises_formulas_and_keeps_numbers(demo_home, tmp_path):
    areas = _hostile_areas(tmp_path)
    out = tmp_path / "mine.csv"
    proc = lis(
        "indicators", "--area", "MYAREA01", "--areas-file", areas, "--out", out,
        home=demo_home,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert rows and {r["area_name"] for r in rows} == {"'" + HOSTILE_NAMES["MYAREA01"]}
    for r in rows:
        for col in ("value", "benchmark_value", "index", "gap"):
            if r[col]:
                float(r[col])  # a number, not a neutralised text
        assert not r["area_code"].startswith("'")
    assert all(not v.startswith(("=", "+", "@", "\t", "\r")) for r in rows for v in r.values())
    assert os.stat(out).st_size > 0


@pytest.mark.parametrize("verb", ["ingest", "run", "areas"])
def test_default_outputs_inside_a_raw_folder_are_refused(verb, tmp_path):
    """`--raw .` from the project folder: the default store (and reports) would be
    written inside the raw folder."""
    home = tmp_path / "home"
    write_text(home / "Local_Enterprise_Partnerships_(April_2020)_Names_and_Codes.csv", LEP_NAMES)
    before = snapshot(home)
    line = one_line_error(lis(verb, "--raw", home, home=home), verb)
    assert f"is inside the input folder {home}" in line, line
    assert snapshot(home) == before
