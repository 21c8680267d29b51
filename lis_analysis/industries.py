"""Industry classifications as ONS prints them (SIC 2007), and the groupings we use.

The regional GVA by industry tables print sections and aggregates with their division
ranges (``C (10-33)``); these labels are kept exactly as published in observations, and
this module says which of them partition the economy.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd

#: SIC 2007 sections as printed in ONS regional GVA by industry (A and B, D and E are
#: published together). These 18 partition "Total" in current prices.
GVA_SECTIONS: tuple[str, ...] = (
    "AB (1-9)",
    "C (10-33)",
    "DE (35-39)",
    "F (41-43)",
    "G (45-47)",
    "H (49-53)",
    "I (55-56)",
    "J (58-63)",
    "K (64-66)",
    "L (68)",
    "M (69-75)",
    "N (77-82)",
    "O (84)",
    "P (85)",
    "Q (86-88)",
    "R (90-93)",
    "S (94-96)",
    "T (97-98)",
)

#: Short names for charts.
SECTION_NAMES: dict[str, str] = {
    "AB (1-9)": "Agriculture and mining",
    "C (10-33)": "Manufacturing",
    "DE (35-39)": "Energy and water",
    "F (41-43)": "Construction",
    "G (45-47)": "Wholesale and retail",
    "H (49-53)": "Transport and storage",
    "I (55-56)": "Accommodation and food",
    "J (58-63)": "Information and communication",
    "K (64-66)": "Finance and insurance",
    "L (68)": "Real estate",
    "M (69-75)": "Professional and scientific",
    "N (77-82)": "Administrative and support",
    "O (84)": "Public administration",
    "P (85)": "Education",
    "Q (86-88)": "Health and social work",
    "R (90-93)": "Arts and recreation",
    "S (94-96)": "Other services",
    "T (97-98)": "Households",
}


def section_letter(label: str) -> str:
    """``'C (10-33)'`` -> ``'C'``; ``'AB (1-9)'`` -> ``'AB'``."""
    return label.split(" (")[0]


def gva_sections_from_letters(by_letter: pd.Series) -> pd.Series:
    """Employment (or anything additive) by SIC section letter (``A`` ... ``U``, as BRES
    prints them) regrouped into the sections ONS publishes GVA for (``AB (1-9)`` = A + B,
    ``DE (35-39)`` = D + E). Sections with no entry are left out; a section is missing if
    any of its letters is missing."""
    import pandas as pd

    out = {}
    for label in GVA_SECTIONS:
        letters = list(section_letter(label))
        vals = by_letter.reindex(letters)
        if vals.notna().all():
            out[label] = float(vals.sum())
    return pd.Series(out, dtype="float64")


# --------------------------------------------------------------------------------------
# The finest industries a source publishes without overlap
# --------------------------------------------------------------------------------------

#: Owner-occupiers' imputed rental, a row of the GVA tables inside section L: the rent
#: homeowners are imputed to pay themselves, left out of sector analyses (not an industry
#: a strategy can grow, and a large share of GVA where homes are dear).
IMPUTED_RENT = "68IMP"

#: Short names of the industries finer than sections that ONS's regional GVA by industry
#: tables publish for districts (from the tables' "SIC07 description" column).
FINE_NAMES: dict[str, str] = {
    "CA-CB (10-15)": "Food, drink, textiles and clothing manufacturing",
    "CC (16-18)": "Wood, paper and printing",
    "CD-CG (19-23)": "Petroleum, chemicals, pharmaceuticals, plastics and minerals",
    "CH (24-25)": "Basic and fabricated metals",
    "CI-CL (26-30)": "Electrical products, machinery and vehicles",
    "CM (31-33)": "Other manufacturing, repair and installation",
    "41": "Construction of buildings",
    "42": "Civil engineering",
    "43": "Specialised construction",
    "45": "Motor trades",
    "46": "Wholesale",
    "47": "Retail",
    "49-51": "Land, water and air transport",
    "52-53": "Warehousing, postal and courier",
    "58-60": "Publishing, film and broadcasting",
    "61-63": "Telecoms and IT services",
    "68": "Real estate (excluding imputed rent)",
    "68IMP": "Owner-occupiers' imputed rental",
    "69": "Legal and accounting",
    "70": "Head offices and management consultancy",
    "71": "Architecture and engineering",
    "72-75": "Research, advertising, design and other professional",
    "77": "Rental and leasing",
    "78-80": "Employment, travel and security services",
    "81": "Building and landscape services",
    "82": "Office and business support",
    "94-95": "Membership organisations and repairs",
    "96": "Other personal services",
}

_RANGE = re.compile(r"^(?:[A-Z]{1,2}(?:-[A-Z]{1,2})?\s*\()?(\d{1,2})(?:-(\d{1,2}))?\)?$")
_BRES = re.compile(r"^(\d{2})(?:\s*:.*)?$")


def industry_name(label: str) -> str:
    """A short name for an industry label (section or finer group), else the label."""
    return SECTION_NAMES.get(label) or FINE_NAMES.get(label) or label


def divisions(label: str) -> frozenset[int] | None:
    """The SIC 2007 divisions (2-digit codes) an industry label covers, as ONS prints it:
    ``'C (10-33)'`` -> 10..33, ``'CA-CB (10-15)'`` -> 10..15, ``'49-51'`` -> 49..51,
    ``'41'`` and BRES's ``'41'`` or ``'41 : Construction of buildings'`` -> {41}. None
    for aggregates of sections (``'Total'``, ``'A-E'``, ``'G-T'``), section letters and
    imputed rent (``'68IMP'``), which are not ranges of divisions.

    Examples
    --------
    >>> sorted(divisions("CA-CB (10-15)")), sorted(divisions("49-51")), divisions("G-T")
    ([10, 11, 12, 13, 14, 15], [49, 50, 51], None)
    """
    text = str(label).strip()
    m = _RANGE.match(text) or _BRES.match(text)
    if not m:
        return None
    lo = int(m.group(1))
    hi = int(m.group(2)) if m.lastindex and m.lastindex >= 2 and m.group(2) else lo
    if hi < lo:
        return None
    return frozenset(range(lo, hi + 1))


def finest_partition(labels: Sequence[str]) -> list[str]:
    """The finest industries among ``labels`` that partition the economy without overlap:
    each GVA section, or its finer groups where the labels hold groups that exactly cover
    it (their divisions disjoint and together the section's). Imputed rent (``68IMP``) is
    left out, so section L is its remainder ``68`` when that is published (a partition of
    GVA less imputed rent); a section whose finer groups do not cover it stays whole.

    Examples
    --------
    >>> finest_partition(["Total", "F (41-43)", "41", "42", "43", "K (64-66)"])
    ['41', '42', '43', 'K (64-66)']
    """
    have = [str(x) for x in dict.fromkeys(labels)]
    out: list[str] = []
    for sec in GVA_SECTIONS:
        if sec not in have:
            continue
        sec_div = divisions(sec)
        kids = [
            lab
            for lab in have
            if lab != sec
            and lab not in GVA_SECTIONS
            and (d := divisions(lab)) is not None
            and sec_div is not None
            and d <= sec_div
        ]
        covered: set[int] = set()
        disjoint = True
        for k in kids:
            d = divisions(k) or frozenset()
            disjoint &= not (covered & d)
            covered |= d
        if kids and disjoint and sec_div is not None and covered == set(sec_div):
            out.extend(sorted(kids, key=lambda k: min(divisions(k) or {0})))
        else:
            out.append(sec)
    return out


def section_of(label: str) -> str | None:
    """The GVA section an industry belongs to (itself for a section)."""
    if label in GVA_SECTIONS:
        return label
    d = divisions(label)
    if label == IMPUTED_RENT:
        return "L (68)"
    for sec in GVA_SECTIONS:
        sd = divisions(sec)
        if d is not None and sd is not None and d <= sd:
            return sec
    return None


def regroup_divisions(by_division: pd.Series, groups: Sequence[str]) -> pd.Series:
    """Employment (or anything additive) by SIC division (BRES's ``'01'`` ... ``'99'``)
    summed into industry ``groups`` (sections or finer groups, as :func:`divisions` reads
    them); a group is missing when any of its divisions that BRES publishes is missing."""
    import pandas as pd

    by_div: dict[int, float] = {}
    for lab, v in by_division.items():
        d = divisions(str(lab))
        if d is not None and len(d) == 1:
            by_div[next(iter(d))] = float(v)
    out = {}
    for g in groups:
        d = divisions(g)
        if d is None:
            continue
        vals = [by_div[x] for x in d if x in by_div]
        if vals and not any(math.isnan(v) for v in vals):
            out[g] = float(sum(vals))
    return pd.Series(out, dtype="float64")


def fine_labels_or_sections(slice_: pd.DataFrame) -> list[str]:
    """The finest non-overlapping industries of a measure's published rows (imputed
    rent left out); the sections when the rows have nothing finer."""
    if slice_.empty:
        return list(GVA_SECTIONS)
    import pandas as pd

    labels = [str(x) for x in pd.unique(slice_["industry"].astype(object))]
    return [i for i in finest_partition(labels) if i != IMPUTED_RENT]


# --------------------------------------------------------------------------------------
# The Industrial Strategy's sectors (IS-8) as SIC codes, by SIC edition
# --------------------------------------------------------------------------------------

#: DBT's grades of how well SIC captures a sector, as the pages say them.
IS8_COVERAGE = {
    "well defined": "well defined by SIC",
    "proxy": "a proxy SIC-based definition",
    "not easily represented": "not easily represented by SIC (no or partial coverage)",
}
_SIC_CODE = re.compile(r"^\d{2,5}$")


@dataclass(frozen=True)
class IS8Sector:
    """One growth-driving sector: its DBT coverage grade, its core SIC codes (code ->
    name) and its frontier industries (name -> SIC codes; empty when no SIC code
    captures the industry)."""

    name: str
    coverage: str
    core: dict[str, str]
    frontier: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class IS8:
    """The IS-8 sectors and the foundational industries of one SIC edition."""

    edition: str
    published: str
    sectors: tuple[IS8Sector, ...]
    foundational: dict[str, tuple[str, ...]]
    source: str


def _codes(raw: Any, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
        raise ConfigError(f"{where}: expected a list of SIC codes as strings")
    bad = [c for c in raw if not _SIC_CODE.match(c)]
    if bad:
        raise ConfigError(f"{where}: not SIC codes of 2 to 5 digits: {', '.join(bad)}")
    return tuple(raw)


@lru_cache(maxsize=4)
def load_is8(edition: str = "SIC 2007", path: str | None = None) -> IS8:
    """The SIC -> IS-8 mapping of a SIC edition (the package's ``data/is8_sectors.yaml``).

    Raises
    ------
    ConfigError
        An edition the file does not hold (UK SIC 2026 was finalised in April 2026, but
        DBT's list is on SIC 2007: a crosswalk is tied to its SIC edition), or a malformed
        entry.
    """
    from . import _yaml
    from .config import PACKAGE_DATA

    p = Path(path) if path else PACKAGE_DATA / "is8_sectors.yaml"
    try:
        doc = _yaml.load(p) or {}
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read the IS-8 sectors ({exc.strerror or exc})") from None
    eds = doc.get("editions") or {}
    if edition not in eds:
        raise ConfigError(
            f"{p}: no IS-8 mapping for {edition!r} (editions: {', '.join(eds) or 'none'}). "
            "DBT's Industrial Strategy Sector Definitions List is on SIC 2007; data coded "
            "to UK SIC 2026 needs its own mapping, added as a new edition."
        )
    ed = eds[edition]
    sectors = []
    for k, body in enumerate(ed.get("sectors") or []):
        where = f"{p}: {edition}: sector {k + 1}"
        if not isinstance(body, dict) or not body.get("name"):
            raise ConfigError(f"{where}: needs a name")
        cov = str(body.get("coverage", ""))
        if cov not in IS8_COVERAGE:
            raise ConfigError(
                f"{where} ({body['name']}): coverage must be one of {', '.join(IS8_COVERAGE)}"
            )
        core = body.get("core") or {}
        if not isinstance(core, dict):
            raise ConfigError(f"{where}: core must map SIC codes to names")
        _codes(list(core), f"{where}: core")
        frontier = {
            str(n): _codes(c, f"{where}: frontier {n}")
            for n, c in (body.get("frontier") or {}).items()
        }
        sectors.append(
            IS8Sector(str(body["name"]), cov, {str(c): str(v) for c, v in core.items()}, frontier)
        )
    found = {
        str(n): _codes(c, f"{p}: {edition}: foundational {n}")
        for n, c in (ed.get("foundational") or {}).items()
    }
    return IS8(edition, str(ed.get("published", "")), tuple(sectors), found, str(p))


def sic_division(code: str) -> int:
    """The 2-digit division of a SIC code of 2 to 5 digits ('3212' -> 32)."""
    return int(str(code)[:2])


@dataclass(frozen=True)
class SectorMeasure:
    """How a set of SIC codes is measured from the industry groups a source publishes.

    Attributes
    ----------
    groups : the groups used (those at least half of whose divisions are whole divisions
        of the definition)
    exact : every group used lies wholly inside the definition and nothing is left out
    wider : divisions inside the groups used that the definition does not hold
    left_out : the definition's codes no group used captures (3- to 5-digit codes inside
        larger groups, or whole divisions in groups mostly outside the definition)
    """

    groups: tuple[str, ...]
    exact: bool
    wider: tuple[int, ...]
    left_out: tuple[str, ...]


def measure_codes(codes: Sequence[str], groups: Sequence[str]) -> SectorMeasure:
    """Which published industry groups stand for a definition given as SIC codes.

    A group is used when at least half of its 2-digit divisions are whole divisions of
    the definition (2-digit codes): a group mostly outside the definition would measure
    something else. Codes of 3 to 5 digits are parts of a division, which a 2-digit group
    cannot isolate: they are left out unless their whole division is in the definition.

    Examples
    --------
    >>> m = measure_codes(["69", "70", "71", "72", "73", "74", "77", "78", "82"],
    ...                   ["69", "70", "71", "72-75", "77", "78-80", "81", "82"])
    >>> m.groups, m.exact, m.wider, m.left_out
    (('69', '70', '71', '72-75', '77', '82'), False, (75,), ('78',))
    """
    whole = {int(c) for c in codes if len(str(c)) == 2}
    used: list[str] = []
    inside: set[int] = set()
    wider: set[int] = set()
    for g in groups:
        d = divisions(g)
        if not d:
            continue
        hit = d & whole
        if hit and len(hit) >= len(d) / 2:
            used.append(g)
            inside |= hit
            wider |= set(d - whole)
    left = [c for c in codes if not (len(str(c)) == 2 and int(c) in inside)]
    # a part of a division already counted whole is not left out
    left = [c for c in left if not (len(str(c)) > 2 and sic_division(c) in inside)]
    real_wider = sorted(x for x in wider if x not in _NO_DIVISION)
    return SectorMeasure(
        tuple(used), not real_wider and not left and bool(used), tuple(real_wider), tuple(left)
    )


#: Numbers inside SIC 2007 ranges that are not divisions (the sections' ranges skip them).
_NO_DIVISION = frozenset({4, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89})
