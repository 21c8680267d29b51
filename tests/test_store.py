"""The store: atomic, content-addressed, incremental; raw files never modified."""

from __future__ import annotations

import hashlib
import json
import shutil

import pandas as pd
import pytest

from lis_analysis.errors import InputError, LisError
from lis_analysis.store import DEMO_MARKER, ingest, read_manifest, read_observations
from tests.helpers import write_workbook


def _book(path, leicester=35.8, rows=None):
    title = [["Table"], [], [], []]
    a3 = title + [["LAD_Code", "LAD_Name", "Pounds_2021", "Pounds_2022"], ["UKX", "UK", 38.1, 39.7]]
    a3 += rows if rows is not None else [["E06000016", "Leicester", 35.1, leicester]]
    sheets = {
        "Contents": [
            ["Reference tables published with the ONS Subregional Productivity June 2024 release"]
        ],
        "A1": title + [["LAD_Code", "LAD_Name", "Index_2022"], ["UKX", "UK", 100]],
        "A3": a3,
        "B1": title + [["LAD_Code", "LAD_Name", "Index_2022"], ["UKX", "UK", 100]],
        "B3": title + [["LAD_Code", "LAD_Name", "Pounds_2022"], ["UKX", "UK", 70000]],
        "Productivity Hours": title + [["LAD_Code", "LAD_Name", "Hours_2022"], ["UKX", "UK", 1e9]],
        "Productivity Jobs": title + [["LAD_Code", "LAD_Name", "Jobs_2022"], ["UKX", "UK", 3e7]],
    }
    return write_workbook(path, sheets)


def _lookup(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "LAD23CD,LAD23NM,RGN23CD,RGN23NM,ObjectId\nE06000016,Leicester,E12000004,East Midlands,1\n",
        encoding="utf-8",
    )
    return path


def _sha(p):
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def raw(tmp_path):
    d = tmp_path / "raw"
    _book(d / "productivity" / "labourproductivitylocalauthorities.xlsx")
    _lookup(d / "lookups" / "LADs_to_region.csv")
    (d / "README.md").write_text("notes, not data")
    return d


def test_ingest_writes_store_and_manifest(raw, tmp_path):
    processed = tmp_path / "processed"
    rep = ingest([raw], processed)
    assert rep.changed and rep.rows > 0
    obs = read_observations(processed)
    leic = obs[
        (obs.geography_code == "E06000016") & (obs.measure == "gva_per_hour") & (obs.year == 2022)
    ]
    assert leic.value.tolist() == [35.8]
    m = read_manifest(processed)
    names = {f["name"]: f for f in m["files"]}
    assert set(names) == {
        "labourproductivitylocalauthorities.xlsx",
        "LADs_to_region.csv",
    }  # README skipped
    f = names["labourproductivitylocalauthorities.xlsx"]
    assert f["sha256"] == _sha(raw / "productivity" / "labourproductivitylocalauthorities.xlsx")
    assert (
        f["parser"] == "ons_productivity_lad"
        and f["release"] == "2024-06"
        and f["rows"] == len(obs)
    )
    assert (processed / "lookups.parquet").exists()
    assert "labourproductivitylocalauthorities.xlsx  ons_productivity_lad" in rep.table()


def test_unchanged_files_are_skipped(raw, tmp_path):
    processed = tmp_path / "processed"
    ingest([raw], processed)
    before = (processed / "observations.parquet").stat().st_mtime_ns
    rep = ingest([raw], processed)
    assert not rep.changed
    assert {f.status for f in rep.files} == {"unchanged"}
    assert (processed / "observations.parquet").stat().st_mtime_ns == before


ELS = (
    "areacd,areanm,geography,indicator,period,observation,measure,unit,lci_95,uci_95,status,notes\n"
    "E06000016,Leicester,County or Unitary Authority,Employment rate,2023-01-01/P1Y,65.1,Percentage,%,62.0,68.2,,\n"
    "E07000129,Blaby,Local Authority District,Employment rate,2023-01-01/P1Y,85.3,Percentage,%,80.1,90.5,,\n"
)


