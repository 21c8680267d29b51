"""Round trip of the IoD File 10 demonstrator writer through the deprivation parser."""

from __future__ import annotations

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from lis_analysis.demo.fmt_deprivation import file_name, write_imd_summaries
from lis_analysis.demo.world import LABEL
from lis_analysis.sources import detect
from lis_analysis.sources._base import tidy
from lis_analysis.sources.deprivation import MEASURES, Deprivation

DISTRICTS = [("E06000016", "Leicester"), ("E07000129", "Blaby"), ("E07000135", "Oadby and Wigston")]
KEY = ["geography_code", "measure"]


def obs(year):
    rows = []
    for k, (code, name) in enumerate(DISTRICTS):
        for i, m in enumerate(sorted(MEASURES)):
            v = (
                float(k + 1)
                if "rank_of" in m
                else (
                    -0.4 + k
                    if m.endswith(("health_average_score", "crime_average_score"))
                    else 10.5 * (i + 1) + k
                )
            )
            rows.append((m, code, name, v))
    df = pd.DataFrame(rows, columns=["measure", "geography_code", "geography_name", "value"])
    return tidy(
        **{c: df[c].to_numpy() for c in df.columns},
        period=str(year),
        year=year,
        dataset="mhclg_imd",
    )


def norm(df):
    return df[[*KEY, "geography_name", "value", "period"]].sort_values(KEY).reset_index(drop=True)


@pytest.mark.parametrize("year", [2019, 2025])
def test_round_trip(tmp_path, year):
    before = obs(year)
    path = write_imd_summaries(before, tmp_path / file_name(year))
    assert isinstance(detect(path), Deprivation)
    after = detect(path).parse(path)
    pd.testing.assert_frame_equal(norm(before), norm(after), check_dtype=False)


def test_layout(tmp_path):
    path = write_imd_summaries(obs(2025), tmp_path / file_name(2025))
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names[:2] == ["Notes", "IMD"] and len(book.sheet_names) == 11
    assert LABEL in book.get_sheet_by_name("Notes").to_python()[0][0]
    head = book.get_sheet_by_name("IMD").to_python()[0]
    assert head[:3] == [
        "Local Authority District code (2024)",
        "Local Authority District name (2024)",
        "IMD - Average rank ",
    ]
    assert "IMD25 - Extent " in head
    only_imd = obs(2019)
    only_imd = only_imd[only_imd.measure.str.startswith("imd_")]
    path = write_imd_summaries(only_imd, tmp_path / file_name(2019))
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["Notes", "IMD"]
    assert "IMD 2019 - Extent " in book.get_sheet_by_name("IMD").to_python()[0]
