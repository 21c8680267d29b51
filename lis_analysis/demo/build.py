"""Turn the synthetic world into tidy observations per published dataset, and write them.

Each ``*_obs`` function returns observations in the shape the dataset's parser emits;
:func:`build_all` hands them to the format writers (``fmt_*``), so the demonstrator files
are read back by exactly the parsers that read real files. Benchmark rows (UK, England,
regions) are built from the synthetic districts the way the publishers build theirs:
sums for counts, pooled rates for surveys, and, for medians, a jobs-weighted mean of the
district medians (a synthetic stand-in; real medians cannot be built that way).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ._tidy import _obs
from .world import (
    ENGLAND,
    LEICESTERSHIRE,
    LEICESTERSHIRE_DISTRICTS,
    UK,
    UKX,
    World,
    rng,
    world,
)

#: Letters of the BRES sections each GVA section label stands for, with their shares.
_BRES_SPLIT = {"AB (1-9)": {"A": 0.85, "B": 0.15}, "DE (35-39)": {"D": 0.4, "E": 0.6}}


def _geo_levels(w: World) -> list[tuple[str, str, list[str]]]:
    """(code, name, member districts) for the UK, England and each region."""
    d = w.districts
    out = [(UK[0], UK[1], list(d["code"])), (ENGLAND[0], ENGLAND[1], list(d["code"]))]
    for (code, name), grp in d.groupby(["region_code", "region_name"]):
        out.append((code, name, list(grp["code"])))
    return out


def _names(w: World) -> dict[str, str]:
    d = w.districts
    names = dict(zip(d["code"], d["name"], strict=True))
    names.update(dict(zip(d["region_code"], d["region_name"], strict=False)))
    names.update({UK[0]: UK[1], ENGLAND[0]: ENGLAND[1]})
    return names


def _memberships(w: World) -> pd.DataFrame:
    """code -> (benchmark code, benchmark name) for the UK, England and every region."""
    rows = [(c, code, name) for code, name, members in _geo_levels(w) for c in members]
    return pd.DataFrame(rows, columns=["code", "bcode", "bname"])


def _with_benchmarks(
    w: World, frame: pd.DataFrame, value: str, how: str, weight: str | None = None
) -> pd.DataFrame:
    """Add UK, England and region rows to ``frame`` (columns code, year, value[, weight]):
    ``how`` is ``sum`` or ``mean`` (weighted by ``weight``). One merge and one group-by."""
    m = frame.merge(_memberships(w), on="code")
    keys = ["bcode", "bname", "year"]
    if how == "sum":
        agg = m.groupby(keys, sort=False)[value].sum()
    elif weight:
        m = m.assign(_wv=m[value] * m[weight])
        g = m.groupby(keys, sort=False)
        agg = g["_wv"].sum() / g[weight].sum()
    else:
        agg = m.groupby(keys, sort=False)[value].mean()
    b = agg.rename(value).reset_index().rename(columns={"bcode": "code", "bname": "name"})
    return pd.concat([frame.assign(name=frame["code"].map(_names(w))), b], ignore_index=True)


# ------------------------------------------------------------------------------ datasets


def productivity_obs(w: World) -> pd.DataFrame:
    """The district productivity workbook: £ per hour/job, indices (UK=100), hours, jobs."""
    lab = w.labour.merge(w.districts[["code", "name"]], on="code")
    uk = lab.groupby("year")[["gva_current", "hours_weekly", "jobs"]].sum().reset_index()
    uk["gva_per_hour"] = uk["gva_current"] * 1e6 / (uk["hours_weekly"] * 52)
    uk["gva_per_job"] = uk["gva_current"] * 1e6 / uk["jobs"]
    uk["code"], uk["name"] = UKX
    both = pd.concat([uk, lab], ignore_index=True)
    both = both[both["year"] >= 2002]
    ukv = uk.set_index("year")
    both["gva_per_hour_index"] = both["gva_per_hour"] / both["year"].map(ukv["gva_per_hour"]) * 100
    both["gva_per_job_index"] = both["gva_per_job"] / both["year"].map(ukv["gva_per_job"]) * 100
    parts = []
    for m, dec in [
        ("gva_per_hour", 1),
        ("gva_per_hour_index", 1),
        ("gva_per_job", 0),
        ("gva_per_job_index", 1),
        ("hours_weekly", 0),
        ("jobs", 0),
    ]:
        parts.append(
            _obs(
                m,
                both["code"],
                both["name"],
                both["year"],
                np.round(both[m].to_numpy(dtype=float), dec),
            )
        )
    return pd.concat(parts, ignore_index=True)


def gva_industry_obs(w: World) -> pd.DataFrame:
    """Regional GVA by industry: current prices and chained volume £m (Tables 3 and 2)."""
    g = w.gva_industry.merge(w.districts[["code", "name"]], on="code")
    parts = []
    for m, col, unit in [
        ("gva_current", "gva_current", None),
        ("gva_cvm", "gva_cvm", "GBP million (2022 money value)"),
    ]:
        parts.append(
            _obs(
                m,
                g["code"],
                g["name"],
                g["year"],
                g[col],
                industry=g["industry"].to_numpy(dtype=object),
                unit=unit,
            )
        )
    return pd.concat(parts, ignore_index=True)


def population_obs(w: World) -> pd.DataFrame:
    """Mid-year population, all ages and 16-64, by district and year."""
    p = w.population.merge(w.districts[["code", "name"]], on="code")
    return pd.concat(
        [
            _obs(m, p["code"], p["name"], p["year"], p[m])
            for m in ("population", "population_16_64")
        ],
        ignore_index=True,
    )


def lookups_frame(w: World) -> pd.DataFrame:
    """District to ITL3/2/1, region and LSIP relations; the L&L LEP's name."""
    from ..sources._base import lookup_frame

    d = w.districts
    parts = []
    for rel, code, name, level in [
        ("lad_to_itl3", "itl3", "itl3_name", "itl3"),
        ("lad_to_itl2", "itl2", "itl2_name", "itl2"),
        ("lad_to_itl1", "itl1", "itl1_name", "itl1"),
        ("lad_to_region", "region_code", "region_name", "region"),
        ("lad_to_lsip", "lsip", "lsip_name", "lsip"),
    ]:
        parts.append(
            lookup_frame(
                relation=rel,
                child_code=d["code"].to_numpy(),
                child_name=d["name"].to_numpy(),
                child_level="lad",
                parent_code=d[code].to_numpy(),
                parent_name=d[name].to_numpy(),
                parent_level=level,
            )
        )
    parts.append(
        lookup_frame(
            relation="lep_names",
            child_code=["E37000021"],
            child_name=["Leicester and Leicestershire"],
            child_level="lep",
        )
    )
    return pd.concat(parts, ignore_index=True)


