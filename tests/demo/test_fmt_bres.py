"""Round trips of the Nomis BRES demonstrator writer through its parser."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lis_analysis.demo.fmt_bres import industry_label, write_bres
from lis_analysis.demo.world import LABEL
from lis_analysis.sources import detect
from lis_analysis.sources._base import tidy
from lis_analysis.sources.bres import NomisBRES

COLS = [
    "measure",
    "geography_code",
    "geography_name",
    "industry",
    "breakdown",
    "period",
    "value",
    "status",
]
AREAS = [("E06000016", "Leicester"), ("E07000129", "Blaby"), ("E07999001", "Quillmarsh")]
INDUSTRIES = ["BIG03", "BIG10", "C", "J", "10", "77"]


def obs(years=(2022, 2023), statuses=("Employees", "Employment")):
    rows = []
    for k, (code, name) in enumerate(AREAS):
        for y in years:
            for s, st in enumerate(statuses):
                for j, ind in enumerate(INDUSTRIES):
                    rows.append(
                        (
                            code,
                            name,
                            ind,
                            st,
                            y,
                            float(5 * (100 * k + 40 * j + 7 * s + (y - 2022) + 1)),
                        )
                    )
    df = pd.DataFrame(
        rows, columns=["geography_code", "geography_name", "industry", "breakdown", "year", "value"]
    )
    return tidy(
        measure="employment",
        **{c: df[c].to_numpy() for c in df.columns},
        period=df.year.astype(str).to_numpy(),
    )


def norm(df):
    return df[COLS].sort_values(COLS[:6]).reset_index(drop=True)


def test_round_trip_with_markers(tmp_path):
    src = obs()
    flag = (src.geography_code == "E07000129") & (src.industry == "C") & (src.year == 2023)
    src.loc[flag, "value"] = np.nan
    src.loc[flag, "status"] = "!"
    blank = (
        (src.geography_code == "E06000016")
        & (src.industry == "77")
        & (src.year == 2022)
        & (src.breakdown == "Employment")
    )
    src.loc[blank, "value"] = np.nan
    src.loc[blank, "status"] = "blank"
    path = write_bres(src, tmp_path / "nomis_bres_lad-demo.csv")
    assert isinstance(detect(path), NomisBRES)
    back = NomisBRES().parse(path)
    pd.testing.assert_frame_equal(norm(back), norm(src))
    assert set(back.geography_level) == {"lad"}
    text = path.read_text(encoding="utf-8")
    assert LABEL in text.splitlines()[2]  # the title block says the data are synthetic
    assert '"Leicester","E06000016",' in text  # names and codes (Nomis 'mnemonic') recoverable
    assert back.attrs["metadata"]["nomis_bres"]["industries"]["BIG03"] == "3 : Manufacturing (C)"


def test_labels():
    assert industry_label("C") == "C : Manufacturing"
    assert industry_label("BIG10") == "10 : Information & communication (J)"
    assert industry_label("62", {"62": "62 : Computer programming"}) == "62 : Computer programming"
    with pytest.raises(ValueError, match="not a BRES section"):
        industry_label("C (10-33)")
