"""What a run reads and what it re-runs: the store's listing, content hashes with
companions, remembered hashes, areas and the reasons a notebook is stale."""

from __future__ import annotations

import json

import pytest

from lis_analysis import _files, store
from lis_analysis.config import Paths, RunParams
from lis_analysis.pack import plan
from lis_analysis.pack.plan import FileHashes, parse_areas, resolve_inputs, stale_reason
from tests.pack.project import els_meta, write_raw


def test_the_pack_lists_and_places_raw_files_with_the_stores_own_functions():
    """One listing, one store folder rule: the pack imports the store's (standard
    library only, in lis_analysis._files), it does not mirror them."""
    assert plan.list_raw_files is store.list_raw_files is _files.list_raw_files
    assert plan.processed_dir_for is store.processed_dir_for is _files.processed_dir_for
    assert plan.is_demo_folder is store.is_demo_folder
    assert plan.content_hash is store.content_hash


def test_listing_leaves_out_metadata_readmes_hidden_files_and_evidence(tmp_path):
    raw = tmp_path / "raw"
    write_raw(raw)  # employment-rate.csv + .json, gigabit-capable-broadband.csv + .json
    (raw / "README.md").write_text("notes")
    (raw / "evidence").mkdir()
    (raw / "evidence" / "x.csv").write_text("a")
    (raw / ".hidden.csv").write_text("a")
    (raw / "sub").mkdir()
    (raw / "sub" / "lookup.csv").write_text("a,b\n")
    (raw / "sub" / "lookup.csv-metadata.json").write_text("{}")  # the CSVW form
    (raw / "sub" / "other.csvw.json").write_text("{}")  # no other.csv: a file of its own
    files = [f.relative_to(raw).as_posix() for _, f in store.list_raw_files([raw])]
    assert files == [
        "employment-rate.csv",
        "gigabit-capable-broadband.csv",
        "sub/lookup.csv",
        "sub/other.csvw.json",
    ]


def test_store_folder_for_each_set_of_raw_folders(tmp_path):
    p = Paths.under(tmp_path)
    write_raw(p.raw)
    other = tmp_path / "other"
    write_raw(other)
    (other / store.DEMO_MARKER).write_text("demo")
    assert store.processed_dir_for([p.raw], p.processed, p.raw) == p.processed
    demo = store.processed_dir_for([other], p.processed, p.raw)
    both = store.processed_dir_for([p.raw, other], p.processed, p.raw)
    assert demo.parent == both.parent == p.processed / "sets"
    assert demo.name.startswith("demo-") and both.name.startswith("raw-")


def test_parse_areas():
    assert parse_areas("E37000021, E06000016,E37000021") == ["E37000021", "E06000016"]
    assert parse_areas(["A1", "B2,C3"]) == ["A1", "B2", "C3"]
    assert parse_areas(None) == []


def test_a_change_to_an_els_json_alone_is_a_change_to_its_csv(tmp_path, monkeypatch):
    """An ELS CSV is read with its JSON metadata (the release date comes from it): a new
    JSON beside an unchanged CSV must re-ingest that file and name its datasets."""
    monkeypatch.setenv("LIS_HOME", str(tmp_path))
    p = Paths.under(tmp_path)
    write_raw(p.raw)
    hashes = FileHashes(tmp_path / "hashes.json")
    first = resolve_inputs(RunParams(), p, hashes)
    assert first.manifest["files"] and not first.demo
    assert resolve_inputs(RunParams(), p, hashes).changes == ()
    csv = p.raw / "employment-rate.csv"
    before = csv.read_bytes()
    (p.raw / "employment-rate.json").write_text(els_meta("Employment rate", "17/04/2025"))
    after = resolve_inputs(RunParams(), p, hashes)
    assert csv.read_bytes() == before
    assert [(c.path, c.change, c.datasets) for c in after.changes] == [
        (str(csv), "changed", ("els_employment_rate",))
    ]
    emp = next(f for f in after.manifest["files"] if f["name"] == "employment-rate.csv")
    assert emp["release"] == "2025-04-17"


