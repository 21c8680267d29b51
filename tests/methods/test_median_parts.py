"""The median bracket and the mixture median: hand-worked cases, edges and errors, and
a rebuild of a published ASHE median from its parts (same file, same sheet)."""

from __future__ import annotations

import math

import pytest

from lis_analysis.methods import InsufficientData, MethodError
from lis_analysis.methods.parts import median_bracket, mixture_median


class TestBracket:
    def test_low_and_high(self):
        assert median_bracket({"a": 3.0, "b": 1.0, "c": 2.0}) == (1.0, 3.0)

    def test_a_missing_part_is_refused(self):
        with pytest.raises(MethodError, match="no median for b"):
            median_bracket({"a": 3.0, "b": float("nan")})

    def test_empty(self):
        with pytest.raises(InsufficientData):
            median_bracket({})


class TestMixture:
    def test_two_overlapping_uniforms(self):
        # U[0,100] and U[50,150], equal weight: F(75) = (0.75 + 0.25)/2 = 0.5
        a = {p: float(p) for p in (10, 50, 90)}
        b = {p: 50.0 + p for p in (10, 50, 90)}
        assert mixture_median({"a": a, "b": b}, {"a": 1, "b": 1}) == pytest.approx(75.0)

    def test_unequal_weights_by_hand(self):
        # a: F_a(x) = x/100 on [10, 90]; b: F_b(x) = (x - 20)/100 on [30, 110].
        # weights 3:1 -> F(x) = 0.75 x/100 + 0.25 (x - 20)/100 = (x - 5)/100; F = 0.5 at 55
        a = {10: 10.0, 50: 50.0, 90: 90.0}
        b = {10: 30.0, 50: 70.0, 90: 110.0}
        assert mixture_median({"a": a, "b": b}, {"a": 3, "b": 1}) == pytest.approx(55.0)

    def test_one_part_gives_its_own_median(self):
        a = {10: 1.0, 25: 2.0, 50: 7.0, 75: 9.0, 90: 12.0}
        assert mixture_median({"a": a}, {"a": 5}) == pytest.approx(7.0)

    def test_suppressed_percentiles_are_left_out(self):
        a = {10: float("nan"), 40: 40.0, 50: 50.0, 60: 60.0, 90: float("nan")}
        b = {10: 10.0, 40: 40.0, 50: 50.0, 60: 60.0, 90: 90.0}
        assert mixture_median({"a": a, "b": b}, {"a": 1, "b": 1}) == pytest.approx(50.0)

    def test_no_common_range(self):
        a = {10: 1.0, 90: 2.0}
        b = {10: 5.0, 90: 6.0}
        with pytest.raises(InsufficientData, match="common range"):
            mixture_median({"a": a, "b": b}, {"a": 1, "b": 1})

    def test_half_way_outside_the_covered_range(self):
        # only the bottom fifth of each is published: F is at most 0.2 where both are known
        a = {10: 1.0, 20: 2.0}
        b = {10: 1.5, 20: 2.5}
        with pytest.raises(InsufficientData, match="outside the range"):
            mixture_median({"a": a, "b": b}, {"a": 1, "b": 1})

    def test_errors(self):
        a = {10: 1.0, 50: 2.0}
        with pytest.raises(MethodError, match="differ"):
            mixture_median({"a": a}, {"b": 1})
        with pytest.raises(MethodError, match="non-negative"):
            mixture_median({"a": a}, {"a": -1})
        with pytest.raises(MethodError, match="not increasing"):
            mixture_median({"a": {10: 2.0, 50: 1.0}}, {"a": 1})
        with pytest.raises(InsufficientData, match="fewer than two"):
            mixture_median({"a": {50: 2.0}}, {"a": 1})


@pytest.mark.shared
def test_rebuilds_the_east_midlands_median_from_its_parts(public_file):
    """ASHE Table 7.1a 2024 (provisional), sheet All: East Midlands (row 81) prints a
    median of £565.1 (cell D81). Its parts in the same sheet, four counties and six
    unitaries (rows 82-87, 88, 97, 105, 113), printed with jobs (column C), the median
    (D) and deciles and quartiles (H-Q): their jobs-weighted mixture must give the
    region's median to within 0.5%."""
    import python_calamine as pc

    path = public_file("earnings/PROV - Work Geography Table 7.1a   Weekly pay - Gross 2024.xlsx")
    rows = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("All").to_python()
    by_code = {str(r[1]).strip(): r for r in rows}
    pcts = (10, 20, 25, 30, 40, 60, 70, 75, 80, 90)
    parts = ["E06000015", "E06000016", "E06000061", "E06000018", "E06000017", "E06000062",
             "E10000007", "E10000018", "E10000019", "E10000024"]  # fmt: skip
    per, jobs = {}, {}
    for c in parts:
        r = by_code[c]
        per[c] = {50: float(r[3])} | {
            p: (float(v) if isinstance(v, float) else math.nan)
            for p, v in zip(pcts, r[7:17], strict=True)
        }
        jobs[c] = float(r[2])
    published = float(by_code["E12000004"][3])
    assert published == 565.1  # cell D81
    est = mixture_median(per, jobs)
    assert abs(est / published - 1) < 0.005