def bres_obs(w: World) -> pd.DataFrame:
    """BRES employment by SIC section, district and year (Employment and Employees)."""
    e = w.employment_industry
    rows = []
    for label, share in [(k, v) for k, v in _BRES_SPLIT.items()]:
        sub = e[e["section"] == label]
        for letter, f in share.items():
            rows.append(
                sub.assign(section=letter, employment=(sub["employment"] * f / 5).round() * 5)
            )
    single = e[~e["section"].isin(_BRES_SPLIT)].copy()
    single["section"] = single["section"].str.split(" ").str[0]
    e2 = pd.concat([single, *rows], ignore_index=True).merge(
        w.districts[["code", "name"]], on="code"
    )
    g = rng("bres_status")
    parts = []
    for status, f in [("Employment", 1.0), ("Employees", 0.88)]:
        vals = e2["employment"] * (f if f == 1.0 else f * (1 + g.normal(0, 0.01, len(e2))))
        parts.append(
            _obs(
                "employment",
                e2["code"],
                e2["name"],
                e2["year"],
                (vals / 5).round() * 5,
                industry=e2["section"].to_numpy(dtype=object),
                breakdown=status,
            )
        )
    return pd.concat(parts, ignore_index=True)


def _aps(w: World, years: range, base: np.ndarray, spread: float, name: str) -> pd.DataFrame:
    """A survey rate (percent) by district and year with 95% intervals (sample ~ 1 in 400
    residents aged 16-64), plus pooled UK, England and region rows."""
    d = w.districts
    g = rng(name)
    pop = w.population.set_index(["code", "year"])["population_16_64"]
    rows = []
    for i, code in enumerate(d["code"]):
        level = base[i]
        for y in years:
            p = float(np.clip(level + g.normal(0, spread), 1, 99))
            n = pop.loc[(code, min(y, max(w.years)))] / 400
            se = 100 * np.sqrt(p / 100 * (1 - p / 100) / n)
            rows.append((code, y, p, se, pop.loc[(code, min(y, max(w.years)))]))
    f = pd.DataFrame(rows, columns=["code", "year", "value", "se", "wa"])
    f["var"] = f["se"] ** 2
    out = [f.assign(name=f["code"].map(_names(w)))]
    county = (*LEICESTERSHIRE, list(LEICESTERSHIRE_DISTRICTS))  # ELS prints the county too
    for code, nm, members in [*_geo_levels(w), county]:
        sub = f[f["code"].isin(members)]
        wsum = sub.groupby("year")["wa"].transform("sum")
        wt = sub["wa"] / wsum
        agg = (
            pd.DataFrame(
                {"value": wt * sub["value"], "var": wt**2 * sub["var"], "year": sub["year"]}
            )
            .groupby("year")
            .sum()
        )
        agg = agg.reset_index()
        agg["se"] = np.sqrt(agg["var"])
        agg["code"], agg["name"] = code, nm
        out.append(agg)
    res = pd.concat(out, ignore_index=True)
    res["value"] = res["value"].round(1)
    res["lo"] = (res["value"] - 1.96 * res["se"]).round(1)
    res["hi"] = (res["value"] + 1.96 * res["se"]).round(1)
    return res


