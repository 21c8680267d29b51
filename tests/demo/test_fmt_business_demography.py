"""Round trip of the Business Demography demonstrator writer through its parser."""

from __future__ import annotations

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from lis_analysis.demo.fmt_business_demography import write_business_demography
from lis_analysis.demo.world import LABEL
from lis_analysis.sources import detect
from lis_analysis.sources._base import geography_level, tidy
from lis_analysis.sources.business_demography import BusinessDemography

AREAS = [
    ("K02000001", "UNITED KINGDOM"),
    ("E12000004", "EAST MIDLANDS"),
    ("E10000018", "Leicestershire"),
    ("E06000016", "Leicester"),
    ("E07000129", "Blaby"),
]
KEY = ["geography_code", "measure", "period"]


def obs():
    rows = []
    for k, (code, name) in enumerate(AREAS):
        scale = 10 ** (4 - k) if k < 3 else 100 * (6 - k)
        for y in range(2019, 2025):
            births = 20 * scale + 5 * (y - 2019)
            rows += [
                ("births", code, name, y, float(births), None),
                ("deaths", code, name, y, float(18 * scale), None),
                ("active", code, name, y, float(150 * scale + y - 2019), None),
                ("high_growth", code, name, y, float(scale), None),
                ("active_10plus", code, name, y, float(12 * scale), None),
            ]
            if y in (2019, 2023):
                for n in range(1, 6):
                    reached = y + n <= 2024
                    survivors = float(births - 5 * n * k) if reached else np.nan
                    rows.append(
                        (f"survival_{n}yr", code, name, y, survivors, None if reached else ":")
                    )
                    rate = survivors / births * 100 if reached else np.nan
                    rows.append(
                        (f"survival_rate_{n}yr", code, name, y, rate, None if reached else ":")
                    )
        for m, v in (("employer_births", 3), ("employer_deaths", 2), ("employer_active", 40)):
            rows.append((m, code, name, 2024, float(v * scale), None))
    df = pd.DataFrame(
        rows, columns=["measure", "geography_code", "geography_name", "year", "value", "status"]
    )
    return tidy(
        **{c: df[c].to_numpy() for c in df.columns},
        period=df.year.astype(str).to_numpy(),
        geography_level=df.geography_code.map(geography_level).to_numpy(),
        industry="Total",
        breakdown="All",
        dataset="ons_business_demography",
    )


def norm(df):
    cols = [*KEY, "geography_name", "value", "status"]
    return df[cols].astype({"status": "object"}).sort_values(KEY).reset_index(drop=True)


def test_round_trip(tmp_path):
    before = obs()
    path = write_business_demography(before, tmp_path / "businessdemographyexceltables2024.xlsx")
    parser = detect(path)
    assert isinstance(parser, BusinessDemography)
    after = parser.parse(path)
    a, b = norm(before), norm(after)
    pd.testing.assert_frame_equal(a[[*KEY, "geography_name"]], b[[*KEY, "geography_name"]])
    assert np.allclose(a.value, b.value, equal_nan=True, rtol=1e-12, atol=0)
    assert a.status.fillna("").tolist() == b.status.fillna("").tolist()
    assert after.attrs["warnings"] == []  # survival births agree with the births tables


def test_layout(tmp_path):
    path = write_business_demography(obs(), tmp_path / "businessdemographyexceltables2024.xlsx")
    book = CalamineWorkbook.from_path(str(path))
    names = book.sheet_names
    # Years split as ONS does: a 2019, b 2020, c 2021-2023, d 2024; one survival sheet per cohort.
    assert {
        "Table 1.1a",
        "Table 1.1b",
        "Table 1.1c",
        "Table 1.1d",
        "Table 5.1a",
        "Table 5.1b",
        "Table 6.1",
    } <= set(names)
    c = book.get_sheet_by_name("Table 3.1c").to_python()
    assert c[3][2:5] == ["2021", 2022.0, 2023.0]  # first year printed as text
    assert c[4][0] == "K02000001 "  # trailing space on codes in the multi-year sheets
    assert LABEL in c[0][0]
