"""The lis command on the demonstrator: areas, indicators, demo, ingest (one line, exit 2 on bad input)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from lis_analysis.cli import main


@pytest.fixture
def demo_home(tmp_path, monkeypatch, demo_store):
    """A project whose data/raw is empty: commands fall back to the demonstrator."""
    folder, _, _ = demo_store
    monkeypatch.setenv("LIS_HOME", str(tmp_path))
    return folder


def test_areas_lists_code_name_level_members(demo_home, capsys):
    assert main(["areas", "--raw", str(demo_home), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    tab = pd.read_csv(io.StringIO(out), dtype=str)
    ll = tab.set_index("code").loc["E37000021"]
    assert (
        ll["name"] == "Leicester and Leicestershire"
        and ll["level"] == "lep"
        and ll["districts"] == "8"
    )
    assert "E06000016" in ll["members"]
    assert {"lad", "itl3", "region", "lsip", "uk", "country"} <= set(tab.level)


def test_areas_unknown_level(demo_home, capsys):
    assert main(["areas", "--raw", str(demo_home), "--level", "planet"]) == 2
    assert "no areas of level 'planet'" in capsys.readouterr().err


def test_indicators_csv_and_json(demo_home, tmp_path, capsys):
    out = tmp_path / "ll.csv"
    assert (
        main(["indicators", "--raw", str(demo_home), "--area", "E37000021", "--out", str(out)]) == 0
    )
    tab = pd.read_csv(out)
    assert list(tab.columns[:18]) == [
        "area_code", "area_name", "indicator_id", "foundation", "period", "value", "unit", "ci_lower", "ci_upper",
        "benchmark_code", "benchmark_value", "index", "gap", "significant", "rank", "n_peers", "polarity", "source",
    ]  # fmt: skip
    err = capsys.readouterr().err
    assert "gigabit_coverage: no single figure; for its parts" in err  # parts, per indicator
    assert "exports_per_head: " in err  # else the reason
    assert set(tab["basis"]) <= {
        "built from districts", "published for the area", "built from its parts", "estimate"
    }  # fmt: skip
    assert main(["indicators", "--raw", str(demo_home), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["indicator_id"] for r in rows} >= {"gva_per_hour", "employment_rate"}


def test_indicators_unknown_area(demo_home, capsys):
    assert main(["indicators", "--raw", str(demo_home), "--area", "E37999999"]) == 2
    err = capsys.readouterr().err.strip()
    assert (
        err
        == "lis indicators: error: unknown area 'E37999999' (run 'lis areas' to list the areas and their codes)"
    )


def test_demo_command_writes_marked_folder(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path / "d")]) == 0
    assert (tmp_path / "d" / "DEMONSTRATOR.txt").exists()
    assert "not official statistics" in capsys.readouterr().out


def test_ingest_bad_file_one_line_exit_2(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "employment-rate.csv").write_text("areacd,areanm\nE06000016,Leicester\n")
    assert main(["ingest", "--raw", str(raw), "--processed", str(tmp_path / "p")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert (
        len(err) == 1
        and err[0].startswith("lis ingest: error: ")
        and "employment-rate.csv" in err[0]
    )
    assert "Traceback" not in err[0]