def els_obs(w: World) -> dict[str, pd.DataFrame]:
    """Explore Local Statistics datasets: APS rates with intervals, gigabit coverage, BERD
    and exports (regions / ITL), with Leicestershire county beside its districts where ELS
    prints it; and every further declared family (:mod:`.els_families`)."""
    d = w.districts
    rel = d["relative_productivity"].to_numpy()
    lab = w.labour[w.labour["year"] == max(w.years)].set_index("code").loc[d["code"]]
    out: dict[str, pd.DataFrame] = {}

    def frame(
        f: pd.DataFrame, measure: str, period_fmt: str = "{y}-01-01/P1Y", ci: bool = True
    ) -> pd.DataFrame:
        return _obs(
            measure,
            f["code"],
            f["name"],
            f["year"],
            f["value"],
            period=np.array([period_fmt.format(y=int(y)) for y in f["year"]], dtype=object),
            ci_lower=f["lo"].to_numpy() if ci else None,
            ci_upper=f["hi"].to_numpy() if ci else None,
        )

    er = _aps(w, range(2004, 2024), 100 * lab["employment_rate"].to_numpy(), 1.8, "aps_employment")
    inact = _aps(
        w,
        range(2004, 2024),
        100 - 100 * lab["employment_rate"].to_numpy() - 3.5,
        1.6,
        "aps_inactivity",
    )
    out["els_employment_rate"] = pd.concat(
        [frame(er, "employment_rate_16_64"), frame(inact, "economic_inactivity_rate_16_64")],
        ignore_index=True,
    )
    l3 = _aps(w, range(2022, 2024), 62 + 25 * (rel - 0.95), 2.0, "aps_l3")
    out["els_qualifications_level_3_or_above"] = frame(l3, "level_3_plus_16_64")
    none = _aps(w, range(2022, 2024), np.clip(8 - 12 * (rel - 0.95), 2, 20), 1.2, "aps_none")
    out["els_qualifications_none_gb"] = frame(none, "no_qualifications_16_64")

    g = rng("gigabit")
    gig = []
    for i, code in enumerate(d["code"]):
        start = float(np.clip(g.normal(10, 6), 1, 30))
        end = float(np.clip(g.normal(86, 7) + 8 * (rel[i] - 0.95), 60, 99.5))
        for y in range(2019, 2027):
            gig.append((code, y, round(start + (end - start) * (y - 2019) / 7, 1)))
    gf = pd.DataFrame(gig, columns=["code", "year", "value"])
    gf["wt"] = gf["code"].map(lab["hours_weekly"])
    county = gf[gf["code"].isin(LEICESTERSHIRE_DISTRICTS)]
    county = (
        county.assign(_wv=county["value"] * county["wt"])
        .groupby("year", as_index=False)[["_wv", "wt"]]
        .sum()
    )
    county = county.assign(
        value=county["_wv"] / county["wt"], code=LEICESTERSHIRE[0], name=LEICESTERSHIRE[1]
    )
    gf = _with_benchmarks(w, gf, "value", "mean", weight="wt")
    gf = pd.concat([gf, county[["code", "name", "year", "value"]]], ignore_index=True)
    gf["value"] = gf["value"].round(1)
    out["els_gigabit_capable_broadband"] = frame(gf, "gigabit_coverage", "{y}-01-01", ci=False)

    # BERD: regions and nations only, as ONS publishes it.
    gva = w.labour.groupby(["code", "year"])["gva_current"].sum()
    berd = []
    gb = rng("berd")
    for code, nm, members in _geo_levels(w):
        for y in (2022, 2023, 2024):
            share = (
                0.012
                if code in (UK[0], ENGLAND[0])
                else float(np.clip(gb.normal(0.011, 0.004), 0.004, 0.025))
            )
            total = sum(gva.loc[(m, min(y, max(w.years)))] for m in members)
            berd.append((code, nm, y, round(total * share)))
    bf = pd.DataFrame(berd, columns=["code", "name", "year", "value"])
    out["els_research_and_development_business"] = frame(bf, "berd", ci=False)

    # Exports: ITL3, ITL2, ITL1 and the UK, 2019-2023 (goods and services, £m).
    ge = rng("exports")
    intensity = pd.Series(np.clip(ge.normal(0.22, 0.06, len(d)), 0.08, 0.45), index=d["code"])
    ex = []
    levels = [("itl3", "itl3_name"), ("itl2", "itl2_name"), ("itl1", "itl1_name")]
    for col, ncol in levels:
        for (code, nm), grp in d.groupby([col, ncol]):
            for y in range(2019, 2024):
                v = sum(gva.loc[(m, y)] * intensity[m] for m in grp["code"])
                ex.append((code, nm, y, round(v)))
    for y in range(2019, 2024):
        ex.append((UK[0], UK[1], y, round(sum(gva.loc[(m, y)] * intensity[m] for m in d["code"]))))
    xf = pd.DataFrame(ex, columns=["code", "name", "year", "value"])
    out["els_total_value_of_uk_exports"] = frame(xf, "exports_total", ci=False)

    # The families beyond the first ten (issue 14), in the shape of the published files.
    from .els_families import els_families_obs

    out.update(els_families_obs(w))
    return out


