"""The ONS Explore Local Statistics reader: the ten ELS CSV/JSON pairs in
../shared/data/public in detail, the declarations file, and hand-made fixtures in the same
layout (every real file, with reference values, is in test_els_files.py)."""

from __future__ import annotations

import math

import pytest

from lis_analysis.errors import ConfigError, InputError
from lis_analysis.sources import all_measures, detect
from lis_analysis.sources.els import (
    FAMILIES,
    ExploreLocalStatistics,
    load_declarations,
    parse_declarations,
    period_year,
    unit_from_csv,
)
from tests.helpers import write_text

ELS = "indicators_els/"
#: file stem -> data rows (lines after the header), as counted in PROVENANCE.md section 8
ROWS = {
    "gross-value-added": 16402,
    "employment-rate": 16080,
    "qualifications-level-3-or-above": 803,
    "qualifications-none-gb": 804,
    "gross-median-weekly-pay": 7109,
    "business-demography": 16532,
    "housing-affordability-ratio": 8424,
    "gigabit-capable-broadband": 413,
    "research-and-development-business": 42,
    "total-value-of-uk-exports": 1241,
}


def one(df, code, measure, period_or_year):
    key = (
        df.year == period_or_year
        if isinstance(period_or_year, int)
        else df.period == period_or_year
    )
    hit = df[(df.geography_code == code) & (df.measure == measure) & key]
    assert len(hit) == 1, (code, measure, period_or_year, len(hit))
    return hit.iloc[0]


@pytest.fixture(scope="module")
def els(public_file):
    """stem -> parsed frame, each file read once."""
    out = {}
    for stem in ROWS:
        path = public_file(f"{ELS}{stem}.csv")
        out[stem] = detect(path).parse(path)
    return out


