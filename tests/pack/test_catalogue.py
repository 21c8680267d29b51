"""notebooks/pack.yaml: the repository's catalogue, and errors that name the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from lis_analysis.errors import ConfigError
from lis_analysis.pack.catalogue import DEFAULT_WARM, load_catalogue


def test_catalogue_of_the_repository_lists_ten_notebooks_with_files():
    root = Path(__file__).resolve().parents[2]
    cat = load_catalogue(root / "notebooks" / "pack.yaml")
    assert [n.name for n in cat.notebooks] == [
        "00_overview",
        "10_ideas",
        "11_people",
        "12_infrastructure",
        "13_business_environment",
        "14_places",
        "20_call_for_evidence",
        "30_priorities",
        "40_consultation",
        "90_sources_and_methods",
    ]
    for spec in cat.notebooks:
        assert cat.source(spec).exists()
        assert spec.title and spec.description
    assert cat.select(["11"])[0].name == "11_people"
    with pytest.raises(ConfigError, match="not a notebook of the pack"):
        cat.select(["99_nothing"])
    with pytest.raises(ConfigError, match="matches several"):
        cat.select(["1"])


@pytest.mark.parametrize(
    "body, message",
    [
        ("notebooks: [{name: a, title: A, colour: red}]", "unknown key"),
        ("notebooks: [{name: a, datasets: 3}]", "'datasets' must be a list"),
        ("notebooks: [{name: a}, {name: a}]", "listed twice"),
        ("notebooks: [{name: 'a b'}]", "only letters"),
        ("nothing: here", "'notebooks:' list"),
    ],
)
def test_catalogue_errors_name_the_problem(tmp_path, body, message):
    path = tmp_path / "pack.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_catalogue(path)


def test_warm_ups_of_the_repository_name_functions_that_exist():
    """``warm:`` entries are imported by the kernel template, where a failure is silent
    (it only costs speed): check here that each names a real function."""
    import importlib

    root = Path(__file__).resolve().parents[2]
    cat = load_catalogue(root / "notebooks" / "pack.yaml")
    assert DEFAULT_WARM in cat.warm
    for target in cat.warm:
        module, _, attr = target.partition(":")
        assert callable(getattr(importlib.import_module(module), attr)), target