def _pay_levels(w: World, year: int, basis: str) -> pd.DataFrame:
    """Median and mean weekly pay and jobs by district (workplace or residence basis)."""
    d = w.districts
    g = rng(f"ashe_{basis}_{year}")
    rel = d["relative_productivity"].to_numpy()
    com = d["commuting"].to_numpy()
    uk_median = 613.3 * (1.045 ** (year - 2024))
    tilt = (rel - 0.95) * 0.9 + (
        0.05 * (com - 1.0) if basis == "workplace" else -0.03 * (com - 1.0)
    )
    median = uk_median * (1 + tilt + g.normal(0, 0.03, len(d)))
    lab = w.labour[w.labour["year"] == min(year, max(w.years))].set_index("code").loc[d["code"]]
    jobs = (
        (lab["jobs"] if basis == "workplace" else lab["employed_residents"]).to_numpy() * 0.9 / 1000
    )
    f = pd.DataFrame(
        {"code": d["code"], "year": year, "median": median, "mean": median * 1.18, "jobs": jobs}
    )
    f["wt"] = f["jobs"]
    out = []
    for col in ("median", "mean"):
        out.append(
            _with_benchmarks(
                w,
                f[["code", "year", col, "wt"]].rename(columns={col: "value"}),
                "value",
                "mean",
                weight="wt",
            ).assign(kind=col)
        )
    jb = _with_benchmarks(
        w, f[["code", "year", "jobs"]].rename(columns={"jobs": "value"}), "value", "sum"
    ).assign(kind="jobs")
    return pd.concat([*out, jb], ignore_index=True)