@pytest.mark.shared
class TestRealFiles:
    def test_every_file_detected_as_one_dataset(self, els, public_file):
        for stem, df in els.items():
            assert isinstance(detect(public_file(f"{ELS}{stem}.csv")), ExploreLocalStatistics)
            assert set(df.dataset) == {"els_" + stem.replace("-", "_")}
            assert len(df) == ROWS[stem], stem  # every line is a number or a marker

    def test_json_is_not_data(self, public_file):
        with pytest.raises(InputError, match="no parser recognises this file"):
            detect(public_file(f"{ELS}employment-rate.json"))

    def test_release_is_the_json_source_date(self, els):
        assert set(els["gross-value-added"].release) == {"2025-06-19"}
        assert set(els["employment-rate"].release) == {"2024-04-16"}
        # sourceDate '23/10/2025|23/10/2025' (ONS|NISRA)
        assert set(els["gross-median-weekly-pay"].release) == {"2025-10-23"}
        assert set(els["gigabit-capable-broadband"].release) == {"2026-05-13"}

    # employment-rate.csv (APS, source date 16/04/2024), printed to 1 dp.
    @pytest.mark.parametrize(
        "code,expected",
        [("E06000016", 65.1), ("E07000129", 85.3), ("E07000130", 82.2), ("E07000131", 80.0),
         ("E07000132", 82.3), ("E07000133", 78.1), ("E07000134", 80.1), ("E07000135", 79.8),
         ("E92000001", 76.0)],
    )  # fmt: skip
    def test_employment_rate_2023(self, els, code, expected):
        row = one(els["employment-rate"], code, "employment_rate_16_64", "2023-01-01/P1Y")
        assert row.value == pytest.approx(expected, abs=0.05)
        assert row.year == 2023 and row.unit == "percent"

    def test_inactivity_and_intervals(self, els):
        df = els["employment-rate"]
        # employment-rate.csv, economically inactive 2023, 1 dp.
        assert one(df, "E06000016", "economic_inactivity_rate_16_64", 2023).value == pytest.approx(
            28.1, abs=0.05
        )
        assert one(df, "E92000001", "economic_inactivity_rate_16_64", 2023).value == pytest.approx(
            21.0, abs=0.05
        )
        ow = one(
            df, "E07000135", "economic_inactivity_rate_16_64", 2023
        )  # 15.7, noted unreliable, no CI
        assert (
            ow.value == pytest.approx(15.7, abs=0.05)
            and math.isnan(ow.ci_lower)
            and math.isnan(ow.ci_upper)
        )
        # Oadby and Wigston employment rate 2023 prints its interval 69.0 to 90.6.
        er = one(df, "E07000135", "employment_rate_16_64", 2023)
        assert (er.ci_lower, er.ci_upper) == (
            pytest.approx(69.0, abs=0.05),
            pytest.approx(90.6, abs=0.05),
        )

    def test_markers_survive_as_status(self, els):
        df = els["employment-rate"]
        assert df.status.value_counts().to_dict() == {"x": 60, "u": 3}
        assert df[df.status.notna()].value.isna().all()
        city = one(
            df, "E09000001", "employment_rate_16_64", "2022-01-01/P1Y"
        )  # City of London: 'u'
        assert city.status == "u" and math.isnan(city.value)
        # qualifications-none-gb.csv 2023: Melton and North West Leicestershire are 'x'.
        q = els["qualifications-none-gb"]
        for code in ("E07000133", "E07000134"):
            r = one(q, code, "no_qualifications_16_64", 2023)
            assert r.status == "x" and math.isnan(r.value)
        exports = els["total-value-of-uk-exports"]
        assert (exports.status == "c").sum() == 120 and exports[
            exports.status == "c"
        ].value.isna().all()

    def test_qualifications_2023(self, els):
        # qualifications-level-3-or-above.csv / -none-gb.csv, 2023, 1 dp.
        l3, none = els["qualifications-level-3-or-above"], els["qualifications-none-gb"]
        assert one(l3, "E06000016", "level_3_plus_16_64", 2023).value == pytest.approx(
            51.5, abs=0.05
        )
        assert one(l3, "E92000001", "level_3_plus_16_64", 2023).value == pytest.approx(
            67.4, abs=0.05
        )
        assert one(none, "E06000016", "no_qualifications_16_64", 2023).value == pytest.approx(
            16.1, abs=0.05
        )
        assert one(none, "E92000001", "no_qualifications_16_64", 2023).value == pytest.approx(
            6.2, abs=0.05
        )

    def test_point_dates_and_other_indicators(self, els):
        # gigabit-capable-broadband.csv, January 2026 snapshot, 1 dp.
        g = els["gigabit-capable-broadband"]
        assert set(g.period) == {"2026-01-01"} and set(g.year) == {2026}
        assert one(g, "E06000016", "gigabit_coverage", 2026).value == pytest.approx(97.6, abs=0.05)
        assert one(g, "E07000133", "gigabit_coverage", 2026).value == pytest.approx(78.8, abs=0.05)
        assert one(g, "E92000001", "gigabit_coverage", 2026).value == pytest.approx(88.4, abs=0.05)
        # gross-median-weekly-pay.csv: ASHE reference date 30 April 2025, £ to 1 dp.
        pay = one(
            els["gross-median-weekly-pay"], "E06000016", "median_weekly_pay_residence", "2025-04-30"
        )
        assert pay.value == pytest.approx(557.6, abs=0.05) and pay.year == 2025
        # gross-value-added.csv (19/06/2025): Leicester 2022 £35.05/hour, Blaby 39.63.
        gva = els["gross-value-added"]
        assert one(gva, "E06000016", "gva_per_hour", 2022).value == pytest.approx(35.05, abs=0.005)
        assert one(gva, "E07000129", "gva_per_hour", 2022).value == pytest.approx(39.63, abs=0.005)
        assert one(gva, "E06000016", "gva_per_job", 2022).value == pytest.approx(52533, abs=0.5)
        # business-demography.csv 2024: Leicester 14,260 active enterprises.
        assert (
            one(els["business-demography"], "E06000016", "active_businesses", 2024).value == 14260
        )
        # housing-affordability-ratio.csv, Leicester 2025: 7.59.
        h = one(
            els["housing-affordability-ratio"],
            "E06000016",
            "housing_affordability_ratio_residence",
            2025,
        )
        assert h.value == pytest.approx(7.59, abs=0.005) and h.unit == "ratio"

    def test_pounds_million(self, els):
        # research-and-development-business.csv: BERD East Midlands 2024 £2,183m.
        assert one(
            els["research-and-development-business"], "E12000004", "berd", 2024
        ).value == pytest.approx(2183, abs=0.5)
        # total-value-of-uk-exports.csv 2023 (£ million, whole numbers).
        x = els["total-value-of-uk-exports"]
        for code, expected in [("TLF21", 1640), ("TLF22", 4780), ("TLF2", 13375)]:
            assert one(x, code, "exports_total", 2023).value == pytest.approx(expected, abs=0.5)

    def test_levels_from_codes(self, els):
        df = els["employment-rate"]
        assert (
            one(df, "E06000016", "employment_rate_16_64", 2023).geography_level == "lad"
        )  # a UA, not 'county'
        assert one(df, "E10000018", "employment_rate_16_64", 2023).geography_level == "county"
        gva = els["gross-value-added"]
        assert one(gva, "K99000002", "gva_per_hour", 2023).geography_level == "uk"
        assert one(gva, "TLB", "gva_per_hour", 2023).geography_level == "country"
        assert one(gva, "TLF", "gva_per_hour", 2023).geography_level == "itl1"
        assert set(els["total-value-of-uk-exports"].geography_level) >= {
            "itl1",
            "itl2",
            "itl3",
            "ca",
        }

    def test_warnings(self, els):
        w = els["business-demography"].attrs["warnings"]
        assert any(s.startswith("959 rows for 35 obsolete area codes kept as published") for s in w)
        assert els["employment-rate"].attrs["warnings"] == [
            "56 values kept although ONS notes them as unreliable (small sample, no confidence interval published)"
        ]
        assert any(
            s.startswith("258 values kept although ONS notes them as unreliable")
            for s in els["qualifications-none-gb"].attrs["warnings"]
        )
        assert els["housing-affordability-ratio"].attrs["warnings"] == [
            "Housing affordability ratio (residence-based): the unit column says '%', which "
            "misstates the figure; stored with unit 'ratio'"
        ]
        # Obsolete codes are kept (their history is published data).
        bd = els["business-demography"]
        assert (bd.geography_code == "E07000004").any()

    def test_metadata_record(self, els):
        meta = els["business-demography"].attrs["metadata"]["els_business_demography"]
        assert meta["source_organisations"] == ["Office for National Statistics"]
        assert meta["source_dates"] == ["2025-11-20"]
        births = meta["indicators"]["Business births"]
        assert (
            births["label"] == "Business births"
            and "proportion of the active businesses" in births["caveats"]
        )
        pay = els["gross-median-weekly-pay"].attrs["metadata"]["els_gross_median_weekly_pay"]
        assert pay["source_organisations"] == [
            "Office for National Statistics",
            "Northern Ireland Statistics and Research Agency",
        ]


