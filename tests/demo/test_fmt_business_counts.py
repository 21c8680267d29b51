"""Round trip of the UK business counts demonstrator writer through its parser."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from lis_analysis.demo.fmt_business_counts import write_uk_business
from lis_analysis.demo.world import LABEL
from lis_analysis.sources import detect
from lis_analysis.sources._base import tidy
from lis_analysis.sources.business_counts import BROAD_GROUPS, UKBusinessCounts

AREAS = [
    ("K02000001", "UNITED KINGDOM"),
    ("E10000018", "Leicestershire"),
    ("E06000016", "Leicester"),
    ("E07000129", "Blaby"),
]
BANDS = ["0-4", "5-9", "10-19", "20-49", "50-99", "100-249", "250+"]
KEY = ["geography_code", "measure", "industry", "breakdown"]


def obs(with_local_units=True):
    rows = []
    for k, (code, name) in enumerate(AREAS):
        by_group = {g: float(5 * (i + 1) * (4 - k)) for i, g in enumerate(BROAD_GROUPS)}
        rows += [("enterprises", code, name, g, "All", v) for g, v in by_group.items()]
        rows.append(("enterprises", code, name, "Total", "All", sum(by_group.values())))
        bands = {b: float(10 * (7 - i) * (4 - k)) for i, b in enumerate(BANDS)}
        rows += [("enterprises_by_employment", code, name, "Total", b, v) for b, v in bands.items()]
        # The size-band table's own total differs from Table 1's by rounding (5).
        rows.append(
            ("enterprises_by_employment", code, name, "Total", "All", sum(bands.values()) + 5)
        )
        if with_local_units:
            rows += [("local_units", code, name, g, "All", v + 5) for g, v in by_group.items()]
            rows.append(
                (
                    "local_units",
                    code,
                    name,
                    "Total",
                    "All",
                    sum(by_group.values()) + 5 * len(by_group),
                )
            )
    df = pd.DataFrame(
        rows,
        columns=["measure", "geography_code", "geography_name", "industry", "breakdown", "value"],
    )
    return tidy(
        **{c: df[c].to_numpy() for c in df.columns},
        period="2025",
        year=2025,
        dataset="ons_uk_business",
    )


def norm(df):
    return df[[*KEY, "geography_name", "value"]].sort_values(KEY).reset_index(drop=True)


def test_round_trip(tmp_path):
    before = obs()
    path = write_uk_business(before, tmp_path / "ukbusinessworkbook2025-demo.xlsx")
    assert isinstance(detect(path), UKBusinessCounts)
    after = detect(path).parse(path)
    pd.testing.assert_frame_equal(norm(before), norm(after), check_dtype=False)
    assert after.status.isna().all() and set(after.period) == {"2025"}


def test_layout(tmp_path):
    path = write_uk_business(obs(with_local_units=False), tmp_path / "ukbusinessworkbook2025.xlsx")
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["Cover sheet ", "Notes", "Table 1", "Table 10 "]
    t10 = book.get_sheet_by_name("Table 10 ").to_python()
    assert t10[4][1:] == [*BANDS, "Total"]
    assert t10[5][0] == "K02000001 : UNITED KINGDOM"
    assert LABEL in t10[0][0]
    t1 = book.get_sheet_by_name("Table 1").to_python()
    assert t1[3][1] == "01-03 : Agriculture, forestry & fishing"
    assert np.isclose(t1[4][-1], sum(5 * (i + 1) * 4 for i in range(len(BROAD_GROUPS))))


def test_requires_tables_1_and_10(tmp_path):
    df = obs()
    with pytest.raises(ValueError, match="Tables 1 and 10 need measures"):
        write_uk_business(
            df[df.measure != "enterprises_by_employment"], tmp_path / "ukbusinessworkbook2025.xlsx"
        )
