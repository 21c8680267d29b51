"""Geography lookups (ONS LAD to ITL, region, combined authority, LSIP; DfE LSIP; LEP
names): the real files and hand-made fixtures, including next year's column names."""

from __future__ import annotations

import pytest

from lis_analysis.errors import InputError
from lis_analysis.sources import detect
from lis_analysis.sources._base import LOOKUP_COLUMNS
from lis_analysis.sources.lookups import (
    LadCombinedAuthorityLookup,
    LadItlLookup,
    LadLsipLookup,
    LadRegionLookup,
    LepNames,
    LsipLookup,
    find_columns,
)
from tests.helpers import write_text, write_workbook

ITL_FILE = "lookups/LAD_(December_2024)_to_LAU1_to_ITL3_to_ITL2_to_ITL1_(January_2025)_Lookup_in_the_UK.csv"
CA_FILE = "lookups/Local_Authority_District_to_Combined_Authority_(May_2025)_Lookup_in_EN.csv"
LL = [
    "E06000016",
    "E07000129",
    "E07000130",
    "E07000131",
    "E07000132",
    "E07000133",
    "E07000134",
    "E07000135",
]


def parents(df, relation):
    sub = df[df.relation == relation]
    return dict(zip(sub.child_code, sub.parent_code, strict=True))


@pytest.mark.shared
class TestRealLookups:
    def test_detection(self, public_file):
        expected = {
            ITL_FILE: LadItlLookup,
            "lookups/LADs_to_region.csv": LadRegionLookup,
            CA_FILE: LadCombinedAuthorityLookup,
            "lookups/LSIP_lookup.xlsx": LsipLookup,
            "lookups/279.csv": LepNames,
        }
        for rel, cls in expected.items():
            parser = detect(public_file(rel))
            assert isinstance(parser, cls) and parser.kind == "lookup"

    def test_lad_to_itl(self, public_file):
        df = LadItlLookup().parse(public_file(ITL_FILE))
        assert list(df.columns) == LOOKUP_COLUMNS
        l3 = df[df.relation == "lad_to_itl3"]
        assert l3.child_code.nunique() == 361 and len(l3) == 362  # North Ayrshire twice
        p3 = parents(df[df.child_code != "S12000021"], "lad_to_itl3")
        assert p3["E06000016"] == "TLF21"  # Leicester
        assert {p3[c] for c in LL[1:]} == {"TLF22"} and p3["E06000017"] == "TLF22"  # + Rutland
        assert parents(df, "lad_to_itl2")["E06000016"] == "TLF2"
        assert parents(df, "lad_to_itl1")["E07000135"] == "TLF"
        assert (
            parents(df, "itl3_to_itl2")["TLF22"] == "TLF2"
            and parents(df, "itl2_to_itl1")["TLF2"] == "TLF"
        )
        counts = df.relation.value_counts().to_dict()
        assert (
            counts["itl3_to_itl2"] == 182
            and counts["itl2_to_itl1"] == 46
            and counts["lad_to_itl1"] == 361
        )
        tlf22 = df[(df.relation == "lad_to_itl3") & (df.child_code == "E07000129")].iloc[0]
        assert tlf22.parent_name == "Leicestershire CC and Rutland" and tlf22.child_level == "lad"
        assert set(df.release) == {"2025-01"}
        assert df.attrs["warnings"] == [
            "S12000021 North Ayrshire is split by LAU1 between TLM20 Highlands and Islands and TLM93 North Ayrshire "
            "and East Ayrshire; its district figures cannot be allocated to one ITL3/ITL2"
        ]

    def test_lad_to_region(self, public_file):
        df = LadRegionLookup().parse(public_file("lookups/LADs_to_region.csv"))
        p = parents(df, "lad_to_region")
        assert len(p) == 296 and {p[c] for c in LL} == {"E12000004"}
        assert df[df.parent_code == "E12000004"].parent_name.iloc[0] == "East Midlands"
        assert set(df.release) == {"2023"} and set(df.parent_level) == {"region"}

    def test_lad_to_ca(self, public_file):
        df = LadCombinedAuthorityLookup().parse(public_file(CA_FILE))
        assert len(df) == 106 and df.parent_code.nunique() == 15
        assert not set(LL) & set(df.child_code)  # L&L is in no combined authority
        assert parents(df, "lad_to_ca")["E08000003"] == "E47000001"  # Manchester
        assert set(df.release) == {"2025-05"}

    def test_lad_to_lsip(self, public_file):
        df = LsipLookup().parse(public_file("lookups/LSIP_lookup.xlsx"))
        p = parents(df, "lad_to_lsip")
        assert len(p) == 296 and {p[c] for c in LL} == {"E69000020"}
        assert p["E06000017"] == "E69000012"  # Rutland: Greater Lincolnshire LSIP (2023)
        name = df[df.parent_code == "E69000020"].parent_name.iloc[0]
        assert name == "Leicester and Leicestershire"  # printed ' Leicester and Leicestershire '
        new = df.attrs["metadata"]["new_lsip_geography"]
        assert new["E06000017"] == new["E06000016"] == "Leicester, Leicestershire and Rutland"
        assert any("(E06000017 Rutland)" in w for w in df.attrs["warnings"])

    def test_lep_names(self, public_file):
        df = LepNames().parse(public_file("lookups/279.csv"))
        assert len(df) == 38 and set(df.relation) == {"lep_names"}
        ll = df[df.child_code == "E37000021"].iloc[0]
        assert ll.child_name == "Leicester and Leicestershire" and ll.child_level == "lep"
        assert df.parent_code.isna().all()
        york = df[df.child_code == "E37000058"].child_name.iloc[0]
        assert york == "York, North Yorkshire and East Riding"  # quoted field with commas

    def test_csv_lookups_not_claimed_by_each_other(self, public_file):
        path = public_file("lookups/LADs_to_region.csv")
        assert [
            p.name
            for p in (LadItlLookup(), LadCombinedAuthorityLookup(), LepNames())
            if p.matches(path)
        ] == []