def test_declarations():
    ids = [fam.id for fam in FAMILIES]
    assert len(ids) == 37 == len(set(ids))
    m = all_measures()
    assert (
        m[("els_employment_rate", "employment_rate_16_64")].denominator
        == "ons_population_mye:population_16_64"
    )
    assert m[("els_business_demography", "business_birth_rate")].denominator == "active_businesses"
    assert (
        m[("els_gross_median_weekly_pay", "median_weekly_pay_residence")].aggregation
        == "not_aggregable"
    )
    assert m[("els_total_value_of_uk_exports", "exports_total")].aggregation == "additive"
    # Each measure is declared under its own family only (not under every ELS dataset).
    assert ("els_employment_rate", "gva_per_hour") not in m
    # A rate whose weights stand in for the publisher's base says so.
    ghg = m[("els_greenhouse_gas_emissions", "ghg_emissions_per_head")]
    assert (ghg.aggregation, ghg.denominator, ghg.approximate, ghg.unit) == (
        "ratio",
        "ons_population_la:population",
        False,
        "tCO2e per head",
    )
    cc = m[("els_claimant_count", "claimant_rate_16_64")]
    assert cc.approximate and "mid-2023" in cc.base and cc.why
    # Net additions can be negative (demolitions); a rate cannot.
    assert not m[
        ("els_net_additions_to_the_housing_stock", "net_additional_dwellings_per_1000")
    ].nonnegative
    assert m[("els_claimant_count", "claimant_rate_16_64")].nonnegative


def test_every_declaration_is_complete_and_its_denominator_declared():
    m = all_measures()
    for fam in FAMILIES:
        for label, d in fam.indicators.items():
            assert d.measure.why and d.measure.description, label
            if d.measure.denominator:
                ref = d.measure.denominator
                ds, mid = ref.split(":", 1) if ":" in ref else (fam.id, ref)
                assert (ds, mid) in m, (label, ref)


