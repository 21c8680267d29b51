"""The synthetic world behind the demonstrator: districts, areas and consistent series.

Everything is deterministic (one seed) and internally consistent:

- GVA (current prices, £m) = GVA per hour × hours worked per week × 52 / 10^6, for every
  district and year; the UK figure is the sum of its districts;
- industry GVA sums to the district total; employment by industry follows GVA and
  sector productivity; filled jobs = employed residents × a commuting ratio;
- GVA per hour lies between about £22 and £50 (UK about £40 in 2023).

The eight Leicester and Leicestershire districts (and Rutland, to show why ITL3 TLF22 is
not the LEP) carry their real codes and names with synthetic figures. Every other place
is invented, with names nobody could take for real ones and codes no publisher uses
(``E07999xxx`` districts, ``E12999xxx`` regions, ``E69999xxx`` LSIP areas, ITL codes
``TLV``..``TLY``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

SEED = 20190315  # the month L&L's call for evidence closed
YEARS = tuple(range(1998, 2024))
LABEL = "SYNTHETIC DEMONSTRATOR DATA - not official statistics"

UK = ("K02000001", "United Kingdom")
UKX = ("UKX", "UK less Extra-Regio")
ENGLAND = ("E92000001", "England")
EAST_MIDLANDS = ("E12000004", "East Midlands")

#: (code, name, population 2023, relative productivity, commuting ratio, ITL3)
REAL_DISTRICTS = [
    ("E06000016", "Leicester", 380_000, 0.88, 1.10, "TLF21"),
    ("E07000129", "Blaby", 105_000, 0.92, 1.25, "TLF22"),
    ("E07000130", "Charnwood", 188_000, 0.86, 0.80, "TLF22"),
    ("E07000131", "Harborough", 103_000, 0.84, 0.95, "TLF22"),
    ("E07000132", "Hinckley and Bosworth", 115_000, 0.91, 0.85, "TLF22"),
    ("E07000133", "Melton", 53_000, 0.88, 0.80, "TLF22"),
    ("E07000134", "North West Leicestershire", 110_000, 0.90, 1.35, "TLF22"),
    ("E07000135", "Oadby and Wigston", 60_000, 0.66, 0.60, "TLF22"),
    ("E06000017", "Rutland", 41_000, 0.95, 0.85, "TLF22"),
]
LL_CODES = tuple(c for c, *_ in REAL_DISTRICTS[:8])
#: Leicestershire county (upper tier): the seven L&L districts other than Leicester. ONS
#: prints it beside its districts in many tables (ELS: "County or Unitary Authority").
LEICESTERSHIRE = ("E10000018", "Leicestershire")
LEICESTERSHIRE_DISTRICTS = tuple(c for c in LL_CODES if c != "E06000016")

_PREFIX = [
    "Quill",
    "Zeph",
    "Vell",
    "Brax",
    "Kess",
    "Tull",
    "Frell",
    "Gleb",
    "Mirr",
    "Yarl",
    "Pell",
    "Drov",
]
_SUFFIX = ["marsh", "dale", "holm", "combe", "stead", "ingvale", "mire", "thwaite"]

#: Synthetic regions: (region code, name, ITL1 code, relative productivity level)
SYNTH_REGIONS = [
    ("E12999001", "Northvale (synthetic region)", "TLV", 0.86),
    ("E12999002", "Westmarch (synthetic region)", "TLW", 0.93),
    ("E12999003", "Capital Reach (synthetic region)", "TLX", 1.12),
    ("E12999004", "Southdown Vale (synthetic region)", "TLY", 1.05),
]

#: Industries as ONS prints them in the regional GVA by industry tables: (SIC07 code,
#: description, section share of UK GVA, relative productivity of the sector).
SECTIONS = [
    ("AB (1-9)", "Agriculture, forestry and fishing; mining and quarrying", 0.012, 1.4),
    ("C (10-33)", "Manufacturing", 0.095, 1.15),
    ("DE (35-39)", "Electricity, gas, water; sewerage and waste management", 0.028, 2.6),
    ("F (41-43)", "Construction", 0.065, 0.95),
    ("G (45-47)", "Wholesale and retail trade; repair of motor vehicles", 0.105, 0.72),
    ("H (49-53)", "Transportation and storage", 0.045, 0.85),
    ("I (55-56)", "Accommodation and food service activities", 0.030, 0.48),
    ("J (58-63)", "Information and communication", 0.065, 1.75),
    ("K (64-66)", "Financial and insurance activities", 0.085, 2.1),
    ("L (68)", "Real estate activities", 0.135, 6.0),
    ("M (69-75)", "Professional, scientific and technical activities", 0.085, 1.15),
    ("N (77-82)", "Administrative and support service activities", 0.050, 0.70),
    ("O (84)", "Public administration and defence", 0.048, 1.05),
    ("P (85)", "Education", 0.058, 0.75),
    ("Q (86-88)", "Human health and social work activities", 0.075, 0.70),
    ("R (90-93)", "Arts, entertainment and recreation", 0.016, 0.75),
    ("S (94-96)", "Other service activities", 0.013, 0.60),
    ("T (97-98)", "Activities of households", 0.001, 0.40),
]
#: Manufacturing sub-sectors (share of C).
MANUFACTURING = [
    ("CA-CB (10-15)", "Manufacture of food, beverages, textiles and clothing", 0.22),
    ("CC (16-18)", "Manufacture of wood and paper products and printing", 0.08),
    ("CD-CG (19-23)", "Manufacture of petroleum, chemicals and other minerals", 0.24),
    ("CH (24-25)", "Manufacture of basic and fabricated metal products", 0.12),
    ("CI-CL (26-30)", "Manufacture of electrical products and machinery", 0.24),
    ("CM (31-33)", "Other manufacturing, repair and installation", 0.10),
]
AGGREGATES = [
    ("Total", "All industries"),
    ("A-E", "Production sector"),
    ("G-T", "Services sector"),
]
#: Sections each aggregate sums.
AGGREGATE_MEMBERS = {
    "Total": [s[0] for s in SECTIONS],
    "A-E": ["AB (1-9)", "C (10-33)", "DE (35-39)"],
    "G-T": [s[0] for s in SECTIONS[4:]],
}


def _seed(name: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{SEED}:{name}".encode()).digest()[:8], "little")


def rng(name: str) -> np.random.Generator:
    """A generator seeded by ``name``: each series draws from its own stream, so adding a
    series never changes the others."""
    return np.random.default_rng(_seed(name))


@dataclass
class World:
    """The synthetic geography and its core series (build once with :func:`world`)."""

    districts: pd.DataFrame
    lsips: pd.DataFrame
    years: tuple[int, ...] = YEARS
    notes: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ core series
    @cached_property
    def population(self) -> pd.DataFrame:
        """code, year, population, population_16_64 (mid-year)."""
        d = self.districts
        g = rng("population")
        n, years = len(d), np.array(self.years)
        growth = 0.006 + g.normal(0, 0.003, n)
        wa_share = np.clip(0.63 + g.normal(0, 0.02, n), 0.56, 0.70)
        wa_share[(d["code"] == "E06000016").to_numpy()] = 0.68  # a young city
        last = years.max()
        pop = d["population"].to_numpy()[:, None] * (1 + growth[:, None]) ** (years[None, :] - last)
        pop = np.round(pop * (1 + g.normal(0, 0.002, pop.shape)))
        wa = np.round(pop * wa_share[:, None] * (1 + g.normal(0, 0.004, pop.shape)))
        return pd.DataFrame(
            {
                "code": np.repeat(d["code"].to_numpy(), len(years)),
                "year": np.tile(years, n),
                "population": pop.reshape(-1),
                "population_16_64": wa.reshape(-1),
            }
        )

    @cached_property
    def uk_gva_per_hour(self) -> pd.Series:
        """UK current-price GVA per hour worked by year (£): about £21 in 1998, £40 in 2023."""
        y = np.array(self.years)
        base = 21.0 * (40.0 / 21.0) ** ((y - 1998) / (2023 - 1998))
        return pd.Series(base, index=y)

    @cached_property
    def labour(self) -> pd.DataFrame:
        """code, year, employment_rate, employed_residents, jobs, hours_weekly, gva_current
        (£m), gva_per_hour, gva_per_job."""
        d = self.districts
        g = rng("labour")
        n, years = len(d), np.array(self.years)
        shape = (n, len(years))
        rel = d["relative_productivity"].to_numpy()
        er0 = np.clip(0.755 + 0.25 * (rel - 0.95) + g.normal(0, 0.025, n), 0.6, 0.85)
        er0[(d["code"] == "E06000016").to_numpy()] = 0.655
        hpj = 31.5 + g.normal(0, 0.8, n)
        drift = g.normal(0, 0.002, n)
        wa = self.population["population_16_64"].to_numpy().reshape(shape)
        er = np.clip(
            er0[:, None] + 0.02 * np.sin((years[None, :] - 2008) / 4) + g.normal(0, 0.006, shape),
            0.5,
            0.9,
        )
        emp = wa * er
        jobs = np.round(emp * d["commuting"].to_numpy()[:, None] * (1 + g.normal(0, 0.01, shape)))
        hours = np.round(
            jobs * (hpj[:, None] - 0.04 * (years[None, :] - 1998)) * (1 + g.normal(0, 0.006, shape))
        )
        relt = (
            rel[:, None]
            * (1 + drift[:, None] * (years[None, :] - 2010))
            * (1 + g.normal(0, 0.012, shape))
        )
        gph = self.uk_gva_per_hour.to_numpy()[None, :] * relt
        gva = np.round(gph * hours * 52 / 1e6)
        df = pd.DataFrame(
            {
                "code": np.repeat(d["code"].to_numpy(), len(years)),
                "year": np.tile(years, n),
                "employment_rate": er.reshape(-1),
                "employed_residents": emp.reshape(-1),
                "jobs": jobs.reshape(-1),
                "hours_weekly": hours.reshape(-1),
                "gva_current": gva.reshape(-1),
            }
        )
        # Published £m are whole numbers, so GVA per hour is recomputed from the rounded GVA.
        df["gva_per_hour"] = df["gva_current"] * 1e6 / (df["hours_weekly"] * 52)
        df["gva_per_job"] = df["gva_current"] * 1e6 / df["jobs"]
        return df

    @cached_property
    def industry_shares(self) -> pd.DataFrame:
        """code x section share of GVA (rows sum to 1)."""
        g = rng("industry")
        base = np.array([s[2] for s in SECTIONS])
        base = base / base.sum()
        out = {}
        for _, r in self.districts.iterrows():
            tilt = np.exp(g.normal(0, 0.35, len(base)))
            if r["code"] == "E06000016":  # textiles, food, public services
                tilt *= np.array(
                    [
                        0.3,
                        1.5,
                        0.8,
                        0.8,
                        1.1,
                        0.9,
                        1.1,
                        0.8,
                        0.6,
                        0.8,
                        0.8,
                        1.0,
                        1.3,
                        1.5,
                        1.4,
                        1.0,
                        1.0,
                        1.0,
                    ]
                )
            if r["code"] == "E07000134":  # logistics (East Midlands Airport, M1)
                tilt *= np.array(
                    [
                        1.0,
                        1.3,
                        1.5,
                        1.0,
                        1.3,
                        3.0,
                        1.0,
                        0.7,
                        0.5,
                        0.8,
                        0.8,
                        1.3,
                        0.5,
                        0.6,
                        0.6,
                        0.8,
                        0.8,
                        1.0,
                    ]
                )
            if r["region_code"] == "E12999003":  # the synthetic capital region
                tilt *= np.array(
                    [
                        0.2,
                        0.5,
                        0.7,
                        0.9,
                        0.9,
                        0.9,
                        1.1,
                        2.2,
                        2.5,
                        1.1,
                        1.8,
                        1.2,
                        0.9,
                        0.9,
                        0.8,
                        1.3,
                        1.0,
                        1.0,
                    ]
                )
            s = base * tilt
            out[r["code"]] = s / s.sum()
        return pd.DataFrame.from_dict(out, orient="index", columns=[s[0] for s in SECTIONS])

    @cached_property
    def gva_industry(self) -> pd.DataFrame:
        """code, year, industry, description, gva_current (£m), deflator (2022=100),
        gva_cvm (£m, 2022 prices), cvm_index (2022=100). Sections, manufacturing
        sub-sectors and the published aggregates; sections sum to Total (current prices)."""
        shares = self.industry_shares
        lab = self.labour.set_index(["code", "year"])["gva_current"]
        g = rng("gva_industry")
        defl_growth = {s[0]: 0.022 + g.normal(0, 0.006) for s in SECTIONS}
        rows = []
        desc = (
            {s[0]: s[1] for s in SECTIONS} | {m[0]: m[1] for m in MANUFACTURING} | dict(AGGREGATES)
        )
        for code in shares.index:
            drift = g.normal(0, 0.004, len(SECTIONS))
            for y in self.years:
                total = lab.loc[(code, y)]
                sh = shares.loc[code].to_numpy() * np.exp(drift * (y - 2010))
                sh = sh / sh.sum()
                raw = total * sh
                vals = _round_to_total(raw, total)
                sec = dict(zip(shares.columns, vals, strict=True))
                manu = _round_to_total(
                    np.array([m[2] for m in MANUFACTURING]) * sec["C (10-33)"], sec["C (10-33)"]
                )
                level = {**sec, **dict(zip([m[0] for m in MANUFACTURING], manu, strict=True))}
                for agg, members in AGGREGATE_MEMBERS.items():
                    level[agg] = sum(sec[m] for m in members)
                for ind, v in level.items():
                    section = (
                        ind
                        if ind in defl_growth
                        else ("C (10-33)" if ind.startswith("C") else None)
                    )
                    gr = defl_growth.get(section or "", 0.022)
                    defl = 100 * (1 + gr) ** (y - 2022)
                    rows.append((code, y, ind, desc[ind], float(v), defl))
        df = pd.DataFrame(
            rows, columns=["code", "year", "industry", "description", "gva_current", "deflator"]
        )
        df["gva_cvm"] = (df["gva_current"] / df["deflator"] * 100).round()
        base = df[df["year"] == 2022].set_index(["code", "industry"])["gva_cvm"]
        b = base.reindex(pd.MultiIndex.from_frame(df[["code", "industry"]])).to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            df["cvm_index"] = np.where(b > 0, df["gva_cvm"] / b * 100, np.nan)
        df["deflator"] = df["deflator"].round(1)
        df["cvm_index"] = df["cvm_index"].round(1)
        return df

    @cached_property
    def employment_industry(self) -> pd.DataFrame:
        """code, year, section, employment (BRES-style, rounded to 5), 2015 onwards."""
        shares = self.industry_shares
        prod = np.array([s[3] for s in SECTIONS])
        lab = self.labour.set_index(["code", "year"])["jobs"]
        g = rng("bres")
        rows = []
        for code in shares.index:
            e = shares.loc[code].to_numpy() / prod
            e = e / e.sum()
            for y in range(2015, max(self.years) + 1):
                jobs = lab.loc[(code, y)] * 0.96
                vals = jobs * e * np.exp(g.normal(0, 0.03, len(e)))
                for (sec, *_), v in zip(SECTIONS, vals, strict=True):
                    rows.append((code, y, sec, float(5 * round(v / 5))))
        return pd.DataFrame(rows, columns=["code", "year", "section", "employment"])


def _round_to_total(raw: np.ndarray, total: float) -> np.ndarray:
    """Whole numbers that sum exactly to ``total`` (largest-remainder rounding)."""
    fl = np.floor(raw)
    short = int(round(total - fl.sum()))
    if short > 0:
        idx = np.argsort(-(raw - fl))[:short]
        fl[idx] += 1
    elif short < 0:
        idx = np.argsort(raw - fl)[:-short]
        fl[idx] -= 1
    return fl


def _synthetic_districts() -> list[dict]:
    g = rng("geography")
    names = [p + s for p in _PREFIX for s in _SUFFIX]
    order = g.permutation(len(names))
    pick = iter(names[i] for i in order)
    rows = []
    n = 1
    # East Midlands: six synthetic districts in a synthetic ITL2 (TLFZ), beside L&L.
    for k in range(6):
        rows.append(
            dict(
                code=f"E07999{n:03d}",
                name=next(pick),
                region_code=EAST_MIDLANDS[0],
                region_name=EAST_MIDLANDS[1],
                itl1="TLF",
                itl1_name="East Midlands",
                itl2="TLFZ",
                itl2_name="Fenmoor and Wold (synthetic)",
                itl3=f"TLFZ{1 + k // 3}",
                itl3_name=f"Fenmoor and Wold {'North' if k < 3 else 'South'} (synthetic)",
                population=int(g.uniform(70_000, 220_000)),
                relative_productivity=float(np.clip(g.normal(0.9, 0.06), 0.72, 1.05)),
                commuting=float(np.clip(g.normal(0.95, 0.12), 0.65, 1.3)),
            )
        )
        n += 1
    for rcode, rname, itl1, level in SYNTH_REGIONS:
        short = rname.split(" (")[0]
        for i2 in (1, 2):
            for i3 in (1, 2):
                for _ in range(2 + (i2 + i3) % 2):
                    code = f"E0{6 if n % 5 == 0 else 7}999{n:03d}"
                    rows.append(
                        dict(
                            code=code,
                            name=next(pick),
                            region_code=rcode,
                            region_name=rname,
                            itl1=itl1,
                            itl1_name=f"{short} (synthetic)",
                            itl2=f"{itl1}{i2}",
                            itl2_name=f"{short} {'East' if i2 == 1 else 'West'} (synthetic)",
                            itl3=f"{itl1}{i2}{i3}",
                            itl3_name=f"{short} {'East' if i2 == 1 else 'West'} {'Upper' if i3 == 1 else 'Lower'} (synthetic)",
                            population=int(g.uniform(60_000, 360_000)),
                            relative_productivity=float(np.clip(g.normal(level, 0.07), 0.68, 1.22)),
                            commuting=float(np.clip(g.normal(1.0, 0.15), 0.6, 1.6)),
                        )
                    )
                    n += 1
    return rows


def world() -> World:
    """Build the synthetic world (deterministic)."""
    rows = []
    for code, name, pop, rel, com, itl3 in REAL_DISTRICTS:
        rows.append(
            dict(
                code=code,
                name=name,
                region_code=EAST_MIDLANDS[0],
                region_name=EAST_MIDLANDS[1],
                itl1="TLF",
                itl1_name="East Midlands",
                itl2="TLF2",
                itl2_name="Leicestershire, Rutland and Northamptonshire",
                itl3=itl3,
                itl3_name="Leicester" if itl3 == "TLF21" else "Leicestershire CC and Rutland",
                population=pop,
                relative_productivity=rel,
                commuting=com,
            )
        )
    rows.extend(_synthetic_districts())
    districts = pd.DataFrame(rows)
    # LSIP areas: L&L is its real eight districts; synthetic LSIPs group the others
    # (Rutland joins the synthetic East Midlands one, as in life it is not in L&L's).
    lsip = {c: ("E69000020", "Leicester and Leicestershire") for c in LL_CODES}
    others = districts[~districts["code"].isin(LL_CODES)].reset_index(drop=True)
    k = 1
    for region, grp in others.groupby("region_code", sort=True):
        codes = list(grp["code"])
        halves = (
            [codes] if len(codes) <= 7 else [codes[: len(codes) // 2], codes[len(codes) // 2 :]]
        )
        for h in halves:
            short = grp["region_name"].iloc[0].split(" (")[0]
            if region == EAST_MIDLANDS[0]:
                short = "Fenmoor, Wold and Rutland"
            name = f"{short} LSIP {k} (synthetic)"
            for c in h:
                lsip[c] = (f"E69999{k:03d}", name)
            k += 1
    districts["lsip"] = districts["code"].map(lambda c: lsip[c][0])
    districts["lsip_name"] = districts["code"].map(lambda c: lsip[c][1])
    lsips = districts.groupby(["lsip", "lsip_name"])["code"].apply(tuple).reset_index()
    return World(districts=districts, lsips=lsips)