def test_remembered_hashes_are_not_recomputed_until_a_companion_changes(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    write_raw(raw)
    csv = raw / "employment-rate.csv"
    calls: list = []
    real = plan.content_hash
    monkeypatch.setattr(plan, "content_hash", lambda path: calls.append(path) or real(path))
    FileHashes(tmp_path / "h.json").content_sha256(csv)
    hashes = FileHashes(tmp_path / "h.json")
    first = hashes.content_sha256(csv)
    assert len(calls) == 2  # the first object did not save; this one computes again
    hashes.save()
    again = FileHashes(tmp_path / "h.json")
    assert again.content_sha256(csv) == first and len(calls) == 2
    meta = raw / "employment-rate.json"
    meta.write_text(meta.read_text().replace("16/04/2024", "16/04/2025"))
    assert again.content_sha256(csv) != first and len(calls) == 3
    assert json.loads((tmp_path / "h.json").read_text())  # saved as JSON


PARTS = {"source": "s1", "inputs": "i1", "code": "c1"}


@pytest.mark.parametrize(
    ("old", "parts", "outputs_exist", "force", "reason"),
    [
        (None, PARTS, False, False, "first run"),
        ({"status": "ok", "parts": PARTS}, PARTS, True, False, None),
        ({"status": "ok", "parts": PARTS}, PARTS, False, False, "outputs missing"),
        ({"status": "ok", "parts": PARTS}, PARTS, True, True, "--force"),
        (
            {"status": "ok", "parts": PARTS},
            {**PARTS, "inputs": "i2"},
            True,
            False,
            "inputs changed",
        ),
        (
            {"status": "ok", "parts": PARTS},
            {**PARTS, "source": "s2", "code": "c2"},
            True,
            False,
            "package code changed, notebook changed",
        ),
        (
            {"status": "failed", "parts": PARTS, "failed_parts": PARTS},
            PARTS,
            True,
            False,
            "failed last time",
        ),
        ({"status": "failed", "failed_parts": PARTS}, PARTS, False, False, "failed last time"),
        ({"status": "failed", "failed_parts": {"x": "1"}}, PARTS, False, False, "first run"),
    ],
)
def test_stale_reason(old, parts, outputs_exist, force, reason):
    assert stale_reason(old, parts, outputs_exist, force) == reason


def test_files_with_no_row_for_an_area_are_not_its_inputs():
    """The BRES file of combined authorities has no row for L&L, its districts, its region
    or the nations: it is not listed among the inputs of L&L's pages; a file with a row
    for the region (BERD by ITL1) or a district is."""
    import pandas as pd

    from lis_analysis.geography import Area
    from lis_analysis.pack.catalogue import NotebookSpec

    obs = pd.DataFrame(
        {
            "source_file": ["bres.csv", "bres.csv", "berd.csv", "gva.xlsx", "gva.xlsx"],
            "geography_code": ["E47000001", "E47000013", "E12000004", "E06000016", "E92000001"],
        }
    )
    codes = plan._file_codes(obs)
    assert codes["bres.csv"] == {"E47000001", "E47000013"}
    ll = Area("E37000021", "L&L", "lep", ("E06000016", "E07000129"), region="E12000004")
    assert plan._files_without_rows(ll, codes) == ["bres.csv"]
    ca = Area("E47000013", "East Midlands CCA", "cauth", ("E06000015",), region="E12000004")
    assert plan._files_without_rows(ca, codes) == []
    manifest = {
        "files": [
            {"name": "bres/bres.csv", "kind": "observations", "datasets": ["nomis_bres"]},
            {"name": "gva/gva.xlsx", "kind": "observations", "datasets": ["ons_gva"]},
            {"name": "lookups/lsip.xlsx", "kind": "lookups", "datasets": []},
        ]
    }
    inputs = plan.Inputs(
        raw_dirs=(), processed=None, demo=False, manifest=manifest, manifest_sha="x"
    )  # type: ignore[arg-type]
    spec = NotebookSpec(name="x", title="x", description="", datasets=("*",))
    names = [r["name"] for r in inputs.records_for(spec, ["bres.csv"])]
    assert names == ["gva/gva.xlsx", "lookups/lsip.xlsx"]
    assert [r["name"] for r in inputs.records_for(spec)] == [f["name"] for f in manifest["files"]]


def test_parse_areas_batch_words_and_a_file_of_codes(tmp_path):
    from lis_analysis.errors import ConfigError

    codes = tmp_path / "areas.txt"
    codes.write_text(
        "# the areas of the county\nE06000016, E07000129\nE07000130 E06000016  # again\n\n"
        "all-lsips\n",
        encoding="utf-8",
    )
    assert parse_areas(f"E37000021,@{codes}") == [
        "E37000021",
        "E06000016",
        "E07000129",
        "E07000130",
        "all-lsips",
    ]
    assert parse_areas("all-districts,all-itl3") == ["all-districts", "all-itl3"]
    with pytest.raises(ConfigError, match="cannot read the file of area codes"):
        parse_areas(f"@{tmp_path / 'missing.txt'}")
    (tmp_path / "empty.txt").write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="holds no area code"):
        parse_areas(f"@{tmp_path / 'empty.txt'}")
    (tmp_path / "bin.txt").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ConfigError, match="not a UTF-8 text file"):
        parse_areas(f"@{tmp_path / 'bin.txt'}")


def test_resolve_areas_expands_every_batch_word_by_level():
    from lis_analysis.errors import ConfigError
    from lis_analysis.pack.plan import BATCHES, resolve_areas

    catalogue = {
        "E69000020": {"name": "Leicester and Leicestershire", "level": "lsip", "aliases": []},
        "E69000001": {"name": "Brighton", "level": "lsip", "aliases": []},
        "E06000016": {"name": "Leicester", "level": "lad", "aliases": []},
        "E07000129": {"name": "Blaby", "level": "lad", "aliases": []},
        "E47000001": {"name": "Greater Manchester", "level": "ca", "aliases": []},
        "TLF21": {"name": "Leicester", "level": "itl3", "aliases": []},
    }
    got = resolve_areas(["E06000016", *BATCHES], catalogue)
    assert [a.code for a in got] == [
        "E06000016",  # once, where it was first asked for
        "E69000001",
        "E69000020",
        "E07000129",
        "E47000001",
        "TLF21",
    ]
    assert {a.level for a in got} == {"lad", "lsip", "ca", "itl3"}
    with pytest.raises(ConfigError, match="defines no combined authorities"):
        resolve_areas(["all-combined-authorities"], {"E06000016": catalogue["E06000016"]})


def test_summary_of_a_large_batch_lists_the_failures():
    from pathlib import Path

    from lis_analysis.pack.run import NotebookRun, RunSummary

    rows = [
        NotebookRun(f"E690000{a:02d}", f"n{i}", "ran", 1.0, reason="first run")
        for a in range(10)
        for i in range(10)
    ]
    rows[17] = NotebookRun("E69000001", "n7", "failed", 2.0, error="ValueError: bad cell")
    text = RunSummary("r", Path("reports"), Path("r.json"), rows, [], 9.0, False).table()
    assert "ValueError: bad cell" in text
    assert "(and 99 notebooks that ran, not listed; 1 of 10 areas had a failure)" in text
    assert "100 notebooks: 99 ran, 0 skipped, 1 failed" in text
    assert len(text.splitlines()) < 10
