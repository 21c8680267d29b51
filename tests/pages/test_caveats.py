"""Caveats are declared once (lis_analysis/data/caveats.yaml), cited by id from the
registry and the analyses, and docs/assumptions.md says the same (it is generated)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lis_analysis.analyses.declared import (
    caveat_ids_sorted,
    caveats_markdown,
    load_analyses,
    load_caveats,
)
from lis_analysis.errors import ConfigError
from lis_analysis.indicators import load_registry

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_docs_assumptions_is_the_caveats_log():
    """docs/assumptions.md is written from the YAML by `make docs`; edit the YAML."""
    assert (DOCS / "assumptions.md").read_text(encoding="utf-8") == caveats_markdown(), (
        "docs/assumptions.md is out of date: run `make docs`"
    )


def test_the_log_keeps_its_ids_in_order():
    log = load_caveats()
    assert list(log) == [f"A{i}" for i in range(1, len(log) + 1)]
    assert log["A7"].title == "Current prices include inflation"
    assert all(c.text and "  " not in c.text for c in log.values())


def test_every_cited_id_is_in_the_log():
    log = load_caveats()
    cited = {(i.id, c) for i in load_registry().values() for c in i.caveats}
    cited |= {(a.name, c) for a in load_analyses().values() for c in a.caveats}
    assert {c for _, c in cited} <= set(log), sorted(x for x in cited if x[1] not in log)
    # every entry is cited by something, or is printed on the demonstrator's pages
    assert set(log) - {c for _, c in cited} == {c.id for c in log.values() if c.demonstrator}
    assert [c.id for c in log.values() if c.demonstrator] == ["A13"]


def test_caveat_ids_sort_in_the_logs_order_and_unknown_ids_fail():
    assert caveat_ids_sorted({"A12", "A2", "A10"}) == ["A2", "A10", "A12"]
    with pytest.raises(ConfigError, match="A99 are not in caveats.yaml"):
        caveat_ids_sorted({"A99"})


def test_no_page_code_reads_docs():
    """docs/ is documentation, not an input: no module of the package opens it."""
    package = Path(__file__).resolve().parents[2] / "lis_analysis"
    for f in package.rglob("*.py"):
        text = f.read_text(encoding="utf-8")
        assert 'assumptions.md"' not in text and "paths().docs" not in text, f