# ----------------------------------------------------------------------------- fixtures

ITL_NEXT = (
    "ITL126CD,ITL126NM,ITL226CD,ITL226NM,ITL326CD,ITL326NM,LAU126CD,LAU126NM,LAD25CD,LAD25NM,ObjectId\n"
    "TLF,East Midlands (England),TLF2,\"Leicestershire, Rutland and Northamptonshire\",TLF21,Leicester,E06000016,Leicester,E06000016,Leicester,1\n"
    "TLF,East Midlands (England),TLF2,\"Leicestershire, Rutland and Northamptonshire\",TLF22,Leicestershire CC and Rutland,E07000129,Blaby,E07000129,Blaby,2\n"
)  # fmt: skip


def err(parser, path):
    with pytest.raises(InputError) as e:
        parser.parse(path)
    return str(e.value)


class TestFixtures:
    def test_next_years_columns(self, tmp_path):
        path = write_text(
            tmp_path
            / "LAD_(December_2025)_to_LAU1_to_ITL3_to_ITL2_to_ITL1_(January_2026)_Lookup_in_the_UK.csv",
            ITL_NEXT,
            bom=True,
            crlf=True,
        )
        assert isinstance(detect(path), LadItlLookup)
        df = LadItlLookup().parse(path)
        assert parents(df, "lad_to_itl3") == {"E06000016": "TLF21", "E07000129": "TLF22"}
        assert parents(df, "itl3_to_itl2") == {"TLF21": "TLF2", "TLF22": "TLF2"}
        assert set(df.release) == {"2026-01"} and df.attrs["warnings"] == []
        assert list(df[df.relation == "lad_to_itl1"].row) == [1, 2]

    def test_find_columns(self):
        cols = find_columns(["lad25cd", "LAD25NM ", "CAUTH25CD", "CAUTH25NM", "ObjectId"])
        assert cols == {
            "LAD": {"year": "25", "CD": 0, "NM": 1},
            "CAUTH": {"year": "25", "CD": 2, "NM": 3},
        }

    def test_missing_column(self, tmp_path):
        text = ITL_NEXT.replace("ITL326CD", "ITL3CODE")
        path = write_text(tmp_path / "LAD_to_ITL_lookup.csv", text)
        assert err(LadItlLookup(), path).startswith(
            f"{path}, row 1: expected columns ITL3yyCD and ITL3yyNM (e.g. ITL324CD, ITL324NM) in the header row, found: 'ITL126CD'"
        )

    def test_two_parents(self, tmp_path):
        text = "LAD23CD,LAD23NM,RGN23CD,RGN23NM,ObjectId\nE06000016,Leicester,E12000004,East Midlands,1\nE06000016,Leicester,E12000005,West Midlands,2\n"
        path = write_text(tmp_path / "LADs_to_region.csv", text)
        assert (
            err(LadRegionLookup(), path)
            == f"{path}, row 3: lad_to_region: E06000016 maps to both E12000004 (row 2) and E12000005"
        )

    def test_identical_rows_collapse(self, tmp_path):
        text = "LAD23CD,LAD23NM,RGN23CD,RGN23NM\nE06000016,Leicester,E12000004,East Midlands\nE06000016,Leicester,E12000004,East Midlands\n"
        df = LadRegionLookup().parse(write_text(tmp_path / "LADs_to_region.csv", text))
        assert len(df) == 1

    def test_wrong_level_code(self, tmp_path):
        text = "LAD23CD,LAD23NM,RGN23CD,RGN23NM\nE12000004,East Midlands,E12000004,East Midlands\n"
        path = write_text(tmp_path / "LADs_to_region.csv", text)
        assert err(LadRegionLookup(), path) == (
            f"{path}, row 2, column 1 ('LAD23CD'): 'E12000004' is not a LAD code (looks like: region)"
        )

    def test_unknown_code(self, tmp_path):
        text = "LAD25CD,LAD25NM,CAUTH25CD,CAUTH25NM\nE08000001,Bolton,GM,Greater Manchester\n"
        path = write_text(
            tmp_path / "Local_Authority_District_to_Combined_Authority_(May_2026)_Lookup_in_EN.csv",
            text,
        )
        assert err(LadCombinedAuthorityLookup(), path) == (
            f"{path}, row 2, column 3 ('CAUTH25CD'): 'GM' is not a CA code (looks like: unknown)"
        )

    def test_empty_name(self, tmp_path):
        text = "LAD23CD,LAD23NM,RGN23CD,RGN23NM\nE06000016,,E12000004,East Midlands\n"
        path = write_text(tmp_path / "LADs_to_region.csv", text)
        assert (
            err(LadRegionLookup(), path)
            == f"{path}, row 2, column 2 ('LAD23NM'): empty name for E06000016"
        )

    def test_header_only_and_empty(self, tmp_path):
        path = write_text(tmp_path / "LADs_to_region.csv", "LAD23CD,LAD23NM,RGN23CD,RGN23NM\n")
        assert err(LadRegionLookup(), path) == f"{path}, row 1: no data rows under the header"
        empty = write_text(tmp_path / "LADs_to_region2.csv", "")
        assert err(LadRegionLookup(), empty) == f"{empty}: the file is empty (0 bytes)"

    def test_gap(self, tmp_path):
        text = "LAD23CD,LAD23NM,RGN23CD,RGN23NM\nE06000016,Leicester,E12000004,East Midlands\n\nE07000129,Blaby,E12000004,East Midlands\n"
        path = write_text(tmp_path / "LADs_to_region.csv", text)
        assert (
            err(LadRegionLookup(), path)
            == f"{path}, row 4: data row after the blank row 3 (the table has a gap)"
        )

    def test_lep_duplicate(self, tmp_path):
        path = write_text(
            tmp_path / "279.csv",
            "FID,LEP20CD,LEP20NM\n1,E37000021,Leicester and Leicestershire\n2,E37000021,Again\n",
        )
        assert isinstance(detect(path), LepNames)
        assert (
            err(LepNames(), path)
            == f"{path}, row 3, column 2: duplicate LEP code E37000021 (first at row 2)"
        )

    def test_numbered_csv_without_lep_columns_not_claimed(self, tmp_path):
        path = write_text(tmp_path / "280.csv", "FID,WD20CD,WD20NM\n1,E05000001,Somewhere\n")
        assert not LepNames().matches(path)

    def test_lsip_workbook(self, tmp_path):
        rows = [
            ["LAD23CD", "LAD23NM", "LSIP23CD", "LSIP23NM", "NEW LSIP GEOGRAPHY (4 london areas)"],
            [
                "E06000016",
                "Leicester",
                "E69000020",
                " Leicester and Leicestershire ",
                "Leicester, Leicestershire and Rutland",
            ],
            [
                "E06000017",
                "Rutland",
                "E69000012",
                " Greater Lincolnshire ",
                "Leicester, Leicestershire and Rutland",
            ],
        ]
        df = LsipLookup().parse(
            write_workbook(tmp_path / "LSIP_lookup.xlsx", {"LA Districts to LSIPs": rows})
        )
        assert parents(df, "lad_to_lsip") == {"E06000016": "E69000020", "E06000017": "E69000012"}
        assert set(df.parent_name) == {"Leicester and Leicestershire", "Greater Lincolnshire"}
        assert df.attrs["warnings"][1] == (
            "new LSIP area 'Leicester, Leicestershire and Rutland' = E69000020 plus 1 district(s) from E69000012 "
            "(E06000017 Rutland)"
        )  # a tie keeps the first area listed as the main one

    def test_lsip_bad_code(self, tmp_path):
        rows = [
            ["LAD23CD", "LAD23NM", "LSIP23CD", "LSIP23NM"],
            ["E06000016", "Leicester", "E37000021", "L&L"],
        ]
        path = write_workbook(tmp_path / "LSIP_lookup.xlsx", {"LA Districts to LSIPs": rows})
        assert err(LsipLookup(), path) == (
            f"{path}, sheet 'LA Districts to LSIPs', row 2, column C ('LSIP23CD'): 'E37000021' is not a LSIP code (looks like: lep)"
        )


