"""Hostile parameters, command-line values and areas files, through ``lis`` as a user runs it.

Every parameter is checked for type and range before any data is read: a bad value is one
line on stderr naming what is wrong, exit code 2, no traceback, and nothing read or
written (the project folder stays empty). An areas file reaches the notebooks, and may not
redefine a published area code unless its entry says ``redefine: true``. File names in
messages are escaped (no raw control characters).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.hostile.helpers import lis, one_line_error, snapshot
from tests.pack.project import make_project

# --------------------------------------------------------------------------------------
# Parameters files: wrong types and unreadable files, before any data
# --------------------------------------------------------------------------------------

PARAMS_CASES = {
    # id: (params file text, what the one-line error must say)
    "evidence_is_a_list": (
        "evidence: [1, 2]\n",
        "evidence must be a file or folder name, not [1, 2] (a list)",
    ),
    "areas_file_is_a_number": ("areas_file: 5\n", "areas_file must be a file or folder name"),
    "weights_file_is_a_mapping": (
        "weights_file: {a: 1}\n",
        "weights_file must be a file or folder name, not {'a': 1} (a mapping)",
    ),
    "raw_holds_a_mapping": ("raw: [{a: 1}]\n", "'raw' must be a list of names"),
    "neighbours_is_text": ("neighbours: many\n", "neighbours must be a whole number"),
    "areas_file_missing": ("areas_file: nowhere.yaml\n", "nowhere.yaml: file not found"),
}


@pytest.mark.parametrize("case", list(PARAMS_CASES), ids=list(PARAMS_CASES))
def test_bad_parameter_is_one_line_before_any_data(case, tmp_path):
    text, expected = PARAMS_CASES[case]
    params = tmp_path / "params.yaml"
    params.write_text(text, encoding="utf-8")
    home = tmp_path / "home"
    proc = lis("indicators", "--params", params, home=home, timeout=120)
    line = one_line_error(proc, "indicators")
    assert line.startswith(f"lis indicators: error: {params}: "), line
    assert expected in line, line
    assert snapshot(home) == {}  # refused before any data was read or written


def test_weights_file_with_an_unknown_key_is_refused_before_any_data(tmp_path):
    weights = tmp_path / "weights.yaml"
    weights.write_text("foundations: {ideas: 1}\ncolours: red\n", encoding="utf-8")
    params = tmp_path / "params.yaml"
    params.write_text("weights_file: weights.yaml\n", encoding="utf-8")  # read from its folder
    home = tmp_path / "home"
    line = one_line_error(lis("indicators", "--params", params, home=home), "indicators")
    assert f"{weights}: unknown key(s) colours" in line, line
    assert snapshot(home) == {}


def test_params_file_that_is_a_folder(tmp_path):
    folder = tmp_path / "params.yaml"
    folder.mkdir()
    line = one_line_error(lis("indicators", "--params", folder, home=tmp_path / "h"), "indicators")
    assert line == (
        f"lis indicators: error: {folder}: cannot read parameters file (Is a directory)"
    )


def test_params_file_that_is_a_broken_link(tmp_path):
    link = tmp_path / "params.yaml"
    try:
        link.symlink_to(tmp_path / "gone.yaml")
    except (OSError, NotImplementedError):
        pytest.skip("this system cannot make a symbolic link")
    line = one_line_error(lis("indicators", "--params", link, home=tmp_path / "h"), "indicators")
    assert line == (
        f"lis indicators: error: {link}: cannot read parameters file (No such file or directory)"
    )


def test_params_file_name_with_an_escape_sequence_is_shown_escaped(tmp_path):
    name = tmp_path / "p\x1b[2J\nlis: ok.yaml"  # clears a terminal, forges a second line
    line = one_line_error(lis("indicators", "--params", name, home=tmp_path / "h"), "indicators")
    assert "p\\x1b[2J\\nlis: ok.yaml: cannot read parameters file" in line, line


def test_areas_file_name_with_a_newline_is_shown_escaped(tmp_path):
    name = tmp_path / "my\nareas.yaml"
    proc = lis("indicators", "--areas-file", name, home=tmp_path / "h")
    line = one_line_error(proc, "indicators")
    assert "my\\nareas.yaml: file not found" in line, line


# --------------------------------------------------------------------------------------
# Command-line values
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["nan", "inf", "-1", "0", "1e9"], ids=["nan", "inf", "negative", "zero", "huge"]
)
def test_watch_interval_must_be_a_finite_positive_number(value, tmp_path):
    home = tmp_path / "home"
    proc = lis("watch", f"--interval={value}", "--once", home=home)
    line = one_line_error(proc, "watch")
    assert "--interval must be a number of seconds above 0 and at most 86,400" in line, line
    assert snapshot(home) == {}


def test_fetch_timeout_must_be_finite(tmp_path):
    proc = lis("fetch", "--timeout", "nan", "--raw", tmp_path / "raw", home=tmp_path / "h")
    line = one_line_error(proc, "fetch")
    assert "--timeout must be a positive number of seconds, not nan" in line
    assert not (tmp_path / "raw").exists()


def test_ingest_jobs_must_be_at_least_one(tmp_path):
    proc = lis("ingest", "--jobs", "-3", "--raw", tmp_path, home=tmp_path / "h")
    line = one_line_error(proc, "ingest")
    assert "--jobs must be a whole number from 1 to 256, not -3" in line


@pytest.fixture
def project_home(tmp_path):
    """A small project (tests/pack/project.py): three notebooks, two ELS files."""
    home = tmp_path / "home"
    make_project(home)
    return home


@pytest.mark.parametrize(
    "only,expected",
    [
        (",", "--only ,: names no notebook"),
        ("", "--only : names no notebook"),
        ("99_nothing", "--only 99_nothing: is not a notebook of the pack"),
    ],
    ids=["comma", "empty", "unknown"],
)
def test_run_only_must_name_notebooks(only, expected, project_home):
    before = snapshot(project_home)
    proc = lis("run", "--only", only, home=project_home)
    line = one_line_error(proc, "run")
    assert expected in line, line
    assert snapshot(project_home) == before  # nothing ran, nothing was written


# --------------------------------------------------------------------------------------
# Areas files: no silent redefinition of a published code; reaching the notebooks
# --------------------------------------------------------------------------------------


def _areas(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "my_areas.yaml"
    path.write_text("areas:\n" + body, encoding="utf-8")
    return path


REDEFINITIONS = {
    # id: (areas entry, the code the error names)
    "package_area": (
        "  E37000021:\n    name: Not Leicester\n    level: lep\n    members: [E07000130]\n",
        "E37000021",
    ),
    "package_alias": (
        "  MINE01:\n    name: Mine\n    level: custom\n    aliases: [E69000020]\n"
        "    members: [E07000130]\n",
        "E69000020",
    ),
    "published_district": (
        "  E06000016:\n    name: Leicester and Blaby\n    level: lad\n"
        "    members: [E06000016, E07000129]\n",
        "E06000016",
    ),
    "published_region": (
        "  E12000004:\n    name: East Midlands (mine)\n    level: region\n"
        "    members: [E07000130]\n",
        "E12000004",
    ),
}


@pytest.mark.parametrize("case", list(REDEFINITIONS), ids=list(REDEFINITIONS))
def test_areas_file_may_not_redefine_a_published_code(case, demo_home, tmp_path):
    body, code = REDEFINITIONS[case]
    areas = _areas(tmp_path, body)
    before = snapshot(demo_home / "data" / "demo")
    proc = lis("areas", "--areas-file", areas, home=demo_home)
    line = one_line_error(proc, "areas")
    assert line.startswith(f"lis areas: error: {areas}: area "), line
    assert f"{code} is already a published area code" in line and "redefine: true" in line
    assert snapshot(demo_home / "data" / "demo") == before


def test_areas_file_redefines_a_published_code_when_it_says_so(demo_home, tmp_path):
    areas = _areas(
        tmp_path,
        "  E37000021:\n    name: Leicester and Leicestershire with Charnwood only\n"
        "    level: lep\n    redefine: true\n    members: [E07000130]\n",
    )
    proc = lis("areas", "--areas-file", areas, "--format", "json", home=demo_home)
    assert proc.returncode == 0, proc.stderr
    row = next(a for a in json.loads(proc.stdout) if a["code"] == "E37000021")
    assert row["name"] == "Leicester and Leicestershire with Charnwood only"
    assert row["districts"] == 1


@pytest.mark.parametrize(
    "body,expected",
    [
        (
            "  MINE01:\n    name: Mine\n    level: custom\n    members: 5\n",
            "area MINE01: 'members' must be a list of district codes",
        ),
        (
            "  MINE01:\n    name: Mine\n    level: custom\n    redefine: maybe\n"
            "    members: [E07000130]\n",
            "area MINE01: 'redefine' must be true or false",
        ),
        (
            '  MINE01:\n    name: Mine\n    level: custom\n    members: ["E0700\\x1b[31m"]\n',
            "member code(s) E0700\\x1b[31m are not GSS codes",
        ),
    ],
    ids=["members_not_a_list", "redefine_not_a_boolean", "member_with_escape_sequence"],
)
def test_malformed_areas_entry_is_one_line_before_any_data(body, expected, tmp_path):
    areas = _areas(tmp_path, body)
    home = tmp_path / "home"
    line = one_line_error(lis("indicators", "--areas-file", areas, home=home), "indicators")
    assert expected in line, line
    assert snapshot(home) == {}


def test_relative_paths_in_a_params_file_are_read_from_its_folder(demo_home, tmp_path):
    sub = tmp_path / "config"
    sub.mkdir()
    _areas(
        sub,
        "  MYAREA01:\n    name: Charnwood and Melton\n    level: custom\n"
        "    members: [E07000130, E07000133]\n",
    )
    params = sub / "params.yaml"
    params.write_text("area: MYAREA01\nareas_file: my_areas.yaml\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = lis("indicators", "--params", params, home=demo_home, cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("Charnwood and Melton (MYAREA01), 2 districts")


@pytest.mark.slow
def test_readme_example_builds_a_pack_for_a_user_area(demo_home, tmp_path):
    """`lis run --area MYAREA01 --areas-file my_areas.yaml` (README): the areas file,
    given relative to where the command is typed, reaches every notebook."""
    work = tmp_path / "work"
    work.mkdir()
    _areas(
        work,
        "  MYAREA01:\n    name: Charnwood and Melton\n    level: custom\n"
        "    members: [E07000130, E07000133]\n",
    )
    home = tmp_path / "home"
    shutil.copytree(demo_home, home, symlinks=True)
    shutil.copytree(Path(__file__).resolve().parents[2] / "notebooks", home / "notebooks")
    only = "00_overview,11_people,90_sources_and_methods"
    proc = lis(
        "run", "--area", "MYAREA01", "--areas-file", "my_areas.yaml", "--only", only,
        "--jobs", "2", home=home, cwd=work, timeout=1200,
    )  # fmt: skip
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert "Traceback" not in proc.stderr
    assert "3 ran, 0 skipped, 0 failed" in proc.stdout, out[-3000:]
    reports = home / "reports"
    for name in only.split(","):
        page = (reports / "MYAREA01" / f"{name}.html").read_text(encoding="utf-8")
        assert "Charnwood and Melton" in page
    record = json.loads(next((reports / "_runs").glob("*.json")).read_text())
    nb = record["notebooks"]["MYAREA01/00_overview"]
    assert nb["parameters"]["areas_file"] == str(work / "my_areas.yaml")
    assert record["status"] == "ok"


@pytest.mark.parametrize(
    "args,expected",
    [
        (("run", "--raw", "missing\nlis run: all good"), "missing\\nlis run: all good"),
        (("ingest", "--raw", "gone\x1b[2J"), "gone\\x1b[2J: raw data folder not found"),
        (("areas", "--level", "lsip\u202eevil"), "no areas of level 'lsip\\u202eevil'"),
    ],
    ids=["run_raw_with_newline", "ingest_raw_with_escape", "areas_level_with_bidi_override"],
)
def test_names_are_escaped_in_every_message(args, expected, demo_home, tmp_path):
    home = demo_home if args[0] == "areas" else tmp_path / "home"
    if args[0] == "run":
        make_project(home)  # (the run reads its catalogue first)
    proc = lis(*args, home=home)
    line = one_line_error(proc, args[0])
    assert expected in line, line
