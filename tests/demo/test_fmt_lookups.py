"""Round trips of the lookup demonstrator writers through their parsers."""

from __future__ import annotations

import pandas as pd
import pytest

from lis_analysis.demo import fmt_lookups as fl
from lis_analysis.sources import detect
from lis_analysis.sources._base import lookup_frame
from lis_analysis.sources.lookups import (
    LadCombinedAuthorityLookup,
    LadItlLookup,
    LadRegionLookup,
    LepNames,
    LsipLookup,
)

COLS = [
    "relation",
    "child_code",
    "child_name",
    "child_level",
    "parent_code",
    "parent_name",
    "parent_level",
]
LADS = [("E06000016", "Leicester", "TLF21", "Leicester"), ("E07000129", "Blaby", "TLF22", "Leicestershire CC and Rutland"),
        ("E07999001", "Quillmarsh", "TLFZ1", "Fenmoor and Wold North (synthetic)")]  # fmt: skip


def frame():
    parts = [
        lookup_frame(relation="lad_to_itl3", child_code=[c for c, *_ in LADS], child_name=[n for _, n, *_ in LADS],
                     child_level="lad", parent_code=[p for *_, p, _ in LADS], parent_name=[q for *_, q in LADS], parent_level="itl3"),
        lookup_frame(relation="itl3_to_itl2", child_code=["TLF21", "TLF22", "TLFZ1"],
                     child_name=["Leicester", "Leicestershire CC and Rutland", "Fenmoor and Wold North (synthetic)"], child_level="itl3",
                     parent_code=["TLF2", "TLF2", "TLFZ"], parent_name=["Leicestershire, Rutland and Northamptonshire"] * 2 + ["Fenmoor and Wold (synthetic)"],
                     parent_level="itl2"),
        lookup_frame(relation="itl2_to_itl1", child_code=["TLF2", "TLFZ"], child_name=["Leicestershire, Rutland and Northamptonshire", "Fenmoor and Wold (synthetic)"],
                     child_level="itl2", parent_code=["TLF", "TLF"], parent_name=["East Midlands (England)"] * 2, parent_level="itl1"),
        lookup_frame(relation="lad_to_region", child_code=[c for c, *_ in LADS], child_name=[n for _, n, *_ in LADS], child_level="lad",
                     parent_code="E12000004", parent_name="East Midlands", parent_level="region"),
        lookup_frame(relation="lad_to_ca", child_code=["E07999001"], child_name=["Quillmarsh"], child_level="lad",
                     parent_code="E47999001", parent_name="Fenmoor Combined Authority (synthetic)", parent_level="ca"),
        lookup_frame(relation="lad_to_lsip", child_code=[c for c, *_ in LADS], child_name=[n for _, n, *_ in LADS], child_level="lad",
                     parent_code=["E69000020", "E69000020", "E69999001"],
                     parent_name=["Leicester and Leicestershire"] * 2 + ["Fenmoor LSIP (synthetic)"], parent_level="lsip"),
        lookup_frame(relation="lep_names", child_code=["E37000021"], child_name=["Leicester and Leicestershire"], child_level="lep"),
    ]  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def norm(df):
    return df[COLS].sort_values(COLS).reset_index(drop=True)


@pytest.mark.parametrize(
    "writer,name,cls,relations",
    [
        (
            fl.write_lad_itl_lookup,
            fl.LAD_ITL_FILE,
            LadItlLookup,
            ["lad_to_itl3", "itl3_to_itl2", "itl2_to_itl1"],
        ),
        (fl.write_lad_region_lookup, fl.LAD_REGION_FILE, LadRegionLookup, ["lad_to_region"]),
        (fl.write_lad_ca_lookup, fl.LAD_CA_FILE, LadCombinedAuthorityLookup, ["lad_to_ca"]),
        (fl.write_lep_names, fl.LEP_NAMES_FILE, LepNames, ["lep_names"]),
        (fl.write_lsip_lookup, fl.LSIP_FILE, LsipLookup, ["lad_to_lsip"]),
    ],
)
def test_round_trip(tmp_path, writer, name, cls, relations):
    src = frame()
    path = writer(src, tmp_path / name)
    assert isinstance(detect(path), cls)
    back = cls().parse(path)
    pd.testing.assert_frame_equal(
        norm(back[back.relation.isin(relations)]), norm(src[src.relation.isin(relations)])
    )


def test_lad_itl_also_gives_direct_relations(tmp_path):
    back = LadItlLookup().parse(fl.write_lad_itl_lookup(frame(), tmp_path / fl.LAD_ITL_FILE))
    l1 = back[back.relation == "lad_to_itl1"]
    assert dict(zip(l1.child_code, l1.parent_code, strict=True)) == {c: "TLF" for c, *_ in LADS}
    raw = (tmp_path / fl.LAD_ITL_FILE).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfITL125CD,") and b"\r\n" in raw  # BOM and CRLF as ONS


def test_lsip_new_geography_and_label(tmp_path):
    from python_calamine import CalamineWorkbook

    path = fl.write_lsip_lookup(
        frame(), tmp_path / fl.LSIP_FILE, new_geography={"E07999001": "Fenmoor and Rutland"}
    )
    back = LsipLookup().parse(path)
    assert back.attrs["metadata"]["new_lsip_geography"]["E07999001"] == "Fenmoor and Rutland"
    about = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("About").to_python()
    assert "SYNTHETIC DEMONSTRATOR DATA" in about[0][0]


def test_writer_errors(tmp_path):
    lk = frame()
    with pytest.raises(ValueError, match="no lad_to_ca relations"):
        fl.write_lad_ca_lookup(lk[lk.relation != "lad_to_ca"], tmp_path / "x.csv")
    split = pd.concat([lk, lk[(lk.relation == "lad_to_itl3")].head(1).assign(parent_code="TLF22")])
    with pytest.raises(ValueError, match="two ITL3 areas"):
        fl.write_lad_itl_lookup(split, tmp_path / "y.csv")
    no_itl1 = lk[lk.relation != "itl2_to_itl1"]
    with pytest.raises(ValueError, match="no ITL2/ITL1 for E06000016"):
        fl.write_lad_itl_lookup(no_itl1, tmp_path / "z.csv")