# ------------------------------------------------- ONS LSIP and CA lookups (LAD25, 2025)

#: The ONS portal's CSV layout of "Local Authority District to Local Skills Improvement
#: Plan Areas (October 2025) Lookup in EN" (feature service LAD25_LSIP25_EN_LU): BOM, CRLF,
#: LAD25CD, LAD25NM, LSIP25CD, LSIP25NM, ObjectId; LSIP names may carry stray spaces.
#: The rows are hand-made (codes of the right kinds, not copied from the file).
ONS_LSIP = (
    "LAD25CD,LAD25NM,LSIP25CD,LSIP25NM,ObjectId\n"
    'E06000016,Leicester,E69000020,"Leicester, Leicestershire and Rutland ",1\n'
    'E06000017,Rutland,E69000020,"Leicester, Leicestershire and Rutland ",2\n'
    'E07000129,Blaby,E69000020,"Leicester, Leicestershire and Rutland ",3\n'
    "E08000003,Manchester,E69000009, Greater Manchester,4\n"
)
ONS_LSIP_NAME = "Local_Authority_District_to_Local_Skills_Improvement_Plan_Areas_(October_2025)_Lookup_in_EN.csv"
ONS_CA = (
    "LAD25CD,LAD25NM,CAUTH25CD,CAUTH25NM,ObjectId\n"
    "E08000001,Bolton,E47000001,Greater Manchester,1\n"
    "E08000003,Manchester,E47000001,Greater Manchester,2\n"
)
ONS_CA_NAME = "Local_Authority_District_to_Combined_Authority_(May_2025)_Lookup_in_EN.csv"