def ashe_obs(w: World, year: int, basis: str) -> pd.DataFrame:
    f = _pay_levels(w, year, basis)
    parts = []
    for kind, measure, dec in [
        ("median", "weekly_pay_gross_median", 1),
        ("mean", "weekly_pay_gross_mean", 1),
        ("jobs", "weekly_pay_gross_jobs", 0),
    ]:
        sub = f[f["kind"] == kind]
        parts.append(
            _obs(
                measure,
                sub["code"],
                sub["name"],
                sub["year"],
                sub["value"].round(dec),
                breakdown="All",
                unit=None,
            )
        )
    med = f[f["kind"] == "median"]
    for p, k in PERCENTILES.items():
        parts.append(
            _obs(
                f"weekly_pay_gross_p{p}",
                med["code"],
                med["name"],
                med["year"],
                (med["value"] * k).round(1),
            )
        )
    return pd.concat(parts, ignore_index=True)


#: Synthetic pay percentiles as multiples of the median (roughly the UK's shape).
PERCENTILES = {
    10: 0.45,
    20: 0.6,
    25: 0.67,
    30: 0.74,
    40: 0.87,
    60: 1.14,
    70: 1.3,
    75: 1.4,
    80: 1.52,
    90: 1.9,
}


def business_demography_obs(w: World) -> pd.DataFrame:
    """Births, deaths, active enterprises 2019-2024, cohort survival counts, and high-growth
    enterprises with their base (active enterprises with 10+ employees)."""
    d = w.districts
    g = rng("business_demography")
    pop = w.population.set_index(["code", "year"])["population_16_64"]
    rel = d["relative_productivity"].to_numpy()
    rows = []
    surv = []
    for i, code in enumerate(d["code"]):
        density = float(np.clip(560 + 350 * (rel[i] - 0.95) + g.normal(0, 60), 300, 1100))
        birth_rate = float(np.clip(0.115 + g.normal(0, 0.012), 0.07, 0.17))
        death_rate = float(np.clip(0.10 + g.normal(0, 0.01), 0.06, 0.15))
        s3 = float(np.clip(0.55 + 0.2 * (rel[i] - 0.95) + g.normal(0, 0.03), 0.4, 0.7))
        for y in range(2019, 2025):
            active = 5 * round(pop.loc[(code, min(y, max(w.years)))] * density / 10000 / 5)
            births = 5 * round(active * birth_rate * (1 + g.normal(0, 0.05)) / 5)
            deaths = 5 * round(active * death_rate * (1 + g.normal(0, 0.05)) / 5)
            rows.append((code, y, active, births, deaths))
            for k in range(1, 6):
                if y + k <= 2024:
                    rate = [0.93, 0.76, s3, s3 * 0.83, s3 * 0.7][k - 1]
                    surv.append((code, y, k, 5 * round(births * rate / 5)))
                else:  # not yet reached: ONS prints ':' (not applicable)
                    surv.append((code, y, k, np.nan))
    f = pd.DataFrame(rows, columns=["code", "year", "active", "births", "deaths"])
    s = pd.DataFrame(surv, columns=["code", "year", "k", "survivors"])
    # Tables 7.1 and 7.3: high-growth enterprises and their base, active enterprises with
    # 10+ employees (about a tenth of the active; about 5% of those grow fast, more where
    # productivity is higher). Their own random stream, so the counts above stay as they were.
    hg = rng("business_demography_high_growth")
    rel_by_code = dict(zip(d["code"], rel, strict=True))
    ten = 5 * np.round(f["active"] * np.clip(0.1 + hg.normal(0, 0.01, len(f)), 0.07, 0.14) / 5)
    grow = np.clip(
        0.049 + 0.02 * (f["code"].map(rel_by_code) - 0.95) + hg.normal(0, 0.005, len(f)), 0.02, 0.09
    )
    f["active_10plus"] = ten
    f["high_growth"] = 5 * np.round(ten * grow / 5)
    parts = []
    for m in ("active", "births", "deaths", "active_10plus", "high_growth"):
        b = _with_benchmarks(w, f[["code", "year", m]].rename(columns={m: "value"}), "value", "sum")
        parts.append(_obs(m, b["code"], b["name"], b["year"], b["value"]))
    births = _with_benchmarks(
        w, f[["code", "year", "births"]].rename(columns={"births": "value"}), "value", "sum"
    ).set_index(["code", "year"])["value"]
    for k in range(1, 6):
        sk = s[s["k"] == k][["code", "year", "survivors"]].rename(columns={"survivors": "value"})
        b = _with_benchmarks(w, sk, "value", "sum")
        b.loc[b["year"] + k > 2024, "value"] = np.nan
        # numpy's stubs reject None as a where() branch; the result is an object array.
        na = np.where(b["value"].isna(), ":", None)  # type: ignore[call-overload]
        parts.append(
            _obs(f"survival_{k}yr", b["code"], b["name"], b["year"], b["value"], status=na)
        )
        rate = (
            100
            * b["value"].to_numpy()
            / births.reindex(pd.MultiIndex.from_frame(b[["code", "year"]])).to_numpy()
        )
        parts.append(
            _obs(
                f"survival_rate_{k}yr",
                b["code"],
                b["name"],
                b["year"],
                np.round(rate, 1),
                status=na,
            )
        )
    return pd.concat(parts, ignore_index=True)


