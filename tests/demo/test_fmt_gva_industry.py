"""Round trip of the GVA-by-industry demonstrator writer through its parser."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lis_analysis.demo.fmt_gva_industry import (
    MISSING,
    file_name,
    write_gva_industry,
    write_gva_industry_regions,
)
from lis_analysis.sources import detect
from lis_analysis.sources._base import tidy
from lis_analysis.sources.gva_industry import GVAIndustryLAD

COLS = ["measure", "geography_code", "geography_name", "industry", "period", "value", "status"]


def obs():
    """Two districts, three industries (one printed as a number), two years, two tables,
    a confidential and a low-reliability cell."""
    rows = []
    for code, name, scale in [("E06000016", "Leicester", 10), ("E07999001", "Quillmarsh", 3)]:
        for ind, share in [("Total", 1.0), ("C (10-33)", 0.2), ("41", 0.05)]:
            for year in (2022, 2023):
                v = round(1000 * scale * share * (1 + 0.05 * (year - 2022)))
                rows.append(("gva_current", code, name, ind, year, float(v), None, "GBP million"))
                rows.append(
                    (
                        "gva_deflator",
                        code,
                        name,
                        ind,
                        year,
                        100.0 + 8.7 * (year - 2022),
                        None,
                        "index (2022=100)",
                    )
                )
    df = pd.DataFrame(
        rows,
        columns=[
            "measure",
            "geography_code",
            "geography_name",
            "industry",
            "year",
            "value",
            "status",
            "unit",
        ],
    )
    hit = (
        (df.geography_code == "E07999001")
        & (df.industry == "41")
        & (df.measure == "gva_current")
        & (df.year == 2023)
    )
    df.loc[hit, ["value", "status"]] = [np.nan, "[c]"]
    hit = (
        (df.geography_code == "E07999001") & (df.industry == "41") & (df.measure == "gva_deflator")
    )
    df.loc[hit, ["value", "status"]] = [np.nan, "[u]"]
    return tidy(**{c: df[c].to_numpy() for c in df.columns}, period=df.year.astype(str).to_numpy())


def norm(df):
    return df[COLS].sort_values(COLS[:5]).reset_index(drop=True)


def test_round_trip(tmp_path):
    src = obs()
    path = write_gva_industry(src, tmp_path / file_name("TLF", "East Midlands"))
    assert (
        path.name
        == "regionalgrossvalueaddedbalancedbyindustrylocalauthoritiestlfeastmidlands-demo.xlsx"
    )
    assert isinstance(detect(path), GVAIndustryLAD)
    back = GVAIndustryLAD().parse(path)
    pd.testing.assert_frame_equal(norm(back), norm(src))
    assert set(back.unit) == {"GBP million", "index (2022=100)"}
    assert list(dict.fromkeys(back.industry)) == ["Total", "C (10-33)", "41"]  # published order
    assert back.attrs["metadata"]["itl1_code"] == "TLF"
    assert back.attrs["industries"]["41"] == "Construction of buildings"


def test_says_synthetic_and_numbers_codes(tmp_path):
    from python_calamine import CalamineWorkbook

    path = write_gva_industry(obs(), tmp_path / file_name("TLF", "East Midlands"))
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Table 3").to_python()
    assert "SYNTHETIC DEMONSTRATOR DATA" in rows[0][0]
    assert 41.0 in [r[3] for r in rows[2:]]  # '41' written as a number, as ONS prints it
    assert rows[2][0] == "East Midlands "


def test_missing_cell_written_as_marker(tmp_path):
    src = obs()
    src = src[~((src.geography_code == "E06000016") & (src.industry == "41") & (src.year == 2022))]
    back = GVAIndustryLAD().parse(write_gva_industry(src, tmp_path / file_name("TLF", "x")))
    gap = back[(back.geography_code == "E06000016") & (back.industry == "41") & (back.year == 2022)]
    assert set(gap.status) == {MISSING} and gap.value.isna().all()


def test_one_file_per_region(tmp_path):
    regions = {"E06000016": ("TLF", "East Midlands"), "E07999001": ("TLV", "Northvale (synthetic)")}
    paths = write_gva_industry_regions(obs(), tmp_path, regions)
    assert [p.name for p in paths] == [
        file_name("TLF", "East Midlands"),
        file_name("TLV", "Northvale (synthetic)"),
    ]
    back = pd.concat([GVAIndustryLAD().parse(p) for p in paths])
    pd.testing.assert_frame_equal(norm(back), norm(obs()))
    with pytest.raises(ValueError, match="districts with no ITL1 region: E07999001"):
        write_gva_industry_regions(obs(), tmp_path, {"E06000016": ("TLF", "East Midlands")})