class TestOnsLsipAndCa:
    @pytest.mark.parametrize(
        "name",
        [
            ONS_LSIP_NAME,
            ONS_LSIP_NAME.replace(".csv", "_2026-01-02.csv"),  # as lis fetch saves it
            "LAD25_LSIP25_EN_LU.csv",  # named after the feature service
        ],
    )
    def test_detected(self, tmp_path, name):
        path = write_text(tmp_path / name, ONS_LSIP, bom=True, crlf=True)
        assert isinstance(detect(path), LadLsipLookup)

    def test_lad_to_lsip(self, tmp_path):
        path = write_text(tmp_path / ONS_LSIP_NAME, ONS_LSIP, bom=True, crlf=True)
        df = LadLsipLookup().parse(path)
        assert list(df.columns) == LOOKUP_COLUMNS
        assert set(df.relation) == {"lad_to_lsip"}
        assert parents(df, "lad_to_lsip") == {
            "E06000016": "E69000020",
            "E06000017": "E69000020",  # Rutland joins Leicester and Leicestershire in 2025
            "E07000129": "E69000020",
            "E08000003": "E69000009",
        }
        assert set(df.parent_name) == {
            "Leicester, Leicestershire and Rutland",
            "Greater Manchester",
        }  # stray spaces stripped
        assert set(df.child_level) == {"lad"} and set(df.parent_level) == {"lsip"}
        assert set(df.release) == {"2025-10"}  # (October_2025) in the name
        assert list(df.row) == [1, 2, 3, 4] and df.attrs["warnings"] == []

    def test_release_from_the_columns_without_a_month(self, tmp_path):
        df = LadLsipLookup().parse(write_text(tmp_path / "LAD25_LSIP25_EN_LU.csv", ONS_LSIP))
        assert set(df.release) == {"2025"}

    def test_not_an_lsip_code(self, tmp_path):
        text = ONS_LSIP.replace("E69000009", "E47000001")
        path = write_text(tmp_path / ONS_LSIP_NAME, text)
        assert err(LadLsipLookup(), path) == (
            f"{path}, row 5, column 3 ('LSIP25CD'): 'E47000001' is not a LSIP code (looks like: ca)"
        )

    def test_two_lsips_for_one_district(self, tmp_path):
        text = ONS_LSIP + "E06000016,Leicester,E69000009,Greater Manchester,5\n"
        path = write_text(tmp_path / ONS_LSIP_NAME, text)
        assert err(LadLsipLookup(), path) == (
            f"{path}, row 6: lad_to_lsip: E06000016 maps to both E69000020 (row 2) and E69000009"
        )

    def test_lsip_columns_missing(self, tmp_path):
        text = ONS_LSIP.replace("LSIP25CD", "LSIPCODE")
        path = write_text(tmp_path / ONS_LSIP_NAME, text)
        assert isinstance(detect(path), LadLsipLookup)  # claimed (LSIP25NM), then refused:
        assert err(LadLsipLookup(), path).startswith(
            f"{path}, row 1: expected columns LSIPyyCD and LSIPyyNM"
        )

    def test_ca_lookup_as_fetched(self, tmp_path):
        """LAD25_CAUTH25_EN_LU under the portal's name with the fetch date appended."""
        path = write_text(
            tmp_path / ONS_CA_NAME.replace(".csv", "_2026-01-02.csv"), ONS_CA, bom=True, crlf=True
        )
        assert isinstance(detect(path), LadCombinedAuthorityLookup)
        df = LadCombinedAuthorityLookup().parse(path)
        assert parents(df, "lad_to_ca") == {"E08000001": "E47000001", "E08000003": "E47000001"}
        assert set(df.release) == {"2025-05"}

    def test_lsip_and_ca_files_not_claimed_by_each_other(self, tmp_path):
        lsip = write_text(tmp_path / ONS_LSIP_NAME, ONS_LSIP)
        ca = write_text(tmp_path / ONS_CA_NAME, ONS_CA)
        others = (
            LadItlLookup(),
            LadRegionLookup(),
            LadCombinedAuthorityLookup(),
            LepNames(),
            LsipLookup(),
        )
        assert [p.name for p in others if p.matches(lsip)] == []
        assert [p.name for p in (*others[:2], LadLsipLookup(), *others[3:]) if p.matches(ca)] == []
