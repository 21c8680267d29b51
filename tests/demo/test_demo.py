"""The demonstrator: deterministic, in the published formats, read by the same parsers."""

from __future__ import annotations

import hashlib
import shutil

import numpy as np
import pytest

from lis_analysis.demo import write_demo
from lis_analysis.demo.world import LL_CODES, world
from lis_analysis.errors import LisError
from lis_analysis.sources import detect


def _digest(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_every_file_is_read_by_a_published_format_parser(demo_store):
    folder, obs, _ = demo_store
    data_files = [
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix in (".xlsx", ".csv") and "evidence" not in p.parts
    ]
    assert len(data_files) >= 20
    parsers = {detect(p).name for p in data_files}
    for needed in ("ons_productivity_lad", "ons_gva_industry_lad", "ons_population_la", "nomis_bres", "ons_explore_local_statistics",
                   "ons_business_demography", "ons_housing_affordability", "ons_ashe_workplace", "dfe_lookup_lad_lsip"):  # fmt: skip
        assert needed in parsers
    assert obs.demo.all()


def test_deterministic(tmp_path, demo_store):
    folder, _, _ = demo_store
    write_demo(tmp_path / "again")
    assert _digest(tmp_path / "again") == _digest(folder)


def test_ll_districts_real_codes_and_others_synthetic():
    w = world()
    d = w.districts
    assert set(LL_CODES) <= set(d.code)
    others = d[~d.code.isin([*LL_CODES, "E06000017"])]
    assert others.code.str.slice(3, 6).eq("999").all()  # codes no publisher uses
    assert not others.name.isin(["Leicester", "Blaby", "Derby", "Nottingham"]).any()


def test_internally_consistent_and_plausible():
    w = world()
    lab = w.labour
    np.testing.assert_allclose(
        lab.gva_per_hour * lab.hours_weekly * 52 / 1e6, lab.gva_current, rtol=1e-12
    )
    latest = lab[lab.year == 2023]
    assert latest.gva_per_hour.between(22, 55).all()
    gi = w.gva_industry
    from lis_analysis.demo.world import AGGREGATE_MEMBERS

    tot = gi[gi.industry == "Total"].set_index(["code", "year"]).gva_current
    sec = (
        gi[gi.industry.isin(AGGREGATE_MEMBERS["Total"])].groupby(["code", "year"]).gva_current.sum()
    )
    assert (tot - sec).abs().max() == 0
    assert (tot == lab.set_index(["code", "year"]).gva_current.reindex(tot.index)).all()


def test_refuses_to_overwrite_a_folder_of_real_files(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "ladproductivity.xlsx").write_bytes(b"x")
    with pytest.raises(LisError, match="holds files that are not demonstrator data"):
        write_demo(tmp_path / "real")
    assert (tmp_path / "real" / "ladproductivity.xlsx").read_bytes() == b"x"


def test_every_file_says_synthetic(demo_store):
    """Workbooks in their title cells and document properties, Nomis CSVs in their
    metadata lines, ELS CSVs in their JSON. Plain lookup CSVs have no place for a note:
    the folder's DEMONSTRATOR.txt and the store's demo flag cover them."""
    import zipfile

    folder, _, _ = demo_store
    assert (folder / "DEMONSTRATOR.txt").exists()
    for p in folder.rglob("*.xlsx"):
        with zipfile.ZipFile(p) as z:
            core = z.read("docProps/core.xml").decode()
            sheets = "".join(
                z.read(n).decode(errors="ignore") for n in z.namelist() if n.startswith("xl/")
            )
        assert "SYNTHETIC" in core.upper() and "SYNTHETIC" in sheets.upper(), p
    for p in folder.rglob("*.csv"):
        if "lookups" in p.parts or "evidence" in p.parts:
            continue
        text = p.read_bytes().upper()
        json = p.with_suffix(".json")
        assert b"SYNTHETIC" in text or (
            json.exists() and b"SYNTHETIC" in json.read_bytes().upper()
        ), p


def test_a_stale_or_partial_demonstrator_is_rebuilt(tmp_path, demo_store):
    # A demonstrator folder left by an older version of the generator, or missing one of
    # its files, would give a pack built from the wrong (or too little) data.
    from lis_analysis.config import Paths
    from lis_analysis.demo import is_current
    from lis_analysis.store import DEMO_MARKER
    from lis_analysis.workspace import ensure_demo

    folder, _, _ = demo_store
    p = Paths.under(tmp_path)
    shutil.copytree(folder, p.demo_raw)
    assert is_current(p.demo_raw)

    victim = next(f for f in sorted(p.demo_raw.rglob("*.xlsx")))
    victim.unlink()
    assert not is_current(p.demo_raw)
    ensure_demo(p)
    assert victim.is_file() and _digest(p.demo_raw) == _digest(folder)

    marker = p.demo_raw / DEMO_MARKER
    marker.write_text(marker.read_text().replace("generator: ", "generator: 0ld"))
    assert not is_current(p.demo_raw)
    ensure_demo(p)
    assert _digest(p.demo_raw) == _digest(folder)
