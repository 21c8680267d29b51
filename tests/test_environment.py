"""environment.yml names the same runtime dependencies as pyproject.toml, as valid conda specs."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
#: PyPI name -> conda-forge name where they differ.
CONDA_NAMES = {"matplotlib": "matplotlib-base"}


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower()


def test_environment_matches_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    runtime = {CONDA_NAMES.get(_name(d), _name(d)): d for d in project["dependencies"]}
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    assert env["channels"][0] == "conda-forge"
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    names = {_name(d) for d in conda} - {"python", "pip"}
    assert names == set(runtime), names ^ set(runtime)
    # the same lower bounds
    for d in conda:
        n = _name(d)
        if n in runtime:
            lower = re.search(r">=\s*([\w.]+)", runtime[n])
            assert lower and f">={lower.group(1)}" in d.replace(" ", ""), (d, runtime[n])
    pip = next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]
    assert "-e .[dev,cluster]" in pip  # make test installs the same extras


def test_make_installs_the_cluster_extra():
    """The Dask tests run in make test: the Makefile's venv installs the extra."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert {"dask", "distributed"} <= {
        _name(d) for d in project["optional-dependencies"]["cluster"]
    }
    assert "-e '.[dev,cluster]'" in (REPO / "Makefile").read_text()


def test_conda_specs_parse():
    rattler = __import__("pytest").importorskip("rattler")
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    for d in env["dependencies"]:
        if isinstance(d, str):
            rattler.MatchSpec(d)
