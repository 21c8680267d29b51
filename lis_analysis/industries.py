"""Industry classifications as ONS prints them (SIC 2007), and the groupings we use.

The regional GVA by industry tables print sections and aggregates with their division
ranges (``C (10-33)``); these labels are kept exactly as published in observations, and
this module says which of them partition the economy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