def uk_business_obs(w: World, bd: pd.DataFrame | None = None) -> pd.DataFrame:
    """Enterprises by employment size band, by turnover band and by broad industry group,
    2025 (IDBR, rounded to 5)."""
    bd = business_demography_obs(w) if bd is None else bd
    active = bd[(bd["measure"] == "active") & (bd["year"] == 2024)].set_index("geography_code")[
        "value"
    ]
    d = w.districts
    g = rng("size_bands")
    bands = ["0-4", "5-9", "10-19", "20-49", "50-99", "100-249", "250+"]
    base = np.array([0.775, 0.11, 0.06, 0.035, 0.011, 0.006, 0.003])
    rows = []
    for i, code in enumerate(d["code"]):
        tot = active[code] * 0.93
        mix = base * np.exp(
            g.normal(0, 0.15, len(base))
            + np.array([0, 0, 0, 0.05, 0.1, 0.15, 0.2])
            * (d["relative_productivity"].iloc[i] - 0.95)
            * 5
        )
        mix /= mix.sum()
        vals = [5 * round(tot * m / 5) for m in mix]
        for b, v in zip(bands, vals, strict=True):
            rows.append((code, 2025, b, v))
        rows.append((code, 2025, "All", sum(vals)))
    f = pd.DataFrame(rows, columns=["code", "year", "band", "value"])
    parts = []
    for band, grp in f.groupby("band", sort=False):
        b = _with_benchmarks(w, grp[["code", "year", "value"]], "value", "sum")
        parts.append(
            _obs(
                "enterprises_by_employment",
                b["code"],
                b["name"],
                b["year"],
                b["value"],
                breakdown=band,
            )
        )
    # Table 11: the same enterprises by turnover band (£ thousand), around the UK's 2025
    # mix and shifted up where productivity is higher; their own random stream.
    tg = rng("turnover_bands")
    tbands = ["0-49", "50-99", "100-249", "250-499", "500-999", "1000-1999", "2000-4999",
              "5000-9999", "10000-49999", "50000+"]  # fmt: skip
    tbase = np.array([0.142, 0.192, 0.319, 0.143, 0.089, 0.05, 0.035, 0.013, 0.012, 0.004])
    tilt = np.linspace(-0.5, 0.5, len(tbands))
    totals_by_code = f[f["band"] == "All"].set_index("code")["value"]
    trows = []
    for i, code in enumerate(d["code"]):
        rel_i = d["relative_productivity"].iloc[i] - 0.95
        mix = tbase * np.exp(tg.normal(0, 0.1, len(tbase)) + tilt * rel_i * 2)
        vals = [5 * round(totals_by_code[code] * m / mix.sum() / 5) for m in mix]
        trows += [(code, 2025, b, v) for b, v in zip(tbands, vals, strict=True)]
        trows.append((code, 2025, "All", sum(vals)))
    tf = pd.DataFrame(trows, columns=["code", "year", "band", "value"])
    for band, grp in tf.groupby("band", sort=False):
        b = _with_benchmarks(w, grp[["code", "year", "value"]], "value", "sum")
        parts.append(
            _obs(
                "enterprises_by_turnover",
                b["code"],
                b["name"],
                b["year"],
                b["value"],
                breakdown=band,
            )
        )
    # Table 1: the same enterprises by broad industry group, split by the district's mix.
    from ..sources.business_counts import BROAD_GROUPS

    totals = f[f["band"] == "All"].set_index("code")["value"]
    groups = list(BROAD_GROUPS)
    gi = []
    for code in d["code"]:
        mix = np.exp(g.normal(0, 0.3, len(groups)))
        vals = [5 * round(totals[code] * m / mix.sum() / 5) for m in mix]
        gi += [(code, 2025, grp, v) for grp, v in zip(groups, vals, strict=True)]
        gi.append((code, 2025, "Total", sum(vals)))
    gf = pd.DataFrame(gi, columns=["code", "year", "industry", "value"])
    for ind, grp in gf.groupby("industry", sort=False):
        b = _with_benchmarks(w, grp[["code", "year", "value"]], "value", "sum")
        parts.append(_obs("enterprises", b["code"], b["name"], b["year"], b["value"], industry=ind))
    return pd.concat(parts, ignore_index=True)


