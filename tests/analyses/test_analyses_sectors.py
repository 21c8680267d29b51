"""Sector specialisms at the finest level published and the IS-8 profile
(lis_analysis.analyses.sectors), worked by hand on a small economy; the industry
partition and the SIC -> IS-8 mapping (lis_analysis.industries); the opportunity score's
size floor and shrinkage (lis_analysis.priorities)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lis_analysis.analyses.sectors import (
    NOT_AT_THIS_LEVEL,
    NOT_MEASURABLE,
    PARTLY,
    is8_profile,
    sector_profile,
    specialisms,
)
from lis_analysis.errors import ConfigError, DataNotAvailable
from lis_analysis.industries import (
    divisions,
    finest_partition,
    load_is8,
    measure_codes,
    regroup_divisions,
)
from tests.analyses.economy import D1, D2, D3, D4, X, make_context, rows

K, F41, F42, F43, L68, IMP, P = "K (64-66)", "41", "42", "43", "68", "68IMP", "P (85)"
SECTIONS = {"F (41-43)": (F41, F42, F43), "L (68)": (L68, IMP)}


def current(year: int = 2023) -> pd.DataFrame:
    """Current-price GVA (£m) by industry; sections F and L are printed with their finer
    rows (41, 42, 43; 68 and imputed rent), K and P whole.

    district  K   41  42  43  68  68IMP  P
    D1        10  30  0   10  5   20     5
    D2        10  0   10  10  5   20     25
    D3        80  10  10  20  20  50     60
    D4        80  10  10  20  20  50     60
    Area (D1+D2), less imputed rent: K 20, 41 30, 42 10, 43 20, 68 10, P 30 = 120.
    Nation (all four): K 180, 41 50, 42 30, 43 60, 68 50, P 150 = 520."""
    table = {
        D1: (10, 30, 0, 10, 5, 20, 5),
        D2: (10, 0, 10, 10, 5, 20, 25),
        D3: (80, 10, 10, 20, 20, 50, 60),
        D4: (80, 10, 10, 20, 20, 50, 60),
    }
    cells = {}
    for code, (k, f1, f2, f3, l1, imp, p) in table.items():
        cells |= {
            (code, year, K): k, (code, year, F41): f1, (code, year, F42): f2,
            (code, year, F43): f3, (code, year, "F (41-43)"): f1 + f2 + f3,
            (code, year, L68): l1, (code, year, IMP): imp, (code, year, "L (68)"): l1 + imp,
            (code, year, P): p, (code, year, "Total"): k + f1 + f2 + f3 + l1 + imp + p,
        }  # fmt: skip
    return rows("ons_gva_industry_lad", "gva_current", cells)


def real() -> pd.DataFrame:
    """Chained-volume GVA: construction of buildings (41) grows from 20 to 30 in the area
    (D1 20 -> 30, D2 0) and from 35 to 50 in the nation (D3 5 -> 10, D4 10) over
    2018-2023; everything else flat at its 2023 current-price value."""
    cells = {}
    base = current().set_index(["geography_code", "industry"])["value"]
    for (code, ind), v in base.items():
        cells[(code, 2023, ind)] = v
        cells[(code, 2018, ind)] = v
    cells[(D1, 2018, F41)] = 20.0  # D1: 20 -> 30
    cells[(D3, 2018, F41)] = 5.0
    return rows("ons_gva_industry_lad", "gva_cvm", cells)


def test_partition_labels_and_divisions():
    labels = ["Total", "A-E", "K (64-66)", "F (41-43)", "41", "42", "43", "L (68)", "68IMP", "68"]
    assert finest_partition(labels) == ["41", "42", "43", "K (64-66)", "68"]
    # a section whose finer rows do not cover it stays whole
    assert finest_partition(["F (41-43)", "41", "42"]) == ["F (41-43)"]
    # overlapping finer rows are not a partition
    assert finest_partition(["M (69-75)", "69-71", "71", "72-75"]) == ["M (69-75)"]
    assert sorted(divisions("CA-CB (10-15)")) == [10, 11, 12, 13, 14, 15]
    assert divisions("41 : Construction of buildings") == {41}
    assert divisions("Total") is None and divisions("68IMP") is None and divisions("C") is None
    emp = pd.Series({"41": 3.0, "42": 2.0, "43": 5.0, "64": 1.0, "65": 1.0, "66": np.nan})
    got = regroup_divisions(emp, ["F (41-43)", "K (64-66)", "41"])
    assert got.to_dict() == {"F (41-43)": 10.0, "41": 3.0}  # K has a missing division


def test_sector_profile_by_hand():
    prof = sector_profile(X, make_context(current(), real())).set_index("industry")
    assert list(prof.index) == ["41", "42", "43", "K (64-66)", "68", "P (85)"]
    assert IMP not in prof.index  # imputed rent left out
    # shares of GVA less imputed rent: 41 = 30/120 = 25%; nation 50/520
    assert prof.loc[F41, "share"] == pytest.approx(25.0)
    assert prof.loc[F41, "benchmark_share"] == pytest.approx(100 * 50 / 520)
    assert prof.loc[F41, "lq"] == pytest.approx((30 / 120) / (50 / 520))
    assert prof.loc[K, "lq"] == pytest.approx((20 / 120) / (180 / 520))
    # real growth of 41: the area 20 -> 30 over 5 years; the nation 20+0+5+10 = 35 -> 50
    assert prof.loc[F41, "growth"] == pytest.approx(100 * ((30 / 20) ** 0.2 - 1))
    assert prof.loc[F41, "national_growth"] == pytest.approx(100 * ((50 / 35) ** 0.2 - 1))
    assert prof.loc[F41, "growth_gap"] == pytest.approx(
        prof.loc[F41, "growth"] - prof.loc[F41, "national_growth"]
    )
    assert prof.loc[K, "growth"] == pytest.approx(0.0)
    # where: district One holds all of the area's 41 (LQ (30/60)/(50/520) = 5.2)
    lqs = prof.loc[F41, "district_lqs"]
    assert lqs["One"] == pytest.approx((30 / 60) / (50 / 520))
    assert lqs["Two"] == 0.0
    assert prof.loc[F41, "where"] == f"One {(30 / 60) / (50 / 520):.2f} (100%)"
    assert prof.attrs["benchmark_name"] == "the UK" and prof.attrs["year"] == 2023
    assert prof.attrs["excluded"] == ["68IMP"] and "industries" in prof.attrs["level"]
    # no BRES: no productivity, and the profile says so by NaN
    assert prof["productivity"].isna().all() and prof.attrs["employment_year"] is None


def test_sector_profile_productivity_with_bres_divisions():
    """BRES employment by division summed into the groups: the area 41 has 30 jobs per
    £m... GVA per job 30/10 in the area against 50/50 in the nation = 300 (nation = 100)."""
    cells = {}
    for code, jobs in ((D1, 10), (D2, 0), (D3, 20), (D4, 20)):
        cells[(code, 2023, "41")] = jobs
    for code in (D1, D2, D3, D4):
        for div in ("42", "43", "64", "65", "66", "68", "85"):
            cells[(code, 2023, div)] = 10
    emp = rows("nomis_bres", "employment", cells, breakdown="Employment")
    prof = sector_profile(X, make_context(current(), real(), emp)).set_index("industry")
    assert prof.loc[F41, "employment"] == 10
    assert prof.loc[F41, "productivity"] == pytest.approx(100 * (30 / 10) / (50 / 50))
    assert prof.loc[K, "employment"] == 60  # three divisions, two districts
    assert prof.attrs["employment_year"] == 2023


def test_specialisms_need_size_and_lq():
    prof = sector_profile(X, make_context(current(), real()))
    sp = specialisms(prof, min_lq=1.25, min_share=1.0)
    # LQs: 41 2.60, 43 1.44, 42 1.44, 68 0.87, P 0.87, K 0.48 -> 41, then 42 and 43
    assert list(sp["industry"])[0] == "41" and set(sp["industry"]) == {"41", "42", "43"}
    assert (sp["lq"] >= 1.25).all() and (sp["share"] >= 1.0).all()
    assert list(sp["lq"]) == sorted(sp["lq"], reverse=True)
    assert specialisms(prof, min_share=30.0).empty  # no industry holds 30% of the GVA


def test_sector_profile_without_gva_by_industry_says_why():
    ctx = make_context(rows("ons_productivity_lad", "hours_weekly", {(D1, 2022): 1}))
    with pytest.raises(DataNotAvailable, match="GVA by industry"):
        sector_profile(X, ctx)


# ---------------------------------------------------------------------------------- IS-8


def test_is8_mapping_is_data_versioned_by_sic_edition():
    m = load_is8("SIC 2007")
    names = [s.name for s in m.sectors]
    assert names == [
        "Advanced Manufacturing", "Clean Energy Industries", "Creative Industries", "Defence",
        "Digital and Technologies", "Financial Services", "Life Sciences",
        "Professional and Business Services",
    ]  # fmt: skip
    by = {s.name: s for s in m.sectors}
    assert by["Financial Services"].core == {
        "64": "Financial service activities except insurance and pension funding",
        "65": "Insurance reinsurance and pension funding except compulsory social security",
        "66": "Activities auxiliary to financial services and insurance activities",
    }
    assert (
        by["Clean Energy Industries"].core == {}
        and by["Clean Energy Industries"].frontier["Hydrogen"] == ()
    )
    assert by["Advanced Manufacturing"].frontier["Aerospace manufacturing"] == ("303", "3316")
    cov = {s.name: s.coverage for s in m.sectors}
    assert {n for n, c in cov.items() if c == "well defined"} == {
        "Creative Industries", "Financial Services", "Professional and Business Services"
    }  # fmt: skip
    assert {n for n, c in cov.items() if c == "not easily represented"} == {
        "Clean Energy Industries", "Defence", "Life Sciences"
    }  # fmt: skip
    assert m.foundational["Construction"] == ("41", "42", "43")
    # every row of the transcription (130 rows under its header) is in the mapping
    n_codes = sum(len(s.core) + sum(max(1, len(c)) for c in s.frontier.values()) for s in m.sectors)
    n_codes += sum(max(1, len(c)) for c in m.foundational.values())
    assert n_codes == 130
    with pytest.raises(ConfigError, match="UK SIC 2026 needs its own mapping"):
        load_is8("SIC 2026")


def test_measure_codes_by_hand():
    groups = ["CD-CG (19-23)", "CI-CL (26-30)", "58-60", "61-63", "K (64-66)", "69", "72-75"]
    fin = measure_codes(["64", "65", "66"], groups)
    assert fin.groups == ("K (64-66)",) and fin.exact and fin.left_out == ()
    # 4 of CI-CL's 5 divisions are Advanced Manufacturing's: used, wider by 29; 20 is 1 of
    # CD-CG's 5: left out
    am = measure_codes(["20", "26", "27", "28", "30"], groups)
    assert am.groups == ("CI-CL (26-30)",) and am.wider == (29,) and am.left_out == ("20",)
    assert not am.exact
    # 3- to 5-digit codes cannot be isolated from 2-digit groups
    ls = measure_codes(["21", "266", "325", "7211"], groups)
    assert ls.groups == () and ls.left_out == ("21", "266", "325", "7211")
    # a part of a division counted whole is not left out
    assert measure_codes(["58", "59", "60", "5821"], groups).left_out == ()


def test_is8_profile_by_hand():
    prof = is8_profile(X, make_context(current(), real())).set_index("sector")
    fin = prof.loc["Financial Services"]
    assert fin["status"] == "measured" and fin["exact"] and fin["groups"] == "K (64-66)"
    assert fin["gva"] == 20 and fin["share"] == pytest.approx(100 * 20 / 120)
    assert fin["lq"] == pytest.approx((20 / 120) / (180 / 520))
    assert fin["reading"] == "under-represented"  # LQ 0.48
    assert fin["approximation"] == "exact: K (64-66)"
    con = prof.loc["Construction"]
    assert con["tier"] == "foundational" and con["exact"] and con["groups"] == "41, 42, 43"
    assert con["lq"] == pytest.approx((60 / 120) / (140 / 520))
    assert con["reading"] == "specialism"
    # real growth of the groups' sum: 41+42+43 in the area 20+10+20 = 50 -> 60
    assert con["growth"] == pytest.approx(100 * ((60 / 50) ** 0.2 - 1))
    # sectors SIC cannot measure: never weak
    assert prof.loc["Clean Energy Industries", "reading"] == NOT_MEASURABLE
    assert prof.loc["Defence", "reading"] == NOT_MEASURABLE
    assert prof.loc["Life Sciences", "reading"] == NOT_MEASURABLE
    assert np.isnan(prof.loc["Defence", "lq"])
    # a "well defined" sector whose groups are not loaded here: not at this level
    assert prof.loc["Professional and Business Services", "reading"] == NOT_AT_THIS_LEVEL
    assert not prof["reading"].str.contains("weak").any()
    fr = prof.attrs["frontier"]
    assert set(fr.columns) == {"sector", "frontier industry", "SIC codes", "measurable here"}
    assert (fr.loc[fr["SIC codes"] == "none", "measurable here"] == NOT_MEASURABLE).all()


def test_is8_sectors_overlap_and_are_never_summed():
    """Publishing, film and broadcasting (58-60) is in Creative Industries and in Digital
    and Technologies: both rows count it, and the profile says so instead of a total."""
    cells = {}
    for code in (D1, D2, D3, D4):
        for ind, v in (("J (58-63)", 30), ("58-60", 10), ("61-63", 20), ("K (64-66)", 70)):
            cells[(code, 2023, ind)] = v
    ctx = make_context(rows("ons_gva_industry_lad", "gva_current", cells))
    prof = is8_profile(X, ctx).set_index("sector")
    assert prof.attrs["overlaps"] == {"58-60": ["Creative Industries", "Digital and Technologies"]}
    assert prof.loc["Creative Industries", "gva"] == 20
    assert prof.loc["Digital and Technologies", "gva"] == 60
    # Creative Industries: 58-60 holds 3 of its 12 core codes: shown, but not judged
    assert prof.loc["Creative Industries", "reading"] == PARTLY
    assert "Total" not in prof.index and "All sectors" not in prof.index


def test_opportunity_score_cannot_crown_a_tiny_industry():
    """Two industries with the same growth: a tiny one (0.5% of GVA) with LQ 4 and a large
    one (10%) with LQ 2. On raw LQ the tiny one leads; shrunk toward 1 by share / (share +
    2%), its LQ is 1 + 0.2 x 3 = 1.6 against 1 + 0.833 x 1 = 1.83, and the floor (1%)
    leaves it out anyway."""
    from lis_analysis.priorities import Weights, sector_scores, shrink

    inputs = pd.DataFrame(
        {
            "industry": ["tiny", "big", "mid", "low"],
            "name": ["Tiny", "Big", "Mid", "Low"],
            "gva": [5.0, 100.0, 50.0, 50.0],
            "share": [0.5, 10.0, 5.0, 5.0],
            "lq": [4.0, 2.0, 1.0, 0.5],
            "growth": [3.0, 3.0, 1.0, 1.0],
            "national_growth": [1.0, 1.0, 1.0, 1.0],
            "productivity": [np.nan] * 4,
        }
    )
    lq = shrink(inputs["lq"], 1.0, inputs["share"], 2.0)
    assert lq.tolist() == pytest.approx([1 + 0.2 * 3, 1 + (10 / 12) * 1, 1.0, 1 - (5 / 7) * 0.5])
    g = shrink(inputs["growth"], inputs["national_growth"], inputs["share"], 2.0)
    assert g[0] == pytest.approx(1 + 0.2 * 2)
    w = Weights({}, {}, {"lq": 1, "growth": 1, "productivity": 1}, 50.0, 1000, 1, "test")
    kept = sector_scores(inputs, w, min_share=0.0)
    assert kept.iloc[0]["name"] == "Big"  # shrinkage alone
    floored = sector_scores(inputs, w)
    assert "Tiny" not in set(floored["name"]) and floored.attrs["min_share"] == 1.0
    assert floored.attrs["criteria"] == ["lq", "growth"]