@pytest.mark.parametrize(
    "entry,message",
    [
        ({"measure": "x", "unit": "percent", "aggregation": "ratio", "description": "d", "why": "w"},
         "a ratio needs a denominator"),
        ({"measure": "x", "unit": "percent", "aggregation": "mean", "description": "d", "why": "w"},
         "aggregation 'mean' is not one of"),
        ({"measure": "x", "unit": "percent", "aggregation": "additive", "description": "d"},
         "missing 'why'"),
        ({"measure": "X-1", "unit": "percent", "aggregation": "additive", "description": "d", "why": "w"},
         "measure id 'X-1' must be lower case"),
        ({"measure": "x", "unit": "percent", "aggregation": "additive", "description": "d", "why": "w",
          "denominator": "ons_population_la:population"},
         "only a ratio or survey_rate has a denominator"),
        ({"measure": "x", "unit": "percent", "aggregation": "additive", "description": "d", "why": "w",
          "weight": "y"},
         "unknown field 'weight'"),
    ],
)  # fmt: skip
def test_bad_declarations_are_refused(entry, message):
    with pytest.raises(ConfigError, match=r"decl\.yaml: fam: 'Label': " + message):
        parse_declarations({"families": {"fam": {"Label": entry}}}, "decl.yaml")


def test_duplicate_measure_ids_are_refused():
    e = {
        "measure": "x",
        "unit": "percent",
        "aggregation": "additive",
        "description": "d",
        "why": "w",
    }
    with pytest.raises(ConfigError, match="measure id 'x' is also declared for a"):
        parse_declarations({"families": {"a": {"A": e}, "b": {"B": e}}}, "decl.yaml")


def test_declarations_file_errors(tmp_path):
    bad = tmp_path / "els.yaml"
    bad.write_text("families:\n  a: &x {}\n  b: *x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read the ELS declarations .*aliases"):
        load_declarations(bad)
    with pytest.raises(ConfigError, match="cannot read the ELS declarations"):
        load_declarations(tmp_path / "missing.yaml")


@pytest.mark.parametrize(
    "printed,unit",
    [("%", "percent"), ("Percentage", "percent"), ("£", "GBP"), ("£ million", "GBP million"),
     ("Rate per 100,000 population", "Rate per 100,000 population"), ("  mins ", "mins")],
)  # fmt: skip
def test_unit_from_csv(printed, unit):
    assert unit_from_csv(printed) == unit


@pytest.mark.parametrize(
    "text,year",
    [("2023-01-01/P1Y", 2023), ("2022-04-01/P1Y", 2023), ("2020-01-01/P3Y", 2022), ("2025-04-30", 2025),
     ("2026-01-01", 2026), ("2023", 2023), ("2023-07-01/P6M", 2023), ("2023-10-01/P6M", 2024),
     ("Q1 2023", None), ("2023-13-01", None), ("", None)],
)  # fmt: skip
def test_period_year(text, year):
    assert period_year(text) == year


# --------------------------------------------------------------------------------------
# Hand-made fixtures in the ELS layout
# --------------------------------------------------------------------------------------

HEAD = (
    "areacd,areanm,geography,indicator,period,observation,measure,unit,lci_95,uci_95,status,notes\n"
)
ER = "Employment rate"


def line(
    code="E06000016",
    name="Leicester",
    ind=ER,
    period="2023-01-01/P1Y",
    obs="65.1",
    lci="61.0",
    uci="69.2",
    status="",
    notes="",
):
    geo = "County or Unitary Authority" if code.startswith("E06") else "Local Authority District"
    return f"{code},{name},{geo},{ind},{period},{obs},Percentage,%,{lci},{uci},{status},{notes}\n"


JSON = """{
  "_note": "hand-made fixture",
  "ess-beta-metadata": {
    "shared": {"sourceDate": "16/04/2024", "sourceURL": "https://example.invalid/aps", "sourceOrg": "Office for National Statistics"},
    "Employment rate": {"label": "Employment rate (Great Britain)", "caveats": "APS caveat"}
  }
}
"""


def els_file(tmp_path, body, *, name="employment-rate.csv", bom=True, crlf=True, json=JSON):
    path = write_text(tmp_path / name, HEAD + body, bom=bom, crlf=crlf)
    if json is not None:
        write_text(path.with_suffix(".json"), json)
    return path