def imd_obs(w: World, edition: int) -> pd.DataFrame:
    """IMD average score and rank of average score (1 = most deprived) by district."""
    d = w.districts
    g = rng(f"imd_{edition}")
    score = np.clip(
        22 - 40 * (d["relative_productivity"].to_numpy() - 0.95) + g.normal(0, 5, len(d)), 5, 45
    )
    score[(d["code"] == "E06000016").to_numpy()] = 33.0 + g.normal(0, 1)
    rank = pd.Series(score).rank(ascending=False, method="min").to_numpy()
    return pd.concat(
        [
            _obs(
                "imd_average_score",
                d["code"],
                d["name"],
                np.full(len(d), edition),
                np.round(score, 3),
            ),
            _obs("imd_rank_of_average_score", d["code"], d["name"], np.full(len(d), edition), rank),
        ],
        ignore_index=True,
    )


def affordability_obs(w: World) -> pd.DataFrame:
    """Median house price to workplace earnings ratio by district and year, with England
    and the regions."""
    d = w.districts
    g = rng("affordability")
    rows = []
    for i, code in enumerate(d["code"]):
        level = float(
            np.clip(g.normal(8.0, 1.6) + 3 * (d["relative_productivity"].iloc[i] - 0.95), 4.5, 14)
        )
        for y in range(2002, 2025):
            rows.append(
                (
                    code,
                    y,
                    round(level * (0.62 + 0.38 * (y - 2002) / 22) * (1 + g.normal(0, 0.02)), 2),
                )
            )
    f = pd.DataFrame(rows, columns=["code", "year", "value"])
    f["wt"] = 1.0
    b = _with_benchmarks(w, f, "value", "mean", weight="wt")
    b = b[b["code"] != UK[0]]  # the publisher covers England and Wales, not the UK
    b["value"] = b["value"].round(2)
    return _obs("affordability_ratio_median", b["code"], b["name"], b["year"], b["value"])


# ------------------------------------------------------------------------------ writing