def test_changed_file_replaces_exactly_its_own_rows(raw, tmp_path):
    processed = tmp_path / "processed"
    (raw / "els").mkdir()
    (raw / "els" / "employment-rate.csv").write_text(ELS, encoding="utf-8")
    ingest([raw], processed)
    obs0 = read_observations(processed)
    blaby0 = obs0[obs0.source_file == "employment-rate.csv"]
    assert len(blaby0) == 2
    # the first file changes (a new Leicester value); the second does not
    _book(raw / "productivity" / "labourproductivitylocalauthorities.xlsx", leicester=99.9)
    rep = ingest([raw], processed)
    status = {f.name: f.status for f in rep.files}
    assert status["labourproductivitylocalauthorities.xlsx"] == "parsed"
    assert status["employment-rate.csv"] == "unchanged"
    obs1 = read_observations(processed)
    leic = obs1[
        (obs1.geography_code == "E06000016")
        & (obs1.measure == "gva_per_hour")
        & (obs1.year == 2022)
    ]
    assert leic.value.tolist() == [99.9]
    blaby1 = obs1[obs1.source_file == "employment-rate.csv"]
    pd.testing.assert_frame_equal(
        blaby0.reset_index(drop=True), blaby1.reset_index(drop=True), check_categorical=False
    )


def test_raw_files_byte_identical_after_ingest(raw, tmp_path):
    before = {p: _sha(p) for p in raw.rglob("*") if p.is_file()}
    ingest([raw], tmp_path / "processed", force=True)
    ingest([raw], tmp_path / "processed")
    assert {p: _sha(p) for p in raw.rglob("*") if p.is_file()} == before


def test_bad_file_stops_ingest_and_keeps_previous_store(raw, tmp_path):
    processed = tmp_path / "processed"
    ingest([raw], processed)
    before = (processed / "observations.parquet").read_bytes()
    manifest = (processed / "manifest.json").read_text()
    _book(
        raw / "productivity" / "labourproductivitylocalauthorities.xlsx",
        rows=[["E06000016", "Leicester", "oops", 1.0]],
    )
    with pytest.raises(InputError, match="sheet 'A3', row 7, column C"):
        ingest([raw], processed)
    assert (processed / "observations.parquet").read_bytes() == before
    assert (processed / "manifest.json").read_text() == manifest
    assert not list(processed.glob(".*.tmp"))


def test_unrecognised_file_names_the_parsers_tried(raw, tmp_path):
    (raw / "mystery.xlsx").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(InputError) as e:
        ingest([raw], tmp_path / "p")
    assert "mystery.xlsx: no parser recognises this file (tried: " in str(e.value)
    assert "ons_productivity_lad" in str(e.value)


def test_empty_folder_and_missing_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(LisError, match="no data files found"):
        ingest([tmp_path / "empty"], tmp_path / "p")
    with pytest.raises(LisError, match="raw data folder not found"):
        ingest([tmp_path / "nope"], tmp_path / "p")


def test_demo_folder_rows_are_marked(raw, tmp_path):
    (raw / DEMO_MARKER).write_text("synthetic")
    processed = tmp_path / "processed"
    ingest([raw], processed)
    obs = read_observations(processed)
    assert obs.demo.all() and set(obs.release) == {"demonstrator"}
    assert json.loads((processed / "manifest.json").read_text())["demo"] is True


def test_same_release_twice_is_an_error(raw, tmp_path):
    shutil.copy(
        raw / "productivity" / "labourproductivitylocalauthorities.xlsx",
        raw / "productivity" / "labourproductivitylocalauthorities (1).xlsx",
    )
    with pytest.raises(
        InputError,
        match="the same file as .*labourproductivitylocalauthorities.* \\(identical content\\); keep one of them",
    ):
        ingest([raw], tmp_path / "p")


def test_second_ingest_is_fast_path(raw, tmp_path, monkeypatch):
    """Unchanged files are not even re-hashed when size and mtime match the manifest."""
    from lis_analysis import _files

    processed = tmp_path / "processed"
    ingest([raw], processed)
    calls = []
    monkeypatch.setattr(_files, "sha256_file", lambda p, *a, **k: calls.append(p) or "x")
    ingest([raw], processed)
    assert calls == []
    _files.content_hash(next(raw.rglob("*.xlsx")))  # the spy sees the store's hasher
    assert len(calls) == 1