class TestFixtures:
    def test_good_file_with_bom_and_crlf(self, tmp_path):
        path = els_file(
            tmp_path,
            line() + line(code="E07000129", name="Blaby", obs="", lci="", uci="", status="x"),
        )
        assert isinstance(detect(path), ExploreLocalStatistics)
        df = ExploreLocalStatistics().parse(path)
        r = one(df, "E06000016", "employment_rate_16_64", 2023)
        assert (r.value, r.ci_lower, r.ci_upper, r.row, r.release) == (
            65.1,
            61.0,
            69.2,
            1,
            "2024-04-16",
        )
        b = one(df, "E07000129", "employment_rate_16_64", 2023)
        assert b.status == "x" and math.isnan(b.value)  # a marker is never a zero
        meta = df.attrs["metadata"]["els_employment_rate"]
        assert meta["indicators"]["Employment rate"]["caveats"] == "APS caveat"
        assert df.attrs["warnings"] == []

    def test_plain_lf_without_bom(self, tmp_path):
        path = els_file(tmp_path, line(), bom=False, crlf=False)
        assert isinstance(detect(path), ExploreLocalStatistics)
        assert ExploreLocalStatistics().parse(path).value.tolist() == [65.1]

    def test_flat_json_shape(self, tmp_path):
        flat = (
            '{"ess-beta-metadata": {"label": "Employment rate", "sourceDate": "01/02/2024",'
            ' "sourceOrg": "ONS", "caveats": "c", "experimentalStatistic": "T",'
            ' "decimalPlaces": "1", "suffix": "%", "prefix": "None"}}'
        )
        df = ExploreLocalStatistics().parse(els_file(tmp_path, line(), json=flat))
        assert set(df.release) == {"2024-02-01"}
        meta = df.attrs["metadata"]["els_employment_rate"]
        assert meta["json_shape"] == "single"
        ind = meta["indicators"][ER]
        assert (ind["caveats"], ind["decimal_places"], ind["suffix"], ind["prefix"]) == (
            "c",
            1,
            "%",
            None,
        )
        assert (
            ind["official_statistics_in_development"] and meta["official_statistics_in_development"]
        )
        assert df.attrs["publisher"] == "ONS"

    def test_shared_json_shape(self, tmp_path):
        shared = (
            '{"ess-beta-metadata": {"shared": {"sourceDate": "16/04/2024", "sourceOrg":'
            ' "Office for National Statistics|Northern Ireland Statistics and Research Agency",'
            ' "experimentalStatistic": "F", "decimalPlaces": "1", "caveats": "shared caveat"},'
            ' "Employment rate": {"label": "Employment rate (GB)", "experimentalStatistic": "T"},'
            ' "Economically inactive": {"label": "Inactivity", "caveats": "own caveat", "decimalPlaces": "0"}}}'
        )
        body = line() + line(ind="Economically inactive", obs="28.1")
        df = ExploreLocalStatistics().parse(els_file(tmp_path, body, json=shared))
        meta = df.attrs["metadata"]["els_employment_rate"]
        assert meta["json_shape"] == "shared"
        er, ina = (
            meta["measures"]["employment_rate_16_64"],
            meta["measures"]["economic_inactivity_rate_16_64"],
        )
        assert (
            er["label"],
            er["caveats"],
            er["decimal_places"],
            er["official_statistics_in_development"],
        ) == ("Employment rate (GB)", "shared caveat", 1, True)
        assert (
            ina["label"],
            ina["caveats"],
            ina["decimal_places"],
            ina["official_statistics_in_development"],
        ) == ("Inactivity", "own caveat", 0, False)
        assert (
            er["aggregation"] == "survey_rate"
            and er["approximate"]
            and er["release"] == "2024-04-16"
        )
        assert df.attrs["publisher"] == (
            "Office for National Statistics; Northern Ireland Statistics and Research Agency"
        )
        assert df.attrs["warnings"] == []

    def test_shared_json_without_a_block_for_an_indicator(self, tmp_path):
        body = line() + line(ind="Economically inactive", obs="28.1")
        df = ExploreLocalStatistics().parse(els_file(tmp_path, body))  # JSON: Employment rate only
        assert df.attrs["warnings"] == [
            "employment-rate.json has no block for indicator(s) 'Economically inactive': their "
            "label, caveats and 'in development' flag are unknown"
        ]

    def test_without_json_still_parses_with_warning(self, tmp_path):
        df = ExploreLocalStatistics().parse(els_file(tmp_path, line(), json=None))
        assert set(df.release) == {""}
        assert df.attrs["warnings"] == [
            "no metadata file employment-rate.json beside the CSV: release, source and caveats unknown"
        ]

    def test_renamed_file_keeps_dataset_id(self, tmp_path):
        df = ExploreLocalStatistics().parse(els_file(tmp_path, line(), name="download (1).csv"))
        assert set(df.dataset) == {"els_employment_rate"}

    def test_marker_in_observation_column_kept_as_status(self, tmp_path):
        df = ExploreLocalStatistics().parse(els_file(tmp_path, line(obs="x", lci="", uci="")))
        assert df.status.tolist() == ["x"] and df.value.isna().all()

    def test_obsolete_code_kept_with_warning(self, tmp_path):
        body = line(
            code="E08000016",
            name="Barnsley",
            notes="Obsolete code since 2025 (replaced by E08000038 Barnsley)",
        )
        df = ExploreLocalStatistics().parse(els_file(tmp_path, body))
        assert df.geography_code.tolist() == ["E08000016"]
        assert df.attrs["warnings"] == [
            "1 rows for 1 obsolete area codes kept as published (notes 'Obsolete code since ...'; not part of current districts): E08000016"
        ]

    # ---- malformed input: each names file, row, column and the problem -----------------

    def test_empty_file(self, tmp_path):
        path = tmp_path / "employment-rate.csv"
        path.write_bytes(b"")
        with pytest.raises(
            InputError, match=r"employment-rate\.csv: the file is empty \(0 bytes\)"
        ):
            ExploreLocalStatistics().parse(path)

    def test_header_only(self, tmp_path):
        with pytest.raises(
            InputError, match=r"employment-rate\.csv, row 1: no data rows under the header line"
        ):
            ExploreLocalStatistics().parse(els_file(tmp_path, ""))

    def test_truncated_file(self, tmp_path):
        path = els_file(tmp_path, line() + "E07000129,Blaby,Local Authority District,Employ")
        with pytest.raises(
            InputError,
            match=r"row 3: row has 4 fields, the header 12 \(truncated or malformed line\)",
        ):
            ExploreLocalStatistics().parse(path)

    def test_missing_column(self, tmp_path):
        path = write_text(
            tmp_path / "employment-rate.csv", HEAD.replace("period", "time_period") + line()
        )
        with pytest.raises(
            InputError, match=r"row 1: expected column 'period' in the header line, found: 'areacd'"
        ):
            ExploreLocalStatistics().parse(path)

    def test_non_numeric_value(self, tmp_path):
        with pytest.raises(
            InputError,
            match=r"row 2, column 6 \('observation'\): non-numeric value 'n/k' in 'observation' is not a marker \(known: x, u, c\)",
        ):
            ExploreLocalStatistics().parse(els_file(tmp_path, line(obs="n/k")))

    def test_unknown_status(self, tmp_path):
        with pytest.raises(
            InputError, match=r"row 2, column 11 \('status'\): status 'z' is not a known marker"
        ):
            ExploreLocalStatistics().parse(
                els_file(tmp_path, line(obs="", lci="", uci="", status="z"))
            )

    def test_empty_value_without_marker_is_blank_not_zero(self, tmp_path):
        # first-time-buyer-mortgage-sales.csv prints Isles of Scilly with no value and no
        # marker (lines 3878-3889): kept as missing, status 'blank', with a warning.
        body = line() + line(code="E06000053", name="Isles of Scilly", obs="", lci="", uci="")
        df = ExploreLocalStatistics().parse(els_file(tmp_path, body))
        r = one(df, "E06000053", "employment_rate_16_64", 2023)
        assert r.status == "blank" and math.isnan(r.value)
        assert df.attrs["warnings"] == [
            "1 observations printed empty with no status marker, kept as missing with status "
            "'blank': Isles of Scilly"
        ]

    def test_area_without_a_code_left_out_with_warning(self, tmp_path):
        # foreign-direct-investment.csv prints three Scottish city regions with areacd 'na'.
        body = line() + line(code="na", name="Glasgow City Region")
        df = ExploreLocalStatistics().parse(els_file(tmp_path, body))
        assert df.geography_code.tolist() == ["E06000016"] and df.row.tolist() == [1]
        assert df.attrs["warnings"] == [
            "1 rows for 1 areas printed without a code (areacd 'na') left out, as areas are "
            "matched by code: Glasgow City Region"
        ]
        with pytest.raises(InputError, match="no rows with an area code"):
            ExploreLocalStatistics().parse(els_file(tmp_path, line(code="na", name="X")))

    def test_same_figure_under_two_geography_labels_kept_once(self, tmp_path):
        # engagement-with-culture-and-heritage.csv prints Greater Manchester (E47000001) as a
        # combined authority (line 26) and again as an ITL2 region (line 314), same figures.
        ca = "E47000001,Greater Manchester,Combined Authority or City Region,Employment rate,2023-01-01/P1Y,88,Percentage,%,87,89,,\n"
        body = ca + line() + ca.replace("Combined Authority or City Region", "ITL Level 2")
        df = ExploreLocalStatistics().parse(els_file(tmp_path, body))
        gm = df[df.geography_code == "E47000001"]
        assert len(df) == 2 and gm.row.tolist() == [1] and gm.value.tolist() == [88.0]
        assert df.attrs["warnings"] == [
            "1 figures printed twice with the same value for the same area under different "
            "geography labels (Combined Authority or City Region and ITL Level 2; E47000001) kept once"
        ]
        # different figures for the same area and period stay an error
        with pytest.raises(InputError, match="duplicate entry for E47000001"):
            ExploreLocalStatistics().parse(
                els_file(
                    tmp_path,
                    ca
                    + ca.replace(",88,", ",87,").replace(
                        "Combined Authority or City Region", "ITL Level 2"
                    ),
                )
            )

    def test_unknown_geography_code(self, tmp_path):
        with pytest.raises(
            InputError, match=r"row 3, column 1 \('areacd'\): unknown geography code 'LEICS'"
        ):
            ExploreLocalStatistics().parse(els_file(tmp_path, line() + line(code="LEICS")))

    def test_duplicate_key(self, tmp_path):
        with pytest.raises(
            InputError,
            match=r"row 2, column 6: duplicate entry for E06000016 employment_rate_16_64 2023-01-01/P1Y \(again at row 4\)",
        ):
            ExploreLocalStatistics().parse(
                els_file(tmp_path, line() + line(code="E07000129") + line())
            )

    def test_period_out_of_range(self, tmp_path):
        with pytest.raises(
            InputError, match=r"row 2, column 6: period '1890-01-01/P1Y' is out of range"
        ):
            ExploreLocalStatistics().parse(els_file(tmp_path, line(period="1890-01-01/P1Y")))

    def test_period_not_iso(self, tmp_path):
        with pytest.raises(
            InputError,
            match=r"row 2, column 5 \('period'\): period 'Jan-Dec 2023' is not an ISO 8601",
        ):
            ExploreLocalStatistics().parse(els_file(tmp_path, line(period="Jan-Dec 2023")))

    def test_negative_rate(self, tmp_path):
        with pytest.raises(
            InputError,
            match=r"row 2, column 6: negative value -3 for employment_rate_16_64, which cannot be negative",
        ):
            ExploreLocalStatistics().parse(els_file(tmp_path, line(obs="-3")))

    def test_unknown_family_ingests_with_a_warning(self, tmp_path):
        """A family the suite has no declaration for is stored, not refused."""
        meta = (
            '{"ess-beta-metadata": {"label": "Population density", "subtitle": "People per km2",'
            ' "sourceDate": "01/07/2025", "sourceOrg": "Office for National Statistics",'
            ' "experimentalStatistic": "T", "caveats": "Land area excludes water.",'
            ' "decimalPlaces": "0"}}'
        )
        body = (
            "E06000016,Leicester,County or Unitary Authority,Population density,2024-01-01/P1Y,5000,Persons per square kilometre,People per km2,,,,\n"
            "E07000129,Blaby,Local Authority District,Population density,2024-01-01/P1Y,,Persons per square kilometre,People per km2,,,x,\n"
        )
        path = els_file(tmp_path, body, name="population-density.csv", json=meta)
        assert isinstance(detect(path), ExploreLocalStatistics)
        df = ExploreLocalStatistics().parse(path)
        assert set(df.dataset) == {"els_population_density"}
        assert set(df.measure) == {"population_density"} and set(df.unit) == {"People per km2"}
        assert one(df, "E06000016", "population_density", 2024).value == 5000
        assert one(df, "E07000129", "population_density", 2024).status == "x"
        assert set(df.release) == {"2025-07-01"}
        assert df.attrs["warnings"] == [
            "ELS family 'population-density' is not declared in els_measures.yaml: its 1 "
            "indicator(s) are stored as dataset els_population_density (not aggregable, units "
            "as printed) but not used by any indicator: 'Population density' -> population_density"
        ]
        m = df.attrs["metadata"]["els_population_density"]
        assert not m["declared"] and m["official_statistics_in_development"]
        assert m["measures"]["population_density"]["aggregation"] == "not_aggregable"
        assert m["measures"]["population_density"]["caveats"] == "Land area excludes water."
        assert df.attrs["publisher"] == "Office for National Statistics"
        assert df.attrs["title"] == "Explore Local Statistics: Population density"

    def test_unknown_indicator_of_a_declared_family(self, tmp_path):
        df = ExploreLocalStatistics().parse(
            els_file(tmp_path, line() + line(ind="Unemployment rate", obs="4.1"))
        )
        assert set(df.dataset) == {"els_employment_rate"}
        assert set(df.measure) == {"employment_rate_16_64", "unemployment_rate"}
        assert df.attrs["warnings"] == [
            "employment-rate.json has no block for indicator(s) 'Unemployment rate': their "
            "label, caveats and 'in development' flag are unknown",
            "indicator(s) not declared for employment-rate in els_measures.yaml, stored as "
            "els_employment_rate (not aggregable, unit as printed) and not used by any "
            "indicator: 'Unemployment rate' -> unemployment_rate",
        ]

    def test_unknown_family_may_be_negative(self, tmp_path):
        body = "E06000016,Leicester,County or Unitary Authority,Net migration,2024-01-01/P1Y,-120,Persons,Persons,,,,\n"
        df = ExploreLocalStatistics().parse(
            els_file(tmp_path, body, name="net-migration.csv", json=None)
        )
        assert df.value.tolist() == [-120.0] and set(df.release) == {""}

    def test_printed_unit_changed_is_a_warning(self, tmp_path):
        text = line().replace("Percentage,%", "Rate per 1,000,Rate per 1,000")
        df = ExploreLocalStatistics().parse(
            els_file(tmp_path, text.replace("Rate per 1,000", '"Rate per 1,000"'))
        )
        assert df.attrs["warnings"] == [
            "Employment rate: the unit column says 'Rate per 1,000' where els_measures.yaml "
            "expects 'percent' (has the family changed its unit?); stored with unit 'percent'"
        ]

    def test_mixed_datasets(self, tmp_path):
        path = els_file(
            tmp_path,
            line() + line(ind="Gross value added per hour worked", obs="35.1", lci="", uci=""),
        )
        with pytest.raises(
            InputError,
            match=r"mixes indicators of several ELS datasets \(els_employment_rate, els_gross_value_added\)",
        ):
            ExploreLocalStatistics().parse(path)

    def test_malformed_json(self, tmp_path):
        with pytest.raises(
            InputError, match=r"employment-rate\.json: the metadata JSON is not valid JSON"
        ):
            ExploreLocalStatistics().parse(
                els_file(tmp_path, line(), json='{"ess-beta-metadata": {')
            )

    def test_other_csv_not_claimed(self, tmp_path):
        path = write_text(
            tmp_path / "employment-rate.csv", "code,name,value\nE06000016,Leicester,1\n"
        )
        assert not ExploreLocalStatistics().matches(path)


def test_docs_table_is_in_step_with_the_declarations():
    """docs/sources/els.md lists every declared indicator with its measure, aggregation and
    reason, as the declarations file says (the table is generated from it)."""
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "sources" / "els.md").read_text(
        encoding="utf-8"
    )
    rows = [line for line in doc.splitlines() if line.startswith("| `") and line.count("|") == 7]
    listed = {}
    for line in rows:
        cells = [c.strip() for c in line.strip("|").split("|")]
        listed[cells[2].strip("`")] = cells
    want = {d.measure.id: (fam.stem, d) for fam in FAMILIES for d in fam.indicators.values()}
    assert set(listed) == set(want)
    for mid, (stem, d) in want.items():
        cells = listed[mid]
        assert cells[0] == f"`{stem}`" and cells[1] == d.label, mid
        assert cells[4].startswith(d.measure.aggregation) and cells[5] == d.measure.why, mid
