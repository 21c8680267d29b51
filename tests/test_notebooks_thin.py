"""Notebooks stay thin: narrative, one parameters cell, calls into the package."""

from __future__ import annotations

import ast
from pathlib import Path

import jupytext
import pytest
import yaml

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
SOURCES = sorted(NOTEBOOKS.glob("*.py"))
EXPECTED = [
    "00_overview", "10_ideas", "11_people", "12_infrastructure", "13_business_environment",
    "14_places", "20_call_for_evidence", "30_priorities", "40_consultation", "90_sources_and_methods",
]  # fmt: skip


def test_the_ten_notebooks_exist_and_are_in_the_pack():
    assert [p.stem for p in SOURCES] == EXPECTED
    pack = yaml.safe_load((NOTEBOOKS / "pack.yaml").read_text())
    assert [n["name"] for n in pack["notebooks"]] == EXPECTED


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_notebook_is_thin(path):
    nb = jupytext.read(path)
    code = [c for c in nb.cells if c.cell_type == "code"]
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, "exactly one parameters cell"
    for line in params[0].source.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            assert ":" in line.split("=")[0] and "#" in line, (
                f"parameters must be typed and commented: {line}"
            )
    for cell in code:
        tree = ast.parse(cell.source)
        if cell in params:  # typed parameters: annotations use list[str], str | None
            assert all(isinstance(n, ast.AnnAssign) for n in tree.body), (
                "parameters cell holds only typed assignments"
            )
            continue
        for node in ast.walk(tree):
            assert not isinstance(
                node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
            ), "no def/class/lambda"
            assert not isinstance(
                node,
                (ast.For, ast.While, ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp),
            ), "no wrangling loops"
            if isinstance(node, ast.Subscript):
                raise AssertionError("no indexing/wrangling in notebooks: call the package")
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names]
                assert names == ["lis_analysis"], f"notebooks import only lis_analysis, not {names}"
    headings = [
        line
        for c in nb.cells
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("#")
    ]
    assert headings[0].startswith("# "), "the page title is the first heading"
    for section in ("## The question", "## Caveats", "## Provenance"):
        assert section in headings, section


#: What each page shows: its foundation(s) and any other indicators it draws on.
SHOWS = {
    "00_overview": (["Productivity"], ["employment_rate", "working_age_share", "population"]),
    "10_ideas": (["Ideas"], ["gva_total"]),
    "11_people": (["People"], []),
    "12_infrastructure": (["Infrastructure"], []),
    "13_business_environment": (["Business Environment"], ["gva_total"]),
    "14_places": (
        ["Places"],
        [
            "gva_per_hour",
            "gva_per_head",
            "employment_rate",
            "median_pay_residence",
            "imd_score",
            "population",
        ],
    ),
}


def _datasets_of(indicator_ids):
    from lis_analysis.indicators import load_registry
    from lis_analysis.sources import measure

    reg = load_registry()
    out = set()
    todo = list(indicator_ids)
    while todo:
        ind = reg[todo.pop()]
        for ref in (*ind.sources, *ind.numerator, *ind.denominator):
            out.add(ref.dataset)
            den = measure(ref.dataset, ref.measure).denominator
            if den:
                out.add(den.split(":", 1)[0] if ":" in den else ref.dataset)
        todo += [i for i in (ind.of, ind.minus) if i]
    return out


@pytest.mark.parametrize("name", sorted(SHOWS))
def test_pack_declares_every_dataset_a_page_reads(name):
    """A changed file must re-run every page it affects (the pipeline's cache keys on
    the datasets a notebook declares in pack.yaml)."""
    from lis_analysis.indicators import load_registry

    reg = load_registry()
    foundations, extra = SHOWS[name]
    ids = [i for i, ind in reg.items() if ind.group in foundations] + extra
    ids += [
        i for i, ind in reg.items() if ind.neighbour_characteristic
    ]  # neighbours' median is shown
    pack = {
        n["name"]: n for n in yaml.safe_load((NOTEBOOKS / "pack.yaml").read_text())["notebooks"]
    }
    declared = set(pack[name]["datasets"])
    if "*" in declared:
        return
    missing = _datasets_of(ids) - declared
    assert not missing, f"{name} must declare {sorted(missing)} in notebooks/pack.yaml"
