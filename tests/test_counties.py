"""The counties' districts (package data) and the finder of an area's published parts."""

from __future__ import annotations

import pytest

from lis_analysis.geography import Area, Geography, fewest_parts, package_counties


class TestFewestParts:
    def test_county_and_unitary(self):
        # L&L's shape: a unitary and a county of seven districts, each district also printed
        members = ["U", *[f"d{i}" for i in range(7)]]
        cands = {m: {m} for m in members} | {"C": {f"d{i}" for i in range(7)}}
        assert fewest_parts(members, cands) == ("C", "U")

    def test_a_candidate_reaching_outside_is_not_used(self):
        cands = {"a": {"a"}, "b": {"b"}, "AX": {"a", "x"}}
        assert fewest_parts(["a", "b"], cands) == ("a", "b")

    def test_not_greedy(self):
        # largest-first would take {b, c} and then need a and d alone (3 parts); two do
        cands = {"BC": {"b", "c"}, "AB": {"a", "b"}, "CD": {"c", "d"}, "a": {"a"}, "d": {"d"}}
        assert fewest_parts(["a", "b", "c", "d"], cands) == ("AB", "CD")

    def test_no_partition(self):
        assert fewest_parts(["a", "b"], {"a": {"a"}}) is None
        assert fewest_parts(["a"], {}) is None


def _geo() -> Geography:
    import pandas as pd

    lk = pd.DataFrame(
        {
            "relation": "lad_to_region",
            "child_code": ["E06000016", "E07000129", "E07000130"],
            "child_name": ["Leicester", "Blaby", "Charnwood"],
            "parent_code": "E12000004",
            "parent_name": "East Midlands",
            "source_file": "x.csv",
        }
    )
    return Geography.build(lk, specs={})


def test_parts_of_an_area_from_published_codes():
    geo = _geo()
    three = Area("X", "Three", "custom", ("E06000016", "E07000129", "E07000130"))
    got = geo.parts(three, ["E06000016", "E07000129", "E07000130", "E12000004"])
    assert [a.code for a in got] == ["E06000016", "E07000129", "E07000130"]
    assert geo.parts(three, ["E06000016", "E07000129"]) is None
    # a county is only an area when all its districts are current ones
    assert "E10000018" not in geo


def test_package_counties_hold_leicestershire():
    name, kids = package_counties()["E10000018"]
    assert name == "Leicestershire"
    assert kids == ("E07000129", "E07000130", "E07000131", "E07000132", "E07000133",
                    "E07000134", "E07000135")  # fmt: skip


@pytest.mark.shared
def test_counties_match_the_ashe_hierarchy(public_file):
    """The package's counties are those printed in ASHE Table 7.1a 2024, sheet All:
    each county row (unindented, code E10/E11) followed by its districts (indented)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "counties_from_ashe",
        Path(__file__).resolve().parents[1] / "tools" / "counties_from_ashe.py",
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    path = public_file("earnings/PROV - Work Geography Table 7.1a   Weekly pay - Gross 2024.xlsx")
    found = mod.counties(path)
    assert {c: tuple(k for k, _ in kids) for c, (_, kids) in found.items()} == {
        c: kids for c, (_, kids) in package_counties().items()
    }
    assert len(found) == 27  # 21 county councils and 6 metropolitan counties