def build_all(out: Path) -> list[Path]:
    """Write every demonstrator file into ``out``; returns the paths written."""
    from .evidence import write_demo_evidence
    from .fmt_ashe import write_ashe_table7, write_ashe_table8
    from .fmt_bres import write_bres
    from .fmt_business_counts import write_uk_business
    from .fmt_business_demography import write_business_demography
    from .fmt_deprivation import write_imd_summaries
    from .fmt_els import els_file_name, write_els
    from .fmt_gva_industry import write_gva_industry_regions
    from .fmt_housing import write_affordability
    from .fmt_lookups import (
        LAD_ITL_FILE,
        LAD_REGION_FILE,
        LEP_NAMES_FILE,
        LSIP_FILE,
        write_lad_itl_lookup,
        write_lad_region_lookup,
        write_lep_names,
        write_lsip_lookup,
    )
    from .fmt_population import (
        MYE_FILE,
        NOMIS_FILE,
        POPULATION_LA_FILE,
        write_mye,
        write_nomis_population,
        write_population_la,
    )
    from .fmt_productivity import write_productivity_lad

    w = world()
    d = w.districts
    files: list[Path] = []
    files.append(
        write_productivity_lad(
            productivity_obs(w),
            out / "productivity" / "labourproductivitylocalauthorities-demo.xlsx",
        )
    )
    regions = {c: (i, n) for c, i, n in zip(d["code"], d["itl1"], d["itl1_name"], strict=True)}
    files += write_gva_industry_regions(gva_industry_obs(w), out / "gva_by_industry", regions)
    pop = population_obs(w)
    itl1_names = dict(zip(d["code"], d["itl1_name"], strict=True))
    files.append(
        write_population_la(
            pop[pop["measure"] == "population"],
            out / "population" / POPULATION_LA_FILE,
            itl1_names=itl1_names,
        )
    )
    files.append(write_nomis_population(pop, out / "population" / NOMIS_FILE))
    files.append(
        write_mye(
            pop[pop["year"] == 2020], out / "population" / MYE_FILE.format(year=2020), year=2020
        )
    )
    lk = lookups_frame(w)
    files.append(write_lad_itl_lookup(lk, out / "lookups" / LAD_ITL_FILE))
    files.append(write_lad_region_lookup(lk, out / "lookups" / LAD_REGION_FILE))
    files.append(write_lsip_lookup(lk, out / "lookups" / LSIP_FILE))
    files.append(write_lep_names(lk, out / "lookups" / LEP_NAMES_FILE))
    files.append(
        write_bres(bres_obs(w), out / "bres" / "Business_Register_and_Employment_Survey-demo.csv")
    )
    for ds, obs in els_obs(w).items():
        files.append(write_els(obs, out / "indicators_els" / els_file_name(ds)))
    for year in (2023, 2024):
        files.append(
            write_ashe_table7(
                ashe_obs(w, year, "workplace"),
                out
                / "earnings"
                / f"PROV - Work Geography Table 7.1a   Weekly pay - Gross {year} demo.xlsx",
            )
        )
        files.append(
            write_ashe_table8(
                ashe_obs(w, year, "residence"),
                out
                / "earnings"
                / f"PROV - Home Geography Table 8.1a   Weekly pay - Gross {year} demo.xlsx",
            )
        )
    bd = business_demography_obs(w)
    files.append(
        write_business_demography(
            bd,
            out / "business" / "businessdemographyexceltables2024-demo.xlsx",
        )
    )
    files.append(
        write_uk_business(
            uk_business_obs(w, bd), out / "business" / "ukbusinessworkbook2025-demo.xlsx"
        )
    )
    for edition, name in (
        (2019, "File_10_-_IoD2019_Local_Authority_District_Summaries__lower-tier__-demo.xlsx"),
        (2025, "File_10_-_IoD2025_Local_Authority_District_Summaries__lower-tier__-demo.xlsx"),
    ):
        files.append(write_imd_summaries(imd_obs(w, edition), out / "deprivation" / name))
    reg = {c: (r, n) for c, r, n in zip(d["code"], d["region_code"], d["region_name"], strict=True)}
    files.append(
        write_affordability(
            affordability_obs(w),
            out / "housing" / "aff1ratioofhousepricetoworkplacebasedearnings2024-demo.xlsx",
            regions=reg,
        )
    )
    files += write_demo_evidence(out / "evidence")
    return files
