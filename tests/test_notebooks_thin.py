"""Notebooks stay thin: narrative, one parameters cell, calls into the package."""

from __future__ import annotations

import ast
import re
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


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_notebook_opens_the_page_and_names_no_caveat_ids(path):
    """Notebooks name indicators and analyses; the page gathers their caveats."""
    nb = jupytext.read(path)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    tree = ast.parse(code)
    opened = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "page"
    ]
    assert len(opened) == 1, "the notebook opens its page once, with lis.page(...)"
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert not re.fullmatch(r"A\d+", node.value), f"caveat id {node.value} in a notebook"
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "caveats":
            assert not node.args and not node.keywords, "pg.caveats() takes no ids"
