"""Run parameters: validated before any data is read; one-line errors, exit code 2."""

from __future__ import annotations

import pytest

from lis_analysis.cli import VERBS, build_parser, main
from lis_analysis.config import RunParams, load_params, package_areas
from lis_analysis.errors import ConfigError


def test_default_area_is_leicester_and_leicestershire():
    spec = package_areas()["E37000021"]
    assert spec.name == "Leicester and Leicestershire"
    assert spec.members == (
        "E06000016", "E07000129", "E07000130", "E07000131",
        "E07000132", "E07000133", "E07000134", "E07000135",
    )  # fmt: skip
    assert "E69000020" in spec.aliases
    assert RunParams().area == "E37000021"


def test_params_from_yaml(tmp_path):
    p = tmp_path / "p.yaml"
    p.write_text("area: E69000020\nstart_year: 2010\nend_year: 2020\nbenchmarks: [uk, region]\n")
    params = load_params(p)
    assert (params.area, params.start_year, params.end_year) == ("E69000020", 2010, 2020)
    assert params.benchmarks == ("uk", "region")
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        params.area = "x"  # frozen


@pytest.mark.parametrize(
    "yaml_text,message",
    [
        ("start_year: 2020\nend_year: 2010\n", "start_year 2020 is after end_year 2010"),
        ("areaa: E37000021\n", "unknown parameter(s) areaa"),
        ("area: 'not a code!'\n", "area 'not a code!' is not an area code"),
        ("benchmarks: [uk, mars]\n", "unknown benchmark(s) mars"),
        ("price_basis: nominal\n", "price_basis must be one of current, cvm"),
        ("neighbours: 0\n", "neighbours must be a whole number from 1 to 50"),
        ("start_year: 1066\n", "start_year must be a year between 1990 and 2100"),
        (
            "neighbour_characteristics: [shoe_size]\n",
            "unknown neighbour characteristic(s) shoe_size",
        ),
        ("- a list\n", "expected a mapping of parameter: value"),
        ("area: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_parameters_one_line(tmp_path, yaml_text, message):
    p = tmp_path / "bad.yaml"
    p.write_text(yaml_text)
    with pytest.raises(ConfigError) as e:
        load_params(p)
    assert message in str(e.value)
    assert "\n" not in str(e.value)
    assert str(p) in str(e.value)


@pytest.mark.parametrize(
    "argv,message",
    [
        (["run", "--area", "bad code!"], "is not an area code"),
        (["indicators", "--params", "MISSING.yaml"], "cannot read parameters file"),
    ],
)
def test_cli_bad_parameters_exit_2_before_reading_data(
    argv, message, capsys, tmp_path, monkeypatch
):
    monkeypatch.setenv("LIS_HOME", str(tmp_path))  # an empty project: nothing to read
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    assert not (tmp_path / "data").exists()  # no demonstrator generated, no store written


def test_start_after_end_on_command_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LIS_HOME", str(tmp_path))
    p = tmp_path / "p.yaml"
    p.write_text("start_year: 2022\nend_year: 2004\n")
    assert main(["indicators", "--params", str(p)]) == 2
    assert "start_year 2022 is after end_year 2004" in capsys.readouterr().err


def test_help_lists_every_verb(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    for verb in VERBS:
        assert f"    {verb} " in out


@pytest.mark.parametrize("verb", VERBS)
def test_each_verb_has_help(verb, capsys):
    with pytest.raises(SystemExit) as e:
        build_parser().parse_args([verb, "--help"])
    assert e.value.code == 0
    assert f"usage: lis {verb}" in capsys.readouterr().out


def test_user_area_yaml_errors(tmp_path):
    from lis_analysis.config import read_area_specs

    p = tmp_path / "areas.yaml"
    p.write_text(
        "areas:\n  X1:\n    name: Mine\n    level: custom\n    members: [E07000130, NOTACODE]\n"
    )
    with pytest.raises(ConfigError, match="member code\\(s\\) NOTACODE are not GSS codes"):
        read_area_specs(p)
    p.write_text("areas:\n  X1:\n    name: Mine\n    level: custom\n    members: []\n")
    with pytest.raises(ConfigError, match="'members' is empty"):
        read_area_specs(p)
