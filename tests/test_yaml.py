"""The one YAML loader (lis_analysis/_yaml.py): aliases refused, depth, nodes and size
bounded, for files and for text; and every package YAML still reads through it."""

from __future__ import annotations

import time

import pytest
import yaml

from lis_analysis import _yaml
from lis_analysis.config import PACKAGE_DATA, load_params, read_area_specs
from lis_analysis.errors import ConfigError

BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_reads_plain_yaml_from_a_file_and_from_text(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text("area: E37000021\nyears: [2020, 2021]\nnested: {a: {b: [1, {c: d}]}}\n")
    want = {"area": "E37000021", "years": [2020, 2021], "nested": {"a": {"b": [1, {"c": "d"}]}}}
    assert _yaml.load(p) == want
    assert _yaml.load("header of sub001.md", text=p.read_text()) == want


@pytest.mark.parametrize("where", ["file", "text"])
def test_alias_bomb_refused_fast_with_its_line(tmp_path, where):
    assert 400 < len(BOMB) < 1000
    p = tmp_path / "bomb.yaml"
    p.write_text(BOMB)
    t0 = time.perf_counter()
    with pytest.raises(_yaml.YamlProblem) as e:
        _yaml.load(p) if where == "file" else _yaml.load(p, text=BOMB)
    assert time.perf_counter() - t0 < 1
    assert _yaml.describe(e.value) == (
        "line 2: YAML aliases (*a) are not allowed: write the value out in full"
    )
    # callers that catch yaml.YAMLError and read problem / problem_mark keep working
    assert isinstance(e.value, yaml.YAMLError)
    assert e.value.problem_mark.line == 1 and "aliases" in e.value.problem


def test_merge_keys_are_aliases_too():
    with pytest.raises(_yaml.YamlProblem, match=r"aliases \(\*base\)"):
        _yaml.load("x", text="base: &base {a: 1}\nother:\n  <<: *base\n")


@pytest.mark.parametrize(
    "text,problem",
    [
        ("a: " + "[" * 100 + "]" * 100, "nested more than 32 levels deep"),
        ("a: " + "{b: " * 60 + "1" + "}" * 60, "nested more than 32 levels deep"),
        ("x\x00y", r"not a text file \(binary content\)"),
        ("a: " + "x" * (_yaml.MAX_BYTES + 1), "above the limit"),
    ],
    ids=["deep_lists", "deep_mappings", "binary", "too_large"],
)
def test_other_hostile_texts(text, problem):
    with pytest.raises(_yaml.YamlProblem, match=problem):
        _yaml.load("x", text=text)


def test_node_limit(monkeypatch):
    monkeypatch.setattr(_yaml, "MAX_NODES", 50)
    with pytest.raises(_yaml.YamlProblem, match="more than 50 values"):
        _yaml.load("x", text="a: [" + ", ".join(["1"] * 60) + "]")


def test_file_not_utf8_or_too_large(tmp_path):
    p = tmp_path / "b.yaml"
    p.write_bytes(b"\xff\xfe\x00 binary")
    with pytest.raises(_yaml.YamlProblem, match="not a UTF-8 text file"):
        _yaml.load(p)
    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:
        fh.truncate(_yaml.MAX_BYTES + 1)
    with pytest.raises(_yaml.YamlProblem, match="above the limit"):
        _yaml.load(big)


def test_syntax_errors_stay_yaml_errors_with_a_line():
    with pytest.raises(yaml.YAMLError) as e:
        _yaml.load("x", text="a: [1, 2\nb: 3\n")
    assert _yaml.describe(e.value).startswith("line ")


def test_every_package_yaml_reads_through_the_loader():
    for p in sorted(PACKAGE_DATA.glob("*.yaml")):
        assert _yaml.load(p) is not None, p


def test_params_and_areas_files_name_the_file_in_one_line(tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text("area: E37000021\nraw:\n- &a [x, x]\n- [*a, *a]\n")
    with pytest.raises(ConfigError) as e:
        load_params(params)
    assert str(e.value) == (
        f"{params}: cannot read parameters file: line 4: YAML aliases (*a) are not allowed: "
        "write the value out in full"
    )
    areas = tmp_path / "areas.yaml"
    areas.write_text(BOMB + "areas: {X1: {name: *i, level: lad, members: [E06000016]}}\n")
    with pytest.raises(ConfigError) as e:
        read_area_specs(areas)
    assert str(e.value).startswith(f"{areas}: cannot read areas file: line 2: YAML aliases")
    assert "\n" not in str(e.value)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
def test_fast_path_reads_the_same_and_refuses_the_same(tmp_path, monkeypatch):
    """``fast=True`` (libyaml's parser, the same rules checked on its events) gives the same
    documents and the same refusals, with their lines."""
    for p in sorted(PACKAGE_DATA.glob("*.yaml")):
        assert _yaml.load(p, fast=True) == _yaml.load(p), p
    with pytest.raises(_yaml.YamlProblem) as e:
        _yaml.load("bomb.yaml", text=BOMB, fast=True)
    assert _yaml.describe(e.value) == (
        "line 2: YAML aliases (*a) are not allowed: write the value out in full"
    )
    with pytest.raises(_yaml.YamlProblem, match=r"aliases \(\*base\)"):
        _yaml.load("x", text="base: &base {a: 1}\nother:\n  <<: *base\n", fast=True)
    for text in ("a: " + "[" * 100 + "]" * 100, "a: " + "{b: " * 60 + "1" + "}" * 60):
        with pytest.raises(_yaml.YamlProblem, match="nested more than 32 levels deep"):
            _yaml.load("x", text=text, fast=True)
    # the depth counted as the composer counts it: 31 lists around a scalar read, 32 do not
    ok, deep = "[" * 31 + "1" + "]" * 31, "[" * 32 + "1" + "]" * 32
    assert _yaml.load("x", text=ok, fast=True) == _yaml.load("x", text=ok)
    for fast in (False, True):
        with pytest.raises(_yaml.YamlProblem, match="nested more than 32"):
            _yaml.load("x", text=deep, fast=fast)
    with pytest.raises(_yaml.YamlProblem, match="binary content"):
        _yaml.load("x", text="x\x00y", fast=True)
    monkeypatch.setattr(_yaml, "MAX_NODES", 50)
    with pytest.raises(_yaml.YamlProblem, match="more than 50 values"):
        _yaml.load("x", text="a: [" + ", ".join(["1"] * 60) + "]", fast=True)
    with pytest.raises(yaml.YAMLError) as e:
        _yaml.load("x", text="a: [1, 2\nb: 3\n", fast=True)
    assert _yaml.describe(e.value).startswith("line ")
